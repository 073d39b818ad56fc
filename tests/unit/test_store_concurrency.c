/* test_store_concurrency.c: many processes and threads accepting and checking at once on one database lose nothing, duplicate nothing and never surface a lock. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#ifdef __linux__
# include <sys/prctl.h>
#endif
#include <time.h>
#include <unistd.h>

#include "support_store.h"
#include "support_tmp.h"

#define WRITERS 4
#define PER_WRITER 5000
/* Users every writer accepts, at about the same moment: exactly one of the
 * writers must record each of them, and the others must be told "already so". */
#define SHARED 200
#define SHARED_EVERY (PER_WRITER / SHARED)
#define TOTAL_EVENTS ((int64_t)WRITERS * PER_WRITER + SHARED)

/*
 * The sync mode of the writers: relaxed (synchronous=NORMAL). These tests are
 * about locking and atomicity, which the sync mode does not change; without
 * an fsync inside each write lock the hand-offs between writers come about
 * 3.5 times as often (20,800 commits: 1.5 s instead of 5.2 s on the 2-core
 * machine), so the same counts make a denser race and a shorter CI run.
 * Durability under full sync is test_store_kill's; the creation races below
 * use the default (full) too.
 */
#define WRITER_FLAGS GATE_OPEN_RELAXED_SYNC

typedef struct {
	int k;                      /* writer number */
	const char *pack, *db;
	int go_fd;                  /* read end of the start pipe: EOF means go */
	int64_t now;
	atomic_int accepted;        /* how many of its own users so far */
	int64_t seq[PER_WRITER];    /* the receipts of its own users */
	int shared_recorded[SHARED];
	int64_t shared_seq[SHARED];
	long checks;
	char error[512];            /* "" when everything held */
} writer;

static void writer_fail(writer *w, const char *what, const char *user, int rc)
{
	if (!w->error[0])
		snprintf(w->error, sizeof(w->error), "writer %d: %s(%s) = %d (%s): %s", w->k, what,
			user ? user : "", rc, gate_err_name(rc), gate_error_last()->message);
}

static void user_name(char *out, size_t len, int k, int i)
{
	snprintf(out, len, "w%d-%05d", k, i);
}

/* Accepts PER_WRITER users of its own and the SHARED users, checking as it
 * goes: its own users just accepted (ALLOW), a document they have not
 * accepted (BLOCK) and another writer's users (ALLOW or BLOCK, never an error). */
static void writer_run(writer *w)
{
	gate *g = NULL;
	char user[64], other[64];
	gate_receipt r;
	gate_decision d;
	int rc;
	char c;

	while (read(w->go_fd, &c, 1) > 0)
		;
	if ((rc = storefix_open(&g, w->pack, w->db, WRITER_FLAGS, 0, &w->now)) < 0) {
		writer_fail(w, "gate_open", w->db, rc);
		return;
	}
	for (int i = 0; i < PER_WRITER && !w->error[0]; i++) {
		user_name(user, sizeof(user), w->k, i);
		rc = gate_accept(g, user, "privacy", 0, i % 2 ? "cy-GB" : NULL, "desktop-dialog", "conc 1", &r);
		if (rc != 0) {
			writer_fail(w, "gate_accept", user, rc);
			break;
		}
		if (r.recorded != 1 || r.n != 1 || r.type != GATE_EVENT_ACCEPT || r.seq <= 0) {
			snprintf(w->error, sizeof(w->error), "writer %d: receipt for %s: recorded %d n %u type %d seq %lld",
				w->k, user, r.recorded, r.n, r.type, (long long)r.seq);
			break;
		}
		w->seq[i] = r.seq;
		atomic_store(&w->accepted, i + 1);

		if (i % SHARED_EVERY == 0) {
			int j = i / SHARED_EVERY;

			snprintf(other, sizeof(other), "shared-%03d", j);
			if ((rc = gate_accept(g, other, "privacy", 1, NULL, NULL, NULL, &r)) != 0) {
				writer_fail(w, "gate_accept", other, rc);
				break;
			}
			w->shared_recorded[j] = r.recorded;
			w->shared_seq[j] = r.seq;
		}

		if (i % 7 == 0) {
			rc = gate_check(g, user, "privacy", &d);
			if (rc != GATE_ALLOW || d.outcome != GATE_ALLOW || d.accepted != 1) {
				writer_fail(w, "gate_check privacy", user, rc);
				break;
			}
			rc = gate_check(g, user, "terms", &d);
			if (rc != GATE_BLOCK || d.accepted != 0 || d.target != 1) {
				writer_fail(w, "gate_check terms", user, rc);
				break;
			}
			user_name(other, sizeof(other), (w->k + 1) % WRITERS, i);
			rc = gate_check(g, other, "privacy", &d);
			if (rc != GATE_ALLOW && rc != GATE_BLOCK) {
				writer_fail(w, "gate_check other writer's", other, rc);
				break;
			}
			w->checks += 3;
		}
		if (i % 50 == 0) {
			const gate_decision *all;
			size_t n;

			rc = gate_check_all(g, user, &all, &n);
			if (rc != GATE_BLOCK || n != 2 || strcmp(all[0].doc, "privacy") != 0 ||
			    all[0].outcome != GATE_ALLOW || all[1].outcome != GATE_BLOCK) {
				writer_fail(w, "gate_check_all", user, rc);
				break;
			}
			w->checks++;
		}
	}
	gate_free(g);
}

static void *writer_thread(void *p)
{
	writer_run(p);
	return NULL;
}

/*
 * A reader with a read-only handle, checking random users of every writer
 * while they write. Every answer is ALLOW or BLOCK, and the writers' order
 * shows through: once a writer's user i is allowed, each of its users before
 * i (committed earlier by the same writer) is allowed too.
 */
typedef struct {
	const char *pack, *db;
	int64_t now;
	atomic_int stop;
	long checks, allowed;
	char error[512];
} reader;

typedef struct {
	writer w[WRITERS];
	reader r;
} crowd;

static void reader_run(crowd *c)
{
	reader *r = &c->r;
	unsigned long long x = 0x2545F4914F6CDD1DULL;
	struct timespec nap = { 0, 1000000 };
	char user[64];
	gate *g = NULL;
	int rc;

	/* the database exists once a writer has accepted someone */
	while (!atomic_load(&r->stop) && atomic_load(&c->w[0].accepted) == 0)
		nanosleep(&nap, NULL);
	if ((rc = storefix_open(&g, r->pack, r->db, GATE_OPEN_READONLY, 0, &r->now)) < 0) {
		snprintf(r->error, sizeof(r->error), "reader: gate_open: %s", gate_error_last()->message);
		return;
	}
	while (!atomic_load(&r->stop)) {
		gate_decision d;
		int k, i, j;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		k = (int)(x % WRITERS);
		i = (int)((x >> 8) % PER_WRITER);
		j = (int)((x >> 24) % (unsigned)(i + 1));
		user_name(user, sizeof(user), k, i);
		rc = gate_check(g, user, "privacy", &d);
		r->checks++;
		if (rc == GATE_BLOCK)
			continue;
		if (rc != GATE_ALLOW) {
			snprintf(r->error, sizeof(r->error), "reader: gate_check(%s) = %d (%s): %s", user, rc,
				gate_err_name(rc), gate_error_last()->message);
			break;
		}
		r->allowed++;
		user_name(user, sizeof(user), k, j);
		rc = gate_check(g, user, "privacy", &d);
		r->checks++;
		if (rc != GATE_ALLOW) {
			snprintf(r->error, sizeof(r->error), "reader: w%d-%05d was allowed, then its writer's earlier "
				"%s was not: %d (%s): %s", k, i, user, rc, gate_err_name(rc), gate_error_last()->message);
			break;
		}
	}
	gate_free(g);
}

static void *reader_thread(void *p)
{
	reader_run(p);
	return NULL;
}

typedef struct {
	unsigned char *seen;  /* per user: 1 once listed */
	char prev[64];
	int64_t listed;
	char error[256];
} listing;

/* gate_users_each callback: every user exactly once, in id order, none unknown. */
static int list_user(const char *user, int64_t first_seen, void *payload)
{
	listing *l = payload;
	int k, i;
	long idx = -1;
	char tail;

	if (l->listed > 0 && strcmp(l->prev, user) >= 0) {
		snprintf(l->error, sizeof(l->error), "'%s' listed after '%s'", user, l->prev);
		return 1;
	}
	snprintf(l->prev, sizeof(l->prev), "%s", user);
	if (sscanf(user, "w%d-%d%c", &k, &i, &tail) == 2 && k >= 0 && k < WRITERS && i >= 0 && i < PER_WRITER)
		idx = (long)k * PER_WRITER + i;
	else if (sscanf(user, "shared-%d%c", &i, &tail) == 1 && i >= 0 && i < SHARED)
		idx = (long)WRITERS * PER_WRITER + i;
	if (idx < 0 || l->seen[idx] || first_seen <= 0) {
		snprintf(l->error, sizeof(l->error), "unexpected or repeated user '%s' (first seen %lld)",
			user, (long long)first_seen);
		return 1;
	}
	l->seen[idx] = 1;
	l->listed++;
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Everything the writers were told holds in the database, through the public API. */
static void check_outcome(const char *pack, const char *db, const writer *w)
{
	int64_t *seqs = malloc(sizeof(int64_t) * TOTAL_EVENTS), now = STOREFIX_T0 + STOREFIX_DAY;
	size_t n = 0;
	listing l = { 0 };
	gate_verify_result vr;
	gate_decision d;
	gate *g = NULL;
	char user[64], why[256];

	assert_non_null(seqs);
	for (int k = 0; k < WRITERS; k++) {
		if (w[k].error[0])
			fail_msg("%s", w[k].error);
		for (int i = 0; i < PER_WRITER; i++)
			seqs[n++] = w[k].seq[i];
	}
	/* each shared user recorded by exactly one writer; all were given its seq */
	for (int j = 0; j < SHARED; j++) {
		int recorded = 0;

		for (int k = 0; k < WRITERS; k++) {
			recorded += w[k].shared_recorded[j];
			if (w[k].shared_seq[j] != w[0].shared_seq[j])
				fail_msg("shared-%03d: writer %d was told seq %lld, writer 0 seq %lld", j, k,
					(long long)w[k].shared_seq[j], (long long)w[0].shared_seq[j]);
		}
		if (recorded != 1)
			fail_msg("shared-%03d was recorded %d times", j, recorded);
		seqs[n++] = w[0].shared_seq[j];
	}
	/* the receipts' sequence numbers are exactly 1..TOTAL_EVENTS: no gap, no repeat */
	qsort(seqs, n, sizeof(*seqs), cmp_i64);
	for (size_t i = 0; i < n; i++)
		if (seqs[i] != (int64_t)i + 1)
			fail_msg("receipt sequence numbers: position %zu holds %lld", i, (long long)seqs[i]);
	free(seqs);

	assert_int_equal(storefix_integrity(db, why, sizeof(why)), 0);
	assert_int_equal(storefix_open(&g, pack, db, GATE_OPEN_READONLY, 0, &now), 0);
	if (gate_verify(g, &vr) != 0)
		fail_msg("gate_verify: %s", gate_error_last()->message);
	assert_int_equal(vr.events, TOTAL_EVENTS);
	assert_int_equal(vr.users, TOTAL_EVENTS);
	assert_int_equal(vr.first_bad_seq, 0);
	assert_int_equal(strlen(vr.head_hash), GATE_HASH_HEXSIZE - 1);

	l.seen = calloc(TOTAL_EVENTS, 1);
	assert_non_null(l.seen);
	if (gate_users_each(g, list_user, &l) != 0)
		fail_msg("gate_users_each: %s", l.error[0] ? l.error : gate_error_last()->message);
	assert_int_equal(l.listed, TOTAL_EVENTS);
	free(l.seen);

	for (int k = 0; k < WRITERS; k++)
		for (int i = 0; i < PER_WRITER; i++) {
			user_name(user, sizeof(user), k, i);
			if (gate_check(g, user, "privacy", &d) != GATE_ALLOW || d.accepted != 1)
				fail_msg("%s: not allowed after an acknowledged acceptance (%s)", user,
					gate_error_last()->message);
		}
	gate_free(g);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* In a forked child: die with the parent, so that a failed or killed test
 * leaves no process behind. */
static void child_of_test(void)
{
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
	if (getppid() == 1)
		_exit(9);
}

/* Runs the writers and the reader as processes (sharing `c` through a shared
 * mapping) or as threads, all starting at once on a database none has seen. */
static void run_crowd(crowd *c, const char *pack, const char *db, int as_processes)
{
	pid_t pids[WRITERS + 1];
	int status[WRITERS + 1];
	pthread_t threads[WRITERS + 1];
	struct timespec t0;
	long checks = 0;
	int go[2];

	assert_int_equal(pipe(go), 0);
	memset(c, 0, sizeof(*c));
	c->r.pack = pack;
	c->r.db = db;
	c->r.now = STOREFIX_T0 + STOREFIX_DAY;
	for (int k = 0; k <= WRITERS; k++) {
		writer *w = &c->w[k < WRITERS ? k : 0];

		if (k < WRITERS) {
			w->k = k;
			w->pack = pack;
			w->db = db;   /* does not exist yet: the writers race to create it */
			w->go_fd = go[0];
			w->now = STOREFIX_T0 + STOREFIX_DAY;
		}
		if (!as_processes) {
			assert_int_equal(pthread_create(&threads[k], NULL,
				k < WRITERS ? writer_thread : reader_thread, k < WRITERS ? (void *)w : (void *)c), 0);
			continue;
		}
		pids[k] = fork();
		assert_true(pids[k] >= 0);
		if (pids[k] == 0) {
			child_of_test();
			close(go[1]);
			if (k < WRITERS) {
				writer_run(w);
				_exit(w->error[0] ? 1 : 0);
			}
			reader_run(c);
			_exit(c->r.error[0] ? 1 : 0);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	close(go[1]);
	/* every writer's end first, then the reader's: none is left running */
	for (int k = 0; k <= WRITERS; k++) {
		if (k == WRITERS)
			atomic_store(&c->r.stop, 1);
		if (as_processes)
			assert_int_equal(waitpid(pids[k], &status[k], 0), pids[k]);
		else
			assert_int_equal(pthread_join(threads[k], NULL), 0);
	}
	for (int k = 0; as_processes && k <= WRITERS; k++)
		if (!WIFEXITED(status[k]) || WEXITSTATUS(status[k]) != 0)
			fail_msg("%s process %d ended with status 0x%x: %s", k < WRITERS ? "writer" : "reader", k,
				status[k], k < WRITERS && c->w[k].error[0] ? c->w[k].error :
				k == WRITERS && c->r.error[0] ? c->r.error : "(no message: it crashed)");
	close(go[0]);
	for (int k = 0; k < WRITERS; k++)
		checks += c->w[k].checks;
	printf("# %d %s: %lld acceptances and %ld checks in %.2f s; the reader made %ld checks (%ld allowed)\n",
		WRITERS, as_processes ? "processes" : "threads", (long long)TOTAL_EVENTS + (WRITERS - 1) * SHARED,
		checks, seconds_since(&t0), c->r.checks, c->r.allowed);
	if (c->r.error[0])
		fail_msg("%s", c->r.error);
	assert_true(c->r.checks > 0);
	check_outcome(pack, db, c->w);
}

static void test_processes_accepting_at_once_lose_nothing(void **state)
{
	char *dir = tmpdir_make(), *pack = storefix_pack(dir);
	char *db = strdup(tmp_path(dir, "acceptances.db"));
	crowd *c = mmap(NULL, sizeof(crowd), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	(void)state;
	assert_true(c != MAP_FAILED);
	run_crowd(c, pack, db, 1);
	munmap(c, sizeof(crowd));
	free(db);
	free(pack);
	tmpdir_remove(dir);
}

static void test_threads_accepting_at_once_lose_nothing(void **state)
{
	char *dir = tmpdir_make(), *pack = storefix_pack(dir);
	char *db = strdup(tmp_path(dir, "acceptances.db"));
	crowd *c = calloc(1, sizeof(crowd));

	(void)state;
	assert_non_null(c);
	run_crowd(c, pack, db, 0);
	free(c);
	free(db);
	free(pack);
	tmpdir_remove(dir);
}

/* One acceptance per racer into a database none of them has seen: creating
 * the schema must be safe when every racer finds the file missing at once. */
typedef struct {
	const char *pack, *db;
	int k, go_fd;
	int64_t now;
	char error[512];
} racer;

static void racer_run(racer *r)
{
	gate *g = NULL;
	gate_receipt rc_out;
	gate_decision d;
	char user[32];
	int rc;
	char c;

	while (read(r->go_fd, &c, 1) > 0)
		;
	snprintf(user, sizeof(user), "racer-%d", r->k);
	if ((rc = storefix_open(&g, r->pack, r->db, 0, 0, &r->now)) < 0 ||
	    (rc = gate_accept(g, user, "terms", 1, NULL, NULL, NULL, &rc_out)) < 0 ||
	    (rc = gate_check(g, user, "terms", &d)) != GATE_ALLOW)
		snprintf(r->error, sizeof(r->error), "racer %d on %s: %d (%s): %s", r->k, r->db, rc,
			gate_err_name(rc), gate_error_last()->message);
	else if (rc_out.recorded != 1)
		snprintf(r->error, sizeof(r->error), "racer %d: not recorded", r->k);
	gate_free(g);
}

static void *racer_thread(void *p)
{
	racer_run(p);
	return NULL;
}

#define RACE_ROUNDS 12
#define RACERS 6

static void check_race_round(const char *pack, const char *db, racer *r)
{
	int64_t now = STOREFIX_T0 + STOREFIX_DAY;
	gate_verify_result vr;
	gate *g = NULL;
	char why[256];

	for (int k = 0; k < RACERS; k++)
		if (r[k].error[0])
			fail_msg("%s", r[k].error);
	if (storefix_integrity(db, why, sizeof(why)) != 0)
		fail_msg("%s: integrity_check: %s", db, why);
	assert_int_equal(storefix_open(&g, pack, db, 0, 0, &now), 0);
	if (gate_verify(g, &vr) != 0)
		fail_msg("gate_verify %s: %s", db, gate_error_last()->message);
	assert_int_equal(vr.events, RACERS);
	assert_int_equal(vr.users, RACERS);
	assert_int_equal(storefix_count_users(g), RACERS);
	gate_free(g);
}

static void test_racing_creation_of_a_new_database(void **state)
{
	char *dir = tmpdir_make(), *pack = storefix_pack(dir);
	racer *r = mmap(NULL, sizeof(racer) * RACERS, PROT_READ | PROT_WRITE,
		MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	(void)state;
	assert_true(r != MAP_FAILED);
	for (int round = 0; round < RACE_ROUNDS; round++) {
		/* even rounds: processes; odd rounds: threads; every round a new file */
		char name[64];
		pid_t pids[RACERS];
		int status[RACERS];
		pthread_t threads[RACERS];
		int go[2];
		char *db;

		snprintf(name, sizeof(name), "race-%02d.db", round);
		db = strdup(tmp_path(dir, name));
		assert_int_equal(pipe(go), 0);
		for (int k = 0; k < RACERS; k++) {
			memset(&r[k], 0, sizeof(r[k]));
			r[k].pack = pack;
			r[k].db = db;
			r[k].k = k;
			r[k].go_fd = go[0];
			r[k].now = STOREFIX_T0 + STOREFIX_DAY;
			if (round % 2 == 0) {
				pids[k] = fork();
				assert_true(pids[k] >= 0);
				if (pids[k] == 0) {
					child_of_test();
					close(go[1]);
					racer_run(&r[k]);
					_exit(r[k].error[0] ? 1 : 0);
				}
			} else {
				assert_int_equal(pthread_create(&threads[k], NULL, racer_thread, &r[k]), 0);
			}
		}
		close(go[1]);
		for (int k = 0; k < RACERS; k++) {
			if (round % 2 == 0)
				assert_int_equal(waitpid(pids[k], &status[k], 0), pids[k]);
			else
				assert_int_equal(pthread_join(threads[k], NULL), 0);
		}
		for (int k = 0; round % 2 == 0 && k < RACERS; k++)
			if (!WIFEXITED(status[k]) || WEXITSTATUS(status[k]) != 0)
				fail_msg("round %d racer %d: status 0x%x: %s", round, k, status[k],
					r[k].error[0] ? r[k].error : "(crashed)");
		close(go[0]);
		check_race_round(pack, db, r);
		free(db);
	}
	munmap(r, sizeof(racer) * RACERS);
	free(pack);
	tmpdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_racing_creation_of_a_new_database),
		cmocka_unit_test(test_processes_accepting_at_once_lose_nothing),
		cmocka_unit_test(test_threads_accepting_at_once_lose_nothing),
	};

	/* a store that deadlocks fails here instead of holding CI until its timeout */
	alarm(600);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
