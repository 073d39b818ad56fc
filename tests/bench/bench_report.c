/* bench_report.c: the pending report over 100,000 and 1,000,000 users and 2 documents: `gate pending
 * --format csv` as a whole process (output to /dev/null), the library call alone, and the process's peak
 * memory at both sizes, to show that memory does not grow with the number of users.
 *
 * Prints `name value unit` lines. Usage: bench_report [--quick | --users N]
 * (--quick: 2,000 users, for ctest; --users: one size only)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support_bench.h"
#include "support_memsource.h"

#define DAY (86400000LL)
#define T0 (1767225600000LL)          /* 2026-01-01 */
#define NOW (T0 + 150 * DAY)
#define NOW_TEXT "2026-05-31T00:00:00Z"
#define CHUNK 100000                  /* users per import transaction */

static int64_t fixed_clock(void *payload)
{
	(void)payload;
	return NOW;
}

static void die(const char *what)
{
	fprintf(stderr, "bench_report: %s: %s\n", what, gate_error_last()->message);
	exit(1);
}

/* privacy: v1, v2 material (published day 30, in force day 60), v3 editorial (day 90);
 * terms: v1, v2 material (day 120). */
static void write_pack(const char *path)
{
	memsrc *m = memsrc_new("en-GB");
	gate_buf out = GATE_BUF_INIT;
	FILE *f;
	gate *g;

	memsrc_add(m, "privacy", GATE_CHANGE_MATERIAL, T0, "en-GB", "We keep your data.\n", NULL);
	memsrc_add(m, "privacy", GATE_CHANGE_MATERIAL, T0 + 60 * DAY, "en-GB", "We keep and share your data.\n", NULL);
	memsrc_set_published(m, "privacy", 2, T0 + 30 * DAY);
	memsrc_add(m, "privacy", GATE_CHANGE_EDITORIAL, T0 + 90 * DAY, "en-GB", "We keep, and share, your data.\n", NULL);
	memsrc_add(m, "terms", GATE_CHANGE_MATERIAL, T0, "en-GB", "Terms.\n", NULL);
	memsrc_add(m, "terms", GATE_CHANGE_MATERIAL, T0 + 120 * DAY, "en-GB", "New terms.\n", NULL);
	if (memsrc_open(&g, m, ":memory:", NULL, NULL) < 0 || gate_pack_write(g, NULL, &out) < 0)
		die("cannot write the pack");
	gate_free(g);
	if (!(f = fopen(path, "wb")) || fwrite(out.ptr, 1, out.size, f) != out.size || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	gate_buf_dispose(&out);
}

static gate *open_store(const char *pack, const char *db)
{
	gate_options o = GATE_OPTIONS_INIT;
	gate *g;

	o.pack_path = pack;
	o.db_path = db;
	o.flags = GATE_OPEN_RELAXED_SYNC;
	o.clock = fixed_clock;
	if (gate_open(&g, &o) < 0)
		die("cannot open the store");
	return g;
}

static void append(gate_buf *b, const char *user, const char *doc, unsigned n, int64_t at)
{
	char when[GATE_TIME_BUFSIZE];

	gate_time_format(when, at);
	/* Ids with a comma need quoting in the report's CSV, as real ids sometimes do. */
	if (strchr(user, ','))
		gate__buf_printf(b, "\"%s\",%s,%u,%s\n", user, doc, n, when);
	else
		gate__buf_printf(b, "%s,%s,%u,%s\n", user, doc, n, when);
}

/* A mix of every decision: 10% never accepted anything, 20% behind a material
 * change (block), 20% behind an editorial one (notify), the rest up to date. */
static size_t fill(gate *g, size_t users)
{
	gate_buf csv = GATE_BUF_INIT, ids = GATE_BUF_INIT;
	gate_import_result res;
	size_t rows = 0, added;

	for (size_t start = 0; start < users; start += CHUNK) {
		gate__buf_clear(&csv);
		gate__buf_puts(&csv, "user,doc,version,accepted_at\n");
		for (size_t i = start; i < users && i < start + CHUNK; i++) {
			char user[32];
			int64_t jitter = (int64_t)(i % 29) * DAY;
			unsigned kind = (unsigned)(i % 20);

			snprintf(user, sizeof(user), i % 1000 == 7 ? "user%07zu,ltd" : "user%07zu", i);
			if (kind < 2) {
				gate__buf_printf(&ids, "%s\n", user);
			} else if (kind < 6) {
				append(&csv, user, "privacy", 1, T0 + jitter);
				append(&csv, user, "terms", 1, T0 + jitter);
			} else if (kind < 10) {
				append(&csv, user, "privacy", 2, T0 + 60 * DAY + jitter);
				append(&csv, user, "terms", 2, T0 + 120 * DAY + jitter);
			} else {
				append(&csv, user, "privacy", 3, T0 + 90 * DAY + jitter);
				append(&csv, user, "terms", 2, T0 + 120 * DAY + jitter);
			}
		}
		if (gate_import_csv(g, csv.ptr, csv.size, &res) < 0)
			die("cannot import acceptances");
		rows += res.recorded;
	}
	/* Ids one a line: those with a comma are registered as they are. */
	if (ids.size && gate_users_import(g, ids.ptr, ids.size, NULL, &added) < 0)
		die("cannot register users");
	gate_buf_dispose(&csv);
	gate_buf_dispose(&ids);
	return rows;
}

/* The CLI runs are started by a small launcher forked before the store is
 * filled: a child forked from the big benchmark process would count the
 * parent's pages in its peak memory (Linux carries the old address space's
 * high-water mark across exec) and pay to copy its page tables. */
#define MAX_ARGS 12

typedef struct {
	char argv[MAX_ARGS][640];
	int argc;
} launch_request;

typedef struct {
	int status;
	double ms;
	long maxrss_kib;
} launch_result;

static int launch_in = -1, launch_out = -1;

static bool io_full(int fd, void *buf, size_t len, bool writing)
{
	char *p = buf;

	while (len) {
		ssize_t n = writing ? write(fd, p, len) : read(fd, p, len);

		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

static void launcher(int in, int out)
{
	launch_request q;

	setenv("GATE_NOW", NOW_TEXT, 1);
	while (io_full(in, &q, sizeof(q), false)) {
		char *argv[MAX_ARGS + 1];
		launch_result r;
		struct rusage ru;
		double start = bench_now_ms();
		pid_t pid;

		for (int i = 0; i < q.argc; i++)
			argv[i] = q.argv[i];
		argv[q.argc] = NULL;
		memset(&r, 0, sizeof(r));
		if ((pid = fork()) == 0) {
			int null = open("/dev/null", O_WRONLY);

			dup2(null, STDOUT_FILENO);
			execv(GATE_CLI_PATH, argv);
			_exit(127);
		}
		if (pid < 0 || wait4(pid, &r.status, 0, &ru) < 0)
			r.status = -1;
		r.ms = bench_now_ms() - start;
		r.maxrss_kib = ru.ru_maxrss;
		if (!io_full(out, &r, sizeof(r), true))
			break;
	}
	_exit(0);
}

static void start_launcher(void)
{
	int to[2], from[2];
	pid_t pid;

	if (pipe(to) < 0 || pipe(from) < 0 || (pid = fork()) < 0) {
		perror("launcher");
		exit(1);
	}
	if (pid == 0) {
		close(to[1]);
		close(from[0]);
		launcher(to[0], from[1]);
	}
	close(to[0]);
	close(from[1]);
	launch_in = to[1];
	launch_out = from[0];
}

/* Runs `gate --pack P --db D CMD [ARG] --format csv` with stdout to /dev/null;
 * returns its wall time and peak RSS (KiB). */
static double run_cli(const char *pack, const char *db, const char *cmd, const char *arg, long *maxrss_kib)
{
	const char *args[] = { "gate", "--pack", pack, "--db", db, cmd, "--format", "csv", arg };
	launch_request q;
	launch_result r;

	memset(&q, 0, sizeof(q));
	for (size_t i = 0; i < sizeof(args) / sizeof(args[0]) && args[i]; i++)
		snprintf(q.argv[q.argc++], sizeof(q.argv[0]), "%s", args[i]);
	if (!io_full(launch_in, &q, sizeof(q), true) || !io_full(launch_out, &r, sizeof(r), false) ||
	    !WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0) {
		fprintf(stderr, "bench_report: %s %s failed\n", GATE_CLI_PATH, cmd);
		exit(1);
	}
	*maxrss_kib = r.maxrss_kib;
	return r.ms;
}

typedef struct {
	size_t bytes;
	size_t rows;
} counter;

static int count_bytes(const char *data, size_t len, void *payload)
{
	counter *c = payload;

	c->bytes += len;
	for (size_t i = 0; i < len; i++)
		c->rows += data[i] == '\n';
	return 0;
}

static void bench(size_t users, int runs, const char *tag)
{
	char dir[512], pack[600], db[600], side[620];
	double t_cli[8], t_lib[8], t_walk[8], start;
	long rss = 0, rss_max = 0;
	gate_report_options o = GATE_REPORT_OPTIONS_INIT;
	gate_pending_totals totals = GATE_PENDING_TOTALS_INIT;
	counter c;
	size_t events;
	gate *g;

	snprintf(dir, sizeof(dir), "%s/gate-bench-report-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(pack, sizeof(pack), "%s/policies.pack", dir);
	snprintf(db, sizeof(db), "%s/acceptances.db", dir);
	write_pack(pack);
	g = open_store(pack, db);
	start = bench_now_ms();
	events = fill(g, users);
	printf("fill_%s_s %.1f s\n", tag, (bench_now_ms() - start) / 1e3);
	printf("events_%s %zu count\n", tag, events);
	/* Measure on a handle opened afresh, as the CLI's is: closing the
	 * filling one checkpoints its write-ahead log into the database. */
	gate_free(g);
	g = open_store(pack, db);

	o.format = GATE_REPORT_CSV;
	for (int i = 0; i < runs; i++) {
		memset(&c, 0, sizeof(c));
		start = bench_now_ms();
		if (gate_pending_render(g, NULL, &o, count_bytes, &c, &totals) < 0)
			die("gate_pending_render");
		t_lib[i] = bench_now_ms() - start;
		start = bench_now_ms();
		if (gate_pending(g, NULL, GATE_TIME_UNSET, NULL, NULL, &totals) < 0)
			die("gate_pending");
		t_walk[i] = bench_now_ms() - start;
		t_cli[i] = run_cli(pack, db, "pending", NULL, &rss);
		if (rss > rss_max)
			rss_max = rss;
	}
	printf("users_%s %zu count\n", tag, totals.users);
	printf("pending_rows_%s %zu count\n", tag, totals.rows);
	printf("pending_csv_bytes_%s %zu bytes\n", tag, c.bytes);
	printf("pending_csv_process_%s_ms %.1f ms\n", tag, bench_median(t_cli, (size_t)runs));
	printf("pending_csv_library_%s_ms %.1f ms\n", tag, bench_median(t_lib, (size_t)runs));
	printf("pending_walk_library_%s_ms %.1f ms\n", tag, bench_median(t_walk, (size_t)runs));
	printf("pending_csv_process_peak_rss_%s %ld KiB\n", tag, rss_max);
	printf("stats_csv_process_%s_ms %.1f ms\n", tag, run_cli(pack, db, "stats", "privacy", &rss));
	printf("stats_csv_process_peak_rss_%s %ld KiB\n", tag, rss);
	fflush(stdout);
	gate_pending_totals_dispose(&totals);
	gate_free(g);
	/* GATE_BENCH_KEEP=1 keeps the store, to profile the CLI on it. */
	if (getenv("GATE_BENCH_KEEP")) {
		fprintf(stderr, "bench_report: kept %s\n", dir);
		return;
	}
	unlink(pack);
	unlink(db);
	snprintf(side, sizeof(side), "%s-wal", db);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", db);
	unlink(side);
	rmdir(dir);
}

int main(int argc, char **argv)
{
	start_launcher();
	if (argc > 1 && strcmp(argv[1], "--quick") == 0) {
		bench(2000, 1, "2k");
		return 0;
	}
	if (argc > 2 && strcmp(argv[1], "--users") == 0) {
		bench((size_t)strtoul(argv[2], NULL, 10), 3, argv[2]);
		return 0;
	}
	bench(100000, 3, "100k");
	bench(1000000, 3, "1m");
	return 0;
}
