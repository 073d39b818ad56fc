/* test_store_kill.c: a writer killed with SIGKILL at random moments leaves a database that opens, passes integrity_check and gate_verify, and holds every acknowledged acceptance and revoke, and each import whole or not at all. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support_store.h"
#include "support_tmp.h"

#define ROUNDS 50
/* The kill lands uniformly within this many microseconds of a start: in
 * every fifth round (round 0 among them, which creates the database) the
 * fork, so that some kills land while the database is opened or created;
 * in the others the first acknowledgement, so that the kill lands inside
 * the accept loop however slow fsync is on the machine. */
#define MAX_DELAY_US 15000
#define FROM_FORK(round) ((round) % 5 == 0)
#define MAX_OPS 4096

/*
 * The writer's operations, in a fixed order: step i accepts "privacy" for
 * user i; every 4th step also accepts "terms" for it; every 10th also
 * revokes "privacy" for user i - 5. After each call returns 0 the child
 * writes the op's number to a pipe: that is the acknowledgement.
 */
enum { OP_ACCEPT_PRIVACY, OP_ACCEPT_TERMS, OP_REVOKE_PRIVACY };

typedef struct {
	int kind;
	int user;
} op;

static int op_at(int j, op *out)
{
	int seen = 0;

	for (int i = 0; ; i++) {
		op ops[3];
		int n = 0;

		ops[n++] = (op){ OP_ACCEPT_PRIVACY, i };
		if (i % 4 == 3)
			ops[n++] = (op){ OP_ACCEPT_TERMS, i };
		if (i % 10 == 9)
			ops[n++] = (op){ OP_REVOKE_PRIVACY, i - 5 };
		if (j < seen + n) {
			*out = ops[j - seen];
			return 0;
		}
		seen += n;
	}
}

static void user_name(char *out, size_t len, int round, int user)
{
	snprintf(out, len, "k%02d-%06d", round, user);
}

/* The child: full sync (the default), acknowledging each op after it returns 0. */
static void writer(const char *pack, const char *db, int round, int ack_fd)
{
	int64_t now = STOREFIX_T0 + STOREFIX_DAY;
	gate *g = NULL;
	char user[32];

	if (storefix_open(&g, pack, db, 0, 0, &now) < 0)
		_exit(2);
	for (int j = 0; j < MAX_OPS; j++) {
		gate_receipt r;
		op o;
		int rc;

		op_at(j, &o);
		user_name(user, sizeof(user), round, o.user);
		now++;
		switch (o.kind) {
		case OP_ACCEPT_PRIVACY:
			rc = gate_accept(g, user, "privacy", 1, NULL, "desktop-dialog", "kill 1", &r);
			break;
		case OP_ACCEPT_TERMS:
			rc = gate_accept(g, user, "terms", 1, NULL, "desktop-dialog", "kill 1", &r);
			break;
		default:
			rc = gate_revoke(g, user, "privacy", "settings", "kill 1", &r);
			break;
		}
		if (rc != 0 || r.recorded != 1) {
			fprintf(stderr, "kill writer: op %d on %s: %s\n", j, user, gate_error_last()->message);
			_exit(3);
		}
		if (write(ack_fd, &j, sizeof(j)) != sizeof(j))
			_exit(4);
	}
	_exit(5); /* never reached in time: the parent kills first */
}

/* Forks a child running `body`, which acknowledges on the pipe whose read
 * end is returned in `*ack_fd`. */
static pid_t start_child(void (*body)(const char *, const char *, int, int),
	const char *pack, const char *db, int round, int *ack_fd)
{
	int fds[2];
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	fflush(stdout);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		body(pack, db, round, fds[1]);
	}
	close(fds[1]);
	*ack_fd = fds[0];
	return pid;
}

/* The seed of the random kill times: $GATE_KILL_SEED, else a fresh one; printed. */
static unsigned long long kill_seed(void)
{
	const char *env = getenv("GATE_KILL_SEED");
	unsigned long long seed = env && *env ? strtoull(env, NULL, 10) :
		(unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 20);

	printf("# seed %llu (rerun with GATE_KILL_SEED=%llu)\n", seed, seed);
	return seed;
}

/* What the parent knows of one user from the acknowledgements. */
typedef struct {
	int privacy;   /* 0 none, 1 accepted, 2 revoked */
	int terms;     /* 0 none, 1 accepted */
} model;

static int64_t model_events_users(const model *m, int users, int64_t *registered)
{
	int64_t events = 0;

	*registered = 0;
	for (int u = 0; u < users; u++) {
		events += (m[u].privacy > 0) + (m[u].privacy == 2) + m[u].terms;
		*registered += m[u].privacy > 0 || m[u].terms > 0;
	}
	return events;
}

/* The user's decisions match the model, or why not. */
static int matches(gate *g, const char *user, const model *m, char *why, size_t len)
{
	gate_decision p, t;
	int rp = gate_check(g, user, "privacy", &p);
	int rt = gate_check(g, user, "terms", &t);

	if (rp < 0 || rt < 0) {
		snprintf(why, len, "%s: gate_check failed: %s", user, gate_error_last()->message);
		return 0;
	}
	if ((m->privacy == 1) != (rp == GATE_ALLOW) || (m->privacy == 2) != (p.revoked == 1) ||
	    (m->terms == 1) != (rt == GATE_ALLOW)) {
		snprintf(why, len, "%s: privacy %s (revoked %d), terms %s; acknowledged privacy %d terms %d",
			user, gate_outcome_name(rp), p.revoked, gate_outcome_name(rt), m->privacy, m->terms);
		return 0;
	}
	return 1;
}

static unsigned long long rng_state;

static unsigned long long next_rand(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void apply(model *m, const op *o)
{
	if (o->kind == OP_ACCEPT_PRIVACY)
		m[o->user].privacy = 1;
	else if (o->kind == OP_ACCEPT_TERMS)
		m[o->user].terms = 1;
	else
		m[o->user].privacy = 2;
}

/* Op `j` was acknowledged: the next in order, applied to the model. */
static void acknowledge(model *m, int j, int *acked, int *last_user)
{
	op o;

	assert_int_equal(j, *acked);
	op_at(j, &o);
	apply(m, &o);
	if (o.user > *last_user)
		*last_user = o.user;
	++*acked;
}

static void test_sigkill_while_accepting_loses_no_acknowledged_event(void **state)
{
	char *dir = tmpdir_make(), *pack = storefix_pack(dir);
	char *db = strdup(tmp_path(dir, "acceptances.db"));
	unsigned long long seed = kill_seed();
	model *models[ROUNDS] = { 0 };
	int users_in[ROUNDS] = { 0 };
	int64_t events_before = 0, users_before = 0, total_acked = 0, inflight_applied = 0, hot_journals = 0;
	int64_t now = STOREFIX_T0 + STOREFIX_DAY;
	char why[512];

	(void)state;
	rng_state = seed * 2654435761ULL + 1;

	for (int round = 0; round < ROUNDS; round++) {
		unsigned delay = (unsigned)(next_rand() % MAX_DELAY_US);
		struct timespec ts = { 0, (long)delay * 1000 };
		int ack_fd, status, acked = 0, j, last_user = -1, integrity;
		int64_t events_model, users_model, delta;
		gate_verify_result vr;
		struct stat st;
		gate *g = NULL;
		model *m;
		pid_t pid;
		op next;

		pid = start_child(writer, pack, db, round, &ack_fd);
		m = calloc(MAX_OPS + 8, sizeof(*m));
		assert_non_null(m);
		models[round] = m;
		/* acknowledgements arrive in op order */
		if (!FROM_FORK(round) && read(ack_fd, &j, sizeof(j)) == sizeof(j))
			acknowledge(m, j, &acked, &last_user);
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		assert_int_equal(kill(pid, SIGKILL), 0);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		/* killed, not failed: a writer that stopped on its own hit an error */
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
			fail_msg("round %d: the writer ended by itself (status 0x%x) before the kill at %u us%s",
				round, status, delay, FROM_FORK(round) ? "" : " after its first acknowledgement");

		while (read(ack_fd, &j, sizeof(j)) == sizeof(j))
			acknowledge(m, j, &acked, &last_user);
		close(ack_fd);
		op_at(acked, &next);   /* the op that may have been in flight */
		users_in[round] = (next.user > last_user ? next.user : last_user) + 1;

		/* opens and passes integrity_check, as the kill left it; a kill while
		 * the file was being created may leave a hot rollback journal, which
		 * only a read-write open (gate_verify's, below) may roll back */
		integrity = 0;
		if (stat(db, &st) == 0) {
			integrity = storefix_integrity(db, why, sizeof(why));
			if (integrity < 0 || (integrity == 1 && acked > 0))
				fail_msg("round %d (seed %llu, kill at %u us): integrity_check: %s", round, seed, delay, why);
		} else {
			assert_int_equal(acked, 0);
		}
		assert_int_equal(storefix_open(&g, pack, db, 0, 0, &now), 0);
		if (gate_verify(g, &vr) != 0)
			fail_msg("round %d (seed %llu, kill at %u us): gate_verify: %s", round, seed, delay,
				gate_error_last()->message);
		if (integrity == 1) {
			hot_journals++;
			if (storefix_integrity(db, why, sizeof(why)) != 0)
				fail_msg("round %d (seed %llu, kill at %u us): integrity_check after the journal was rolled back: %s",
					round, seed, delay, why);
		}

		/* the in-flight op either happened whole or not at all */
		{
			char user[32];
			model before = m[next.user], after = before;
			op o = next;

			user_name(user, sizeof(user), round, next.user);
			o.user = 0;
			apply(&after, &o);
			if (matches(g, user, &after, why, sizeof(why))) {
				m[next.user] = after;
				inflight_applied++;
			} else if (!matches(g, user, &before, why, sizeof(why))) {
				fail_msg("round %d (seed %llu): in-flight op half done: %s", round, seed, why);
			}
		}
		events_model = model_events_users(m, users_in[round], &users_model);
		delta = vr.events - events_before;
		if (delta != events_model || vr.users - users_before != users_model)
			fail_msg("round %d (seed %llu, kill at %u us): %lld acknowledged events (%lld with the in-flight op), "
				"the log gained %lld; users %lld, known %lld more", round, seed, delay, (long long)acked,
				(long long)events_model, (long long)delta, (long long)users_model,
				(long long)(vr.users - users_before));
		assert_int_equal(storefix_count_users(g), vr.users);
		/* every acknowledged op is there, with the state it made */
		for (int u = 0; u < users_in[round]; u++) {
			char user[32];

			user_name(user, sizeof(user), round, u);
			if (!matches(g, user, &m[u], why, sizeof(why)))
				fail_msg("round %d (seed %llu, kill at %u us): %s", round, seed, delay, why);
		}
		events_before = vr.events;
		users_before = vr.users;
		total_acked += acked;
		gate_free(g);
	}
	printf("# %d kills: %lld acknowledged ops survived; %lld in-flight ops landed whole; "
		"%lld hot journals (kill during creation) rolled back\n", ROUNDS,
		(long long)total_acked, (long long)inflight_applied, (long long)hot_journals);

	/* a last look at every round's users, after all the later kills */
	{
		gate *g = NULL;

		assert_int_equal(storefix_open(&g, pack, db, GATE_OPEN_READONLY, 0, &now), 0);
		for (int round = 0; round < ROUNDS; round++) {
			for (int u = 0; u < users_in[round]; u++) {
				char user[32];

				user_name(user, sizeof(user), round, u);
				if (!matches(g, user, &models[round][u], why, sizeof(why)))
					fail_msg("after all rounds (seed %llu): %s", seed, why);
			}
			free(models[round]);
		}
		gate_free(g);
	}
	free(db);
	free(pack);
	tmpdir_remove(dir);
}

/* --- a kill in the middle of a bulk import -------------------------------------------- */

#define IMPORT_ROUNDS 12
#define IMPORT_ROWS 3000

/* Imports IMPORT_ROWS acceptances of new users in one gate_import_csv(), then
 * acknowledges with one byte. */
static void importer(const char *pack, const char *db, int round, int ack_fd)
{
	int64_t now = STOREFIX_T0 + STOREFIX_DAY;
	size_t cap = 64 + IMPORT_ROWS * 64, len = 0;
	char *csv = malloc(cap), ack = 1;
	gate_import_result ir;
	gate *g = NULL;

	if (!csv || storefix_open(&g, pack, db, 0, 0, &now) < 0)
		_exit(2);
	len += (size_t)snprintf(csv, cap, "user,doc,version,accepted_at,method\n");
	for (int i = 0; i < IMPORT_ROWS; i++)
		len += (size_t)snprintf(csv + len, cap - len, "imp%02d-%05d,%s,1,2026-01-01T10:00:00Z,paper\n",
			round, i, i % 2 ? "privacy" : "terms");
	if (gate_import_csv(g, csv, len, &ir) != 0 || ir.recorded != IMPORT_ROWS) {
		fprintf(stderr, "kill importer: %s\n", gate_error_last()->message);
		_exit(3);
	}
	if (write(ack_fd, &ack, 1) != 1)
		_exit(4);
	gate_free(g);
	free(csv);
	_exit(0);
}

/* Runs the importer and kills it `delay_us` after the fork (never, when
 * negative); whether it acknowledged, and how long it took when not killed. */
static int run_importer(const char *pack, const char *db, int round, long delay_us, double *took_us)
{
	struct timespec ts = { delay_us / 1000000, (delay_us % 1000000) * 1000 }, t0, t1;
	int ack_fd, status;
	char ack;
	pid_t pid;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = start_child(importer, pack, db, round, &ack_fd);
	if (delay_us >= 0) {
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		kill(pid, SIGKILL);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*took_us = (double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3;
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		fail_msg("round %d: the importer failed (exit %d) before the kill", round, WEXITSTATUS(status));
	ack = 0;
	if (read(ack_fd, &ack, 1) != 1)
		ack = 0;
	close(ack_fd);
	return ack == 1;
}

/* An import is one transaction: a kill anywhere in it leaves all its rows or
 * none, and all of them once it was acknowledged. */
static void test_sigkill_during_an_import_leaves_all_or_nothing(void **state)
{
	char *dir = tmpdir_make(), *pack = storefix_pack(dir);
	char *db = strdup(tmp_path(dir, "acceptances.db"));
	unsigned long long seed = kill_seed();
	int64_t now = STOREFIX_T0 + STOREFIX_DAY, events = 0;
	double took;
	int whole = 0, none = 0;
	char why[512];

	(void)state;
	rng_state = seed * 2654435761ULL + 7;
	/* round 0 runs to the end: it creates the database and times an import */
	assert_int_equal(run_importer(pack, db, 0, -1, &took), 1);
	events = IMPORT_ROWS;
	for (int round = 1; round < IMPORT_ROUNDS; round++) {
		/* kills spread over 1.5 times an unhindered import, so some land after it */
		long delay = (long)(next_rand() % (unsigned long long)(took * 1.5 + 1));
		gate_verify_result vr;
		gate *g = NULL;
		double t;
		int acked = run_importer(pack, db, round, delay, &t);
		int64_t gained;

		if (storefix_integrity(db, why, sizeof(why)) != 0)
			fail_msg("import round %d (seed %llu, kill at %ld us): integrity_check: %s", round, seed, delay, why);
		assert_int_equal(storefix_open(&g, pack, db, GATE_OPEN_READONLY, 0, &now), 0);
		if (gate_verify(g, &vr) != 0)
			fail_msg("import round %d (seed %llu, kill at %ld us): gate_verify: %s", round, seed, delay,
				gate_error_last()->message);
		gained = vr.events - events;
		if (gained != 0 && gained != IMPORT_ROWS)
			fail_msg("import round %d (seed %llu, kill at %ld us): the log gained %lld of %d rows",
				round, seed, delay, (long long)gained, IMPORT_ROWS);
		if (acked && gained != IMPORT_ROWS)
			fail_msg("import round %d (seed %llu): acknowledged, but the log gained %lld rows",
				round, seed, (long long)gained);
		assert_int_equal(vr.users, vr.events);   /* one row per new user */
		{
			char user[32];
			gate_decision d;

			snprintf(user, sizeof(user), "imp%02d-%05d", round, IMPORT_ROWS - 1);
			assert_int_equal(gate_check(g, user, "privacy", &d), gained ? GATE_ALLOW : GATE_BLOCK);
		}
		gate_free(g);
		events = vr.events;
		whole += gained != 0;
		none += gained == 0;
	}
	printf("# %d killed imports of %d rows (unhindered: %.0f ms): %d whole, %d not at all\n",
		IMPORT_ROUNDS - 1, IMPORT_ROWS, took / 1e3, whole, none);
	free(db);
	free(pack);
	tmpdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sigkill_while_accepting_loses_no_acknowledged_event),
		cmocka_unit_test(test_sigkill_during_an_import_leaves_all_or_nothing),
	};

	/* a store that hangs fails here instead of holding CI until its timeout */
	alarm(600);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
