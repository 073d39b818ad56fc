/* fuzz_csv.c: the RFC 4180 reader behind `gate import` and `gate users import`: every record of any
 * input, with the reader's promises checked (fields NUL-terminated inside the record, lines forward). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gate__csv c;
	unsigned line, last = 0;
	int rc;

	gate__csv_init(&c, (const char *)data, size);
	while ((rc = gate__csv_next(&c, &line)) > 0) {
		size_t total = 0;

		if (line < last || c.count == 0)
			abort();
		last = line;
		for (size_t i = 0; i < c.count; i++) {
			const char *f = gate__csv_field(&c, i);
			size_t len = strlen(f);

			/* A field never holds more bytes than the input did. */
			total += len;
			if (f < c.scratch.ptr || f + len >= c.scratch.ptr + c.scratch.size + 1)
				abort();
		}
		if (total > size)
			abort();
	}
	if (rc < 0 && gate_error_last()->code != GATE_EINVALID && gate_error_last()->code != GATE_ENOMEM)
		abort();
	gate__csv_dispose(&c);
	return 0;
}
