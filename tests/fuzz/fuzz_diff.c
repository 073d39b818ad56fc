/* fuzz_diff.c: the diff engine (tokeniser, normaliser, alignment, classifier). The input is cut
 * into an old and a new text at its first 0xFF byte (else in half); both are diffed as given
 * (invalid UTF-8 must be refused cleanly) and with bad bytes replaced, with the default and a
 * tiny edit-search cap, and the engine's invariants are checked: abort() on any break. Only changed
 * regions are tokenised, so the reference for the verdict and the word counts is a whole-text
 * tokenisation. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "diff_engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Valid UTF-8 without NUL: bad sequences become '?', NUL a space. */
static char *sanitise(const uint8_t *p, size_t n)
{
	char *out = malloc(n + 1);
	size_t i = 0, k = 0;

	if (!out)
		abort();
	while (i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t r = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);

		if (r <= 0) {
			out[k++] = '?';
			i++;
		} else if (cp == 0) {
			out[k++] = ' ';
			i++;
		} else {
			memcpy(out + k, p + i, (size_t)r);
			k += (size_t)r;
			i += (size_t)r;
		}
	}
	out[k] = '\0';
	return out;
}

static unsigned line_at(const char *s, size_t off)
{
	unsigned line = 1;

	for (size_t i = 0; i < off; i++)
		line += s[i] == '\n';
	return line;
}

static bool same_keys(const char *a, size_t na, const char *b, size_t nb, const gate__dconfig *cfg)
{
	gate_buf ka = GATE_BUF_INIT, kb = GATE_BUF_INIT;
	bool same;

	if (gate__diff_semantic_keys(a, na, cfg, &ka) < 0 || gate__diff_semantic_keys(b, nb, cfg, &kb) < 0)
		abort();
	same = ka.size == kb.size && (ka.size == 0 || memcmp(ka.ptr, kb.ptr, ka.size) == 0);
	gate_buf_dispose(&ka);
	gate_buf_dispose(&kb);
	return same;
}

static void check(const char *a, size_t na, const char *b, size_t nb, unsigned long max_cost,
	const gate__dconfig *cfg)
{
	gate_diff_options o = GATE_DIFF_OPTIONS_INIT;
	gate_diff *d;
	char *out;
	size_t pos = 0, len = 0, material = 0;

	o.max_cost = max_cost;
	if (gate_diff_texts(&d, NULL, a, na, b, nb, &o) < 0) {
		/* only bad input may be refused */
		if (gate__utf8_check(a, na, "old text") == 0 && gate__utf8_check(b, nb, "new text") == 0)
			abort();
		return;
	}
	if (!(out = malloc(na + nb + 1)))
		abort();
	for (size_t i = 0; i < gate_diff_change_count(d); i++) {
		const gate_diff_change *c = gate_diff_change_at(d, i);

		if (c->old_offset < pos || c->old_offset + c->removed_len > na ||
		    (c->removed_len == 0 && c->added_len == 0) ||
		    memcmp(c->removed, a + c->old_offset, c->removed_len) != 0 ||
		    c->old_line != line_at(a, c->old_offset) || !c->section)
			abort();
		memcpy(out + len, a + pos, c->old_offset - pos);
		len += c->old_offset - pos;
		if (c->new_offset != len || c->new_line != line_at(b, c->new_offset))
			abort();
		memcpy(out + len, c->added, c->added_len);
		len += c->added_len;
		pos = c->old_offset + c->removed_len;
		if (c->kind == GATE_CHANGE_MATERIAL)
			material++;
		else if (c->kind != GATE_CHANGE_EDITORIAL || c->editorial == 0 || c->categories != 0)
			abort();
	}
	memcpy(out + len, a + pos, na - pos);
	len += na - pos;
	/* applying the changes to the old text gives the new text */
	if (len != nb || memcmp(out, b, nb) != 0)
		abort();
	free(out);
	if (gate_diff_get_stats(d)->material != material || gate_diff_is_material(d) != (material > 0))
		abort();
	/* editorial exactly when the meaningful token sequences are equal */
	if (gate_diff_is_material(d) == same_keys(a, na, b, nb, cfg))
		abort();
	/* the word counts (equal lines are counted without tokens) agree with whole tokenisations */
	{
		size_t wa, wb;

		if (gate__diff_full_words(a, na, cfg, &wa) < 0 || gate__diff_full_words(b, nb, cfg, &wb) < 0 ||
		    gate_diff_get_stats(d)->old_words != wa || gate_diff_get_stats(d)->new_words != wb)
			abort();
	}
	gate_diff_free(d);
}

static void check_self(const char *a, size_t na)
{
	gate_diff *d;

	if (gate_diff_texts(&d, NULL, a, na, a, na, NULL) < 0)
		return;
	if (gate_diff_change_count(d) != 0 || gate_diff_is_material(d))
		abort();
	gate_diff_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static gate__dconfig cfg;
	static int loaded;
	const uint8_t *cut = memchr(data, 0xFF, size);
	size_t na = cut ? (size_t)(cut - data) : size / 2;
	const uint8_t *b = data + na + (cut ? 1 : 0);
	size_t nb = size - (size_t)(b - data);
	char *sa, *sb;

	if (!loaded) {
		if (gate__dconfig_load(&cfg, NULL, NULL) < 0)
			abort();
		loaded = 1;
	}
	/* as given: refused cleanly or diffed */
	check((const char *)data, na, (const char *)b, nb, 0, &cfg);
	/* made valid, so the engine itself is reached */
	sa = sanitise(data, na);
	sb = sanitise(b, nb);
	check(sa, strlen(sa), sb, strlen(sb), 0, &cfg);
	check(sa, strlen(sa), sb, strlen(sb), 64, &cfg);
	check_self(sa, strlen(sa));
	free(sa);
	free(sb);
	return 0;
}
