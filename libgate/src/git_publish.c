/* git_publish.c: publishing a version: checks, one commit on the policy branch and the annotated tag <doc>/v<N>. */
#include "git_common.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GATE__MAX_LOCALES 32
#define GATE__MAX_SUMMARY (64 * 1024)

int gate_publish_options_init(gate_publish_options *opts, unsigned int version)
{
	gate_publish_options init = GATE_PUBLISH_OPTIONS_INIT;

	if (!opts)
		return gate__error_set(GATE_EINVALID, "gate_publish_options_init: NULL options");
	if (version != GATE_PUBLISH_OPTIONS_VERSION)
		return gate__error_set(GATE_EVERSION,
			"gate_publish_options version %u is not supported (expected %d)",
			version, GATE_PUBLISH_OPTIONS_VERSION);
	*opts = init;
	return 0;
}

/* One checked text of the new version. */
typedef struct {
	char locale[GATE_LOCALE_MAX + 1];
	const char *text;
	size_t len;
	git_oid blob;
} new_text;

/* What publish needs to know of the latest version. */
typedef struct {
	unsigned n;
	int64_t effective;
	size_t count;
	gate_locale_text locales[GATE__MAX_LOCALES];
} prev_version;

static int keep_prev(void *payload, const gate_version_info *v)
{
	prev_version *p = payload;

	p->n = v->n;
	p->effective = v->effective;
	p->count = v->locale_count < GATE__MAX_LOCALES ? v->locale_count : GATE__MAX_LOCALES;
	memcpy(p->locales, v->locales, p->count * sizeof(*p->locales));
	return 0;
}

static bool blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != '\f' && s[i] != '\v')
			return false;
	return true;
}

static int check_texts(gate *g, const char *doc, const gate_publish_text *texts, size_t count,
	new_text *out)
{
	bool have_default = false;
	int error;

	if (!texts || count == 0)
		return gate__error_set(GATE_EINVALID, "%s: no text to publish", doc);
	if (count > GATE__MAX_LOCALES)
		return gate__error_set(GATE_EINVALID, "%s: at most %d locales per version", doc, GATE__MAX_LOCALES);
	for (size_t i = 0; i < count; i++) {
		const gate_publish_text *t = &texts[i];
		char what[GATE_DOC_MAX + GATE_LOCALE_MAX + 16];

		if ((error = gate__locale_canon(out[i].locale,
			t->locale ? t->locale : g->settings.default_locale)) < 0)
			return error;
		for (size_t k = 0; k < i; k++)
			if (strcmp(out[k].locale, out[i].locale) == 0)
				return gate__error_set(GATE_EINVALID, "%s: locale %s is given twice", doc, out[i].locale);
		snprintf(what, sizeof(what), "%.64s %.35s text", doc, out[i].locale);
		if (!t->text || t->len == 0 || blank(t->text, t->len))
			return gate__error_set(GATE_EINVALID, "%s is empty; nothing to publish", what);
		if (t->len > g->settings.max_text_size)
			return gate__error_set(GATE_EINVALID,
				"%s is %zu bytes; the limit is %zu (gate.maxTextSize in gate.conf)",
				what, t->len, g->settings.max_text_size);
		if ((error = gate__utf8_check(t->text, t->len, what)) < 0)
			return error;
		out[i].text = t->text;
		out[i].len = t->len;
		if (git_odb_hash(&out[i].blob, t->text, t->len, GIT_OBJECT_BLOB) < 0)
			return gate__git_error(-1, "%s: cannot hash the text", what);
		if (strcmp(out[i].locale, g->settings.default_locale) == 0)
			have_default = true;
	}
	if (!have_default)
		return gate__error_set(GATE_EINVALID,
			"%s: every version needs a text in the default locale %s", doc, g->settings.default_locale);
	/* The default locale first: it is the one others fall back to. */
	for (size_t i = 1; i < count; i++) {
		if (strcmp(out[i].locale, g->settings.default_locale) == 0) {
			new_text tmp = out[0];

			out[0] = out[i];
			out[i] = tmp;
		}
	}
	return 0;
}

static int check_message_part(const char *doc, const char *what, const char *s, bool one_line)
{
	size_t len = strlen(s);
	int error;

	if (len > GATE__MAX_SUMMARY)
		return gate__error_set(GATE_EINVALID, "%s: the %s is longer than %d bytes", doc, what, GATE__MAX_SUMMARY);
	if ((error = gate__utf8_check(s, len, what)) < 0)
		return error;
	if (one_line && strchr(s, '\n'))
		return gate__error_set(GATE_EINVALID, "%s: the %s must be one line", doc, what);
	for (const char *line = s; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (strncmp(line, "Gate-", 5) == 0)
			return gate__error_set(GATE_EINVALID,
				"%s: a %s line may not start with 'Gate-' (reserved for version trailers)", doc, what);
	return 0;
}

static bool same_texts(const prev_version *p, const new_text *t, size_t count)
{
	if (p->count != count)
		return false;
	for (size_t i = 0; i < count; i++) {
		bool found = false;

		for (size_t k = 0; k < p->count; k++) {
			char hex[GATE_OID_HEXSIZE + 1];

			gate__oid_hex(hex, &t[i].blob);
			if (strcmp(p->locales[k].locale, t[i].locale) == 0 &&
			    strcmp(p->locales[k].blob_oid, hex) == 0)
				found = true;
		}
		if (!found)
			return false;
	}
	return true;
}

/* The previous version's text of `locale`, else its default locale's text. */
static int read_prev_text(gate__git_source *src, const char *doc, const prev_version *prev,
	const char *locale, gate_buf *out)
{
	const gate_locale_text *t = &prev->locales[0];
	git_blob *blob = NULL;
	git_oid oid;
	int error;

	for (size_t k = 0; k < prev->count; k++)
		if (strcmp(prev->locales[k].locale, locale) == 0)
			t = &prev->locales[k];
	if ((error = git_oid_fromstr(&oid, t->blob_oid)) < 0 ||
	    (error = git_blob_lookup(&blob, src->repo, &oid)) < 0)
		return gate__git_error(error, "%s v%u: cannot read the %s text", doc, prev->n, t->locale);
	gate__buf_clear(out);
	error = gate__buf_put(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return error;
}

/* What the diff engine says about the change from the previous version: each
 * new text against the previous version's text of its locale (or, where that
 * version had none, of its default locale). The first version is material. */
static int detect_change(gate *g, gate__git_source *src, const char *doc, const prev_version *prev,
	const new_text *texts, size_t count, gate_change *out)
{
	gate_buf old = GATE_BUF_INIT;
	int error = 0;

	*out = GATE_CHANGE_MATERIAL;
	if (prev->n == 0 || prev->count == 0)
		return 0;
	*out = GATE_CHANGE_EDITORIAL;
	for (size_t i = 0; i < count && *out == GATE_CHANGE_EDITORIAL; i++) {
		gate_diff *d = NULL;

		if ((error = read_prev_text(src, doc, prev, texts[i].locale, &old)) < 0)
			break;
		if ((error = gate_diff_texts(&d, g, old.ptr, old.size, texts[i].text, texts[i].len, NULL)) < 0) {
			gate__error_prefix("%s %s: cannot compare with v%u", doc, texts[i].locale, prev->n);
			break;
		}
		if (gate_diff_is_material(d))
			*out = GATE_CHANGE_MATERIAL;
		gate_diff_free(d);
	}
	gate_buf_dispose(&old);
	return error;
}

static int format_tag_message(gate_buf *msg, const char *doc, unsigned n, const gate_publish_options *opts,
	gate_change change, gate_change detected, int64_t effective, const new_text *texts, size_t count)
{
	char when[GATE_TIME_BUFSIZE];

	gate_time_format(when, effective);
	if (gate__buf_printf(msg, "%s v%u\n\n", doc, n) < 0)
		return GATE_ENOMEM;
	if (opts->summary && *opts->summary) {
		size_t len = strlen(opts->summary);

		while (len && opts->summary[len - 1] == '\n')
			len--;
		if (len && (gate__buf_put(msg, opts->summary, len) < 0 || gate__buf_puts(msg, "\n\n") < 0))
			return GATE_ENOMEM;
	}
	if (gate__buf_printf(msg, "Gate-Version: %u\nGate-Change: %s\nGate-Detected: %s\nGate-Effective: %s\nGate-Locales:",
		n, gate_change_name(change), gate_change_name(detected), when) < 0)
		return GATE_ENOMEM;
	for (size_t i = 0; i < count; i++)
		if (gate__buf_printf(msg, " %s", texts[i].locale) < 0)
			return GATE_ENOMEM;
	if (gate__buf_putc(msg, '\n') < 0)
		return GATE_ENOMEM;
	if (opts->reason && *opts->reason &&
	    gate__buf_printf(msg, "Gate-Reason: %s\n", opts->reason) < 0)
		return GATE_ENOMEM;
	return 0;
}

/* Writes the blobs, the trees and the commit; returns the commit id. */
static int write_commit(git_oid *commit_oid, git_repository *repo, git_commit *tip, const char *doc,
	unsigned n, const gate_publish_options *opts, const new_text *texts, size_t count,
	const git_signature *sig)
{
	git_tree *tip_tree = NULL, *tree = NULL;
	git_treebuilder *root = NULL, *sub = NULL;
	git_oid oid, sub_oid, tree_oid;
	gate_buf msg = GATE_BUF_INIT;
	int error;

	if (tip && (error = git_commit_tree(&tip_tree, tip)) < 0)
		goto git_fail;
	if ((error = git_treebuilder_new(&sub, repo, NULL)) < 0)
		goto git_fail;
	for (size_t i = 0; i < count; i++) {
		char file[GATE_LOCALE_MAX + 8];

		snprintf(file, sizeof(file), "%.35s.md", texts[i].locale);
		if ((error = git_blob_create_from_buffer(&oid, repo, texts[i].text, texts[i].len)) < 0 ||
		    (error = git_treebuilder_insert(NULL, sub, file, &oid, GIT_FILEMODE_BLOB)) < 0)
			goto git_fail;
	}
	if ((error = git_treebuilder_write(&sub_oid, sub)) < 0 ||
	    (error = git_treebuilder_new(&root, repo, tip_tree)) < 0 ||
	    (error = git_treebuilder_insert(NULL, root, doc, &sub_oid, GIT_FILEMODE_TREE)) < 0 ||
	    (error = git_treebuilder_write(&tree_oid, root)) < 0 ||
	    (error = git_tree_lookup(&tree, repo, &tree_oid)) < 0)
		goto git_fail;

	if (gate__buf_printf(&msg, "%s v%u\n", doc, n) < 0 ||
	    (opts->summary && *opts->summary && gate__buf_printf(&msg, "\n%s\n", opts->summary) < 0)) {
		error = GATE_ENOMEM;
		goto done;
	}
	{
		const git_commit *parents[1] = { tip };

		if ((error = git_commit_create(commit_oid, repo, NULL, sig, sig, NULL, msg.ptr, tree,
			tip ? 1 : 0, parents)) < 0)
			goto git_fail;
	}
	error = 0;
	goto done;

git_fail:
	error = gate__git_error(error, "%s v%u: cannot write the commit", doc, n);
done:
	gate_buf_dispose(&msg);
	git_tree_free(tree);
	git_tree_free(tip_tree);
	git_treebuilder_free(sub);
	git_treebuilder_free(root);
	return error;
}

/* Moves the branch and creates the tag together, refusing if either moved under us. */
static int update_refs(git_repository *repo, const char *branch, const git_oid *expected_tip,
	const git_oid *commit, const char *tagname, const git_oid *tag, const git_signature *sig,
	const char *doc, unsigned n)
{
	git_transaction *tx = NULL;
	char bref[300], tref[GATE_DOC_MAX + 40], msg[128];
	git_oid cur;
	int error, rc;

	snprintf(bref, sizeof(bref), "refs/heads/%s", branch);
	snprintf(tref, sizeof(tref), "refs/tags/%s", tagname);
	snprintf(msg, sizeof(msg), "gate publish: %s v%u", doc, n);
	if ((error = git_transaction_new(&tx, repo)) < 0 ||
	    (error = git_transaction_lock_ref(tx, bref)) < 0 ||
	    (error = git_transaction_lock_ref(tx, tref)) < 0) {
		error = gate__git_error(error, "%s v%u: cannot lock the branch and tag", doc, n);
		goto done;
	}
	if (git_reference_name_to_id(&cur, repo, tref) == 0) {
		error = gate__error_set(GATE_EEXISTS,
			"%s v%u was published by someone else at the same moment; nothing written", doc, n);
		goto done;
	}
	rc = git_reference_name_to_id(&cur, repo, bref);
	if ((rc == 0) != (expected_tip != NULL) || (rc == 0 && !git_oid_equal(&cur, expected_tip))) {
		error = gate__error_set(GATE_ECONFLICT,
			"branch %s moved while %s v%u was being published; nothing written, try again", branch, doc, n);
		goto done;
	}
	gate_error_clear();
	if ((error = git_transaction_set_target(tx, bref, commit, sig, msg)) < 0 ||
	    (error = git_transaction_set_target(tx, tref, tag, sig, msg)) < 0 ||
	    (error = git_transaction_commit(tx)) < 0)
		error = gate__git_error(error, "%s v%u: cannot update the branch and tag", doc, n);
done:
	git_transaction_free(tx);
	return error;
}

int gate_publish(gate *g, const char *doc, const gate_publish_text *texts,
	size_t count, const gate_publish_options *opts, gate_publish_result *out)
{
	gate_publish_options defaults = GATE_PUBLISH_OPTIONS_INIT;
	gate__git_source *src;
	new_text checked[GATE__MAX_LOCALES];
	prev_version prev;
	git_oid prev_tag, tip_oid, commit_oid, tag_oid;
	git_commit *tip = NULL;
	git_object *commit_obj = NULL;
	git_signature *sig = NULL;
	gate_buf msg = GATE_BUF_INIT;
	char *lock = NULL, tagname[GATE_DOC_MAX + 16];
	gate_change detected, change;
	int64_t now, effective;
	unsigned n, base_n;
	int error;

	if (out)
		memset(out, 0, sizeof(*out));
	if (!g)
		return gate__error_set(GATE_EINVALID, "gate_publish: NULL handle");
	if (!opts)
		opts = &defaults;
	if (opts->version != GATE_PUBLISH_OPTIONS_VERSION)
		return gate__error_set(GATE_EVERSION,
			"gate_publish_options version %u is not supported (expected %d)",
			opts->version, GATE_PUBLISH_OPTIONS_VERSION);
	if ((error = gate__git_repo(g, &src)) < 0 || (error = gate_doc_id_check(doc)) < 0 ||
	    (error = check_texts(g, doc, texts, count, checked)) < 0)
		return error;
	if (opts->summary && (error = check_message_part(doc, "summary", opts->summary, false)) < 0)
		return error;
	if (opts->reason && (error = check_message_part(doc, "reason", opts->reason, true)) < 0)
		return error;
	if (opts->change != GATE_CHANGE_UNKNOWN && opts->change != GATE_CHANGE_EDITORIAL &&
	    opts->change != GATE_CHANGE_MATERIAL)
		return gate__error_set(GATE_EINVALID, "%s: unknown change kind %d", doc, (int)opts->change);

	now = gate_now(g) / 1000 * 1000; /* git keeps seconds */
	if ((error = gate__git_signature(&sig, src->repo, opts->author_name, opts->author_email, now)) < 0)
		return error;

	/* The version this publish builds on, as the publisher saw it when it
	 * started. If another publish of the document lands while this one
	 * waits for the lock, this one stops: its author has not seen that
	 * version, and publishing over it unseen would be a lost update. */
	if ((error = gate__git_latest_version(src, doc, &base_n, &prev_tag)) < 0)
		goto done;
	if (!(opts->flags & GATE_PUBLISH_DRY_RUN) &&
	    (error = gate__git_lock(src->repo, "publish", g->busy_timeout_ms, &lock)) < 0)
		goto done;

	/* The latest version, from ref names and one tag: no history walk. */
	memset(&prev, 0, sizeof(prev));
	if ((error = gate__git_latest_version(src, doc, &n, &prev_tag)) < 0)
		goto done;
	if (n != base_n) {
		error = gate__error_set(GATE_ECONFLICT,
			"%s v%u was published by someone else while this publish waited; review it and publish again",
			doc, n);
		goto done;
	}
	if (n && (error = gate__git_read_version(src, doc, n, &prev_tag, keep_prev, &prev)) < 0)
		goto done;
	n++;
	if (prev.n && same_texts(&prev, checked, count)) {
		error = gate__error_set(GATE_EEXISTS, "%s: text is identical to v%u; nothing to publish", doc, prev.n);
		goto done;
	}

	effective = opts->effective == GATE_TIME_UNSET ? now : opts->effective;
	if (prev.n && effective < prev.effective) {
		char when[GATE_TIME_BUFSIZE];

		gate_time_format(when, prev.effective);
		error = gate__error_set(GATE_EINVALID,
			"%s v%u cannot take effect before v%u (effective %s); pass --effective %s or later",
			doc, n, prev.n, when, when);
		goto done;
	}

	if ((error = detect_change(g, src, doc, &prev, checked, count, &detected)) < 0)
		goto done;
	change = opts->change != GATE_CHANGE_UNKNOWN ? opts->change
		: detected != GATE_CHANGE_UNKNOWN ? detected : GATE_CHANGE_MATERIAL;
	if (n == 1 && change != GATE_CHANGE_MATERIAL) {
		error = gate__error_set(GATE_EINVALID,
			"%s v1 is the first version, material by definition; drop --editorial", doc);
		goto done;
	}
	if (change == GATE_CHANGE_EDITORIAL && detected == GATE_CHANGE_MATERIAL &&
	    (!opts->reason || !*opts->reason)) {
		error = gate__error_set(GATE_EINVALID,
			"%s v%u has material changes; to publish it as editorial anyway, pass --editorial --reason TEXT",
			doc, n);
		goto done;
	}

	if (out) {
		out->n = n;
		out->change = change;
		out->detected = detected;
		out->published = now;
		out->effective = effective;
	}
	if (opts->flags & GATE_PUBLISH_DRY_RUN)
		goto done;

	if ((error = gate__git_branch_tip(&tip, src)) < 0)
		goto done;
	if (tip)
		git_oid_cpy(&tip_oid, git_commit_id(tip));
	if ((error = write_commit(&commit_oid, src->repo, tip, doc, n, opts, checked, count, sig)) < 0)
		goto done;
	if ((error = format_tag_message(&msg, doc, n, opts, change, detected, effective, checked, count)) < 0)
		goto done;
	snprintf(tagname, sizeof(tagname), "%s/v%u", doc, n);
	if ((error = git_object_lookup(&commit_obj, src->repo, &commit_oid, GIT_OBJECT_COMMIT)) < 0 ||
	    (error = git_tag_annotation_create(&tag_oid, src->repo, tagname, commit_obj, sig, msg.ptr)) < 0) {
		error = gate__git_error(error, "%s v%u: cannot write the tag", doc, n);
		goto done;
	}
	if ((error = update_refs(src->repo, src->branch, tip ? &tip_oid : NULL, &commit_oid,
		tagname, &tag_oid, sig, doc, n)) < 0)
		goto done;

	if (out) {
		gate__oid_hex(out->tag_oid, &tag_oid);
		gate__oid_hex(out->commit_oid, &commit_oid);
	}

	/* A work tree on the policy branch follows it (files edited by hand stay). */
	if (!git_repository_is_bare(src->repo) && git_repository_head_detached(src->repo) == 0) {
		git_reference *head = NULL;
		char bref[300];

		snprintf(bref, sizeof(bref), "refs/heads/%s", src->branch);
		if (git_repository_head(&head, src->repo) == 0 && strcmp(git_reference_name(head), bref) == 0) {
			git_checkout_options co;
			git_tree *base = NULL;

			git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
			co.checkout_strategy = GIT_CHECKOUT_SAFE;
			if (tip && git_commit_tree(&base, tip) == 0)
				co.baseline = base;
			git_checkout_head(src->repo, &co);
			git_tree_free(base);
		}
		git_reference_free(head);
	}
	gate_error_clear();

	/* The handle shows the new version from now on. */
	gate__catalog_free(g->catalog);
	g->catalog = NULL;
	error = 0;

done:
	gate__git_unlock(lock);
	gate_buf_dispose(&msg);
	git_object_free(commit_obj);
	git_commit_free(tip);
	git_signature_free(sig);
	if (error < 0 && out)
		memset(out, 0, sizeof(*out));
	return error;
}
