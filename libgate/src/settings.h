/* settings.h: repository settings (gate.conf) as name/value entries, and the fields derived from them. */
#ifndef GATE_SETTINGS_H
#define GATE_SETTINGS_H

#include "common.h"

#define GATE__DEFAULT_LOCALE "en-GB"
#define GATE__DEFAULT_BRANCH "main"
#define GATE__DEFAULT_MAX_TEXT ((size_t)4 * 1024 * 1024)

typedef struct gate__setting {
	char *name;   /* lower-case section and key as git reads them: "diff.datepattern" */
	char *value;
} gate__setting;

typedef struct gate_settings {
	char default_locale[GATE_LOCALE_MAX + 1];
	char branch[256];
	size_t max_text_size;

	/* Every entry of gate.conf in file order; later modules read their own. */
	gate__setting *entries;
	size_t count, alloc;
} gate_settings;

/* Defaults, no entries. */
void gate__settings_init(gate_settings *s);
int gate__settings_add(gate_settings *s, const char *name, const char *value);
/* Derives and checks the known fields from the entries. */
int gate__settings_finish(gate_settings *s);
/* The last value of `name`, or NULL. */
const char *gate__settings_get(const gate_settings *s, const char *name);
/* Appends every value of `name`, in order, to `out`. */
int gate__settings_get_all(const gate_settings *s, const char *name, gate__strlist *out);
void gate__settings_free(gate_settings *s);

/* Parses a size such as "4194304", "512k", "4M" or "1g". */
int gate__parse_size(size_t *out, const char *text);

#endif
