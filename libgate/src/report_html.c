/* report_html.c: reports as one self-contained HTML page each (inline CSS and SVG, no scripts, no
 * external assets) that reads well from a phone to a wide screen. */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_HTML_ROWS 1000

static const char css[] =
	":root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#4d5661;--card:#f5f7fa;--line:#d5dbe2;"
	"--accent:#1f5fd1;--block:#b42318;--block-bg:#fdecea;--notify:#8a4b00;--notify-bg:#fff3df;--ok:#146c2e;"
	"--track:#e6eaf0;--bar:#7c8797;--s0:#0072b2;--s1:#d55e00;--s2:#009e73;--s3:#cc79a7;--s4:#b8860b;"
	"--s5:#56b4e9;--s6:#6b4c9a;--s7:#1b1f24}\n"
	"@media (prefers-color-scheme:dark){:root{--bg:#121417;--fg:#e9ecef;--muted:#aab3bd;--card:#1b1f25;"
	"--line:#313842;--accent:#86aef7;--block:#ffb4ab;--block-bg:#4b1f22;--notify:#ffc46b;--notify-bg:#3d2a0a;"
	"--ok:#8fdca6;--track:#272d36;--bar:#8d99aa;--s0:#56b4e9;--s1:#ff9e5e;--s2:#3fd0a4;--s3:#e7a3cb;"
	"--s4:#f0c05a;--s5:#9ad4f5;--s6:#b79cf0;--s7:#e9ecef}}\n"
	"*{box-sizing:border-box}\n"
	"html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\n"
	"body{margin:0;background:var(--bg);color:var(--fg);font:1rem/1.55 system-ui,-apple-system,"
	"\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif}\n"
	"main{max-width:60rem;margin:0 auto;padding:1.5rem 1rem 3rem}\n"
	".kicker{margin:0;color:var(--muted);font-size:.95rem}\n"
	"h1{font-size:1.65rem;line-height:1.2;margin:.3rem 0 .6rem}\n"
	".lead{margin:0 0 1.25rem;font-size:1.1rem;max-width:42rem}\n"
	"h2{font-size:1.25rem;line-height:1.3;margin:2.25rem 0 .4rem}\n"
	".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.75rem;"
	"margin:0;padding:0;list-style:none}\n"
	".card{background:var(--card);border:1px solid var(--line);border-top:.25rem solid var(--line);"
	"border-radius:.6rem;padding:.7rem .9rem}\n"
	".card .big{display:block;font-size:1.6rem;font-weight:650;line-height:1.25;font-variant-numeric:tabular-nums}\n"
	".card .label{color:var(--muted);font-size:.95rem}\n"
	".card.block{border-top-color:var(--block)}.card.notify{border-top-color:var(--notify)}"
	".card.ok{border-top-color:var(--ok)}.card.accent{border-top-color:var(--accent)}\n"
	".note{color:var(--muted);font-size:.95rem;margin:.5rem 0 0;max-width:42rem}\n"
	".meta{color:var(--muted);margin:0 0 .75rem}\n"
	"figure{margin:0;padding:1rem 1rem .75rem;background:var(--card);border:1px solid var(--line);border-radius:.6rem}\n"
	"figcaption{font-weight:600;margin:0 0 .75rem}\n"
	"svg{display:block;overflow:visible}\n"
	"svg text{fill:var(--fg);font-size:14px}\n"
	"svg .bar-value,svg .axis{fill:var(--muted);font-variant-numeric:tabular-nums}\n"
	"svg .axis{font-size:12px}\n"
	"svg .track{fill:var(--track)}svg .bar{fill:var(--bar)}svg .bar.hl{fill:var(--accent)}\n"
	"svg .grid{stroke:var(--line);stroke-width:1}\n"
	"polyline{fill:none;stroke-width:2.5;stroke-linejoin:round;stroke-linecap:round}\n"
	".s0{stroke:var(--s0);--c:var(--s0)}.s1{stroke:var(--s1);--c:var(--s1)}.s2{stroke:var(--s2);--c:var(--s2)}"
	".s3{stroke:var(--s3);--c:var(--s3)}.s4{stroke:var(--s4);--c:var(--s4)}.s5{stroke:var(--s5);--c:var(--s5)}"
	".s6{stroke:var(--s6);--c:var(--s6)}.s7{stroke:var(--s7);--c:var(--s7)}\n"
	".legend{list-style:none;margin:.75rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.35rem 1.25rem}\n"
	".sw{display:inline-block;width:1.1rem;height:.3rem;border-radius:.15rem;background:var(--c);"
	"vertical-align:middle;margin-right:.45rem}\n"
	".scroll{overflow-x:auto}\n"
	"table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}\n"
	"th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}\n"
	"th{font-size:.8rem;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.04em;"
	"white-space:nowrap}\n"
	"td{white-space:nowrap}\n"
	".num{text-align:right}\n"
	"td.user{white-space:normal;overflow-wrap:anywhere;min-width:8rem;max-width:22rem;font-weight:500}\n"
	".badge{display:inline-block;padding:0 .55rem;border-radius:1rem;font-size:.85rem;font-weight:600}\n"
	".badge.block{background:var(--block-bg);color:var(--block)}"
	".badge.notify{background:var(--notify-bg);color:var(--notify)}\n"
	".more{color:var(--muted);margin:.75rem 0 0}\n"
	"details{margin:1.5rem 0 0;border:1px solid var(--line);border-radius:.6rem;padding:0 1rem}\n"
	"summary{cursor:pointer;font-weight:600;padding:.75rem 0}\n"
	"details[open]{padding-bottom:.75rem}\n"
	"code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}\n"
	"footer{margin-top:2.5rem;padding-top:1rem;border-top:1px solid var(--line);color:var(--muted);font-size:.9rem}\n"
	"footer p{margin:0}\n"
	"@media (max-width:40rem){"
	"table.rows thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}"
	"table.rows,table.rows tbody,table.rows tr,table.rows td{display:block}"
	"table.rows tr{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:.35rem .9rem;border:1px solid var(--line);"
	"border-radius:.6rem;margin:.6rem 0;padding:.6rem .85rem}"
	"table.rows td{border:0;padding:0;white-space:normal;text-align:left}"
	"table.rows td::before{content:attr(data-label);display:block;color:var(--muted);font-size:.8rem}"
	"table.rows td.user{grid-column:1/-1;max-width:none;font-weight:600}"
	"table.rows td.user::before{content:none}}\n";

static const char *const months[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

/* "1 June 2026", with ", 09:30 UTC" after it when `with_time` and the time is not midnight. */
static void when_words(gate__out *o, int64_t ms, bool with_time)
{
	char iso[GATE_TIME_BUFSIZE];
	int y, m, d, hh, mm;

	if (ms == GATE_TIME_UNSET || gate_time_format(iso, ms) < 0 ||
	    sscanf(iso, "%d-%d-%dT%d:%d", &y, &m, &d, &hh, &mm) != 5 || m < 1 || m > 12) {
		gate__out_puts(o, "-");
		return;
	}
	gate__out_printf(o, "%d %s %d", d, months[m - 1], y);
	if (with_time && (hh || mm || ms % GATE__DAY_MS))
		gate__out_printf(o, ", %02d:%02d UTC", hh, mm);
}

/* The page up to its heading: "Acceptance report · <when>", then the title. */
static void page_start(gate__out *o, const char *title, int64_t as_of)
{
	gate__out_puts(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<meta name=\"color-scheme\" content=\"light dark\">\n<title>");
	gate__out_html(o, title);
	gate__out_puts(o, "</title>\n<style>\n");
	gate__out_puts(o, css);
	gate__out_puts(o, "</style>\n</head>\n<body>\n<main>\n<p class=\"kicker\">Acceptance report \xC2\xB7 ");
	when_words(o, as_of, true);
	gate__out_puts(o, "</p>\n<h1>");
	gate__out_html(o, title);
	gate__out_puts(o, "</h1>\n");
}

static void page_end(gate__out *o, int64_t as_of, const char *what)
{
	gate__out_puts(o, "<footer><p>Made by libgate ");
	gate__out_html(o, gate_version());
	gate__out_puts(o, " from the acceptance log, as it stood at ");
	gate__out_time(o, as_of, "-");
	gate__out_puts(o, ". ");
	gate__out_puts(o, what);
	gate__out_puts(o, "</p></footer>\n</main>\n</body>\n</html>\n");
}

static void card(gate__out *o, const char *kind, size_t n, const char *label)
{
	gate__out_printf(o, "<li class=\"card %s\"><span class=\"big\">", kind);
	gate__out_count(o, n);
	gate__out_puts(o, "</span><span class=\"label\">");
	gate__out_puts(o, label);
	gate__out_puts(o, "</span></li>\n");
}

static void share_card(gate__out *o, size_t part, size_t whole, const char *label)
{
	gate__out_puts(o, "<li class=\"card accent\"><span class=\"big\">");
	gate__out_share(o, part, whole);
	gate__out_puts(o, "</span><span class=\"label\">");
	gate__out_puts(o, label);
	gate__out_puts(o, "</span></li>\n");
}

/* --- the pending report ------------------------------------------------------------------------ */

typedef struct kept_row {
	char *user;
	gate_decision d;
	int64_t since;
	int64_t days;
} kept_row;

typedef struct {
	gate__arena arena;
	kept_row *rows;
	size_t count, limit;
	int error;
} keeper;

static int keep_row(const gate_pending_row *row, void *payload)
{
	keeper *k = payload;
	kept_row *r;

	if (k->count >= k->limit)
		return 0;
	r = &k->rows[k->count];
	if (!(r->user = gate__arena_strdup(&k->arena, row->user)))
		return k->error = GATE_ENOMEM;
	r->d = *row->decision;
	r->since = row->pending_since;
	r->days = row->days_pending;
	k->count++;
	return 0;
}

static void td(gate__out *o, const char *label, const char *cls)
{
	gate__out_printf(o, "<td data-label=\"%s\"%s%s%s>", label, cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
}

static void rows_table(gate__out *o, const keeper *k, const gate_pending_totals *t)
{
	char buf[32];

	gate__out_puts(o, "<h2 id=\"rows\">Pending users</h2>\n");
	if (!k->count) {
		gate__out_puts(o, "<p class=\"meta\">Nobody is pending: every known user may go on without a prompt.</p>\n");
		return;
	}
	gate__out_puts(o, "<p class=\"meta\">Each row is one user and one document, users in id order. "
		"<em>Days</em> counts from when they first had something to accept.</p>\n"
		"<div class=\"scroll\"><table class=\"rows\">\n<thead><tr><th scope=\"col\">User</th>"
		"<th scope=\"col\">Document</th><th scope=\"col\">Decision</th><th scope=\"col\">Accepted</th>"
		"<th scope=\"col\">To accept</th><th scope=\"col\">Change</th><th scope=\"col\">Effective</th>"
		"<th scope=\"col\" class=\"num\">Days</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < k->count; i++) {
		const kept_row *r = &k->rows[i];
		const char *outcome = gate_outcome_name(r->d.outcome);

		gate__out_puts(o, "<tr>");
		td(o, "User", "user");
		gate__out_html(o, r->user);
		gate__out_puts(o, "</td>");
		td(o, "Document", NULL);
		gate__out_html(o, r->d.doc);
		gate__out_puts(o, "</td>");
		td(o, "Decision", NULL);
		gate__out_printf(o, "<span class=\"badge %s\">%s</span></td>", outcome, outcome);
		td(o, "Accepted", NULL);
		gate__out_puts(o, gate__accepted_words(&r->d, buf, sizeof(buf)));
		gate__out_puts(o, "</td>");
		td(o, "To accept", NULL);
		gate__out_printf(o, "v%u</td>", r->d.target);
		td(o, "Change", NULL);
		gate__out_puts(o, r->d.material ? "material" : "editorial");
		gate__out_puts(o, "</td>");
		td(o, "Effective", NULL);
		gate__out_date(o, r->d.effective, "-");
		gate__out_puts(o, "</td>");
		td(o, "Days", "num");
		gate__out_printf(o, "%lld</td></tr>\n", (long long)r->days);
		gate__out_maybe_flush(o);
	}
	gate__out_puts(o, "</tbody>\n</table></div>\n");
	if (t->rows > k->count) {
		gate__out_puts(o, "<p class=\"more\">And ");
		gate__out_count(o, t->rows - k->count);
		gate__out_puts(o, t->rows - k->count == 1 ? " more row" : " more rows");
		gate__out_puts(o, " not shown here. <code>gate pending --format csv</code> lists them all.</p>\n");
	}
}

static void doc_section(gate__out *o, const gate_pending_doc *d, size_t users, size_t index)
{
	gate__bar *bars;
	gate_buf desc = GATE_BUF_INIT;
	char id[32], title[GATE_DOC_MAX + 64], (*labels)[32];

	gate__out_puts(o, "<section>\n<h2>");
	gate__out_html(o, d->doc);
	gate__out_puts(o, "</h2>\n<p class=\"meta\">");
	if (!d->latest) {
		gate__out_puts(o, "No version is published: nobody has anything to accept.</p>\n</section>\n");
		return;
	}
	if (d->in_force) {
		gate__out_printf(o, "v%u in force since ", d->in_force);
		when_words(o, d->in_force_since, true);
		gate__out_puts(o, " \xC2\xB7 ");
		gate__out_count(o, d->current);
		gate__out_puts(o, " of ");
		gate__out_count(o, users);
		gate__out_puts(o, " users on it or later");
	} else {
		gate__out_puts(o, "No version in force yet");
	}
	if (d->latest > d->in_force)
		gate__out_printf(o, " \xC2\xB7 v%u published, not yet in force", d->latest);
	gate__out_puts(o, " \xC2\xB7 ");
	gate__out_count(o, d->block);
	gate__out_puts(o, " must accept, ");
	gate__out_count(o, d->notify);
	gate__out_puts(o, " should see a notice");
	if (d->revoked) {
		gate__out_puts(o, ", ");
		gate__out_count(o, d->revoked);
		gate__out_puts(o, " withdrew");
	}
	gate__out_puts(o, ".</p>\n");

	bars = gate__calloc(d->latest + 1, sizeof(*bars));
	labels = gate__calloc(d->latest + 1, sizeof(*labels));
	if (!bars || !labels) {
		o->error = GATE_ENOMEM;
		free(bars);
		free(labels);
		return;
	}
	snprintf(title, sizeof(title), "%s: users by the newest version they accept", d->doc);
	gate__buf_printf(&desc, "Of %zu known users: %zu never accepted or withdrew", users, d->by_version[0]);
	for (unsigned n = 0; n <= d->latest; n++) {
		if (n) {
			snprintf(labels[n], sizeof(labels[n]), "v%u%s", n, n == d->in_force ? " (in force)" : "");
			gate__buf_printf(&desc, "; %zu accept %s", d->by_version[n], labels[n]);
		} else {
			snprintf(labels[n], sizeof(labels[n]), "never, or withdrew");
		}
		bars[n].label = labels[n];
		bars[n].value = d->by_version[n];
		bars[n].highlight = n && d->in_force && n >= d->in_force;
	}
	gate__buf_puts(&desc, ".");
	snprintf(id, sizeof(id), "chart%zu", index);
	gate__out_puts(o, "<figure>\n<figcaption>Users by the newest version they accept</figcaption>\n");
	gate__svg_bars(o, id, title, desc.ptr ? desc.ptr : "", bars, d->latest + 1, users);
	gate__out_puts(o, "</figure>\n</section>\n");
	gate_buf_dispose(&desc);
	free(bars);
	free(labels);
}

int gate__pending_html(gate *g, const char *doc, const gate_report_options *opts, gate__out *o,
	gate_pending_totals *totals)
{
	char title[GATE_DOC_MAX + 32];
	keeper k;
	int error;

	memset(&k, 0, sizeof(k));
	k.limit = opts->html_rows ? opts->html_rows : DEFAULT_HTML_ROWS;
	if (!(k.rows = gate__calloc(k.limit, sizeof(*k.rows))))
		return GATE_ENOMEM;
	if ((error = gate_pending(g, doc, opts->as_of, keep_row, &k, totals)) != 0)
		goto done;
	snprintf(title, sizeof(title), "Pending acceptances: %s", doc ? doc : "all documents");
	page_start(o, opts->title ? opts->title : title, totals->as_of);
	gate__out_puts(o, "<p class=\"lead\">");
	gate__out_count(o, totals->users);
	gate__out_puts(o, totals->users == 1 ? " user known. " : " users known. ");
	if (!totals->rows) {
		gate__out_puts(o, "Nobody is pending: everyone may go on without a prompt.");
	} else {
		if (totals->users_block) {
			gate__out_count(o, totals->users_block);
			gate__out_puts(o, " must accept before they can go on");
			gate__out_puts(o, totals->users_notify ? "; " : ".");
		}
		if (totals->users_notify) {
			gate__out_count(o, totals->users_notify);
			gate__out_puts(o, totals->users_block ? " more should see a notice." : " should see a notice.");
		}
	}
	gate__out_puts(o, "</p>\n<ul class=\"cards\" aria-label=\"Totals\">\n");
	card(o, "", totals->users, "users known");
	if (totals->doc_count == 1 && totals->docs[0].in_force)
		share_card(o, totals->docs[0].current, totals->users, "on the version in force");
	card(o, "block", totals->users_block, "must accept (block)");
	card(o, "notify", totals->users_notify, "should see a notice (notify)");
	gate__out_puts(o, "</ul>\n");
	if (totals->doc_count > 1)
		gate__out_puts(o, "<p class=\"note\">Users are counted once, by their strongest decision over the documents.</p>\n");
	if (!totals->doc_count)
		gate__out_puts(o, "<p class=\"note\">No document is published yet.</p>\n");
	for (size_t i = 0; i < totals->doc_count; i++)
		doc_section(o, &totals->docs[i], totals->users, i);
	rows_table(o, &k, totals);
	page_end(o, totals->as_of, "Each decision is what gate_check() answers at that time.");
done:
	gate__arena_free(&k.arena);
	free(k.rows);
	return error ? error : k.error;
}

/* --- uptake ----------------------------------------------------------------------------------------- */

/* A version's figures on the report's last day; NULL when it was published after it. */
static const gate_uptake_day *last_day(const gate_uptake_version *v)
{
	return v->day_count ? &v->days[v->day_count - 1] : NULL;
}

static void uptake_table(gate__out *o, const gate_uptake *u)
{
	gate__out_puts(o, "<details>\n<summary>Day by day</summary>\n<div class=\"scroll\"><table>\n"
		"<thead><tr><th scope=\"col\">Date</th><th scope=\"col\" class=\"num\">Known</th>");
	for (size_t i = 0; i < u->version_count; i++)
		if (u->versions[i].day_count)
			gate__out_printf(o, "<th scope=\"col\" class=\"num\">v%u</th>", u->versions[i].n);
	gate__out_puts(o, "</tr></thead>\n<tbody>\n");
	for (size_t k = 0; k < u->day_count; k++) {
		int64_t day = u->first_day + (int64_t)k;

		gate__out_puts(o, "<tr><td>");
		gate__out_date(o, day * GATE__DAY_MS, "");
		gate__out_puts(o, "</td><td class=\"num\">");
		gate__out_count(o, u->known[k]);
		gate__out_puts(o, "</td>");
		for (size_t i = 0; i < u->version_count; i++) {
			const gate_uptake_day *d = gate__uptake_on(&u->versions[i], day);

			if (!u->versions[i].day_count)
				continue;
			gate__out_puts(o, "<td class=\"num\">");
			if (!d) {
				gate__out_puts(o, "\xE2\x80\x94");
			} else {
				gate__out_count(o, d->accepted);
				gate__out_puts(o, " (");
				gate__out_share(o, d->accepted, d->known);
				gate__out_puts(o, ")");
			}
			gate__out_puts(o, "</td>");
		}
		gate__out_puts(o, "</tr>\n");
		gate__out_maybe_flush(o);
	}
	gate__out_puts(o, "</tbody>\n</table></div>\n</details>\n");
}

void gate__uptake_html(const gate_uptake *u, const gate_report_options *opts, gate__out *o)
{
	char title[GATE_DOC_MAX + 32];
	gate_buf desc = GATE_BUF_INIT;
	const gate_uptake_version *last = NULL;

	snprintf(title, sizeof(title), "Uptake of %s", u->doc);
	page_start(o, opts->title ? opts->title : title, u->as_of);
	gate__out_puts(o, "<p class=\"lead\">How many of the known users had accepted each version of ");
	gate__out_html(o, u->doc);
	gate__out_puts(o, ", or a later one, day by day since it was published.</p>\n");
	for (size_t i = 0; i < u->version_count; i++)
		if (u->versions[i].day_count)
			last = &u->versions[i];
	gate__out_puts(o, "<ul class=\"cards\" aria-label=\"Totals\">\n");
	card(o, "", u->users, "users known");
	if (last) {
		const gate_uptake_day *d = last_day(last);
		char label[64];

		snprintf(label, sizeof(label), "have accepted v%u, the newest", last->n);
		share_card(o, d->accepted, d->known, label);
		card(o, "block", d->known - d->accepted, "have not accepted it yet");
	}
	gate__out_puts(o, "</ul>\n");
	if (!u->version_count || !u->day_count) {
		gate__out_puts(o, "<p class=\"note\">");
		gate__out_puts(o, u->version_count ? "No version was published by then." : "No version is published.");
		gate__out_puts(o, "</p>\n");
	} else {
		for (size_t i = 0; i < u->version_count; i++) {
			const gate_uptake_version *v = &u->versions[i];
			const gate_uptake_day *d = last_day(v);

			if (!d)
				continue;
			gate__buf_printf(&desc, "%sv%u (%s): %zu of %zu known users (%.1f%%) after %zu day%s", desc.size ? "; " : "",
				v->n, gate_change_name(v->change), d->accepted, d->known,
				d->known ? 100.0 * (double)d->accepted / (double)d->known : 0.0,
				v->day_count, v->day_count == 1 ? "" : "s");
		}
		gate__buf_puts(&desc, ".");
		gate__out_puts(o, "<h2>Share of known users, by day</h2>\n<figure>\n<figcaption>");
		gate__out_html(o, u->doc);
		gate__out_puts(o, ": accepted this version or a later one</figcaption>\n");
		gate__svg_uptake(o, u, opts->title ? opts->title : title, desc.ptr ? desc.ptr : "");
		gate__out_puts(o, "<ul class=\"legend\">\n");
		for (size_t i = 0; i < u->version_count; i++) {
			const gate_uptake_version *v = &u->versions[i];
			const gate_uptake_day *d = last_day(v);

			if (!d)
				continue;
			gate__out_printf(o, "<li class=\"s%zu\"><span class=\"sw\"></span>v%u (%s), published ", i % 8, v->n,
				gate_change_name(v->change));
			when_words(o, v->published, false);
			gate__out_puts(o, ": <strong>");
			gate__out_share(o, d->accepted, d->known);
			gate__out_puts(o, "</strong></li>\n");
		}
		gate__out_puts(o, "</ul>\n</figure>\n");
		uptake_table(o, u);
	}
	gate__out_puts(o, "<p class=\"note\">");
	gate__out_puts(o, GATE__KNOWN_USERS_WORDS);
	gate__out_puts(o, "</p>\n");
	page_end(o, u->as_of, "Withdrawn acceptances stop counting on the day they were withdrawn.");
	gate_buf_dispose(&desc);
}
