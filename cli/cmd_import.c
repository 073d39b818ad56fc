/* cmd_import.c: `gate import FILE.csv`, acceptances recorded by an earlier system. */
#include "cli.h"

#include <stdlib.h>

static int run(gate_cli *cli, int argc, char **argv);

const gate_cli_command gate_cmd_import = {
	"import", run, "Import acceptances recorded by an earlier system (CSV)",
	"gate import FILE.csv [--json]",
	"FILE (\"-\": standard input) is RFC 4180 CSV with a header row naming the\n"
	"columns user, doc, version (3 or v3), accepted_at (RFC 3339 or YYYY-MM-DD)\n"
	"and optionally method (default: import), locale and client. All rows go in\n"
	"one transaction: a bad row is named by its line and nothing is recorded.\n"
	"Rows already recorded (same user, document and version) are skipped, so an\n"
	"import can be run again.\n",
	140
};

static int run(gate_cli *cli, int argc, char **argv)
{
	gate_import_result r;
	gate *g = NULL;
	char *data;
	size_t len;
	int first, rc;

	if ((rc = cli_parse(cli, &gate_cmd_import, argc, argv, NULL, NULL, NULL, NULL, &first)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (argc - first != 1)
		return cli_usage(&gate_cmd_import, argc - first < 1 ? "which file?" : "too many arguments");
	if ((rc = cli_read_file(argv[first], &data, &len)) != CLI_OK)
		return rc;
	if ((rc = cli_open(cli, &g)) != CLI_OK) {
		free(data);
		return rc;
	}
	if (gate_import_csv(g, data, len, &r) < 0) {
		fprintf(stderr, "gate: %s: %s; nothing was imported\n", argv[first], gate_error_last()->message);
		rc = CLI_FAIL;
	} else if (cli->json) {
		printf("{\"rows\": %zu, \"recorded\": %zu, \"skipped\": %zu, \"users_added\": %zu}\n",
			r.rows, r.recorded, r.skipped, r.users_added);
	} else {
		printf("imported %zu row%s: %zu acceptance%s recorded, %zu already recorded, %zu new user%s\n",
			r.rows, r.rows == 1 ? "" : "s", r.recorded, r.recorded == 1 ? "" : "s", r.skipped,
			r.users_added, r.users_added == 1 ? "" : "s");
	}
	free(data);
	gate_free(g);
	return rc;
}
