/* cmd_export.c: `gate export USER`, one person's evidence as JSON. */
#include "cli.h"

static int run(gate_cli *cli, int argc, char **argv);

const gate_cli_command gate_cmd_export = {
	"export", run, "Print one user's evidence as JSON (subject access, disputes)",
	"gate export USER",
	"Prints USER's salt and commitment (so anyone can check that the log's events\n"
	"are theirs), every event of theirs with its hashes and the ids of the exact\n"
	"text shown, and their current decision per document. Always JSON.\n",
	150
};

static int run(gate_cli *cli, int argc, char **argv)
{
	gate_buf out = GATE_BUF_INIT;
	gate *g = NULL;
	int first, rc;

	if ((rc = cli_parse(cli, &gate_cmd_export, argc, argv, NULL, NULL, NULL, NULL, &first)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (argc - first != 1)
		return cli_usage(&gate_cmd_export, argc - first < 1 ? "which user?" : "too many arguments");
	if ((rc = cli_open(cli, &g)) != CLI_OK)
		return rc;
	if (gate_user_export(g, argv[first], &out) < 0)
		rc = cli_fail();
	else if (fwrite(out.ptr, 1, out.size, stdout) != out.size)
		rc = cli_failf("cannot write to standard output");
	gate_buf_dispose(&out);
	gate_free(g);
	return rc;
}
