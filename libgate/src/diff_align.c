/* diff_align.c: the diff alignment: patience anchors, then a linear-space Myers diff with a
 * capped edit search, over integer ids (lines, then tokens), and the semantic clean-up of hunks. */
#include "diff_engine.h"

#include <stdlib.h>
#include <string.h>

/* Regions at least this long look for unique anchors before Myers runs
 * (below it, Myers on a paragraph's few edits is cheaper than counting). */
#define PATIENCE_MIN 1024
/* How deep patience may recurse into the gaps between its anchors. */
#define PATIENCE_DEPTH 8

int gate__aligner_init(gate__aligner *al, uint32_t nids, unsigned long max_cost)
{
	memset(al, 0, sizeof(*al));
	al->nids = nids;
	al->max_cost = max_cost;
	if (!(al->cnt_a = gate__calloc(nids ? nids : 1, sizeof(uint32_t))) ||
	    !(al->cnt_b = gate__calloc(nids ? nids : 1, sizeof(uint32_t))) ||
	    !(al->pos_a = gate__calloc(nids ? nids : 1, sizeof(uint32_t))))
		return GATE_ENOMEM;
	return 0;
}

int gate__aligner_grow(gate__aligner *al, uint32_t nids)
{
	uint32_t *arrays[3] = { al->cnt_a, al->cnt_b, al->pos_a };
	size_t want = al->nids ? al->nids : 1024;

	if (nids <= al->nids)
		return 0;
	while (want < nids)
		want *= 2;
	for (int i = 0; i < 3; i++) {
		uint32_t *grown = gate__realloc(arrays[i], want * sizeof(uint32_t));

		if (!grown)
			return GATE_ENOMEM;
		/* counts stay zero between uses (patience() clears what it counted) */
		memset(grown + al->nids, 0, (want - al->nids) * sizeof(uint32_t));
		arrays[i] = grown;
		if (i == 0)
			al->cnt_a = grown;
		else if (i == 1)
			al->cnt_b = grown;
		else
			al->pos_a = grown;
	}
	al->nids = (uint32_t)want;
	return 0;
}

void gate__aligner_free(gate__aligner *al)
{
	free(al->cnt_a);
	free(al->cnt_b);
	free(al->pos_a);
	free(al->v);
	memset(al, 0, sizeof(*al));
}

int gate__hunks_push(gate__hunks *out, size_t a0, size_t a1, size_t b0, size_t b1)
{
	gate__hunk *last = out->count ? &out->h[out->count - 1] : NULL;

	if (a0 == a1 && b0 == b1)
		return 0;
	if (last && last->a1 == a0 && last->b1 == b0) {
		last->a1 = a1;
		last->b1 = b1;
		return 0;
	}
	if (gate__array_reserve(&out->h, &out->alloc, out->count, sizeof(*out->h)) < 0)
		return GATE_ENOMEM;
	out->h[out->count].a0 = a0;
	out->h[out->count].a1 = a1;
	out->h[out->count].b0 = b0;
	out->h[out->count].b1 = b1;
	out->count++;
	return 0;
}

void gate__hunks_free(gate__hunks *h)
{
	free(h->h);
	memset(h, 0, sizeof(*h));
}

/* --- Myers ----------------------------------------------------------------------------- */

/*
 * Finds the middle snake of a[a0, a1) against b[b0, b1) (E. Myers, "An O(ND)
 * difference algorithm", 1986, section 4b, as diff-match-patch's bisect does
 * it). Returns 1 with the split point in *xs, *ys; 2 when the two have
 * nothing in common (replacing one by the other is then the whole, minimal,
 * answer); 0 when the work cap was reached first.
 */
static int bisect(gate__aligner *al, const uint32_t *a, size_t a0, size_t a1,
	const uint32_t *b, size_t b0, size_t b1, size_t *xs, size_t *ys)
{
	ptrdiff_t n = (ptrdiff_t)(a1 - a0), m = (ptrdiff_t)(b1 - b0);
	ptrdiff_t max_d = (n + m + 1) / 2, voff = max_d, vlen = 2 * max_d + 2;
	ptrdiff_t delta = n - m, k1start = 0, k1end = 0, k2start = 0, k2end = 0;
	bool front = (delta % 2) != 0;
	int32_t *v1, *v2;

	if ((size_t)(2 * vlen) > al->vcap) {
		int32_t *v = gate__realloc(al->v, (size_t)(2 * vlen) * sizeof(*v));

		if (!v)
			return GATE_ENOMEM;
		al->v = v;
		al->vcap = (size_t)(2 * vlen);
	}
	v1 = al->v;
	v2 = al->v + vlen;
	/* only the diagonals reached so far are initialised: [voff - d - 1, voff + d + 1] */
	v1[voff - 1] = v2[voff - 1] = v1[voff] = v2[voff] = -1;
	v1[voff + 1] = 0;
	v2[voff + 1] = 0;

	for (ptrdiff_t d = 0; d < max_d; d++) {
		ptrdiff_t lo = voff - d - 1, hi = voff + d + 1;

		al->cost += (unsigned long)(2 * d + 2);
		if (al->cost > al->max_cost)
			return 0;
		if (d > 0) {
			v1[lo] = v2[lo] = -1;
			v1[hi] = v2[hi] = -1;
		}
		/* forward */
		for (ptrdiff_t k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
			ptrdiff_t ko = voff + k1, x1, y1, x0;

			if (k1 == -d || (k1 != d && v1[ko - 1] < v1[ko + 1]))
				x1 = v1[ko + 1];
			else
				x1 = v1[ko - 1] + 1;
			y1 = x1 - k1;
			x0 = x1;
			while (x1 < n && y1 < m && a[a0 + (size_t)x1] == b[b0 + (size_t)y1]) {
				x1++;
				y1++;
			}
			al->cost += (unsigned long)(x1 - x0);
			v1[ko] = (int32_t)x1;
			if (x1 > n)
				k1end += 2;
			else if (y1 > m)
				k1start += 2;
			else if (front) {
				ptrdiff_t k2o = voff + delta - k1;

				if (k2o >= lo && k2o <= hi && v2[k2o] != -1 && x1 >= n - v2[k2o]) {
					*xs = (size_t)x1;
					*ys = (size_t)y1;
					return 1;
				}
			}
		}
		/* reverse */
		for (ptrdiff_t k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
			ptrdiff_t ko = voff + k2, x2, y2, x0;

			if (k2 == -d || (k2 != d && v2[ko - 1] < v2[ko + 1]))
				x2 = v2[ko + 1];
			else
				x2 = v2[ko - 1] + 1;
			y2 = x2 - k2;
			x0 = x2;
			while (x2 < n && y2 < m &&
			       a[a0 + (size_t)(n - x2 - 1)] == b[b0 + (size_t)(m - y2 - 1)]) {
				x2++;
				y2++;
			}
			al->cost += (unsigned long)(x2 - x0);
			v2[ko] = (int32_t)x2;
			if (x2 > n)
				k2end += 2;
			else if (y2 > m)
				k2start += 2;
			else if (!front) {
				ptrdiff_t k1o = voff + delta - k2;

				if (k1o >= lo && k1o <= hi && v1[k1o] != -1) {
					ptrdiff_t x1 = v1[k1o], y1 = voff + x1 - k1o;

					if (x1 >= n - x2) {
						*xs = (size_t)x1;
						*ys = (size_t)y1;
						return 1;
					}
				}
			}
		}
	}
	return 2;
}

static int diff_region(gate__aligner *al, const uint32_t *a, size_t a0, size_t a1,
	const uint32_t *b, size_t b0, size_t b1, gate__hunks *out, int depth);

static int myers(gate__aligner *al, const uint32_t *a, size_t a0, size_t a1,
	const uint32_t *b, size_t b0, size_t b1, gate__hunks *out)
{
	size_t x, y;
	int found;

	/* one element against several: an insertion around it, or a replacement */
	if (a1 - a0 == 1 || b1 - b0 == 1) {
		if (a1 - a0 == 1) {
			for (size_t j = b0; j < b1; j++)
				if (b[j] == a[a0]) {
					int error = gate__hunks_push(out, a0, a0, b0, j);

					return error < 0 ? error : gate__hunks_push(out, a1, a1, j + 1, b1);
				}
		} else {
			for (size_t i = a0; i < a1; i++)
				if (a[i] == b[b0]) {
					int error = gate__hunks_push(out, a0, i, b0, b0);

					return error < 0 ? error : gate__hunks_push(out, i + 1, a1, b1, b1);
				}
		}
		return gate__hunks_push(out, a0, a1, b0, b1);
	}
	if (al->cost > al->max_cost ||
	    (found = bisect(al, a, a0, a1, b, b0, b1, &x, &y)) == 0) {
		/* the cap: the rest of this region is one replacement (exact, coarser) */
		al->coarse = 1;
		return gate__hunks_push(out, a0, a1, b0, b1);
	}
	if (found < 0)
		return found;
	if (found == 2)
		return gate__hunks_push(out, a0, a1, b0, b1);
	if ((x == 0 && y == 0) || (x == a1 - a0 && y == b1 - b0)) {
		/* a split that does not split: never recurse on the same region */
		al->coarse = 1;
		return gate__hunks_push(out, a0, a1, b0, b1);
	}
	if ((found = diff_region(al, a, a0, a0 + x, b, b0, b0 + y, out, PATIENCE_DEPTH)) < 0)
		return found;
	return diff_region(al, a, a0 + x, a1, b, b0 + y, b1, out, PATIENCE_DEPTH);
}

/* --- patience ---------------------------------------------------------------------------- */

typedef struct {
	size_t x, y;
} anchor;

/* The longest chain of anchors increasing in both texts (patience sorting). */
static size_t longest_chain(anchor *p, size_t n, size_t *tails, size_t *prev, anchor *out)
{
	size_t len = 0, k;

	for (size_t i = 0; i < n; i++) {
		size_t lo = 0, hi = len;

		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (p[tails[mid]].x < p[i].x)
				lo = mid + 1;
			else
				hi = mid;
		}
		prev[i] = lo ? tails[lo - 1] : SIZE_MAX;
		tails[lo] = i;
		if (lo == len)
			len++;
	}
	k = len ? tails[len - 1] : SIZE_MAX;
	for (size_t i = len; i > 0; i--) {
		out[i - 1] = p[k];
		k = prev[k];
	}
	return len;
}

/* Splits the region at the elements found exactly once in each side, in an
 * order both sides agree on. Returns 1 when it did, 0 when there is none. */
static int patience(gate__aligner *al, const uint32_t *a, size_t a0, size_t a1,
	const uint32_t *b, size_t b0, size_t b1, gate__hunks *out, int depth)
{
	anchor *pairs = NULL, *chain = NULL;
	size_t *tails = NULL, *prev = NULL, npairs = 0, nchain, x, y;
	int error = 0;

	for (size_t i = a0; i < a1; i++) {
		al->cnt_a[a[i]]++;
		al->pos_a[a[i]] = (uint32_t)(i - a0);
	}
	for (size_t j = b0; j < b1; j++)
		al->cnt_b[b[j]]++;
	for (size_t j = b0; j < b1; j++)
		if (al->cnt_a[b[j]] == 1 && al->cnt_b[b[j]] == 1)
			npairs++;
	if (npairs) {
		pairs = gate__malloc(npairs * sizeof(*pairs));
		chain = gate__malloc(npairs * sizeof(*chain));
		tails = gate__malloc(npairs * sizeof(*tails));
		prev = gate__malloc(npairs * sizeof(*prev));
		if (!pairs || !chain || !tails || !prev)
			error = GATE_ENOMEM;
		npairs = 0;
		for (size_t j = b0; j < b1 && !error; j++)
			if (al->cnt_a[b[j]] == 1 && al->cnt_b[b[j]] == 1) {
				pairs[npairs].x = a0 + al->pos_a[b[j]];
				pairs[npairs].y = j;
				npairs++;
			}
	}
	for (size_t i = a0; i < a1; i++)
		al->cnt_a[a[i]] = 0;
	for (size_t j = b0; j < b1; j++)
		al->cnt_b[b[j]] = 0;
	al->cost += (unsigned long)((a1 - a0) + (b1 - b0));
	if (error || !npairs)
		goto done;

	nchain = longest_chain(pairs, npairs, tails, prev, chain);
	x = a0;
	y = b0;
	for (size_t i = 0; i < nchain && !error; i++) {
		error = diff_region(al, a, x, chain[i].x, b, y, chain[i].y, out, depth + 1);
		x = chain[i].x + 1;
		y = chain[i].y + 1;
	}
	if (!error)
		error = diff_region(al, a, x, a1, b, y, b1, out, depth + 1);
	if (!error)
		error = 1;
done:
	free(pairs);
	free(chain);
	free(tails);
	free(prev);
	return error;
}

static int diff_region(gate__aligner *al, const uint32_t *a, size_t a0, size_t a1,
	const uint32_t *b, size_t b0, size_t b1, gate__hunks *out, int depth)
{
	int r;

	while (a0 < a1 && b0 < b1 && a[a0] == b[b0]) {
		a0++;
		b0++;
	}
	while (a0 < a1 && b0 < b1 && a[a1 - 1] == b[b1 - 1]) {
		a1--;
		b1--;
	}
	if (a0 == a1 || b0 == b1)
		return gate__hunks_push(out, a0, a1, b0, b1);
	if (depth < PATIENCE_DEPTH && (a1 - a0) + (b1 - b0) >= PATIENCE_MIN) {
		if ((r = patience(al, a, a0, a1, b, b0, b1, out, depth)) != 0)
			return r < 0 ? r : 0;
	}
	return myers(al, a, a0, a1, b, b0, b1, out);
}

int gate__align(gate__aligner *al, const uint32_t *a, size_t a0, size_t a1,
	const uint32_t *b, size_t b0, size_t b1, gate__hunks *out)
{
	al->cost = 0;
	return diff_region(al, a, a0, a1, b, b0, b1, out, 0);
}

/* --- clean-up ------------------------------------------------------------------------------ */

static bool is_space_tok(const gate__dtext *t, size_t i)
{
	return t->tok[i].kind == GATE__TK_SPACE;
}

/* How well a cut before token i of t reads: line starts best, then words.
 * Tokens come in runs of whole lines closed by END tokens: a run's first
 * token follows a line break, and an END token stands for the start of the
 * line after the run (or the end of the text). */
static int cut_score(const gate__dtext *t, size_t i)
{
	int score = 0;

	if (i >= t->ntok || (i == 0 && t->tok[0].off == 0) ||
	    (t->tok[i].kind == GATE__TK_END && (t->tok[i].flags & GATE__TF_TEXTEND)))
		return 6;
	if (i == 0 || (t->tok[i - 1].flags & GATE__TF_NEWLINE))
		score += 4;
	else if (is_space_tok(t, i - 1))
		score += 2;
	if (t->tok[i].kind == GATE__TK_END ? (t->tok[i].flags & GATE__TF_NEXTWORD) != 0 : !is_space_tok(t, i))
		score += 1;
	return score;
}

/* Slides a pure insertion or deletion along the equal tokens around it to
 * where it reads best: starting on a word, at a line start if it can. */
static void slide(gate__hunk *h, const gate__hunk *prev, const gate__hunk *next,
	const gate__dtext *ta, const gate__dtext *tb)
{
	bool ins = h->a0 == h->a1;
	const gate__dtext *t = ins ? tb : ta, *u = ins ? ta : tb;
	size_t lo_other = prev ? (ins ? prev->a1 : prev->b1) : 0;
	size_t lo_self = prev ? (ins ? prev->b1 : prev->a1) : 0;
	size_t hi_other = next ? (ins ? next->a0 : next->b0) : (ins ? ta->ntok : tb->ntok);
	size_t hi_self = next ? (ins ? next->b0 : next->a0) : t->ntok;
	size_t *s0 = ins ? &h->b0 : &h->a0, *s1 = ins ? &h->b1 : &h->a1;
	size_t *o = ins ? &h->a0 : &h->b0;
	size_t best, best_score, shift = 0;

	/* all the way left; the run crossed must be equal token for token on the
	 * other side too (equal lines between two line hunks may tokenise apart:
	 * "12." after a blank line, "12" "." after a paragraph line) */
	while (*s0 > lo_self && *o > lo_other && t->ids[*s0 - 1] == t->ids[*s1 - 1] &&
	       u->ids[*o - 1] == t->ids[*s0 - 1]) {
		(*s0)--;
		(*s1)--;
		(*o)--;
	}
	best = 0;
	best_score = (size_t)(cut_score(t, *s0) * 2 + cut_score(t, *s1));
	/* then right, keeping the best place */
	while (*s1 + shift < hi_self && *o + shift < hi_other &&
	       t->ids[*s0 + shift] == t->ids[*s1 + shift] && u->ids[*o + shift] == t->ids[*s1 + shift]) {
		size_t sc;

		shift++;
		sc = (size_t)(cut_score(t, *s0 + shift) * 2 + cut_score(t, *s1 + shift));
		if (sc > best_score) {
			best_score = sc;
			best = shift;
		}
	}
	*s0 += best;
	*s1 += best;
	*o += best;
	if (ins)
		h->a1 = h->a0;
	else
		h->b1 = h->b0;
}

static size_t weight(const gate__dtext *t, size_t i0, size_t i1)
{
	size_t w = 0;

	for (size_t i = i0; i < i1; i++)
		if (!is_space_tok(t, i))
			w++;
	return w;
}

static bool has_newline(const gate__dtext *t, size_t i0, size_t i1)
{
	for (size_t i = i0; i < i1; i++)
		if (t->tok[i].flags & GATE__TF_NEWLINE)
			return true;
	return false;
}

/*
 * A hunk that replaces words within one line by words plus whole new lines
 * (or the reverse) reads better cut in two: the replacement within the
 * line, then the lines inserted (or deleted) after it. That cut exists when
 * the rest of the line after the hunk (equal tokens up to its newline) also
 * appears inside the longer side. Returns 1 and the two hunks when it does.
 */
static int split_at_line_end(const gate__hunk *h, size_t next_self, const gate__dtext *t,
	const gate__dtext *other, bool added, gate__hunk *h1, gate__hunk *h2)
{
	size_t s0 = added ? h->b0 : h->a0, s1 = added ? h->b1 : h->a1;
	size_t o0 = added ? h->a0 : h->b0, o1 = added ? h->a1 : h->b1;
	size_t len = 0;

	if (has_newline(other, o0, o1) || !has_newline(t, s0, s1))
		return 0;
	/* the rest of the line after the hunk, newline included */
	while (s1 + len < next_self && !(t->tok[s1 + len].flags & GATE__TF_NEWLINE))
		len++;
	if (s1 + len >= next_self)
		return 0;
	len++;
	/* the rest of the line follows the other side's hunk too (see slide()) */
	if (o1 + len > other->ntok || memcmp(other->ids + o1, t->ids + s1, len * sizeof(*t->ids)) != 0)
		return 0;
	for (size_t k = 0; s0 + k + len <= s1; k++) {
		if (t->tok[s0 + k].flags & GATE__TF_NEWLINE)
			return 0;
		if (memcmp(t->ids + s0 + k, t->ids + s1, len * sizeof(*t->ids)) != 0)
			continue;
		if (added) {
			*h1 = (gate__hunk){ h->a0, h->a1, h->b0, h->b0 + k };
			*h2 = (gate__hunk){ h->a1 + len, h->a1 + len, h->b0 + k + len, h->b1 + len };
		} else {
			*h1 = (gate__hunk){ h->a0, h->a0 + k, h->b0, h->b1 };
			*h2 = (gate__hunk){ h->a0 + k + len, h->a1 + len, h->b1 + len, h->b1 + len };
		}
		return 1;
	}
	return 0;
}

static int split_hunks(gate__hunks *hs, const gate__dtext *a, const gate__dtext *b)
{
	gate__hunks out = { 0 };

	for (size_t i = 0; i < hs->count; i++) {
		const gate__hunk *h = &hs->h[i];
		const gate__hunk *next = i + 1 < hs->count ? &hs->h[i + 1] : NULL;
		gate__hunk h1, h2;
		int error;

		if (split_at_line_end(h, next ? next->b0 : b->ntok, b, a, true, &h1, &h2) ||
		    split_at_line_end(h, next ? next->a0 : a->ntok, a, b, false, &h1, &h2))
			error = gate__hunks_push(&out, h1.a0, h1.a1, h1.b0, h1.b1) < 0 ||
				gate__hunks_push(&out, h2.a0, h2.a1, h2.b0, h2.b1) < 0;
		else
			error = gate__hunks_push(&out, h->a0, h->a1, h->b0, h->b1) < 0;
		if (error) {
			gate__hunks_free(&out);
			return GATE_ENOMEM;
		}
	}
	gate__hunks_free(hs);
	*hs = out;
	return 0;
}

/* Fold an equal run into the hunks on both sides when it is whitespace
 * alone, or no heavier than either hunk and at most two tokens
 * (diff-match-patch's cleanupSemantic, counted in tokens), never across
 * a line break: a change stays within its paragraph or line. */
static void fold(gate__hunks *hs, const gate__dtext *a, const gate__dtext *b)
{
	size_t w = 0;

	for (size_t i = 0; i < hs->count; i++) {
		gate__hunk *h = &hs->h[i];

		if (w > 0) {
			gate__hunk *p = &hs->h[w - 1];
			size_t eq = weight(a, p->a1, h->a0);
			size_t wp = weight(a, p->a0, p->a1), wp2 = weight(b, p->b0, p->b1);
			size_t wh = weight(a, h->a0, h->a1), wh2 = weight(b, h->b0, h->b1);

			if (wp2 > wp)
				wp = wp2;
			if (wh2 > wh)
				wh = wh2;
			if (!has_newline(a, p->a1, h->a0) &&
			    (eq == 0 || (eq <= 2 && eq <= wp && eq <= wh))) {
				p->a1 = h->a1;
				p->b1 = h->b1;
				continue;
			}
		}
		hs->h[w++] = *h;
	}
	hs->count = w;
}

int gate__hunks_cleanup(gate__hunks *hs, const gate__dtext *a, const gate__dtext *b)
{
	int error;

	fold(hs, a, b);
	if ((error = split_hunks(hs, a, b)) < 0)
		return error;
	for (size_t i = 0; i < hs->count; i++) {
		gate__hunk *h = &hs->h[i];

		if (h->a0 == h->a1 || h->b0 == h->b1)
			slide(h, i ? &hs->h[i - 1] : NULL, i + 1 < hs->count ? &hs->h[i + 1] : NULL, a, b);
	}
	/* sliding may have brought hunks together */
	fold(hs, a, b);
	return 0;
}
