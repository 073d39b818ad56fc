/* accept.h: what recording an acceptance needs, shared by gate_accept() and the CSV import. */
#ifndef GATE_ACCEPT_H
#define GATE_ACCEPT_H

#include "catalog.h"
#include "store.h"

/* 0 if `method` matches [a-z0-9._-]{1,32}; else GATE_EINVALID saying why. */
int gate__method_check(const char *method);

/* 0 if `client` is at most GATE_CLIENT_MAX bytes of UTF-8 without control characters. */
int gate__client_check(const char *client);

/* Starts an event: everything but the version fields and what the store fills in. */
void gate__event_init(gate__event *ev, int type, const char *doc, int64_t at,
	const char *method, const char *client);

/* Fills the version fields of an accept event: n, the commit, and the
 * locale and blob of the text served for `want` (NULL: the version's
 * default locale) after fallback. */
void gate__event_set_version(gate__event *ev, const gate_version_info *v, const char *want);

/* The rule for accepting version `n` given the user's current state:
 * 0 to append, 1 when it is already so (the same version, not revoked),
 * GATE_ECONFLICT when a newer version is already accepted. `user` and
 * `doc` are for the message. */
int gate__accept_rule(const gate__state *cur, const char *user, const char *doc, unsigned n);

/* Writes the receipt of an event. */
void gate__receipt_fill(gate_receipt *out, const gate__event *ev, int recorded);

#endif
