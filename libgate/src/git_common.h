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
