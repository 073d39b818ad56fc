/* support_memsource.c: an in-memory version source for white-box tests. */
#include "support_memsource.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct memver {
	char doc[GATE_DOC_MAX + 1];
	gate_version_info info;
	gate_locale_text locales[8];
	char *texts[8];
	char summary[64];
} memver;

struct memsrc {
	gate_source base;
	memver *versions;
	size_t count;
	gate_settings extra;
	char default_locale[GATE_LOCALE_MAX + 1];
};

static int mem_load_settings(gate_source *base, gate_settings *s)
{
	memsrc *m = (memsrc *)base;

	if (gate__settings_add(s, "gate.defaultlocale", m->default_locale) < 0)
		return GATE_ENOMEM;
	for (size_t i = 0; i < m->extra.count; i++)
		if (gate__settings_add(s, m->extra.entries[i].name, m->extra.entries[i].value) < 0)
			return GATE_ENOMEM;
	return 0;
}

static int mem_list_docs(gate_source *base, gate__strlist *out)
{
	memsrc *m = (memsrc *)base;

	for (size_t i = 0; i < m->count; i++)
		if (!gate__strlist_contains(out, m->versions[i].doc) &&
		    gate__strlist_push(out, m->versions[i].doc) < 0)
			return GATE_ENOMEM;
	return 0;
}

static int mem_load_versions(gate_source *base, gate_catalog *cat, const char *doc)
{
	memsrc *m = (memsrc *)base;

	for (size_t i = 0; i < m->count; i++) {
		memver *v = &m->versions[i];
		int error;

		if (strcmp(v->doc, doc) != 0)
			continue;
		v->info.doc = v->doc;
		v->info.locales = v->locales;
		v->info.summary = v->summary;
		if ((error = gate__catalog_add_version(cat, &v->info)) < 0)
			return error;
	}
	return 0;
}

static int mem_read_blob(gate_source *base, const gate_version_info *info,
	const gate_locale_text *t, gate_buf *out)
{
	memsrc *m = (memsrc *)base;

	for (size_t i = 0; i < m->count; i++) {
		memver *v = &m->versions[i];

		if (strcmp(v->doc, info->doc) != 0 || v->info.n != info->n)
			continue;
		for (size_t k = 0; k < v->info.locale_count; k++)
			if (strcmp(v->locales[k].locale, t->locale) == 0)
				return gate__buf_puts(out, v->texts[k]);
	}
	return gate__error_set(GATE_ENOTFOUND, "memsrc: no text for %s v%u %s", info->doc, info->n, t->locale);
}

static void mem_free(gate_source *base)
{
	memsrc *m = (memsrc *)base;

	for (size_t i = 0; i < m->count; i++)
		for (size_t k = 0; k < m->versions[i].info.locale_count; k++)
			free(m->versions[i].texts[k]);
	free(m->versions);
	gate__settings_free(&m->extra);
	free(m);
}

memsrc *memsrc_new(const char *default_locale)
{
	memsrc *m = calloc(1, sizeof(*m));

	if (!m)
		abort();
	m->base.kind = "memory";
	m->base.load_settings = mem_load_settings;
	m->base.list_docs = mem_list_docs;
	m->base.load_versions = mem_load_versions;
	m->base.read_blob = mem_read_blob;
	m->base.free = mem_free;
	gate__settings_init(&m->extra);
	snprintf(m->default_locale, sizeof(m->default_locale), "%s",
		default_locale ? default_locale : "en-GB");
	return m;
}

void memsrc_setting(memsrc *m, const char *name, const char *value)
{
	if (gate__settings_add(&m->extra, name, value) < 0)
		abort();
}

/* A fake but stable 40-hex id from a string. */
static void fake_oid(char *out, const char *kind, const char *doc, unsigned n, const char *extra)
{
	unsigned long long h = 1469598103934665603ULL;
	char seed[256];

	snprintf(seed, sizeof(seed), "%s/%s/%u/%s", kind, doc, n, extra ? extra : "");
	for (const char *p = seed; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	snprintf(out, GATE_OID_HEXSIZE + 1, "%016llx%016llx%08llx", h, h * 31 + 7, (h >> 7) & 0xffffffffULL);
}

unsigned memsrc_add(memsrc *m, const char *doc, gate_change change, int64_t effective, ...)
{
	memver *v;
	unsigned n = 1;
	const char *locale;
	va_list ap;

	for (size_t i = 0; i < m->count; i++)
		if (strcmp(m->versions[i].doc, doc) == 0)
			n++;
	m->versions = realloc(m->versions, (m->count + 1) * sizeof(*m->versions));
	if (!m->versions)
		abort();
	v = &m->versions[m->count++];
	memset(v, 0, sizeof(*v));
	snprintf(v->doc, sizeof(v->doc), "%s", doc);
	snprintf(v->summary, sizeof(v->summary), "%s v%u", doc, n);
	v->info.n = n;
	v->info.change = n == 1 ? GATE_CHANGE_MATERIAL : change;
	v->info.detected = v->info.change;
	v->info.published = effective;
	v->info.effective = effective;
	fake_oid(v->info.tag_oid, "tag", doc, n, NULL);
	fake_oid(v->info.commit_oid, "commit", doc, n, NULL);
	va_start(ap, effective);
	while ((locale = va_arg(ap, const char *)) != NULL) {
		const char *text = va_arg(ap, const char *);
		size_t k = v->info.locale_count++;

		snprintf(v->locales[k].locale, sizeof(v->locales[k].locale), "%s", locale);
		fake_oid(v->locales[k].blob_oid, "blob", doc, n, text);
		v->texts[k] = strdup(text);
	}
	va_end(ap);
	return n;
}

void memsrc_set_published(memsrc *m, const char *doc, unsigned n, int64_t published)
{
	for (size_t i = 0; i < m->count; i++)
		if (strcmp(m->versions[i].doc, doc) == 0 && m->versions[i].info.n == n)
			m->versions[i].info.published = published;
}

int memsrc_open(gate **out, memsrc *m, const char *db_path, gate_clock_fn clock, void *payload)
{
	gate_options opts = GATE_OPTIONS_INIT;

	opts.db_path = db_path ? db_path : ":memory:";
	opts.clock = clock;
	opts.clock_payload = payload;
	return gate__open_with_source(out, &opts, &m->base);
}

int memsrc_open_with(gate **out, memsrc *m, const gate_options *opts)
{
	return gate__open_with_source(out, opts, &m->base);
}

int64_t memclock(void *payload)
{
	return *(int64_t *)payload;
}
