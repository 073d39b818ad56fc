/* cmd_users.c: `gate users add|import|list`, the users the organisation knows. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static int run(gate_cli *cli, int argc, char **argv);

const gate_cli_command gate_cmd_users = {
	"users", run, "Register known users, or list them",
	"gate users add USER... | gate users import FILE | gate users list [--json]",
	"Registering users up front lets reports name those who never accepted anything.\n\n"
	"  add USER...    register these users (already known ones are skipped)\n"
	"  import FILE    register the users in FILE (\"-\": standard input): one id a line,\n"
	"                 or CSV with a `user` column; all or nothing, a bad line is named\n"
	"  list           every known user and when they were first seen\n",
	130
};

typedef struct {
	bool json;
	size_t count;
} list_ctx;

static int print_user(const char *user, int64_t first_seen, void *payload)
{
	list_ctx *l = payload;
	char when[GATE_TIME_BUFSIZE];

	if (l->json) {
		printf("%s\n  {\"user\": ", l->count ? "," : "");
		cli_json_string(stdout, user);
		printf(", \"first_seen\": \"%s\"}", cli_time(first_seen, when));
	} else {
		printf("%-40s %s\n", user, cli_time(first_seen, when));
	}
	l->count++;
	return 0;
}

static int list(gate_cli *cli, gate *g)
{
	list_ctx l = { cli->json, 0 };

	if (cli->json)
		fputs("[", stdout);
	else
		printf("%-40s %s\n", "USER", "FIRST SEEN");
	if (gate_users_each(g, print_user, &l) < 0) {
		if (cli->json)
			fputs("]\n", stdout);
		return cli_fail();
	}
	if (cli->json)
		printf("%s]\n", l.count ? "\n" : "");
	return CLI_OK;
}

static void report(gate_cli *cli, size_t rows, size_t added)
{
	if (cli->json)
		printf("{\"users\": %zu, \"added\": %zu, \"known\": %zu}\n", rows, added, rows - added);
	else
		printf("added %zu user%s (%zu already known)\n", added, added == 1 ? "" : "s", rows - added);
}

static int run(gate_cli *cli, int argc, char **argv)
{
	const char *sub;
	gate *g = NULL;
	size_t rows = 0, added = 0;
	int first, rc;

	if ((rc = cli_parse(cli, &gate_cmd_users, argc, argv, NULL, NULL, NULL, NULL, &first)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (first >= argc)
		return cli_usage(&gate_cmd_users, "add, import or list?");
	sub = argv[first++];
	if (strcmp(sub, "add") == 0) {
		if (first >= argc)
			return cli_usage(&gate_cmd_users, "which users?");
	} else if (strcmp(sub, "import") == 0) {
		if (argc - first != 1)
			return cli_usage(&gate_cmd_users, argc - first < 1 ? "which file?" : "too many arguments");
	} else if (strcmp(sub, "list") == 0) {
		if (first < argc)
			return cli_usage(&gate_cmd_users, "unexpected argument '%s'", argv[first]);
	} else {
		return cli_usage(&gate_cmd_users, "'%s' is not add, import or list", sub);
	}
	if ((rc = cli_open(cli, &g)) != CLI_OK)
		return rc;
	if (strcmp(sub, "list") == 0) {
		rc = list(cli, g);
	} else if (strcmp(sub, "add") == 0) {
		rows = (size_t)(argc - first);
		if (gate_users_add(g, (const char *const *)argv + first, rows, &added) < 0)
			rc = cli_fail();
		else
			report(cli, rows, added);
	} else {
		char *data;
		size_t len;

		if ((rc = cli_read_file(argv[first], &data, &len)) == CLI_OK) {
			if (gate_users_import(g, data, len, &rows, &added) < 0) {
				fprintf(stderr, "gate: %s: %s\n", argv[first], gate_error_last()->message);
				rc = CLI_FAIL;
			} else {
				report(cli, rows, added);
			}
			free(data);
		}
	}
	gate_free(g);
	return rc;
}
