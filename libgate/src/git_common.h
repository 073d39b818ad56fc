/* git_common.h: what the git-side files (git_*.c) share: the git source and libgit2 error mapping. */
#ifndef GATE_GIT_COMMON_H
#define GATE_GIT_COMMON_H

#include "handle.h"

#include <git2.h>

typedef struct gate__git_source {
	gate_source base;
	git_repository *repo;
	char *path;     /* as the user named it, for messages */
	char branch[256];
	bool followed_branch; /* gate.conf's gate.branch was followed once */
} gate__git_source;

/* The handle's repository, or GATE_ENOTSUPPORTED when it was opened on a pack. */
int gate__git_repo(gate *g, gate__git_source **out);

/* Records libgit2's last error under `code` (a GIT_E* value) with a context
 * prefix and returns the matching GATE_E* code. */
int gate__git_error(int code, const char *fmt, ...) GATE__PRINTF(2, 3);

/* Converts between oids and the hex strings of the public API. */
void gate__oid_hex(char *out, const git_oid *oid);

/* The tree of the policy branch's tip, or NULL (and 0) when the branch has no commit. */
int gate__git_branch_tip(git_commit **commit, gate__git_source *src);

/* Reads gate.conf from a tree into `s`; a tree without one is GATE_ENOTFOUND. */
int gate__git_read_conf(gate_settings *s, git_repository *repo, const git_tree *tree);

/* Splits "refs/tags/<doc>/v<N>" into doc (GATE_DOC_MAX + 1 bytes) and N;
 * false for any other name. */
bool gate__git_parse_version_ref(const char *name, char *doc, unsigned *n);

typedef int (*gate__version_fn)(void *payload, const gate_version_info *v);

/* Reads version `n` of `doc` whose tag ref points at `ref_target`. */
int gate__git_read_version(gate__git_source *src, const char *doc, unsigned n,
	const git_oid *ref_target, gate__version_fn emit, void *payload);

/* The highest version number of `doc` (0 when none) and its tag ref target,
 * from ref names alone: no history walk. */
int gate__git_latest_version(gate__git_source *src, const char *doc, unsigned *n, git_oid *target);

/* The signature of whoever publishes: `name`/`email` when given, else
 * $GIT_AUTHOR_NAME/$GIT_AUTHOR_EMAIL, else git config user.name/user.email;
 * GATE_EINVALID saying how to set one when there is none. */
int gate__git_signature(git_signature **out, git_repository *repo,
	const char *name, const char *email, int64_t when_ms);

/* An exclusive lock on the repository for publish and sync: the file
 * <gitdir>/gate/publish.lock, waited for up to `wait_ms`. */
int gate__git_lock(git_repository *repo, const char *label, int wait_ms, char **lock_path);
void gate__git_unlock(char *lock_path);

/* Formats a version's tag message and parses one back. */
typedef struct gate__tag_fields {
	unsigned int n;
	gate_change change, detected;
	int64_t effective;
	char locales[512];      /* space-separated, the default first */
	gate_buf summary;
	gate_buf reason;        /* empty when none */
} gate__tag_fields;

int gate__tag_message_parse(gate__tag_fields *out, const char *doc, const char *message);
void gate__tag_fields_dispose(gate__tag_fields *f);

#endif
