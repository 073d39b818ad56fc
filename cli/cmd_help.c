/* cmd_help.c: `gate help [COMMAND]`. */
#include "cli.h"

static int run(gate_cli *cli, int argc, char **argv);

const gate_cli_command gate_cmd_help = {
	"help", run, "Show help for gate or for one command",
	"gate help [COMMAND]", "", 900
};

static int run(gate_cli *cli, int argc, char **argv)
{
	const gate_cli_command *cmd;
	int first, rc;

	if ((rc = cli_parse(cli, &gate_cmd_help, argc, argv, NULL, NULL, NULL, NULL, &first)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (first >= argc) {
		cli_print_main_help(stdout);
		return CLI_OK;
	}
	if (first + 1 < argc)
		return cli_usage(&gate_cmd_help, "too many arguments");
	if (!(cmd = cli_find_command(argv[first]))) {
		fprintf(stderr, "gate: '%s' is not a gate command; see `gate --help`\n", argv[first]);
		return CLI_USAGE;
	}
	cli_print_command_help(stdout, cmd);
	return CLI_OK;
}
