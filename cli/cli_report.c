/* cli_report.c: what the report commands (pending, stats) share: their options, a note on documents
 * with nothing published, and writing a report as it is made. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void cli_report_args_init(cli_report_args *a, const gate_cli_command *cmd)
{
	memset(a, 0, sizeof(*a));
	a->cmd = cmd;
	gate_report_options_init(&a->ro, GATE_REPORT_OPTIONS_VERSION);
}

int cli_report_option(gate_cli *cli, int opt, const char *arg, void *payload)
{
	cli_report_args *a = payload;

	(void)cli;
	switch (opt) {
	case CLI_REPORT_OPT_FORMAT: a->format = arg; return 0;
	case CLI_REPORT_OPT_AS_OF: a->as_of = arg; return 0;
	case 'o': a->output = arg; return 0;
	case CLI_REPORT_OPT_TITLE: a->ro.title = arg; return 0;
	case CLI_REPORT_OPT_HTML_ROWS: {
		char *end;
		unsigned long n;

		errno = 0;
		n = strtoul(arg, &end, 10);
		if (!*arg || *end || errno || n == 0 || n > 10000000 || arg[0] == '-')
			return cli_usage(a->cmd, "--html-rows wants a number of rows from 1 to 10000000, not '%s'", arg);
		a->ro.html_rows = (size_t)n;
		return 0;
	}
	}
	return cli_usage(a->cmd, "unknown option");
}

int cli_report_resolve(const gate_cli *cli, cli_report_args *a)
{
	static const int formats[] = { GATE_REPORT_TABLE, GATE_REPORT_CSV, GATE_REPORT_JSON, GATE_REPORT_HTML };
	size_t i;

	a->ro.format = cli->json ? GATE_REPORT_JSON : GATE_REPORT_TABLE;
	for (i = 0; a->format && i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(a->format, gate_report_format_name(formats[i])) == 0)
			break;
	if (a->format && i == sizeof(formats) / sizeof(formats[0]))
		return cli_usage(a->cmd, "unknown format '%s'; use table, csv, json or html", a->format);
	if (a->format && cli->json && formats[i] != GATE_REPORT_JSON)
		return cli_usage(a->cmd, "--json and --format %s ask for different formats", a->format);
	if (a->format)
		a->ro.format = formats[i];
	if (a->as_of && gate_time_parse(&a->ro.as_of, a->as_of) < 0)
		return cli_usage(a->cmd, "--as-of wants a date (2026-03-01) or an RFC 3339 time (2026-03-01T09:30:00Z), not '%s'",
			a->as_of);
	return CLI_OK;
}

void cli_report_note_unpublished(gate *g, const char *doc)
{
	const char *const *ids;
	size_t count;

	if (!doc || gate_doc_id_check(doc) < 0 || gate_docs(g, &ids, &count) < 0) {
		gate_error_clear();
		return;
	}
	for (size_t i = 0; i < count; i++)
		if (strcmp(ids[i], doc) == 0)
			return;
	fprintf(stderr, "gate: note: no version of '%s' is published", doc);
	for (size_t i = 0; i < count; i++)
		fprintf(stderr, "%s%s", i ? ", " : "; the published documents are ", ids[i]);
	fputs(count ? "\n" : "; nothing is published yet\n", stderr);
}

int cli_report_write(const cli_report_args *a, cli_render_fn render, void *what)
{
	cli_stream out;
	int rc;

	if ((rc = cli_stream_open(&out, a->output)) != CLI_OK)
		return rc;
	/* A failed write is the stream's to tell (with its errno); anything else the library's. */
	if (render(what, &a->ro, cli_stream_write, &out) != 0 && !out.err) {
		rc = cli_fail();
		cli_stream_close(&out, false);
		return rc;
	}
	return cli_stream_close(&out, true);
}
