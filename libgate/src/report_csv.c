/* report_csv.c: reports as RFC 4180 CSV (UTF-8, CRLF, a header row), streamed row by row. */
#include "report.h"

#include <string.h>

/* A field, quoted when it holds a comma, a quote or a line break (quotes
 * doubled), or starts or ends with a space, which some readers would trim. */
static void field(gate__out *o, const char *s)
{
	size_t len = strlen(s);

	if (!strpbrk(s, ",\"\r\n") && !(len && (s[0] == ' ' || s[0] == '\t' ||
	    s[len - 1] == ' ' || s[len - 1] == '\t'))) {
		gate__out_put(o, s, len);
		return;
	}
	gate__out_put(o, "\"", 1);
	for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
		gate__out_put(o, s, (size_t)(q - s) + 1);
		gate__out_put(o, "\"", 1);
	}
	gate__out_puts(o, s);
	gate__out_put(o, "\"", 1);
}

/* ",3", or "," alone for no version. */
static void version(gate__out *o, unsigned n)
{
	gate__out_put(o, ",", 1);
	if (n)
		gate__out_uint(o, n);
}

static void time_field(gate__out *o, int64_t ms)
{
	gate__out_put(o, ",", 1);
	gate__out_time(o, ms, "");
}

static void flag(gate__out *o, int on)
{
	if (on)
		gate__out_put(o, ",true", 5);
	else
		gate__out_put(o, ",false", 6);
}

static int pending_row(const gate_pending_row *row, void *payload)
{
	gate__out *o = payload;
	const gate_decision *d = row->decision;

	field(o, row->user);
	gate__out_put(o, ",", 1);
	gate__out_puts(o, d->doc);
	gate__out_put(o, ",", 1);
	gate__out_puts(o, gate_outcome_name(d->outcome));
	version(o, d->accepted);
	time_field(o, d->accepted_at);
	flag(o, d->revoked);
	version(o, d->required);
	version(o, d->target);
	time_field(o, d->effective);
	flag(o, d->material);
	time_field(o, row->first_seen);
	time_field(o, row->pending_since);
	gate__out_put(o, ",", 1);
	gate__out_int(o, row->days_pending);
	gate__out_put(o, "\r\n", 2);
	gate__out_maybe_flush(o);
	return o->error;
}

int gate__pending_csv(gate *g, const char *doc, const gate_report_options *opts, gate__out *o,
	gate_pending_totals *totals)
{
	gate__out_puts(o, "user,doc,decision,accepted,accepted_at,revoked,required,target,effective,"
		"material,first_seen,pending_since,days_pending\r\n");
	return gate_pending(g, doc, opts->as_of, pending_row, o, totals);
}

void gate__uptake_csv(const gate_uptake *u, gate__out *o)
{
	size_t nv = gate_uptake_version_count(u);

	gate__out_puts(o, "date,known");
	for (size_t i = 0; i < nv; i++)
		gate__out_printf(o, ",v%zu_accepted,v%zu_share", i + 1, i + 1);
	gate__out_puts(o, "\r\n");
	for (size_t k = 0; k < u->day_count; k++) {
		int64_t day = u->first_day + (int64_t)k;

		gate__out_date(o, day * GATE__DAY_MS, "");
		gate__out_printf(o, ",%zu", u->known[k]);
		for (size_t i = 0; i < nv; i++) {
			const gate_uptake_day *d = gate__uptake_on(gate_uptake_version_at(u, i), day);

			if (!d)
				gate__out_puts(o, ",,");
			else if (!d->known)
				gate__out_printf(o, ",%zu,", d->accepted);
			else
				gate__out_printf(o, ",%zu,%.4f", d->accepted, (double)d->accepted / (double)d->known);
		}
		gate__out_puts(o, "\r\n");
		gate__out_maybe_flush(o);
	}
}
