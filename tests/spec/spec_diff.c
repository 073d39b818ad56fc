/* spec_diff.c: checks every case of tests/spec/diff.md against the library (gate_diff_texts()).
 *
 * Usage: spec_diff [--list] [DIFF.md [NAME-SUBSTRING]]
 * Prints one line per failing case, then "N passed, M failed". Exits 0 when
 * every case passes, 1 when one fails, 2 when the file is malformed (naming
 * the line). The format is described at the top of diff.md; spec_diff.py
 * reads the same file the same way for the command line.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gate.h"

#ifndef GATE_SPEC_FILE
# define GATE_SPEC_FILE "diff.md"
#endif

/* --- a growable string --------------------------------------------------------------------- */

typedef struct str {
	char *p;
	size_t len, cap;
} str;

static void str_put(str *s, const char *data, size_t n)
{
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 64;

		while (cap < s->len + n + 1)
			cap *= 2;
		if (!(s->p = realloc(s->p, cap))) {
			fputs("spec_diff: out of memory\n", stderr);
			exit(2);
		}
		s->cap = cap;
	}
	memcpy(s->p + s->len, data, n);
	s->len += n;
	s->p[s->len] = '\0';
}

static void str_putc(str *s, char c)
{
	str_put(s, &c, 1);
}

/* --- the cases ------------------------------------------------------------------------------ */

typedef struct spec_case {
	char *name;
	int line;
	char *verdict, *removed, *added, *scope, *reasons, *hints;
	str old_text, new_text;
	bool has_old, has_new;
} spec_case;

typedef struct spec {
	spec_case *cases;
	size_t count, alloc;
} spec;

static const char *spec_path;

static void malformed(int line, const char *fmt, const char *arg)
{
	fprintf(stderr, "%s:%d: ", spec_path, line);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(2);
}

static char *dup_str(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (!d) {
		fputs("spec_diff: out of memory\n", stderr);
		exit(2);
	}
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* Appends the UTF-8 form of code point `cp`. */
static void put_utf8(str *s, unsigned long cp, int line)
{
	char b[4];

	if (cp >= 0xD800 && cp <= 0xDFFF)
		malformed(line, "\\u{...} names a surrogate, not a character%s", "");
	if (cp < 0x80) {
		b[0] = (char)cp;
		str_put(s, b, 1);
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		str_put(s, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		str_put(s, b, 3);
	} else if (cp < 0x110000) {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		str_put(s, b, 4);
	} else {
		malformed(line, "\\u{...} is beyond U+10FFFF%s", "");
	}
}

/* One line of an `escaped` block. */
static void put_escaped(str *s, const char *p, size_t n, int line)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '\\') {
			str_putc(s, p[i]);
			continue;
		}
		if (++i >= n)
			malformed(line, "a line ends with a lone backslash%s", "");
		switch (p[i]) {
		case 'r': str_putc(s, '\r'); break;
		case 't': str_putc(s, '\t'); break;
		case 'n': str_putc(s, '\n'); break;
		case '\\': str_putc(s, '\\'); break;
		case 'u': {
			char *end;
			unsigned long cp;

			if (i + 1 >= n || p[i + 1] != '{')
				malformed(line, "\\u wants braces: \\u{00A0}%s", "");
			cp = strtoul(p + i + 2, &end, 16);
			if (end == p + i + 2 || (size_t)(end - p) >= n || *end != '}')
				malformed(line, "\\u{...} wants hexadecimal digits and a closing brace%s", "");
			put_utf8(s, cp, line);
			i = (size_t)(end - p);
			break;
		}
		default: {
			char esc[3] = { '\\', p[i], '\0' };

			malformed(line, "unknown escape '%s'; use \\r, \\t, \\n, \\\\ or \\u{XXXX}", esc);
		}
		}
	}
}

static bool has_flag(const char *info, const char *flag)
{
	size_t n = strlen(flag);

	for (const char *p = info; (p = strstr(p, flag)); p += n)
		if ((p == info || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return true;
	return false;
}

static void check_case_complete(const spec_case *c)
{
	if (!c->verdict)
		malformed(c->line, "case '%s' has no verdict: line", c->name);
	if (!c->has_old || !c->has_new)
		malformed(c->line, "case '%s' needs an old and a new block", c->name);
}

static const char *const known_keys[] = { "verdict", "removed", "added", "scope", "reasons", "hints" };

static char **key_slot(spec_case *c, const char *key)
{
	if (strcmp(key, "verdict") == 0) return &c->verdict;
	if (strcmp(key, "removed") == 0) return &c->removed;
	if (strcmp(key, "added") == 0) return &c->added;
	if (strcmp(key, "scope") == 0) return &c->scope;
	if (strcmp(key, "reasons") == 0) return &c->reasons;
	return &c->hints;
}

static void parse(spec *sp, char *text)
{
	spec_case *c = NULL;
	bool started = false;
	int lineno = 0;
	char *line = text;

	while (line && *line) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		lineno++;
		if (len && line[len - 1] == '\r')
			malformed(lineno, "diff.md itself must use LF line breaks%s", "");
		if (!started) {
			started = len == 3 && memcmp(line, "---", 3) == 0;
		} else if (len > 3 && memcmp(line, "## ", 3) == 0) {
			if (c)
				check_case_complete(c);
			if (sp->count == sp->alloc) {
				sp->alloc = sp->alloc ? sp->alloc * 2 : 64;
				if (!(sp->cases = realloc(sp->cases, sp->alloc * sizeof(*sp->cases))))
					malformed(lineno, "out of memory%s", "");
			}
			c = &sp->cases[sp->count++];
			memset(c, 0, sizeof(*c));
			c->name = dup_str(line + 3, len - 3);
			c->line = lineno;
			for (size_t i = 0; i + 1 < sp->count; i++)
				if (strcmp(sp->cases[i].name, c->name) == 0)
					malformed(lineno, "a second case named '%s'", c->name);
		} else if (!c) {
			if (len && !(len == 3 && memcmp(line, "---", 3) == 0))
				malformed(lineno, "text after --- must belong to a case (## name)%s", "");
		} else if ((len == 3 && memcmp(line, "old", 3) == 0) || (len == 3 && memcmp(line, "new", 3) == 0)) {
			bool is_old = line[0] == 'o';
			str *body = is_old ? &c->old_text : &c->new_text;
			char *info;
			bool escaped, noeol;
			size_t nlines = 0;

			if (is_old ? c->has_old : c->has_new)
				malformed(lineno, "case '%s' has two blocks of that side", c->name);
			*(is_old ? &c->has_old : &c->has_new) = true;
			/* blank lines, then the opening fence */
			do {
				line = nl ? nl + 1 : NULL;
				if (!line || !*line)
					malformed(lineno, "'old'/'new' must be followed by a fenced block%s", "");
				nl = strchr(line, '\n');
				len = nl ? (size_t)(nl - line) : strlen(line);
				lineno++;
			} while (len == 0);
			if (len < 3 || memcmp(line, "```", 3) != 0)
				malformed(lineno, "expected a fenced block (```) after 'old'/'new'%s", "");
			info = dup_str(line + 3, len - 3);
			for (char *p = info; *p; p++)
				if (*p == '`')
					malformed(lineno, "a fence's info string cannot hold a backtick%s", "");
			escaped = has_flag(info, "escaped");
			noeol = has_flag(info, "noeol");
			free(info);
			str_put(body, "", 0);
			for (;;) {
				line = nl ? nl + 1 : NULL;
				if (!line || !*line)
					malformed(lineno, "the fenced block of case '%s' is not closed", c->name);
				nl = strchr(line, '\n');
				len = nl ? (size_t)(nl - line) : strlen(line);
				lineno++;
				if (len == 3 && memcmp(line, "```", 3) == 0)
					break;
				if (nlines++)
					str_putc(body, '\n');
				if (escaped)
					put_escaped(body, line, len, lineno);
				else
					str_put(body, line, len);
			}
			if (nlines && !noeol)
				str_putc(body, '\n');
		} else if (len >= 3 && memcmp(line, "```", 3) == 0) {
			malformed(lineno, "a fenced block must follow a line 'old' or 'new'%s", "");
		} else if (len && line[0] >= 'a' && line[0] <= 'z') {
			size_t k = 0;
			char *key, **slot;
			bool known = false;

			while (k < len && ((line[k] >= 'a' && line[k] <= 'z') || line[k] == '-'))
				k++;
			if (k < len && line[k] == ':') {
				key = dup_str(line, k);
				for (size_t i = 0; i < sizeof(known_keys) / sizeof(known_keys[0]); i++)
					known |= strcmp(key, known_keys[i]) == 0;
				if (!known)
					malformed(lineno, "unknown key '%s'", key);
				slot = key_slot(c, key);
				if (*slot)
					malformed(lineno, "key '%s' given twice", key);
				free(key);
				k++;
				while (k < len && line[k] == ' ')
					k++;
				if (k == len)
					malformed(lineno, "a key without a value%s", "");
				*slot = dup_str(line + k, len - k);
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	if (c)
		check_case_complete(c);
	if (!started)
		malformed(lineno, "no line '---' ends the introduction%s", "");
	for (size_t i = 0; i < sp->count; i++) {
		c = &sp->cases[i];
		if (strcmp(c->verdict, "material") && strcmp(c->verdict, "editorial") && strcmp(c->verdict, "identical"))
			malformed(c->line, "verdict '%s' is not material, editorial or identical", c->verdict);
		if (c->scope && strcmp(c->scope, "all") && strcmp(c->scope, "material"))
			malformed(c->line, "scope '%s' is not material or all", c->scope);
	}
}

/* --- checking one case ------------------------------------------------------------------------ */

static const char *const trims[] = {
	".", ",", ";", ":", "!", "?", "\"", "'", "(", ")", "[", "]", "{", "}", "*", "_", "`",
	"\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x98", "\xE2\x80\x99", "\xC2\xAB", "\xC2\xBB", "\xE2\x80\xA6",
};

static bool is_space_at(const char *p, size_t left, size_t *n)
{
	if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\v' || *p == '\f') {
		*n = 1;
		return true;
	}
	if (left >= 2 && (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0) {
		*n = 2;
		return true;
	}
	return false;
}

/* Appends the words of s[0..len), normalised as diff.md says, each followed by a space. */
static void add_words(str *out, const char *s, size_t len)
{
	size_t i = 0, n;

	while (i < len) {
		size_t start, end;
		bool marks_only = true, trimmed = true;

		while (i < len && is_space_at(s + i, len - i, &n))
			i += n;
		start = i;
		while (i < len && !is_space_at(s + i, len - i, &n))
			i++;
		end = i;
		if (start == end)
			continue;
		for (size_t k = start; k < end; k++)
			if (!strchr("-#>*+_`~=|", s[k]))
				marks_only = false;
		if (marks_only)
			continue;
		while (trimmed && start < end) {
			trimmed = false;
			for (size_t t = 0; t < sizeof(trims) / sizeof(trims[0]); t++) {
				size_t tl = strlen(trims[t]);

				if (end - start >= tl && memcmp(s + start, trims[t], tl) == 0) {
					start += tl;
					trimmed = true;
				}
				if (end - start >= tl && memcmp(s + end - tl, trims[t], tl) == 0) {
					end -= tl;
					trimmed = true;
				}
			}
		}
		if (start < end) {
			str_put(out, s + start, end - start);
			str_putc(out, ' ');
		}
	}
}

/* Whether `words` ("a b c ", as add_words() writes them) is one of the alternatives. */
static bool words_match(const char *words, const char *alternatives)
{
	const char *p = alternatives;

	for (;;) {
		const char *bar = strstr(p, " | ");
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		str want = { 0 };
		bool same;

		if (!(n == 1 && p[0] == '-'))
			add_words(&want, p, n);
		same = strcmp(want.p ? want.p : "", words) == 0;
		free(want.p);
		if (same)
			return true;
		if (!bar)
			return false;
		p = bar + 3;
	}
}

/* Whether every name in the comma-separated `list` is one of the bits of `have`. */
static bool names_present(const char *list, unsigned have, const char *(*name)(unsigned), char *missing, size_t size)
{
	const char *p = list;

	while (*p) {
		size_t n;
		bool found = false;

		while (*p == ' ' || *p == ',')
			p++;
		n = strcspn(p, ", ");
		if (!n)
			break;
		for (unsigned bit = 1; bit; bit <<= 1)
			if ((have & bit) && strlen(name(bit)) == n && memcmp(name(bit), p, n) == 0)
				found = true;
		if (!found) {
			snprintf(missing, size, "%.*s", (int)n, p);
			return false;
		}
		p += n;
	}
	return true;
}

/* Checks one case; on failure writes why into `why` and returns false. */
static bool check(const spec_case *c, char *why, size_t size)
{
	gate_diff *d = NULL;
	str removed = { 0 }, added = { 0 };
	unsigned reasons = 0, hints = 0;
	bool all = c->scope && strcmp(c->scope, "all") == 0, ok = true;
	size_t n;
	char missing[64];

	if (gate_diff_texts(&d, NULL, c->old_text.p, c->old_text.len, c->new_text.p, c->new_text.len, NULL) < 0) {
		snprintf(why, size, "gate_diff_texts failed: %s", gate_error_last()->message);
		return false;
	}
	n = gate_diff_change_count(d);
	for (size_t i = 0; i < n; i++) {
		const gate_diff_change *ch = gate_diff_change_at(d, i);

		if (ch->kind == GATE_CHANGE_MATERIAL)
			hints |= ch->hints;
		else
			reasons |= ch->editorial;
		if (!all && ch->kind != GATE_CHANGE_MATERIAL)
			continue;
		add_words(&removed, ch->removed, ch->removed_len);
		add_words(&added, ch->added, ch->added_len);
	}
	if (strcmp(c->verdict, "material") == 0 && !gate_diff_is_material(d)) {
		snprintf(why, size, "verdict: expected material, got editorial (%zu changes)", n);
		ok = false;
	} else if (strcmp(c->verdict, "material") != 0 && gate_diff_is_material(d)) {
		snprintf(why, size, "verdict: expected %s, got material (removed '%s', added '%s')", c->verdict,
			removed.p ? removed.p : "", added.p ? added.p : "");
		ok = false;
	} else if (strcmp(c->verdict, "identical") == 0 && n) {
		snprintf(why, size, "verdict: expected identical, got %zu changes", n);
		ok = false;
	} else if (c->removed && !words_match(removed.p ? removed.p : "", c->removed)) {
		snprintf(why, size, "removed words: expected '%s', got '%s'", c->removed, removed.p ? removed.p : "");
		ok = false;
	} else if (c->added && !words_match(added.p ? added.p : "", c->added)) {
		snprintf(why, size, "added words: expected '%s', got '%s'", c->added, added.p ? added.p : "");
		ok = false;
	} else if (c->reasons && !names_present(c->reasons, reasons, gate_editorial_name, missing, sizeof(missing))) {
		snprintf(why, size, "editorial reason '%s' not reported", missing);
		ok = false;
	} else if (c->hints && !names_present(c->hints, hints, gate_hint_name, missing, sizeof(missing))) {
		snprintf(why, size, "hint '%s' not reported on a material change", missing);
		ok = false;
	}
	free(removed.p);
	free(added.p);
	gate_diff_free(d);
	return ok;
}

int main(int argc, char **argv)
{
	const char *only = NULL;
	bool list = false;
	spec sp = { 0 };
	str file = { 0 };
	char buf[65536], why[2048];
	size_t got, passed = 0, failed = 0;
	FILE *f;
	int argi = 1;

	if (argi < argc && strcmp(argv[argi], "--list") == 0) {
		list = true;
		argi++;
	}
	spec_path = argi < argc ? argv[argi++] : GATE_SPEC_FILE;
	if (argi < argc)
		only = argv[argi];
	if (!(f = fopen(spec_path, "rb"))) {
		perror(spec_path);
		return 2;
	}
	while ((got = fread(buf, 1, sizeof(buf), f)) > 0)
		str_put(&file, buf, got);
	fclose(f);
	if (!file.p)
		malformed(0, "the file is empty%s", "");
	parse(&sp, file.p);
	for (size_t i = 0; i < sp.count; i++) {
		const spec_case *c = &sp.cases[i];

		if (only && !strstr(c->name, only))
			continue;
		if (list) {
			printf("%s\n", c->name);
			continue;
		}
		if (check(c, why, sizeof(why))) {
			passed++;
		} else {
			failed++;
			printf("FAIL %s (%s:%d): %s\n", c->name, spec_path, c->line, why);
		}
	}
	if (!list)
		printf("%zu passed, %zu failed\n", passed, failed);
	for (size_t i = 0; i < sp.count; i++) {
		spec_case *c = &sp.cases[i];

		free(c->name);
		free(c->verdict);
		free(c->removed);
		free(c->added);
		free(c->scope);
		free(c->reasons);
		free(c->hints);
		free(c->old_text.p);
		free(c->new_text.p);
	}
	free(sp.cases);
	free(file.p);
	return failed ? 1 : 0;
}
