/* store.c: the handle's acceptance store, opened on first use. */
#include "handle.h"
#include "store.h"

int gate__store(gate *g, gate_store **out)
{
	int error;

	*out = NULL;
	if (!g->store) {
		if ((error = gate__store_sqlite_open(&g->store, g->db_path, g->flags, g->busy_timeout_ms,
			g->db_path_is_default)) < 0)
			return error;
		g->store->clock = g->clock;
		g->store->clock_payload = g->clock_payload;
	}
	*out = g->store;
	return 0;
}
