/* cmd_checkpoint.c: `gate checkpoint`, writing the log's chain head into the policy repository. */
#include "cli.h"

static int run(gate_cli *cli, int argc, char **argv);

const gate_cli_command gate_cmd_checkpoint = {
	"checkpoint", run, "Record the acceptance log's chain head in the policy repository",
	"gate checkpoint [--json]",
	"Writes the last event's number and hash as a commit on refs/gate/checkpoints\n"
	"(push it with the repository), so that `gate verify` can later tell a log that\n"
	"was rewritten or cut short. The chain since the previous checkpoint is checked\n"
	"first. Run it on a schedule; with nothing new since the last one, it writes\n"
	"nothing.\n",
	180
};

static int run(gate_cli *cli, int argc, char **argv)
{
	gate_checkpoint_result r;
	gate *g = NULL;
	int first, rc;

	if ((rc = cli_parse(cli, &gate_cmd_checkpoint, argc, argv, NULL, NULL, NULL, NULL, &first)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (first < argc)
		return cli_usage(&gate_cmd_checkpoint, "unexpected argument '%s'", argv[first]);
	if ((rc = cli_open(cli, &g)) != CLI_OK)
		return rc;
	if (gate_checkpoint(g, &r) < 0)
		rc = cli_fail();
	else if (cli->json)
		printf("{\"seq\": %lld, \"hash\": \"%s\", \"commit\": \"%s\"}\n", (long long)r.seq, r.hash, r.commit_oid);
	else
		printf("checkpoint at event %lld, hash %s\ncommit %s on refs/gate/checkpoints\n",
			(long long)r.seq, r.hash, r.commit_oid);
	gate_free(g);
	return rc;
}
