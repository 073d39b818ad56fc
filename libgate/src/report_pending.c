/* report_pending.c: who is pending: every known user's decision on each document at one time, streamed,
 * with the totals and since when each user has had something to accept. */
#include "decision.h"
#include "handle.h"
#include "report.h"

#include <stdlib.h>
#include <string.h>

#define SINCE_UNKNOWN INT64_MIN

/* One document of the report. */
typedef struct pdoc {
	gate__catalog_doc view;     /* its versions as of the report: a prefix of them for a past time */
	gate_pending_doc *tot;      /* its entry in the totals */
	size_t *by_version;         /* tot->by_version, writable */
	int64_t *times;             /* publish and effective times up to as_of, newest first */
	size_t time_count;
	/* Since when each kind of user has had something to accept, computed
	 * on first use: [0] never accepted or withdrew, [k] accepted vk. */
	int64_t *since;
} pdoc;

typedef struct walk {
	int64_t as_of;
	bool past;                  /* as_of is before the handle's clock: replay the log */
	pdoc *docs;
	size_t doc_count;
	gate_pending_fn fn;
	void *payload;
	gate_pending_totals t;
	void *block;                /* the totals' memory, handed to the caller at the end */
} walk;

void gate_pending_totals_dispose(gate_pending_totals *totals)
{
	gate_pending_totals init = GATE_PENDING_TOTALS_INIT;

	if (!totals)
		return;
	free((void *)totals->docs);
	*totals = init;
}

/* --- since when ------------------------------------------------------------------------------ */

/* The versions of `p` published by time `c`: the leading ones, as versions are published in order. */
static size_t published_by(const pdoc *p, int64_t c)
{
	size_t n = 0;

	while (n < p->view.count && p->view.versions[n].published <= c)
		n++;
	return n;
}

static int cmp_desc(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y) - (x > y);
}

/* The moments up to as_of at which a decision can change: when a version
 * is published and when one takes effect. Between two of them every
 * decision stays the same. */
static int collect_times(pdoc *p, int64_t as_of)
{
	size_t n = 0;

	if (!(p->times = gate__calloc(2 * p->view.count + 1, sizeof(*p->times))) ||
	    !(p->since = gate__calloc(p->view.count + 1, sizeof(*p->since))))
		return GATE_ENOMEM;
	for (size_t k = 0; k <= p->view.count; k++)
		p->since[k] = SINCE_UNKNOWN;
	for (size_t i = 0; i < p->view.count; i++) {
		if (p->view.versions[i].published <= as_of)
			p->times[n++] = p->view.versions[i].published;
		if (p->view.versions[i].effective <= as_of)
			p->times[n++] = p->view.versions[i].effective;
	}
	qsort(p->times, n, sizeof(*p->times), cmp_desc);
	p->time_count = 0;
	for (size_t i = 0; i < n; i++)
		if (!p->time_count || p->times[p->time_count - 1] != p->times[i])
			p->times[p->time_count++] = p->times[i];
	return 0;
}

/* Walks back from as_of through the moments a decision can change, asking
 * gate__decide() what a user of kind `k` would have been told then, with
 * the versions published by then, and stops at the first ALLOW. */
static int64_t kind_since(pdoc *p, unsigned k, int64_t as_of)
{
	gate__state st;
	int64_t since = as_of;

	if (p->since[k] != SINCE_UNKNOWN)
		return p->since[k];
	memset(&st, 0, sizeof(st));
	memcpy(st.doc, p->view.id, strlen(p->view.id) + 1);
	st.n = k;
	for (size_t i = 0; i < p->time_count; i++) {
		gate__catalog_doc cut = p->view;
		gate_decision dec;

		cut.count = published_by(p, p->times[i]);
		gate__decide(&cut, k ? &st : NULL, p->times[i], &dec);
		if (dec.outcome == GATE_ALLOW)
			break;
		since = p->times[i];
	}
	return p->since[k] = since;
}

/* --- one (user, document) ------------------------------------------------------------------- */

static int decide_doc(walk *w, pdoc *p, const char *user, int64_t first_seen, const gate__state *st,
	int *strongest)
{
	gate_pending_row row;
	gate_decision dec;
	unsigned acc;
	int64_t since;

	gate__decide(&p->view, st, w->as_of, &dec);
	acc = dec.accepted > p->view.count ? (unsigned)p->view.count : dec.accepted;
	p->by_version[acc]++;
	p->tot->revoked += dec.revoked != 0;
	p->tot->current += dec.required && dec.accepted >= dec.required;
	if (dec.outcome > *strongest)
		*strongest = dec.outcome;
	switch (dec.outcome) {
	case GATE_ALLOW: p->tot->allow++; return 0;
	case GATE_NOTIFY: p->tot->notify++; w->t.notify++; break;
	default: p->tot->block++; w->t.block++; break;
	}
	w->t.rows++;
	if (!w->fn)
		return 0;
	since = kind_since(p, acc, w->as_of);
	if (first_seen > since)
		since = first_seen;
	if (st && st->at > since)
		since = st->at;
	if (since > w->as_of)
		since = w->as_of;
	row.user = user;
	row.first_seen = first_seen;
	row.decision = &dec;
	row.pending_since = since;
	row.days_pending = (w->as_of - since) / GATE__DAY_MS;
	return w->fn(&row, w->payload);
}

static void count_user(walk *w, int strongest)
{
	w->t.users++;
	w->t.users_block += strongest == GATE_BLOCK;
	w->t.users_notify += strongest == GATE_NOTIFY;
}

/* From the derived state: the present, or a time after it. */
static int on_user(const gate__user_row *row, void *payload)
{
	walk *w = payload;
	size_t j = 0;
	int rc, strongest = GATE_ALLOW;

	for (size_t i = 0; i < w->doc_count; i++) {
		pdoc *p = &w->docs[i];
		const gate__state *st = NULL;

		/* Both lists are sorted by document id. */
		while (j < row->state_count && strcmp(row->states[j].doc, p->view.id) < 0)
			j++;
		if (j < row->state_count && strcmp(row->states[j].doc, p->view.id) == 0)
			st = &row->states[j];
		if ((rc = decide_doc(w, p, row->user, row->first_seen, st, &strongest)) != 0)
			return rc;
	}
	count_user(w, strongest);
	return 0;
}

/* From the log: a time in the past, when users knew less and fewer versions existed. */
static int on_user_acts(const gate__user_acts *u, void *payload)
{
	walk *w = payload;
	size_t pos = 0;
	int rc, strongest = GATE_ALLOW;

	if (gate__known_from(u) > w->as_of)
		return 0;
	for (size_t i = 0; i < w->doc_count; i++) {
		pdoc *p = &w->docs[i];
		gate__state st;
		size_t count;
		const gate__act *acts = gate__acts_of(u, p->view.id, &pos, &count);
		bool found = acts && gate__state_at(acts, count, w->as_of, &st);

		if ((rc = decide_doc(w, p, u->user, u->first_seen, found ? &st : NULL, &strongest)) != 0)
			return rc;
	}
	count_user(w, strongest);
	return 0;
}

/* --- setting up -------------------------------------------------------------------------------- */

/* The totals' memory in one block: the documents, their by_version
 * counts, their ids. */
static int make_totals(walk *w)
{
	size_t counts = w->doc_count * sizeof(gate_pending_doc), ids, size;
	char *block;

	ids = counts;
	for (size_t i = 0; i < w->doc_count; i++)
		ids += (w->docs[i].view.count + 1) * sizeof(size_t);
	size = ids;
	for (size_t i = 0; i < w->doc_count; i++)
		size += strlen(w->docs[i].view.id) + 1;
	if (!(block = gate__calloc(1, size ? size : 1)))
		return GATE_ENOMEM;
	w->block = block;
	w->t.docs = (const gate_pending_doc *)block;
	w->t.doc_count = w->doc_count;
	for (size_t i = 0; i < w->doc_count; i++) {
		pdoc *p = &w->docs[i];
		const gate_version_info *in_force = gate__catalog_in_force(&p->view, w->as_of);
		size_t len = strlen(p->view.id) + 1;

		p->tot = (gate_pending_doc *)block + i;
		p->by_version = (size_t *)(block + counts);
		counts += (p->view.count + 1) * sizeof(size_t);
		p->tot->doc = memcpy(block + ids, p->view.id, len);
		ids += len;
		p->tot->by_version = p->by_version;
		p->tot->latest = (unsigned)p->view.count;
		p->tot->in_force = in_force ? in_force->n : 0;
		p->tot->in_force_since = in_force ? in_force->effective : GATE_TIME_UNSET;
	}
	return 0;
}

static int add_doc(walk *w, gate__catalog_doc *d, const char *id)
{
	pdoc *p = &w->docs[w->doc_count];

	memset(p, 0, sizeof(*p));
	if (d) {
		p->view = *d;
	} else {
		/* Nothing published: everyone is ALLOW, as gate_check() says. */
		p->view.id = (char *)id;
		p->view.loaded = true;
	}
	if (w->past)
		p->view.count = published_by(p, w->as_of);
	w->doc_count++;
	return collect_times(p, w->as_of);
}

static int docs_for(gate *g, const char *doc, walk *w)
{
	const char *const *ids;
	gate__catalog_doc *d;
	size_t n;
	int error;

	if ((error = gate_docs(g, &ids, &n)) < 0 || (doc && (error = gate__published_doc(g, doc, &d)) < 0))
		return error;
	if (!(w->docs = gate__calloc(doc ? 1 : n ? n : 1, sizeof(*w->docs))))
		return GATE_ENOMEM;
	if (doc)
		error = add_doc(w, d, doc);
	for (size_t i = 0; !doc && i < n && !error; i++)
		if ((error = gate__published_doc(g, ids[i], &d)) == 0)
			error = add_doc(w, d, ids[i]);
	return error < 0 ? error : make_totals(w);
}

static void walk_dispose(walk *w)
{
	for (size_t i = 0; i < w->doc_count; i++) {
		free(w->docs[i].times);
		free(w->docs[i].since);
	}
	free(w->docs);
	free(w->block);
}

int gate_pending(gate *g, const char *doc, int64_t as_of,
	gate_pending_fn fn, void *payload, gate_pending_totals *totals)
{
	gate_store *store;
	walk w;
	int rc;

	if (totals)
		gate_pending_totals_dispose(totals);
	if (!g)
		return gate__error_set(GATE_EINVALID, "gate_pending: NULL handle");
	memset(&w, 0, sizeof(w));
	w.as_of = as_of == GATE_TIME_UNSET ? gate_now(g) : as_of;
	w.past = w.as_of < gate_now(g);
	w.fn = fn;
	w.payload = payload;
	w.t.as_of = w.as_of;
	if ((rc = docs_for(g, doc, &w)) < 0 || (rc = gate__store(g, &store)) < 0)
		goto done;
	rc = w.past ? store->ops->each_user_acts(store, on_user_acts, &w)
		: store->ops->each_user(store, doc, on_user, &w);
	if (rc == 0 && totals) {
		*totals = w.t;
		w.block = NULL;
	}
done:
	walk_dispose(&w);
	return rc;
}
