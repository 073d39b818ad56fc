/* cmd_init.c: `gate init [DIR]`, creating a policy repository. needs-git */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static int run(gate_cli *cli, int argc, char **argv);

const gate_cli_command gate_cmd_init = {
	"init", run, "Create a policy repository",
	"gate init [DIR] [--bare] [--branch NAME] [--default-locale L] [--author \"Name <email>\"]",
	"Creates DIR (default: -C DIR, else the current directory) as a git repository\n"
	"whose policy branch holds one commit with a commented gate.conf.\n\n"
	"  --bare               no work tree (a server-side or client copy)\n"
	"  --branch NAME        the policy branch (default main)\n"
	"  --default-locale L   the locale every version must include (default en-GB)\n"
	"  --author \"N <e>\"     who creates it (default $GIT_AUTHOR_NAME/EMAIL, else git config)\n",
	10
};

enum { OPT_BARE = 1, OPT_BRANCH, OPT_LOCALE, OPT_AUTHOR };

struct init_args {
	gate_init_options opts;
	char *name, *email;
};

static int on_option(gate_cli *cli, int opt, const char *arg, void *payload)
{
	struct init_args *a = payload;

	(void)cli;
	switch (opt) {
	case OPT_BARE: a->opts.flags |= GATE_INIT_BARE; return 0;
	case OPT_BRANCH: a->opts.branch = arg; return 0;
	case OPT_LOCALE: a->opts.default_locale = arg; return 0;
	case OPT_AUTHOR:
		free(a->name);
		free(a->email);
		if (cli_parse_author(&gate_cmd_init, arg, &a->name, &a->email) != CLI_OK)
			return CLI_USAGE;
		a->opts.author_name = a->name;
		a->opts.author_email = a->email;
		return 0;
	}
	return cli_usage(&gate_cmd_init, "unknown option");
}

static int run(gate_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "bare", no_argument, NULL, OPT_BARE },
		{ "branch", required_argument, NULL, OPT_BRANCH },
		{ "default-locale", required_argument, NULL, OPT_LOCALE },
		{ "author", required_argument, NULL, OPT_AUTHOR },
		{ NULL, 0, NULL, 0 }
	};
	struct init_args a;
	const char *dir;
	int first, rc;

	memset(&a, 0, sizeof(a));
	gate_init_options_init(&a.opts, GATE_INIT_OPTIONS_VERSION);
	rc = cli_parse(cli, &gate_cmd_init, argc, argv, NULL, longopts, on_option, &a, &first);
	if (rc != 0) {
		free(a.name);
		free(a.email);
		return rc < 0 ? CLI_OK : rc;
	}
	if (argc - first > 1) {
		free(a.name);
		free(a.email);
		return cli_usage(&gate_cmd_init, "too many arguments");
	}
	dir = first < argc ? argv[first] : cli->repo ? cli->repo : ".";
	cli_exec_git(); /* only gate-git writes repositories */
	rc = gate_repository_init(dir, &a.opts);
	free(a.name);
	free(a.email);
	if (rc < 0)
		return cli_fail();
	if (cli->json) {
		printf("{\"path\": ");
		cli_json_string(stdout, dir);
		printf(", \"branch\": ");
		cli_json_string(stdout, a.opts.branch ? a.opts.branch : "main");
		printf(", \"bare\": %s}\n", (a.opts.flags & GATE_INIT_BARE) ? "true" : "false");
	} else {
		printf("Created policy repository %s (branch %s%s)\n", dir,
			a.opts.branch ? a.opts.branch : "main",
			(a.opts.flags & GATE_INIT_BARE) ? ", bare" : "");
	}
	return CLI_OK;
}
