/* cmd_accept.c: `gate accept USER DOC [N]`, recording that a user accepted a version. */
#include "cli.h"

#include <string.h>

static int run(gate_cli *cli, int argc, char **argv);

const gate_cli_command gate_cmd_accept = {
	"accept", run, "Record that a user accepted a version",
	"gate accept USER DOC [N] [--locale L] [--method M] [--client C] [--json]",
	"Records that USER accepted version N of DOC (N as 3 or v3; default: the version\n"
	"`gate check` asks for) as shown in locale L (default: the default locale; a\n"
	"version without L showed, and so records, the default locale's text).\n"
	"Accepting the same version again records nothing; an older version than one\n"
	"already accepted is refused.\n\n"
	"  --locale L    the locale of the text the user saw\n"
	"  --method M    how they accepted: desktop-dialog, web, email... (default: cli)\n"
	"  --client C    the app and its version (\"acme-desktop 4.2\")\n",
	110
};

enum { OPT_LOCALE = 1, OPT_METHOD, OPT_CLIENT };

struct accept_args {
	const char *locale, *method, *client;
};

static int on_option(gate_cli *cli, int opt, const char *arg, void *payload)
{
	struct accept_args *a = payload;

	(void)cli;
	switch (opt) {
	case OPT_LOCALE: a->locale = arg; return 0;
	case OPT_METHOD: a->method = arg; return 0;
	case OPT_CLIENT: a->client = arg; return 0;
	}
	return cli_usage(&gate_cmd_accept, "unknown option");
}

static int run(gate_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "locale", required_argument, NULL, OPT_LOCALE },
		{ "method", required_argument, NULL, OPT_METHOD },
		{ "client", required_argument, NULL, OPT_CLIENT },
		{ NULL, 0, NULL, 0 }
	};
	struct accept_args a = { NULL, "cli", NULL };
	const char *user, *doc;
	gate_receipt r;
	gate *g = NULL;
	unsigned n = 0;
	int first, rc;

	if ((rc = cli_parse(cli, &gate_cmd_accept, argc, argv, NULL, longopts, on_option, &a, &first)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (argc - first < 2)
		return cli_usage(&gate_cmd_accept, argc - first < 1 ? "which user?" : "which document?");
	if (argc - first > 3)
		return cli_usage(&gate_cmd_accept, "too many arguments");
	user = argv[first];
	doc = argv[first + 1];
	if (argc - first == 3 && !(n = cli_parse_version(argv[first + 2])))
		return cli_usage(&gate_cmd_accept, "'%s' is not a version; use 3 or v3", argv[first + 2]);
	if ((rc = cli_open(cli, &g)) != CLI_OK)
		return rc;
	if (gate_accept(g, user, doc, n, a.locale, a.method, a.client, &r) < 0) {
		rc = cli_fail();
		goto out;
	}
	if (cli->json) {
		cli_print_receipt(stdout, user, doc, &r);
	} else if (r.recorded) {
		printf("%s accepted %s v%u (%s), event %lld\n", user, doc, r.n, r.locale, (long long)r.seq);
	} else {
		printf("%s already accepted %s v%u (event %lld); nothing recorded\n", user, doc, r.n, (long long)r.seq);
	}
out:
	gate_free(g);
	return rc;
}
