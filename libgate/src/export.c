/* export.c: one person's evidence as JSON: their salt and commitment, every event of theirs, their decisions. */
#include "handle.h"
#include "store.h"

#include <string.h>

static int put_str(gate_buf *b, const char *key, const char *value)
{
	if (gate__buf_printf(b, "\"%s\": ", key) < 0)
		return GATE_ENOMEM;
	return gate__buf_put_json_string(b, value, strlen(value));
}

static int put_time(gate_buf *b, const char *key, int64_t t)
{
	char when[GATE_TIME_BUFSIZE];

	if (t == GATE_TIME_UNSET || gate_time_format(when, t) < 0)
		return gate__buf_printf(b, "\"%s\": null", key);
	return gate__buf_printf(b, "\"%s\": \"%s\"", key, when);
}

static int put_version(gate_buf *b, const char *key, unsigned n)
{
	return n ? gate__buf_printf(b, "\"%s\": %u", key, n) : gate__buf_printf(b, "\"%s\": null", key);
}

typedef struct {
	gate_buf *b;
	size_t count;
} events_ctx;

static int put_event(const gate__event *ev, void *payload)
{
	events_ctx *x = payload;
	gate_buf *b = x->b;
	char prev[2 * GATE__HASH_BYTES + 1], hash[2 * GATE__HASH_BYTES + 1];

	gate__hex(prev, ev->prev, GATE__HASH_BYTES);
	gate__hex(hash, ev->hash, GATE__HASH_BYTES);
	if (gate__buf_printf(b, "%s\n    {\"seq\": %lld, \"type\": \"%s\", ", x->count++ ? "," : "",
		(long long)ev->seq, ev->type == GATE_EVENT_REVOKE ? "revoke" : "accept") < 0 ||
	    put_str(b, "doc", ev->doc) < 0 || gate__buf_printf(b, ", \"version\": %u, ", ev->n) < 0 ||
	    put_str(b, "locale", ev->locale) < 0 || gate__buf_puts(b, ", ") < 0 ||
	    put_str(b, "commit", ev->commit_oid) < 0 || gate__buf_puts(b, ", ") < 0 ||
	    put_str(b, "blob", ev->blob_oid) < 0 || gate__buf_puts(b, ", ") < 0 ||
	    put_time(b, "at", ev->at) < 0 || gate__buf_puts(b, ", ") < 0 ||
	    put_str(b, "method", ev->method) < 0 || gate__buf_puts(b, ", ") < 0 ||
	    put_str(b, "client", ev->client) < 0 ||
	    gate__buf_printf(b, ", \"prev\": \"%s\", \"hash\": \"%s\"}", prev, hash) < 0)
		return GATE_ENOMEM;
	return 0;
}

static int put_decision(gate_buf *b, const gate_decision *d, bool first)
{
	if (gate__buf_printf(b, "%s\n    {", first ? "" : ",") < 0 || put_str(b, "doc", d->doc) < 0 ||
	    gate__buf_printf(b, ", \"decision\": \"%s\", ", gate_outcome_name(d->outcome)) < 0 ||
	    put_version(b, "accepted", d->accepted) < 0 || gate__buf_puts(b, ", ") < 0 ||
	    put_time(b, "accepted_at", d->accepted_at) < 0 ||
	    gate__buf_printf(b, ", \"revoked\": %s, \"required\": %u, ", d->revoked ? "true" : "false", d->required) < 0 ||
	    put_version(b, "upcoming", d->upcoming) < 0 || gate__buf_puts(b, ", ") < 0 ||
	    put_version(b, "target", d->target) < 0 || gate__buf_puts(b, ", ") < 0 ||
	    put_time(b, "effective", d->effective) < 0 ||
	    gate__buf_printf(b, ", \"material\": %s}", d->material ? "true" : "false") < 0)
		return GATE_ENOMEM;
	return 0;
}

int gate_user_export(gate *g, const char *user, gate_buf *out)
{
	unsigned char salt[GATE__SALT_BYTES], commitment[GATE__HASH_BYTES];
	char salt_hex[2 * GATE__SALT_BYTES + 1], commit_hex[2 * GATE__HASH_BYTES + 1];
	const char *const *docs;
	gate_buf b = GATE_BUF_INIT;
	gate_store *store;
	events_ctx x;
	int64_t first_seen;
	size_t ndocs;
	int error;

	if (!g || !user || !out)
		return gate__error_set(GATE_EINVALID, "gate_user_export: NULL argument");
	if ((error = gate_user_id_check(user)) < 0 || (error = gate__store(g, &store)) < 0 ||
	    (error = store->ops->subject(store, user, salt, commitment, &first_seen)) < 0 ||
	    (error = gate_docs(g, &docs, &ndocs)) < 0)
		return error;
	gate__hex(salt_hex, salt, sizeof(salt));
	gate__hex(commit_hex, commitment, sizeof(commitment));
	if (gate__buf_puts(&b, "{") < 0 || put_str(&b, "user", user) < 0 || gate__buf_puts(&b, ", ") < 0 ||
	    put_time(&b, "first_seen", first_seen) < 0 || gate__buf_puts(&b, ", ") < 0 ||
	    put_time(&b, "exported_at", gate_now(g)) < 0 || gate__buf_puts(&b, ", ") < 0 ||
	    put_str(&b, "database", g->db_path) < 0 ||
	    gate__buf_printf(&b, ",\n  \"salt\": \"%s\", \"commitment\": \"%s\",\n"
		"  \"commitment_rule\": \"SHA-256 of the 16 salt bytes followed by the user id in UTF-8\",\n"
		"  \"events\": [", salt_hex, commit_hex) < 0) {
		error = GATE_ENOMEM;
		goto fail;
	}
	x.b = &b;
	x.count = 0;
	if ((error = store->ops->replay(store, 0, commitment, put_event, &x)) < 0)
		goto fail;
	if (gate__buf_printf(&b, "%s],\n  \"decisions\": [", x.count ? "\n  " : "") < 0) {
		error = GATE_ENOMEM;
		goto fail;
	}
	for (size_t i = 0; i < ndocs; i++) {
		gate_decision d;

		if ((error = gate_check(g, user, docs[i], &d)) < 0)
			goto fail;
		if ((error = put_decision(&b, &d, i == 0)) < 0)
			goto fail;
	}
	if (gate__buf_printf(&b, "%s]\n}\n", ndocs ? "\n  " : "") < 0) {
		error = GATE_ENOMEM;
		goto fail;
	}
	gate_buf_dispose(out);
	*out = b;
	return 0;
fail:
	gate_buf_dispose(&b);
	return error;
}
