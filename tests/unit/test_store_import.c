/* test_store_import.c: bulk imports: what batched writes leave is what one accept at a time leaves,
 * a batch reads the rows it has not written yet, imported acceptances move first-seen times back,
 * and databases with the older page size keep working. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accept.h"
#include "handle.h"
#include "support_memsource.h"
#include "support_tmp.h"

#define DAY (86400000LL)
#define T0 (1767225600000LL) /* 2026-01-01 */

typedef struct {
	char *dir;
	char db[4096];
	int64_t now;
	gate *g;
} fixture;

/* privacy v1 (en-GB, cy-GB), v2 material, v3 editorial; terms v1. */
static gate *open_at(fixture *f, const char *db)
{
	memsrc *m = memsrc_new("en-GB");
	gate_options o = GATE_OPTIONS_INIT;
	gate *g;

	memsrc_add(m, "privacy", GATE_CHANGE_MATERIAL, T0, "en-GB", "one\n", "cy-GB", "un\n", NULL);
	memsrc_add(m, "privacy", GATE_CHANGE_MATERIAL, T0 + 10 * DAY, "en-GB", "two\n", NULL);
	memsrc_add(m, "privacy", GATE_CHANGE_EDITORIAL, T0 + 20 * DAY, "en-GB", "two.\n", NULL);
	memsrc_add(m, "terms", GATE_CHANGE_MATERIAL, T0, "en-GB", "terms\n", NULL);
	o.db_path = db;
	o.clock = memclock;
	o.clock_payload = &f->now;
	assert_int_equal(memsrc_open_with(&g, m, &o), 0);
	return g;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	f->dir = tmpdir_make();
	snprintf(f->db, sizeof(f->db), "%s/acceptances.db", f->dir);
	f->now = T0 + 30 * DAY;
	f->g = open_at(f, f->db);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	gate_free(f->g);
	tmpdir_remove(f->dir);
	free(f);
	return 0;
}

/* Every row of `sql` on `db`, one line each, columns separated by '|'. */
static char *dump(const char *db, const char *sql)
{
	gate_buf out = GATE_BUF_INIT;
	sqlite3 *s;
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_open_v2(db, &s, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int c = 0; c < sqlite3_column_count(st); c++) {
			const unsigned char *t = sqlite3_column_text(st, c);

			assert_int_equal(gate__buf_printf(&out, "%s%s", c ? "|" : "", t ? (const char *)t : "NULL"), 0);
		}
		assert_int_equal(gate__buf_putc(&out, '\n'), 0);
	}
	sqlite3_finalize(st);
	sqlite3_close(s);
	return out.ptr ? out.ptr : gate__strdup("");
}

static int64_t raw_int(const char *db, const char *sql)
{
	char *text = dump(db, sql);
	int64_t v = strtoll(text, NULL, 10);

	free(text);
	return v;
}

/* What a log holds that does not depend on the random salts. */
static const char *const log_queries[] = {
	"SELECT seq, type, doc, n, locale, commit_oid, blob_oid, at, method, client FROM events ORDER BY seq",
	"SELECT user, doc, n, revoked, at, seq FROM states ORDER BY user, doc",
	"SELECT user, first_seen FROM subjects ORDER BY user",
};

static void assert_same_log(const char *db_a, const char *db_b)
{
	for (size_t i = 0; i < GATE__ARRAY_SIZE(log_queries); i++) {
		char *a = dump(db_a, log_queries[i]), *b = dump(db_b, log_queries[i]);

		if (strcmp(a, b) != 0)
			fail_msg("%s differs:\n--- imported\n%s--- accepted one at a time\n%s", log_queries[i], a, b);
		free(a);
		free(b);
	}
}

typedef struct {
	char user[16];
	const char *doc;
	unsigned n;
	int64_t at;
	const char *locale;
	const char *client;
} row;

/* 40 users: privacy v1 (some in Welsh, some from an old client), then v2
 * for most, terms for every third: 89 rows, more than two batches hold. */
static size_t make_rows(row *rows)
{
	size_t count = 0;

	for (int u = 0; u < 40; u++) {
		row *r = &rows[count++];

		snprintf(r->user, sizeof(r->user), "user-%02d", (u * 17) % 40);
		r->doc = "privacy";
		r->n = 1;
		r->at = T0 + DAY + u * 60000LL;
		r->locale = u % 5 == 0 ? "cy-GB" : "";
		r->client = u % 4 == 0 ? "old portal 2.1" : "";
		if (u % 8 != 3) {
			rows[count] = *r;
			r = &rows[count++];
			r->n = 2;
			r->at = T0 + 11 * DAY + u * 1000LL;
			r->locale = "";
		}
		if (u % 3 == 0) {
			rows[count] = rows[count - 1];
			r = &rows[count++];
			r->doc = "terms";
			r->n = 1;
			r->at = T0 + 2 * DAY;
			r->locale = "";
		}
	}
	return count;
}

static int row_order(const void *a, const void *b)
{
	const row *x = a, *y = b;
	int c = strcmp(x->user, y->user);

	return c ? c : x->at < y->at ? -1 : x->at > y->at;
}

/* The rows as CSV, in the order given (newest first here: not the log's order). */
static char *rows_csv(const row *rows, size_t count, size_t *len)
{
	gate_buf csv = GATE_BUF_INIT;

	assert_int_equal(gate__buf_puts(&csv, "user,doc,version,accepted_at,method,locale,client\r\n"), 0);
	for (size_t i = count; i-- > 0; ) {
		char when[GATE_TIME_BUFSIZE];

		assert_int_equal(gate_time_format(when, rows[i].at), 0);
		assert_int_equal(gate__buf_printf(&csv, "%s,%s,v%u,%s,import,%s,%s\r\n", rows[i].user, rows[i].doc,
			rows[i].n, when, rows[i].locale, rows[i].client), 0);
	}
	*len = csv.size;
	return csv.ptr;
}

/* The same rows through gate_accept(), one transaction each, in the order the import promises. */
static void accept_one_at_a_time(fixture *f, gate *g, row *rows, size_t count)
{
	int64_t saved = f->now;

	qsort(rows, count, sizeof(*rows), row_order);
	for (size_t i = 0; i < count; i++) {
		gate_receipt r;

		f->now = rows[i].at;
		assert_int_equal(gate_accept(g, rows[i].user, rows[i].doc, rows[i].n, *rows[i].locale ? rows[i].locale : NULL,
			"import", rows[i].client, &r), 0);
		assert_int_equal(r.recorded, 1);
	}
	f->now = saved;
}

static void test_an_import_leaves_what_one_accept_at_a_time_leaves(void **state)
{
	fixture *f = *state;
	row rows[160];
	size_t count = make_rows(rows), len;
	char *csv = rows_csv(rows, count, &len), other[4200];
	gate_import_result r;
	gate_verify_result vr;
	gate *g;

	assert_true(count > 64);
	assert_int_equal(gate_import_csv(f->g, csv, len, &r), 0);
	assert_int_equal(r.rows, count);
	assert_int_equal(r.recorded, count);
	assert_int_equal(r.skipped, 0);
	assert_int_equal(r.users_added, 40);
	assert_int_equal(gate_verify(f->g, &vr), 0);
	assert_int_equal(vr.events, (int64_t)count);

	snprintf(other, sizeof(other), "%s/one-by-one.db", f->dir);
	g = open_at(f, other);
	accept_one_at_a_time(f, g, rows, count);
	assert_same_log(f->db, other);

	/* Again: every row is there already; nothing moves. */
	assert_int_equal(gate_import_csv(f->g, csv, len, &r), 0);
	assert_int_equal(r.recorded, 0);
	assert_int_equal(r.skipped, count);
	assert_int_equal(r.users_added, 0);
	assert_same_log(f->db, other);
	free(csv);

	/* Old rows and new ones together: only the new are recorded, in the same places. */
	{
		row more[80];
		size_t n = 0;

		for (size_t i = 0; i < count && n < 60; i++) {
			more[n++] = rows[i];
			if (rows[i].n == 2 && strcmp(rows[i].doc, "privacy") == 0) {
				more[n] = rows[i];
				more[n].n = 3;
				more[n].at = T0 + 25 * DAY;
				n++;
			}
		}
		size_t k = 0;

		csv = rows_csv(more, n, &len);
		assert_int_equal(gate_import_csv(f->g, csv, len, &r), 0);
		for (size_t i = 0; i < n; i++)
			if (more[i].n == 3)
				more[k++] = more[i];
		assert_true(k > 10);
		assert_int_equal(r.recorded, k);
		assert_int_equal(r.skipped, n - k);
		accept_one_at_a_time(f, g, more, k);
		assert_same_log(f->db, other);
		assert_int_equal(gate_verify(f->g, NULL), 0);
		free(csv);
	}
	gate_free(g);
}

/* A rule broken after several batches were written still leaves nothing. */
static void test_a_refused_row_after_many_batches_leaves_nothing(void **state)
{
	fixture *f = *state;
	gate_buf csv = GATE_BUF_INIT;
	gate_import_result r;
	gate_receipt rc;

	f->now = T0 + 40 * DAY;
	assert_int_equal(gate_accept(f->g, "zz-last", "privacy", 2, NULL, "web", NULL, &rc), 0);
	assert_int_equal(gate__buf_puts(&csv, "user,doc,version,accepted_at\n"), 0);
	for (int i = 0; i < 150; i++)
		assert_int_equal(gate__buf_printf(&csv, "u%03d,privacy,1,2026-01-05\nu%03d,terms,1,2026-01-06\n", i, i), 0);
	assert_int_equal(gate__buf_puts(&csv, "zz-last,privacy,1,2026-01-07\n"), 0);
	assert_int_equal(gate_import_csv(f->g, csv.ptr, csv.size, &r), GATE_ECONFLICT);
	assert_non_null(strstr(gate_error_last()->message, "line 302: zz-last already accepted privacy v2"));
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM events"), 1);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM subjects"), 1);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM states"), 1);
	assert_int_equal(gate_verify(f->g, NULL), 0);

	/* The handle goes on working: without the refused row, everything goes in. */
	gate__buf_truncate(&csv, csv.size - strlen("zz-last,privacy,1,2026-01-07\n"));
	assert_int_equal(gate_import_csv(f->g, csv.ptr, csv.size, &r), 0);
	assert_int_equal(r.recorded, 300);
	assert_int_equal(r.users_added, 150);
	assert_int_equal(gate_verify(f->g, NULL), 0);
	gate_buf_dispose(&csv);
}

/* --- first seen ------------------------------------------------------------------------- */

typedef struct {
	const char *user;
	int64_t first_seen;
	bool found;
} seen_ctx;

static int find_seen(const char *user, int64_t first_seen, void *payload)
{
	seen_ctx *x = payload;

	if (strcmp(user, x->user) == 0) {
		x->first_seen = first_seen;
		x->found = true;
	}
	return 0;
}

static int64_t first_seen(gate *g, const char *user)
{
	seen_ctx x = { user, 0, false };

	assert_int_equal(gate_users_each(g, find_seen, &x), 0);
	if (!x.found)
		fail_msg("%s is not a known user", user);
	return x.first_seen;
}

static void test_an_import_moves_first_seen_back_to_the_oldest_acceptance(void **state)
{
	fixture *f = *state;
	const char *known[] = { "ann", "bob", "dan" };
	const char *csv = "user,doc,version,accepted_at\n"
		"ann,privacy,1,2026-01-03\n"
		"ann,terms,1,2026-01-02T08:00:00Z\n"
		"cid,privacy,1,2026-01-06\n"
		"dan,privacy,1,2026-01-25\n";
	gate_import_result r;
	char sql[128];
	sqlite3 *db;

	/* Registered on 20 January, before their older acceptances came in. */
	f->now = T0 + 19 * DAY;
	assert_int_equal(gate_users_add(f->g, known, 3, NULL), 0);
	f->now = T0 + 30 * DAY;
	assert_int_equal(gate_import_csv(f->g, csv, strlen(csv), &r), 0);
	assert_int_equal(r.recorded, 4);
	assert_int_equal(r.users_added, 1);
	assert_true(first_seen(f->g, "ann") == T0 + DAY + 8 * 3600000LL);  /* the older of the two */
	assert_true(first_seen(f->g, "bob") == T0 + 19 * DAY);             /* nothing imported */
	assert_true(first_seen(f->g, "cid") == T0 + 5 * DAY);              /* new: their first */
	assert_true(first_seen(f->g, "dan") == T0 + 19 * DAY);             /* accepted after registering */
	assert_int_equal(gate_verify(f->g, NULL), 0);

	/* A database an older libgate imported into kept the registration time:
	 * importing the same file again repairs it, though every row is skipped. */
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	snprintf(sql, sizeof(sql), "UPDATE subjects SET first_seen = %lld WHERE user = 'ann'", T0 + 19 * DAY);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_true(first_seen(f->g, "ann") == T0 + 19 * DAY);
	assert_int_equal(gate_import_csv(f->g, csv, strlen(csv), &r), 0);
	assert_int_equal(r.recorded, 0);
	assert_int_equal(r.skipped, 4);
	assert_true(first_seen(f->g, "ann") == T0 + DAY + 8 * 3600000LL);
	assert_true(first_seen(f->g, "dan") == T0 + 19 * DAY);
}

/* --- the store's batch ------------------------------------------------------------------ */

typedef struct {
	gate__catalog_doc *d;
	unsigned n;
	gate__event *ev;
	bool had_state;
	gate__state seen;
} check_ctx;

static int record_state(const gate__state *cur, void *payload)
{
	check_ctx *x = payload;

	x->had_state = cur != NULL;
	if (cur)
		x->seen = *cur;
	gate__event_set_version(x->ev, &x->d->versions[x->n - 1], NULL);
	return 0;
}

/* Appends an accept inside the open batch; what the check saw of the user's state. */
static check_ctx append(gate *g, gate_store *store, const char *user, const char *doc, unsigned n, int64_t at)
{
	gate_catalog *cat;
	gate__event ev;
	check_ctx x;

	memset(&x, 0, sizeof(x));
	assert_int_equal(gate__catalog(g, &cat), 0);
	assert_int_equal(gate__catalog_doc_get(cat, doc, &x.d), 0);
	x.n = n;
	x.ev = &ev;
	gate__event_init(&ev, GATE_EVENT_ACCEPT, doc, at, "test", "");
	assert_int_equal(store->ops->append(store, user, &ev, record_state, &x), 0);
	return x;
}

static void test_a_batch_reads_the_rows_it_has_not_written_yet(void **state)
{
	fixture *f = *state;
	gate_store *store;
	gate__state st;
	check_ctx x;
	bool found;
	int64_t events, users;

	assert_int_equal(gate__store(f->g, &store), 0);
	for (int round = 0; round < 2; round++) {
		char user[16];

		assert_int_equal(store->ops->begin(store), 0);
		x = append(f->g, store, "ann", "privacy", 1, T0 + DAY);
		assert_false(x.had_state);
		/* ann's second acceptance sees her first, still waiting in the batch */
		x = append(f->g, store, "ann", "privacy", 2, T0 + 11 * DAY);
		assert_true(x.had_state);
		assert_int_equal(x.seen.n, 1);
		assert_int_equal(x.seen.seq, 1);
		assert_int_equal(store->ops->has_accept(store, "ann", "privacy", 1, &found), 0);
		assert_true(found);
		assert_int_equal(store->ops->has_accept(store, "ann", "privacy", 3, &found), 0);
		assert_false(found);
		assert_int_equal(store->ops->has_accept(store, "nobody", "privacy", 1, &found), 0);
		assert_false(found);
		/* back to ann, whose rows still wait while another user was looked up */
		x = append(f->g, store, "ann", "privacy", 3, T0 + 21 * DAY);
		assert_true(x.had_state);
		assert_int_equal(x.seen.n, 2);
		assert_int_equal(x.seen.seq, 2);
		/* enough others to write several batches out, then ann again */
		for (int i = 0; i < 70; i++) {
			snprintf(user, sizeof(user), "other-%02d", i);
			x = append(f->g, store, user, i % 2 ? "terms" : "privacy", 1, T0 + 2 * DAY + i);
			assert_false(x.had_state);
		}
		x = append(f->g, store, "ann", "terms", 1, T0 + 12 * DAY);
		assert_false(x.had_state);
		assert_int_equal(store->ops->has_accept(store, "ann", "privacy", 2, &found), 0);
		assert_true(found);
		assert_int_equal(store->ops->lower_first_seen(store, "ann", T0), 0);
		assert_int_equal(store->ops->lower_first_seen(store, "other-05", T0 + 3 * DAY), 0);
		/* and a reader inside the batch sees it all */
		assert_int_equal(store->ops->latest(store, "ann", "privacy", &st, &found), 0);
		assert_true(found);
		assert_int_equal(st.n, 3);
		assert_int_equal(store->ops->counts(store, &events, &users), 0);
		assert_int_equal(events, 74);
		assert_int_equal(users, 71);
		/* another user of an earlier batch, their state read back from the transaction */
		x = append(f->g, store, "other-68", "privacy", 2, T0 + 13 * DAY);
		assert_true(x.had_state);
		assert_int_equal(x.seen.n, 1);
		assert_int_equal(x.seen.seq, 72);
		if (round == 0) {
			/* none of it reaches the file when the batch is rolled back */
			store->ops->rollback(store);
			assert_int_equal(raw_int(f->db, "SELECT count(*) FROM events"), 0);
			assert_int_equal(raw_int(f->db, "SELECT count(*) FROM subjects"), 0);
			assert_int_equal(raw_int(f->db, "SELECT count(*) FROM states"), 0);
			continue;
		}
		assert_int_equal(store->ops->commit(store), 0);
	}
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM events"), 75);
	assert_int_equal(raw_int(f->db, "SELECT n FROM states WHERE user = 'ann' AND doc = 'privacy'"), 3);
	assert_int_equal(raw_int(f->db, "SELECT seq FROM states WHERE user = 'ann' AND doc = 'terms'"), 74);
	assert_true(first_seen(f->g, "ann") == T0);
	assert_true(first_seen(f->g, "other-05") == T0 + 2 * DAY + 5);   /* already earlier */
	assert_int_equal(gate_verify(f->g, NULL), 0);
}

/* --- page sizes ---------------------------------------------------------------------------- */

/* New databases get 8 KiB pages; one an earlier libgate made with 4 KiB
 * pages keeps them (WAL mode cannot change them) and takes imports as before. */
static void test_a_database_with_4k_pages_keeps_them_and_works(void **state)
{
	fixture *f = *state;
	const char *csv = "user,doc,version,accepted_at\nann,privacy,1,2026-01-03\nbob,terms,1,2026-01-04\n";
	char old[4200];
	gate_import_result r;
	gate_decision d;
	sqlite3 *db;
	gate *g;

	assert_int_equal(gate_import_csv(f->g, csv, strlen(csv), &r), 0);
	assert_int_equal(raw_int(f->db, "PRAGMA page_size"), 8192);

	/* an older file: 4 KiB pages and WAL already, no tables yet */
	snprintf(old, sizeof(old), "%s/older.db", f->dir);
	assert_int_equal(sqlite3_open(old, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	g = open_at(f, old);
	assert_int_equal(gate_import_csv(g, csv, strlen(csv), &r), 0);
	assert_int_equal(r.recorded, 2);
	assert_int_equal(gate_check(g, "ann", "privacy", &d), GATE_BLOCK);
	assert_int_equal(d.accepted, 1);
	assert_int_equal(gate_verify(g, NULL), 0);
	gate_free(g);
	assert_int_equal(raw_int(old, "PRAGMA page_size"), 4096);
	assert_int_equal(raw_int(old, "SELECT count(*) FROM events"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_an_import_leaves_what_one_accept_at_a_time_leaves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_refused_row_after_many_batches_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_an_import_moves_first_seen_back_to_the_oldest_acceptance, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_batch_reads_the_rows_it_has_not_written_yet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_database_with_4k_pages_keeps_them_and_works, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
