/* nogit.c: the client build's (GATE_WITH_GIT=OFF) answer to the git-side calls: GATE_ENOTSUPPORTED,
 * so that both builds export the same functions and a binding works against either. */
#include "checkpoint.h"

#include <string.h>

static int no_git(const char *what)
{
	return gate__error_set(GATE_ENOTSUPPORTED,
		"%s needs a policy repository, and this client build of libgate has no git support; open a pack instead",
		what);
}

int gate_init_options_init(gate_init_options *opts, unsigned int version)
{
	gate_init_options init = GATE_INIT_OPTIONS_INIT;

	if (!opts || version != GATE_INIT_OPTIONS_VERSION)
		return gate__error_set(GATE_EVERSION, "gate_init_options version %u is not supported", version);
	*opts = init;
	return 0;
}

int gate_publish_options_init(gate_publish_options *opts, unsigned int version)
{
	gate_publish_options init = GATE_PUBLISH_OPTIONS_INIT;

	if (!opts || version != GATE_PUBLISH_OPTIONS_VERSION)
		return gate__error_set(GATE_EVERSION, "gate_publish_options version %u is not supported", version);
	*opts = init;
	return 0;
}

int gate_repository_init(const char *path, const gate_init_options *opts)
{
	(void)path; (void)opts;
	return no_git("creating a policy repository");
}

int gate_publish(gate *g, const char *doc, const gate_publish_text *texts,
	size_t count, const gate_publish_options *opts, gate_publish_result *out)
{
	(void)g; (void)doc; (void)texts; (void)count; (void)opts; (void)out;
	return no_git("publishing");
}

int gate_repository_sync(const char *path, const char *remote, const char *branch, gate_sync_result *out)
{
	(void)path; (void)remote; (void)branch; (void)out;
	return no_git("syncing");
}

int gate_checkpoint(gate *g, gate_checkpoint_result *out)
{
	(void)g;
	if (out)
		memset(out, 0, sizeof(*out));
	return no_git("writing a checkpoint");
}

int gate__checkpoints_read(struct gate *g, gate__checkpoint **out, size_t *count)
{
	(void)g;
	*out = NULL;
	*count = 0;
	return no_git("reading checkpoints");
}
