/* git_init.c: creating a policy repository: a git repository whose branch holds gate.conf. */
#include "git_common.h"
#include "text.h"

#include <stdio.h>
#include <string.h>

int gate_init_options_init(gate_init_options *opts, unsigned int version)
{
	gate_init_options init = GATE_INIT_OPTIONS_INIT;

	if (!opts)
		return gate__error_set(GATE_EINVALID, "gate_init_options_init: NULL options");
	if (version != GATE_INIT_OPTIONS_VERSION)
		return gate__error_set(GATE_EVERSION,
			"gate_init_options version %u is not supported (expected %d)",
			version, GATE_INIT_OPTIONS_VERSION);
	*opts = init;
	return 0;
}

static int conf_text(gate_buf *out, const char *branch, const char *locale)
{
	return gate__buf_printf(out,
		"# gate.conf: the settings of this policy repository, in git-config syntax.\n"
		"# libgate reads the copy committed on the policy branch: commit your edits.\n"
		"\n"
		"[gate]\n"
		"\t# Every version must include this locale; a version without some other\n"
		"\t# locale shows this one's text instead.\n"
		"\tdefaultLocale = %s\n"
		"\t# The branch that versions are published on.\n"
		"\tbranch = %s\n"
		"\t# The largest text one locale of a version may have (k, M or G suffix).\n"
		"\tmaxTextSize = 4M\n"
		"\n"
		"# Date-stamp lines: a change confined to a line matching one of these\n"
		"# patterns (POSIX extended regular expressions, case-insensitive) is\n"
		"# editorial. Without any, libgate's defaults apply.\n"
		"#[diff]\n"
		"#\tdatePattern = ^last updated:[[:space:]]*[0-9]{1,2} [[:alpha:]]+ [0-9]{4}$\n"
		"\n"
		"# Extra words that hint at a category of change (they never change a verdict).\n"
		"#[category \"retention\"]\n"
		"#\tkeyword = archive\n",
		locale, branch);
}

int gate_repository_init(const char *path, const gate_init_options *opts)
{
	gate_init_options defaults = GATE_INIT_OPTIONS_INIT;
	git_repository_init_options iopts;
	git_repository *repo = NULL;
	git_signature *sig = NULL;
	git_commit *tip = NULL;
	git_tree *tip_tree = NULL, *tree = NULL;
	git_treebuilder *tb = NULL;
	git_oid blob_oid, tree_oid, commit_oid;
	gate_buf conf = GATE_BUF_INIT, ref = GATE_BUF_INIT;
	char locale[GATE_LOCALE_MAX + 1];
	const char *branch;
	bool existing = false, head_on_branch = false;
	int error;

	if (!path || !*path)
		return gate__error_set(GATE_EINVALID, "no directory given for the policy repository");
	if (!opts)
		opts = &defaults;
	if (opts->version != GATE_INIT_OPTIONS_VERSION)
		return gate__error_set(GATE_EVERSION,
			"gate_init_options version %u is not supported (expected %d)",
			opts->version, GATE_INIT_OPTIONS_VERSION);
	branch = opts->branch && *opts->branch ? opts->branch : GATE__DEFAULT_BRANCH;
	if ((error = gate__locale_canon(locale,
		opts->default_locale ? opts->default_locale : GATE__DEFAULT_LOCALE)) < 0)
		return error;
	if (gate__buf_printf(&ref, "refs/heads/%s", branch) < 0)
		return GATE_ENOMEM;
	if (git_libgit2_init() < 0) {
		gate_buf_dispose(&ref);
		return gate__git_error(-1, "cannot initialise libgit2");
	}
	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);
	if (strlen(branch) >= 200 || git_reference_is_valid_name(ref.ptr) != 1) {
		error = gate__error_set(GATE_EINVALID, "'%s' is not a valid branch name", branch);
		goto done;
	}

	git_repository_init_options_init(&iopts, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	if (git_repository_open_ext(&repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0) {
		existing = true;
	} else {
		iopts.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_MKDIR;
		if (opts->flags & GATE_INIT_BARE)
			iopts.flags |= GIT_REPOSITORY_INIT_BARE;
		iopts.initial_head = branch;
		if ((error = git_repository_init_ext(&repo, path, &iopts)) < 0) {
			error = gate__git_error(error, "cannot create a repository at %s", path);
			error = error == GATE_ERROR ? GATE_EIO : error;
			goto done;
		}
	}
	gate_error_clear();

	/* In an existing repository without --branch, the policy branch is the
	 * one HEAD names (which may not have a commit yet). */
	if (existing && !(opts->branch && *opts->branch)) {
		git_reference *head = NULL;

		if (git_reference_lookup(&head, repo, "HEAD") == 0) {
			const char *t = git_reference_symbolic_target(head);

			if (t && strncmp(t, "refs/heads/", 11) == 0 && strlen(t) < 200) {
				gate__buf_clear(&ref);
				if (gate__buf_puts(&ref, t) < 0) {
					git_reference_free(head);
					error = GATE_ENOMEM;
					goto done;
				}
				branch = ref.ptr + 11;
			}
			git_reference_free(head);
		}
		gate_error_clear();
	}

	{
		git_reference *head = NULL;

		if (git_reference_lookup(&head, repo, "HEAD") == 0) {
			const char *t = git_reference_symbolic_target(head);

			head_on_branch = t && strcmp(t, ref.ptr) == 0;
			git_reference_free(head);
		}
		gate_error_clear();
	}

	if (existing) {
		git_oid tip_oid;

		if (git_reference_name_to_id(&tip_oid, repo, ref.ptr) == 0) {
			if ((error = git_commit_lookup(&tip, repo, &tip_oid)) < 0 ||
			    (error = git_commit_tree(&tip_tree, tip)) < 0) {
				error = gate__git_error(error, "%s: cannot read branch %s", path, branch);
				goto done;
			}
			if (git_tree_entry_byname(tip_tree, "gate.conf")) {
				error = gate__error_set(GATE_EEXISTS,
					"%s is already a policy repository (gate.conf is on branch %s)", path, branch);
				goto done;
			}
		}
		gate_error_clear();
	}

	if ((error = gate__git_signature(&sig, repo, opts->author_name, opts->author_email,
		gate_time_now())) < 0)
		goto done;
	if ((error = conf_text(&conf, branch, locale)) < 0)
		goto done;
	if ((error = git_blob_create_from_buffer(&blob_oid, repo, conf.ptr, conf.size)) < 0 ||
	    (error = git_treebuilder_new(&tb, repo, tip_tree)) < 0 ||
	    (error = git_treebuilder_insert(NULL, tb, "gate.conf", &blob_oid, GIT_FILEMODE_BLOB)) < 0 ||
	    (error = git_treebuilder_write(&tree_oid, tb)) < 0 ||
	    (error = git_tree_lookup(&tree, repo, &tree_oid)) < 0) {
		error = gate__git_error(error, "%s: cannot write gate.conf", path);
		goto done;
	}
	{
		const git_commit *parents[1] = { tip };

		error = git_commit_create(&commit_oid, repo, ref.ptr, sig, sig, NULL,
			"Create the policy repository\n\nAdd gate.conf, the repository's settings.\n",
			tree, tip ? 1 : 0, parents);
		if (error < 0) {
			error = gate__git_error(error, "%s: cannot commit gate.conf", path);
			goto done;
		}
	}

	/* A work tree should show what the branch holds. */
	if (!git_repository_is_bare(repo) && head_on_branch) {
		git_checkout_options co;

		git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
		co.checkout_strategy = GIT_CHECKOUT_SAFE;
		if (git_checkout_head(repo, &co) < 0)
			gate_error_clear(); /* files already there stay as they are */
	}
	error = 0;

done:
	git_treebuilder_free(tb);
	git_tree_free(tree);
	git_tree_free(tip_tree);
	git_commit_free(tip);
	git_signature_free(sig);
	git_repository_free(repo);
	gate_buf_dispose(&conf);
	gate_buf_dispose(&ref);
	git_libgit2_shutdown();
	return error;
}
