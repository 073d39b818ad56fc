/* support_store.h: a policy pack and handle factory for the store's concurrency, crash and fault tests. */
#ifndef GATE_SUPPORT_STORE_H
#define GATE_SUPPORT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "gate.h"

/* 2026-01-01T00:00:00Z, when every version in the pack takes effect. */
#define STOREFIX_T0 1767225600000LL
#define STOREFIX_DAY 86400000LL

/*
 * Writes `dir`/policies.pack: "privacy" v1 (material) and "terms" v1, both
 * in force from STOREFIX_T0, English and Welsh texts. A pack keeps these tests
 * on the public API and in the client build (no libgit2). Returns the pack's
 * path (malloc'd); abort()s on failure.
 */
char *storefix_pack(const char *dir);

/* The same pack written to `dir`/`name`, with `privacy_text` as privacy v1's
 * English text, or without "privacy" at all when it is NULL. */
char *storefix_pack_with(const char *dir, const char *name, const char *privacy_text);

/*
 * Opens a handle on `pack` with the acceptance database `db`, the given
 * gate_open_flags and busy timeout (0: the default), and a clock fixed at
 * *now. Returns the gate_open() result; `*out` as gate_open() sets it.
 * Safe in forked children (no cmocka assertion).
 */
int storefix_open(gate **out, const char *pack, const char *db, unsigned int flags,
	int busy_timeout_ms, int64_t *now);

/* The number of known users, counted through gate_users_each(); < 0 on error. */
int64_t storefix_count_users(gate *g);

/*
 * Runs PRAGMA integrity_check on `db` through a bare read-only SQLite
 * connection (not libgate). Returns 0 when it answers "ok"; 1 when a hot
 * rollback journal (a write cut short before the file was in WAL mode) must
 * be rolled back first, which no read-only connection may do; otherwise -1
 * with SQLite's first answer or error in `why`.
 */
int storefix_integrity(const char *db, char *why, size_t why_len);

/* Checkpoints the WAL into the main file and truncates it (a bare SQLite
 * connection, read-write). Returns 0, or -1 with the reason in `why`. */
int storefix_checkpoint(const char *db, char *why, size_t why_len);

/* Reads a whole file into a malloc'd buffer; NULL when it cannot be read. */
unsigned char *storefix_slurp(const char *path, size_t *len);

/* Whether `msg` is one line (no newline) that contains every one of the
 * NULL-terminated words, compared without case. */
int storefix_says(const char *msg, ...);

#endif
