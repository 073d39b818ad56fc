/* cmd_sync.c: `gate sync REMOTE`, following a publisher's repository. needs-git */
#include "cli.h"

static int run(gate_cli *cli, int argc, char **argv);

const gate_cli_command gate_cmd_sync = {
	"sync", run, "Fetch new versions from a publisher's repository",
	"gate sync REMOTE [--branch NAME] [--json]",
	"Fetches the policy branch and version tags of REMOTE (a path or URL) into the\n"
	"repository (-C DIR; created, bare, when it does not exist). Only a fast-forward\n"
	"of the branch and new version tags are accepted: a remote that rewrote a\n"
	"published version is refused, naming the tag, and nothing changes here.\n\n"
	"  --branch NAME   the policy branch (default: ours, else main)\n",
	50
};

enum { OPT_BRANCH = 1 };

static int on_option(gate_cli *cli, int opt, const char *arg, void *payload)
{
	(void)cli;
	if (opt == OPT_BRANCH) {
		*(const char **)payload = arg;
		return 0;
	}
	return cli_usage(&gate_cmd_sync, "unknown option");
}

static int run(gate_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "branch", required_argument, NULL, OPT_BRANCH },
		{ NULL, 0, NULL, 0 }
	};
	const char *branch = NULL, *repo;
	gate_sync_result r;
	int first, rc;

	if ((rc = cli_parse(cli, &gate_cmd_sync, argc, argv, NULL, longopts, on_option, &branch, &first)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (argc - first != 1)
		return cli_usage(&gate_cmd_sync, argc - first < 1 ? "sync from where?" : "too many arguments");
	repo = cli->repo ? cli->repo : ".";
	cli_exec_git(); /* only gate-git fetches */
	if (gate_repository_sync(repo, argv[first], branch, &r) < 0)
		return cli_fail();
	if (cli->json) {
		printf("{\"remote\": ");
		cli_json_string(stdout, argv[first]);
		printf(", \"new_versions\": %u, \"branch_updated\": %s, \"branch\": \"%s\"}\n",
			r.new_versions, r.branch_updated ? "true" : "false", r.branch_oid);
	} else {
		printf("Synced from %s: %u new version%s, branch %s at %.12s\n", argv[first],
			r.new_versions, r.new_versions == 1 ? "" : "s",
			r.branch_updated ? "moved forward" : "unchanged", r.branch_oid);
	}
	return CLI_OK;
}
