/* git_sync.c: following a publisher's repository: fetch, accept only fast-forwards and new version tags. */
#include "git_common.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INCOMING "refs/gate/incoming/"

/* A new version tag to create. */
typedef struct {
	char name[GATE_DOC_MAX + 24]; /* "privacy/v3" */
	git_oid oid;
} new_tag;

typedef struct {
	new_tag *items;
	size_t count, alloc;
} tag_list;

static bool dir_is_missing_or_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool empty = true;

	if (!d)
		return true;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			empty = false;
	closedir(d);
	return empty;
}

static void remove_incoming(git_repository *repo)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;

	if (git_reference_iterator_glob_new(&it, repo, INCOMING "*") < 0)
		return;
	while (git_reference_next(&ref, it) == 0) {
		git_reference_delete(ref);
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
}

static int push_tag(tag_list *l, const char *name, const git_oid *oid)
{
	if (gate__array_reserve(&l->items, &l->alloc, l->count, sizeof(*l->items)) < 0)
		return GATE_ENOMEM;
	snprintf(l->items[l->count].name, sizeof(l->items[l->count].name), "%s", name);
	git_oid_cpy(&l->items[l->count].oid, oid);
	l->count++;
	return 0;
}

/* Every document's versions, ours and theirs together, must run 1..max. */
static int check_no_gaps(git_repository *repo, const tag_list *fresh, const char *remote)
{
	git_reference_iterator *it = NULL;
	const char *name;
	gate__strlist docs = GATE__STRLIST_INIT;
	int error = 0;

	for (size_t i = 0; i < fresh->count && !error; i++) {
		char doc[GATE_DOC_MAX + 1], ref[GATE_DOC_MAX + 40];
		unsigned n;

		snprintf(ref, sizeof(ref), "refs/tags/%s", fresh->items[i].name);
		if (gate__git_parse_version_ref(ref, doc, &n) && !gate__strlist_contains(&docs, doc))
			error = gate__strlist_push(&docs, doc);
	}
	for (size_t d = 0; d < docs.count && !error; d++) {
		char glob[GATE_DOC_MAX + 20];
		unsigned max = 0, seen = 0;

		snprintf(glob, sizeof(glob), "refs/tags/%s/v*", docs.items[d]);
		if (git_reference_iterator_glob_new(&it, repo, glob) == 0) {
			while (git_reference_next_name(&name, it) == 0) {
				char doc[GATE_DOC_MAX + 1];
				unsigned n;

				if (gate__git_parse_version_ref(name, doc, &n) && strcmp(doc, docs.items[d]) == 0) {
					seen++;
					max = n > max ? n : max;
				}
			}
			git_reference_iterator_free(it);
		}
		for (size_t i = 0; i < fresh->count; i++) {
			char doc[GATE_DOC_MAX + 1], ref[GATE_DOC_MAX + 40];
			unsigned n;

			snprintf(ref, sizeof(ref), "refs/tags/%s", fresh->items[i].name);
			if (gate__git_parse_version_ref(ref, doc, &n) && strcmp(doc, docs.items[d]) == 0) {
				seen++;
				max = n > max ? n : max;
			}
		}
		if (seen != max)
			error = gate__error_set(GATE_ECONFLICT,
				"%s: the versions of %s would have gaps (%u tags up to v%u); refusing to sync",
				remote, docs.items[d], seen, max);
	}
	gate__strlist_free(&docs);
	if (!error)
		gate_error_clear();
	return error;
}

static int open_or_create(git_repository **repo, const char *path, const char *branch)
{
	git_repository_init_options iopts;
	int error;

	if (git_repository_open_ext(repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0)
		return 0;
	if (!dir_is_missing_or_empty(path))
		return gate__error_set(GATE_EINVALID,
			"%s exists and is not a git repository; sync into a new folder or a policy repository", path);
	git_repository_init_options_init(&iopts, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	iopts.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_BARE;
	iopts.initial_head = branch;
	if ((error = git_repository_init_ext(repo, path, &iopts)) < 0)
		return gate__git_error(error, "cannot create a repository at %s", path);
	return 0;
}

static int local_branch(git_repository *repo, char *out, size_t size)
{
	git_reference *head = NULL;

	snprintf(out, size, "%s", GATE__DEFAULT_BRANCH);
	if (git_reference_lookup(&head, repo, "HEAD") == 0) {
		const char *t = git_reference_symbolic_target(head);

		if (t && strncmp(t, "refs/heads/", 11) == 0)
			snprintf(out, size, "%s", t + 11);
		git_reference_free(head);
	}
	gate_error_clear();
	return 0;
}

static int fetch(git_repository *repo, const char *remote_url, const char *branch)
{
	git_remote *remote = NULL;
	git_fetch_options fo;
	char spec_branch[600];
	char *specs[2];
	git_strarray refspecs;
	int error;

	snprintf(spec_branch, sizeof(spec_branch), "+refs/heads/%s:" INCOMING "heads/%s", branch, branch);
	specs[0] = spec_branch;
	specs[1] = "+refs/tags/*:" INCOMING "tags/*";
	refspecs.strings = specs;
	refspecs.count = 2;
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	fo.prune = GIT_FETCH_NO_PRUNE;
	fo.update_fetchhead = 0;
	if ((error = git_remote_create_anonymous(&remote, repo, remote_url)) < 0 ||
	    (error = git_remote_fetch(remote, &refspecs, &fo, "gate sync")) < 0)
		error = gate__git_error(error, "cannot fetch from %s", remote_url);
	git_remote_free(remote);
	return error;
}

int gate_repository_sync(const char *path, const char *remote, const char *branch_opt,
	gate_sync_result *out)
{
	git_repository *repo = NULL;
	git_reference_iterator *it = NULL;
	git_reference *ref;
	git_transaction *tx = NULL;
	tag_list fresh = { NULL, 0, 0 };
	char branch[256], bref[300], iref[600], *lock = NULL;
	git_oid theirs, ours;
	bool have_ours, move_branch = false;
	int error;

	if (out)
		memset(out, 0, sizeof(*out));
	if (!path || !*path || !remote || !*remote)
		return gate__error_set(GATE_EINVALID, "gate sync needs a repository path and a remote");
	if (git_libgit2_init() < 0)
		return gate__git_error(-1, "cannot initialise libgit2");
	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);

	snprintf(branch, sizeof(branch), "%s", branch_opt && *branch_opt ? branch_opt : GATE__DEFAULT_BRANCH);
	if ((error = open_or_create(&repo, path, branch)) < 0)
		goto done;
	if (!branch_opt || !*branch_opt)
		local_branch(repo, branch, sizeof(branch));
	snprintf(bref, sizeof(bref), "refs/heads/%s", branch);
	snprintf(iref, sizeof(iref), INCOMING "heads/%s", branch);

	if ((error = gate__git_lock(repo, "publish or sync", 10000, &lock)) < 0)
		goto done;
	remove_incoming(repo);
	if ((error = fetch(repo, remote, branch)) < 0)
		goto done;

	/* The branch: only forward. */
	if (git_reference_name_to_id(&theirs, repo, iref) < 0) {
		error = gate__error_set(GATE_ENOTFOUND, "%s has no branch %s to sync", remote, branch);
		goto done;
	}
	have_ours = git_reference_name_to_id(&ours, repo, bref) == 0;
	if (!have_ours) {
		move_branch = true;
	} else if (!git_oid_equal(&ours, &theirs)) {
		if (git_graph_descendant_of(repo, &theirs, &ours) == 1) {
			move_branch = true;
		} else if (git_graph_descendant_of(repo, &ours, &theirs) != 1) {
			char a[12], b[12];

			git_oid_tostr(a, sizeof(a), &ours);
			git_oid_tostr(b, sizeof(b), &theirs);
			error = gate__error_set(GATE_ECONFLICT,
				"%s: branch %s (%s) does not descend from ours (%s): its history was rewritten; refusing to sync",
				remote, branch, b, a);
			goto done;
		}
	}
	gate_error_clear();

	/* The tags: new ones only; a moved version tag stops everything. */
	if ((error = git_reference_iterator_glob_new(&it, repo, INCOMING "tags/*")) < 0) {
		error = gate__git_error(error, "cannot list the fetched tags");
		goto done;
	}
	while (git_reference_next(&ref, it) == 0) {
		const char *name = git_reference_name(ref) + strlen(INCOMING "tags/");
		char local[GATE_DOC_MAX + 40], doc[GATE_DOC_MAX + 1];
		const git_oid *target = git_reference_target(ref);
		git_object *obj = NULL;
		git_oid mine;
		unsigned n;

		snprintf(local, sizeof(local), "refs/tags/%s", name);
		if (!target || !gate__git_parse_version_ref(local, doc, &n)) {
			git_reference_free(ref);
			continue; /* not a version tag: not ours to follow */
		}
		if (git_reference_name_to_id(&mine, repo, local) == 0) {
			if (!git_oid_equal(&mine, target)) {
				char a[12], b[12];

				git_oid_tostr(a, sizeof(a), &mine);
				git_oid_tostr(b, sizeof(b), target);
				error = gate__error_set(GATE_ECONFLICT,
					"%s rewrote %s (ours %s, theirs %s); refusing to sync: a published version never changes",
					remote, name, a, b);
			}
		} else if (git_object_lookup(&obj, repo, target, GIT_OBJECT_TAG) < 0) {
			error = gate__error_set(GATE_ECONFLICT,
				"%s: %s is not an annotated tag; refusing to sync", remote, name);
		} else {
			error = push_tag(&fresh, name, target);
		}
		git_object_free(obj);
		git_reference_free(ref);
		if (error < 0)
			break;
	}
	git_reference_iterator_free(it);
	it = NULL;
	if (error < 0)
		goto done;
	gate_error_clear();
	if ((error = check_no_gaps(repo, &fresh, remote)) < 0)
		goto done;

	/* Apply: the branch and every new tag in one transaction. */
	if (move_branch || fresh.count) {
		if ((error = git_transaction_new(&tx, repo)) < 0)
			goto git_fail;
		if (move_branch && ((error = git_transaction_lock_ref(tx, bref)) < 0 ||
		    (error = git_transaction_set_target(tx, bref, &theirs, NULL, "gate sync")) < 0))
			goto git_fail;
		for (size_t i = 0; i < fresh.count; i++) {
			char tref[GATE_DOC_MAX + 40];

			snprintf(tref, sizeof(tref), "refs/tags/%s", fresh.items[i].name);
			if ((error = git_transaction_lock_ref(tx, tref)) < 0 ||
			    (error = git_transaction_set_target(tx, tref, &fresh.items[i].oid, NULL, "gate sync")) < 0)
				goto git_fail;
		}
		if ((error = git_transaction_commit(tx)) < 0)
			goto git_fail;
	}

	if (move_branch && !git_repository_is_bare(repo)) {
		git_reference *head = NULL;

		if (git_repository_head(&head, repo) == 0 && strcmp(git_reference_name(head), bref) == 0) {
			git_checkout_options co;

			git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
			co.checkout_strategy = GIT_CHECKOUT_SAFE;
			git_checkout_head(repo, &co);
		}
		git_reference_free(head);
		gate_error_clear();
	}
	if (out) {
		out->new_versions = (unsigned)fresh.count;
		out->branch_updated = move_branch;
		gate__oid_hex(out->branch_oid, move_branch ? &theirs : &ours);
	}
	error = 0;
	goto done;

git_fail:
	error = gate__git_error(error, "cannot update the local branch and tags");
done:
	git_transaction_free(tx);
	git_reference_iterator_free(it);
	if (repo)
		remove_incoming(repo);
	gate__git_unlock(lock);
	free(fresh.items);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return error;
}
