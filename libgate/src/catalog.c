/* catalog.c: documents and versions in memory, loaded lazily from the source; lookups by number and by time. */
#include "catalog.h"
#include "handle.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

int gate__catalog_new(gate_catalog **out, gate_source *source)
{
	gate_catalog *cat = gate__calloc(1, sizeof(*cat));

	*out = NULL;
	if (!cat)
		return GATE_ENOMEM;
	cat->source = source;
	*out = cat;
	return 0;
}

void gate__catalog_free(gate_catalog *cat)
{
	if (!cat)
		return;
	for (size_t i = 0; i < cat->count; i++)
		free(cat->docs[i].versions);
	free(cat->docs);
	free(cat->ids);
	gate__arena_free(&cat->arena);
	free(cat);
}

static int doc_cmp(const void *a, const void *b)
{
	return strcmp(((const gate__catalog_doc *)a)->id, ((const gate__catalog_doc *)b)->id);
}

static int add_doc(gate_catalog *cat, const char *id, gate__catalog_doc **out)
{
	gate__catalog_doc *d;

	if (gate__array_reserve(&cat->docs, &cat->alloc, cat->count, sizeof(*cat->docs)) < 0)
		return GATE_ENOMEM;
	d = &cat->docs[cat->count];
	memset(d, 0, sizeof(*d));
	if (!(d->id = gate__arena_strdup(&cat->arena, id)))
		return GATE_ENOMEM;
	cat->count++;
	*out = d;
	return 0;
}

static gate__catalog_doc *find_doc(gate_catalog *cat, const char *id)
{
	gate__catalog_doc key;

	key.id = (char *)id;
	if (!cat->count)
		return NULL;
	return bsearch(&key, cat->docs, cat->count, sizeof(key), doc_cmp);
}

static int list_docs(gate_catalog *cat)
{
	gate__strlist ids = GATE__STRLIST_INIT;
	int error;

	if (cat->listed)
		return 0;
	if ((error = cat->source->list_docs(cat->source, &ids)) < 0)
		goto done;
	gate__strlist_sort(&ids);
	for (size_t i = 0; i < ids.count; i++) {
		gate__catalog_doc *d;

		if (i > 0 && strcmp(ids.items[i], ids.items[i - 1]) == 0)
			continue;
		if ((error = add_doc(cat, ids.items[i], &d)) < 0)
			goto done;
	}
	cat->ids = gate__calloc(cat->count + 1, sizeof(char *));
	if (!cat->ids) {
		error = GATE_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < cat->count; i++)
		cat->ids[i] = cat->docs[i].id;
	cat->listed = true;
done:
	gate__strlist_free(&ids);
	return error;
}

int gate__catalog_add_version(gate_catalog *cat, const gate_version_info *v)
{
	gate__catalog_doc *d = find_doc(cat, v->doc);
	gate_version_info *copy;
	gate_locale_text *locales = NULL;

	if (!d)
		return gate__error_set(GATE_ERROR, "internal: version of unlisted document '%s'", v->doc);
	if (gate__array_reserve(&d->versions, &d->alloc, d->count, sizeof(*d->versions)) < 0)
		return GATE_ENOMEM;
	if (v->locale_count) {
		locales = gate__arena_alloc(&cat->arena, v->locale_count * sizeof(*locales));
		if (!locales)
			return GATE_ENOMEM;
		memcpy(locales, v->locales, v->locale_count * sizeof(*locales));
	}
	copy = &d->versions[d->count];
	*copy = *v;
	copy->doc = d->id;
	copy->locales = locales;
	copy->summary = gate__arena_strdup(&cat->arena, v->summary ? v->summary : "");
	copy->reason = v->reason ? gate__arena_strdup(&cat->arena, v->reason) : NULL;
	copy->publisher_name = gate__arena_strdup(&cat->arena, v->publisher_name ? v->publisher_name : "");
	copy->publisher_email = gate__arena_strdup(&cat->arena, v->publisher_email ? v->publisher_email : "");
	if (!copy->summary || !copy->publisher_name || !copy->publisher_email ||
	    (v->reason && !copy->reason))
		return GATE_ENOMEM;
	d->count++;
	return 0;
}

static int version_cmp(const void *a, const void *b)
{
	unsigned x = ((const gate_version_info *)a)->n, y = ((const gate_version_info *)b)->n;

	return x < y ? -1 : x > y;
}

static int load_doc(gate_catalog *cat, gate__catalog_doc *d)
{
	int error;

	d->count = 0;
	if ((error = cat->source->load_versions(cat->source, cat, d->id)) < 0)
		return error;
	qsort(d->versions, d->count, sizeof(*d->versions), version_cmp);
	for (size_t i = 0; i < d->count; i++) {
		if (d->versions[i].n != i + 1)
			return gate__error_set(GATE_ECORRUPT,
				"%s: version v%zu is missing (versions jump from v%zu to v%u); the repository has lost a tag",
				d->id, i + 1, i, d->versions[i].n);
	}
	d->loaded = true;
	return 0;
}

static int no_such_doc(gate_catalog *cat, const char *doc)
{
	gate_buf names = GATE_BUF_INIT;
	int code;

	for (size_t i = 0; i < cat->count && i < 8; i++)
		gate__buf_printf(&names, "%s%s", i ? ", " : "", cat->docs[i].id);
	if (cat->count == 0)
		code = gate__error_set(GATE_ENOTFOUND,
			"document '%s' has no published version; nothing has been published yet", doc);
	else
		code = gate__error_set(GATE_ENOTFOUND,
			"document '%s' has no published version; published documents: %s%s",
			doc, names.ptr, cat->count > 8 ? ", ..." : "");
	gate_buf_dispose(&names);
	return code;
}

int gate__catalog_doc_get(gate_catalog *cat, const char *doc, gate__catalog_doc **out)
{
	gate__catalog_doc *d;
	int error;

	*out = NULL;
	if ((error = gate_doc_id_check(doc)) < 0)
		return error;
	if ((error = list_docs(cat)) < 0)
		return error;
	if (!(d = find_doc(cat, doc)))
		return no_such_doc(cat, doc);
	if (!d->loaded && (error = load_doc(cat, d)) < 0)
		return error;
	*out = d;
	return 0;
}

const gate_version_info *gate__catalog_in_force(const gate__catalog_doc *d, int64_t at)
{
	/* Effective times never decrease with n (publish enforces it), but
	 * scan from the newest so that a repository edited by hand still gives
	 * the newest version whose time has come. */
	for (size_t i = d->count; i > 0; i--)
		if (d->versions[i - 1].effective <= at)
			return &d->versions[i - 1];
	return NULL;
}

const gate_locale_text *gate__catalog_text(const gate_version_info *v, const char *want)
{
	if (!v->locale_count)
		return NULL;
	for (size_t i = 0; want && i < v->locale_count; i++)
		if (strcmp(v->locales[i].locale, want) == 0)
			return &v->locales[i];
	return &v->locales[0]; /* the default locale's text of that version */
}

/* --- public lookups ----------------------------------------------------------- */

int gate_docs(gate *g, const char *const **out, size_t *count)
{
	gate_catalog *cat;
	int error;

	if (!g || !out || !count)
		return gate__error_set(GATE_EINVALID, "gate_docs: NULL argument");
	if ((error = gate__catalog(g, &cat)) < 0 || (error = list_docs(cat)) < 0)
		return error;
	*out = cat->ids;
	*count = cat->count;
	return 0;
}

int gate_versions(gate *g, const char *doc, const gate_version_info **out, size_t *count)
{
	gate_catalog *cat;
	gate__catalog_doc *d;
	int error;

	if (!g || !out || !count)
		return gate__error_set(GATE_EINVALID, "gate_versions: NULL argument");
	if ((error = gate__catalog(g, &cat)) < 0 ||
	    (error = gate__catalog_doc_get(cat, doc, &d)) < 0)
		return error;
	*out = d->versions;
	*count = d->count;
	return 0;
}

int gate_version_lookup(gate *g, const char *doc, unsigned int n, const gate_version_info **out)
{
	gate_catalog *cat;
	gate__catalog_doc *d;
	int error;

	if (!g || !out)
		return gate__error_set(GATE_EINVALID, "gate_version_lookup: NULL argument");
	*out = NULL;
	if ((error = gate__catalog(g, &cat)) < 0 ||
	    (error = gate__catalog_doc_get(cat, doc, &d)) < 0)
		return error;
	if (n == 0 || n > d->count)
		return gate__error_set(GATE_ENOTFOUND, "%s v%u does not exist; latest is v%zu",
			doc, n, d->count);
	*out = &d->versions[n - 1];
	return 0;
}

int gate_version_in_force(gate *g, const char *doc, int64_t at, const gate_version_info **out)
{
	gate_catalog *cat;
	gate__catalog_doc *d;
	int error;

	if (!g || !out)
		return gate__error_set(GATE_EINVALID, "gate_version_in_force: NULL argument");
	*out = NULL;
	if ((error = gate__catalog(g, &cat)) < 0 ||
	    (error = gate__catalog_doc_get(cat, doc, &d)) < 0)
		return error;
	if (!(*out = gate__catalog_in_force(d, at))) {
		char when[GATE_TIME_BUFSIZE];

		gate_time_format(when, d->versions[0].effective);
		return gate__error_set(GATE_ENOTFOUND,
			"no version of %s is in force yet; v1 takes effect %s", doc, when);
	}
	return 0;
}

int gate_version_upcoming(gate *g, const char *doc, int64_t at, const gate_version_info **out)
{
	gate_catalog *cat;
	gate__catalog_doc *d;
	int error;

	if (!g || !out)
		return gate__error_set(GATE_EINVALID, "gate_version_upcoming: NULL argument");
	*out = NULL;
	if ((error = gate__catalog(g, &cat)) < 0 ||
	    (error = gate__catalog_doc_get(cat, doc, &d)) < 0)
		return error;
	if (d->count && d->versions[d->count - 1].effective > at) {
		*out = &d->versions[d->count - 1];
		return 0;
	}
	return gate__error_set(GATE_ENOTFOUND, "%s has no upcoming version", doc);
}

int gate_text(gate *g, const char *doc, unsigned int n, const char *locale,
	gate_buf *out, gate_text_info *info)
{
	const gate_version_info *v;
	const gate_locale_text *t = NULL;
	char want[GATE_LOCALE_MAX + 1];
	gate_catalog *cat;
	int error;

	if (!g || !out)
		return gate__error_set(GATE_EINVALID, "gate_text: NULL argument");
	if (locale && (error = gate__locale_canon(want, locale)) < 0)
		return error;
	if ((error = gate_version_lookup(g, doc, n, &v)) < 0)
		return error;
	if (!(t = gate__catalog_text(v, locale ? want : NULL)))
		return gate__error_set(GATE_ECORRUPT, "%s v%u has no text in any locale", doc, n);
	if (!locale)
		strcpy(want, t->locale);
	if ((error = gate__catalog(g, &cat)) < 0)
		return error;
	gate__buf_clear(out);
	if ((error = cat->source->read_blob(cat->source, v, t, out)) < 0)
		return error;
	if (info) {
		memset(info, 0, sizeof(*info));
		info->n = n;
		strcpy(info->locale, t->locale);
		strcpy(info->blob_oid, t->blob_oid);
		strcpy(info->commit_oid, v->commit_oid);
		info->fallback = strcmp(t->locale, want) != 0;
	}
	return 0;
}

const char *gate_default_locale(gate *g)
{
	return g ? g->settings.default_locale : GATE__DEFAULT_LOCALE;
}

const char *gate_change_name(gate_change change)
{
	switch (change) {
	case GATE_CHANGE_EDITORIAL: return "editorial";
	case GATE_CHANGE_MATERIAL: return "material";
	default: return "unknown";
	}
}
