/* gate.c: the handle: options, opening a repository or pack, reloading, the clock, the library version. */
#include "handle.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>

const char *gate_version(void)
{
	return GATE_VERSION_STRING;
}

int gate_version_number(void)
{
	return GATE_VERSION_NUMBER;
}

int gate_options_init(gate_options *opts, unsigned int version)
{
	gate_options init = GATE_OPTIONS_INIT;

	if (!opts)
		return gate__error_set(GATE_EINVALID, "gate_options_init: NULL options");
	if (version != GATE_OPTIONS_VERSION)
		return gate__error_set(GATE_EVERSION,
			"gate_options version %u is not supported by libgate %s (expected %d)",
			version, GATE_VERSION_STRING, GATE_OPTIONS_VERSION);
	*opts = init;
	return 0;
}

static int open_source(gate *g)
{
	if (g->pack_path)
		return gate__source_pack_open(&g->source, g->pack_path,
			g->has_pack_key ? g->pack_key : NULL);
#ifdef GATE_WITH_GIT
	return gate__source_git_open(&g->source, g->repo_path);
#else
	return gate__error_set(GATE_ENOTSUPPORTED,
		"this client build of libgate has no git support; open a pack with --pack FILE");
#endif
}

static int load_settings(gate *g)
{
	int error;

	gate__settings_free(&g->settings);
	gate__settings_init(&g->settings);
	if ((error = g->source->load_settings(g->source, &g->settings)) < 0 ||
	    (error = gate__settings_finish(&g->settings)) < 0)
		return error;
	return 0;
}

/* Builds a handle from `opts`; `src`, when given, is used instead of opening
 * one (and is owned by the handle from then on, even on failure). */
int gate__open_with_source(gate **out, const gate_options *opts, gate_source *src)
{
	gate_options defaults = GATE_OPTIONS_INIT;
	gate *g;
	int error;

	if (!out) {
		if (src)
			src->free(src);
		return gate__error_set(GATE_EINVALID, "gate_open: NULL output pointer");
	}
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (opts->version != GATE_OPTIONS_VERSION) {
		if (src)
			src->free(src);
		return gate__error_set(GATE_EVERSION,
			"gate_options version %u is not supported by libgate %s (expected %d); initialise it with GATE_OPTIONS_INIT",
			opts->version, GATE_VERSION_STRING, GATE_OPTIONS_VERSION);
	}
	if (opts->busy_timeout_ms < 0) {
		if (src)
			src->free(src);
		return gate__error_set(GATE_EINVALID, "busy_timeout_ms must not be negative");
	}

	if (!(g = gate__calloc(1, sizeof(*g)))) {
		if (src)
			src->free(src);
		return GATE_ENOMEM;
	}
	g->source = src;
	gate__settings_init(&g->settings);
	g->flags = opts->flags;
	g->clock = opts->clock;
	g->clock_payload = opts->clock_payload;
	g->busy_timeout_ms = opts->busy_timeout_ms ? opts->busy_timeout_ms : 10000;
	if (opts->pack_public_key) {
		memcpy(g->pack_key, opts->pack_public_key, sizeof(g->pack_key));
		g->has_pack_key = true;
	}

	g->repo_path = gate__strdup(opts->repo_path ? opts->repo_path : ".");
	g->pack_path = gate__strdup(opts->pack_path);
	if (!g->repo_path || (opts->pack_path && !g->pack_path)) {
		error = GATE_ENOMEM;
		goto fail;
	}
	if ((!g->source && (error = open_source(g)) < 0) || (error = load_settings(g)) < 0)
		goto fail;

	if (opts->db_path) {
		g->db_path = gate__strdup(opts->db_path);
	} else if (g->source->default_db_path) {
		g->db_path = g->source->default_db_path(g->source);
		g->db_path_is_default = true;
	} else {
		error = gate__error_set(GATE_EINVALID, "no acceptance database path given");
		goto fail;
	}
	if (!g->db_path) {
		error = gate_error_last()->code < 0 ? gate_error_last()->code : GATE_ENOMEM;
		goto fail;
	}

	*out = g;
	return 0;

fail:
	gate_free(g);
	return error;
}

int gate_open(gate **out, const gate_options *opts)
{
	return gate__open_with_source(out, opts, NULL);
}

int gate__catalog(gate *g, gate_catalog **out)
{
	if (!g->catalog) {
		int error = gate__catalog_new(&g->catalog, g->source);

		if (error < 0)
			return error;
	}
	*out = g->catalog;
	return 0;
}

int gate_reload(gate *g)
{
	if (!g)
		return gate__error_set(GATE_EINVALID, "gate_reload: NULL handle");
	gate__catalog_free(g->catalog);
	g->catalog = NULL;
	return load_settings(g);
}

const char *gate_database_path(gate *g)
{
	return g ? g->db_path : NULL;
}

int64_t gate_now(gate *g)
{
	if (g && g->clock)
		return g->clock(g->clock_payload);
	return gate_time_now();
}

void gate_free(gate *g)
{
	if (!g)
		return;
	if (g->store)
		g->store->ops->free(g->store);
	free(g->decisions);
	gate__catalog_free(g->catalog);
	if (g->source)
		g->source->free(g->source);
	gate__settings_free(&g->settings);
	free(g->repo_path);
	free(g->db_path);
	free(g->pack_path);
	free(g);
}
