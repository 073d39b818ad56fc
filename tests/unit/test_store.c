/* test_store.c: the acceptance store: schema, append-only triggers, the hash chain and what verify catches,
 * forgetting, export, import, the accept rules, read-only and odd database files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
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
static memsrc *standard_source(const char *v1_text)
{
	memsrc *m = memsrc_new("en-GB");

	memsrc_add(m, "privacy", GATE_CHANGE_MATERIAL, T0, "en-GB", v1_text, "cy-GB", "un\n", NULL);
	memsrc_add(m, "privacy", GATE_CHANGE_MATERIAL, T0 + 10 * DAY, "en-GB", "two\n", NULL);
	memsrc_add(m, "privacy", GATE_CHANGE_EDITORIAL, T0 + 20 * DAY, "en-GB", "two.\n", NULL);
	memsrc_add(m, "terms", GATE_CHANGE_MATERIAL, T0, "en-GB", "terms\n", NULL);
	return m;
}

static int open_source(gate **g, fixture *f, memsrc *m, unsigned flags, int busy_ms)
{
	gate_options o = GATE_OPTIONS_INIT;

	o.db_path = f->db;
	o.flags = flags;
	o.clock = memclock;
	o.clock_payload = &f->now;
	o.busy_timeout_ms = busy_ms;
	return memsrc_open_with(g, m, &o);
}

static gate *open_db(fixture *f, unsigned flags)
{
	gate *g;

	assert_int_equal(open_source(&g, f, standard_source("one\n"), flags, 200), 0);
	return g;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	f->dir = tmpdir_make();
	snprintf(f->db, sizeof(f->db), "%s/acceptances.db", f->dir);
	f->now = T0 + 30 * DAY;
	f->g = open_db(f, 0);
	{
		gate_store *store;

		/* The database exists from here on, so tests can read it directly. */
		assert_int_equal(gate__store(f->g, &store), 0);
	}
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

static void accept(fixture *f, const char *user, const char *doc, unsigned n)
{
	gate_receipt r;

	assert_int_equal(gate_accept(f->g, user, doc, n, NULL, "test", NULL, &r), 0);
	assert_int_equal(r.recorded, 1);
	f->now += 1000;
}

/* Five events: alice privacy v1, alice terms v1, bob privacy v2, alice privacy v2, bob revokes privacy. */
static void populate(fixture *f)
{
	gate_receipt r;

	accept(f, "alice", "privacy", 1);
	accept(f, "alice", "terms", 1);
	accept(f, "bob", "privacy", 2);
	accept(f, "alice", "privacy", 2);
	assert_int_equal(gate_revoke(f->g, "bob", "privacy", "web", NULL, &r), 0);
}

static sqlite3 *raw(fixture *f)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	return db;
}

static int64_t raw_int(fixture *f, const char *sql)
{
	sqlite3 *db = raw(f);
	sqlite3_stmt *st;
	int64_t v = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* Runs SQL as someone with write access to the file would: triggers dropped first. */
static void tamper(fixture *f, const char *sql)
{
	sqlite3 *db = raw(f);
	char *err = NULL;
	int rc = sqlite3_exec(db, "DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete;",
		NULL, NULL, &err);

	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK)
		fail_msg("tamper: %s: %s", sql, err ? err : "?");
	sqlite3_close(db);
}

static void expect_corrupt(gate *g, int64_t bad_seq, const char *needle)
{
	gate_verify_result r;
	const char *msg;

	assert_int_equal(gate_verify(g, &r), GATE_ECORRUPT);
	msg = gate_error_last()->message;
	if (!strstr(msg, needle))
		fail_msg("verify said '%s', which lacks '%s'", msg, needle);
	if (r.first_bad_seq != bad_seq)
		fail_msg("first bad event %lld, expected %lld (%s)", (long long)r.first_bad_seq, (long long)bad_seq, msg);
}

/* --- schema and append-only -------------------------------------------------------------- */

static void test_the_schema_is_versioned_wal_and_keyed_for_checks(void **state)
{
	fixture *f = *state;
	sqlite3 *db;
	sqlite3_stmt *st;
	char mode[16] = "";

	accept(f, "alice", "privacy", 1);
	assert_int_equal(raw_int(f, "PRAGMA user_version"), 1);
	db = raw(f);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(mode, sizeof(mode), "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_string_equal(mode, "wal");
	assert_int_equal(raw_int(f, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'states'"
		" AND sql LIKE '%PRIMARY KEY (user, doc)%WITHOUT ROWID'"), 1);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"), 2);
	/* The check is one point lookup on the derived table's key. */
	db = raw(f);
	assert_int_equal(sqlite3_prepare_v2(db, "EXPLAIN QUERY PLAN SELECT n, revoked, at, seq FROM states"
		" WHERE user = 'alice' AND doc = 'privacy'", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	if (!strstr((const char *)sqlite3_column_text(st, 3), "USING PRIMARY KEY (user=? AND doc=?)"))
		fail_msg("plan: %s", sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	sqlite3_close(db);
	/* The events hold no user id and no text. */
	assert_int_equal(raw_int(f, "SELECT count(*) FROM pragma_table_info('events') WHERE name IN ('user', 'text')"), 0);
}

static void test_events_cannot_be_updated_or_deleted(void **state)
{
	fixture *f = *state;
	sqlite3 *db;
	char *err = NULL;

	populate(f);
	db = raw(f);
	assert_int_equal(sqlite3_exec(db, "UPDATE events SET n = 3 WHERE seq = 1", NULL, NULL, &err), SQLITE_CONSTRAINT);
	assert_non_null(strstr(err, "append-only"));
	sqlite3_free(err);
	assert_int_equal(sqlite3_exec(db, "DELETE FROM events WHERE seq = 5", NULL, NULL, &err), SQLITE_CONSTRAINT);
	assert_non_null(strstr(err, "append-only"));
	sqlite3_free(err);
	sqlite3_close(db);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM events"), 5);
	assert_int_equal(gate_verify(f->g, NULL), 0);
}

/* --- the chain --------------------------------------------------------------------------- */

/* The encoding is documented (docs/acceptance-log.md); this pins it: the value below
 * was computed from the documented layout by an independent implementation. */
static void test_the_event_hash_follows_the_documented_encoding(void **state)
{
	gate__event ev;
	unsigned char hash[GATE__HASH_BYTES], salt[GATE__SALT_BYTES], c[GATE__HASH_BYTES];
	char hex[65];

	(void)state;
	memset(&ev, 0, sizeof(ev));
	ev.seq = 42;
	ev.type = GATE_EVENT_ACCEPT;
	for (int i = 0; i < 32; i++)
		ev.subject[i] = (unsigned char)i;
	strcpy(ev.doc, "privacy");
	ev.n = 3;
	strcpy(ev.locale, "en-GB");
	strcpy(ev.commit_oid, "0123456789abcdef0123456789abcdef01234567");
	strcpy(ev.blob_oid, "89abcdef0123456789abcdef0123456789abcdef");
	ev.at = T0;
	strcpy(ev.method, "web");
	strcpy(ev.client, "acme 1.0");
	memset(ev.prev, 0xff, sizeof(ev.prev));
	assert_int_equal(gate__event_hash(&ev, hash), 0);
	gate__hex(hex, hash, sizeof(hash));
	assert_string_equal(hex, "c3b14de62770ae0051e84c55a0d6aa8f0a5d0188236d41965f510a3c0797631f");
	/* Ids are hashed as raw bytes: the case of the hex does not matter, non-hex is corrupt. */
	strcpy(ev.commit_oid, "0123456789ABCDEF0123456789ABCDEF01234567");
	assert_int_equal(gate__event_hash(&ev, hash), 0);
	gate__hex(hex, hash, sizeof(hash));
	assert_string_equal(hex, "c3b14de62770ae0051e84c55a0d6aa8f0a5d0188236d41965f510a3c0797631f");
	strcpy(ev.commit_oid, "0123456789abcdef0123456789abcdef0123456z");
	assert_int_equal(gate__event_hash(&ev, hash), GATE_ECORRUPT);
	assert_string_equal(gate_error_last()->message,
		"event 42: its commit id '0123456789abcdef0123456789abcdef0123456z' is not 40 hexadecimal digits");
	strcpy(ev.commit_oid, "0123456789abcdef0123456789abcdef01234567");
	/* Moving a byte between two fields changes the hash: the lengths are in it. */
	strcpy(ev.method, "webx");
	strcpy(ev.client, "cme 1.0");
	assert_int_equal(gate__event_hash(&ev, hash), 0);
	gate__hex(hex, hash, sizeof(hash));
	assert_string_not_equal(hex, "c3b14de62770ae0051e84c55a0d6aa8f0a5d0188236d41965f510a3c0797631f");

	for (int i = 0; i < 16; i++)
		salt[i] = (unsigned char)i;
	gate__subject_commit(salt, "alice", c);
	gate__hex(hex, c, sizeof(c));
	assert_string_equal(hex, "4bae77313a70b8732fd7144d646a5cf8bf4f41af4b91ea15bcb55f95b42206ba");
}

typedef struct {
	gate__event events[16];
	size_t count;
} event_list;

static int collect(const gate__event *ev, void *payload)
{
	event_list *l = payload;

	if (l->count < 16)
		l->events[l->count++] = *ev;
	return 0;
}

static void test_each_event_is_chained_to_the_one_before(void **state)
{
	fixture *f = *state;
	gate_store *store;
	event_list l;
	gate_verify_result r;
	unsigned char zeros[GATE__HASH_BYTES] = { 0 }, h[GATE__HASH_BYTES];
	char hex[65];

	populate(f);
	memset(&l, 0, sizeof(l));
	assert_int_equal(gate__store(f->g, &store), 0);
	assert_int_equal(store->ops->replay(store, 1, NULL, collect, &l), 0);
	assert_int_equal(l.count, 5);
	assert_memory_equal(l.events[0].prev, zeros, sizeof(zeros));
	for (size_t i = 0; i < l.count; i++) {
		assert_int_equal(l.events[i].seq, (int64_t)i + 1);
		assert_int_equal(gate__event_hash(&l.events[i], h), 0);
		assert_memory_equal(h, l.events[i].hash, sizeof(h));
		if (i)
			assert_memory_equal(l.events[i].prev, l.events[i - 1].hash, sizeof(h));
	}
	assert_int_equal(l.events[4].type, GATE_EVENT_REVOKE);
	assert_string_equal(l.events[4].method, "web");
	/* Two users, two commitments; the same user's events share one. */
	assert_memory_equal(l.events[0].subject, l.events[1].subject, GATE__HASH_BYTES);
	assert_memory_not_equal(l.events[0].subject, l.events[2].subject, GATE__HASH_BYTES);

	assert_int_equal(gate_verify(f->g, &r), 0);
	assert_int_equal(r.events, 5);
	assert_int_equal(r.users, 2);
	assert_int_equal(r.checkpoints, 0);
	assert_int_equal(r.first_bad_seq, 0);
	gate__hex(hex, l.events[4].hash, GATE__HASH_BYTES);
	assert_string_equal(r.head_hash, hex);
}

static void test_verify_catches_an_edited_field(void **state)
{
	fixture *f = *state;

	populate(f);
	tamper(f, "UPDATE events SET at = at - 86400000 WHERE seq = 3");
	expect_corrupt(f->g, 3, "event 3 (accept privacy v2 at 2026-01-30");
	assert_non_null(strstr(gate_error_last()->message, "does not match its hash: the log was altered"));
}

static void test_verify_catches_a_deleted_event(void **state)
{
	fixture *f = *state;

	populate(f);
	tamper(f, "DELETE FROM events WHERE seq = 2");
	expect_corrupt(f->g, 3, "event 3 (accept privacy v2 at ");
	assert_non_null(strstr(gate_error_last()->message, "follows event 1: event 2 was deleted"));
}

static void test_verify_catches_a_deleted_last_event_through_the_state(void **state)
{
	fixture *f = *state;

	populate(f);
	tamper(f, "DELETE FROM events WHERE seq = 5");
	/* The chain alone cannot tell; the derived state, written in the same transaction, can. */
	expect_corrupt(f->g, 5, "the derived state of 'bob' for privacy says v2 revoked (event 5), but the log says v2 accepted (event 3)");
}

static void test_verify_catches_reordered_events(void **state)
{
	fixture *f = *state;

	populate(f);
	tamper(f, "UPDATE events SET seq = -2 WHERE seq = 2; UPDATE events SET seq = 2 WHERE seq = 3;"
		" UPDATE events SET seq = 3 WHERE seq = -2;");
	expect_corrupt(f->g, 2, "event 2 (accept privacy v2");
}

static void test_verify_catches_a_relinked_chain(void **state)
{
	fixture *f = *state;
	gate_store *store;
	event_list l;
	char sql[512], hex[65];

	/* Event 2 rewritten with a consistent hash of its own, but not re-linked from 3 on. */
	populate(f);
	memset(&l, 0, sizeof(l));
	assert_int_equal(gate__store(f->g, &store), 0);
	assert_int_equal(store->ops->replay(store, 2, NULL, collect, &l), 0);
	l.events[0].n = 1;
	l.events[0].at -= 1000;
	assert_int_equal(gate__event_hash(&l.events[0], l.events[0].hash), 0);
	gate__hex(hex, l.events[0].hash, GATE__HASH_BYTES);
	snprintf(sql, sizeof(sql), "UPDATE events SET at = %lld, hash = x'%s' WHERE seq = 2",
		(long long)l.events[0].at, hex);
	tamper(f, sql);
	expect_corrupt(f->g, 3, "event 3 (accept privacy v2 at 2026-01-31T00:00:02Z) does not link to event 2");
}

static void test_verify_catches_an_oid_the_repository_does_not_have(void **state)
{
	fixture *f = *state;
	gate *other;

	populate(f);
	/* The same database read against a repository whose privacy v1 text differs. */
	gate_free(f->g);
	f->g = NULL;
	assert_int_equal(open_source(&other, f, standard_source("a different first text\n"), 0, 200), 0);
	expect_corrupt(other, 1, "event 1 (accept privacy v1 at 2026-01-31T00:00:00Z) records text ");
	assert_non_null(strstr(gate_error_last()->message, "but privacy v1 (en-GB) is "));
	gate_free(other);

	/* And against one that lacks the version altogether. */
	{
		memsrc *m = memsrc_new("en-GB");

		memsrc_add(m, "privacy", GATE_CHANGE_MATERIAL, T0, "en-GB", "one\n", "cy-GB", "un\n", NULL);
		memsrc_add(m, "terms", GATE_CHANGE_MATERIAL, T0, "en-GB", "terms\n", NULL);
		assert_int_equal(open_source(&other, f, m, 0, 200), 0);
		expect_corrupt(other, 3, "event 3 (accept privacy v2 at 2026-01-31T00:00:02Z) names privacy v2, which does not exist");
		gate_free(other);
	}
	f->g = open_db(f, 0);
	assert_int_equal(gate_verify(f->g, NULL), 0);
	/* A commit id edited in the database (hash recomputed) is caught against the repository. */
	{
		gate_store *store;
		event_list l;
		char sql[512], hex[65];

		memset(&l, 0, sizeof(l));
		assert_int_equal(gate__store(f->g, &store), 0);
		assert_int_equal(store->ops->replay(store, 5, NULL, collect, &l), 0);
		memset(l.events[0].commit_oid, 'e', GATE_OID_HEXSIZE);
		assert_int_equal(gate__event_hash(&l.events[0], l.events[0].hash), 0);
		gate__hex(hex, l.events[0].hash, GATE__HASH_BYTES);
		snprintf(sql, sizeof(sql), "UPDATE events SET commit_oid = '%s', hash = x'%s' WHERE seq = 5",
			l.events[0].commit_oid, hex);
		tamper(f, sql);
		expect_corrupt(f->g, 5, "event 5 (revoke privacy v2 at 2026-01-31T00:00:04Z) records commit eeeeeeeeeeee");
	}
}

static void test_verify_catches_edited_derived_state(void **state)
{
	fixture *f = *state;

	populate(f);
	tamper(f, "UPDATE states SET n = 3 WHERE user = 'alice' AND doc = 'privacy'");
	expect_corrupt(f->g, 4, "the derived state of 'alice' for privacy says v3 accepted (event 4), but the log says v2 accepted (event 4)");
	tamper(f, "UPDATE states SET n = 2 WHERE user = 'alice' AND doc = 'privacy'");
	assert_int_equal(gate_verify(f->g, NULL), 0);
	tamper(f, "DELETE FROM states WHERE user = 'alice' AND doc = 'terms'");
	expect_corrupt(f->g, 2, "the derived state of 'alice' for terms says nothing, but the log says v1 accepted (event 2)");
	tamper(f, "INSERT INTO states VALUES ('alice', 'terms', 1, 0, 1769817601000, 2)");
	assert_int_equal(gate_verify(f->g, NULL), 0);
	/* A state row for someone the log never saw would let them in: caught. */
	tamper(f, "INSERT INTO states VALUES ('mallory', 'privacy', 3, 0, 1767139201000, 9)");
	expect_corrupt(f->g, 6, "the state table holds 1 row of no known user");
	tamper(f, "DELETE FROM states WHERE user = 'mallory'");
	/* A subject row whose id was changed no longer matches its commitment. */
	tamper(f, "UPDATE subjects SET user = 'carol' WHERE user = 'bob'; UPDATE states SET user = 'carol' WHERE user = 'bob'");
	expect_corrupt(f->g, 6, "the commitment of user 'carol' does not match their salt and id");
}

/* --- personal data ------------------------------------------------------------------------ */

static bool file_contains(const char *path, const char *needle)
{
	FILE *fp = fopen(path, "rb");
	size_t n = strlen(needle), len = 0, cap = 0;
	char *buf = NULL;
	bool found = false;
	int c;

	if (!fp)
		return false;
	while ((c = fgetc(fp)) != EOF) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		buf[len++] = (char)c;
	}
	fclose(fp);
	for (size_t i = 0; i + n <= len && !found; i++)
		found = memcmp(buf + i, needle, n) == 0;
	free(buf);
	return found;
}

static void test_forget_erases_the_id_everywhere_and_verify_still_passes(void **state)
{
	fixture *f = *state;
	const char *id = "zelda.forgettable@example.org";
	char wal[4200];
	gate_decision d;
	gate_buf out = GATE_BUF_INIT;
	int64_t events_before;

	snprintf(wal, sizeof(wal), "%s-wal", f->db);
	populate(f);
	accept(f, id, "privacy", 2);
	accept(f, id, "terms", 1);
	events_before = raw_int(f, "SELECT count(*) FROM events");
	assert_true(file_contains(f->db, id) || file_contains(wal, id));

	assert_int_equal(gate_user_forget(f->g, id), 0);
	assert_false(file_contains(f->db, id));
	assert_false(file_contains(wal, id));
	gate_free(f->g);
	f->g = open_db(f, 0);
	assert_false(file_contains(f->db, id));
	assert_false(file_contains(wal, id));

	/* The events stay and the chain verifies; the state is gone with the person. */
	assert_int_equal(raw_int(f, "SELECT count(*) FROM events"), events_before);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM subjects"), 2);
	assert_int_equal(gate_verify(f->g, NULL), 0);
	assert_int_equal(gate_check(f->g, id, "privacy", &d), GATE_BLOCK);
	assert_int_equal(d.accepted, 0);
	assert_int_equal(gate_user_export(f->g, id, &out), GATE_ENOTFOUND);
	assert_int_equal(gate_user_forget(f->g, id), GATE_ENOTFOUND);
	assert_non_null(strstr(gate_error_last()->message, "is not a known user"));
	/* Coming back makes a new person: a new salt, nothing linked to the old events. */
	accept(f, id, "privacy", 2);
	assert_int_equal(raw_int(f, "SELECT count(DISTINCT subject) FROM events"), 4);
	assert_int_equal(gate_verify(f->g, NULL), 0);
}

/* The hex after `"key": "` in a JSON text. */
static void json_hex(const char *json, const char *key, char *out, size_t len)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\": \"", key);
	p = strstr(json, pat);
	assert_non_null(p);
	p += strlen(pat);
	memcpy(out, p, len);
	out[len] = '\0';
	assert_int_equal(p[len], '"');
}

static size_t count_of(const char *s, const char *needle)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static void test_export_gives_the_evidence_for_one_user(void **state)
{
	fixture *f = *state;
	gate_buf out = GATE_BUF_INIT;
	char salt_hex[33], commit_hex[65], want_hex[65];
	unsigned char salt[16], c[32];

	populate(f);
	assert_int_equal(gate_accept(f->g, "al\"ice", "privacy", 1, "cy-GB", "desktop-dialog", "acme 4.2", NULL), 0);
	assert_int_equal(gate_user_export(f->g, "alice", &out), 0);
	assert_non_null(strstr(out.ptr, "\"user\": \"alice\""));
	assert_int_equal(count_of(out.ptr, "\"seq\": "), 3); /* alice's three events, not bob's */
	assert_non_null(strstr(out.ptr, "{\"seq\": 1, \"type\": \"accept\", \"doc\": \"privacy\", \"version\": 1, \"locale\": \"en-GB\""));
	assert_non_null(strstr(out.ptr, "\"decisions\": ["));
	assert_non_null(strstr(out.ptr, "{\"doc\": \"privacy\", \"decision\": \"notify\", \"accepted\": 2"));
	assert_non_null(strstr(out.ptr, "{\"doc\": \"terms\", \"decision\": \"allow\", \"accepted\": 1"));
	/* Anyone can check the commitment from the salt and the id. */
	json_hex(out.ptr, "salt", salt_hex, 32);
	json_hex(out.ptr, "commitment", commit_hex, 64);
	assert_int_equal(sodium_hex2bin(salt, sizeof(salt), salt_hex, 32, NULL, NULL, NULL), 0);
	gate__subject_commit(salt, "alice", c);
	gate__hex(want_hex, c, sizeof(c));
	assert_string_equal(commit_hex, want_hex);

	/* Strings are escaped. */
	assert_int_equal(gate_user_export(f->g, "al\"ice", &out), 0);
	assert_non_null(strstr(out.ptr, "\"user\": \"al\\\"ice\""));
	assert_non_null(strstr(out.ptr, "\"locale\": \"cy-GB\""));
	assert_non_null(strstr(out.ptr, "\"method\": \"desktop-dialog\", \"client\": \"acme 4.2\""));
	assert_int_equal(gate_user_export(f->g, "nobody", &out), GATE_ENOTFOUND);
	gate_buf_dispose(&out);
}

/* --- import -------------------------------------------------------------------------------------- */

static int64_t events_of(fixture *f)
{
	return raw_int(f, "SELECT count(*) FROM events");
}

static void test_import_records_quoted_csv_rows(void **state)
{
	fixture *f = *state;
	const char *csv =
		"\xEF\xBB\xBFuser,doc,version,accepted_at,method,locale,client\r\n"
		"\"smith, jo\",privacy,v1,2026-01-02,,cy-GB,\"old \"\"portal\"\"\"\r\n"
		"ann,privacy,2,2026-01-12T09:30:00Z,web,,\r\n"
		"\r\n"
		"\"multi\nline\",terms,1,2026-01-03,email,,\r\n";
	gate_import_result r;
	gate_decision d;
	gate_buf out = GATE_BUF_INIT;

	assert_int_equal(gate_import_csv(f->g, csv, strlen(csv), &r), GATE_EINVALID);
	assert_non_null(strstr(gate_error_last()->message, "line 5: user id contains a control character"));
	assert_int_equal(events_of(f), 0);

	csv = "\xEF\xBB\xBFuser,doc,version,accepted_at,method,locale,client\r\n"
		"\"smith, jo\",privacy,v1,2026-01-02,,cy-GB,\"old \"\"portal\"\"\"\r\n"
		"ann,privacy,2,2026-01-12T09:30:00Z,web,,\r\n"
		"\r\n"
		"bo,terms,1,2026-01-03,email,,";
	assert_int_equal(gate_import_csv(f->g, csv, strlen(csv), &r), 0);
	assert_int_equal(r.rows, 3);
	assert_int_equal(r.recorded, 3);
	assert_int_equal(r.skipped, 0);
	assert_int_equal(r.users_added, 3);
	assert_int_equal(gate_check(f->g, "smith, jo", "privacy", &d), GATE_BLOCK);
	assert_int_equal(d.accepted, 1);
	assert_true(d.accepted_at == T0 + DAY);
	assert_int_equal(gate_check(f->g, "ann", "privacy", &d), GATE_NOTIFY);
	assert_true(d.accepted_at == T0 + 11 * DAY + 9 * 3600000LL + 30 * 60000LL);
	assert_int_equal(gate_user_export(f->g, "smith, jo", &out), 0);
	assert_non_null(strstr(out.ptr, "\"locale\": \"cy-GB\""));
	assert_non_null(strstr(out.ptr, "\"method\": \"import\", \"client\": \"old \\\"portal\\\"\""));
	gate_buf_dispose(&out);
	/* By user, whatever the file's order. */
	assert_int_equal(raw_int(f, "SELECT at FROM events WHERE seq = 1"), T0 + 11 * DAY + 9 * 3600000LL + 30 * 60000LL);
	assert_int_equal(raw_int(f, "SELECT at FROM events WHERE seq = 3"), T0 + DAY);
	assert_int_equal(gate_verify(f->g, NULL), 0);

	/* The same file again: every row is already recorded. */
	assert_int_equal(gate_import_csv(f->g, csv, strlen(csv), &r), 0);
	assert_int_equal(r.rows, 3);
	assert_int_equal(r.recorded, 0);
	assert_int_equal(r.skipped, 3);
	assert_int_equal(r.users_added, 0);
	assert_int_equal(events_of(f), 3);
}

static void test_a_bad_row_in_the_middle_leaves_nothing(void **state)
{
	fixture *f = *state;
	char csv[4096];
	gate_import_result r;
	size_t len = 0;

	len += (size_t)snprintf(csv + len, sizeof(csv) - len, "user,doc,version,accepted_at\n");
	for (int i = 0; i < 20; i++)
		len += (size_t)snprintf(csv + len, sizeof(csv) - len, "u%d,privacy,1,2026-01-05\n", i);
	len += (size_t)snprintf(csv + len, sizeof(csv) - len, "u99,privacy,9,2026-01-05\n");
	for (int i = 20; i < 30; i++)
		len += (size_t)snprintf(csv + len, sizeof(csv) - len, "u%d,privacy,1,2026-01-05\n", i);
	assert_int_equal(gate_import_csv(f->g, csv, len, &r), GATE_ENOTFOUND);
	assert_string_equal(gate_error_last()->message, "line 22: privacy v9 does not exist; latest is v3");
	assert_int_equal(r.recorded, 0);
	assert_int_equal(events_of(f), 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM subjects"), 0);

	/* A rule broken while appending (here: going back in time for bob) also rolls everything back. */
	accept(f, "bob", "privacy", 2);
	len = (size_t)snprintf(csv, sizeof(csv), "user,doc,version,accepted_at\nann,privacy,1,2026-01-05\n"
		"bob,privacy,1,2026-01-06\ncid,terms,1,2026-01-07\n");
	assert_int_equal(gate_import_csv(f->g, csv, len, &r), GATE_ECONFLICT);
	assert_non_null(strstr(gate_error_last()->message,
		"line 3: bob already accepted privacy v2 (on 2026-01-31T00:00:00Z); an acceptance of the older v1 cannot be recorded after it"));
	assert_int_equal(events_of(f), 1);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM subjects"), 1);
	assert_int_equal(gate_verify(f->g, NULL), 0);
}

static void test_import_takes_each_users_rows_in_time_order(void **state)
{
	fixture *f = *state;
	const char *csv = "user,doc,version,accepted_at\n"
		"ann,privacy,2,2026-01-12\nbob,privacy,1,2026-01-01\nann,privacy,1,2026-01-02\n";
	gate_import_result r;
	gate_decision d;

	assert_int_equal(gate_import_csv(f->g, csv, strlen(csv), &r), 0);
	assert_int_equal(r.recorded, 3);
	assert_int_equal(gate_check(f->g, "ann", "privacy", &d), GATE_NOTIFY);
	assert_int_equal(d.accepted, 2);
	assert_int_equal(raw_int(f, "SELECT n FROM events WHERE seq = 1"), 1);
	assert_int_equal(raw_int(f, "SELECT n FROM events WHERE seq = 2"), 2);
	assert_int_equal(gate_verify(f->g, NULL), 0);
}

static void test_import_refuses_malformed_csv_naming_the_line(void **state)
{
	static const struct {
		const char *csv;
		const char *message;
	} cases[] = {
		{ "", "the CSV is empty" },
		{ "user,doc,version\n", "line 1: the header has no 'accepted_at' column" },
		{ "user,doc,version,accepted_at,colour\n", "line 1: unknown column 'colour'" },
		{ "user,doc,version,accepted_at,user\n", "line 1: column 'user' appears twice" },
		{ "user,doc,version,accepted_at\na,privacy,1\n", "line 2: 3 fields; the header has 4" },
		{ "user,doc,version,accepted_at\n\"a,privacy,1,2026-01-01\n", "line 2: field 1 opens a quote that is never closed" },
		{ "user,doc,version,accepted_at\n\"a\"b,privacy,1,2026-01-01\n", "line 2: text follows the closing quote of field 1" },
		{ "user,doc,version,accepted_at\na\"b,privacy,1,2026-01-01\n", "line 2: a quote inside unquoted field 1" },
		{ "user,doc,version,accepted_at\na,privacy,one,2026-01-01\n", "line 2: version 'one' is not a version number" },
		{ "user,doc,version,accepted_at\na,privacy,1,yesterday\n", "line 2: accepted_at 'yesterday' is not a date or time" },
		{ "user,doc,version,accepted_at\na,privacy,1,2027-01-01\n", "line 2: accepted_at 2027-01-01 is in the future" },
		{ "user,doc,version,accepted_at,method\na,privacy,1,2026-01-01,Web Form\n", "line 2: method 'Web Form' must be" },
		{ "user,doc,version,accepted_at\n,privacy,1,2026-01-01\n", "line 2: user id is empty" },
		{ "user,doc,version,accepted_at\na,cookies,1,2026-01-01\n", "line 2: document 'cookies' has no published version" },
		{ "user,doc,version,accepted_at\na,privacy,1,2026-01-01\nb,privacy,v0,2026-01-01\n", "line 3: version 'v0'" },
	};
	fixture *f = *state;
	gate_import_result r;

	for (size_t i = 0; i < GATE__ARRAY_SIZE(cases); i++) {
		int rc = gate_import_csv(f->g, cases[i].csv, strlen(cases[i].csv), &r);

		if (rc >= 0 || !strstr(gate_error_last()->message, cases[i].message))
			fail_msg("case %zu: rc %d, '%s', expected '%s'", i, rc, gate_error_last()->message, cases[i].message);
	}
	assert_int_equal(events_of(f), 0);
}

/* --- accepting ------------------------------------------------------------------------------- */

static void test_accept_rules(void **state)
{
	fixture *f = *state;
	gate_receipt r, again;
	const gate_version_info *v;
	char long_id[300], long_method[40];

	assert_int_equal(gate_accept(f->g, "alice", "privacy", 2, "cy-GB", "desktop-dialog", "acme 4.2", &r), 0);
	assert_int_equal(r.recorded, 1);
	assert_int_equal(r.seq, 1);
	assert_int_equal(r.type, GATE_EVENT_ACCEPT);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.locale, "en-GB"); /* v2 has no cy-GB: the default locale's text was shown */
	assert_int_equal(gate_version_lookup(f->g, "privacy", 2, &v), 0);
	assert_string_equal(r.commit_oid, v->commit_oid);
	assert_string_equal(r.blob_oid, v->locales[0].blob_oid);
	assert_true(r.at == f->now);
	assert_int_equal(strlen(r.hash), 64);

	/* The same version again: nothing new, the first event's receipt. */
	f->now += 5000;
	assert_int_equal(gate_accept(f->g, "alice", "privacy", 2, NULL, NULL, NULL, &again), 0);
	assert_int_equal(again.recorded, 0);
	assert_int_equal(again.seq, 1);
	assert_string_equal(again.hash, r.hash);
	assert_true(again.at == r.at);

	/* Older than one accepted: refused. */
	assert_int_equal(gate_accept(f->g, "alice", "privacy", 1, NULL, NULL, NULL, &again), GATE_ECONFLICT);
	assert_string_equal(gate_error_last()->message, "alice already accepted privacy v2; accepting the older v1 is refused");
	assert_int_equal(again.recorded, 0);
	assert_int_equal(events_of(f), 1);

	assert_int_equal(gate_accept(f->g, "alice", "privacy", 9, NULL, NULL, NULL, NULL), GATE_ENOTFOUND);
	assert_string_equal(gate_error_last()->message, "privacy v9 does not exist; latest is v3");
	assert_int_equal(gate_accept(f->g, "alice", "cookies", 1, NULL, NULL, NULL, NULL), GATE_ENOTFOUND);
	assert_non_null(strstr(gate_error_last()->message, "document 'cookies' has no published version"));

	assert_int_equal(gate_accept(f->g, "", "privacy", 3, NULL, NULL, NULL, NULL), GATE_EINVALID);
	assert_int_equal(gate_accept(f->g, "al\tice", "privacy", 3, NULL, NULL, NULL, NULL), GATE_EINVALID);
	assert_non_null(strstr(gate_error_last()->message, "control character"));
	memset(long_id, 'x', 257);
	long_id[257] = '\0';
	assert_int_equal(gate_accept(f->g, long_id, "privacy", 3, NULL, NULL, NULL, NULL), GATE_EINVALID);
	long_id[256] = '\0';
	assert_int_equal(gate_accept(f->g, long_id, "privacy", 3, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(gate_accept(f->g, "bob", "privacy", 3, NULL, "\xff\xfe", NULL, NULL), GATE_EINVALID);

	assert_int_equal(gate_accept(f->g, "bob", "privacy", 3, NULL, "Desktop", NULL, NULL), GATE_EINVALID);
	assert_non_null(strstr(gate_error_last()->message, "method 'Desktop' must be 1 to 32 characters of a-z, 0-9"));
	assert_int_equal(gate_accept(f->g, "bob", "privacy", 3, NULL, "", NULL, NULL), GATE_EINVALID);
	assert_int_equal(gate_accept(f->g, "bob", "privacy", 3, NULL, "web form", NULL, NULL), GATE_EINVALID);
	memset(long_method, 'a', 33);
	long_method[33] = '\0';
	assert_int_equal(gate_accept(f->g, "bob", "privacy", 3, NULL, long_method, NULL, NULL), GATE_EINVALID);
	long_method[32] = '\0';
	assert_int_equal(gate_accept(f->g, "bob", "privacy", 3, NULL, long_method, "v1\n", NULL), GATE_EINVALID);
	assert_non_null(strstr(gate_error_last()->message, "client string contains a control character"));
	assert_int_equal(gate_accept(f->g, "bob", "privacy", 3, "xx_YY!", long_method, NULL, NULL), GATE_EINVALID);
	assert_int_equal(events_of(f), 2);
	assert_int_equal(gate_accept(f->g, "bob", "privacy", 3, "EN-gb", long_method, "app.v1-2", &r), 0);
	assert_string_equal(r.locale, "en-GB");
	assert_int_equal(gate_verify(f->g, NULL), 0);
}

/* --- users -------------------------------------------------------------------------------------- */

typedef struct {
	char names[8][32];
	int64_t seen[8];
	size_t count;
} user_list;

static int list_user(const char *user, int64_t first_seen, void *payload)
{
	user_list *l = payload;

	if (l->count < 8) {
		snprintf(l->names[l->count], sizeof(l->names[0]), "%s", user);
		l->seen[l->count++] = first_seen;
	}
	return 0;
}

static int stop_at_two(const char *user, int64_t first_seen, void *payload)
{
	(void)user;
	(void)first_seen;
	return ++*(int *)payload == 2 ? 42 : 0;
}

static void test_users_are_added_in_one_transaction_and_listed_in_order(void **state)
{
	fixture *f = *state;
	const char *bad[] = { "dora", "ed", "fi\x01" };
	const char *good[] = { "dora", "carl", "ed", "carl" };
	const char *list = "\xEF\xBB\xBFzoe\r\n\r\nyann\nxavier";
	const char *csv = "email,user\nx@example.org,\"wu, li\"\ny@example.org,vera\n";
	user_list l;
	size_t added = 99, rows;
	int calls = 0;

	accept(f, "bert", "privacy", 1);
	assert_int_equal(gate_users_add(f->g, bad, 3, &added), GATE_EINVALID);
	assert_non_null(strstr(gate_error_last()->message, "user 3: user id contains a control character"));
	assert_int_equal(raw_int(f, "SELECT count(*) FROM subjects"), 1);
	f->now = T0 + 40 * DAY;
	assert_int_equal(gate_users_add(f->g, good, 4, &added), 0);
	assert_int_equal(added, 3);
	assert_int_equal(gate_users_add(f->g, good, 2, &added), 0);
	assert_int_equal(added, 0);

	memset(&l, 0, sizeof(l));
	assert_int_equal(gate_users_each(f->g, list_user, &l), 0);
	assert_int_equal(l.count, 4);
	assert_string_equal(l.names[0], "bert");
	assert_string_equal(l.names[1], "carl");
	assert_string_equal(l.names[2], "dora");
	assert_string_equal(l.names[3], "ed");
	assert_true(l.seen[0] == T0 + 30 * DAY); /* first seen at the first acceptance */
	assert_true(l.seen[1] == T0 + 40 * DAY);
	assert_int_equal(gate_users_each(f->g, stop_at_two, &calls), 42);
	assert_int_equal(calls, 2);

	assert_int_equal(gate_users_import(f->g, list, strlen(list), &rows, &added), 0);
	assert_int_equal(rows, 3);
	assert_int_equal(added, 3);
	assert_int_equal(gate_users_import(f->g, csv, strlen(csv), &rows, &added), 0);
	assert_int_equal(rows, 2);
	assert_int_equal(added, 2);
	memset(&l, 0, sizeof(l));
	assert_int_equal(gate_users_each(f->g, list_user, &l), 0);
	assert_int_equal(l.count, 8);
	assert_string_equal(l.names[5], "wu, li");
	assert_string_equal(l.names[7], "yann");
	assert_int_equal(gate_users_import(f->g, "a\nb\n\n\x7f\n", 7, &rows, &added), GATE_EINVALID);
	assert_non_null(strstr(gate_error_last()->message, "line 4: user id contains a control character"));
	assert_int_equal(gate_users_import(f->g, "user\nok\n\"broken\n", 16, &rows, &added), GATE_EINVALID);
	assert_non_null(strstr(gate_error_last()->message, "line 3: field 1 opens a quote that is never closed"));
	assert_int_equal(raw_int(f, "SELECT count(*) FROM subjects"), 9);
	assert_int_equal(gate_verify(f->g, NULL), 0);
}

/* --- opening ------------------------------------------------------------------------------------- */

static void test_a_read_only_handle_checks_but_never_writes(void **state)
{
	fixture *f = *state;
	gate_decision d;
	gate *ro;
	char missing[4200];

	accept(f, "alice", "privacy", 3);
	ro = open_db(f, GATE_OPEN_READONLY);
	assert_int_equal(gate_check(ro, "alice", "privacy", &d), GATE_ALLOW);
	assert_int_equal(gate_verify(ro, NULL), 0);
	assert_int_equal(gate_accept(ro, "bob", "privacy", 3, NULL, NULL, NULL, NULL), GATE_EIO);
	assert_non_null(strstr(gate_error_last()->message, "read-only"));
	assert_int_equal(gate_user_forget(ro, "alice"), GATE_EIO);
	gate_free(ro);
	assert_int_equal(events_of(f), 1);

	snprintf(missing, sizeof(missing), "%s/missing.db", f->dir);
	{
		memsrc *m = standard_source("one\n");
		gate_options o = GATE_OPTIONS_INIT;

		o.db_path = missing;
		o.flags = GATE_OPEN_READONLY;
		assert_int_equal(memsrc_open_with(&ro, m, &o), 0);
		assert_int_equal(gate_check(ro, "alice", "privacy", &d), GATE_ENOTFOUND);
		assert_int_equal(d.outcome, GATE_BLOCK);
		assert_non_null(strstr(gate_error_last()->message, "missing.db"));
		gate_free(ro);
	}
}

static void test_an_empty_file_is_migrated_to_the_current_schema(void **state)
{
	fixture *f = *state;
	gate *g;

	gate_free(f->g);
	f->g = NULL;
	snprintf(f->db, sizeof(f->db), "%s/empty.db", f->dir);
	tmp_write(f->db, "", 0);
	g = open_db(f, 0);
	assert_int_equal(gate_accept(g, "alice", "privacy", 1, NULL, NULL, NULL, NULL), 0);
	gate_free(g);
	assert_int_equal(raw_int(f, "PRAGMA user_version"), 1);
	assert_int_equal(events_of(f), 1);
	f->g = open_db(f, 0);
	assert_int_equal(gate_verify(f->g, NULL), 0);
}

static void test_files_that_are_not_acceptance_databases_are_refused(void **state)
{
	fixture *f = *state;
	gate_decision d;
	sqlite3 *db;
	gate *g;

	gate_free(f->g);
	f->g = NULL;
	/* Text. */
	snprintf(f->db, sizeof(f->db), "%s/notes.txt", f->dir);
	tmp_write(f->db, "Dear diary, today I wrote a file that is not a database at all.\n",
		strlen("Dear diary, today I wrote a file that is not a database at all.\n"));
	g = open_db(f, 0);
	assert_int_equal(gate_accept(g, "alice", "privacy", 1, NULL, NULL, NULL, NULL), GATE_ECORRUPT);
	assert_non_null(strstr(gate_error_last()->message, "notes.txt is damaged or not an acceptance database"));
	assert_int_equal(gate_check(g, "alice", "privacy", &d), GATE_ECORRUPT);
	gate_free(g);
	/* Another application's SQLite database is left alone. */
	snprintf(f->db, sizeof(f->db), "%s/other.db", f->dir);
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE recipes (name TEXT)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	g = open_db(f, 0);
	assert_int_equal(gate_accept(g, "alice", "privacy", 1, NULL, NULL, NULL, NULL), GATE_EINVALID);
	assert_non_null(strstr(gate_error_last()->message, "is an SQLite database of something else"));
	gate_free(g);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM sqlite_master"), 1);
	/* A newer schema than this library knows. */
	snprintf(f->db, sizeof(f->db), "%s/newer.db", f->dir);
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	g = open_db(f, 0);
	assert_int_equal(gate_check(g, "alice", "privacy", &d), GATE_ENOTSUPPORTED);
	assert_non_null(strstr(gate_error_last()->message, "newer libgate (schema 99"));
	gate_free(g);
}

static void test_a_writer_that_holds_the_lock_too_long_gives_elocked(void **state)
{
	fixture *f = *state;
	sqlite3 *db;
	gate *g;
	gate_decision d;

	accept(f, "alice", "privacy", 1);
	assert_int_equal(open_source(&g, f, standard_source("one\n"), 0, 50), 0);
	db = raw(f);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(gate_accept(g, "bob", "privacy", 1, NULL, NULL, NULL, NULL), GATE_ELOCKED);
	assert_non_null(strstr(gate_error_last()->message, "locked by another process for longer than the busy timeout (50 ms)"));
	/* Readers are not blocked by a writer (WAL). */
	assert_int_equal(gate_check(g, "alice", "privacy", &d), GATE_BLOCK);
	assert_int_equal(d.accepted, 1);
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(gate_accept(g, "bob", "privacy", 1, NULL, NULL, NULL, NULL), 0);
	gate_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_the_schema_is_versioned_wal_and_keyed_for_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_cannot_be_updated_or_deleted, setup, teardown),
		cmocka_unit_test(test_the_event_hash_follows_the_documented_encoding),
		cmocka_unit_test_setup_teardown(test_each_event_is_chained_to_the_one_before, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_catches_an_edited_field, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_catches_a_deleted_event, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_catches_a_deleted_last_event_through_the_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_catches_reordered_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_catches_a_relinked_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_catches_an_oid_the_repository_does_not_have, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_catches_edited_derived_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forget_erases_the_id_everywhere_and_verify_still_passes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_export_gives_the_evidence_for_one_user, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_records_quoted_csv_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_bad_row_in_the_middle_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_takes_each_users_rows_in_time_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_refuses_malformed_csv_naming_the_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accept_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_users_are_added_in_one_transaction_and_listed_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_read_only_handle_checks_but_never_writes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_an_empty_file_is_migrated_to_the_current_schema, setup, teardown),
		cmocka_unit_test_setup_teardown(test_files_that_are_not_acceptance_databases_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_writer_that_holds_the_lock_too_long_gives_elocked, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
