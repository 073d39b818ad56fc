/* test_decision.c: every rule of the gate decision and every gate_decision field, on in-memory histories with a set clock. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decision.h"
#include "support_history.h"
#include "support_tmp.h"

#define DAY HDAY
#define T0 HT0
#define M GATE_CHANGE_MATERIAL
#define E GATE_CHANGE_EDITORIAL

/* A handle on a history given as (doc, change, effective day) triples, ending with NULL. */
static gate *history(int64_t *now, ...)
{
	memsrc *m = memsrc_new("en-GB");
	const char *doc;
	va_list ap;
	gate *g;
	int i = 0;

	va_start(ap, now);
	while ((doc = va_arg(ap, const char *)) != NULL) {
		gate_change change = (gate_change)va_arg(ap, int);
		int day = va_arg(ap, int);
		char text[64];

		snprintf(text, sizeof(text), "%s text %d\n", doc, i++);
		memsrc_add(m, doc, change, T0 + day * DAY, "en-GB", text, NULL);
	}
	va_end(ap);
	assert_int_equal(memsrc_open(&g, m, ":memory:", memclock, now), 0);
	return g;
}

static void accept_at(gate *g, int64_t *now, int64_t when, const char *user, const char *doc, unsigned n)
{
	gate_receipt r;
	int64_t keep = *now;

	*now = when;
	assert_int_equal(gate_accept(g, user, doc, n, NULL, "test", NULL, &r), 0);
	assert_int_equal(r.recorded, 1);
	*now = keep;
}

static void test_never_accepted_blocks_on_the_version_in_force(void **state)
{
	int64_t now = T0 + 20 * DAY;
	gate *g = history(&now, "privacy", M, 0, "privacy", E, 10, NULL);
	gate_decision d;

	(void)state;
	assert_int_equal(gate_check(g, "alice", "privacy", &d), GATE_BLOCK);
	assert_int_equal(d.outcome, GATE_BLOCK);
	assert_string_equal(d.doc, "privacy");
	assert_int_equal(d.accepted, 0);
	assert_true(d.accepted_at == GATE_TIME_UNSET);
	assert_int_equal(d.revoked, 0);
	assert_int_equal(d.required, 2);
	assert_int_equal(d.upcoming, 0);
	assert_int_equal(d.target, 2);
	assert_true(d.effective == T0 + 10 * DAY);
	assert_int_equal(d.material, 1);
	gate_free(g);
}

static void test_revoked_blocks_like_never_accepted(void **state)
{
	int64_t now = T0 + 20 * DAY;
	gate *g = history(&now, "privacy", M, 0, NULL);
	gate_decision d;
	gate_receipt r;

	(void)state;
	accept_at(g, &now, T0 + DAY, "alice", "privacy", 1);
	assert_int_equal(gate_check(g, "alice", "privacy", &d), GATE_ALLOW);
	assert_int_equal(gate_revoke(g, "alice", "privacy", NULL, NULL, &r), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(gate_check(g, "alice", "privacy", &d), GATE_BLOCK);
	assert_int_equal(d.revoked, 1);
	assert_int_equal(d.accepted, 0);
	assert_true(d.accepted_at == GATE_TIME_UNSET);
	assert_int_equal(d.target, 1);
	assert_int_equal(d.material, 1);
	/* Nothing left to withdraw. */
	assert_int_equal(gate_revoke(g, "alice", "privacy", NULL, NULL, &r), GATE_ENOTFOUND);
	assert_string_equal(gate_error_last()->message, "alice has no acceptance of privacy to withdraw");
	/* Accepting again, even the same version, lifts the block. */
	accept_at(g, &now, now, "alice", "privacy", 1);
	assert_int_equal(gate_check(g, "alice", "privacy", &d), GATE_ALLOW);
	assert_int_equal(d.revoked, 0);
	gate_free(g);
}

static void test_accepted_old_with_a_material_version_between_blocks(void **state)
{
	int64_t now = T0 + 30 * DAY;
	gate *g = history(&now, "privacy", M, 0, "privacy", M, 10, "privacy", E, 20, NULL);
	gate_decision d;

	(void)state;
	accept_at(g, &now, T0 + DAY, "alice", "privacy", 1);
	assert_int_equal(gate_check(g, "alice", "privacy", &d), GATE_BLOCK);
	assert_int_equal(d.accepted, 1);
	assert_true(d.accepted_at == T0 + DAY);
	assert_int_equal(d.required, 3);
	assert_int_equal(d.target, 3);
	assert_true(d.effective == T0 + 20 * DAY);
	assert_int_equal(d.material, 1);
	gate_free(g);
}

static void test_only_editorial_versions_between_notify(void **state)
{
	int64_t now = T0 + 30 * DAY;
	gate *g = history(&now, "privacy", M, 0, "privacy", E, 10, "privacy", E, 20, NULL);
	gate_decision d;

	(void)state;
	accept_at(g, &now, T0 + DAY, "alice", "privacy", 1);
	assert_int_equal(gate_check(g, "alice", "privacy", &d), GATE_NOTIFY);
	assert_int_equal(d.accepted, 1);
	assert_int_equal(d.required, 3);
	assert_int_equal(d.upcoming, 0);
	assert_int_equal(d.target, 3);
	assert_true(d.effective == T0 + 20 * DAY);
	assert_int_equal(d.material, 0);
	gate_free(g);
}

static void test_a_change_of_unknown_kind_counts_as_material(void **state)
{
	int64_t now = T0 + 30 * DAY;
	gate *g = history(&now, "privacy", M, 0, "privacy", GATE_CHANGE_UNKNOWN, 10, NULL);
	gate_decision d;

	(void)state;
	accept_at(g, &now, T0 + DAY, "alice", "privacy", 1);
	assert_int_equal(gate_check(g, "alice", "privacy", &d), GATE_BLOCK);
	assert_int_equal(d.material, 1);
	gate_free(g);
}

static void test_a_material_upcoming_version_notifies_with_its_date(void **state)
{
	int64_t now = T0 + 10 * DAY;
	gate *g = history(&now, "privacy", M, 0, "privacy", M, 30, NULL);
	gate_decision d;

	(void)state;
	accept_at(g, &now, T0 + DAY, "alice", "privacy", 1);
	assert_int_equal(gate_check(g, "alice", "privacy", &d), GATE_NOTIFY);
	assert_int_equal(d.accepted, 1);
	assert_int_equal(d.required, 1);
	assert_int_equal(d.upcoming, 2);
	assert_int_equal(d.target, 2);
	assert_true(d.effective == T0 + 30 * DAY);
	assert_int_equal(d.material, 1);
	/* When its day comes, the same user is blocked. */
	now = T0 + 30 * DAY;
	assert_int_equal(gate_check(g, "alice", "privacy", &d), GATE_BLOCK);
	assert_int_equal(d.required, 2);
	assert_int_equal(d.upcoming, 0);
	assert_int_equal(d.target, 2);
	gate_free(g);
}

static void test_an_editorial_upcoming_version_allows(void **state)
{
	int64_t now = T0 + 10 * DAY;
	gate *g = history(&now, "privacy", M, 0, "privacy", E, 30, NULL);
	gate_decision d;

	(void)state;
	accept_at(g, &now, T0 + DAY, "alice", "privacy", 1);
	assert_int_equal(gate_check(g, "alice", "privacy", &d), GATE_ALLOW);
	assert_int_equal(d.upcoming, 2);
	assert_int_equal(d.target, 0);
	assert_true(d.effective == GATE_TIME_UNSET);
	assert_int_equal(d.material, 0);
	gate_free(g);
}

static void test_accepting_the_upcoming_version_early_allows(void **state)
{
	int64_t now = T0 + 10 * DAY;
	gate *g = history(&now, "privacy", M, 0, "privacy", M, 30, NULL);
	gate_decision d;
	gate_receipt r;

	(void)state;
	accept_at(g, &now, T0 + DAY, "alice", "privacy", 1);
	/* N 0 accepts what the decision asks for: the upcoming version. */
	assert_int_equal(gate_accept(g, "alice", "privacy", 0, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(gate_check(g, "alice", "privacy", &d), GATE_ALLOW);
	assert_int_equal(d.accepted, 2);
	assert_int_equal(d.required, 1);
	assert_int_equal(d.upcoming, 2);
	assert_int_equal(d.target, 0);
	/* And stays allowed once it is in force. */
	now = T0 + 40 * DAY;
	assert_int_equal(gate_check(g, "alice", "privacy", &d), GATE_ALLOW);
	assert_int_equal(d.required, 2);
	gate_free(g);
}

static void test_several_upcoming_versions_target_the_newest(void **state)
{
	int64_t now = T0 + 10 * DAY;
	gate *g = history(&now, "privacy", M, 0, "privacy", E, 20, "privacy", M, 40, "privacy", E, 50, NULL);
	gate_decision d;

	(void)state;
	accept_at(g, &now, T0 + DAY, "alice", "privacy", 1);
	assert_int_equal(gate_check(g, "alice", "privacy", &d), GATE_NOTIFY);
	assert_int_equal(d.required, 1);
	assert_int_equal(d.upcoming, 4);
	assert_int_equal(d.target, 4);
	assert_true(d.effective == T0 + 50 * DAY);
	assert_int_equal(d.material, 1);
	/* Past the material one, only editorial ones remain: allow. */
	accept_at(g, &now, T0 + 2 * DAY, "alice", "privacy", 3);
	assert_int_equal(gate_check(g, "alice", "privacy", &d), GATE_ALLOW);
	assert_int_equal(d.upcoming, 4);
	gate_free(g);
}

static void test_editorial_behind_and_material_coming_targets_the_coming_version(void **state)
{
	int64_t now = T0 + 15 * DAY;
	gate *g = history(&now, "privacy", M, 0, "privacy", E, 10, "privacy", M, 30, NULL);
	gate_decision d;

	(void)state;
	accept_at(g, &now, T0 + DAY, "alice", "privacy", 1);
	assert_int_equal(gate_check(g, "alice", "privacy", &d), GATE_NOTIFY);
	assert_int_equal(d.required, 2);
	assert_int_equal(d.upcoming, 3);
	assert_int_equal(d.target, 3);
	assert_true(d.effective == T0 + 30 * DAY);
	assert_int_equal(d.material, 1);
	gate_free(g);
}

static void test_no_published_version_allows(void **state)
{
	int64_t now = T0;
	gate *g = history(&now, "privacy", M, 0, NULL);
	gate_decision d;

	(void)state;
	assert_int_equal(gate_check(g, "alice", "cookies", &d), GATE_ALLOW);
	assert_string_equal(d.doc, "cookies");
	assert_int_equal(d.accepted, 0);
	assert_int_equal(d.required, 0);
	assert_int_equal(d.upcoming, 0);
	assert_int_equal(d.target, 0);
	assert_int_equal(d.material, 0);
	assert_true(d.effective == GATE_TIME_UNSET && d.accepted_at == GATE_TIME_UNSET);
	gate_free(g);
}

static void test_nothing_in_force_yet_notifies_about_the_coming_version(void **state)
{
	int64_t now = T0;
	gate *g = history(&now, "privacy", M, 10, NULL);
	gate_decision d;
	gate_receipt r;

	(void)state;
	assert_int_equal(gate_check(g, "alice", "privacy", &d), GATE_NOTIFY);
	assert_int_equal(d.required, 0);
	assert_int_equal(d.upcoming, 1);
	assert_int_equal(d.target, 1);
	assert_true(d.effective == T0 + 10 * DAY);
	assert_int_equal(d.material, 1);
	assert_int_equal(gate_accept(g, "alice", "privacy", 0, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(gate_check(g, "alice", "privacy", &d), GATE_ALLOW);
	assert_int_equal(d.accepted, 1);
	assert_int_equal(d.required, 0);
	gate_free(g);
}

static void test_check_all_gives_the_strongest_outcome(void **state)
{
	int64_t now = T0 + 20 * DAY;
	gate *g = history(&now, "privacy", M, 0, "terms", M, 0, "terms", E, 10, "cookies", M, 0, NULL);
	const gate_decision *all;
	size_t count;

	(void)state;
	accept_at(g, &now, T0 + DAY, "alice", "privacy", 1);
	accept_at(g, &now, T0 + DAY, "alice", "terms", 1);
	assert_int_equal(gate_check_all(g, "alice", &all, &count), GATE_BLOCK);
	assert_int_equal(count, 3);
	assert_string_equal(all[0].doc, "cookies");
	assert_int_equal(all[0].outcome, GATE_BLOCK);
	assert_string_equal(all[1].doc, "privacy");
	assert_int_equal(all[1].outcome, GATE_ALLOW);
	assert_string_equal(all[2].doc, "terms");
	assert_int_equal(all[2].outcome, GATE_NOTIFY);
	accept_at(g, &now, T0 + 2 * DAY, "alice", "cookies", 1);
	assert_int_equal(gate_check_all(g, "alice", &all, &count), GATE_NOTIFY);
	accept_at(g, &now, T0 + 12 * DAY, "alice", "terms", 2);
	assert_int_equal(gate_check_all(g, "alice", &all, &count), GATE_ALLOW);
	for (size_t i = 0; i < count; i++)
		assert_int_equal(all[i].outcome, GATE_ALLOW);
	gate_free(g);
}

static void test_the_shared_script_on_a_memory_source(void **state)
{
	int64_t now = T0;
	memsrc *m = memsrc_new("en-GB");
	history_log *log = calloc(1, sizeof(*log));
	gate *g;

	(void)state;
	history_into_memsrc(m);
	assert_int_equal(memsrc_open(&g, m, ":memory:", memclock, &now), 0);
	history_run(g, &now, log);
	/* The text shown is recorded after fallback: v1 has cy-GB, cookies v2 does not. */
	assert_string_equal(log->receipts[0].locale, "cy-GB");
	for (size_t i = 0; i < log->receipt_count; i++)
		if (log->receipts[i].n == 2 && log->receipts[i].type == GATE_EVENT_ACCEPT &&
		    log->receipts[i].recorded && strcmp(log->receipts[i].locale, "en-GB") != 0)
			fail_msg("receipt %zu: cookies v2 has no cy-GB text, so en-GB was shown", i);
	free(log);
	gate_free(g);
}

static void test_errors_fail_closed(void **state)
{
	int64_t now = T0;
	gate *g = history(&now, "privacy", M, 0, NULL);
	const gate_decision *all;
	gate_decision d;
	size_t count;
	char *dir = tmpdir_make();

	(void)state;
	memset(&d, 0, sizeof(d));
	assert_int_equal(gate_check(g, "", "privacy", &d), GATE_EINVALID);
	assert_int_equal(d.outcome, GATE_BLOCK);
	assert_int_equal(gate_check(g, "alice\n", "privacy", &d), GATE_EINVALID);
	assert_int_equal(d.outcome, GATE_BLOCK);
	assert_int_equal(gate_check(g, "alice", "../etc", &d), GATE_EINVALID);
	assert_int_equal(d.outcome, GATE_BLOCK);
	assert_int_equal(gate_check(g, NULL, "privacy", &d), GATE_EINVALID);
	assert_int_equal(gate_check(g, "alice", "privacy", NULL), GATE_EINVALID);
	assert_true(gate_check_all(g, "", &all, &count) < 0);
	gate_free(g);

	/* A database that cannot be read: an error, and BLOCK in the decision. */
	{
		memsrc *m = memsrc_new(NULL);
		const char *bad = tmp_path(dir, "bad.db");

		tmp_write(bad, "this is not a database, just text long enough to be read as a header....", 72);
		memsrc_add(m, "privacy", M, T0, "en-GB", "x", NULL);
		assert_int_equal(memsrc_open(&g, m, bad, memclock, &now), 0);
		assert_int_equal(gate_check(g, "alice", "privacy", &d), GATE_ECORRUPT);
		assert_int_equal(d.outcome, GATE_BLOCK);
		assert_non_null(strstr(gate_error_last()->message, bad));
		gate_free(g);
	}
	tmpdir_remove(dir);
}

static void test_a_check_writes_nothing(void **state)
{
	int64_t now = T0;
	gate *g = history(&now, "privacy", M, 0, NULL);
	gate_store *store;
	gate_decision d;
	int64_t events, users;

	(void)state;
	assert_int_equal(gate_check(g, "stranger", "privacy", &d), GATE_BLOCK);
	assert_int_equal(gate__store(g, &store), 0);
	assert_int_equal(store->ops->counts(store, &events, &users), 0);
	assert_int_equal(events, 0);
	assert_int_equal(users, 0);
	gate_free(g);
}

/* gate__decide() is the pure function the report code calls per row. */
static void test_decide_is_a_pure_function_of_versions_state_and_time(void **state)
{
	gate_version_info vs[3];
	gate__catalog_doc d;
	gate__state st;
	gate_decision out;

	(void)state;
	memset(vs, 0, sizeof(vs));
	for (unsigned i = 0; i < 3; i++) {
		vs[i].n = i + 1;
		vs[i].change = i == 1 ? E : M;
		vs[i].effective = T0 + (int64_t)i * 10 * DAY;
	}
	memset(&d, 0, sizeof(d));
	d.id = "privacy";
	d.loaded = true;
	d.versions = vs;
	d.count = 3;
	memset(&st, 0, sizeof(st));
	strcpy(st.doc, "privacy");
	st.n = 2;
	st.at = T0 + 11 * DAY;
	st.seq = 7;

	gate__decide(&d, &st, T0 + 15 * DAY, &out);
	assert_int_equal(out.outcome, GATE_NOTIFY);
	assert_int_equal(out.target, 3);
	assert_true(out.accepted_at == T0 + 11 * DAY);
	gate__decide(&d, &st, T0 + 25 * DAY, &out);
	assert_int_equal(out.outcome, GATE_BLOCK);
	/* A state newer than the versions known (an old pack): treated as the newest. */
	st.n = 9;
	gate__decide(&d, &st, T0 + 25 * DAY, &out);
	assert_int_equal(out.outcome, GATE_ALLOW);
	assert_int_equal(out.accepted, 9);
	/* No versions at all. */
	d.count = 0;
	gate__decide(&d, NULL, T0, &out);
	assert_int_equal(out.outcome, GATE_ALLOW);
	assert_int_equal(out.required, 0);
	assert_string_equal(gate_outcome_name(GATE_ALLOW), "allow");
	assert_string_equal(gate_outcome_name(GATE_NOTIFY), "notify");
	assert_string_equal(gate_outcome_name(GATE_BLOCK), "block");
	assert_string_equal(gate_outcome_name(7), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_never_accepted_blocks_on_the_version_in_force),
		cmocka_unit_test(test_revoked_blocks_like_never_accepted),
		cmocka_unit_test(test_accepted_old_with_a_material_version_between_blocks),
		cmocka_unit_test(test_only_editorial_versions_between_notify),
		cmocka_unit_test(test_a_change_of_unknown_kind_counts_as_material),
		cmocka_unit_test(test_a_material_upcoming_version_notifies_with_its_date),
		cmocka_unit_test(test_an_editorial_upcoming_version_allows),
		cmocka_unit_test(test_accepting_the_upcoming_version_early_allows),
		cmocka_unit_test(test_several_upcoming_versions_target_the_newest),
		cmocka_unit_test(test_editorial_behind_and_material_coming_targets_the_coming_version),
		cmocka_unit_test(test_no_published_version_allows),
		cmocka_unit_test(test_nothing_in_force_yet_notifies_about_the_coming_version),
		cmocka_unit_test(test_check_all_gives_the_strongest_outcome),
		cmocka_unit_test(test_the_shared_script_on_a_memory_source),
		cmocka_unit_test(test_errors_fail_closed),
		cmocka_unit_test(test_a_check_writes_nothing),
		cmocka_unit_test(test_decide_is_a_pure_function_of_versions_state_and_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
