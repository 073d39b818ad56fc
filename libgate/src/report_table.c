/* report_table.c: reports as plain-text tables aligned for a terminal, with the totals in words. */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static void pad(gate__out *o, size_t used, size_t width)
{
	for (; used < width; used++)
		gate__out_put(o, " ", 1);
}

/* --- text that is safe and measurable on a terminal ---------------------------------------------- */

/* Characters that would move the cursor or reorder the line (controls and
 * bidirectional overrides): shown as U+FFFD so that no id can forge a row. */
static bool unsafe(utf8proc_int32_t cp)
{
	return utf8proc_category(cp) == UTF8PROC_CATEGORY_CC || (cp >= 0x202A && cp <= 0x202E) ||
		(cp >= 0x2066 && cp <= 0x2069);
}

/* Columns `s` takes on a terminal (wide characters count two). */
static size_t columns(const char *s)
{
	size_t len = strlen(s), i = 0, w = 0;

	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);

		if (n <= 0) {
			w++;
			i++;
			continue;
		}
		w += unsafe(cp) ? 1 : (size_t)utf8proc_charwidth(cp);
		i += (size_t)n;
	}
	return w;
}

/* `s` made safe, then padded with spaces to `width` columns. */
static void cell(gate__out *o, const char *s, size_t width)
{
	size_t len = strlen(s), i = 0, w = columns(s);

	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);

		if (n <= 0 || unsafe(cp)) {
			gate__out_puts(o, "\xEF\xBF\xBD");
			i += n <= 0 ? 1 : (size_t)n;
			continue;
		}
		gate__out_put(o, s + i, (size_t)n);
		i += (size_t)n;
	}
	pad(o, w, width);
}

/* --- the pending report ---------------------------------------------------------------------------- */

enum { C_USER, C_DOC, C_DECISION, C_ACCEPTED, C_TARGET, C_CHANGE, C_EFFECTIVE, C_DAYS, C__COUNT };

static const char *const headings[C__COUNT] = {
	"USER", "DOC", "DECISION", "ACCEPTED", "TO ACCEPT", "CHANGE", "EFFECTIVE", "DAYS"
};

typedef struct {
	gate__out *o;
	size_t width[C__COUNT];
	size_t rows;
} table;

/* The cells of one row, in `bufs`. */
static void row_cells(const gate_pending_row *row, const char **cells, char bufs[4][32])
{
	const gate_decision *d = row->decision;

	cells[C_USER] = row->user;
	cells[C_DOC] = d->doc;
	cells[C_DECISION] = gate_outcome_name(d->outcome);
	cells[C_ACCEPTED] = gate__accepted_words(d, bufs[0], sizeof(bufs[0]));
	snprintf(bufs[1], sizeof(bufs[1]), "v%u", d->target);
	cells[C_TARGET] = bufs[1];
	cells[C_CHANGE] = d->material ? "material" : "editorial";
	if (d->effective == GATE_TIME_UNSET || gate_time_format(bufs[2], d->effective) < 0)
		strcpy(bufs[2], "-");
	else
		bufs[2][10] = '\0';
	cells[C_EFFECTIVE] = bufs[2];
	snprintf(bufs[3], sizeof(bufs[3]), "%lld", (long long)row->days_pending);
	cells[C_DAYS] = bufs[3];
}

static int measure(const gate_pending_row *row, void *payload)
{
	table *t = payload;
	const char *cells[C__COUNT];
	char bufs[4][32];

	row_cells(row, cells, bufs);
	for (int c = 0; c < C__COUNT; c++) {
		size_t w = c == C_USER ? columns(cells[c]) : strlen(cells[c]);

		if (w > t->width[c])
			t->width[c] = w;
	}
	return 0;
}

static int print_row(const gate_pending_row *row, void *payload)
{
	table *t = payload;
	const char *cells[C__COUNT];
	char bufs[4][32];

	row_cells(row, cells, bufs);
	for (int c = 0; c < C_DAYS; c++) {
		cell(t->o, cells[c], t->width[c]);
		gate__out_puts(t->o, "  ");
	}
	/* The number of days, right-aligned. */
	pad(t->o, strlen(cells[C_DAYS]), t->width[C_DAYS]);
	gate__out_puts(t->o, cells[C_DAYS]);
	gate__out_puts(t->o, "\n");
	t->rows++;
	gate__out_maybe_flush(t->o);
	return t->o->error;
}

static void totals_words(gate__out *o, const gate_pending_totals *t)
{
	gate__out_count(o, t->users);
	gate__out_puts(o, t->users == 1 ? " user known at " : " users known at ");
	gate__out_time(o, t->as_of, "-");
	if (!t->rows) {
		gate__out_puts(o, "; nobody is pending.\n");
		return;
	}
	gate__out_puts(o, ": ");
	if (t->users_block) {
		gate__out_count(o, t->users_block);
		gate__out_puts(o, " must accept before going on");
		gate__out_puts(o, t->users_notify ? ", " : "");
	}
	if (t->users_notify) {
		gate__out_count(o, t->users_notify);
		gate__out_puts(o, t->users_block ? " more should see a notice" : " should see a notice");
	}
	if (t->doc_count > 1) {
		gate__out_puts(o, " (");
		gate__out_count(o, t->rows);
		gate__out_puts(o, t->rows == 1 ? " row: " : " rows: ");
		gate__out_count(o, t->block);
		gate__out_puts(o, " block, ");
		gate__out_count(o, t->notify);
		gate__out_puts(o, " notify)");
	}
	gate__out_puts(o, ".\n");
}

/* One line per document: what is in force and how many users stand where. */
static void totals_table(gate__out *o, const gate_pending_totals *t)
{
	static const char *const head[] = { "DOCUMENT", "IN FORCE", "ON IT", "BLOCK", "NOTIFY", "ALLOW", "WITHDRAWN" };
	size_t w[7];
	char buf[96];

	for (size_t c = 0; c < 7; c++)
		w[c] = strlen(head[c]);
	for (size_t i = 0; i < t->doc_count; i++) {
		size_t n = strlen(t->docs[i].doc);

		if (n > w[0])
			w[0] = n;
	}
	if (w[1] < 19)
		w[1] = 19;
	if (w[2] < 13)
		w[2] = 13;
	gate__out_puts(o, "\n");
	for (size_t c = 0; c < 7; c++) {
		gate__out_puts(o, head[c]);
		if (c + 1 < 7)
			pad(o, strlen(head[c]), w[c] + 2);
	}
	gate__out_puts(o, "\n");
	for (size_t i = 0; i < t->doc_count; i++) {
		const gate_pending_doc *d = &t->docs[i];
		size_t nums[4] = { d->block, d->notify, d->allow, d->revoked };

		gate__out_puts(o, d->doc);
		pad(o, strlen(d->doc), w[0] + 2);
		if (!d->latest)
			snprintf(buf, sizeof(buf), "none published");
		else if (!d->in_force)
			snprintf(buf, sizeof(buf), "none yet");
		else {
			char since[GATE_TIME_BUFSIZE];

			gate_time_format(since, d->in_force_since);
			snprintf(buf, sizeof(buf), "v%u since %.10s", d->in_force, since);
		}
		gate__out_puts(o, buf);
		pad(o, strlen(buf), w[1] + 2);
		/* "1,234 (56.7%)" */
		if (d->in_force && t->users) {
			char count[32];

			gate__count_words(count, d->current);
			snprintf(buf, sizeof(buf), "%s (%.1f%%)", count, 100.0 * (double)d->current / (double)t->users);
		} else {
			snprintf(buf, sizeof(buf), "%s", d->in_force ? "0" : "-");
		}
		gate__out_puts(o, buf);
		pad(o, strlen(buf), w[2] + 2);
		for (size_t c = 0; c < 4; c++) {
			snprintf(buf, sizeof(buf), "%zu", nums[c]);
			gate__out_puts(o, buf);
			if (c < 3)
				pad(o, strlen(buf), w[3 + c] + 2);
		}
		gate__out_puts(o, "\n");
	}
	gate__out_puts(o, "\nUsers by the version they accept:\n");
	for (size_t i = 0; i < t->doc_count; i++) {
		const gate_pending_doc *d = &t->docs[i];

		gate__out_printf(o, "  %s:", d->doc);
		pad(o, strlen(d->doc) + 3, w[0] + 4);
		for (unsigned n = 0; n <= d->latest; n++) {
			if (n)
				gate__out_printf(o, ", v%u%s ", n, n == d->in_force ? " (in force)" : "");
			else
				gate__out_puts(o, "never or withdrawn ");
			gate__out_count(o, d->by_version[n]);
		}
		gate__out_puts(o, "\n");
	}
}

int gate__pending_table(gate *g, const char *doc, const gate_report_options *opts, gate__out *o,
	gate_pending_totals *totals)
{
	table t;
	int error;

	memset(&t, 0, sizeof(t));
	t.o = o;
	for (int c = 0; c < C__COUNT; c++)
		t.width[c] = strlen(headings[c]);
	/* A first walk sizes the columns; memory stays flat either way. */
	if ((error = gate_pending(g, doc, opts->as_of, measure, &t, NULL)) != 0)
		return error;
	for (int c = 0; c < C__COUNT; c++) {
		if (c == C_DAYS)
			pad(o, strlen(headings[c]), t.width[c]);
		gate__out_puts(o, headings[c]);
		if (c < C_DAYS)
			pad(o, strlen(headings[c]), t.width[c] + 2);
	}
	gate__out_puts(o, "\n");
	if ((error = gate_pending(g, doc, opts->as_of, print_row, &t, totals)) != 0)
		return error;
	if (!t.rows)
		gate__out_puts(o, "(none)\n");
	gate__out_puts(o, "\n");
	totals_words(o, totals);
	totals_table(o, totals);
	return 0;
}

/* --- uptake ---------------------------------------------------------------------------------------- */

/* "1,234 (56.7%)", or "-" before the version was published. */
static void uptake_cell(char *buf, size_t size, const gate_uptake_day *d)
{
	char count[32];

	if (!d) {
		snprintf(buf, size, "-");
		return;
	}
	gate__count_words(count, d->accepted);
	if (d->known)
		snprintf(buf, size, "%s (%.1f%%)", count, 100.0 * (double)d->accepted / (double)d->known);
	else
		snprintf(buf, size, "%s", count);
}

void gate__uptake_table(const gate_uptake *u, gate__out *o)
{
	size_t nv = u->version_count, wknown = strlen("KNOWN"), *w;
	char buf[96], head[48];

	gate__out_printf(o, "Uptake of %s at ", u->doc);
	gate__out_time(o, u->as_of, "-");
	gate__out_puts(o, ": day by day, the share of known users who had accepted each version or a later one.\n"
		GATE__KNOWN_USERS_WORDS "\n\n");
	if (!nv) {
		gate__out_printf(o, "No version of %s is published.\n", u->doc);
		return;
	}
	if (!u->day_count) {
		gate__out_printf(o, "No version of %s was published by then.\n", u->doc);
		return;
	}
	if (!(w = gate__calloc(nv, sizeof(*w)))) {
		o->error = GATE_ENOMEM;
		return;
	}
	for (size_t i = 0; i < nv; i++) {
		const gate_uptake_version *v = &u->versions[i];

		w[i] = (size_t)snprintf(head, sizeof(head), "v%u (%s)", v->n, gate_change_name(v->change));
		for (size_t k = 0; k < v->day_count; k++) {
			uptake_cell(buf, sizeof(buf), &v->days[k]);
			if (strlen(buf) > w[i])
				w[i] = strlen(buf);
		}
	}
	for (size_t k = 0; k < u->day_count; k++) {
		gate__count_words(buf, u->known[k]);
		if (strlen(buf) > wknown)
			wknown = strlen(buf);
	}
	gate__out_puts(o, "DATE        ");
	pad(o, strlen("KNOWN"), wknown);
	gate__out_puts(o, "KNOWN");
	for (size_t i = 0; i < nv; i++) {
		snprintf(head, sizeof(head), "v%u (%s)", u->versions[i].n, gate_change_name(u->versions[i].change));
		gate__out_puts(o, "  ");
		gate__out_puts(o, head);
		if (i + 1 < nv)
			pad(o, strlen(head), w[i]);
	}
	gate__out_puts(o, "\n");
	for (size_t k = 0; k < u->day_count; k++) {
		int64_t day = u->first_day + (int64_t)k;

		gate__out_date(o, day * GATE__DAY_MS, "");
		gate__out_puts(o, "  ");
		gate__count_words(buf, u->known[k]);
		pad(o, strlen(buf), wknown);
		gate__out_puts(o, buf);
		for (size_t i = 0; i < nv; i++) {
			uptake_cell(buf, sizeof(buf), gate__uptake_on(&u->versions[i], day));
			gate__out_puts(o, "  ");
			gate__out_puts(o, buf);
			if (i + 1 < nv)
				pad(o, strlen(buf), w[i]);
		}
		gate__out_puts(o, "\n");
		gate__out_maybe_flush(o);
	}
	free(w);
}
