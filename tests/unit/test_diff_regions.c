/* test_diff_regions.c: the diff engine tokenises only changed regions: equal lines whose meaning
 * hangs on a changed line, sections far above a change, word counts and verdicts that must agree
 * with a whole-text tokenisation, and the built-in date pattern's prefilter. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff_engine.h"

/* --- helpers ------------------------------------------------------------------------------ */

static gate__dconfig cfg;

static int setup(void **state)
{
	(void)state;
	return gate__dconfig_load(&cfg, NULL, NULL);
}

static int teardown(void **state)
{
	(void)state;
	gate__dconfig_free(&cfg);
	return 0;
}

/* Whether the two texts' meaningful sequences, each tokenised whole, are equal. */
static bool whole_texts_equal(const char *a, const char *b)
{
	gate_buf ka = GATE_BUF_INIT, kb = GATE_BUF_INIT;
	bool same;

	assert_int_equal(gate__diff_semantic_keys(a, strlen(a), &cfg, &ka), 0);
	assert_int_equal(gate__diff_semantic_keys(b, strlen(b), &cfg, &kb), 0);
	same = ka.size == kb.size && (ka.size == 0 || memcmp(ka.ptr, kb.ptr, ka.size) == 0);
	gate_buf_dispose(&ka);
	gate_buf_dispose(&kb);
	return same;
}

static size_t whole_words(const char *s)
{
	size_t n = 0;

	assert_int_equal(gate__diff_full_words(s, strlen(s), &cfg, &n), 0);
	return n;
}

/*
 * Diffs a against b and checks what a whole-text tokenisation says: the
 * verdict is material exactly when the meaningful sequences differ, the word
 * counts are the full counts, and the changes rebuild b from a.
 */
static gate_diff *diff_checked(const char *a, const char *b)
{
	gate_diff *d = NULL;
	const gate_diff_stats *st;
	size_t na = strlen(a), nb = strlen(b), pos = 0, len = 0;
	char *out = malloc(na + nb + 1);

	assert_non_null(out);
	if (gate_diff_texts(&d, NULL, a, na, b, nb, NULL) != 0)
		fail_msg("gate_diff_texts: %s", gate_error_last()->message);
	st = gate_diff_get_stats(d);
	assert_int_equal(gate_diff_is_material(d), !whole_texts_equal(a, b));
	assert_int_equal(st->old_words, whole_words(a));
	assert_int_equal(st->new_words, whole_words(b));
	for (size_t i = 0; i < gate_diff_change_count(d); i++) {
		const gate_diff_change *c = gate_diff_change_at(d, i);

		assert_true(c->old_offset >= pos);
		memcpy(out + len, a + pos, c->old_offset - pos);
		len += c->old_offset - pos;
		assert_int_equal(c->new_offset, len);
		memcpy(out + len, c->added, c->added_len);
		len += c->added_len;
		pos = c->old_offset + c->removed_len;
	}
	memcpy(out + len, a + pos, na - pos);
	len += na - pos;
	assert_int_equal(len, nb);
	assert_memory_equal(out, b, nb);
	free(out);
	return d;
}

static int verdict(const char *a, const char *b)
{
	gate_diff *d = diff_checked(a, b);
	int m = gate_diff_is_material(d);

	gate_diff_free(d);
	return m;
}

/* The change whose added text is `added`; fails if none. */
static const gate_diff_change *change_adding(const gate_diff *d, const char *added)
{
	for (size_t i = 0; i < gate_diff_change_count(d); i++) {
		const gate_diff_change *c = gate_diff_change_at(d, i);

		if (c->added_len == strlen(added) && memcmp(c->added, added, c->added_len) == 0)
			return c;
	}
	fail_msg("no change adding [%s]", added);
	return NULL;
}

/* A text of `n` numbered paragraphs, one line each, blank lines between. */
static char *paragraphs(const char *before, size_t n, const char *changed, const char *after)
{
	size_t cap = strlen(before) + strlen(changed) + strlen(after) + n * 80 + 1, len;
	char *s = malloc(cap);

	assert_non_null(s);
	len = (size_t)snprintf(s, cap, "%s", before);
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len, "We keep record %zu of your account for billing.\n\n", i);
	snprintf(s + len, cap - len, "%s%s", changed, after);
	return s;
}

/* --- equal lines whose meaning hangs on the line before them ---------------------------------- */

static void test_equal_line_after_a_line_that_stops_being_blank(void **state)
{
	(void)state;
	/* after a blank line "> 16" is a quote; after a paragraph line (here "_",
	 * markup alone) it says "more than 16": only the equal line changed meaning */
	assert_true(verdict("Intro.\n\n> 16 photos\n", "Intro.\n_\n> 16 photos\n"));
	assert_true(verdict("Intro.\n_\n> 16 photos\n", "Intro.\n\n> 16 photos\n"));
	/* '+' starts a list only after a block */
	assert_true(verdict("Intro.\n\n+ 5 days\n", "Intro.\n_\n+ 5 days\n"));
	/* a line starting with a word means the same after anything */
	assert_false(verdict("Intro.\n\nWe keep notes.\n", "Intro.\n_\nWe keep notes.\n"));
}

static void test_effect_reaching_past_the_first_equal_line(void **state)
{
	/* a date pattern that takes a quoted line and the same line after a
	 * paragraph: the first equal line says nothing either way, but the quote
	 * it starts or not decides what the next one says */
	static const char *const patterns[] = { "(> )?updated {date}" };
	const char *a = "Intro.\n\n> Updated 1 March 2026\n> 16 photos\n";
	const char *b = "Intro.\n_\n> Updated 1 March 2026\n> 16 photos\n";
	const char *c = "Intro.\n_\n> Updated 2 March 2026\n", *c0 = "Intro.\n_\n> Updated 1 March 2026\n";
	gate_diff_options o = GATE_DIFF_OPTIONS_INIT;
	gate__dconfig custom;
	gate_buf ka = GATE_BUF_INIT, kb = GATE_BUF_INIT;
	gate_diff *d;

	(void)state;
	o.date_patterns = patterns;
	o.date_pattern_count = 1;
	assert_int_equal(gate__dconfig_load(&custom, NULL, &o), 0);
	assert_int_equal(gate__diff_semantic_keys(a, strlen(a), &custom, &ka), 0);
	assert_int_equal(gate__diff_semantic_keys(b, strlen(b), &custom, &kb), 0);
	assert_true(ka.size != kb.size);
	assert_int_equal(gate_diff_texts(&d, NULL, a, strlen(a), b, strlen(b), &o), 0);
	assert_int_equal(gate_diff_is_material(d), 1);
	gate_diff_free(d);
	/* while the date line itself may change freely */
	assert_int_equal(gate_diff_texts(&d, NULL, c0, strlen(c0), c, strlen(c), &o), 0);
	assert_int_equal(gate_diff_is_material(d), 0);
	gate_diff_free(d);
	gate_buf_dispose(&ka);
	gate_buf_dispose(&kb);
	gate__dconfig_free(&custom);
}

static void test_number_after_a_changed_paragraph_line(void **state)
{
	gate_diff *d;
	const gate_diff_change *c;

	(void)state;
	/* "12. We" is a list marker after a blank line, a number after a paragraph line */
	assert_true(verdict("Updated.\n\n12. We keep data.\n", "Updated.\n_\n12. We keep data.\n"));
	assert_true(verdict("Updated.\n_\n12. We keep data.\n", "Updated.\n\n12. We keep data.\n"));
	/* "2026. We" is a year either way (a list marker has three digits at most) */
	assert_false(verdict("Updated in\n\n2026. We keep data.\n", "Updated in\n_\n2026. We keep data.\n"));
	assert_true(verdict("Updated in\n2026. We keep data.\n", "Updated in\n2027. We keep data.\n"));
	/* the change that caused it carries the verdict, and others far away stay editorial */
	d = diff_checked("Updated.\n\n12. We keep data.\n\nA\n\nB\n\nC\n\nWe  share notes.\n",
		"Updated.\n_\n12. We keep data.\n\nA\n\nB\n\nC\n\nWe share notes.\n");
	c = change_adding(d, "_");
	assert_int_equal(c->kind, GATE_CHANGE_MATERIAL);
	c = change_adding(d, " ");
	assert_int_equal(c->kind, GATE_CHANGE_EDITORIAL);
	gate_diff_free(d);
	/* the effect runs down a chain of such lines */
	assert_true(verdict("A.\n\n> 1\n> 2\n> 3\n> 4\n> 5\n", "A.\n_\n> 1\n> 2\n> 3\n> 4\n> 5\n"));
}

static void test_setext_underline_after_a_changed_line(void **state)
{
	gate_diff *d;

	(void)state;
	/* "---" after a blank line is a rule; after the new line it underlines it: a heading */
	d = diff_checked("Intro.\n\n---\n\nWe keep data.\n", "Intro.\nData we keep\n---\n\nWe keep data for ever.\n");
	assert_string_equal(change_adding(d, " for ever")->section, "Data we keep");
	gate_diff_free(d);
	/* a renamed setext heading names the changes under it */
	d = diff_checked("Sharing\n=======\n\nWe share data.\n", "Selling\n=======\n\nWe sell data.\n");
	assert_string_equal(change_adding(d, "sell")->section, "Selling");
	gate_diff_free(d);
}

static void test_date_line_next_to_a_change(void **state)
{
	gate_diff *d;

	(void)state;
	/* an unchanged date line beside a change */
	assert_true(verdict("Last updated: 1 March 2026\nWe keep data.\n", "Last updated: 1 March 2026\nWe keep data for a year.\n"));
	/* a new date beside an editorial change */
	d = diff_checked("Last updated: 1 March 2026\nWe  keep data.\n", "Last updated: 2 April 2026\nWe keep data.\n");
	assert_false(gate_diff_is_material(d));
	gate_diff_free(d);
	/* an equal quoted date line stops being a quote, hence a date line, when the line before changes */
	assert_true(verdict("Intro.\n\n> Last updated: 1 March 2026\n", "Intro.\n_\n> Last updated: 1 March 2026\n"));
	assert_false(verdict("Intro.\n\n> Last updated: 1 March 2026\n", "Intro.\n\n> Last updated: 2 March 2026\n"));
}

/* --- sections far above a change ------------------------------------------------------------- */

static void test_section_heading_far_above_a_change(void **state)
{
	char *a, *b;
	gate_diff *d;
	const gate_diff_change *c;

	(void)state;
	/* Markdown heading, 300 equal paragraphs above the change */
	a = paragraphs("# Privacy\n\n## How long we keep your data\n\n", 300, "Backups last 30 days.\n", "\n## Contact\n\nWrite to us.\n");
	b = paragraphs("# Privacy\n\n## How long we keep your data\n\n", 300, "Backups last 90 days.\n", "\n## Contact\n\nWrite to us.\n");
	d = diff_checked(a, b);
	c = change_adding(d, "90");
	assert_string_equal(c->section, "How long we keep your data");
	/* the heading's words count for the categories */
	assert_true(c->categories & GATE_CATEGORY_RETENTION);
	gate_diff_free(d);
	free(a);
	free(b);

	/* a plain-text title, and a change in a second section below it */
	a = paragraphs("Retention\n\n", 200, "Sharing\n\nWe share notes.\n", "");
	b = paragraphs("Retention\n\n", 200, "Sharing\n\nWe sell notes.\n", "");
	d = diff_checked(a, b);
	assert_string_equal(change_adding(d, "sell")->section, "Sharing");
	gate_diff_free(d);
	free(b);
	b = paragraphs("Retention\n\n", 200, "Sharing\n\nWe share notes.\nWe keep logs.\n", "");
	d = diff_checked(a, b);
	assert_string_equal(change_adding(d, "We keep logs.\n")->section, "Sharing");
	gate_diff_free(d);
	free(a);
	free(b);

	/* no heading anywhere above */
	a = paragraphs("", 100, "We share notes.\n", "");
	b = paragraphs("", 100, "We sell notes.\n", "");
	d = diff_checked(a, b);
	assert_string_equal(change_adding(d, "sell")->section, "");
	gate_diff_free(d);
	free(a);
	free(b);
}

static void test_chain_of_title_lines_above_a_change(void **state)
{
	gate_diff *d;

	(void)state;
	/* each short capitalised line is a title because the one before it is */
	d = diff_checked("Who We Are\nWhat We Do\nHow We Do It\n\nWe keep data.\n", "Who We Are\nWhat We Do\nHow We Do It\n\nWe sell data.\n");
	assert_string_equal(change_adding(d, "sell")->section, "How We Do It");
	gate_diff_free(d);
	/* a sentence breaks the chain: the line after it is a title only if alone */
	d = diff_checked("We keep your data for as long as your account stays open\nWhat We Do\n\nWe keep data.\n",
		"We keep your data for as long as your account stays open\nWhat We Do\n\nWe sell data.\n");
	assert_string_equal(change_adding(d, "sell")->section, "");
	gate_diff_free(d);
}

static void test_line_ending_in_an_ellipsis_is_not_a_title(void **state)
{
	gate_diff *d;

	(void)state;
	d = diff_checked("Intro.\n\nWe \xe2\x80\x9c" "care\xe2\x80\x9d about it\xe2\x80\xa6\n",
		"Intro.\n\nWe \xe2\x80\x9c" "care\xe2\x80\x9d about it all\xe2\x80\xa6\n");
	assert_string_equal(change_adding(d, " all")->section, "");
	gate_diff_free(d);
	d = diff_checked("Intro.\n\nWe care about it...\n", "Intro.\n\nWe care about it all...\n");
	assert_string_equal(change_adding(d, " all")->section, "");
	gate_diff_free(d);
	/* a short title without one still is */
	d = diff_checked("Intro.\n\nWe Care About It\n\nWe keep data.\n", "Intro.\n\nWe Care About It\n\nWe sell data.\n");
	assert_string_equal(change_adding(d, "sell")->section, "We Care About It");
	gate_diff_free(d);
}

static void test_line_removed_among_equal_lines_slides_to_the_first(void **state)
{
	gate_diff *d;
	const gate_diff_change *c;

	(void)state;
	/* the removed line could be any of the seven: like the word diff over the
	 * whole text, the first one is named, however far above the change the
	 * line alignment placed it */
	d = diff_checked("Title\n\nWe keep notes.\nnotes\nnotes\nnotes\nnotes\nnotes\nnotes\nnotes\nThe end.\n",
		"Title\n\nWe keep notes.\nnotes\nnotes\nnotes\nnotes\nnotes\nnotes\nThe end.\n");
	assert_int_equal(gate_diff_change_count(d), 1);
	c = gate_diff_change_at(d, 0);
	assert_int_equal(c->old_line, 4);
	assert_int_equal(c->removed_len, 6);
	gate_diff_free(d);
}

static void test_equal_line_tokenised_apart_between_two_changes(void **state)
{
	gate_diff *d;

	(void)state;
	/* "+ x" is a list item after "12. y" (a list item) and text after "one":
	 * equal bytes, different tokens, between two changes; the removed
	 * "0) one" must not slide across it as if its tokens were equal */
	d = diff_checked("_\n\n12. y\n+ x\n0) one\n0) one\n", "_\n\nA.\none\n+ x\n0) one\n");
	assert_int_equal(gate_diff_is_material(d), 1);
	gate_diff_free(d);
}

/* --- the whole texts, when regions differ ----------------------------------------------------- */

static void test_words_moved_across_equal_lines(void **state)
{
	gate_diff *d;

	(void)state;
	/* re-wrapped around three equal lines: each region differs, the whole does not */
	d = diff_checked("We keep notes\nnotes\nnotes\nnotes\nsafe.\n", "We keep\nnotes\nnotes\nnotes\nnotes safe.\n");
	assert_false(gate_diff_is_material(d));
	assert_true(gate_diff_change_count(d) >= 2);
	for (size_t i = 0; i < gate_diff_change_count(d); i++)
		assert_int_equal(gate_diff_change_at(d, i)->editorial, GATE_EDITORIAL_WHITESPACE);
	gate_diff_free(d);
	/* the same, with one word changed at the end: the lock step finds it */
	assert_true(verdict("We keep notes\nnotes\nnotes\nnotes\nsafe.\n", "We keep\nnotes\nnotes\nnotes\nnotes unsafe.\n"));
	/* as many words in and out, in different places */
	assert_true(verdict("We keep notes\nx\ny\nz\nsafe.\n", "We keep\nx\ny\nz\nnotes safe.\n"));
}

/* --- word counts ---------------------------------------------------------------------------- */

static void test_word_counts_match_a_full_count(void **state)
{
	static const char *const lines[] = {
		"We keep your notes for 30 days.\n",
		"Write to privacy@example.com or see https://example.com/privacy-notice.\n",
		"Prices: 3.5 EUR, 1,000 items, 10:30 on 1/2/2026, -5 degrees (-7 at night).\n",
		"A sign-in cookie, the user_id field and don't-track rules aren't optional.\n",
		"1. First item\n",
		"2026. We changed this.\n",
		"> 16 years or older\n",
		"+ a plus item\n",
		"# Heading with a closing sequence ##\n",
		"Setext title\n",
		"============\n",
		"| Data | Kept |\n",
		"|------|------|\n",
		"Caf\xc3\xa9 na\xc3\xafve \xe6\x9d\xb1\xe4\xba\xac \xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x80\x94 dashed\n",
		"See www.example.org, mailto:dpo@example.eu and tel:+441234 or <https://x.example/a>.\n",
		"e.g. i.e. v2.0 a.b:c 3:4 a:b\n",
		"9'9 rock'n'roll 90's 'quoted' 3-a a,1 1,a 1,2 1/a a/1 1/2 x-5 --a a-- a'-b a__b _c d_ e-'f\n",
		"Trailing space and tab \t\n",
		"**Bold title**\n",
		"Last updated: 1 March 2026\n",
		"\n",
	};
	unsigned long long rng = 0x2545F4914F6CDD1DULL;

	(void)state;
	for (int round = 0; round < 300; round++) {
		char a[2048], b[2048];
		size_t la = 0, lb = 0;
		int n = 3 + round % 17;

		for (int i = 0; i < n; i++) {
			const char *line, *other;

			rng ^= rng << 13;
			rng ^= rng >> 7;
			rng ^= rng << 17;
			line = lines[rng % GATE__ARRAY_SIZE(lines)];
			other = lines[(rng >> 20) % GATE__ARRAY_SIZE(lines)];
			la += (size_t)snprintf(a + la, sizeof(a) - la, "%s", line);
			/* one line in five differs */
			lb += (size_t)snprintf(b + lb, sizeof(b) - lb, "%s", (rng >> 40) % 5 ? line : other);
		}
		gate_diff_free(diff_checked(a, b));
	}
}

/* --- the built-in date pattern's prefilter ---------------------------------------------------- */

static void test_builtin_date_prefilter_never_rules_out_a_match(void **state)
{
	static const char *const starts[] = {
		"", "This ", "Our ", "this privacy ", "Our cookie ", "Our cookies ", "This notice ", "Our policy ",
		"This statement ", "This privacy notice was ", "Our policy has been ", "This notice is ",
		"Last ", "Latest ", "last ", "Date ", "Version ", "Updated ", "Effective ",
	};
	static const char *const middles[] = {
		"", "updated", "revised", "modified", "reviewed", "amended", "changed", "effective",
		"effective date", "effective from", "effective as of", "updated on", "updated as of",
		"date of update", "date of last revision", "of last review", "date", "notice was updated",
		"becomes effective", "Updated", "EFFECTIVE", "Date of last modification", "version date",
		"notice", "care", "team",
	};
	static const char *const ends[] = { ": 1 March 2026", " 2026-03-01", " March 1, 2026", ": 01/03/2026", ": soon", "" };
	regex_t *re;

	(void)state;
	assert_int_equal(gate__dconfig_compile(&cfg), 0);
	assert_int_equal(cfg.ndates, 1);
	re = &cfg.dates[0];
	for (size_t i = 0; i < GATE__ARRAY_SIZE(starts); i++)
		for (size_t j = 0; j < GATE__ARRAY_SIZE(middles); j++)
			for (size_t k = 0; k < GATE__ARRAY_SIZE(ends); k++) {
				char line[256], *w2;
				size_t n1, n2;

				snprintf(line, sizeof(line), "%s%s%s", starts[i], middles[j], ends[k]);
				if (regexec(re, line, 0, NULL, 0) != 0)
					continue;
				/* a match: its first two words must pass */
				n1 = strcspn(line, " :");
				w2 = line + n1 + (line[n1] == ' ');
				n2 = line[n1] == ' ' ? strcspn(w2, " :") : 0;
				if (!gate__dconfig_builtin_candidate(line, n1, n2 ? w2 : NULL, n2))
					fail_msg("the prefilter rules out [%s]", line);
			}
	/* and it does rule out ordinary lines */
	assert_false(gate__dconfig_builtin_candidate("Our", 3, "team", 4));
	assert_false(gate__dconfig_builtin_candidate("We", 2, "keep", 4));
	assert_false(gate__dconfig_builtin_candidate("Last", 4, "year", 4));
	assert_false(gate__dconfig_builtin_candidate(NULL, 0, NULL, 0));
	/* words with bytes >= 0x80 are let through */
	assert_true(gate__dconfig_builtin_candidate("\xc5\xbftand", 6, NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equal_line_after_a_line_that_stops_being_blank),
		cmocka_unit_test(test_number_after_a_changed_paragraph_line),
		cmocka_unit_test(test_effect_reaching_past_the_first_equal_line),
		cmocka_unit_test(test_setext_underline_after_a_changed_line),
		cmocka_unit_test(test_date_line_next_to_a_change),
		cmocka_unit_test(test_section_heading_far_above_a_change),
		cmocka_unit_test(test_chain_of_title_lines_above_a_change),
		cmocka_unit_test(test_line_ending_in_an_ellipsis_is_not_a_title),
		cmocka_unit_test(test_line_removed_among_equal_lines_slides_to_the_first),
		cmocka_unit_test(test_equal_line_tokenised_apart_between_two_changes),
		cmocka_unit_test(test_words_moved_across_equal_lines),
		cmocka_unit_test(test_word_counts_match_a_full_count),
		cmocka_unit_test(test_builtin_date_prefilter_never_rules_out_a_match),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
