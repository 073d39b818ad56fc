/* cmd_revoke.c: `gate revoke USER DOC`, recording that a user withdrew their acceptance. */
#include "cli.h"

static int run(gate_cli *cli, int argc, char **argv);

const gate_cli_command gate_cmd_revoke = {
	"revoke", run, "Record that a user withdrew their acceptance",
	"gate revoke USER DOC [--method M] [--client C] [--json]",
	"From now on `gate check USER DOC` blocks USER until they accept again.\n\n"
	"  --method M    how they withdrew it (default: cli)\n"
	"  --client C    the app and its version\n",
	120
};

enum { OPT_METHOD = 1, OPT_CLIENT };

struct revoke_args {
	const char *method, *client;
};

static int on_option(gate_cli *cli, int opt, const char *arg, void *payload)
{
	struct revoke_args *a = payload;

	(void)cli;
	switch (opt) {
	case OPT_METHOD: a->method = arg; return 0;
	case OPT_CLIENT: a->client = arg; return 0;
	}
	return cli_usage(&gate_cmd_revoke, "unknown option");
}

static int run(gate_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "method", required_argument, NULL, OPT_METHOD },
		{ "client", required_argument, NULL, OPT_CLIENT },
		{ NULL, 0, NULL, 0 }
	};
	struct revoke_args a = { "cli", NULL };
	gate_receipt r;
	gate *g = NULL;
	int first, rc;

	if ((rc = cli_parse(cli, &gate_cmd_revoke, argc, argv, NULL, longopts, on_option, &a, &first)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (argc - first != 2)
		return cli_usage(&gate_cmd_revoke, argc - first < 1 ? "which user?"
			: argc - first < 2 ? "which document?" : "too many arguments");
	if ((rc = cli_open(cli, &g)) != CLI_OK)
		return rc;
	if (gate_revoke(g, argv[first], argv[first + 1], a.method, a.client, &r) < 0) {
		rc = cli_fail();
		goto out;
	}
	if (cli->json)
		cli_print_receipt(stdout, argv[first], argv[first + 1], &r);
	else
		printf("%s withdrew their acceptance of %s v%u, event %lld\n", argv[first], argv[first + 1],
			r.n, (long long)r.seq);
out:
	gate_free(g);
	return rc;
}
