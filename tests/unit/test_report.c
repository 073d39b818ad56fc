/* test_report.c: the pending report and uptake: rows and totals for every decision, since when users are
 * pending, --as-of in the future and the past, streaming order, every format's escaping, stats day by day. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <utf8proc.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "support_memsource.h"
#include "support_tmp.h"

#define DAY (86400000LL)
#define T0 (1767225600000LL) /* 2026-01-01 */
#define M GATE_CHANGE_MATERIAL
#define E GATE_CHANGE_EDITORIAL

/* --- the history every test starts from -------------------------------------------------------
 *
 * privacy v1 (day 0), v2 material (published day 5, in force day 10), v3 editorial
 * (published 15, in force 20), v4 material (published 30, in force 40); terms v1 (day 0).
 * It is day 35. alice accepted privacy v3 (day 21) and terms; bob privacy v2 (day 11);
 * carol privacy v1 (day 1); dave privacy v3 (day 22), withdrawn on day 25; erin privacy v4
 * early (day 31); frank was registered on day 2 and never accepted anything.
 */
typedef struct {
	char *dir;
	char db[4096];
	int64_t now;
	gate *g;
} fixture;

static void at(fixture *f, int day, int hour)
{
	f->now = T0 + day * DAY + hour * 3600000LL;
}

static void accept(fixture *f, int day, const char *user, const char *doc, unsigned n)
{
	gate_receipt r;

	at(f, day, 9);
	assert_int_equal(gate_accept(f->g, user, doc, n, NULL, "test", NULL, &r), 0);
	assert_int_equal(r.recorded, 1);
}

static gate *open_history(fixture *f)
{
	memsrc *m = memsrc_new("en-GB");
	gate_options o = GATE_OPTIONS_INIT;
	gate *g;

	memsrc_add(m, "privacy", M, T0, "en-GB", "one\n", NULL);
	memsrc_add(m, "privacy", M, T0 + 10 * DAY, "en-GB", "two\n", NULL);
	memsrc_add(m, "privacy", E, T0 + 20 * DAY, "en-GB", "two.\n", NULL);
	memsrc_add(m, "privacy", M, T0 + 40 * DAY, "en-GB", "four\n", NULL);
	memsrc_set_published(m, "privacy", 2, T0 + 5 * DAY);
	memsrc_set_published(m, "privacy", 3, T0 + 15 * DAY);
	memsrc_set_published(m, "privacy", 4, T0 + 30 * DAY);
	memsrc_add(m, "terms", M, T0, "en-GB", "terms\n", NULL);
	o.db_path = f->db;
	o.clock = memclock;
	o.clock_payload = &f->now;
	assert_int_equal(memsrc_open_with(&g, m, &o), 0);
	return g;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	gate_receipt r;
	size_t added;
	const char *frank = "frank";

	f->dir = tmpdir_make();
	snprintf(f->db, sizeof(f->db), "%s/acceptances.db", f->dir);
	f->g = open_history(f);
	accept(f, 1, "carol", "privacy", 1);
	at(f, 2, 9);
	assert_int_equal(gate_users_add(f->g, &frank, 1, &added), 0);
	assert_int_equal(added, 1);
	accept(f, 11, "bob", "privacy", 2);
	accept(f, 21, "alice", "privacy", 3);
	accept(f, 21, "alice", "terms", 1);
	accept(f, 22, "dave", "privacy", 3);
	at(f, 25, 9);
	assert_int_equal(gate_revoke(f->g, "dave", "privacy", "test", NULL, &r), 0);
	accept(f, 31, "erin", "privacy", 4);
	at(f, 35, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	gate_free(f->g);
	tmpdir_remove(f->dir);
	free(f);
	return 0;
}

/* --- collecting rows and output --------------------------------------------------------------- */

typedef struct {
	char user[300];
	gate_decision d;
	int64_t first_seen, since, days;
} row_copy;

typedef struct {
	row_copy rows[64];
	size_t count;
	size_t stop_after;   /* 0: never stop */
} rows;

static int collect(const gate_pending_row *row, void *payload)
{
	rows *r = payload;
	row_copy *c = &r->rows[r->count++];

	assert_true(r->count <= 64);
	snprintf(c->user, sizeof(c->user), "%s", row->user);
	c->d = *row->decision;
	c->first_seen = row->first_seen;
	c->since = row->pending_since;
	c->days = row->days_pending;
	return r->stop_after && r->count == r->stop_after ? 42 : 0;
}

static const row_copy *find(const rows *r, const char *user, const char *doc)
{
	for (size_t i = 0; i < r->count; i++)
		if (strcmp(r->rows[i].user, user) == 0 && strcmp(r->rows[i].d.doc, doc) == 0)
			return &r->rows[i];
	return NULL;
}

typedef struct {
	char *data;
	size_t len, cap;
	size_t calls;
	size_t fail_after;   /* 0: never fail */
} sink;

static int sink_write(const char *data, size_t len, void *payload)
{
	sink *s = payload;

	s->calls++;
	if (s->fail_after && s->calls >= s->fail_after)
		return -77;
	if (s->len + len + 1 > s->cap) {
		s->cap = (s->len + len + 1) * 2;
		s->data = realloc(s->data, s->cap);
		assert_non_null(s->data);
	}
	memcpy(s->data + s->len, data, len);
	s->len += len;
	s->data[s->len] = '\0';
	return 0;
}

static char *render(gate *g, const char *doc, int format, int64_t as_of, gate_pending_totals *t)
{
	gate_report_options o;
	sink s = { NULL, 0, 0, 0, 0 };

	assert_int_equal(gate_report_options_init(&o, GATE_REPORT_OPTIONS_VERSION), 0);
	o.format = format;
	o.as_of = as_of;
	assert_int_equal(gate_pending_render(g, doc, &o, sink_write, &s, t), 0);
	assert_non_null(s.data);
	assert_int_equal(strlen(s.data), s.len);
	return s.data;
}

static const gate_pending_doc *doc_totals(const gate_pending_totals *t, const char *doc)
{
	for (size_t i = 0; i < t->doc_count; i++)
		if (strcmp(t->docs[i].doc, doc) == 0)
			return &t->docs[i];
	fail_msg("no totals for %s", doc);
	return NULL;
}

/* --- a small JSON checker (RFC 8259 grammar, no semantics) ----------------------------------------- */

static const char *json_value(const char *p);

static const char *json_ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
		p++;
	return p;
}

static const char *json_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	while (*p != '"') {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i])
						return NULL;
				p += 4;
			} else if (!*p || !strchr("\"\\/bfnrt", *p)) {
				return NULL;
			}
		}
		p++;
	}
	return p + 1;
}

static const char *json_number(const char *p)
{
	const char *start;

	if (*p == '-')
		p++;
	start = p;
	if (*p == '0')
		p++;
	else
		while (*p >= '0' && *p <= '9')
			p++;
	if (p == start)
		return NULL;
	if (*p == '.') {
		start = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p == start)
			return NULL;
	}
	return p;
}

static const char *json_list(const char *p, char close, bool object)
{
	p = json_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (object) {
			if (!(p = json_string(json_ws(p))))
				return NULL;
			p = json_ws(p);
			if (*p++ != ':')
				return NULL;
		}
		if (!(p = json_value(p)))
			return NULL;
		p = json_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *json_value(const char *p)
{
	p = json_ws(p);
	switch (*p) {
	case '{': return json_list(p, '}', true);
	case '[': return json_list(p, ']', false);
	case '"': return json_string(p);
	case 't': return strncmp(p, "true", 4) ? NULL : p + 4;
	case 'f': return strncmp(p, "false", 5) ? NULL : p + 5;
	case 'n': return strncmp(p, "null", 4) ? NULL : p + 4;
	default: return json_number(p);
	}
}

static void assert_json(const char *text)
{
	const char *end = json_value(text);

	if (!end || *json_ws(end) != '\0')
		fail_msg("not one JSON value; bad from: %.80s", end ? end : "(parse error)");
}

/* --- a small RFC 4180 reader ------------------------------------------------------------------------- */

/* Reads one record from *p into fields (each malloc'd); returns the count, 0 at the end. */
static size_t csv_record(const char **p, char **fields, size_t max)
{
	size_t n = 0;

	if (!**p)
		return 0;
	for (;;) {
		char buf[2048];
		size_t k = 0;

		if (**p == '"') {
			(*p)++;
			for (;;) {
				assert_true(**p != '\0');
				if (**p == '"' && (*p)[1] == '"') {
					buf[k++] = '"';
					*p += 2;
				} else if (**p == '"') {
					(*p)++;
					break;
				} else {
					buf[k++] = *(*p)++;
				}
			}
		} else {
			while (**p && **p != ',' && **p != '\r' && **p != '\n') {
				assert_true(**p != '"');
				buf[k++] = *(*p)++;
			}
		}
		buf[k] = '\0';
		assert_true(n < max);
		fields[n++] = strdup(buf);
		if (**p == ',') {
			(*p)++;
			continue;
		}
		/* Records end with CRLF, as RFC 4180 says. */
		assert_int_equal(**p, '\r');
		assert_int_equal((*p)[1], '\n');
		*p += 2;
		return n;
	}
}

/* --- rows and totals ------------------------------------------------------------------------------------- */

static void test_rows_and_totals_for_every_decision(void **state)
{
	fixture *f = *state;
	gate_pending_totals t = GATE_PENDING_TOTALS_INIT;
	const gate_pending_doc *p, *terms;
	const row_copy *c;
	rows r;

	memset(&r, 0, sizeof(r));
	assert_int_equal(gate_pending(f->g, NULL, GATE_TIME_UNSET, collect, &r, &t), 0);
	assert_true(t.as_of == T0 + 35 * DAY);
	assert_int_equal(t.users, 6);
	assert_int_equal(t.rows, 10);
	assert_int_equal(t.rows, r.count);
	assert_int_equal(t.block, 8);
	assert_int_equal(t.notify, 2);
	assert_int_equal(t.users_block, 5);
	assert_int_equal(t.users_notify, 1);
	assert_int_equal(t.doc_count, 2);

	/* Upcoming material version, the one in force accepted: NOTIFY on v4, pending since it was published. */
	c = find(&r, "alice", "privacy");
	assert_non_null(c);
	assert_int_equal(c->d.outcome, GATE_NOTIFY);
	assert_int_equal(c->d.accepted, 3);
	assert_int_equal(c->d.target, 4);
	assert_int_equal(c->d.material, 1);
	assert_true(c->d.effective == T0 + 40 * DAY);
	assert_true(c->since == T0 + 30 * DAY);
	assert_int_equal(c->days, 5);
	assert_null(find(&r, "alice", "terms"));
	/* Behind by an editorial version only, and a material one coming: NOTIFY, since v3 took effect. */
	c = find(&r, "bob", "privacy");
	assert_non_null(c);
	assert_int_equal(c->d.outcome, GATE_NOTIFY);
	assert_int_equal(c->d.accepted, 2);
	assert_int_equal(c->d.required, 3);
	assert_int_equal(c->d.target, 4);
	assert_true(c->since == T0 + 20 * DAY);
	assert_int_equal(c->days, 15);
	/* Behind a material version: BLOCK, pending since v2 was announced. */
	c = find(&r, "carol", "privacy");
	assert_non_null(c);
	assert_int_equal(c->d.outcome, GATE_BLOCK);
	assert_int_equal(c->d.accepted, 1);
	assert_int_equal(c->d.target, 3);
	assert_int_equal(c->d.material, 1);
	assert_true(c->since == T0 + 5 * DAY);
	assert_int_equal(c->days, 30);
	/* Withdrawn: BLOCK, pending since the withdrawal. */
	c = find(&r, "dave", "privacy");
	assert_non_null(c);
	assert_int_equal(c->d.outcome, GATE_BLOCK);
	assert_int_equal(c->d.accepted, 0);
	assert_int_equal(c->d.revoked, 1);
	assert_true(c->since == T0 + 25 * DAY + 9 * 3600000LL);
	assert_int_equal(c->days, 9);
	/* Accepted the upcoming version early: nothing to do. */
	assert_null(find(&r, "erin", "privacy"));
	/* Never accepted: BLOCK, pending since first seen. */
	c = find(&r, "frank", "privacy");
	assert_non_null(c);
	assert_int_equal(c->d.outcome, GATE_BLOCK);
	assert_int_equal(c->d.accepted, 0);
	assert_int_equal(c->d.revoked, 0);
	assert_true(c->first_seen == T0 + 2 * DAY + 9 * 3600000LL);
	assert_true(c->since == c->first_seen);
	c = find(&r, "erin", "terms");
	assert_non_null(c);
	assert_int_equal(c->d.outcome, GATE_BLOCK);

	/* Every row is exactly what gate_check() says. */
	for (size_t i = 0; i < r.count; i++) {
		const gate_decision *e = &r.rows[i].d;
		gate_decision d;

		assert_int_equal(gate_check(f->g, r.rows[i].user, e->doc, &d), e->outcome);
		assert_string_equal(d.doc, e->doc);
		assert_int_equal(d.accepted, e->accepted);
		assert_true(d.accepted_at == e->accepted_at);
		assert_int_equal(d.revoked, e->revoked);
		assert_int_equal(d.required, e->required);
		assert_int_equal(d.upcoming, e->upcoming);
		assert_int_equal(d.target, e->target);
		assert_true(d.effective == e->effective);
		assert_int_equal(d.material, e->material);
	}

	p = doc_totals(&t, "privacy");
	assert_int_equal(p->latest, 4);
	assert_int_equal(p->in_force, 3);
	assert_true(p->in_force_since == T0 + 20 * DAY);
	assert_int_equal(p->current, 2);
	assert_int_equal(p->allow, 1);
	assert_int_equal(p->notify, 2);
	assert_int_equal(p->block, 3);
	assert_int_equal(p->revoked, 1);
	assert_int_equal(p->by_version[0], 2);
	assert_int_equal(p->by_version[1], 1);
	assert_int_equal(p->by_version[2], 1);
	assert_int_equal(p->by_version[3], 1);
	assert_int_equal(p->by_version[4], 1);
	terms = doc_totals(&t, "terms");
	assert_int_equal(terms->latest, 1);
	assert_int_equal(terms->current, 1);
	assert_int_equal(terms->allow, 1);
	assert_int_equal(terms->block, 5);
	assert_int_equal(terms->by_version[0], 5);
	assert_int_equal(terms->by_version[1], 1);
	gate_pending_totals_dispose(&t);
	assert_null(t.docs);
	assert_int_equal(t.users, 0);
	gate_pending_totals_dispose(NULL);
}

static void test_rows_stream_in_user_then_document_order_and_a_stop_is_returned(void **state)
{
	fixture *f = *state;
	static const char *const order[][2] = {
		{ "alice", "privacy" }, { "bob", "privacy" }, { "bob", "terms" }, { "carol", "privacy" },
		{ "carol", "terms" }, { "dave", "privacy" }, { "dave", "terms" }, { "erin", "terms" },
		{ "frank", "privacy" }, { "frank", "terms" },
	};
	gate_pending_totals t = GATE_PENDING_TOTALS_INIT;
	rows r;

	memset(&r, 0, sizeof(r));
	assert_int_equal(gate_pending(f->g, NULL, GATE_TIME_UNSET, collect, &r, NULL), 0);
	assert_int_equal(r.count, 10);
	for (size_t i = 0; i < r.count; i++) {
		assert_string_equal(r.rows[i].user, order[i][0]);
		assert_string_equal(r.rows[i].d.doc, order[i][1]);
	}
	/* A non-zero return stops the walk, comes back as is, and leaves the totals empty. */
	memset(&r, 0, sizeof(r));
	r.stop_after = 3;
	assert_int_equal(gate_pending(f->g, NULL, GATE_TIME_UNSET, collect, &r, &t), 42);
	assert_int_equal(r.count, 3);
	assert_null(t.docs);
	/* One document. */
	memset(&r, 0, sizeof(r));
	assert_int_equal(gate_pending(f->g, "terms", GATE_TIME_UNSET, collect, &r, &t), 0);
	assert_int_equal(r.count, 5);
	for (size_t i = 0; i < r.count; i++)
		assert_string_equal(r.rows[i].d.doc, "terms");
	assert_int_equal(t.doc_count, 1);
	assert_string_equal(t.docs[0].doc, "terms");
	assert_int_equal(t.users, 6);
	/* Totals given back are disposed of and filled again. */
	assert_int_equal(gate_pending(f->g, "privacy", GATE_TIME_UNSET, NULL, NULL, &t), 0);
	assert_int_equal(t.doc_count, 1);
	assert_int_equal(t.rows, 5);
	gate_pending_totals_dispose(&t);
}

static void test_as_of_in_the_future_decides_then(void **state)
{
	fixture *f = *state;
	gate_pending_totals t = GATE_PENDING_TOTALS_INIT;
	const row_copy *c;
	rows r;

	memset(&r, 0, sizeof(r));
	assert_int_equal(gate_pending(f->g, "privacy", T0 + 45 * DAY, collect, &r, &t), 0);
	/* v4 is in force: alice now must accept it; erin accepted it early. */
	c = find(&r, "alice", "privacy");
	assert_non_null(c);
	assert_int_equal(c->d.outcome, GATE_BLOCK);
	assert_int_equal(c->d.target, 4);
	assert_int_equal(c->days, 15);
	assert_null(find(&r, "erin", "privacy"));
	assert_int_equal(t.docs[0].in_force, 4);
	assert_int_equal(t.docs[0].current, 1);
	assert_int_equal(t.users, 6);
	gate_pending_totals_dispose(&t);
}

static void test_as_of_in_the_past_replays_the_log(void **state)
{
	fixture *f = *state;
	gate_pending_totals t = GATE_PENDING_TOTALS_INIT;
	const gate_pending_doc *p;
	const row_copy *c;
	rows r;

	memset(&r, 0, sizeof(r));
	/* Day 12: only carol, frank and bob are known; v3 and v4 are not published yet. */
	assert_int_equal(gate_pending(f->g, NULL, T0 + 12 * DAY, collect, &r, &t), 0);
	assert_int_equal(t.users, 3);
	p = doc_totals(&t, "privacy");
	assert_int_equal(p->latest, 2);
	assert_int_equal(p->in_force, 2);
	assert_int_equal(p->by_version[0], 1);
	assert_int_equal(p->by_version[1], 1);
	assert_int_equal(p->by_version[2], 1);
	c = find(&r, "carol", "privacy");
	assert_non_null(c);
	assert_int_equal(c->d.outcome, GATE_BLOCK);
	assert_int_equal(c->d.target, 2);
	assert_null(find(&r, "bob", "privacy"));
	assert_null(find(&r, "alice", "privacy"));
	assert_null(find(&r, "alice", "terms"));
	assert_non_null(find(&r, "frank", "terms"));
	gate_pending_totals_dispose(&t);

	/* Day 24: dave's acceptance stands; day 26: it is withdrawn. */
	memset(&r, 0, sizeof(r));
	assert_int_equal(gate_pending(f->g, "privacy", T0 + 24 * DAY, collect, &r, &t), 0);
	assert_null(find(&r, "dave", "privacy"));
	assert_int_equal(t.docs[0].current, 2);
	memset(&r, 0, sizeof(r));
	assert_int_equal(gate_pending(f->g, "privacy", T0 + 26 * DAY, collect, &r, &t), 0);
	c = find(&r, "dave", "privacy");
	assert_non_null(c);
	assert_int_equal(c->d.revoked, 1);
	assert_int_equal(t.docs[0].revoked, 1);
	gate_pending_totals_dispose(&t);
}

static void test_a_document_with_no_versions_is_everyone_allowed(void **state)
{
	fixture *f = *state;
	gate_pending_totals t = GATE_PENDING_TOTALS_INIT;
	gate_uptake *u;
	char *text;
	rows r;

	memset(&r, 0, sizeof(r));
	assert_int_equal(gate_pending(f->g, "cookies", GATE_TIME_UNSET, collect, &r, &t), 0);
	assert_int_equal(r.count, 0);
	assert_int_equal(t.doc_count, 1);
	assert_string_equal(t.docs[0].doc, "cookies");
	assert_int_equal(t.docs[0].latest, 0);
	assert_int_equal(t.docs[0].in_force, 0);
	assert_int_equal(t.docs[0].allow, 6);
	assert_int_equal(t.docs[0].by_version[0], 6);
	gate_pending_totals_dispose(&t);
	text = render(f->g, "cookies", GATE_REPORT_TABLE, GATE_TIME_UNSET, NULL);
	assert_non_null(strstr(text, "nobody is pending"));
	assert_non_null(strstr(text, "none published"));
	free(text);
	/* A bad id is still an error. */
	assert_int_equal(gate_pending(f->g, "Cookies!", GATE_TIME_UNSET, NULL, NULL, NULL), GATE_EINVALID);

	assert_int_equal(gate_uptake_new(&u, f->g, "cookies", GATE_TIME_UNSET), 0);
	assert_int_equal(gate_uptake_version_count(u), 0);
	assert_int_equal(gate_uptake_users(u), 6);
	assert_null(gate_uptake_version_at(u, 0));
	gate_uptake_free(u);
}

/* --- formats ----------------------------------------------------------------------------------------------- */

/* Registers users whose ids are hard on every format. */
static const char *const nasty[] = {
	"comma,user", "quote\"user", "\"quoted\"", " leading space", "trailing space ", "semi;colon",
	"<script>alert(1)</script>", "amp&lt;", "back\\slash", "ünïcödé 名前 😀", "'single'",
};

static void add_nasty(fixture *f)
{
	size_t added;

	assert_int_equal(gate_users_add(f->g, nasty, GATE__ARRAY_SIZE(nasty), &added), 0);
	assert_int_equal(added, GATE__ARRAY_SIZE(nasty));
}

static void test_csv_quotes_what_needs_it_and_reads_back_exactly(void **state)
{
	fixture *f = *state;
	char *text, *fields[32] = { NULL };
	const char *p;
	size_t n, records = 0, found = 0;

	add_nasty(f);
	text = render(f->g, "terms", GATE_REPORT_CSV, GATE_TIME_UNSET, NULL);
	p = text;
	n = csv_record(&p, fields, 32);
	assert_int_equal(n, 13);
	assert_string_equal(fields[0], "user");
	assert_string_equal(fields[12], "days_pending");
	for (size_t i = 0; i < n; i++)
		free(fields[i]);
	while ((n = csv_record(&p, fields, 32)) > 0) {
		assert_int_equal(n, 13);
		for (size_t k = 0; k < GATE__ARRAY_SIZE(nasty); k++)
			found += strcmp(fields[0], nasty[k]) == 0;
		assert_string_equal(fields[1], "terms");
		assert_string_equal(fields[2], "block");
		for (size_t i = 0; i < n; i++)
			free(fields[i]);
		records++;
	}
	assert_int_equal(records, 5 + GATE__ARRAY_SIZE(nasty));
	assert_int_equal(found, GATE__ARRAY_SIZE(nasty));
	/* Quoted only when needed: a plain id stays bare. */
	assert_non_null(strstr(text, "\r\nbob,terms,block,,,false,1,1,2026-01-01T00:00:00Z,true,"));
	assert_non_null(strstr(text, "\r\n\"comma,user\",terms,"));
	assert_non_null(strstr(text, "\r\n\"quote\"\"user\",terms,"));
	assert_non_null(strstr(text, "\r\n\" leading space\",terms,"));
	assert_non_null(strstr(text, "\r\nsemi;colon,terms,"));
	free(text);
}

/* A user id no API accepts, put in the database by hand: formats still hold. */
static void add_raw_user(fixture *f, const char *user)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	unsigned char salt[16] = { 1 }, commitment[32];

	memcpy(commitment, user, strlen(user) < 32 ? strlen(user) : 32);
	memset(commitment + (strlen(user) < 32 ? strlen(user) : 32), 7, 32 - (strlen(user) < 32 ? strlen(user) : 32));
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO subjects (user, salt, commitment, first_seen) VALUES (?1, ?2, ?3, ?4)",
		-1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, salt, 16, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, commitment, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, T0 + 3 * DAY);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void test_line_breaks_and_escapes_in_ids_cannot_forge_rows(void **state)
{
	fixture *f = *state;
	char *text, *fields[32] = { NULL };
	const char *p;
	size_t n, records = 0;

	add_raw_user(f, "mallory\r\nforged,terms,allow");
	add_raw_user(f, "esc\x1b[2Jape\xE2\x80\xAEtxt.exe");
	text = render(f->g, "terms", GATE_REPORT_CSV, GATE_TIME_UNSET, NULL);
	p = text;
	while ((n = csv_record(&p, fields, 32)) > 0) {
		assert_int_equal(n, 13);
		if (records && strncmp(fields[0], "mallory", 7) == 0)
			assert_string_equal(fields[0], "mallory\r\nforged,terms,allow");
		for (size_t i = 0; i < n; i++)
			free(fields[i]);
		records++;
	}
	assert_int_equal(records, 1 + 5 + 2);
	free(text);

	/* The table shows no control character nor bidi override, one line per row. */
	text = render(f->g, "terms", GATE_REPORT_TABLE, GATE_TIME_UNSET, NULL);
	assert_null(strchr(text, '\r'));
	assert_null(strchr(text, '\x1b'));
	assert_null(strstr(text, "\xE2\x80\xAE"));
	assert_non_null(strstr(text, "mallory\xEF\xBF\xBD\xEF\xBF\xBD" "forged,terms,allow"));
	assert_non_null(strstr(text, "esc\xEF\xBF\xBD[2Jape\xEF\xBF\xBDtxt.exe"));
	free(text);

	text = render(f->g, "terms", GATE_REPORT_JSON, GATE_TIME_UNSET, NULL);
	assert_json(text);
	assert_non_null(strstr(text, "\"mallory\\r\\nforged,terms,allow\""));
	free(text);
}

static void test_table_aligns_columns_by_display_width(void **state)
{
	fixture *f = *state;
	char *text, *line, *save = NULL;
	size_t doc_col = 0;

	add_nasty(f);
	text = render(f->g, "terms", GATE_REPORT_TABLE, GATE_TIME_UNSET, NULL);
	/* The rows end at the first blank line; the totals follow. */
	assert_non_null(strstr(text, "\n\n"));
	strstr(text, "\n\n")[1] = '\0';
	/* Every row's document column starts at the same terminal column as the heading's. */
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *doc = strstr(line, doc_col ? "terms  block" : "DOC  ");
		size_t cols = 0;

		assert_non_null(doc);
		for (const char *q = line; q < doc; ) {
			int32_t cp;
			utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)q, -1, &cp);

			assert_true(k > 0);
			cols += (size_t)utf8proc_charwidth(cp);
			q += k;
		}
		if (!doc_col)
			doc_col = cols;
		else
			assert_int_equal(cols, doc_col);
	}
	assert_true(doc_col > strlen("ünïcödé 名前 😀"));
	free(text);
}

static void test_json_is_valid_and_holds_rows_then_totals(void **state)
{
	fixture *f = *state;
	gate_pending_totals t = GATE_PENDING_TOTALS_INIT;
	char *text;

	add_nasty(f);
	text = render(f->g, NULL, GATE_REPORT_JSON, GATE_TIME_UNSET, &t);
	assert_json(text);
	assert_non_null(strstr(text, "\"report\": \"pending\", \"doc\": null, \"as_of\": \"2026-02-05T00:00:00Z\""));
	assert_non_null(strstr(text, "{\"user\": \"quote\\\"user\", \"doc\": \"privacy\", \"decision\": \"block\""));
	assert_non_null(strstr(text, "\"back\\\\slash\""));
	assert_non_null(strstr(text, "\"users\": 17, \"users_block\": 16, \"users_notify\": 1"));
	assert_non_null(strstr(text, "\"by_version\": [{\"version\": null, \"users\": 13}, {\"version\": 1, \"users\": 1}"));
	assert_true(strstr(text, "\"rows\"") < strstr(text, "\"totals\""));
	assert_int_equal(t.users, 17);
	gate_pending_totals_dispose(&t);
	free(text);
	/* No rows at all is still valid JSON. */
	text = render(f->g, "cookies", GATE_REPORT_JSON, GATE_TIME_UNSET, NULL);
	assert_json(text);
	assert_non_null(strstr(text, "\"rows\": []"));
	free(text);
}

static void test_html_is_self_contained_escaped_and_bounded(void **state)
{
	fixture *f = *state;
	gate_report_options o;
	sink s = { NULL, 0, 0, 0, 0 };
	char *text;

	add_nasty(f);
	text = render(f->g, NULL, GATE_REPORT_HTML, GATE_TIME_UNSET, NULL);
	assert_true(strncmp(text, "<!DOCTYPE html>\n<html lang=\"en\">", 32) == 0);
	assert_non_null(strstr(text, "</html>\n"));
	/* Nothing to fetch, nothing to run. */
	assert_null(strstr(text, "<script"));
	assert_null(strstr(text, "http:"));
	assert_null(strstr(text, "https:"));
	assert_null(strstr(text, "url("));
	assert_null(strstr(text, "@import"));
	assert_null(strstr(text, "<link"));
	assert_null(strstr(text, "<img"));
	assert_non_null(strstr(text, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(text, "amp&amp;lt;"));
	assert_non_null(strstr(text, "<meta name=\"viewport\""));
	/* A chart per document, with its text alternative. */
	assert_non_null(strstr(text, "<svg class=\"bars\""));
	assert_non_null(strstr(text, "<title id=\"chart0-t\">privacy: users by the newest version they accept</title>"));
	assert_non_null(strstr(text, "<desc id=\"chart0-d\">Of 17 known users: 13 never accepted or withdrew; 1 accept v1;"));
	free(text);

	/* Only the first rows are listed; the rest are counted. */
	assert_int_equal(gate_report_options_init(&o, GATE_REPORT_OPTIONS_VERSION), 0);
	o.format = GATE_REPORT_HTML;
	o.html_rows = 2;
	o.title = "Acme <Health> report";
	assert_int_equal(gate_pending_render(f->g, "terms", &o, sink_write, &s, NULL), 0);
	assert_non_null(strstr(s.data, "<title>Acme &lt;Health&gt; report</title>"));
	assert_non_null(strstr(s.data, "And 14 more rows not shown here."));
	{
		size_t trs = 0;

		for (const char *q = s.data; (q = strstr(q, "<tr><td")) != NULL; q++)
			trs++;
		assert_int_equal(trs, 2);
	}
	free(s.data);
}

static void test_a_writer_that_fails_stops_the_rendering(void **state)
{
	fixture *f = *state;
	gate_report_options o = GATE_REPORT_OPTIONS_INIT;
	sink s = { NULL, 0, 0, 0, 1 };
	gate_uptake *u;

	/* Many rows, so that the output is handed over in pieces before the end. */
	for (int i = 0; i < 3000; i++) {
		char name[32];
		const char *p = name;

		snprintf(name, sizeof(name), "user%05d", i);
		assert_int_equal(gate_users_add(f->g, &p, 1, NULL), 0);
	}
	o.format = GATE_REPORT_CSV;
	assert_int_equal(gate_pending_render(f->g, NULL, &o, sink_write, &s, NULL), -77);
	assert_int_equal(s.calls, 1);
	free(s.data);
	memset(&s, 0, sizeof(s));
	assert_int_equal(gate_pending_render(f->g, NULL, &o, sink_write, &s, NULL), 0);
	assert_true(s.calls > 1);
	free(s.data);

	assert_int_equal(gate_uptake_new(&u, f->g, "privacy", GATE_TIME_UNSET), 0);
	memset(&s, 0, sizeof(s));
	s.fail_after = 1;
	assert_int_equal(gate_uptake_render(u, NULL, sink_write, &s), -77);
	gate_uptake_free(u);

	o.format = 9;
	assert_int_equal(gate_pending_render(f->g, NULL, &o, sink_write, &s, NULL), GATE_EINVALID);
	o.version = 99;
	assert_int_equal(gate_pending_render(f->g, NULL, &o, sink_write, &s, NULL), GATE_EVERSION);
	assert_int_equal(gate_report_options_init(&o, 99), GATE_EVERSION);
	assert_int_equal(gate_pending_render(f->g, NULL, NULL, NULL, NULL, NULL), GATE_EINVALID);
	assert_string_equal(gate_report_format_name(GATE_REPORT_HTML), "html");
	assert_string_equal(gate_report_format_name(7), "");
}

/* --- uptake --------------------------------------------------------------------------------------------- */

static void expect_day(const gate_uptake_version *v, int day, size_t known, size_t accepted)
{
	const gate_uptake_day *d = gate__uptake_on(v, gate__day_of(T0) + day);

	if (!d)
		fail_msg("v%u has no day %d", v->n, day);
	if (d->known != known || d->accepted != accepted)
		fail_msg("v%u day %d: %zu of %zu known, expected %zu of %zu", v->n, day, d->accepted, d->known,
			accepted, known);
	assert_true(d->day == T0 + day * DAY);
}

static void test_uptake_day_by_day(void **state)
{
	fixture *f = *state;
	const gate_uptake_version *v1, *v2, *v3, *v4;
	gate_uptake *u;

	assert_int_equal(gate_uptake_new(&u, f->g, "privacy", GATE_TIME_UNSET), 0);
	assert_string_equal(gate_uptake_doc(u), "privacy");
	assert_true(gate_uptake_as_of(u) == T0 + 35 * DAY);
	assert_int_equal(gate_uptake_users(u), 6);
	assert_int_equal(gate_uptake_version_count(u), 4);
	v1 = gate_uptake_version_at(u, 0);
	v2 = gate_uptake_version_at(u, 1);
	v3 = gate_uptake_version_at(u, 2);
	v4 = gate_uptake_version_at(u, 3);
	/* Each version from the day it was published to the report's day. */
	assert_int_equal(v1->day_count, 36);
	assert_int_equal(v2->day_count, 31);
	assert_int_equal(v3->day_count, 21);
	assert_int_equal(v4->day_count, 6);
	assert_int_equal(v3->change, E);
	assert_true(v4->published == T0 + 30 * DAY && v4->effective == T0 + 40 * DAY);
	assert_null(gate__uptake_on(v2, gate__day_of(T0) + 4));

	expect_day(v1, 0, 0, 0);
	expect_day(v1, 1, 1, 1);      /* carol accepts v1 */
	expect_day(v1, 2, 2, 1);      /* frank registered */
	expect_day(v1, 11, 3, 2);     /* bob accepts v2 */
	expect_day(v1, 21, 4, 3);     /* alice accepts v3 */
	expect_day(v1, 22, 5, 4);     /* dave accepts v3 */
	expect_day(v1, 25, 5, 3);     /* dave withdraws */
	expect_day(v1, 31, 6, 4);     /* erin accepts v4 */
	expect_day(v1, 35, 6, 4);
	expect_day(v2, 5, 2, 0);
	expect_day(v2, 11, 3, 1);
	expect_day(v2, 22, 5, 3);
	expect_day(v2, 25, 5, 2);
	expect_day(v3, 15, 3, 0);
	expect_day(v3, 21, 4, 1);
	expect_day(v3, 22, 5, 2);
	expect_day(v3, 25, 5, 1);
	expect_day(v3, 31, 6, 2);
	expect_day(v4, 30, 5, 0);
	expect_day(v4, 31, 6, 1);
	gate_uptake_free(u);

	/* Ending earlier leaves out what came later, including whole versions. */
	assert_int_equal(gate_uptake_new(&u, f->g, "privacy", T0 + 12 * DAY), 0);
	assert_int_equal(gate_uptake_users(u), 3);
	assert_int_equal(gate_uptake_version_at(u, 0)->day_count, 13);
	assert_int_equal(gate_uptake_version_at(u, 2)->day_count, 0);
	expect_day(gate_uptake_version_at(u, 1), 12, 3, 1);
	gate_uptake_free(u);

	assert_int_equal(gate_uptake_new(&u, f->g, "Bad Id", GATE_TIME_UNSET), GATE_EINVALID);
	assert_null(u);
	gate_uptake_free(NULL);
}

static void test_forgotten_users_no_longer_count(void **state)
{
	fixture *f = *state;
	gate_pending_totals t = GATE_PENDING_TOTALS_INIT;
	gate_uptake *u;
	rows r;

	assert_int_equal(gate_user_forget(f->g, "alice"), 0);
	assert_int_equal(gate_uptake_new(&u, f->g, "privacy", GATE_TIME_UNSET), 0);
	assert_int_equal(gate_uptake_users(u), 5);
	expect_day(gate_uptake_version_at(u, 0), 21, 3, 2);
	expect_day(gate_uptake_version_at(u, 2), 31, 5, 1);
	gate_uptake_free(u);
	memset(&r, 0, sizeof(r));
	assert_int_equal(gate_pending(f->g, NULL, GATE_TIME_UNSET, collect, &r, &t), 0);
	assert_int_equal(t.users, 5);
	assert_null(find(&r, "alice", "privacy"));
	/* In the past too: the log still holds her events, but nothing names her. */
	memset(&r, 0, sizeof(r));
	assert_int_equal(gate_pending(f->g, NULL, T0 + 23 * DAY, collect, &r, &t), 0);
	assert_int_equal(t.users, 4);
	assert_null(find(&r, "alice", "terms"));
	gate_pending_totals_dispose(&t);
}

static void test_uptake_formats(void **state)
{
	fixture *f = *state;
	gate_report_options o = GATE_REPORT_OPTIONS_INIT;
	gate_uptake *u;
	sink s;
	char *fields[32] = { NULL };
	const char *p;
	size_t n, records = 0;

	assert_int_equal(gate_uptake_new(&u, f->g, "privacy", GATE_TIME_UNSET), 0);
	for (int format = GATE_REPORT_TABLE; format <= GATE_REPORT_HTML; format++) {
		memset(&s, 0, sizeof(s));
		o.format = format;
		assert_int_equal(gate_uptake_render(u, &o, sink_write, &s), 0);
		switch (format) {
		case GATE_REPORT_TABLE:
			assert_non_null(strstr(s.data, "Known users on a day:"));
			assert_non_null(strstr(s.data, "DATE        KNOWN  v1 (material)"));
			assert_non_null(strstr(s.data, "\n2026-01-26      5  3 (60.0%)"));
			break;
		case GATE_REPORT_CSV:
			p = s.data;
			while ((n = csv_record(&p, fields, 32)) > 0) {
				assert_int_equal(n, 10);
				if (records == 26) {
					assert_string_equal(fields[0], "2026-01-26");
					assert_string_equal(fields[1], "5");
					assert_string_equal(fields[2], "3");
					assert_string_equal(fields[3], "0.6000");
					assert_string_equal(fields[8], "");
				}
				for (size_t i = 0; i < n; i++)
					free(fields[i]);
				records++;
			}
			assert_int_equal(records, 37);
			break;
		case GATE_REPORT_JSON:
			assert_json(s.data);
			assert_non_null(strstr(s.data, "\"known_users\": \"Known users on a day:"));
			assert_non_null(strstr(s.data, "{\"date\": \"2026-01-26\", \"known\": 5, \"accepted\": 3, \"share\": 0.6000}"));
			assert_non_null(strstr(s.data, "{\"date\": \"2026-01-01\", \"known\": 0, \"accepted\": 0, \"share\": null}"));
			break;
		default:
			assert_null(strstr(s.data, "<script"));
			assert_null(strstr(s.data, "http"));
			assert_non_null(strstr(s.data, "<svg class=\"lines\""));
			assert_non_null(strstr(s.data, "<title id=\"uptake-t\">Uptake of privacy</title>"));
			assert_non_null(strstr(s.data, "v4 (material): 1 of 6 known users (16.7%) after 6 days"));
			/* One line per version (v1 starts once someone is known: no line through nobody). */
			{
				size_t lines = 0;

				for (const char *q = s.data; (q = strstr(q, "<polyline")) != NULL; q++)
					lines++;
				assert_int_equal(lines, 4);
			}
			assert_non_null(strstr(s.data, "<polyline class=\"s0\" vector-effect=\"non-scaling-stroke\" points=\"1,0.0 2,500.0"));
			break;
		}
		free(s.data);
	}
	gate_uptake_free(u);
}

/* --- the store op behind replays ---------------------------------------------------------------------- */

typedef struct {
	char users[16][32];
	size_t acts[16];
	size_t count;
	bool sorted;
} act_walk;

static int on_acts(const gate__user_acts *u, void *payload)
{
	act_walk *w = payload;

	snprintf(w->users[w->count], sizeof(w->users[0]), "%s", u->user);
	w->acts[w->count++] = u->act_count;
	for (size_t i = 1; i < u->act_count; i++) {
		int c = strcmp(u->acts[i - 1].doc, u->acts[i].doc);

		if (c > 0 || (c == 0 && u->acts[i - 1].seq >= u->acts[i].seq))
			w->sorted = false;
	}
	return 0;
}

static void test_each_user_acts_streams_known_users_and_their_acts(void **state)
{
	fixture *f = *state;
	gate_store *store;
	act_walk w;

	memset(&w, 0, sizeof(w));
	w.sorted = true;
	assert_int_equal(gate__store(f->g, &store), 0);
	assert_int_equal(gate_user_forget(f->g, "bob"), 0);
	assert_int_equal(store->ops->each_user_acts(store, on_acts, &w), 0);
	assert_true(w.sorted);
	assert_int_equal(w.count, 5);
	assert_string_equal(w.users[0], "alice");
	assert_int_equal(w.acts[0], 2);
	assert_string_equal(w.users[1], "carol");
	assert_string_equal(w.users[2], "dave");
	assert_int_equal(w.acts[2], 2);
	assert_string_equal(w.users[4], "frank");
	assert_int_equal(w.acts[4], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rows_and_totals_for_every_decision, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rows_stream_in_user_then_document_order_and_a_stop_is_returned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_as_of_in_the_future_decides_then, setup, teardown),
		cmocka_unit_test_setup_teardown(test_as_of_in_the_past_replays_the_log, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_document_with_no_versions_is_everyone_allowed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_quotes_what_needs_it_and_reads_back_exactly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_breaks_and_escapes_in_ids_cannot_forge_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_aligns_columns_by_display_width, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_is_valid_and_holds_rows_then_totals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_html_is_self_contained_escaped_and_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_writer_that_fails_stops_the_rendering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uptake_day_by_day, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forgotten_users_no_longer_count, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uptake_formats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_each_user_acts_streams_known_users_and_their_acts, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
