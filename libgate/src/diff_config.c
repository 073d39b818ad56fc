/* diff_config.c: the diff engine's settings: date-stamp line patterns and category keywords,
 * from the options, gate.conf or the built-in defaults. */
#include "diff_engine.h"
#include "handle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MONTH "(january|february|march|april|may|june|july|august|september|october|november|december|" \
	"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\\.?"
#define DAY "[0-9]{1,2}(st|nd|rd|th)?"
#define YEAR "[0-9]{4}"
#define WEEKDAY "((monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun)\\.?,? )"

/* "{date}": 1 March 2026, 1st of March 2026, March 1, 2026, March 2026,
 * 2026-03-01, 01/03/2026, 01.03.26, with an optional weekday first. */
static const char date_regex[] =
	"(" WEEKDAY "?(" DAY "( of)? " MONTH ",? " YEAR "|" MONTH " " DAY ",? " YEAR "|" MONTH ",? " YEAR "|"
	YEAR "-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}[./-][0-9]{1,2}[./-]([0-9]{4}|[0-9]{2})))";

/* What a date-stamp line says before its date: one expression, compiled once per diff. */
static const char default_pattern[] =
	"("
	"((this|our) (privacy |cookie |cookies )?(notice|policy|statement) (was|is|has been) )?"
	"((last|latest) )?(updated|revised|modified|reviewed|amended|changed)( on| as of)?"
	"|((this|our) (privacy |cookie |cookies )?(notice|policy|statement) (is|was|becomes|became) )?"
	"effective( date| from| as of| on)?"
	"|date of (last )?(update|revision|modification|review)"
	"|version date"
	"):? {date}";

static const char *const category_names[GATE_CATEGORY_COUNT] = {
	"sharing", "transfers", "retention", "purposes", "data", "rights", "contact",
	"security", "children", "cookies", "changes"
};

/* Word stems per category, case-folded. A stem of up to three letters must be
 * the whole word; a longer one matches any word it begins. */
static const char *const default_stems[GATE_CATEGORY_COUNT][40] = {
	/* sharing */ { "shar", "disclos", "third-part", "partner", "processor", "subprocessor",
		"sub-processor", "vendor", "sell", "sold", "sale", "recipient", "affiliat", "broker",
		"advertiser", "provider", NULL },
	/* transfers */ { "transfer", "international", "abroad", "overseas", "adequacy",
		"contractual", "eea", "countr", "cross-border", "jurisdiction", "scc", NULL },
	/* retention */ { "retain", "retention", "keep", "kept", "storage", "stored", "delet",
		"destroy", "archiv", "anonymi", "anonymis", "purg", "period", NULL },
	/* purposes */ { "purpose", "lawful", "legitimate", "basis", "consent", "profil",
		"marketing", "personalis", "personaliz", "automat", "research", NULL },
	/* data */ { "personal", "email", "e-mail", "address", "phone", "telephone", "location",
		"biometric", "health", "medical", "financial", "payment", "card", "bank", "ip",
		"device", "identifier", "birth", "gender", "ethnic", "racial", "religio", "political",
		"sexual", "genetic", "passport", "photo", "voice", "browsing", "sensitive", "special",
		"collect", "name", NULL },
	/* rights */ { "right", "access", "rectif", "erasure", "object", "restrict", "portab",
		"complain", "withdraw", "supervisory", "regulator", "ico", "request", "opt-out",
		"opt-in", "unsubscrib", NULL },
	/* contact */ { "contact", "dpo", "officer", "controller", "representative", "postal",
		"helpdesk", NULL },
	/* security */ { "secur", "encrypt", "breach", "safeguard", "protect", "password",
		"unauthori", "incident", "pseudonym", "confidential", "integrity", "hack", NULL },
	/* children */ { "child", "minor", "parent", "guardian", "kid", "kids", "teen", "underage",
		"under-age", "coppa", "pupil", "school", "age", "aged", NULL },
	/* cookies */ { "cookie", "track", "analytic", "pixel", "beacon", "sdk", "fingerprint",
		"advertis", "tag", "tags", NULL },
	/* changes */ { "chang", "updat", "amend", "revis", "modif", "notif", "version",
		"effective", NULL },
};

const char *gate__dconfig_date_regex(void)
{
	return date_regex;
}

const char *gate_category_name(unsigned int category)
{
	for (int i = 0; i < GATE_CATEGORY_COUNT; i++)
		if (category == (1u << i))
			return category_names[i];
	return "";
}

static int compile_pattern(gate__dconfig *cfg, const char *pattern, const char *what, bool builtin)
{
	gate_buf re = GATE_BUF_INIT;
	const char *p = pattern, *hit;
	regex_t *slot, probe;
	int rc, error = 0;

	if (gate__buf_puts(&re, "^(") < 0)
		return GATE_ENOMEM;
	while ((hit = strstr(p, "{date}")) != NULL) {
		if (gate__buf_put(&re, p, (size_t)(hit - p)) < 0 || gate__buf_puts(&re, date_regex) < 0) {
			error = GATE_ENOMEM;
			goto done;
		}
		p = hit + 6;
	}
	if (gate__buf_puts(&re, p) < 0) {
		error = GATE_ENOMEM;
		goto done;
	}
	/* the pattern must stand on its own before it is anchored: "Updated (" is not closed by our ")$" */
	if (!builtin && (rc = regcomp(&probe, re.ptr + 2, REG_EXTENDED | REG_ICASE | REG_NOSUB)) != 0) {
		char msg[256];

		regerror(rc, &probe, msg, sizeof(msg));
		error = gate__error_set(GATE_EINVALID,
			"%s '%.200s' is not a valid extended regular expression: %s", what, pattern, msg);
		goto done;
	}
	if (!builtin)
		regfree(&probe);
	if (gate__buf_puts(&re, ")$") < 0) {
		error = GATE_ENOMEM;
		goto done;
	}
	if (gate__array_reserve(&cfg->dates, &cfg->dates_alloc, cfg->ndates, sizeof(regex_t)) < 0) {
		error = GATE_ENOMEM;
		goto done;
	}
	if (!(cfg->date_needs_digit = gate__realloc(cfg->date_needs_digit, cfg->dates_alloc * sizeof(bool)))) {
		error = GATE_ENOMEM;
		goto done;
	}
	slot = &cfg->dates[cfg->ndates];
	if ((rc = regcomp(slot, re.ptr, REG_EXTENDED | REG_ICASE | REG_NOSUB)) != 0) {
		char msg[256];

		regerror(rc, slot, msg, sizeof(msg));
		error = gate__error_set(GATE_EINVALID,
			"%s '%.200s' is not a valid extended regular expression: %s", what, pattern, msg);
		goto done;
	}
	cfg->date_needs_digit[cfg->ndates] = strstr(pattern, "{date}") != NULL;
	if (!cfg->date_needs_digit[cfg->ndates])
		cfg->any_without_digit = true;
	cfg->ndates++;
done:
	gate_buf_dispose(&re);
	return error;
}

static int add_stem(gate__dconfig *cfg, int cat, const char *keyword, const char *what)
{
	gate_buf key = GATE_BUF_INIT;
	int error;

	for (const char *p = keyword; *p; p++)
		if (*p == ' ' || *p == '\t')
			return gate__error_set(GATE_EINVALID,
				"%s '%.200s' is more than one word; give one word (or word stem) per keyword line",
				what, keyword);
	if ((error = gate__utf8_check(keyword, strlen(keyword), what)) < 0)
		return error;
	if ((error = gate__dnorm_key(&key, keyword, strlen(keyword), GATE__TK_WORD)) < 0) {
		gate_buf_dispose(&key);
		return error;
	}
	error = key.size ? gate__strlist_pushn(&cfg->stems[cat], key.ptr, key.size) : 0;
	gate_buf_dispose(&key);
	return error;
}

static int category_index(const char *name, size_t len)
{
	for (int i = 0; i < GATE_CATEGORY_COUNT; i++)
		if (strlen(category_names[i]) == len && memcmp(category_names[i], name, len) == 0)
			return i;
	return -1;
}

/* gate.conf: [category "NAME"] keyword = STEM adds a keyword; an empty
 * `keyword =` drops the defaults and the keywords given before it. */
static int load_categories(gate__dconfig *cfg, const gate_settings *s)
{
	int error;

	for (size_t i = 0; s && i < s->count; i++) {
		const char *name = s->entries[i].name, *sub, *key;
		char what[300];
		int cat;

		if (strncmp(name, "category.", 9) != 0)
			continue;
		sub = name + 9;
		key = strrchr(sub, '.');
		if (!key || key == sub)
			return gate__error_set(GATE_EINVALID,
				"gate.conf %.100s: use [category \"NAME\"] keyword = WORD, NAME one of sharing, transfers, retention, purposes, data, rights, contact, security, children, cookies, changes",
				name);
		if ((cat = category_index(sub, (size_t)(key - sub))) < 0)
			return gate__error_set(GATE_EINVALID,
				"gate.conf [category \"%.*s\"]: unknown category; use one of sharing, transfers, retention, purposes, data, rights, contact, security, children, cookies, changes",
				(int)(key - sub > 64 ? 64 : key - sub), sub);
		if (strcmp(key + 1, "keyword") != 0)
			return gate__error_set(GATE_EINVALID,
				"gate.conf [category \"%s\"] %.64s: unknown setting; the only one is keyword",
				category_names[cat], key + 1);
		if (!*s->entries[i].value) {
			gate__strlist_free(&cfg->stems[cat]);
			continue;
		}
		snprintf(what, sizeof(what), "gate.conf [category \"%s\"] keyword", category_names[cat]);
		if ((error = add_stem(cfg, cat, s->entries[i].value, what)) < 0)
			return error;
	}
	return 0;
}

/* Groups the stems by first byte, so that a word is held against only the few that can match. */
static int index_stems(gate__dconfig *cfg)
{
	size_t total = 0, at[256] = { 0 };

	for (int c = 0; c < GATE_CATEGORY_COUNT; c++)
		for (size_t i = 0; i < cfg->stems[c].count; i++) {
			total++;
			cfg->stem_at[(unsigned char)cfg->stems[c].items[i][0] + 1]++;
		}
	if (!(cfg->stem_tab = gate__calloc(total ? total : 1, sizeof(*cfg->stem_tab))))
		return GATE_ENOMEM;
	for (int b = 0; b < 256; b++) {
		cfg->stem_at[b + 1] += cfg->stem_at[b];
		at[b] = cfg->stem_at[b];
	}
	for (int c = 0; c < GATE_CATEGORY_COUNT; c++)
		for (size_t i = 0; i < cfg->stems[c].count; i++) {
			const char *stem = cfg->stems[c].items[i];
			gate__dstem *st = &cfg->stem_tab[at[(unsigned char)stem[0]]++];

			st->s = stem;
			st->len = (uint32_t)strlen(stem);
			st->category = (uint32_t)c;
		}
	return 0;
}

int gate__dconfig_load(gate__dconfig *cfg, gate *g, const gate_diff_options *opts)
{
	const gate_settings *s = g ? &g->settings : NULL;
	gate__strlist pats = GATE__STRLIST_INIT;
	const char *what = "date pattern";
	int error = 0;

	memset(cfg, 0, sizeof(*cfg));
	for (int c = 0; c < GATE_CATEGORY_COUNT; c++)
		for (size_t k = 0; default_stems[c][k]; k++)
			if ((error = gate__strlist_push(&cfg->stems[c], default_stems[c][k])) < 0)
				goto done;
	if ((error = load_categories(cfg, s)) < 0 || (error = index_stems(cfg)) < 0)
		goto done;

	if (opts && opts->date_patterns) {
		for (size_t i = 0; i < opts->date_pattern_count; i++)
			if (opts->date_patterns[i] && (error = gate__strlist_push(&pats, opts->date_patterns[i])) < 0)
				goto done;
	} else {
		/* the defaults, then gate.conf's; an empty value drops what came before */
		if ((error = gate__strlist_push(&pats, default_pattern)) < 0)
			goto done;
		for (size_t i = 0; s && i < s->count; i++) {
			if (strcmp(s->entries[i].name, "diff.datepattern") != 0)
				continue;
			if (!*s->entries[i].value) {
				gate__strlist_free(&pats);
				continue;
			}
			if ((error = gate__strlist_push(&pats, s->entries[i].value)) < 0)
				goto done;
		}
		what = "gate.conf diff.datePattern";
	}
	for (size_t i = 0; i < pats.count; i++) {
		/* the built-in pattern is valid: compiling it (about a million
		 * instructions) waits for a line that might be a date line */
		if (strcmp(pats.items[i], default_pattern) == 0)
			cfg->pending = true;
		else if ((error = compile_pattern(cfg, pats.items[i], what, false)) < 0)
			goto done;
	}
	cfg->only_builtin = cfg->pending && cfg->ndates == 0;
done:
	gate__strlist_free(&pats);
	if (error < 0)
		gate__dconfig_free(cfg);
	return error;
}

int gate__dconfig_compile(gate__dconfig *cfg)
{
	int error;

	if (!cfg->pending)
		return 0;
	if ((error = compile_pattern(cfg, default_pattern, "built-in date pattern", true)) < 0)
		return error;
	cfg->pending = false;
	return 0;
}

static bool word_is(const char *w, size_t n, const char *const *list)
{
	for (size_t i = 0; list[i]; i++) {
		size_t k = strlen(list[i]);

		if (k != n)
			continue;
		for (size_t j = 0; j < n; j++) {
			char c = w[j];

			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c != list[i][j])
				goto next;
		}
		return true;
next:
		;
	}
	return false;
}

static bool ascii_word(const char *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)w[i] >= 0x80)
			return false;
	return true;
}

/*
 * default_pattern, anchored at the start of the line, begins with one of
 * these words, and with some of them the next word is one of a few: a
 * necessary condition, so that most lines are ruled out without a regular
 * expression. Words with a byte >= 0x80 are let through (a locale's case
 * folding might map them onto these).
 */
bool gate__dconfig_builtin_candidate(const char *w1, size_t n1, const char *w2, size_t n2)
{
	static const char *const first[] = {
		"this", "our", "last", "latest", "updated", "revised", "modified", "reviewed", "amended",
		"changed", "effective", "date", "version", NULL
	};
	static const char *const owner[] = { "this", "our", NULL };
	static const char *const after_owner[] = {
		"privacy", "cookie", "cookies", "notice", "policy", "statement", NULL
	};
	static const char *const last[] = { "last", "latest", NULL };
	static const char *const after_last[] = {
		"updated", "revised", "modified", "reviewed", "amended", "changed", NULL
	};
	static const char *const date[] = { "date", NULL };
	static const char *const of[] = { "of", NULL };
	static const char *const version[] = { "version", NULL };

	if (!w1 || !ascii_word(w1, n1))
		return w1 != NULL;
	if (!word_is(w1, n1, first))
		return false;
	if (w2 && !ascii_word(w2, n2))
		return true;
	if (word_is(w1, n1, owner))
		return w2 && word_is(w2, n2, after_owner);
	if (word_is(w1, n1, last))
		return w2 && word_is(w2, n2, after_last);
	if (word_is(w1, n1, date))
		return w2 && word_is(w2, n2, of);
	if (word_is(w1, n1, version))
		return w2 && word_is(w2, n2, date);
	return true;
}

void gate__dconfig_free(gate__dconfig *cfg)
{
	for (size_t i = 0; i < cfg->ndates; i++)
		regfree(&cfg->dates[i]);
	free(cfg->dates);
	free(cfg->date_needs_digit);
	for (int c = 0; c < GATE_CATEGORY_COUNT; c++)
		gate__strlist_free(&cfg->stems[c]);
	free(cfg->stem_tab);
	memset(cfg, 0, sizeof(*cfg));
}
