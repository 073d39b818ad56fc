/* fuzz_render.c: the diff of any two texts, rendered in every format with any flags.
 *
 * Input: one byte of render flags and context, then the old text, a NUL byte,
 * and the new text (no NUL: the new text is empty). Texts the engine refuses
 * (not UTF-8) end the run. Beyond not crashing, every output must hold
 * together: the page and the JSON are whole, and no text can open a tag. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gate_render_options o = GATE_RENDER_OPTIONS_INIT;
	gate_buf out = GATE_BUF_INIT;
	const char *old_text, *new_text = "", *nul;
	size_t old_len, new_len = 0;
	gate_diff *d;

	if (size == 0)
		return 0;
	o.flags = data[0] & (GATE_RENDER_COLOR | GATE_RENDER_NO_CONTEXT | GATE_RENDER_MATERIAL_ONLY);
	o.context = (unsigned)(data[0] >> 3) & 7u;
	old_text = (const char *)data + 1;
	old_len = size - 1;
	if ((nul = memchr(old_text, '\0', old_len)) != NULL) {
		new_text = nul + 1;
		new_len = old_len - (size_t)(new_text - old_text);
		old_len = (size_t)(nul - old_text);
	}
	if (gate_diff_texts(&d, NULL, old_text, old_len, new_text, new_len, NULL) < 0)
		return 0;
	for (int f = GATE_DIFF_FORMAT_TEXT; f <= GATE_DIFF_FORMAT_HTML; f++) {
		if (gate_diff_render(d, f, &o, &out) < 0)
			abort();
		if (strlen(out.ptr) != out.size)
			abort();
		if (f == GATE_DIFF_FORMAT_JSON && (out.size < 3 || out.ptr[0] != '{' || strcmp(out.ptr + out.size - 2, "}\n")))
			abort();
		if (f == GATE_DIFF_FORMAT_HTML && (strstr(out.ptr, "<script") || strstr(out.ptr, "<img") ||
		    out.size < 8 || strcmp(out.ptr + out.size - 8, "</html>\n")))
			abort();
	}
	gate_buf_dispose(&out);
	gate_diff_free(d);
	return 0;
}
