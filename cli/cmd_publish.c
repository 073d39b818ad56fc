/* cmd_publish.c: `gate publish DOC FILE...`, publishing the next version of a document. needs-git */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static int run(gate_cli *cli, int argc, char **argv);

const gate_cli_command gate_cmd_publish = {
	"publish", run, "Publish the next version of a document",
	"gate publish DOC FILE [FILE...] [--locale L] [--effective WHEN] [--material|--editorial]"
	" [--reason TEXT] [-m SUMMARY] [--author \"Name <email>\"] [--dry-run]",
	"Each FILE is one locale's text: named by --locale (with one FILE), else by the\n"
	"file name when it is a language-REGION tag (cy-GB.md), else the default locale.\n"
	"A locale left out of a version falls back to the default locale's text of that\n"
	"version.\n\n"
	"  --locale L          the locale of the single FILE\n"
	"  --effective WHEN    when it comes into force: RFC 3339 or YYYY-MM-DD (default: now)\n"
	"  --material          record a material change (users must accept again)\n"
	"  --editorial         record an editorial change; over a detected material change\n"
	"                      this needs --reason\n"
	"  --reason TEXT       why the detected verdict is overridden (kept in the tag)\n"
	"  -m, --message TEXT  the publisher's summary of the change\n"
	"  --author \"N <e>\"    the publisher (default $GIT_AUTHOR_NAME/EMAIL, else git config)\n"
	"  --dry-run           show what would be published and the changes against the\n"
	"                      latest version (text diff), write nothing\n",
	20
};

enum { OPT_LOCALE = 1, OPT_EFFECTIVE, OPT_MATERIAL, OPT_EDITORIAL, OPT_REASON, OPT_AUTHOR, OPT_DRY };

struct publish_args {
	gate_publish_options opts;
	const char *locale;
	const char *effective;
	char *name, *email;
};

static int on_option(gate_cli *cli, int opt, const char *arg, void *payload)
{
	struct publish_args *a = payload;

	(void)cli;
	switch (opt) {
	case OPT_LOCALE: a->locale = arg; return 0;
	case OPT_EFFECTIVE: a->effective = arg; return 0;
	case OPT_MATERIAL:
	case OPT_EDITORIAL: {
		gate_change c = opt == OPT_MATERIAL ? GATE_CHANGE_MATERIAL : GATE_CHANGE_EDITORIAL;

		if (a->opts.change != GATE_CHANGE_UNKNOWN && a->opts.change != c)
			return cli_usage(&gate_cmd_publish, "--material and --editorial exclude each other");
		a->opts.change = c;
		return 0;
	}
	case OPT_REASON: a->opts.reason = arg; return 0;
	case 'm': a->opts.summary = arg; return 0;
	case OPT_AUTHOR:
		free(a->name);
		free(a->email);
		if (cli_parse_author(&gate_cmd_publish, arg, &a->name, &a->email) != CLI_OK)
			return CLI_USAGE;
		a->opts.author_name = a->name;
		a->opts.author_email = a->email;
		return 0;
	case OPT_DRY: a->opts.flags |= GATE_PUBLISH_DRY_RUN; return 0;
	}
	return cli_usage(&gate_cmd_publish, "unknown option");
}

/* "cy-GB.md" -> "cy-GB" when that is a locale; NULL otherwise. */
static const char *locale_from_name(const char *path, char *buf, size_t size)
{
	const char *base = strrchr(path, '/');
	const char *dot;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	if (!dot || (size_t)(dot - base) >= size)
		return NULL;
	memcpy(buf, base, (size_t)(dot - base));
	buf[dot - base] = '\0';
	/* Only language-REGION style names (en-GB.md): "privacy.md" or "ok.md"
	 * are well-formed language tags too, but nobody means them as one. */
	if (!strchr(buf, '-') || gate_locale_check(buf) < 0) {
		gate_error_clear();
		return NULL;
	}
	return buf;
}

static void print_result(gate_cli *cli, const char *doc, const gate_publish_result *r, bool dry)
{
	char eff[GATE_TIME_BUFSIZE], pub[GATE_TIME_BUFSIZE];

	cli_time(r->effective, eff);
	cli_time(r->published, pub);
	if (cli->json) {
		printf("{\"doc\": ");
		cli_json_string(stdout, doc);
		printf(", \"version\": %u, \"change\": \"%s\", \"detected\": \"%s\", \"published\": \"%s\","
			" \"effective\": \"%s\", \"dry_run\": %s, \"tag\": ",
			r->n, gate_change_name(r->change), gate_change_name(r->detected), pub, eff,
			dry ? "true" : "false");
		if (dry)
			printf("null, \"commit\": null}\n");
		else
			printf("\"%s\", \"commit\": \"%s\"}\n", r->tag_oid, r->commit_oid);
		return;
	}
	if (dry)
		printf("%s v%u would be published (%s, detected %s, effective %s); nothing written\n",
			doc, r->n, gate_change_name(r->change), gate_change_name(r->detected), eff);
	else
		printf("%s v%u (%s, effective %s)\n", doc, r->n, gate_change_name(r->change), eff);
}

static int run(gate_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "locale", required_argument, NULL, OPT_LOCALE },
		{ "effective", required_argument, NULL, OPT_EFFECTIVE },
		{ "material", no_argument, NULL, OPT_MATERIAL },
		{ "editorial", no_argument, NULL, OPT_EDITORIAL },
		{ "reason", required_argument, NULL, OPT_REASON },
		{ "message", required_argument, NULL, 'm' },
		{ "author", required_argument, NULL, OPT_AUTHOR },
		{ "dry-run", no_argument, NULL, OPT_DRY },
		{ NULL, 0, NULL, 0 }
	};
	struct publish_args a;
	gate_publish_text texts[32];
	char locales[32][GATE_LOCALE_MAX + 1];
	char *data[32] = { NULL };
	gate_publish_result result;
	const char *doc;
	size_t nfiles = 0;
	gate *g = NULL;
	int first, rc;

	memset(&a, 0, sizeof(a));
	gate_publish_options_init(&a.opts, GATE_PUBLISH_OPTIONS_VERSION);
	rc = cli_parse(cli, &gate_cmd_publish, argc, argv, "m:", longopts, on_option, &a, &first);
	if (rc != 0)
		goto out;
	if (argc - first < 2) {
		rc = cli_usage(&gate_cmd_publish, "need a document and at least one file");
		goto out;
	}
	doc = argv[first];
	nfiles = (size_t)(argc - first - 1);
	if (nfiles > 32) {
		rc = cli_usage(&gate_cmd_publish, "at most 32 files (one per locale)");
		goto out;
	}
	if (a.locale && nfiles > 1) {
		rc = cli_usage(&gate_cmd_publish, "--locale names the locale of a single FILE; name several files after their locales (cy-GB.md)");
		goto out;
	}
	if (a.effective && gate_time_parse(&a.opts.effective, a.effective) < 0) {
		rc = cli_fail();
		goto out;
	}

	for (size_t i = 0; i < nfiles; i++) {
		const char *path = argv[first + 1 + (int)i];
		size_t len;

		if ((rc = cli_read_file(path, &data[i], &len)) != CLI_OK)
			goto out;
		texts[i].text = data[i];
		texts[i].len = len;
		texts[i].locale = a.locale ? a.locale : locale_from_name(path, locales[i], sizeof(locales[i]));
	}

	if ((rc = cli_open(cli, &g)) != CLI_OK)
		goto out;
	if (gate_publish(g, doc, texts, nfiles, &a.opts, &result) < 0) {
		rc = cli_fail();
		goto out;
	}
	print_result(cli, doc, &result, (a.opts.flags & GATE_PUBLISH_DRY_RUN) != 0);
	rc = CLI_OK;
	/* A dry run also shows the changes the verdict is about. */
	if ((a.opts.flags & GATE_PUBLISH_DRY_RUN) && !cli->json)
		rc = cli_print_publish_changes(cli, g, doc, texts, nfiles);

out:
	gate_free(g);
	for (size_t i = 0; i < 32; i++)
		free(data[i]);
	free(a.name);
	free(a.email);
	return rc < 0 ? CLI_OK : rc;
}
