/* store.h: the acceptance store behind a small interface (append, latest state, users, replay),
 * so that a server-backed store can be added later without touching the decision or report code. */
#ifndef GATE_STORE_H
#define GATE_STORE_H

#include "common.h"

#define GATE__HASH_BYTES 32
#define GATE__SALT_BYTES 16

/* One event as stored: what the chain hash covers, plus the hash fields. */
typedef struct gate__event {
	int64_t seq;
	int type;                                   /* gate_event_type */
	unsigned char subject[GATE__HASH_BYTES];    /* SHA-256(salt || user id) */
	char doc[GATE_DOC_MAX + 1];
	unsigned int n;
	char locale[GATE_LOCALE_MAX + 1];
	char commit_oid[GATE_OID_HEXSIZE + 1];
	char blob_oid[GATE_OID_HEXSIZE + 1];
	int64_t at;                                 /* ms since the epoch, UTC */
	char method[GATE_METHOD_MAX + 1];
	char client[GATE_CLIENT_MAX + 1];
	unsigned char prev[GATE__HASH_BYTES];       /* the previous event's hash; zeros for the first */
	unsigned char hash[GATE__HASH_BYTES];
} gate__event;

/* A user's latest state for one document (the derived table). */
typedef struct gate__state {
	char doc[GATE_DOC_MAX + 1];
	unsigned int n;       /* the version of the last event (accepted, or revoked) */
	bool revoked;         /* the last event was a revoke */
	int64_t at;           /* its time */
	int64_t seq;          /* its sequence number */
} gate__state;

/* One known user and their states, handed to an each_user callback. The
 * pointers live until the callback returns. */
typedef struct gate__user_row {
	const char *user;
	int64_t first_seen;
	const unsigned char *subject;   /* the commitment, GATE__HASH_BYTES */
	const gate__state *states;      /* sorted by doc; only `doc` when one was asked for */
	size_t state_count;
} gate__user_row;

typedef int (*gate__user_row_fn)(const gate__user_row *row, void *payload);
typedef int (*gate__event_fn)(const gate__event *ev, void *payload);

/* One act of a user (accept or revoke), as reports replaying the log need it. */
typedef struct gate__act {
	char doc[GATE_DOC_MAX + 1];
	int64_t seq;
	int type;             /* gate_event_type */
	unsigned int n;
	int64_t at;
} gate__act;

/* One known user and their acts, handed to an each_user_acts callback.
 * The pointers live until the callback returns. */
typedef struct gate__user_acts {
	const char *user;
	int64_t first_seen;
	const gate__act *acts;          /* sorted by doc, then sequence */
	size_t act_count;
} gate__user_acts;

typedef int (*gate__user_acts_fn)(const gate__user_acts *u, void *payload);

/* Inside append's transaction: decides from the current state (NULL when the
 * user has none for the document) whether to append (0), skip because it is
 * already so (1), or refuse (< 0, with the error set). */
typedef int (*gate__append_check_fn)(const gate__state *current, void *payload);

typedef struct gate_store gate_store;

typedef struct gate__store_ops {
	/* The user's state for `doc`: 0 and *found = true/false; never writes. */
	int (*latest)(gate_store *s, const char *user, const char *doc, gate__state *out, bool *found);
	/* Fills in ev->seq, ev->subject, ev->prev and ev->hash and appends it
	 * durably, registering the user when new, in one transaction with the
	 * derived state; `check` (may be NULL) runs first inside it. Returns 1
	 * when `check` said skip (nothing written; ev->seq is the state's seq). */
	int (*append)(gate_store *s, const char *user, gate__event *ev,
		gate__append_check_fn check, void *payload);
	/* Groups many appends and user registrations into one transaction. */
	int (*begin)(gate_store *s);
	int (*commit)(gate_store *s);
	void (*rollback)(gate_store *s);
	/* Registers a user; *added says whether it was new. */
	int (*add_user)(gate_store *s, const char *user, bool *added);
	/* Every known user in id order with their states for `doc` (NULL: every
	 * document); streams, memory does not grow with the number of users. */
	int (*each_user)(gate_store *s, const char *doc, gate__user_row_fn fn, void *payload);
	/* A user's salt and commitment; GATE_ENOTFOUND for an unknown user. */
	int (*subject)(gate_store *s, const char *user, unsigned char *salt,
		unsigned char *commitment, int64_t *first_seen);
	/* Every event from `from_seq` on, in sequence order (optionally only
	 * those with `subject`, which may be NULL). A non-zero return from `fn`
	 * stops the walk and is returned. An event whose stored fields cannot be
	 * an event (a field too long, a hash of the wrong size) is GATE_ECORRUPT. */
	int (*replay)(gate_store *s, int64_t from_seq, const unsigned char *subject,
		gate__event_fn fn, void *payload);
	/* Deletes the user's subject row and derived state; the events stay. */
	int (*forget)(gate_store *s, const char *user);
	/* The number of events and known users. */
	int (*counts)(gate_store *s, int64_t *events, int64_t *users);
	void (*free)(gate_store *s);

	/* Added for import and verify (issue 5): */
	/* Whether the log holds an accept of version `n` of `doc` by `user`
	 * (under the user's current commitment). May be called from inside an
	 * append check callback. */
	int (*has_accept)(gate_store *s, const char *user, const char *doc, unsigned int n, bool *found);
	/* The number of rows in the derived state, for every user (verify
	 * compares it with what each_user showed, to catch rows of no user). */
	int (*state_count)(gate_store *s, int64_t *count);
	/* The last event's sequence number and hash; seq 0 and zeros for an empty log. */
	int (*head)(gate_store *s, int64_t *seq, unsigned char *hash);

	/* Added for reports (issue 6): */
	/* Every known user, in id order, with their first-seen time and every
	 * act of theirs (none for a user who never acted). Forgotten users and
	 * their events are left out. Streams: memory does not grow with the
	 * number of users. A non-zero return from `fn` stops the walk and is
	 * returned. */
	int (*each_user_acts)(gate_store *s, gate__user_acts_fn fn, void *payload);

	/* Added for imports of older acceptances (issue 5): */
	/* Lowers a known user's first-seen time to `at` when that is earlier
	 * (users registered before their older acceptances were imported);
	 * nothing for an unknown user. */
	int (*lower_first_seen)(gate_store *s, const char *user, int64_t at);
} gate__store_ops;

struct gate_store {
	const gate__store_ops *ops;
	/* The clock for times the store stamps itself (a user's first-seen time
	 * in add_user); NULL: the system clock. Set by gate__store(). */
	gate_clock_fn clock;
	void *clock_payload;
};

/* The canonical encoding of an event's fields and its chain hash (chain.c). */
int gate__event_hash(const gate__event *ev, unsigned char *out);

/* The git ids last decoded: a batch or a walk of the log names the same few
 * versions again and again, and decoding the hex is otherwise a fifth of the
 * cost of hashing an event. Zeroed before first use. */
#define GATE__OID_MEMO 8
typedef struct gate__oid_memo {
	char hex[GATE__OID_MEMO][GATE_OID_HEXSIZE];
	unsigned char raw[GATE__OID_MEMO][GATE_OID_HEXSIZE / 2];
	unsigned count, next;
} gate__oid_memo;

/* gate__event_hash() remembering decoded ids in `memo` (may be NULL). */
int gate__event_hash_memo(const gate__event *ev, gate__oid_memo *memo, unsigned char *out);

/* The commitment SHA-256(salt || user). */
void gate__subject_commit(const unsigned char *salt, const char *user, unsigned char *out);
/* The running head of a chain walk: the last event accepted and its hash
 * (seq 0 and zeros before the first event). */
typedef struct gate__chain {
	int64_t seq;
	unsigned char hash[GATE__HASH_BYTES];
	gate__oid_memo memo;
} gate__chain;

/* Checks that `ev` is the next event of the chain: numbered one after the
 * head, its hash recomputed from its fields, linked to the head's hash;
 * then makes it the head. GATE_ECORRUPT naming the event otherwise. */
int gate__chain_next(gate__chain *c, const gate__event *ev);
/* "accept privacy v3 at 2026-03-01T10:00:00Z", for messages. */
void gate__event_describe(const gate__event *ev, char *out, size_t size);
/* Writes `len` bytes as lower-case hex and a NUL into `out` (2 * len + 1 bytes). */
void gate__hex(char *out, const unsigned char *bytes, size_t len);

/* store_sqlite.c: the embedded SQLite store. */
int gate__store_sqlite_open(gate_store **out, const char *path, unsigned int flags,
	int busy_timeout_ms, bool create_parent);

/* The handle's store, opened on first use (store.c). */
struct gate;
int gate__store(struct gate *g, gate_store **out);

#endif
