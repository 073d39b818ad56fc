/* verify.c: proving the acceptance log intact: the hash chain, the versions it names, the checkpoints
 * it must pass through, and the derived state it must reproduce. */
#include "checkpoint.h"
#include "handle.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	gate_catalog *cat;
	gate__chain chain;
	const gate__checkpoint *cps;
	size_t cp_count, cp_next;
	int64_t events;
	int64_t bad_seq;         /* the first event found bad */
} verify_ctx;

/* The version an event names must exist, with the recorded commit and (for
 * an accept) the recorded locale's blob. */
static int check_version(verify_ctx *x, const gate__event *ev, const char *what)
{
	gate__catalog_doc *d;
	const gate_version_info *v;
	const gate_locale_text *t = NULL;
	int error;

	if (ev->type != GATE_EVENT_ACCEPT && ev->type != GATE_EVENT_REVOKE)
		return gate__error_set(GATE_ECORRUPT, "event %lld has an unknown type %d: the log was altered",
			(long long)ev->seq, ev->type);
	if ((error = gate__catalog_doc_get(x->cat, ev->doc, &d)) < 0) {
		if (error != GATE_ENOTFOUND && error != GATE_EINVALID)
			return error;
		return gate__error_set(GATE_ECORRUPT,
			"event %lld (%s) names document '%s', which the policy repository does not have",
			(long long)ev->seq, what, ev->doc);
	}
	if (ev->n == 0 || ev->n > d->count)
		return gate__error_set(GATE_ECORRUPT,
			"event %lld (%s) names %s v%u, which does not exist in the policy repository (latest is v%zu)",
			(long long)ev->seq, what, ev->doc, ev->n, d->count);
	v = &d->versions[ev->n - 1];
	if (strcmp(v->commit_oid, ev->commit_oid) != 0)
		return gate__error_set(GATE_ECORRUPT,
			"event %lld (%s) records commit %.12s, but %s v%u is commit %.12s in the policy repository",
			(long long)ev->seq, what, ev->commit_oid, ev->doc, ev->n, v->commit_oid);
	if (ev->type == GATE_EVENT_REVOKE)
		return 0;
	for (size_t i = 0; i < v->locale_count; i++)
		if (strcmp(v->locales[i].locale, ev->locale) == 0)
			t = &v->locales[i];
	if (!t)
		return gate__error_set(GATE_ECORRUPT,
			"event %lld (%s) records locale '%s', which %s v%u has no text in",
			(long long)ev->seq, what, ev->locale, ev->doc, ev->n);
	if (strcmp(t->blob_oid, ev->blob_oid) != 0)
		return gate__error_set(GATE_ECORRUPT,
			"event %lld (%s) records text %.12s, but %s v%u (%s) is %.12s in the policy repository",
			(long long)ev->seq, what, ev->blob_oid, ev->doc, ev->n, ev->locale, t->blob_oid);
	return 0;
}

static int check_event(const gate__event *ev, void *payload)
{
	verify_ctx *x = payload;
	char what[GATE_DOC_MAX + 64];
	int error;

	x->bad_seq = ev->seq;
	if ((error = gate__chain_next(&x->chain, ev)) < 0)
		return error;
	gate__event_describe(ev, what, sizeof(what));
	if ((error = check_version(x, ev, what)) < 0)
		return error;
	while (x->cp_next < x->cp_count && x->cps[x->cp_next].seq == ev->seq) {
		const gate__checkpoint *cp = &x->cps[x->cp_next++];
		char when[GATE_TIME_BUFSIZE];

		if (sodium_memcmp(cp->hash, ev->hash, GATE__HASH_BYTES) != 0) {
			gate_time_format(when, cp->at);
			return gate__error_set(GATE_ECORRUPT,
				"event %lld (%s) does not match checkpoint %.7s written %s: the log was rewritten",
				(long long)ev->seq, what, cp->commit_oid, when);
		}
	}
	x->events++;
	x->bad_seq = 0;
	return 0;
}

/* --- the derived state -------------------------------------------------------------------- */

typedef struct {
	gate__state *states;
	size_t count, alloc;
} state_list;

/* Keeps the last event per document: what the state table must say. */
static int replay_state(const gate__event *ev, void *payload)
{
	state_list *l = payload;
	gate__state *t = NULL;

	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->states[i].doc, ev->doc) == 0)
			t = &l->states[i];
	if (!t) {
		if (gate__array_reserve(&l->states, &l->alloc, l->count, sizeof(*l->states)) < 0)
			return GATE_ENOMEM;
		t = &l->states[l->count++];
		memset(t, 0, sizeof(*t));
		snprintf(t->doc, sizeof(t->doc), "%s", ev->doc);
	}
	t->n = ev->n;
	t->revoked = ev->type == GATE_EVENT_REVOKE;
	t->at = ev->at;
	t->seq = ev->seq;
	return 0;
}

static void state_words(const gate__state *s, char *out, size_t size)
{
	if (!s)
		snprintf(out, size, "nothing");
	else
		snprintf(out, size, "v%u %s (event %lld)", s->n, s->revoked ? "revoked" : "accepted", (long long)s->seq);
}

typedef struct {
	gate_store *store;
	state_list expected;
	int64_t seen;            /* state rows seen */
	int64_t bad_seq;
} users_ctx;

static int state_mismatch(users_ctx *u, const char *user, const char *doc,
	const gate__state *table, const gate__state *log)
{
	char a[64], b[64];

	state_words(table, a, sizeof(a));
	state_words(log, b, sizeof(b));
	/* The later of the two events: a state ahead of the log names an event that is gone. */
	u->bad_seq = log && (!table || log->seq > table->seq) ? log->seq : table->seq;
	return gate__error_set(GATE_ECORRUPT,
		"the derived state of '%s' for %s says %s, but the log says %s: the state table was altered",
		user, doc, a, b);
}

static int check_user(const gate__user_row *row, void *payload)
{
	users_ctx *u = payload;
	unsigned char salt[GATE__SALT_BYTES], commitment[GATE__HASH_BYTES], recomputed[GATE__HASH_BYTES];
	int error;

	if ((error = u->store->ops->subject(u->store, row->user, salt, commitment, NULL)) < 0)
		return error;
	gate__subject_commit(salt, row->user, recomputed);
	if (sodium_memcmp(recomputed, commitment, GATE__HASH_BYTES) != 0)
		return gate__error_set(GATE_ECORRUPT,
			"the commitment of user '%s' does not match their salt and id: the subjects table was altered",
			row->user);
	u->expected.count = 0;
	if ((error = u->store->ops->replay(u->store, 0, commitment, replay_state, &u->expected)) < 0)
		return error;
	for (size_t i = 0; i < row->state_count; i++) {
		const gate__state *t = &row->states[i], *e = NULL;

		for (size_t k = 0; k < u->expected.count; k++)
			if (strcmp(u->expected.states[k].doc, t->doc) == 0)
				e = &u->expected.states[k];
		if (!e || e->n != t->n || e->revoked != t->revoked || e->at != t->at || e->seq != t->seq)
			return state_mismatch(u, row->user, t->doc, t, e);
	}
	for (size_t k = 0; k < u->expected.count; k++) {
		bool found = false;

		for (size_t i = 0; i < row->state_count; i++)
			if (strcmp(u->expected.states[k].doc, row->states[i].doc) == 0)
				found = true;
		if (!found)
			return state_mismatch(u, row->user, u->expected.states[k].doc, NULL, &u->expected.states[k]);
	}
	u->seen += (int64_t)row->state_count;
	return 0;
}

static int check_states(gate_store *store, int64_t *bad_seq)
{
	users_ctx u;
	int64_t rows;
	int error;

	memset(&u, 0, sizeof(u));
	u.store = store;
	error = store->ops->each_user(store, NULL, check_user, &u);
	free(u.expected.states);
	*bad_seq = u.bad_seq;
	if (error < 0)
		return error;
	if ((error = store->ops->state_count(store, &rows)) < 0)
		return error;
	if (rows != u.seen)
		return gate__error_set(GATE_ECORRUPT,
			"the state table holds %lld row%s of no known user: it was altered",
			(long long)(rows - u.seen), rows - u.seen == 1 ? "" : "s");
	return 0;
}

int gate_verify(gate *g, gate_verify_result *out)
{
	gate_verify_result res;
	gate__checkpoint *cps = NULL;
	gate_store *store;
	verify_ctx x;
	size_t cp_count = 0;
	int error;

	memset(&res, 0, sizeof(res));
	if (out)
		*out = res;
	if (!g)
		return gate__error_set(GATE_EINVALID, "gate_verify: NULL handle");
	memset(&x, 0, sizeof(x));
	if ((error = gate__store(g, &store)) < 0 || (error = gate__catalog(g, &x.cat)) < 0)
		return error;
	/* A pack carries no checkpoints: on one, none are checked. */
	if ((error = gate__checkpoints_read(g, &cps, &cp_count)) == GATE_ENOTSUPPORTED) {
		gate_error_clear();
		error = 0;
	}
	if (error < 0)
		return error;
	x.cps = cps;
	x.cp_count = cp_count;

	if ((error = store->ops->counts(store, NULL, &res.users)) < 0)
		goto done;
	error = store->ops->replay(store, 1, NULL, check_event, &x);
	res.events = x.events;
	res.checkpoints = (int64_t)x.cp_next;
	if (x.chain.seq)
		gate__hex(res.head_hash, x.chain.hash, GATE__HASH_BYTES);
	if (error < 0) {
		res.first_bad_seq = x.bad_seq ? x.bad_seq : x.chain.seq + 1;
		goto done;
	}
	if (x.cp_next < cp_count) {
		const gate__checkpoint *cp = &cps[x.cp_next];

		res.first_bad_seq = x.chain.seq + 1;
		error = gate__error_set(GATE_ECORRUPT, "checkpoint at event %lld but the log ends at %lld: events were deleted",
			(long long)cp->seq, (long long)x.chain.seq);
		goto done;
	}
	if ((error = check_states(store, &res.first_bad_seq)) < 0) {
		if (!res.first_bad_seq)
			res.first_bad_seq = x.chain.seq + 1;
		goto done;
	}
done:
	free(cps);
	if (out)
		*out = res;
	return error < 0 ? error : 0;
}
