/* import.c: bringing in acceptances recorded by an earlier system, from CSV, in one transaction. */
#include "accept.h"
#include "csv.h"
#include "handle.h"
#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { COL_USER, COL_DOC, COL_VERSION, COL_ACCEPTED_AT, COL_METHOD, COL_LOCALE, COL_CLIENT, COL__COUNT };

static const char *const column_names[COL__COUNT] = {
	"user", "doc", "version", "accepted_at", "method", "locale", "client"
};

/* What rows share: the document, and how and where it was accepted. A file
 * repeats a few of these over and over, so each is checked and kept once. */
typedef struct import_kind {
	gate__catalog_doc *d;
	const char *method;
	const char *locale_given;   /* as the file spells it */
	const char *locale;         /* canonical, or NULL */
	const char *client;
} import_kind;

typedef struct {
	const char *user;
	int64_t at;
	const import_kind *kind;
	unsigned line;              /* where the row starts: also its place in the file */
	unsigned n;
} import_row;

#define RECENT_KINDS 8

typedef struct {
	gate__arena arena;
	import_row *rows;
	size_t count, alloc;
	long col[COL__COUNT];
	size_t fields;
	const import_kind *recent[RECENT_KINDS];   /* the kinds seen last, newest first */
	bool sorted;                               /* rows came in the order they go in */
} import_job;

static int read_header(import_job *job, const gate__csv *c, unsigned line)
{
	for (size_t k = 0; k < COL__COUNT; k++)
		job->col[k] = -1;
	for (size_t i = 0; i < c->count; i++) {
		const char *name = gate__csv_field(c, i);
		size_t k;

		for (k = 0; k < COL__COUNT; k++)
			if (strcasecmp(name, column_names[k]) == 0)
				break;
		if (k == COL__COUNT)
			return gate__error_set(GATE_EINVALID,
				"line %u: unknown column '%.64s'; the columns are user, doc, version, accepted_at and optionally method, locale, client",
				line, name);
		if (job->col[k] >= 0)
			return gate__error_set(GATE_EINVALID, "line %u: column '%s' appears twice", line, column_names[k]);
		job->col[k] = (long)i;
	}
	for (size_t k = 0; k <= COL_ACCEPTED_AT; k++)
		if (job->col[k] < 0)
			return gate__error_set(GATE_EINVALID,
				"line %u: the header has no '%s' column (expected user,doc,version,accepted_at,method)",
				line, column_names[k]);
	job->fields = c->count;
	return 0;
}

static const char *field(const import_job *job, const gate__csv *c, int k)
{
	return job->col[k] >= 0 ? gate__csv_field(c, (size_t)job->col[k]) : "";
}

/* "3" or "v3"; 0 when it is neither. */
static unsigned parse_version(const char *s)
{
	unsigned long v;
	char *end;

	if (*s == 'v' || *s == 'V')
		s++;
	if (*s < '1' || *s > '9')
		return 0;
	errno = 0;
	v = strtoul(s, &end, 10);
	return errno || *end || v > 0x7fffffffUL ? 0 : (unsigned)v;
}

/* The kind of a row whose fields are these, checked and kept the first time. */
static int row_kind(gate *g, import_job *job, const char *doc, const char *method, const char *locale,
	const char *client, const import_kind **out)
{
	char canon[GATE_LOCALE_MAX + 1];
	gate__catalog_doc *d;
	gate_catalog *cat;
	import_kind *k;
	int error;

	if ((error = gate__catalog(g, &cat)) < 0 || (error = gate__catalog_doc_get(cat, doc, &d)) < 0)
		return error;
	for (size_t i = 0; i < RECENT_KINDS && job->recent[i]; i++) {
		const import_kind *r = job->recent[i];

		if (r->d == d && strcmp(r->method, method) == 0 && strcmp(r->client, client) == 0 &&
		    strcmp(r->locale_given, locale) == 0) {
			memmove(&job->recent[1], &job->recent[0], i * sizeof(job->recent[0]));
			job->recent[0] = r;
			*out = r;
			return 0;
		}
	}
	if ((error = gate__method_check(method)) < 0 || (error = gate__client_check(client)) < 0 ||
	    (*locale && (error = gate__locale_canon(canon, locale)) < 0))
		return error;
	if (!(k = gate__arena_alloc(&job->arena, sizeof(*k))) ||
	    !(k->method = gate__arena_strdup(&job->arena, method)) ||
	    !(k->client = gate__arena_strdup(&job->arena, client)) ||
	    !(k->locale_given = gate__arena_strdup(&job->arena, locale)) ||
	    (*locale && !(k->locale = gate__arena_strdup(&job->arena, canon))))
		return GATE_ENOMEM;
	k->d = d;
	memmove(&job->recent[1], &job->recent[0], (RECENT_KINDS - 1) * sizeof(job->recent[0]));
	job->recent[0] = k;
	*out = k;
	return 0;
}

/* By user, then oldest first (the file's order among equal times): each
 * user's acceptances go in in the order they were given, which the rules
 * need, and users come in id order, so that the user and state tables grow
 * at their ends instead of at random places (several times faster on a
 * large import). */
static int row_cmp(const void *a, const void *b)
{
	const import_row *x = a, *y = b;
	int c = x->user == y->user ? 0 : strcmp(x->user, y->user);

	if (c)
		return c;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int read_row(gate *g, import_job *job, const gate__csv *c, unsigned line, int64_t now)
{
	const char *user = field(job, c, COL_USER), *doc = field(job, c, COL_DOC);
	const char *version = field(job, c, COL_VERSION), *when = field(job, c, COL_ACCEPTED_AT);
	const char *method = field(job, c, COL_METHOD), *locale = field(job, c, COL_LOCALE);
	const char *client = field(job, c, COL_CLIENT);
	char stamp[GATE_TIME_BUFSIZE];
	const import_row *prev;
	import_row *r;
	int error;

	if (c->count != job->fields)
		return gate__error_set(GATE_EINVALID, "line %u: %zu fields; the header has %zu", line, c->count, job->fields);
	if (gate__array_reserve(&job->rows, &job->alloc, job->count, sizeof(*job->rows)) < 0)
		return GATE_ENOMEM;
	prev = job->count ? &job->rows[job->count - 1] : NULL;
	r = &job->rows[job->count];
	memset(r, 0, sizeof(*r));
	r->line = line;
	if (!*method)
		method = "import";
	/* A user's rows often follow one another: their id is checked and kept once. */
	if (prev && strcmp(prev->user, user) == 0)
		r->user = prev->user;
	else if ((error = gate_user_id_check(user)) < 0)
		goto bad;
	if ((error = row_kind(g, job, doc, method, locale, client, &r->kind)) < 0)
		goto bad;
	if (!(r->n = parse_version(version))) {
		error = gate__error_set(GATE_EINVALID, "version '%.32s' is not a version number (3 or v3)", version);
		goto bad;
	}
	if (r->n > r->kind->d->count) {
		error = gate__error_set(GATE_ENOTFOUND, "%s v%u does not exist; latest is v%zu", doc, r->n, r->kind->d->count);
		goto bad;
	}
	if (gate_time_parse(&r->at, when) < 0) {
		error = gate__error_set(GATE_EINVALID,
			"accepted_at '%.40s' is not a date or time (2026-03-01 or 2026-03-01T09:30:00Z)", when);
		goto bad;
	}
	if (r->at > now) {
		gate_time_format(stamp, now);
		error = gate__error_set(GATE_EINVALID, "accepted_at %s is in the future (it is now %s)", when, stamp);
		goto bad;
	}
	if (!r->user && !(r->user = gate__arena_strdup(&job->arena, user)))
		return GATE_ENOMEM;
	if (prev && row_cmp(prev, r) > 0)
		job->sorted = false;
	job->count++;
	return 0;
bad:
	gate__error_prefix("line %u", line);
	return error;
}

typedef struct {
	gate_store *store;
	const import_row *row;
	gate__event *ev;
} import_ctx;

/* Inside the import's transaction: an acceptance the log already holds is
 * skipped; one older than the user's current acceptance would go back in
 * time and is refused. */
static int import_check(const gate__state *cur, void *payload)
{
	import_ctx *x = payload;
	const import_row *r = x->row;
	bool found;
	int error;

	if (cur) {
		if ((error = x->store->ops->has_accept(x->store, r->user, r->kind->d->id, r->n, &found)) < 0)
			return error;
		if (found)
			return 1;
		if (!cur->revoked && cur->n > r->n) {
			char when[GATE_TIME_BUFSIZE];

			gate_time_format(when, cur->at);
			return gate__error_set(GATE_ECONFLICT,
				"%s already accepted %s v%u (on %s); an acceptance of the older v%u cannot be recorded after it",
				r->user, r->kind->d->id, cur->n, when, r->n);
		}
	}
	gate__event_set_version(x->ev, &r->kind->d->versions[r->n - 1], r->kind->locale);
	return 0;
}

static int append_rows(gate_store *store, import_job *job, gate_import_result *res)
{
	for (size_t i = 0; i < job->count; i++) {
		const import_row *r = &job->rows[i];
		gate__event ev;
		import_ctx x;
		int rc;

		/* A user's first row is their oldest: someone registered before
		 * their older acceptances came in was first seen by then. */
		if ((!i || (r->user != job->rows[i - 1].user && strcmp(r->user, job->rows[i - 1].user) != 0)) &&
		    (rc = store->ops->lower_first_seen(store, r->user, r->at)) < 0) {
			gate__error_prefix("line %u", r->line);
			return rc;
		}
		gate__event_init(&ev, GATE_EVENT_ACCEPT, r->kind->d->id, r->at, r->kind->method, r->kind->client);
		x.store = store;
		x.row = r;
		x.ev = &ev;
		if ((rc = store->ops->append(store, r->user, &ev, import_check, &x)) < 0) {
			gate__error_prefix("line %u", r->line);
			return rc;
		}
		if (rc == 1)
			res->skipped++;
		else
			res->recorded++;
	}
	return 0;
}

int gate_import_csv(gate *g, const char *csv, size_t len, gate_import_result *out)
{
	gate_import_result res;
	import_job job;
	gate_store *store;
	gate__csv c;
	unsigned line;
	int64_t now, users_before, users_after;
	int rc;

	memset(&res, 0, sizeof(res));
	if (out)
		*out = res;
	if (!g || (!csv && len))
		return gate__error_set(GATE_EINVALID, "gate_import_csv: NULL argument");
	memset(&job, 0, sizeof(job));
	job.sorted = true;
	gate__csv_init(&c, csv, len);
	now = gate_now(g);

	if ((rc = gate__csv_next(&c, &line)) <= 0) {
		if (rc == 0)
			rc = gate__error_set(GATE_EINVALID,
				"the CSV is empty; it needs a header row user,doc,version,accepted_at,method");
		goto done;
	}
	if ((rc = read_header(&job, &c, line)) < 0)
		goto done;
	while ((rc = gate__csv_next(&c, &line)) > 0)
		if ((rc = read_row(g, &job, &c, line, now)) < 0)
			goto done;
	if (rc < 0)
		goto done;
	if (!job.sorted)
		qsort(job.rows, job.count, sizeof(*job.rows), row_cmp);

	if ((rc = gate__store(g, &store)) < 0 || (rc = store->ops->begin(store)) < 0)
		goto done;
	if ((rc = store->ops->counts(store, NULL, &users_before)) < 0 ||
	    (rc = append_rows(store, &job, &res)) < 0 ||
	    (rc = store->ops->counts(store, NULL, &users_after)) < 0) {
		store->ops->rollback(store);
		goto done;
	}
	if ((rc = store->ops->commit(store)) < 0)
		goto done;
	res.rows = job.count;
	res.users_added = (size_t)(users_after - users_before);
	if (out)
		*out = res;
	rc = 0;
done:
	gate__csv_dispose(&c);
	gate__arena_free(&job.arena);
	free(job.rows);
	return rc;
}
