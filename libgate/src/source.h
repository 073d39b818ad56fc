/* source.h: where versions come from. A git repository (git_repo.c) or a pack (pack_read.c)
 * fills the same catalog, so the decision, diff and store code never know which. */
#ifndef GATE_SOURCE_H
#define GATE_SOURCE_H

#include "common.h"
#include "settings.h"

typedef struct gate_catalog gate_catalog;
typedef struct gate_source gate_source;

struct gate_source {
	const char *kind; /* "git" or "pack" */

	/* The default acceptance database path (allocated), or NULL if this
	 * source has no natural place for one. */
	char *(*default_db_path)(gate_source *src);
	/* Adds gate.conf's entries to `s` (already holding the defaults). */
	int (*load_settings)(gate_source *src, gate_settings *s);
	/* The ids of documents with at least one version, in any order. */
	int (*list_docs)(gate_source *src, gate__strlist *out);
	/* Adds every version of `doc` to `cat` with gate__catalog_add_version(). */
	int (*load_versions)(gate_source *src, gate_catalog *cat, const char *doc);
	/* The exact bytes of one locale's text of one version. */
	int (*read_blob)(gate_source *src, const gate_version_info *v,
		const gate_locale_text *t, gate_buf *out);
	/* The commit the versions come from, as 40 hex digits; optional (NULL:
	 * unknown, written as zeros). */
	int (*source_id)(gate_source *src, char *out);
	void (*free)(gate_source *src);
};

/* git_repo.c; only in builds with libgit2. */
int gate__source_git_open(gate_source **out, const char *path);

/* pack_read.c: a pack file as a source; `public_key` NULL accepts unsigned packs. */
int gate__source_pack_open(gate_source **out, const char *path, const unsigned char *public_key);

#endif
