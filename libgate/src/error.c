/* error.c: the per-thread last error, the code table and the allocation wrappers that report ENOMEM. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GATE__ERRMSG_MAX 1024

typedef struct {
	gate_error pub;
	char text[GATE__ERRMSG_MAX];
} thread_error;

static _Thread_local thread_error last_error = {
	{ GATE_OK, "no error" }, { 0 }
};

const gate_error *gate_error_last(void)
{
	return &last_error.pub;
}

void gate_error_clear(void)
{
	last_error.pub.code = GATE_OK;
	last_error.pub.message = "no error";
}

int gate__error_setv(int code, const char *fmt, va_list ap)
{
	char tmp[GATE__ERRMSG_MAX];

	/* Format into a scratch buffer first: the arguments may point into
	 * the current message (gate__error_prefix does exactly that). */
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	memcpy(last_error.text, tmp, sizeof(tmp));

	/* One line, always: a message is printed as a single line on stderr. */
	for (char *p = last_error.text; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';

	last_error.pub.code = code;
	last_error.pub.message = last_error.text;
	return code;
}

int gate__error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gate__error_setv(code, fmt, ap);
	va_end(ap);
	return code;
}

int gate__error_oom(void)
{
	last_error.pub.code = GATE_ENOMEM;
	last_error.pub.message = "out of memory";
	return GATE_ENOMEM;
}

void gate__error_prefix(const char *fmt, ...)
{
	char prefix[256];
	va_list ap;
	int code = last_error.pub.code;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	gate__error_set(code == GATE_OK ? GATE_ERROR : code, "%s: %s",
		prefix, last_error.pub.message);
}

#define GATE__ERR_STR(name, value, text) case GATE_##name: return text;
#define GATE__ERR_NAME(name, value, text) case GATE_##name: return #name;

const char *gate_strerror(int code)
{
	switch (code) {
	case GATE_OK: return "success";
	GATE_ERRNO_MAP(GATE__ERR_STR)
	default: return "unknown error code";
	}
}

const char *gate_err_name(int code)
{
	switch (code) {
	case GATE_OK: return "OK";
	GATE_ERRNO_MAP(GATE__ERR_NAME)
	default: return "UNKNOWN";
	}
}

void *gate__malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		gate__error_oom();
	return p;
}

void *gate__calloc(size_t n, size_t sz)
{
	void *p;

	if (sz && n > SIZE_MAX / sz) {
		gate__error_oom();
		return NULL;
	}
	p = calloc(n ? n : 1, sz ? sz : 1);
	if (!p)
		gate__error_oom();
	return p;
}

void *gate__realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		gate__error_oom();
	return q;
}

char *gate__strndup(const char *s, size_t n)
{
	char *d;

	if (!s)
		return NULL;
	d = gate__malloc(n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *gate__strdup(const char *s)
{
	return s ? gate__strndup(s, strlen(s)) : NULL;
}
