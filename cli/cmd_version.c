/* cmd_version.c: `gate version`, the same as `gate --version`. */
#include "cli.h"

static int run(gate_cli *cli, int argc, char **argv);

const gate_cli_command gate_cmd_version = {
	"version", run, "Print the version of gate and of the linked libgate",
	"gate version [--json]", "", 910
};

static int run(gate_cli *cli, int argc, char **argv)
{
	int first, rc;

	if ((rc = cli_parse(cli, &gate_cmd_version, argc, argv, NULL, NULL, NULL, NULL, &first)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (first < argc)
		return cli_usage(&gate_cmd_version, "unexpected argument '%s'", argv[first]);
	return cli_print_version(cli);
}
