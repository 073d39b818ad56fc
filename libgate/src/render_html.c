/* render_html.c: the HTML format: one self-contained page telling the end user, in plain words, what changed. */
#include "common.h"
#include "diff.h"
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Passages longer than this are cut down to the sentences around their changes. */
#define LONG_PASSAGE 600
#define LONG_FIX 240

static const char css[] =
	":root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#4d5661;--card:#f5f7fa;"
	"--line:#d5dbe2;--accent:#1f5fd1;--del-bg:#fde7e7;--del-fg:#8c1d1d;--ins-bg:#def3e4;"
	"--ins-fg:#145229;--chip-bg:#e6edfb;--chip-fg:#1b3f8f;--warn:#8a4b00}\n"
	"@media (prefers-color-scheme:dark){:root{--bg:#121417;--fg:#e9ecef;--muted:#aab3bd;"
	"--card:#1b1f25;--line:#313842;--accent:#86aef7;--del-bg:#4b1f22;--del-fg:#ffd4d4;"
	"--ins-bg:#173b27;--ins-fg:#cdf5da;--chip-bg:#1f3157;--chip-fg:#d7e3ff;--warn:#ffc46b}}\n"
	"*{box-sizing:border-box}\n"
	"html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\n"
	"body{margin:0;background:var(--bg);color:var(--fg);font:1.0625rem/1.6 system-ui,-apple-system,"
	"\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif}\n"
	"main{max-width:42rem;margin:0 auto;padding:1.75rem 1.15rem 3rem}\n"
	".kicker{margin:0;color:var(--muted);font-size:1rem}\n"
	"h1{font-size:1.75rem;line-height:1.2;margin:.35rem 0 .9rem}\n"
	".summary{font-size:1.2rem;line-height:1.45;margin:0 0 .4rem}\n"
	".lead{margin:0 0 .4rem;color:var(--muted)}\n"
	".when{display:inline-block;margin:.6rem 0 0;padding:.3rem .75rem;border-radius:.5rem;"
	"background:var(--card);border:1px solid var(--line)}\n"
	"h2{font-size:1.3rem;line-height:1.3;margin:2.25rem 0 .25rem}\n"
	"h3{font-size:1.1rem;line-height:1.35;margin:1.5rem 0 .5rem}\n"
	".change{background:var(--card);border:1px solid var(--line);border-left:.3rem solid var(--accent);"
	"border-radius:.6rem;padding:.85rem 1rem;margin:.75rem 0}\n"
	".chips{list-style:none;margin:0 0 .55rem;padding:0;display:flex;flex-wrap:wrap;gap:.4rem}\n"
	".chips li{background:var(--chip-bg);color:var(--chip-fg);border-radius:1rem;padding:.05rem .7rem;"
	"font-size:1rem;line-height:1.6}\n"
	".passage{margin:0;overflow-wrap:anywhere}\n"
	".hint{margin:.55rem 0 0;color:var(--warn);font-size:1rem}\n"
	"del{background:var(--del-bg);color:var(--del-fg);text-decoration:line-through;"
	"text-decoration-thickness:.08em;border-radius:.2rem;padding:0 .15em}\n"
	"ins{background:var(--ins-bg);color:var(--ins-fg);text-decoration:underline;"
	"text-decoration-thickness:.08em;text-underline-offset:.18em;border-radius:.2rem;padding:0 .15em}\n"
	".vh{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;"
	"clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;border:0}\n"
	".none{background:var(--card);border:1px solid var(--line);border-radius:.6rem;padding:.85rem 1rem;margin:1.5rem 0}\n"
	"details{margin:2.25rem 0 0;border:1px solid var(--line);border-radius:.6rem;padding:0 1rem}\n"
	"summary{cursor:pointer;font-weight:600;padding:.8rem 0;min-height:2.75rem}\n"
	"summary span{font-weight:400;color:var(--muted)}\n"
	"details p.intro{margin:0 0 .5rem;color:var(--muted)}\n"
	".fixes{list-style:none;margin:0;padding:0 0 .5rem}\n"
	".fixes li{border-top:1px solid var(--line);padding:.65rem 0}\n"
	".reason{display:block;color:var(--muted);font-size:1rem}\n"
	"footer{margin-top:2.5rem;padding-top:1rem;border-top:1px solid var(--line);color:var(--muted);font-size:1rem}\n"
	"footer p{margin:0}\n"
	"@media (min-width:48rem){main{padding-top:3rem}h1{font-size:2.1rem}}\n";

/* --- plain words ----------------------------------------------------------------------- */

static const char *category_words(unsigned int bit)
{
	switch (bit) {
	case GATE_CATEGORY_SHARING: return "Who we share your data with";
	case GATE_CATEGORY_TRANSFERS: return "Sending your data abroad";
	case GATE_CATEGORY_RETENTION: return "How long we keep your data";
	case GATE_CATEGORY_PURPOSES: return "Why we use your data";
	case GATE_CATEGORY_DATA: return "What data we collect";
	case GATE_CATEGORY_RIGHTS: return "Your rights";
	case GATE_CATEGORY_CONTACT: return "How to contact us";
	case GATE_CATEGORY_SECURITY: return "How we protect your data";
	case GATE_CATEGORY_CHILDREN: return "Children";
	case GATE_CATEGORY_COOKIES: return "Cookies and tracking";
	case GATE_CATEGORY_CHANGES: return "How we tell you about changes";
	default: return "";
	}
}

static const char *hint_words(unsigned int bit)
{
	switch (bit) {
	case GATE_HINT_NEGATION:
		return "<strong>Read this one closely:</strong> a word such as \xE2\x80\x9Cnot\xE2\x80\x9D or "
			"\xE2\x80\x9Cnever\xE2\x80\x9D was added or removed, which can turn the meaning around.";
	case GATE_HINT_NUMBER: return "A number changed.";
	case GATE_HINT_LINK: return "An email or web address changed.";
	case GATE_HINT_POSSIBLE_TYPO:
		return "This may only fix a spelling mistake, but it changes a word, so it is listed here.";
	default: return "";
	}
}

static const char *editorial_words(unsigned int bit)
{
	switch (bit) {
	case GATE_EDITORIAL_WHITESPACE: return "Spacing and line breaks";
	case GATE_EDITORIAL_PUNCTUATION: return "Punctuation";
	case GATE_EDITORIAL_TYPOGRAPHY: return "Quotation marks, dashes and similar marks";
	case GATE_EDITORIAL_CASE: return "Capital letters";
	case GATE_EDITORIAL_UNICODE: return "How some characters are written";
	case GATE_EDITORIAL_MARKUP: return "Formatting";
	case GATE_EDITORIAL_DATE_LINE: return "The date of the notice";
	default: return "";
	}
}

static const char *const months[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

/* "1 April 2026" (UTC); "" when unset. */
static void day_words(char *buf, size_t size, int64_t ms)
{
	char iso[GATE_TIME_BUFSIZE];
	int y, m, day;

	buf[0] = '\0';
	if (ms == GATE_TIME_UNSET || gate_time_format(iso, ms) < 0 ||
	    sscanf(iso, "%d-%d-%d", &y, &m, &day) != 3 || m < 1 || m > 12)
		return;
	snprintf(buf, size, "%d %s %d", day, months[m - 1], y);
}

/* --- Markdown, read rather than shown -------------------------------------------------- */

enum { KEEP = 0, DROP, BULLET, SPACE };

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		(unsigned char)c >= 0x80;
}

/* What to do with each byte of t[0..len) so that Markdown reads as prose:
 * heading and quote markers dropped, list markers shown as bullets,
 * emphasis and code marks dropped, [text](url) shown as "text (url)". Only
 * the look changes; every word and address stays. */
static void plain_marks(const char *t, size_t len, unsigned char *act, bool line_start)
{
	memset(act, KEEP, len);
	for (size_t i = 0; i < len; i++) {
		char c = t[i];

		if (line_start) {
			size_t p = i, q;

			while (p < len && (t[p] == ' ' || t[p] == '\t'))
				p++;
			q = gate__render_content_start(t, i, len);
			if (q > p) {
				if (t[p] == '-' || t[p] == '*' || t[p] == '+') {
					act[p] = BULLET;
				} else if (t[p] == '#' || t[p] == '>') {
					for (size_t k = p; k < q; k++)
						act[k] = DROP;
				}
			}
			line_start = false;
			i = (q > p ? q : p);
			if (i >= len)
				break;
			c = t[i];
		}
		if (c == '\n') {
			line_start = true;
			continue;
		}
		if (c == '*' || c == '_' || c == '`') {
			size_t k = i;
			bool before_word, after_word;

			while (k < len && t[k] == c && k - i < 3)
				k++;
			before_word = i > 0 && !is_ws(t[i - 1]);
			after_word = k < len && !is_ws(t[k]);
			/* snake_case, e-mail addresses and 3*4 keep their marks */
			if (c != '`' && i > 0 && k < len && is_alnum(t[i - 1]) && is_alnum(t[k]))
				before_word = after_word = false;
			if (before_word != after_word || c == '`')
				for (size_t j = i; j < k; j++)
					act[j] = DROP;
			i = k - 1;
			continue;
		}
		if (c == '[') {
			size_t close = i + 1, paren;

			while (close < len && t[close] != ']' && t[close] != '\n')
				close++;
			if (close + 1 < len && t[close] == ']' && t[close + 1] == '(') {
				for (paren = close + 2; paren < len && t[paren] != ')' && !is_ws(t[paren]); paren++)
					;
				if (paren < len && t[paren] == ')') {
					act[i] = DROP;
					if (i > 0 && t[i - 1] == '!')
						act[i - 1] = DROP;
					act[close] = SPACE;
				}
			}
		}
	}
}

/* Appends t[s..e) as HTML, acting on `act` (the actions of t[base..]). */
static int put_plain(gate_buf *out, const char *t, size_t s, size_t e, const unsigned char *act, size_t base)
{
	size_t run = s;

	for (size_t i = s; i < e; i++) {
		unsigned char a = act ? act[i - base] : KEEP;

		if (a == KEEP)
			continue;
		if (gate__render_put_html(out, t + run, i - run) < 0 ||
		    (a == BULLET && gate__buf_puts(out, "\xE2\x80\xA2") < 0) ||
		    (a == SPACE && gate__buf_putc(out, ' ') < 0))
			return GATE_ENOMEM;
		run = i + 1;
	}
	return gate__render_put_html(out, t + run, e - run);
}

/* A span of either text, its marks read as prose unless `raw`. */
static int put_span(gate_buf *out, const char *t, size_t len, bool raw)
{
	unsigned char *act;
	int rc;

	if (raw || len == 0)
		return gate__render_put_html(out, t, len);
	if (!(act = gate__malloc(len)))
		return GATE_ENOMEM;
	plain_marks(t, len, act, false);
	rc = put_plain(out, t, 0, len, act, 0);
	free(act);
	return rc;
}

/* --- passages: where in the new text a change is read ----------------------------------- */

static bool blank_line(const gate_diff *d, unsigned int l)
{
	size_t s, e;

	gate__render_line(d, 1, l, &s, &e);
	for (; s < e; s++)
		if (!is_ws(d->new_text[s]))
			return false;
	return true;
}

/* A line that starts a block of its own: a heading, list item or quote. */
static bool block_line(const gate_diff *d, unsigned int l)
{
	size_t s, e, p;

	gate__render_line(d, 1, l, &s, &e);
	p = s;
	while (p < e && (d->new_text[p] == ' ' || d->new_text[p] == '\t'))
		p++;
	return gate__render_content_start(d->new_text, s, e) > p;
}

static bool heading_line(const gate_diff *d, unsigned int l)
{
	size_t s, e;

	gate__render_line(d, 1, l, &s, &e);
	while (s < e && d->new_text[s] == ' ')
		s++;
	return s < e && d->new_text[s] == '#';
}

typedef struct passage {
	size_t ps, pe;          /* the new text shown */
	bool cut_before, cut_after;
	size_t from, to;        /* the changes, as indices into the list being shown */
} passage;

/* The paragraph, list item or heading of the new text around [s, e); empty
 * (ps == pe) for a change that sits between blocks. */
static void passage_of(const gate_diff *d, size_t s, size_t e, passage *p)
{
	unsigned int n = gate__render_line_count(d, 1);
	unsigned int l = gate__render_line_at(d, 1, s), last;
	size_t ls, le;

	p->cut_before = p->cut_after = false;
	if (n == 0 || l > n || (e == s && blank_line(d, l))) {
		p->ps = p->pe = s;
		return;
	}
	last = e > s ? gate__render_line_at(d, 1, e - 1) : l;
	if (last > n)
		last = n;
	while (l > 1 && !blank_line(d, l - 1) && !block_line(d, l) && !heading_line(d, l - 1))
		l--;
	while (last < n && !blank_line(d, last + 1) && !block_line(d, last + 1) && !heading_line(d, last))
		last++;
	gate__render_line(d, 1, l, &p->ps, &le);
	gate__render_line(d, 1, last, &ls, &p->pe);
}

static bool sentence_end(const char *t, size_t i, size_t end)
{
	return (t[i] == '.' || t[i] == '!' || t[i] == '?' || t[i] == ';') && (i + 1 >= end || is_ws(t[i + 1]));
}

/* Cuts a long passage down to the sentences that hold [cs, ce). */
static void cut_to_sentences(const char *t, passage *p, size_t cs, size_t ce, size_t limit)
{
	size_t s = cs, e = ce;

	if (p->pe - p->ps <= limit)
		return;
	while (s > p->ps && !(s >= p->ps + 2 && sentence_end(t, s - 2, p->pe) && is_ws(t[s - 1])))
		s--;
	while (e < p->pe && !(e > p->ps && sentence_end(t, e - 1, p->pe)))
		e++;
	p->cut_before = s > p->ps;
	p->cut_after = e < p->pe;
	p->ps = s;
	p->pe = e;
}

/* A removal of whole lines reads best on its own, not glued to the next paragraph. */
static bool lines_removed(const gate_diff *d, const gate_diff_change *c)
{
	size_t e = c->old_offset + c->removed_len, ls, le;
	unsigned int l;

	if (c->added_len || !c->removed_len)
		return false;
	l = gate__render_line_at(d, 1, c->new_offset);
	if (l <= gate__render_line_count(d, 1)) {
		gate__render_line(d, 1, l, &ls, &le);
		if (c->new_offset > gate__render_content_start(d->new_text, ls, le))
			return false;
	}
	if (d->old_text[e - 1] == '\n')
		return true;
	while (e < d->old_len && (d->old_text[e] == ' ' || d->old_text[e] == '\t' || d->old_text[e] == '\r'))
		e++;
	return e >= d->old_len || d->old_text[e] == '\n';
}

/* --- the page ---------------------------------------------------------------------------- */

typedef struct page {
	gate__render *r;
	gate_buf *out;
	const char *en;         /* ' lang="en"' on our own words when the page is in another language */
	const char *text_lang;  /* ' lang="xx"' on the notice's words when they differ from the page's */
} page;

static bool has_word(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (is_alnum(s[i]))
			return true;
	return false;
}

static int put_del_ins(page *pg, const gate_diff_change *c, bool raw)
{
	const gate_diff *d = pg->r->d;

	if (c->removed_len && (gate__buf_printf(pg->out, "<del><span class=\"vh\"%s>removed: </span>", pg->en) < 0 ||
	    put_span(pg->out, d->old_text + c->old_offset, c->removed_len, raw) < 0 ||
	    gate__buf_puts(pg->out, "</del>") < 0))
		return GATE_ENOMEM;
	/* Words read apart; marks ("" for a quote) stay together. */
	if (c->removed_len && c->added_len && has_word(d->old_text + c->old_offset, c->removed_len) &&
	    has_word(c->added, c->added_len) && gate__buf_putc(pg->out, ' ') < 0)
		return GATE_ENOMEM;
	if (c->added_len && (gate__buf_printf(pg->out, "<ins><span class=\"vh\"%s>added: </span>", pg->en) < 0 ||
	    put_span(pg->out, d->new_text + c->new_offset, c->added_len, raw) < 0 ||
	    gate__buf_puts(pg->out, "</ins>") < 0))
		return GATE_ENOMEM;
	return 0;
}

/* One passage with its changes (list[p->from .. p->to]) marked in it. */
static int put_passage(page *pg, const passage *p, const size_t *list, bool raw)
{
	const gate_diff *d = pg->r->d;
	const char *t = d->new_text;
	unsigned char *act = NULL;
	size_t pos = p->ps;
	int rc = 0;

	if (gate__buf_printf(pg->out, "<p class=\"passage\"%s>", pg->text_lang) < 0)
		return GATE_ENOMEM;
	if (p->pe > p->ps) {   /* the words around read as prose; `raw` keeps the changes as written */
		if (!(act = gate__malloc(p->pe - p->ps)))
			return GATE_ENOMEM;
		plain_marks(t + p->ps, p->pe - p->ps, act,
			p->ps == 0 || t[p->ps - 1] == '\n');
	}
	if (p->cut_before && gate__buf_puts(pg->out, "\xE2\x80\xA6 ") < 0)
		rc = GATE_ENOMEM;
	for (size_t i = p->from; rc == 0 && i < p->to; i++) {
		const gate_diff_change *c = &d->changes[list[i]];
		size_t cs = c->new_offset < pos ? pos : c->new_offset > p->pe ? p->pe : c->new_offset;

		if (put_plain(pg->out, t, pos, cs, act, p->ps) < 0 || put_del_ins(pg, c, raw) < 0)
			rc = GATE_ENOMEM;
		pos = cs + c->added_len;
		if (pos > p->pe)
			pos = p->pe;
	}
	if (rc == 0 && (put_plain(pg->out, t, pos, p->pe, act, p->ps) < 0 ||
	    (p->cut_after && gate__buf_puts(pg->out, " \xE2\x80\xA6") < 0) || gate__buf_puts(pg->out, "</p>\n") < 0))
		rc = GATE_ENOMEM;
	free(act);
	return rc;
}

/* Splits the changes in `list` into passages: consecutive changes read in
 * the same passage share it. */
static int passages_of(page *pg, const size_t *list, size_t n, size_t limit, passage **out, size_t *count)
{
	const gate_diff *d = pg->r->d;
	bool no_context = (pg->r->flags & GATE_RENDER_NO_CONTEXT) != 0;
	passage *ps = NULL;
	size_t alloc = 0;

	*count = 0;
	for (size_t i = 0; i < n; i++) {
		const gate_diff_change *c = &d->changes[list[i]];
		size_t cs = c->new_offset, ce = cs + c->added_len;
		passage p;

		if (no_context || lines_removed(d, c))
			p.ps = p.pe = cs, p.cut_before = p.cut_after = false;
		else
			passage_of(d, cs, ce, &p);
		if (ce > p.pe)
			p.pe = ce;
		p.from = i;
		p.to = i + 1;
		if (*count && p.pe > p.ps && ps[*count - 1].pe > ps[*count - 1].ps &&
		    p.ps < ps[*count - 1].pe + 1 && !no_context &&
		    (list[i] == list[i - 1] + 1 || c->section == d->changes[list[i - 1]].section)) {
			passage *q = &ps[*count - 1];

			if (p.pe > q->pe)
				q->pe = p.pe;
			q->to = i + 1;
			continue;
		}
		if (gate__array_reserve(&ps, &alloc, *count, sizeof(*ps)) < 0) {
			free(ps);
			return GATE_ENOMEM;
		}
		ps[(*count)++] = p;
	}
	/* A long passage shows only the sentences around its changes. */
	for (size_t k = 0; k < *count; k++) {
		passage *q = &ps[k];
		const gate_diff_change *first = &d->changes[list[q->from]];
		const gate_diff_change *last = &d->changes[list[q->to - 1]];

		if (q->pe > q->ps)
			cut_to_sentences(d->new_text, q, first->new_offset, last->new_offset + last->added_len, limit);
	}
	*out = ps;
	return 0;
}

/* The words for each bit of `bits`, each between `open` and `close`, `sep` between them. */
static int put_names(page *pg, unsigned int bits, const char *(*words)(unsigned int), const char *open,
	const char *sep, const char *close)
{
	bool first = true;

	for (unsigned int bit = 1; bit && bit <= bits; bit <<= 1) {
		if (!(bits & bit) || !*words(bit))
			continue;
		if ((!first && gate__buf_puts(pg->out, sep) < 0) || gate__buf_puts(pg->out, open) < 0 ||
		    gate__buf_puts(pg->out, words(bit)) < 0 || gate__buf_puts(pg->out, close) < 0)
			return GATE_ENOMEM;
		first = false;
	}
	return 0;
}

/* A section heading of the notice as prose ("## 4. *Sharing*" -> "4. Sharing"). */
static int put_heading_text(gate_buf *out, const char *s)
{
	while (*s == '#' || *s == ' ')
		s++;
	return put_span(out, s, strlen(s), false);
}

/* A passage's place in the page: by its section's first appearance, then by position. */
typedef struct placed {
	const char *section;
	size_t pos;     /* the passage's index, in text order */
	size_t group;   /* the index of the section's first passage */
} placed;

static int by_section(const void *a, const void *b)
{
	const placed *x = a, *y = b;
	int c = strcmp(x->section, y->section);

	return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

static int by_group(const void *a, const void *b)
{
	const placed *x = a, *y = b;

	if (x->group != y->group)
		return (x->group > y->group) - (x->group < y->group);
	return (x->pos > y->pos) - (x->pos < y->pos);
}

static int put_material(page *pg, const size_t *list, size_t n)
{
	const gate_diff *d = pg->r->d;
	passage *ps = NULL;
	placed *order = NULL;
	size_t count;
	unsigned int shown_categories = 0;
	int rc;

	if ((rc = passages_of(pg, list, n, LONG_PASSAGE, &ps, &count)) < 0)
		return rc;
	if (!(order = gate__calloc(count ? count : 1, sizeof(*order)))) {
		free(ps);
		return GATE_ENOMEM;
	}
	/* Grouped by the notice's own sections, in the order they first appear. */
	for (size_t k = 0; k < count; k++) {
		const char *section = d->changes[list[ps[k].from]].section;

		order[k].section = section ? section : "";
		order[k].pos = k;
	}
	qsort(order, count, sizeof(*order), by_section);
	for (size_t k = 0; k < count; k++)
		order[k].group = k && strcmp(order[k].section, order[k - 1].section) == 0 ? order[k - 1].group : order[k].pos;
	qsort(order, count, sizeof(*order), by_group);

	rc = gate__buf_printf(pg->out, "<section aria-labelledby=\"affect\">\n<h2 id=\"affect\"%s>"
		"Changes that affect you</h2>\n", pg->en);
	for (size_t k = 0; rc == 0 && k < count; k++) {
		const passage *p = &ps[order[k].pos];
		const char *section = order[k].section;
		unsigned int categories = 0, hints = 0, chips;

		if (k == 0 || order[k].group != order[k - 1].group) {
			shown_categories = 0;
			if (*section)
				rc = gate__buf_puts(pg->out, "<h3") < 0 || gate__buf_puts(pg->out, pg->text_lang) < 0 ||
					gate__buf_putc(pg->out, '>') < 0 || put_heading_text(pg->out, section) < 0 ||
					gate__buf_puts(pg->out, "</h3>\n") < 0 ? GATE_ENOMEM : 0;
			else if (order[0].group != order[count - 1].group)
				rc = gate__buf_printf(pg->out, "<h3%s>At the start of the notice</h3>\n", pg->en);
			if (rc < 0)
				break;
		}
		for (size_t i = p->from; i < p->to; i++) {
			categories |= d->changes[list[i]].categories;
			hints |= d->changes[list[i]].hints;
		}
		/* The same chips again under the same heading say nothing new. */
		chips = categories == shown_categories ? 0 : categories;
		shown_categories = categories;
		if (gate__buf_puts(pg->out, "<article class=\"change\">\n") < 0 ||
		    (chips && (gate__buf_puts(pg->out, "<ul class=\"chips\" aria-label=\"What it is about\">") < 0 ||
			put_names(pg, chips, category_words, "<li>", "", "</li>") < 0 ||
			gate__buf_puts(pg->out, "</ul>\n") < 0)) ||
		    put_passage(pg, p, list, false) < 0 ||
		    put_names(pg, hints, hint_words, "<p class=\"hint\">", "", "</p>\n") < 0 ||
		    gate__buf_puts(pg->out, "</article>\n") < 0)
			rc = GATE_ENOMEM;
	}
	if (rc == 0)
		rc = gate__buf_puts(pg->out, "</section>\n");
	free(order);
	free(ps);
	return rc;
}

/* Whitespace, no-break spaces included. */
static bool only_space(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (is_ws(s[i]))
			continue;
		if (i + 1 < len && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0) {
			i++;
			continue;
		}
		return false;
	}
	return true;
}

/* The wording fixes (`list`, spacing left out) and how many spacing changes there were. */
static int put_editorial(page *pg, const size_t *list, size_t shown, size_t spacing)
{
	const gate_diff *d = pg->r->d;
	size_t count = 0;
	passage *ps = NULL;
	int rc;

	if ((rc = passages_of(pg, list, shown, LONG_FIX, &ps, &count)) < 0)
		return rc;
	if (shown)
		rc = gate__buf_printf(pg->out, "<details%s>\n<summary>%zu wording fix%s <span>that do%s not change the meaning</span></summary>\n",
			pg->en, shown, shown == 1 ? "" : "es", shown == 1 ? "es" : "");
	else
		rc = gate__buf_printf(pg->out, "<details%s>\n<summary>Spacing and line breaks <span>that do not change the meaning</span></summary>\n", pg->en);
	if (rc == 0)
		rc = gate__buf_puts(pg->out, "<p class=\"intro\">These only change how the notice is written, not what it says.</p>\n"
			"<ul class=\"fixes\">\n");
	for (size_t k = 0; rc == 0 && k < count; k++) {
		unsigned int reasons = 0;

		for (size_t i = ps[k].from; i < ps[k].to; i++)
			reasons |= d->changes[list[i]].editorial;
		if (gate__buf_puts(pg->out, "<li><span class=\"reason\">") < 0 ||
		    put_names(pg, reasons, editorial_words, "", "; ", "") < 0 ||
		    gate__buf_puts(pg->out, "</span>") < 0 || put_passage(pg, &ps[k], list, true) < 0 ||
		    gate__buf_puts(pg->out, "</li>\n") < 0)
			rc = GATE_ENOMEM;
	}
	if (rc == 0 && spacing)
		rc = gate__buf_printf(pg->out, "<li>Spacing or line breaks changed in %zu place%s.</li>\n",
			spacing, spacing == 1 ? "" : "s");
	if (rc == 0)
		rc = gate__buf_puts(pg->out, "</ul>\n</details>\n");
	free(ps);
	return rc;
}

/* "privacy, version 2 → version 3", or the two labels. */
static int put_sides(page *pg)
{
	const gate_diff *d = pg->r->d;
	const gate_diff_side *a = &d->sides[0], *b = &d->sides[1];

	if (b->doc && b->n) {
		if (gate__render_put_html(pg->out, b->doc, strlen(b->doc)) < 0)
			return GATE_ENOMEM;
		if (a->n)
			return gate__buf_printf(pg->out, " \xC2\xB7 version %u \xE2\x86\x92 version %u", a->n, b->n);
		return gate__buf_printf(pg->out, " \xC2\xB7 version %u", b->n);
	}
	if (gate__render_put_html(pg->out, gate__render_label(d, 0), strlen(gate__render_label(d, 0))) < 0 ||
	    gate__buf_puts(pg->out, " \xE2\x86\x92 ") < 0)
		return GATE_ENOMEM;
	return gate__render_put_html(pg->out, gate__render_label(d, 1), strlen(gate__render_label(d, 1)));
}

static int put_title(page *pg)
{
	const gate_diff *d = pg->r->d;
	const gate_diff_side *b = &d->sides[1];

	if (pg->r->title)
		return gate__render_put_html(pg->out, pg->r->title, strlen(pg->r->title));
	if (b->doc && b->n) {
		if (gate__buf_puts(pg->out, "What changed in ") < 0 ||
		    gate__render_put_html(pg->out, b->doc, strlen(b->doc)) < 0)
			return GATE_ENOMEM;
		return gate__buf_printf(pg->out, ", version %u", b->n);
	}
	return gate__buf_puts(pg->out, "What changed");
}

static int put_summary(page *pg, size_t material, size_t editorial, size_t spacing)
{
	const gate_diff *d = pg->r->d;
	bool show_fixes = !(pg->r->flags & GATE_RENDER_MATERIAL_ONLY);
	char when[64];
	int rc;

	if (gate__buf_printf(pg->out, "<p class=\"summary\"%s>", pg->en) < 0)
		return GATE_ENOMEM;
	if (material) {
		rc = gate__buf_printf(pg->out, "<strong>%zu change%s that affect%s you</strong>", material,
			material == 1 ? "" : "s", material == 1 ? "s" : "");
		if (rc == 0 && editorial && show_fixes)
			rc = gate__buf_printf(pg->out, "; %zu wording fix%s", editorial, editorial == 1 ? "" : "es");
		if (rc == 0)
			rc = gate__buf_printf(pg->out, ".</p>\n<p class=\"lead\"%s>%s listed first, under the part of the notice %s belong%s to.</p>\n",
				pg->en, material == 1 ? "It is" : "They are", material == 1 ? "it" : "they",
				material == 1 ? "s" : "");
	} else if (editorial) {
		rc = gate__buf_printf(pg->out, "<strong>No changes that affect you.</strong>");
		if (rc == 0 && show_fixes)
			rc = gate__buf_printf(pg->out, " %zu wording fix%s that do%s not change the meaning.",
				editorial, editorial == 1 ? "" : "es", editorial == 1 ? "es" : "");
		if (rc == 0)
			rc = gate__buf_puts(pg->out, "</p>\n");
	} else if (strcmp(gate__render_verdict(d), "identical") == 0) {
		rc = gate__buf_puts(pg->out, "<strong>Nothing has changed.</strong> This version has exactly the same text as the one before.</p>\n");
	} else {
		rc = gate__buf_puts(pg->out, "<strong>No changes that affect you.</strong> Only the spacing of the text is different.</p>\n");
	}
	day_words(when, sizeof(when), d->sides[1].effective);
	if (rc == 0 && *when && (material || editorial || spacing))
		rc = gate__buf_printf(pg->out, "<p class=\"when\"%s>%s from <strong>%s</strong></p>\n", pg->en,
			material ? "These changes apply" : "The new version applies", when);
	return rc;
}

int gate__render_html(gate__render *r)
{
	const gate_diff *d = r->d;
	size_t *material = NULL, *editorial = NULL, nm = 0, ne = 0, spacing = 0;
	const char *text_locale = d->sides[1].locale;
	char en_attr[16] = "", text_attr[GATE_LOCALE_MAX + 16] = "";
	page pg;
	int rc;

	/* Our own words are English; mark them so when the page is not. */
	if (strncmp(r->lang, "en", 2) != 0 || (r->lang[2] != '\0' && r->lang[2] != '-'))
		strcpy(en_attr, " lang=\"en\"");
	if (text_locale && *text_locale && strcmp(text_locale, r->lang) != 0 &&
	    gate_locale_check(text_locale) == 0)
		snprintf(text_attr, sizeof(text_attr), " lang=\"%s\"", text_locale);
	gate_error_clear();
	pg.r = r;
	pg.out = r->out;
	pg.en = en_attr;
	pg.text_lang = text_attr;

	material = gate__calloc(d->count ? d->count : 1, sizeof(size_t));
	editorial = gate__calloc(d->count ? d->count : 1, sizeof(size_t));
	if (!material || !editorial) {
		free(material);
		free(editorial);
		return GATE_ENOMEM;
	}
	for (size_t i = 0; i < d->count; i++) {
		const gate_diff_change *c = &d->changes[i];

		if (c->kind == GATE_CHANGE_MATERIAL)
			material[nm++] = i;
		else if (only_space(c->removed, c->removed_len) && only_space(c->added, c->added_len))
			spacing++;   /* nothing to show: counted instead */
		else
			editorial[ne++] = i;
	}

	rc = gate__buf_puts(r->out, "<!DOCTYPE html>\n<html lang=\"") < 0 ||
		gate__render_put_html(r->out, r->lang, strlen(r->lang)) < 0 ||
		gate__buf_puts(r->out, "\">\n<head>\n<meta charset=\"utf-8\">\n"
			"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			"<meta name=\"color-scheme\" content=\"light dark\">\n<title>") < 0 ||
		put_title(&pg) < 0 ||
		gate__buf_printf(r->out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n<header>\n<p class=\"kicker\">", css) < 0 ||
		put_sides(&pg) < 0 ||
		gate__buf_printf(r->out, "</p>\n<h1%s>", r->title ? "" : en_attr) < 0 || put_title(&pg) < 0 ||
		gate__buf_puts(r->out, "</h1>\n") < 0 || put_summary(&pg, nm, ne, spacing) < 0 ||
		gate__buf_puts(r->out, "</header>\n") < 0 ? GATE_ENOMEM : 0;
	if (rc == 0 && nm)
		rc = put_material(&pg, material, nm);
	if (rc == 0 && (ne || spacing) && !(r->flags & GATE_RENDER_MATERIAL_ONLY))
		rc = put_editorial(&pg, editorial, ne, spacing);
	if (rc == 0) {
		rc = gate__buf_printf(r->out, "<footer%s>\n<p>Compared: ", en_attr) < 0 ||
			gate__render_put_html(r->out, gate__render_label(d, 0), strlen(gate__render_label(d, 0))) < 0 ||
			gate__buf_puts(r->out, " with ") < 0 ||
			gate__render_put_html(r->out, gate__render_label(d, 1), strlen(gate__render_label(d, 1))) < 0 ||
			gate__buf_puts(r->out, ".</p>\n</footer>\n</main>\n</body>\n</html>\n") < 0 ? GATE_ENOMEM : 0;
	}
	free(material);
	free(editorial);
	return rc;
}
