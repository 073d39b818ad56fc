// header_cxx.cpp: gate.h compiles as C++ with warnings as errors and links with C linkage.
#include "gate.h"

#include <cstring>

int main()
{
	gate_options opts = GATE_OPTIONS_INIT;
	gate_buf buf = GATE_BUF_INIT;
	int rc = gate_options_init(&opts, GATE_OPTIONS_VERSION);

	gate_buf_dispose(&buf);
	if (rc != 0 || std::strcmp(gate_version(), GATE_VERSION_STRING) != 0)
		return 1;
	return gate_strerror(GATE_ENOTFOUND)[0] ? 0 : 1;
}
