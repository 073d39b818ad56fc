/* support_tmp.h: scratch folders and small file helpers for unit tests. */
#ifndef GATE_SUPPORT_TMP_H
#define GATE_SUPPORT_TMP_H

#include <stddef.h>

/* A new empty folder under $TMPDIR (or /tmp); abort()s on failure. Free with tmpdir_remove(). */
char *tmpdir_make(void);
/* Removes the folder and everything in it, and frees the string. */
void tmpdir_remove(char *dir);
/* "dir/name" in a static ring of buffers (good for a few nested calls). */
const char *tmp_path(const char *dir, const char *name);
/* Writes a file; abort()s on failure. */
void tmp_write(const char *path, const void *data, size_t len);
/* Runs a shell command built like printf; returns its exit status. */
int tmp_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Whether `git` can be run. */
int tmp_have_git(void);

#endif
