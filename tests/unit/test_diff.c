/* test_diff.c: the material-change diff engine: editorial rules, material changes, date lines,
 * positions and sections, categories and hints, settings, bad input, pathological input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support_memsource.h"
#include "diff_engine.h"

#define T0 (1767225600000LL) /* 2026-01-01 */
#define DAY (86400000LL)

/* --- helpers ------------------------------------------------------------------------ */

static unsigned line_at(const char *s, size_t off)
{
	unsigned line = 1;

	for (size_t i = 0; i < off; i++)
		line += s[i] == '\n';
	return line;
}

/* What every diff must satisfy: the changes, applied in order to the old
 * text, give the new text; offsets, lines and stats agree; kinds and bits
 * are consistent. */
static void check_invariants(const gate_diff *d, const char *a, size_t na, const char *b, size_t nb)
{
	const gate_diff_stats *st = gate_diff_get_stats(d);
	char *out = malloc(na + nb + 1);
	size_t pos = 0, len = 0, material = 0;

	assert_non_null(out);
	for (size_t i = 0; i < gate_diff_change_count(d); i++) {
		const gate_diff_change *c = gate_diff_change_at(d, i);

		assert_true(c->old_offset >= pos);
		assert_true(c->old_offset + c->removed_len <= na);
		assert_true(c->removed_len > 0 || c->added_len > 0);
		assert_memory_equal(c->removed, a + c->old_offset, c->removed_len);
		memcpy(out + len, a + pos, c->old_offset - pos);
		len += c->old_offset - pos;
		assert_int_equal(c->new_offset, len);
		memcpy(out + len, c->added, c->added_len);
		len += c->added_len;
		pos = c->old_offset + c->removed_len;
		assert_int_equal(c->old_line, line_at(a, c->old_offset));
		assert_int_equal(c->new_line, line_at(b, c->new_offset));
		assert_non_null(c->section);
		if (c->kind == GATE_CHANGE_MATERIAL) {
			material++;
			assert_int_equal(c->editorial, 0);
		} else {
			assert_int_equal(c->kind, GATE_CHANGE_EDITORIAL);
			assert_int_equal(c->categories, 0);
			assert_int_equal(c->hints & ~0u, 0);
			assert_int_not_equal(c->editorial, 0);
		}
	}
	memcpy(out + len, a + pos, na - pos);
	len += na - pos;
	assert_int_equal(len, nb);
	assert_memory_equal(out, b, nb);
	free(out);
	assert_int_equal(st->changes, gate_diff_change_count(d));
	assert_int_equal(st->material, material);
	assert_int_equal(st->editorial, st->changes - material);
	assert_int_equal(gate_diff_is_material(d), material > 0);
	assert_int_equal(st->old_bytes, na);
	assert_int_equal(st->new_bytes, nb);
	assert_null(gate_diff_change_at(d, gate_diff_change_count(d)));
}

static gate_diff *diff_full(gate *g, const char *a, size_t na, const char *b, size_t nb, const gate_diff_options *o)
{
	gate_diff *d = NULL, *self = NULL;
	int rc = gate_diff_texts(&d, g, a, na, b, nb, o);

	if (rc != 0)
		fail_msg("gate_diff_texts failed: %s", gate_error_last()->message);
	check_invariants(d, a, na, b, nb);
	/* a text compared with itself has no changes */
	assert_int_equal(gate_diff_texts(&self, g, b, nb, b, nb, o), 0);
	assert_int_equal(gate_diff_change_count(self), 0);
	assert_int_equal(gate_diff_is_material(self), 0);
	gate_diff_free(self);
	return d;
}

static gate_diff *diff(const char *a, const char *b)
{
	return diff_full(NULL, a, strlen(a), b, strlen(b), NULL);
}

/* The verdict of a diff, freeing it. */
static int verdict(const char *a, const char *b)
{
	gate_diff *d = diff(a, b);
	int m = gate_diff_is_material(d);

	gate_diff_free(d);
	return m;
}

/* The change whose removed and added texts are exactly these; fails if none. */
static const gate_diff_change *find(const gate_diff *d, const char *removed, const char *added)
{
	for (size_t i = 0; i < gate_diff_change_count(d); i++) {
		const gate_diff_change *c = gate_diff_change_at(d, i);

		if (c->removed_len == strlen(removed) && memcmp(c->removed, removed, c->removed_len) == 0 &&
		    c->added_len == strlen(added) && memcmp(c->added, added, c->added_len) == 0)
			return c;
	}
	for (size_t i = 0; i < gate_diff_change_count(d); i++) {
		const gate_diff_change *c = gate_diff_change_at(d, i);

		print_message("change %zu: [%.*s] -> [%.*s]\n", i, (int)c->removed_len, c->removed,
			(int)c->added_len, c->added);
	}
	fail_msg("no change [%s] -> [%s]", removed, added);
	return NULL;
}

/* Editorial, with exactly these reason bits over all changes. */
static void expect_editorial(const char *a, const char *b, unsigned reasons)
{
	gate_diff *d = diff(a, b);
	unsigned got = 0;

	if (gate_diff_is_material(d))
		fail_msg("expected editorial: [%s] -> [%s]", a, b);
	assert_true(gate_diff_change_count(d) > 0);
	for (size_t i = 0; i < gate_diff_change_count(d); i++)
		got |= gate_diff_change_at(d, i)->editorial;
	if (got != reasons)
		fail_msg("[%s] -> [%s]: reasons 0x%x, expected 0x%x", a, b, got, reasons);
	gate_diff_free(d);
}

static void expect_material(const char *a, const char *b)
{
	if (!verdict(a, b))
		fail_msg("expected material: [%s] -> [%s]", a, b);
}

/* --- editorial rules ------------------------------------------------------------------- */

static void test_identical_and_empty_texts(void **state)
{
	gate_diff *d;
	const gate_diff_change *c;

	(void)state;
	d = diff("We keep data.\n", "We keep data.\n");
	assert_int_equal(gate_diff_change_count(d), 0);
	assert_int_equal(gate_diff_is_material(d), 0);
	assert_int_equal(gate_diff_get_stats(d)->old_words, 3);
	gate_diff_free(d);

	d = diff("", "");
	assert_int_equal(gate_diff_change_count(d), 0);
	gate_diff_free(d);

	d = diff("", "# Privacy\n\nWe keep data.\n");
	assert_int_equal(gate_diff_change_count(d), 1);
	c = find(d, "", "# Privacy\n\nWe keep data.\n");
	assert_int_equal(c->kind, GATE_CHANGE_MATERIAL);
	assert_int_equal(c->old_offset, 0);
	assert_int_equal(gate_diff_get_stats(d)->words_added, 4);
	gate_diff_free(d);

	d = diff("We keep data.\n", "");
	c = find(d, "We keep data.\n", "");
	assert_int_equal(c->kind, GATE_CHANGE_MATERIAL);
	assert_int_equal(gate_diff_get_stats(d)->words_removed, 3);
	gate_diff_free(d);

	/* NULL with length 0 is an empty text */
	assert_int_equal(gate_diff_texts(&d, NULL, NULL, 0, "a", 1, NULL), 0);
	assert_int_equal(gate_diff_change_count(d), 1);
	gate_diff_free(d);
}

static void test_whitespace_is_editorial(void **state)
{
	(void)state;
	expect_editorial("We keep data.", "We  keep\tdata.", GATE_EDITORIAL_WHITESPACE);
	expect_editorial("One.\nTwo.\n", "One.\r\nTwo.\r\n", GATE_EDITORIAL_WHITESPACE);
	expect_editorial("One.\n\nTwo.\n", "One.\n\n\n\nTwo.\n", GATE_EDITORIAL_WHITESPACE);
	expect_editorial("One.   \nTwo.\n", "One.\nTwo.\n", GATE_EDITORIAL_WHITESPACE);
	/* a re-wrapped paragraph */
	expect_editorial("We keep your personal data\nfor as long as your account\nis open.\n",
		"We keep your\npersonal data for as long as\nyour account is open.\n", GATE_EDITORIAL_WHITESPACE);
	/* one paragraph per line becoming a wrapped paragraph */
	expect_editorial("We keep data for six years after you leave.\n",
		"We keep data for six years\nafter you leave.\n", GATE_EDITORIAL_WHITESPACE);
}

static void test_typography_is_editorial(void **state)
{
	(void)state;
	expect_editorial("We don't sell \"data\".", "We don\xe2\x80\x99t sell \xe2\x80\x9c" "data\xe2\x80\x9d.",
		GATE_EDITORIAL_TYPOGRAPHY);
	expect_editorial("Data -- and more...", "Data \xe2\x80\x94 and more\xe2\x80\xa6", GATE_EDITORIAL_TYPOGRAPHY);
	expect_editorial("Open 9-5 daily", "Open 9\xe2\x80\x93" "5 daily", GATE_EDITORIAL_TYPOGRAPHY);
	expect_editorial("Acme Ltd", "Acme\xc2\xa0Ltd", GATE_EDITORIAL_TYPOGRAPHY);
	expect_editorial("third-party cookies", "third\xe2\x80\x91party cookies", GATE_EDITORIAL_TYPOGRAPHY);
}

static void test_case_and_compatibility_forms_are_editorial(void **state)
{
	(void)state;
	expect_editorial("We Keep Data.", "We keep data.", GATE_EDITORIAL_CASE);
	expect_editorial("STRASSE", "stra\xc3\x9f" "e", GATE_EDITORIAL_CASE);
	expect_editorial("the \xef\xac\x81le", "the file", GATE_EDITORIAL_UNICODE);           /* fi ligature */
	expect_editorial("\xef\xbc\xa1" "cme", "Acme", GATE_EDITORIAL_UNICODE);              /* full-width A */
	expect_editorial("cafe\xcc\x81", "caf\xc3\xa9", GATE_EDITORIAL_UNICODE);             /* decomposed e-acute */
	expect_editorial("infor\xc2\xadmation", "information", GATE_EDITORIAL_UNICODE);       /* soft hyphen */
}

static void test_markup_is_editorial(void **state)
{
	(void)state;
	expect_editorial("Privacy\n\nWe keep data.\n", "# Privacy\n\nWe keep data.\n", GATE_EDITORIAL_MARKUP);
	expect_editorial("# Privacy\n", "Privacy\n=======\n", GATE_EDITORIAL_MARKUP | GATE_EDITORIAL_WHITESPACE);
	expect_editorial("## Privacy ##\n", "## Privacy\n", GATE_EDITORIAL_MARKUP | GATE_EDITORIAL_WHITESPACE);
	expect_editorial("We *never* sell data.", "We **never** sell data.", GATE_EDITORIAL_MARKUP);
	expect_editorial("We _never_ sell data.", "We never sell data.", GATE_EDITORIAL_MARKUP);
	expect_editorial("Use `gate` daily.", "Use gate daily.", GATE_EDITORIAL_MARKUP);
	expect_editorial("Intro:\n\n- names\n- emails\n", "Intro:\n\n* names\n* emails\n", GATE_EDITORIAL_MARKUP);
	expect_editorial("Intro:\n\n1. names\n2. emails\n", "Intro:\n\n- names\n- emails\n", GATE_EDITORIAL_MARKUP);
	expect_editorial("Note:\n\n> We keep data.\n", "Note:\n\nWe keep data.\n", GATE_EDITORIAL_MARKUP);
	expect_editorial("| Data | Years |\n|---|---|\n| Logs | 2 |\n", "Data Years\n\nLogs 2\n",
		GATE_EDITORIAL_MARKUP | GATE_EDITORIAL_WHITESPACE);
	expect_editorial("One.\n\n---\n\nTwo.\n", "One.\n\n***\n\nTwo.\n", GATE_EDITORIAL_MARKUP);
	expect_editorial("See [our cookie notice](https://acme.example/cookies).",
		"See our cookie notice (https://acme.example/cookies).", GATE_EDITORIAL_PUNCTUATION | GATE_EDITORIAL_WHITESPACE);
	expect_editorial("Write to <dpo@acme.example>.", "Write to dpo@acme.example.", GATE_EDITORIAL_MARKUP);
}

static void test_punctuation_alone_is_editorial(void **state)
{
	(void)state;
	expect_editorial("Names, emails and phones.", "Names, emails, and phones.", GATE_EDITORIAL_PUNCTUATION);
	expect_editorial("We keep data.", "We keep data!", GATE_EDITORIAL_PUNCTUATION);
	expect_editorial("We keep data (for audits).", "We keep data for audits.",
		GATE_EDITORIAL_PUNCTUATION);
	expect_editorial("Data: names; emails.", "Data: names, emails", GATE_EDITORIAL_PUNCTUATION);
	expect_editorial("Data: names", "Data - names", GATE_EDITORIAL_PUNCTUATION | GATE_EDITORIAL_WHITESPACE);
	expect_editorial("\xe2\x80\xa2 names", "- names", GATE_EDITORIAL_PUNCTUATION | GATE_EDITORIAL_MARKUP);
}

static void test_editorial_reasons_combine(void **state)
{
	(void)state;
	expect_editorial("We keep  data, forever.", "we keep data forever",
		GATE_EDITORIAL_WHITESPACE | GATE_EDITORIAL_PUNCTUATION | GATE_EDITORIAL_CASE);
	expect_editorial("# Data we hold\n\nWe \"keep\" it.\n", "Data We Hold\n============\n\nWe \xe2\x80\x9ckeep\xe2\x80\x9d it.\n",
		GATE_EDITORIAL_MARKUP | GATE_EDITORIAL_WHITESPACE | GATE_EDITORIAL_CASE | GATE_EDITORIAL_TYPOGRAPHY);
}

/* --- material changes ------------------------------------------------------------------- */

static void test_small_word_changes_are_material(void **state)
{
	gate_diff *d;
	const gate_diff_change *c;

	(void)state;
	expect_material("We do not sell your data.", "We do now sell your data.");
	expect_material("We may sell your data.", "We will sell your data.");
	expect_material("We sell your data.", "We tell your data.");
	expect_material("We keep it eight years.", "We keep it ten years.");
	expect_material("We keep data.", "We kept data.");

	d = diff("We do not sell your data.", "We do now sell your data.");
	c = find(d, "not", "now");
	assert_int_equal(c->kind, GATE_CHANGE_MATERIAL);
	assert_true(c->hints & GATE_HINT_NEGATION);
	assert_false(c->hints & GATE_HINT_POSSIBLE_TYPO);
	assert_true(c->categories & GATE_CATEGORY_SHARING);
	assert_int_equal(c->old_offset, 6);
	assert_int_equal(c->new_offset, 6);
	gate_diff_free(d);
}

static void test_numbers_are_whole_tokens(void **state)
{
	gate_diff *d;
	const gate_diff_change *c;

	(void)state;
	expect_material("Up to 1,000 users.", "Up to 1.000 users.");
	expect_material("A fee of 10.5%.", "A fee of 10.6%.");
	expect_material("From 2026-03-01.", "From 2026-03-02.");
	expect_material("Open at 09:30.", "Open at 09:45.");
	expect_material("A fee of -5 points.", "A fee of 5 points.");
	d = diff("We keep data for 1,000 days.", "We keep data for 1,500 days.");
	c = find(d, "1,000", "1,500");
	assert_true(c->hints & GATE_HINT_NUMBER);
	assert_true(c->categories & GATE_CATEGORY_RETENTION);
	gate_diff_free(d);
	d = diff("Dates: 2026-03-01 to 2026-04-01.", "Dates: 2026-03-01 to 2026-05-01.");
	find(d, "2026-04-01", "2026-05-01");
	gate_diff_free(d);
	/* a sentence's full stop is not part of the number */
	d = diff("We keep it for 6.", "We keep it for 8.");
	find(d, "6", "8");
	gate_diff_free(d);
}

static void test_emails_and_urls_are_whole_tokens(void **state)
{
	gate_diff *d;
	const gate_diff_change *c;

	(void)state;
	d = diff("Write to privacy@acme.example.", "Write to dpo@acme.example.");
	c = find(d, "privacy@acme.example", "dpo@acme.example");
	assert_int_equal(c->kind, GATE_CHANGE_MATERIAL);
	assert_true(c->hints & GATE_HINT_LINK);
	assert_true(c->categories & GATE_CATEGORY_CONTACT);
	gate_diff_free(d);

	d = diff("See https://acme.example/privacy.", "See https://acme.example/privacy-v2.");
	c = find(d, "https://acme.example/privacy", "https://acme.example/privacy-v2");
	assert_true(c->hints & GATE_HINT_LINK);
	gate_diff_free(d);

	d = diff("See [the notice](https://acme.example/a).", "See [the notice](https://acme.example/b).");
	find(d, "https://acme.example/a", "https://acme.example/b");
	gate_diff_free(d);

	expect_material("Visit www.acme.example today.", "Visit www.acme.example/eu today.");
	expect_material("Visit acme.com today.", "Visit acme.org today.");
	/* the host is case-insensitive, the path is not */
	expect_editorial("See HTTPS://ACME.example/a now", "See https://acme.example/a now", GATE_EDITORIAL_CASE);
	expect_material("See https://acme.example/A now", "See https://acme.example/a now");
}

static void test_names_symbols_and_structure_are_material(void **state)
{
	gate_diff *d;
	const gate_diff_change *c;

	(void)state;
	d = diff("We share data with Acme.", "We share data with Acme and Globex.");
	c = find(d, "", " and Globex");
	assert_int_equal(c->kind, GATE_CHANGE_MATERIAL);
	assert_true(c->categories & GATE_CATEGORY_SHARING);
	gate_diff_free(d);

	expect_material("A fee of 5%.", "A fee of 5\xe2\x80\xb0.");
	expect_material("Names & emails.", "Names emails.");
	expect_material("Prices in \xc2\xa3" "5.", "Prices in \xe2\x82\xac" "5.");
	expect_material("See section 3.", "See \xc2\xa7 3.");
	expect_material("Ages 16+ only.", "Ages 16 only.");
	expect_material("Users aged\n> 16 may join.", "Users aged\n16 may join.");
	expect_material("If a < b then stop.", "If a > b then stop.");
	expect_material("Rate = 5", "Rate 5");
	expect_material("Use 5 * 3 units.", "Use 5 3 units.");
	expect_material("We ~~sell~~ share data.", "We sell share data.");
	/* word order and moved sentences */
	expect_material("We collect names. We share emails.", "We share emails. We collect names.");
	expect_material("dog bites man", "man bites dog");
	/* paragraphs added and removed */
	expect_material("# Data\n\nWe keep names.\n", "# Data\n\nWe keep names.\n\nWe keep emails.\n");
	expect_material("# Data\n\nWe keep names.\n\nWe keep emails.\n", "# Data\n\nWe keep names.\n");
	/* a list item added */
	expect_material("We keep:\n\n- names\n", "We keep:\n\n- names\n- location\n");
}

static void test_wrapped_line_starts_are_not_list_markers(void **state)
{
	(void)state;
	/* "2026." after a paragraph line is a number, not an ordered list marker */
	expect_material("This changed in\n2026. We keep data.\n", "This changed in\n2027. We keep data.\n");
	expect_material("The price is 5 pounds\n+ VAT.\n", "The price is 5 pounds\nVAT.\n");
}

/* --- date lines --------------------------------------------------------------------------------- */

static void test_default_date_lines_are_editorial(void **state)
{
	static const char *const pairs[][2] = {
		{ "Last updated: 1 March 2026", "Last updated: 2 May 2026" },
		{ "Effective date: May 2026.", "Effective date: June 2026." },
		{ "_Last revised on March 1, 2026_", "_Last revised on April 12, 2026_" },
		{ "Updated 2026-03-01", "Updated 2026-05-02" },
		{ "Date of last update: 01/03/2026", "Date of last update: 02/05/2026" },
		{ "Version date: 1st of March 2026", "Version date: 2nd of May 2026" },
		{ "**Effective from 1 March 2026**", "**Effective from 1 June 2026**" },
		{ "This privacy notice was last updated on 1 March 2026.", "This privacy notice was last updated on 9 May 2026." },
		{ "Last reviewed: Monday, 1 March 2026", "Last reviewed: Friday, 1 May 2026" },
		{ "Effective: 1 May 2026 | Last updated: 1 April 2026", "Effective: 1 June 2026 | Last updated: 2 May 2026" },
	};
	char a[256], b[256];

	(void)state;
	for (size_t i = 0; i < GATE__ARRAY_SIZE(pairs); i++) {
		snprintf(a, sizeof(a), "# Privacy notice\n\n%s\n\nWe keep data.\n", pairs[i][0]);
		snprintf(b, sizeof(b), "# Privacy notice\n\n%s\n\nWe keep data.\n", pairs[i][1]);
		expect_editorial(a, b, GATE_EDITORIAL_DATE_LINE);
	}
	/* adding or removing the date line */
	expect_editorial("# Privacy\n\nWe keep data.\n", "# Privacy\n\nLast updated: 1 March 2026\n\nWe keep data.\n",
		GATE_EDITORIAL_DATE_LINE | GATE_EDITORIAL_WHITESPACE);
	expect_editorial("Last updated: 1 March 2026\nWe keep data.\n", "We keep data.\n",
		GATE_EDITORIAL_DATE_LINE | GATE_EDITORIAL_WHITESPACE);
}

static void test_date_line_with_anything_else_is_material(void **state)
{
	(void)state;
	expect_material("Last updated: 1 May 2026.\n", "Last updated: 1 May 2026. We now sell your data.\n");
	expect_material("Last updated: 1 May 2026 by the legal team\n", "Last updated: 2 May 2026 by the legal team\n");
	expect_material("Updated: we sell data\n", "Updated: we share data\n");
	/* a line that is not a date line changing its date is material */
	expect_material("We deleted old logs on 1 March 2026.\n", "We deleted old logs on 1 May 2026.\n");
}

static void test_line_that_stops_being_a_date_line_is_material(void **state)
{
	static const char *const patterns[] = { "Updated: {date}" };
	gate_diff_options o = GATE_DIFF_OPTIONS_INIT;
	const char *a = "# Notice\n\nUpdated: 1 May 2026\n\nWe keep data.\n";
	const char *b = "# Notice\n\nUpdated 1 May 2026\n\nWe keep data.\n";
	gate_diff *d;
	const gate_diff_change *c;

	(void)state;
	o.date_patterns = patterns;
	o.date_pattern_count = 1;
	/* only the colon changed, but the words of the line now count */
	d = diff_full(NULL, a, strlen(a), b, strlen(b), &o);
	assert_int_equal(gate_diff_is_material(d), 1);
	c = find(d, ":", "");
	assert_int_equal(c->kind, GATE_CHANGE_MATERIAL);
	gate_diff_free(d);
	/* with the colon kept, a new date is editorial */
	b = "# Notice\n\nUpdated: 2 June 2026\n\nWe keep data.\n";
	d = diff_full(NULL, a, strlen(a), b, strlen(b), &o);
	assert_int_equal(gate_diff_is_material(d), 0);
	gate_diff_free(d);
}

static gate *open_with_settings(const char *const *settings)
{
	memsrc *m = memsrc_new("en-GB");
	gate *g;

	for (size_t i = 0; settings && settings[i]; i += 2)
		memsrc_setting(m, settings[i], settings[i + 1]);
	memsrc_add(m, "privacy", GATE_CHANGE_MATERIAL, T0, "en-GB", "# Privacy\n\nStand: 1 March 2026\n\nWe keep data.\n",
		"cy-GB", "# Preifatrwydd\n\nRydym yn cadw data.\n", NULL);
	memsrc_add(m, "privacy", GATE_CHANGE_EDITORIAL, T0 + DAY, "en-GB", "# Privacy\n\nStand: 2 May 2026\n\nWe keep data.\n", NULL);
	memsrc_add(m, "privacy", GATE_CHANGE_MATERIAL, T0 + 2 * DAY, "en-GB", "# Privacy\n\nStand: 2 May 2026\n\nWe archive data.\n",
		"cy-GB", "# Preifatrwydd\n\nRydym yn archifo data.\n", NULL);
	assert_int_equal(memsrc_open(&g, m, NULL, NULL, NULL), 0);
	return g;
}

static void test_date_patterns_from_gate_conf(void **state)
{
	static const char *const conf[] = { "diff.datepattern", "Stand: {date}", NULL };
	static const char *const drop[] = { "diff.datepattern", "", NULL };
	gate *g = open_with_settings(conf);
	const char *a = "Stand: 1 March 2026\nLast updated: 1 March 2026\n";
	const char *b = "Stand: 2 May 2026\nLast updated: 2 May 2026\n";
	gate_diff *d;

	(void)state;
	/* gate.conf's pattern adds to the defaults */
	d = diff_full(g, a, strlen(a), b, strlen(b), NULL);
	assert_int_equal(gate_diff_is_material(d), 0);
	assert_int_equal(gate_diff_change_at(d, 0)->editorial, GATE_EDITORIAL_DATE_LINE);
	gate_diff_free(d);
	/* without the handle, "Stand:" is not a date line */
	d = diff_full(NULL, a, strlen(a), b, strlen(b), NULL);
	assert_int_equal(gate_diff_is_material(d), 1);
	gate_diff_free(d);
	/* the versions' own diff uses it too */
	assert_int_equal(gate_diff_versions(&d, g, "privacy", 1, 2, NULL, NULL), 0);
	assert_int_equal(gate_diff_is_material(d), 0);
	gate_diff_free(d);
	gate_free(g);

	/* an empty value drops the defaults */
	g = open_with_settings(drop);
	a = "Last updated: 1 March 2026\n";
	b = "Last updated: 2 May 2026\n";
	d = diff_full(g, a, strlen(a), b, strlen(b), NULL);
	assert_int_equal(gate_diff_is_material(d), 1);
	gate_diff_free(d);
	gate_free(g);
}

static void test_bad_date_pattern_is_a_one_line_error(void **state)
{
	static const char *const conf[] = { "diff.datepattern", "Updated ( {date}", NULL };
	static const char *const bad[] = { "Revised (( {date}" };
	gate_diff_options o = GATE_DIFF_OPTIONS_INIT;
	gate *g = open_with_settings(conf);
	gate_diff *d = (gate_diff *)1;
	const char *msg;

	(void)state;
	assert_int_equal(gate_diff_texts(&d, g, "a", 1, "b", 1, NULL), GATE_EINVALID);
	assert_null(d);
	msg = gate_error_last()->message;
	assert_non_null(strstr(msg, "gate.conf diff.datePattern 'Updated ( {date}'"));
	assert_non_null(strstr(msg, "not a valid extended regular expression"));
	assert_null(strchr(msg, '\n'));
	assert_int_equal(gate_diff_versions(&d, g, "privacy", 1, 2, NULL, NULL), GATE_EINVALID);
	gate_free(g);

	o.date_patterns = bad;
	o.date_pattern_count = 1;
	assert_int_equal(gate_diff_texts(&d, NULL, "a", 1, "b", 1, &o), GATE_EINVALID);
	assert_non_null(strstr(gate_error_last()->message, "date pattern 'Revised (( {date}'"));
}

/* --- positions and sections ------------------------------------------------------------------------ */

static void test_positions_lines_and_sections(void **state)
{
	const char *a =
		"# Privacy notice\n"
		"\n"
		"## What we collect\n"
		"\n"
		"We collect names.\n"
		"\n"
		"How long we keep it\n"
		"-------------------\n"
		"\n"
		"We keep data for six years.\n"
		"\n"
		"**Your rights**\n"
		"\n"
		"You may ask for a copy.\n"
		"\n"
		"Contact\n"
		"\n"
		"Write to us.\n";
	const char *b =
		"# Privacy notice\n"
		"\n"
		"## What we collect\n"
		"\n"
		"We collect names and emails.\n"
		"\n"
		"How long we keep it\n"
		"-------------------\n"
		"\n"
		"We keep data for eight years.\n"
		"\n"
		"**Your rights**\n"
		"\n"
		"You may ask for a copy or erasure.\n"
		"\n"
		"Contact\n"
		"\n"
		"Write to us at dpo@acme.example.\n";
	gate_diff *d = diff(a, b);
	const gate_diff_change *c;

	(void)state;
	assert_int_equal(gate_diff_change_count(d), 4);
	c = find(d, "", " and emails");
	assert_int_equal(c->old_line, 5);
	assert_int_equal(c->new_line, 5);
	assert_int_equal(c->old_offset, strstr(a, " names.") - a + 6);
	assert_string_equal(c->section, "What we collect");
	assert_true(c->categories & GATE_CATEGORY_DATA);
	c = find(d, "six", "eight");
	assert_int_equal(c->new_line, 10);
	assert_string_equal(c->section, "How long we keep it");
	assert_true(c->categories & GATE_CATEGORY_RETENTION);
	c = find(d, "", " or erasure");
	assert_string_equal(c->section, "Your rights");
	assert_true(c->categories & GATE_CATEGORY_RIGHTS);
	c = find(d, "", " at dpo@acme.example");
	assert_int_equal(c->new_line, 18);
	assert_string_equal(c->section, "Contact");
	assert_true(c->categories & GATE_CATEGORY_CONTACT);
	gate_diff_free(d);

	/* a pure deletion is placed in the old text */
	d = diff("# A\n\nOne.\n\n# B\n\nTwo.\n", "# A\n\nOne.\n\n# B\n");
	c = gate_diff_change_at(d, 0);
	assert_int_equal(c->removed_len > 0 && c->added_len == 0, 1);
	assert_string_equal(c->section, "B");
	gate_diff_free(d);

	/* nothing before the first heading */
	d = diff("We keep data.\n\n# A\n", "We hold data.\n\n# A\n");
	assert_string_equal(gate_diff_change_at(d, 0)->section, "");
	gate_diff_free(d);
}

static void test_changes_stay_within_their_line(void **state)
{
	const char *a = "## Sharing\n\nYou can ask us to delete it at any time.\n";
	const char *b = "## Sharing\n\nYou can ask us to delete it within 30 days.\n\n## Children\n\n"
		"Our services are not for children under 13.\n";
	gate_diff *d = diff(a, b);
	const gate_diff_change *c;

	(void)state;
	/* the words replaced, then the new section on its own, under its own heading */
	assert_int_equal(gate_diff_change_count(d), 2);
	c = find(d, "at any time", "within 30 days");
	assert_string_equal(c->section, "Sharing");
	c = find(d, "", "\n## Children\n\nOur services are not for children under 13.\n");
	assert_string_equal(c->section, "Children");
	assert_true(c->categories & GATE_CATEGORY_CHILDREN);
	assert_true(c->hints & GATE_HINT_NEGATION);
	assert_true(c->hints & GATE_HINT_NUMBER);
	gate_diff_free(d);

	/* two edits on consecutive lines are two changes */
	d = diff("We keep names.\nWe keep emails.\n", "We keep titles.\nWe keep phones.\n");
	assert_int_equal(gate_diff_change_count(d), 2);
	find(d, "names", "titles");
	find(d, "emails", "phones");
	gate_diff_free(d);
	/* nearby edits within a line read as one */
	d = diff("We keep your names and emails.", "We keep their titles and phones.");
	assert_int_equal(gate_diff_change_count(d), 1);
	find(d, "your names and emails", "their titles and phones");
	gate_diff_free(d);
}

static void test_plain_text_titles_are_sections(void **state)
{
	const char *a = "PRIVACY NOTICE\n\nWho we are\nWe are Acme.\nWhat we keep\nWe keep names.\n";
	const char *b = "PRIVACY NOTICE\n\nWho we are\nWe are Acme.\nWhat we keep\nWe keep names and emails.\n";
	gate_diff *d = diff(a, b);

	(void)state;
	assert_string_equal(gate_diff_change_at(d, 0)->section, "What we keep");
	gate_diff_free(d);
	/* a sentence is not a title */
	d = diff("Intro.\n\nWe are Acme.\nWe keep names.\n", "Intro.\n\nWe are Acme.\nWe keep emails.\n");
	assert_string_equal(gate_diff_change_at(d, 0)->section, "");
	gate_diff_free(d);
}

/* --- categories and hints ------------------------------------------------------------------------------- */

static void test_categories_from_words_and_headings(void **state)
{
	gate_diff *d;

	(void)state;
	d = diff("# Cookies\n\nWe set two.\n", "# Cookies\n\nWe set three.\n");
	assert_true(gate_diff_change_at(d, 0)->categories & GATE_CATEGORY_COOKIES);
	gate_diff_free(d);
	d = diff("Data goes to our partners in the UK.\n", "Data goes to our partners in the USA.\n");
	assert_true(gate_diff_change_at(d, 0)->categories & GATE_CATEGORY_SHARING);
	gate_diff_free(d);
	d = diff("We encrypt backups.\n", "We encrypt nothing.\n");
	assert_true(gate_diff_change_at(d, 0)->categories & GATE_CATEGORY_SECURITY);
	gate_diff_free(d);
	d = diff("Users must be 13.\n", "Children must be 16.\n");
	assert_true(gate_diff_change_at(d, 0)->categories & GATE_CATEGORY_CHILDREN);
	gate_diff_free(d);
	d = diff("The sky is blue.\n", "The sky is grey.\n");
	assert_int_equal(gate_diff_change_at(d, 0)->categories, 0);
	gate_diff_free(d);
	/* words that name a category outweigh the rest of the sentence
	 * ("keep track" is neither retention nor tracking here) */
	d = diff("You can keep track of your email.\n", "You can keep track of your phone.\n");
	assert_int_equal(gate_diff_change_at(d, 0)->categories, GATE_CATEGORY_DATA);
	gate_diff_free(d);
	/* a change whose words name none reads its sentence */
	d = diff("We keep your notes.\n", "We keep your drafts.\n");
	assert_true(gate_diff_change_at(d, 0)->categories & GATE_CATEGORY_RETENTION);
	gate_diff_free(d);
}

static void test_category_keywords_from_gate_conf(void **state)
{
	static const char *const add[] = { "category.retention.keyword", "ledger", NULL };
	static const char *const replace[] = {
		"category.retention.keyword", "", "category.retention.keyword", "Ledger", NULL };
	static const char *const unknown[] = { "category.billing.keyword", "invoice", NULL };
	static const char *const badkey[] = { "category.retention.keywords", "archive", NULL };
	static const char *const twowords[] = { "category.retention.keyword", "cold storage", NULL };
	const char *a = "Our ledger holds logs. We keep notes.\n", *b = "Our ledger holds files. We keep drafts.\n";
	gate *g = open_with_settings(add);
	gate_diff *d;

	(void)state;
	d = diff_full(g, a, strlen(a), b, strlen(b), NULL);
	assert_true(gate_diff_change_at(d, 0)->categories & GATE_CATEGORY_RETENTION);
	assert_true(gate_diff_change_at(d, 1)->categories & GATE_CATEGORY_RETENTION);
	gate_diff_free(d);
	gate_free(g);
	d = diff(a, b);
	assert_false(gate_diff_change_at(d, 0)->categories & GATE_CATEGORY_RETENTION);
	gate_diff_free(d);

	/* an empty keyword drops the defaults ("keep" no longer counts) */
	g = open_with_settings(replace);
	d = diff_full(g, a, strlen(a), b, strlen(b), NULL);
	assert_true(gate_diff_change_at(d, 0)->categories & GATE_CATEGORY_RETENTION);
	assert_false(gate_diff_change_at(d, 1)->categories & GATE_CATEGORY_RETENTION);
	gate_diff_free(d);
	gate_free(g);

	g = open_with_settings(unknown);
	assert_int_equal(gate_diff_texts(&d, g, a, strlen(a), b, strlen(b), NULL), GATE_EINVALID);
	assert_non_null(strstr(gate_error_last()->message, "[category \"billing\"]: unknown category; use one of sharing"));
	gate_free(g);
	g = open_with_settings(badkey);
	assert_int_equal(gate_diff_texts(&d, g, a, strlen(a), b, strlen(b), NULL), GATE_EINVALID);
	assert_non_null(strstr(gate_error_last()->message, "keywords: unknown setting"));
	gate_free(g);
	g = open_with_settings(twowords);
	assert_int_equal(gate_diff_texts(&d, g, a, strlen(a), b, strlen(b), NULL), GATE_EINVALID);
	assert_non_null(strstr(gate_error_last()->message, "more than one word"));
	gate_free(g);
}

static void test_hints(void **state)
{
	gate_diff *d;
	const gate_diff_change *c;

	(void)state;
	d = diff("You will recieve a copy.", "You will receive a copy.");
	c = find(d, "recieve", "receive");
	assert_int_equal(c->kind, GATE_CHANGE_MATERIAL);
	assert_true(c->hints & GATE_HINT_POSSIBLE_TYPO);
	gate_diff_free(d);
	/* the old word still used elsewhere: a deliberate change, not a typo */
	d = diff("We share names. We share emails.", "We share names. We shore emails.");
	assert_false(gate_diff_change_at(d, 0)->hints & GATE_HINT_POSSIBLE_TYPO);
	gate_diff_free(d);
	/* short words are never called typos */
	d = diff("We sell data.", "We tell data.");
	assert_false(gate_diff_change_at(d, 0)->hints & GATE_HINT_POSSIBLE_TYPO);
	gate_diff_free(d);
	d = diff("We will share data.", "We will not share data.");
	assert_true(gate_diff_change_at(d, 0)->hints & GATE_HINT_NEGATION);
	gate_diff_free(d);
	d = diff("We won't share data.", "We will share data.");
	assert_true(gate_diff_change_at(d, 0)->hints & GATE_HINT_NEGATION);
	gate_diff_free(d);
	d = diff("Call 020 7946 0000.", "Call 020 7946 0001.");
	assert_int_equal(gate_diff_change_at(d, 0)->hints, GATE_HINT_NUMBER);
	gate_diff_free(d);
}

/* --- robustness --------------------------------------------------------------------------------------------- */

static void test_invalid_input_names_the_text_and_offset(void **state)
{
	gate_diff *d = (gate_diff *)1;

	(void)state;
	assert_int_equal(gate_diff_texts(&d, NULL, "abc\xff", 4, "abc", 3, NULL), GATE_EINVALID);
	assert_null(d);
	assert_string_equal(gate_error_last()->message, "old text is not valid UTF-8 (bad byte 0xff at offset 3)");
	assert_int_equal(gate_diff_texts(&d, NULL, "abc", 3, "ab\0c", 4, NULL), GATE_EINVALID);
	assert_string_equal(gate_error_last()->message, "new text contains a NUL byte at offset 2");
	assert_int_equal(gate_diff_texts(&d, NULL, "a\xc3", 2, "a", 1, NULL), GATE_EINVALID);
	assert_int_equal(gate_diff_texts(NULL, NULL, "a", 1, "a", 1, NULL), GATE_EINVALID);
	assert_int_equal(gate_diff_texts(&d, NULL, NULL, 3, "a", 1, NULL), GATE_EINVALID);
	{
		gate_diff_options o = GATE_DIFF_OPTIONS_INIT;

		o.version = 99;
		assert_int_equal(gate_diff_texts(&d, NULL, "a", 1, "b", 1, &o), GATE_EVERSION);
		assert_int_equal(gate_diff_options_init(&o, 99), GATE_EVERSION);
		assert_int_equal(gate_diff_options_init(&o, GATE_DIFF_OPTIONS_VERSION), 0);
		assert_int_equal(o.max_cost, 0);
	}
}

/* `words` words from a small vocabulary, deterministic. */
static char *words_text(size_t words, unsigned seed, size_t per_line)
{
	static const char *const vocab[] = { "we", "keep", "your", "data", "for", "six", "years", "and",
		"share", "it", "with", "partners", "who", "process", "payments", "on", "our", "behalf" };
	char *s = malloc(words * 10 + 1), *p = s;

	for (size_t i = 0; i < words; i++) {
		seed = seed * 1103515245u + 12345u;
		p += sprintf(p, "%s%s", vocab[(seed >> 16) % GATE__ARRAY_SIZE(vocab)],
			i + 1 == words ? ".\n" : (per_line && (i + 1) % per_line == 0) ? ".\n\n" : " ");
	}
	*p = '\0';
	return s;
}

static void test_max_cost_fallback_is_coarse_but_exact(void **state)
{
	gate_diff_options o = GATE_DIFF_OPTIONS_INIT;
	char *a = words_text(3000, 1, 0), *b = words_text(3000, 2, 0);
	gate_diff *d;

	(void)state;
	o.max_cost = 100;
	/* every token different: the cap is reached, the result is still exact */
	d = diff_full(NULL, a, strlen(a), b, strlen(b), &o);
	assert_int_equal(gate_diff_get_stats(d)->coarse, 1);
	assert_int_equal(gate_diff_is_material(d), 1);
	gate_diff_free(d);
	/* a few edits: coarse under a tiny cap, word by word under the default one */
	free(b);
	b = strdup(a);
	for (size_t i = 1; i <= 5; i++)
		b[strlen(b) * i / 6] = 'X';
	d = diff_full(NULL, a, strlen(a), b, strlen(b), &o);
	assert_int_equal(gate_diff_get_stats(d)->coarse, 1);
	assert_true(gate_diff_change_count(d) < 5);
	assert_int_equal(gate_diff_is_material(d), 1);
	gate_diff_free(d);
	d = diff_full(NULL, a, strlen(a), b, strlen(b), NULL);
	assert_int_equal(gate_diff_get_stats(d)->coarse, 0);
	assert_int_equal(gate_diff_change_count(d), 5);
	gate_diff_free(d);
	/* classification stays exact in a coarse change: editorial stays editorial */
	free(b);
	b = strdup(a);
	for (char *p = b; *p; p++)
		if (*p == ' ' && (p - b) % 3 == 0)
			*p = '\n';
	d = diff_full(NULL, a, strlen(a), b, strlen(b), &o);
	assert_int_equal(gate_diff_get_stats(d)->coarse, 1);
	assert_int_equal(gate_diff_is_material(d), 0);
	gate_diff_free(d);
	free(a);
	free(b);
}

static void test_pathological_inputs_finish(void **state)
{
	size_t n = 200000;
	char *a = words_text(n, 3, 0), *b;
	size_t la = strlen(a);
	gate_diff *d;

	(void)state;
	/* one line of ~1 MB with a few scattered edits */
	b = malloc(la + 64);
	memcpy(b, a, la + 1);
	memcpy(b + la / 4, "XX", 2);
	memcpy(b + la / 2, "YY", 2);
	memcpy(b + 3 * la / 4, "ZZ", 2);
	d = diff_full(NULL, a, la, b, la, NULL);
	assert_int_equal(gate_diff_is_material(d), 1);
	assert_true(gate_diff_change_count(d) >= 3 && gate_diff_change_count(d) <= 6);
	gate_diff_free(d);
	free(b);

	/* every token changed */
	b = words_text(n, 4, 0);
	d = diff_full(NULL, a, la, b, strlen(b), NULL);
	assert_int_equal(gate_diff_is_material(d), 1);
	gate_diff_free(d);
	free(b);
	free(a);

	/* hundreds of identical paragraphs, one changed */
	{
		const char *para = "We keep your data safe.\n\n";
		size_t pl = strlen(para), count = 800;

		a = malloc(pl * count + 1);
		for (size_t i = 0; i < count; i++)
			memcpy(a + i * pl, para, pl);
		a[pl * count] = '\0';
		b = strdup(a);
		memcpy(b + pl * 400 + 3, "sell", 4);
		d = diff_full(NULL, a, strlen(a), b, strlen(b), NULL);
		assert_int_equal(gate_diff_change_count(d), 1);
		assert_int_equal(gate_diff_change_at(d, 0)->old_line, 801);
		free(a);
		free(b);
		gate_diff_free(d);
	}
	/* a long run of one repeated word, with a word inserted */
	{
		size_t count = 100000;

		a = malloc(count * 5 + 1);
		for (size_t i = 0; i < count; i++)
			memcpy(a + i * 5, "data ", 5);
		a[count * 5] = '\0';
		b = malloc(count * 5 + 16);
		memcpy(b, a, count * 5 / 2);
		memcpy(b + count * 5 / 2, "more ", 5);
		memcpy(b + count * 5 / 2 + 5, a + count * 5 / 2, count * 5 / 2 + 1);
		d = diff_full(NULL, a, strlen(a), b, strlen(b), NULL);
		assert_int_equal(gate_diff_is_material(d), 1);
		assert_int_equal(gate_diff_get_stats(d)->words_added, 1);
		free(a);
		free(b);
		gate_diff_free(d);
	}
}

static void test_safe_verdict_ignores_how_changes_are_cut(void **state)
{
	(void)state;
	/* the same words, moved whitespace around them */
	expect_editorial("A  ", "  A", GATE_EDITORIAL_WHITESPACE);
	expect_editorial("a b\na\n", "a\nb a\n", GATE_EDITORIAL_WHITESPACE);
	/* a change hidden by a repeated word is still found */
	expect_material("data data data", "data data");
}

/* --- versions and the small API --------------------------------------------------------------------------------- */

static void test_diff_versions_fills_both_sides(void **state)
{
	gate *g = open_with_settings(NULL);
	gate_diff *d = (gate_diff *)1;
	const gate_diff_side *s;

	(void)state;
	assert_int_equal(gate_diff_versions(&d, g, "privacy", 2, 3, NULL, NULL), 0);
	assert_int_equal(gate_diff_is_material(d), 1);
	find(d, "keep", "archive");
	s = gate_diff_get_side(d, 0);
	assert_string_equal(s->label, "privacy v2 (en-GB)");
	assert_string_equal(s->doc, "privacy");
	assert_int_equal(s->n, 2);
	assert_string_equal(s->locale, "en-GB");
	assert_int_equal(strlen(s->blob_oid), 40);
	assert_true(s->effective == T0 + DAY);
	s = gate_diff_get_side(d, 1);
	assert_string_equal(s->label, "privacy v3 (en-GB)");
	assert_true(s->effective == T0 + 2 * DAY);
	assert_null(gate_diff_get_side(d, 2));
	assert_int_equal(gate_diff_set_labels(d, "old.md", NULL), 0);
	assert_string_equal(gate_diff_get_side(d, 0)->label, "old.md");
	assert_string_equal(gate_diff_get_side(d, 1)->label, "privacy v3 (en-GB)");
	gate_diff_free(d);

	/* cy-GB: v2 lacks it and falls back to the default locale's text */
	assert_int_equal(gate_diff_versions(&d, g, "privacy", 2, 3, "cy-GB", NULL), 0);
	assert_string_equal(gate_diff_get_side(d, 0)->label, "privacy v2 (en-GB)");
	assert_string_equal(gate_diff_get_side(d, 1)->label, "privacy v3 (cy-GB)");
	gate_diff_free(d);

	/* from 0: everything added */
	assert_int_equal(gate_diff_versions(&d, g, "privacy", 0, 1, NULL, NULL), 0);
	assert_int_equal(gate_diff_change_count(d), 1);
	assert_int_equal(gate_diff_change_at(d, 0)->removed_len, 0);
	s = gate_diff_get_side(d, 0);
	assert_int_equal(s->n, 0);
	assert_null(s->locale);
	assert_true(s->effective == GATE_TIME_UNSET);
	gate_diff_free(d);

	d = (gate_diff *)1;
	assert_int_equal(gate_diff_versions(&d, g, "privacy", 1, 9, NULL, NULL), GATE_ENOTFOUND);
	assert_null(d);
	assert_string_equal(gate_error_last()->message, "privacy v9 does not exist; latest is v3");
	assert_int_equal(gate_diff_versions(&d, g, "privacy", 7, 2, NULL, NULL), GATE_ENOTFOUND);
	assert_int_equal(gate_diff_versions(&d, g, "privacy", 1, 0, NULL, NULL), GATE_EINVALID);
	gate_free(g);
}

static void test_names_of_bits(void **state)
{
	(void)state;
	assert_string_equal(gate_category_name(GATE_CATEGORY_SHARING), "sharing");
	assert_string_equal(gate_category_name(GATE_CATEGORY_CHANGES), "changes");
	assert_string_equal(gate_category_name(GATE_CATEGORY_SHARING | GATE_CATEGORY_DATA), "");
	assert_string_equal(gate_category_name(0), "");
	assert_string_equal(gate_hint_name(GATE_HINT_POSSIBLE_TYPO), "possible-typo");
	assert_string_equal(gate_hint_name(GATE_HINT_NEGATION), "negation");
	assert_string_equal(gate_hint_name(3), "");
	assert_string_equal(gate_editorial_name(GATE_EDITORIAL_DATE_LINE), "date-line");
	assert_string_equal(gate_editorial_name(GATE_EDITORIAL_WHITESPACE), "whitespace");
	assert_string_equal(gate_editorial_name(1u << 9), "");
	gate_diff_free(NULL);
	assert_int_equal(gate_diff_is_material(NULL), 0);
	assert_int_equal(gate_diff_change_count(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical_and_empty_texts),
		cmocka_unit_test(test_whitespace_is_editorial),
		cmocka_unit_test(test_typography_is_editorial),
		cmocka_unit_test(test_case_and_compatibility_forms_are_editorial),
		cmocka_unit_test(test_markup_is_editorial),
		cmocka_unit_test(test_punctuation_alone_is_editorial),
		cmocka_unit_test(test_editorial_reasons_combine),
		cmocka_unit_test(test_small_word_changes_are_material),
		cmocka_unit_test(test_numbers_are_whole_tokens),
		cmocka_unit_test(test_emails_and_urls_are_whole_tokens),
		cmocka_unit_test(test_names_symbols_and_structure_are_material),
		cmocka_unit_test(test_wrapped_line_starts_are_not_list_markers),
		cmocka_unit_test(test_default_date_lines_are_editorial),
		cmocka_unit_test(test_date_line_with_anything_else_is_material),
		cmocka_unit_test(test_line_that_stops_being_a_date_line_is_material),
		cmocka_unit_test(test_date_patterns_from_gate_conf),
		cmocka_unit_test(test_bad_date_pattern_is_a_one_line_error),
		cmocka_unit_test(test_positions_lines_and_sections),
		cmocka_unit_test(test_changes_stay_within_their_line),
		cmocka_unit_test(test_plain_text_titles_are_sections),
		cmocka_unit_test(test_categories_from_words_and_headings),
		cmocka_unit_test(test_category_keywords_from_gate_conf),
		cmocka_unit_test(test_hints),
		cmocka_unit_test(test_invalid_input_names_the_text_and_offset),
		cmocka_unit_test(test_max_cost_fallback_is_coarse_but_exact),
		cmocka_unit_test(test_pathological_inputs_finish),
		cmocka_unit_test(test_safe_verdict_ignores_how_changes_are_cut),
		cmocka_unit_test(test_diff_versions_fills_both_sides),
		cmocka_unit_test(test_names_of_bits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
