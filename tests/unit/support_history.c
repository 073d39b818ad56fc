/* support_history.c: the shared decision history and script (support_history.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "support_history.h"

#define M GATE_CHANGE_MATERIAL
#define E GATE_CHANGE_EDITORIAL

const history_version history_versions[] = {
	{ "privacy", M, HT0, "We collect your name and email address.\n", "Rydym yn casglu eich enw.\n" },
	{ "privacy", E, HT0 + 10 * HDAY, "We collect your name and email address. \n", NULL },
	{ "privacy", M, HT0 + 20 * HDAY, "We collect your name, email address and location.\n", NULL },
	{ "privacy", E, HT0 + 30 * HDAY, "We collect your name, email address, and location.\n", NULL },
	{ "privacy", M, HT0 + 60 * HDAY, "We collect your name, email address and location, and share it with Acme.\n", NULL },
	{ "privacy", E, HT0 + 70 * HDAY, "We collect your name, email address and location; and share it with Acme.\n", NULL },
	{ "terms", M, HT0, "Be kind.\n", NULL },
	{ "terms", E, HT0 + 10 * HDAY, "Be kind!\n", NULL },
	{ "terms", E, HT0 + 50 * HDAY, "Be  kind!\n", NULL },
	{ "cookies", M, HT0 + 45 * HDAY, "We use one cookie.\n", "Rydym yn defnyddio un cwci.\n" },
	{ "cookies", M, HT0 + 55 * HDAY, "We use two cookies.\n", NULL },
};
const size_t history_version_count = GATE__ARRAY_SIZE(history_versions);

void history_into_memsrc(memsrc *m)
{
	for (size_t i = 0; i < history_version_count; i++) {
		const history_version *v = &history_versions[i];

		if (v->cy)
			memsrc_add(m, v->doc, v->change, v->effective, "en-GB", v->en, "cy-GB", v->cy, NULL);
		else
			memsrc_add(m, v->doc, v->change, v->effective, "en-GB", v->en, NULL);
	}
}

#define U GATE_TIME_UNSET
#define ALLOW GATE_ALLOW
#define NOTIFY GATE_NOTIFY
#define BLOCK GATE_BLOCK

/* One step. For 'c' (check) every field below `locale` is expected; for 'a'
 * (accept) `accepted` is the version that must be recorded and `outcome` 1
 * for a new event, 0 for "already so"; for 'A' (check all) only `outcome`. */
typedef struct {
	int64_t at;
	char op;
	const char *user, *doc;
	unsigned n;
	const char *locale;
	int outcome;
	unsigned accepted, required, upcoming, target;
	int material, revoked;
	int64_t effective;
} step;

static const step script[] = {
	/* Day 40: privacy v4 in force (v5 material and v6 editorial coming), terms v2 (v3 editorial
	 * coming), cookies nothing in force yet (v1 and v2 coming, both material). */
	{ HT0 + 40 * HDAY, 'c', "alice", "privacy", 0, NULL, BLOCK, 0, 4, 6, 4, 1, 0, HT0 + 30 * HDAY },
	{ HT0 + 40 * HDAY, 'c', "alice", "cookies", 0, NULL, NOTIFY, 0, 0, 2, 2, 1, 0, HT0 + 55 * HDAY },
	{ HT0 + 40 * HDAY, 'c', "alice", "terms", 0, NULL, BLOCK, 0, 2, 3, 2, 1, 0, HT0 + 10 * HDAY },
	{ HT0 + 40 * HDAY, 'c', "alice", "ghost", 0, NULL, ALLOW, 0, 0, 0, 0, 0, 0, U },
	{ HT0 + 40 * HDAY, 'A', "alice", NULL, 0, NULL, BLOCK, 0, 0, 0, 0, 0, 0, U },
	/* An old version may be accepted; the material v3 after it still blocks. */
	{ HT0 + 40 * HDAY, 'a', "alice", "privacy", 1, "cy-GB", 1, 1, 0, 0, 0, 0, 0, U },
	{ HT0 + 40 * HDAY, 'c', "alice", "privacy", 0, NULL, BLOCK, 1, 4, 6, 4, 1, 0, HT0 + 30 * HDAY },
	/* Only editorial v4 behind, but material v5 coming: notify about the newest coming version. */
	{ HT0 + 40 * HDAY, 'a', "alice", "privacy", 3, NULL, 1, 3, 0, 0, 0, 0, 0, U },
	{ HT0 + 40 * HDAY, 'c', "alice", "privacy", 0, NULL, NOTIFY, 3, 4, 6, 6, 1, 0, HT0 + 70 * HDAY },
	/* N 0 takes what the decision asks for: v4 for a user who never accepted. */
	{ HT0 + 40 * HDAY, 'a', "bob", "privacy", 0, "en-GB", 1, 4, 0, 0, 0, 0, 0, U },
	{ HT0 + 40 * HDAY, 'c', "bob", "privacy", 0, NULL, NOTIFY, 4, 4, 6, 6, 1, 0, HT0 + 70 * HDAY },
	{ HT0 + 40 * HDAY, 'a', "bob", "privacy", 4, NULL, 0, 4, 0, 0, 0, 0, 0, U },
	/* Accepting the material upcoming version early: only an editorial one is left to come. */
	{ HT0 + 40 * HDAY, 'a', "bob", "privacy", 5, NULL, 1, 5, 0, 0, 0, 0, 0, U },
	{ HT0 + 40 * HDAY, 'c', "bob", "privacy", 0, NULL, ALLOW, 5, 4, 6, 0, 0, 0, U },
	/* All editorial behind, nothing material coming: notify about the version in force. */
	{ HT0 + 40 * HDAY, 'a', "carol", "terms", 1, NULL, 1, 1, 0, 0, 0, 0, 0, U },
	{ HT0 + 40 * HDAY, 'c', "carol", "terms", 0, NULL, NOTIFY, 1, 2, 3, 2, 0, 0, HT0 + 10 * HDAY },
	{ HT0 + 40 * HDAY, 'a', "carol", "terms", 0, NULL, 1, 2, 0, 0, 0, 0, 0, U },
	{ HT0 + 40 * HDAY, 'c', "carol", "terms", 0, NULL, ALLOW, 2, 2, 3, 0, 0, 0, U },
	/* Revoked: blocked on the version in force, as if never accepted. */
	{ HT0 + 40 * HDAY, 'r', "bob", "privacy", 0, NULL, 1, 5, 0, 0, 0, 0, 0, U },
	{ HT0 + 40 * HDAY, 'c', "bob", "privacy", 0, NULL, BLOCK, 0, 4, 6, 4, 1, 1, HT0 + 30 * HDAY },
	/* Nothing in force: accepting takes the newest coming version, early. */
	{ HT0 + 40 * HDAY, 'a', "carol", "cookies", 0, "cy-GB", 1, 2, 0, 0, 0, 0, 0, U },
	{ HT0 + 40 * HDAY, 'c', "carol", "cookies", 0, NULL, ALLOW, 2, 0, 2, 0, 0, 0, U },
	{ HT0 + 40 * HDAY, 'A', "carol", NULL, 0, NULL, BLOCK, 0, 0, 0, 0, 0, 0, U },
	/* Day 65: privacy v5 (material) in force, v6 coming; terms v3 (editorial) in force. */
	{ HT0 + 65 * HDAY, 'c', "alice", "privacy", 0, NULL, BLOCK, 3, 5, 6, 5, 1, 0, HT0 + 60 * HDAY },
	{ HT0 + 65 * HDAY, 'c', "bob", "privacy", 0, NULL, BLOCK, 0, 5, 6, 5, 1, 1, HT0 + 60 * HDAY },
	{ HT0 + 65 * HDAY, 'c', "carol", "terms", 0, NULL, NOTIFY, 2, 3, 0, 3, 0, 0, HT0 + 50 * HDAY },
	{ HT0 + 65 * HDAY, 'c', "carol", "cookies", 0, NULL, ALLOW, 2, 2, 0, 0, 0, 0, U },
	/* Day 80: everything in force. */
	{ HT0 + 80 * HDAY, 'c', "alice", "privacy", 0, NULL, BLOCK, 3, 6, 0, 6, 1, 0, HT0 + 70 * HDAY },
	{ HT0 + 80 * HDAY, 'a', "bob", "privacy", 0, "cy-GB", 1, 6, 0, 0, 0, 0, 0, U },
	{ HT0 + 80 * HDAY, 'c', "bob", "privacy", 0, NULL, ALLOW, 6, 6, 0, 0, 0, 0, U },
	{ HT0 + 80 * HDAY, 'a', "alice", "privacy", 5, NULL, 1, 5, 0, 0, 0, 0, 0, U },
	{ HT0 + 80 * HDAY, 'c', "alice", "privacy", 0, NULL, NOTIFY, 5, 6, 0, 6, 0, 0, HT0 + 70 * HDAY },
	{ HT0 + 80 * HDAY, 'A', "alice", NULL, 0, NULL, BLOCK, 0, 0, 0, 0, 0, 0, U },
};

gate *support_open(const char *repo, const char *pack, const char *db, int64_t *now)
{
	gate_options o = GATE_OPTIONS_INIT;
	gate *g;

	o.repo_path = repo;
	o.pack_path = pack;
	o.db_path = db;
	o.clock = memclock;
	o.clock_payload = now;
	assert_int_equal(gate_open(&g, &o), 0);
	return g;
}

void assert_same_decision(const gate_decision *a, const gate_decision *b)
{
	assert_string_equal(a->doc, b->doc);
	assert_int_equal(a->outcome, b->outcome);
	assert_int_equal(a->accepted, b->accepted);
	assert_true(a->accepted_at == b->accepted_at);
	assert_int_equal(a->revoked, b->revoked);
	assert_int_equal(a->required, b->required);
	assert_int_equal(a->upcoming, b->upcoming);
	assert_int_equal(a->target, b->target);
	assert_true(a->effective == b->effective);
	assert_int_equal(a->material, b->material);
}

static void expect(const step *s, size_t i, const gate_decision *d)
{
	char where[128];

	snprintf(where, sizeof(where), "script step %zu (%s %s)", i, s->user, s->doc);
	if (d->outcome != s->outcome || d->accepted != s->accepted || d->required != s->required ||
	    d->upcoming != s->upcoming || d->target != s->target || d->material != s->material ||
	    d->revoked != s->revoked || d->effective != s->effective)
		print_error("%s: got %s accepted %u required %u upcoming %u target %u material %d revoked %d\n",
			where, gate_outcome_name(d->outcome), d->accepted, d->required, d->upcoming, d->target,
			d->material, d->revoked);
	assert_string_equal(d->doc, s->doc);
	assert_int_equal(d->outcome, s->outcome);
	assert_int_equal(d->accepted, s->accepted);
	assert_int_equal(d->required, s->required);
	assert_int_equal(d->upcoming, s->upcoming);
	assert_int_equal(d->target, s->target);
	assert_int_equal(d->material, s->material);
	assert_int_equal(d->revoked, s->revoked);
	assert_true(d->effective == s->effective);
	/* accepted_at is the time of the accepting event, else unset. */
	if (!d->accepted)
		assert_true(d->accepted_at == GATE_TIME_UNSET);
	else
		assert_true(d->accepted_at != GATE_TIME_UNSET && d->accepted_at <= s->at);
}

void history_run(gate *g, int64_t *now, history_log *log)
{
	memset(log, 0, sizeof(*log));
	for (size_t i = 0; i < GATE__ARRAY_SIZE(script); i++) {
		const step *s = &script[i];
		gate_decision d;
		gate_receipt r;

		*now = s->at;
		switch (s->op) {
		case 'c':
			assert_int_equal(gate_check(g, s->user, s->doc, &d), s->outcome);
			expect(s, i, &d);
			log->decisions[log->decision_count++] = d;
			break;
		case 'A': {
			const gate_decision *all;
			size_t count;

			assert_int_equal(gate_check_all(g, s->user, &all, &count), s->outcome);
			assert_int_equal(count, 3);
			assert_string_equal(all[0].doc, "cookies");
			assert_string_equal(all[1].doc, "privacy");
			assert_string_equal(all[2].doc, "terms");
			for (size_t k = 0; k < count; k++) {
				gate_decision one;

				/* Each entry is exactly what gate_check() says for that document. */
				assert_int_equal(gate_check(g, s->user, all[k].doc, &one), all[k].outcome);
				assert_same_decision(&one, &all[k]);
				assert_true(all[k].outcome <= s->outcome);
				log->decisions[log->decision_count++] = all[k];
			}
			break;
		}
		case 'a':
			assert_int_equal(gate_accept(g, s->user, s->doc, s->n, s->locale, "test", "support 1", &r), 0);
			assert_int_equal(r.recorded, s->outcome);
			assert_int_equal(r.n, s->accepted);
			assert_int_equal(r.type, GATE_EVENT_ACCEPT);
			log->receipts[log->receipt_count++] = r;
			break;
		case 'r':
			assert_int_equal(gate_revoke(g, s->user, s->doc, "test", NULL, &r), 0);
			assert_int_equal(r.recorded, 1);
			assert_int_equal(r.n, s->accepted);
			assert_int_equal(r.type, GATE_EVENT_REVOKE);
			log->receipts[log->receipt_count++] = r;
			break;
		}
	}
}
