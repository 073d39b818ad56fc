/* diff_token.c: the diff tokeniser: a text cut into words, numbers, e-mail addresses, URLs,
 * punctuation, symbols, whitespace and Markdown markup, line by line. */
#include "diff_engine.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Character classes. */
enum {
	C_SPACE, C_LETTER, C_DIGIT, C_IDEO, C_MARK, C_APOS, C_HYPH, C_NDASH,
	C_PUNCT, C_SYMBOL, C_FORMAT
};

/* The class of each ASCII byte. */
#define L C_LETTER
#define D C_DIGIT
#define S C_SPACE
#define A C_APOS
#define H C_HYPH
#define P C_PUNCT
#define Y C_SYMBOL
static const unsigned char ascii_class[128] = {
	Y, Y, Y, Y, Y, Y, Y, Y, Y, S, S, S, S, S, Y, Y,
	Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y,
	S, P, P, Y, Y, Y, Y, A, P, P, Y, Y, P, H, P, Y,
	D, D, D, D, D, D, D, D, D, D, P, P, Y, Y, Y, P,
	Y, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L,
	L, L, L, L, L, L, L, L, L, L, L, P, Y, P, Y, Y,
	Y, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L,
	L, L, L, L, L, L, L, L, L, L, L, P, Y, P, Y, Y,
};
#undef L
#undef D
#undef S
#undef A
#undef H
#undef P
#undef Y

/* 1 for the ASCII letters and digits (bytes >= 0x80 are 0). */
static const unsigned char ascii_alnum[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1,
	['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
	['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1,
	['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

static bool is_hspace(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_adigit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_aalpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_aalnum(unsigned char c)
{
	return is_adigit(c) || is_aalpha(c);
}

/* Han, kana and the like: no spaces between words, so one character is one token. */
static bool is_ideographic(int32_t cp)
{
	return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
		(cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
		(cp >= 0x20000 && cp <= 0x3FFFF);
}

/* Bullets that are symbols to Unicode but decoration to a reader. */
static bool is_bullet(int32_t cp)
{
	switch (cp) {
	case 0x2219: case 0x25E6: case 0x25AA: case 0x25AB: case 0x25CF: case 0x25CB:
	case 0x25A0: case 0x25A1: case 0x2043: case 0x2022: case 0x2023: case 0x00B7:
	case 0x2027: case 0x30FB:
		return true;
	}
	return false;
}

/* Other punctuation (Po) that is meaning-free: sentence marks of other scripts,
 * inverted marks, ellipses; and anything whose compatibility form is one of
 * the ASCII meaning-free marks (full-width commas...). */
static bool is_plain_po(int32_t cp)
{
	utf8proc_int32_t buf[4];
	utf8proc_ssize_t n;
	int last = 0;

	switch (cp) {
	case 0x00A1: case 0x00BF: case 0x2026: case 0x203C: case 0x2047: case 0x2048:
	case 0x2049: case 0x3001: case 0x3002: case 0x055D: case 0x060C: case 0x061B:
	case 0x061F: case 0x06D4: case 0x0964: case 0x0965: case 0x037E: case 0x0387:
		return true;
	}
	n = utf8proc_decompose_char(cp, buf, 4, UTF8PROC_COMPAT, &last);
	if (n != 1 || buf[0] >= 0x80)
		return false;
	return buf[0] != 0 && strchr(".,;:!?\"'", (int)buf[0]) != NULL;
}

static int uclass(int32_t cp)
{
	switch (cp) {
	case 0x2019: case 0x2018: case 0x00B4: case 0x2032:
		return C_APOS;
	case 0x2010: case 0x2011:
		return C_HYPH;
	case 0x2012: case 0x2013:
		return C_NDASH;
	case 0x0085: case 0x2028: case 0x2029: case 0xFEFF: case 0x200B:
		return C_SPACE;
	}
	if (is_ideographic(cp))
		return C_IDEO;
	if (is_bullet(cp))
		return C_PUNCT;
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
		return C_LETTER;
	case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
		return C_DIGIT;
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
		return C_MARK;
	case UTF8PROC_CATEGORY_ZS:
		return C_SPACE;
	case UTF8PROC_CATEGORY_CF:
		return C_FORMAT;
	case UTF8PROC_CATEGORY_PD: case UTF8PROC_CATEGORY_PS: case UTF8PROC_CATEGORY_PE:
	case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
		return C_PUNCT;
	case UTF8PROC_CATEGORY_PO:
		return is_plain_po(cp) ? C_PUNCT : C_SYMBOL;
	default:
		/* Sm, Sc, Sk, So, Pc, controls, unassigned: they may carry meaning */
		return C_SYMBOL;
	}
}

/* The code point at `p` (the text is valid UTF-8) and its length. */
static int32_t decode(const char *s, size_t p, size_t end, size_t *n)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t r = utf8proc_iterate((const utf8proc_uint8_t *)s + p, (utf8proc_ssize_t)(end - p), &cp);

	if (r <= 0) {
		*n = 1;
		return 0xFFFD;
	}
	*n = (size_t)r;
	return cp;
}

/* The class of the character at `p`, with its length. */
static int class_at(const char *s, size_t p, size_t end, size_t *n)
{
	unsigned char c = (unsigned char)s[p];

	if (c < 0x80) {
		*n = 1;
		return ascii_class[c];
	}
	return uclass(decode(s, p, end, n));
}

/* Bytes of a horizontal space character at `p`; 0 if there is none. */
static size_t space_at(const char *s, size_t p, size_t end)
{
	unsigned char c = (unsigned char)s[p];
	size_t n;

	if (c < 0x80)
		return is_hspace(c) ? 1 : 0;
	return class_at(s, p, end, &n) == C_SPACE ? n : 0;
}

/* Appends a token; room for it was reserved for the whole line (reserve_line). */
static inline void put(gate__dtext *t, size_t off, size_t len, int kind, uint8_t flags)
{
	t->tok[t->ntok++] = (gate__dtok){ (uint32_t)off, (uint32_t)len, 0, (uint8_t)kind, flags };
}

static int emit(gate__dtext *t, size_t off, size_t len, int kind)
{
	uint8_t flags = 0;

	for (size_t i = 0; i < len; i++)
		if ((unsigned char)t->s[off + i] >= 0x80) {
			flags |= GATE__TF_NONASCII;
			break;
		}
	if (kind == GATE__TK_SPACE && len && t->s[off + len - 1] == '\n')
		flags |= GATE__TF_NEWLINE;
	put(t, off, len, kind, flags);
	return 0;
}

/* Room for a line of n bytes (at most n + 1 tokens) and an END token. */
static int reserve_line(gate__dtext *t, size_t bytes)
{
	size_t need = t->ntok + bytes + 3;

	if (need > t->tok_alloc) {
		size_t cap = t->tok_alloc * 2 > need ? t->tok_alloc * 2 : need;
		gate__dtok *tok;
		uint32_t *ids;

		if (cap < 256)
			cap = 256;
		if (!(tok = gate__realloc(t->tok, cap * sizeof(*tok))))
			return GATE_ENOMEM;
		t->tok = tok;
		if (!(ids = gate__realloc(t->ids, cap * sizeof(*ids))))
			return GATE_ENOMEM;
		t->ids = ids;
		t->tok_alloc = cap;
	}
	return 0;
}
/* --- words, numbers, addresses ------------------------------------------------------ */

/* A word or number starting at `p`: letters, digits and marks, joined by an
 * apostrophe or hyphen between letters or digits, by '.', ',', ':', '/' or
 * an en dash between digits, by '_' inside a word. */
static size_t scan_word(const char *s, size_t p, size_t end)
{
	size_t q = p, n, n2;
	int prev = C_SPACE, cls;

	cls = class_at(s, q, end, &n);
	if (cls == C_IDEO)
		return n;
	while (q < end) {
		unsigned char c = (unsigned char)s[q];
		int next;

		if (c < 0x80 && (ascii_class[c] == C_LETTER || ascii_class[c] == C_DIGIT)) {
			prev = ascii_class[c];
			q++;
			continue;
		}
		cls = class_at(s, q, end, &n);
		if (cls == C_LETTER || cls == C_DIGIT || cls == C_MARK || cls == C_FORMAT) {
			if (cls == C_LETTER || cls == C_DIGIT)
				prev = cls;
			q += n;
			continue;
		}
		if (q + n >= end)
			break;
		next = class_at(s, q + n, end, &n2);
		if (next == C_IDEO || (next != C_LETTER && next != C_DIGIT))
			break;
		if (prev != C_LETTER && prev != C_DIGIT)
			break;
		if ((cls == C_APOS && next == C_LETTER) ||
		    (cls == C_HYPH) ||
		    (cls == C_NDASH && prev == C_DIGIT && next == C_DIGIT) ||
		    (c == '_') ||
		    ((c == '.' || c == ',' || c == ':' || c == '/') && prev == C_DIGIT && next == C_DIGIT)) {
			q += n;
			continue;
		}
		break;
	}
	return q - p;
}

static bool url_char(unsigned char c)
{
	return c > ' ' && c != '<' && c != '>' && c != '"' && c != '`' && c != 0x7f;
}

/* Trailing sentence punctuation is not part of an address; a closing
 * bracket is, when the address opened one. */
static size_t trim_url_tail(const char *s, size_t p, size_t q)
{
	while (q > p) {
		unsigned char c = (unsigned char)s[q - 1];

		if (strchr(".,;:!?'\"*_~", c)) {
			q--;
			continue;
		}
		if (c == ')' || c == ']') {
			char open = c == ')' ? '(' : '[';
			int depth = 0;

			for (size_t i = p; i < q; i++)
				depth += s[i] == open ? 1 : s[i] == c ? -1 : 0;
			if (depth < 0) {
				q--;
				continue;
			}
		}
		break;
	}
	return q - p;
}

/* Extends an address over URL characters, stopping at non-ASCII punctuation
 * and spaces (curly quotes, no-break spaces) but not at non-ASCII letters. */
static size_t url_end(const char *s, size_t q, size_t end)
{
	while (q < end) {
		unsigned char c = (unsigned char)s[q];
		size_t n;
		int cls;

		if (c < 0x80) {
			if (!url_char(c))
				break;
			q++;
			continue;
		}
		cls = class_at(s, q, end, &n);
		if (cls != C_LETTER && cls != C_DIGIT && cls != C_MARK)
			break;
		q += n;
	}
	return q;
}

static bool prefix_ci(const char *s, size_t p, size_t end, const char *pre)
{
	size_t n = strlen(pre);

	if (end - p < n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[p + i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != pre[i])
			return false;
	}
	return true;
}

/* "https://...", "ftp://...", "mailto:...", "www...." */
static size_t scan_url(const char *s, size_t p, size_t end)
{
	size_t q = p;

	if (p >= end || !is_aalpha((unsigned char)s[p]))
		return 0;
	if (prefix_ci(s, p, end, "mailto:") || prefix_ci(s, p, end, "tel:"))
		q = p + (s[p] == 't' || s[p] == 'T' ? 4 : 7);
	else if (prefix_ci(s, p, end, "www.") && p + 4 < end && is_aalnum((unsigned char)s[p + 4]))
		q = p + 4;
	else {
		while (q < end && q - p < 16 && (is_aalnum((unsigned char)s[q]) || s[q] == '+' || s[q] == '.' || s[q] == '-'))
			q++;
		if (q + 3 > end || s[q] != ':' || s[q + 1] != '/' || s[q + 2] != '/')
			return 0;
		q += 3;
	}
	if (q >= end || !url_char((unsigned char)s[q]))
		return 0;
	q = url_end(s, q, end);
	return trim_url_tail(s, p, q);
}

static bool email_local_char(unsigned char c)
{
	return is_aalnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/* Labels of a domain name from `q`; returns the end, with the count in *labels
 * and whether the last label is alphabetic and 2 letters or more. */
static size_t scan_domain_labels(const char *s, size_t q, size_t end, int *labels, bool *tld_ok,
	size_t *last_label)
{
	*labels = 0;
	*tld_ok = false;
	for (;;) {
		size_t l = q;
		bool alpha = true;

		while (q < end && (is_aalnum((unsigned char)s[q]) || s[q] == '-')) {
			if (!is_aalpha((unsigned char)s[q]))
				alpha = false;
			q++;
		}
		if (q == l) {
			if (*labels)
				q--; /* the '.' before an empty label is not ours */
			return q;
		}
		(*labels)++;
		*tld_ok = alpha && q - l >= 2;
		*last_label = l;
		if (q + 1 < end && s[q] == '.' && is_aalnum((unsigned char)s[q + 1]))
			q++;
		else
			return q;
	}
}

/* local@domain.tld */
static size_t scan_email(const char *s, size_t p, size_t end)
{
	size_t q = p, last = 0;
	int labels;
	bool tld_ok;

	while (q < end && email_local_char((unsigned char)s[q]))
		q++;
	if (q == p || q >= end || s[q] != '@' || s[q - 1] == '.')
		return 0;
	q = scan_domain_labels(s, q + 1, end, &labels, &tld_ok, &last);
	if (labels < 2 || !tld_ok)
		return 0;
	return q - p;
}

/* A bare domain with a well-known top-level domain ("example.com/privacy"). */
static size_t scan_bare_domain(const char *s, size_t p, size_t end)
{
	static const char *const tlds[] = {
		"com", "org", "net", "io", "co", "uk", "eu", "de", "fr", "ie", "es", "it", "nl",
		"be", "ch", "at", "se", "no", "dk", "fi", "pl", "us", "ca", "au", "nz", "in", "jp",
		"gov", "edu", "info", "app", "dev", "biz", "me", NULL
	};
	size_t q, last = 0;
	int labels;
	bool tld_ok, known = false;

	q = scan_domain_labels(s, p, end, &labels, &tld_ok, &last);
	if (labels < 2 || !tld_ok)
		return 0;
	for (size_t i = 0; tlds[i]; i++)
		if (q - last == strlen(tlds[i]) && memcmp(s + last, tlds[i], q - last) == 0)
			known = true;
	if (!known || (q < end && (is_aalnum((unsigned char)s[q]) || (unsigned char)s[q] >= 0x80)))
		return 0;
	if (q < end && s[q] == '/')
		q = url_end(s, q, end);
	return trim_url_tail(s, p, q);
}

/* --- one line ------------------------------------------------------------------------- */
/* --- one line ------------------------------------------------------------------------- */

typedef struct {
	gate__dtext *t;
	size_t ls;          /* where the line starts */
	size_t close_hash;  /* a closing ATX sequence starts here; SIZE_MAX: none */
	bool all_markup;    /* a rule or underline: every mark is markup */
	bool emit;          /* false: the line's flags only, no tokens */
} line_ctx;

/* The end of the run of horizontal space at `p` (with the '\n' after it). */
static size_t space_run(const char *s, size_t p, size_t end)
{
	size_t q = p, n;

	while (q < end) {
		unsigned char c = (unsigned char)s[q];

		if (c < 0x80) {
			if (!is_hspace(c))
				break;
			q++;
		} else if ((n = space_at(s, q, end)) > 0)
			q += n;
		else
			break;
	}
	if (q < end && s[q] == '\n')
		q++;
	return q;
}

static int emit_space(line_ctx *lc, size_t *pp, size_t end)
{
	size_t p = *pp;

	*pp = space_run(lc->t->s, p, end);
	return lc->emit ? emit(lc->t, p, *pp - p, GATE__TK_SPACE) : 0;
}

static int run_of(const char *s, size_t p, size_t end, char c)
{
	size_t q = p;

	while (q < end && s[q] == c)
		q++;
	return (int)(q - p);
}

static bool space_or_edge(const char *s, size_t p, size_t ls, size_t end, bool before)
{
	unsigned char c;

	if (before ? p <= ls : p >= end)
		return true;
	c = (unsigned char)s[before ? p - 1 : p];
	return is_hspace(c) || c == '\n';
}

/* What an ASCII byte starts in running text, for the fast paths of scan_inline(). */
enum { A_OTHER = 0, A_ALNUM, A_SPACE, A_NEWLINE, A_PUNCT };

static const unsigned char ascii_act[256] = {
	['\t'] = A_SPACE, ['\v'] = A_SPACE, ['\f'] = A_SPACE, ['\r'] = A_SPACE, [' '] = A_SPACE,
	['\n'] = A_NEWLINE,
	['.'] = A_PUNCT, [','] = A_PUNCT, [';'] = A_PUNCT, [':'] = A_PUNCT, ['!'] = A_PUNCT,
	['?'] = A_PUNCT, ['"'] = A_PUNCT, ['\''] = A_PUNCT, ['('] = A_PUNCT, [')'] = A_PUNCT,
	['['] = A_PUNCT, [']'] = A_PUNCT, ['{'] = A_PUNCT, ['}'] = A_PUNCT,
	['0'] = A_ALNUM, ['1'] = A_ALNUM, ['2'] = A_ALNUM, ['3'] = A_ALNUM, ['4'] = A_ALNUM,
	['5'] = A_ALNUM, ['6'] = A_ALNUM, ['7'] = A_ALNUM, ['8'] = A_ALNUM, ['9'] = A_ALNUM,
	['A'] = A_ALNUM, ['B'] = A_ALNUM, ['C'] = A_ALNUM, ['D'] = A_ALNUM, ['E'] = A_ALNUM,
	['F'] = A_ALNUM, ['G'] = A_ALNUM, ['H'] = A_ALNUM, ['I'] = A_ALNUM, ['J'] = A_ALNUM,
	['K'] = A_ALNUM, ['L'] = A_ALNUM, ['M'] = A_ALNUM, ['N'] = A_ALNUM, ['O'] = A_ALNUM,
	['P'] = A_ALNUM, ['Q'] = A_ALNUM, ['R'] = A_ALNUM, ['S'] = A_ALNUM, ['T'] = A_ALNUM,
	['U'] = A_ALNUM, ['V'] = A_ALNUM, ['W'] = A_ALNUM, ['X'] = A_ALNUM, ['Y'] = A_ALNUM,
	['Z'] = A_ALNUM,
	['a'] = A_ALNUM, ['b'] = A_ALNUM, ['c'] = A_ALNUM, ['d'] = A_ALNUM, ['e'] = A_ALNUM,
	['f'] = A_ALNUM, ['g'] = A_ALNUM, ['h'] = A_ALNUM, ['i'] = A_ALNUM, ['j'] = A_ALNUM,
	['k'] = A_ALNUM, ['l'] = A_ALNUM, ['m'] = A_ALNUM, ['n'] = A_ALNUM, ['o'] = A_ALNUM,
	['p'] = A_ALNUM, ['q'] = A_ALNUM, ['r'] = A_ALNUM, ['s'] = A_ALNUM, ['t'] = A_ALNUM,
	['u'] = A_ALNUM, ['v'] = A_ALNUM, ['w'] = A_ALNUM, ['x'] = A_ALNUM, ['y'] = A_ALNUM,
	['z'] = A_ALNUM,
};

/*
 * 1 for the bytes after which a run of ASCII letters and digits is a whole
 * word for scan_word() and no address can start: every ASCII byte but the
 * letters and digits, the joiners ' - _ . , : / and the address marks @ % +
 * ('.' and ',' are looked at with the byte after them in word_done()).
 */
static const unsigned char ends_word[256] = {
	[0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1, [0x07] = 1,
	[0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1, [0x0e] = 1, [0x0f] = 1,
	[0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1,
	[0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1,
	[' '] = 1, ['!'] = 1, ['"'] = 1, ['#'] = 1, ['$'] = 1, ['&'] = 1, ['('] = 1, [')'] = 1,
	['*'] = 1, [';'] = 1, ['<'] = 1, ['='] = 1, ['>'] = 1, ['?'] = 1, ['['] = 1, ['\\'] = 1,
	[']'] = 1, ['^'] = 1, ['`'] = 1, ['{'] = 1, ['|'] = 1, ['}'] = 1, ['~'] = 1, [0x7f] = 1,
};

/* Whether the ASCII run of letters and digits s[p, w) is a whole WORD or
 * NUMBER token: nothing after it can join it or make it an address. */
static bool word_done(const char *s, size_t w, size_t end)
{
	unsigned char c = (unsigned char)s[w], n;

	if (ends_word[c])
		return true;
	if (c != '.' && c != ',')
		return false;
	if (w + 1 >= end)
		return true;
	n = (unsigned char)s[w + 1];
	if (c == '.')
		return is_hspace(n) || n == '\n';
	/* ',' joins digits only */
	return !is_adigit((unsigned char)s[w - 1]) || (n < 0x80 && !is_adigit(n));
}

/* Tokens of s[p, end) inside one line (`end` may include its '\n'). */
static int scan_inline(line_ctx *lc, size_t p, size_t end)
{
	gate__dtext *t = lc->t;
	const char *s = t->s;
	const unsigned char *b = (const unsigned char *)s;
	/* the fast paths below cover ASCII prose, up to a closing ATX sequence and
	 * never in a decoration line; they give the tokens the general path would */
	size_t fast_end = lc->all_markup ? p : lc->close_hash < end ? lc->close_hash : end;
	int error;

	while (p < end) {
		gate__dtok *tok = t->tok;
		size_t nt = t->ntok, n, q;
		unsigned char c;
		int cls, kind;

		while (p < fast_end) {
			c = b[p];
			switch (ascii_act[c]) {
			case A_ALNUM:
				for (;;) {
					/* the run stops at the line's '\n' or the text's closing NUL */
					q = p + 1;
					while (ascii_alnum[b[q]])
						q++;
					if (q < end && !word_done(s, q, end))
						goto general;
					tok[nt++] = (gate__dtok){ (uint32_t)p, (uint32_t)(q - p), 0,
						is_adigit(c) ? GATE__TK_NUMBER : GATE__TK_WORD, 0 };
					p = q;
					/* "word word": the space and the next word without going round */
					if (p + 1 >= fast_end || b[p] != ' ' || !ascii_alnum[b[p + 1]])
						break;
					tok[nt++] = (gate__dtok){ (uint32_t)p, 1, 0, GATE__TK_SPACE, 0 };
					c = b[++p];
				}
				continue;
			case A_SPACE:
				q = p + 1;
				while (q < end && ascii_act[b[q]] == A_SPACE)
					q++;
				if (q < end && b[q] >= 0x80)
					goto general; /* maybe a Unicode space goes on */
				if (q < end && b[q] == '\n') {
					tok[nt++] = (gate__dtok){ (uint32_t)p, (uint32_t)(q + 1 - p), 0,
						GATE__TK_SPACE, GATE__TF_NEWLINE };
					p = q + 1;
				} else {
					tok[nt++] = (gate__dtok){ (uint32_t)p, (uint32_t)(q - p), 0, GATE__TK_SPACE, 0 };
					p = q;
				}
				continue;
			case A_NEWLINE:
				tok[nt++] = (gate__dtok){ (uint32_t)p, 1, 0, GATE__TK_SPACE, GATE__TF_NEWLINE };
				p++;
				continue;
			case A_PUNCT:
				q = p + 1;
				while (q < end && b[q] == c)
					q++;
				tok[nt++] = (gate__dtok){ (uint32_t)p, (uint32_t)(q - p), 0, GATE__TK_PUNCT, 0 };
				p = q;
				continue;
			default:
				goto general;
			}
		}
general:
		t->ntok = nt;
		if (p >= end)
			break;
		c = b[p];
		if (p == lc->close_hash) {
			q = p + (size_t)run_of(s, p, end, '#');
			if ((error = emit(t, p, q - p, GATE__TK_MARKUP)) < 0)
				return error;
			p = q;
			continue;
		}
		if (c == '\n' || space_at(s, p, end)) {
			if ((error = emit_space(lc, &p, end)) < 0)
				return error;
			continue;
		}
		if (lc->all_markup) {
			q = p;
			while (q < end && s[q] != '\n' && !space_at(s, q, end))
				q++;
			if ((error = emit(t, p, q - p, GATE__TK_MARKUP)) < 0)
				return error;
			p = q;
			continue;
		}
		cls = class_at(s, p, end, &n);
		if (cls == C_LETTER || cls == C_DIGIT || cls == C_MARK || cls == C_IDEO || cls == C_FORMAT) {
			kind = cls == C_DIGIT ? GATE__TK_NUMBER : GATE__TK_WORD;
			if (cls == C_FORMAT && (p + n >= end || space_or_edge(s, p + n, lc->ls, end, false))) {
				/* an invisible format character standing alone */
				kind = GATE__TK_PUNCT;
				q = n;
			} else {
				unsigned char after;

				q = scan_word(s, p, end);
				after = p + q < end ? (unsigned char)s[p + q] : 0;
				/* addresses only where the character after the word allows one */
				if (c < 0x80 && after && strchr("@._%+-:", after)) {
					size_t aq;

					if ((aq = scan_email(s, p, end)) > 0) {
						q = aq;
						kind = GATE__TK_EMAIL;
					} else if ((after == ':' || after == '.') && (aq = scan_url(s, p, end)) > 0) {
						q = aq;
						kind = GATE__TK_URL;
					} else if (after == '.' && (aq = scan_bare_domain(s, p, end)) > q) {
						q = aq;
						kind = GATE__TK_URL;
					}
				}
			}
			if (q == 0)
				q = n;
			if ((error = emit(t, p, q, kind)) < 0)
				return error;
			p += q;
			continue;
		}
		if (c >= 0x80) {
			/* punctuation, symbols: one character (a run of the same one for punctuation) */
			q = p + n;
			if (cls == C_PUNCT || cls == C_APOS || cls == C_HYPH || cls == C_NDASH) {
				while (q + n <= end && memcmp(s + q, s + p, n) == 0)
					q += n;
				kind = GATE__TK_PUNCT;
			} else
				kind = GATE__TK_SYMBOL;
			if ((error = emit(t, p, q - p, kind)) < 0)
				return error;
			p = q;
			continue;
		}
		q = p + 1;
		switch (c) {
		case '-':
			if (p + 1 < end && is_adigit((unsigned char)s[p + 1]) &&
			    (p == lc->ls || is_hspace((unsigned char)s[p - 1]) || s[p - 1] == '(')) {
				/* a negative number: the sign is part of it */
				q = p + 1 + scan_word(s, p + 1, end);
				kind = GATE__TK_NUMBER;
				break;
			}
			q = p + (size_t)run_of(s, p, end, '-');
			kind = GATE__TK_PUNCT;
			break;
		case '*': {
			bool before = space_or_edge(s, p, lc->ls, end, true);
			bool after;

			q = p + (size_t)run_of(s, p, end, '*');
			after = space_or_edge(s, q, lc->ls, end, false);
			if ((before && after) ||
			    (p > lc->ls && q < end && is_adigit((unsigned char)s[p - 1]) && is_adigit((unsigned char)s[q])))
				kind = GATE__TK_SYMBOL;
			else
				kind = GATE__TK_MARKUP;
			break;
		}
		case '_':
			q = p + (size_t)run_of(s, p, end, '_');
			kind = GATE__TK_MARKUP;
			break;
		case '`':
			q = p + (size_t)run_of(s, p, end, '`');
			kind = GATE__TK_MARKUP;
			break;
		case '|':
			kind = GATE__TK_MARKUP;
			break;
		case '~':
			/* strikethrough changes what a reader takes as said: content */
			q = p + (size_t)run_of(s, p, end, '~');
			kind = GATE__TK_SYMBOL;
			break;
		case '\\':
			kind = p + 1 < end && s[p + 1] > ' ' && s[p + 1] < 0x7f && !is_aalnum((unsigned char)s[p + 1])
				? GATE__TK_MARKUP : GATE__TK_SYMBOL;
			break;
		case '<': {
			size_t u = scan_url(s, p + 1, end);
			int uk = GATE__TK_URL;

			if (!u) {
				u = scan_email(s, p + 1, end);
				uk = GATE__TK_EMAIL;
			}
			if (u && p + 1 + u < end && s[p + 1 + u] == '>') {
				/* an autolink: the brackets are markup */
				if ((error = emit(t, p, 1, GATE__TK_MARKUP)) < 0 ||
				    (error = emit(t, p + 1, u, uk)) < 0 ||
				    (error = emit(t, p + 1 + u, 1, GATE__TK_MARKUP)) < 0)
					return error;
				p += u + 2;
				continue;
			}
			kind = GATE__TK_SYMBOL;
			break;
		}
		default:
			if (strchr(".,;:!?\"'()[]{}", c)) {
				q = p + (size_t)run_of(s, p, end, (char)c);
				kind = GATE__TK_PUNCT;
			} else
				kind = GATE__TK_SYMBOL;
			break;
		}
		if ((error = emit(t, p, q - p, kind)) < 0)
			return error;
		p = q;
	}
	return 0;
}

/* The marks a decoration line is made of. */
static const unsigned char deco_mark[256] = {
	['='] = 1, ['-'] = 1, ['*'] = 1, ['_'] = 1, ['|'] = 1, [':'] = 1, ['+'] = 1,
};

/* A line of only '=' or '-' (a setext underline), a horizontal rule, or a
 * table delimiter row; returns its line flags, 0 for any other line. */
static uint8_t decoration(const char *s, size_t cs, size_t ce)
{
	static const char marks[] = "=-*_|:+";
	size_t counts[sizeof(marks) - 1];
	size_t total = 0, kinds = 0;
	bool inner_space = false;

	/* most lines start with a word: not decoration */
	if (cs >= ce || !deco_mark[(unsigned char)s[cs]])
		return 0;
	memset(counts, 0, sizeof(counts));
	for (size_t i = cs; i < ce; i++) {
		const char *m;

		if (s[i] == ' ' || s[i] == '\t') {
			inner_space = true;
			continue;
		}
		if (!s[i] || !(m = strchr(marks, s[i])))
			return 0;
		if (!counts[m - marks]++)
			kinds++;
		total++;
	}
#define COUNT(c) counts[strchr(marks, c) - marks]
	if (kinds == 1 && !inner_space && total >= 2 && (COUNT('=') || COUNT('-')))
		return GATE__LF_UNDERLINE | (COUNT('-') >= 3 ? GATE__LF_RULE : 0);
	if (kinds == 1 && total >= 3 && (COUNT('-') || COUNT('*') || COUNT('_')))
		return GATE__LF_RULE;
	if (COUNT('-') && (COUNT('|') || COUNT('+')) && !COUNT('=') && !COUNT('*') && !COUNT('_'))
		return GATE__LF_RULE;
#undef COUNT
	return 0;
}

/*
 * The start of a line ending at `le` (its '\n' or the text's end): its
 * markup flags from the line itself and the flags `prev` of the line before
 * it, and the block markers before its running text (tokens when
 * lc->emit). Sets *pp to where scan_inline() goes on. The flags pass
 * (gate__dtext_lines) and the tokeniser both go through here, so that they
 * cannot disagree.
 */
static int line_head(line_ctx *lc, size_t le, uint8_t prev, uint8_t *out, size_t *pp)
{
	gate__dtext *t = lc->t;
	const char *s = t->s;
	size_t ls = lc->ls, cs = ls, ce = le, p;
	bool block_ok = GATE__LF_BLOCK_OK(prev);
	uint8_t flags = 0;
	int error;

	*pp = ls;
	while (cs < ce && (s[cs] == ' ' || s[cs] == '\t'))
		cs++;
	while (ce > cs && is_hspace((unsigned char)s[ce - 1]))
		ce--;
	if (cs == ce) {
		*out = GATE__LF_BLANK;
		return 0;
	}
	if (ascii_act[(unsigned char)s[cs]] == A_ALNUM && !is_adigit((unsigned char)s[cs])) {
		/* a letter: no marker, no decoration (the common case, made quick) */
		if (cs > ls && lc->emit && (error = emit(t, ls, cs - ls, GATE__TK_SPACE)) < 0)
			return error;
		*out = 0;
		*pp = cs;
		return 0;
	}
	if ((flags = decoration(s, cs, ce)) != 0) {
		lc->all_markup = true;
		*out = flags;
		return 0;
	}
	p = ls;
	if (cs > ls && (error = emit_space(lc, &p, cs)) < 0)
		return error;
	p = cs;
	/* blockquote markers; a '>' that follows a paragraph line is a symbol ("> 16") */
	while (p < ce && s[p] == '>' && (block_ok || (flags & GATE__LF_QUOTE))) {
		if (lc->emit && (error = emit(t, p, 1, GATE__TK_MARKUP)) < 0)
			return error;
		p++;
		flags |= GATE__LF_QUOTE;
		if (p < ce && (s[p] == ' ' || s[p] == '\t') && (error = emit_space(lc, &p, ce)) < 0)
			return error;
	}
	if (p < ce && s[p] == '#') {
		int n = run_of(s, p, ce, '#');

		if (n <= 6 && (p + (size_t)n == ce || s[p + n] == ' ' || s[p + n] == '\t')) {
			size_t h = ce;

			if (lc->emit && (error = emit(t, p, (size_t)n, GATE__TK_MARKUP)) < 0)
				return error;
			p += (size_t)n;
			flags |= GATE__LF_ATX;
			/* a closing sequence: spaces, then only '#' to the end */
			while (h > p && s[h - 1] == '#')
				h--;
			if (h < ce && h > p && (s[h - 1] == ' ' || s[h - 1] == '\t'))
				lc->close_hash = h;
		}
	} else if (p + 1 < ce && (s[p] == '-' || s[p] == '*' || (s[p] == '+' && block_ok)) &&
		(s[p + 1] == ' ' || s[p + 1] == '\t')) {
		if (lc->emit && (error = emit(t, p, 1, GATE__TK_MARKUP)) < 0)
			return error;
		p++;
		flags |= GATE__LF_LIST;
	} else if (p < ce && is_adigit((unsigned char)s[p])) {
		size_t q = p;

		while (q < ce && q - p < 4 && is_adigit((unsigned char)s[q]))
			q++;
		/* an ordered list item; after a paragraph line only "1." starts a
		 * list, so "...in\n2026. We" stays a number */
		if (q - p <= 3 && q + 1 < ce && (s[q] == '.' || s[q] == ')') &&
		    (s[q + 1] == ' ' || s[q + 1] == '\t') &&
		    (block_ok || (q - p == 1 && s[p] == '1'))) {
			if (lc->emit && (error = emit(t, p, q + 1 - p, GATE__TK_MARKUP)) < 0)
				return error;
			p = q + 1;
			flags |= GATE__LF_LIST;
		}
	}
	*out = flags;
	*pp = p;
	return 0;
}

/* --- lines and texts ------------------------------------------------------------------- */

size_t gate__dtext_line_end(const gate__dtext *t, size_t l)
{
	return l + 1 < t->nlines ? t->lines[l + 1] : t->len;
}

size_t gate__dtext_line_of(const gate__dtext *t, size_t off)
{
	size_t lo = 0, hi = t->nlines;

	/* the last line start not after `off` */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Where line l's content ends: at its '\n', or at the text's end. */
static size_t content_end(const gate__dtext *t, size_t l)
{
	return l + 1 < t->nlines ? t->lines[l + 1] - 1 : t->len;
}

static uint8_t prev_flags(const gate__dtext *t, size_t l)
{
	return l ? t->line_flags[l - 1] : GATE__LF_BLANK;
}

int gate__dtext_lines(gate__dtext *t)
{
	const char *s = t->s;
	int error;

	if (!t->lines) {
		size_t n = 1, k = 1;
		const char *p = s, *end = s + t->len;

		while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			n++;
			p++;
		}
		if (!(t->lines_owned = gate__malloc(n * sizeof(*t->lines_owned))))
			return GATE_ENOMEM;
		t->lines_owned[0] = 0;
		for (p = s; p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
			t->lines_owned[k++] = (size_t)(p - s) + 1;
		t->lines = t->lines_owned;
		t->nlines = n;
	}
	if (!(t->line_flags = gate__malloc(t->nlines)) ||
	    !(t->lfirst = gate__malloc(t->nlines * sizeof(*t->lfirst))) ||
	    !(t->lend = gate__malloc(t->nlines * sizeof(*t->lend))))
		return GATE_ENOMEM;
	memset(t->lfirst, 0xff, t->nlines * sizeof(*t->lfirst));
	for (size_t l = 0; l < t->nlines; l++) {
		line_ctx lc = { t, t->lines[l], SIZE_MAX, false, false };
		size_t p;

		if ((error = line_head(&lc, content_end(t, l), prev_flags(t, l), &t->line_flags[l], &p)) < 0)
			return error;
	}
	return 0;
}

/* Tokens of line l, appended (room reserved). */
static int tokenize_line(gate__dtext *t, size_t l)
{
	size_t le = content_end(t, l), end = gate__dtext_line_end(t, l), p;
	line_ctx lc = { t, t->lines[l], SIZE_MAX, false, true };
	uint8_t flags;
	int error;

	if ((error = reserve_line(t, end - lc.ls)) < 0 ||
	    (error = line_head(&lc, le, prev_flags(t, l), &flags, &p)) < 0 ||
	    (error = scan_inline(&lc, p, end)) < 0)
		return error;
	/* the flags pass saw the same line with the same line before it */
	if (flags != (t->line_flags[l] & GATE__LF_MARKUP))
		return gate__error_set(GATE_EINVALID, "diff: line %zu tokenised unlike its flags", l + 1);
	return 0;
}

int gate__dtext_tokenize(gate__dtext *t, size_t l0, size_t l1)
{
	size_t off = l1 < t->nlines ? t->lines[l1] : t->len;
	uint8_t flags = GATE__TF_NEWLINE;
	int error;

	if (t->ntouched + (l1 - l0) > t->touched_alloc) {
		size_t want = t->touched_alloc * 2 > t->ntouched + (l1 - l0) ? t->touched_alloc * 2 : t->ntouched + (l1 - l0) + 64;
		uint32_t *grown = gate__realloc(t->touched, want * sizeof(*grown));

		if (!grown)
			return GATE_ENOMEM;
		t->touched = grown;
		t->touched_alloc = want;
	}
	for (size_t l = l0; l < l1; l++) {
		t->lfirst[l] = (uint32_t)t->ntok;
		t->touched[t->ntouched++] = (uint32_t)l;
		if ((error = tokenize_line(t, l)) < 0)
			return error;
		t->lend[l] = (uint32_t)t->ntok;
	}
	if ((error = reserve_line(t, 0)) < 0)
		return error;
	if (off >= t->len)
		flags |= GATE__TF_TEXTEND;
	else {
		size_t n;

		/* what a cut here reads like (diff_align.c's cut_score) */
		if (t->s[off] != '\n' && class_at(t->s, off, t->len, &n) != C_SPACE)
			flags |= GATE__TF_NEXTWORD;
	}
	put(t, off, 0, GATE__TK_END, flags);
	t->ids[t->ntok - 1] = GATE__ID_END;
	return 0;
}

/* --- counting words without tokens -------------------------------------------------------- */

/* What count_plain() does with a byte: step over it, read a word, look at the
 * byte after it ('.' and ':'), or give up (non-ASCII, addresses, autolinks). */
enum { CW_STEP = 0, CW_WORD, CW_PEEK, CW_GIVE_UP, CW_END };

static const unsigned char count_class[256] = {
	[0] = CW_END, ['\n'] = CW_END,
	['0'] = CW_WORD, ['1'] = CW_WORD, ['2'] = CW_WORD, ['3'] = CW_WORD, ['4'] = CW_WORD,
	['5'] = CW_WORD, ['6'] = CW_WORD, ['7'] = CW_WORD, ['8'] = CW_WORD, ['9'] = CW_WORD,
	['A'] = CW_WORD, ['B'] = CW_WORD, ['C'] = CW_WORD, ['D'] = CW_WORD, ['E'] = CW_WORD,
	['F'] = CW_WORD, ['G'] = CW_WORD, ['H'] = CW_WORD, ['I'] = CW_WORD, ['J'] = CW_WORD,
	['K'] = CW_WORD, ['L'] = CW_WORD, ['M'] = CW_WORD, ['N'] = CW_WORD, ['O'] = CW_WORD,
	['P'] = CW_WORD, ['Q'] = CW_WORD, ['R'] = CW_WORD, ['S'] = CW_WORD, ['T'] = CW_WORD,
	['U'] = CW_WORD, ['V'] = CW_WORD, ['W'] = CW_WORD, ['X'] = CW_WORD, ['Y'] = CW_WORD,
	['Z'] = CW_WORD,
	['a'] = CW_WORD, ['b'] = CW_WORD, ['c'] = CW_WORD, ['d'] = CW_WORD, ['e'] = CW_WORD,
	['f'] = CW_WORD, ['g'] = CW_WORD, ['h'] = CW_WORD, ['i'] = CW_WORD, ['j'] = CW_WORD,
	['k'] = CW_WORD, ['l'] = CW_WORD, ['m'] = CW_WORD, ['n'] = CW_WORD, ['o'] = CW_WORD,
	['p'] = CW_WORD, ['q'] = CW_WORD, ['r'] = CW_WORD, ['s'] = CW_WORD, ['t'] = CW_WORD,
	['u'] = CW_WORD, ['v'] = CW_WORD, ['w'] = CW_WORD, ['x'] = CW_WORD, ['y'] = CW_WORD,
	['z'] = CW_WORD,
	['.'] = CW_PEEK, [':'] = CW_PEEK, ['@'] = CW_GIVE_UP, ['<'] = CW_GIVE_UP,
	[0x80] = CW_GIVE_UP, [0x81] = CW_GIVE_UP, [0x82] = CW_GIVE_UP, [0x83] = CW_GIVE_UP,
	[0x84] = CW_GIVE_UP, [0x85] = CW_GIVE_UP, [0x86] = CW_GIVE_UP, [0x87] = CW_GIVE_UP,
	[0x88] = CW_GIVE_UP, [0x89] = CW_GIVE_UP, [0x8a] = CW_GIVE_UP, [0x8b] = CW_GIVE_UP,
	[0x8c] = CW_GIVE_UP, [0x8d] = CW_GIVE_UP, [0x8e] = CW_GIVE_UP, [0x8f] = CW_GIVE_UP,
	[0x90] = CW_GIVE_UP, [0x91] = CW_GIVE_UP, [0x92] = CW_GIVE_UP, [0x93] = CW_GIVE_UP,
	[0x94] = CW_GIVE_UP, [0x95] = CW_GIVE_UP, [0x96] = CW_GIVE_UP, [0x97] = CW_GIVE_UP,
	[0x98] = CW_GIVE_UP, [0x99] = CW_GIVE_UP, [0x9a] = CW_GIVE_UP, [0x9b] = CW_GIVE_UP,
	[0x9c] = CW_GIVE_UP, [0x9d] = CW_GIVE_UP, [0x9e] = CW_GIVE_UP, [0x9f] = CW_GIVE_UP,
	[0xa0] = CW_GIVE_UP, [0xa1] = CW_GIVE_UP, [0xa2] = CW_GIVE_UP, [0xa3] = CW_GIVE_UP,
	[0xa4] = CW_GIVE_UP, [0xa5] = CW_GIVE_UP, [0xa6] = CW_GIVE_UP, [0xa7] = CW_GIVE_UP,
	[0xa8] = CW_GIVE_UP, [0xa9] = CW_GIVE_UP, [0xaa] = CW_GIVE_UP, [0xab] = CW_GIVE_UP,
	[0xac] = CW_GIVE_UP, [0xad] = CW_GIVE_UP, [0xae] = CW_GIVE_UP, [0xaf] = CW_GIVE_UP,
	[0xb0] = CW_GIVE_UP, [0xb1] = CW_GIVE_UP, [0xb2] = CW_GIVE_UP, [0xb3] = CW_GIVE_UP,
	[0xb4] = CW_GIVE_UP, [0xb5] = CW_GIVE_UP, [0xb6] = CW_GIVE_UP, [0xb7] = CW_GIVE_UP,
	[0xb8] = CW_GIVE_UP, [0xb9] = CW_GIVE_UP, [0xba] = CW_GIVE_UP, [0xbb] = CW_GIVE_UP,
	[0xbc] = CW_GIVE_UP, [0xbd] = CW_GIVE_UP, [0xbe] = CW_GIVE_UP, [0xbf] = CW_GIVE_UP,
	[0xc0] = CW_GIVE_UP, [0xc1] = CW_GIVE_UP, [0xc2] = CW_GIVE_UP, [0xc3] = CW_GIVE_UP,
	[0xc4] = CW_GIVE_UP, [0xc5] = CW_GIVE_UP, [0xc6] = CW_GIVE_UP, [0xc7] = CW_GIVE_UP,
	[0xc8] = CW_GIVE_UP, [0xc9] = CW_GIVE_UP, [0xca] = CW_GIVE_UP, [0xcb] = CW_GIVE_UP,
	[0xcc] = CW_GIVE_UP, [0xcd] = CW_GIVE_UP, [0xce] = CW_GIVE_UP, [0xcf] = CW_GIVE_UP,
	[0xd0] = CW_GIVE_UP, [0xd1] = CW_GIVE_UP, [0xd2] = CW_GIVE_UP, [0xd3] = CW_GIVE_UP,
	[0xd4] = CW_GIVE_UP, [0xd5] = CW_GIVE_UP, [0xd6] = CW_GIVE_UP, [0xd7] = CW_GIVE_UP,
	[0xd8] = CW_GIVE_UP, [0xd9] = CW_GIVE_UP, [0xda] = CW_GIVE_UP, [0xdb] = CW_GIVE_UP,
	[0xdc] = CW_GIVE_UP, [0xdd] = CW_GIVE_UP, [0xde] = CW_GIVE_UP, [0xdf] = CW_GIVE_UP,
	[0xe0] = CW_GIVE_UP, [0xe1] = CW_GIVE_UP, [0xe2] = CW_GIVE_UP, [0xe3] = CW_GIVE_UP,
	[0xe4] = CW_GIVE_UP, [0xe5] = CW_GIVE_UP, [0xe6] = CW_GIVE_UP, [0xe7] = CW_GIVE_UP,
	[0xe8] = CW_GIVE_UP, [0xe9] = CW_GIVE_UP, [0xea] = CW_GIVE_UP, [0xeb] = CW_GIVE_UP,
	[0xec] = CW_GIVE_UP, [0xed] = CW_GIVE_UP, [0xee] = CW_GIVE_UP, [0xef] = CW_GIVE_UP,
	[0xf0] = CW_GIVE_UP, [0xf1] = CW_GIVE_UP, [0xf2] = CW_GIVE_UP, [0xf3] = CW_GIVE_UP,
	[0xf4] = CW_GIVE_UP, [0xf5] = CW_GIVE_UP, [0xf6] = CW_GIVE_UP, [0xf7] = CW_GIVE_UP,
	[0xf8] = CW_GIVE_UP, [0xf9] = CW_GIVE_UP, [0xfa] = CW_GIVE_UP, [0xfb] = CW_GIVE_UP,
	[0xfc] = CW_GIVE_UP, [0xfd] = CW_GIVE_UP, [0xfe] = CW_GIVE_UP, [0xff] = CW_GIVE_UP,
};

/*
 * The words of running text s[p, le) when it is plain ASCII prose, else
 * SIZE_MAX. Why this agrees with scan_inline(): without bytes >= 0x80, '@'
 * and '<', without ':' before a non-space and '.' before a letter or digit,
 * no e-mail address, URL or domain can start (each needs '@', "://",
 * "mailto:", "tel:", "www." or a '.' between labels), so every word or
 * number token is exactly what scan_word() reads from a letter or digit:
 * letters and digits joined by "'" before a letter, '-' or '_' between two
 * of them, ',' or '/' between two digits ('.' and ':' between digits are
 * excluded above). A letter or digit belongs to no other token (block
 * markers are behind `p`; '-', '*', '_', '\\' and the rest take no letter
 * or digit), and scan_word() joins across one joiner only, the byte before
 * which is then a letter or digit of the same word. So a word starts at each
 * letter or digit whose previous byte is neither one nor such a joiner.
 */
/* The bytes that may join two parts of a word (see count_plain()). */
static const unsigned char joiner[256] = { ['\''] = 1, ['-'] = 1, ['_'] = 1, [','] = 1, ['/'] = 1 };

static size_t count_plain(const char *s, size_t p, size_t le)
{
	const unsigned char *b = (const unsigned char *)s;
	size_t i = p, words = 0;

	/* the line's content ends at its '\n' or at the text's closing NUL (CW_END) */
	for (;;) {
		unsigned char c = b[i];

		switch (count_class[c]) {
		case CW_STEP:
			i++;
			continue;
		case CW_END:
			return words;
		case CW_WORD:
			if (i >= p + 2 && joiner[b[i - 1]] && ascii_alnum[b[i - 2]]) {
				unsigned char j = b[i - 1];

				words += !(j == '-' || j == '_' || (j == '\'' && !is_adigit(c)) ||
					((j == ',' || j == '/') && is_adigit(c) && is_adigit(b[i - 2])));
			} else
				words++;
			while (ascii_alnum[b[++i]])
				;
			continue;
		case CW_PEEK:
			if (i + 1 < le && (c == '.' ? ascii_alnum[b[i + 1]] : !is_hspace(b[i + 1])))
				return SIZE_MAX;
			i++;
			continue;
		default:
			return SIZE_MAX;
		}
	}
}

int gate__dtext_count_words(gate__dtext *t, size_t l0, size_t l1, size_t *out)
{
	size_t words = 0;
	int error;

	for (size_t l = l0; l < l1; l++) {
		line_ctx lc = { t, t->lines[l], SIZE_MAX, false, false };
		size_t le = content_end(t, l), p, n, mark;
		uint8_t flags;

		/* blank lines and decoration hold marks only */
		if (t->line_flags[l] & (GATE__LF_BLANK | GATE__LF_RULE | GATE__LF_UNDERLINE))
			continue;
		if ((error = line_head(&lc, le, prev_flags(t, l), &flags, &p)) < 0)
			return error;
		if (p >= le)
			continue; /* markers only */
		if ((n = count_plain(t->s, p, le)) != SIZE_MAX) {
			words += n;
			continue;
		}
		/* anything else: tokenise the line, count, forget the tokens */
		mark = t->ntok;
		if ((error = tokenize_line(t, l)) < 0)
			return error;
		for (size_t i = mark; i < t->ntok; i++)
			words += GATE__TK_COUNTED(t->tok[i].kind);
		t->ntok = mark;
	}
	*out = words;
	return 0;
}

void gate__dtext_reset(gate__dtext *t)
{
	for (size_t i = 0; i < t->ntouched; i++)
		t->lfirst[t->touched[i]] = GATE__NOTOK;
	t->ntouched = 0;
	t->ntok = 0;
	t->nsem = 0;
}

void gate__dtext_free(gate__dtext *t)
{
	free(t->lines_owned);
	free(t->line_flags);
	free(t->lfirst);
	free(t->lend);
	free(t->tok);
	free(t->ids);
	free(t->sems);
	free(t->sem_tok);
	free(t->touched);
	free(t->heading_state);
	free(t->section);
	free(t->heading);
	free(t->heading_cats);
	memset(t, 0, sizeof(*t));
}
