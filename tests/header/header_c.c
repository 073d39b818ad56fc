/* header_c.c: gate.h compiles alone as strict C11 and its version macros agree with the library. */
#include "gate.h"

#include <stdio.h>
#include <string.h>

int main(void)
{
	gate_options opts = GATE_OPTIONS_INIT;
	gate_buf buf = GATE_BUF_INIT;

	if (strcmp(gate_version(), GATE_VERSION_STRING) != 0) {
		fprintf(stderr, "header says %s, library says %s\n", GATE_VERSION_STRING, gate_version());
		return 1;
	}
	if (gate_version_number() != GATE_VERSION_NUMBER || opts.version != GATE_OPTIONS_VERSION)
		return 1;
	gate_buf_dispose(&buf);
	return 0;
}
