/* cli_output.c: writing a command's output to standard output or, atomically, to a file (-o FILE). */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The folder of `path` ("." for a bare name), in `buf`. */
static const char *folder_of(const char *path, char *buf, size_t size)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return ".";
	if (slash == path)
		return "/";
	snprintf(buf, size, "%.*s", (int)(slash - path), path);
	return buf;
}

/* --- streamed output: for output too large to hold in memory ------------------------------ */

int cli_stream_open(cli_stream *s, const char *path)
{
	mode_t mask;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	if (!path || strcmp(path, "-") == 0)
		return CLI_OK;
	s->path = path;
	/* A temporary file beside the target, flushed and renamed over it at
	 * the end: a reader sees the old file or the whole new one, never a part. */
	if (!(s->tmp = malloc(strlen(path) + 16)))
		return cli_failf("out of memory");
	sprintf(s->tmp, "%s.tmp-XXXXXX", path);
	if ((s->fd = mkstemp(s->tmp)) < 0) {
		int e = errno;

		free(s->tmp);
		s->tmp = NULL;
		return cli_failf("cannot write %s: %s", path, strerror(e));
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(s->fd, 0666 & ~mask) < 0) {
		s->err = errno;
		cli_stream_close(s, false);
		return cli_failf("cannot write %s: %s", path, strerror(s->err));
	}
	return CLI_OK;
}

int cli_stream_write(const char *data, size_t len, void *payload)
{
	cli_stream *s = payload;

	if (s->err)
		return -1;
	if (s->fd < 0 ? (len && fwrite(data, 1, len, stdout) != len) : write_all(s->fd, data, len) < 0) {
		s->err = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

int cli_stream_close(cli_stream *s, bool commit)
{
	char dirbuf[4096];
	int dfd, rc = CLI_OK;

	if (s->fd < 0) {
		if (commit && !s->err && fflush(stdout) != 0)
			s->err = errno;
		if (commit && s->err)
			rc = cli_failf("cannot write to standard output: %s", strerror(s->err));
		return rc;
	}
	if (commit && !s->err && fsync(s->fd) < 0)
		s->err = errno;
	if (close(s->fd) < 0 && commit && !s->err)
		s->err = errno;
	s->fd = -1;
	if (commit && !s->err && rename(s->tmp, s->path) < 0)
		s->err = errno;
	if (!commit || s->err) {
		unlink(s->tmp);
		if (commit)
			rc = cli_failf("cannot write %s: %s", s->path, strerror(s->err));
	} else if ((dfd = open(folder_of(s->path, dirbuf, sizeof(dirbuf)), O_RDONLY | O_DIRECTORY)) >= 0) {
		/* the rename itself survives a crash once the folder is flushed */
		(void)fsync(dfd);
		close(dfd);
	}
	free(s->tmp);
	s->tmp = NULL;
	return rc;
}

int cli_write_output(const char *path, const char *data, size_t len)
{
	cli_stream s;
	int rc;

	if ((rc = cli_stream_open(&s, path)) != CLI_OK)
		return rc;
	cli_stream_write(data, len, &s); /* a failure is kept in s.err and reported by close */
	return cli_stream_close(&s, true);
}
