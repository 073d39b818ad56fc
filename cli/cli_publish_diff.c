/* cli_publish_diff.c: the changes a publish would make, as `gate publish --dry-run` prints them. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* One locale's text against what its users read now: the latest version's
 * text in that locale (or its fallback), or nothing before a first version. */
static int print_one(gate_cli *cli, gate *g, const char *doc, unsigned latest,
	const gate_publish_text *t, bool several)
{
	gate_render_options ro = GATE_RENDER_OPTIONS_INIT;
	gate_buf old = GATE_BUF_INIT, out = GATE_BUF_INIT;
	gate_text_info info;
	const char *locale = t->locale ? t->locale : gate_default_locale(g);
	char old_label[GATE_DOC_MAX + GATE_LOCALE_MAX + 32], new_label[GATE_DOC_MAX + GATE_LOCALE_MAX + 32];
	gate_diff *d = NULL;
	int rc = CLI_FAIL;

	if (latest && gate_text(g, doc, latest, locale, &old, &info) < 0) {
		rc = cli_fail();
		goto out;
	}
	if (latest)
		snprintf(old_label, sizeof(old_label), "%s v%u (%s)", doc, latest, info.locale);
	else
		snprintf(old_label, sizeof(old_label), "%s (no version yet)", doc);
	snprintf(new_label, sizeof(new_label), "%s v%u (%s)", doc, latest + 1, locale);
	if (gate_diff_texts(&d, g, old.ptr ? old.ptr : "", old.size, t->text, t->len, NULL) < 0 ||
	    gate_diff_set_labels(d, old_label, new_label) < 0) {
		rc = cli_fail();
		goto out;
	}
	if (cli->color)
		ro.flags |= GATE_RENDER_COLOR;
	if (gate_diff_render(d, GATE_DIFF_FORMAT_TEXT, &ro, &out) < 0) {
		rc = cli_fail();
		goto out;
	}
	if (several)
		printf("\n%s:\n", locale);
	else
		putchar('\n');
	rc = cli_write_output(NULL, out.ptr, out.size);
out:
	gate_diff_free(d);
	gate_buf_dispose(&old);
	gate_buf_dispose(&out);
	return rc;
}

int cli_print_publish_changes(gate_cli *cli, gate *g, const char *doc,
	const gate_publish_text *texts, size_t count)
{
	const gate_version_info *versions;
	size_t n = 0;
	int rc;

	if (gate_versions(g, doc, &versions, &n) < 0) {
		if (gate_error_last()->code != GATE_ENOTFOUND)
			return cli_fail();
		gate_error_clear();
		n = 0;
	}
	for (size_t i = 0; i < count; i++)
		if ((rc = print_one(cli, g, doc, (unsigned)n, &texts[i], count > 1)) != CLI_OK)
			return rc;
	return CLI_OK;
}
