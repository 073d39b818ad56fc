/* main.c: the `gate` command: global options, the command table and dispatch. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.gen.h"

static const gate_cli_command *find_command(const char *name)
{
	for (size_t i = 0; gate_cli_commands[i]; i++)
		if (strcmp(gate_cli_commands[i]->name, name) == 0)
			return gate_cli_commands[i];
	return NULL;
}

static int by_order(const void *a, const void *b)
{
	const gate_cli_command *x = *(const gate_cli_command *const *)a;
	const gate_cli_command *y = *(const gate_cli_command *const *)b;

	return x->order != y->order ? (x->order > y->order) - (x->order < y->order)
		: strcmp(x->name, y->name);
}

void cli_print_main_help(FILE *out)
{
	const gate_cli_command *sorted[64];
	size_t n = 0;

	for (size_t i = 0; gate_cli_commands[i] && n < 64; i++)
		sorted[n++] = gate_cli_commands[i];
	qsort(sorted, n, sizeof(sorted[0]), by_order);

	fputs("usage: gate [-C DIR] [--db FILE] [--json] COMMAND [ARGS...]\n\n"
	      "Keep versions of your notices in git, tell material from editorial changes,\n"
	      "and record who accepted exactly which text.\n\nCommands:\n", out);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %-11s %s\n", sorted[i]->name, sorted[i]->summary);
	fputs("\nGlobal options (before or after the command):\n"
	      "  -C, --repo DIR   the policy repository (default $GATE_REPO, else .)\n"
	      "  --db FILE        the acceptance database (default $GATE_DB, else\n"
	      "                   gate/acceptances.db inside the repository's git directory)\n"
	      "  --pack FILE      read versions from a pack instead of a repository\n"
	      "  --pack-key FILE  refuse a pack not signed by this public key\n"
	      "  --json           machine-readable output\n"
	      "  -h, --help       help; `gate help COMMAND` for one command\n"
	      "  --version        print the version\n\n"
	      "Exit codes: 0 success, 1 failure, 2 usage error; `gate check` also\n"
	      "returns 10 (notify) and 20 (block).\n", out);
}

int cli_print_version(gate_cli *cli)
{
	if (cli->json)
		printf("{\"gate\": \"%s\", \"libgate\": \"%s\"}\n", GATE_VERSION_STRING, gate_version());
	else
		printf("gate %s (libgate %s)\n", GATE_VERSION_STRING, gate_version());
	return CLI_OK;
}

const gate_cli_command *cli_find_command(const char *name)
{
	return find_command(name);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "repo", required_argument, NULL, 'C' },
		{ "db", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "pack", required_argument, NULL, 'p' },
		{ "pack-key", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	gate_cli cli;
	const gate_cli_command *cmd;
	bool version = false;
	int c;

	cli_lean_init(argc, argv);
	memset(&cli, 0, sizeof(cli));
	cli.repo = getenv("GATE_REPO");
	cli.db = getenv("GATE_DB");
	cli.pack = getenv("GATE_PACK");
	if (cli.repo && !*cli.repo)
		cli.repo = NULL;
	if (cli.db && !*cli.db)
		cli.db = NULL;
	if (cli.pack && !*cli.pack)
		cli.pack = NULL;
	cli.color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:C:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'C': cli.repo = optarg; break;
		case 'd': cli.db = optarg; break;
		case 'j': cli.json = true; break;
		case 'p': cli.pack = optarg; break;
		case 'k': cli.pack_key = optarg; break;
		case 'h':
			cli_print_main_help(stdout);
			return CLI_OK;
		case 'V': version = true; break;
		case ':':
			fprintf(stderr, "gate: option '%s' needs a value\n"
				"usage: gate [-C DIR] [--db FILE] [--json] COMMAND [ARGS...]\n", argv[optind - 1]);
			return CLI_USAGE;
		default:
			fprintf(stderr, "gate: unknown option '%s'\n"
				"usage: gate [-C DIR] [--db FILE] [--json] COMMAND [ARGS...]\n", argv[optind - 1]);
			return CLI_USAGE;
		}
	}
	if (version)
		return cli_print_version(&cli);
	if (optind >= argc) {
		cli_print_main_help(stderr);
		return CLI_USAGE;
	}
	if (!(cmd = find_command(argv[optind]))) {
		fprintf(stderr, "gate: '%s' is not a gate command; see `gate --help`\n", argv[optind]);
		return CLI_USAGE;
	}
	/* Before anything reads its input: a command that needs git goes to gate-git. */
	if (!cli_lean_can_run(argc, argv, optind))
		cli_exec_git();
	return cmd->run(&cli, argc - optind, argv + optind);
}
