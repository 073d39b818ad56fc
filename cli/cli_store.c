/* cli_store.c: output shared by the acceptance commands: receipts and decisions. */
#include "cli.h"

void cli_print_receipt(FILE *out, const char *user, const char *doc, const gate_receipt *r)
{
	char at[GATE_TIME_BUFSIZE];

	fputs("{\"user\": ", out);
	cli_json_string(out, user);
	fputs(", \"doc\": ", out);
	cli_json_string(out, doc);
	fprintf(out, ", \"recorded\": %s, \"event\": %lld, \"type\": \"%s\", \"version\": %u, \"locale\": ",
		r->recorded ? "true" : "false", (long long)r->seq,
		r->type == GATE_EVENT_REVOKE ? "revoke" : "accept", r->n);
	cli_json_string(out, r->locale);
	fprintf(out, ", \"commit\": \"%s\", \"blob\": \"%s\", \"at\": \"%s\", \"hash\": \"%s\"}\n",
		r->commit_oid, r->blob_oid, cli_time(r->at, at), r->hash);
}

static void json_version(FILE *out, unsigned n)
{
	if (n)
		fprintf(out, "%u", n);
	else
		fputs("null", out);
}

static void json_time(FILE *out, int64_t t)
{
	char buf[GATE_TIME_BUFSIZE];

	if (t == GATE_TIME_UNSET)
		fputs("null", out);
	else
		fprintf(out, "\"%s\"", cli_time(t, buf));
}

void cli_print_decision_json(FILE *out, const gate_decision *d)
{
	fputs("{\"doc\": ", out);
	cli_json_string(out, d->doc);
	fprintf(out, ", \"decision\": \"%s\", \"accepted\": ", gate_outcome_name(d->outcome));
	json_version(out, d->accepted);
	fputs(", \"accepted_at\": ", out);
	json_time(out, d->accepted_at);
	fprintf(out, ", \"revoked\": %s, \"required\": %u, \"upcoming\": ", d->revoked ? "true" : "false", d->required);
	json_version(out, d->upcoming);
	fputs(", \"target\": ", out);
	json_version(out, d->target);
	fputs(", \"effective\": ", out);
	json_time(out, d->effective);
	fprintf(out, ", \"material\": %s}", d->material ? "true" : "false");
}

void cli_print_decision_words(FILE *out, const char *user, const gate_decision *d, int64_t now)
{
	char acc[GATE_TIME_BUFSIZE], eff[GATE_TIME_BUFSIZE];
	const char *since = d->effective != GATE_TIME_UNSET && d->effective <= now ? "in force since" : "takes effect on";

	cli_time(d->accepted_at, acc);
	cli_time(d->effective, eff);
	fprintf(out, "%s: %s: ", d->doc, gate_outcome_name(d->outcome));
	if (d->outcome == GATE_BLOCK) {
		if (d->revoked)
			fprintf(out, "%s withdrew their acceptance; ", user);
		else if (!d->accepted)
			fprintf(out, "%s has never accepted %s; ", user, d->doc);
		else
			fprintf(out, "%s accepted v%u on %s, and a later version changes it materially; ",
				user, d->accepted, acc);
		fprintf(out, "they must accept v%u (%s %s) before going on.\n", d->target, since, eff);
	} else if (d->outcome == GATE_NOTIFY) {
		if (!d->material)
			fprintf(out, "%s accepted v%u; v%u (%s %s) only changes the wording: let them in and show what changed.\n",
				user, d->accepted, d->target, since, eff);
		else if (d->accepted)
			fprintf(out, "%s accepted v%u; v%u changes it materially and %s %s: let them in and offer it now.\n",
				user, d->accepted, d->target, since, eff);
		else
			fprintf(out, "%s has not accepted %s yet; v%u %s %s: let them in and offer it now.\n",
				user, d->doc, d->target, since, eff);
	} else if (!d->required && !d->upcoming) {
		fprintf(out, "no version of %s is published; nothing to accept.\n", d->doc);
	} else {
		fprintf(out, "%s accepted v%u on %s, the version in force", user, d->accepted, acc);
		if (d->accepted > d->required && d->required)
			fprintf(out, " or later");
		fputs(".\n", out);
	}
}
