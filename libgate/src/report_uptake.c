/* report_uptake.c: uptake: for each version of a document, the share of known users who had accepted
 * it or a later one, day by day since it was published, replayed from the event log. */
#include "handle.h"
#include "report.h"

#include <stdlib.h>
#include <string.h>

/* A report longer than this many days is surely a wrong time somewhere. */
#define MAX_DAYS (366 * 200)

typedef struct tally {
	gate_uptake *u;
	int64_t first_day;      /* the report's first day */
	size_t days;            /* its length in days */
	size_t versions;
	/* Changes by day, added up at the end: row 0 users becoming known,
	 * row v users starting (+1) or ceasing (-1) to stand on vn or later. */
	int64_t *delta;
} tally;

static int64_t *delta_row(tally *t, size_t v)
{
	return t->delta + v * (t->days + 1);
}

static size_t day_index(const tally *t, int64_t ms)
{
	int64_t d = gate__day_of(ms) - t->first_day;

	return d < 0 ? 0 : (size_t)d;
}

/* Counts one user: known from their first-seen time or first act, and
 * standing on a version from each acceptance until the next act that
 * changes it. */
static int on_user(const gate__user_acts *ua, void *payload)
{
	tally *t = payload;
	int64_t known = gate__known_from(ua), at = INT64_MIN;
	size_t pos = 0, count;
	const gate__act *acts;
	unsigned cur = 0;

	if (known > t->u->as_of)
		return 0;
	t->u->users++;
	if (!t->days)
		return 0;
	delta_row(t, 0)[day_index(t, known)]++;
	acts = gate__acts_of(ua, t->u->doc, &pos, &count);
	for (size_t i = 0; i < count; i++) {
		unsigned now;
		size_t d;

		at = gate__act_effect(&acts[i], at);
		if (at > t->u->as_of)
			break;
		now = acts[i].type == GATE_EVENT_ACCEPT ? acts[i].n : 0;
		d = day_index(t, at);
		/* A version the repository does not know stands for all of them. */
		for (size_t v = 1; v <= t->versions; v++) {
			bool before = cur >= v, after = now >= v;

			if (before != after)
				delta_row(t, v)[d] += after ? 1 : -1;
		}
		cur = now;
	}
	return 0;
}

/* Adds up the changes into each version's days, from the day it was published. */
static int fill_days(tally *t, const gate__catalog_doc *d)
{
	gate_uptake *u = t->u;
	size_t total = 0, used = 0;
	int64_t known = 0;

	for (size_t v = 0; v < t->versions; v++)
		if (d->versions[v].published <= u->as_of)
			total += t->days - day_index(t, d->versions[v].published);
	if ((total && !(u->days = gate__calloc(total, sizeof(*u->days)))) ||
	    !(u->known = gate__calloc(t->days, sizeof(*u->known))))
		return GATE_ENOMEM;
	u->first_day = t->first_day;
	u->day_count = t->days;
	for (size_t v = 0; v < t->versions; v++) {
		gate_uptake_version *uv = &u->versions[v];

		if (d->versions[v].published > u->as_of)
			continue;
		uv->days = u->days + used;
		uv->day_count = t->days - day_index(t, d->versions[v].published);
		used += uv->day_count;
	}
	for (size_t k = 0; k < t->days; k++) {
		known += delta_row(t, 0)[k];
		u->known[k] = (size_t)known;
		for (size_t v = 0; v < t->versions; v++) {
			gate_uptake_version *uv = &u->versions[v];
			int64_t *row = delta_row(t, v + 1);
			size_t skip = t->days - uv->day_count;

			if (k)
				row[k] += row[k - 1];
			gate_uptake_day *day;

			if (!uv->day_count || k < skip)
				continue;
			/* The public pointer is const; the memory is ours. */
			day = u->days + (uv->days - u->days) + (k - skip);
			day->day = (t->first_day + (int64_t)k) * GATE__DAY_MS;
			day->known = (size_t)known;
			day->accepted = (size_t)row[k];
		}
	}
	return 0;
}

int gate_uptake_new(gate_uptake **out, gate *g, const char *doc, int64_t as_of)
{
	gate__catalog_doc *d;
	gate_store *store;
	gate_uptake *u;
	tally t;
	int error;

	if (out)
		*out = NULL;
	if (!out || !g || !doc)
		return gate__error_set(GATE_EINVALID, "gate_uptake_new: NULL argument");
	if ((error = gate__published_doc(g, doc, &d)) < 0 || (error = gate__store(g, &store)) < 0)
		return error;
	if (!(u = gate__calloc(1, sizeof(*u))))
		return GATE_ENOMEM;
	memcpy(u->doc, doc, strlen(doc) + 1);
	u->as_of = as_of == GATE_TIME_UNSET ? gate_now(g) : as_of;
	memset(&t, 0, sizeof(t));
	t.u = u;
	t.versions = d ? d->count : 0;
	if (t.versions && !(u->versions = gate__calloc(t.versions, sizeof(*u->versions)))) {
		error = GATE_ENOMEM;
		goto fail;
	}
	u->version_count = t.versions;
	for (size_t v = 0; v < t.versions; v++) {
		const gate_version_info *vi = &d->versions[v];
		int64_t day = gate__day_of(vi->published);

		u->versions[v].n = vi->n;
		u->versions[v].change = vi->change;
		u->versions[v].published = vi->published;
		u->versions[v].effective = vi->effective;
		if (vi->published <= u->as_of && (!t.days || day < t.first_day)) {
			t.first_day = day;
			t.days = 1;
		}
	}
	if (t.days) {
		int64_t span = gate__day_of(u->as_of) - t.first_day + 1;

		if (span > MAX_DAYS) {
			char when[GATE_TIME_BUFSIZE];

			gate_time_format(when, t.first_day * GATE__DAY_MS);
			error = gate__error_set(GATE_EINVALID,
				"%s v1 was published on %s, more than %d days before the report's end; check the version's time",
				doc, when, MAX_DAYS);
			goto fail;
		}
		t.days = (size_t)span;
		if (!(t.delta = gate__calloc((t.versions + 1) * (t.days + 1), sizeof(*t.delta)))) {
			error = GATE_ENOMEM;
			goto fail;
		}
	}
	if ((error = store->ops->each_user_acts(store, on_user, &t)) != 0 ||
	    (t.days && (error = fill_days(&t, d)) < 0))
		goto fail;
	free(t.delta);
	*out = u;
	return 0;
fail:
	free(t.delta);
	gate_uptake_free(u);
	return error;
}

const char *gate_uptake_doc(const gate_uptake *u)
{
	return u ? u->doc : "";
}

int64_t gate_uptake_as_of(const gate_uptake *u)
{
	return u ? u->as_of : GATE_TIME_UNSET;
}

size_t gate_uptake_users(const gate_uptake *u)
{
	return u ? u->users : 0;
}

size_t gate_uptake_version_count(const gate_uptake *u)
{
	return u ? u->version_count : 0;
}

const gate_uptake_version *gate_uptake_version_at(const gate_uptake *u, size_t i)
{
	return u && i < u->version_count ? &u->versions[i] : NULL;
}

void gate_uptake_free(gate_uptake *u)
{
	if (!u)
		return;
	free(u->versions);
	free(u->days);
	free(u->known);
	free(u);
}

const gate_uptake_day *gate__uptake_on(const gate_uptake_version *v, int64_t day)
{
	int64_t k;

	if (!v->day_count)
		return NULL;
	k = day - gate__day_of(v->days[0].day);
	return k >= 0 && (size_t)k < v->day_count ? &v->days[k] : NULL;
}
