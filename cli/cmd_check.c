/* cmd_check.c: `gate check USER [DOC]`, the gate decision in words or JSON, as an exit code. */
#include "cli.h"

static int run(gate_cli *cli, int argc, char **argv);

const gate_cli_command gate_cmd_check = {
	"check", run, "Decide whether a user may go on: allow, notify or block",
	"gate check USER [DOC] [--json]",
	"Checks USER against DOC, or against every published document (the strongest\n"
	"decision wins), at this moment ($GATE_NOW when set).\n\n"
	"Exit codes: 0 allow, 10 notify (let them in, show what changed or what is\n"
	"coming), 20 block (they must accept first), 1 error: a script must then block\n"
	"too (fail closed).\n",
	100
};

#define CLI_NOTIFY 10
#define CLI_BLOCK 20

static int run(gate_cli *cli, int argc, char **argv)
{
	const gate_decision *ds;
	gate_decision one;
	size_t count;
	gate *g = NULL;
	int first, rc, outcome;
	const char *user;

	if ((rc = cli_parse(cli, &gate_cmd_check, argc, argv, NULL, NULL, NULL, NULL, &first)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (argc - first < 1)
		return cli_usage(&gate_cmd_check, "which user?");
	if (argc - first > 2)
		return cli_usage(&gate_cmd_check, "too many arguments");
	user = argv[first];
	if ((rc = cli_open(cli, &g)) != CLI_OK)
		return rc;
	if (argc - first == 2) {
		outcome = gate_check(g, user, argv[first + 1], &one);
		ds = &one;
		count = 1;
	} else {
		outcome = gate_check_all(g, user, &ds, &count);
	}
	if (outcome < 0) {
		rc = cli_fail();
		goto out;
	}
	if (cli->json) {
		fputs("{\"user\": ", stdout);
		cli_json_string(stdout, user);
		printf(", \"decision\": \"%s\", \"documents\": [", gate_outcome_name(outcome));
		for (size_t i = 0; i < count; i++) {
			fputs(i ? ", " : "", stdout);
			cli_print_decision_json(stdout, &ds[i]);
		}
		fputs("]}\n", stdout);
	} else {
		int64_t now = gate_now(g);

		if (count == 0)
			printf("%s: %s: nothing is published yet\n", user, gate_outcome_name(outcome));
		else if (count == 1)
			printf("%s: %s\n", user, gate_outcome_name(outcome));
		else
			printf("%s: %s (the strongest of %zu documents)\n", user, gate_outcome_name(outcome), count);
		for (size_t i = 0; i < count; i++) {
			fputs("  ", stdout);
			cli_print_decision_words(stdout, user, &ds[i], now);
		}
	}
	rc = outcome == GATE_BLOCK ? CLI_BLOCK : outcome == GATE_NOTIFY ? CLI_NOTIFY : CLI_OK;
out:
	gate_free(g);
	return rc;
}
