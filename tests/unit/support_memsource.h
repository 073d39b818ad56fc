/* support_memsource.h: an in-memory version source for white-box tests, so decision, store and
 * report tests can build any history without a git repository. */
#ifndef GATE_SUPPORT_MEMSOURCE_H
#define GATE_SUPPORT_MEMSOURCE_H

#include "handle.h"

typedef struct memsrc memsrc;

/* A source with gate.conf's defaults; `default_locale` NULL means en-GB. */
memsrc *memsrc_new(const char *default_locale);

/* Adds the next version of `doc` (n = the previous n + 1) with one text per
 * locale: `texts` alternates locale, text, ..., NULL. Returns the new n. */
unsigned memsrc_add(memsrc *m, const char *doc, gate_change change, int64_t effective, ...);

/* Sets when version `n` of `doc` was published (memsrc_add() makes it its
 * effective time), for histories where a version is announced before it
 * takes effect. */
void memsrc_set_published(memsrc *m, const char *doc, unsigned n, int64_t published);

/* Adds a gate.conf entry ("diff.datepattern", "..."). */
void memsrc_setting(memsrc *m, const char *name, const char *value);

/* Opens a handle on the source, which the handle then owns. */
int memsrc_open(gate **out, memsrc *m, const char *db_path, gate_clock_fn clock, void *payload);

/* Opens a handle on the source with the given options (db_path, flags,
 * busy_timeout_ms...); the handle then owns the source. */
int memsrc_open_with(gate **out, memsrc *m, const gate_options *opts);

/* A settable clock for tests: pass memclock as the clock and &ms as payload. */
int64_t memclock(void *payload);

#endif
