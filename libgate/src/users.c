/* users.c: the users an organisation knows: registering them (one by one or from a file), listing, forgetting. */
#include "csv.h"
#include "handle.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Registers `count` ids in one transaction; `lines` (may be NULL) names
 * where each came from for error messages. */
static int add_all(gate *g, const char *const *users, const unsigned *lines, size_t count, size_t *added)
{
	gate_store *store;
	size_t n = 0;
	int error;

	for (size_t i = 0; i < count; i++) {
		if (!users[i] || (error = gate_user_id_check(users[i])) < 0) {
			if (!users[i])
				return gate__error_set(GATE_EINVALID, "user %zu is NULL", i + 1);
			if (lines)
				gate__error_prefix("line %u", lines[i]);
			else
				gate__error_prefix("user %zu", i + 1);
			return error;
		}
	}
	if ((error = gate__store(g, &store)) < 0 || (error = store->ops->begin(store)) < 0)
		return error;
	for (size_t i = 0; i < count; i++) {
		bool is_new;

		if ((error = store->ops->add_user(store, users[i], &is_new)) < 0) {
			store->ops->rollback(store);
			return error;
		}
		n += is_new;
	}
	if ((error = store->ops->commit(store)) < 0)
		return error;
	if (added)
		*added = n;
	return 0;
}

int gate_users_add(gate *g, const char *const *users, size_t count, size_t *added)
{
	if (added)
		*added = 0;
	if (!g || (!users && count))
		return gate__error_set(GATE_EINVALID, "gate_users_add: NULL argument");
	return add_all(g, users, NULL, count, added);
}

/* The column named `user` in a CSV header record, or -1. */
static long user_column(const gate__csv *c)
{
	for (size_t i = 0; i < c->count; i++)
		if (strcasecmp(gate__csv_field(c, i), "user") == 0)
			return (long)i;
	return -1;
}

static int read_csv_ids(gate__csv *c, size_t col, size_t fields, gate__strlist *ids, unsigned **lines)
{
	size_t alloc = 0;
	unsigned line;
	int rc;

	while ((rc = gate__csv_next(c, &line)) > 0) {
		if (c->count != fields)
			return gate__error_set(GATE_EINVALID, "line %u: %zu fields; the header has %zu",
				line, c->count, fields);
		if (gate__array_reserve(lines, &alloc, ids->count, sizeof(**lines)) < 0 ||
		    gate__strlist_push(ids, gate__csv_field(c, col)) < 0)
			return GATE_ENOMEM;
		(*lines)[ids->count - 1] = line;
	}
	return rc;
}

static int read_plain_ids(const char *data, size_t len, gate__strlist *ids, unsigned **lines)
{
	size_t alloc = 0, pos = 0;
	unsigned line = 0;

	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - data) : len, n = end - pos;

		line++;
		if (n && data[pos + n - 1] == '\r')
			n--;
		if (n) {
			if (memchr(data + pos, '\0', n))
				return gate__error_set(GATE_EINVALID, "line %u: a NUL byte in the user id", line);
			if (gate__array_reserve(lines, &alloc, ids->count, sizeof(**lines)) < 0 ||
			    gate__strlist_pushn(ids, data + pos, n) < 0)
				return GATE_ENOMEM;
			(*lines)[ids->count - 1] = line;
		}
		pos = end + 1;
	}
	return 0;
}

int gate_users_import(gate *g, const char *data, size_t len, size_t *rows, size_t *added)
{
	gate__strlist ids = GATE__STRLIST_INIT;
	unsigned *lines = NULL, line;
	gate__csv c;
	long col;
	int error;

	if (rows)
		*rows = 0;
	if (added)
		*added = 0;
	if (!g || (!data && len))
		return gate__error_set(GATE_EINVALID, "gate_users_import: NULL argument");
	/* CSV when the first record names a `user` column; else one id a line. */
	gate__csv_init(&c, data, len);
	error = gate__csv_next(&c, &line);
	col = error > 0 ? user_column(&c) : -1;
	if (col >= 0)
		error = read_csv_ids(&c, (size_t)col, c.count, &ids, &lines);
	else
		error = read_plain_ids(data, len, &ids, &lines);
	gate__csv_dispose(&c);
	if (error >= 0)
		error = add_all(g, (const char *const *)ids.items, lines, ids.count, added);
	if (error >= 0 && rows)
		*rows = ids.count;
	gate__strlist_free(&ids);
	free(lines);
	return error < 0 ? error : 0;
}

typedef struct {
	gate_user_fn fn;
	void *payload;
} each_ctx;

static int each_user(const gate__user_row *row, void *payload)
{
	each_ctx *e = payload;

	return e->fn(row->user, row->first_seen, e->payload);
}

int gate_users_each(gate *g, gate_user_fn fn, void *payload)
{
	gate_store *store;
	each_ctx e;
	int error;

	if (!g || !fn)
		return gate__error_set(GATE_EINVALID, "gate_users_each: NULL argument");
	if ((error = gate__store(g, &store)) < 0)
		return error;
	e.fn = fn;
	e.payload = payload;
	/* A document no id can name: the rows carry no states, only users. */
	return store->ops->each_user(store, "", each_user, &e);
}

int gate_user_forget(gate *g, const char *user)
{
	gate_store *store;
	int error;

	if (!g || !user)
		return gate__error_set(GATE_EINVALID, "gate_user_forget: NULL argument");
	if ((error = gate_user_id_check(user)) < 0 || (error = gate__store(g, &store)) < 0)
		return error;
	return store->ops->forget(store, user);
}
