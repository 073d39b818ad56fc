/* cmd_versions.c: `gate versions DOC`, a document's versions as a table or JSON. */
#include "cli.h"

#include <string.h>

static int run(gate_cli *cli, int argc, char **argv);

const gate_cli_command gate_cmd_versions = {
	"versions", run, "List the versions of a document",
	"gate versions DOC [--json]",
	"Columns: version, the change in force and the one the diff engine detected,\n"
	"publish and effective times, status at this moment (in force, upcoming or\n"
	"superseded), locales and the publisher's summary.\n",
	30
};

static const char *status_of(const gate_version_info *v, size_t i, size_t count,
	const gate_version_info *in_force)
{
	(void)i;
	(void)count;
	if (in_force && v->n == in_force->n)
		return "in force";
	if (!in_force || v->n > in_force->n)
		return "upcoming";
	return "superseded";
}

/* The first line of the summary, cut to fit a table cell. */
static void first_line(const char *s, char *out, size_t size)
{
	size_t n = strcspn(s, "\n");

	if (n >= size)
		n = size - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

static int run(gate_cli *cli, int argc, char **argv)
{
	const gate_version_info *vs, *in_force = NULL;
	size_t count;
	gate *g = NULL;
	int first, rc;
	int64_t now;

	if ((rc = cli_parse(cli, &gate_cmd_versions, argc, argv, NULL, NULL, NULL, NULL, &first)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (argc - first != 1)
		return cli_usage(&gate_cmd_versions, argc - first < 1 ? "which document?" : "too many arguments");
	if ((rc = cli_open(cli, &g)) != CLI_OK)
		return rc;
	if (gate_versions(g, argv[first], &vs, &count) < 0) {
		rc = cli_fail();
		goto out;
	}
	now = gate_now(g);
	if (gate_version_in_force(g, argv[first], now, &in_force) < 0)
		in_force = NULL;
	gate_error_clear();

	if (cli->json) {
		fputs("[", stdout);
		for (size_t i = 0; i < count; i++) {
			const gate_version_info *v = &vs[i];
			char pub[GATE_TIME_BUFSIZE], eff[GATE_TIME_BUFSIZE];

			printf("%s\n  {\"doc\": ", i ? "," : "");
			cli_json_string(stdout, v->doc);
			printf(", \"version\": %u, \"change\": \"%s\", \"detected\": \"%s\", "
				"\"published\": \"%s\", \"effective\": \"%s\", \"status\": \"%s\", "
				"\"tag\": \"%s\", \"commit\": \"%s\", \"publisher\": {\"name\": ",
				v->n, gate_change_name(v->change), gate_change_name(v->detected),
				cli_time(v->published, pub), cli_time(v->effective, eff),
				status_of(v, i, count, in_force), v->tag_oid, v->commit_oid);
			cli_json_string(stdout, v->publisher_name);
			printf(", \"email\": ");
			cli_json_string(stdout, v->publisher_email);
			printf("}, \"summary\": ");
			cli_json_string(stdout, v->summary);
			printf(", \"reason\": ");
			if (v->reason)
				cli_json_string(stdout, v->reason);
			else
				fputs("null", stdout);
			printf(", \"locales\": [");
			for (size_t k = 0; k < v->locale_count; k++)
				printf("%s{\"locale\": \"%s\", \"blob\": \"%s\"}", k ? ", " : "",
					v->locales[k].locale, v->locales[k].blob_oid);
			printf("]}");
		}
		printf("%s]\n", count ? "\n" : "");
		goto out;
	}

	printf("%-8s %-10s %-10s %-21s %-21s %-11s %-14s %s\n", "VERSION", "CHANGE", "DETECTED",
		"PUBLISHED", "EFFECTIVE", "STATUS", "LOCALES", "SUMMARY");
	for (size_t i = 0; i < count; i++) {
		const gate_version_info *v = &vs[i];
		char pub[GATE_TIME_BUFSIZE], eff[GATE_TIME_BUFSIZE], ver[16], locs[128] = "", sum[60];

		snprintf(ver, sizeof(ver), "v%u", v->n);
		for (size_t k = 0; k < v->locale_count && strlen(locs) + GATE_LOCALE_MAX + 2 < sizeof(locs); k++) {
			if (k)
				strcat(locs, " ");
			strcat(locs, v->locales[k].locale);
		}
		first_line(v->summary, sum, sizeof(sum));
		printf("%-8s %-10s %-10s %-21s %-21s %-11s %-14s %s\n", ver, gate_change_name(v->change),
			gate_change_name(v->detected), cli_time(v->published, pub), cli_time(v->effective, eff),
			status_of(v, i, count, in_force), locs, sum);
	}
out:
	gate_free(g);
	return rc;
}
