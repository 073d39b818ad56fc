/* decision.h: the gate decision as a pure function of a document's versions and a user's state. */
#ifndef GATE_DECISION_H
#define GATE_DECISION_H

#include "catalog.h"
#include "store.h"

/* The decision for one document `d` given the user's state for it (NULL:
 * none) at time `at` (decision.c). Pure: no I/O, no error; the report code
 * calls it once per (user, document) row. */
void gate__decide(const gate__catalog_doc *d, const gate__state *state, int64_t at,
	gate_decision *out);

#endif
