/* bench_store.c: the acceptance store at a million users: import rate, gate_check beside a bare SQLite lookup, durable accepts, bytes per event, the CLI's peak RSS.
 *
 * One run, printed as `name value unit` lines. It imports 2 acceptances for each of 1,000,000
 * users (2,000 with --quick) with gate_import_csv() into a scratch database (that import is the
 * import measurement), then measures on that same file:
 *   - the median latency of gate_check() over many random users, warm, beside the same point
 *     lookup by a bare prepared SQLite statement on the store's derived table (its name, key and
 *     other columns are read from the database's schema; the connection is opened as the
 *     store opens its own), and their ratio (the issue wants <= 1.5);
 *   - durable single acceptances per second (full sync, one gate_accept() per transaction);
 *   - database bytes per event after a WAL checkpoint;
 *   - the peak RSS of `gate check USER` on that database (wait4's ru_maxrss), beside that of
 *     `gate version`, the CLI's fixed cost.
 * Usage: bench_store [--quick] [--users N] [--keep]
 *   --users N  another number of users (for looking into a figure); --keep leaves the scratch
 *   folder and says where.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "support_store.h"
#include "support_tmp.h"
#include "support_bench.h"

static const char *docs[2] = { "privacy", "terms" };

static unsigned long long rng = 0x9E3779B97F4A7C15ULL;

static unsigned long long next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void user_id(char *out, size_t len, size_t u)
{
	snprintf(out, len, "u%07zu", u);
}

static int die(const char *what)
{
	fprintf(stderr, "bench_store: %s: %s\n", what, gate_error_last()->message);
	return 1;
}

/* The store's derived table: the one whose primary key is two columns, one of
 * them "doc"; `user_col` receives the other and `values` the other columns,
 * comma-separated and quoted. Read from the schema, so that the bare lookup
 * follows the store if it changes. */
static int find_derived(sqlite3 *s, char *table, size_t tlen, char *user_col, size_t ulen,
	char *values, size_t vlen)
{
	sqlite3_stmt *tables, *info;
	int found = 0;

	if (sqlite3_prepare_v2(s, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
		-1, &tables, NULL) != SQLITE_OK)
		return -1;
	while (!found && sqlite3_step(tables) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(tables, 0);
		char *sql = sqlite3_mprintf("PRAGMA table_info(\"%w\")", t);
		int pk_cols = 0, has_doc = 0;
		char other[128] = "", cols[512] = "";

		if (sqlite3_prepare_v2(s, sql, -1, &info, NULL) == SQLITE_OK) {
			while (sqlite3_step(info) == SQLITE_ROW) {
				const char *col = (const char *)sqlite3_column_text(info, 1);

				if (sqlite3_column_int(info, 5) == 0) {
					size_t used = strlen(cols);

					snprintf(cols + used, sizeof(cols) - used, "%s\"%s\"", used ? ", " : "", col);
					continue;
				}
				pk_cols++;
				if (strcmp(col, "doc") == 0)
					has_doc = 1;
				else
					snprintf(other, sizeof(other), "%s", col);
			}
			sqlite3_finalize(info);
		}
		sqlite3_free(sql);
		if (pk_cols == 2 && has_doc) {
			snprintf(table, tlen, "%s", t);
			snprintf(user_col, ulen, "%s", other);
			snprintf(values, vlen, "%s", cols[0] ? cols : "1");
			found = 1;
		}
	}
	sqlite3_finalize(tables);
	return found ? 0 : -1;
}

/*
 * A child's ru_maxrss counts what it held before exec too, and a child forked
 * from this process after the import starts with hundreds of MB mapped. So
 * the CLI is started by a spawner forked first thing in main(), while this
 * process is still small: spawner_run() reads an argument vector from
 * `req`, runs it with stdout and stderr to /dev/null, and writes back its
 * exit status and peak RSS in KiB.
 */
typedef struct {
	int status;
	long maxrss_kib;
} spawn_result;

static int spawner_fd[2] = { -1, -1 };   /* requests to, results from the spawner */

static int read_full(int fd, void *buf, size_t len)
{
	for (size_t got = 0; got < len; ) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

static void spawner_run(int req, int res)
{
	char buf[8192];
	size_t len;

	while (read_full(req, &len, sizeof(len)) == 0 && len < sizeof(buf) && read_full(req, buf, len) == 0) {
		char *argv[16];
		int argc = 0;
		spawn_result r = { -1, 0 };
		struct rusage ru;
		pid_t pid;

		for (size_t i = 0; i < len && argc < 15; i += strlen(buf + i) + 1)
			argv[argc++] = buf + i;
		argv[argc] = NULL;
		if ((pid = fork()) == 0) {
			int null = open("/dev/null", O_WRONLY);

			if (null >= 0) {
				dup2(null, 1);
				dup2(null, 2);
			}
			execv(argv[0], argv);
			_exit(127);
		}
		if (pid > 0 && wait4(pid, &r.status, 0, &ru) == pid)
			r.maxrss_kib = ru.ru_maxrss;
		if (write(res, &r, sizeof(r)) != (ssize_t)sizeof(r))
			break;
	}
	_exit(0);
}

static void spawner_start(void)
{
	int req[2], res[2];
	pid_t pid;

	if (pipe(req) < 0 || pipe(res) < 0 || (pid = fork()) < 0) {
		perror("bench_store: spawner");
		exit(1);
	}
	if (pid == 0) {
		close(req[1]);
		close(res[0]);
		spawner_run(req[0], res[1]);
	}
	close(req[0]);
	close(res[1]);
	spawner_fd[0] = req[1];
	spawner_fd[1] = res[0];
}

/* Runs `argv` through the spawner; its peak RSS in KiB and exit status. */
static int run_for_rss(char *const argv[], long *maxrss_kib, int *status)
{
	char buf[8192];
	size_t len = 0;
	spawn_result r;

	for (int i = 0; argv[i]; i++) {
		size_t n = strlen(argv[i]) + 1;

		if (len + n > sizeof(buf))
			return -1;
		memcpy(buf + len, argv[i], n);
		len += n;
	}
	if (write(spawner_fd[0], &len, sizeof(len)) != (ssize_t)sizeof(len) ||
	    write(spawner_fd[0], buf, len) != (ssize_t)len || read_full(spawner_fd[1], &r, sizeof(r)) < 0)
		return -1;
	*maxrss_kib = r.maxrss_kib;
	*status = r.status;
	return 0;
}

int main(int argc, char **argv)
{
	size_t users = 1000000, calls = 100000, durable = 300;
	int keep = 0;
	char *dir, *pack, db[4200], user[32];
	int64_t now = STOREFIX_T0 + STOREFIX_DAY;
	gate_import_result ir;
	gate *g = NULL;
	char *csv;
	size_t len = 0, cap;
	size_t *pick;
	double *lat, t0, t1;
	double check_median, check_p99, bare_median, bare_p99;

	spawner_start();
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--users") == 0 && i + 1 < argc && atol(argv[i + 1]) > 0) {
			users = (size_t)atol(argv[++i]);
		} else if (strcmp(argv[i], "--quick") == 0) {
			users = 2000;
			calls = 2000;
			durable = 20;
		} else if (strcmp(argv[i], "--keep") == 0) {
			keep = 1;
		} else {
			fprintf(stderr, "usage: bench_store [--quick] [--users N] [--keep]\n");
			return 2;
		}
	}
	dir = tmpdir_make();
	pack = storefix_pack(dir);
	snprintf(db, sizeof(db), "%s/acceptances.db", dir);

	/* --- import: 2 rows per user, one transaction ------------------------------------- */
	cap = 64 + users * 2 * 64;
	if (!(csv = malloc(cap)))
		return 1;
	len += (size_t)snprintf(csv, cap, "user,doc,version,accepted_at,method\n");
	for (size_t u = 0; u < users; u++)
		for (int d = 0; d < 2; d++)
			len += (size_t)snprintf(csv + len, cap - len, "u%07zu,%s,1,2026-01-01T09:%02zu:%02zuZ,import\n",
				u, docs[d], (u / 60) % 60, u % 60);
	if (storefix_open(&g, pack, db, 0, 0, &now) < 0)
		return die("gate_open");
	t0 = 1e3 * bench_now_ms();
	if (gate_import_csv(g, csv, len, &ir) < 0)
		return die("gate_import_csv");
	t1 = 1e3 * bench_now_ms();
	free(csv);
	if (ir.rows != users * 2 || ir.recorded != users * 2 || ir.users_added != users) {
		fprintf(stderr, "bench_store: import read %zu rows, recorded %zu, added %zu users; expected %zu, %zu, %zu\n",
			ir.rows, ir.recorded, ir.users_added, users * 2, users * 2, users);
		return 1;
	}
	gate_free(g);
	printf("users %zu count\n", users);
	printf("import_rows %zu rows\n", ir.rows);
	printf("import_seconds %.2f s\n", (t1 - t0) / 1e6);
	printf("import_rate %.0f events/s\n", (double)ir.recorded / ((t1 - t0) / 1e6));

	/* --- gate_check beside a bare lookup, same users, same order, both warm ----------- */
	pick = malloc(calls * sizeof(*pick));
	lat = malloc(calls * sizeof(*lat));
	if (!pick || !lat)
		return 1;
	for (size_t i = 0; i < calls; i++)
		pick[i] = (size_t)(next_rand() % users);

	if (storefix_open(&g, pack, db, GATE_OPEN_READONLY, 0, &now) < 0)
		return die("gate_open");
	for (int pass = 0; pass < 2; pass++) {   /* pass 0 warms the caches */
		for (size_t i = 0; i < calls; i++) {
			gate_decision d;
			int rc;

			user_id(user, sizeof(user), pick[i]);
			t0 = 1e3 * bench_now_ms();
			rc = gate_check(g, user, docs[i & 1], &d);
			t1 = 1e3 * bench_now_ms();
			if (rc != GATE_ALLOW) {
				fprintf(stderr, "bench_store: gate_check(%s, %s) = %d, expected ALLOW: %s\n", user, docs[i & 1],
					rc, gate_error_last()->message);
				return 1;
			}
			lat[i] = t1 - t0;
		}
	}
	gate_free(g);
	check_median = bench_quantile(lat, calls, 0.5);
	check_p99 = bench_quantile(lat, calls, 0.99);

	{
		sqlite3 *s = NULL;
		sqlite3_stmt *st = NULL;
		char table[128], user_col[128], values[512];
		char *sql;

		/* opened as the store opens its own (one thread per connection: no mutex) */
		if (sqlite3_open_v2(db, &s, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
		    find_derived(s, table, sizeof(table), user_col, sizeof(user_col), values, sizeof(values)) < 0) {
			fprintf(stderr, "bench_store: cannot find the derived table (a two-column primary key with doc) in %s\n", db);
			return 1;
		}
		sql = sqlite3_mprintf("SELECT %s FROM \"%w\" WHERE \"%w\" = ?1 AND doc = ?2", values, table, user_col);
		if (sqlite3_prepare_v2(s, sql, -1, &st, NULL) != SQLITE_OK) {
			fprintf(stderr, "bench_store: %s: %s\n", sql, sqlite3_errmsg(s));
			return 1;
		}
		printf("# bare lookup: %s\n", sql);
		sqlite3_free(sql);
		for (int pass = 0; pass < 2; pass++) {
			for (size_t i = 0; i < calls; i++) {
				int rc;

				user_id(user, sizeof(user), pick[i]);
				t0 = 1e3 * bench_now_ms();
				sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
				sqlite3_bind_text(st, 2, docs[i & 1], -1, SQLITE_STATIC);
				rc = sqlite3_step(st);
				for (int c = 0; rc == SQLITE_ROW && c < sqlite3_column_count(st); c++)
					(void)sqlite3_column_int64(st, c);
				sqlite3_reset(st);
				t1 = 1e3 * bench_now_ms();
				if (rc != SQLITE_ROW) {
					fprintf(stderr, "bench_store: the bare lookup found no row for %s\n", user);
					return 1;
				}
				lat[i] = t1 - t0;
			}
		}
		sqlite3_finalize(st);
		sqlite3_close(s);
	}
	bare_median = bench_quantile(lat, calls, 0.5);
	bare_p99 = bench_quantile(lat, calls, 0.99);
	printf("check_calls %zu calls\n", calls);
	printf("check_median %.2f us\n", check_median);
	printf("check_p99 %.2f us\n", check_p99);
	printf("bare_lookup_median %.2f us\n", bare_median);
	printf("bare_lookup_p99 %.2f us\n", bare_p99);
	printf("check_over_bare_ratio %.2f ratio\n", check_median / bare_median);

	/* --- durable single acceptances: full sync, one transaction each --------------------- */
	/* First let the OS write back the import's hundreds of MB: otherwise each
	 * fsync waits behind that flush, and the figure measures the import. */
	sync();
	if (storefix_open(&g, pack, db, 0, 0, &now) < 0)
		return die("gate_open");
	t0 = 1e3 * bench_now_ms();
	for (size_t i = 0; i < durable; i++) {
		double a = 1e3 * bench_now_ms();

		snprintf(user, sizeof(user), "durable-%05zu", i);
		if (gate_accept(g, user, "privacy", 1, NULL, "bench", NULL, NULL) != 0)
			return die("gate_accept");
		lat[i] = 1e3 * bench_now_ms() - a;
	}
	t1 = 1e3 * bench_now_ms();
	gate_free(g);
	printf("durable_accepts %zu accepts\n", durable);
	printf("durable_accept_rate %.0f accepts/s\n", (double)durable / ((t1 - t0) / 1e6));
	printf("durable_accept_median %.3f ms\n", bench_quantile(lat, durable, 0.5) / 1e3);

	/* --- size ------------------------------------------------------------------------------- */
	{
		char why[256];
		struct stat st;
		double events = (double)(users * 2 + durable);

		if (storefix_checkpoint(db, why, sizeof(why)) < 0 || stat(db, &st) < 0) {
			fprintf(stderr, "bench_store: checkpoint %s: %s\n", db, why);
			return 1;
		}
		printf("db_bytes %lld bytes\n", (long long)st.st_size);
		printf("db_bytes_per_event %.1f bytes/event\n", (double)st.st_size / events);
	}

	/* --- the CLI's peak RSS ------------------------------------------------------------------ */
	{
		char *check[] = { GATE_CLI_PATH, "check", "--pack", pack, "--db", db, "u0000001", NULL };
		char *version[] = { GATE_CLI_PATH, "version", NULL };
		long rss_check = 0, rss_version = 0;
		int status_check, status_version;

		if (run_for_rss(version, &rss_version, &status_version) < 0 ||
		    run_for_rss(check, &rss_check, &status_check) < 0) {
			fprintf(stderr, "bench_store: the spawner did not run %s\n", GATE_CLI_PATH);
			return 1;
		}
		if (WIFEXITED(status_version) && WEXITSTATUS(status_version) == 0)
			printf("cli_version_peak_rss %.2f MB\n", rss_version / 1024.0);
		/* `gate check` exits 0 for ALLOW; u0000001 accepted both documents */
		if (WIFEXITED(status_check) && WEXITSTATUS(status_check) == 0) {
			printf("cli_check_peak_rss %.2f MB\n", rss_check / 1024.0);
		} else {
			fprintf(stderr, "bench_store: `gate check --pack %s --db %s u0000001` ended with status 0x%x, not ALLOW\n",
				pack, db, status_check);
			return 1;
		}
	}

	free(pick);
	free(lat);
	if (keep) {
		fprintf(stderr, "bench_store: kept %s\n", dir);
		free(dir);
	} else {
		tmpdir_remove(dir);
	}
	free(pack);
	return 0;
}
