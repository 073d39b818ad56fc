/* report_history.c: replaying a user's acts for reports about the past: when the user became known,
 * and their state on a document at a given time. */
#include "report.h"

#include <string.h>

int64_t gate__known_from(const gate__user_acts *u)
{
	int64_t from = u->first_seen;

	for (size_t i = 0; i < u->act_count; i++)
		if (u->acts[i].at < from)
			from = u->acts[i].at;
	return from;
}

const gate__act *gate__acts_of(const gate__user_acts *u, const char *doc, size_t *pos, size_t *count)
{
	size_t i = *pos, start;

	while (i < u->act_count && strcmp(u->acts[i].doc, doc) < 0)
		i++;
	start = i;
	while (i < u->act_count && strcmp(u->acts[i].doc, doc) == 0)
		i++;
	*pos = i;
	*count = i - start;
	return *count ? &u->acts[start] : NULL;
}

int64_t gate__act_effect(const gate__act *a, int64_t prev)
{
	return a->at > prev ? a->at : prev;
}

bool gate__state_at(const gate__act *acts, size_t count, int64_t at, gate__state *out)
{
	int64_t t = INT64_MIN;
	bool found = false;

	for (size_t i = 0; i < count; i++) {
		t = gate__act_effect(&acts[i], t);
		if (t > at)
			break;
		memset(out, 0, sizeof(*out));
		memcpy(out->doc, acts[i].doc, sizeof(out->doc));
		out->n = acts[i].n;
		out->revoked = acts[i].type == GATE_EVENT_REVOKE;
		out->at = t;
		out->seq = acts[i].seq;
		found = true;
	}
	return found;
}
