/* cmd_diff.c: `gate diff`, what changed between two versions of a document (or two files), and whether it is material. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* --exit-code: the diff is material. Apart from 1 (failure) and 2 (usage). */
#define CLI_DIFF_MATERIAL 3

static int run(gate_cli *cli, int argc, char **argv);

const gate_cli_command gate_cmd_diff = {
	"diff", run, "Show what changed between two versions, and whether it is material",
	"gate diff DOC [A [B]] [--locale L] [options]\n"
	"       gate diff --no-index OLD_FILE NEW_FILE [options]",
	"Compares versions A and B of DOC (3 or v3): with none, the two latest\n"
	"versions (a document with one version is compared with nothing); with one,\n"
	"A against the latest. With --no-index, compares two files and needs no\n"
	"repository; one of them may be - (standard input). The verdict is material\n"
	"when any word, number, address or name changed; editorial when only spacing,\n"
	"quotes, case, formatting or the date line did.\n\n"
	"  --locale L          compare the texts of locale L (default: the default locale)\n"
	"  --format F          text (default; unified, words in colour on a terminal),\n"
	"                      word (git's --word-diff=plain), json, or html (a page for\n"
	"                      the app's users); --json is --format json\n"
	"  --material-only     leave editorial changes out\n"
	"  --context N         lines of context around changes (default 3)\n"
	"  -o, --output FILE   write to FILE (atomically) instead of standard output\n"
	"  --title TEXT        the HTML page's title\n"
	"  --lang TAG          the HTML page's language (default: the locale compared)\n"
	"  --exit-code         exit with 3 when the change is material, 0 when it is not\n"
	"  --no-index          compare two files instead of two versions\n",
	45
};

enum {
	OPT_LOCALE = 1, OPT_FORMAT, OPT_MATERIAL_ONLY, OPT_CONTEXT, OPT_TITLE, OPT_LANG,
	OPT_EXIT_CODE, OPT_NO_INDEX
};

struct diff_args {
	const char *locale;
	const char *format;
	const char *output;
	gate_render_options ro;
	bool exit_code;
	bool no_index;
};

static int on_option(gate_cli *cli, int opt, const char *arg, void *payload)
{
	struct diff_args *a = payload;

	(void)cli;
	switch (opt) {
	case OPT_LOCALE: a->locale = arg; return 0;
	case OPT_FORMAT: a->format = arg; return 0;
	case OPT_MATERIAL_ONLY: a->ro.flags |= GATE_RENDER_MATERIAL_ONLY; return 0;
	case OPT_CONTEXT: {
		char *end;
		unsigned long n;

		errno = 0;
		n = strtoul(arg, &end, 10);
		if (!*arg || *end || errno || n > 100000 || arg[0] == '-')
			return cli_usage(&gate_cmd_diff, "--context wants a number of lines, not '%s'", arg);
		a->ro.context = (unsigned int)n;
		if (n == 0)
			a->ro.flags |= GATE_RENDER_NO_CONTEXT;
		else
			a->ro.flags &= ~(unsigned int)GATE_RENDER_NO_CONTEXT;
		return 0;
	}
	case 'o': a->output = arg; return 0;
	case OPT_TITLE: a->ro.title = arg; return 0;
	case OPT_LANG: a->ro.lang = arg; return 0;
	case OPT_EXIT_CODE: a->exit_code = true; return 0;
	case OPT_NO_INDEX: a->no_index = true; return 0;
	}
	return cli_usage(&gate_cmd_diff, "unknown option");
}

static int parse_format(const gate_cli *cli, const char *name, int *format)
{
	static const struct { const char *name; int format; } formats[] = {
		{ "text", GATE_DIFF_FORMAT_TEXT }, { "word", GATE_DIFF_FORMAT_WORD },
		{ "json", GATE_DIFF_FORMAT_JSON }, { "html", GATE_DIFF_FORMAT_HTML },
	};

	if (!name) {
		*format = cli->json ? GATE_DIFF_FORMAT_JSON : GATE_DIFF_FORMAT_TEXT;
		return CLI_OK;
	}
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (strcmp(name, formats[i].name) != 0)
			continue;
		if (cli->json && formats[i].format != GATE_DIFF_FORMAT_JSON)
			return cli_usage(&gate_cmd_diff, "--json and --format %s ask for different formats", name);
		*format = formats[i].format;
		return CLI_OK;
	}
	return cli_usage(&gate_cmd_diff, "unknown format '%s'; use text, word, json or html", name);
}

/* Two files: no repository needed, though one named with -C/--pack lends
 * its gate.conf (date-line patterns, category words). */
static int diff_files(gate_cli *cli, const char *old_path, const char *new_path, gate_diff **out)
{
	char *old_text = NULL, *new_text = NULL;
	size_t old_len, new_len;
	gate *g = NULL;
	int rc;

	*out = NULL;
	if ((rc = cli_read_file(old_path, &old_text, &old_len)) != CLI_OK ||
	    (rc = cli_read_file(new_path, &new_text, &new_len)) != CLI_OK)
		goto done;
	if ((cli->repo || cli->pack) && (rc = cli_open(cli, &g)) != CLI_OK)
		goto done;
	if (gate_diff_texts(out, g, old_text, old_len, new_text, new_len, NULL) < 0) {
		char why[512];
		const char *bad = NULL;
		gate_diff *probe = NULL;

		snprintf(why, sizeof(why), "%s", gate_error_last()->message);
		/* A text the engine refuses (not UTF-8, a NUL byte): name its file. */
		if (gate_error_last()->code == GATE_EINVALID) {
			if (gate_diff_texts(&probe, g, old_text, old_len, "", 0, NULL) < 0) {
				bad = old_path;
			} else {
				gate_diff_free(probe);
				probe = NULL;
				if (gate_diff_texts(&probe, g, "", 0, new_text, new_len, NULL) < 0)
					bad = new_path;
			}
			if (bad)
				snprintf(why, sizeof(why), "%s: %s", strcmp(bad, "-") ? bad : "standard input",
					gate_error_last()->message);
			gate_diff_free(probe);
		}
		rc = cli_failf("%s", why);
		goto done;
	}
	if (gate_diff_set_labels(*out, strcmp(old_path, "-") ? old_path : "(standard input)",
		strcmp(new_path, "-") ? new_path : "(standard input)") < 0) {
		rc = cli_fail();
		goto done;
	}
	rc = CLI_OK;
done:
	if (rc != CLI_OK) {
		gate_diff_free(*out);
		*out = NULL;
	}
	gate_free(g);
	free(old_text);
	free(new_text);
	return rc;
}

/* Two versions of a document: by default the two latest. */
static int diff_versions(gate_cli *cli, const struct diff_args *a, char **ops, int nops, gate_diff **out)
{
	const gate_version_info *versions;
	size_t count;
	unsigned from = 0, to = 0;
	gate *g = NULL;
	int rc;

	*out = NULL;
	for (int i = 1; i < nops; i++) {
		unsigned n = cli_parse_version(ops[i]);

		if (!n)
			return cli_usage(&gate_cmd_diff, "'%s' is not a version; use 3 or v3", ops[i]);
		*(i == 1 ? &from : &to) = n;
	}
	if ((rc = cli_open(cli, &g)) != CLI_OK)
		return rc;
	if (gate_versions(g, ops[0], &versions, &count) < 0) {
		rc = cli_fail();
		goto done;
	}
	if (!to)
		to = (unsigned)count;
	if (nops == 1)
		from = to - 1;   /* 0 for a document's first version: everything is added */
	if (gate_diff_versions(out, g, ops[0], from, to, a->locale, NULL) < 0) {
		rc = cli_fail();
		goto done;
	}
	if (a->locale) {
		const gate_diff_side *s = gate_diff_get_side(*out, 1);

		if (s && s->locale && strcmp(s->locale, a->locale) != 0)
			fprintf(stderr, "gate: %s v%u has no %s text; comparing %s\n", ops[0], to, a->locale, s->locale);
	}
	rc = CLI_OK;
done:
	gate_free(g);
	return rc;
}

static int run(gate_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "locale", required_argument, NULL, OPT_LOCALE },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "material-only", no_argument, NULL, OPT_MATERIAL_ONLY },
		{ "context", required_argument, NULL, OPT_CONTEXT },
		{ "output", required_argument, NULL, 'o' },
		{ "title", required_argument, NULL, OPT_TITLE },
		{ "lang", required_argument, NULL, OPT_LANG },
		{ "exit-code", no_argument, NULL, OPT_EXIT_CODE },
		{ "no-index", no_argument, NULL, OPT_NO_INDEX },
		{ NULL, 0, NULL, 0 }
	};
	struct diff_args a;
	gate_buf out = GATE_BUF_INIT;
	gate_diff *diff = NULL;
	int first, format = GATE_DIFF_FORMAT_TEXT, rc, nops;

	memset(&a, 0, sizeof(a));
	gate_render_options_init(&a.ro, GATE_RENDER_OPTIONS_VERSION);
	if ((rc = cli_parse(cli, &gate_cmd_diff, argc, argv, "o:", longopts, on_option, &a, &first)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = parse_format(cli, a.format, &format)) != CLI_OK)
		return rc;
	nops = argc - first;
	if (a.no_index) {
		if (nops != 2)
			return cli_usage(&gate_cmd_diff, "--no-index compares two files: OLD_FILE NEW_FILE");
		if (strcmp(argv[first], "-") == 0 && strcmp(argv[first + 1], "-") == 0)
			return cli_usage(&gate_cmd_diff, "only one of the two files can be - (standard input)");
		if (a.locale)
			return cli_usage(&gate_cmd_diff, "--locale names a version's text; files have none");
		rc = diff_files(cli, argv[first], argv[first + 1], &diff);
	} else {
		if (nops < 1 || nops > 3)
			return cli_usage(&gate_cmd_diff, nops < 1 ? "which document?" : "too many arguments");
		rc = diff_versions(cli, &a, argv + first, nops, &diff);
	}
	if (rc != CLI_OK)
		return rc;

	/* Colour only for a person at a terminal, never into a file. */
	if (cli->color && !a.output && (format == GATE_DIFF_FORMAT_TEXT || format == GATE_DIFF_FORMAT_WORD))
		a.ro.flags |= GATE_RENDER_COLOR;
	if (gate_diff_render(diff, format, &a.ro, &out) < 0)
		rc = cli_fail();
	else
		rc = cli_write_output(a.output, out.ptr, out.size);
	if (rc == CLI_OK && a.exit_code && gate_diff_is_material(diff))
		rc = CLI_DIFF_MATERIAL;
	gate_buf_dispose(&out);
	gate_diff_free(diff);
	return rc;
}
