/* git_checkpoint.c: writing the acceptance log's chain head into the policy repository as a commit on
 * refs/gate/checkpoints, and reading the checkpoints back for gate_verify(). */
#include "checkpoint.h"
#include "git_common.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads one checkpoint from its commit message's trailers. */
static int parse_checkpoint(git_commit *c, gate__checkpoint *out)
{
	git_message_trailer_array arr = { 0 };
	bool have_seq = false, have_hash = false;
	char oid[GATE_OID_HEXSIZE + 1];

	gate__oid_hex(oid, git_commit_id(c));
	memset(out, 0, sizeof(*out));
	memcpy(out->commit_oid, oid, sizeof(oid));
	out->at = (int64_t)git_commit_time(c) * 1000;
	if (git_message_trailers(&arr, git_commit_message(c)) < 0)
		return gate__git_error(-1, "cannot read checkpoint %.7s", oid);
	for (size_t i = 0; i < arr.count; i++) {
		const char *k = arr.trailers[i].key, *v = arr.trailers[i].value;
		char *end;

		if (strcmp(k, "Gate-Checkpoint-Seq") == 0) {
			long long n = strtoll(v, &end, 10);

			have_seq = !*end && n > 0;
			out->seq = n;
		} else if (strcmp(k, "Gate-Checkpoint-Hash") == 0) {
			have_hash = strlen(v) == 2 * GATE__HASH_BYTES &&
				sodium_hex2bin(out->hash, GATE__HASH_BYTES, v, strlen(v), NULL, NULL, NULL) == 0;
		}
	}
	git_message_trailer_array_free(&arr);
	if (!have_seq || !have_hash)
		return gate__error_set(GATE_ECORRUPT,
			"checkpoint commit %.7s on %s lacks valid Gate-Checkpoint-Seq and Gate-Checkpoint-Hash trailers",
			oid, GATE__CHECKPOINT_REF);
	return 0;
}

static int read_all(gate__git_source *src, gate__checkpoint **out, size_t *count)
{
	gate__checkpoint *cps = NULL;
	size_t n = 0, alloc = 0;
	git_commit *c = NULL;
	git_oid oid;
	int error;

	*out = NULL;
	*count = 0;
	error = git_reference_name_to_id(&oid, src->repo, GATE__CHECKPOINT_REF);
	if (error == GIT_ENOTFOUND) {
		gate_error_clear();
		return 0;
	}
	if (error < 0 || (error = git_commit_lookup(&c, src->repo, &oid)) < 0)
		return gate__git_error(error, "%s: cannot read %s", src->path, GATE__CHECKPOINT_REF);
	/* Newest first along first parents, then reversed. */
	for (;;) {
		git_commit *parent = NULL;

		if (gate__array_reserve(&cps, &alloc, n, sizeof(*cps)) < 0) {
			error = GATE_ENOMEM;
			break;
		}
		if ((error = parse_checkpoint(c, &cps[n])) < 0)
			break;
		n++;
		if (git_commit_parentcount(c) == 0)
			break;
		if ((error = git_commit_parent(&parent, c, 0)) < 0) {
			error = gate__git_error(error, "%s: cannot read a checkpoint's parent", src->path);
			break;
		}
		git_commit_free(c);
		c = parent;
	}
	git_commit_free(c);
	if (error < 0) {
		free(cps);
		return error;
	}
	for (size_t i = 0; i < n / 2; i++) {
		gate__checkpoint t = cps[i];

		cps[i] = cps[n - 1 - i];
		cps[n - 1 - i] = t;
	}
	for (size_t i = 1; i < n; i++)
		if (cps[i].seq < cps[i - 1].seq) {
			error = gate__error_set(GATE_ECORRUPT,
				"checkpoint %.7s (event %lld) comes after checkpoint %.7s (event %lld): the log went backwards between them",
				cps[i].commit_oid, (long long)cps[i].seq, cps[i - 1].commit_oid, (long long)cps[i - 1].seq);
			free(cps);
			return error;
		}
	*out = cps;
	*count = n;
	return 0;
}

int gate__checkpoints_read(gate *g, gate__checkpoint **out, size_t *count)
{
	gate__git_source *src;
	int error;

	*out = NULL;
	*count = 0;
	if ((error = gate__git_repo(g, &src)) < 0)
		return error;
	return read_all(src, out, count);
}

typedef struct {
	const gate__checkpoint *from;
	gate__chain chain;
	bool started;
} since_ctx;

/* The chain from the last checkpoint on must still pass through it and hold together. */
static int check_since(const gate__event *ev, void *payload)
{
	since_ctx *x = payload;
	unsigned char hash[GATE__HASH_BYTES];
	int error;

	if (x->started)
		return gate__chain_next(&x->chain, ev);
	x->started = true;
	if ((error = gate__event_hash(ev, hash)) < 0)
		return error;
	if (ev->seq != x->from->seq || sodium_memcmp(hash, x->from->hash, GATE__HASH_BYTES) != 0 ||
	    sodium_memcmp(ev->hash, hash, GATE__HASH_BYTES) != 0) {
		char what[GATE_DOC_MAX + 64];

		gate__event_describe(ev, what, sizeof(what));
		return gate__error_set(GATE_ECORRUPT,
			"event %lld (%s) does not match checkpoint %.7s: the log was rewritten after it; run `gate verify`",
			(long long)ev->seq, what, x->from->commit_oid);
	}
	x->chain.seq = ev->seq;
	memcpy(x->chain.hash, ev->hash, GATE__HASH_BYTES);
	return 0;
}

/* The head to record: the chain from the last checkpoint (or from the
 * start) must verify, so that a checkpoint never vouches for a broken log. */
static int checked_head(gate_store *store, const gate__checkpoint *last, gate__chain *head)
{
	int64_t seq;
	unsigned char hash[GATE__HASH_BYTES];
	since_ctx x;
	int error;

	if ((error = store->ops->head(store, &seq, hash)) < 0)
		return error;
	if (seq == 0 && !last)
		return gate__error_set(GATE_EINVALID, "the acceptance log is empty; there is nothing to checkpoint yet");
	if (last && seq < last->seq)
		return gate__error_set(GATE_ECORRUPT, "checkpoint at event %lld but the log ends at %lld: events were deleted",
			(long long)last->seq, (long long)seq);
	memset(&x, 0, sizeof(x));
	x.from = last;
	x.started = last == NULL;
	if ((error = store->ops->replay(store, last ? last->seq : 1, NULL, check_since, &x)) < 0)
		return error;
	if (last && !x.started)
		return gate__error_set(GATE_ECORRUPT, "checkpoint at event %lld but the log no longer holds that event: events were deleted",
			(long long)last->seq);
	if (x.chain.seq != seq)
		return gate__error_set(GATE_ECORRUPT, "the log's last event is %lld but its chain ends at %lld; run `gate verify`",
			(long long)seq, (long long)x.chain.seq);
	*head = x.chain;
	return 0;
}

static int write_commit(git_oid *out, gate__git_source *src, const gate__checkpoint *last,
	const gate__chain *head, int64_t events, int64_t users, int64_t now)
{
	git_signature *sig = NULL;
	git_treebuilder *tb = NULL;
	git_tree *tree = NULL;
	git_commit *parent = NULL;
	gate_buf msg = GATE_BUF_INIT;
	char hex[2 * GATE__HASH_BYTES + 1];
	git_oid tree_oid, parent_oid;
	int error;

	gate__hex(hex, head->hash, GATE__HASH_BYTES);
	if (gate__buf_printf(&msg,
		"gate checkpoint: event %lld\n\nThe acceptance log's chain head, so that `gate verify` can tell a\n"
		"log that was rewritten or cut short.\n\nGate-Checkpoint-Seq: %lld\nGate-Checkpoint-Hash: %s\n"
		"Gate-Checkpoint-Events: %lld\nGate-Checkpoint-Users: %lld\n",
		(long long)head->seq, (long long)head->seq, hex, (long long)events, (long long)users) < 0)
		return GATE_ENOMEM;
	/* The publisher's identity when there is one; a checkpoint from a
	 * scheduled job may have none, and is no less valid for it. */
	if (gate__git_signature(&sig, src->repo, NULL, NULL, now) < 0) {
		gate_error_clear();
		if ((error = git_signature_new(&sig, "libgate", "gate@localhost", (git_time_t)(now / 1000), 0)) < 0) {
			error = gate__git_error(error, "cannot make the checkpoint's signature");
			goto done;
		}
	}
	if ((error = git_treebuilder_new(&tb, src->repo, NULL)) < 0 ||
	    (error = git_treebuilder_write(&tree_oid, tb)) < 0 ||
	    (error = git_tree_lookup(&tree, src->repo, &tree_oid)) < 0)
		goto git_fail;
	if (last && ((error = git_oid_fromstr(&parent_oid, last->commit_oid)) < 0 ||
	    (error = git_commit_lookup(&parent, src->repo, &parent_oid)) < 0))
		goto git_fail;
	{
		const git_commit *parents[1] = { parent };

		if ((error = git_commit_create(out, src->repo, NULL, sig, sig, NULL, msg.ptr, tree,
			parent ? 1 : 0, parents)) < 0)
			goto git_fail;
	}
	error = 0;
	goto done;
git_fail:
	error = gate__git_error(error, "%s: cannot write the checkpoint", src->path);
done:
	git_commit_free(parent);
	git_tree_free(tree);
	git_treebuilder_free(tb);
	git_signature_free(sig);
	gate_buf_dispose(&msg);
	return error;
}

int gate_checkpoint(gate *g, gate_checkpoint_result *out)
{
	gate__git_source *src;
	gate__checkpoint *cps = NULL, *last;
	gate_store *store;
	gate__chain head;
	git_reference *ref = NULL;
	git_oid commit, parent_oid;
	int64_t events, users;
	char *lock = NULL, msg[96];
	size_t count = 0;
	int error;

	if (out)
		memset(out, 0, sizeof(*out));
	if (!g)
		return gate__error_set(GATE_EINVALID, "gate_checkpoint: NULL handle");
	if ((error = gate__git_repo(g, &src)) < 0 || (error = gate__store(g, &store)) < 0)
		return error;
	/* One checkpoint writer at a time (the lock publish also takes). */
	if ((error = gate__git_lock(src->repo, "checkpoint", g->busy_timeout_ms, &lock)) < 0)
		return error;
	if ((error = read_all(src, &cps, &count)) < 0)
		goto done;
	last = count ? &cps[count - 1] : NULL;
	if ((error = checked_head(store, last, &head)) < 0 ||
	    (error = store->ops->counts(store, &events, &users)) < 0)
		goto done;
	if (last && last->seq == head.seq) {
		/* Nothing new since the last checkpoint: it stands. */
		git_oid_fromstr(&commit, last->commit_oid);
	} else {
		if ((error = write_commit(&commit, src, last, &head, events, users, gate_now(g))) < 0)
			goto done;
		snprintf(msg, sizeof(msg), "gate checkpoint: event %lld", (long long)head.seq);
		if (last)
			git_oid_fromstr(&parent_oid, last->commit_oid);
		error = last ? git_reference_create_matching(&ref, src->repo, GATE__CHECKPOINT_REF, &commit, 1, &parent_oid, msg)
			: git_reference_create(&ref, src->repo, GATE__CHECKPOINT_REF, &commit, 0, msg);
		if (error < 0) {
			error = gate__git_error(error, "%s: cannot move %s", src->path, GATE__CHECKPOINT_REF);
			goto done;
		}
	}
	if (out) {
		out->seq = head.seq;
		gate__hex(out->hash, head.hash, GATE__HASH_BYTES);
		gate__oid_hex(out->commit_oid, &commit);
	}
	error = 0;
done:
	git_reference_free(ref);
	gate__git_unlock(lock);
	free(cps);
	return error;
}
