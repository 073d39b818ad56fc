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
};

/* The catalog, created on first use. */
int gate__catalog(gate *g, gate_catalog **out);

#endif
