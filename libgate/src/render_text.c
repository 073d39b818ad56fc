/* render_text.c: the unified text format: a verdict line, then "-"/"+" lines per change region, words highlighted on a terminal. */
#include "common.h"
#include "diff.h"
#include "render.h"

#include <string.h>

#define SGR_RESET "\033[m"
#define SGR_BOLD "\033[1m"
#define SGR_NOBOLD "\033[22m"
#define SGR_RED "\033[31m"
#define SGR_GREEN "\033[32m"
#define SGR_CYAN "\033[36m"
#define SGR_DIM "\033[2m"

/* Appends t[s..e), with control characters shown as '?' on a terminal so
 * that a text cannot drive it. */
static int put_bytes(gate__render *r, const char *t, size_t s, size_t e)
{
	if (!(r->flags & GATE_RENDER_COLOR))
		return gate__buf_put(r->out, t + s, e - s);
	for (size_t i = s; i < e; i++) {
		unsigned char c = (unsigned char)t[i];

		if (gate__buf_putc(r->out, c < 0x20 && c != '\t' ? '?' : (char)c) < 0)
			return GATE_ENOMEM;
	}
	return 0;
}

/* One line of the old (which 0) or new (1) text after `sign`; with colour,
 * the bytes of the block's shown changes on that side in bold. */
static int put_line(gate__render *r, const gate__render_block *b, int which, char sign,
	unsigned int line)
{
	const gate_diff *d = r->d;
	const char *t = which ? d->new_text : d->old_text;
	bool color = (r->flags & GATE_RENDER_COLOR) != 0;
	size_t s, e, pos;

	gate__render_line(d, which, line, &s, &e);
	if (!color || sign == ' ') {
		if (gate__buf_putc(r->out, sign) < 0 || put_bytes(r, t, s, e) < 0)
			return GATE_ENOMEM;
		return gate__buf_putc(r->out, '\n');
	}
	if (gate__buf_puts(r->out, which ? SGR_GREEN : SGR_RED) < 0 || gate__buf_putc(r->out, sign) < 0)
		return GATE_ENOMEM;
	pos = s;
	for (size_t i = b->first; i <= b->last && pos < e; i++) {
		const gate_diff_change *c = &d->changes[i];
		size_t cs = which ? c->new_offset : c->old_offset;
		size_t ce = cs + (which ? c->added_len : c->removed_len);

		if (!gate__render_shows(r, c) || ce <= pos || cs >= e)
			continue;
		if (cs < pos)
			cs = pos;
		if (ce > e)
			ce = e;
		if (put_bytes(r, t, pos, cs) < 0 || gate__buf_puts(r->out, SGR_BOLD) < 0 ||
		    put_bytes(r, t, cs, ce) < 0 || gate__buf_puts(r->out, SGR_NOBOLD) < 0)
			return GATE_ENOMEM;
		pos = ce;
	}
	if (put_bytes(r, t, pos, e) < 0 || gate__buf_puts(r->out, SGR_RESET "\n") < 0)
		return GATE_ENOMEM;
	return 0;
}

/* " Sharing · material: sharing, transfers [number]" for the changes of a hunk. */
static int put_verdict(gate__render *r, const gate__render_hunks *h, const gate__render_hunk *k)
{
	const gate_diff *d = r->d;
	size_t from = h->blocks[k->block].first, to = h->blocks[k->block + k->nblocks - 1].last;
	unsigned int categories = 0, hints = 0, editorial = 0;
	bool material = false, color = (r->flags & GATE_RENDER_COLOR) != 0;
	const char *section = gate__render_hunk_section(r, h, k);

	for (size_t i = from; i <= to; i++) {
		const gate_diff_change *c = &d->changes[i];

		if (!gate__render_shows(r, c))
			continue;
		if (c->kind == GATE_CHANGE_MATERIAL) {
			material = true;
			categories |= c->categories;
			hints |= c->hints;
		} else {
			editorial |= c->editorial;
		}
	}
	if (*section && (gate__buf_putc(r->out, ' ') < 0 ||
	    put_bytes(r, section, 0, strlen(section)) < 0 || gate__buf_puts(r->out, " \xC2\xB7") < 0))
		return GATE_ENOMEM;
	if (gate__buf_puts(r->out, color ? (material ? " " SGR_BOLD : " " SGR_DIM) : " ") < 0 ||
	    gate__buf_puts(r->out, material ? "material" : "editorial") < 0)
		return GATE_ENOMEM;
	if (material ? categories != 0 : editorial != 0) {
		if (gate__buf_puts(r->out, ": ") < 0 ||
		    gate__render_bit_names(r->out, material ? categories : editorial,
			material ? gate_category_name : gate_editorial_name, false) < 0)
			return GATE_ENOMEM;
	}
	if (material && hints && (gate__buf_puts(r->out, " [") < 0 ||
	    gate__render_bit_names(r->out, hints, gate_hint_name, false) < 0 || gate__buf_putc(r->out, ']') < 0))
		return GATE_ENOMEM;
	return color ? gate__buf_puts(r->out, SGR_RESET) : 0;
}

static int put_hunk(gate__render *r, const gate__render_hunks *h, const gate__render_hunk *k)
{
	bool color = (r->flags & GATE_RENDER_COLOR) != 0;
	unsigned int line = k->ctx_first;

	if ((color && gate__buf_puts(r->out, SGR_CYAN) < 0) || gate__render_hunk_range(r->out, k) < 0 ||
	    (color && gate__buf_puts(r->out, SGR_RESET) < 0) || put_verdict(r, h, k) < 0 ||
	    gate__buf_putc(r->out, '\n') < 0)
		return GATE_ENOMEM;
	for (size_t bi = k->block; bi < k->block + k->nblocks; bi++) {
		const gate__render_block *b = &h->blocks[bi];

		for (; line < b->new_first; line++)
			if (put_line(r, b, 1, ' ', line) < 0)
				return GATE_ENOMEM;
		for (unsigned int l = b->old_first; l < b->old_end; l++)
			if (put_line(r, b, 0, '-', l) < 0)
				return GATE_ENOMEM;
		for (unsigned int l = b->new_first; l < b->new_end; l++)
			if (put_line(r, b, 1, '+', l) < 0)
				return GATE_ENOMEM;
		line = b->new_end;
	}
	for (; line < k->ctx_end; line++)
		if (put_line(r, &h->blocks[k->block], 1, ' ', line) < 0)
			return GATE_ENOMEM;
	return 0;
}

int gate__render_text(gate__render *r)
{
	bool color = (r->flags & GATE_RENDER_COLOR) != 0;
	gate__render_hunks h;
	int rc;

	if ((color && gate__buf_puts(r->out, SGR_BOLD) < 0) || gate__render_summary(r->out, r->d) < 0 ||
	    (color && gate__buf_puts(r->out, SGR_RESET) < 0) || gate__buf_putc(r->out, '\n') < 0)
		return GATE_ENOMEM;
	if (r->d->stats.coarse &&
	    gate__buf_puts(r->out, "note: part of this diff is by line, not by word (the texts differ too much there)\n") < 0)
		return GATE_ENOMEM;
	if ((rc = gate__render_hunks_build(r, true, &h)) < 0)
		return rc;
	if (h.nhunks) {
		const char *bold = color ? SGR_BOLD : "", *reset = color ? SGR_RESET : "";

		rc = gate__buf_printf(r->out, "%s--- %s%s\n%s+++ %s%s\n", bold,
			gate__render_label(r->d, 0), reset, bold, gate__render_label(r->d, 1), reset);
	}
	for (size_t i = 0; rc == 0 && i < h.nhunks; i++)
		rc = put_hunk(r, &h, &h.hunks[i]);
	gate__render_hunks_free(&h);
	return rc;
}
