/* test_foundation.c: errors, buffers, times, id checks and options: the ground every module stands on. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "settings.h"
#include "text.h"

static void test_error_last_is_never_null_and_starts_clear(void **state)
{
	const gate_error *e;

	(void)state;
	gate_error_clear();
	e = gate_error_last();
	assert_non_null(e);
	assert_int_equal(e->code, GATE_OK);
	assert_string_equal(e->message, "no error");
}

static void test_error_messages_are_one_line(void **state)
{
	(void)state;
	assert_int_equal(gate__error_set(GATE_ENOTFOUND, "privacy v%d does not exist;\nlatest is v%d", 9, 3),
		GATE_ENOTFOUND);
	assert_int_equal(gate_error_last()->code, GATE_ENOTFOUND);
	assert_string_equal(gate_error_last()->message, "privacy v9 does not exist; latest is v3");
	gate__error_prefix("%s", "publish");
	assert_string_equal(gate_error_last()->message, "publish: privacy v9 does not exist; latest is v3");
	assert_int_equal(gate_error_last()->code, GATE_ENOTFOUND);
}

static void *set_error_in_thread(void *arg)
{
	(void)arg;
	gate__error_set(GATE_ELOCKED, "thread error");
	return (void *)(intptr_t)gate_error_last()->code;
}

static void test_errors_are_per_thread(void **state)
{
	pthread_t t;
	void *rc;

	(void)state;
	gate__error_set(GATE_EINVALID, "main thread error");
	assert_int_equal(pthread_create(&t, NULL, set_error_in_thread, NULL), 0);
	assert_int_equal(pthread_join(t, &rc), 0);
	assert_int_equal((int)(intptr_t)rc, GATE_ELOCKED);
	assert_int_equal(gate_error_last()->code, GATE_EINVALID);
	assert_string_equal(gate_error_last()->message, "main thread error");
}

static void test_strerror_and_names_cover_every_code(void **state)
{
	(void)state;
	for (int code = GATE_ERROR; code >= GATE_ERRNO_LAST_; code--) {
		assert_string_not_equal(gate_strerror(code), "unknown error code");
		assert_string_not_equal(gate_err_name(code), "UNKNOWN");
	}
	assert_string_equal(gate_err_name(GATE_ENOTFOUND), "ENOTFOUND");
	assert_string_equal(gate_strerror(GATE_ENOTFOUND), "not found");
	assert_string_equal(gate_strerror(-999), "unknown error code");
	assert_string_equal(gate_strerror(GATE_OK), "success");
}

static void test_buf_grows_escapes_and_disposes(void **state)
{
	gate_buf b = GATE_BUF_INIT;

	(void)state;
	for (int i = 0; i < 1000; i++)
		assert_int_equal(gate__buf_printf(&b, "%03d,", i), 0);
	assert_int_equal(b.size, 4000);
	assert_memory_equal(b.ptr + 3996, "999,", 4);
	assert_int_equal(b.ptr[b.size], '\0');

	gate__buf_clear(&b);
	assert_int_equal(gate__buf_put_json_string(&b, "a\"b\\c\n\x01", 7), 0);
	assert_string_equal(b.ptr, "\"a\\\"b\\\\c\\n\\u0001\"");

	gate__buf_clear(&b);
	assert_int_equal(gate__buf_put_html(&b, "<a href=\"x\">&'", 14), 0);
	assert_string_equal(b.ptr, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");

	gate_buf_dispose(&b);
	assert_null(b.ptr);
	assert_int_equal(b.size, 0);
	gate_buf_dispose(&b);
	gate_buf_dispose(NULL);
}

static void test_arena_and_strlist(void **state)
{
	gate__arena a = GATE__ARENA_INIT;
	gate__strlist l = GATE__STRLIST_INIT;
	char *big;

	(void)state;
	for (int i = 0; i < 5000; i++) {
		char *s = gate__arena_strdup(&a, "privacy");

		assert_non_null(s);
		assert_string_equal(s, "privacy");
		assert_int_equal((uintptr_t)s % 16, 0);
	}
	big = gate__arena_alloc(&a, 100000);
	assert_non_null(big);
	assert_int_equal(big[99999], 0);
	gate__arena_free(&a);
	assert_null(a.head);

	assert_int_equal(gate__strlist_push(&l, "terms"), 0);
	assert_int_equal(gate__strlist_push(&l, "cookies"), 0);
	assert_int_equal(gate__strlist_push(&l, "privacy"), 0);
	gate__strlist_sort(&l);
	assert_string_equal(l.items[0], "cookies");
	assert_string_equal(l.items[2], "terms");
	assert_true(gate__strlist_contains(&l, "privacy"));
	assert_false(gate__strlist_contains(&l, "priv"));
	gate__strlist_free(&l);
}

static void test_time_parses_rfc3339_and_dates(void **state)
{
	int64_t t;
	char out[GATE_TIME_BUFSIZE];

	(void)state;
	assert_int_equal(gate_time_parse(&t, "1970-01-01T00:00:00Z"), 0);
	assert_true(t == 0);
	assert_int_equal(gate_time_parse(&t, "2026-12-01"), 0);
	assert_true(t == 1796083200000LL);
	assert_int_equal(gate_time_parse(&t, "2026-12-01T01:00:00+01:00"), 0);
	assert_true(t == 1796083200000LL);
	assert_int_equal(gate_time_parse(&t, "2026-11-30t19:00:00.5-05:00"), 0);
	assert_true(t == 1796083200500LL);
	assert_int_equal(gate_time_parse(&t, "2024-02-29T23:59:59Z"), 0);
	assert_int_equal(gate_time_parse(&t, "1969-12-31T23:59:59.999Z"), 0);
	assert_true(t == -1);

	assert_int_equal(gate_time_format(out, 1796083200000LL), 0);
	assert_string_equal(out, "2026-12-01T00:00:00Z");
	assert_int_equal(gate_time_format(out, 1796083200500LL), 0);
	assert_string_equal(out, "2026-12-01T00:00:00.500Z");
	assert_int_equal(gate_time_format(out, -1), 0);
	assert_string_equal(out, "1969-12-31T23:59:59.999Z");
}

static void test_time_rejects_malformed_times(void **state)
{
	static const char *bad[] = {
		"", "2026", "2026-13-01", "2026-02-30", "2025-02-29", "2026-12-01T", "2026-12-01T24:00:00Z",
		"2026-12-01T10:00:00", "2026-12-01T10:00Z", "2026-12-01T10:00:00+1:00", "next tuesday",
		"2026-12-01T10:00:00Zjunk", "2026-12-01T10:00:00.Z", "2026-12-01 ", "1e9",
	};
	int64_t t = 42;

	(void)state;
	for (size_t i = 0; i < GATE__ARRAY_SIZE(bad); i++) {
		assert_int_equal(gate_time_parse(&t, bad[i]), GATE_EINVALID);
		assert_non_null(strstr(gate_error_last()->message, "RFC 3339"));
	}
	assert_true(t == 42);
}

static void test_time_round_trips_over_the_range(void **state)
{
	(void)state;
	for (int64_t t = -62167219200000LL; t < 253402300799999LL; t += 86399999LL * 37) {
		char out[GATE_TIME_BUFSIZE];
		int64_t back;

		assert_int_equal(gate_time_format(out, t), 0);
		assert_int_equal(gate_time_parse(&back, out), 0);
		assert_true(back == t);
	}
}

static void test_doc_ids(void **state)
{
	static const char *good[] = { "privacy", "terms", "cookies", "a", "0", "privacy.uk", "terms_of-use" };
	static const char *bad[] = { "", "Privacy", "../x", "a/b", "-x", ".hidden", "_x", "a b", "é",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };

	(void)state;
	for (size_t i = 0; i < GATE__ARRAY_SIZE(good); i++)
		assert_int_equal(gate_doc_id_check(good[i]), 0);
	for (size_t i = 0; i < GATE__ARRAY_SIZE(bad); i++)
		assert_int_equal(gate_doc_id_check(bad[i]), GATE_EINVALID);
	assert_int_equal(gate_doc_id_check(NULL), GATE_EINVALID);
}

static void test_locales_are_checked_and_canonicalised(void **state)
{
	char out[GATE_LOCALE_MAX + 1];

	(void)state;
	assert_int_equal(gate__locale_canon(out, "en-gb"), 0);
	assert_string_equal(out, "en-GB");
	assert_int_equal(gate__locale_canon(out, "CY-gb"), 0);
	assert_string_equal(out, "cy-GB");
	assert_int_equal(gate__locale_canon(out, "zh-hant-tw"), 0);
	assert_string_equal(out, "zh-Hant-TW");
	assert_int_equal(gate__locale_canon(out, "es-419"), 0);
	assert_string_equal(out, "es-419");
	assert_int_equal(gate__locale_canon(out, "de"), 0);
	assert_string_equal(out, "de");
	assert_int_equal(gate__locale_canon(out, "en-x-pirate"), 0);
	assert_string_equal(out, "en-x-pirate");

	assert_int_equal(gate_locale_check("../x"), GATE_EINVALID);
	assert_int_equal(gate_locale_check("a/b"), GATE_EINVALID);
	assert_int_equal(gate_locale_check(""), GATE_EINVALID);
	assert_int_equal(gate_locale_check("e"), GATE_EINVALID);
	assert_int_equal(gate_locale_check("en--GB"), GATE_EINVALID);
	assert_int_equal(gate_locale_check("en-GB-"), GATE_EINVALID);
	assert_int_equal(gate_locale_check("en_GB"), GATE_EINVALID);
	assert_int_equal(gate_locale_check("abcdefghi"), GATE_EINVALID);
	assert_int_equal(gate_locale_check("en-GB.md"), GATE_EINVALID);
}

static void test_user_ids(void **state)
{
	char long_id[300];

	(void)state;
	assert_int_equal(gate_user_id_check("alice@example.com"), 0);
	assert_int_equal(gate_user_id_check("user 42 \xc3\xa9\xe2\x82\xac"), 0);
	assert_int_equal(gate_user_id_check(""), GATE_EINVALID);
	assert_int_equal(gate_user_id_check(NULL), GATE_EINVALID);
	assert_int_equal(gate_user_id_check("tab\there"), GATE_EINVALID);
	assert_non_null(strstr(gate_error_last()->message, "control character"));
	assert_int_equal(gate_user_id_check("c1\xc2\x85"), GATE_EINVALID);
	assert_int_equal(gate_user_id_check("bad\xff"), GATE_EINVALID);
	assert_non_null(strstr(gate_error_last()->message, "UTF-8"));
	memset(long_id, 'u', 256);
	long_id[256] = '\0';
	assert_int_equal(gate_user_id_check(long_id), 0);
	long_id[256] = 'u';
	long_id[257] = '\0';
	assert_int_equal(gate_user_id_check(long_id), GATE_EINVALID);
}

static void test_utf8_check_reports_offsets(void **state)
{
	(void)state;
	assert_int_equal(gate__utf8_check("caf\xc3\xa9", 5, "text"), 0);
	assert_int_equal(gate__utf8_check("ab\0c", 4, "privacy.md"), GATE_EINVALID);
	assert_string_equal(gate_error_last()->message, "privacy.md contains a NUL byte at offset 2");
	assert_int_equal(gate__utf8_check("ok\xc3", 3, "text"), GATE_EINVALID);
	assert_non_null(strstr(gate_error_last()->message, "offset 2"));
	assert_int_equal(gate__utf8_check("\xed\xa0\x80", 3, "text"), GATE_EINVALID); /* surrogate */
	assert_int_equal(gate__utf8_check("\xc0\xaf", 2, "text"), GATE_EINVALID);     /* overlong */
}

static void test_options_init_refuses_unknown_versions(void **state)
{
	gate_options opts;
	gate *g = (gate *)1;

	(void)state;
	assert_int_equal(gate_options_init(&opts, GATE_OPTIONS_VERSION), 0);
	assert_int_equal(opts.version, GATE_OPTIONS_VERSION);
	assert_null(opts.repo_path);
	assert_int_equal(gate_options_init(&opts, 99), GATE_EVERSION);
	opts.version = 99;
	assert_int_equal(gate_open(&g, &opts), GATE_EVERSION);
	assert_null(g);
	assert_non_null(strstr(gate_error_last()->message, "GATE_OPTIONS_INIT"));
}

static void test_size_parser(void **state)
{
	size_t n;

	(void)state;
	assert_int_equal(gate__parse_size(&n, "4M"), 0);
	assert_int_equal(n, 4 * 1024 * 1024);
	assert_int_equal(gate__parse_size(&n, "512k"), 0);
	assert_int_equal(n, 512 * 1024);
	assert_int_equal(gate__parse_size(&n, "100"), 0);
	assert_int_equal(n, 100);
	assert_int_equal(gate__parse_size(&n, "-1"), GATE_EINVALID);
	assert_int_equal(gate__parse_size(&n, "4MB"), GATE_EINVALID);
	assert_int_equal(gate__parse_size(&n, ""), GATE_EINVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_last_is_never_null_and_starts_clear),
		cmocka_unit_test(test_error_messages_are_one_line),
		cmocka_unit_test(test_errors_are_per_thread),
		cmocka_unit_test(test_strerror_and_names_cover_every_code),
		cmocka_unit_test(test_buf_grows_escapes_and_disposes),
		cmocka_unit_test(test_arena_and_strlist),
		cmocka_unit_test(test_time_parses_rfc3339_and_dates),
		cmocka_unit_test(test_time_rejects_malformed_times),
		cmocka_unit_test(test_time_round_trips_over_the_range),
		cmocka_unit_test(test_doc_ids),
		cmocka_unit_test(test_locales_are_checked_and_canonicalised),
		cmocka_unit_test(test_user_ids),
		cmocka_unit_test(test_utf8_check_reports_offsets),
		cmocka_unit_test(test_options_init_refuses_unknown_versions),
		cmocka_unit_test(test_size_parser),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
