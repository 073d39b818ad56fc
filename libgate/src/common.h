/* common.h: internal helpers every source file uses: errors, buffers, arenas, string lists. */
#ifndef GATE_COMMON_H
#define GATE_COMMON_H

#include "gate.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
# define GATE__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
# define GATE__PRINTF(f, a)
#endif

#define GATE__ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* --- errors (error.c) --------------------------------------------------- */

/* Records `code` and a formatted message as the thread's last error; returns `code`. */
int gate__error_set(int code, const char *fmt, ...) GATE__PRINTF(2, 3);
int gate__error_setv(int code, const char *fmt, va_list ap);
/* Records GATE_ENOMEM; returns it. */
int gate__error_oom(void);
/* Prefixes the current message with "context: " (keeps the code). */
void gate__error_prefix(const char *fmt, ...) GATE__PRINTF(1, 2);

/* --- allocation ----------------------------------------------------------- */

void *gate__malloc(size_t n);            /* sets ENOMEM on failure */
void *gate__calloc(size_t n, size_t sz); /* sets ENOMEM on failure, checks overflow */
void *gate__realloc(void *p, size_t n);  /* sets ENOMEM on failure; p stays valid */
char *gate__strdup(const char *s);       /* NULL in, NULL out; ENOMEM on failure */
char *gate__strndup(const char *s, size_t n);

/* Makes room for one more element in a growable array `*items` of `*count`
 * used and `*alloc` allocated elements of `size` bytes each (buf.c). */
int gate__array_reserve(void *items, size_t *alloc, size_t count, size_t size);

/* --- buffers (buf.c) -------------------------------------------------------- */

int gate__buf_grow(gate_buf *b, size_t extra);     /* room for `extra` more bytes + NUL */
int gate__buf_put(gate_buf *b, const void *data, size_t len);
int gate__buf_puts(gate_buf *b, const char *s);
int gate__buf_putc(gate_buf *b, char c);
int gate__buf_printf(gate_buf *b, const char *fmt, ...) GATE__PRINTF(2, 3);
void gate__buf_clear(gate_buf *b);                 /* size 0, keeps memory */
void gate__buf_truncate(gate_buf *b, size_t len);
/* Appends `s` as a JSON string literal, quotes included. */
int gate__buf_put_json_string(gate_buf *b, const char *s, size_t len);
/* Appends `s` with &, <, >, " and ' escaped for HTML. */
int gate__buf_put_html(gate_buf *b, const char *s, size_t len);

/* --- arena: many small allocations freed together (buf.c) -------------------- */

typedef struct gate__arena_chunk gate__arena_chunk;
typedef struct gate__arena {
	gate__arena_chunk *head;
} gate__arena;

#define GATE__ARENA_INIT { NULL }

void *gate__arena_alloc(gate__arena *a, size_t n);   /* zeroed, 16-byte aligned */
char *gate__arena_strdup(gate__arena *a, const char *s);
char *gate__arena_strndup(gate__arena *a, const char *s, size_t n);
void gate__arena_free(gate__arena *a);

/* --- growable string list (buf.c) ------------------------------------------- */

typedef struct gate__strlist {
	char **items;
	size_t count;
	size_t alloc;
} gate__strlist;

#define GATE__STRLIST_INIT { NULL, 0, 0 }

int gate__strlist_push(gate__strlist *l, const char *s);   /* copies s */
int gate__strlist_pushn(gate__strlist *l, const char *s, size_t n);
bool gate__strlist_contains(const gate__strlist *l, const char *s);
void gate__strlist_sort(gate__strlist *l);
void gate__strlist_free(gate__strlist *l);

/* --- text checks (text.c) ------------------------------------------------------ */

/* 0 if `s[0..len)` is valid UTF-8 without NUL bytes; else GATE_EINVALID naming
 * `what` and the byte offset of the first bad sequence. */
int gate__utf8_check(const char *s, size_t len, const char *what);

#endif
