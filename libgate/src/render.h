/* render.h: what the diff renderers (render_*.c) share: the options in force, lines, hunks and summaries (render.c). */
#ifndef GATE_RENDER_H
#define GATE_RENDER_H

#include "common.h"
#include "diff.h"

/* One rendering: the diff, the options resolved to their defaults, and the output. */
typedef struct gate__render {
	const gate_diff *d;
	unsigned int flags;      /* gate_render_flags */
	unsigned int context;    /* context lines; 0 with GATE_RENDER_NO_CONTEXT */
	const char *title;       /* NULL: the renderer makes one */
	const char *lang;        /* never NULL */
	gate_buf *out;
} gate__render;

/* A run of changed lines: old lines [old_first, old_end) and new lines
 * [new_first, new_end), 1-based; a side whose range is empty had whole lines
 * inserted before its `first` line (or removed there). The shown changes
 * are d->changes[first .. last], less the ones gate__render_shows() hides. */
typedef struct gate__render_block {
	unsigned int old_first, old_end;
	unsigned int new_first, new_end;
	size_t first, last;
} gate__render_block;

/* Blocks close enough to share their context lines, as in a unified diff. */
typedef struct gate__render_hunk {
	/* The header's numbers, context lines included ("@@ -old_start,old_count ..."). */
	unsigned int old_start, old_count;
	unsigned int new_start, new_count;
	/* The new text's lines of context shown: [ctx_first, first block's new_first)
	 * before, and [last block's new_end, ctx_end) after. */
	unsigned int ctx_first, ctx_end;
	size_t block, nblocks;   /* blocks[block .. block + nblocks) */
} gate__render_hunk;

typedef struct gate__render_hunks {
	gate__render_block *blocks;
	size_t nblocks, blocks_alloc;
	gate__render_hunk *hunks;
	size_t nhunks, hunks_alloc;
} gate__render_hunks;

/* Whether the rendering shows change `c` (GATE_RENDER_MATERIAL_ONLY hides editorial ones). */
bool gate__render_shows(const gate__render *r, const gate_diff_change *c);

/* The number of lines of the old (which 0) or new (1) text; a final line
 * break does not start another line, and an empty text has none. */
unsigned int gate__render_line_count(const gate_diff *d, int which);
/* Line `line` (1-based) of a text as [*start, *end), its line break (LF or
 * CR LF) left out. */
void gate__render_line(const gate_diff *d, int which, unsigned int line, size_t *start, size_t *end);

/* The 1-based line holding byte `p` of a text; count + 1 at the end of a
 * text that ends with a line break. */
unsigned int gate__render_line_at(const gate_diff *d, int which, size_t p);
/* Where the words of the line t[s..e) begin: after indentation and a
 * Markdown heading, list or quote marker. */
size_t gate__render_content_start(const char *t, size_t s, size_t e);

/* Groups the shown changes into blocks and hunks with r->context lines of
 * context: as git does (blocks closer than twice the context share a hunk),
 * or with `per_block` one hunk per block, sharing the lines between them. */
int gate__render_hunks_build(const gate__render *r, bool per_block, gate__render_hunks *out);
void gate__render_hunks_free(gate__render_hunks *h);

/* Appends "@@ -12,3 +12,4 @@" (git's numbering: ",1" left out, an empty
 * range numbered by the line before it). */
int gate__render_hunk_range(gate_buf *out, const gate__render_hunk *h);

/* The section of a hunk: the first non-empty section of its shown changes, or "". */
const char *gate__render_hunk_section(const gate__render *r, const gate__render_hunks *h,
	const gate__render_hunk *hunk);

/* Appends the verdict in one line, without a line break: "material: 3
 * material changes, 2 editorial", "editorial: 2 editorial changes, none
 * material", "identical: no changes". */
int gate__render_summary(gate_buf *out, const gate_diff *d);

/* "material", "editorial" or "identical" (no change, same bytes). */
const char *gate__render_verdict(const gate_diff *d);

/* Appends the names of the bits set in `bits`, ", " between them, using
 * `name` (gate_category_name, gate_hint_name or gate_editorial_name);
 * `quoted` writes them as JSON strings. */
int gate__render_bit_names(gate_buf *out, unsigned int bits, const char *(*name)(unsigned int),
	bool quoted);

/* A side's label for headers: its label, else "old"/"new". Never NULL. */
const char *gate__render_label(const gate_diff *d, int which);

/* Appends `s[0..len)` with every byte sequence that is not UTF-8 replaced by
 * U+FFFD, so that escaped output stays valid whatever a span holds. Used
 * through the escapers below. */
int gate__render_put_json(gate_buf *out, const char *s, size_t len);
int gate__render_put_html(gate_buf *out, const char *s, size_t len);

/* The formats (render_text.c, render_word.c, render_json.c, render_html.c). */
int gate__render_text(gate__render *r);
int gate__render_word(gate__render *r);
int gate__render_json(gate__render *r);
int gate__render_html(gate__render *r);

#endif
