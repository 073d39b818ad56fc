/* cmd_stats.c: `gate stats DOC`, the uptake of each version day by day, as a table, CSV, JSON or an HTML chart. */
#include "cli.h"

static int run(gate_cli *cli, int argc, char **argv);

const gate_cli_command gate_cmd_stats = {
	"stats", run, "Show the uptake of each version of a document, day by day",
	"gate stats DOC [--format table|csv|json|html] [--as-of WHEN] [-o FILE]",
	"For each version of DOC, the share of known users who had accepted it or a\n"
	"later version, at the end of each day (UTC) since it was published, replayed\n"
	"from the acceptance log. Known users on a day: the users the store still\n"
	"knows (forgotten users, and their events, are left out) whose first-seen time\n"
	"or first acceptance came by the end of that day.\n\n"
	"  --format F          table (default; a row per day, a column per version),\n"
	"                      csv (with the counts), json, or html (a page with a line\n"
	"                      chart, one line per version); --json is --format json\n"
	"  --as-of WHEN        end at WHEN (2026-03-01 or 2026-03-01T09:30:00Z) instead\n"
	"                      of now ($GATE_NOW when set)\n"
	"  -o, --output FILE   write to FILE (replaced only once complete)\n"
	"  --title TEXT        the HTML page's title\n",
	136
};

static int render(void *what, const gate_report_options *ro, gate_write_fn write, void *payload)
{
	return gate_uptake_render(what, ro, write, payload);
}

static int run(gate_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = { CLI_REPORT_LONGOPTS, { NULL, 0, NULL, 0 } };
	cli_report_args a;
	gate_uptake *u = NULL;
	gate *g = NULL;
	int first, rc;

	cli_report_args_init(&a, &gate_cmd_stats);
	if ((rc = cli_parse(cli, &gate_cmd_stats, argc, argv, "o:", longopts, cli_report_option, &a, &first)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (argc - first != 1)
		return cli_usage(&gate_cmd_stats, argc - first < 1 ? "which document?" : "too many arguments");
	if ((rc = cli_report_resolve(cli, &a)) != CLI_OK || (rc = cli_open(cli, &g)) != CLI_OK)
		return rc;
	cli_report_note_unpublished(g, argv[first]);
	if (gate_uptake_new(&u, g, argv[first], a.ro.as_of) < 0)
		rc = cli_fail();
	else
		rc = cli_report_write(&a, render, u);
	gate_uptake_free(u);
	gate_free(g);
	return rc;
}
