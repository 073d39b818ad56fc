/* report.c: rendering reports through the caller's write callback: options, format dispatch and the
 * buffered writer every format uses. */
#include "handle.h"
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Hand the caller pieces of about this size: few calls, little memory. */
#define OUT_CHUNK (64 * 1024)

int64_t gate__day_of(int64_t ms)
{
	return ms >= 0 ? ms / GATE__DAY_MS : -((-ms + GATE__DAY_MS - 1) / GATE__DAY_MS);
}

static int id_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int gate__published_doc(gate *g, const char *doc, gate__catalog_doc **out)
{
	const char *const *ids;
	gate_catalog *cat;
	size_t n;
	int error;

	*out = NULL;
	if ((error = gate_doc_id_check(doc)) < 0 || (error = gate_docs(g, &ids, &n)) < 0)
		return error;
	/* Decided from the list of documents only, so that a document whose
	 * versions fail to load is an error, never "nothing published". */
	if (!n || !bsearch(&doc, ids, n, sizeof(*ids), id_cmp))
		return 0;
	if ((error = gate__catalog(g, &cat)) < 0)
		return error;
	return gate__catalog_doc_get(cat, doc, out);
}

const char *gate_report_format_name(int format)
{
	switch (format) {
	case GATE_REPORT_TABLE: return "table";
	case GATE_REPORT_CSV: return "csv";
	case GATE_REPORT_JSON: return "json";
	case GATE_REPORT_HTML: return "html";
	default: return "";
	}
}

int gate_report_options_init(gate_report_options *opts, unsigned int version)
{
	gate_report_options init = GATE_REPORT_OPTIONS_INIT;

	if (!opts)
		return gate__error_set(GATE_EINVALID, "gate_report_options_init: NULL options");
	if (version != GATE_REPORT_OPTIONS_VERSION)
		return gate__error_set(GATE_EVERSION, "gate_report_options version %u is not supported (this libgate knows %d)",
			version, GATE_REPORT_OPTIONS_VERSION);
	*opts = init;
	return 0;
}

static int check_options(const gate_report_options *opts)
{
	if (opts->version != GATE_REPORT_OPTIONS_VERSION)
		return gate__error_set(GATE_EVERSION, "gate_report_options version %u is not supported (this libgate knows %d)",
			opts->version, GATE_REPORT_OPTIONS_VERSION);
	if (!*gate_report_format_name(opts->format))
		return gate__error_set(GATE_EINVALID, "report format %d is not table (0), csv (1), json (2) or html (3)",
			opts->format);
	return 0;
}

int gate_pending_render(gate *g, const char *doc, const gate_report_options *opts,
	gate_write_fn write, void *payload, gate_pending_totals *totals)
{
	gate_report_options defaults = GATE_REPORT_OPTIONS_INIT;
	gate_pending_totals own = GATE_PENDING_TOTALS_INIT;
	gate__out o;
	int error;

	if (!g || !write)
		return gate__error_set(GATE_EINVALID, "gate_pending_render: NULL handle or write callback");
	if (opts)
		defaults = *opts;
	if ((error = check_options(&defaults)) < 0)
		return error;
	/* One time for the whole report, so that a heading can say it first. */
	if (defaults.as_of == GATE_TIME_UNSET)
		defaults.as_of = gate_now(g);
	opts = &defaults;
	if (!totals)
		totals = &own;
	gate__out_init(&o, write, payload);
	switch (opts->format) {
	case GATE_REPORT_CSV: error = gate__pending_csv(g, doc, opts, &o, totals); break;
	case GATE_REPORT_JSON: error = gate__pending_json(g, doc, opts, &o, totals); break;
	case GATE_REPORT_HTML: error = gate__pending_html(g, doc, opts, &o, totals); break;
	default: error = gate__pending_table(g, doc, opts, &o, totals); break;
	}
	/* A stop from the writer comes back through the walk as the writer's value. */
	/* After a failure nothing more is written: the sticky error stops the flush. */
	if (error != 0 && !o.error)
		o.error = error;
	error = gate__out_end(&o);
	gate_pending_totals_dispose(&own);
	return error;
}

int gate_uptake_render(const gate_uptake *u, const gate_report_options *opts,
	gate_write_fn write, void *payload)
{
	gate_report_options defaults = GATE_REPORT_OPTIONS_INIT;
	gate__out o;
	int error;

	if (!u || !write)
		return gate__error_set(GATE_EINVALID, "gate_uptake_render: NULL uptake or write callback");
	if (!opts)
		opts = &defaults;
	if ((error = check_options(opts)) < 0)
		return error;
	gate__out_init(&o, write, payload);
	switch (opts->format) {
	case GATE_REPORT_CSV: gate__uptake_csv(u, &o); break;
	case GATE_REPORT_JSON: gate__uptake_json(u, &o); break;
	case GATE_REPORT_HTML: gate__uptake_html(u, opts, &o); break;
	default: gate__uptake_table(u, &o); break;
	}
	return gate__out_end(&o);
}

const char *gate__accepted_words(const gate_decision *d, char *buf, size_t size)
{
	if (d->revoked)
		return "withdrawn";
	if (!d->accepted)
		return "never";
	snprintf(buf, size, "v%u", d->accepted);
	return buf;
}

/* --- the buffered writer ---------------------------------------------------------------------- */

/* One remembered date: slot `day % DAY_SLOTS` holds the last day written there. */
#define DAY_SLOTS 1024

struct gate__day_text {
	int64_t day;
	char text[11];     /* "2026-03-01", or "" for an empty slot */
};

void gate__out_init(gate__out *o, gate_write_fn write, void *payload)
{
	gate_buf init = GATE_BUF_INIT;

	o->buf = init;
	o->write = write;
	o->payload = payload;
	o->error = 0;
	o->days = NULL;
}

static void flush(gate__out *o)
{
	if (!o->error && o->buf.size) {
		int rc = o->write(o->buf.ptr, o->buf.size, o->payload);

		if (rc != 0)
			o->error = rc;
	}
	gate__buf_clear(&o->buf);
}

void gate__out_maybe_flush(gate__out *o)
{
	if (o->buf.size >= OUT_CHUNK)
		flush(o);
}

void gate__out_put(gate__out *o, const char *data, size_t len)
{
	if (!o->error && gate__buf_put(&o->buf, data, len) < 0)
		o->error = GATE_ENOMEM;
}

void gate__out_puts(gate__out *o, const char *s)
{
	gate__out_put(o, s, strlen(s));
}

void gate__out_printf(gate__out *o, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		o->error = o->error ? o->error : gate__error_set(GATE_ERROR, "cannot format report output");
		return;
	}
	if ((size_t)n < sizeof(small)) {
		gate__out_put(o, small, (size_t)n);
		return;
	}
	/* Longer than the scratch buffer: format straight into the output. */
	if (o->error || gate__buf_grow(&o->buf, (size_t)n) < 0) {
		o->error = o->error ? o->error : GATE_ENOMEM;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(o->buf.ptr + o->buf.size, (size_t)n + 1, fmt, ap);
	va_end(ap);
	o->buf.size += (size_t)n;
}

void gate__out_json(gate__out *o, const char *s)
{
	if (!o->error && gate__buf_put_json_string(&o->buf, s, strlen(s)) < 0)
		o->error = GATE_ENOMEM;
}

void gate__out_html(gate__out *o, const char *s)
{
	if (!o->error && gate__buf_put_html(&o->buf, s, strlen(s)) < 0)
		o->error = GATE_ENOMEM;
}

void gate__out_uint(gate__out *o, uint64_t n)
{
	char digits[24];
	size_t k = sizeof(digits);

	do {
		digits[--k] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	gate__out_put(o, digits + k, sizeof(digits) - k);
}

void gate__out_int(gate__out *o, int64_t n)
{
	if (n < 0) {
		gate__out_put(o, "-", 1);
		gate__out_uint(o, (uint64_t)0 - (uint64_t)n);
	} else {
		gate__out_uint(o, (uint64_t)n);
	}
}

/* "2026-03-01" for `ms`, formatted by gate_time_format() once per day seen;
 * false for a time it cannot format. */
static bool date_text(gate__out *o, int64_t ms, char *out)
{
	int64_t day = gate__day_of(ms);
	gate__day_text *slot;
	char t[GATE_TIME_BUFSIZE];

	if (!o->days && !(o->days = gate__calloc(DAY_SLOTS, sizeof(*o->days))))
		return false;
	slot = &o->days[(uint64_t)day % DAY_SLOTS];
	if (!slot->text[0] || slot->day != day) {
		if (gate_time_format(t, ms) < 0)
			return false;
		memcpy(slot->text, t, 10);
		slot->text[10] = '\0';
		slot->day = day;
	}
	memcpy(out, slot->text, 11);
	return true;
}

static void two(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

void gate__out_time(gate__out *o, int64_t ms, const char *unset)
{
	char t[GATE_TIME_BUFSIZE];
	int64_t in_day;
	unsigned secs, milli;

	if (ms == GATE_TIME_UNSET || !date_text(o, ms, t)) {
		gate__out_puts(o, unset);
		return;
	}
	/* The rest as gate_time_format() writes it: "THH:MM:SS", ".mmm" when not 0, "Z". */
	in_day = ms - gate__day_of(ms) * GATE__DAY_MS;
	secs = (unsigned)(in_day / 1000);
	milli = (unsigned)(in_day % 1000);
	t[10] = 'T';
	two(t + 11, secs / 3600);
	t[13] = ':';
	two(t + 14, secs / 60 % 60);
	t[16] = ':';
	two(t + 17, secs % 60);
	if (milli) {
		t[19] = '.';
		t[20] = (char)('0' + milli / 100);
		two(t + 21, milli % 100);
		t[23] = 'Z';
		gate__out_put(o, t, 24);
	} else {
		t[19] = 'Z';
		gate__out_put(o, t, 20);
	}
}

void gate__out_date(gate__out *o, int64_t ms, const char *unset)
{
	char t[GATE_TIME_BUFSIZE];

	if (ms == GATE_TIME_UNSET || !date_text(o, ms, t))
		gate__out_puts(o, unset);
	else
		gate__out_put(o, t, 10);
}

void gate__out_json_time(gate__out *o, int64_t ms)
{
	if (ms == GATE_TIME_UNSET) {
		gate__out_puts(o, "null");
		return;
	}
	gate__out_put(o, "\"", 1);
	gate__out_time(o, ms, "");
	gate__out_put(o, "\"", 1);
}

void gate__count_words(char *out, size_t n)
{
	char digits[32];
	int len = snprintf(digits, sizeof(digits), "%zu", n), k = 0;

	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			out[k++] = ',';
		out[k++] = digits[i];
	}
	out[k] = '\0';
}

void gate__out_count(gate__out *o, size_t n)
{
	char buf[32];

	gate__count_words(buf, n);
	gate__out_puts(o, buf);
}

void gate__out_share(gate__out *o, size_t part, size_t whole)
{
	if (!whole)
		gate__out_puts(o, "-");
	else
		gate__out_printf(o, "%.1f%%", 100.0 * (double)part / (double)whole);
}

int gate__out_end(gate__out *o)
{
	int error;

	flush(o);
	error = o->error;
	gate_buf_dispose(&o->buf);
	free(o->days);
	o->days = NULL;
	return error;
}
