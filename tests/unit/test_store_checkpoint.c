/* test_store_checkpoint.c (needs-git): checkpoints on refs/gate/checkpoints, and the tampering only they catch:
 * a log rewritten wholesale, a log cut short; the default database path; packs have none. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <git2.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "support_history.h"
#include "support_tmp.h"

#define DAY (86400000LL)
#define T0 (1767225600000LL)

typedef struct {
	char *dir;
	char repo[4096];
	int64_t now;
} fixture;

static gate *open_repo(fixture *f, const char *db)
{
	return support_open(f->repo, NULL, db, &f->now);
}

static void publish(gate *g, const char *doc, const char *text)
{
	gate_publish_text t = { NULL, text, strlen(text) };
	gate_publish_options o = GATE_PUBLISH_OPTIONS_INIT;

	o.change = GATE_CHANGE_MATERIAL;
	o.author_name = "Pat Publisher";
	o.author_email = "pat@example.org";
	assert_int_equal(gate_publish(g, doc, &t, 1, &o, NULL), 0);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	gate_init_options io = GATE_INIT_OPTIONS_INIT;
	gate *g;

	f->dir = tmpdir_make();
	snprintf(f->repo, sizeof(f->repo), "%s/policies", f->dir);
	io.author_name = "Pat Publisher";
	io.author_email = "pat@example.org";
	assert_int_equal(gate_repository_init(f->repo, &io), 0);
	f->now = T0;
	g = open_repo(f, NULL);
	publish(g, "privacy", "We keep your name.\n");
	publish(g, "terms", "Be kind.\n");
	gate_free(g);
	f->now = T0 + DAY;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	tmpdir_remove(f->dir);
	free(f);
	return 0;
}

/* `count` acceptances by distinct users into the handle's log. */
static void fill(fixture *f, gate *g, int count, const char *prefix)
{
	for (int i = 0; i < count; i++) {
		char user[64];

		snprintf(user, sizeof(user), "%s%d", prefix, i);
		assert_int_equal(gate_accept(g, user, i % 2 ? "terms" : "privacy", 1, NULL, "test", NULL, NULL), 0);
		f->now += 1000;
	}
}

static void test_the_default_database_lives_in_the_git_directory(void **state)
{
	fixture *f = *state;
	gate *g = open_repo(f, NULL);
	struct stat st;
	char want[4200];

	snprintf(want, sizeof(want), "%s/.git/gate/acceptances.db", f->repo);
	assert_string_equal(gate_database_path(g), want);
	/* gate/ exists already (publish takes its lock there); make sure it is created when missing. */
	tmp_sh("rm -rf '%s/.git/gate'", f->repo);
	assert_int_equal(gate_accept(g, "alice", "privacy", 0, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(stat(want, &st), 0);
	gate_free(g);
}

static void test_checkpoints_are_commits_on_their_own_ref(void **state)
{
	fixture *f = *state;
	gate *g = open_repo(f, NULL);
	gate_checkpoint_result a, b, c;
	gate_verify_result r;
	git_repository *repo;
	git_commit *commit;
	git_oid oid;

	assert_int_equal(gate_checkpoint(g, &a), GATE_EINVALID);
	assert_non_null(strstr(gate_error_last()->message, "the acceptance log is empty"));
	fill(f, g, 3, "u");
	assert_int_equal(gate_checkpoint(g, &a), 0);
	assert_int_equal(a.seq, 3);
	assert_int_equal(strlen(a.hash), 64);
	/* Nothing new: the last checkpoint stands. */
	assert_int_equal(gate_checkpoint(g, &b), 0);
	assert_string_equal(b.commit_oid, a.commit_oid);
	fill(f, g, 2, "v");
	assert_int_equal(gate_checkpoint(g, &c), 0);
	assert_int_equal(c.seq, 5);

	assert_int_equal(git_repository_open(&repo, f->repo), 0);
	assert_int_equal(git_reference_name_to_id(&oid, repo, "refs/gate/checkpoints"), 0);
	assert_int_equal(git_commit_lookup(&commit, repo, &oid), 0);
	assert_non_null(strstr(git_commit_message(commit), "Gate-Checkpoint-Seq: 5\n"));
	assert_non_null(strstr(git_commit_message(commit), c.hash));
	assert_int_equal(git_commit_parentcount(commit), 1);
	{
		char parent[GIT_OID_HEXSZ + 1];

		git_oid_tostr(parent, sizeof(parent), git_commit_parent_id(commit, 0));
		assert_string_equal(parent, a.commit_oid);
	}
	git_commit_free(commit);
	git_repository_free(repo);

	assert_int_equal(gate_verify(g, &r), 0);
	assert_int_equal(r.checkpoints, 2);
	assert_string_equal(r.head_hash, c.hash);
	gate_free(g);
}

static void test_a_log_rewritten_wholesale_is_caught_by_a_checkpoint(void **state)
{
	fixture *f = *state;
	char db[4200], forged[4200];
	gate *g, *h;
	gate_verify_result r;

	snprintf(db, sizeof(db), "%s/acc.db", f->dir);
	snprintf(forged, sizeof(forged), "%s/forged.db", f->dir);
	g = open_repo(f, db);
	fill(f, g, 4, "real");
	assert_int_equal(gate_checkpoint(g, NULL), 0);
	fill(f, g, 2, "more");
	gate_free(g);

	/* A fresh, self-consistent log with other events, put in its place. */
	h = open_repo(f, forged);
	fill(f, h, 6, "fake");
	gate_free(h);
	assert_int_equal(tmp_sh("mv '%s' '%s' && rm -f '%s-wal' '%s-shm'", forged, db, db, db), 0);

	g = open_repo(f, db);
	assert_int_equal(gate_verify(g, &r), GATE_ECORRUPT);
	assert_int_equal(r.first_bad_seq, 4);
	assert_non_null(strstr(gate_error_last()->message, "event 4 (accept terms v1 at "));
	assert_non_null(strstr(gate_error_last()->message, "does not match checkpoint "));
	assert_non_null(strstr(gate_error_last()->message, ": the log was rewritten"));
	/* And a checkpoint will not vouch for it. */
	assert_int_equal(gate_checkpoint(g, NULL), GATE_ECORRUPT);
	assert_non_null(strstr(gate_error_last()->message, "does not match checkpoint"));
	gate_free(g);
}

static void test_a_checkpoint_beyond_the_end_of_the_log_means_deleted_events(void **state)
{
	fixture *f = *state;
	char db[4200];
	sqlite3 *raw;
	gate *g;
	gate_verify_result r;

	snprintf(db, sizeof(db), "%s/acc.db", f->dir);
	g = open_repo(f, db);
	fill(f, g, 5, "u");
	assert_int_equal(gate_checkpoint(g, NULL), 0);
	gate_free(g);
	/* The log as it was before its last two events, state and all: consistent, but short. */
	assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq > 3;"
		" DELETE FROM states WHERE seq > 3; DELETE FROM subjects WHERE user IN ('u3', 'u4')",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	g = open_repo(f, db);
	assert_int_equal(gate_verify(g, &r), GATE_ECORRUPT);
	assert_string_equal(gate_error_last()->message, "checkpoint at event 5 but the log ends at 3: events were deleted");
	assert_int_equal(r.first_bad_seq, 4);
	assert_int_equal(r.events, 3);
	assert_int_equal(gate_checkpoint(g, NULL), GATE_ECORRUPT);
	assert_string_equal(gate_error_last()->message, "checkpoint at event 5 but the log ends at 3: events were deleted");
	gate_free(g);
}

static void test_a_pack_has_no_checkpoints(void **state)
{
	fixture *f = *state;
	gate_buf pack = GATE_BUF_INIT;
	gate_verify_result r;
	char path[4200];
	gate *g = open_repo(f, NULL), *p;

	fill(f, g, 2, "u");
	assert_int_equal(gate_checkpoint(g, NULL), 0);
	assert_int_equal(gate_pack_write(g, NULL, &pack), 0);
	gate_free(g);
	snprintf(path, sizeof(path), "%s/p.pack", f->dir);
	tmp_write(path, pack.ptr, pack.size);
	gate_buf_dispose(&pack);

	p = support_open(NULL, path, NULL, &f->now);
	assert_int_equal(gate_checkpoint(p, NULL), GATE_ENOTSUPPORTED);
	fill(f, p, 2, "m");
	assert_int_equal(gate_verify(p, &r), 0);
	assert_int_equal(r.checkpoints, 0);
	assert_int_equal(r.events, 2);
	gate_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_the_default_database_lives_in_the_git_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checkpoints_are_commits_on_their_own_ref, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_log_rewritten_wholesale_is_caught_by_a_checkpoint, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_checkpoint_beyond_the_end_of_the_log_means_deleted_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_pack_has_no_checkpoints, setup, teardown),
	};

	git_libgit2_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
