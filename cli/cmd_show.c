/* cmd_show.c: `gate show DOC[@N]`, the exact bytes of one version's text. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static int run(gate_cli *cli, int argc, char **argv);

const gate_cli_command gate_cmd_show = {
	"show", run, "Print the exact text of a version",
	"gate show DOC[@N] [--locale L] [--json]",
	"Prints the bytes of version N of DOC (N as 3 or v3; default: the version in\n"
	"force now) in locale L (default: the default locale). A version without L\n"
	"shows the default locale's text of that version.\n\n"
	"  --locale L   the locale to show\n",
	40
};

enum { OPT_LOCALE = 1 };

static int on_option(gate_cli *cli, int opt, const char *arg, void *payload)
{
	(void)cli;
	if (opt == OPT_LOCALE) {
		*(const char **)payload = arg;
		return 0;
	}
	return cli_usage(&gate_cmd_show, "unknown option");
}

static int run(gate_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "locale", required_argument, NULL, OPT_LOCALE },
		{ NULL, 0, NULL, 0 }
	};
	const char *locale = NULL;
	char doc[128];
	const char *at;
	unsigned n = 0;
	gate_buf text = GATE_BUF_INIT;
	gate_text_info info;
	gate *g = NULL;
	int first, rc;

	if ((rc = cli_parse(cli, &gate_cmd_show, argc, argv, NULL, longopts, on_option, &locale, &first)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (argc - first != 1)
		return cli_usage(&gate_cmd_show, argc - first < 1 ? "which document?" : "too many arguments");
	at = strchr(argv[first], '@');
	if (at) {
		if (!(n = cli_parse_version(at + 1)))
			return cli_usage(&gate_cmd_show, "'%s' is not a version; use DOC@3 or DOC@v3", at + 1);
	}
	snprintf(doc, sizeof(doc), "%.*s", at ? (int)(at - argv[first]) : (int)strlen(argv[first]), argv[first]);

	if ((rc = cli_open(cli, &g)) != CLI_OK)
		return rc;
	if (!n) {
		const gate_version_info *v;

		if (gate_version_in_force(g, doc, gate_now(g), &v) < 0) {
			rc = cli_fail();
			goto out;
		}
		n = v->n;
	}
	if (gate_text(g, doc, n, locale, &text, &info) < 0) {
		rc = cli_fail();
		goto out;
	}
	if (cli->json) {
		printf("{\"doc\": ");
		cli_json_string(stdout, doc);
		printf(", \"version\": %u, \"locale\": \"%s\", \"fallback\": %s, \"blob\": \"%s\", \"commit\": \"%s\", \"text\": ",
			info.n, info.locale, info.fallback ? "true" : "false", info.blob_oid, info.commit_oid);
		cli_json_string(stdout, text.ptr ? text.ptr : "");
		printf("}\n");
	} else if (text.size && fwrite(text.ptr, 1, text.size, stdout) != text.size) {
		rc = cli_failf("cannot write to standard output");
		goto out;
	}
	if (info.fallback && !cli->json)
		fprintf(stderr, "gate: %s v%u has no %s text; showing %s\n", doc, n, locale, info.locale);
	rc = CLI_OK;
out:
	gate_buf_dispose(&text);
	gate_free(g);
	return rc;
}
