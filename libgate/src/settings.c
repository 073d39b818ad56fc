/* settings.c: repository settings from gate.conf: defaults, entries and the fields derived from them. */
#include "settings.h"
#include "text.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void gate__settings_init(gate_settings *s)
{
	memset(s, 0, sizeof(*s));
	strcpy(s->default_locale, GATE__DEFAULT_LOCALE);
	strcpy(s->branch, GATE__DEFAULT_BRANCH);
	s->max_text_size = GATE__DEFAULT_MAX_TEXT;
}

int gate__settings_add(gate_settings *s, const char *name, const char *value)
{
	gate__setting *e;

	if (gate__array_reserve(&s->entries, &s->alloc, s->count, sizeof(*s->entries)) < 0)
		return GATE_ENOMEM;
	e = &s->entries[s->count];
	e->name = gate__strdup(name);
	e->value = gate__strdup(value ? value : "");
	if (!e->name || !e->value) {
		free(e->name);
		free(e->value);
		return GATE_ENOMEM;
	}
	s->count++;
	return 0;
}

const char *gate__settings_get(const gate_settings *s, const char *name)
{
	for (size_t i = s->count; i > 0; i--)
		if (strcmp(s->entries[i - 1].name, name) == 0)
			return s->entries[i - 1].value;
	return NULL;
}

int gate__settings_get_all(const gate_settings *s, const char *name, gate__strlist *out)
{
	for (size_t i = 0; i < s->count; i++)
		if (strcmp(s->entries[i].name, name) == 0 &&
		    gate__strlist_push(out, s->entries[i].value) < 0)
			return GATE_ENOMEM;
	return 0;
}

int gate__parse_size(size_t *out, const char *text)
{
	char *end;
	unsigned long long v, mult = 1;

	errno = 0;
	if (!text || !*text || *text == '-')
		goto bad;
	v = strtoull(text, &end, 10);
	if (errno || end == text)
		goto bad;
	switch (*end) {
	case 'k': case 'K': mult = 1024ULL; end++; break;
	case 'm': case 'M': mult = 1024ULL * 1024; end++; break;
	case 'g': case 'G': mult = 1024ULL * 1024 * 1024; end++; break;
	default: break;
	}
	if (*end != '\0' || v > SIZE_MAX / mult)
		goto bad;
	*out = (size_t)(v * mult);
	return 0;
bad:
	return gate__error_set(GATE_EINVALID,
		"'%.64s' is not a size; use bytes or a k, M or G suffix (4M)", text ? text : "");
}

int gate__settings_finish(gate_settings *s)
{
	const char *v;
	int error;

	if ((v = gate__settings_get(s, "gate.defaultlocale")) != NULL) {
		if ((error = gate__locale_canon(s->default_locale, v)) < 0) {
			gate__error_prefix("gate.conf gate.defaultLocale");
			return error;
		}
	}
	if ((v = gate__settings_get(s, "gate.branch")) != NULL) {
		if (!*v || strlen(v) >= sizeof(s->branch) || strchr(v, ' ') || strstr(v, ".."))
			return gate__error_set(GATE_EINVALID,
				"gate.conf gate.branch '%.64s' is not a usable branch name", v);
		strcpy(s->branch, v);
	}
	if ((v = gate__settings_get(s, "gate.maxtextsize")) != NULL) {
		if ((error = gate__parse_size(&s->max_text_size, v)) < 0) {
			gate__error_prefix("gate.conf gate.maxTextSize");
			return error;
		}
		if (s->max_text_size == 0)
			return gate__error_set(GATE_EINVALID, "gate.conf gate.maxTextSize must be above 0");
	}
	return 0;
}

void gate__settings_free(gate_settings *s)
{
	for (size_t i = 0; i < s->count; i++) {
		free(s->entries[i].name);
		free(s->entries[i].value);
	}
	free(s->entries);
	s->entries = NULL;
	s->count = s->alloc = 0;
}
