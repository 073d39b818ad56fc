/* test_store_faults.c: corrupt, read-only, full, out-of-memory, locked and orphaned databases give one clear error and lose or half-write nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "support_store.h"
#include "support_tmp.h"

/* The prepared database: USERS users accept privacy, every 3rd also terms,
 * every 5th then revokes privacy: 460 events, 400 derived rows, 300 users,
 * three different counts so that the tables can be told apart by size. */
#define USERS 300
#define EVENTS (USERS + USERS / 3 + USERS / 5)
#define STATES (USERS + USERS / 3)

typedef struct {
	char *dir;
	char *pack;
	char data[4096];   /* the database's folder */
	char db[4200];
	int64_t now;
	gate_verify_result before;
} fixture;

static void user_name(char *out, size_t len, int u)
{
	snprintf(out, len, "user-%04d", u);
}

/* The database holds exactly what `want` describes: it verifies, with the
 * same events, users and chain head. */
static void assert_unchanged(fixture *f, const gate_verify_result *want)
{
	gate_verify_result vr;
	gate *g = NULL;
	char why[512];

	if (storefix_integrity(f->db, why, sizeof(why)) != 0)
		fail_msg("integrity_check: %s", why);
	assert_int_equal(storefix_open(&g, f->pack, f->db, 0, 0, &f->now), 0);
	if (gate_verify(g, &vr) != 0)
		fail_msg("gate_verify: %s", gate_error_last()->message);
	assert_int_equal(vr.events, want->events);
	assert_int_equal(vr.users, want->users);
	assert_string_equal(vr.head_hash, want->head_hash);
	assert_int_equal(storefix_count_users(g), want->users);
	gate_free(g);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	gate *g = NULL;
	char user[32], why[512];

	assert_non_null(f);
	f->dir = tmpdir_make();
	f->pack = storefix_pack(f->dir);
	f->now = STOREFIX_T0 + STOREFIX_DAY;
	snprintf(f->data, sizeof(f->data), "%s/data", f->dir);
	snprintf(f->db, sizeof(f->db), "%s/acceptances.db", f->data);
	assert_int_equal(mkdir(f->data, 0755), 0);
	assert_int_equal(storefix_open(&g, f->pack, f->db, GATE_OPEN_RELAXED_SYNC, 0, &f->now), 0);
	for (int u = 0; u < USERS; u++) {
		user_name(user, sizeof(user), u);
		assert_int_equal(gate_accept(g, user, "privacy", 1, NULL, NULL, NULL, NULL), 0);
		if (u % 3 == 0)
			assert_int_equal(gate_accept(g, user, "terms", 1, NULL, NULL, NULL, NULL), 0);
		if (u % 5 == 0)
			assert_int_equal(gate_revoke(g, user, "privacy", NULL, NULL, NULL), 0);
	}
	assert_int_equal(gate_verify(g, &f->before), 0);
	assert_int_equal(f->before.events, EVENTS);
	assert_int_equal(f->before.users, USERS);
	gate_free(g);
	if (storefix_checkpoint(f->db, why, sizeof(why)) != 0)
		fail_msg("checkpoint: %s", why);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	chmod(f->db, 0644);
	tmpdir_remove(f->dir);
	free(f->pack);
	free(f);
	return 0;
}

/* Ways of saying the cause; a message must hold one of its kind's. */
static const char *const W_CORRUPT[] = { "not a database", "malformed", "corrupt", "damaged", NULL };
static const char *const W_READONLY[] = { "read-only", "readonly", NULL };
/* ENOSPC reads "database or disk is full"; EFBIG (a file-size limit or
 * quota) "File too large" */
static const char *const W_FULL[] = { "full", "no space", "too large", "quota", NULL };
static const char *const W_LOCKED[] = { "lock", "busy", NULL };
static const char *const W_MEMORY[] = { "memory", NULL };

/* Why (rc, msg) is not `code` with a one-line message naming `name` (when
 * not NULL) and saying one of `words` (when not NULL); NULL when it is. */
static const char *error_mismatch(int rc, const char *msg, int code, const char *name,
	const char *const *words)
{
	int said = words == NULL;

	if (rc != code)
		return "wrong code";
	if (!storefix_says(msg, (const char *)NULL))
		return "not one line";
	if (name && !storefix_says(msg, name, (const char *)NULL))
		return "does not name it";
	for (; words && *words && !said; words++)
		said = storefix_says(msg, *words, (const char *)NULL);
	return said ? NULL : "does not say why";
}

static void check_error(int rc, int code, const char *name, const char *const *words,
	const char *what, const char *file, int line)
{
	const char *msg = gate_error_last()->message;
	const char *why = error_mismatch(rc, msg, code, name, words);

	if (why) {
		print_error("%s: expected %s naming %s and saying \"%s\"...; got %d (%s): \"%s\" (%s)\n",
			what, gate_err_name(code), name ? name : "-", words ? words[0] : "-", rc,
			gate_err_name(rc), msg, why);
		_fail(file, line);
	}
}

/* `call` fails with `code` and one line naming `name` and saying one of `words`. */
#define assert_error(call, code, name, words) \
	check_error((call), (code), (name), (words), #call, __FILE__, __LINE__)

/* The file at `path` holds exactly the `len` bytes of `want`. */
static void assert_file_holds(const char *path, const unsigned char *want, size_t len)
{
	size_t got_len;
	unsigned char *got = storefix_slurp(path, &got_len);

	assert_non_null(got);
	assert_int_equal(got_len, len);
	assert_memory_equal(got, want, len);
	free(got);
}

/* --- a file that is not a database ------------------------------------------ */

static void test_garbage_header_is_refused_and_left_alone(void **state)
{
	fixture *f = *state;
	unsigned char junk[8192];
	gate_decision d;
	gate *g = NULL;
	int rc;

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)(i * 131 + 17);
	memcpy(junk, "ACME diary export, not SQLite\n", 30);
	unlink(f->db);
	tmp_write(f->db, junk, sizeof(junk));

	rc = storefix_open(&g, f->pack, f->db, 0, 0, &f->now);
	if (rc < 0) {
		/* refused at open: as good, if the error is the right one */
		check_error(rc, GATE_ECORRUPT, f->db, W_CORRUPT, "gate_open", __FILE__, __LINE__);
	} else {
		const char *user = "user-0001";

		/* fail closed: an error, never a decision */
		assert_error(gate_check(g, user, "privacy", &d), GATE_ECORRUPT, f->db, W_CORRUPT);
		assert_error(gate_accept(g, user, "privacy", 1, NULL, NULL, NULL, NULL), GATE_ECORRUPT, f->db, W_CORRUPT);
		assert_error(gate_verify(g, NULL), GATE_ECORRUPT, f->db, W_CORRUPT);
		assert_error(gate_users_add(g, &user, 1, NULL), GATE_ECORRUPT, f->db, W_CORRUPT);
		gate_free(g);
	}
	/* the file was not "repaired" by recreating it over the evidence */
	assert_file_holds(f->db, junk, sizeof(junk));
}

/* --- a valid database with a page scribbled over -------------------------------- */

/* The name of the table holding `rows` rows (the log, the derived state and
 * the users have different counts here), from the store's own schema. */
static void table_with_rows(sqlite3 *s, int64_t rows, char *name, size_t len)
{
	sqlite3_stmt *st, *cnt;
	int found = 0;

	assert_int_equal(sqlite3_prepare_v2(s, "SELECT name FROM sqlite_master WHERE type = 'table' "
		"AND name NOT LIKE 'sqlite_%'", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		char *sql = sqlite3_mprintf("SELECT count(*) FROM \"%w\"", t);

		assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &cnt, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(cnt), SQLITE_ROW);
		if (sqlite3_column_int64(cnt, 0) == rows) {
			snprintf(name, len, "%s", t);
			found++;
		}
		sqlite3_finalize(cnt);
		sqlite3_free(sql);
	}
	sqlite3_finalize(st);
	if (found != 1)
		fail_msg("%d tables hold %lld rows; expected one", found, (long long)rows);
}

/* The root pages of `table` and of all its indexes. */
static size_t root_pages(sqlite3 *s, const char *table, int64_t *pages, size_t max)
{
	sqlite3_stmt *st;
	size_t n = 0;

	assert_int_equal(sqlite3_prepare_v2(s, "SELECT rootpage FROM sqlite_master WHERE tbl_name = ?1 "
		"AND rootpage > 0", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW && n < max)
		pages[n++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static int64_t page_size(sqlite3 *s)
{
	sqlite3_stmt *st;
	int64_t size;

	assert_int_equal(sqlite3_prepare_v2(s, "PRAGMA page_size", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	size = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return size;
}

/* A leaf page in the middle of `table`, by walking the b-tree with the dbstat
 * table; 0 when this SQLite lacks dbstat. */
static int64_t middle_leaf(sqlite3 *s, const char *table)
{
	sqlite3_stmt *st;
	int64_t pages[4096];
	size_t n = 0;

	if (sqlite3_prepare_v2(s, "SELECT pageno FROM dbstat WHERE name = ?1 AND pagetype = 'leaf' "
		"ORDER BY pageno", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW && n < 4096)
		pages[n++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n >= 3 ? pages[n / 2] : 0;
}

/* Overwrites page `pageno` (1-based) with a pattern no b-tree page has,
 * keeping the original in `saved`. */
static void scribble(const char *db, int64_t pageno, int64_t size, unsigned char *saved)
{
	int fd = open(db, O_RDWR);
	unsigned char *junk = malloc((size_t)size);

	assert_true(fd >= 0);
	assert_non_null(junk);
	memset(junk, 0xA5, (size_t)size);
	assert_int_equal(pread(fd, saved, (size_t)size, (pageno - 1) * size), size);
	assert_int_equal(pwrite(fd, junk, (size_t)size, (pageno - 1) * size), size);
	assert_int_equal(fsync(fd), 0);
	close(fd);
	free(junk);
}

static void unscribble(const char *db, int64_t pageno, int64_t size, const unsigned char *saved)
{
	int fd = open(db, O_RDWR);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, saved, (size_t)size, (pageno - 1) * size), size);
	close(fd);
}

static void test_scribbled_log_page_fails_verify(void **state)
{
	fixture *f = *state;
	char events[128], why[512];
	unsigned char *saved;
	int64_t psize, pageno;
	sqlite3 *s;
	gate *g = NULL;
	gate_verify_result vr;

	assert_int_equal(sqlite3_open_v2(f->db, &s, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	table_with_rows(s, EVENTS, events, sizeof(events));
	psize = page_size(s);
	pageno = middle_leaf(s, events);
	sqlite3_close(s);
	if (pageno == 0)
		skip();   /* this SQLite was built without dbstat; the root-page test below still runs */
	saved = malloc((size_t)psize);
	assert_non_null(saved);
	scribble(f->db, pageno, psize, saved);

	assert_int_not_equal(storefix_integrity(f->db, why, sizeof(why)), 0);
	assert_int_equal(storefix_open(&g, f->pack, f->db, 0, 0, &f->now), 0);
	memset(&vr, 0, sizeof(vr));
	assert_error(gate_verify(g, &vr), GATE_ECORRUPT, f->db, W_CORRUPT);
	gate_free(g);

	/* put the page back: everything is as it was */
	unscribble(f->db, pageno, psize, saved);
	free(saved);
	assert_unchanged(f, &f->before);
}

static void test_scribbled_state_page_fails_closed_and_writes_nothing(void **state)
{
	fixture *f = *state;
	char derived[128], user[32];
	int64_t psize, roots[16];
	unsigned char *saved[16];
	size_t nroots;
	sqlite3 *s;
	gate *g = NULL;
	gate_decision d;

	assert_int_equal(sqlite3_open_v2(f->db, &s, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	table_with_rows(s, STATES, derived, sizeof(derived));
	psize = page_size(s);
	nroots = root_pages(s, derived, roots, 16);
	sqlite3_close(s);
	assert_true(nroots >= 1);
	for (size_t i = 0; i < nroots; i++) {
		saved[i] = malloc((size_t)psize);
		assert_non_null(saved[i]);
		scribble(f->db, roots[i], psize, saved[i]);
	}

	assert_int_equal(storefix_open(&g, f->pack, f->db, 0, 0, &f->now), 0);
	/* fail closed: every check is an error, none a decision */
	for (int u = 0; u < USERS; u += 7) {
		user_name(user, sizeof(user), u);
		assert_error(gate_check(g, user, "privacy", &d), GATE_ECORRUPT, f->db, W_CORRUPT);
	}
	/* an acceptance cannot update the state, so it must not reach the log */
	assert_error(gate_accept(g, "newcomer", "privacy", 1, NULL, NULL, NULL, NULL), GATE_ECORRUPT, f->db, W_CORRUPT);
	user_name(user, sizeof(user), 1);
	assert_error(gate_accept(g, user, "terms", 1, NULL, NULL, NULL, NULL), GATE_ECORRUPT, f->db, W_CORRUPT);
	gate_free(g);

	for (size_t i = nroots; i-- > 0; ) {
		unscribble(f->db, roots[i], psize, saved[i]);
		free(saved[i]);
	}
	assert_unchanged(f, &f->before);
}

/* --- read-only ------------------------------------------------------------------- */

typedef struct {
	int rc;
	int outcome;
	int revoked;
	char msg[512];
} step;

static void record(step *s, int rc)
{
	s->rc = rc;
	snprintf(s->msg, sizeof(s->msg), "%s", rc < 0 ? gate_error_last()->message : "");
}

/* Every kind of write, through a handle that cannot write, after a check. */
enum { RO_CHECK, RO_CHECK_REVOKED, RO_ACCEPT, RO_ACCEPT_KNOWN, RO_REVOKE, RO_USERS_ADD, RO_IMPORT, RO_STEPS };

static void try_writes(const fixture *f, unsigned flags, step *out)
{
	const char *newcomers[] = { "newcomer-1", "newcomer-2" };
	const char *csv = "user,doc,version,accepted_at,method\nimported-1,privacy,1,2026-01-01,paper\n";
	int64_t now = f->now;
	gate_decision d;
	gate *g = NULL;
	int rc;

	if ((rc = storefix_open(&g, f->pack, f->db, flags, 0, &now)) < 0) {
		record(&out[RO_CHECK], rc);
		return;
	}
	rc = gate_check(g, "user-0001", "privacy", &d);
	record(&out[RO_CHECK], rc);
	out[RO_CHECK].outcome = d.outcome;
	rc = gate_check(g, "user-0005", "privacy", &d);
	record(&out[RO_CHECK_REVOKED], rc);
	out[RO_CHECK_REVOKED].revoked = d.revoked;
	record(&out[RO_ACCEPT], gate_accept(g, "newcomer-1", "privacy", 1, NULL, NULL, NULL, NULL));
	record(&out[RO_ACCEPT_KNOWN], gate_accept(g, "user-0001", "terms", 1, NULL, NULL, NULL, NULL));
	record(&out[RO_REVOKE], gate_revoke(g, "user-0001", "privacy", NULL, NULL, NULL));
	record(&out[RO_USERS_ADD], gate_users_add(g, newcomers, 2, NULL));
	record(&out[RO_IMPORT], gate_import_csv(g, csv, strlen(csv), NULL));
	gate_free(g);
}

static void assert_read_only_refusals(const fixture *f, const step *s, int path_named)
{
	static const char *names[] = { "check", "check revoked", "accept", "accept (known user)",
		"revoke", "users_add", "import_csv" };

	if (s[RO_CHECK].rc != GATE_ALLOW || s[RO_CHECK].outcome != GATE_ALLOW)
		fail_msg("a read-only database still answers checks: got %d: %s", s[RO_CHECK].rc, s[RO_CHECK].msg);
	if (s[RO_CHECK_REVOKED].rc != GATE_BLOCK || s[RO_CHECK_REVOKED].revoked != 1)
		fail_msg("revoked user on a read-only database: got %d: %s", s[RO_CHECK_REVOKED].rc,
			s[RO_CHECK_REVOKED].msg);
	for (int i = RO_ACCEPT; i < RO_STEPS; i++) {
		const char *why = error_mismatch(s[i].rc, s[i].msg, GATE_EIO, path_named ? f->db : NULL, W_READONLY);

		if (why)
			fail_msg("%s on a read-only database: expected EIO saying read-only%s; got %d (%s): \"%s\" (%s)",
				names[i], path_named ? " and naming the file" : "", s[i].rc, gate_err_name(s[i].rc),
				s[i].msg, why);
	}
}

static void test_open_readonly_refuses_every_write(void **state)
{
	fixture *f = *state;
	step s[RO_STEPS];
	unsigned char *before;
	size_t len;

	memset(s, 0, sizeof(s));
	before = storefix_slurp(f->db, &len);
	assert_non_null(before);
	try_writes(f, GATE_OPEN_READONLY, s);
	assert_read_only_refusals(f, s, 0);
	assert_file_holds(f->db, before, len);
	free(before);
	assert_unchanged(f, &f->before);
}

static void test_open_readonly_does_not_create_a_missing_database(void **state)
{
	fixture *f = *state;
	const char *missing = tmp_path(f->data, "never-created.db");
	gate_decision d;
	struct stat st;
	gate *g = NULL;
	int rc;

	rc = storefix_open(&g, f->pack, missing, GATE_OPEN_READONLY, 0, &f->now);
	if (rc == 0) {
		rc = gate_check(g, "user-0001", "privacy", &d);
		/* fail closed either way: an error, or "never accepted" */
		assert_true(rc == GATE_BLOCK || rc < 0);
		if (rc < 0)
			check_error(rc, rc, missing, NULL, "gate_check", __FILE__, __LINE__);
		rc = gate_accept(g, "user-0001", "privacy", 1, NULL, NULL, NULL, NULL);
		assert_true(rc < 0);
		gate_free(g);
	}
	assert_int_equal(stat(missing, &st), -1);
	assert_int_equal(errno, ENOENT);
}

/* A step list shared with a forked child, which must not call cmocka. */
static step *shared_steps(size_t n)
{
	step *s = mmap(NULL, sizeof(step) * n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	assert_true(s != MAP_FAILED);
	memset(s, 0, sizeof(step) * n);
	return s;
}

static void wait_child(pid_t pid)
{
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("child ended with status 0x%x", status);
}

static void test_read_only_file_refuses_every_write(void **state)
{
	fixture *f = *state;
	const uid_t nobody = 65534;
	step *s = shared_steps(RO_STEPS);
	pid_t pid;

	/* chmod 0444 binds everyone but root; as root, the child drops to nobody
	 * (who owns the folder, so SQLite may still make its -shm file) */
	assert_int_equal(chmod(f->db, 0444), 0);
	if (geteuid() == 0) {
		assert_int_equal(chmod(f->dir, 0755), 0);
		assert_int_equal(chown(f->data, nobody, nobody), 0);
		assert_int_equal(chown(f->db, nobody, nobody), 0);
	}
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (geteuid() == 0 && (setgid(nobody) != 0 || setuid(nobody) != 0))
			_exit(3);
		if (access(f->db, R_OK) != 0 || access(f->pack, R_OK) != 0)
			_exit(5);   /* $TMPDIR is closed to nobody: nothing to learn here */
		if (access(f->db, W_OK) == 0)
			_exit(4);   /* the file is writable after all: the test would prove nothing */
		try_writes(f, 0, s);
		_exit(0);
	}
	{
		int status;

		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 5) {
			printf("# skipped: user nobody cannot reach %s\n", f->db);
			assert_int_equal(chmod(f->db, 0644), 0);
			munmap(s, sizeof(step) * RO_STEPS);
			skip();
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fail_msg("child ended with status 0x%x", status);
	}
	assert_read_only_refusals(f, s, 1);
	munmap(s, sizeof(step) * RO_STEPS);
	assert_int_equal(chmod(f->db, 0644), 0);
	assert_unchanged(f, &f->before);
}

/* --- a full disk ------------------------------------------------------------------ */

enum { FULL_FIRST_FAIL, FULL_CHECK_ACKED, FULL_RETRY, FULL_IMPORT, FULL_USERS_ADD, FULL_CHECK_FAILED, FULL_STEPS };

typedef struct {
	step s[FULL_STEPS];
	int acked;           /* acceptances that returned 0 */
} full_report;

static void full_user(char *out, size_t len, int i)
{
	snprintf(out, len, "full-%05d", i);
}

/* Accepts until the store says it cannot grow, then tries the other writes;
 * records everything in `rep` (no cmocka: it may run in a forked child). */
static void fill_up(const fixture *f, full_report *rep)
{
	int64_t now = f->now;
	const char **many = calloc(2000, sizeof(*many));
	char user[32], *names = calloc(2000, 32), *text = malloc(64 + 3000 * 64);
	size_t len = 0;
	gate_decision d;
	gate *g = NULL;
	int rc = 0;

	if (!many || !names || !text)
		abort();
	if ((rc = storefix_open(&g, f->pack, f->db, 0, 0, &now)) < 0) {
		record(&rep->s[FULL_FIRST_FAIL], rc);
		goto done;
	}
	for (rep->acked = 0; rep->acked < 20000; rep->acked++) {
		full_user(user, sizeof(user), rep->acked);
		if ((rc = gate_accept(g, user, "privacy", 1, NULL, NULL, NULL, NULL)) != 0)
			break;
	}
	record(&rep->s[FULL_FIRST_FAIL], rc);
	rc = gate_check(g, "full-00000", "privacy", &d);
	record(&rep->s[FULL_CHECK_ACKED], rc);
	full_user(user, sizeof(user), rep->acked);
	record(&rep->s[FULL_RETRY], gate_accept(g, user, "privacy", 1, NULL, NULL, NULL, NULL));

	/* bulk writes, one transaction each: all or nothing */
	len += (size_t)sprintf(text, "user,doc,version,accepted_at,method\n");
	for (int i = 0; i < 3000; i++)
		len += (size_t)sprintf(text + len, "bulk-%05d,terms,1,2026-01-01,paper\n", i);
	record(&rep->s[FULL_IMPORT], gate_import_csv(g, text, len, NULL));
	for (int i = 0; i < 2000; i++) {
		snprintf(names + i * 32, 32, "known-%05d", i);
		many[i] = names + i * 32;
	}
	record(&rep->s[FULL_USERS_ADD], gate_users_add(g, many, 2000, NULL));
	rc = gate_check(g, user, "privacy", &d);
	record(&rep->s[FULL_CHECK_FAILED], rc);
done:
	gate_free(g);
	free(many);
	free(names);
	free(text);
}

/* What fill_up() was told, and what the database holds afterwards. */
static void assert_full_handled(fixture *f, const full_report *rep, const char *how)
{
	static const char *names[] = { "first failing accept", "check of an acknowledged user",
		"retried accept", "import_csv", "users_add", "check of the refused user" };
	gate_verify_result vr;
	gate_decision d;
	gate *g = NULL;
	char user[32], why[512];
	int retried, acked;

	printf("# %s: full after %d acceptances (the retry %s): %s\n", how, rep->acked,
		rep->s[FULL_RETRY].rc == 0 ? "went through" : "failed too", rep->s[FULL_FIRST_FAIL].msg);
	/* the retry may find room (a rolled-back transaction can leave some); if
	 * it says so, it must be in the log like any acknowledged acceptance */
	retried = rep->s[FULL_RETRY].rc == 0;
	acked = rep->acked + retried;
	for (int i = 0; i < FULL_STEPS; i++) {
		const step *s = &rep->s[i];
		const char *bad;

		if (i == FULL_CHECK_ACKED) {
			if (rep->acked > 0 && s->rc != GATE_ALLOW)
				fail_msg("%s, %s: %d: %s", how, names[i], s->rc, s->msg);
			continue;
		}
		if (i == FULL_CHECK_FAILED) {
			if (s->rc != (retried ? GATE_ALLOW : GATE_BLOCK))
				fail_msg("%s, %s: %d: %s", how, names[i], s->rc, s->msg);
			continue;
		}
		if (i == FULL_RETRY && retried)
			continue;
		bad = error_mismatch(s->rc, s->msg, GATE_EIO, f->db, W_FULL);
		if (bad)
			fail_msg("%s, %s: expected EIO naming the file and saying why; got %d (%s): \"%s\" (%s)",
				how, names[i], s->rc, gate_err_name(s->rc), s->msg, bad);
	}

	/* every acknowledged acceptance is there; the refused ones are not */
	if (storefix_integrity(f->db, why, sizeof(why)) != 0)
		fail_msg("integrity_check: %s", why);
	assert_int_equal(storefix_open(&g, f->pack, f->db, 0, 0, &f->now), 0);
	if (gate_verify(g, &vr) != 0)
		fail_msg("gate_verify: %s", gate_error_last()->message);
	assert_int_equal(vr.events, f->before.events + acked);
	assert_int_equal(vr.users, f->before.users + acked);
	assert_int_equal(storefix_count_users(g), f->before.users + acked);
	for (int i = 0; i <= acked; i++) {
		full_user(user, sizeof(user), i);
		assert_int_equal(gate_check(g, user, "privacy", &d), i < acked ? GATE_ALLOW : GATE_BLOCK);
	}
	assert_int_equal(gate_check(g, "bulk-00000", "terms", &d), GATE_BLOCK);
	assert_int_equal(gate_check(g, "known-00000", "terms", &d), GATE_BLOCK);
	gate_free(g);
}

/* A file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored) in a child: writes past
 * it fail with EFBIG, as on a full disk or an exhausted quota. */
static void test_file_size_limit_fails_cleanly_and_keeps_what_was_acknowledged(void **state)
{
	fixture *f = *state;
	full_report *rep = mmap(NULL, sizeof(*rep), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct stat st;
	pid_t pid;

	assert_true(rep != MAP_FAILED);
	memset(rep, 0, sizeof(*rep));
	/* the WAL (and any other file) may grow 64 KiB past the database's size */
	assert_int_equal(stat(f->db, &st), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl;

		rl.rlim_cur = rl.rlim_max = (rlim_t)st.st_size + 65536;
		if (signal(SIGXFSZ, SIG_IGN) == SIG_ERR || setrlimit(RLIMIT_FSIZE, &rl) != 0)
			_exit(3);
		fill_up(f, rep);
		_exit(0);
	}
	wait_child(pid);
	assert_full_handled(f, rep, "RLIMIT_FSIZE");
	munmap(rep, sizeof(*rep));
}

/* SQLite's own ceiling on the database's pages, set on every connection this
 * process opens (an auto extension, so the store needs no hook): writes past
 * it fail with SQLITE_FULL, as on a full disk. */
static int64_t page_ceiling;

static int limit_pages(sqlite3 *db, const char **err, const struct sqlite3_api_routines *api)
{
	char sql[64];

	(void)err;
	(void)api;
	snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %lld", (long long)page_ceiling);
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

static void test_page_limit_fails_cleanly_and_keeps_what_was_acknowledged(void **state)
{
	fixture *f = *state;
	full_report rep;
	sqlite3_stmt *st;
	sqlite3 *s;

	memset(&rep, 0, sizeof(rep));
	assert_int_equal(sqlite3_open_v2(f->db, &s, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, "PRAGMA page_count", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	page_ceiling = sqlite3_column_int64(st, 0) + 4;
	sqlite3_finalize(st);
	sqlite3_close(s);

	assert_int_equal(sqlite3_auto_extension((void (*)(void))limit_pages), SQLITE_OK);
	fill_up(f, &rep);
	sqlite3_cancel_auto_extension((void (*)(void))limit_pages);
	assert_full_handled(f, &rep, "max_page_count");
}

/* --- SQLite runs out of memory ------------------------------------------------------- */

/* A sweep of SQLite heap limits (sqlite3_hard_heap_limit64, process-wide)
 * over an acceptance: each attempt either succeeds whole or fails with
 * ENOMEM and leaves no trace, and the handle keeps working. */
static void test_out_of_memory_anywhere_in_an_accept_leaves_no_trace(void **state)
{
	fixture *f = *state;
	gate_verify_result vr;
	gate_decision d;
	gate *g = NULL;
	char user[32];
	int ok = 0, failed = 0;

	assert_int_equal(storefix_open(&g, f->pack, f->db, 0, 0, &f->now), 0);
	assert_int_equal(gate_accept(g, "warm-up", "privacy", 1, NULL, NULL, NULL, NULL), 0);
	/* margins from 0 to 16 KiB in 128-byte steps: allocations fail at many
	 * different points of the accept (statement, page cache, WAL, commit) */
	for (int i = 0; i < 128; i++) {
		const char *doc = i % 2 ? "privacy" : "terms";
		char msg[512];
		int rc;

		snprintf(user, sizeof(user), "oom-%03d", i);
		sqlite3_hard_heap_limit64(sqlite3_memory_used() + i * 128);
		rc = gate_accept(g, user, doc, 1, NULL, NULL, NULL, NULL);
		snprintf(msg, sizeof(msg), "%s", gate_error_last()->message);
		sqlite3_hard_heap_limit64(0);
		if (rc == 0) {
			ok++;
			assert_int_equal(gate_check(g, user, doc, &d), GATE_ALLOW);
			continue;
		}
		failed++;
		if (error_mismatch(rc, msg, GATE_ENOMEM, NULL, W_MEMORY))
			fail_msg("accept with %d bytes of SQLite heap to spare: expected ENOMEM; got %d (%s): \"%s\"",
				i * 128, rc, gate_err_name(rc), msg);
		if (gate_check(g, user, doc, &d) != GATE_BLOCK)
			fail_msg("%s: failed with ENOMEM but is in the log: %s", user, gate_error_last()->message);
	}
	printf("# heap-limit sweep: %d accepts failed with ENOMEM, %d went through\n", failed, ok);
	assert_true(failed > 0);
	assert_true(ok > 0);
	/* the handle still works, and the log holds exactly the accepts that returned 0 */
	assert_int_equal(gate_accept(g, "after-the-sweep", "privacy", 1, NULL, NULL, NULL, NULL), 0);
	if (gate_verify(g, &vr) != 0)
		fail_msg("gate_verify: %s", gate_error_last()->message);
	assert_int_equal(vr.events, f->before.events + 2 + ok);
	assert_int_equal(vr.users, f->before.users + 2 + ok);
	gate_free(g);
}

/* --- another writer holds the lock --------------------------------------------------- */

static void test_lock_held_past_the_timeout_gives_elocked_and_writes_nothing(void **state)
{
	fixture *f = *state;
	sqlite3 *s;
	gate *g = NULL;
	gate_decision d;

	assert_int_equal(sqlite3_open_v2(f->db, &s, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);

	assert_int_equal(storefix_open(&g, f->pack, f->db, 0, 150, &f->now), 0);
	/* readers are not held up by a writer */
	assert_int_equal(gate_check(g, "user-0001", "privacy", &d), GATE_ALLOW);
	assert_error(gate_accept(g, "newcomer", "privacy", 1, NULL, NULL, NULL, NULL), GATE_ELOCKED, f->db, W_LOCKED);
	assert_error(gate_revoke(g, "user-0001", "privacy", NULL, NULL, NULL), GATE_ELOCKED, f->db, W_LOCKED);

	assert_int_equal(sqlite3_exec(s, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	assert_int_equal(gate_check(g, "newcomer", "privacy", &d), GATE_BLOCK);
	gate_free(g);
	assert_unchanged(f, &f->before);
}

/* --- the versions are gone ------------------------------------------------------------- */

static void test_missing_pack_or_repository_is_named_and_touches_nothing(void **state)
{
	fixture *f = *state;
	gate_options o = GATE_OPTIONS_INIT;
	const char *missing = tmp_path(f->dir, "no-such.pack");
	unsigned char *before;
	size_t len;
	gate *g = (gate *)&o;

	before = storefix_slurp(f->db, &len);
	assert_non_null(before);
	o.pack_path = missing;
	o.db_path = f->db;
	assert_error(gate_open(&g, &o), GATE_ENOTFOUND, missing, NULL);
	assert_null(g);
#ifdef GATE_WITH_GIT
	{
		const char *repo = tmp_path(f->dir, "no-such-repository");

		o.pack_path = NULL;
		o.repo_path = repo;
		g = (gate *)&o;
		assert_error(gate_open(&g, &o), GATE_ENOTFOUND, repo, NULL);
		assert_null(g);
	}
#endif
	assert_file_holds(f->db, before, len);
	free(before);
}

/* A database whose events name versions the policy source does not have (a
 * privacy v1 with other text, or no privacy at all): gate_verify refuses to
 * vouch for it and names the first such event. */
static void test_verify_names_events_whose_version_is_gone(void **state)
{
	fixture *f = *state;
	const char *variants[] = { "We sell your diary entries.\n", NULL };

	for (size_t i = 0; i < 2; i++) {
		char *pack = storefix_pack_with(f->dir, i ? "no-privacy.pack" : "other-text.pack", variants[i]);
		gate_verify_result vr;
		gate *g = NULL;

		assert_int_equal(storefix_open(&g, pack, f->db, GATE_OPEN_READONLY, 0, &f->now), 0);
		memset(&vr, 0, sizeof(vr));
		assert_error(gate_verify(g, &vr), GATE_ECORRUPT, "privacy", NULL);
		/* user-0000's acceptance of privacy v1 is the first event */
		assert_int_equal(vr.first_bad_seq, 1);
		gate_free(g);
		free(pack);
	}
	assert_unchanged(f, &f->before);
}

/* --- the database's folder is missing ------------------------------------------------- */

static void test_database_in_a_missing_folder_is_named_and_not_created(void **state)
{
	fixture *f = *state;
	const char *folder = tmp_path(f->dir, "no-such-folder");
	char db[4200];
	gate_decision d;
	struct stat st;
	gate *g = NULL;
	int rc;

	snprintf(db, sizeof(db), "%s/acceptances.db", folder);
	assert_int_equal(storefix_open(&g, f->pack, db, 0, 0, &f->now), 0);
	rc = gate_accept(g, "user-0001", "privacy", 1, NULL, NULL, NULL, NULL);
	/* either code is honest here: the file cannot be found, or cannot be made */
	check_error(rc, rc == GATE_ENOTFOUND ? GATE_ENOTFOUND : GATE_EIO, db, NULL, "gate_accept", __FILE__, __LINE__);
	rc = gate_check(g, "user-0001", "privacy", &d);
	assert_true(rc < 0 || rc == GATE_BLOCK);
	gate_free(g);
	/* an explicit path's folder is the caller's to make */
	assert_int_equal(stat(folder, &st), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_garbage_header_is_refused_and_left_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scribbled_log_page_fails_verify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scribbled_state_page_fails_closed_and_writes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_readonly_refuses_every_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_readonly_does_not_create_a_missing_database, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_only_file_refuses_every_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_size_limit_fails_cleanly_and_keeps_what_was_acknowledged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_limit_fails_cleanly_and_keeps_what_was_acknowledged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_memory_anywhere_in_an_accept_leaves_no_trace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_held_past_the_timeout_gives_elocked_and_writes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_pack_or_repository_is_named_and_touches_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_names_events_whose_version_is_gone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_database_in_a_missing_folder_is_named_and_not_created, setup, teardown),
	};

	/* a store that hangs fails here instead of holding CI until its timeout */
	alarm(600);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
