/* catalog.h: the in-memory index of documents and versions, filled lazily from a source. */
#ifndef GATE_CATALOG_H
#define GATE_CATALOG_H

#include "common.h"
#include "source.h"

typedef struct gate__catalog_doc {
	char *id;
	bool loaded;
	gate_version_info *versions; /* sorted by n; versions[i].n == i + 1 */
	size_t count, alloc;
} gate__catalog_doc;

struct gate_catalog {
	gate__arena arena;       /* every string and locale array of every version */
	gate_source *source;     /* not owned */
	bool listed;             /* `docs` holds every document of the source */
	gate__catalog_doc *docs; /* sorted by id once listed */
	size_t count, alloc;
	const char **ids;        /* for gate_docs() */
};

int gate__catalog_new(gate_catalog **out, gate_source *source);
void gate__catalog_free(gate_catalog *cat);

/* Adds a version (deep copy). Sources call it while loading a document. */
int gate__catalog_add_version(gate_catalog *cat, const gate_version_info *v);

/* The document's entry with its versions loaded; GATE_ENOTFOUND if it has none. */
int gate__catalog_doc_get(gate_catalog *cat, const char *doc, gate__catalog_doc **out);

/* The newest version of `d` in force at `at`, or NULL. */
const gate_version_info *gate__catalog_in_force(const gate__catalog_doc *d, int64_t at);

/* The text of `v` served for locale `want` (canonical form; NULL: the
 * version's default locale): that locale's, else the default locale's
 * (the fallback). NULL when the version has no text at all. */
const gate_locale_text *gate__catalog_text(const gate_version_info *v, const char *want);

#endif
