/* csv.c: reading RFC 4180 CSV, one record at a time, with line numbers for error messages. */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

void gate__csv_init(gate__csv *c, const char *data, size_t len)
{
	memset(c, 0, sizeof(*c));
	c->data = data;
	c->len = len;
	c->line = 1;
	/* A UTF-8 byte order mark, as spreadsheet programs write. */
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		c->pos = 3;
}

void gate__csv_dispose(gate__csv *c)
{
	gate_buf_dispose(&c->scratch);
	free(c->offsets);
	memset(c, 0, sizeof(*c));
}

const char *gate__csv_field(const gate__csv *c, size_t i)
{
	return i < c->count ? c->scratch.ptr + c->offsets[i] : "";
}

/* The bytes an unquoted field cannot simply contain. */
static const bool special[256] = { ['\0'] = true, ['\n'] = true, ['\r'] = true, [','] = true, ['"'] = true };

/* Whether a line ends at `p` (LF or CR LF); `*skip` gets its length. */
static bool at_eol(const gate__csv *c, size_t p, size_t *skip)
{
	if (p < c->len && c->data[p] == '\n') {
		*skip = 1;
		return true;
	}
	if (p + 1 < c->len && c->data[p] == '\r' && c->data[p + 1] == '\n') {
		*skip = 2;
		return true;
	}
	return false;
}

static int start_field(gate__csv *c)
{
	if (gate__array_reserve(&c->offsets, &c->alloc, c->count, sizeof(*c->offsets)) < 0)
		return GATE_ENOMEM;
	c->offsets[c->count++] = c->scratch.size;
	return 0;
}

int gate__csv_next(gate__csv *c, unsigned *line)
{
	size_t skip;

	c->count = 0;
	gate__buf_clear(&c->scratch);
	while (at_eol(c, c->pos, &skip)) {
		c->pos += skip;
		c->line++;
	}
	if (c->pos >= c->len)
		return 0;
	*line = c->line;
	for (;;) {
		size_t run;

		if (start_field(c) < 0)
			return GATE_ENOMEM;
		if (c->pos < c->len && c->data[c->pos] == '"') {
			c->pos++;
			for (;;) {
				const char *q;

				if (c->pos >= c->len)
					return gate__error_set(GATE_EINVALID,
						"line %u: field %zu opens a quote that is never closed", *line, c->count);
				q = memchr(c->data + c->pos, '"', c->len - c->pos);
				run = q ? (size_t)(q - (c->data + c->pos)) : c->len - c->pos;
				if (memchr(c->data + c->pos, '\0', run))
					return gate__error_set(GATE_EINVALID, "line %u: a NUL byte in field %zu", *line, c->count);
				for (size_t i = 0; i < run; i++)
					if (c->data[c->pos + i] == '\n')
						c->line++;
				if (gate__buf_put(&c->scratch, c->data + c->pos, run) < 0)
					return GATE_ENOMEM;
				c->pos += run;
				if (!q)
					continue; /* reports the unclosed quote */
				if (c->pos + 1 < c->len && c->data[c->pos + 1] == '"') {
					if (gate__buf_putc(&c->scratch, '"') < 0)
						return GATE_ENOMEM;
					c->pos += 2;
					continue;
				}
				c->pos++; /* the closing quote */
				break;
			}
			if (c->pos < c->len && c->data[c->pos] != ',' && !at_eol(c, c->pos, &skip))
				return gate__error_set(GATE_EINVALID,
					"line %u: text follows the closing quote of field %zu", c->line, c->count);
		} else {
			size_t start = c->pos;

			/* Ordinary bytes are skipped a table lookup each; only the
			 * five that can end a field or be an error are looked at. */
			for (;;) {
				while (c->pos < c->len && !special[(unsigned char)c->data[c->pos]])
					c->pos++;
				if (c->pos >= c->len || c->data[c->pos] == ',' || at_eol(c, c->pos, &skip))
					break;
				if (c->data[c->pos] == '"')
					return gate__error_set(GATE_EINVALID,
						"line %u: a quote inside unquoted field %zu; quote the whole field and double the quote (\"\")",
						*line, c->count);
				if (c->data[c->pos] == '\0')
					return gate__error_set(GATE_EINVALID, "line %u: a NUL byte in field %zu", *line, c->count);
				c->pos++;   /* a CR that ends no line */
			}
			if (gate__buf_put(&c->scratch, c->data + start, c->pos - start) < 0)
				return GATE_ENOMEM;
		}
		if (gate__buf_putc(&c->scratch, '\0') < 0)
			return GATE_ENOMEM;
		if (c->pos < c->len && c->data[c->pos] == ',') {
			c->pos++;
			continue;
		}
		if (at_eol(c, c->pos, &skip)) {
			c->pos += skip;
			c->line++;
		}
		return 1;
	}
}
