/*
 * login.c: how a desktop app embeds libgate at login, as a model to copy.
 *
 *   desktop-login POLICIES DATABASE USER [LOCALE]
 *
 * POLICIES is a policy repository (a folder) or a pack (a file); DATABASE
 * is the acceptance database. At login the app asks libgate about every
 * document, shows the user what changed in any notice they must (or may)
 * accept, asks them on the terminal, records their answer, and lets them in
 * only when libgate then allows it. Anything that goes wrong keeps the user
 * out: the app FAILS CLOSED.
 *
 * Exit status: 0 let in; 1 kept out by an error; 2 usage; 3 kept out
 * because the user declined a notice they must accept.
 */
#include <gate.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define APP_CLIENT "acme-desktop 1.0"   /* recorded with every acceptance */

enum { LET_IN = 0, OUT_ERROR = 1, USAGE = 2, OUT_DECLINED = 3 };

/* Prints libgate's one-line reason for the last failure and keeps the user out. */
static int fail(const char *what)
{
	const gate_error *e = gate_error_last();

	fprintf(stderr, "desktop-login: %s: %s (%s)\n", what, e->message, gate_err_name(e->code));
	return OUT_ERROR;
}

/* Reads one answer from standard input; only "y" or "yes" accepts. EOF declines. */
static int ask_yes(void)
{
	char line[64];
	int c;

	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 0;
	if (!strchr(line, '\n'))  /* an overlong answer: drop the rest of the line */
		while ((c = getchar()) != EOF && c != '\n')
			;
	line[strcspn(line, "\r\n")] = '\0';
	return !strcmp(line, "y") || !strcmp(line, "Y") || !strcmp(line, "yes") || !strcmp(line, "Yes");
}

/*
 * Shows what changed in `d->doc` between the version the user accepted (0:
 * none, so the whole text) and the one libgate asks them to accept.
 * Returns LET_IN (0) or OUT_ERROR.
 */
static int show_changes(gate *g, const gate_decision *d, const char *locale)
{
	gate_diff *diff = NULL;
	gate_buf text = GATE_BUF_INIT;
	char when[GATE_TIME_BUFSIZE] = "";
	int status = LET_IN;

	if (d->effective != GATE_TIME_UNSET && gate_time_format(when, d->effective) < 0)
		return fail("formatting a date");
	if (d->outcome == GATE_BLOCK)
		printf("\n%s: you must accept version %u to go on.\n", d->doc, d->target);
	else if (d->material)
		printf("\n%s: version %u changes it and takes effect on %s; you may accept it now.\n",
			d->doc, d->target, when);
	else
		printf("\n%s: version %u only rewords or reformats what you accepted.\n", d->doc, d->target);

	if (d->accepted == 0)
		printf("Here is the full text:\n\n");
	else
		printf("Here is what changed since version %u, which you accepted:\n\n", d->accepted);

	if (gate_diff_versions(&diff, g, d->doc, d->accepted, d->target, locale, NULL) < 0 ||
	    gate_diff_render(diff, GATE_DIFF_FORMAT_TEXT, NULL, &text) < 0)
		status = fail("showing the changes");
	else
		fwrite(text.ptr, 1, text.size, stdout);
	gate_buf_dispose(&text);   /* both accept what was never filled */
	gate_diff_free(diff);
	return status;
}

/* Asks about every notice libgate flags; returns OUT_DECLINED, OUT_ERROR or LET_IN. */
static int prompt_all(gate *g, const char *user, const char *locale)
{
	const gate_decision *decisions;
	size_t count;
	int strongest = gate_check_all(g, user, &decisions, &count);

	if (strongest < 0)
		return fail("checking the notices");

	for (size_t i = 0; i < count; i++) {
		const gate_decision *d = &decisions[i];
		gate_receipt receipt;

		if (d->outcome == GATE_ALLOW || d->target == 0)
			continue;
		if (show_changes(g, d, locale) != 0)
			return OUT_ERROR;

		printf("\nDo you accept %s version %u? [y/N] ", d->doc, d->target);
		if (!ask_yes()) {
			if (d->outcome == GATE_BLOCK) {
				printf("You declined %s version %u, so you cannot go on.\n", d->doc, d->target);
				return OUT_DECLINED;
			}
			printf("Not now: we will ask again next time.\n");  /* NOTIFY lets them in */
			continue;
		}
		/* Record exactly the version shown, in the locale shown. */
		if (gate_accept(g, user, d->doc, d->target, locale, "desktop-dialog", APP_CLIENT,
				&receipt) < 0)
			return fail("recording the acceptance");
		printf("Recorded: %s accepted %s version %u (%s), event %lld.\n", user, d->doc,
			receipt.n, receipt.locale, (long long)receipt.seq);
	}
	return LET_IN;
}

/* The whole login: open, ask, record, decide. Returns LET_IN or why not. */
static int login(const char *policies, const char *db, const char *user, const char *locale)
{
	gate_options opts;
	gate *g = NULL;
	const gate_decision *decisions;
	size_t count;
	struct stat st;
	int status, outcome;

	if (gate_options_init(&opts, GATE_OPTIONS_VERSION) < 0)
		return fail("initialising options");
	/* A shipped app knows which it has; a file here is a pack. A pack from
	 * the network should also be checked: set opts.pack_public_key. */
	if (stat(policies, &st) == 0 && S_ISREG(st.st_mode))
		opts.pack_path = policies;
	else
		opts.repo_path = policies;
	opts.db_path = db;

	if (gate_open(&g, &opts) < 0)
		return fail("opening the notices");

	status = prompt_all(g, user, locale);

	/* The store, not this process's bookkeeping, has the last word: ask again.
	 * (A version published meanwhile may still block; the next login asks.) */
	if (status == LET_IN) {
		outcome = gate_check_all(g, user, &decisions, &count);
		if (outcome < 0)
			status = fail("checking the notices again");
		else if (outcome == GATE_BLOCK)
			status = OUT_DECLINED;
	}
	gate_free(g);
	return status;
}

int main(int argc, char **argv)
{
	int status;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: desktop-login POLICIES DATABASE USER [LOCALE]\n"
			"  POLICIES is a policy repository (folder) or a pack (file)\n");
		return USAGE;
	}
	status = login(argv[1], argv[2], argv[3], argc == 5 ? argv[4] : NULL);
	if (status == LET_IN)
		printf("Welcome, %s.\n", argv[3]);
	else
		printf("%s stays logged out.\n", argv[3]);
	return status;
}
