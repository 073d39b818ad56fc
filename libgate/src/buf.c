/* buf.c: growable byte buffers, escaping into them, arenas and string lists. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gate_buf_dispose(gate_buf *b)
{
	if (!b)
		return;
	free(b->ptr);
	b->ptr = NULL;
	b->size = 0;
	b->reserved = 0;
}

int gate__buf_grow(gate_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > SIZE_MAX - b->size - 1)
		return gate__error_oom();
	need = b->size + extra + 1;
	if (need <= b->reserved)
		return 0;
	cap = b->reserved ? b->reserved : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = gate__realloc(b->ptr, cap);
	if (!p)
		return GATE_ENOMEM;
	b->ptr = p;
	b->reserved = cap;
	return 0;
}

int gate__buf_put(gate_buf *b, const void *data, size_t len)
{
	if (gate__buf_grow(b, len) < 0)
		return GATE_ENOMEM;
	if (len)
		memcpy(b->ptr + b->size, data, len);
	b->size += len;
	b->ptr[b->size] = '\0';
	return 0;
}

int gate__buf_puts(gate_buf *b, const char *s)
{
	return gate__buf_put(b, s, strlen(s));
}

int gate__buf_putc(gate_buf *b, char c)
{
	return gate__buf_put(b, &c, 1);
}

int gate__buf_printf(gate_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return gate__error_set(GATE_ERROR, "cannot format text");
	if (gate__buf_grow(b, (size_t)n) < 0)
		return GATE_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->size, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->size += (size_t)n;
	return 0;
}

void gate__buf_clear(gate_buf *b)
{
	gate__buf_truncate(b, 0);
}

void gate__buf_truncate(gate_buf *b, size_t len)
{
	if (len < b->size) {
		b->size = len;
		b->ptr[len] = '\0';
	}
}

int gate__buf_put_json_string(gate_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	if (gate__buf_putc(b, '"') < 0)
		return GATE_ENOMEM;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7];
		size_t elen = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (gate__buf_put(b, s + run, i - run) < 0)
			return GATE_ENOMEM;
		run = i + 1;
		esc[0] = '\\';
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			elen = 6;
		}
		if (gate__buf_put(b, esc, elen) < 0)
			return GATE_ENOMEM;
	}
	if (gate__buf_put(b, s + run, len - run) < 0)
		return GATE_ENOMEM;
	return gate__buf_putc(b, '"');
}

int gate__buf_put_html(gate_buf *b, const char *s, size_t len)
{
	size_t i, run = 0;

	for (i = 0; i < len; i++) {
		const char *rep;

		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		if (gate__buf_put(b, s + run, i - run) < 0 || gate__buf_puts(b, rep) < 0)
			return GATE_ENOMEM;
		run = i + 1;
	}
	return gate__buf_put(b, s + run, len - run);
}

/* --- arena ----------------------------------------------------------------- */

struct gate__arena_chunk {
	gate__arena_chunk *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};

#define GATE__ARENA_CHUNK 16384

void *gate__arena_alloc(gate__arena *a, size_t n)
{
	gate__arena_chunk *c = a->head;
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > GATE__ARENA_CHUNK ? n : GATE__ARENA_CHUNK;

		c = gate__malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = a->head;
		a->head = c;
	}
	p = c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *gate__arena_strndup(gate__arena *a, const char *s, size_t n)
{
	char *d;

	if (!s)
		return NULL;
	d = gate__arena_alloc(a, n + 1);
	if (d)
		memcpy(d, s, n);
	return d;
}

char *gate__arena_strdup(gate__arena *a, const char *s)
{
	return s ? gate__arena_strndup(a, s, strlen(s)) : NULL;
}

void gate__arena_free(gate__arena *a)
{
	while (a->head) {
		gate__arena_chunk *next = a->head->next;

		free(a->head);
		a->head = next;
	}
}

/* --- growable arrays ------------------------------------------------------------ */

int gate__array_reserve(void *items, size_t *alloc, size_t count, size_t size)
{
	void **p = items;
	size_t want;
	void *grown;

	if (count < *alloc)
		return 0;
	want = *alloc ? *alloc * 2 : 8;
	if (want > SIZE_MAX / size)
		return gate__error_oom();
	if (!(grown = gate__realloc(*p, want * size)))
		return GATE_ENOMEM;
	*p = grown;
	*alloc = want;
	return 0;
}

/* --- string lists ------------------------------------------------------------ */

int gate__strlist_pushn(gate__strlist *l, const char *s, size_t n)
{
	char *copy;

	if (gate__array_reserve(&l->items, &l->alloc, l->count, sizeof(*l->items)) < 0)
		return GATE_ENOMEM;
	copy = gate__strndup(s, n);
	if (!copy)
		return GATE_ENOMEM;
	l->items[l->count++] = copy;
	return 0;
}

int gate__strlist_push(gate__strlist *l, const char *s)
{
	return gate__strlist_pushn(l, s, strlen(s));
}

bool gate__strlist_contains(const gate__strlist *l, const char *s)
{
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i], s) == 0)
			return true;
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void gate__strlist_sort(gate__strlist *l)
{
	if (l->count > 1)
		qsort(l->items, l->count, sizeof(char *), cmp_str);
}

void gate__strlist_free(gate__strlist *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->count = l->alloc = 0;
}
