/* csv.h: an RFC 4180 CSV reader for imports (csv.c): quoted fields, doubled quotes, CRLF or LF. */
#ifndef GATE_CSV_H
#define GATE_CSV_H

#include "common.h"

typedef struct gate__csv {
	const char *data;
	size_t len, pos;
	unsigned line;        /* the line the next record starts on */
	gate_buf scratch;     /* the current record's fields, each NUL-terminated */
	size_t *offsets;      /* where each field starts in `scratch` */
	size_t count, alloc;  /* fields in the current record */
} gate__csv;

void gate__csv_init(gate__csv *c, const char *data, size_t len);
void gate__csv_dispose(gate__csv *c);

/* Reads the next record, skipping blank lines: 1 with `*line` set to the
 * line it starts on; 0 at the end; GATE_EINVALID naming the line for a
 * malformed record (an unclosed quote, text after a closing quote, a stray
 * quote, a NUL byte). */
int gate__csv_next(gate__csv *c, unsigned *line);

/* Field `i` of the current record (NUL-terminated); valid until the next call. */
const char *gate__csv_field(const gate__csv *c, size_t i);

#endif
