/* render.c: gate_diff_render() and what its formats share: options, lines, hunks, summaries and safe escaping. */
#include "common.h"
#include "diff.h"
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define GATE__RENDER_DEFAULT_CONTEXT 3

int gate_render_options_init(gate_render_options *opts, unsigned int version)
{
	gate_render_options init = GATE_RENDER_OPTIONS_INIT;

	if (!opts)
		return gate__error_set(GATE_EINVALID, "gate_render_options_init: NULL options");
	if (version != GATE_RENDER_OPTIONS_VERSION)
		return gate__error_set(GATE_EVERSION,
			"gate_render_options version %u is not supported (expected %d)",
			version, GATE_RENDER_OPTIONS_VERSION);
	*opts = init;
	return 0;
}

int gate_diff_render(const gate_diff *diff, int format, const gate_render_options *opts,
	gate_buf *out)
{
	gate_render_options defaults = GATE_RENDER_OPTIONS_INIT;
	gate_buf result = GATE_BUF_INIT;
	gate__render r;
	int rc;

	if (!diff || !out)
		return gate__error_set(GATE_EINVALID, "gate_diff_render: NULL %s", diff ? "output buffer" : "diff");
	if (!opts)
		opts = &defaults;
	if (opts->version != GATE_RENDER_OPTIONS_VERSION)
		return gate__error_set(GATE_EVERSION,
			"gate_render_options version %u is not supported (expected %d); initialise it with GATE_RENDER_OPTIONS_INIT",
			opts->version, GATE_RENDER_OPTIONS_VERSION);
	if (opts->lang && gate_locale_check(opts->lang) < 0)
		return gate__error_set(GATE_EINVALID,
			"'%.64s' is not a language tag for the page; use a BCP 47 tag such as en-GB", opts->lang);

	memset(&r, 0, sizeof(r));
	r.d = diff;
	r.flags = opts->flags;
	r.context = (opts->flags & GATE_RENDER_NO_CONTEXT) ? 0
		: opts->context ? opts->context : GATE__RENDER_DEFAULT_CONTEXT;
	r.title = opts->title;
	r.lang = opts->lang ? opts->lang
		: diff->sides[1].locale && *diff->sides[1].locale ? diff->sides[1].locale : "en";
	r.out = &result;

	/* Render into a buffer of our own so that `out` is only replaced on success. */
	switch (format) {
	case GATE_DIFF_FORMAT_TEXT: rc = gate__render_text(&r); break;
	case GATE_DIFF_FORMAT_WORD: rc = gate__render_word(&r); break;
	case GATE_DIFF_FORMAT_JSON: rc = gate__render_json(&r); break;
	case GATE_DIFF_FORMAT_HTML: rc = gate__render_html(&r); break;
	default:
		return gate__error_set(GATE_EINVALID,
			"unknown diff format %d; use GATE_DIFF_FORMAT_TEXT, _WORD, _JSON or _HTML", format);
	}
	if (rc == 0 && !result.ptr)
		rc = gate__buf_put(&result, "", 0);
	if (rc < 0) {
		gate_buf_dispose(&result);
		return rc;
	}
	gate_buf_dispose(out);
	*out = result;
	return 0;
}

bool gate__render_shows(const gate__render *r, const gate_diff_change *c)
{
	return !(r->flags & GATE_RENDER_MATERIAL_ONLY) || c->kind == GATE_CHANGE_MATERIAL;
}

const char *gate__render_label(const gate_diff *d, int which)
{
	const char *l = d->sides[which ? 1 : 0].label;

	return l && *l ? l : which ? "new" : "old";
}

/* --- lines ------------------------------------------------------------------------ */

static const char *text_of(const gate_diff *d, int which, size_t *len)
{
	*len = which ? d->new_len : d->old_len;
	return which ? d->new_text : d->old_text;
}

unsigned int gate__render_line_count(const gate_diff *d, int which)
{
	size_t len, n = which ? d->new_line_count : d->old_line_count;
	const size_t *lines = which ? d->new_lines : d->old_lines;

	text_of(d, which, &len);
	if (len == 0)
		return 0;
	/* The table may count the empty "line" after a final line break. */
	while (n > 0 && lines[n - 1] >= len)
		n--;
	return (unsigned int)n;
}

void gate__render_line(const gate_diff *d, int which, unsigned int line, size_t *start, size_t *end)
{
	size_t len, n = which ? d->new_line_count : d->old_line_count;
	const size_t *lines = which ? d->new_lines : d->old_lines;
	const char *t = text_of(d, which, &len);
	size_t s, e;

	if (line == 0 || line > n) {
		*start = *end = len;
		return;
	}
	s = lines[line - 1];
	e = line < n ? lines[line] : len;
	if (e > s && t[e - 1] == '\n')
		e--;
	if (e > s && t[e - 1] == '\r')
		e--;
	*start = s;
	*end = e;
}

unsigned int gate__render_line_at(const gate_diff *d, int which, size_t p)
{
	unsigned int count = gate__render_line_count(d, which);
	unsigned int l;
	size_t len;

	text_of(d, which, &len);
	if (count == 0)
		return 1;
	if (p >= len)
		return len > 0 && (which ? d->new_text : d->old_text)[len - 1] == '\n' ? count + 1 : count;
	l = gate__diff_line_of(d, which, p);
	if (l < 1)
		l = 1;
	return l > count ? count : l;
}

size_t gate__render_content_start(const char *t, size_t s, size_t e)
{
	size_t p = s, q;

	while (p < e && (t[p] == ' ' || t[p] == '\t'))
		p++;
	q = p;
	if (q < e && t[q] == '#') {
		while (q < e && t[q] == '#')
			q++;
	} else if (q < e && (t[q] == '-' || t[q] == '*' || t[q] == '+' || t[q] == '>')) {
		q++;
	} else if (q < e && t[q] >= '0' && t[q] <= '9') {
		while (q < e && t[q] >= '0' && t[q] <= '9')
			q++;
		if (q < e && (t[q] == '.' || t[q] == ')'))
			q++;
		else
			q = p;
	}
	if (q > p && (q == e || t[q] == ' ' || t[q] == '\t')) {
		p = q;
		while (p < e && (t[p] == ' ' || t[p] == '\t'))
			p++;
	}
	return p;
}

static size_t content_end(const char *t, size_t s, size_t e)
{
	while (e > s && (t[e - 1] == ' ' || t[e - 1] == '\t'))
		e--;
	return e;
}

/* The lines [*first, *end) a span [s, e) of one side occupies. With
 * `aligned`, the span must hold whole lines (an empty one: sit between
 * lines); returns 0 when it does not. Without, it takes the lines holding
 * both its ends, which a change inside a line (or one joining lines) alters. */
static int span_lines(const gate_diff *d, int which, size_t s, size_t e, bool aligned,
	unsigned int *first, unsigned int *end)
{
	unsigned int count = gate__render_line_count(d, which);
	size_t len, ls, le;
	const char *t = text_of(d, which, &len);
	unsigned int l = gate__render_line_at(d, which, s);

	if (!aligned) {
		unsigned int last = e > s ? gate__render_line_at(d, which, e) : l;

		if (last > count)
			last = count;
		if (l > count)
			l = count ? count : 1;
		*first = l;
		*end = count ? (last < l ? l : last) + 1 : l;
		return 1;
	}
	if (l > count) {          /* at the very end, after a final line break */
		*first = *end = count + 1;
		return e == s || s >= len;
	}
	gate__render_line(d, which, l, &ls, &le);
	if (e == s) {
		if (s <= gate__render_content_start(t, ls, le))
			*first = *end = l;
		else if (s >= content_end(t, ls, le))
			*first = *end = l + 1;
		else
			return 0;
		return 1;
	}
	if (s > gate__render_content_start(t, ls, le))
		return 0;
	if (t[e - 1] == '\n') {   /* the span takes its line breaks along */
		*first = l;
		*end = gate__render_line_at(d, which, e);
		if (*end > count + 1)
			*end = count + 1;
		return *end > l;
	}
	{
		unsigned int last = gate__render_line_at(d, which, e - 1);

		gate__render_line(d, which, last, &ls, &le);
		if (e < content_end(t, ls, le))
			return 0;
		*first = l;
		*end = last + 1;
	}
	return 1;
}

static void change_lines(const gate_diff *d, const gate_diff_change *c, gate__render_block *b)
{
	size_t os = c->old_offset, ns = c->new_offset;
	size_t oe = os + c->removed_len, ne = ns + c->added_len;

	/* A line break both sides keep ("\n" for " \n") joins no lines. */
	while (oe > os && ne > ns && d->old_text[oe - 1] == '\n' && d->new_text[ne - 1] == '\n') {
		oe--;
		ne--;
	}
	while (oe > os && ne > ns && d->old_text[os] == '\n' && d->new_text[ns] == '\n') {
		os++;
		ns++;
	}

	if (span_lines(d, 0, os, oe, true, &b->old_first, &b->old_end) &&
	    span_lines(d, 1, ns, ne, true, &b->new_first, &b->new_end) &&
	    (b->old_end > b->old_first || b->new_end > b->new_first))
		return;
	span_lines(d, 0, os, oe, false, &b->old_first, &b->old_end);
	span_lines(d, 1, ns, ne, false, &b->new_first, &b->new_end);
}

/* --- hunks ------------------------------------------------------------------------ */

static unsigned int min_u(unsigned int a, unsigned int b)
{
	return a < b ? a : b;
}

static unsigned int max_u(unsigned int a, unsigned int b)
{
	return a > b ? a : b;
}

/* Fills in the numbers of hunk i from its blocks. Context lines never
 * overlap the previous hunk's; with `split`, two hunks closer than twice
 * the context share the lines between them, half each. */
static void hunk_finish(const gate__render *r, gate__render_hunks *h, size_t i, bool split)
{
	gate__render_hunk *k = &h->hunks[i];
	const gate__render_block *b0 = &h->blocks[k->block];
	const gate__render_block *bn = &h->blocks[k->block + k->nblocks - 1];
	const gate__render_block *next = i + 1 < h->nhunks ? &h->blocks[h->hunks[i + 1].block] : NULL;
	unsigned int oc = gate__render_line_count(r->d, 0), nc = gate__render_line_count(r->d, 1);
	unsigned int old_from = i ? h->hunks[i - 1].old_start + h->hunks[i - 1].old_count : 1;
	unsigned int new_from = i ? h->hunks[i - 1].ctx_end : 1;
	unsigned int old_after = next ? next->old_first - bn->old_end : bn->old_end <= oc ? oc - bn->old_end + 1 : 0;
	unsigned int new_after = next ? next->new_first - bn->new_end : bn->new_end <= nc ? nc - bn->new_end + 1 : 0;
	unsigned int pre_old = min_u(r->context, b0->old_first - min_u(old_from, b0->old_first));
	unsigned int pre_new = min_u(r->context, b0->new_first - min_u(new_from, b0->new_first));

	if (split && next) {   /* round up: the earlier hunk reads on */
		old_after -= old_after / 2;
		new_after -= new_after / 2;
	}
	k->old_start = b0->old_first - pre_old;
	k->old_count = bn->old_end + min_u(r->context, old_after) - k->old_start;
	k->new_start = b0->new_first - pre_new;
	k->new_count = bn->new_end + min_u(r->context, new_after) - k->new_start;
	k->ctx_first = k->new_start;
	k->ctx_end = k->new_start + k->new_count;
}

int gate__render_hunks_build(const gate__render *r, bool per_block, gate__render_hunks *h)
{
	const gate_diff *d = r->d;
	gate__render_block *cur = NULL;

	memset(h, 0, sizeof(*h));
	for (size_t i = 0; i < d->count; i++) {
		const gate_diff_change *c = &d->changes[i];
		gate__render_block b;

		if (!gate__render_shows(r, c))
			continue;
		change_lines(d, c, &b);
		b.first = b.last = i;
		if (cur && (b.old_first < cur->old_end || b.new_first < cur->new_end)) {
			cur->old_end = max_u(cur->old_end, b.old_end);
			cur->new_end = max_u(cur->new_end, b.new_end);
			cur->last = i;
			continue;
		}
		if (cur) {   /* keep the blocks in order on both sides */
			b.old_first = max_u(b.old_first, cur->old_end);
			b.old_end = max_u(b.old_end, b.old_first);
			b.new_first = max_u(b.new_first, cur->new_end);
			b.new_end = max_u(b.new_end, b.new_first);
		}
		if (gate__array_reserve(&h->blocks, &h->blocks_alloc, h->nblocks, sizeof(*h->blocks)) < 0) {
			gate__render_hunks_free(h);
			return GATE_ENOMEM;
		}
		cur = &h->blocks[h->nblocks++];
		*cur = b;
	}

	for (size_t i = 0; i < h->nblocks; i++) {
		gate__render_hunk *k = h->nhunks ? &h->hunks[h->nhunks - 1] : NULL;

		if (k && !per_block && h->blocks[i].new_first - h->blocks[i - 1].new_end <= 2 * r->context &&
		    h->blocks[i].old_first - h->blocks[i - 1].old_end <= 2 * r->context) {
			k->nblocks++;
			continue;
		}
		if (gate__array_reserve(&h->hunks, &h->hunks_alloc, h->nhunks, sizeof(*h->hunks)) < 0) {
			gate__render_hunks_free(h);
			return GATE_ENOMEM;
		}
		k = &h->hunks[h->nhunks++];
		memset(k, 0, sizeof(*k));
		k->block = i;
		k->nblocks = 1;
	}
	for (size_t i = 0; i < h->nhunks; i++)
		hunk_finish(r, h, i, per_block);
	return 0;
}

void gate__render_hunks_free(gate__render_hunks *h)
{
	free(h->blocks);
	free(h->hunks);
	memset(h, 0, sizeof(*h));
}

/* One formatting pass (gate__buf_printf makes two): a 1 MB diff has thousands of headers. */
static int put_range(gate_buf *out, char sign, unsigned int start, unsigned int count)
{
	char buf[32];
	int n = count == 1 ? snprintf(buf, sizeof(buf), "%c%u", sign, start)
		: snprintf(buf, sizeof(buf), "%c%u,%u", sign, count ? start : start - 1, count);

	return gate__buf_put(out, buf, (size_t)n);
}

int gate__render_hunk_range(gate_buf *out, const gate__render_hunk *h)
{
	if (gate__buf_puts(out, "@@ ") < 0 || put_range(out, '-', h->old_start, h->old_count) < 0 ||
	    gate__buf_putc(out, ' ') < 0 || put_range(out, '+', h->new_start, h->new_count) < 0)
		return GATE_ENOMEM;
	return gate__buf_puts(out, " @@");
}

const char *gate__render_hunk_section(const gate__render *r, const gate__render_hunks *h,
	const gate__render_hunk *hunk)
{
	size_t from = h->blocks[hunk->block].first;
	size_t to = h->blocks[hunk->block + hunk->nblocks - 1].last;

	for (size_t i = from; i <= to; i++) {
		const gate_diff_change *c = &r->d->changes[i];

		if (gate__render_shows(r, c) && c->section && *c->section)
			return c->section;
	}
	return "";
}

/* --- words ---------------------------------------------------------------------------- */

const char *gate__render_verdict(const gate_diff *d)
{
	if (d->material)
		return "material";
	if (d->count || d->old_len != d->new_len || memcmp(d->old_text, d->new_text, d->old_len) != 0)
		return "editorial";
	return "identical";
}

int gate__render_summary(gate_buf *out, const gate_diff *d)
{
	const gate_diff_stats *s = &d->stats;

	if (s->material)
		return s->editorial
			? gate__buf_printf(out, "material: %zu material change%s, %zu editorial",
				s->material, s->material == 1 ? "" : "s", s->editorial)
			: gate__buf_printf(out, "material: %zu material change%s",
				s->material, s->material == 1 ? "" : "s");
	if (s->editorial)
		return gate__buf_printf(out, "editorial: %zu editorial change%s, none material",
			s->editorial, s->editorial == 1 ? "" : "s");
	if (strcmp(gate__render_verdict(d), "identical") == 0)
		return gate__buf_puts(out, "identical: no changes");
	return gate__buf_puts(out, "editorial: only spacing and line breaks differ");
}

int gate__render_bit_names(gate_buf *out, unsigned int bits, const char *(*name)(unsigned int),
	bool quoted)
{
	bool first = true;

	for (unsigned int bit = 1; bit && bit <= bits; bit <<= 1) {
		const char *n;

		if (!(bits & bit) || !*(n = name(bit)))
			continue;
		if ((!first && gate__buf_puts(out, ", ") < 0) ||
		    (quoted ? gate__render_put_json(out, n, strlen(n)) : gate__buf_puts(out, n)) < 0)
			return GATE_ENOMEM;
		first = false;
	}
	return 0;
}

/* --- escaping whatever a span holds ------------------------------------------------------ */

/* The length of the valid UTF-8 prefix of s[0..len) that holds no control
 * character other than tab, line feed and carriage return. */
static size_t clean_prefix(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		utf8proc_int32_t cp;
		utf8proc_ssize_t n;

		if (c < 0x80) {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				return i;
			i++;
			continue;
		}
		n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n < 0)
			return i;
		i += (size_t)n;
	}
	return len;
}

/* `s` as it is when clean, else a copy in `tmp` with U+FFFD for each bad
 * byte (a control character in JSON stays: the JSON escaper writes it as \u00XX). */
static int cleaned(const char **s, size_t *len, gate_buf *tmp, bool keep_controls)
{
	size_t i = 0, n = *len;
	const char *p = *s;

	if (clean_prefix(p, n) == n)
		return 0;
	while (i < n) {
		size_t ok = clean_prefix(p + i, n - i);

		if (gate__buf_put(tmp, p + i, ok) < 0)
			return GATE_ENOMEM;
		i += ok;
		if (i < n) {
			if (keep_controls && (unsigned char)p[i] < 0x20) {
				if (gate__buf_putc(tmp, p[i]) < 0)
					return GATE_ENOMEM;
			} else if (gate__buf_puts(tmp, "\xEF\xBF\xBD") < 0) {
				return GATE_ENOMEM;
			}
			i++;
		}
	}
	*s = tmp->ptr ? tmp->ptr : "";
	*len = tmp->size;
	return 0;
}

int gate__render_put_json(gate_buf *out, const char *s, size_t len)
{
	gate_buf tmp = GATE_BUF_INIT;
	int rc = cleaned(&s, &len, &tmp, true);

	if (rc == 0)
		rc = gate__buf_put_json_string(out, s, len);
	gate_buf_dispose(&tmp);
	return rc;
}

int gate__render_put_html(gate_buf *out, const char *s, size_t len)
{
	gate_buf tmp = GATE_BUF_INIT;
	int rc = cleaned(&s, &len, &tmp, false);

	if (rc == 0)
		rc = gate__buf_put_html(out, s, len);
	gate_buf_dispose(&tmp);
	return rc;
}
