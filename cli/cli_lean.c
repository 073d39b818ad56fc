/* cli_lean.c: the lean `gate` front end runs what needs no git itself and hands the rest to gate-git.
 *
 * libgit2 and the libraries it pulls in (libssh2, OpenSSL, mbed TLS,
 * Kerberos) are linked with BIND_NOW, so merely starting a program that links
 * them costs a few milliseconds, several times what `gate diff --no-index`
 * needs for a whole notice. As git keeps libcurl out of git itself in
 * git-remote-http, the `gate` a person runs is built without libgit2 and runs
 * every command that needs no repository (help, version, keygen, diff
 * --no-index, pack info and install, anything on a pack). For the others it
 * execs gate-git, the same commands built with git support, before reading
 * any input, so the hand-over is invisible: same arguments, same standard
 * streams, same exit code.
 */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef GATE_CLI_LEAN

static char **saved_argv;

void cli_lean_init(int argc, char **argv)
{
	(void)argc;
	saved_argv = argv;
}

static bool has_arg(int argc, char **argv, const char *name)
{
	size_t n = strlen(name);

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strncmp(argv[i], name, n) == 0 && (argv[i][n] == '\0' || argv[i][n] == '='))
			return true;
	}
	return false;
}

static bool env_set(const char *name)
{
	const char *v = getenv(name);

	return v && *v;
}

bool cli_lean_can_run(int argc, char **argv, int cmd_index)
{
	const char *cmd = argv[cmd_index];

	if (has_arg(argc, argv, "--pack") || env_set("GATE_PACK"))
		return true;
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "version") == 0 || strcmp(cmd, "keygen") == 0)
		return true;
	if (has_arg(argc, argv, "--help") || has_arg(argc, argv, "-h"))
		return true;
	/* diff --no-index reads gate.conf from a repository only when one is named. */
	if (strcmp(cmd, "diff") == 0 && has_arg(argc, argv, "--no-index"))
		return !has_arg(argc, argv, "-C") && !has_arg(argc, argv, "--repo") && !env_set("GATE_REPO");
	if (strcmp(cmd, "pack") == 0 && cmd_index + 1 < argc &&
	    (strcmp(argv[cmd_index + 1], "info") == 0 || strcmp(argv[cmd_index + 1], "install") == 0))
		return true;
	return false;
}

/* Execs `dir` + `name` with the saved arguments; on failure adds the path to `tried`. */
static void try_exec(const char *dir, const char *name, char *tried, size_t size)
{
	char path[PATH_MAX];
	size_t used = strlen(tried);

	if (snprintf(path, sizeof(path), "%s%s", dir, name) >= (int)sizeof(path))
		return;
	execv(path, saved_argv);
	snprintf(tried + used, size - used, "%s%s", used ? ", " : "", path);
}

void cli_exec_git(void)
{
	char self[PATH_MAX], tried[4 * PATH_MAX] = "";
	const char *env = getenv("GATE_EXEC_PATH");
	ssize_t n;

	if (!saved_argv)
		return;
	if (env_set("GATE_LEAN_EXEC")) {
		fprintf(stderr, "gate: gate-git handed the command back to the lean gate; the installation is broken, reinstall libgate\n");
		exit(CLI_FAIL);
	}
	setenv("GATE_LEAN_EXEC", "1", 1);
	fflush(NULL);

	if (env && *env) {
		char dir[PATH_MAX];

		snprintf(dir, sizeof(dir), "%s/", env);
		try_exec(dir, "gate-git", tried, sizeof(tried));
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		char *slash;

		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			slash[1] = '\0';
			try_exec(self, "gate-git", tried, sizeof(tried));                     /* a build tree */
			try_exec(self, GATE_HELPER_REL "/gate-git", tried, sizeof(tried));    /* an install, wherever its prefix */
		}
	}
	try_exec(GATE_HELPER_DIR "/", "gate-git", tried, sizeof(tried));
	fprintf(stderr, "gate: this command needs git support, but gate-git was not found (tried %s); reinstall libgate\n",
		tried);
	exit(CLI_FAIL);
}

#else

void cli_lean_init(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	/* gate-git: what the lean gate set to catch a loop is not passed on. */
	unsetenv("GATE_LEAN_EXEC");
}

bool cli_lean_can_run(int argc, char **argv, int cmd_index)
{
	(void)argc;
	(void)argv;
	(void)cmd_index;
	return true;
}

void cli_exec_git(void)
{
}

#endif
