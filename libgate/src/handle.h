/* handle.h: the insides of a `gate` handle, shared by the modules that work on one. */
#ifndef GATE_HANDLE_H
#define GATE_HANDLE_H

#include "common.h"
#include "catalog.h"
#include "settings.h"
#include "source.h"

struct gate_store;

struct gate {
	char *repo_path;
	char *db_path;          /* as given, or the source's default */
	bool db_path_is_default; /* the store may create its parent folder */
	char *pack_path;
	unsigned char pack_key[32];
	bool has_pack_key;
	unsigned int flags;
	gate_clock_fn clock;
	void *clock_payload;
	int busy_timeout_ms;

	gate_source *source;
	gate_settings settings;
	gate_catalog *catalog;
	struct gate_store *store; /* opened on first use */
	gate_decision *decisions; /* gate_check_all()'s answer */
	size_t decision_alloc;
};

/* gate_open() with a source already made (white-box tests, packs). The
 * handle owns `src` from then on, even when this fails. */
int gate__open_with_source(gate **out, const gate_options *opts, gate_source *src);

/* The catalog, created on first use. */
int gate__catalog(gate *g, gate_catalog **out);

#endif
