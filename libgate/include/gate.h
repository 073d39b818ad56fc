/*
 * gate.h: the public API of libgate.
 *
 * libgate keeps every version of an organisation's notices (privacy notice,
 * terms, cookie notice...) in a git repository, tells whether the change
 * between two versions is material or editorial, records each user's
 * acceptance in a tamper-evident SQLite log, and answers, at every launch,
 * whether the user may go on (gate_check()).
 *
 * This header is the documentation. Conventions used throughout:
 *
 * - Functions return 0 on success or a negative GATE_E* code. After any
 *   failure, gate_error_last() holds a message a person can act on.
 * - Constructors write the new object through their first parameter and set
 *   it to NULL on failure (gate_open(&g, ...)). Operations on a handle take
 *   the handle first and write their result through their last parameter
 *   (gate_check(g, user, doc, &decision)).
 * - What the library allocates, the library frees: gate_free(),
 *   gate_buf_dispose(), gate_diff_free()... All of them accept NULL.
 * - Strings are UTF-8 and NUL-terminated unless a length is passed with them.
 * - Times are int64_t milliseconds since the Unix epoch, UTC.
 * - Options structs start with an `unsigned int version` field; initialise
 *   them with their _INIT macro or _init() function. Fields are only ever
 *   appended, so a program built against an older header keeps working.
 * - No varargs, no structs passed by value: every call binds from other
 *   languages through a plain C foreign-function interface.
 *
 * Threads: a `gate` handle may be used by one thread at a time. Open one
 * handle per thread; any number of handles, in any number of threads and
 * processes, may share the same repository and database files.
 */
#ifndef GATE_H
#define GATE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Export and attribute macros
 */

#if defined(_WIN32) && defined(GATE_SHARED_BUILD)
# define GATE_EXTERN __declspec(dllexport)
#elif defined(_WIN32) && !defined(GATE_STATIC)
# define GATE_EXTERN __declspec(dllimport)
#elif defined(__GNUC__) && __GNUC__ >= 4
# define GATE_EXTERN __attribute__((visibility("default")))
#else
# define GATE_EXTERN
#endif

/* Marks calls whose result the caller must act on (libsodium style). */
#if defined(__GNUC__) || defined(__clang__)
# define GATE_WARN_UNUSED_RESULT __attribute__((warn_unused_result))
#else
# define GATE_WARN_UNUSED_RESULT
#endif

/* ------------------------------------------------------------------------
 * Version
 *
 * The macros give the version this header belongs to; gate_version() gives
 * the version of the library actually linked.
 */

#define GATE_VERSION_MAJOR 0
#define GATE_VERSION_MINOR 1
#define GATE_VERSION_PATCH 0
#define GATE_VERSION_STRING "0.1.0"
#define GATE_VERSION_NUMBER \
	((GATE_VERSION_MAJOR * 10000) + (GATE_VERSION_MINOR * 100) + GATE_VERSION_PATCH)

/** The linked library's version as "MAJOR.MINOR.PATCH". Static; never NULL. */
GATE_EXTERN const char *gate_version(void);

/** The linked library's version as MAJOR*10000 + MINOR*100 + PATCH. */
GATE_EXTERN int gate_version_number(void);

/* ------------------------------------------------------------------------
 * Errors
 *
 * One table, from which the enum, gate_strerror() and gate_err_name() are
 * generated. Codes are stable: new ones are only appended.
 */

#define GATE_ERRNO_MAP(XX) \
	XX(ERROR,        -1, "unexpected failure") \
	XX(EINVALID,     -2, "invalid argument or input") \
	XX(ENOTFOUND,    -3, "not found") \
	XX(EEXISTS,      -4, "already exists") \
	XX(ELOCKED,      -5, "locked by another process") \
	XX(ECONFLICT,    -6, "conflicting change") \
	XX(ECORRUPT,     -7, "stored data failed an integrity check") \
	XX(EIO,          -8, "input/output error") \
	XX(ENOMEM,       -9, "out of memory") \
	XX(ESIGNATURE,  -10, "missing or bad signature") \
	XX(ENOTSUPPORTED, -11, "not supported by this build or handle") \
	XX(EVERSION,    -12, "options struct version not supported")

typedef enum gate_error_code {
	GATE_OK = 0,
#define GATE_ERRNO_ENUM_(name, value, text) GATE_##name = (value),
	GATE_ERRNO_MAP(GATE_ERRNO_ENUM_)
#undef GATE_ERRNO_ENUM_
	GATE_ERRNO_LAST_ = GATE_EVERSION /* the most negative code; for bindings */
} gate_error_code;

/** The last error raised on the calling thread. */
typedef struct gate_error {
	int code;            /**< a GATE_E* code, or GATE_OK when nothing failed */
	const char *message; /**< one line a person can act on; never NULL */
} gate_error;

/**
 * The last error raised on the calling thread. Never NULL: when nothing has
 * failed it has code GATE_OK and the message "no error". The pointer stays
 * valid until the next libgate call on the same thread.
 */
GATE_EXTERN const gate_error *gate_error_last(void);

/** Forgets the calling thread's last error. */
GATE_EXTERN void gate_error_clear(void);

/** A short description of a code ("not found"). Static; never NULL. */
GATE_EXTERN const char *gate_strerror(int code);

/** The code's name without the prefix ("ENOTFOUND"). Static; never NULL. */
GATE_EXTERN const char *gate_err_name(int code);

/* ------------------------------------------------------------------------
 * Buffers
 *
 * Text handed back by the library. `ptr` is NUL-terminated (the NUL is not
 * counted in `size`) and owned by the buffer until gate_buf_dispose().
 */

typedef struct gate_buf {
	char *ptr;       /**< the bytes, NUL-terminated; NULL when empty */
	size_t size;     /**< bytes in use, not counting the NUL */
	size_t reserved; /**< allocated bytes; library-private */
} gate_buf;

#define GATE_BUF_INIT { NULL, 0, 0 }

/** Frees the buffer's memory and resets it to GATE_BUF_INIT. NULL is a no-op. */
GATE_EXTERN void gate_buf_dispose(gate_buf *buf);

/* ------------------------------------------------------------------------
 * Times
 */

/** "No time given" in any time field. */
#define GATE_TIME_UNSET INT64_MIN

/** Bytes needed by gate_time_format(), NUL included. */
#define GATE_TIME_BUFSIZE 32

/**
 * Parses `text` as an RFC 3339 time ("2026-12-01T09:30:00Z",
 * "2026-12-01T09:30:00.250+01:00") or a date ("2026-12-01", midnight UTC)
 * into milliseconds since the epoch. Returns GATE_EINVALID for anything else.
 */
GATE_EXTERN int gate_time_parse(int64_t *out, const char *text);

/**
 * Formats `ms` as RFC 3339 UTC into `out` (GATE_TIME_BUFSIZE bytes):
 * "2026-12-01T00:00:00Z", with ".123" milliseconds only when they are not 0.
 * Returns GATE_EINVALID for a time outside years 0000 to 9999.
 */
GATE_EXTERN int gate_time_format(char *out, int64_t ms);

/** The current time from the system clock. */
GATE_EXTERN int64_t gate_time_now(void);

/* ------------------------------------------------------------------------
 * Opening
 */

/** The handle on one policy repository (or pack) and its acceptance database. */
typedef struct gate gate;

/**
 * A clock: returns the current time in milliseconds since the epoch.
 * Tests inject one so they never sleep.
 */
typedef int64_t (*gate_clock_fn)(void *payload);

/** gate_open() flags. */
typedef enum gate_open_flags {
	/** Open the database read-only; writes fail with GATE_EIO. */
	GATE_OPEN_READONLY = (1u << 0),
	/**
	 * Let SQLite skip the fsync at each commit (synchronous=NORMAL). An
	 * acceptance then survives a crash of the process but perhaps not a
	 * power cut. For bulk imports into a scratch database; never the default.
	 */
	GATE_OPEN_RELAXED_SYNC = (1u << 1)
} gate_open_flags;

#define GATE_OPTIONS_VERSION 1

/** Options for gate_open(). Zero or NULL in any field means its default. */
typedef struct gate_options {
	unsigned int version;      /**< GATE_OPTIONS_VERSION */

	/** The policy repository; NULL: the current directory. */
	const char *repo_path;

	/**
	 * The acceptance database. NULL: "gate/acceptances.db" inside the
	 * repository's git directory (so it is never committed), or
	 * "<pack_path>.db" when a pack is opened. The database is opened on
	 * the first call that needs it and created if missing.
	 */
	const char *db_path;

	/** Open this pack file instead of a repository (see the pack section). */
	const char *pack_path;

	/**
	 * With a pack: the publisher's Ed25519 public key (32 bytes). When set,
	 * an unsigned or wrongly signed pack is refused.
	 */
	const unsigned char *pack_public_key;

	unsigned int flags;        /**< gate_open_flags */

	gate_clock_fn clock;       /**< NULL: the system clock */
	void *clock_payload;       /**< passed to `clock` */

	/** How long a writer waits for another's lock; 0: 10000 ms. */
	int busy_timeout_ms;
} gate_options;

#define GATE_OPTIONS_INIT { GATE_OPTIONS_VERSION, NULL, NULL, NULL, NULL, 0, NULL, NULL, 0 }

/**
 * Initialises `opts` to defaults. `version` must be GATE_OPTIONS_VERSION;
 * returns GATE_EVERSION otherwise.
 */
GATE_EXTERN int gate_options_init(gate_options *opts, unsigned int version);

/**
 * Opens the policy repository (or pack) named in `opts`; NULL `opts` means
 * all defaults. On success `*out` is a handle to release with gate_free();
 * on failure `*out` is NULL and gate_error_last() says why ("/srv/x is not a
 * policy repository; create one with `gate init /srv/x`").
 */
GATE_EXTERN int gate_open(gate **out, const gate_options *opts);

/** Closes the handle and frees everything it owns. NULL is a no-op. */
GATE_EXTERN void gate_free(gate *g);

/**
 * Forgets cached versions and settings so that the next call reads them
 * again from the repository or pack (after a publish or a sync by another
 * process). Pointers previously returned by the handle become invalid.
 */
GATE_EXTERN int gate_reload(gate *g);

/** The acceptance database this handle uses (as given or defaulted). Owned by the handle. */
GATE_EXTERN const char *gate_database_path(gate *g);

/** The time the handle's clock gives now. */
GATE_EXTERN int64_t gate_now(gate *g);

/* ------------------------------------------------------------------------
 * Documents and versions
 *
 * A document ("privacy", "terms") has versions 1, 2, 3... Each version has
 * one text per locale. Pointers returned here belong to the handle and stay
 * valid until gate_reload() or gate_free().
 */

/** Longest document id, in bytes. Ids match [a-z0-9][a-z0-9._-]{0,63}. */
#define GATE_DOC_MAX 64
/** Longest locale tag, in bytes (BCP 47, e.g. "en-GB", "cy-GB"). */
#define GATE_LOCALE_MAX 35
/** Length of an object id in hex. */
#define GATE_OID_HEXSIZE 40

/** Whether a version's change is material (users must accept again). */
typedef enum gate_change {
	GATE_CHANGE_UNKNOWN = 0,   /**< not computed */
	GATE_CHANGE_EDITORIAL = 1, /**< wording or formatting; no re-acceptance */
	GATE_CHANGE_MATERIAL = 2   /**< meaning changed; users must accept again */
} gate_change;

/** "material", "editorial" or "unknown". Static; never NULL. */
GATE_EXTERN const char *gate_change_name(gate_change change);

/** The text of one locale in a version. */
typedef struct gate_locale_text {
	char locale[GATE_LOCALE_MAX + 1];
	char blob_oid[GATE_OID_HEXSIZE + 1];
} gate_locale_text;

/** One published version of a document. */
typedef struct gate_version_info {
	const char *doc;           /**< document id */
	unsigned int n;            /**< 1, 2, 3... */
	gate_change change;        /**< the decision in force (Gate-Change) */
	gate_change detected;      /**< what the diff engine computed (Gate-Detected) */
	int64_t published;         /**< when it was published (the tag time) */
	int64_t effective;         /**< when it comes into force */
	char tag_oid[GATE_OID_HEXSIZE + 1];
	char commit_oid[GATE_OID_HEXSIZE + 1];
	const char *summary;       /**< the publisher's summary; "" when none */
	const char *reason;        /**< why a detected material change was overridden; NULL when none */
	const char *publisher_name;
	const char *publisher_email;
	size_t locale_count;       /**< number of entries in `locales` */
	const gate_locale_text *locales; /**< the texts; the default locale first */
} gate_version_info;

/**
 * The documents that have at least one published version, sorted by id.
 * `*out` is an array of `*count` strings owned by the handle.
 */
GATE_EXTERN int gate_docs(gate *g, const char *const **out, size_t *count);

/**
 * All versions of `doc`, oldest first: `(*out)[i].n == i + 1`. A document
 * that does not exist gives GATE_ENOTFOUND. The array belongs to the handle.
 */
GATE_EXTERN int gate_versions(gate *g, const char *doc,
	const gate_version_info **out, size_t *count);

/**
 * Version `n` of `doc`. GATE_ENOTFOUND with "privacy v9 does not exist;
 * latest is v3" when there is no such version.
 */
GATE_EXTERN int gate_version_lookup(gate *g, const char *doc, unsigned int n,
	const gate_version_info **out);

/**
 * The version of `doc` in force at time `at`: the newest whose effective
 * time is not after `at`. GATE_ENOTFOUND when none is in force yet.
 */
GATE_EXTERN int gate_version_in_force(gate *g, const char *doc, int64_t at,
	const gate_version_info **out);

/**
 * The newest version of `doc` published but not yet in force at `at`.
 * GATE_ENOTFOUND when there is none.
 */
GATE_EXTERN int gate_version_upcoming(gate *g, const char *doc, int64_t at,
	const gate_version_info **out);

/** What gate_text() served. */
typedef struct gate_text_info {
	unsigned int n;
	char locale[GATE_LOCALE_MAX + 1];     /**< the locale served (after fallback) */
	char blob_oid[GATE_OID_HEXSIZE + 1];
	char commit_oid[GATE_OID_HEXSIZE + 1];
	int fallback;                         /**< 1 when `locale` was not in the version */
} gate_text_info;

/**
 * The exact bytes of version `n` of `doc` in `locale` (NULL: the default
 * locale). A version that lacks the locale serves its default locale's text
 * and sets `info->fallback`. Reading is a direct object lookup. `out` must
 * be a GATE_BUF_INIT buffer or one already filled by the library; `info`
 * may be NULL.
 */
GATE_EXTERN int gate_text(gate *g, const char *doc, unsigned int n,
	const char *locale, gate_buf *out, gate_text_info *info);

/** The repository's default locale (gate.conf gate.defaultLocale; "en-GB"). */
GATE_EXTERN const char *gate_default_locale(gate *g);

/* ------------------------------------------------------------------------
 * Validation helpers, for bindings and user interfaces.
 */

/** 0 if `doc` is a valid document id, else GATE_EINVALID with a reason. */
GATE_EXTERN int gate_doc_id_check(const char *doc);

/** 0 if `locale` is a well-formed BCP 47 tag, else GATE_EINVALID. */
GATE_EXTERN int gate_locale_check(const char *locale);

/**
 * 0 if `user` is a valid user id (1 to 256 bytes of UTF-8, no control
 * characters), else GATE_EINVALID.
 */
GATE_EXTERN int gate_user_id_check(const char *user);

/* ------------------------------------------------------------------------
 * Policy repositories: creating, publishing, syncing (git side)
 */

/*
 * A policy repository is an ordinary git repository (bare or with a work
 * tree). Each document's texts live at `<doc>/<locale>.md` on the policy
 * branch (default `main`); each version is an annotated tag `<doc>/v<N>`
 * whose message carries Gate-Version, Gate-Change, Gate-Detected,
 * Gate-Effective and Gate-Locales trailers. Settings live in `gate.conf` at
 * the root of the branch, in git-config syntax. None of these functions is
 * available in the client build (GATE_WITH_GIT=OFF): they return
 * GATE_ENOTSUPPORTED there.
 */

/** gate_repository_init() flags. */
typedef enum gate_init_flags {
	GATE_INIT_BARE = (1u << 0) /**< no work tree */
} gate_init_flags;

#define GATE_INIT_OPTIONS_VERSION 1

/** Options for gate_repository_init(). NULL or 0 fields mean defaults. */
typedef struct gate_init_options {
	unsigned int version;        /**< GATE_INIT_OPTIONS_VERSION */
	unsigned int flags;          /**< gate_init_flags */
	const char *branch;          /**< the policy branch; NULL: "main" */
	const char *default_locale;  /**< NULL: "en-GB" */
	const char *author_name;     /**< NULL: $GIT_AUTHOR_NAME, else git config user.name */
	const char *author_email;    /**< NULL: $GIT_AUTHOR_EMAIL, else git config user.email */
} gate_init_options;

#define GATE_INIT_OPTIONS_INIT { GATE_INIT_OPTIONS_VERSION, 0, NULL, NULL, NULL, NULL }

/** Initialises `opts` to defaults; GATE_EVERSION for an unknown `version`. */
GATE_EXTERN int gate_init_options_init(gate_init_options *opts, unsigned int version);

/**
 * Creates a policy repository at `path` (creating missing folders): a git
 * repository whose policy branch holds one commit with a commented
 * `gate.conf`. An existing git repository without gate.conf gets that commit
 * on its branch; one that already has gate.conf is GATE_EEXISTS.
 */
GATE_EXTERN int gate_repository_init(const char *path, const gate_init_options *opts);

/** One locale's text in a publish. */
typedef struct gate_publish_text {
	const char *locale;  /**< BCP 47 tag; NULL: the repository's default locale */
	const char *text;    /**< UTF-8, no NUL bytes, not empty */
	size_t len;          /**< bytes in `text` */
} gate_publish_text;

/** gate_publish() flags. */
typedef enum gate_publish_flags {
	/** Compute and check everything, write nothing. */
	GATE_PUBLISH_DRY_RUN = (1u << 0)
} gate_publish_flags;

#define GATE_PUBLISH_OPTIONS_VERSION 1

/** Options for gate_publish(). NULL or 0 fields mean defaults. */
typedef struct gate_publish_options {
	unsigned int version;     /**< GATE_PUBLISH_OPTIONS_VERSION */
	unsigned int flags;       /**< gate_publish_flags */
	/** When the version comes into force; GATE_TIME_UNSET: the publish time. */
	int64_t effective;
	/**
	 * The decision to record. GATE_CHANGE_UNKNOWN: what the diff engine
	 * detects. Recording EDITORIAL where MATERIAL was detected needs `reason`.
	 */
	gate_change change;
	const char *reason;       /**< why the detected verdict was overridden (one line) */
	const char *summary;      /**< the publisher's summary; NULL: none */
	const char *author_name;  /**< the publisher; NULL: $GIT_AUTHOR_NAME, else git config user.name */
	const char *author_email; /**< NULL: $GIT_AUTHOR_EMAIL, else git config user.email */
} gate_publish_options;

#define GATE_PUBLISH_OPTIONS_INIT \
	{ GATE_PUBLISH_OPTIONS_VERSION, 0, GATE_TIME_UNSET, GATE_CHANGE_UNKNOWN, NULL, NULL, NULL, NULL }

/** Initialises `opts` to defaults; GATE_EVERSION for an unknown `version`. */
GATE_EXTERN int gate_publish_options_init(gate_publish_options *opts, unsigned int version);

/** What gate_publish() wrote (or, in a dry run, would write). */
typedef struct gate_publish_result {
	unsigned int n;           /**< the new version number */
	gate_change change;       /**< Gate-Change recorded */
	gate_change detected;     /**< Gate-Detected recorded */
	int64_t published;        /**< the publish time */
	int64_t effective;        /**< Gate-Effective */
	char tag_oid[GATE_OID_HEXSIZE + 1];    /**< "" in a dry run */
	char commit_oid[GATE_OID_HEXSIZE + 1]; /**< "" in a dry run */
} gate_publish_result;

/**
 * Publishes the next version of `doc` from `count` texts, one per locale;
 * the repository's default locale must be among them. One commit on the
 * policy branch changes only `<doc>/` (a locale left out is removed from
 * that version: it falls back to the default locale), and the annotated tag
 * `<doc>/v<N>` marks it. All objects and refs are written with fsync.
 *
 * Refused, with nothing written: a bad id or locale, empty or non-UTF-8 text,
 * NUL bytes, a text over gate.conf's gate.maxTextSize (4 MiB), text identical
 * to the latest version (GATE_EEXISTS), an effective time before the previous
 * version's, a missing publisher identity, and a repository another publish
 * holds for longer than the busy timeout (GATE_ELOCKED). Two publishers
 * racing for the same version end with exactly one version written.
 * The handle's cached versions are refreshed. `out` may be NULL.
 */
GATE_EXTERN int gate_publish(gate *g, const char *doc, const gate_publish_text *texts,
	size_t count, const gate_publish_options *opts, gate_publish_result *out);

/** What gate_repository_sync() did. */
typedef struct gate_sync_result {
	unsigned int new_versions;   /**< version tags added */
	int branch_updated;          /**< 1 when the policy branch moved forward */
	char branch_oid[GATE_OID_HEXSIZE + 1]; /**< the branch tip afterwards */
} gate_sync_result;

/**
 * Fetches the policy branch and the version tags of `remote` (a path or URL)
 * into the repository at `path`, creating a bare repository there when
 * nothing exists yet. Only fast-forwards of the branch and new version tags
 * are accepted: a remote that moved or rewrote an existing version tag, or
 * whose branch does not descend from ours, is refused with GATE_ECONFLICT
 * naming the tag or branch, and nothing local changes. `branch` NULL means
 * the local repository's policy branch, else "main". `out` may be NULL.
 */
GATE_EXTERN int gate_repository_sync(const char *path, const char *remote,
	const char *branch, gate_sync_result *out);

/* ------------------------------------------------------------------------
 * Material-change diffs and their renderers
 *
 * A diff compares two UTF-8 texts (Markdown or plain text) word by word and
 * gives an ordered list of changes and a verdict. A change is EDITORIAL when
 * it disappears under normalisation: Unicode NFKC and case folding;
 * typographic quotes, dashes, ellipses and non-breaking spaces read as plain
 * ones; any run of whitespace equal to any other (re-wrapped paragraphs,
 * blank lines, CR LF); Markdown markup that does not change the words
 * (heading markers, emphasis, list markers); punctuation alone; and the
 * notice's own date-stamp line ("Last updated: 1 March 2026"; gate.conf
 * diff.datePattern). Everything else is MATERIAL: any word, number, e-mail
 * address, URL or name added, removed or replaced, however small. Category
 * and hint bits help a person read a change; they never change a verdict.
 *
 * The verdict is safe by construction: besides judging each change, the
 * diff compares both texts' whole sequences of meaningful tokens (words,
 * numbers, addresses, symbols, normalised), and a difference that no
 * material change accounts for (a line that stops being a date line, say)
 * makes the changes around it material.
 *
 * gate.conf settings read by the diff (git-config syntax):
 *
 *   [diff]
 *       datePattern = Stand: {date}      ; more date-stamp lines (multi-valued)
 *   [category "retention"]
 *       keyword = archive                ; more words for a category (multi-valued)
 *
 * Each adds to libgate's defaults; an empty value (`datePattern =`,
 * `keyword =`) drops the defaults and every value given before it, so the
 * values after it replace them. A keyword is one word, matched after case
 * folding: up to three letters it must be the whole word, longer it
 * matches every word it begins ("archiv" matches "archived"). A bad
 * pattern, an unknown category or an unknown key is GATE_EINVALID naming
 * the setting.
 */

typedef struct gate_diff gate_diff;

/** What a material change is about (bits of gate_diff_change.categories). */
typedef enum gate_category {
	GATE_CATEGORY_SHARING   = (1u << 0),  /**< "sharing": recipients, processors, selling */
	GATE_CATEGORY_TRANSFERS = (1u << 1),  /**< "transfers": international transfers */
	GATE_CATEGORY_RETENTION = (1u << 2),  /**< "retention": how long data is kept */
	GATE_CATEGORY_PURPOSES  = (1u << 3),  /**< "purposes": why data is used, lawful basis */
	GATE_CATEGORY_DATA      = (1u << 4),  /**< "data": categories of personal data */
	GATE_CATEGORY_RIGHTS    = (1u << 5),  /**< "rights": access, erasure, objection, complaints */
	GATE_CATEGORY_CONTACT   = (1u << 6),  /**< "contact": controller, DPO, addresses */
	GATE_CATEGORY_SECURITY  = (1u << 7),  /**< "security": safeguards, breaches */
	GATE_CATEGORY_CHILDREN  = (1u << 8),  /**< "children": age limits, parental consent */
	GATE_CATEGORY_COOKIES   = (1u << 9),  /**< "cookies": cookies, tracking, analytics */
	GATE_CATEGORY_CHANGES   = (1u << 10)  /**< "changes": how the notice itself changes */
} gate_category;

#define GATE_CATEGORY_COUNT 11

/**
 * The name of one category bit ("sharing", "transfers"...), as used in JSON
 * and in gate.conf's [category "NAME"] sections. Static; "" for anything
 * that is not exactly one known bit.
 */
GATE_EXTERN const char *gate_category_name(unsigned int category);

/** Hints for the reader of a change (bits of gate_diff_change.hints). */
typedef enum gate_diff_hint {
	/** A one-word replacement that looks like a spelling fix. Still material. */
	GATE_HINT_POSSIBLE_TYPO = (1u << 0),
	/** A number changed, appeared or disappeared. */
	GATE_HINT_NUMBER        = (1u << 1),
	/** An e-mail address or URL changed, appeared or disappeared. */
	GATE_HINT_LINK          = (1u << 2),
	/** A negation ("not", "never", "no"...) appeared or disappeared. */
	GATE_HINT_NEGATION      = (1u << 3)
} gate_diff_hint;

/** "possible-typo", "number", "link", "negation"; "" otherwise. Static. */
GATE_EXTERN const char *gate_hint_name(unsigned int hint);

/** Why an editorial change is editorial (bits of gate_diff_change.editorial). */
typedef enum gate_editorial {
	GATE_EDITORIAL_WHITESPACE  = (1u << 0), /**< spaces, tabs, line breaks, re-wrapping */
	GATE_EDITORIAL_PUNCTUATION = (1u << 1), /**< punctuation only */
	GATE_EDITORIAL_TYPOGRAPHY  = (1u << 2), /**< curly quotes, dashes, ellipses, no-break spaces */
	GATE_EDITORIAL_CASE        = (1u << 3), /**< upper or lower case only */
	GATE_EDITORIAL_UNICODE     = (1u << 4), /**< compatibility forms (NFKC): ligatures, widths */
	GATE_EDITORIAL_MARKUP      = (1u << 5), /**< Markdown headings, emphasis, list markers */
	GATE_EDITORIAL_DATE_LINE   = (1u << 6)  /**< the notice's date-stamp line */
} gate_editorial;

/** "whitespace", "punctuation", "typography", "case", "unicode", "markup", "date-line"; "" otherwise. */
GATE_EXTERN const char *gate_editorial_name(unsigned int reason);

/** One change. Every pointer belongs to the diff and lives as long as it. */
typedef struct gate_diff_change {
	gate_change kind;          /**< GATE_CHANGE_EDITORIAL or GATE_CHANGE_MATERIAL */
	const char *removed;       /**< the exact old bytes (not NUL-terminated: use removed_len) */
	size_t removed_len;
	const char *added;         /**< the exact new bytes (not NUL-terminated: use added_len) */
	size_t added_len;
	size_t old_offset;         /**< byte offset of `removed` in the old text */
	size_t new_offset;         /**< byte offset of `added` in the new text */
	unsigned int old_line;     /**< 1-based line of old_offset */
	unsigned int new_line;     /**< 1-based line of new_offset */
	/**
	 * The heading the change falls under (the nearest at or before it in
	 * the new text; in the old text for a pure deletion), without markup,
	 * NUL-terminated; "" for none. Headings are ATX ("# ...") and setext
	 * Markdown headings, lines that are only bold text, and in plain text
	 * short title-like lines standing alone (not ending like a sentence
	 * or in an ellipsis).
	 */
	const char *section;
	/** gate_category bits, from the changed words and the section heading
	 *  (from the rest of their sentence only when those name none); 0 for
	 *  editorial changes */
	unsigned int categories;
	unsigned int hints;        /**< gate_diff_hint bits */
	unsigned int editorial;    /**< gate_editorial bits; 0 for material changes */
} gate_diff_change;

/** Totals over a diff. */
typedef struct gate_diff_stats {
	size_t changes;            /**< number of changes */
	size_t material;           /**< of which material */
	size_t editorial;          /**< of which editorial */
	size_t words_removed;      /**< words in removed text, over all changes */
	size_t words_added;        /**< words in added text, over all changes */
	size_t old_words, new_words; /**< words in each text */
	size_t old_bytes, new_bytes; /**< size of each text */
	int coarse;                /**< 1 when the edit search hit its cap and part of
	                                the diff is coarser than word level (still exact) */
} gate_diff_stats;

/** One side of a diff: which text it is. Strings belong to the diff. */
typedef struct gate_diff_side {
	const char *label;         /**< "privacy v2 (en-GB)", a file name, or "" */
	const char *doc;           /**< the document; NULL for texts given directly */
	unsigned int n;            /**< the version; 0 for texts given directly or "no version" */
	const char *locale;        /**< the locale served; NULL when not a version */
	const char *blob_oid;      /**< the text's blob id; NULL when not a version */
	int64_t effective;         /**< the version's effective time; GATE_TIME_UNSET otherwise */
} gate_diff_side;

#define GATE_DIFF_OPTIONS_VERSION 1

/** Options for gate_diff_texts() and gate_diff_versions(). Zero or NULL fields mean defaults. */
typedef struct gate_diff_options {
	unsigned int version;        /**< GATE_DIFF_OPTIONS_VERSION */
	unsigned int flags;          /**< reserved; 0 */
	/**
	 * Date-stamp line patterns (POSIX extended regular expressions, matched
	 * case-insensitively against the whole of a line with its Markdown
	 * markup removed and its whitespace collapsed; "{date}" stands for a
	 * date in any of the usual English forms: 1 March 2026, 1st of March
	 * 2026, March 1, 2026, March 2026, 2026-03-01, 01/03/2026). NULL:
	 * libgate's defaults ("Last updated/revised/modified/reviewed",
	 * "Updated", "Effective date/from/as of", "Date of last update",
	 * "Version date", each followed by a date) with gate.conf's
	 * diff.datePattern values when a handle is given. Non-NULL: exactly
	 * these (`date_pattern_count` of them; 0 means no date lines at all).
	 */
	const char *const *date_patterns;
	size_t date_pattern_count;
	/**
	 * The most work the word-level edit search may do in one changed
	 * region before it falls back to a coarser (still exact) diff of that
	 * region, and sets gate_diff_stats.coarse; 0: the default (about 8
	 * million steps, tens of milliseconds). Tests lower it to exercise the
	 * fallback. The verdict never depends on it.
	 */
	unsigned long max_cost;
} gate_diff_options;

#define GATE_DIFF_OPTIONS_INIT { GATE_DIFF_OPTIONS_VERSION, 0, NULL, 0, 0 }

/** Initialises `opts` to defaults; GATE_EVERSION for an unknown `version`. */
GATE_EXTERN int gate_diff_options_init(gate_diff_options *opts, unsigned int version);

/**
 * Compares two texts. `g` may be NULL; when given, its gate.conf supplies
 * the date-stamp patterns and the category keywords. `old_text` may be
 * empty (a first version: everything is added). Invalid UTF-8 or a NUL
 * byte in either text is GATE_EINVALID, naming the text and byte offset.
 * Identical texts give no changes. On success `*out` is a diff to release
 * with gate_diff_free(); on failure it is NULL.
 */
GATE_EXTERN int gate_diff_texts(gate_diff **out, gate *g,
	const char *old_text, size_t old_len, const char *new_text, size_t new_len,
	const gate_diff_options *opts);

/**
 * Compares versions `from` and `to` of `doc` in `locale` (NULL: the default
 * locale; a version without it serves the default locale's text). `from` 0
 * means "no version" (everything in `to` is added). Missing versions are
 * GATE_ENOTFOUND ("privacy v9 does not exist; latest is v3").
 */
GATE_EXTERN int gate_diff_versions(gate_diff **out, gate *g, const char *doc,
	unsigned int from, unsigned int to, const char *locale, const gate_diff_options *opts);

/** Releases a diff. NULL is a no-op. */
GATE_EXTERN void gate_diff_free(gate_diff *diff);

/** 1 when any change is material, else 0 (also for no change at all). */
GATE_EXTERN int gate_diff_is_material(const gate_diff *diff);

/** The number of changes. */
GATE_EXTERN size_t gate_diff_change_count(const gate_diff *diff);

/** Change `i`, in text order; NULL when `i` is out of range. Owned by the diff. */
GATE_EXTERN const gate_diff_change *gate_diff_change_at(const gate_diff *diff, size_t i);

/** The totals. Owned by the diff; never NULL for a valid diff. */
GATE_EXTERN const gate_diff_stats *gate_diff_get_stats(const gate_diff *diff);

/** The old side (`which` 0) or the new side (`which` 1); NULL otherwise. Owned by the diff. */
GATE_EXTERN const gate_diff_side *gate_diff_get_side(const gate_diff *diff, int which);

/** Replaces the labels renderers show for the two sides (NULL keeps one). Copies them. */
GATE_EXTERN int gate_diff_set_labels(gate_diff *diff, const char *old_label, const char *new_label);

/** Output formats of gate_diff_render(). */
typedef enum gate_diff_format {
	/** Unified style: changed lines with "-" and "+", changed words highlighted. */
	GATE_DIFF_FORMAT_TEXT = 0,
	/** git's --word-diff=plain style: [-old-]{+new+} inline, with context lines. */
	GATE_DIFF_FORMAT_WORD = 1,
	/** One JSON object: sides, verdict, changes, stats. */
	GATE_DIFF_FORMAT_JSON = 2,
	/** One self-contained HTML page for the end user (inline CSS, no scripts). */
	GATE_DIFF_FORMAT_HTML = 3
} gate_diff_format;

/** gate_render_options flags. */
typedef enum gate_render_flags {
	GATE_RENDER_COLOR = (1u << 0),         /**< ANSI colours (text and word formats) */
	GATE_RENDER_NO_CONTEXT = (1u << 1),    /**< no context lines around changes */
	GATE_RENDER_MATERIAL_ONLY = (1u << 2)  /**< leave editorial changes out */
} gate_render_flags;

#define GATE_RENDER_OPTIONS_VERSION 1

/** Options for gate_diff_render(). Zero or NULL fields mean defaults. */
typedef struct gate_render_options {
	unsigned int version;   /**< GATE_RENDER_OPTIONS_VERSION */
	unsigned int flags;     /**< gate_render_flags */
	unsigned int context;   /**< context lines around a change (text, word); 0: 3 */
	const char *title;      /**< HTML page title; NULL: one made from the sides */
	const char *lang;       /**< HTML lang attribute (BCP 47); NULL: the new side's locale, else "en" */
} gate_render_options;

#define GATE_RENDER_OPTIONS_INIT { GATE_RENDER_OPTIONS_VERSION, 0, 0, NULL, NULL }

/** Initialises `opts` to defaults; GATE_EVERSION for an unknown `version`. */
GATE_EXTERN int gate_render_options_init(gate_render_options *opts, unsigned int version);

/**
 * Renders `diff` in `format` (a gate_diff_format), replacing the contents
 * of `out`. `opts` may be NULL.
 */
GATE_EXTERN int gate_diff_render(const gate_diff *diff, int format,
	const gate_render_options *opts, gate_buf *out);

/* ------------------------------------------------------------------------
 * Acceptance store and the gate decision
 *
 * Each handle records acceptances in its SQLite database (gate_options
 * db_path): an append-only log of events (accept, revoke), each chained to
 * the one before by SHA-256, that never holds a raw user id (only a salted
 * commitment) nor any notice text (only the document, version and git ids of
 * the exact text shown). A derived table holds each user's latest state per
 * document, so that gate_check() is one indexed lookup.
 *
 * The host app must FAIL CLOSED: when gate_check() returns an error (an
 * unreadable repository, a corrupt database), treat it as GATE_BLOCK.
 * Writes wait up to the handle's busy timeout for other writers; any number
 * of handles in any number of threads and processes may share a database.
 */

/** What the app should do (gate_check()). Ordered: a larger value is stronger. */
typedef enum gate_outcome {
	GATE_ALLOW = 0,   /**< let the user in */
	GATE_NOTIFY = 1,  /**< let the user in, and show what changed (editorial, or upcoming) */
	GATE_BLOCK = 2    /**< the user must accept `target` before going on */
} gate_outcome;

/** "allow", "notify", "block"; "unknown" otherwise. Static. */
GATE_EXTERN const char *gate_outcome_name(int outcome);

/** A decision for one user and one document, with what the prompt needs. */
typedef struct gate_decision {
	int outcome;                 /**< a gate_outcome */
	char doc[GATE_DOC_MAX + 1];  /**< the document */
	unsigned int accepted;       /**< the newest version accepted; 0: never, or revoked */
	int64_t accepted_at;         /**< when; GATE_TIME_UNSET when `accepted` is 0 */
	int revoked;                 /**< 1 when the user's last act on the document was a revoke */
	unsigned int required;       /**< the version in force; 0 when none is in force yet */
	unsigned int upcoming;       /**< the newest version published but not yet in force; 0: none */
	/**
	 * The version to ask the user to accept: `required` for BLOCK and for
	 * an editorial NOTIFY, `upcoming` for a NOTIFY about an upcoming
	 * material version (accepting early is allowed); 0 for ALLOW.
	 */
	unsigned int target;
	int64_t effective;           /**< when `target` takes (or took) effect; GATE_TIME_UNSET when 0 */
	/** 1 when a material version lies after `accepted`, up to and including `target`. */
	int material;
} gate_decision;

/**
 * Decides whether `user` may go on, for `doc`, at the handle's clock time:
 *
 * - no version of `doc` published (or none in force and none upcoming): ALLOW;
 * - never accepted, or revoked: BLOCK on the version in force;
 * - accepted A older than the version in force N: BLOCK when any version
 *   after A up to N is material, NOTIFY when they are all editorial;
 * - accepted the version in force or later: NOTIFY when a material version
 *   is upcoming (show it with its effective date), else ALLOW.
 *
 * Returns the outcome (GATE_ALLOW, GATE_NOTIFY or GATE_BLOCK, also stored
 * in `out`) or a negative error code. Errors must be treated as GATE_BLOCK
 * (on an error `out->outcome` is GATE_BLOCK too). A version whose change
 * is unknown counts as material.
 * A user the store has never seen is simply "never accepted"; the check
 * writes nothing.
 */
GATE_EXTERN int gate_check(gate *g, const char *user, const char *doc, gate_decision *out)
	GATE_WARN_UNUSED_RESULT;

/**
 * gate_check() for every published document. `*out` is an array of `*count`
 * decisions sorted by document, owned by the handle and valid until the
 * next gate_check_all() on it. Returns the strongest outcome, or a negative
 * error code (fail closed).
 */
GATE_EXTERN int gate_check_all(gate *g, const char *user,
	const gate_decision **out, size_t *count) GATE_WARN_UNUSED_RESULT;

/** Event types in the log. */
typedef enum gate_event_type {
	GATE_EVENT_ACCEPT = 1,
	GATE_EVENT_REVOKE = 2
} gate_event_type;

/** Bytes of a SHA-256 written as hex, NUL included. */
#define GATE_HASH_HEXSIZE 65
/** Longest acceptance method ("desktop-dialog"), in bytes: [a-z0-9._-], 1 to 32. */
#define GATE_METHOD_MAX 32
/** Longest client or app version string, in bytes. */
#define GATE_CLIENT_MAX 128

/** What gate_accept() or gate_revoke() recorded. */
typedef struct gate_receipt {
	int recorded;                 /**< 1: a new event was appended; 0: already so, nothing written */
	int64_t seq;                  /**< the event's sequence number (the existing one when not recorded) */
	int type;                     /**< a gate_event_type */
	unsigned int n;               /**< the version accepted or revoked */
	char locale[GATE_LOCALE_MAX + 1];        /**< the locale whose text was shown (after fallback) */
	char commit_oid[GATE_OID_HEXSIZE + 1];   /**< the version's commit */
	char blob_oid[GATE_OID_HEXSIZE + 1];     /**< the exact text shown */
	int64_t at;                   /**< when, by the handle's clock */
	char hash[GATE_HASH_HEXSIZE]; /**< the event's chain hash */
} gate_receipt;

/**
 * Records that `user` accepted version `n` of `doc` as shown in `locale`
 * (NULL: the default locale; a version without it showed the default
 * locale's text, and that is what is recorded). `n` 0 means the version
 * gate_check() asks for (its `target`, else the version in force). `method`
 * says how ("desktop-dialog", "web", "import"; NULL: "api"); `client` is
 * the app and its version ("acme-desktop 4.2"; NULL: ""). The user is
 * registered at first acceptance. Accepting an older version than one
 * already accepted is refused (GATE_ECONFLICT); accepting the same version
 * again writes nothing and sets `out->recorded` to 0. When this returns 0
 * the event is durable (committed with synchronous=FULL unless the handle
 * was opened with GATE_OPEN_RELAXED_SYNC). `out` may be NULL.
 */
GATE_EXTERN int gate_accept(gate *g, const char *user, const char *doc, unsigned int n,
	const char *locale, const char *method, const char *client, gate_receipt *out);

/**
 * Records that `user` withdrew their acceptance of `doc`: from now on
 * gate_check() blocks them until they accept again. GATE_ENOTFOUND when they
 * have no acceptance of it to withdraw. `method` and `client` as for
 * gate_accept(). `out` may be NULL.
 */
GATE_EXTERN int gate_revoke(gate *g, const char *user, const char *doc,
	const char *method, const char *client, gate_receipt *out);

/**
 * Registers users the organisation knows, so that reports list those who
 * never accepted anything, all in one transaction (all or nothing).
 * Already known users are skipped; `added` (may be NULL) receives how many
 * were new. Each id is checked as gate_user_id_check() does.
 */
GATE_EXTERN int gate_users_add(gate *g, const char *const *users, size_t count, size_t *added);

/**
 * gate_users_add() for a list in `data`: one id a line (blank lines are
 * skipped; a CR before the LF is dropped), or CSV (RFC 4180) whose header
 * row has a `user` column. One transaction; a bad id is named by its line
 * ("line 7: user id is empty"). `rows` (may be NULL) receives how many ids
 * were read, `added` (may be NULL) how many were new.
 */
GATE_EXTERN int gate_users_import(gate *g, const char *data, size_t len, size_t *rows, size_t *added);

/** Called once per known user, in id order; a non-zero return stops the walk and is returned. */
typedef int (*gate_user_fn)(const char *user, int64_t first_seen, void *payload);

/** Calls `fn` for every known user. */
GATE_EXTERN int gate_users_each(gate *g, gate_user_fn fn, void *payload);

/**
 * Erases `user`: deletes their subject row (id and salt) and derived state.
 * Their events stay in the log and the chain still verifies, but nothing
 * links those events to the person any more. GATE_ENOTFOUND for an unknown
 * user.
 */
GATE_EXTERN int gate_user_forget(gate *g, const char *user);

/**
 * The evidence for one user, as one JSON object in `out`: the user, their
 * salt and commitment (so anyone can check the commitment), every event of
 * theirs with its hashes and the ids of the exact text shown, and their
 * current decision per document. GATE_ENOTFOUND for an unknown user.
 */
GATE_EXTERN int gate_user_export(gate *g, const char *user, gate_buf *out);

/** What gate_import_csv() did. */
typedef struct gate_import_result {
	size_t rows;          /**< data rows read */
	size_t recorded;      /**< events appended */
	size_t skipped;       /**< rows already recorded (same user, document and version) */
	size_t users_added;   /**< users registered by the import */
} gate_import_result;

/**
 * Imports acceptances recorded by an earlier system from CSV (RFC 4180,
 * UTF-8, a header row `user,doc,version,accepted_at,method`; version as 3 or
 * v3; accepted_at RFC 3339 or YYYY-MM-DD; method optional, default
 * "import"; optional columns locale and client too), in one transaction: any
 * bad row ("line 12: privacy v9 does not exist; latest is v3") leaves the
 * database as it was. Rows enter the log user by user (in id order), each
 * user's in time order; an acceptance older than one the user already has
 * is refused (GATE_ECONFLICT, naming its line). A known user's first-seen
 * time moves back to their oldest acceptance in the file when that is
 * earlier (users registered before their older acceptances came in), also
 * when the rows were recorded already. `out` may be NULL.
 */
GATE_EXTERN int gate_import_csv(gate *g, const char *csv, size_t len, gate_import_result *out);

/** What gate_verify() found. */
typedef struct gate_verify_result {
	int64_t events;               /**< events checked */
	int64_t users;                /**< known users */
	int64_t checkpoints;          /**< checkpoints found and checked */
	int64_t first_bad_seq;        /**< the first event that fails; 0 when none */
	char head_hash[GATE_HASH_HEXSIZE]; /**< the chain head; "" for an empty log */
} gate_verify_result;

/**
 * Recomputes the hash chain, replays the events and compares the result with
 * the derived state, checks that every version an event names exists with
 * the recorded commit and blob ids, and that the chain passes through every
 * checkpoint in the policy repository. Returns 0 when everything holds;
 * GATE_ECORRUPT naming the first bad event otherwise. `out` may be NULL.
 */
GATE_EXTERN int gate_verify(gate *g, gate_verify_result *out);

/** What gate_checkpoint() wrote. */
typedef struct gate_checkpoint_result {
	int64_t seq;                          /**< the chain head's sequence number */
	char hash[GATE_HASH_HEXSIZE];         /**< and its hash */
	char commit_oid[GATE_OID_HEXSIZE + 1]; /**< the checkpoint commit on refs/gate/checkpoints */
} gate_checkpoint_result;

/**
 * Writes the chain head (sequence number and hash) into the policy
 * repository as a commit on refs/gate/checkpoints, so that gate_verify()
 * can later tell a database rewritten wholesale. Needs a repository (not a
 * pack); GATE_ENOTSUPPORTED otherwise. `out` may be NULL.
 */
GATE_EXTERN int gate_checkpoint(gate *g, gate_checkpoint_result *out);

/* ------------------------------------------------------------------------
 * Reports: who is pending, uptake
 *
 * gate_pending() walks every known user (registered with gate_users_add(),
 * or at their first acceptance) in id order and decides, for each published
 * document, exactly as gate_check() would at time `as_of`. It hands every
 * (user, document) whose decision is NOTIFY or BLOCK to a callback and sums
 * up everyone. It streams: memory does not grow with the number of users.
 * gate_pending_render() writes the same report as a table, CSV, JSON or an
 * HTML page through the caller's write callback, so that a report of a
 * million rows never sits in memory.
 *
 * gate_uptake_new() replays one document's events to tell, day by day since
 * each version was published, which share of the known users had accepted
 * it or a later version.
 */

/** One user pending on one document (gate_pending()). */
typedef struct gate_pending_row {
	const char *user;                /**< the user id; valid until the callback returns */
	int64_t first_seen;              /**< when the store first saw the user */
	/** What gate_check() would answer at `as_of`: GATE_NOTIFY or GATE_BLOCK,
	 * the version accepted, the version to accept (`target`) and its
	 * effective time, and whether a material change lies between. Valid
	 * until the callback returns. */
	const gate_decision *decision;
	/**
	 * Since when the user has had something to accept without a break:
	 * the earliest time from which gate_check() would have answered NOTIFY
	 * or BLOCK at every moment up to `as_of`, given the versions published
	 * by then, and no earlier than their first-seen time or their last act
	 * on the document.
	 */
	int64_t pending_since;
	int64_t days_pending;            /**< whole days from `pending_since` to `as_of` */
} gate_pending_row;

/**
 * Called once per pending row, users in id order and each user's documents
 * in id order. A non-zero return stops the walk, and gate_pending() returns
 * that value.
 */
typedef int (*gate_pending_fn)(const gate_pending_row *row, void *payload);

/** Totals for one document over every known user. */
typedef struct gate_pending_doc {
	const char *doc;            /**< the document id */
	unsigned int latest;        /**< the newest version published; 0: none */
	unsigned int in_force;      /**< the version in force at `as_of`; 0: none yet */
	int64_t in_force_since;     /**< its effective time; GATE_TIME_UNSET when none */
	/** Users who accepted the version in force or a later one (0 when none is in force). */
	size_t current;
	size_t allow, notify, block; /**< users by decision; they add up to the users known */
	size_t revoked;             /**< users whose last act was a withdrawal */
	/**
	 * Users by the newest version they accept, `latest` + 1 entries:
	 * by_version[0] never accepted or withdrew, by_version[n] accepted vn.
	 * A version the repository does not know (the database is newer than
	 * it) counts as `latest`, as gate_check() counts it.
	 */
	const size_t *by_version;
} gate_pending_doc;

/** What gate_pending() counted. Initialise with GATE_PENDING_TOTALS_INIT. */
typedef struct gate_pending_totals {
	int64_t as_of;              /**< the time decided at */
	size_t users;               /**< users known */
	size_t rows;                /**< rows handed to the callback */
	size_t notify, block;       /**< rows by decision */
	size_t users_block;         /**< users who must accept at least one document */
	size_t users_notify;        /**< users who should see a notice and have nothing to accept */
	size_t doc_count;           /**< entries in `docs` */
	/** Per document, sorted by id; owned by the totals until gate_pending_totals_dispose(). */
	const gate_pending_doc *docs;
} gate_pending_totals;

#define GATE_PENDING_TOTALS_INIT { 0, 0, 0, 0, 0, 0, 0, 0, NULL }

/** Frees what the totals own and resets them to GATE_PENDING_TOTALS_INIT. NULL is a no-op. */
GATE_EXTERN void gate_pending_totals_dispose(gate_pending_totals *totals);

/**
 * Decides for every known user and `doc` (NULL: every published document)
 * at `as_of` (GATE_TIME_UNSET: the handle's clock), calling `fn` (may be
 * NULL) for each NOTIFY or BLOCK. A document that has no published version
 * is not an error: everyone is ALLOW on it, as gate_check() says. An
 * `as_of` before the handle's clock is answered from the event log, as it
 * stood then: only the users known by then (first seen, or first acting, by
 * `as_of`), their acts up to then and the versions published by then; a
 * forgotten user is not known at any time.
 * `totals` (may be NULL) must be GATE_PENDING_TOTALS_INIT or totals the
 * library filled before (they are disposed of and filled again), and is
 * filled when the walk ends without error or stop. The walk reads one
 * consistent snapshot of the database.
 */
GATE_EXTERN int gate_pending(gate *g, const char *doc, int64_t as_of,
	gate_pending_fn fn, void *payload, gate_pending_totals *totals);

/**
 * Receives `len` bytes of a rendered report (not NUL-terminated; `data`
 * lives until the call returns). A non-zero return stops the rendering,
 * and the rendering call returns that value.
 */
typedef int (*gate_write_fn)(const char *data, size_t len, void *payload);

/** Report formats. */
typedef enum gate_report_format {
	/** Columns aligned for a terminal, then the totals. */
	GATE_REPORT_TABLE = 0,
	/** RFC 4180 CSV, UTF-8, CRLF line ends, a header row; the rows only. */
	GATE_REPORT_CSV = 1,
	/** One JSON object: the rows (streamed), then the totals. */
	GATE_REPORT_JSON = 2,
	/** One self-contained HTML page (inline CSS and SVG, no scripts, no external assets). */
	GATE_REPORT_HTML = 3
} gate_report_format;

/** "table", "csv", "json", "html"; "" otherwise. Static. */
GATE_EXTERN const char *gate_report_format_name(int format);

#define GATE_REPORT_OPTIONS_VERSION 1

/** Options for gate_pending_render() and gate_uptake_render(). */
typedef struct gate_report_options {
	unsigned int version;   /**< GATE_REPORT_OPTIONS_VERSION */
	int format;             /**< a gate_report_format */
	/** The time to decide at; GATE_TIME_UNSET: the handle's clock (pending only). */
	int64_t as_of;
	const char *title;      /**< the HTML page's title; NULL: one made from the document */
	/** The HTML page lists this many rows, then says how many more there are; 0: 1000. */
	size_t html_rows;
} gate_report_options;

#define GATE_REPORT_OPTIONS_INIT { GATE_REPORT_OPTIONS_VERSION, GATE_REPORT_TABLE, GATE_TIME_UNSET, NULL, 0 }

/** Initialises `opts` to defaults; GATE_EVERSION for an unknown `version`. */
GATE_EXTERN int gate_report_options_init(gate_report_options *opts, unsigned int version);

/**
 * Renders the pending report of `doc` (NULL: every published document)
 * through `write`. `opts` may be NULL (a table, now). The table format walks
 * the users twice (once to size its columns); the others once. The HTML page
 * keeps at most `html_rows` rows in memory. `totals` may be NULL; see
 * gate_pending() for how to pass it.
 */
GATE_EXTERN int gate_pending_render(gate *g, const char *doc, const gate_report_options *opts,
	gate_write_fn write, void *payload, gate_pending_totals *totals);

/** Uptake of the versions of one document, day by day (gate_uptake_new()). */
typedef struct gate_uptake gate_uptake;

/**
 * One day of one version's uptake, counted at the end of the day (UTC), or
 * at `as_of` on its last day. A user is known on a day when the store
 * knows them today (a forgotten user no longer counts, nor do their events)
 * and their first-seen time or their first act on the document came by the
 * end of that day.
 */
typedef struct gate_uptake_day {
	int64_t day;         /**< midnight UTC at the start of the day */
	size_t known;        /**< users known */
	size_t accepted;     /**< of those, users whose acceptance of this version or a later one stood */
} gate_uptake_day;

/** One version's uptake. */
typedef struct gate_uptake_version {
	unsigned int n;
	gate_change change;
	int64_t published;
	int64_t effective;
	size_t day_count;                /**< entries in `days`; 0 when published after `as_of` */
	const gate_uptake_day *days;     /**< from the day it was published to `as_of`'s day */
} gate_uptake_version;

/**
 * Computes the uptake of every version of `doc` up to `as_of`
 * (GATE_TIME_UNSET: the handle's clock), from the event log: acts after
 * `as_of` are left out. An act recorded after a later-numbered one (an
 * import of old records) counts from the earlier act's time, so that the
 * last day agrees with gate_check(). A document with no published version
 * gives no versions. On success `*out` is released with gate_uptake_free();
 * on failure it is NULL. Memory grows with versions times days, not users.
 */
GATE_EXTERN int gate_uptake_new(gate_uptake **out, gate *g, const char *doc, int64_t as_of);

/** The document. Owned by `u`. */
GATE_EXTERN const char *gate_uptake_doc(const gate_uptake *u);

/** The time counted up to. */
GATE_EXTERN int64_t gate_uptake_as_of(const gate_uptake *u);

/** Users known at `as_of`. */
GATE_EXTERN size_t gate_uptake_users(const gate_uptake *u);

/** The number of versions (the document's versions, oldest first). */
GATE_EXTERN size_t gate_uptake_version_count(const gate_uptake *u);

/** Version `i` (0-based: its `n` is i + 1); NULL when out of range. Owned by `u`. */
GATE_EXTERN const gate_uptake_version *gate_uptake_version_at(const gate_uptake *u, size_t i);

/**
 * Renders the uptake through `write` as a table (a row per day, a column
 * per version), CSV (the same, with the counts), JSON or an HTML page with
 * a line chart. `opts` may be NULL; its `as_of` is not used (the uptake
 * has its own).
 */
GATE_EXTERN int gate_uptake_render(const gate_uptake *u, const gate_report_options *opts,
	gate_write_fn write, void *payload);

/** Releases the uptake. NULL is a no-op. */
GATE_EXTERN void gate_uptake_free(gate_uptake *u);

/* ------------------------------------------------------------------------
 * Packs: offline policy packs for mobile clients
 */

/*
 * A pack is one file holding every version's metadata and the texts a
 * client may need, zlib-compressed, with a SHA-256 over it and optionally an
 * Ed25519 signature (docs/pack-format.md). gate_open() with `pack_path` reads
 * one instead of a repository; checking, accepting, diffing and rendering
 * then behave exactly as with the repository. The client build
 * (GATE_WITH_GIT=OFF) reads and writes packs without libgit2.
 */

/** Sizes of publisher keys, also as functions for bindings. */
#define GATE_PACK_PUBLICKEYBYTES 32
#define GATE_PACK_SECRETKEYBYTES 64
GATE_EXTERN size_t gate_pack_publickeybytes(void);
GATE_EXTERN size_t gate_pack_secretkeybytes(void);

/**
 * Makes a new publisher key pair: `public_key` (GATE_PACK_PUBLICKEYBYTES)
 * goes into the app, `secret_key` (GATE_PACK_SECRETKEYBYTES) stays with the
 * publisher.
 */
GATE_EXTERN int gate_pack_keygen(unsigned char *public_key, unsigned char *secret_key);

#define GATE_PACK_OPTIONS_VERSION 1

/** Options for gate_pack_write(). NULL or 0 fields mean defaults. */
typedef struct gate_pack_options {
	unsigned int version;        /**< GATE_PACK_OPTIONS_VERSION */
	const char *const *docs;     /**< the documents to pack; NULL: all */
	size_t doc_count;            /**< entries in `docs` */
	/** Keep the texts of each document's last `keep` versions; 0: all. */
	unsigned int keep;
	/** Sign with this secret key (GATE_PACK_SECRETKEYBYTES); NULL: unsigned. */
	const unsigned char *secret_key;
} gate_pack_options;

#define GATE_PACK_OPTIONS_INIT { GATE_PACK_OPTIONS_VERSION, NULL, 0, 0, NULL }

/** Initialises `opts` to defaults; GATE_EVERSION for an unknown `version`. */
GATE_EXTERN int gate_pack_options_init(gate_pack_options *opts, unsigned int version);

/**
 * Writes a pack of the handle's repository (or pack) into `out`, replacing
 * its contents. Every version's metadata is included, and the gate.conf
 * settings that the diff engine uses.
 */
GATE_EXTERN int gate_pack_write(gate *g, const gate_pack_options *opts, gate_buf *out);

/** What a pack holds (gate_pack_inspect()). */
typedef struct gate_pack_info {
	unsigned int format;          /**< format version */
	int is_signed;                /**< 1 when the pack carries a signature */
	int signature_checked;        /**< 1 when a public key was given and the signature verified */
	int64_t created;              /**< when the pack was made */
	char source_commit[GATE_OID_HEXSIZE + 1];
	size_t file_size;             /**< bytes on disk */
	size_t raw_size;              /**< payload bytes before compression */
	size_t doc_count, version_count, text_count;
	size_t text_bytes;            /**< total bytes of the texts it holds */
} gate_pack_info;

/**
 * Reads and checks the pack at `path` (size, hash, decompression, format and,
 * when `public_key` is not NULL, the signature) and describes it. Any
 * failed check is GATE_ECORRUPT, or GATE_ESIGNATURE for a missing or bad
 * signature, with a message naming it.
 */
GATE_EXTERN int gate_pack_inspect(const char *path, const unsigned char *public_key,
	gate_pack_info *out);

/**
 * Replaces the pack at `dest` with the one at `new_pack`, atomically: the
 * new pack is checked in full first (as gate_pack_inspect() does), copied
 * beside `dest`, flushed to disk and renamed over it. A pack that fails any
 * check leaves `dest` untouched.
 */
GATE_EXTERN int gate_pack_install(const char *new_pack, const char *dest,
	const unsigned char *public_key);

#ifdef __cplusplus
}
#endif

#endif /* GATE_H */
