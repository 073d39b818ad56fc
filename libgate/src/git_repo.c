/* git_repo.c: reading a policy repository with libgit2: opening it, gate.conf, documents, versions, texts. */
#include "git_common.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* --- errors and oids ---------------------------------------------------------------- */

int gate__git_error(int code, const char *fmt, ...)
{
	const git_error *e = git_error_last();
	char ctx[512];
	int gcode;
	va_list ap;

	switch (code) {
	case GIT_ENOTFOUND: gcode = GATE_ENOTFOUND; break;
	case GIT_EEXISTS: gcode = GATE_EEXISTS; break;
	case GIT_ELOCKED: gcode = GATE_ELOCKED; break;
	case GIT_EMODIFIED:
	case GIT_ENONFASTFORWARD:
	case GIT_ECONFLICT: gcode = GATE_ECONFLICT; break;
	case GIT_EINVALID:
	case GIT_EINVALIDSPEC: gcode = GATE_EINVALID; break;
	default: gcode = GATE_ERROR; break;
	}
	va_start(ap, fmt);
	vsnprintf(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	return gate__error_set(gcode, "%s: %s", ctx,
		e && e->message ? e->message : "libgit2 failed");
}

void gate__oid_hex(char *out, const git_oid *oid)
{
	git_oid_tostr(out, GATE_OID_HEXSIZE + 1, oid);
}

/* --- tag messages ---------------------------------------------------------------------- */

static int parse_change(gate_change *out, const char *v, bool allow_unknown)
{
	if (strcmp(v, "material") == 0)
		*out = GATE_CHANGE_MATERIAL;
	else if (strcmp(v, "editorial") == 0)
		*out = GATE_CHANGE_EDITORIAL;
	else if (allow_unknown && strcmp(v, "unknown") == 0)
		*out = GATE_CHANGE_UNKNOWN;
	else
		return -1;
	return 0;
}

void gate__tag_fields_dispose(gate__tag_fields *f)
{
	gate_buf_dispose(&f->summary);
	gate_buf_dispose(&f->reason);
}

int gate__tag_message_parse(gate__tag_fields *out, const char *doc, const char *message)
{
	git_message_trailer_array arr = { 0 };
	const char *body, *last_para = NULL, *p;
	bool have_version = false, have_change = false, have_effective = false;
	int error = 0;

	memset(out, 0, sizeof(*out));
	out->detected = GATE_CHANGE_UNKNOWN;

	if (git_message_trailers(&arr, message) < 0)
		return gate__git_error(-1, "%s: cannot read the tag message", doc);

	for (size_t i = 0; i < arr.count && error == 0; i++) {
		const char *k = arr.trailers[i].key, *v = arr.trailers[i].value;

		if (strcmp(k, "Gate-Version") == 0) {
			char *end;
			unsigned long n = strtoul(v, &end, 10);

			if (*end || n == 0 || n > 0x7fffffffUL)
				error = -1;
			out->n = (unsigned)n;
			have_version = true;
		} else if (strcmp(k, "Gate-Change") == 0) {
			error = parse_change(&out->change, v, false);
			have_change = true;
		} else if (strcmp(k, "Gate-Detected") == 0) {
			error = parse_change(&out->detected, v, true);
		} else if (strcmp(k, "Gate-Effective") == 0) {
			error = gate_time_parse(&out->effective, v) < 0 ? -1 : 0;
			have_effective = true;
		} else if (strcmp(k, "Gate-Locales") == 0) {
			if (strlen(v) >= sizeof(out->locales))
				error = -1;
			else
				strcpy(out->locales, v);
		} else if (strcmp(k, "Gate-Reason") == 0) {
			if (gate__buf_puts(&out->reason, v) < 0)
				error = GATE_ENOMEM;
		}
	}
	git_message_trailer_array_free(&arr);
	if (error == GATE_ENOMEM)
		return error;
	if (error || !have_version || !have_change || !have_effective || !out->locales[0]) {
		gate__tag_fields_dispose(out);
		return gate__error_set(GATE_ECORRUPT,
			"%s: a version tag's message lacks valid Gate-Version, Gate-Change, Gate-Effective or Gate-Locales trailers",
			doc);
	}

	/* The summary: between the subject line and the trailer paragraph. */
	body = strstr(message, "\n\n");
	for (p = message; (p = strstr(p, "\n\n")) != NULL; p++) {
		const char *q = p;

		while (*q == '\n')
			q++;
		if (*q)
			last_para = q;
	}
	if (body && last_para && last_para > body) {
		const char *start = body, *end = last_para;

		while (start < end && *start == '\n')
			start++;
		while (end > start && end[-1] == '\n')
			end--;
		if (end > start && gate__buf_put(&out->summary, start, (size_t)(end - start)) < 0) {
			gate__tag_fields_dispose(out);
			return GATE_ENOMEM;
		}
	}
	return 0;
}

/* --- the source -------------------------------------------------------------------------- */

static void git_source_free(gate_source *base)
{
	gate__git_source *src = (gate__git_source *)base;

	git_repository_free(src->repo);
	free(src->path);
	free(src);
	git_libgit2_shutdown();
}

static char *git_default_db_path(gate_source *base)
{
	gate__git_source *src = (gate__git_source *)base;
	gate_buf path = GATE_BUF_INIT;

	/* Inside the git directory, where nothing is ever committed. */
	if (gate__buf_printf(&path, "%sgate/acceptances.db", git_repository_path(src->repo)) < 0)
		return NULL;
	return path.ptr;
}

int gate__git_branch_tip(git_commit **commit, gate__git_source *src)
{
	char refname[300];
	git_oid oid;
	int error;

	*commit = NULL;
	snprintf(refname, sizeof(refname), "refs/heads/%s", src->branch);
	error = git_reference_name_to_id(&oid, src->repo, refname);
	if (error == GIT_ENOTFOUND)
		return 0;
	if (error < 0)
		return gate__git_error(error, "%s: cannot read branch %s", src->path, src->branch);
	if ((error = git_commit_lookup(commit, src->repo, &oid)) < 0)
		return gate__git_error(error, "%s: cannot read the tip of %s", src->path, src->branch);
	return 0;
}

static int add_conf_entry(const git_config_entry *entry, void *payload)
{
	return gate__settings_add(payload, entry->name, entry->value) < 0 ? -1 : 0;
}

int gate__git_read_conf(gate_settings *s, git_repository *repo, const git_tree *tree)
{
	const git_tree_entry *te = git_tree_entry_byname(tree, "gate.conf");
	git_blob *blob = NULL;
	git_config *cfg = NULL;
	char tmpl[] = "/tmp/gate.conf.XXXXXX";
	const char *tmpdir = getenv("TMPDIR");
	gate_buf path = GATE_BUF_INIT;
	int fd = -1, error;
	const char *data;
	size_t len;

	if (!te || git_tree_entry_type(te) != GIT_OBJECT_BLOB)
		return gate__error_set(GATE_ENOTFOUND, "no gate.conf on the policy branch");
	if ((error = git_blob_lookup(&blob, repo, git_tree_entry_id(te))) < 0)
		return gate__git_error(error, "cannot read gate.conf");

	/* libgit2 parses config files, not buffers: hand it a private copy. */
	if (tmpdir && *tmpdir)
		error = gate__buf_printf(&path, "%s/gate.conf.XXXXXX", tmpdir);
	else
		error = gate__buf_puts(&path, tmpl);
	if (error < 0)
		goto done;
	if ((fd = mkstemp(path.ptr)) < 0) {
		error = gate__error_set(GATE_EIO, "cannot create a temporary file in %s to read gate.conf",
			tmpdir && *tmpdir ? tmpdir : "/tmp");
		goto done;
	}
	data = git_blob_rawcontent(blob);
	len = (size_t)git_blob_rawsize(blob);
	while (len > 0) {
		ssize_t w = write(fd, data, len);

		if (w <= 0) {
			error = gate__error_set(GATE_EIO, "cannot write a temporary copy of gate.conf");
			goto done;
		}
		data += w;
		len -= (size_t)w;
	}
	if ((error = git_config_open_ondisk(&cfg, path.ptr)) < 0) {
		error = gate__git_error(error, "gate.conf is not valid git-config syntax");
		error = GATE_EINVALID;
		goto done;
	}
	if ((error = git_config_foreach(cfg, add_conf_entry, s)) < 0)
		error = gate_error_last()->code < 0 ? gate_error_last()->code : GATE_ERROR;

done:
	git_config_free(cfg);
	if (fd >= 0) {
		close(fd);
		unlink(path.ptr);
	}
	gate_buf_dispose(&path);
	git_blob_free(blob);
	return error;
}

static int git_load_settings(gate_source *base, gate_settings *s)
{
	gate__git_source *src = (gate__git_source *)base;
	git_commit *tip = NULL;
	git_tree *tree = NULL;
	int error;

	if ((error = gate__git_branch_tip(&tip, src)) < 0)
		return error;
	if (!tip)
		return gate__error_set(GATE_ENOTFOUND,
			"%s is a git repository but not a policy repository (branch %s has no commits); create one with `gate init`",
			src->path, src->branch);
	if ((error = git_commit_tree(&tree, tip)) < 0) {
		error = gate__git_error(error, "%s: cannot read the tree of %s", src->path, src->branch);
		goto done;
	}
	error = gate__git_read_conf(s, src->repo, tree);
	if (error == 0) {
		/* gate.conf may name another policy branch than HEAD's: follow it once. */
		const char *b = gate__settings_get(s, "gate.branch");
		char ref[300];
		git_oid oid;

		snprintf(ref, sizeof(ref), "refs/heads/%s", b ? b : "");
		if (b && !src->followed_branch && strcmp(b, src->branch) != 0 &&
		    strlen(b) < sizeof(src->branch) &&
		    git_reference_name_to_id(&oid, src->repo, ref) == 0) {
			strcpy(src->branch, b);
			src->followed_branch = true;
			gate_error_clear();
			git_tree_free(tree);
			git_commit_free(tip);
			gate__settings_free(s);
			gate__settings_init(s);
			return git_load_settings(base, s);
		}
		gate_error_clear();
	}
	if (error == GATE_ENOTFOUND)
		error = gate__error_set(GATE_ENOTFOUND,
			"%s is a git repository but not a policy repository (no gate.conf on branch %s); create one with `gate init`",
			src->path, src->branch);
	else if (error < 0)
		gate__error_prefix("%s", src->path);
done:
	git_tree_free(tree);
	git_commit_free(tip);
	return error;
}

/* Splits "refs/tags/<doc>/v<N>" into doc and N; false for any other name. */
bool gate__git_parse_version_ref(const char *name, char *doc, unsigned *n)
{
	const char *p = name + strlen("refs/tags/"), *slash, *q;
	unsigned long v = 0;

	if (strncmp(name, "refs/tags/", 10) != 0 || !(slash = strchr(p, '/')))
		return false;
	if ((size_t)(slash - p) > GATE_DOC_MAX || slash == p)
		return false;
	memcpy(doc, p, (size_t)(slash - p));
	doc[slash - p] = '\0';
	q = slash + 1;
	if (*q++ != 'v' || *q < '1' || *q > '9')
		return false;
	for (; *q; q++) {
		if (*q < '0' || *q > '9' || v > 0x7fffffffUL / 10)
			return false;
		v = v * 10 + (unsigned long)(*q - '0');
	}
	if (v == 0 || v > 0x7fffffffUL)
		return false;
	*n = (unsigned)v;
	gate_error_clear();
	return gate_doc_id_check(doc) == 0;
}

static int git_list_docs(gate_source *base, gate__strlist *out)
{
	gate__git_source *src = (gate__git_source *)base;
	git_reference_iterator *it = NULL;
	const char *name;
	int error;

	if ((error = git_reference_iterator_glob_new(&it, src->repo, "refs/tags/*")) < 0)
		return gate__git_error(error, "%s: cannot list tags", src->path);
	while ((error = git_reference_next_name(&name, it)) == 0) {
		char doc[GATE_DOC_MAX + 1];
		unsigned n;

		if (gate__git_parse_version_ref(name, doc, &n) &&
		    !gate__strlist_contains(out, doc) &&
		    (error = gate__strlist_push(out, doc)) < 0)
			break;
	}
	git_reference_iterator_free(it);
	gate_error_clear();
	if (error == GIT_ITEROVER)
		return 0;
	return error < 0 && error != GATE_ENOMEM
		? gate__git_error(error, "%s: cannot list tags", src->path) : error;
}

/* Reads one version: tag, its trailers, the commit and the document's texts,
 * and hands it to `emit` (the strings it points at live until emit returns). */
int gate__git_read_version(gate__git_source *src, const char *doc, unsigned n,
	const git_oid *ref_target, gate__version_fn emit, void *payload)
{
	git_tag *tag = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL, *dtree = NULL;
	const git_tree_entry *te;
	const git_signature *tagger;
	gate__tag_fields f;
	gate_version_info v;
	gate_locale_text locales[32];
	size_t nloc = 0;
	char *save = NULL, *tok, list[512];
	int error;

	memset(&v, 0, sizeof(v));
	if ((error = git_tag_lookup(&tag, src->repo, ref_target)) < 0)
		return gate__error_set(GATE_ECORRUPT,
			"%s v%u is not an annotated tag; versions must be published with `gate publish`", doc, n);
	if (git_tag_target_type(tag) != GIT_OBJECT_COMMIT) {
		error = gate__error_set(GATE_ECORRUPT, "%s v%u: the tag does not point at a commit", doc, n);
		goto done;
	}
	if ((error = gate__tag_message_parse(&f, doc, git_tag_message(tag))) < 0)
		goto done;
	if (f.n != n) {
		error = gate__error_set(GATE_ECORRUPT,
			"%s v%u: the tag says Gate-Version %u; the tag was renamed or forged", doc, n, f.n);
		goto fields;
	}
	if ((error = git_commit_lookup(&commit, src->repo, git_tag_target_id(tag))) < 0 ||
	    (error = git_commit_tree(&tree, commit)) < 0) {
		error = gate__git_error(error, "%s v%u: cannot read its commit", doc, n);
		goto fields;
	}
	te = git_tree_entry_byname(tree, doc);
	if (!te || git_tree_entry_type(te) != GIT_OBJECT_TREE ||
	    git_tree_lookup(&dtree, src->repo, git_tree_entry_id(te)) < 0) {
		error = gate__error_set(GATE_ECORRUPT, "%s v%u: the commit has no %s/ folder", doc, n, doc);
		goto fields;
	}

	strcpy(list, f.locales);
	for (tok = strtok_r(list, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char file[GATE_LOCALE_MAX + 8];
		const git_tree_entry *le;

		if (nloc == GATE__ARRAY_SIZE(locales) || gate__locale_canon(locales[nloc].locale, tok) < 0) {
			error = gate__error_set(GATE_ECORRUPT, "%s v%u: bad Gate-Locales trailer", doc, n);
			goto fields;
		}
		snprintf(file, sizeof(file), "%.35s.md", locales[nloc].locale);
		le = git_tree_entry_byname(dtree, file);
		if (!le || git_tree_entry_type(le) != GIT_OBJECT_BLOB) {
			error = gate__error_set(GATE_ECORRUPT, "%s v%u: %s/%s is missing from its commit",
				doc, n, doc, file);
			goto fields;
		}
		gate__oid_hex(locales[nloc].blob_oid, git_tree_entry_id(le));
		nloc++;
	}

	tagger = git_tag_tagger(tag);
	v.doc = doc;
	v.n = n;
	v.change = f.change;
	v.detected = f.detected;
	v.published = tagger ? (int64_t)tagger->when.time * 1000 : 0;
	v.effective = f.effective;
	gate__oid_hex(v.tag_oid, ref_target);
	gate__oid_hex(v.commit_oid, git_tag_target_id(tag));
	v.summary = f.summary.ptr ? f.summary.ptr : "";
	v.reason = f.reason.size ? f.reason.ptr : NULL;
	v.publisher_name = tagger ? tagger->name : "";
	v.publisher_email = tagger ? tagger->email : "";
	v.locale_count = nloc;
	v.locales = locales;
	error = emit(payload, &v);

fields:
	gate__tag_fields_dispose(&f);
done:
	git_tree_free(dtree);
	git_tree_free(tree);
	git_commit_free(commit);
	git_tag_free(tag);
	return error;
}

static int add_to_catalog(void *payload, const gate_version_info *v)
{
	return gate__catalog_add_version(payload, v);
}

static int git_load_versions(gate_source *base, gate_catalog *cat, const char *doc)
{
	gate__git_source *src = (gate__git_source *)base;
	git_reference_iterator *it = NULL;
	git_reference *ref;
	char glob[GATE_DOC_MAX + 20];
	int error;

	snprintf(glob, sizeof(glob), "refs/tags/%s/v*", doc);
	if ((error = git_reference_iterator_glob_new(&it, src->repo, glob)) < 0)
		return gate__git_error(error, "%s: cannot list the tags of %s", src->path, doc);
	while ((error = git_reference_next(&ref, it)) == 0) {
		char rdoc[GATE_DOC_MAX + 1];
		unsigned n;

		if (gate__git_parse_version_ref(git_reference_name(ref), rdoc, &n) && strcmp(rdoc, doc) == 0 &&
		    git_reference_type(ref) == GIT_REFERENCE_DIRECT)
			error = gate__git_read_version(src, doc, n, git_reference_target(ref),
				add_to_catalog, cat);
		git_reference_free(ref);
		if (error < 0)
			break;
	}
	git_reference_iterator_free(it);
	if (error == GIT_ITEROVER) {
		gate_error_clear();
		return 0;
	}
	return error;
}

static int git_read_blob(gate_source *base, const gate_version_info *v,
	const gate_locale_text *t, gate_buf *out)
{
	gate__git_source *src = (gate__git_source *)base;
	git_blob *blob = NULL;
	git_oid oid;
	int error;

	if (git_oid_fromstr(&oid, t->blob_oid) < 0)
		return gate__error_set(GATE_ECORRUPT, "bad blob id %s", t->blob_oid);
	if ((error = git_blob_lookup(&blob, src->repo, &oid)) < 0)
		return gate__git_error(error, "%s v%u %s: cannot read its text", v->doc, v->n, t->locale);
	error = gate__buf_put(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return error;
}

static int git_source_id(gate_source *base, char *out)
{
	gate__git_source *src = (gate__git_source *)base;
	git_commit *tip = NULL;
	int error;

	if ((error = gate__git_branch_tip(&tip, src)) < 0)
		return error;
	if (tip)
		gate__oid_hex(out, git_commit_id(tip));
	git_commit_free(tip);
	return 0;
}

int gate__source_git_open(gate_source **out, const char *path)
{
	gate__git_source *src;
	git_reference *head = NULL;
	int error;

	*out = NULL;
	if (git_libgit2_init() < 0)
		return gate__git_error(-1, "cannot initialise libgit2");
	/* Durability is the product: every object and ref write is fsynced. */
	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);

	if (!(src = gate__calloc(1, sizeof(*src)))) {
		git_libgit2_shutdown();
		return GATE_ENOMEM;
	}
	src->base.kind = "git";
	src->base.default_db_path = git_default_db_path;
	src->base.load_settings = git_load_settings;
	src->base.list_docs = git_list_docs;
	src->base.load_versions = git_load_versions;
	src->base.read_blob = git_read_blob;
	src->base.source_id = git_source_id;
	src->base.free = git_source_free;
	if (!(src->path = gate__strdup(path))) {
		git_source_free(&src->base);
		return GATE_ENOMEM;
	}

	error = git_repository_open_ext(&src->repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (error < 0) {
		if (access(path, F_OK) != 0)
			error = gate__error_set(GATE_ENOTFOUND,
				"%s does not exist; create a policy repository with `gate init %s`", path, path);
		else
			error = gate__error_set(GATE_ENOTFOUND,
				"%s is not a policy repository (not a git repository); create one with `gate init %s`",
				path, path);
		git_source_free(&src->base);
		return error;
	}

	/* The policy branch is the one HEAD names (gate init points HEAD at it). */
	strcpy(src->branch, GATE__DEFAULT_BRANCH);
	if (git_reference_lookup(&head, src->repo, "HEAD") == 0) {
		const char *target = git_reference_symbolic_target(head);

		if (target && strncmp(target, "refs/heads/", 11) == 0 &&
		    strlen(target + 11) < sizeof(src->branch))
			strcpy(src->branch, target + 11);
		git_reference_free(head);
	}
	gate_error_clear();
	*out = &src->base;
	return 0;
}

int gate__git_repo(gate *g, gate__git_source **out)
{
	*out = NULL;
	if (!g || !g->source || strcmp(g->source->kind, "git") != 0)
		return gate__error_set(GATE_ENOTSUPPORTED,
			"this handle was opened on a pack; publishing, syncing and checkpoints need the policy repository");
	*out = (gate__git_source *)g->source;
	return 0;
}

static bool version_exists(gate__git_source *src, const char *doc, unsigned n, git_oid *target)
{
	char ref[GATE_DOC_MAX + 40];

	snprintf(ref, sizeof(ref), "refs/tags/%s/v%u", doc, n);
	return git_reference_name_to_id(target, src->repo, ref) == 0;
}

int gate__git_latest_version(gate__git_source *src, const char *doc, unsigned *n, git_oid *target)
{
	unsigned lo = 0, hi = 1;

	/* Versions run 1..N without gaps, so a galloping search over tag names
	 * finds N in O(log N) ref lookups: the cost of publishing does not grow
	 * with the length of the history. */
	*n = 0;
	while (version_exists(src, doc, hi, target)) {
		lo = hi;
		if (hi > 0x40000000u)
			break;
		hi *= 2;
	}
	/* lo exists (or is 0), hi does not */
	while (hi - lo > 1) {
		unsigned mid = lo + (hi - lo) / 2;

		if (version_exists(src, doc, mid, target))
			lo = mid;
		else
			hi = mid;
	}
	gate_error_clear();
	*n = lo;
	if (lo && !version_exists(src, doc, lo, target))
		return gate__git_error(-1, "%s: cannot read %s/v%u", src->path, doc, lo);
	gate_error_clear();
	return 0;
}

int gate__git_signature(git_signature **out, git_repository *repo,
	const char *name, const char *email, int64_t when_ms)
{
	git_config *cfg = NULL;
	git_buf cname = GIT_BUF_INIT, cemail = GIT_BUF_INIT;
	int error;

	*out = NULL;
	if (!name || !*name)
		name = getenv("GIT_AUTHOR_NAME");
	if (!email || !*email)
		email = getenv("GIT_AUTHOR_EMAIL");
	if ((!name || !*name || !email || !*email) && git_repository_config_snapshot(&cfg, repo) == 0) {
		if ((!name || !*name) && git_config_get_string_buf(&cname, cfg, "user.name") == 0)
			name = cname.ptr;
		if ((!email || !*email) && git_config_get_string_buf(&cemail, cfg, "user.email") == 0)
			email = cemail.ptr;
	}
	if (!name || !*name || !email || !*email) {
		error = gate__error_set(GATE_EINVALID,
			"no publisher identity: pass --author \"Name <email>\" or set it with `git config --global user.name NAME` and `git config --global user.email EMAIL`");
		goto done;
	}
	if ((error = git_signature_new(out, name, email, (git_time_t)(when_ms / 1000), 0)) < 0)
		error = gate__git_error(error, "bad publisher identity '%s <%s>'", name, email);
done:
	git_buf_dispose(&cname);
	git_buf_dispose(&cemail);
	git_config_free(cfg);
	if (error < 0)
		return error;
	gate_error_clear();
	return 0;
}

int gate__git_lock(git_repository *repo, const char *label, int wait_ms, char **lock_path)
{
	gate_buf dir = GATE_BUF_INIT, path = GATE_BUF_INIT;
	int waited = 0, fd;

	*lock_path = NULL;
	if (gate__buf_printf(&dir, "%sgate", git_repository_path(repo)) < 0 ||
	    gate__buf_printf(&path, "%s/publish.lock", dir.ptr) < 0) {
		gate_buf_dispose(&dir);
		return GATE_ENOMEM;
	}
	if (mkdir(dir.ptr, 0777) < 0 && errno != EEXIST) {
		int e = errno;

		gate_buf_dispose(&path);
		gate__error_set(e == EROFS || e == EACCES ? GATE_EIO : GATE_ERROR,
			"cannot create %s: %s", dir.ptr, strerror(e));
		gate_buf_dispose(&dir);
		return gate_error_last()->code;
	}
	gate_buf_dispose(&dir);

	/* O_EXCL creation is the lock; it is released by unlinking. Wait for a
	 * holder the way SQLite's busy timeout does, then give up with a name. */
	while ((fd = open(path.ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0) {
		struct timespec ts = { 0, 20 * 1000000L };

		if (errno != EEXIST) {
			int e = errno;

			gate__error_set(e == EROFS || e == EACCES ? GATE_EIO : GATE_ERROR,
				"cannot create %s: %s", path.ptr, strerror(e));
			gate_buf_dispose(&path);
			return gate_error_last()->code;
		}
		if (waited >= wait_ms) {
			gate__error_set(GATE_ELOCKED,
				"the policy repository is locked by another %s (%s); if none is running, delete that file",
				label, path.ptr);
			gate_buf_dispose(&path);
			return GATE_ELOCKED;
		}
		nanosleep(&ts, NULL);
		waited += 20;
	}
	{
		char pid[32];
		int len = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());

		if (write(fd, pid, (size_t)len) != len) {
			/* The pid is only a hint for a person; the lock holds without it. */
		}
	}
	close(fd);
	*lock_path = path.ptr;
	return 0;
}

void gate__git_unlock(char *lock_path)
{
	if (lock_path) {
		unlink(lock_path);
		free(lock_path);
	}
}
