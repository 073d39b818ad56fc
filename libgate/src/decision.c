/* decision.c: where the gate decision is made: ALLOW, NOTIFY or BLOCK for a user and a document. */
#include "decision.h"
#include "handle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *gate_outcome_name(int outcome)
{
	switch (outcome) {
	case GATE_ALLOW: return "allow";
	case GATE_NOTIFY: return "notify";
	case GATE_BLOCK: return "block";
	default: return "unknown";
	}
}

/* Whether any version in (from, to] is material. A version whose change
 * is unknown counts as material: missing a material change is the worst
 * failure the gate can have. */
static bool any_material(const gate__catalog_doc *d, unsigned from, unsigned to)
{
	for (unsigned n = from + 1; n <= to && n <= d->count; n++)
		if (d->versions[n - 1].change != GATE_CHANGE_EDITORIAL)
			return true;
	return false;
}

void gate__decide(const gate__catalog_doc *d, const gate__state *state, int64_t at, gate_decision *out)
{
	const gate_version_info *in_force = gate__catalog_in_force(d, at);
	unsigned newest = (unsigned)d->count, accepted = 0, seen, target = 0;
	int outcome = GATE_ALLOW;

	memset(out, 0, sizeof(*out));
	/* ids are checked to GATE_DOC_MAX bytes; this runs once per report row */
	memcpy(out->doc, d->id, strnlen(d->id, GATE_DOC_MAX));
	out->accepted_at = GATE_TIME_UNSET;
	out->effective = GATE_TIME_UNSET;
	if (state && !state->revoked) {
		accepted = state->n;
		out->accepted_at = state->at;
	}
	out->revoked = state && state->revoked;
	out->accepted = accepted;
	out->required = in_force ? in_force->n : 0;
	out->upcoming = newest && d->versions[newest - 1].effective > at ? newest : 0;

	/* A version the catalog does not know (the repository or pack is older
	 * than the database) counts as the newest known. */
	seen = accepted > newest ? newest : accepted;
	if (out->required && seen < out->required) {
		/* Behind the version in force. */
		target = out->required;
		outcome = seen == 0 || any_material(d, seen, out->required) ? GATE_BLOCK : GATE_NOTIFY;
		/* Only editorial changes behind, but a material one coming: show that one. */
		if (outcome == GATE_NOTIFY && out->upcoming &&
		    any_material(d, out->required, out->upcoming))
			target = out->upcoming;
	} else if (out->upcoming && seen < out->upcoming) {
		/* Up to date with the version in force (or none is in force yet):
		 * only a material upcoming version is worth a word. */
		unsigned from = seen > out->required ? seen : out->required;

		if (any_material(d, from, out->upcoming)) {
			target = out->upcoming;
			outcome = GATE_NOTIFY;
		}
	}
	out->outcome = outcome;
	out->target = target;
	if (target) {
		out->effective = d->versions[target - 1].effective;
		out->material = any_material(d, seen, target);
	}
}

/* The decision for a document the catalog does not list (nothing
 * published): ALLOW, as gate.h says. */
static gate__catalog_doc *nothing_published(gate__catalog_doc *tmp, const char *doc)
{
	memset(tmp, 0, sizeof(*tmp));
	tmp->id = (char *)doc;
	tmp->loaded = true;
	return tmp;
}

static int id_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The document's versions, or an empty document when none is published. */
static int doc_for(gate *g, const char *doc, gate__catalog_doc *tmp, gate__catalog_doc **out)
{
	const char *const *ids;
	gate_catalog *cat;
	size_t count;
	int error;

	if ((error = gate_doc_id_check(doc)) < 0 || (error = gate_docs(g, &ids, &count)) < 0)
		return error;
	/* Decide "nothing published" from the list of documents only, so that
	 * a document whose versions fail to load is an error, never an ALLOW. */
	if (!count || !bsearch(&doc, ids, count, sizeof(*ids), id_cmp)) {
		*out = nothing_published(tmp, doc);
		return 0;
	}
	if ((error = gate__catalog(g, &cat)) < 0)
		return error;
	return gate__catalog_doc_get(cat, doc, out);
}

static void fail_closed(gate_decision *out, const char *doc)
{
	memset(out, 0, sizeof(*out));
	out->outcome = GATE_BLOCK;
	out->accepted_at = GATE_TIME_UNSET;
	out->effective = GATE_TIME_UNSET;
	if (doc)
		snprintf(out->doc, sizeof(out->doc), "%s", doc);
}

static int decide_one(gate_store *store, const char *user, gate__catalog_doc *d,
	int64_t at, gate_decision *out)
{
	gate__state state;
	bool found = false;
	int error;

	if (d->count && (error = store->ops->latest(store, user, d->id, &state, &found)) < 0)
		return error;
	gate__decide(d, found ? &state : NULL, at, out);
	return out->outcome;
}

int gate_check(gate *g, const char *user, const char *doc, gate_decision *out)
{
	gate__catalog_doc tmp, *d;
	gate_store *store;
	int error;

	if (!out)
		return gate__error_set(GATE_EINVALID, "gate_check: NULL decision");
	fail_closed(out, doc);
	if (!g || !user || !doc)
		return gate__error_set(GATE_EINVALID, "gate_check: NULL argument");
	if ((error = gate_user_id_check(user)) < 0 ||
	    (error = doc_for(g, doc, &tmp, &d)) < 0 ||
	    (error = gate__store(g, &store)) < 0 ||
	    (error = decide_one(store, user, d, gate_now(g), out)) < 0) {
		fail_closed(out, doc);
		return error;
	}
	return out->outcome;
}

int gate_check_all(gate *g, const char *user, const gate_decision **out, size_t *count)
{
	const char *const *ids;
	gate_catalog *cat;
	gate_store *store;
	size_t n;
	int64_t at;
	int error, strongest = GATE_ALLOW;

	if (out)
		*out = NULL;
	if (count)
		*count = 0;
	if (!g || !user || !out || !count)
		return gate__error_set(GATE_EINVALID, "gate_check_all: NULL argument");
	if ((error = gate_user_id_check(user)) < 0 || (error = gate_docs(g, &ids, &n)) < 0 ||
	    (error = gate__catalog(g, &cat)) < 0 || (error = gate__store(g, &store)) < 0)
		return error;
	if (n > g->decision_alloc) {
		gate_decision *p = gate__realloc(g->decisions, n * sizeof(*p));

		if (!p)
			return GATE_ENOMEM;
		g->decisions = p;
		g->decision_alloc = n;
	}
	at = gate_now(g);
	for (size_t i = 0; i < n; i++) {
		gate__catalog_doc *d;

		if ((error = gate__catalog_doc_get(cat, ids[i], &d)) < 0 ||
		    (error = decide_one(store, user, d, at, &g->decisions[i])) < 0)
			return error;
		if (g->decisions[i].outcome > strongest)
			strongest = g->decisions[i].outcome;
	}
	*out = g->decisions;
	*count = n;
	return strongest;
}
