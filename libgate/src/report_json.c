/* report_json.c: reports as one JSON object; the pending rows are streamed as they come. */
#include "report.h"

typedef struct {
	gate__out *o;
	size_t rows;
} json_rows;

static void version(gate__out *o, unsigned n)
{
	if (n)
		gate__out_uint(o, n);
	else
		gate__out_puts(o, "null");
}

static void flag(gate__out *o, const char *before, int on)
{
	gate__out_puts(o, before);
	gate__out_puts(o, on ? "true" : "false");
}

static int pending_row(const gate_pending_row *row, void *payload)
{
	json_rows *j = payload;
	gate__out *o = j->o;
	const gate_decision *d = row->decision;

	gate__out_puts(o, j->rows++ ? ",\n    {\"user\": " : "\n    {\"user\": ");
	gate__out_json(o, row->user);
	gate__out_puts(o, ", \"doc\": ");
	gate__out_json(o, d->doc);
	gate__out_puts(o, ", \"decision\": \"");
	gate__out_puts(o, gate_outcome_name(d->outcome));
	gate__out_puts(o, "\", \"accepted\": ");
	version(o, d->accepted);
	gate__out_puts(o, ", \"accepted_at\": ");
	gate__out_json_time(o, d->accepted_at);
	flag(o, ", \"revoked\": ", d->revoked);
	gate__out_puts(o, ", \"required\": ");
	version(o, d->required);
	gate__out_puts(o, ", \"upcoming\": ");
	version(o, d->upcoming);
	gate__out_puts(o, ", \"target\": ");
	version(o, d->target);
	gate__out_puts(o, ", \"effective\": ");
	gate__out_json_time(o, d->effective);
	flag(o, ", \"material\": ", d->material);
	gate__out_puts(o, ", \"first_seen\": ");
	gate__out_json_time(o, row->first_seen);
	gate__out_puts(o, ", \"pending_since\": ");
	gate__out_json_time(o, row->pending_since);
	gate__out_puts(o, ", \"days_pending\": ");
	gate__out_int(o, row->days_pending);
	gate__out_puts(o, "}");
	gate__out_maybe_flush(o);
	return o->error;
}

static void doc_totals(gate__out *o, const gate_pending_doc *d, size_t users)
{
	gate__out_puts(o, "{\"doc\": ");
	gate__out_json(o, d->doc);
	gate__out_puts(o, ", \"latest\": ");
	version(o, d->latest);
	gate__out_puts(o, ", \"in_force\": ");
	version(o, d->in_force);
	gate__out_puts(o, ", \"in_force_since\": ");
	gate__out_json_time(o, d->in_force_since);
	gate__out_printf(o, ", \"current\": %zu, \"current_share\": ", d->current);
	if (users && d->in_force)
		gate__out_printf(o, "%.4f", (double)d->current / (double)users);
	else
		gate__out_puts(o, "null");
	gate__out_printf(o, ", \"allow\": %zu, \"notify\": %zu, \"block\": %zu, \"revoked\": %zu, \"by_version\": [",
		d->allow, d->notify, d->block, d->revoked);
	for (unsigned n = 0; n <= d->latest; n++) {
		gate__out_puts(o, n ? ", {\"version\": " : "{\"version\": ");
		version(o, n);
		gate__out_printf(o, ", \"users\": %zu}", d->by_version[n]);
	}
	gate__out_puts(o, "]}");
}

int gate__pending_json(gate *g, const char *doc, const gate_report_options *opts, gate__out *o,
	gate_pending_totals *totals)
{
	json_rows j = { o, 0 };
	int error;

	gate__out_puts(o, "{\"report\": \"pending\", \"doc\": ");
	if (doc)
		gate__out_json(o, doc);
	else
		gate__out_puts(o, "null");
	gate__out_puts(o, ", \"as_of\": ");
	gate__out_json_time(o, opts->as_of);
	gate__out_puts(o, ",\n  \"rows\": [");
	if ((error = gate_pending(g, doc, opts->as_of, pending_row, &j, totals)) != 0)
		return error;
	gate__out_printf(o, "%s],\n  \"totals\": {\"users\": %zu, \"users_block\": %zu, \"users_notify\": %zu, "
		"\"rows\": %zu, \"notify\": %zu, \"block\": %zu, \"documents\": [",
		j.rows ? "\n  " : "", totals->users, totals->users_block, totals->users_notify,
		totals->rows, totals->notify, totals->block);
	for (size_t i = 0; i < totals->doc_count; i++) {
		gate__out_puts(o, i ? ",\n    " : "\n    ");
		doc_totals(o, &totals->docs[i], totals->users);
	}
	gate__out_puts(o, totals->doc_count ? "\n  ]}\n}\n" : "]}\n}\n");
	return 0;
}

void gate__uptake_json(const gate_uptake *u, gate__out *o)
{
	gate__out_puts(o, "{\"report\": \"uptake\", \"doc\": ");
	gate__out_json(o, u->doc);
	gate__out_puts(o, ", \"as_of\": ");
	gate__out_json_time(o, u->as_of);
	gate__out_printf(o, ", \"users\": %zu,\n  \"known_users\": ", u->users);
	gate__out_json(o, GATE__KNOWN_USERS_WORDS);
	gate__out_puts(o, ",\n  \"versions\": [");
	for (size_t i = 0; i < u->version_count; i++) {
		const gate_uptake_version *v = &u->versions[i];

		gate__out_printf(o, "%s\n    {\"version\": %u, \"change\": \"%s\", \"published\": ", i ? "," : "",
			v->n, gate_change_name(v->change));
		gate__out_json_time(o, v->published);
		gate__out_puts(o, ", \"effective\": ");
		gate__out_json_time(o, v->effective);
		gate__out_puts(o, ", \"days\": [");
		for (size_t k = 0; k < v->day_count; k++) {
			const gate_uptake_day *d = &v->days[k];

			gate__out_puts(o, k ? ",\n      {\"date\": \"" : "\n      {\"date\": \"");
			gate__out_date(o, d->day, "");
			gate__out_printf(o, "\", \"known\": %zu, \"accepted\": %zu, \"share\": ", d->known, d->accepted);
			if (d->known)
				gate__out_printf(o, "%.4f}", (double)d->accepted / (double)d->known);
			else
				gate__out_puts(o, "null}");
			gate__out_maybe_flush(o);
		}
		gate__out_puts(o, v->day_count ? "\n    ]}" : "]}");
	}
	gate__out_puts(o, u->version_count ? "\n  ]\n}\n" : "]\n}\n");
}
