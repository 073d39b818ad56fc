/* cmd_verify.c: `gate verify`, proving the acceptance log intact. */
#include "cli.h"

static int run(gate_cli *cli, int argc, char **argv);

const gate_cli_command gate_cmd_verify = {
	"verify", run, "Check that the acceptance log is intact",
	"gate verify [--json]",
	"Recomputes every event's hash and the chain linking them, checks that every\n"
	"version an event names exists with the recorded commit and text, that the\n"
	"chain passes through every checkpoint (`gate checkpoint`), and that the\n"
	"derived state matches the log. Exits 1 naming the first bad event.\n",
	170
};

static int run(gate_cli *cli, int argc, char **argv)
{
	gate_verify_result r;
	gate *g = NULL;
	int first, rc, error;

	if ((rc = cli_parse(cli, &gate_cmd_verify, argc, argv, NULL, NULL, NULL, NULL, &first)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (first < argc)
		return cli_usage(&gate_cmd_verify, "unexpected argument '%s'", argv[first]);
	if ((rc = cli_open(cli, &g)) != CLI_OK)
		return rc;
	error = gate_verify(g, &r);
	if (cli->json) {
		printf("{\"ok\": %s, \"events\": %lld, \"users\": %lld, \"checkpoints\": %lld, \"head\": ",
			error < 0 ? "false" : "true", (long long)r.events, (long long)r.users, (long long)r.checkpoints);
		if (r.head_hash[0])
			printf("{\"seq\": %lld, \"hash\": \"%s\"}", (long long)r.events, r.head_hash);
		else
			fputs("null", stdout);
		fputs(", \"first_bad_event\": ", stdout);
		if (error < 0 && r.first_bad_seq)
			printf("%lld", (long long)r.first_bad_seq);
		else
			fputs("null", stdout);
		fputs(", \"error\": ", stdout);
		if (error < 0)
			cli_json_string(stdout, gate_error_last()->message);
		else
			fputs("null", stdout);
		fputs("}\n", stdout);
	} else {
		printf("events       %lld%s\n", (long long)r.events, error < 0 ? " verified before the first bad one" : "");
		printf("users        %lld\n", (long long)r.users);
		if (cli->pack)
			printf("checkpoints  none checked (a pack carries no checkpoints)\n");
		else
			printf("checkpoints  %lld\n", (long long)r.checkpoints);
		if (r.head_hash[0])
			printf("head         event %lld, %s\n", (long long)r.events, r.head_hash);
		else
			printf("head         none (the log is empty)\n");
	}
	if (error < 0)
		rc = cli_fail();
	else if (!cli->json)
		printf("ok: the log is intact\n");
	gate_free(g);
	return rc;
}
