/* diff_norm.c: the diff normaliser: tokens interned into integer ids, exact and normalised
 * (NFKC, case folding, plain typography), so that the diff compares integers. */
#include "diff_engine.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* --- interning --------------------------------------------------------------------- */

/*
 * Interning hashes every line of both texts and many tokens, mostly a few
 * dozen bytes long, where SipHash's set-up dominates. So a table starts with
 * a cheap multiplicative mix of 8-byte words (a table index, not a
 * cryptographic hash), and should probing ever run long (an input made to
 * collide), it switches for good to SipHash (libsodium) with a random key.
 */
#define PROBE_MAX 48

static uint64_t fast_hash(const char *p, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ (uint64_t)len, w;

	while (len >= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
		h ^= h >> 31;
		p += 8;
		len -= 8;
	}
	w = 0;
	for (size_t i = 0; i < len; i++)
		w |= (uint64_t)(unsigned char)p[i] << (8 * i);
	h = (h ^ w) * 0x94d049bb133111ebull;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	return h ^ (h >> 32);
}

static uint64_t keyed_hash(const gate__intern *in, const char *p, size_t len)
{
	unsigned char out[crypto_shorthash_BYTES];
	uint64_t h;

	crypto_shorthash(out, (const unsigned char *)p, len, in->key_bytes);
	memcpy(&h, out, sizeof(h));
	return h;
}

static uint64_t hash_bytes(const gate__intern *in, const char *p, size_t len)
{
	return in->keyed ? keyed_hash(in, p, len) : fast_hash(p, len);
}

/* Rebuilds the slots at `cap` from the keys' hashes. */
static int intern_rehash(gate__intern *in, size_t cap)
{
	uint32_t *slots = gate__calloc(cap, sizeof(*slots));

	if (!slots)
		return GATE_ENOMEM;
	for (size_t i = 0; i < in->count; i++) {
		size_t j = (size_t)in->khash[i] & (cap - 1);

		while (slots[j])
			j = (j + 1) & (cap - 1);
		slots[j] = (uint32_t)i + 1;
	}
	free(in->slots);
	in->slots = slots;
	in->mask = cap - 1;
	return 0;
}

static int intern_grow(gate__intern *in)
{
	return intern_rehash(in, in->mask ? (in->mask + 1) * 2 : 1024);
}

int gate__intern_reserve(gate__intern *in, size_t n)
{
	size_t cap = 1024;
	const char **key;

	if (in->count || n <= 512)
		return 0;
	while (cap < n * 2)
		cap *= 2;
	if (!(key = gate__malloc(n * sizeof(*key))) ||
	    !(in->klen = gate__malloc(n * sizeof(*in->klen))) ||
	    !(in->khash = gate__malloc(n * sizeof(*in->khash)))) {
		free(key);
		return GATE_ENOMEM;
	}
	in->key = key;
	in->alloc = n;
	return intern_rehash(in, cap);
}

/* From the cheap hash to SipHash with a random key, for every key so far. */
static int intern_key(gate__intern *in)
{
	if (sodium_init() < 0)
		memcpy(in->key_bytes, "libgate-diff-key", sizeof(in->key_bytes));
	else
		randombytes_buf(in->key_bytes, sizeof(in->key_bytes));
	in->keyed = true;
	for (size_t i = 0; i < in->count; i++)
		in->khash[i] = keyed_hash(in, in->key[i], in->klen[i]);
	return intern_rehash(in, in->mask + 1);
}

int gate__intern_id(gate__intern *in, const char *p, size_t len, uint32_t *out)
{
	uint64_t h;
	size_t j, probes = 0;
	int error;

	if (len > UINT32_MAX)
		return gate__error_set(GATE_EINVALID, "a token of %zu bytes is too long to compare", len);
	if ((in->count + 1) * 2 > (in->mask ? in->mask + 1 : 0) && intern_grow(in) < 0)
		return GATE_ENOMEM;
again:
	h = hash_bytes(in, p, len);
	for (j = (size_t)h & in->mask; in->slots[j]; j = (j + 1) & in->mask) {
		uint32_t k = in->slots[j] - 1;

		if (in->khash[k] == h && in->klen[k] == len && memcmp(in->key[k], p, len) == 0) {
			*out = in->base + k;
			return 0;
		}
		if (++probes > PROBE_MAX && !in->keyed) {
			if ((error = intern_key(in)) < 0)
				return error;
			probes = 0;
			goto again;
		}
	}
	if (in->count == in->alloc) {
		size_t want = in->alloc ? in->alloc * 2 : 1024;
		const char **key = gate__realloc(in->key, want * sizeof(*key));
		uint32_t *klen;
		uint64_t *khash;

		if (!key)
			return GATE_ENOMEM;
		in->key = key;
		if (!(klen = gate__realloc(in->klen, want * sizeof(*klen))))
			return GATE_ENOMEM;
		in->klen = klen;
		if (!(khash = gate__realloc(in->khash, want * sizeof(*khash))))
			return GATE_ENOMEM;
		in->khash = khash;
		in->alloc = want;
	}
	if ((uint64_t)in->base + in->count >= UINT32_MAX - 1)
		return gate__error_set(GATE_EINVALID, "too many distinct tokens to compare");
	in->key[in->count] = p;
	in->klen[in->count] = (uint32_t)len;
	in->khash[in->count] = h;
	in->slots[j] = (uint32_t)in->count + 1;
	*out = in->base + (uint32_t)in->count++;
	return 0;
}

void gate__intern_free(gate__intern *in)
{
	free(in->slots);
	free(in->key);
	free(in->klen);
	free(in->khash);
	memset(in, 0, sizeof(*in));
}

/* --- typography ------------------------------------------------------------------------ */

/* The plain form of a typographic character at p (valid UTF-8), or NULL. */
static const char *plain_of(const unsigned char *p, size_t avail, size_t *n)
{
	if (p[0] == 0xC2 && avail >= 2) {
		*n = 2;
		if (p[1] == 0xA0)
			return " ";             /* no-break space */
		if (p[1] == 0xAB || p[1] == 0xBB)
			return "\"";            /* guillemets */
		if (p[1] == 0xB4)
			return "'";             /* acute accent used as an apostrophe */
		return NULL;
	}
	if (p[0] == 0xE2 && avail >= 3 && p[1] == 0x80) {
		*n = 3;
		switch (p[2]) {
		case 0x90: case 0x91: case 0x92: case 0x93: case 0x94: case 0x95:
			return "-";             /* hyphens and dashes */
		case 0x98: case 0x99: case 0x9A: case 0x9B: case 0xB2: case 0xB9: case 0xBA:
			return "'";             /* single quotes, prime, single guillemets */
		case 0x9C: case 0x9D: case 0x9E: case 0x9F: case 0xB3:
			return "\"";            /* double quotes, double prime */
		case 0xA6:
			return "...";           /* ellipsis */
		case 0x80: case 0x81: case 0x82: case 0x83: case 0x84: case 0x85: case 0x86:
		case 0x87: case 0x88: case 0x89: case 0x8A: case 0xAF:
			return " ";             /* fixed-width and narrow no-break spaces */
		}
		return NULL;
	}
	if (p[0] == 0xE2 && avail >= 3 && p[1] == 0x88 && p[2] == 0x92) {
		*n = 3;
		return "-";                     /* minus sign */
	}
	if (p[0] == 0xCA && avail >= 2 && p[1] == 0xBC) {
		*n = 2;
		return "'";                     /* modifier letter apostrophe */
	}
	return NULL;
}

int gate__dnorm_has_typography(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		size_t n;

		if ((unsigned char)p[i] >= 0x80 &&
		    plain_of((const unsigned char *)p + i, len - i, &n))
			return 1;
	}
	return 0;
}

int gate__dnorm_typography(gate_buf *out, const char *p, size_t len)
{
	size_t run = 0, i = 0;

	gate__buf_clear(out);
	if (gate__buf_grow(out, len) < 0)
		return GATE_ENOMEM;
	while (i < len) {
		const char *plain;
		size_t n;

		if ((unsigned char)p[i] < 0x80 ||
		    !(plain = plain_of((const unsigned char *)p + i, len - i, &n))) {
			i++;
			continue;
		}
		if (gate__buf_put(out, p + run, i - run) < 0 || gate__buf_puts(out, plain) < 0)
			return GATE_ENOMEM;
		i += n;
		run = i;
	}
	return gate__buf_put(out, p + run, len - run);
}

int gate__dnorm_fold(gate_buf *out, const char *p, size_t len, int compat, int casefold)
{
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t n;
	int options = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_IGNORE;
	bool ascii = true;

	for (size_t i = 0; i < len; i++)
		if ((unsigned char)p[i] >= 0x80)
			ascii = false;
	gate__buf_clear(out);
	if (ascii) {
		if (gate__buf_put(out, p, len) < 0)
			return GATE_ENOMEM;
		if (casefold)
			for (size_t i = 0; i < len; i++)
				if (out->ptr[i] >= 'A' && out->ptr[i] <= 'Z')
					out->ptr[i] = (char)(out->ptr[i] - 'A' + 'a');
		return 0;
	}
	if (compat)
		options |= UTF8PROC_COMPAT;
	if (casefold)
		options |= UTF8PROC_CASEFOLD;
	n = utf8proc_map((const utf8proc_uint8_t *)p, (utf8proc_ssize_t)len, &dst, (utf8proc_option_t)options);
	if (n < 0)
		return gate__error_set(n == UTF8PROC_ERROR_NOMEM ? GATE_ENOMEM : GATE_EINVALID,
			"cannot normalise text: %s", utf8proc_errmsg(n));
	if (gate__buf_put(out, dst, (size_t)n) < 0) {
		free(dst);
		return GATE_ENOMEM;
	}
	free(dst);
	return 0;
}

/* Scheme and host are case-insensitive; the rest of an address is not. */
static void lower_url_host(char *s, size_t len)
{
	size_t i = 0, end;
	const char *sep = memchr(s, ':', len);

	if (sep && (size_t)(sep - s) + 2 < len && sep[1] == '/' && sep[2] == '/')
		i = (size_t)(sep - s) + 3;
	else if (sep && len >= 7 && memcmp(s, "mailto", 6) == 0)
		i = len;
	end = i;
	while (end < len && s[end] != '/' && s[end] != '?' && s[end] != '#')
		end++;
	for (size_t k = 0; k < end; k++)
		if (s[k] >= 'A' && s[k] <= 'Z')
			s[k] = (char)(s[k] - 'A' + 'a');
}

int gate__dnorm_key(gate_buf *out, const char *p, size_t len, int kind)
{
	gate_buf tmp = GATE_BUF_INIT;
	bool ascii = true;
	int error;

	for (size_t i = 0; i < len; i++)
		if ((unsigned char)p[i] >= 0x80)
			ascii = false;
	if (kind == GATE__TK_URL) {
		gate__buf_clear(out);
		if (gate__buf_put(out, p, len) < 0)
			return GATE_ENOMEM;
		lower_url_host(out->ptr, out->size);
		return 0;
	}
	if (ascii)
		return gate__dnorm_fold(out, p, len, 0, kind != GATE__TK_SYMBOL);
	if ((error = gate__dnorm_typography(&tmp, p, len)) < 0 ||
	    (error = gate__dnorm_fold(out, tmp.ptr, tmp.size, 1, 1)) < 0) {
		gate_buf_dispose(&tmp);
		return error;
	}
	gate_buf_dispose(&tmp);
	return 0;
}

/* --- ids for the texts --------------------------------------------------------------- */

/* The bytes of a token of 2 to 8 bytes as an integer; `avail` bytes are readable at p. */
static uint64_t pack_short(const char *p, size_t len, size_t avail)
{
	uint64_t v = 0;

	if (avail >= 8) {
		memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		return len == 8 ? v : v >> (64 - 8 * len);
#else
		return len == 8 ? v : v & ((1ull << (8 * len)) - 1);
#endif
	}
	for (size_t i = 0; i < len; i++)
		v |= (uint64_t)(unsigned char)p[i] << (8 * i);
	return v;
}

static int shorts_grow(gate__dnorm *n)
{
	size_t cap = n->shorts_mask ? (n->shorts_mask + 1) * 2 : 1024;
	gate__dshort *tab = gate__calloc(cap, sizeof(*tab));

	if (!tab)
		return GATE_ENOMEM;
	for (size_t i = 0; n->shorts && i <= n->shorts_mask; i++) {
		size_t j;

		if (!n->shorts[i].key)
			continue;
		for (j = (size_t)((n->shorts[i].key * 0x9e3779b97f4a7c15ull) >> 32) & (cap - 1); tab[j].key; j = (j + 1) & (cap - 1))
			;
		tab[j] = n->shorts[i];
	}
	free(n->shorts);
	n->shorts = tab;
	n->shorts_mask = cap - 1;
	return 0;
}

/*
 * The exact id of a token of 2 to 8 bytes: most tokens of prose are that
 * short, and their bytes fit the key itself. The table's index is a
 * multiplicative mix (not a cryptographic hash); should probing run long,
 * short tokens go back to the general table, which can switch to SipHash.
 */
static int short_id(gate__dnorm *n, const gate__dtext *t, const gate__dtok *k, uint32_t *out)
{
	const char *p = t->s + k->off;
	uint64_t v = pack_short(p, k->len, t->len + 1 - k->off);
	size_t j, probes = 0;
	int error;

	if ((n->shorts_count + 1) * 2 > n->shorts_mask + 1 && (error = shorts_grow(n)) < 0)
		return error;
	for (j = (size_t)((v * 0x9e3779b97f4a7c15ull) >> 32) & n->shorts_mask; n->shorts[j].key; j = (j + 1) & n->shorts_mask) {
		if (n->shorts[j].key == v) {
			*out = n->shorts[j].id;
			return 0;
		}
		if (++probes > 32) {
			n->shorts_off = true;
			return gate__intern_id(&n->exact, p, k->len, out);
		}
	}
	if ((error = gate__intern_id(&n->exact, p, k->len, out)) < 0)
		return error;
	n->shorts[j].key = v;
	n->shorts[j].id = *out;
	n->shorts_count++;
	return 0;
}

int gate__dnorm_exact(gate__dnorm *n, gate__dtext *t, size_t i0, size_t i1)
{
	int error;

	n->exact.base = 256;
	for (size_t i = i0; i < i1; i++) {
		gate__dtok *k = &t->tok[i];
		const char *p = t->s + k->off;

		if (k->len == 1) {
			t->ids[i] = (unsigned char)*p;
			continue;
		}
		if (k->kind == GATE__TK_END) {
			t->ids[i] = GATE__ID_END;
			continue;
		}
		if (k->len <= 8 && !n->shorts_off) {
			if ((error = short_id(n, t, k, &t->ids[i])) < 0)
				return error;
			continue;
		}
		if ((error = gate__intern_id(&n->exact, p, k->len, &t->ids[i])) < 0)
			return error;
	}
	return 0;
}

/* Room in norm_of for exact id `id`. */
static int norm_of_reserve(gate__dnorm *n, uint32_t id)
{
	size_t want = n->norm_of_alloc ? n->norm_of_alloc : 1024;
	uint32_t *grown;

	if (id < n->norm_of_count)
		return 0;
	while (want <= id)
		want *= 2;
	if (want > n->norm_of_alloc) {
		if (!(grown = gate__realloc(n->norm_of, want * sizeof(*grown))))
			return GATE_ENOMEM;
		n->norm_of = grown;
		n->norm_of_alloc = want;
	}
	memset(n->norm_of + n->norm_of_count, 0xff, (want - n->norm_of_count) * sizeof(*n->norm_of));
	n->norm_of_count = want;
	return 0;
}

static int norm_of_exact(gate__dnorm *n, const gate__dtext *t, const gate__dtok *k, uint32_t id, uint32_t *out)
{
	char *key;
	int error;

	n->norm.base = 1;
	if ((error = gate__dnorm_key(&n->scratch, t->s + k->off, k->len, k->kind)) < 0)
		return error;
	if (n->scratch.size == 0)
		*out = 0; /* only invisible characters */
	else {
		if (!(key = gate__arena_strndup(&n->keys, n->scratch.ptr, n->scratch.size)))
			return GATE_ENOMEM;
		if ((error = gate__intern_id(&n->norm, key, n->scratch.size, out)) < 0)
			return error;
	}
	if ((error = norm_of_reserve(n, id)) < 0)
		return error;
	n->norm_of[id] = *out;
	return 0;
}

int gate__dnorm_semantic(gate__dnorm *n, gate__dtext *t, size_t i0, size_t i1, bool count)
{
	size_t meaningful = i1 - i0; /* at most */
	int error;

	if (t->nsem + meaningful > t->sem_alloc) {
		size_t want = t->sem_alloc * 2 > t->nsem + meaningful ? t->sem_alloc * 2 : t->nsem + meaningful + 64;
		uint32_t *sems = gate__realloc(t->sems, want * sizeof(*sems));
		uint32_t *sem_tok;

		if (!sems)
			return GATE_ENOMEM;
		t->sems = sems;
		if (!(sem_tok = gate__realloc(t->sem_tok, want * sizeof(*sem_tok))))
			return GATE_ENOMEM;
		t->sem_tok = sem_tok;
		t->sem_alloc = want;
	}
	for (size_t i = i0; i < i1; i++) {
		gate__dtok *k = &t->tok[i];
		uint32_t id = t->ids[i];

		k->sem = 0;
		if (!GATE__TK_MEANINGFUL(k->kind))
			continue;
		if (count)
			t->words += k->kind != GATE__TK_SYMBOL;
		if (k->flags & GATE__TF_DATE)
			continue;
		if (id < n->norm_of_count && n->norm_of[id] != UINT32_MAX)
			k->sem = n->norm_of[id];
		else if ((error = norm_of_exact(n, t, k, id, &k->sem)) < 0)
			return error;
		if (k->sem) {
			t->sems[t->nsem] = k->sem;
			t->sem_tok[t->nsem++] = (uint32_t)i;
		}
	}
	return 0;
}

void gate__dnorm_free(gate__dnorm *n)
{
	free(n->shorts);
	gate__intern_free(&n->exact);
	gate__intern_free(&n->norm);
	gate__arena_free(&n->keys);
	free(n->norm_of);
	gate_buf_dispose(&n->scratch);
	memset(n, 0, sizeof(*n));
}
