/* diff_classify.c: the diff classifier: date-stamp lines, section headings, and each change's
 * verdict (editorial or material), reasons, hints and categories, with the whole-text safety check. */
#include "diff_engine.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Lines longer than this are never date-stamp lines or headings. */
#define DATE_LINE_MAX 300
#define HEADING_MAX 80
#define HEADING_WORDS 8

static bool tok_is(const gate__dtext *t, size_t i, const char *s)
{
	size_t n = strlen(s);

	return t->tok[i].len == n && memcmp(t->s + t->tok[i].off, s, n) == 0;
}

/* The line's words and punctuation, markup left out (but for table pipes
 * when `pipes`) and spaces collapsed. */
static int plain_line(gate_buf *out, const gate__dtext *t, size_t line, bool pipes)
{
	bool space = false;

	gate__buf_clear(out);
	for (size_t i = t->lfirst[line]; i < t->lend[line]; i++) {
		const gate__dtok *k = &t->tok[i];

		if (k->kind == GATE__TK_MARKUP && !(pipes && k->len == 1 && t->s[k->off] == '|'))
			continue;
		if (k->kind == GATE__TK_SPACE) {
			space = out->size > 0;
			continue;
		}
		if ((space && gate__buf_putc(out, ' ') < 0) || gate__buf_put(out, t->s + k->off, k->len) < 0)
			return GATE_ENOMEM;
		space = false;
	}
	if (!out->ptr && gate__buf_put(out, "", 0) < 0)
		return GATE_ENOMEM;
	return 0;
}

/* 1 when `s` (room for a NUL at s[len]) matches a date pattern whole, 0 when not, < 0 on error. */
static int matches_date(const gate__dconfig *cfg, char *s, size_t len)
{
	char saved;
	bool hit = false, digit = false;
	int error;

	/* "(Last updated: 1 March 2026.)": brackets and closing marks around it are not content */
	while (len && strchr(".;,!)] ", s[len - 1]))
		len--;
	while (len && (s[0] == '(' || s[0] == '[' || s[0] == ' ')) {
		s++;
		len--;
	}
	if (!len)
		return 0;
	/* the configuration is the caller's, never a const object: compiling on first use is safe */
	if (cfg->pending && (error = gate__dconfig_compile((gate__dconfig *)cfg)) < 0)
		return error;
	for (size_t i = 0; i < len && !digit; i++)
		digit = s[i] >= '0' && s[i] <= '9';
	saved = s[len];
	s[len] = '\0';
	for (size_t i = 0; i < cfg->ndates && !hit; i++)
		hit = (digit || !cfg->date_needs_digit[i]) && regexec(&cfg->dates[i], s, 0, NULL, 0) == 0;
	s[len] = saved;
	return hit;
}

static bool memchr_digit(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] >= '0' && s[i] <= '9')
			return true;
	return false;
}

/* A date-stamp line: it matches a pattern whole, or it is made of parts that
 * each do ("Effective: 1 May 2026 | Last updated: 1 April 2026"). */
static int is_date_line(const gate__dconfig *cfg, char *s, size_t len)
{
	size_t start = 0, parts = 0;
	int r;

	if ((r = matches_date(cfg, s, len)) != 0)
		return r;
	for (size_t i = 0; i <= len; i++) {
		bool cut = i == len || s[i] == '|' || s[i] == ';' ||
			(s[i] == '.' && i + 1 < len && s[i + 1] == ' ');

		if (!cut)
			continue;
		while (start < i && s[start] == ' ')
			start++;
		if (start < i) {
			if ((r = matches_date(cfg, s + start, i - start)) <= 0)
				return r;
			parts++;
		}
		start = i + 1;
	}
	return parts > 1;
}

/* Tokens a date line's text may start with before its first word: markup,
 * spaces, and the marks matches_date() and is_date_line() step over. */
static bool before_first_word(const gate__dtext *t, const gate__dtok *k)
{
	if (k->kind == GATE__TK_SPACE || k->kind == GATE__TK_MARKUP)
		return true;
	if (k->kind != GATE__TK_PUNCT)
		return false;
	for (size_t i = 0; i < k->len; i++)
		if (!strchr("([;.|", t->s[k->off + i]))
			return false;
	return true;
}

/* False when the built-in pattern cannot match the line (its first two words rule it out). */
static bool builtin_candidate(const gate__dtext *t, size_t line)
{
	size_t i = t->lfirst[line], end = t->lend[line], w1;

	while (i < end && before_first_word(t, &t->tok[i]))
		i++;
	if (i == end)
		return false;
	w1 = i++;
	while (i < end && (t->tok[i].kind == GATE__TK_SPACE || t->tok[i].kind == GATE__TK_MARKUP))
		i++;
	return gate__dconfig_builtin_candidate(t->s + t->tok[w1].off, t->tok[w1].len,
		i < end ? t->s + t->tok[i].off : NULL, i < end ? t->tok[i].len : 0);
}

int gate__dclassify_dates(gate__dtext *t, const gate__dconfig *cfg, size_t l0, size_t l1)
{
	gate_buf plain = GATE_BUF_INIT;
	int error = 0, r;

	if (!cfg->ndates && !cfg->pending)
		return 0;
	for (size_t line = l0; line < l1; line++) {
		uint8_t *flags = &t->line_flags[line];
		size_t start, end, i0 = t->lfirst[line], i1 = t->lend[line];
		bool pipes = false;

		if (i0 == i1 || (*flags & (GATE__LF_BLANK | GATE__LF_RULE | GATE__LF_UNDERLINE)))
			continue;
		start = t->tok[i0].off;
		end = t->tok[i1 - 1].off + t->tok[i1 - 1].len;
		if (end - start > DATE_LINE_MAX ||
		    !(cfg->any_without_digit || memchr_digit(t->s + start, end - start)) ||
		    (cfg->only_builtin && !builtin_candidate(t, line)))
			continue;
		if ((error = plain_line(&plain, t, line, false)) < 0)
			goto done;
		if ((r = matches_date(cfg, plain.ptr, plain.size)) == 0) {
			/* "Effective: 1 May 2026 | Last updated: 1 April 2026" */
			for (size_t i = i0; i < i1; i++)
				pipes |= t->tok[i].kind == GATE__TK_MARKUP && tok_is(t, i, "|");
			if (pipes && (error = plain_line(&plain, t, line, true)) < 0)
				goto done;
			r = is_date_line(cfg, plain.ptr, plain.size);
		}
		if (r < 0) {
			error = r;
			goto done;
		}
		if (r) {
			*flags |= GATE__LF_DATE;
			for (size_t i = i0; i < i1; i++)
				t->tok[i].flags |= GATE__TF_DATE;
		}
	}
done:
	gate_buf_dispose(&plain);
	return error;
}

static bool starts_upper(const gate__dtext *t, size_t i)
{
	const gate__dtok *k = &t->tok[i];
	utf8proc_int32_t cp;

	if (k->kind != GATE__TK_WORD)
		return false;
	if (utf8proc_iterate((const utf8proc_uint8_t *)t->s + k->off, k->len, &cp) <= 0)
		return false;
	return utf8proc_category(cp) == UTF8PROC_CATEGORY_LU || utf8proc_category(cp) == UTF8PROC_CATEGORY_LT;
}

/* First and last non-space tokens of a (tokenised) line; false for a blank line. */
static bool line_ends(const gate__dtext *t, size_t line, size_t *first, size_t *last)
{
	size_t i0 = t->lfirst[line], i1 = t->lend[line];

	while (i0 < i1 && t->tok[i0].kind == GATE__TK_SPACE)
		i0++;
	while (i1 > i0 && t->tok[i1 - 1].kind == GATE__TK_SPACE)
		i1--;
	if (i0 == i1)
		return false;
	*first = i0;
	*last = i1 - 1;
	return true;
}

/* "**Title**" alone on its line. */
static bool bold_line(const gate__dtext *t, size_t line)
{
	size_t f, l, words = 0;

	if (!line_ends(t, line, &f, &l) || l - f < 2)
		return false;
	if (!((tok_is(t, f, "**") && tok_is(t, l, "**")) || (tok_is(t, f, "__") && tok_is(t, l, "__"))))
		return false;
	for (size_t i = f + 1; i < l; i++) {
		if (t->tok[i].kind == GATE__TK_MARKUP && t->tok[i].len >= 2)
			return false; /* "**a** and **b**" */
		if (GATE__TK_MEANINGFUL(t->tok[i].kind))
			words++;
	}
	return words > 0;
}

/* A token ending in "…" (U+2026). */
static bool ends_in_ellipsis(const gate__dtext *t, size_t i)
{
	const gate__dtok *k = &t->tok[i];

	return k->len >= 3 && memcmp(t->s + k->off + k->len - 3, "\xE2\x80\xA6", 3) == 0;
}

/* --- headings, found on demand ------------------------------------------------------------ */

enum { H_UNKNOWN = 0, H_NO = 1, H_YES = 2 };

/*
 * Whether line x might be a heading, from its bytes and flags alone: false
 * only when title_line(), bold_line() and the Markdown forms all must say
 * no, so that most lines are ruled out without tokens.
 */
static bool maybe_heading(const gate__dtext *t, size_t x)
{
	const char *s = t->s;
	uint8_t flags = t->line_flags[x] & GATE__LF_MARKUP;
	size_t ls = t->lines[x], le = gate__dtext_line_end(t, x), cs = ls, ce;
	unsigned char c;

	if (flags & (GATE__LF_BLANK | GATE__LF_RULE | GATE__LF_UNDERLINE))
		return false;
	if (le - ls > DATE_LINE_MAX)
		return false;
	if (flags & GATE__LF_ATX)
		return true;
	if (flags)
		return false; /* a list item or a quote: no heading form takes them */
	if (x + 1 < t->nlines && (t->line_flags[x + 1] & GATE__LF_UNDERLINE))
		return true;
	ce = le;
	while (cs < ce && (s[cs] == ' ' || s[cs] == '\t' || s[cs] == '\r' || s[cs] == '\v' || s[cs] == '\f'))
		cs++;
	while (ce > cs && (s[ce - 1] == ' ' || s[ce - 1] == '\t' || s[ce - 1] == '\r' ||
	       s[ce - 1] == '\v' || s[ce - 1] == '\f' || s[ce - 1] == '\n'))
		ce--;
	c = (unsigned char)s[cs];
	if (c >= 0x80 || c == '*' || c == '_')
		return true;
	if (c < 'A' || c > 'Z')
		return false; /* a title starts with a capital letter */
	for (size_t i = cs; i < ce; i++) {
		unsigned char b = (unsigned char)s[i];

		if (b >= 0x80)
			return true;
		/* ". ", "; ", "! ", "? " (or at the end) are punctuation tokens: a sentence */
		if ((b == '.' || b == ';' || b == '!' || b == '?') &&
		    (i + 1 == ce || s[i + 1] == ' ' || s[i + 1] == '\t'))
			return false;
	}
	return ce - cs <= HEADING_MAX;
}

/* H_YES or H_NO for line x of `side`, or 3 when it hangs on the unknown heading status of line x - 1. */
static int heading_try(gate__dengine *e, int side, size_t x)
{
	gate__dtext *t = &e->t[side];
	uint8_t flags;
	size_t f, l, words = 0;
	int error;

	if (!maybe_heading(t, x))
		return H_NO;
	if ((error = gate__dengine_line(e, side, x)) < 0)
		return error;
	flags = t->line_flags[x] & (GATE__LF_MARKUP | GATE__LF_DATE);
	if (t->lfirst[x] == t->lend[x] || (flags & GATE__LF_DATE))
		return H_NO;
	if ((flags & GATE__LF_ATX) ||
	    (x + 1 < t->nlines && flags == 0 && (t->line_flags[x + 1] & GATE__LF_UNDERLINE)) ||
	    (flags == 0 && bold_line(t, x)))
		return H_YES;

	/* plain text: a short title-like line standing alone */
	if (flags || !line_ends(t, x, &f, &l))
		return H_NO;
	if (t->tok[l].off + t->tok[l].len - t->tok[f].off > HEADING_MAX || !starts_upper(t, f))
		return H_NO;
	/* a title does not end like a sentence, nor trail off ("...", "…") */
	if (t->tok[l].kind == GATE__TK_PUNCT &&
	    (strchr(".,;:!?", t->s[t->tok[l].off]) || ends_in_ellipsis(t, l)))
		return H_NO;
	for (size_t i = f; i <= l; i++) {
		if (t->tok[i].kind == GATE__TK_WORD || t->tok[i].kind == GATE__TK_NUMBER)
			words++;
		else if (t->tok[i].kind == GATE__TK_PUNCT && strchr(".;!?", t->s[t->tok[i].off]))
			return H_NO; /* a sentence, not a title */
	}
	if (words == 0 || words > HEADING_WORDS)
		return H_NO;
	/* alone: after a blank line or the end of a sentence, before a blank line or a new start */
	if (x > 0) {
		size_t pf, pl;

		if ((error = gate__dengine_line(e, side, x - 1)) < 0)
			return error;
		if (line_ends(t, x - 1, &pf, &pl)) {
			if (t->tok[pl].kind == GATE__TK_PUNCT) {
				char c = t->s[t->tok[pl].off];

				if (c != '.' && c != '!' && c != '?' && c != ':')
					return H_NO;
			} else if (t->heading_state[x - 1] == H_UNKNOWN)
				return 3;
			else if (t->heading_state[x - 1] != H_YES)
				return H_NO;
		}
	}
	if (x + 1 < t->nlines) {
		size_t nf, nl;

		if ((error = gate__dengine_line(e, side, x + 1)) < 0)
			return error;
		if (line_ends(t, x + 1, &nf, &nl) && !(t->line_flags[x + 1] & (GATE__LF_LIST | GATE__LF_QUOTE)) &&
		    !starts_upper(t, nf) && t->tok[nf].kind != GATE__TK_MARKUP)
			return H_NO;
	}
	return H_YES;
}

/* Whether line `line` of `side` is a heading (memoised; a title line's
 * status may hang on the line before it, so a chain is walked back first). */
static int is_heading(gate__dengine *e, int side, size_t line, bool *out)
{
	gate__dtext *t = &e->t[side];
	size_t x = line;

	/* walk back while a line waits on the one before it, then forward again */
	while (t->heading_state[line] == H_UNKNOWN) {
		int r = heading_try(e, side, x);

		if (r < 0)
			return r;
		if (r == 3) {
			x--;
			continue;
		}
		t->heading_state[x] = (uint8_t)r;
		if (r == H_YES)
			t->line_flags[x] |= GATE__LF_HEADING;
		x++;
	}
	*out = t->heading_state[line] == H_YES;
	return 0;
}

/* The heading line at or before `line` of `side`, -1 for none (memoised). */
static int section_of(gate__dengine *e, int side, size_t line, int32_t *out)
{
	gate__dtext *t = &e->t[side];
	size_t x = line;
	int32_t found = -1;
	bool yes;
	int error;

	if (!t->heading_state) {
		if (!(t->heading_state = gate__calloc(t->nlines, 1)) ||
		    !(t->section = gate__malloc(t->nlines * sizeof(*t->section))) ||
		    !(t->heading = gate__calloc(t->nlines, sizeof(*t->heading)))) {
			free(t->heading_state);
			t->heading_state = NULL;
			return GATE_ENOMEM;
		}
		for (size_t i = 0; i < t->nlines; i++)
			t->section[i] = -2;
	}
	for (;;) {
		if (t->section[x] != -2) {
			found = t->section[x];
			break;
		}
		if ((error = is_heading(e, side, x, &yes)) < 0)
			return error;
		if (yes) {
			found = (int32_t)x;
			break;
		}
		if (x == 0)
			break;
		x--;
	}
	for (size_t y = x; y <= line; y++)
		t->section[y] = found;
	*out = found;
	return 0;
}

/* --- changes ------------------------------------------------------------------------------- */

static bool is_negation(const char *w, size_t n)
{
	static const char *const words[] = {
		"not", "no", "never", "none", "nor", "neither", "nobody", "nothing", "nowhere",
		"cannot", "without", NULL
	};

	for (size_t i = 0; words[i]; i++)
		if (strlen(words[i]) == n && memcmp(words[i], w, n) == 0)
			return true;
	return n > 3 && memcmp(w + n - 3, "n't", 3) == 0;
}

static const char *norm_key(const gate__dengine *e, uint32_t sem, size_t *len)
{
	const gate__intern *in = &e->norm.norm;

	*len = in->klen[sem - in->base];
	return in->key[sem - in->base];
}

/* Sorted copy of the meaningful ids of a token range. */
static int sem_ids(const gate__dtext *t, size_t i0, size_t i1, uint32_t **out, size_t *n)
{
	size_t k = 0;

	*out = NULL;
	*n = 0;
	for (size_t i = i0; i < i1; i++)
		if (t->tok[i].sem)
			k++;
	if (!k)
		return 0;
	if (!(*out = gate__malloc(k * sizeof(**out))))
		return GATE_ENOMEM;
	for (size_t i = i0; i < i1; i++)
		if (t->tok[i].sem)
			(*out)[(*n)++] = t->tok[i].sem;
	return 0;
}

static bool same_sem(const gate__dtext *ta, size_t a0, size_t a1, const gate__dtext *tb, size_t b0, size_t b1)
{
	for (;;) {
		while (a0 < a1 && !ta->tok[a0].sem)
			a0++;
		while (b0 < b1 && !tb->tok[b0].sem)
			b0++;
		if (a0 == a1 || b0 == b1)
			return a0 == a1 && b0 == b1;
		if (ta->tok[a0].sem != tb->tok[b0].sem)
			return false;
		a0++;
		b0++;
	}
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return a < b ? -1 : a > b;
}

/* Optimal string alignment distance between two short code point strings, capped. */
static size_t edit_distance(const int32_t *a, size_t n, const int32_t *b, size_t m)
{
	size_t d[33][33];

	for (size_t i = 0; i <= n; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= n; i++)
		for (size_t j = 1; j <= m; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[n][m];
}

/* Letters only, as code points; 0 when not a plain word of 1 to 32 letters. */
static size_t letters(const char *s, size_t len, int32_t *out)
{
	size_t n = 0, i = 0;

	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t r = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
		utf8proc_category_t c;

		if (r <= 0 || n == 32)
			return 0;
		c = utf8proc_category(cp);
		if (c != UTF8PROC_CATEGORY_LL && c != UTF8PROC_CATEGORY_LU && c != UTF8PROC_CATEGORY_LO &&
		    c != UTF8PROC_CATEGORY_LT && c != UTF8PROC_CATEGORY_LM)
			return 0;
		out[n++] = cp;
		i += (size_t)r;
	}
	return n;
}

#define CAT_KNOWN 0x8000u

struct gate__dclassify {
	gate__dengine *e;
	uint16_t *cat_of;      /* per normalised id: category bits | CAT_KNOWN once computed */
	size_t cat_alloc;
	gate__aligner al;      /* for the regions' meaningful tokens */
	uint32_t *new_count;   /* per normalised id below nids: occurrences in the new text's regions */
	uint8_t *in_equal;     /* per normalised id below nids: 1 when the equal lines hold it */
	size_t nids;
};

int gate__dclassify_open(gate__dclassify **out, gate__dengine *e)
{
	if (!(*out = gate__calloc(1, sizeof(**out))))
		return GATE_ENOMEM;
	(*out)->e = e;
	(*out)->al.max_cost = e->max_cost;
	return 0;
}

void gate__dclassify_free(gate__dclassify *cx)
{
	if (!cx)
		return;
	free(cx->cat_of);
	gate__aligner_free(&cx->al);
	free(cx->new_count);
	free(cx->in_equal);
	free(cx);
}

/* Whether normalised id `sem` occurs anywhere in the new text: in its
 * regions, or in the equal lines (tokenised, once, only when a possible
 * typo asks). After every region. */
static int used_in_new(gate__dclassify *cx, uint32_t sem, bool *out)
{
	gate__dengine *e = cx->e;
	int error;

	if (!cx->new_count) {
		cx->nids = e->norm.norm.count + 1;
		if (!(cx->new_count = gate__calloc(cx->nids, sizeof(*cx->new_count))))
			return GATE_ENOMEM;
		for (size_t i = 0; i < e->nrsem[1]; i++)
			cx->new_count[e->rsems[1][i]]++;
	}
	if (sem < cx->nids && cx->new_count[sem] > 0) {
		*out = true;
		return 0;
	}
	if (!cx->in_equal) {
		if (!(cx->in_equal = gate__calloc(cx->nids, 1)))
			return GATE_ENOMEM;
		for (size_t k = 0; k <= e->nregions; k++) {
			size_t s0, s1;

			if ((error = gate__dengine_equal_sems(e, k, &s0, &s1)) < 0)
				return error;
			for (size_t i = s0; i < s1; i++)
				if (e->esems[i] < cx->nids)
					cx->in_equal[e->esems[i]] = 1;
		}
	}
	*out = sem < cx->nids && cx->in_equal[sem] != 0;
	return 0;
}

/* The replaced word when a change replaces one word by one close to it
 * (whether it is still used elsewhere is asked after every region), else 0. */
static uint32_t typo_candidate(gate__dclassify *cx, const gate__hunk *h)
{
	gate__dengine *e = cx->e;
	const gate__dtext *ta = &e->t[0], *tb = &e->t[1];
	size_t ra = SIZE_MAX, rb = SIZE_MAX, na = 0, nb = 0, la, lb, ka, kb;
	int32_t ca[32], cb[32];
	const char *sa, *sb;

	for (size_t i = h->a0; i < h->a1; i++)
		if (ta->tok[i].sem) {
			na++;
			ra = i;
		}
	for (size_t i = h->b0; i < h->b1; i++)
		if (tb->tok[i].sem) {
			nb++;
			rb = i;
		}
	/* one word for one word */
	if (na != 1 || nb != 1 || ta->tok[ra].kind != GATE__TK_WORD || tb->tok[rb].kind != GATE__TK_WORD)
		return 0;
	sa = norm_key(e, ta->tok[ra].sem, &ka);
	sb = norm_key(e, tb->tok[rb].sem, &kb);
	la = letters(sa, ka, ca);
	lb = letters(sb, kb, cb);
	if (la < 5 || lb < 5 || edit_distance(ca, la, cb, lb) > (la >= 8 && lb >= 8 ? 2u : 1u))
		return 0;
	return ta->tok[ra].sem;
}

/* Category bits of one token, cached per normalised id. */
static unsigned word_categories(gate__dclassify *cx, const gate__dtok *k)
{
	const gate__dengine *e = cx->e;
	const gate__dconfig *cfg = e->cfg;
	unsigned bits = 0;
	const char *w;
	size_t n;

	if (!k->sem)
		return 0;
	if (k->kind == GATE__TK_EMAIL)
		return GATE_CATEGORY_CONTACT;
	if (k->kind != GATE__TK_WORD)
		return 0;
	if (k->sem < cx->cat_alloc && (cx->cat_of[k->sem] & CAT_KNOWN))
		return cx->cat_of[k->sem] & ~CAT_KNOWN;
	w = norm_key(e, k->sem, &n);
	/* a stem of up to three letters must be the whole word; a longer one may begin it */
	for (size_t i = cfg->stem_at[(unsigned char)w[0]]; n && i < cfg->stem_at[(unsigned char)w[0] + 1]; i++) {
		const gate__dstem *st = &cfg->stem_tab[i];

		if ((st->len <= 3 ? st->len == n : st->len <= n) && memcmp(st->s, w, st->len) == 0)
			bits |= 1u << st->category;
	}
	if (k->sem < cx->cat_alloc)
		cx->cat_of[k->sem] = (uint16_t)(bits | CAT_KNOWN);
	return bits;
}

/* Room in the category cache for every normalised id so far. */
static int cat_reserve(gate__dclassify *cx)
{
	size_t want = cx->e->norm.norm.count + 1, cap = cx->cat_alloc ? cx->cat_alloc : 1024;
	uint16_t *grown;

	if (want <= cx->cat_alloc)
		return 0;
	while (cap < want)
		cap *= 2;
	if (!(grown = gate__realloc(cx->cat_of, cap * sizeof(*grown))))
		return GATE_ENOMEM;
	memset(grown + cx->cat_alloc, 0, (cap - cx->cat_alloc) * sizeof(*grown));
	cx->cat_of = grown;
	cx->cat_alloc = cap;
	return 0;
}

/* The category bits of heading line `line` of `side` (cached per line). */
static int heading_categories(gate__dclassify *cx, int side, int32_t line, unsigned *out)
{
	gate__dengine *e = cx->e;
	gate__dtext *t = &e->t[side];
	unsigned bits = 0;
	int error;

	*out = 0;
	if (line < 0)
		return 0;
	if (!t->heading_cats && !(t->heading_cats = gate__calloc(t->nlines, sizeof(*t->heading_cats))))
		return GATE_ENOMEM;
	if (!(t->heading_cats[line] & CAT_KNOWN)) {
		if ((error = gate__dengine_line(e, side, (size_t)line)) < 0 || (error = cat_reserve(cx)) < 0)
			return error;
		for (size_t i = t->lfirst[line]; i < t->lend[line]; i++)
			bits |= word_categories(cx, &t->tok[i]);
		t->heading_cats[line] = (uint16_t)(bits | CAT_KNOWN);
	}
	*out = t->heading_cats[line] & ~CAT_KNOWN;
	return 0;
}

static bool sentence_end(const gate__dtext *t, size_t i)
{
	const gate__dtok *k = &t->tok[i];

	if (k->kind == GATE__TK_PUNCT && (t->s[k->off] == '.' || t->s[k->off] == '!' || t->s[k->off] == '?' || t->s[k->off] == ';'))
		return true;
	return (k->flags & GATE__TF_NEWLINE) != 0;
}

/* Categories from the changed words and the heading; only when they name
 * none, from the rest of the sentence. The sentence alone is a weak signal
 * ("keep track of your readings" is not about retention), and these bits
 * become the labels an end user reads on the diff page. */
static int categories(gate__dclassify *cx, const gate__hunk *h, int side, int32_t heading, unsigned *out)
{
	const gate__dengine *e = cx->e;
	const gate__dtext *ta = &e->t[0], *t = &e->t[side];
	size_t i0 = side ? h->b0 : h->a0, i1 = side ? h->b1 : h->a1;
	unsigned bits = 0;
	int error;

	if ((error = heading_categories(cx, side, heading, &bits)) < 0 || (error = cat_reserve(cx)) < 0)
		return error;
	for (size_t i = h->a0; i < h->a1; i++)
		bits |= word_categories(cx, &ta->tok[i]);
	for (size_t i = h->b0; i < h->b1; i++)
		bits |= word_categories(cx, &e->t[1].tok[i]);
	if (bits) {
		*out = bits;
		return 0;
	}
	for (size_t i = i0, n = 0; i > 0 && n < 40 && !sentence_end(t, i - 1); i--, n++)
		bits |= word_categories(cx, &t->tok[i - 1]);
	/* a change that ends its region reads on into the next line (tokenised by gate__dclassify_region()) */
	if (i1 < t->ntok && t->tok[i1].kind == GATE__TK_END && !(t->tok[i1].flags & GATE__TF_TEXTEND))
		i1 = t->lfirst[gate__dtext_line_of(t, t->tok[i1].off)];
	for (size_t i = i1, n = 0; i < t->ntok && n < 40 && !sentence_end(t, i); i++, n++)
		bits |= word_categories(cx, &t->tok[i]);
	*out = bits;
	return 0;
}

/* Change `ci` (hunk h of the region tokenised now) made material, with its hints and categories. */
static int material_details(gate__dclassify *cx, size_t ci, const gate__hunk *h, int side, int32_t heading)
{
	gate__dengine *e = cx->e;
	gate_diff_change *c = &e->d->changes[ci];
	uint32_t *ra = NULL, *rb = NULL;
	size_t na, nb, i = 0, j = 0;
	int neg_a = 0, neg_b = 0, error;
	unsigned hints = 0, cats;

	if ((error = sem_ids(&e->t[0], h->a0, h->a1, &ra, &na)) < 0 ||
	    (error = sem_ids(&e->t[1], h->b0, h->b1, &rb, &nb)) < 0) {
		free(ra);
		return error;
	}
	if (na)
		qsort(ra, na, sizeof(*ra), cmp_u32);
	if (nb)
		qsort(rb, nb, sizeof(*rb), cmp_u32);
	/* what one side has and the other lacks */
	while (i < na || j < nb) {
		uint32_t id;
		size_t len;
		const char *w;

		if (j == nb || (i < na && ra[i] < rb[j]))
			id = ra[i++];
		else if (i == na || rb[j] < ra[i])
			id = rb[j++];
		else {
			i++;
			j++;
			continue;
		}
		w = norm_key(e, id, &len);
		for (size_t k = 0; k < len; k++)
			if (w[k] >= '0' && w[k] <= '9') {
				hints |= GATE_HINT_NUMBER;
				break;
			}
		if (memchr(w, '@', len) || memchr(w, '/', len) || (len > 4 && memcmp(w, "www.", 4) == 0))
			hints |= GATE_HINT_LINK;
	}
	for (size_t k = 0; k < na; k++) {
		size_t len;
		const char *w = norm_key(e, ra[k], &len);

		neg_a += is_negation(w, len);
	}
	for (size_t k = 0; k < nb; k++) {
		size_t len;
		const char *w = norm_key(e, rb[k], &len);

		neg_b += is_negation(w, len);
	}
	free(ra);
	free(rb);
	if (neg_a != neg_b)
		hints |= GATE_HINT_NEGATION;
	if ((error = categories(cx, h, side, heading, &cats)) < 0)
		return error;
	/* a possible typo gets its hint once every region is known (gate__dclassify_finish()) */
	e->typo_sem[ci] = typo_candidate(cx, h);
	c->kind = GATE_CHANGE_MATERIAL;
	c->hints = hints;
	c->editorial = 0;
	c->categories = cats;
	return 0;
}

static int kind_string(gate_buf *out, gate_buf *tmp, const gate__dtext *t, size_t i0, size_t i1, int kind, bool plain)
{
	gate__buf_clear(out);
	for (size_t i = i0; i < i1; i++) {
		const gate__dtok *k = &t->tok[i];

		if (k->kind != kind)
			continue;
		/* a date-stamp line's text is accounted for by GATE_EDITORIAL_DATE_LINE */
		if ((k->flags & GATE__TF_DATE) && !(k->flags & GATE__TF_NEWLINE))
			continue;
		/* the space after a marker ("# ", "- ", "> ") belongs to the marker */
		if (kind == GATE__TK_SPACE && !(k->flags & GATE__TF_NEWLINE) && i > 0 &&
		    t->tok[i - 1].kind == GATE__TK_MARKUP)
			continue;
		/* "--" is how plain text writes a dash */
		if (plain && kind == GATE__TK_PUNCT && t->s[k->off] == '-' && strspn(t->s + k->off, "-") >= k->len) {
			if (gate__buf_puts(out, "-\x01") < 0)
				return GATE_ENOMEM;
			continue;
		}
		if (plain && (k->flags & GATE__TF_NONASCII)) {
			if (gate__dnorm_typography(tmp, t->s + k->off, k->len) < 0 || gate__buf_put(out, tmp->ptr, tmp->size) < 0)
				return GATE_ENOMEM;
		} else if (gate__buf_put(out, t->s + k->off, k->len) < 0)
			return GATE_ENOMEM;
		if (kind != GATE__TK_SPACE && gate__buf_putc(out, '\x01') < 0)
			return GATE_ENOMEM;
	}
	return 0;
}

/* The typographic characters of a range's tokens of one kind, in order. */
static int typographic_chars(gate_buf *out, const gate__dtext *t, size_t i0, size_t i1, int kind)
{
	gate__buf_clear(out);
	for (size_t i = i0; i < i1; i++) {
		const gate__dtok *k = &t->tok[i];

		if (k->kind != kind || !(k->flags & GATE__TF_NONASCII))
			continue;
		for (size_t b = 0; b < k->len; b++) {
			const char *p = t->s + k->off + b;

			if ((unsigned char)*p >= 0xC0) {
				size_t n = 1;

				while (b + n < k->len && ((unsigned char)p[n] & 0xC0) == 0x80)
					n++;
				if (gate__dnorm_has_typography(p, n) && gate__buf_put(out, p, n) < 0)
					return GATE_ENOMEM;
				b += n - 1;
			}
		}
	}
	return 0;
}

static bool buf_eq(const gate_buf *a, const gate_buf *b)
{
	return a->size == b->size && (a->size == 0 || memcmp(a->ptr, b->ptr, a->size) == 0);
}

/* Which normalisations make the two sides of an editorial change equal. */
static int editorial_reasons(gate__dengine *e, const gate__hunk *h, unsigned *out)
{
	const gate__dtext *ta = &e->t[0], *tb = &e->t[1];
	gate_buf x = GATE_BUF_INIT, y = GATE_BUF_INIT, tmp = GATE_BUF_INIT;
	static const struct { int kind; unsigned raw, plain; } kinds[] = {
		{ GATE__TK_SPACE, GATE_EDITORIAL_TYPOGRAPHY, GATE_EDITORIAL_WHITESPACE },
		{ GATE__TK_PUNCT, GATE_EDITORIAL_TYPOGRAPHY, GATE_EDITORIAL_PUNCTUATION },
		{ GATE__TK_MARKUP, GATE_EDITORIAL_MARKUP, GATE_EDITORIAL_MARKUP },
	};
	unsigned bits = 0;
	size_t i = h->a0, j = h->b0;
	int error = GATE_ENOMEM;

	for (size_t k = 0; k < GATE__ARRAY_SIZE(kinds); k++) {
		if (kind_string(&x, &tmp, ta, h->a0, h->a1, kinds[k].kind, true) < 0 ||
		    kind_string(&y, &tmp, tb, h->b0, h->b1, kinds[k].kind, true) < 0)
			goto done;
		if (!buf_eq(&x, &y))
			bits |= kinds[k].plain;
		if (kinds[k].raw == GATE_EDITORIAL_TYPOGRAPHY) {
			/* the typographic characters themselves, whatever else changed */
			if (typographic_chars(&x, ta, h->a0, h->a1, kinds[k].kind) < 0 ||
			    typographic_chars(&y, tb, h->b0, h->b1, kinds[k].kind) < 0)
				goto done;
		} else if (kind_string(&x, &tmp, ta, h->a0, h->a1, kinds[k].kind, false) < 0 ||
			   kind_string(&y, &tmp, tb, h->b0, h->b1, kinds[k].kind, false) < 0)
			goto done;
		if (!buf_eq(&x, &y))
			bits |= kinds[k].raw;
	}
	for (size_t k = h->a0; k < h->a1; k++)
		if ((ta->tok[k].flags & GATE__TF_DATE) && !(ta->tok[k].flags & GATE__TF_NEWLINE))
			bits |= GATE_EDITORIAL_DATE_LINE;
	for (size_t k = h->b0; k < h->b1; k++)
		if ((tb->tok[k].flags & GATE__TF_DATE) && !(tb->tok[k].flags & GATE__TF_NEWLINE))
			bits |= GATE_EDITORIAL_DATE_LINE;
	/* meaningful tokens, pairwise: their sequences of normalised forms agree */
	for (;;) {
		const gate__dtok *p, *q;

		while (i < h->a1 && !GATE__TK_MEANINGFUL(ta->tok[i].kind))
			i++;
		while (j < h->b1 && !GATE__TK_MEANINGFUL(tb->tok[j].kind))
			j++;
		if (i < h->a1 && (ta->tok[i].flags & GATE__TF_DATE)) {
			bits |= GATE_EDITORIAL_DATE_LINE;
			i++;
			continue;
		}
		if (j < h->b1 && (tb->tok[j].flags & GATE__TF_DATE)) {
			bits |= GATE_EDITORIAL_DATE_LINE;
			j++;
			continue;
		}
		if (i == h->a1 || j == h->b1)
			break;
		p = &ta->tok[i++];
		q = &tb->tok[j++];
		if (ta->ids[i - 1] == tb->ids[j - 1])
			continue;
		if (gate__dnorm_typography(&x, ta->s + p->off, p->len) < 0 ||
		    gate__dnorm_typography(&y, tb->s + q->off, q->len) < 0)
			goto done;
		if (gate__dnorm_has_typography(ta->s + p->off, p->len) !=
		    gate__dnorm_has_typography(tb->s + q->off, q->len) || buf_eq(&x, &y))
			bits |= GATE_EDITORIAL_TYPOGRAPHY;
		if (!buf_eq(&x, &y)) {
			gate_buf fx = GATE_BUF_INIT, fy = GATE_BUF_INIT;
			int how = 0; /* 1: compatibility forms only, 2: case only, 3: both */

			if (gate__dnorm_fold(&fx, x.ptr, x.size, 1, 0) < 0 || gate__dnorm_fold(&fy, y.ptr, y.size, 1, 0) < 0)
				how = -1;
			else if (buf_eq(&fx, &fy))
				how = 1;
			else if (gate__dnorm_fold(&fx, x.ptr, x.size, 0, 1) < 0 || gate__dnorm_fold(&fy, y.ptr, y.size, 0, 1) < 0)
				how = -1;
			else
				how = buf_eq(&fx, &fy) ? 2 : 3;
			gate_buf_dispose(&fx);
			gate_buf_dispose(&fy);
			if (how < 0)
				goto done;
			if (how & 1)
				bits |= GATE_EDITORIAL_UNICODE;
			if (how & 2)
				bits |= GATE_EDITORIAL_CASE;
		}
	}
	if (!bits)
		bits = GATE_EDITORIAL_WHITESPACE;
	*out = bits;
	error = 0;
done:
	gate_buf_dispose(&x);
	gate_buf_dispose(&y);
	gate_buf_dispose(&tmp);
	return error;
}

/* The heading text of line `line` of side `side`, without markup. */
static int heading_text(gate__dengine *e, int side, int32_t line, const char **out)
{
	gate__dtext *t = &e->t[side];
	gate_buf b = GATE_BUF_INIT;
	int error;

	*out = "";
	if (line < 0)
		return 0;
	if (!t->heading[line]) {
		size_t len;

		if ((error = gate__dengine_line(e, side, (size_t)line)) < 0)
			return error;
		if (plain_line(&b, t, (size_t)line, false) < 0)
			return GATE_ENOMEM;
		len = b.size;
		while (len && strchr(":. ", b.ptr[len - 1]))
			len--;
		t->heading[line] = gate__arena_strndup(&e->d->arena, b.ptr, len);
		gate_buf_dispose(&b);
		if (!t->heading[line])
			return GATE_ENOMEM;
	}
	*out = t->heading[line];
	return 0;
}

/* The side whose text places a change: the new text, the old one for a pure deletion. */
static int change_side(const gate_diff_change *c)
{
	return c->added_len == 0 && c->removed_len > 0 ? 0 : 1;
}

/* The heading line a change falls under: that of its first visible token
 * (an inserted section starts with the blank line before its heading), else
 * that of its offset. */
static int change_heading(gate__dengine *e, const gate_diff_change *c, const gate__hunk *h, int32_t *out)
{
	int side = change_side(c);
	unsigned line = side ? c->new_line : c->old_line;
	const gate__dtext *t = &e->t[side];

	*out = -1;
	for (size_t i = side ? h->b0 : h->a0; i < (side ? h->b1 : h->a1); i++)
		if (t->tok[i].kind != GATE__TK_SPACE) {
			line = (unsigned)gate__dtext_line_of(t, t->tok[i].off) + 1;
			break;
		}
	if (line == 0 || line > t->nlines)
		return 0;
	return section_of(e, side, line - 1, out);
}

/* Change i of region r made material. */
static int make_material(gate__dclassify *cx, const gate__dregion *r, size_t i)
{
	gate__dengine *e = cx->e;
	size_t ci = r->c0 + i;

	return material_details(cx, ci, &e->hunks.h[i], change_side(&e->d->changes[ci]), e->change_heading[ci]);
}

/* Token span [lo, hi) of the whole lines around meaningful tokens [s0, s1)
 * of a tokenised region whose meaningful tokens are t->sems[0, m1) and
 * tokens [0, t1). */
static void line_span(const gate__dtext *t, size_t m1, size_t t1, size_t s0, size_t s1, size_t *lo, size_t *hi)
{
	const uint32_t *idx = t->sem_tok;
	size_t first, last;

	if (t1 == 0) {
		*lo = *hi = 0;
		return;
	}
	if (s0 < s1) {
		first = idx[s0];
		last = idx[s1 - 1];
	} else {
		first = s0 > 0 ? idx[s0 - 1] : 0;
		last = s0 < m1 ? idx[s0] : t1 - 1;
	}
	*lo = t->lfirst[gate__dtext_line_of(t, t->tok[first].off)];
	*hi = t->lend[gate__dtext_line_of(t, t->tok[last].off)];
}

/* The first hunk of [0, n) that ends at or after token alo of the old text or blo of the new. */
static size_t first_change_from(const gate__hunks *hs, size_t alo, size_t blo)
{
	size_t lo = 0, hi = hs->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (hs->h[mid].a1 < alo && hs->h[mid].b1 < blo)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Whether a region's meaningful sequences are equal. */
static bool same_ids(const gate__dengine *e, const gate__dregion *r)
{
	size_t na = r->sa1 - r->sa0, nb = r->sb1 - r->sb0;

	return na == nb && (na == 0 || memcmp(e->rsems[0] + r->sa0, e->rsems[1] + r->sb0, na * sizeof(uint32_t)) == 0);
}

/* The safety net for the region tokenised now: any difference between its
 * meaningful sequences that no material change covers makes the changes on
 * its lines material (all the region's changes when none touches those lines). */
static int reconcile_region(gate__dclassify *cx, const gate__dregion *r)
{
	gate__dengine *e = cx->e;
	gate_diff *d = e->d;
	const gate__dtext *ta = &e->t[0], *tb = &e->t[1];
	const gate__hunks *hs = &e->hunks;
	size_t na = r->sa1 - r->sa0, nb = r->sb1 - r->sb0;
	gate__hunks sh = { 0 };
	int error;

	if ((error = gate__aligner_grow(&cx->al, (uint32_t)(e->norm.norm.count + 1))) < 0 ||
	    (error = gate__align(&cx->al, ta->sems, 0, na, tb->sems, 0, nb, &sh)) < 0)
		goto done;
	for (size_t s = 0; s < sh.count; s++) {
		size_t alo, ahi, blo, bhi, hits = 0, first;
		bool covered = false;

		line_span(ta, na, r->ta1, sh.h[s].a0, sh.h[s].a1, &alo, &ahi);
		line_span(tb, nb, r->tb1, sh.h[s].b0, sh.h[s].b1, &blo, &bhi);
		/* changes are in text order on both sides: start at the first that can reach the span */
		first = first_change_from(hs, alo, blo);
		for (int pass = 0; pass < 2 && !covered; pass++)
			for (size_t i = first; i < hs->count; i++) {
				const gate__hunk *h = &hs->h[i];
				bool in_a = h->a0 < ahi && (h->a1 > alo || (h->a0 == h->a1 && h->a0 >= alo));
				bool in_b = h->b0 < bhi && (h->b1 > blo || (h->b0 == h->b1 && h->b0 >= blo));

				if (h->a0 >= ahi && h->b0 >= bhi)
					break;
				if (!in_a && !in_b)
					continue;
				if (pass == 0) {
					hits++;
					if (d->changes[r->c0 + i].kind == GATE_CHANGE_MATERIAL)
						covered = true;
				} else if ((error = make_material(cx, r, i)) < 0)
					goto done;
			}
		if (!covered && hits == 0)
			for (size_t i = 0; i < hs->count; i++)
				if (d->changes[r->c0 + i].kind != GATE_CHANGE_MATERIAL && (error = make_material(cx, r, i)) < 0)
					goto done;
	}
done:
	gate__hunks_free(&sh);
	return error;
}

int gate__dclassify_region(gate__dclassify *cx, gate__dregion *r)
{
	gate__dengine *e = cx->e;
	gate_diff *d = e->d;
	int error;

	/* sections first: finding them may tokenise lines (appended after the region's) */
	for (size_t ci = r->c0; ci < r->c1; ci++) {
		gate_diff_change *c = &d->changes[ci];
		const gate__hunk *h = &e->hunks.h[ci - r->c0];
		int side = change_side(c);
		const gate__dtext *t = &e->t[side];
		size_t i1 = side ? h->b1 : h->a1;

		if ((error = change_heading(e, c, h, &e->change_heading[ci])) < 0 ||
		    (error = heading_text(e, side, e->change_heading[ci], &c->section)) < 0)
			return error;
		/* the line after a change that ends its region, for categories() */
		if (t->tok[i1].kind == GATE__TK_END && !(t->tok[i1].flags & GATE__TF_TEXTEND) &&
		    (error = gate__dengine_line(e, side, gate__dtext_line_of(t, t->tok[i1].off))) < 0)
			return error;
	}
	for (size_t ci = r->c0; ci < r->c1; ci++) {
		gate_diff_change *c = &d->changes[ci];
		const gate__hunk *h = &e->hunks.h[ci - r->c0];

		if (same_sem(&e->t[0], h->a0, h->a1, &e->t[1], h->b0, h->b1)) {
			c->kind = GATE_CHANGE_EDITORIAL;
			c->categories = 0;
			c->hints = 0;
			if ((error = editorial_reasons(e, h, &c->editorial)) < 0)
				return error;
		} else if ((error = material_details(cx, ci, h, change_side(c), e->change_heading[ci])) < 0)
			return error;
	}
	return same_ids(e, r) ? 0 : reconcile_region(cx, r);
}

/* A cursor over one text's whole sequence of meaningful ids, read as
 * segments: the equal lines before region 0 (segment 0), region 0 (1), the
 * equal lines after it (2)... the equal lines after the last region (2n). */
typedef struct {
	size_t seg, pos;       /* where it is */
	size_t start, n;       /* the segment's ids: esems or rsems[side] from `start`, `n` of them */
	bool loaded;
} sem_cursor;

static int segment(gate__dengine *e, int side, sem_cursor *c)
{
	int error;

	if (c->seg % 2 == 0) {
		size_t s0, s1;

		if ((error = gate__dengine_equal_sems(e, c->seg / 2, &s0, &s1)) < 0)
			return error;
		c->start = s0;
		c->n = s1 - s0;
	} else {
		const gate__dregion *r = &e->regions[c->seg / 2];

		c->start = side ? r->sb0 : r->sa0;
		c->n = side ? r->sb1 - r->sb0 : r->sa1 - r->sa0;
	}
	c->loaded = true;
	return 0;
}

static uint32_t sem_at(const gate__dengine *e, int side, const sem_cursor *c)
{
	return c->seg % 2 == 0 ? e->esems[c->start + c->pos] : e->rsems[side][c->start + c->pos];
}

/*
 * Whether the two texts' whole sequences of meaningful ids are equal, when
 * some region differs: compared position by position, in lock step. Equal
 * lines are identical in both texts (diff.c's build_regions() says why), so
 * when both cursors enter the same equal segment together it is stepped
 * over unread; it is tokenised only when a region's difference in length
 * puts the cursors out of step (a word moved across equal lines).
 */
static int whole_equal(gate__dengine *e, bool *equal)
{
	size_t last = 2 * e->nregions;
	sem_cursor c[2];
	int error;

	memset(c, 0, sizeof(c));
	for (;;) {
		if (c[0].seg == c[1].seg && c[0].pos == 0 && c[1].pos == 0) {
			if (c[0].seg > last) {
				*equal = true;
				return 0;
			}
			if (c[0].seg % 2 == 0) {
				c[0].seg++;
				c[1].seg++;
				c[0].loaded = c[1].loaded = false;
				continue;
			}
		}
		for (int k = 0; k < 2; k++)
			if (!c[k].loaded && c[k].seg <= last && (error = segment(e, k, &c[k])) < 0)
				return error;
		if (c[0].seg <= last && c[0].pos == c[0].n) {
			c[0].seg++;
			c[0].pos = 0;
			c[0].loaded = false;
			continue;
		}
		if (c[1].seg <= last && c[1].pos == c[1].n) {
			c[1].seg++;
			c[1].pos = 0;
			c[1].loaded = false;
			continue;
		}
		if (c[0].seg > last || c[1].seg > last || sem_at(e, 0, &c[0]) != sem_at(e, 1, &c[1])) {
			*equal = false;
			return 0;
		}
		c[0].pos++;
		c[1].pos++;
	}
}

/* Whether the whole texts say the same: each region first, the lock step only when needed. */
static int texts_equal(gate__dengine *e, bool *equal)
{
	ptrdiff_t balance = 0;
	bool all = true;

	for (size_t i = 0; i < e->nregions; i++) {
		const gate__dregion *r = &e->regions[i];

		if (!same_ids(e, r))
			all = false;
		balance += (ptrdiff_t)(r->sa1 - r->sa0) - (ptrdiff_t)(r->sb1 - r->sb0);
	}
	if (all || balance != 0) {
		/* all regions equal: equal; different lengths overall: different */
		*equal = all;
		return 0;
	}
	return whole_equal(e, equal);
}

int gate__dclassify_finish(gate__dclassify *cx)
{
	gate__dengine *e = cx->e;
	gate_diff *d = e->d;
	bool equal = false;
	int error;

	if ((error = texts_equal(e, &equal)) < 0)
		return error;
	if (!equal) {
		for (size_t ci = 0; ci < d->count; ci++) {
			gate_diff_change *c = &d->changes[ci];
			bool used;

			if (c->kind != GATE_CHANGE_MATERIAL || !e->typo_sem[ci])
				continue;
			if ((error = used_in_new(cx, e->typo_sem[ci], &used)) < 0)
				return error;
			if (!used)
				c->hints |= GATE_HINT_POSSIBLE_TYPO;
		}
		return 0;
	}
	/* the texts say the same: whatever a change looked like alone, it is
	 * editorial (its region tokenised again for the reasons) */
	for (size_t k = 0; k < e->nregions; k++) {
		gate__dregion *r = &e->regions[k];
		bool any = false;

		for (size_t ci = r->c0; ci < r->c1; ci++)
			any |= d->changes[ci].kind == GATE_CHANGE_MATERIAL;
		if (!any)
			continue;
		if ((error = gate__dengine_region(e, r, false)) < 0)
			return error;
		if (e->hunks.count != r->c1 - r->c0)
			return gate__error_set(GATE_EINVALID, "diff: region %zu aligned differently the second time", k);
		for (size_t ci = r->c0; ci < r->c1; ci++) {
			gate_diff_change *c = &d->changes[ci];

			if (c->kind != GATE_CHANGE_MATERIAL)
				continue;
			c->kind = GATE_CHANGE_EDITORIAL;
			c->categories = 0;
			c->hints = 0;
			if ((error = editorial_reasons(e, &e->hunks.h[ci - r->c0], &c->editorial)) < 0)
				return error;
		}
	}
	return 0;
}
