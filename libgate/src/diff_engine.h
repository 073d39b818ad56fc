/* diff_engine.h: the diff engine's private types and steps, shared by diff.c and diff_*.c (renderers use diff.h). */
#ifndef GATE_DIFF_ENGINE_H
#define GATE_DIFF_ENGINE_H

#include "diff.h"

#include <regex.h>

/* --- tokens (diff_token.c) ---------------------------------------------------- */

/* Token kinds. WORD, NUMBER, EMAIL, URL and SYMBOL carry meaning; SPACE,
 * PUNCT (meaning-free punctuation) and MARKUP do not. */
enum {
	GATE__TK_SPACE = 0,
	GATE__TK_WORD,
	GATE__TK_NUMBER,
	GATE__TK_EMAIL,
	GATE__TK_URL,
	GATE__TK_SYMBOL,
	GATE__TK_PUNCT,
	GATE__TK_MARKUP
};

#define GATE__TK_MEANINGFUL(k) ((k) >= GATE__TK_WORD && (k) <= GATE__TK_SYMBOL)

/* Token flags. */
#define GATE__TF_NEWLINE  1u  /* a space token that ends its line */
#define GATE__TF_NONASCII 2u  /* holds a byte >= 0x80 */

typedef struct gate__dtok {
	uint32_t off;      /* byte offset in the text (texts stay under 2 GiB) */
	uint32_t len;      /* bytes */
	uint32_t id;       /* exact bytes, interned: equal ids, equal bytes */
	uint32_t sem;      /* normalised form, interned; 0 when the token carries no meaning here */
	uint32_t line;     /* 0-based line */
	uint8_t kind;
	uint8_t flags;
} gate__dtok;

/* Line flags. */
#define GATE__LF_BLANK     0x01u
#define GATE__LF_ATX       0x02u  /* "# Heading" */
#define GATE__LF_UNDERLINE 0x04u  /* only '=' or only '-': a setext underline after a paragraph line */
#define GATE__LF_RULE      0x08u  /* a horizontal rule or a table delimiter row */
#define GATE__LF_LIST      0x10u  /* starts with a list marker */
#define GATE__LF_QUOTE     0x20u  /* starts with a blockquote marker */
#define GATE__LF_DATE      0x40u  /* the notice's date-stamp line */
#define GATE__LF_HEADING   0x80u  /* a heading of any kind (set by diff_classify.c) */

typedef struct gate__dtext {
	const char *s;
	size_t len;
	gate__dtok *tok;
	size_t ntok, tok_alloc;
	size_t *line_tok;      /* first token of each line; line_tok[nlines] == ntok */
	uint8_t *line_flags;
	size_t nlines;
	int32_t *section;      /* per line: the heading line at or before it; -1 for none */
	const char **heading;  /* per heading line: its text without markup (lazily made) */
	uint32_t *ids;         /* every token's exact id, in order (gate__dnorm_exact) */
	uint32_t *sems;        /* the meaningful tokens' normalised ids, in order (gate__dnorm_semantic) */
	size_t *sem_tok;       /* the token each of `sems` comes from */
	size_t nsem;
	size_t words;          /* words, numbers and addresses */
} gate__dtext;

/* Splits `t->s` into tokens and lines, marking Markdown markup from its
 * place in the line. */
int gate__dtext_tokenize(gate__dtext *t);
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
} gate__intern;

/* Interns `p[0..len)` (kept by pointer: it must outlive the table). */
int gate__intern_id(gate__intern *in, const char *p, size_t len, uint32_t *out);
void gate__intern_free(gate__intern *in);

/* The last two tokens interned per first byte and length. */
#define GATE__DMEMO_LENS 16
typedef struct gate__dmemo {
	const char *p;
	uint32_t len, id;
} gate__dmemo;

/* Normalisation state: exact ids of both texts, and the normalised ids. */
typedef struct gate__dnorm {
	gate__dmemo (*memo)[GATE__DMEMO_LENS][2]; /* [256][GATE__DMEMO_LENS][2] */
	gate__intern exact;    /* ids 0..255 are the single bytes; longer tokens from 256 */
	gate__intern norm;     /* ids from 1; 0 means "no meaning" */
	gate__arena keys;      /* normalised keys */
	uint32_t *norm_of;     /* per exact id: its normalised id; UINT32_MAX: not computed */
	size_t norm_of_count;
	gate_buf scratch;
} gate__dnorm;

/* Gives every token of `t` its exact id (and fills `t->ids`). */
int gate__dnorm_exact(gate__dnorm *n, gate__dtext *t);
/* Gives every meaningful token of `t` its normalised id (0 for the others and
 * for tokens on date lines), fills `sems`, `sem_tok`, `nsem` and `words`.
 * Call after gate__dnorm_exact() on both texts. */
int gate__dnorm_semantic(gate__dnorm *n, gate__dtext *t);
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
void gate__aligner_free(gate__aligner *al);
/* Appends the hunks turning a[a0, a1) into b[b0, b1) to `out` (ids compared
 * as integers). The work is capped at `al->max_cost` per call; past it, what
 * is left becomes one replacement and `al->coarse` is set. */
int gate__align(gate__aligner *al, const uint32_t *a, size_t a0, size_t a1,
	const uint32_t *b, size_t b0, size_t b1, gate__hunks *out);
/* Token hunks made readable: whole lines added after a changed line split
 * from it, insertions and deletions slid to line and word starts, short
 * equal runs between two hunks (within a line) folded into them. */
int gate__hunks_cleanup(gate__hunks *h, const gate__dtext *a, const gate__dtext *b);
int gate__hunks_push(gate__hunks *out, size_t a0, size_t a1, size_t b0, size_t b1);
void gate__hunks_free(gate__hunks *h);

/* --- settings (diff_config.c) -------------------------------------------------------- */

typedef struct gate__dconfig {
	regex_t *dates;
	size_t ndates, dates_alloc;
	gate__strlist stems[GATE_CATEGORY_COUNT];
} gate__dconfig;

/* Date patterns and category keywords from `opts`, else `g`'s gate.conf, else
 * the defaults. A bad pattern or an unknown category is GATE_EINVALID. */
int gate__dconfig_load(gate__dconfig *cfg, gate *g, const gate_diff_options *opts);
void gate__dconfig_free(gate__dconfig *cfg);
/* The built-in date regular expression that "{date}" stands for. */
const char *gate__dconfig_date_regex(void);

/* --- classification (diff_classify.c) ------------------------------------------------- */

/* Marks date-stamp lines (GATE__LF_DATE) and headings (GATE__LF_HEADING,
 * `section`) of `t`. */
int gate__dclassify_lines(gate__dtext *t, const gate__dconfig *cfg);

/* The engine's whole state during one diff. */
typedef struct gate__dengine {
	gate_diff *d;
	const gate__dconfig *cfg;
	gate__dtext t[2];
	gate__dnorm norm;
	gate__hunks hunks;      /* token hunks, one per change, in order */
	unsigned long max_cost;
	int coarse;
} gate__dengine;

/* Fills every change's kind, section, categories, hints and editorial
 * reasons from the token hunks, then makes the verdict safe: the texts'
 * whole sequences of meaningful tokens are compared, and any difference no
 * material change accounts for makes the changes around it material. */
int gate__dclassify_changes(gate__dengine *e);

/* The meaningful tokens' normalised forms of `s`, each followed by a NUL,
 * into `out` (for the fuzzer's invariants). */
int gate__diff_semantic_keys(const char *s, size_t len, const gate__dconfig *cfg, gate_buf *out);

#endif
