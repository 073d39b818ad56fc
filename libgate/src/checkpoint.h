/* checkpoint.h: chain heads written into the policy repository, so that a log rewritten wholesale is
 * caught (git_checkpoint.c; nogit.c answers in the client build). */
#ifndef GATE_CHECKPOINT_H
#define GATE_CHECKPOINT_H

#include "store.h"

#define GATE__CHECKPOINT_REF "refs/gate/checkpoints"

typedef struct gate__checkpoint {
	int64_t seq;                          /* the chain head's sequence number */
	unsigned char hash[GATE__HASH_BYTES]; /* and its hash */
	char commit_oid[GATE_OID_HEXSIZE + 1];
	int64_t at;                           /* when it was written */
} gate__checkpoint;

/* Every checkpoint on refs/gate/checkpoints, oldest first, in a malloc'd
 * array (NULL and 0 when there is none). GATE_ENOTSUPPORTED on a handle
 * opened on a pack, and in the client build. */
int gate__checkpoints_read(struct gate *g, gate__checkpoint **out, size_t *count);

#endif
