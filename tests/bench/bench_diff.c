/* bench_diff.c: `gate diff --format word` against `git diff --word-diff=plain` on notices of real size, whole processes, side by side.
 *
 * Generates notices in a privacy notice's structure (headings, paragraphs,
 * lists, a date line) from a vocabulary of our own: 30, 60 and 90 KB, each
 * one paragraph per line and wrapped at 72 columns (an edit re-wraps its
 * paragraph, as an editor would), revised with a few scattered edits and an
 * added sentence; and a 1 MB notice with 1% of its words edited at scattered
 * places. Each pair is written to a scratch folder and timed as whole
 * processes, gate and git alternately, several runs each; medians printed
 * as `name value unit` lines:
 *   diff_word_<size>[_wrapped]_gate_ms   gate diff --no-index --format word OLD NEW
 *   diff_word_<size>[_wrapped]_git_ms    git diff --no-index --word-diff=plain OLD NEW
 *   diff_word_<size>[_wrapped]_ratio     gate over git (below 1: gate is faster)
 * Usage: bench_diff [--quick] [--runs N] [--keep DIR]
 * Without git on the PATH it says so and exits 0.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support_bench.h"

#ifndef GATE_CLI_PATH
# define GATE_CLI_PATH "gate"
#endif

extern char **environ;

/* --- a document: blocks of words ------------------------------------------------------------ */

enum { HEADING, PARA, ITEM, DATE };

typedef struct block {
	int kind;
	char **words;
	size_t n, cap;
} block;

typedef struct doc {
	block *b;
	size_t n, cap;
} doc;

static unsigned long long rng = 0x9E3779B97F4A7C15ULL;

static unsigned long long next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static size_t pick(size_t n)
{
	return (size_t)(next_rand() % n);
}

static void *xrealloc(void *p, size_t n)
{
	if (!(p = realloc(p, n))) {
		fputs("bench_diff: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

static void add_word(block *b, const char *w)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		b->words = xrealloc(b->words, b->cap * sizeof(char *));
	}
	b->words[b->n++] = strdup(w);
}

static block *add_block(doc *d, int kind)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->b = xrealloc(d->b, d->cap * sizeof(block));
	}
	memset(&d->b[d->n], 0, sizeof(block));
	d->b[d->n].kind = kind;
	return &d->b[d->n++];
}

static const char *const subjects[] = { "We", "Our team", "The service", "Our partners", "The app", "Our processors" };
static const char *const verbs[] = {
	"collect", "keep", "share", "use", "store", "delete", "review", "protect", "send", "process",
	"record", "encrypt", "transfer", "analyse", "update", "check",
};
static const char *const nouns[] = {
	"account details", "notes", "payment records", "device identifiers", "support messages",
	"location", "contact list", "usage figures", "backups", "crash reports", "sign-in history",
	"preferences", "invoices", "profile photo", "e-mail address", "phone number", "settings",
};
static const char *const tails[] = {
	"for as long as your account is open", "to keep the service running", "when the law requires it",
	"so that we can answer your questions", "with the companies that host our servers",
	"for 30 days after you close your account", "in data centres in Ireland and Germany",
	"only after you agree", "to find and fix problems", "for eight years for tax purposes",
	"unless you ask us not to", "under a written contract", "with strong encryption",
};
static const char *const headings[] = {
	"Who we are", "What we collect", "How we use your data", "Who we share your data with",
	"How long we keep your data", "Sending data abroad", "Your rights", "Cookies and tracking",
	"Children", "Security", "Changes to this notice", "How to contact us",
};
static const char *const swaps[] = {
	"may", "will", "never", "always", "partners", "suppliers", "ten", "twelve", "90", "60",
	"promptly", "securely", "Brightmoor", "Quillfeather", "weekly", "monthly",
};

static void add_phrase(block *b, const char *phrase)
{
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", phrase);
	for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
		add_word(b, w);
}

static void add_sentence(block *b)
{
	char last[128];

	add_phrase(b, subjects[pick(sizeof(subjects) / sizeof(*subjects))]);
	add_phrase(b, verbs[pick(sizeof(verbs) / sizeof(*verbs))]);
	add_word(b, "your");
	add_phrase(b, nouns[pick(sizeof(nouns) / sizeof(*nouns))]);
	snprintf(last, sizeof(last), "%s.", tails[pick(sizeof(tails) / sizeof(*tails))]);
	add_phrase(b, last);
}

/* A notice of about `bytes` bytes. */
static void make_notice(doc *d, size_t bytes)
{
	size_t size = 0;
	int section = 0;
	block *b = add_block(d, HEADING);

	add_phrase(b, "Privacy notice");
	b = add_block(d, DATE);
	add_phrase(b, "Last updated: 1 March 2026");
	while (size < bytes) {
		char title[128];
		int paras = 2 + (int)pick(3);

		section++;
		snprintf(title, sizeof(title), "%d. %s", section, headings[section % (int)(sizeof(headings) / sizeof(*headings))]);
		b = add_block(d, HEADING);
		add_phrase(b, title);
		size += strlen(title) + 6;
		for (int p = 0; p < paras; p++) {
			int sentences = 3 + (int)pick(5);

			b = add_block(d, PARA);
			for (int s = 0; s < sentences; s++)
				add_sentence(b);
			for (size_t w = 0; w < b->n; w++)
				size += strlen(b->words[w]) + 1;
			size += 1;
		}
		if (pick(3) == 0) {
			for (int i = 0; i < 3; i++) {
				b = add_block(d, ITEM);
				add_phrase(b, nouns[pick(sizeof(nouns) / sizeof(*nouns))]);
				size += 20;
			}
		}
	}
}

static void copy_doc(doc *to, const doc *from)
{
	memset(to, 0, sizeof(*to));
	for (size_t i = 0; i < from->n; i++) {
		block *b = add_block(to, from->b[i].kind);

		for (size_t w = 0; w < from->b[i].n; w++)
			add_word(b, from->b[i].words[w]);
	}
}

static void free_doc(doc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		for (size_t w = 0; w < d->b[i].n; w++)
			free(d->b[i].words[w]);
		free(d->b[i].words);
	}
	free(d->b);
}

/* Edits `count` words at scattered places: replaced, inserted or deleted. */
static void edit_words(doc *d, size_t count)
{
	for (size_t e = 0; e < count; e++) {
		block *b;
		size_t w;

		do
			b = &d->b[pick(d->n)];
		while (b->kind != PARA || b->n < 4);
		w = pick(b->n - 1);
		switch (pick(3)) {
		case 0:
			free(b->words[w]);
			b->words[w] = strdup(swaps[pick(sizeof(swaps) / sizeof(*swaps))]);
			break;
		case 1:
			add_word(b, "");
			free(b->words[b->n - 1]);
			memmove(&b->words[w + 1], &b->words[w], (b->n - 1 - w) * sizeof(char *));
			b->words[w] = strdup(swaps[pick(sizeof(swaps) / sizeof(*swaps))]);
			break;
		default:
			free(b->words[w]);
			memmove(&b->words[w], &b->words[w + 1], (b->n - 1 - w) * sizeof(char *));
			b->n--;
		}
	}
}

/* Writes the notice, one paragraph per line or wrapped at `wrap` columns. */
static size_t write_doc(const doc *d, const char *path, int wrap)
{
	FILE *f = fopen(path, "wb");
	long size;

	if (!f) {
		fprintf(stderr, "bench_diff: cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
	for (size_t i = 0; i < d->n; i++) {
		const block *b = &d->b[i];
		int col = 0;

		if (b->kind == HEADING)
			col = fprintf(f, "%s", i == 0 ? "# " : "## ");
		else if (b->kind == ITEM)
			col = fprintf(f, "- ");
		for (size_t w = 0; w < b->n; w++) {
			int len = (int)strlen(b->words[w]);

			if (w && wrap && b->kind == PARA && col + 1 + len > wrap) {
				fputc('\n', f);
				col = 0;
			} else if (w) {
				fputc(' ', f);
				col++;
			}
			fputs(b->words[w], f);
			col += len;
		}
		fputs(b->kind == ITEM && i + 1 < d->n && d->b[i + 1].kind == ITEM ? "\n" : "\n\n", f);
	}
	size = ftell(f);
	if (fclose(f) != 0) {
		fprintf(stderr, "bench_diff: cannot write %s\n", path);
		exit(1);
	}
	return (size_t)size;
}

/* --- timing whole processes ---------------------------------------------------------------------- */

/* Runs argv with its output sent to `out` (NULL: /dev/null); returns the exit status, -1 if it could not run. */
static int run(char *const argv[], const char *out)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status, rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return -1;
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void bench_pair(const char *dir, const char *name, const doc *a, const doc *b, int wrap, int runs)
{
	char old_path[1024], new_path[1024], gate_out[1024], git_out[1024];
	char *gate_argv[] = { GATE_CLI_PATH, "diff", "--no-index", "--format", "word", old_path, new_path, NULL };
	char *git_argv[] = { "git", "--no-pager", "diff", "--no-index", "--no-color", "--word-diff=plain",
		old_path, new_path, NULL };
	double tg[64], tt[64];
	struct stat st;
	int rc;

	snprintf(old_path, sizeof(old_path), "%s/%s-old.md", dir, name);
	snprintf(new_path, sizeof(new_path), "%s/%s-new.md", dir, name);
	snprintf(gate_out, sizeof(gate_out), "%s/%s.gate.txt", dir, name);
	snprintf(git_out, sizeof(git_out), "%s/%s.git.txt", dir, name);
	write_doc(a, old_path, wrap);
	write_doc(b, new_path, wrap);

	/* Once each into files, to be sure both really compared the texts. */
	if ((rc = run(gate_argv, gate_out)) != 0 || stat(gate_out, &st) < 0 || st.st_size == 0) {
		fprintf(stderr, "bench_diff: %s diff --no-index --format word %s %s failed (exit %d)\n",
			GATE_CLI_PATH, old_path, new_path, rc);
		exit(1);
	}
	if ((rc = run(git_argv, git_out)) != 1 || stat(git_out, &st) < 0 || st.st_size == 0) {
		fprintf(stderr, "bench_diff: git diff --no-index failed on %s (exit %d)\n", name, rc);
		exit(1);
	}
	for (int i = 0; i < runs; i++) {
		double t0 = bench_now_ms();

		run(gate_argv, NULL);
		tg[i] = bench_now_ms() - t0;
		t0 = bench_now_ms();
		run(git_argv, NULL);
		tt[i] = bench_now_ms() - t0;
	}
	{
		double g = bench_median(tg, (size_t)runs), t = bench_median(tt, (size_t)runs);

		printf("diff_word_%s_gate_ms %.2f ms\n", name, g);
		printf("diff_word_%s_git_ms %.2f ms\n", name, t);
		printf("diff_word_%s_ratio %.2f x\n", name, t > 0 ? g / t : 0);
		fflush(stdout);
	}
}

static int remove_dir(const char *dir)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

int main(int argc, char **argv)
{
	static const struct { const char *name; size_t bytes; } real[] = {
		{ "30k", 30 * 1024 }, { "60k", 60 * 1024 }, { "90k", 90 * 1024 },
	};
	char *git_version[] = { "git", "--version", NULL };
	const char *keep = NULL;
	char dir[512];
	bool quick = false;
	int runs = 9;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			quick = true;
		else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--keep") == 0 && i + 1 < argc)
			keep = argv[++i];
		else {
			fprintf(stderr, "usage: bench_diff [--quick] [--runs N] [--keep DIR]\n");
			return 2;
		}
	}
	if (quick)
		runs = 1;
	if (runs < 1 || runs > 64)
		runs = 9;
	if (run(git_version, NULL) != 0) {
		printf("bench_diff: git is not on the PATH; nothing to compare with, skipping\n");
		return 0;
	}
	if (keep) {
		snprintf(dir, sizeof(dir), "%s", keep);
		mkdir(dir, 0755);
	} else {
		snprintf(dir, sizeof(dir), "%s/gate-bench-diff-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (!mkdtemp(dir)) {
			perror("bench_diff: mkdtemp");
			return 1;
		}
	}

	for (size_t i = 0; i < sizeof(real) / sizeof(*real); i++) {
		doc a = { 0 }, b;
		char name[64];

		make_notice(&a, quick ? real[i].bytes / 16 : real[i].bytes);
		copy_doc(&b, &a);
		edit_words(&b, 12);
		add_sentence(&b.b[2 + pick(b.n - 2)]);
		snprintf(name, sizeof(name), "%s", real[i].name);
		bench_pair(dir, name, &a, &b, 0, runs);
		snprintf(name, sizeof(name), "%s_wrapped", real[i].name);
		bench_pair(dir, name, &a, &b, 72, runs);
		free_doc(&a);
		free_doc(&b);
	}
	{
		doc a = { 0 }, b;
		size_t words = 0;

		make_notice(&a, quick ? 64 * 1024 : 1024 * 1024);
		for (size_t i = 0; i < a.n; i++)
			words += a.b[i].n;
		copy_doc(&b, &a);
		edit_words(&b, words / 100);
		bench_pair(dir, "1m", &a, &b, 0, runs > 5 ? 5 : runs);
		free_doc(&a);
		free_doc(&b);
	}
	if (!keep)
		remove_dir(dir);
	return 0;
}
