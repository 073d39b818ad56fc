/* report.h: what the report code shares: the uptake's insides, a buffered writer over the caller's
 * write callback, and one entry point per format. */
#ifndef GATE_REPORT_H
#define GATE_REPORT_H

#include "catalog.h"
#include "common.h"
#include "store.h"

#define GATE__DAY_MS (86400000LL)

/* What "known users" means in uptake reports, said in every format. */
#define GATE__KNOWN_USERS_WORDS \
	"Known users on a day: the users the store still knows (forgotten users, and their events, are left out) " \
	"whose first-seen time or first acceptance came by the end of that day (UTC). Each figure is taken at the " \
	"end of its day, or at the report's time on its last day."

/* The day (days since 1970-01-01, UTC) that holds `ms`. */
int64_t gate__day_of(int64_t ms);

/* The versions of `doc` (report.c); *out NULL when none is published. A bad id is GATE_EINVALID. */
int gate__published_doc(gate *g, const char *doc, gate__catalog_doc **out);

struct gate_uptake {
	char doc[GATE_DOC_MAX + 1];
	int64_t as_of;
	size_t users;                   /* known at as_of */
	gate_uptake_version *versions;
	size_t version_count;
	gate_uptake_day *days;          /* every version's days, one block */
	int64_t first_day;              /* the report's days (since the epoch): from the */
	size_t day_count;               /* first version published to as_of's day */
	size_t *known;                  /* users known on each of them */
};

/* Version `v`'s figures on `day` (days since the epoch); NULL before it was published. */
const gate_uptake_day *gate__uptake_on(const gate_uptake_version *v, int64_t day);

/* --- replaying the log (report_history.c) ------------------------------------------------ */

/* When the user became known: the earlier of their first-seen time and their first act. */
int64_t gate__known_from(const gate__user_acts *u);
/* The user's acts on `doc`, from u->acts[*pos] on (the acts are sorted by
 * document), and moves *pos past them. NULL and *count 0 when there are none. */
const gate__act *gate__acts_of(const gate__user_acts *u, const char *doc, size_t *pos, size_t *count);
/* When an act takes effect: at its time, or at the previous act's (`prev`)
 * when it was recorded after a later one (an import of old records), so
 * that time only moves forward and the last act is the state gate_check()
 * reads. */
int64_t gate__act_effect(const gate__act *a, int64_t prev);
/* The state the acts (one document's, in sequence order) left at time `at`;
 * false when none had taken effect by then. */
bool gate__state_at(const gate__act *acts, size_t count, int64_t at, gate__state *out);

/* --- output (report.c) ----------------------------------------------------------------- */

/* Collects small writes and hands them to the caller's write callback in
 * large pieces. The first failure (the callback's non-zero return, or
 * ENOMEM) sticks: later writes do nothing and gate__out_end() returns it. */
typedef struct gate__day_text gate__day_text;

typedef struct gate__out {
	gate_buf buf;
	gate_write_fn write;
	void *payload;
	int error;
	gate__day_text *days;   /* dates already written, so that a million rows format few */
} gate__out;

void gate__out_init(gate__out *o, gate_write_fn write, void *payload);
void gate__out_put(gate__out *o, const char *data, size_t len);
void gate__out_puts(gate__out *o, const char *s);
void gate__out_printf(gate__out *o, const char *fmt, ...) GATE__PRINTF(2, 3);
/* A number in decimal, without printf (rows are written by the million). */
void gate__out_uint(gate__out *o, uint64_t n);
void gate__out_int(gate__out *o, int64_t n);
/* Hands over what is collected once there is enough of it. */
void gate__out_maybe_flush(gate__out *o);
/* `s` escaped: as a JSON string (quotes included), or for HTML text and attributes. */
void gate__out_json(gate__out *o, const char *s);
void gate__out_html(gate__out *o, const char *s);
/* A time as RFC 3339 ("2026-03-01T00:00:00Z"), or just its date ("2026-03-01");
 * `unset` when it is GATE_TIME_UNSET. */
void gate__out_time(gate__out *o, int64_t ms, const char *unset);
void gate__out_date(gate__out *o, int64_t ms, const char *unset);
/* A JSON time: the RFC 3339 string, or null. */
void gate__out_json_time(gate__out *o, int64_t ms);
/* A count with thousands separators ("1,234,567"), into `out` (32 bytes) or the output. */
void gate__count_words(char *out, size_t n);
void gate__out_count(gate__out *o, size_t n);
/* `part` of `whole` as a percentage with one decimal ("62.5%"); "-" when whole is 0. */
void gate__out_share(gate__out *o, size_t part, size_t whole);
/* Flushes what is left; returns the sticky error, or 0. Frees the buffer either way. */
int gate__out_end(gate__out *o);

/* How a pending row reads in words ("never", "v3", "withdrawn"), in `buf`. */
const char *gate__accepted_words(const gate_decision *d, char *buf, size_t size);

/* --- formats ---------------------------------------------------------------------------- */

/* The pending report in one format (report_<format>.c); `totals` is filled. */
int gate__pending_table(gate *g, const char *doc, const gate_report_options *opts, gate__out *o,
	gate_pending_totals *totals);
int gate__pending_csv(gate *g, const char *doc, const gate_report_options *opts, gate__out *o,
	gate_pending_totals *totals);
int gate__pending_json(gate *g, const char *doc, const gate_report_options *opts, gate__out *o,
	gate_pending_totals *totals);
int gate__pending_html(gate *g, const char *doc, const gate_report_options *opts, gate__out *o,
	gate_pending_totals *totals);

/* The uptake in one format. */
void gate__uptake_table(const gate_uptake *u, gate__out *o);
void gate__uptake_csv(const gate_uptake *u, gate__out *o);
void gate__uptake_json(const gate_uptake *u, gate__out *o);
void gate__uptake_html(const gate_uptake *u, const gate_report_options *opts, gate__out *o);

/* --- charts (report_svg.c) ----------------------------------------------------------------- */

/* One bar of a bar chart. */
typedef struct gate__bar {
	const char *label;       /* "v3", "never" */
	size_t value;
	bool highlight;          /* drawn in the accent colour (the version in force) */
} gate__bar;

/* A horizontal bar chart as inline SVG with <title> and <desc>, sized by
 * its viewBox so that it fits any width. `desc` is the text alternative. */
void gate__svg_bars(gate__out *o, const char *id, const char *title, const char *desc,
	const gate__bar *bars, size_t count, size_t total);

/* A line chart of each version's share of known users by day, as inline SVG
 * with <title> and <desc>, and a legend. */
void gate__svg_uptake(gate__out *o, const gate_uptake *u, const char *title, const char *desc);

#endif
