/* render_word.c: git's --word-diff=plain format: the new text's lines with [-old-]{+new+} inline, in hunks with context. */
#include "common.h"
#include "diff.h"
#include "render.h"

#define SGR_RESET "\033[m"
#define SGR_RED "\033[31m"
#define SGR_GREEN "\033[32m"
#define SGR_CYAN "\033[36m"
#define SGR_BOLD "\033[1m"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Appends t[s..e) inside markers, closing and reopening them around each
 * line break as git does ("[-a-]\n[-b-]"). Spaces at the edges of a piece
 * stay outside the markers, as text when added, dropped when removed. */
static int put_marked(gate__render *r, const char *t, size_t s, size_t e, bool removed)
{
	bool color = (r->flags & GATE_RENDER_COLOR) != 0;
	const char *open = removed ? (color ? SGR_RED "[-" : "[-") : (color ? SGR_GREEN "{+" : "{+");
	const char *close = removed ? (color ? "-]" SGR_RESET : "-]") : (color ? "+}" SGR_RESET : "+}");

	while (s < e) {
		size_t nl = s, ps, pe;

		while (nl < e && t[nl] != '\n')
			nl++;
		ps = s;
		pe = nl > s && t[nl - 1] == '\r' ? nl - 1 : nl;
		while (ps < pe && (t[ps] == ' ' || t[ps] == '\t'))
			ps++;
		while (pe > ps && (t[pe - 1] == ' ' || t[pe - 1] == '\t'))
			pe--;
		if ((!removed && gate__buf_put(r->out, t + s, ps - s) < 0) ||
		    (pe > ps && (gate__buf_puts(r->out, open) < 0 || gate__buf_put(r->out, t + ps, pe - ps) < 0 ||
			gate__buf_puts(r->out, close) < 0)) ||
		    (!removed && gate__buf_put(r->out, t + pe, nl - pe) < 0))
			return GATE_ENOMEM;
		if (nl < e && gate__buf_putc(r->out, '\n') < 0)
			return GATE_ENOMEM;
		s = nl < e ? nl + 1 : e;
	}
	return 0;
}

/* Whether position `e` of `t` ends a line (only spaces before the line break). */
static bool ends_line(const char *t, size_t len, size_t e)
{
	if (e > 0 && t[e - 1] == '\n')
		return true;
	while (e < len && (t[e] == ' ' || t[e] == '\t' || t[e] == '\r'))
		e++;
	return e >= len || t[e] == '\n';
}

static bool at_line_start(const gate_buf *b)
{
	return b->size == 0 || b->ptr[b->size - 1] == '\n';
}

/* The new text of a block's lines, its shown changes marked where they
 * fall; editorial changes left out by GATE_RENDER_MATERIAL_ONLY read as
 * the new text does. */
static int put_block(gate__render *r, const gate__render_block *b)
{
	const gate_diff *d = r->d;
	const char *t = d->new_text;
	size_t e, pos, end;

	/* A line past the last one starts at the end of the text. */
	gate__render_line(d, 1, b->new_first, &pos, &e);
	if (b->new_end > b->new_first)
		gate__render_line(d, 1, b->new_end, &end, &e);
	else
		end = pos;
	for (size_t i = b->first; i <= b->last; i++) {
		const gate_diff_change *c = &d->changes[i];
		size_t cs = c->new_offset, ce = c->new_offset + c->added_len;

		if (!gate__render_shows(r, c))
			continue;
		if (cs < pos)
			cs = pos;
		if (cs > end)
			cs = end;
		if (ce < cs)
			ce = cs;
		if (gate__buf_put(r->out, t + pos, cs - pos) < 0)
			return GATE_ENOMEM;
		pos = cs;
		if (c->removed_len) {
			const char *o = d->old_text;
			size_t os = c->old_offset, oe = os + c->removed_len;
			bool line_start = at_line_start(r->out);
			bool lone = !c->added_len;
			bool lines = line_start && ends_line(o, d->old_len, oe);
			/* A removed word stood apart from its neighbours: keep it so. */
			bool apart_before = (os > 0 && is_space(o[os - 1])) || is_space(o[os]);
			bool apart_after = (oe < d->old_len && is_space(o[oe])) || is_space(o[oe - 1]);

			if (lone && apart_before && !line_start && !is_space(r->out->ptr[r->out->size - 1]) &&
			    gate__buf_putc(r->out, ' ') < 0)
				return GATE_ENOMEM;
			if (put_marked(r, o, os, oe, true) < 0)
				return GATE_ENOMEM;
			/* Whole lines removed stand on lines of their own. */
			if (lone && lines && !at_line_start(r->out) && gate__buf_putc(r->out, '\n') < 0)
				return GATE_ENOMEM;
			if (lone && !lines && apart_after && !at_line_start(r->out) &&
			    !is_space(r->out->ptr[r->out->size - 1]) && pos < end && !is_space(t[pos]) &&
			    gate__buf_putc(r->out, ' ') < 0)
				return GATE_ENOMEM;
		}
		if (c->added_len) {
			if (ce > end)
				ce = end;
			if (put_marked(r, t, cs, ce, false) < 0)
				return GATE_ENOMEM;
			pos = ce;
		}
	}
	if (gate__buf_put(r->out, t + pos, end - pos) < 0)
		return GATE_ENOMEM;
	if (end > pos && t[end - 1] != '\n')   /* the text's last line has no line break */
		return gate__buf_putc(r->out, '\n');
	if (!at_line_start(r->out))
		return gate__buf_putc(r->out, '\n');
	return 0;
}

static int put_context(gate__render *r, unsigned int from, unsigned int to)
{
	for (unsigned int l = from; l < to; l++) {
		size_t s, e;

		gate__render_line(r->d, 1, l, &s, &e);
		if (gate__buf_put(r->out, r->d->new_text + s, e - s) < 0 || gate__buf_putc(r->out, '\n') < 0)
			return GATE_ENOMEM;
	}
	return 0;
}

int gate__render_word(gate__render *r)
{
	bool color = (r->flags & GATE_RENDER_COLOR) != 0;
	gate__render_hunks h;
	int rc;

	if ((rc = gate__render_hunks_build(r, false, &h)) < 0)
		return rc;
	if (h.nhunks)
		rc = gate__buf_printf(r->out, "%s--- %s\n+++ %s%s\n", color ? SGR_BOLD : "",
			gate__render_label(r->d, 0), gate__render_label(r->d, 1), color ? SGR_RESET : "");
	for (size_t i = 0; rc == 0 && i < h.nhunks; i++) {
		const gate__render_hunk *k = &h.hunks[i];
		const char *section = gate__render_hunk_section(r, &h, k);
		unsigned int line = k->ctx_first;

		if ((color && gate__buf_puts(r->out, SGR_CYAN) < 0) || gate__render_hunk_range(r->out, k) < 0 ||
		    (color && gate__buf_puts(r->out, SGR_RESET) < 0) ||
		    (*section && gate__buf_printf(r->out, " %s", section) < 0) || gate__buf_putc(r->out, '\n') < 0) {
			rc = GATE_ENOMEM;
			break;
		}
		for (size_t bi = k->block; rc == 0 && bi < k->block + k->nblocks; bi++) {
			const gate__render_block *b = &h.blocks[bi];

			if ((rc = put_context(r, line, b->new_first)) == 0)
				rc = put_block(r, b);
			line = b->new_end > b->new_first ? b->new_end : b->new_first;
		}
		if (rc == 0)
			rc = put_context(r, line, k->ctx_end);
	}
	gate__render_hunks_free(&h);
	return rc;
}
