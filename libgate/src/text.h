/* text.h: checks on outside strings (text.c). */
#ifndef GATE_TEXT_H
#define GATE_TEXT_H

#include "common.h"

#define GATE__USER_MAX 256

/* Writes the canonical form of a BCP 47 tag ("en-gb" -> "en-GB") into `out`
 * (GATE_LOCALE_MAX + 1 bytes); GATE_EINVALID when it is not well formed. */
int gate__locale_canon(char *out, const char *locale);

#endif
