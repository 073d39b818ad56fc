/* support_history.h: one version history and one script of accepts, revokes and checks with their
 * expected decisions, run against every kind of source (memory, git repository, pack). */
#ifndef GATE_SUPPORT_HISTORY_H
#define GATE_SUPPORT_HISTORY_H

#include "support_memsource.h"

#define HDAY (86400000LL)
#define HT0 (1767225600000LL) /* 2026-01-01T00:00:00Z */

typedef struct history_version {
	const char *doc;
	gate_change change;
	int64_t effective;
	const char *en;     /* the en-GB text */
	const char *cy;     /* the cy-GB text, or NULL */
} history_version;

extern const history_version history_versions[];
extern const size_t history_version_count;

/* Adds the history to a memory source. */
void history_into_memsrc(memsrc *m);

/* What one run of the script saw: every decision and every receipt, in order. */
typedef struct history_log {
	gate_decision decisions[128];
	size_t decision_count;
	gate_receipt receipts[32];
	size_t receipt_count;
} history_log;

/* Runs the script on `g` (whose clock reads `*now`), asserting every
 * expected field, and records what it saw in `log`. */
void history_run(gate *g, int64_t *now, history_log *log);

/* Opens a handle on the repository at `repo`, or on the pack at `pack` when
 * it is not NULL, with the acceptance database `db` (NULL: the default) and
 * a clock that reads `*now`; asserts that it opens. */
gate *support_open(const char *repo, const char *pack, const char *db, int64_t *now);

/* Asserts that two decisions are identical, field by field. */
void assert_same_decision(const gate_decision *a, const gate_decision *b);

#endif
