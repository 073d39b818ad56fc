/* test_catalog.c: version lookups by number and by time, upcoming versions and locale fallback. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "support_memsource.h"

#define DAY (86400000LL)
#define T0 (1767225600000LL) /* 2026-01-01 */

static gate *open_history(int64_t *now)
{
	memsrc *m = memsrc_new("en-GB");
	gate *g;

	memsrc_add(m, "privacy", GATE_CHANGE_MATERIAL, T0, "en-GB", "one", "cy-GB", "un", NULL);
	memsrc_add(m, "privacy", GATE_CHANGE_EDITORIAL, T0 + 10 * DAY, "en-GB", "one.", NULL);
	memsrc_add(m, "privacy", GATE_CHANGE_MATERIAL, T0 + 20 * DAY, "en-GB", "two", "cy-GB", "dau", NULL);
	memsrc_add(m, "terms", GATE_CHANGE_MATERIAL, T0, "en-GB", "terms", NULL);
	assert_int_equal(memsrc_open(&g, m, NULL, memclock, now), 0);
	return g;
}

static void test_documents_are_listed_sorted(void **state)
{
	int64_t now = T0;
	gate *g = open_history(&now);
	const char *const *docs;
	size_t n;

	(void)state;
	assert_int_equal(gate_docs(g, &docs, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(docs[0], "privacy");
	assert_string_equal(docs[1], "terms");
	gate_free(g);
}

static void test_lookup_names_the_latest_version_when_missing(void **state)
{
	int64_t now = T0;
	gate *g = open_history(&now);
	const gate_version_info *v;

	(void)state;
	assert_int_equal(gate_version_lookup(g, "privacy", 2, &v), 0);
	assert_int_equal(v->n, 2);
	assert_int_equal(v->change, GATE_CHANGE_EDITORIAL);
	assert_int_equal(gate_version_lookup(g, "privacy", 9, &v), GATE_ENOTFOUND);
	assert_null(v);
	assert_string_equal(gate_error_last()->message, "privacy v9 does not exist; latest is v3");
	assert_int_equal(gate_version_lookup(g, "cookies", 1, &v), GATE_ENOTFOUND);
	assert_non_null(strstr(gate_error_last()->message, "published documents: privacy, terms"));
	assert_int_equal(gate_version_lookup(g, "../x", 1, &v), GATE_EINVALID);
	gate_free(g);
}

static void test_in_force_and_upcoming_follow_the_clock(void **state)
{
	int64_t now = T0;
	gate *g = open_history(&now);
	const gate_version_info *v;

	(void)state;
	assert_int_equal(gate_version_in_force(g, "privacy", T0 - 1, &v), GATE_ENOTFOUND);
	assert_int_equal(gate_version_in_force(g, "privacy", T0, &v), 0);
	assert_int_equal(v->n, 1);
	assert_int_equal(gate_version_upcoming(g, "privacy", T0, &v), 0);
	assert_int_equal(v->n, 3);
	assert_int_equal(gate_version_in_force(g, "privacy", T0 + 15 * DAY, &v), 0);
	assert_int_equal(v->n, 2);
	assert_int_equal(gate_version_in_force(g, "privacy", T0 + 20 * DAY, &v), 0);
	assert_int_equal(v->n, 3);
	assert_int_equal(gate_version_upcoming(g, "privacy", T0 + 20 * DAY, &v), GATE_ENOTFOUND);
	gate_free(g);
}

static void test_text_falls_back_to_the_default_locale_of_that_version(void **state)
{
	int64_t now = T0;
	gate *g = open_history(&now);
	gate_buf b = GATE_BUF_INIT;
	gate_text_info info;

	(void)state;
	assert_int_equal(gate_text(g, "privacy", 1, "cy-gb", &b, &info), 0);
	assert_string_equal(b.ptr, "un");
	assert_string_equal(info.locale, "cy-GB");
	assert_int_equal(info.fallback, 0);
	assert_int_equal(gate_text(g, "privacy", 2, "cy-GB", &b, &info), 0);
	assert_string_equal(b.ptr, "one.");
	assert_string_equal(info.locale, "en-GB");
	assert_int_equal(info.fallback, 1);
	assert_int_equal(gate_text(g, "privacy", 3, NULL, &b, &info), 0);
	assert_string_equal(b.ptr, "two");
	assert_int_equal(gate_text(g, "privacy", 3, "en/../x", &b, &info), GATE_EINVALID);
	gate_buf_dispose(&b);
	gate_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_documents_are_listed_sorted),
		cmocka_unit_test(test_lookup_names_the_latest_version_when_missing),
		cmocka_unit_test(test_in_force_and_upcoming_follow_the_clock),
		cmocka_unit_test(test_text_falls_back_to_the_default_locale_of_that_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
