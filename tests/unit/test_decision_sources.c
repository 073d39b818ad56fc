/* test_decision_sources.c (needs-git): the same decision script against a memory source, a git policy repository and its pack: identical decisions, and the pack's oids recorded. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support_history.h"
#include "support_tmp.h"

typedef struct {
	char *dir;
	char repo[4096], pack[4096];
	int64_t now;
	history_log mem, git, pack_log;
} fixture;

static gate *open_repo(fixture *f, const char *db)
{
	return support_open(f->repo, NULL, db, &f->now);
}

static gate *open_pack(fixture *f, const char *db)
{
	return support_open(NULL, f->pack, db, &f->now);
}

/* Publishes the shared history into a new repository, then packs it. */
static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	gate_init_options io = GATE_INIT_OPTIONS_INIT;
	gate_buf pack = GATE_BUF_INIT;
	gate *g;

	f->dir = tmpdir_make();
	snprintf(f->repo, sizeof(f->repo), "%s/policies", f->dir);
	snprintf(f->pack, sizeof(f->pack), "%s/policies.pack", f->dir);
	io.author_name = "Pat Publisher";
	io.author_email = "pat@example.org";
	assert_int_equal(gate_repository_init(f->repo, &io), 0);
	f->now = HT0 - HDAY;
	g = open_repo(f, tmp_path(f->dir, "publish.db"));
	for (size_t i = 0; i < history_version_count; i++) {
		const history_version *v = &history_versions[i];
		gate_publish_text t[2] = { { "en-GB", v->en, strlen(v->en) }, { "cy-GB", v->cy, v->cy ? strlen(v->cy) : 0 } };
		gate_publish_options o = GATE_PUBLISH_OPTIONS_INIT;
		gate_publish_result r;

		o.effective = v->effective;
		o.change = v->change;
		o.reason = v->change == GATE_CHANGE_EDITORIAL ? "wording only" : NULL;
		o.author_name = "Pat Publisher";
		o.author_email = "pat@example.org";
		assert_int_equal(gate_publish(g, v->doc, t, v->cy ? 2 : 1, &o, &r), 0);
	}
	assert_int_equal(gate_pack_write(g, NULL, &pack), 0);
	tmp_write(f->pack, pack.ptr, pack.size);
	gate_buf_dispose(&pack);
	gate_free(g);
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

static void test_repository_pack_and_memory_decide_alike(void **state)
{
	fixture *f = *state;
	memsrc *m = memsrc_new("en-GB");
	gate *mem, *git, *pk;

	history_into_memsrc(m);
	assert_int_equal(memsrc_open(&mem, m, tmp_path(f->dir, "mem.db"), memclock, &f->now), 0);
	git = open_repo(f, tmp_path(f->dir, "git.db"));
	pk = open_pack(f, tmp_path(f->dir, "pack.db"));

	history_run(mem, &f->now, &f->mem);
	history_run(git, &f->now, &f->git);
	history_run(pk, &f->now, &f->pack_log);

	assert_int_equal(f->git.decision_count, f->mem.decision_count);
	assert_int_equal(f->pack_log.decision_count, f->mem.decision_count);
	for (size_t i = 0; i < f->mem.decision_count; i++) {
		assert_same_decision(&f->git.decisions[i], &f->mem.decisions[i]);
		assert_same_decision(&f->pack_log.decisions[i], &f->mem.decisions[i]);
	}

	/* Receipts: the same versions and locales everywhere; the pack records
	 * exactly the repository's commit and blob ids, and (same events, same
	 * times, but per-user random salts) its own chain hashes. */
	assert_int_equal(f->git.receipt_count, f->mem.receipt_count);
	assert_int_equal(f->pack_log.receipt_count, f->mem.receipt_count);
	for (size_t i = 0; i < f->mem.receipt_count; i++) {
		const gate_receipt *a = &f->mem.receipts[i], *b = &f->git.receipts[i], *c = &f->pack_log.receipts[i];

		assert_int_equal(b->n, a->n);
		assert_int_equal(c->n, a->n);
		assert_int_equal(b->seq, a->seq);
		assert_int_equal(c->seq, a->seq);
		assert_string_equal(b->locale, a->locale);
		assert_string_equal(c->locale, a->locale);
		assert_string_equal(c->commit_oid, b->commit_oid);
		assert_string_equal(c->blob_oid, b->blob_oid);
		assert_int_equal(strlen(b->commit_oid), GATE_OID_HEXSIZE);
		assert_string_not_equal(b->commit_oid, a->commit_oid); /* real ids, not the memory source's */
	}
	gate_free(mem);
	gate_free(git);
	gate_free(pk);
}

static void test_accept_on_a_pack_records_the_texts_the_repository_holds(void **state)
{
	fixture *f = *state;
	gate *git = open_repo(f, tmp_path(f->dir, "git2.db")), *pk = open_pack(f, tmp_path(f->dir, "pack2.db"));
	gate_buf text = GATE_BUF_INIT;
	gate_text_info info;
	gate_receipt r;

	f->now = HT0 + 40 * HDAY;
	assert_int_equal(gate_accept(pk, "dana", "privacy", 1, "cy-GB", "mobile", "acme-ios 2.0", &r), 0);
	/* The blob recorded on the pack is the repository's cy-GB text of v1. */
	assert_int_equal(gate_text(git, "privacy", 1, "cy-GB", &text, &info), 0);
	assert_string_equal(r.locale, "cy-GB");
	assert_string_equal(r.blob_oid, info.blob_oid);
	assert_string_equal(r.commit_oid, info.commit_oid);
	assert_memory_equal(text.ptr, history_versions[0].cy, text.size);
	gate_buf_dispose(&text);
	gate_free(git);
	gate_free(pk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repository_pack_and_memory_decide_alike),
		cmocka_unit_test(test_accept_on_a_pack_records_the_texts_the_repository_holds),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
