/* cmd_pending.c: `gate pending [DOC]`, who must accept or should see a notice, with the totals, in any report format. */
#include "cli.h"

static int run(gate_cli *cli, int argc, char **argv);

const gate_cli_command gate_cmd_pending = {
	"pending", run, "List the users who must accept or should see a notice, with totals",
	"gate pending [DOC] [--format table|csv|json|html] [--as-of WHEN] [-o FILE]",
	"For every known user and DOC (default: every published document), decides as\n"
	"`gate check` would and lists those who must accept (block) or should see a\n"
	"notice (notify): the version they accepted (or never), the version to accept,\n"
	"whether a material change lies between, when it takes effect and for how many\n"
	"days they have had something to accept. Then the totals: users known, users on\n"
	"the version in force, decisions, and users by the version they accept. Known\n"
	"users are those registered with `gate users` or at their first acceptance.\n\n"
	"  --format F          table (default; aligned for a terminal), csv (RFC 4180,\n"
	"                      the rows only), json (rows, then totals) or html (one\n"
	"                      page with totals, a chart and the first rows);\n"
	"                      --json is --format json\n"
	"  --as-of WHEN        decide at WHEN (2026-03-01 or 2026-03-01T09:30:00Z)\n"
	"                      instead of now ($GATE_NOW when set); a time in the past\n"
	"                      replays the log: only the users, acceptances and\n"
	"                      versions there were then\n"
	"  -o, --output FILE   write to FILE (replaced only once complete)\n"
	"  --title TEXT        the HTML page's title\n"
	"  --html-rows N       rows the HTML page lists (default 1000)\n\n"
	"It streams: a million users take little memory, in every format.\n",
	135
};

typedef struct {
	gate *g;
	const char *doc;
} pending_what;

static int render(void *what, const gate_report_options *ro, gate_write_fn write, void *payload)
{
	pending_what *p = what;

	return gate_pending_render(p->g, p->doc, ro, write, payload, NULL);
}

static int run(gate_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_REPORT_LONGOPTS,
		{ "html-rows", required_argument, NULL, CLI_REPORT_OPT_HTML_ROWS },
		{ NULL, 0, NULL, 0 }
	};
	cli_report_args a;
	pending_what p = { NULL, NULL };
	int first, rc;

	cli_report_args_init(&a, &gate_cmd_pending);
	if ((rc = cli_parse(cli, &gate_cmd_pending, argc, argv, "o:", longopts, cli_report_option, &a, &first)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (argc - first > 1)
		return cli_usage(&gate_cmd_pending, "too many arguments; give one document, or none for all");
	if (argc - first == 1)
		p.doc = argv[first];
	if ((rc = cli_report_resolve(cli, &a)) != CLI_OK || (rc = cli_open(cli, &p.g)) != CLI_OK)
		return rc;
	cli_report_note_unpublished(p.g, p.doc);
	rc = cli_report_write(&a, render, &p);
	gate_free(p.g);
	return rc;
}
