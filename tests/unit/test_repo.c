/* test_repo.c: policy repositories (needs-git): init, open errors, publish and its refusals, versions, texts, locks, races, plain-git compatibility. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <git2.h>

#include "support_tmp.h"
#include "gate.h"

#define T0 1767225600000LL /* 2026-01-01T00:00:00Z */
#define DAY 86400000LL

typedef struct {
	char *dir;
	char repo[4096];
	int64_t now;
	gate *g;
} fixture;

static int64_t fixture_clock(void *payload)
{
	return ((fixture *)payload)->now;
}

static gate *open_repo(fixture *f)
{
	gate_options o = GATE_OPTIONS_INIT;
	gate *g = NULL;

	o.repo_path = f->repo;
	o.clock = fixture_clock;
	o.clock_payload = f;
	o.busy_timeout_ms = 200;
	assert_int_equal(gate_open(&g, &o), 0);
	return g;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	gate_init_options io = GATE_INIT_OPTIONS_INIT;

	f->dir = tmpdir_make();
	snprintf(f->repo, sizeof(f->repo), "%s/policies", f->dir);
	f->now = T0;
	io.author_name = "Pat Publisher";
	io.author_email = "pat@example.org";
	assert_int_equal(gate_repository_init(f->repo, &io), 0);
	f->g = open_repo(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	gate_free(f->g);
	tmpdir_remove(f->dir);
	free(f);
	return 0;
}

static int publish(fixture *f, const char *doc, const char *text, gate_change change, int64_t effective,
	gate_publish_result *r)
{
	gate_publish_text t = { NULL, text, strlen(text) };
	gate_publish_options o = GATE_PUBLISH_OPTIONS_INIT;

	o.change = change;
	o.effective = effective;
	o.summary = "A summary";
	o.author_name = "Pat Publisher";
	o.author_email = "pat@example.org";
	return gate_publish(f->g, doc, &t, 1, &o, r);
}

/* The branch tip and the number of tags: what "nothing written" compares. */
static void repo_state(fixture *f, char *tip, int *tags)
{
	git_repository *r;
	git_strarray names;
	git_oid oid;

	assert_int_equal(git_repository_open(&r, f->repo), 0);
	assert_int_equal(git_reference_name_to_id(&oid, r, "refs/heads/main"), 0);
	git_oid_tostr(tip, 41, &oid);
	assert_int_equal(git_tag_list(&names, r), 0);
	*tags = (int)names.count;
	git_strarray_dispose(&names);
	git_repository_free(r);
}

static void test_init_creates_an_openable_empty_policy_repository(void **state)
{
	fixture *f = *state;
	const char *const *docs;
	size_t n;
	struct stat st;

	assert_int_equal(gate_docs(f->g, &docs, &n), 0);
	assert_int_equal(n, 0);
	assert_string_equal(gate_default_locale(f->g), "en-GB");
	assert_int_equal(stat(tmp_path(f->repo, "gate.conf"), &st), 0); /* checked out */
	assert_int_equal(gate_repository_init(f->repo, NULL), GATE_EEXISTS);
	assert_non_null(strstr(gate_error_last()->message, "already a policy repository"));
}

static void test_init_bare_and_custom_branch_and_locale(void **state)
{
	fixture *f = *state;
	gate_init_options io = GATE_INIT_OPTIONS_INIT;
	gate_options o = GATE_OPTIONS_INIT;
	char path[4200];
	gate *g;
	gate_publish_text t = { NULL, "Polisi", 6 };
	gate_publish_result r;

	snprintf(path, sizeof(path), "%s/bare.git", f->dir);
	io.flags = GATE_INIT_BARE;
	io.branch = "policies";
	io.default_locale = "cy-gb";
	io.author_name = "A";
	io.author_email = "a@example.org";
	assert_int_equal(gate_repository_init(path, &io), 0);
	o.repo_path = path;
	assert_int_equal(gate_open(&g, &o), 0);
	assert_string_equal(gate_default_locale(g), "cy-GB");
	assert_int_equal(gate_publish(g, "privacy", &t, 1, NULL, &r), 0);
	assert_int_equal(r.n, 1);
	if (tmp_have_git())
		assert_int_equal(tmp_sh("test \"$(git -C '%s' show policies:privacy/cy-GB.md)\" = Polisi", path), 0);
	gate_free(g);

	io.branch = "bad..name";
	assert_int_equal(gate_repository_init(tmp_path(f->dir, "x"), &io), GATE_EINVALID);
	io.branch = NULL;
	io.default_locale = "../x";
	assert_int_equal(gate_repository_init(tmp_path(f->dir, "y"), &io), GATE_EINVALID);
}

static void test_open_explains_what_is_wrong_with_the_path(void **state)
{
	fixture *f = *state;
	gate_options o = GATE_OPTIONS_INIT;
	gate *g = (gate *)1;
	git_repository *r;

	o.repo_path = tmp_path(f->dir, "missing");
	assert_int_equal(gate_open(&g, &o), GATE_ENOTFOUND);
	assert_null(g);
	assert_non_null(strstr(gate_error_last()->message, "does not exist; create a policy repository with `gate init"));

	o.repo_path = f->dir; /* a plain folder */
	assert_int_equal(gate_open(&g, &o), GATE_ENOTFOUND);
	assert_non_null(strstr(gate_error_last()->message, "is not a policy repository (not a git repository)"));

	assert_int_equal(git_repository_init(&r, tmp_path(f->dir, "plain"), 0), 0);
	git_repository_free(r);
	o.repo_path = tmp_path(f->dir, "plain");
	assert_int_equal(gate_open(&g, &o), GATE_ENOTFOUND);
	assert_non_null(strstr(gate_error_last()->message, "not a policy repository"));

	/* gate init turns that repository into a policy repository */
	assert_int_equal(gate_repository_init(tmp_path(f->dir, "plain"), NULL), 0);
	assert_int_equal(gate_open(&g, &o), 0);
	gate_free(g);
}

static void test_publish_records_versions_with_all_their_facts(void **state)
{
	fixture *f = *state;
	gate_publish_result r1, r2;
	const gate_version_info *vs;
	size_t n;
	git_oid blob;
	char hex[41];

	assert_int_equal(publish(f, "privacy", "# Privacy\n\nWe keep data for 6 years.\n",
		GATE_CHANGE_UNKNOWN, GATE_TIME_UNSET, &r1), 0);
	assert_int_equal(r1.n, 1);
	assert_int_equal(r1.change, GATE_CHANGE_MATERIAL);
	assert_int_equal(r1.detected, GATE_CHANGE_MATERIAL);
	assert_true(r1.effective == T0 && r1.published == T0);
	assert_int_equal(strlen(r1.tag_oid), 40);

	f->now = T0 + DAY;
	assert_int_equal(publish(f, "privacy", "# Privacy\n\nWe keep data for 8 years.\n",
		GATE_CHANGE_MATERIAL, T0 + 30 * DAY, &r2), 0);
	assert_int_equal(r2.n, 2);
	assert_int_equal(r2.detected, GATE_CHANGE_MATERIAL);
	assert_true(r2.effective == T0 + 30 * DAY);

	assert_int_equal(gate_versions(f->g, "privacy", &vs, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(vs[0].n, 1);
	assert_int_equal(vs[1].n, 2);
	assert_string_equal(vs[1].tag_oid, r2.tag_oid);
	assert_string_equal(vs[1].commit_oid, r2.commit_oid);
	assert_int_equal(vs[1].change, GATE_CHANGE_MATERIAL);
	assert_int_equal(vs[1].detected, GATE_CHANGE_MATERIAL);
	assert_true(vs[1].published == T0 + DAY);
	assert_true(vs[1].effective == T0 + 30 * DAY);
	assert_string_equal(vs[1].summary, "A summary");
	assert_string_equal(vs[1].publisher_name, "Pat Publisher");
	assert_string_equal(vs[1].publisher_email, "pat@example.org");
	assert_null(vs[1].reason);
	assert_int_equal(vs[1].locale_count, 1);
	assert_string_equal(vs[1].locales[0].locale, "en-GB");
	git_odb_hash(&blob, "# Privacy\n\nWe keep data for 8 years.\n", 37, GIT_OBJECT_BLOB);
	git_oid_tostr(hex, sizeof(hex), &blob);
	assert_string_equal(vs[1].locales[0].blob_oid, hex);
}

static void test_publish_records_the_detected_verdict(void **state)
{
	fixture *f = *state;
	gate_publish_result r;
	gate_publish_text t;
	gate_publish_options o = GATE_PUBLISH_OPTIONS_INIT;
	const gate_version_info *vs;
	size_t n;

	assert_int_equal(publish(f, "privacy",
		"# Privacy\n\nLast updated: 1 March 2026\n\nWe keep data for six years.\n",
		GATE_CHANGE_UNKNOWN, GATE_TIME_UNSET, &r), 0);
	assert_int_equal(r.detected, GATE_CHANGE_MATERIAL);

	/* a new date line and a re-wrapped paragraph: editorial, recorded as such */
	assert_int_equal(publish(f, "privacy",
		"# Privacy\n\nLast updated: 2 May 2026\n\nWe keep data\nfor six years.\n",
		GATE_CHANGE_UNKNOWN, GATE_TIME_UNSET, &r), 0);
	assert_int_equal(r.detected, GATE_CHANGE_EDITORIAL);
	assert_int_equal(r.change, GATE_CHANGE_EDITORIAL);

	/* one word: material */
	assert_int_equal(publish(f, "privacy",
		"# Privacy\n\nLast updated: 2 May 2026\n\nWe keep data\nfor eight years.\n",
		GATE_CHANGE_UNKNOWN, GATE_TIME_UNSET, &r), 0);
	assert_int_equal(r.detected, GATE_CHANGE_MATERIAL);
	assert_int_equal(r.change, GATE_CHANGE_MATERIAL);

	/* overriding a detected material change needs a reason, which is kept */
	t.locale = NULL;
	t.text = "# Privacy\n\nLast updated: 2 May 2026\n\nWe keep data\nfor ten years.\n";
	t.len = strlen(t.text);
	o.change = GATE_CHANGE_EDITORIAL;
	o.author_name = "Pat Publisher";
	o.author_email = "pat@example.org";
	assert_int_equal(gate_publish(f->g, "privacy", &t, 1, &o, &r), GATE_EINVALID);
	assert_non_null(strstr(gate_error_last()->message, "has material changes"));
	o.reason = "correcting a figure published by mistake in v3";
	assert_int_equal(gate_publish(f->g, "privacy", &t, 1, &o, &r), 0);
	assert_int_equal(r.change, GATE_CHANGE_EDITORIAL);
	assert_int_equal(r.detected, GATE_CHANGE_MATERIAL);

	/* a publisher may always call an editorial change material */
	assert_int_equal(publish(f, "privacy",
		"# Privacy\n\nLast updated: 2 May 2026\n\nWe keep data for ten years.\n",
		GATE_CHANGE_MATERIAL, GATE_TIME_UNSET, &r), 0);
	assert_int_equal(r.change, GATE_CHANGE_MATERIAL);
	assert_int_equal(r.detected, GATE_CHANGE_EDITORIAL);

	assert_int_equal(gate_versions(f->g, "privacy", &vs, &n), 0);
	assert_int_equal(n, 5);
	assert_int_equal(vs[1].detected, GATE_CHANGE_EDITORIAL);
	assert_int_equal(vs[3].change, GATE_CHANGE_EDITORIAL);
	assert_int_equal(vs[3].detected, GATE_CHANGE_MATERIAL);
	assert_string_equal(vs[3].reason, "correcting a figure published by mistake in v3");
	assert_int_equal(vs[4].detected, GATE_CHANGE_EDITORIAL);
}

static void test_a_new_locale_is_compared_with_the_default_locale_text(void **state)
{
	fixture *f = *state;
	gate_publish_text v1 = { "en-GB", "We keep data for six years.\n", 28 };
	gate_publish_text v2[2] = {
		{ "en-GB", "We keep data for six years.\n", 28 },
		{ "cy-GB", "We  keep data for six years.\n", 29 },
	};
	gate_publish_text v3[2] = {
		{ "en-GB", "We keep data for six years.\n", 28 },
		{ "cy-GB", "We keep data for seven years.\n", 30 },
	};
	gate_publish_result r;

	assert_int_equal(gate_publish(f->g, "privacy", &v1, 1, NULL, &r), 0);
	/* v1 has no cy-GB: the new cy-GB text is compared with v1's en-GB text */
	assert_int_equal(gate_publish(f->g, "privacy", v2, 2, NULL, &r), 0);
	assert_int_equal(r.detected, GATE_CHANGE_EDITORIAL);
	/* now cy-GB is compared with v2's cy-GB, and one word changed */
	assert_int_equal(gate_publish(f->g, "privacy", v3, 2, NULL, &r), 0);
	assert_int_equal(r.detected, GATE_CHANGE_MATERIAL);
}

static void test_text_is_exact_bytes_and_falls_back_per_version(void **state)
{
	fixture *f = *state;
	gate_publish_text both[2] = {
		{ "cy-GB", "Polisi preifatrwydd\r\n", 21 },
		{ "en-GB", "Privacy notice\r\n", 16 },
	};
	gate_publish_text en_only = { "en-GB", "Privacy notice, revised\n", 24 };
	gate_buf b = GATE_BUF_INIT;
	gate_text_info info;
	const gate_version_info *v;

	assert_int_equal(gate_publish(f->g, "privacy", both, 2, NULL, NULL), 0);
	assert_int_equal(gate_version_lookup(f->g, "privacy", 1, &v), 0);
	assert_string_equal(v->locales[0].locale, "en-GB"); /* the default locale first */
	assert_string_equal(v->locales[1].locale, "cy-GB");
	assert_int_equal(gate_publish(f->g, "privacy", &en_only, 1, NULL, NULL), 0);

	assert_int_equal(gate_text(f->g, "privacy", 1, "cy-GB", &b, &info), 0);
	assert_int_equal(b.size, 21);
	assert_memory_equal(b.ptr, "Polisi preifatrwydd\r\n", 21);
	assert_int_equal(info.fallback, 0);
	assert_int_equal(gate_text(f->g, "privacy", 2, "cy-GB", &b, &info), 0);
	assert_string_equal(b.ptr, "Privacy notice, revised\n");
	assert_int_equal(info.fallback, 1);
	assert_string_equal(info.locale, "en-GB");
	assert_int_equal(gate_text(f->g, "privacy", 3, NULL, &b, &info), GATE_ENOTFOUND);
	assert_string_equal(gate_error_last()->message, "privacy v3 does not exist; latest is v2");
	gate_buf_dispose(&b);
}

static void test_bad_input_is_refused_and_nothing_is_written(void **state)
{
	fixture *f = *state;
	char tip0[41], tip1[41];
	int tags0, tags1;
	char *big;
	size_t big_len = 4 * 1024 * 1024 + 1;
	gate_publish_text t;
	gate_publish_options o = GATE_PUBLISH_OPTIONS_INIT;
	struct {
		const char *doc, *locale, *text;
		size_t len;
		const char *message;
	} cases[] = {
		{ "privacy", NULL, "", 0, "is empty" },
		{ "privacy", NULL, " \n\t\n", 4, "is empty" },
		{ "privacy", NULL, "caf\xc3", 4, "not valid UTF-8" },
		{ "privacy", NULL, "a\0b", 3, "NUL byte" },
		{ "../x", NULL, "text", 4, "not a valid document id" },
		{ "a/b", NULL, "text", 4, "not a valid document id" },
		{ "", NULL, "text", 4, "no document id" },
		{ "privacy", "../x", "text", 4, "not a valid locale" },
		{ "privacy", "cy-GB", "text", 4, "default locale en-GB" },
	};

	assert_int_equal(publish(f, "privacy", "v1 text\n", GATE_CHANGE_UNKNOWN, GATE_TIME_UNSET, NULL), 0);
	repo_state(f, tip0, &tags0);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t.locale = cases[i].locale;
		t.text = cases[i].text;
		t.len = cases[i].len;
		assert_int_equal(gate_publish(f->g, cases[i].doc, &t, 1, NULL, NULL), GATE_EINVALID);
		if (!strstr(gate_error_last()->message, cases[i].message))
			fail_msg("case %zu: '%s' lacks '%s'", i, gate_error_last()->message, cases[i].message);
	}

	big = malloc(big_len);
	memset(big, 'a', big_len);
	t.locale = NULL;
	t.text = big;
	t.len = big_len;
	assert_int_equal(gate_publish(f->g, "privacy", &t, 1, NULL, NULL), GATE_EINVALID);
	assert_non_null(strstr(gate_error_last()->message, "the limit is 4194304 (gate.maxTextSize in gate.conf)"));
	t.len = big_len - 1; /* exactly the limit is fine, in a dry run */
	o.flags = GATE_PUBLISH_DRY_RUN;
	assert_int_equal(gate_publish(f->g, "privacy", &t, 1, &o, NULL), 0);
	free(big);

	/* identical text */
	assert_int_equal(publish(f, "privacy", "v1 text\n", GATE_CHANGE_UNKNOWN, GATE_TIME_UNSET, NULL), GATE_EEXISTS);
	assert_string_equal(gate_error_last()->message, "privacy: text is identical to v1; nothing to publish");
	/* the first version of a document cannot be editorial */
	assert_int_equal(publish(f, "terms", "terms\n", GATE_CHANGE_EDITORIAL, GATE_TIME_UNSET, NULL), GATE_EINVALID);
	assert_non_null(strstr(gate_error_last()->message, "material by definition"));
	/* effective before the previous version's */
	assert_int_equal(publish(f, "privacy", "v2 text\n", GATE_CHANGE_UNKNOWN, T0 - DAY, NULL), GATE_EINVALID);
	assert_non_null(strstr(gate_error_last()->message, "cannot take effect before v1"));
	/* two texts for one locale; a reserved summary line; a two-line reason */
	{
		gate_publish_text two[2] = { { "en-GB", "a", 1 }, { "en-gb", "b", 1 } };

		assert_int_equal(gate_publish(f->g, "privacy", two, 2, NULL, NULL), GATE_EINVALID);
		assert_non_null(strstr(gate_error_last()->message, "given twice"));
	}
	t.text = "v2 text\n";
	t.len = 8;
	o.flags = 0;
	o.summary = "Fine\nGate-Version: 7";
	assert_int_equal(gate_publish(f->g, "privacy", &t, 1, &o, NULL), GATE_EINVALID);
	o.summary = NULL;
	o.reason = "one\ntwo";
	assert_int_equal(gate_publish(f->g, "privacy", &t, 1, &o, NULL), GATE_EINVALID);
	o.reason = NULL;
	o.version = 42;
	assert_int_equal(gate_publish(f->g, "privacy", &t, 1, &o, NULL), GATE_EVERSION);

	repo_state(f, tip1, &tags1);
	assert_string_equal(tip0, tip1);
	assert_int_equal(tags0, tags1);
}

static void test_dry_run_writes_nothing_but_tells_the_version(void **state)
{
	fixture *f = *state;
	gate_publish_text t = { NULL, "hello\n", 6 };
	gate_publish_options o = GATE_PUBLISH_OPTIONS_INIT;
	gate_publish_result r;
	char tip0[41], tip1[41];
	int tags0, tags1;

	repo_state(f, tip0, &tags0);
	o.flags = GATE_PUBLISH_DRY_RUN;
	assert_int_equal(gate_publish(f->g, "privacy", &t, 1, &o, &r), 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.tag_oid, "");
	repo_state(f, tip1, &tags1);
	assert_string_equal(tip0, tip1);
	assert_int_equal(tags0, tags1);
}

static void test_in_force_follows_effective_times(void **state)
{
	fixture *f = *state;
	const gate_version_info *v;

	assert_int_equal(publish(f, "privacy", "one\n", GATE_CHANGE_UNKNOWN, GATE_TIME_UNSET, NULL), 0);
	assert_int_equal(publish(f, "privacy", "two\n", GATE_CHANGE_MATERIAL, T0 + 10 * DAY, NULL), 0);
	assert_int_equal(gate_version_in_force(f->g, "privacy", T0 + DAY, &v), 0);
	assert_int_equal(v->n, 1);
	assert_int_equal(gate_version_upcoming(f->g, "privacy", T0 + DAY, &v), 0);
	assert_int_equal(v->n, 2);
	assert_int_equal(gate_version_in_force(f->g, "privacy", T0 + 10 * DAY, &v), 0);
	assert_int_equal(v->n, 2);
}

static void test_a_locked_repository_is_a_clear_error(void **state)
{
	fixture *f = *state;
	char lock[4200];
	int fd;

	snprintf(lock, sizeof(lock), "%s/.git/gate", f->repo);
	mkdir(lock, 0777);
	strcat(lock, "/publish.lock");
	fd = open(lock, O_CREAT | O_WRONLY, 0644);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(publish(f, "privacy", "text\n", GATE_CHANGE_UNKNOWN, GATE_TIME_UNSET, NULL), GATE_ELOCKED);
	assert_non_null(strstr(gate_error_last()->message, "locked by another publish"));
	assert_non_null(strstr(gate_error_last()->message, "publish.lock"));
	unlink(lock);
	assert_int_equal(publish(f, "privacy", "text\n", GATE_CHANGE_UNKNOWN, GATE_TIME_UNSET, NULL), 0);
}

/* Two processes publish different texts of the same document at the same
 * moment: exactly one version is written and the other gets a clear error. */
static void test_racing_publishers_write_exactly_one_version(void **state)
{
	fixture *f = *state;
	int rounds = 5;

	for (int round = 0; round < rounds; round++) {
		int pipes[2][2], go[2], ok = 0, failed = 0;
		pid_t pids[2];
		const gate_version_info *vs;
		size_t n_before = 0, n_after;

		if (gate_versions(f->g, "privacy", &vs, &n_before) < 0)
			n_before = 0;
		gate_error_clear();
		assert_int_equal(pipe(go), 0);
		for (int i = 0; i < 2; i++) {
			assert_int_equal(pipe(pipes[i]), 0);
			pids[i] = fork();
			assert_true(pids[i] >= 0);
			if (pids[i] == 0) {
				gate_options o = GATE_OPTIONS_INIT;
				gate_publish_options po = GATE_PUBLISH_OPTIONS_INIT;
				char text[64], c;
				gate_publish_text t;
				gate *g;
				int rc;

				close(go[1]);
				o.repo_path = f->repo;
				o.busy_timeout_ms = 5000;
				if (gate_open(&g, &o) < 0)
					_exit(3);
				snprintf(text, sizeof(text), "round %d by child %d\n", round, i);
				t.locale = NULL;
				t.text = text;
				t.len = strlen(text);
				po.author_name = "P";
				po.author_email = "p@example.org";
				po.change = GATE_CHANGE_MATERIAL;
				if (read(go[0], &c, 1) != 0)
					_exit(4);
				rc = gate_publish(g, "privacy", &t, 1, &po, NULL);
				if (rc < 0 && write(pipes[i][1], gate_error_last()->message,
					strlen(gate_error_last()->message)) < 0)
					_exit(5);
				gate_free(g);
				_exit(rc == 0 ? 0 : rc == GATE_ECONFLICT || rc == GATE_EEXISTS ? 1 : 2);
			}
			close(pipes[i][1]);
		}
		close(go[0]);
		close(go[1]); /* both start together */
		for (int i = 0; i < 2; i++) {
			int status;
			char msg[512] = "";
			ssize_t len = read(pipes[i][0], msg, sizeof(msg) - 1);

			close(pipes[i][0]);
			assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
			assert_true(WIFEXITED(status));
			if (WEXITSTATUS(status) == 0) {
				ok++;
			} else {
				assert_int_equal(WEXITSTATUS(status), 1);
				assert_true(len > 0);
				msg[len] = '\0';
				assert_non_null(strstr(msg, "privacy v"));
				failed++;
			}
		}
		assert_int_equal(ok, 1);
		assert_int_equal(failed, 1);
		assert_int_equal(gate_reload(f->g), 0);
		assert_int_equal(gate_versions(f->g, "privacy", &vs, &n_after), 0);
		assert_int_equal(n_after, n_before + 1);
	}
}

static void test_repository_reads_with_plain_git(void **state)
{
	fixture *f = *state;

	if (!tmp_have_git()) {
		skip();
		return;
	}
	assert_int_equal(publish(f, "privacy", "first\n", GATE_CHANGE_UNKNOWN, GATE_TIME_UNSET, NULL), 0);
	assert_int_equal(publish(f, "privacy", "second text\n", GATE_CHANGE_MATERIAL, GATE_TIME_UNSET, NULL), 0);
	assert_int_equal(publish(f, "terms", "terms\n", GATE_CHANGE_UNKNOWN, GATE_TIME_UNSET, NULL), 0);
	assert_int_equal(tmp_sh("cd '%s' && test \"$(git tag -l 'privacy/*' | tr '\\n' ' ')\" = 'privacy/v1 privacy/v2 '", f->repo), 0);
	assert_int_equal(tmp_sh("cd '%s' && test \"$(git show privacy/v2:privacy/en-GB.md)\" = 'second text'", f->repo), 0);
	assert_int_equal(tmp_sh("cd '%s' && git cat-file -p privacy/v2 | grep -qx 'Gate-Change: material'", f->repo), 0);
	assert_int_equal(tmp_sh("cd '%s' && git fsck --strict --no-progress >/dev/null 2>&1", f->repo), 0);
	/* the work tree follows the branch and is clean */
	assert_int_equal(tmp_sh("cd '%s' && test -z \"$(git status --porcelain)\"", f->repo), 0);
	/* each publish changed only its document's files */
	assert_int_equal(tmp_sh("cd '%s' && test \"$(git diff --name-only privacy/v2 terms/v1)\" = terms/en-GB.md", f->repo), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_creates_an_openable_empty_policy_repository, setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_bare_and_custom_branch_and_locale, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_explains_what_is_wrong_with_the_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_publish_records_versions_with_all_their_facts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_publish_records_the_detected_verdict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_new_locale_is_compared_with_the_default_locale_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_is_exact_bytes_and_falls_back_per_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input_is_refused_and_nothing_is_written, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dry_run_writes_nothing_but_tells_the_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_in_force_follows_effective_times, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_locked_repository_is_a_clear_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_racing_publishers_write_exactly_one_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repository_reads_with_plain_git, setup, teardown),
	};

	git_libgit2_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
