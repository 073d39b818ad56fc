/* diff_engine.h: the diff engine's private types and steps, shared by diff.c and diff_*.c (renderers use diff.h). */
#ifndef GATE_DIFF_ENGINE_H
#define GATE_DIFF_ENGINE_H

#include "diff.h"

#include <regex.h>

/* --- tokens (diff_token.c) ---------------------------------------------------- */

/* Token kinds. WORD, NUMBER, EMAIL, URL and SYMBOL carry meaning; SPACE,
 * PUNCT (meaning-free punctuation) and MARKUP do not. END is no text: it
 * closes each run of tokenised lines (see gate__dtext_tokenize()). */
enum {
	GATE__TK_SPACE = 0,
	GATE__TK_WORD,
	GATE__TK_NUMBER,
	GATE__TK_EMAIL,
	GATE__TK_URL,
	GATE__TK_SYMBOL,
	GATE__TK_PUNCT,
	GATE__TK_MARKUP,
	GATE__TK_END
};

#define GATE__TK_MEANINGFUL(k) ((k) >= GATE__TK_WORD && (k) <= GATE__TK_SYMBOL)
/* Tokens counted as words in gate_diff_stats. */
#define GATE__TK_COUNTED(k) ((k) >= GATE__TK_WORD && (k) <= GATE__TK_URL)

/* Token flags. */
#define GATE__TF_NEWLINE  1u  /* a space token that ends its line; every END token */
#define GATE__TF_NONASCII 2u  /* holds a byte >= 0x80 */
#define GATE__TF_TEXTEND  4u  /* an END token at the end of the text */
#define GATE__TF_NEXTWORD 8u  /* an END token before a line that does not start with a space */
#define GATE__TF_DATE     16u /* on a date-stamp line (gate__dclassify_dates) */

/* The exact id of END tokens: equal to no other token's. */
#define GATE__ID_END UINT32_MAX
/* gate__dtext.lfirst of a line that has no tokens yet. */
#define GATE__NOTOK UINT32_MAX

/* 16 bytes: the diff may hold hundreds of thousands (the exact ids are in gate__dtext.ids). */
typedef struct gate__dtok {
	uint32_t off;      /* byte offset in the text (texts stay under 2 GiB) */
	uint32_t len;      /* bytes */
	uint32_t sem;      /* normalised form, interned; 0 when the token carries no meaning here */
	uint8_t kind;
	uint8_t flags;
} gate__dtok;

/* Line flags. The markup flags (BLANK to QUOTE) are known for every line
 * (gate__dtext_lines()); DATE and HEADING only for tokenised lines. */
#define GATE__LF_BLANK     0x01u
#define GATE__LF_ATX       0x02u  /* "# Heading" */
#define GATE__LF_UNDERLINE 0x04u  /* only '=' or only '-': a setext underline after a paragraph line */
#define GATE__LF_RULE      0x08u  /* a horizontal rule or a table delimiter row */
#define GATE__LF_LIST      0x10u  /* starts with a list marker */
#define GATE__LF_QUOTE     0x20u  /* starts with a blockquote marker */
#define GATE__LF_DATE      0x40u  /* the notice's date-stamp line */
#define GATE__LF_HEADING   0x80u  /* a heading of any kind (set by diff_classify.c) */
#define GATE__LF_MARKUP    0x3fu

/* After a line with these flags a block may start: a quote, a '+' list, any
 * ordered list. After a paragraph line, "> 16" and "2026. We" are text. */
#define GATE__LF_BLOCK_OK(f) (((f) & (GATE__LF_BLANK | GATE__LF_LIST | GATE__LF_QUOTE | \
	GATE__LF_ATX | GATE__LF_RULE | GATE__LF_UNDERLINE)) != 0)

/*
 * One text, cut into lines, of which only some are tokenised: the diff
 * tokenises the lines that changed and the context their meaning depends
 * on, and leaves the others as bytes. Tokens are kept in runs of whole
 * lines, each run closed by an END token; `lfirst`/`lend` give each
 * tokenised line's tokens.
 */
typedef struct gate__dtext {
	const char *s;         /* s[len] is a NUL (the tokeniser's scans stop on it) */
	size_t len;
	const size_t *lines;   /* start of each line (line i + 1 starts after the i-th '\n') */
	size_t *lines_owned;   /* `lines` when the text made it */
	size_t nlines;
	uint8_t *line_flags;   /* every line's flags */
	uint32_t *lfirst;      /* per line: its first token; GATE__NOTOK when not tokenised */
	uint32_t *lend;        /* per line: one past its last token */
	uint32_t *touched;     /* the lines tokenised since the last gate__dtext_reset() */
	size_t ntouched, touched_alloc;
	gate__dtok *tok;
	uint32_t *ids;         /* every token's exact id (equal ids, equal bytes), by token (gate__dnorm_exact) */
	size_t ntok, tok_alloc;
	uint32_t *sems;        /* meaningful tokens' normalised ids (gate__dnorm_semantic) */
	uint32_t *sem_tok;     /* the token each of `sems` comes from */
	size_t nsem, sem_alloc;
	size_t words;          /* words, numbers and addresses among the tokens given to gate__dnorm_semantic() */
	uint8_t *heading_state; /* per line: 0 unknown, 1 not a heading, 2 a heading (diff_classify.c) */
	int32_t *section;      /* per line: the heading line at or before it; -1 none, -2 not known yet */
	const char **heading;  /* per heading line: its text without markup (lazily made) */
	uint16_t *heading_cats; /* per heading line: its words' categories | 0x8000 once known */
} gate__dtext;

/* Cuts `t->s` into lines (unless `t->lines` is set) and gives every line its
 * markup flags; no line is tokenised yet. */
int gate__dtext_lines(gate__dtext *t);
/* The byte just after line `l` ('\n' included). */
size_t gate__dtext_line_end(const gate__dtext *t, size_t l);
/* The line holding byte `off` (the text's length: the last line). */
size_t gate__dtext_line_of(const gate__dtext *t, size_t off);
/* Tokenises lines [l0, l1) (none of them tokenised yet) and closes them with
 * an END token; the first line reads the markup flags of the line before it. */
int gate__dtext_tokenize(gate__dtext *t, size_t l0, size_t l1);
/* Forgets every token (their memory is kept for the next lines). */
void gate__dtext_reset(gate__dtext *t);
/* The words (as gate__dnorm_semantic() counts them) of lines [l0, l1),
 * tokenised or not, into *out; no tokens are kept. */
int gate__dtext_count_words(gate__dtext *t, size_t l0, size_t l1, size_t *out);
void gate__dtext_free(gate__dtext *t);

/* --- interning and normalisation (diff_norm.c) --------------------------------------- */

typedef struct gate__intern {
	uint32_t *slots;       /* id - base + 1; 0: empty */
	size_t mask;
	const char **key;
	uint32_t *klen;
	uint64_t *khash;
	size_t count, alloc;
	uint32_t base;         /* the first id handed out */
	bool keyed;            /* hashing with SipHash (after a long probe), else a cheap mix */
	unsigned char key_bytes[16]; /* SipHash's key once keyed */
} gate__intern;

/* Interns `p[0..len)` (kept by pointer: it must outlive the table). */
int gate__intern_id(gate__intern *in, const char *p, size_t len, uint32_t *out);
/* Room for `n` keys in an empty table, so that it never grows on the way. */
int gate__intern_reserve(gate__intern *in, size_t n);
void gate__intern_free(gate__intern *in);

/* A token of 2 to 8 bytes, its bytes packed in an integer (no token holds a NUL), and its id. */
typedef struct gate__dshort {
	uint64_t key;          /* 0: an empty slot */
	uint32_t id;
} gate__dshort;

/* Normalisation state: exact ids of both texts, and the normalised ids. */
typedef struct gate__dnorm {
	gate__dshort *shorts;  /* ids of short tokens, found without hashing bytes */
	size_t shorts_mask, shorts_count;
	bool shorts_off;       /* probing ran long: short tokens go through `exact` */
	gate__intern exact;    /* ids 0..255 are the single bytes; longer tokens from 256 */
	gate__intern norm;     /* ids from 1; 0 means "no meaning" */
	gate__arena keys;      /* normalised keys */
	uint32_t *norm_of;     /* per exact id: its normalised id; UINT32_MAX: not computed */
	size_t norm_of_count, norm_of_alloc;
	gate_buf scratch;
} gate__dnorm;

/* Gives tokens [i0, i1) of `t` their exact ids (in `tok[].id` and `ids`). */
int gate__dnorm_exact(gate__dnorm *n, gate__dtext *t, size_t i0, size_t i1);
/* Gives the meaningful tokens among [i0, i1) of `t` their normalised ids (0
 * for the others and for tokens on date lines) and appends them to `sems`
 * and `sem_tok`; adds their words to `words` when `count`. Call after
 * gate__dnorm_exact() on the same tokens. */
int gate__dnorm_semantic(gate__dnorm *n, gate__dtext *t, size_t i0, size_t i1, bool count);
/* The normalised form of one token (NFKC, case folded, typography made plain). */
int gate__dnorm_key(gate_buf *out, const char *p, size_t len, int kind);
/* `p[0..len)` with typographic quotes, dashes, ellipses and no-break spaces made plain. */
int gate__dnorm_typography(gate_buf *out, const char *p, size_t len);
/* `p[0..len)` case folded (and NFC), or with compatibility forms folded (NFKC). */
int gate__dnorm_fold(gate_buf *out, const char *p, size_t len, int compat, int casefold);
/* 1 when `p[0..len)` holds a typographic character made plain by gate__dnorm_typography(). */
int gate__dnorm_has_typography(const char *p, size_t len);
void gate__dnorm_free(gate__dnorm *n);

/* --- alignment (diff_align.c) ------------------------------------------------------- */

/* Old [a0, a1) was replaced by new [b0, b1); what lies between hunks is equal. */
typedef struct gate__hunk {
	size_t a0, a1, b0, b1;
} gate__hunk;

typedef struct gate__hunks {
	gate__hunk *h;
	size_t count, alloc;
} gate__hunks;

typedef struct gate__aligner {
	uint32_t nids;          /* every id compared is below this */
	uint32_t *cnt_a, *cnt_b, *pos_a;
	int32_t *v;             /* Myers scratch */
	size_t vcap;
	unsigned long max_cost; /* work allowed in one region */
	unsigned long cost;     /* work done in the current region */
	int coarse;             /* a region fell back to a coarse replacement */
} gate__aligner;

int gate__aligner_init(gate__aligner *al, uint32_t nids, unsigned long max_cost);
/* Makes room for ids below `nids` (an aligner zeroed or made by gate__aligner_init()). */
int gate__aligner_grow(gate__aligner *al, uint32_t nids);
void gate__aligner_free(gate__aligner *al);
/* Appends the hunks turning a[a0, a1) into b[b0, b1) to `out` (ids compared
 * as integers). The work is capped at `al->max_cost` per call; past it, what
 * is left becomes one replacement and `al->coarse` is set. */
int gate__align(gate__aligner *al, const uint32_t *a, size_t a0, size_t a1,
	const uint32_t *b, size_t b0, size_t b1, gate__hunks *out);
/* Token hunks made readable: whole lines added after a changed line split
 * from it, insertions and deletions slid to line and word starts, short
 * equal runs between two hunks (within a line) folded into them. Hunks
 * never reach over an END token. */
int gate__hunks_cleanup(gate__hunks *h, const gate__dtext *a, const gate__dtext *b);
int gate__hunks_push(gate__hunks *out, size_t a0, size_t a1, size_t b0, size_t b1);
void gate__hunks_free(gate__hunks *h);

/* --- settings (diff_config.c) -------------------------------------------------------- */

/* A category keyword, case folded. */
typedef struct gate__dstem {
	const char *s;
	uint32_t len;
	uint32_t category;       /* its category's bit number */
} gate__dstem;

typedef struct gate__dconfig {
	regex_t *dates;
	size_t ndates, dates_alloc;
	bool *date_needs_digit;  /* per pattern: it uses {date}, so a line without a digit cannot match */
	bool any_without_digit;  /* some pattern may match a line without digits */
	bool only_builtin;       /* the one pattern is the built-in one (gate__dconfig_builtin_candidate() applies) */
	bool pending;            /* the built-in pattern is not compiled yet (gate__dconfig_compile()) */
	gate__strlist stems[GATE_CATEGORY_COUNT];
	gate__dstem *stem_tab;   /* every stem, grouped by first byte: */
	uint32_t stem_at[257];   /* those starting with byte c are stem_tab[stem_at[c], stem_at[c + 1]) */
} gate__dconfig;

/* Date patterns and category keywords from `opts`, else `g`'s gate.conf, else
 * the defaults. A bad pattern or an unknown category is GATE_EINVALID. The
 * built-in pattern is compiled on first use. */
int gate__dconfig_load(gate__dconfig *cfg, gate *g, const gate_diff_options *opts);
/* Compiles what gate__dconfig_load() left for later; `dates` is usable after it. */
int gate__dconfig_compile(gate__dconfig *cfg);
/* False when the built-in pattern cannot match a line whose plain text (markup
 * left out) starts with words w1 and w2 (either may be NULL: no such word). */
bool gate__dconfig_builtin_candidate(const char *w1, size_t n1, const char *w2, size_t n2);
void gate__dconfig_free(gate__dconfig *cfg);
/* The built-in date regular expression that "{date}" stands for. */
const char *gate__dconfig_date_regex(void);

/* --- the engine (diff.c) and its classification (diff_classify.c) ------------------------ */

/*
 * A changed region: old lines [a0, a1) against new lines [b0, b1), with the
 * context their meaning depends on. Between two regions (and before the
 * first, after the last) the lines are equal pairs that tokenise alike.
 * Regions are tokenised one at a time, in the same token buffers.
 */
typedef struct gate__dregion {
	size_t a0, a1, b0, b1;      /* lines */
	size_t ta1, tb1;            /* while tokenised: its tokens are [0, ta1) and [0, tb1), END at ta1, tb1 */
	size_t sa0, sa1, sb0, sb1;  /* its meaningful tokens' ids in the engine's rsems[0] and rsems[1] */
	size_t lh0, lh1;            /* its line hunks */
	size_t c0, c1;              /* its changes */
} gate__dregion;

/* The engine's whole state during one diff. */
typedef struct gate__dengine {
	gate_diff *d;
	const gate__dconfig *cfg;
	gate__dtext t[2];
	gate__dnorm norm;
	gate__hunks lines;      /* line hunks */
	gate__dregion *regions;
	size_t nregions;
	gate__hunks hunks;      /* the token hunks of the region tokenised now, one per change */
	gate__aligner al_tok;   /* token alignment, grown with the exact ids */
	int32_t *change_heading; /* per change: the heading line it falls under, -1 for none */
	uint32_t *typo_sem;     /* per change: the replaced word when the change may fix a typo, else 0 */
	size_t changes_alloc;
	/* every region's meaningful ids, region by region (for the whole-text comparison) */
	uint32_t *rsems[2];
	size_t nrsem[2], rsem_alloc[2];
	/* the meaningful ids of the equal lines before each region (k) and after the
	 * last (k == nregions), tokenised on demand from the old text */
	uint32_t *esems;
	size_t nesem, esem_alloc;
	size_t *eq_sem0, *eq_sem1; /* [eq_sem0[k], eq_sem1[k]) in esems; eq_sem0[k] == SIZE_MAX: not yet */
	unsigned long max_cost;
	int coarse;
} gate__dengine;

/* Tokenises region r in both texts (after forgetting every token), with ids
 * and meaningful tokens, and aligns its tokens into e->hunks. */
int gate__dengine_region(gate__dengine *e, gate__dregion *r, bool count);
/* Tokenises the equal lines before region k (k == nregions: after the last)
 * from the old text, if not done yet, and gives their meaningful ids' range
 * in e->esems. Forgets every token. */
int gate__dengine_equal_sems(gate__dengine *e, size_t k, size_t *s0, size_t *s1);
/* Makes line `line` of side `side` tokenised, with exact and normalised ids
 * and its date-line flag (an on-demand line outside the current region). */
int gate__dengine_line(gate__dengine *e, int side, size_t line);

/* Sets GATE__LF_DATE on the date-stamp lines among tokenised lines [l0, l1) of `t`. */
int gate__dclassify_dates(gate__dtext *t, const gate__dconfig *cfg, size_t l0, size_t l1);

/* Classification state that lives through all regions (diff_classify.c). */
typedef struct gate__dclassify gate__dclassify;
int gate__dclassify_open(gate__dclassify **out, gate__dengine *e);
void gate__dclassify_free(gate__dclassify *cx);
/* Fills the kind, section, categories, hints and editorial reasons of the
 * changes of region r (tokenised, its hunks in e->hunks), then makes the
 * region's verdict safe: its sequences of meaningful tokens are compared,
 * and any difference no material change accounts for makes the changes
 * around it material. */
int gate__dclassify_region(gate__dclassify *cx, gate__dregion *r);
/* After every region: when the whole texts' meaningful sequences are equal,
 * every change is editorial; else possible typos get their hint. */
int gate__dclassify_finish(gate__dclassify *cx);

/* The meaningful tokens' normalised forms of `s`, each followed by a NUL,
 * into `out` (for the fuzzer's invariants); the whole text is tokenised.
 * `words` (may be NULL) receives its word count. */
int gate__diff_semantic_keys(const char *s, size_t len, const gate__dconfig *cfg, gate_buf *out);
int gate__diff_full_words(const char *s, size_t len, const gate__dconfig *cfg, size_t *words);

#endif
