/* test_render.c: the diff renderers (text, word, JSON, HTML) on hand-built diffs and on diffs the engine computes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "support_tmp.h"

/* --- hand-built diffs ------------------------------------------------------------------------ */

/* Whether line tables count the empty "line" after a final line break;
 * the renderers must read either way. */
static int count_final_empty_line;

static size_t *line_table(const char *t, size_t len, size_t *count)
{
	size_t *lines = calloc(len + 2, sizeof(size_t));
	size_t n = 0;

	assert_non_null(lines);
	lines[n++] = 0;
	for (size_t i = 0; i < len; i++)
		if (t[i] == '\n' && (i + 1 < len || count_final_empty_line))
			lines[n++] = i + 1;
	*count = n;
	return lines;
}

static unsigned line_of(const size_t *lines, size_t n, size_t off)
{
	unsigned l = 1;

	for (size_t i = 1; i < n && lines[i] <= off; i++)
		l = (unsigned)i + 1;
	return l;
}

/*
 * A diff made from one string with git's word-diff marks: "We do [-not-]{+now+}
 * sell" is the old text "We do not sell", the new text "We do now sell" and
 * one change. "[-..-]" directly followed by "{+..+}" is one replacement.
 * Every change starts material, without section; see mark().
 */
static gate_diff *hand(const char *marked)
{
	gate_diff *d = calloc(1, sizeof(*d));
	char *o = calloc(strlen(marked) + 1, 1), *n = calloc(strlen(marked) + 1, 1);
	size_t ol = 0, nl = 0;
	const char *p = marked;

	assert_non_null(d);
	d->changes = calloc(64, sizeof(gate_diff_change));
	d->alloc = 64;
	while (*p) {
		if (strncmp(p, "[-", 2) == 0 || strncmp(p, "{+", 2) == 0) {
			gate_diff_change *c = &d->changes[d->count++];

			c->kind = GATE_CHANGE_MATERIAL;
			c->section = "";
			c->old_offset = ol;
			c->new_offset = nl;
			if (strncmp(p, "[-", 2) == 0) {
				const char *end = strstr(p + 2, "-]");

				assert_non_null(end);
				memcpy(o + ol, p + 2, (size_t)(end - p - 2));
				c->removed_len = (size_t)(end - p - 2);
				ol += c->removed_len;
				p = end + 2;
			}
			if (strncmp(p, "{+", 2) == 0) {
				const char *end = strstr(p + 2, "+}");

				assert_non_null(end);
				memcpy(n + nl, p + 2, (size_t)(end - p - 2));
				c->added_len = (size_t)(end - p - 2);
				nl += c->added_len;
				p = end + 2;
			}
			continue;
		}
		o[ol++] = *p;
		n[nl++] = *p++;
	}
	d->old_text = o;
	d->old_len = ol;
	d->new_text = n;
	d->new_len = nl;
	d->old_lines = line_table(o, ol, &d->old_line_count);
	d->new_lines = line_table(n, nl, &d->new_line_count);
	for (size_t i = 0; i < d->count; i++) {
		gate_diff_change *c = &d->changes[i];

		c->removed = o + c->old_offset;
		c->added = n + c->new_offset;
		c->old_line = line_of(d->old_lines, d->old_line_count, c->old_offset);
		c->new_line = line_of(d->new_lines, d->new_line_count, c->new_offset);
	}
	d->sides[0].label = "old.md";
	d->sides[1].label = "new.md";
	d->sides[0].effective = d->sides[1].effective = GATE_TIME_UNSET;
	return d;
}

/* Sets change i's verdict and reading aids, and recounts the totals. */
static void mark(gate_diff *d, size_t i, gate_change kind, const char *section,
	unsigned categories, unsigned hints, unsigned editorial)
{
	gate_diff_change *c = &d->changes[i];

	c->kind = kind;
	c->section = section;
	c->categories = categories;
	c->hints = hints;
	c->editorial = editorial;
}

static void totals(gate_diff *d)
{
	memset(&d->stats, 0, sizeof(d->stats));
	d->material = 0;
	for (size_t i = 0; i < d->count; i++) {
		if (d->changes[i].kind == GATE_CHANGE_MATERIAL)
			d->stats.material++;
		else
			d->stats.editorial++;
	}
	d->stats.changes = d->count;
	d->stats.old_bytes = d->old_len;
	d->stats.new_bytes = d->new_len;
	d->material = d->stats.material > 0;
}

static void hand_free(gate_diff *d)
{
	free((char *)d->old_text);
	free((char *)d->new_text);
	free(d->old_lines);
	free(d->new_lines);
	free(d->changes);
	free(d);
}

/* Renders and returns the output (free()), asserting success. */
static char *render(const gate_diff *d, int format, unsigned flags, unsigned context)
{
	gate_render_options o = GATE_RENDER_OPTIONS_INIT;
	gate_buf out = GATE_BUF_INIT;

	o.flags = flags;
	o.context = context;
	if (gate_diff_render(d, format, &o, &out) < 0)
		fail_msg("render failed: %s", gate_error_last()->message);
	assert_non_null(out.ptr);
	assert_int_equal(strlen(out.ptr), out.size);
	return out.ptr;
}

static int count_of(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* A notice with one material change in the middle of five lines. */
static gate_diff *one_change(void)
{
	gate_diff *d = hand("# Notice\n\nWe do [-not-]{+now+} sell your data.\n\nContact us.\n");

	mark(d, 0, GATE_CHANGE_MATERIAL, "Sharing", GATE_CATEGORY_SHARING, GATE_HINT_NEGATION, 0);
	totals(d);
	return d;
}

/* --- options and errors ------------------------------------------------------------------------ */

static void test_options_init_checks_the_version(void **state)
{
	gate_render_options o;

	(void)state;
	memset(&o, 0x5a, sizeof(o));
	assert_int_equal(gate_render_options_init(&o, GATE_RENDER_OPTIONS_VERSION), 0);
	assert_int_equal(o.version, GATE_RENDER_OPTIONS_VERSION);
	assert_int_equal(o.flags, 0);
	assert_int_equal(o.context, 0);
	assert_null(o.title);
	assert_null(o.lang);
	assert_int_equal(gate_render_options_init(&o, 99), GATE_EVERSION);
	assert_int_equal(gate_render_options_init(NULL, GATE_RENDER_OPTIONS_VERSION), GATE_EINVALID);
}

static void test_bad_calls_fail_and_leave_the_output_alone(void **state)
{
	gate_diff *d = one_change();
	gate_render_options o = GATE_RENDER_OPTIONS_INIT;
	gate_buf out = GATE_BUF_INIT;

	(void)state;
	assert_int_equal(gate_diff_render(d, GATE_DIFF_FORMAT_JSON, NULL, &out), 0);
	assert_non_null(strstr(out.ptr, "\"material\": true"));
	assert_int_equal(gate_diff_render(d, 7, NULL, &out), GATE_EINVALID);
	assert_non_null(strstr(gate_error_last()->message, "unknown diff format 7"));
	assert_non_null(strstr(out.ptr, "\"material\": true"));
	o.version = 42;
	assert_int_equal(gate_diff_render(d, GATE_DIFF_FORMAT_TEXT, &o, &out), GATE_EVERSION);
	o.version = GATE_RENDER_OPTIONS_VERSION;
	o.lang = "not a tag!";
	assert_int_equal(gate_diff_render(d, GATE_DIFF_FORMAT_HTML, &o, &out), GATE_EINVALID);
	assert_non_null(strstr(gate_error_last()->message, "not a language tag"));
	assert_int_equal(gate_diff_render(NULL, GATE_DIFF_FORMAT_TEXT, NULL, &out), GATE_EINVALID);
	assert_int_equal(gate_diff_render(d, GATE_DIFF_FORMAT_TEXT, NULL, NULL), GATE_EINVALID);
	assert_non_null(strstr(out.ptr, "\"material\": true"));
	gate_buf_dispose(&out);
	hand_free(d);
}

/* --- text ---------------------------------------------------------------------------------- */

static void test_text_is_a_unified_diff_with_the_verdict(void **state)
{
	gate_diff *d = one_change();
	char *t = render(d, GATE_DIFF_FORMAT_TEXT, 0, 0);

	(void)state;
	assert_string_equal(t,
		"material: 1 material change\n"
		"--- old.md\n"
		"+++ new.md\n"
		"@@ -1,5 +1,5 @@ Sharing \xC2\xB7 material: sharing [negation]\n"
		" # Notice\n"
		" \n"
		"-We do not sell your data.\n"
		"+We do now sell your data.\n"
		" \n"
		" Contact us.\n");
	assert_null(strchr(t, '\033'));
	free(t);
	t = render(d, GATE_DIFF_FORMAT_TEXT, GATE_RENDER_NO_CONTEXT, 0);
	assert_string_equal(t,
		"material: 1 material change\n--- old.md\n+++ new.md\n"
		"@@ -3 +3 @@ Sharing \xC2\xB7 material: sharing [negation]\n"
		"-We do not sell your data.\n+We do now sell your data.\n");
	free(t);
	hand_free(d);
}

static void test_text_colours_the_changed_words_only_when_asked(void **state)
{
	gate_diff *d = one_change();
	char *t = render(d, GATE_DIFF_FORMAT_TEXT, GATE_RENDER_COLOR | GATE_RENDER_NO_CONTEXT, 0);

	(void)state;
	assert_non_null(strstr(t, "\033[31m-We do \033[1mnot\033[22m sell your data.\033[m\n"));
	assert_non_null(strstr(t, "\033[32m+We do \033[1mnow\033[22m sell your data.\033[m\n"));
	free(t);
	hand_free(d);
}

static void test_text_shows_lines_removed_and_a_first_version(void **state)
{
	gate_diff *d = hand("alpha\n[-beta gamma\ndelta epsilon\n-]zeta\n");
	char *t;

	(void)state;
	totals(d);
	t = render(d, GATE_DIFF_FORMAT_TEXT, 0, 0);
	assert_non_null(strstr(t, "@@ -1,4 +1,2 @@ material\n alpha\n-beta gamma\n-delta epsilon\n zeta\n"));
	free(t);
	hand_free(d);

	d = hand("{+Hello\nWorld\n+}");
	totals(d);
	t = render(d, GATE_DIFF_FORMAT_TEXT, 0, 0);
	assert_non_null(strstr(t, "@@ -0,0 +1,2 @@ material\n+Hello\n+World\n"));
	free(t);
	hand_free(d);
}

static void test_hunks_split_distant_changes_and_text_gives_each_region_a_header(void **state)
{
	gate_diff *d = hand("a1 [-x-]{+y+}\na2\na3\na4\na5\na6\na7\na8\na9\na10\na11 [-x-]{+y+}\na12\n");
	char *t;

	(void)state;
	totals(d);
	/* 9 unchanged lines between them: more than twice 3 lines of context */
	for (int f = GATE_DIFF_FORMAT_TEXT; f <= GATE_DIFF_FORMAT_WORD; f++) {
		t = render(d, f, 0, 0);
		assert_int_equal(count_of(t, "\n@@ -"), 2);
		assert_non_null(strstr(t, "@@ -1,4 +1,4 @@"));
		assert_non_null(strstr(t, "@@ -8,5 +8,5 @@"));
		free(t);
	}
	/* With 5 lines of context, git's format joins them in one hunk... */
	t = render(d, GATE_DIFF_FORMAT_WORD, 0, 5);
	assert_int_equal(count_of(t, "\n@@ -"), 1);
	assert_non_null(strstr(t, "@@ -1,12 +1,12 @@\na1 [-x-]{+y+}\na2\n"));
	free(t);
	/* ...and the text format gives each its own header, sharing the lines between. */
	t = render(d, GATE_DIFF_FORMAT_TEXT, 0, 5);
	assert_non_null(strstr(t, "@@ -1,6 +1,6 @@ material\n-a1 x\n+a1 y\n a2\n a3\n a4\n a5\n a6\n"
		"@@ -7,6 +7,6 @@ material\n a7\n a8\n a9\n a10\n-a11 x\n+a11 y\n a12\n"));
	free(t);
	hand_free(d);
}

static void test_material_only_leaves_editorial_changes_out(void **state)
{
	gate_diff *d = hand("Intro [-colour-]{+Colour+}.\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nWe keep data for [-six-]{+ten+} years.\n");
	char *t;

	(void)state;
	mark(d, 0, GATE_CHANGE_EDITORIAL, "", 0, 0, GATE_EDITORIAL_CASE);
	mark(d, 1, GATE_CHANGE_MATERIAL, "Retention", GATE_CATEGORY_RETENTION, GATE_HINT_NUMBER, 0);
	totals(d);
	t = render(d, GATE_DIFF_FORMAT_TEXT, 0, 0);
	assert_non_null(strstr(t, "material: 1 material change, 1 editorial\n"));
	assert_non_null(strstr(t, "@@ -1,4 +1,4 @@ editorial: case\n"));
	assert_non_null(strstr(t, "Retention \xC2\xB7 material: retention [number]\n"));
	free(t);
	t = render(d, GATE_DIFF_FORMAT_TEXT, GATE_RENDER_MATERIAL_ONLY, 0);
	assert_non_null(strstr(t, "material: 1 material change, 1 editorial\n"));
	assert_null(strstr(t, "colour"));
	assert_int_equal(count_of(t, "\n@@ -"), 1);
	free(t);
	t = render(d, GATE_DIFF_FORMAT_WORD, GATE_RENDER_MATERIAL_ONLY, 0);
	assert_null(strstr(t, "[-colour-]"));
	assert_non_null(strstr(t, "[-six-]{+ten+}"));
	free(t);
	t = render(d, GATE_DIFF_FORMAT_JSON, GATE_RENDER_MATERIAL_ONLY, 0);
	assert_int_equal(count_of(t, "\"kind\""), 1);
	assert_non_null(strstr(t, "\"editorial\": 1"));
	free(t);
	hand_free(d);
}

static void test_identical_texts_say_so(void **state)
{
	gate_diff *d = hand("Same text.\n");
	char *t;

	(void)state;
	totals(d);
	t = render(d, GATE_DIFF_FORMAT_TEXT, 0, 0);
	assert_string_equal(t, "identical: no changes\n");
	free(t);
	t = render(d, GATE_DIFF_FORMAT_WORD, 0, 0);
	assert_string_equal(t, "");
	free(t);
	t = render(d, GATE_DIFF_FORMAT_JSON, 0, 0);
	assert_non_null(strstr(t, "\"verdict\": \"identical\""));
	assert_non_null(strstr(t, "\"changes\": []"));
	free(t);
	t = render(d, GATE_DIFF_FORMAT_HTML, 0, 0);
	assert_non_null(strstr(t, "Nothing has changed."));
	assert_null(strstr(t, "<details"));
	free(t);
	hand_free(d);
}

/* --- word ---------------------------------------------------------------------------------- */

static void test_word_format_marks_words_inline_like_git(void **state)
{
	gate_diff *d = one_change();
	char *t = render(d, GATE_DIFF_FORMAT_WORD, 0, 0);

	(void)state;
	assert_string_equal(t,
		"--- old.md\n+++ new.md\n"
		"@@ -1,5 +1,5 @@ Sharing\n"
		"# Notice\n"
		"\n"
		"We do [-not-]{+now+} sell your data.\n"
		"\n"
		"Contact us.\n");
	free(t);
	hand_free(d);

	d = hand("alpha\n[-beta gamma\ndelta epsilon\n-]zeta\n");
	totals(d);
	t = render(d, GATE_DIFF_FORMAT_WORD, 0, 0);
	assert_string_equal(t, "--- old.md\n+++ new.md\n@@ -1,4 +1,2 @@\nalpha\n[-beta gamma-]\n[-delta epsilon-]\nzeta\n");
	free(t);
	hand_free(d);

	d = hand("We keep {+your+} data [-and-] logs.\n");
	totals(d);
	t = render(d, GATE_DIFF_FORMAT_WORD, GATE_RENDER_NO_CONTEXT, 0);
	assert_string_equal(t, "--- old.md\n+++ new.md\n@@ -1 +1 @@\nWe keep {+your+} data [-and-] logs.\n");
	free(t);
	hand_free(d);
}

static void test_renderers_read_either_kind_of_line_table(void **state)
{
	char *a, *b;
	gate_diff *d;

	(void)state;
	for (int f = GATE_DIFF_FORMAT_TEXT; f <= GATE_DIFF_FORMAT_WORD; f++) {
		count_final_empty_line = 0;
		d = hand("one\ntwo [-three-]{+four+}\n{+five\n+}");
		totals(d);
		a = render(d, f, 0, 0);
		hand_free(d);
		count_final_empty_line = 1;
		d = hand("one\ntwo [-three-]{+four+}\n{+five\n+}");
		totals(d);
		b = render(d, f, 0, 0);
		hand_free(d);
		count_final_empty_line = 0;
		assert_string_equal(a, b);
		assert_non_null(strstr(a, f == GATE_DIFF_FORMAT_WORD ? "@@ -1,2 +1,3 @@" : "@@ -2,0 +3 @@ material\n+five\n"));
		free(a);
		free(b);
	}
}

/* --- JSON ------------------------------------------------------------------------------------ */

static int have_python(void)
{
	return tmp_sh("python3 -c 'pass' >/dev/null 2>&1") == 0;
}

/* Runs a Python check on `json` (it reads the parsed object as `d`); returns its exit status. */
static int python_check(const char *json, const char *check)
{
	char *dir = tmpdir_make();
	const char *file = tmp_path(dir, "out.json"), *script = tmp_path(dir, "check.py");
	char prog[4096];
	int rc;

	tmp_write(file, json, strlen(json));
	snprintf(prog, sizeof(prog),
		"import json, sys\n"
		"d = json.loads(open(sys.argv[1], 'rb').read().decode('utf-8', 'strict'))\n"
		"%s\n", check);
	tmp_write(script, prog, strlen(prog));
	rc = tmp_sh("python3 '%s' '%s'", script, file);
	tmpdir_remove(dir);
	return rc;
}

static void test_json_has_the_fields(void **state)
{
	gate_diff *d = one_change();
	char *t = render(d, GATE_DIFF_FORMAT_JSON, 0, 0);

	(void)state;
	if (!have_python()) {
		free(t);
		hand_free(d);
		skip();
	}
	assert_int_equal(python_check(t,
		"assert d['material'] is True and d['verdict'] == 'material', d\n"
		"assert d['from'] == {'label': 'old.md', 'doc': None, 'version': None, 'locale': None, 'blob': None, 'effective': None}, d['from']\n"
		"assert d['to']['label'] == 'new.md'\n"
		"c = d['changes']\n"
		"assert len(c) == 1\n"
		"assert c[0]['kind'] == 'material' and c[0]['section'] == 'Sharing'\n"
		"assert c[0]['categories'] == ['sharing'] and c[0]['hints'] == ['negation'] and c[0]['editorial'] == []\n"
		"assert c[0]['removed'] == 'not' and c[0]['added'] == 'now'\n"
		"assert c[0]['old_line'] == 3 and c[0]['new_line'] == 3\n"
		"assert c[0]['old_offset'] == 16 and c[0]['new_offset'] == 16\n"
		"assert d['stats']['changes'] == 1 and d['stats']['material'] == 1 and d['stats']['coarse'] is False\n"
		"assert d['summary'] == 'material: 1 material change'\n"), 0);
	free(t);
	hand_free(d);
}

static void test_json_stays_valid_whatever_the_texts_hold(void **state)
{
	gate_diff *d = hand("Say [-\"hi\\\" \x01\t-]{+\xff\xfe bad \xe2\x80\xa8 line\n+} end\n");
	char *t;

	(void)state;
	d->sides[0].label = "quote\" and \\ slash";
	d->sides[1].doc = "privacy";
	d->sides[1].n = 3;
	d->sides[1].locale = "cy-GB";
	d->sides[1].effective = 1775001600000LL; /* 2026-04-01 */
	mark(d, 0, GATE_CHANGE_MATERIAL, "Sec\"tion\n", 0, 0, 0);
	totals(d);
	t = render(d, GATE_DIFF_FORMAT_JSON, 0, 0);
	if (!have_python()) {
		free(t);
		hand_free(d);
		skip();
	}
	assert_int_equal(python_check(t,
		"c = d['changes'][0]\n"
		"assert c['removed'] == '\"hi\\\\\" \\x01\\t', repr(c['removed'])\n"
		"assert c['added'] == '\\ufffd\\ufffd bad \\u2028 line\\n', repr(c['added'])\n"
		"assert c['section'] == 'Sec\"tion\\n'\n"
		"assert d['from']['label'] == 'quote\" and \\\\ slash'\n"
		"assert d['to']['version'] == 3 and d['to']['doc'] == 'privacy' and d['to']['locale'] == 'cy-GB'\n"
		"assert d['to']['effective'] == '2026-04-01T00:00:00Z'\n"), 0);
	free(t);
	hand_free(d);
}

/* --- HTML ------------------------------------------------------------------------------------ */

static void assert_self_contained(const char *t)
{
	assert_true(strncmp(t, "<!DOCTYPE html>\n<html lang=\"", 28) == 0);
	assert_non_null(strstr(t, "<title>"));
	assert_non_null(strstr(t, "<meta charset=\"utf-8\">"));
	assert_non_null(strstr(t, "name=\"viewport\""));
	assert_null(strstr(t, "<script"));
	assert_null(strstr(t, "<link"));
	assert_null(strstr(t, "<img"));
	assert_null(strstr(t, "<iframe"));
	assert_null(strstr(t, "@import"));
	assert_null(strstr(t, "url("));
	assert_null(strstr(t, "src="));
	assert_null(strstr(t, "href="));
	assert_null(strstr(t, "@font-face"));
	assert_non_null(strstr(t, "prefers-color-scheme:dark"));
	assert_true(strlen(t) > 20 && strcmp(t + strlen(t) - 8, "</html>\n") == 0);
}

static void test_html_is_one_self_contained_page(void **state)
{
	gate_diff *d = hand("# Our notice\n\n## Sharing\n\nWe do [-not-]{+now+} sell your data to <partners> & \"friends\".\n\n"
		"## Retention\n\nWe keep it for [-six-]{+8+} years. See https://example.org/keep.\n\n"
		"Spelling: [-colour-]{+Colour+} and  \n");
	char *t;

	(void)state;
	mark(d, 0, GATE_CHANGE_MATERIAL, "Sharing", GATE_CATEGORY_SHARING, GATE_HINT_NEGATION, 0);
	mark(d, 1, GATE_CHANGE_MATERIAL, "Retention", GATE_CATEGORY_RETENTION, GATE_HINT_NUMBER, 0);
	mark(d, 2, GATE_CHANGE_EDITORIAL, "Retention", 0, 0, GATE_EDITORIAL_CASE);
	totals(d);
	t = render(d, GATE_DIFF_FORMAT_HTML, 0, 0);
	assert_self_contained(t);
	assert_non_null(strstr(t, "<html lang=\"en\">"));
	assert_non_null(strstr(t, "<title>What changed</title>"));
	assert_non_null(strstr(t, "2 changes that affect you</strong>; 1 wording fix."));
	/* texts escaped, changes labelled for screen readers */
	assert_non_null(strstr(t, "sell your data to &lt;partners&gt; &amp; &quot;friends&quot;."));
	assert_null(strstr(t, "<partners>"));
	assert_non_null(strstr(t, "<del><span class=\"vh\">removed: </span>not</del> <ins><span class=\"vh\">added: </span>now</ins>"));
	/* grouped by section, category chips in plain words, hints */
	assert_non_null(strstr(t, "<h3>Sharing</h3>"));
	assert_true(strstr(t, "<h3>Sharing</h3>") < strstr(t, "<h3>Retention</h3>"));
	assert_non_null(strstr(t, "<li>Who we share your data with</li>"));
	assert_non_null(strstr(t, "<li>How long we keep your data</li>"));
	assert_non_null(strstr(t, "A number changed."));
	assert_int_equal(count_of(t, "<article class=\"change\">"), 2);
	/* material first, wording fixes after, folded */
	assert_non_null(strstr(t, "<details>"));
	assert_true(strstr(t, "Changes that affect you</h2>") < strstr(t, "<details>"));
	assert_true(strstr(t, "<details>") < strstr(t, "colour"));
	assert_non_null(strstr(t, "Capital letters"));
	free(t);

	t = render(d, GATE_DIFF_FORMAT_HTML, GATE_RENDER_MATERIAL_ONLY, 0);
	assert_self_contained(t);
	assert_null(strstr(t, "<details"));
	assert_null(strstr(t, "colour"));
	assert_non_null(strstr(t, "2 changes that affect you</strong>."));
	free(t);
	hand_free(d);
}

static void test_html_title_lang_and_sides(void **state)
{
	gate_diff *d = hand("Rydym yn cadw data am [-chwe-]{+wyth+} mlynedd.\n");
	gate_render_options o = GATE_RENDER_OPTIONS_INIT;
	gate_buf out = GATE_BUF_INIT;

	(void)state;
	d->sides[0].doc = d->sides[1].doc = "privacy";
	d->sides[0].n = 2;
	d->sides[1].n = 3;
	d->sides[0].locale = d->sides[1].locale = "cy-GB";
	d->sides[1].effective = 1775001600000LL; /* 2026-04-01 */
	totals(d);
	assert_int_equal(gate_diff_render(d, GATE_DIFF_FORMAT_HTML, NULL, &out), 0);
	assert_self_contained(out.ptr);
	assert_non_null(strstr(out.ptr, "<html lang=\"cy-GB\">"));
	assert_non_null(strstr(out.ptr, "<title>What changed in privacy, version 3</title>"));
	assert_non_null(strstr(out.ptr, "privacy \xC2\xB7 version 2 \xE2\x86\x92 version 3"));
	assert_non_null(strstr(out.ptr, "1 April 2026"));
	/* our English words are marked as English on a Welsh page */
	assert_non_null(strstr(out.ptr, "<p class=\"summary\" lang=\"en\">"));
	o.title = "Beth sydd wedi newid <b>";
	o.lang = "en-GB";
	assert_int_equal(gate_diff_render(d, GATE_DIFF_FORMAT_HTML, &o, &out), 0);
	assert_non_null(strstr(out.ptr, "<html lang=\"en-GB\">"));
	assert_non_null(strstr(out.ptr, "<title>Beth sydd wedi newid &lt;b&gt;</title>"));
	/* the notice's Welsh words are marked as Welsh on an English page */
	assert_non_null(strstr(out.ptr, "<p class=\"passage\" lang=\"cy-GB\">"));
	gate_buf_dispose(&out);
	hand_free(d);
}

static void test_html_reads_markdown_as_prose(void **state)
{
	gate_diff *d = hand("## Sharing\n\n- We share **all** data with [our partners](https://example.org/p) for [-ads-]{+research+}.\n");
	char *t;

	(void)state;
	mark(d, 0, GATE_CHANGE_MATERIAL, "## Sharing", GATE_CATEGORY_SHARING, 0, 0);
	totals(d);
	t = render(d, GATE_DIFF_FORMAT_HTML, 0, 0);
	assert_non_null(strstr(t, "\xE2\x80\xA2 We share all data with our partners (https://example.org/p) for <del>"));
	assert_non_null(strstr(t, "<h3>Sharing</h3>"));
	free(t);
	hand_free(d);
}

static void test_html_editorial_only_and_no_change_at_all(void **state)
{
	gate_diff *d = hand("We keep [-\"-]{+\xe2\x80\x9c+}records[-\"-]{+\xe2\x80\x9d+} safe.\n");
	char *t;

	(void)state;
	mark(d, 0, GATE_CHANGE_EDITORIAL, "", 0, 0, GATE_EDITORIAL_TYPOGRAPHY);
	mark(d, 1, GATE_CHANGE_EDITORIAL, "", 0, 0, GATE_EDITORIAL_TYPOGRAPHY);
	totals(d);
	t = render(d, GATE_DIFF_FORMAT_HTML, 0, 0);
	assert_self_contained(t);
	assert_non_null(strstr(t, "No changes that affect you.</strong> 2 wording fixes that do not change the meaning."));
	assert_null(strstr(t, "Changes that affect you</h2>"));
	assert_non_null(strstr(t, "Quotation marks, dashes and similar marks"));
	free(t);
	hand_free(d);
}

/* --- diffs the engine computes ------------------------------------------------------------------ */

static gate_diff *real(const char *old_text, const char *new_text)
{
	gate_diff *d;

	if (gate_diff_texts(&d, NULL, old_text, strlen(old_text), new_text, strlen(new_text), NULL) < 0)
		fail_msg("gate_diff_texts: %s", gate_error_last()->message);
	return d;
}

static const char real_old[] =
	"# Privacy notice\n\nLast updated: 1 March 2026\n\n## Sharing\n\n"
	"We do not sell your data to <advertisers> & \"brokers\".\n\n"
	"## Retention\n\nWe keep logs for 30 days.\n\nWe keep backups\nfor a week.\n";
static const char real_new[] =
	"# Privacy notice\n\nLast updated: 2 April 2026\n\n## Sharing\n\n"
	"We do now sell your data to <advertisers> & \"brokers\". <script>alert(1)</script>\n\n"
	"## Retention\n\nWe keep logs for 90 days.\n\nWe keep backups for a week.\n";

static void test_real_diff_in_every_format(void **state)
{
	gate_diff *d = real(real_old, real_new);
	char *t;

	(void)state;
	assert_true(gate_diff_is_material(d));
	t = render(d, GATE_DIFF_FORMAT_TEXT, 0, 0);
	assert_true(strncmp(t, "material: ", 10) == 0);
	assert_non_null(strstr(t, "-We do not sell your data to <advertisers> & \"brokers\".\n"));
	assert_non_null(strstr(t, "-We keep logs for 30 days.\n+We keep logs for 90 days.\n"));
	assert_non_null(strstr(t, " \xC2\xB7 editorial: date-line\n"));
	free(t);

	t = render(d, GATE_DIFF_FORMAT_WORD, 0, 0);
	assert_non_null(strstr(t, "We do [-not-]{+now+} sell your data"));
	assert_non_null(strstr(t, "We keep logs for [-30-]{+90+} days.\n"));
	free(t);
	t = render(d, GATE_DIFF_FORMAT_WORD, GATE_RENDER_MATERIAL_ONLY | GATE_RENDER_NO_CONTEXT, 0);
	assert_null(strstr(t, "March"));
	assert_null(strstr(t, "# Privacy notice"));
	free(t);

	t = render(d, GATE_DIFF_FORMAT_HTML, 0, 0);
	assert_self_contained(t);
	assert_null(strstr(t, "<advertisers>"));
	assert_non_null(strstr(t, "&lt;advertisers&gt; &amp; &quot;brokers&quot;"));
	assert_non_null(strstr(t, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(t, "<h3>Sharing</h3>"));
	assert_non_null(strstr(t, "<details>"));
	assert_non_null(strstr(t, "The date of the notice"));
	free(t);

	t = render(d, GATE_DIFF_FORMAT_JSON, 0, 0);
	if (have_python())
		assert_int_equal(python_check(t,
			"m = [c for c in d['changes'] if c['kind'] == 'material']\n"
			"assert d['material'] is True and len(m) == d['stats']['material'] >= 3, d\n"
			"assert any(c['removed'] == 'not' and c['added'] == 'now' for c in m), m\n"
			"assert any('<script>' in c['added'] for c in m), m\n"
			"e = [c for c in d['changes'] if c['kind'] == 'editorial']\n"
			"assert any('date-line' in c['editorial'] for c in e), e\n"
			"assert all(c['categories'] == [] for c in e)\n"
			"for c in d['changes']:\n"
			"    for k in ('section', 'hints', 'old_line', 'new_line', 'old_offset', 'new_offset'):\n"
			"        assert k in c, k\n"), 0);
	free(t);
	gate_diff_free(d);
}

static void test_real_first_version_and_identical_texts(void **state)
{
	gate_diff *d = real("", "We keep your notes safe.\nAnd private.\n");
	char *t;

	(void)state;
	t = render(d, GATE_DIFF_FORMAT_TEXT, 0, 0);
	assert_non_null(strstr(t, "@@ -0,0 +1,2 @@"));
	assert_non_null(strstr(t, "+We keep your notes safe.\n+And private.\n"));
	free(t);
	t = render(d, GATE_DIFF_FORMAT_WORD, 0, 0);
	assert_non_null(strstr(t, "{+We keep your notes safe.+}\n{+And private.+}\n"));
	free(t);
	gate_diff_free(d);

	d = real(real_old, real_old);
	t = render(d, GATE_DIFF_FORMAT_TEXT, 0, 0);
	assert_string_equal(t, "identical: no changes\n");
	free(t);
	gate_diff_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options_init_checks_the_version),
		cmocka_unit_test(test_bad_calls_fail_and_leave_the_output_alone),
		cmocka_unit_test(test_text_is_a_unified_diff_with_the_verdict),
		cmocka_unit_test(test_text_colours_the_changed_words_only_when_asked),
		cmocka_unit_test(test_text_shows_lines_removed_and_a_first_version),
		cmocka_unit_test(test_hunks_split_distant_changes_and_text_gives_each_region_a_header),
		cmocka_unit_test(test_material_only_leaves_editorial_changes_out),
		cmocka_unit_test(test_identical_texts_say_so),
		cmocka_unit_test(test_word_format_marks_words_inline_like_git),
		cmocka_unit_test(test_renderers_read_either_kind_of_line_table),
		cmocka_unit_test(test_json_has_the_fields),
		cmocka_unit_test(test_json_stays_valid_whatever_the_texts_hold),
		cmocka_unit_test(test_html_is_one_self_contained_page),
		cmocka_unit_test(test_html_title_lang_and_sides),
		cmocka_unit_test(test_html_reads_markdown_as_prose),
		cmocka_unit_test(test_html_editorial_only_and_no_change_at_all),
		cmocka_unit_test(test_real_diff_in_every_format),
		cmocka_unit_test(test_real_first_version_and_identical_texts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
