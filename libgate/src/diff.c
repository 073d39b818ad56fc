/* diff.c: the diff API: comparing two texts or two versions, and reading the result
 * (the steps themselves live in diff_token.c, diff_norm.c, diff_align.c and diff_classify.c). */
#include "diff_engine.h"
#include "handle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The default cap on the edit search in one changed region (see gate_diff_options.max_cost). */
#define DEFAULT_MAX_COST (1ul << 23)

int gate_diff_options_init(gate_diff_options *opts, unsigned int version)
{
	gate_diff_options init = GATE_DIFF_OPTIONS_INIT;

	if (!opts)
		return gate__error_set(GATE_EINVALID, "gate_diff_options_init: NULL options");
	if (version != GATE_DIFF_OPTIONS_VERSION)
		return gate__error_set(GATE_EVERSION,
			"gate_diff_options version %u is not supported (expected %d)",
			version, GATE_DIFF_OPTIONS_VERSION);
	*opts = init;
	return 0;
}

const char *gate_hint_name(unsigned int hint)
{
	switch (hint) {
	case GATE_HINT_POSSIBLE_TYPO: return "possible-typo";
	case GATE_HINT_NUMBER: return "number";
	case GATE_HINT_LINK: return "link";
	case GATE_HINT_NEGATION: return "negation";
	default: return "";
	}
}

const char *gate_editorial_name(unsigned int reason)
{
	switch (reason) {
	case GATE_EDITORIAL_WHITESPACE: return "whitespace";
	case GATE_EDITORIAL_PUNCTUATION: return "punctuation";
	case GATE_EDITORIAL_TYPOGRAPHY: return "typography";
	case GATE_EDITORIAL_CASE: return "case";
	case GATE_EDITORIAL_UNICODE: return "unicode";
	case GATE_EDITORIAL_MARKUP: return "markup";
	case GATE_EDITORIAL_DATE_LINE: return "date-line";
	default: return "";
	}
}

static int line_table(const char *s, size_t len, size_t **out, size_t *count)
{
	size_t n = 1, k = 1;
	const char *p = s, *end = s + len;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	if (!(*out = gate__malloc(n * sizeof(**out))))
		return GATE_ENOMEM;
	(*out)[0] = 0;
	for (p = s; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		(*out)[k++] = (size_t)(p - s) + 1;
	*count = n;
	return 0;
}

unsigned int gate__diff_line_of(const gate_diff *d, int which, size_t offset)
{
	const size_t *lines = which ? d->new_lines : d->old_lines;
	size_t lo = 0, hi = which ? d->new_line_count : d->old_line_count;

	/* the last line start not after `offset` */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (lines[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	return (unsigned int)lo + 1;
}

static size_t tok_off(const gate__dtext *t, size_t i)
{
	return i < t->ntok ? t->tok[i].off : t->len;
}

static size_t count_words(const gate__dtext *t, size_t i0, size_t i1)
{
	size_t n = 0;

	for (size_t i = i0; i < i1; i++)
		n += GATE__TK_COUNTED(t->tok[i].kind);
	return n;
}

/* Interns each line's exact bytes ('\n' included). */
static int line_ids(gate__intern *in, const gate__dtext *t, uint32_t **out)
{
	int error;

	if (!(*out = gate__malloc((t->nlines ? t->nlines : 1) * sizeof(**out))))
		return GATE_ENOMEM;
	for (size_t l = 0; l < t->nlines; l++) {
		size_t start = t->lines[l], end = gate__dtext_line_end(t, l);

		if ((error = gate__intern_id(in, t->s + start, end - start, &(*out)[l])) < 0)
			return error;
	}
	return 0;
}

static bool block_ok_before(const gate__dtext *t, size_t l)
{
	return l == 0 || GATE__LF_BLOCK_OK(t->line_flags[l - 1]);
}

static int push_region(gate__dengine *e, size_t *alloc, size_t a0, size_t a1, size_t b0, size_t b1)
{
	gate__dregion *r;

	if (e->nregions && a0 <= e->regions[e->nregions - 1].a1) {
		/* touching or overlapping the one before: one region (no equal line between) */
		r = &e->regions[e->nregions - 1];
		if (a1 > r->a1) {
			r->a1 = a1;
			r->b1 = b1;
		}
		return 0;
	}
	if (gate__array_reserve(&e->regions, alloc, e->nregions, sizeof(*e->regions)) < 0)
		return GATE_ENOMEM;
	r = &e->regions[e->nregions++];
	memset(r, 0, sizeof(*r));
	r->a0 = a0;
	r->a1 = a1;
	r->b0 = b0;
	r->b1 = b1;
	return 0;
}

/*
 * The changed regions: each run of changed lines, with one equal line of
 * context on each side (what the clean-up of token hunks looks at), and
 * after it every equal line whose line before differs in whether a block
 * may start after it.
 *
 * Why the lines left out need no tokens (the verdict stays safe by
 * construction): the tokeniser reads a line's bytes and one bit of the line
 * before it (GATE__LF_BLOCK_OK: '>', '+' and "2026." mean one thing after a
 * paragraph line and another after a blank line), nothing else. Between two
 * regions the lines are equal pairs (the line alignment compared their raw
 * bytes), and the extension above stops only at an equal pair whose lines
 * before agree on that bit. So the first pair tokenises alike, hence has the
 * same flags, hence the next pair reads the same bit, and so on to the next
 * region: every equal pair gives the same tokens with the same kinds, the
 * same date-line status (a line's own tokens and flags decide it) and so the
 * same normalised ids. The texts' whole sequences of meaningful tokens are
 * therefore E0 R0 E1 R1 ... En against E0 R0' E1 R1' ... En with equal E's:
 * equal region by region implies equal as a whole, and any difference
 * between the wholes shows in some region (diff_classify.c compares them).
 */
static int build_regions(gate__dengine *e, const uint32_t *la, const uint32_t *lb)
{
	const gate__dtext *a = &e->t[0], *b = &e->t[1];
	const gate__hunks *lh = &e->lines;
	size_t alloc = 0;
	int error;

	for (size_t i = 0; i < lh->count; i++) {
		const gate__hunk *h = &lh->h[i];
		size_t lo = i ? lh->h[i - 1].a1 : 0;
		size_t hi_a = i + 1 < lh->count ? lh->h[i + 1].a0 : a->nlines;
		size_t hi_b = i + 1 < lh->count ? lh->h[i + 1].b0 : b->nlines;
		size_t a0 = h->a0, a1 = h->a1, b0 = h->b0, b1 = h->b1, k = 0, up = 1, down = 1;

		/* lines added or removed whole may slide along the same lines around
		 * them (the clean-up of token hunks does): the region holds all of them */
		if (a0 == a1 || b0 == b1) {
			const uint32_t *ids = a0 == a1 ? lb : la;
			size_t x0 = a0 == a1 ? b0 : a0, x1 = a0 == a1 ? b1 : a1, d = 0;

			while (a0 - (up - 1) > lo && ids[x0 - up] == ids[x1 - up])
				up++;
			while (a1 + d < hi_a && ids[x0 + d] == ids[x1 + d])
				d++;
			down += d;
		}
		while (up-- > 0 && a0 > lo) {
			a0--;
			b0--;
		}
		while (a1 < hi_a && b1 < hi_b &&
		       (k < down || block_ok_before(a, a1) != block_ok_before(b, b1))) {
			a1++;
			b1++;
			k++;
		}
		if ((error = push_region(e, &alloc, a0, a1, b0, b1)) < 0)
			return error;
	}
	return 0;
}

/* The token where line l of side `side` starts, within region r (its END token past its last line). */
static size_t region_tok(const gate__dengine *e, const gate__dregion *r, int side, size_t l)
{
	const gate__dtext *t = &e->t[side];

	if (l < (side ? r->b1 : r->a1))
		return t->lfirst[l];
	return side ? r->tb1 : r->ta1;
}

/* Appends the meaningful ids t->sems[0, n) to the engine's record of them. */
static int keep_sems(uint32_t **arr, size_t *count, size_t *alloc, const uint32_t *sems, size_t n)
{
	if (*count + n > *alloc) {
		size_t want = *alloc * 2 > *count + n ? *alloc * 2 : *count + n + 1024;
		uint32_t *grown = gate__realloc(*arr, want * sizeof(*grown));

		if (!grown)
			return GATE_ENOMEM;
		*arr = grown;
		*alloc = want;
	}
	if (n)
		memcpy(*arr + *count, sems, n * sizeof(*sems));
	*count += n;
	return 0;
}

int gate__dengine_region(gate__dengine *e, gate__dregion *r, bool count)
{
	const gate__dtext *a = &e->t[0], *b = &e->t[1];
	int error;

	for (int side = 0; side < 2; side++) {
		gate__dtext *t = &e->t[side];
		size_t l0 = side ? r->b0 : r->a0, l1 = side ? r->b1 : r->a1;

		gate__dtext_reset(t);
		if ((error = gate__dtext_tokenize(t, l0, l1)) < 0 ||
		    (error = gate__dclassify_dates(t, e->cfg, l0, l1)) < 0 ||
		    (error = gate__dnorm_exact(&e->norm, t, 0, t->ntok)) < 0 ||
		    (error = gate__dnorm_semantic(&e->norm, t, 0, t->ntok - 1, count)) < 0)
			return error;
		if (side)
			r->tb1 = t->ntok - 1;
		else
			r->ta1 = t->ntok - 1;
	}
	/* tokens of the lines that changed, aligned line hunk by line hunk */
	e->hunks.count = 0;
	if ((error = gate__aligner_grow(&e->al_tok, (uint32_t)(256 + e->norm.exact.count))) < 0)
		return error;
	for (size_t i = r->lh0; i < r->lh1; i++) {
		const gate__hunk *h = &e->lines.h[i];

		if ((error = gate__align(&e->al_tok, a->ids, region_tok(e, r, 0, h->a0), region_tok(e, r, 0, h->a1),
			b->ids, region_tok(e, r, 1, h->b0), region_tok(e, r, 1, h->b1), &e->hunks)) < 0)
			return error;
	}
	e->coarse |= e->al_tok.coarse;
	return gate__hunks_cleanup(&e->hunks, a, b);
}

/* Lines first: raw bytes are cheap to compare, and equal lines need no tokens at all. */
static int align_lines(gate__dengine *e)
{
	gate__intern lines = { 0 };
	gate__aligner al;
	uint32_t *la = NULL, *lb = NULL;
	const gate__dtext *a = &e->t[0], *b = &e->t[1];
	size_t h = 0;
	int error;

	memset(&al, 0, sizeof(al));
	if ((error = gate__intern_reserve(&lines, a->nlines + b->nlines)) < 0 ||
	    (error = line_ids(&lines, a, &la)) < 0 || (error = line_ids(&lines, b, &lb)) < 0 ||
	    (error = gate__aligner_init(&al, (uint32_t)lines.count, e->max_cost)) < 0 ||
	    (error = gate__align(&al, la, 0, a->nlines, lb, 0, b->nlines, &e->lines)) < 0 ||
	    (error = build_regions(e, la, lb)) < 0)
		goto done;
	e->coarse = al.coarse;
	for (size_t i = 0; i < e->nregions; i++) {
		gate__dregion *r = &e->regions[i];

		r->lh0 = h;
		while (h < e->lines.count && e->lines.h[h].a1 <= r->a1 && e->lines.h[h].b1 <= r->b1)
			h++;
		r->lh1 = h;
	}
done:
	gate__intern_free(&lines);
	gate__aligner_free(&al);
	free(la);
	free(lb);
	return error;
}

/* The changes of region r, from its token hunks, appended to the diff's. */
static int make_changes(gate__dengine *e, gate__dregion *r)
{
	gate_diff *d = e->d;
	const gate__dtext *a = &e->t[0], *b = &e->t[1];
	size_t want = d->count + e->hunks.count;

	if (want > d->alloc) {
		size_t cap = d->alloc * 2 > want ? d->alloc * 2 : want + 16;
		gate_diff_change *changes = gate__realloc(d->changes, cap * sizeof(*changes));
		int32_t *heading;
		uint32_t *typo;

		if (!changes)
			return GATE_ENOMEM;
		d->changes = changes;
		d->alloc = cap;
		if (!(heading = gate__realloc(e->change_heading, cap * sizeof(*heading))))
			return GATE_ENOMEM;
		e->change_heading = heading;
		if (!(typo = gate__realloc(e->typo_sem, cap * sizeof(*typo))))
			return GATE_ENOMEM;
		e->typo_sem = typo;
	}
	r->c0 = d->count;
	for (size_t i = 0; i < e->hunks.count; i++) {
		const gate__hunk *h = &e->hunks.h[i];
		gate_diff_change *c = &d->changes[d->count];

		memset(c, 0, sizeof(*c));
		c->old_offset = tok_off(a, h->a0);
		c->removed = d->old_text + c->old_offset;
		c->removed_len = tok_off(a, h->a1) - c->old_offset;
		c->new_offset = tok_off(b, h->b0);
		c->added = d->new_text + c->new_offset;
		c->added_len = tok_off(b, h->b1) - c->new_offset;
		c->old_line = gate__diff_line_of(d, 0, c->old_offset);
		c->new_line = gate__diff_line_of(d, 1, c->new_offset);
		c->section = "";
		e->change_heading[d->count] = -1;
		e->typo_sem[d->count] = 0;
		d->stats.words_removed += count_words(a, h->a0, h->a1);
		d->stats.words_added += count_words(b, h->b0, h->b1);
		d->count++;
	}
	r->c1 = d->count;
	return 0;
}

/* Words of the equal lines (the same in both texts), counted without tokens. */
static int equal_words(gate__dengine *e, size_t *out)
{
	gate__dtext *a = &e->t[0];
	size_t from = 0, n;
	int error;

	*out = 0;
	for (size_t i = 0; i <= e->nregions; i++) {
		size_t to = i < e->nregions ? e->regions[i].a0 : a->nlines;

		if ((error = gate__dtext_count_words(a, from, to, &n)) < 0)
			return error;
		*out += n;
		if (i < e->nregions)
			from = e->regions[i].a1;
	}
	return 0;
}

static int fill_stats(gate__dengine *e)
{
	gate_diff *d = e->d;
	gate_diff_stats *st = &d->stats;
	size_t same;
	int error;

	if ((error = equal_words(e, &same)) < 0)
		return error;
	st->changes = d->count;
	st->material = st->editorial = 0;
	for (size_t i = 0; i < d->count; i++) {
		if (d->changes[i].kind == GATE_CHANGE_MATERIAL)
			st->material++;
		else
			st->editorial++;
	}
	st->old_words = e->t[0].words + same;
	st->new_words = e->t[1].words + same;
	st->old_bytes = d->old_len;
	st->new_bytes = d->new_len;
	st->coarse = e->coarse;
	d->material = st->material > 0;
	return 0;
}

int gate__dengine_line(gate__dengine *e, int side, size_t line)
{
	gate__dtext *t = &e->t[side];
	size_t t0 = t->ntok;
	int error;

	if (t->lfirst[line] != GATE__NOTOK)
		return 0;
	if ((error = gate__dtext_tokenize(t, line, line + 1)) < 0 ||
	    (error = gate__dclassify_dates(t, e->cfg, line, line + 1)) < 0 ||
	    (error = gate__dnorm_exact(&e->norm, t, t0, t->ntok)) < 0 ||
	    (error = gate__dnorm_semantic(&e->norm, t, t0, t->ntok, false)) < 0)
		return error;
	return 0;
}

int gate__dengine_equal_sems(gate__dengine *e, size_t k, size_t *s0, size_t *s1)
{
	gate__dtext *a = &e->t[0];
	int error;

	if (!e->eq_sem0) {
		if (!(e->eq_sem0 = gate__malloc((e->nregions + 1) * sizeof(*e->eq_sem0))) ||
		    !(e->eq_sem1 = gate__malloc((e->nregions + 1) * sizeof(*e->eq_sem1))))
			return GATE_ENOMEM;
		memset(e->eq_sem0, 0xff, (e->nregions + 1) * sizeof(*e->eq_sem0));
	}
	if (e->eq_sem0[k] == SIZE_MAX) {
		size_t from = k ? e->regions[k - 1].a1 : 0, to = k < e->nregions ? e->regions[k].a0 : a->nlines;

		e->eq_sem0[k] = e->nesem;
		/* a few thousand lines at a time, so that the token buffer stays small */
		for (size_t l = from; l < to; ) {
			size_t next = to - l > 4096 ? l + 4096 : to;

			gate__dtext_reset(a);
			if ((error = gate__dtext_tokenize(a, l, next)) < 0 ||
			    (error = gate__dclassify_dates(a, e->cfg, l, next)) < 0 ||
			    (error = gate__dnorm_exact(&e->norm, a, 0, a->ntok)) < 0 ||
			    (error = gate__dnorm_semantic(&e->norm, a, 0, a->ntok, false)) < 0 ||
			    (error = keep_sems(&e->esems, &e->nesem, &e->esem_alloc, a->sems, a->nsem)) < 0)
				return error;
			l = next;
		}
		gate__dtext_reset(a);
		e->eq_sem1[k] = e->nesem;
	}
	*s0 = e->eq_sem0[k];
	*s1 = e->eq_sem1[k];
	return 0;
}

/* Each region in turn: tokens, hunks, changes, their classification. */
static int run_regions(gate__dengine *e)
{
	gate__dclassify *cx = NULL;
	int error;

	if ((error = gate__dclassify_open(&cx, e)) < 0)
		return error;
	for (size_t i = 0; i < e->nregions; i++) {
		gate__dregion *r = &e->regions[i];

		if ((error = gate__dengine_region(e, r, true)) < 0)
			break;
		r->sa0 = e->nrsem[0];
		r->sb0 = e->nrsem[1];
		if ((error = keep_sems(&e->rsems[0], &e->nrsem[0], &e->rsem_alloc[0], e->t[0].sems, e->t[0].nsem)) < 0 ||
		    (error = keep_sems(&e->rsems[1], &e->nrsem[1], &e->rsem_alloc[1], e->t[1].sems, e->t[1].nsem)) < 0)
			break;
		r->sa1 = e->nrsem[0];
		r->sb1 = e->nrsem[1];
		if ((error = make_changes(e, r)) < 0 || (error = gate__dclassify_region(cx, r)) < 0)
			break;
	}
	if (!error)
		error = gate__dclassify_finish(cx);
	gate__dclassify_free(cx);
	return error;
}

static int run_engine(gate_diff *d, gate *g, const gate_diff_options *opts)
{
	gate__dconfig cfg;
	gate__dengine e;
	int error;

	memset(&e, 0, sizeof(e));
	if ((error = gate__dconfig_load(&cfg, g, opts)) < 0)
		return error;
	e.d = d;
	e.cfg = &cfg;
	e.max_cost = opts && opts->max_cost ? opts->max_cost : DEFAULT_MAX_COST;
	e.al_tok.max_cost = e.max_cost;
	e.t[0].s = d->old_text;
	e.t[0].len = d->old_len;
	e.t[0].lines = d->old_lines;
	e.t[0].nlines = d->old_line_count;
	e.t[1].s = d->new_text;
	e.t[1].len = d->new_len;
	e.t[1].lines = d->new_lines;
	e.t[1].nlines = d->new_line_count;
	memset(&d->stats, 0, sizeof(d->stats));
	if ((error = gate__dtext_lines(&e.t[0])) < 0 ||
	    (error = gate__dtext_lines(&e.t[1])) < 0 ||
	    (error = align_lines(&e)) < 0 ||
	    (error = run_regions(&e)) < 0 ||
	    (error = fill_stats(&e)) < 0)
		goto done;
done:
	gate__dtext_free(&e.t[0]);
	gate__dtext_free(&e.t[1]);
	gate__dnorm_free(&e.norm);
	gate__hunks_free(&e.lines);
	gate__hunks_free(&e.hunks);
	gate__aligner_free(&e.al_tok);
	free(e.regions);
	free(e.change_heading);
	free(e.typo_sem);
	free(e.rsems[0]);
	free(e.rsems[1]);
	free(e.esems);
	free(e.eq_sem0);
	free(e.eq_sem1);
	gate__dconfig_free(&cfg);
	return error;
}

/* The diff's own NUL-terminated copy of a text (freed by gate_diff_free). */
static char *copy_text(const char *s, size_t len)
{
	char *copy = gate__malloc(len + 1);

	if (copy) {
		if (len)
			memcpy(copy, s, len);
		copy[len] = '\0';
	}
	return copy;
}

static void side_init(gate_diff_side *s)
{
	memset(s, 0, sizeof(*s));
	s->label = "";
	s->effective = GATE_TIME_UNSET;
}

int gate_diff_texts(gate_diff **out, gate *g,
	const char *old_text, size_t old_len, const char *new_text, size_t new_len,
	const gate_diff_options *opts)
{
	gate_diff *d;
	int error;

	if (!out)
		return gate__error_set(GATE_EINVALID, "gate_diff_texts: NULL output pointer");
	*out = NULL;
	if ((!old_text && old_len) || (!new_text && new_len))
		return gate__error_set(GATE_EINVALID, "gate_diff_texts: NULL text with a length");
	if (opts && opts->version != GATE_DIFF_OPTIONS_VERSION)
		return gate__error_set(GATE_EVERSION,
			"gate_diff_options version %u is not supported (expected %d); initialise it with GATE_DIFF_OPTIONS_INIT",
			opts->version, GATE_DIFF_OPTIONS_VERSION);
	if (old_len >= UINT32_MAX / 2 || new_len >= UINT32_MAX / 2)
		return gate__error_set(GATE_EINVALID, "texts over 2 GiB cannot be compared");
	if ((error = gate__utf8_check(old_text, old_len, "old text")) < 0 ||
	    (error = gate__utf8_check(new_text, new_len, "new text")) < 0)
		return error;

	if (!(d = gate__calloc(1, sizeof(*d))))
		return GATE_ENOMEM;
	side_init(&d->sides[0]);
	side_init(&d->sides[1]);
	d->old_len = old_len;
	d->new_len = new_len;
	if (!(d->old_text = copy_text(old_text, old_len)) || !(d->new_text = copy_text(new_text, new_len))) {
		error = GATE_ENOMEM;
		goto fail;
	}
	if ((error = line_table(d->old_text, old_len, &d->old_lines, &d->old_line_count)) < 0 ||
	    (error = line_table(d->new_text, new_len, &d->new_lines, &d->new_line_count)) < 0 ||
	    (error = run_engine(d, g, opts)) < 0)
		goto fail;
	*out = d;
	return 0;
fail:
	gate_diff_free(d);
	return error;
}

/* "privacy v2 (en-GB)" */
static int version_side(gate_diff *d, int which, const char *doc, unsigned n,
	const gate_text_info *info, int64_t effective)
{
	gate_diff_side *s = &d->sides[which];
	char label[GATE_DOC_MAX + GATE_LOCALE_MAX + 32];

	if (n)
		snprintf(label, sizeof(label), "%s v%u (%s)", doc, n, info->locale);
	else
		snprintf(label, sizeof(label), "%s (no version)", doc);
	if (!(s->label = gate__arena_strdup(&d->arena, label)) ||
	    !(s->doc = gate__arena_strdup(&d->arena, doc)))
		return GATE_ENOMEM;
	s->n = n;
	s->effective = n ? effective : GATE_TIME_UNSET;
	if (n && (!(s->locale = gate__arena_strdup(&d->arena, info->locale)) ||
	          !(s->blob_oid = gate__arena_strdup(&d->arena, info->blob_oid))))
		return GATE_ENOMEM;
	return 0;
}

int gate_diff_versions(gate_diff **out, gate *g, const char *doc,
	unsigned int from, unsigned int to, const char *locale, const gate_diff_options *opts)
{
	const gate_version_info *vf = NULL, *vt = NULL;
	gate_buf a = GATE_BUF_INIT, b = GATE_BUF_INIT;
	gate_text_info ia, ib;
	gate_diff *d = NULL;
	int error;

	if (!out)
		return gate__error_set(GATE_EINVALID, "gate_diff_versions: NULL output pointer");
	*out = NULL;
	if (!g)
		return gate__error_set(GATE_EINVALID, "gate_diff_versions: NULL handle");
	if ((error = gate_doc_id_check(doc)) < 0)
		return error;
	if (to == 0)
		return gate__error_set(GATE_EINVALID, "%s: compare with a version (v1 or later), not v0", doc);
	memset(&ia, 0, sizeof(ia));
	if ((error = gate_version_lookup(g, doc, to, &vt)) < 0 ||
	    (from && (error = gate_version_lookup(g, doc, from, &vf)) < 0) ||
	    (error = gate_text(g, doc, to, locale, &b, &ib)) < 0 ||
	    (from && (error = gate_text(g, doc, from, locale, &a, &ia)) < 0))
		goto done;
	if ((error = gate_diff_texts(&d, g, a.ptr, a.size, b.ptr, b.size, opts)) < 0)
		goto done;
	if ((error = version_side(d, 0, doc, from, &ia, vf ? vf->effective : GATE_TIME_UNSET)) < 0 ||
	    (error = version_side(d, 1, doc, to, &ib, vt->effective)) < 0) {
		gate_diff_free(d);
		goto done;
	}
	*out = d;
done:
	gate_buf_dispose(&a);
	gate_buf_dispose(&b);
	return error;
}

void gate_diff_free(gate_diff *d)
{
	if (!d)
		return;
	free((char *)d->old_text);
	free((char *)d->new_text);
	free(d->old_lines);
	free(d->new_lines);
	free(d->changes);
	gate__arena_free(&d->arena);
	free(d);
}

int gate_diff_is_material(const gate_diff *d)
{
	return d && d->material ? 1 : 0;
}

size_t gate_diff_change_count(const gate_diff *d)
{
	return d ? d->count : 0;
}

const gate_diff_change *gate_diff_change_at(const gate_diff *d, size_t i)
{
	return d && i < d->count ? &d->changes[i] : NULL;
}

const gate_diff_stats *gate_diff_get_stats(const gate_diff *d)
{
	return d ? &d->stats : NULL;
}

const gate_diff_side *gate_diff_get_side(const gate_diff *d, int which)
{
	return d && (which == 0 || which == 1) ? &d->sides[which] : NULL;
}

int gate_diff_set_labels(gate_diff *d, const char *old_label, const char *new_label)
{
	const char *labels[2] = { old_label, new_label };

	if (!d)
		return gate__error_set(GATE_EINVALID, "gate_diff_set_labels: NULL diff");
	for (int i = 0; i < 2; i++) {
		char *copy;

		if (!labels[i])
			continue;
		if (!(copy = gate__arena_strdup(&d->arena, labels[i])))
			return GATE_ENOMEM;
		d->sides[i].label = copy;
	}
	return 0;
}

/* The whole text tokenised, as one region (the reference the fuzzer checks the
 * engine against), from a NUL-terminated copy in `copy` (freed by the caller). */
static int full_text(gate__dtext *t, gate__dnorm *n, const char *s, size_t len, const gate__dconfig *cfg, char **copy)
{
	int error;

	memset(t, 0, sizeof(*t));
	if (!(*copy = copy_text(s, len)))
		return GATE_ENOMEM;
	t->s = *copy;
	t->len = len;
	if ((error = gate__dtext_lines(t)) < 0 ||
	    (error = gate__dtext_tokenize(t, 0, t->nlines)) < 0 ||
	    (error = gate__dclassify_dates(t, cfg, 0, t->nlines)) < 0 ||
	    (error = gate__dnorm_exact(n, t, 0, t->ntok)) < 0 ||
	    (error = gate__dnorm_semantic(n, t, 0, t->ntok, true)) < 0)
		return error;
	return 0;
}

int gate__diff_semantic_keys(const char *s, size_t len, const gate__dconfig *cfg, gate_buf *out)
{
	gate__dtext t;
	gate__dnorm n;
	char *copy = NULL;
	int error;

	memset(&n, 0, sizeof(n));
	gate__buf_clear(out);
	if ((error = full_text(&t, &n, s, len, cfg, &copy)) < 0)
		goto done;
	for (size_t i = 0; i < t.ntok; i++) {
		size_t klen;
		const char *key;

		if (!t.tok[i].sem)
			continue;
		klen = n.norm.klen[t.tok[i].sem - n.norm.base];
		key = n.norm.key[t.tok[i].sem - n.norm.base];
		if (gate__buf_put(out, key, klen) < 0 || gate__buf_putc(out, '\0') < 0) {
			error = GATE_ENOMEM;
			goto done;
		}
	}
done:
	gate__dtext_free(&t);
	gate__dnorm_free(&n);
	free(copy);
	return error;
}

int gate__diff_full_words(const char *s, size_t len, const gate__dconfig *cfg, size_t *words)
{
	gate__dtext t;
	gate__dnorm n;
	char *copy = NULL;
	int error;

	memset(&n, 0, sizeof(n));
	if ((error = full_text(&t, &n, s, len, cfg, &copy)) == 0)
		*words = t.words;
	gate__dtext_free(&t);
	gate__dnorm_free(&n);
	free(copy);
	return error;
}
