/* store_sqlite.c: the embedded acceptance store: one SQLite database (WAL, versioned schema,
 * append-only events, derived per-user state), behind the gate__store_ops interface. */
#include "store.h"
#include "text.h"

#include <errno.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* The schema, one forward step per version: migrations[i] takes user_version i to i + 1.
 * A step is never edited once released; changes come as new steps. */
static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE subjects ("
	"  user TEXT NOT NULL PRIMARY KEY,"       /* the raw id: only here and in states */
	"  salt BLOB NOT NULL,"
	"  commitment BLOB NOT NULL,"             /* SHA-256(salt || user), what events name */
	"  first_seen INTEGER NOT NULL"
	") WITHOUT ROWID;"
	"CREATE TABLE events ("
	"  seq INTEGER PRIMARY KEY,"
	"  type INTEGER NOT NULL,"
	"  subject BLOB NOT NULL,"
	"  doc TEXT NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  locale TEXT NOT NULL,"
	"  commit_oid TEXT NOT NULL,"
	"  blob_oid TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  method TEXT NOT NULL,"
	"  client TEXT NOT NULL,"
	"  prev BLOB NOT NULL,"
	"  hash BLOB NOT NULL"
	");"
	"CREATE INDEX events_by_subject ON events (subject);" /* (subject, seq): a user's events in order */
	"CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'acceptance events are append-only: an event cannot be changed'); END;"
	"CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'acceptance events are append-only: an event cannot be deleted'); END;"
	/* Derived from the events, updated in the same transaction; keyed for
	 * gate_check(): one point lookup on (user, doc). */
	"CREATE TABLE states ("
	"  user TEXT NOT NULL,"
	"  doc TEXT NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  revoked INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  PRIMARY KEY (user, doc)"
	") WITHOUT ROWID;",
};

#define SCHEMA_VERSION ((int)GATE__ARRAY_SIZE(migrations))

#define EVENT_COLUMNS "seq, type, subject, doc, n, locale, commit_oid, blob_oid, at, method, client, prev, hash"

typedef enum {
	ST_BEGIN, ST_COMMIT, ST_ROLLBACK,
	ST_LATEST, ST_SUBJECT, ST_USER_LOAD, ST_SUBJECT_INSERT, ST_MAX_USER, ST_FIRST_SEEN, ST_HEAD,
	ST_HAS_ACCEPT, ST_COUNT_EVENTS, ST_COUNT_USERS, ST_COUNT_STATES,
	ST_REPLAY, ST_REPLAY_SUBJECT, ST_EACH_USER, ST_EACH_USER_DOC, ST_EACH_USER_ACTS,
	ST_FORGET_STATES, ST_FORGET_SUBJECT,
	ST__COUNT
} stmt_id;

static const char *const stmt_sql[ST__COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_LATEST] = "SELECT n, revoked, at, seq FROM states WHERE user = ?1 AND doc = ?2",
	[ST_SUBJECT] = "SELECT salt, commitment, first_seen FROM subjects WHERE user = ?1",
	/* A user's subject row and every state of theirs, in one lookup. */
	[ST_USER_LOAD] = "SELECT s.commitment, s.first_seen, t.doc, t.n, t.revoked, t.at, t.seq FROM subjects s"
		" LEFT JOIN states t ON t.user = s.user WHERE s.user = ?1",
	[ST_SUBJECT_INSERT] = "INSERT INTO subjects (user, salt, commitment, first_seen) VALUES (?1, ?2, ?3, ?4)"
		" ON CONFLICT (user) DO NOTHING",
	[ST_MAX_USER] = "SELECT max(user) FROM subjects",
	[ST_FIRST_SEEN] = "UPDATE subjects SET first_seen = ?2 WHERE user = ?1 AND first_seen > ?2",
	[ST_HEAD] = "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1",
	[ST_HAS_ACCEPT] = "SELECT 1 FROM events WHERE subject = ?1 AND doc = ?2 AND n = ?3 AND type = 1 LIMIT 1",
	[ST_COUNT_EVENTS] = "SELECT count(*) FROM events",
	[ST_COUNT_USERS] = "SELECT count(*) FROM subjects",
	[ST_COUNT_STATES] = "SELECT count(*) FROM states",
	[ST_REPLAY] = "SELECT " EVENT_COLUMNS " FROM events WHERE seq >= ?1 ORDER BY seq",
	[ST_REPLAY_SUBJECT] = "SELECT " EVENT_COLUMNS " FROM events WHERE subject = ?2 AND seq >= ?1 ORDER BY seq",
	[ST_EACH_USER] = "SELECT s.user, s.first_seen, s.commitment, t.doc, t.n, t.revoked, t.at, t.seq"
		" FROM subjects s LEFT JOIN states t ON t.user = s.user ORDER BY s.user, t.doc",
	[ST_EACH_USER_DOC] = "SELECT s.user, s.first_seen, s.commitment, t.doc, t.n, t.revoked, t.at, t.seq"
		" FROM subjects s LEFT JOIN states t ON t.user = s.user AND t.doc = ?1 ORDER BY s.user",
	/* The subjects in key order, each user's events found through
	 * events_by_subject and sorted per user: no sort of the whole log. */
	[ST_EACH_USER_ACTS] = "SELECT s.user, s.first_seen, e.seq, e.type, e.n, e.at, e.doc"
		" FROM subjects s LEFT JOIN events e ON e.subject = s.commitment"
		" ORDER BY s.user, e.doc, e.seq",
	[ST_FORGET_STATES] = "DELETE FROM states WHERE user = ?1",
	[ST_FORGET_SUBJECT] = "DELETE FROM subjects WHERE user = ?1",
};

/*
 * Appends are written in batches: rows wait in memory and go in as
 * multi-row INSERTs of up to BATCH_ROWS rows, which spares SQLite most of
 * its cost per statement (opening cursors, building and freeing records).
 * They are written before anything reads the tables and before the commit,
 * so that no reader, in this process or another, can tell. Every statement
 * is also sized by powers of two, so a batch of any size takes a few of them.
 */
#define BATCH_ROWS 32
#define BATCH_SIZES 6           /* statements for 32, 16, 8, 4, 2 and 1 rows */
#define SALT_POOL 64            /* salts drawn at once inside a batch */

typedef enum { BULK_SUBJECTS, BULK_EVENTS, BULK_STATES, BULK__COUNT } bulk_id;

/*
 * OR FAIL: a failed statement keeps the rows before it in the statement
 * instead of undoing them through a statement journal, which costs a copy
 * of every page a multi-row statement touches. Any failure makes the whole
 * transaction roll back anyway (append, begin/commit and their callers).
 */
static const struct {
	const char *head;
	int columns;
	const char *tail;
} bulk_sql[BULK__COUNT] = {
	[BULK_SUBJECTS] = { "INSERT OR FAIL INTO subjects (user, salt, commitment, first_seen) VALUES ", 4, "" },
	[BULK_EVENTS] = { "INSERT OR FAIL INTO events (" EVENT_COLUMNS ") VALUES ", 13, "" },
	[BULK_STATES] = { "INSERT OR FAIL INTO states (user, doc, n, revoked, at, seq) VALUES ", 6,
		" ON CONFLICT (user, doc) DO UPDATE SET n = excluded.n, revoked = excluded.revoked,"
		" at = excluded.at, seq = excluded.seq" },
};

/* A user with rows waiting in the batch. */
typedef struct {
	char user[GATE__USER_MAX + 1];
	bool is_new;                                /* their subject row waits too */
	unsigned char salt[GATE__SALT_BYTES];
	unsigned char commitment[GATE__HASH_BYTES];
	int64_t first_seen;
} pending_user;

typedef struct {
	gate__event ev;
	size_t user;                                /* in batch.users */
} pending_event;

/* The user appended to last, as the database plus the batch has them:
 * consecutive appends for one user (an import's rows) look them up once. */
typedef struct {
	bool valid;
	char user[GATE__USER_MAX + 1];
	size_t len;
	bool known;                                 /* has a subject row */
	unsigned char commitment[GATE__HASH_BYTES];
	int64_t first_seen;
	long pending;                               /* in batch.users, or -1 */
	gate__state *states;                        /* every document's */
	size_t state_count, state_alloc;
} current_user;

typedef struct {
	current_user cur;
	/* The greatest id the subjects table can hold in this batch: a user
	 * whose id sorts after it is new without a lookup, as every user of an
	 * import into an empty log is (an import goes in id order). */
	bool top_known, top_none;
	char top[GATE__USER_MAX + 1];
	pending_user users[BATCH_ROWS];
	size_t user_count;
	pending_event events[BATCH_ROWS];
	size_t event_count;
	unsigned char salts[SALT_POOL * GATE__SALT_BYTES];
	size_t salts_left;
	gate__oid_memo memo;
} write_batch;

typedef struct sqlite_store {
	gate_store base;
	sqlite3 *db;
	char *path;
	unsigned int flags;
	int busy_timeout_ms;
	sqlite3_stmt *stmts[ST__COUNT]; /* prepared on first use, kept for the handle's life */
	sqlite3_stmt *bulk[BULK__COUNT][BATCH_SIZES];
	bool in_tx;                     /* an explicit begin() is open */
	/* The chain head, known while a write transaction is open. */
	bool head_known;
	int64_t head_seq;
	unsigned char head_hash[GATE__HASH_BYTES];
	write_batch *batch;             /* allocated at the first append */
} sqlite_store;

/* --- errors ---------------------------------------------------------------------------- */

/* The system's reason for an I/O failure that just happened, when SQLite
 * kept it or errno still holds one of the reasons a write or an open can
 * fail with (errno may hold an unrelated, earlier ENOENT, so only these). */
static int io_errno(sqlite_store *s)
{
	int e = s->db ? sqlite3_system_errno(s->db) : 0;

	if (e)
		return e;
	e = errno;
	switch (e) {
	case EFBIG: case ENOSPC: case EDQUOT: case EIO: case EROFS: case EACCES: case EPERM:
		return e;
	}
	return 0;
}

/* Records SQLite's error `rc` as a gate error about `what`, and returns its code. */
static int db_fail(sqlite_store *s, int rc, const char *what)
{
	int sys = io_errno(s);
	const char *msg = s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return gate__error_set(GATE_ELOCKED,
			"%s: the acceptance database %s stayed locked by another process for longer than the busy timeout (%d ms)",
			what, s->path, s->busy_timeout_ms);
	case SQLITE_READONLY:
		return gate__error_set(GATE_EIO, "%s: the acceptance database %s is read-only (%s)",
			what, s->path, msg);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return gate__error_set(GATE_ECORRUPT, "%s: %s is damaged or not an acceptance database (%s)",
			what, s->path, msg);
	case SQLITE_NOMEM:
		return gate__error_oom();
	case SQLITE_CONSTRAINT:
		return gate__error_set(GATE_ECONFLICT, "%s: %s refused the change: %s", what, s->path, msg);
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
		/* SQLite says "disk I/O error"; the system's reason says what to fix. */
		return gate__error_set(GATE_EIO, "%s: cannot use the acceptance database %s: %s%s%s%s", what, s->path,
			msg, sys ? " (" : "", sys ? strerror(sys) : "", sys ? ")" : "");
	default:
		return gate__error_set(GATE_ERROR, "%s: acceptance database %s: %s", what, s->path, msg);
	}
}

static bool busy(int rc)
{
	return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void nap(void)
{
	struct timespec ts = { 0, 2 * 1000000L };

	nanosleep(&ts, NULL);
}

/* Runs setup SQL, retrying while another process holds a lock SQLite will
 * not wait for by itself (switching to WAL), up to the busy timeout. */
static int exec_retry(sqlite_store *s, const char *sql, const char *what)
{
	int64_t deadline = mono_ms() + s->busy_timeout_ms;
	int rc;

	while (busy(rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL)) && mono_ms() < deadline)
		nap();
	return rc == SQLITE_OK ? 0 : db_fail(s, rc, what);
}

/* Reads the first row of a setup query, retrying like exec_retry(): column 0
 * as an integer (`num`) or text (`text`), column 1 as an integer (`num2`). */
static int pragma_get(sqlite_store *s, const char *sql, int64_t *num, int64_t *num2, char *text, size_t text_size)
{
	int64_t deadline = mono_ms() + s->busy_timeout_ms;
	sqlite3_stmt *st = NULL;
	int rc;

	for (;;) {
		rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_step(st);
		if (!busy(rc) || mono_ms() >= deadline)
			break;
		sqlite3_finalize(st);
		st = NULL;
		nap();
	}
	if (rc != SQLITE_ROW) {
		rc = db_fail(s, rc == SQLITE_DONE ? SQLITE_ERROR : rc, "cannot read the database's settings");
		sqlite3_finalize(st);
		return rc;
	}
	if (num)
		*num = sqlite3_column_int64(st, 0);
	if (num2)
		*num2 = sqlite3_column_int64(st, 1);
	if (text) {
		const unsigned char *t = sqlite3_column_text(st, 0);

		snprintf(text, text_size, "%s", t ? (const char *)t : "");
	}
	sqlite3_finalize(st);
	return 0;
}

/* --- statements and transactions --------------------------------------------------------- */

static int prep(sqlite_store *s, stmt_id id, sqlite3_stmt **out)
{
	int rc;

	if (!s->stmts[id] &&
	    (rc = sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s->stmts[id], NULL)) != SQLITE_OK)
		return db_fail(s, rc, "cannot prepare a query");
	*out = s->stmts[id];
	return 0;
}

static void done_with(sqlite3_stmt *st)
{
	/* Bindings are left: every use binds all its parameters again. */
	sqlite3_reset(st);
}

/* Runs a statement that returns no row. */
static int run(sqlite_store *s, stmt_id id, const char *what)
{
	sqlite3_stmt *st = NULL;
	int rc, error;

	if ((error = prep(s, id, &st)) < 0)
		return error;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(s, rc, what);
}

/* --- rows waiting in the batch ------------------------------------------------------------- */

/* The statement writing 2^(BATCH_SIZES - 1 - k) rows of `id`. */
static int prep_bulk(sqlite_store *s, bulk_id id, int k, sqlite3_stmt **out)
{
	gate_buf sql = GATE_BUF_INIT;
	int rows = 1 << (BATCH_SIZES - 1 - k), rc, error = 0;

	if (!s->bulk[id][k]) {
		if (gate__buf_puts(&sql, bulk_sql[id].head) < 0)
			return GATE_ENOMEM;
		for (int r = 0; r < rows && !error; r++) {
			error = gate__buf_puts(&sql, r ? ",(" : "(");
			for (int c = 0; c < bulk_sql[id].columns && !error; c++)
				error = gate__buf_puts(&sql, c ? ",?" : "?");
			if (!error)
				error = gate__buf_putc(&sql, ')');
		}
		if (!error)
			error = gate__buf_puts(&sql, bulk_sql[id].tail);
		if (error < 0) {
			gate_buf_dispose(&sql);
			return GATE_ENOMEM;
		}
		rc = sqlite3_prepare_v3(s->db, sql.ptr, (int)sql.size + 1, SQLITE_PREPARE_PERSISTENT, &s->bulk[id][k], NULL);
		gate_buf_dispose(&sql);
		if (rc != SQLITE_OK)
			return db_fail(s, rc, "cannot prepare a query");
	}
	*out = s->bulk[id][k];
	return 0;
}

static void bind_str(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v, (int)strlen(v), SQLITE_STATIC);
}

/* Each binds one row to the parameters from `p` on. */
static void bind_subject(sqlite3_stmt *st, int p, const pending_user *u)
{
	bind_str(st, p, u->user);
	sqlite3_bind_blob(st, p + 1, u->salt, GATE__SALT_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(st, p + 2, u->commitment, GATE__HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, p + 3, u->first_seen);
}

static void bind_event(sqlite3_stmt *st, int p, const gate__event *ev)
{
	sqlite3_bind_int64(st, p, ev->seq);
	sqlite3_bind_int(st, p + 1, ev->type);
	sqlite3_bind_blob(st, p + 2, ev->subject, GATE__HASH_BYTES, SQLITE_STATIC);
	bind_str(st, p + 3, ev->doc);
	sqlite3_bind_int64(st, p + 4, ev->n);
	bind_str(st, p + 5, ev->locale);
	bind_str(st, p + 6, ev->commit_oid);
	bind_str(st, p + 7, ev->blob_oid);
	sqlite3_bind_int64(st, p + 8, ev->at);
	bind_str(st, p + 9, ev->method);
	bind_str(st, p + 10, ev->client);
	sqlite3_bind_blob(st, p + 11, ev->prev, GATE__HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(st, p + 12, ev->hash, GATE__HASH_BYTES, SQLITE_STATIC);
}

/* The state an event leaves its user in for its document. */
static void bind_state(sqlite3_stmt *st, int p, const char *user, const gate__event *ev)
{
	bind_str(st, p, user);
	bind_str(st, p + 1, ev->doc);
	sqlite3_bind_int64(st, p + 2, ev->n);
	sqlite3_bind_int(st, p + 3, ev->type == GATE_EVENT_REVOKE);
	sqlite3_bind_int64(st, p + 4, ev->at);
	sqlite3_bind_int64(st, p + 5, ev->seq);
}

/* Writes rows[0..count) of `id`, which `rows` lists by index into the batch. */
static int bulk_write(sqlite_store *s, bulk_id id, const size_t *rows, size_t count, const char *what)
{
	write_batch *b = s->batch;
	int columns = bulk_sql[id].columns;

	for (size_t done = 0; done < count; ) {
		int k = 0, n, rc, error;
		sqlite3_stmt *st = NULL;

		while ((size_t)(1 << (BATCH_SIZES - 1 - k)) > count - done)
			k++;
		n = 1 << (BATCH_SIZES - 1 - k);
		if ((error = prep_bulk(s, id, k, &st)) < 0)
			return error;
		for (int r = 0; r < n; r++) {
			size_t i = rows[done + (size_t)r];
			int p = r * columns + 1;

			if (id == BULK_SUBJECTS)
				bind_subject(st, p, &b->users[i]);
			else if (id == BULK_EVENTS)
				bind_event(st, p, &b->events[i].ev);
			else
				bind_state(st, p, b->users[b->events[i].user].user, &b->events[i].ev);
		}
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return db_fail(s, rc, what);
		done += (size_t)n;
	}
	return 0;
}

/* Empties the batch; the salts it held are wiped. */
static void pending_clear(write_batch *b)
{
	sodium_memzero(b->users, b->user_count * sizeof(b->users[0]));
	b->event_count = b->user_count = 0;
	b->cur.pending = -1;
}

/* Writes the rows waiting in the batch: new subjects, events, then states. */
static int pending_flush(sqlite_store *s)
{
	write_batch *b = s->batch;
	size_t rows[BATCH_ROWS], count = 0;
	int error;

	if (!b || !b->event_count)
		return 0;
	for (size_t i = 0; i < b->user_count; i++)
		if (b->users[i].is_new)
			rows[count++] = i;
	if ((error = bulk_write(s, BULK_SUBJECTS, rows, count, "cannot register a user")) < 0)
		return error;
	for (size_t i = 0; i < b->event_count; i++)
		rows[i] = i;
	if ((error = bulk_write(s, BULK_EVENTS, rows, b->event_count, "cannot append the event")) < 0 ||
	    (error = bulk_write(s, BULK_STATES, rows, b->event_count, "cannot update the user's state")) < 0)
		return error;
	pending_clear(b);
	return 0;
}

/* Forgets the batch's rows and what it knew of the current user: at the end
 * of a transaction, whether committed or not (another process may write next). */
static void pending_reset(sqlite_store *s)
{
	write_batch *b = s->batch;

	if (!b)
		return;
	pending_clear(b);
	b->cur.valid = false;
	b->top_known = false;
	sodium_memzero(b->salts, b->salts_left * GATE__SALT_BYTES);
	b->salts_left = 0;
}

static void pending_free(sqlite_store *s)
{
	if (!s->batch)
		return;
	pending_reset(s);
	free(s->batch->cur.states);
	free(s->batch);
	s->batch = NULL;
}

/* Every write is in a BEGIN IMMEDIATE transaction: the write lock is taken
 * (waiting up to the busy timeout) before anything is read, so no
 * transaction ever has to upgrade a read lock and fail with SQLITE_BUSY. */
static int tx_begin(sqlite_store *s)
{
	int error = run(s, ST_BEGIN, "cannot start a write");

	s->head_known = false;
	pending_reset(s);
	return error;
}

static int tx_commit(sqlite_store *s)
{
	int error = pending_flush(s);

	if (error == 0)
		error = run(s, ST_COMMIT, "cannot commit");
	s->head_known = false;
	pending_reset(s);
	if (error < 0 && !sqlite3_get_autocommit(s->db))
		run(s, ST_ROLLBACK, "cannot roll back");
	return error;
}

static void tx_rollback(sqlite_store *s)
{
	int code = gate_error_last()->code;
	char *msg = gate__strdup(gate_error_last()->message);

	s->head_known = false;
	pending_reset(s);
	if (!sqlite3_get_autocommit(s->db))
		run(s, ST_ROLLBACK, "cannot roll back");
	/* Keep the error that caused the rollback, not the rollback's own. */
	if (msg) {
		gate__error_set(code, "%s", msg);
		free(msg);
	}
}

static int store_begin(gate_store *base)
{
	sqlite_store *s = (sqlite_store *)base;
	int error;

	if (s->in_tx)
		return gate__error_set(GATE_ERROR, "internal: nested store transaction");
	if ((error = tx_begin(s)) < 0)
		return error;
	/* A batch (an import) inserts into events_by_subject at random places.
	 * When its cache is full SQLite writes dirty pages to the WAL, first
	 * dirtied first, hot or not, and reads them back when they are needed
	 * again: with a cache of an eighth of the database (88 MB at the end)
	 * instead, a 2,000,000-row import made 2.5 times the reads and 1.7
	 * times the writes. The cache only grows as far as it is used. */
	sqlite3_exec(s->db, "PRAGMA cache_size = -262144", NULL, NULL, NULL);
	s->in_tx = true;
	return 0;
}

static void batch_done(sqlite_store *s)
{
	s->in_tx = false;
	sqlite3_exec(s->db, "PRAGMA cache_size = -2000", NULL, NULL, NULL);
}

static int store_commit(gate_store *base)
{
	sqlite_store *s = (sqlite_store *)base;

	int error;

	if (!s->in_tx)
		return gate__error_set(GATE_ERROR, "internal: commit without begin");
	error = tx_commit(s);
	batch_done(s);
	return error;
}

static void store_rollback(gate_store *base)
{
	sqlite_store *s = (sqlite_store *)base;

	if (!s->in_tx)
		return;
	tx_rollback(s);
	batch_done(s);
}

/* --- reading rows -------------------------------------------------------------------------- */

static int bind_text(sqlite3_stmt *st, int i, const char *v)
{
	return sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

/* Copies a text column into a fixed field; false when it does not fit. */
static bool column_copy(sqlite3_stmt *st, int col, char *out, size_t size)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	int len = sqlite3_column_bytes(st, col);

	if (len < 0 || (size_t)len >= size || (t && memchr(t, '\0', (size_t)len))) {
		out[0] = '\0';
		return false;
	}
	memcpy(out, t ? (const char *)t : "", (size_t)len);
	out[len] = '\0';
	return true;
}

static bool column_hash(sqlite3_stmt *st, int col, unsigned char *out)
{
	const void *b = sqlite3_column_blob(st, col);

	if (sqlite3_column_bytes(st, col) != GATE__HASH_BYTES || !b) {
		memset(out, 0, GATE__HASH_BYTES);
		return false;
	}
	memcpy(out, b, GATE__HASH_BYTES);
	return true;
}

/* A state from columns col..col+3 (n, revoked, at, seq); the document is given. */
static void read_state(sqlite3_stmt *st, int col, const char *doc, gate__state *out)
{
	int64_t n = sqlite3_column_int64(st, col);

	memset(out, 0, sizeof(*out));
	if (doc)
		snprintf(out->doc, sizeof(out->doc), "%s", doc);
	out->n = n < 0 || n > UINT32_MAX ? 0 : (unsigned)n;
	out->revoked = sqlite3_column_int(st, col + 1) != 0;
	out->at = sqlite3_column_int64(st, col + 2);
	out->seq = sqlite3_column_int64(st, col + 3);
}

static int read_event(sqlite_store *s, sqlite3_stmt *st, gate__event *ev)
{
	int64_t n = sqlite3_column_int64(st, 4);
	const char *bad = NULL;

	memset(ev, 0, sizeof(*ev));
	ev->seq = sqlite3_column_int64(st, 0);
	ev->type = sqlite3_column_int(st, 1);
	ev->n = n < 0 || n > UINT32_MAX ? 0 : (unsigned)n;
	ev->at = sqlite3_column_int64(st, 8);
	if (!column_hash(st, 2, ev->subject))
		bad = "subject";
	else if (!column_copy(st, 3, ev->doc, sizeof(ev->doc)))
		bad = "doc";
	else if (n < 0 || n > UINT32_MAX)
		bad = "n";
	else if (!column_copy(st, 5, ev->locale, sizeof(ev->locale)))
		bad = "locale";
	else if (!column_copy(st, 6, ev->commit_oid, sizeof(ev->commit_oid)))
		bad = "commit_oid";
	else if (!column_copy(st, 7, ev->blob_oid, sizeof(ev->blob_oid)))
		bad = "blob_oid";
	else if (!column_copy(st, 9, ev->method, sizeof(ev->method)))
		bad = "method";
	else if (!column_copy(st, 10, ev->client, sizeof(ev->client)))
		bad = "client";
	else if (!column_hash(st, 11, ev->prev))
		bad = "prev";
	else if (!column_hash(st, 12, ev->hash))
		bad = "hash";
	if (bad)
		return gate__error_set(GATE_ECORRUPT,
			"event %lld: its %s field cannot be part of an event (wrong size or type): the log in %s was altered",
			(long long)ev->seq, bad, s->path);
	return 0;
}

static int subject_get(sqlite_store *s, const char *user, unsigned char *salt, unsigned char *commitment,
	int64_t *first_seen, bool *found)
{
	sqlite3_stmt *st = NULL;
	int rc, error;

	*found = false;
	if ((error = prep(s, ST_SUBJECT, &st)) < 0)
		return error;
	bind_text(st, 1, user);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const void *salt_col = sqlite3_column_blob(st, 0);

		if (sqlite3_column_bytes(st, 0) != GATE__SALT_BYTES || !salt_col ||
		    !column_hash(st, 1, commitment)) {
			done_with(st);
			return gate__error_set(GATE_ECORRUPT,
				"the subject row of a user in %s has a salt or commitment of the wrong size: the subjects table was altered",
				s->path);
		}
		if (salt)
			memcpy(salt, salt_col, GATE__SALT_BYTES);
		if (first_seen)
			*first_seen = sqlite3_column_int64(st, 2);
		*found = true;
		rc = SQLITE_DONE;
	}
	done_with(st);
	return rc == SQLITE_DONE ? 0 : db_fail(s, rc, "cannot read a user");
}

static int64_t store_now(sqlite_store *s)
{
	return s->base.clock ? s->base.clock(s->base.clock_payload) : gate_time_now();
}

/* Inserts a new subject with a fresh salt; `commitment` receives its commitment. */
static int subject_insert(sqlite_store *s, const char *user, int64_t first_seen,
	unsigned char *commitment, bool *added)
{
	unsigned char salt[GATE__SALT_BYTES];
	sqlite3_stmt *st = NULL;
	int rc, error;

	if ((error = prep(s, ST_SUBJECT_INSERT, &st)) < 0)
		return error;
	randombytes_buf(salt, sizeof(salt));
	gate__subject_commit(salt, user, commitment);
	bind_text(st, 1, user);
	sqlite3_bind_blob(st, 2, salt, sizeof(salt), SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, commitment, GATE__HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, first_seen);
	rc = sqlite3_step(st);
	done_with(st);
	if (rc != SQLITE_DONE)
		return db_fail(s, rc, "cannot register a user");
	*added = sqlite3_changes(s->db) == 1;
	return 0;
}

/* --- the ops ------------------------------------------------------------------------------ */

static int latest_in(sqlite_store *s, const char *user, const char *doc, gate__state *out, bool *found)
{
	sqlite3_stmt *st = NULL;
	int rc, error;

	*found = false;
	if ((error = prep(s, ST_LATEST, &st)) < 0)
		return error;
	bind_text(st, 1, user);
	bind_text(st, 2, doc);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_state(st, 0, doc, out);
		*found = true;
		rc = SQLITE_DONE;
	}
	done_with(st);
	return rc == SQLITE_DONE ? 0 : db_fail(s, rc, "cannot read a user's state");
}

static int store_latest(gate_store *base, const char *user, const char *doc, gate__state *out, bool *found)
{
	sqlite_store *s = (sqlite_store *)base;
	int error;

	*found = false;
	if ((error = pending_flush(s)) < 0)
		return error;
	return latest_in(s, user, doc, out, found);
}

static int head_read(sqlite_store *s, int64_t *seq, unsigned char *hash)
{
	sqlite3_stmt *st = NULL;
	int rc, error;

	*seq = 0;
	memset(hash, 0, GATE__HASH_BYTES);
	if ((error = prep(s, ST_HEAD, &st)) < 0)
		return error;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		if (!column_hash(st, 1, hash)) {
			done_with(st);
			return gate__error_set(GATE_ECORRUPT,
				"event %lld: its hash field has the wrong size: the log in %s was altered",
				(long long)*seq, s->path);
		}
		rc = SQLITE_DONE;
	}
	done_with(st);
	return rc == SQLITE_DONE ? 0 : db_fail(s, rc, "cannot read the last event");
}

static int store_head(gate_store *base, int64_t *seq, unsigned char *hash)
{
	sqlite_store *s = (sqlite_store *)base;
	int error;

	if ((error = pending_flush(s)) < 0)
		return error;
	return head_read(s, seq, hash);
}

static int batch_get(sqlite_store *s, write_batch **out)
{
	if (!s->batch) {
		if (!(s->batch = gate__calloc(1, sizeof(*s->batch))))
			return GATE_ENOMEM;
		s->batch->cur.pending = -1;
	}
	*out = s->batch;
	return 0;
}

/* Reads the greatest id in the subjects table, once a transaction. */
static int top_user_load(sqlite_store *s, write_batch *b)
{
	sqlite3_stmt *st = NULL;
	int rc, error;

	if (b->top_known)
		return 0;
	if ((error = pending_flush(s)) < 0 || (error = prep(s, ST_MAX_USER, &st)) < 0)
		return error;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		b->top_none = sqlite3_column_type(st, 0) == SQLITE_NULL;
		if (!b->top_none && !column_copy(st, 0, b->top, sizeof(b->top))) {
			done_with(st);
			return gate__error_set(GATE_ECORRUPT,
				"a user id in %s is too long or not text: the subjects table was altered", s->path);
		}
		rc = SQLITE_DONE;
	}
	done_with(st);
	if (rc != SQLITE_DONE)
		return db_fail(s, rc, "cannot read the users");
	b->top_known = true;
	return 0;
}

/* Makes `user` the current user, read from the database unless they are
 * current already. Rows of theirs still waiting are written first, so that
 * the lookup sees them. */
static int current_load(sqlite_store *s, const char *user)
{
	write_batch *b;
	current_user *u;
	size_t len = strlen(user);
	sqlite3_stmt *st = NULL;
	int rc, error;

	if ((error = batch_get(s, &b)) < 0)
		return error;
	u = &b->cur;
	if (u->valid && u->len == len && memcmp(u->user, user, len) == 0)
		return 0;
	u->valid = false;
	if (len > GATE__USER_MAX)
		return gate__error_set(GATE_EINVALID, "user id is %zu bytes long; the limit is %d", len, GATE__USER_MAX);
	u->known = false;
	u->state_count = 0;
	/* In a batch only: a single append would pay a query to save one. */
	if (s->in_tx) {
		if ((error = top_user_load(s, b)) < 0)
			return error;
		if (b->top_none || strcmp(user, b->top) > 0)
			goto loaded;
	}
	for (size_t i = 0; i < b->user_count; i++)
		if (strcmp(b->users[i].user, user) == 0) {
			if ((error = pending_flush(s)) < 0)
				return error;
			break;
		}
	if ((error = prep(s, ST_USER_LOAD, &st)) < 0)
		return error;
	sqlite3_bind_text(st, 1, user, (int)len, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		gate__state *t;

		if (!u->known) {
			if (!column_hash(st, 0, u->commitment)) {
				done_with(st);
				return gate__error_set(GATE_ECORRUPT,
					"the commitment of user '%s' in %s has the wrong size: the subjects table was altered",
					user, s->path);
			}
			u->first_seen = sqlite3_column_int64(st, 1);
			u->known = true;
		}
		if (sqlite3_column_type(st, 2) == SQLITE_NULL)
			continue;
		if (gate__array_reserve(&u->states, &u->state_alloc, u->state_count, sizeof(*u->states)) < 0) {
			done_with(st);
			return GATE_ENOMEM;
		}
		t = &u->states[u->state_count++];
		read_state(st, 3, NULL, t);
		if (!column_copy(st, 2, t->doc, sizeof(t->doc))) {
			done_with(st);
			return gate__error_set(GATE_ECORRUPT,
				"a state row of user '%s' in %s names no valid document: the state table was altered",
				user, s->path);
		}
	}
	done_with(st);
	if (rc != SQLITE_DONE)
		return db_fail(s, rc, "cannot read the user");
loaded:
	memcpy(u->user, user, len + 1);
	u->len = len;
	u->pending = -1;
	u->valid = true;
	return 0;
}

static gate__state *current_state(current_user *u, const char *doc)
{
	for (size_t i = 0; i < u->state_count; i++)
		if (strcmp(u->states[i].doc, doc) == 0)
			return &u->states[i];
	return NULL;
}

/* A fresh random salt; inside a batch drawn SALT_POOL at a time. */
static void salt_take(sqlite_store *s, write_batch *b, unsigned char *out)
{
	unsigned char *slot;

	if (!b->salts_left) {
		b->salts_left = s->in_tx ? SALT_POOL : 1;
		randombytes_buf(b->salts, b->salts_left * GATE__SALT_BYTES);
	}
	slot = b->salts + --b->salts_left * GATE__SALT_BYTES;
	memcpy(out, slot, GATE__SALT_BYTES);
	sodium_memzero(slot, GATE__SALT_BYTES);
}

static int append_in_tx(sqlite_store *s, const char *user, gate__event *ev,
	gate__append_check_fn check, void *payload)
{
	write_batch *b;
	current_user *u;
	pending_user *pu = NULL;
	pending_event *pe;
	gate__state *cur;
	int error;

	if ((s->batch && s->batch->event_count == BATCH_ROWS && (error = pending_flush(s)) < 0) ||
	    (error = current_load(s, user)) < 0)
		return error;
	b = s->batch;
	u = &b->cur;
	cur = current_state(u, ev->doc);
	if (check && (error = check(cur, payload)) != 0) {
		if (error > 0)
			ev->seq = cur ? cur->seq : 0;
		return error < 0 ? error : 1;
	}
	if (!s->head_known) {
		if ((error = pending_flush(s)) < 0 ||
		    (error = head_read(s, &s->head_seq, s->head_hash)) < 0)
			return error;
		s->head_known = true;
	}
	if (!cur) {
		if (gate__array_reserve(&u->states, &u->state_alloc, u->state_count, sizeof(*u->states)) < 0)
			return GATE_ENOMEM;
		cur = &u->states[u->state_count];
		memset(cur, 0, sizeof(*cur));
		memcpy(cur->doc, ev->doc, sizeof(cur->doc));
	}
	/* The user's rows join the batch: their subject first when new. */
	if (u->pending < 0) {
		pu = &b->users[b->user_count];
		memcpy(pu->user, u->user, u->len + 1);
		pu->is_new = !u->known;
		if (pu->is_new) {
			salt_take(s, b, pu->salt);
			gate__subject_commit(pu->salt, user, pu->commitment);
			pu->first_seen = ev->at;
		} else {
			memcpy(pu->commitment, u->commitment, GATE__HASH_BYTES);
			pu->first_seen = u->first_seen;
		}
	} else {
		pu = &b->users[u->pending];
	}
	memcpy(ev->subject, pu->commitment, GATE__HASH_BYTES);
	ev->seq = s->head_seq + 1;
	memcpy(ev->prev, s->head_hash, GATE__HASH_BYTES);
	if ((error = gate__event_hash_memo(ev, &b->memo, ev->hash)) < 0)
		return error;

	/* Taken: nothing below fails before the rows are in the batch. */
	if (u->pending < 0) {
		u->pending = (long)b->user_count++;
		if (pu->is_new) {
			memcpy(u->commitment, pu->commitment, GATE__HASH_BYTES);
			u->first_seen = pu->first_seen;
			u->known = true;
			if (b->top_known && (b->top_none || strcmp(u->user, b->top) > 0)) {
				memcpy(b->top, u->user, u->len + 1);
				b->top_none = false;
			}
		}
	}
	pe = &b->events[b->event_count++];
	pe->ev = *ev;
	pe->user = (size_t)u->pending;
	if (cur == &u->states[u->state_count])
		u->state_count++;
	cur->n = ev->n;
	cur->revoked = ev->type == GATE_EVENT_REVOKE;
	cur->at = ev->at;
	cur->seq = ev->seq;
	s->head_seq = ev->seq;
	memcpy(s->head_hash, ev->hash, GATE__HASH_BYTES);
	return b->event_count == BATCH_ROWS ? pending_flush(s) : 0;
}

static int store_append(gate_store *base, const char *user, gate__event *ev,
	gate__append_check_fn check, void *payload)
{
	sqlite_store *s = (sqlite_store *)base;
	int error;

	if (s->in_tx)
		return append_in_tx(s, user, ev, check, payload);
	if ((error = tx_begin(s)) < 0)
		return error;
	error = append_in_tx(s, user, ev, check, payload);
	if (error != 0) {
		tx_rollback(s);
		return error;
	}
	return tx_commit(s);
}

static int store_add_user(gate_store *base, const char *user, bool *added)
{
	sqlite_store *s = (sqlite_store *)base;
	unsigned char commitment[GATE__HASH_BYTES];
	int error;

	*added = false;
	if (s->in_tx) {
		/* The user may be current, or waiting in the batch. */
		if ((error = pending_flush(s)) < 0)
			return error;
		if (s->batch)
			s->batch->cur.valid = s->batch->top_known = false;
		return subject_insert(s, user, store_now(s), commitment, added);
	}
	if ((error = tx_begin(s)) < 0)
		return error;
	if ((error = subject_insert(s, user, store_now(s), commitment, added)) < 0) {
		tx_rollback(s);
		return error;
	}
	return tx_commit(s);
}

static int lower_first_seen(sqlite_store *s, const char *user, int64_t at)
{
	current_user *u;
	sqlite3_stmt *st = NULL;
	int rc, error;

	if ((error = current_load(s, user)) < 0)
		return error;
	u = &s->batch->cur;
	if (!u->known || u->first_seen <= at)
		return 0;
	if (u->pending >= 0 && s->batch->users[u->pending].is_new) {
		s->batch->users[u->pending].first_seen = at;
		u->first_seen = at;
		return 0;
	}
	if ((error = prep(s, ST_FIRST_SEEN, &st)) < 0)
		return error;
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, at);
	rc = sqlite3_step(st);
	done_with(st);
	if (rc != SQLITE_DONE)
		return db_fail(s, rc, "cannot update when the user was first seen");
	u->first_seen = at;
	if (u->pending >= 0)
		s->batch->users[u->pending].first_seen = at;
	return 0;
}

static int store_lower_first_seen(gate_store *base, const char *user, int64_t at)
{
	sqlite_store *s = (sqlite_store *)base;
	int error;

	if (s->in_tx)
		return lower_first_seen(s, user, at);
	if ((error = tx_begin(s)) < 0)
		return error;
	if ((error = lower_first_seen(s, user, at)) < 0) {
		tx_rollback(s);
		return error;
	}
	return tx_commit(s);
}

static int store_subject(gate_store *base, const char *user, unsigned char *salt,
	unsigned char *commitment, int64_t *first_seen)
{
	sqlite_store *s = (sqlite_store *)base;
	unsigned char c[GATE__HASH_BYTES];
	bool found;
	int error;

	if ((error = pending_flush(s)) < 0 ||
	    (error = subject_get(s, user, salt, c, first_seen, &found)) < 0)
		return error;
	if (!found)
		return gate__error_set(GATE_ENOTFOUND, "'%s' is not a known user", user);
	if (commitment)
		memcpy(commitment, c, GATE__HASH_BYTES);
	return 0;
}

/* Looks in the batch, then in the log, under the commitment current_load() found. */
static int store_has_accept(gate_store *base, const char *user, const char *doc, unsigned int n, bool *found)
{
	sqlite_store *s = (sqlite_store *)base;
	current_user *u;
	sqlite3_stmt *st = NULL;
	int rc, error;

	*found = false;
	if ((error = current_load(s, user)) < 0)
		return error;
	u = &s->batch->cur;
	if (!u->known)
		return 0;
	for (size_t i = 0; u->pending >= 0 && i < s->batch->event_count; i++) {
		const pending_event *pe = &s->batch->events[i];

		if (pe->user == (size_t)u->pending && pe->ev.type == GATE_EVENT_ACCEPT && pe->ev.n == n &&
		    strcmp(pe->ev.doc, doc) == 0) {
			*found = true;
			return 0;
		}
	}
	if ((error = prep(s, ST_HAS_ACCEPT, &st)) < 0)
		return error;
	sqlite3_bind_blob(st, 1, u->commitment, GATE__HASH_BYTES, SQLITE_STATIC);
	bind_text(st, 2, doc);
	sqlite3_bind_int64(st, 3, n);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*found = true;
		rc = SQLITE_DONE;
	}
	done_with(st);
	return rc == SQLITE_DONE ? 0 : db_fail(s, rc, "cannot look for an acceptance");
}

static int store_replay(gate_store *base, int64_t from_seq, const unsigned char *subject,
	gate__event_fn fn, void *payload)
{
	sqlite_store *s = (sqlite_store *)base;
	sqlite3_stmt *st = NULL;
	gate__event ev;
	int rc, error;

	if ((error = pending_flush(s)) < 0 ||
	    (error = prep(s, subject ? ST_REPLAY_SUBJECT : ST_REPLAY, &st)) < 0)
		return error;
	sqlite3_bind_int64(st, 1, from_seq);
	if (subject)
		sqlite3_bind_blob(st, 2, subject, GATE__HASH_BYTES, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((error = read_event(s, st, &ev)) < 0 || (error = fn(&ev, payload)) != 0) {
			done_with(st);
			return error;
		}
	}
	done_with(st);
	return rc == SQLITE_DONE ? 0 : db_fail(s, rc, "cannot read the events");
}

/* A walk over rows (user, first_seen, ...) sorted by user, grouped by user:
 * `begin` reads a user's own columns from their first row (may be NULL),
 * `add` fills one item from each row whose `item_col` is not NULL (a user
 * with none still has one row, from the outer join), and `emit` hands the
 * finished user on; a non-zero return from `emit` stops the walk. */
typedef struct user_walk user_walk;
struct user_walk {
	sqlite_store *s;
	int item_col;
	size_t item_size;
	int (*begin)(user_walk *w, sqlite3_stmt *st);
	int (*add)(user_walk *w, sqlite3_stmt *st, void *item);
	int (*emit)(user_walk *w);
	const char *user;     /* the current user's id and first-seen time */
	int64_t first_seen;
	void *items;          /* their items so far */
	size_t count, alloc;
};

static int walk_users(user_walk *w, sqlite3_stmt *st, const char *what)
{
	gate_buf user = GATE_BUF_INIT;
	bool have = false;
	int rc, error;

	for (;;) {
		const char *u;

		rc = sqlite3_step(st);
		u = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
		if (have && (!u || strcmp(u, user.ptr) != 0)) {
			if ((error = w->emit(w)) != 0)
				goto done;
			have = false;
		}
		if (rc != SQLITE_ROW)
			break;
		if (!u) {
			error = gate__error_set(GATE_ECORRUPT, "a user in %s has no id: the subjects table was altered", w->s->path);
			goto done;
		}
		if (!have) {
			gate__buf_clear(&user);
			if (gate__buf_puts(&user, u) < 0) {
				error = GATE_ENOMEM;
				goto done;
			}
			w->user = user.ptr;
			w->first_seen = sqlite3_column_int64(st, 1);
			w->count = 0;
			if (w->begin && (error = w->begin(w, st)) < 0)
				goto done;
			have = true;
		}
		if (sqlite3_column_type(st, w->item_col) != SQLITE_NULL) {
			if (gate__array_reserve(&w->items, &w->alloc, w->count, w->item_size) < 0) {
				error = GATE_ENOMEM;
				goto done;
			}
			if ((error = w->add(w, st, (char *)w->items + w->count * w->item_size)) < 0)
				goto done;
			w->count++;
		}
	}
	error = rc == SQLITE_DONE ? 0 : db_fail(w->s, rc, what);
done:
	done_with(st);
	gate_buf_dispose(&user);
	free(w->items);
	w->items = NULL;
	return error;
}

/* each_user: a user's commitment, and their states. */
typedef struct {
	user_walk w;
	unsigned char subject[GATE__HASH_BYTES];
	gate__user_row_fn fn;
	void *payload;
} states_walk;

static int states_begin(user_walk *w, sqlite3_stmt *st)
{
	states_walk *sw = (states_walk *)w;

	if (!column_hash(st, 2, sw->subject))
		return gate__error_set(GATE_ECORRUPT,
			"the commitment of user '%s' in %s has the wrong size: the subjects table was altered",
			w->user, w->s->path);
	return 0;
}

static int states_add(user_walk *w, sqlite3_stmt *st, void *item)
{
	gate__state *t = item;

	read_state(st, 4, NULL, t);
	if (!column_copy(st, 3, t->doc, sizeof(t->doc)))
		return gate__error_set(GATE_ECORRUPT,
			"a state row of user '%s' in %s names no valid document: the state table was altered",
			w->user, w->s->path);
	return 0;
}

static int states_emit(user_walk *w)
{
	states_walk *sw = (states_walk *)w;
	gate__user_row row;

	memset(&row, 0, sizeof(row));
	row.user = w->user;
	row.first_seen = w->first_seen;
	row.subject = sw->subject;
	row.states = w->items;
	row.state_count = w->count;
	return sw->fn(&row, sw->payload);
}

static int store_each_user(gate_store *base, const char *doc, gate__user_row_fn fn, void *payload)
{
	sqlite_store *s = (sqlite_store *)base;
	states_walk sw;
	sqlite3_stmt *st = NULL;
	int error;

	if ((error = pending_flush(s)) < 0 ||
	    (error = prep(s, doc ? ST_EACH_USER_DOC : ST_EACH_USER, &st)) < 0)
		return error;
	if (doc)
		bind_text(st, 1, doc);
	memset(&sw, 0, sizeof(sw));
	sw.w.s = s;
	sw.w.item_col = 3;
	sw.w.item_size = sizeof(gate__state);
	sw.w.begin = states_begin;
	sw.w.add = states_add;
	sw.w.emit = states_emit;
	sw.fn = fn;
	sw.payload = payload;
	return walk_users(&sw.w, st, "cannot list the users");
}

/* each_user_acts: a user's events. */
typedef struct {
	user_walk w;
	gate__user_acts_fn fn;
	void *payload;
} acts_walk;

static int acts_add(user_walk *w, sqlite3_stmt *st, void *item)
{
	gate__act *a = item;
	int64_t n = sqlite3_column_int64(st, 4);

	if (!column_copy(st, 6, a->doc, sizeof(a->doc)))
		return gate__error_set(GATE_ECORRUPT,
			"event %lld names no valid document: the log in %s was altered",
			(long long)sqlite3_column_int64(st, 2), w->s->path);
	a->seq = sqlite3_column_int64(st, 2);
	a->type = sqlite3_column_int(st, 3);
	a->n = n < 0 || n > UINT32_MAX ? 0 : (unsigned)n;
	a->at = sqlite3_column_int64(st, 5);
	return 0;
}

static int acts_emit(user_walk *w)
{
	acts_walk *aw = (acts_walk *)w;
	gate__user_acts row;

	memset(&row, 0, sizeof(row));
	row.user = w->user;
	row.first_seen = w->first_seen;
	row.acts = w->items;
	row.act_count = w->count;
	return aw->fn(&row, aw->payload);
}

static int store_each_user_acts(gate_store *base, gate__user_acts_fn fn, void *payload)
{
	sqlite_store *s = (sqlite_store *)base;
	acts_walk aw;
	sqlite3_stmt *st = NULL;
	int error;

	if ((error = pending_flush(s)) < 0 ||
	    (error = prep(s, ST_EACH_USER_ACTS, &st)) < 0)
		return error;
	memset(&aw, 0, sizeof(aw));
	aw.w.s = s;
	aw.w.item_col = 2;
	aw.w.item_size = sizeof(gate__act);
	aw.w.add = acts_add;
	aw.w.emit = acts_emit;
	aw.fn = fn;
	aw.payload = payload;
	return walk_users(&aw.w, st, "cannot read the users' events");
}

static int delete_user(sqlite_store *s, const char *user, bool *found)
{
	sqlite3_stmt *st = NULL;
	int rc, error;

	if ((error = prep(s, ST_FORGET_STATES, &st)) < 0)
		return error;
	bind_text(st, 1, user);
	rc = sqlite3_step(st);
	done_with(st);
	if (rc != SQLITE_DONE)
		return db_fail(s, rc, "cannot erase the user's state");
	if ((error = prep(s, ST_FORGET_SUBJECT, &st)) < 0)
		return error;
	bind_text(st, 1, user);
	rc = sqlite3_step(st);
	done_with(st);
	if (rc != SQLITE_DONE)
		return db_fail(s, rc, "cannot erase the user");
	*found = sqlite3_changes(s->db) == 1;
	return 0;
}

static int store_forget(gate_store *base, const char *user)
{
	sqlite_store *s = (sqlite_store *)base;
	bool found = false;
	int error;

	if (s->in_tx)
		return gate__error_set(GATE_ERROR, "internal: forget inside a batch");
	if ((error = tx_begin(s)) < 0)
		return error;
	if ((error = delete_user(s, user, &found)) < 0) {
		tx_rollback(s);
		return error;
	}
	if (!found) {
		tx_rollback(s);
		return gate__error_set(GATE_ENOTFOUND, "'%s' is not a known user; nothing to forget", user);
	}
	if ((error = tx_commit(s)) < 0)
		return error;
	/* secure_delete zeroed the freed cells; copying the WAL back and
	 * truncating it drops the older page images that still held the id.
	 * A reader elsewhere may keep the WAL alive; the next checkpoint then
	 * finishes the job, so this one is best effort. */
	sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	return 0;
}

static int count_of(sqlite_store *s, stmt_id id, int64_t *out)
{
	sqlite3_stmt *st = NULL;
	int rc, error;

	*out = 0;
	if ((error = pending_flush(s)) < 0 || (error = prep(s, id, &st)) < 0)
		return error;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = SQLITE_DONE;
	}
	done_with(st);
	return rc == SQLITE_DONE ? 0 : db_fail(s, rc, "cannot count");
}

static int store_counts(gate_store *base, int64_t *events, int64_t *users)
{
	sqlite_store *s = (sqlite_store *)base;
	int error;

	if (events && (error = count_of(s, ST_COUNT_EVENTS, events)) < 0)
		return error;
	if (users && (error = count_of(s, ST_COUNT_USERS, users)) < 0)
		return error;
	return 0;
}

static int store_state_count(gate_store *base, int64_t *count)
{
	return count_of((sqlite_store *)base, ST_COUNT_STATES, count);
}

static void store_free(gate_store *base)
{
	sqlite_store *s = (sqlite_store *)base;

	if (!s)
		return;
	if (s->in_tx)
		store_rollback(base);
	pending_free(s);
	for (size_t i = 0; i < ST__COUNT; i++)
		sqlite3_finalize(s->stmts[i]);
	for (size_t i = 0; i < BULK__COUNT; i++)
		for (size_t k = 0; k < BATCH_SIZES; k++)
			sqlite3_finalize(s->bulk[i][k]);
	sqlite3_close_v2(s->db);
	free(s->path);
	free(s);
}

static const gate__store_ops sqlite_ops = {
	store_latest,
	store_append,
	store_begin,
	store_commit,
	store_rollback,
	store_add_user,
	store_each_user,
	store_subject,
	store_replay,
	store_forget,
	store_counts,
	store_free,
	store_has_accept,
	store_state_count,
	store_head,
	store_each_user_acts,
	store_lower_first_seen,
};

/* --- opening ---------------------------------------------------------------------------------- */

/* Creates the folders above `path` that are missing (the default path lives
 * in <gitdir>/gate/, which a fresh repository does not have yet). */
static int make_parents(const char *path)
{
	char *dir = gate__strdup(path), *slash;
	int error = 0;

	if (!dir)
		return GATE_ENOMEM;
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		/* Each prefix in turn, then the folder itself: mkdir -p. */
		for (char *p = dir + 1; !error; p++) {
			char c = *p;

			if (c != '/' && c != '\0')
				continue;
			*p = '\0';
			if (mkdir(dir, 0777) < 0 && errno != EEXIST)
				error = gate__error_set(errno == EACCES || errno == EROFS ? GATE_EIO : GATE_ERROR,
					"cannot create the folder %s for the acceptance database: %s", dir, strerror(errno));
			*p = c;
			if (c == '\0')
				break;
		}
	}
	free(dir);
	return error;
}

/* The schema version and whether the file holds tables of something else
 * (tables but no version), read in one statement so that both come from the
 * same snapshot: another process may be creating the schema meanwhile. */
static int schema_state(sqlite_store *s, int64_t *version)
{
	int64_t foreign;
	int error;

	if ((error = pragma_get(s, "SELECT user_version, user_version = 0 AND EXISTS (SELECT 1 FROM sqlite_master"
		" WHERE name NOT LIKE 'sqlite_%') FROM pragma_user_version", version, &foreign, NULL, 0)) < 0)
		return error;
	if (foreign)
		return gate__error_set(GATE_EINVALID,
			"%s is an SQLite database of something else (it has tables but no acceptance log); pass another --db",
			s->path);
	return 0;
}

static int migrate(sqlite_store *s)
{
	int64_t version;
	int error;

	if ((error = exec_retry(s, "BEGIN IMMEDIATE", "cannot lock the database to set it up")) < 0)
		return error;
	/* Read again under the lock: another process may have just done it. */
	if ((error = schema_state(s, &version)) < 0)
		goto fail;
	for (int64_t v = version; v < SCHEMA_VERSION; v++) {
		char sql[64];

		if ((error = exec_retry(s, migrations[v], "cannot create the acceptance tables")) < 0)
			goto fail;
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %lld", (long long)(v + 1));
		if ((error = exec_retry(s, sql, "cannot record the schema version")) < 0)
			goto fail;
	}
	if ((error = exec_retry(s, "COMMIT", "cannot commit the acceptance tables")) < 0)
		goto fail;
	return 0;
fail:
	if (!sqlite3_get_autocommit(s->db)) {
		int code = gate_error_last()->code;
		char *msg = gate__strdup(gate_error_last()->message);

		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		if (msg) {
			gate__error_set(code, "%s", msg);
			free(msg);
		}
	}
	return error;
}

static int setup(sqlite_store *s)
{
	bool readonly = (s->flags & GATE_OPEN_READONLY) != 0;
	char mode[32];
	int64_t version;
	int error;

	sqlite3_busy_timeout(s->db, s->busy_timeout_ms);
	sqlite3_extended_result_codes(s->db, 1);
	/* No writable_schema and friends: nothing can corrupt the file through SQL. */
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);

	if ((error = schema_state(s, &version)) < 0)
		return error;
	if (version > SCHEMA_VERSION)
		return gate__error_set(GATE_ENOTSUPPORTED,
			"%s was written by a newer libgate (schema %lld; this one knows up to %d); upgrade libgate",
			s->path, (long long)version, SCHEMA_VERSION);
	if (readonly) {
		if (version < SCHEMA_VERSION)
			return gate__error_set(version == 0 ? GATE_ENOTFOUND : GATE_EIO,
				version == 0 ? "%s holds no acceptance log yet (opened read-only, so it cannot be created)"
				: "%s has an older schema; open it once read-write to upgrade it", s->path);
		return 0;
	}

	/* Durability first: FULL syncs the WAL at every commit, so an
	 * acknowledged acceptance survives a power cut. Forgetting a user must
	 * leave no copy of the id in freed pages. */
	if ((error = exec_retry(s, (s->flags & GATE_OPEN_RELAXED_SYNC) ? "PRAGMA synchronous = NORMAL"
		: "PRAGMA synchronous = FULL", "cannot set synchronous")) < 0 ||
	    (error = exec_retry(s, "PRAGMA secure_delete = ON", "cannot set secure_delete")) < 0)
		return error;
	/* A new database gets 8 KiB pages: an import of 2,000,000 rows takes
	 * 15-20% less CPU time (a third of the reads, half the page splits and
	 * WAL frames of 4 KiB pages) for 0.7 us more per gate_check(); 16 KiB
	 * gained no more and cost checks twice that. Set before the file has a
	 * page, so existing databases keep theirs. */
	if (version == 0 && (error = exec_retry(s, "PRAGMA page_size = 8192", "cannot set the page size")) < 0)
		return error;
	if ((error = pragma_get(s, "PRAGMA journal_mode", NULL, NULL, mode, sizeof(mode))) < 0)
		return error;
	if (strcmp(mode, "wal") != 0 && strcmp(mode, "memory") != 0) {
		if ((error = pragma_get(s, "PRAGMA journal_mode = WAL", NULL, NULL, mode, sizeof(mode))) < 0)
			return error;
		if (strcmp(mode, "wal") != 0 && strcmp(mode, "memory") != 0)
			return gate__error_set(GATE_EIO,
				"%s cannot use write-ahead logging (journal mode stays '%s'); put it on a local file system",
				s->path, mode);
	}
	if (version < SCHEMA_VERSION)
		return migrate(s);
	return 0;
}

int gate__store_sqlite_open(gate_store **out, const char *path, unsigned int flags,
	int busy_timeout_ms, bool create_parent)
{
	sqlite_store *s;
	int rc, error, oflags;

	*out = NULL;
	if (!path || !*path)
		return gate__error_set(GATE_EINVALID, "no acceptance database path given");
	if (sodium_init() < 0)
		return gate__error_set(GATE_ERROR, "libsodium failed to initialise");
	if (!(s = gate__calloc(1, sizeof(*s))))
		return GATE_ENOMEM;
	s->base.ops = &sqlite_ops;
	s->flags = flags;
	s->busy_timeout_ms = busy_timeout_ms > 0 ? busy_timeout_ms : 10000;
	if (!(s->path = gate__strdup(path))) {
		free(s);
		return GATE_ENOMEM;
	}
	if (create_parent && !(flags & GATE_OPEN_READONLY) && (error = make_parents(path)) < 0)
		goto fail;

	/* One thread at a time uses a handle (gate.h), so SQLite's own mutexes are not needed. */
	oflags = SQLITE_OPEN_NOMUTEX | ((flags & GATE_OPEN_READONLY) ? SQLITE_OPEN_READONLY
		: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	rc = sqlite3_open_v2(path, &s->db, oflags, NULL);
	if (rc != SQLITE_OK) {
		error = gate__error_set((rc & 0xff) == SQLITE_CANTOPEN && (flags & GATE_OPEN_READONLY) ? GATE_ENOTFOUND : GATE_EIO,
			"cannot open the acceptance database %s: %s", path,
			s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		goto fail;
	}
	if ((error = setup(s)) < 0)
		goto fail;
	*out = &s->base;
	return 0;
fail:
	store_free(&s->base);
	return error;
}
