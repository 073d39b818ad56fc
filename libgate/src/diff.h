/* diff.h: the insides of a gate_diff, shared by the diff engine (diff*.c) and the renderers (render_*.c). */
#ifndef GATE_DIFF_H
#define GATE_DIFF_H

#include "common.h"

struct gate_diff {
	gate__arena arena;           /* sections, labels and side strings (the texts are allocated apart) */

	/* Copies of the two texts, NUL-terminated (the NUL is not counted). */
	const char *old_text;
	size_t old_len;
	const char *new_text;
	size_t new_len;

	/* Byte offset of the start of every line of each text (line i + 1
	 * starts at lines[i]); for renderers that show lines around changes. */
	size_t *old_lines, *new_lines;
	size_t old_line_count, new_line_count;

	/* The changes in text order; removed/added point into the texts above. */
	gate_diff_change *changes;
	size_t count, alloc;

	gate_diff_stats stats;
	gate_diff_side sides[2];     /* 0 old, 1 new */
	int material;
};

/* The 1-based line holding byte `offset` of the old (which 0) or new (1) text. */
unsigned int gate__diff_line_of(const gate_diff *d, int which, size_t offset);

#endif
