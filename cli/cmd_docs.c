/* cmd_docs.c: `gate docs`, the documents of the repository and their versions in force. */
#include "cli.h"

static int run(gate_cli *cli, int argc, char **argv);

const gate_cli_command gate_cmd_docs = {
	"docs", run, "List the documents and their versions in force",
	"gate docs [--json]", "", 35
};

static int run(gate_cli *cli, int argc, char **argv)
{
	const char *const *docs;
	size_t count;
	gate *g = NULL;
	int first, rc;
	int64_t now;

	if ((rc = cli_parse(cli, &gate_cmd_docs, argc, argv, NULL, NULL, NULL, NULL, &first)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (first < argc)
		return cli_usage(&gate_cmd_docs, "unexpected argument '%s'", argv[first]);
	if ((rc = cli_open(cli, &g)) != CLI_OK)
		return rc;
	if (gate_docs(g, &docs, &count) < 0) {
		rc = cli_fail();
		goto out;
	}
	now = gate_now(g);
	if (cli->json)
		fputs("[", stdout);
	else
		printf("%-20s %-9s %-9s %-9s %s\n", "DOCUMENT", "VERSIONS", "IN FORCE", "UPCOMING", "EFFECTIVE");
	for (size_t i = 0; i < count; i++) {
		const gate_version_info *vs, *cur = NULL, *next = NULL;
		size_t nv;
		char eff[GATE_TIME_BUFSIZE], cur_s[16] = "-", next_s[16] = "-";

		if (gate_versions(g, docs[i], &vs, &nv) < 0) {
			rc = cli_fail();
			goto out;
		}
		if (gate_version_in_force(g, docs[i], now, &cur) < 0)
			cur = NULL;
		if (gate_version_upcoming(g, docs[i], now, &next) < 0)
			next = NULL;
		gate_error_clear();
		if (cli->json) {
			printf("%s\n  {\"doc\": ", i ? "," : "");
			cli_json_string(stdout, docs[i]);
			printf(", \"versions\": %zu, \"in_force\": ", nv);
			cur ? printf("%u", cur->n) : printf("null");
			printf(", \"effective\": ");
			cur ? printf("\"%s\"", cli_time(cur->effective, eff)) : printf("null");
			printf(", \"upcoming\": ");
			next ? printf("%u", next->n) : printf("null");
			printf(", \"upcoming_effective\": ");
			next ? printf("\"%s\"}", cli_time(next->effective, eff)) : printf("null}");
			continue;
		}
		if (cur)
			snprintf(cur_s, sizeof(cur_s), "v%u", cur->n);
		if (next)
			snprintf(next_s, sizeof(next_s), "v%u", next->n);
		printf("%-20s %-9zu %-9s %-9s %s\n", docs[i], nv, cur_s, next_s,
			cur ? cli_time(cur->effective, eff) : "-");
	}
	if (cli->json)
		printf("%s]\n", count ? "\n" : "");
out:
	gate_free(g);
	return rc;
}
