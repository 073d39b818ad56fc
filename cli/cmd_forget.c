/* cmd_forget.c: `gate forget USER`, erasing a person: their id, salt and state; the events stay, unlinked. */
#include "cli.h"

static int run(gate_cli *cli, int argc, char **argv);

const gate_cli_command gate_cmd_forget = {
	"forget", run, "Erase a user (right to erasure); their events stay, unlinked",
	"gate forget USER [--json]",
	"Deletes USER's id, salt and current state from the database, at once and\n"
	"without asking. Their events stay in the log, so the chain still verifies,\n"
	"but nothing links them to the person any more: they named only a salted\n"
	"commitment, and the salt is gone.\n",
	160
};

static int run(gate_cli *cli, int argc, char **argv)
{
	const gate_decision *ds;
	size_t count = 0, accepted = 0;
	gate *g = NULL;
	int first, rc;

	if ((rc = cli_parse(cli, &gate_cmd_forget, argc, argv, NULL, NULL, NULL, NULL, &first)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (argc - first != 1)
		return cli_usage(&gate_cmd_forget, argc - first < 1 ? "which user?" : "too many arguments");
	if ((rc = cli_open(cli, &g)) != CLI_OK)
		return rc;
	/* What there is to erase, for the record of what was erased. */
	if (gate_check_all(g, argv[first], &ds, &count) < 0) {
		rc = cli_fail();
		goto out;
	}
	for (size_t i = 0; i < count; i++)
		accepted += ds[i].accepted || ds[i].revoked;
	if (gate_user_forget(g, argv[first]) < 0) {
		rc = cli_fail();
		goto out;
	}
	if (cli->json) {
		fputs("{\"user\": ", stdout);
		cli_json_string(stdout, argv[first]);
		printf(", \"forgotten\": true, \"documents\": %zu}\n", accepted);
	} else {
		printf("forgot %s: erased their id, salt and commitment, and their state for %zu document%s;\n"
			"their events stay in the log, linked to no one\n", argv[first], accepted, accepted == 1 ? "" : "s");
	}
out:
	gate_free(g);
	return rc;
}
