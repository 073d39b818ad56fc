/* chain.c: the canonical encoding of an acceptance event, its chain hash and the user commitment
 * (docs/acceptance-log.md describes the encoding byte by byte). */
#include "store.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* Version of the encoding below; a new layout gets a new number, never a change to this one. */
#define GATE__EVENT_ENCODING 1

/* Room for the largest event: every string at its maximum. */
#define GATE__EVENT_MAX_BYTES (1 + 8 + 1 + (4 + GATE__HASH_BYTES) + (4 + GATE_DOC_MAX) + 4 + \
	(4 + GATE_LOCALE_MAX) + 2 * (4 + GATE_OID_HEXSIZE / 2) + 8 + (4 + GATE_METHOD_MAX) + \
	(4 + GATE_CLIENT_MAX) + GATE__HASH_BYTES)

static unsigned char *put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
	return p + 4;
}

static unsigned char *put_u64(unsigned char *p, uint64_t v)
{
	p = put_u32(p, (uint32_t)(v >> 32));
	return put_u32(p, (uint32_t)v);
}

/* A length-prefixed field: u32 big-endian length, then the bytes. */
static unsigned char *put_field(unsigned char *p, const void *data, size_t len)
{
	p = put_u32(p, (uint32_t)len);
	memcpy(p, data, len);
	return p + len;
}

static size_t bounded_len(const char *s, size_t max)
{
	const char *nul = memchr(s, '\0', max + 1);

	return nul ? (size_t)(nul - s) : max;
}

/* A git id as its 20 raw bytes (none for ""): one canonical form, whatever
 * the case of the hex, and fewer bytes to hash. An id `memo` holds is not
 * decoded again. */
static int put_oid(unsigned char **p, const char *hex, const gate__event *ev, const char *what,
	gate__oid_memo *memo)
{
	unsigned char raw[GATE_OID_HEXSIZE / 2];
	size_t len = bounded_len(hex, GATE_OID_HEXSIZE);

	if (len == 0) {
		*p = put_field(*p, raw, 0);
		return 0;
	}
	for (unsigned i = 0; memo && len == GATE_OID_HEXSIZE && i < memo->count; i++)
		if (memcmp(memo->hex[i], hex, GATE_OID_HEXSIZE) == 0) {
			*p = put_field(*p, memo->raw[i], sizeof(raw));
			return 0;
		}
	if (len != GATE_OID_HEXSIZE ||
	    sodium_hex2bin(raw, sizeof(raw), hex, len, NULL, NULL, NULL) != 0)
		return gate__error_set(GATE_ECORRUPT, "event %lld: its %s '%.40s' is not %d hexadecimal digits",
			(long long)ev->seq, what, hex, GATE_OID_HEXSIZE);
	if (memo) {
		memcpy(memo->hex[memo->next], hex, GATE_OID_HEXSIZE);
		memcpy(memo->raw[memo->next], raw, sizeof(raw));
		memo->next = (memo->next + 1) % GATE__OID_MEMO;
		if (memo->count < GATE__OID_MEMO)
			memo->count++;
	}
	*p = put_field(*p, raw, sizeof(raw));
	return 0;
}

int gate__event_hash_memo(const gate__event *ev, gate__oid_memo *memo, unsigned char *out)
{
	unsigned char buf[GATE__EVENT_MAX_BYTES], *p = buf;
	int error;

	*p++ = GATE__EVENT_ENCODING;
	p = put_u64(p, (uint64_t)ev->seq);
	*p++ = (unsigned char)ev->type;
	p = put_field(p, ev->subject, GATE__HASH_BYTES);
	p = put_field(p, ev->doc, bounded_len(ev->doc, GATE_DOC_MAX));
	p = put_u32(p, ev->n);
	p = put_field(p, ev->locale, bounded_len(ev->locale, GATE_LOCALE_MAX));
	if ((error = put_oid(&p, ev->commit_oid, ev, "commit id", memo)) < 0 ||
	    (error = put_oid(&p, ev->blob_oid, ev, "blob id", memo)) < 0)
		return error;
	p = put_u64(p, (uint64_t)ev->at);
	p = put_field(p, ev->method, bounded_len(ev->method, GATE_METHOD_MAX));
	p = put_field(p, ev->client, bounded_len(ev->client, GATE_CLIENT_MAX));
	memcpy(p, ev->prev, GATE__HASH_BYTES);
	p += GATE__HASH_BYTES;
	return crypto_hash_sha256(out, buf, (unsigned long long)(p - buf)) == 0 ? 0
		: gate__error_set(GATE_ERROR, "SHA-256 failed");
}

int gate__event_hash(const gate__event *ev, unsigned char *out)
{
	return gate__event_hash_memo(ev, NULL, out);
}

void gate__subject_commit(const unsigned char *salt, const char *user, unsigned char *out)
{
	crypto_hash_sha256_state st;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, salt, GATE__SALT_BYTES);
	crypto_hash_sha256_update(&st, (const unsigned char *)user, strlen(user));
	crypto_hash_sha256_final(&st, out);
}

void gate__hex(char *out, const unsigned char *bytes, size_t len)
{
	sodium_bin2hex(out, len * 2 + 1, bytes, len);
}

void gate__event_describe(const gate__event *ev, char *out, size_t size)
{
	char when[GATE_TIME_BUFSIZE];

	if (gate_time_format(when, ev->at) < 0)
		snprintf(when, sizeof(when), "time %lld", (long long)ev->at);
	snprintf(out, size, "%s %s v%u at %s", ev->type == GATE_EVENT_ACCEPT ? "accept"
		: ev->type == GATE_EVENT_REVOKE ? "revoke" : "unknown event", ev->doc, ev->n, when);
}

int gate__chain_next(gate__chain *c, const gate__event *ev)
{
	unsigned char hash[GATE__HASH_BYTES];
	char what[GATE_DOC_MAX + 64];
	int error;

	/* Described only for a message: most events are fine. */
	if (ev->seq != c->seq + 1) {
		gate__event_describe(ev, what, sizeof(what));
		if (ev->seq <= c->seq)
			return gate__error_set(GATE_ECORRUPT,
				"event %lld (%s) comes after event %lld: the log's numbering was altered",
				(long long)ev->seq, what, (long long)c->seq);
		if (ev->seq == c->seq + 2)
			return gate__error_set(GATE_ECORRUPT, "event %lld (%s) follows event %lld: event %lld was deleted",
				(long long)ev->seq, what, (long long)c->seq, (long long)c->seq + 1);
		return gate__error_set(GATE_ECORRUPT, "event %lld (%s) follows event %lld: events %lld to %lld were deleted",
			(long long)ev->seq, what, (long long)c->seq, (long long)c->seq + 1, (long long)ev->seq - 1);
	}
	if ((error = gate__event_hash_memo(ev, &c->memo, hash)) < 0)
		return error;
	if (sodium_memcmp(hash, ev->hash, GATE__HASH_BYTES) != 0) {
		gate__event_describe(ev, what, sizeof(what));
		return gate__error_set(GATE_ECORRUPT, "event %lld (%s) does not match its hash: the log was altered",
			(long long)ev->seq, what);
	}
	if (sodium_memcmp(ev->prev, c->hash, GATE__HASH_BYTES) != 0) {
		gate__event_describe(ev, what, sizeof(what));
		return gate__error_set(GATE_ECORRUPT,
			"event %lld (%s) does not link to event %lld: events were deleted, inserted or reordered",
			(long long)ev->seq, what, (long long)c->seq);
	}
	c->seq = ev->seq;
	memcpy(c->hash, ev->hash, GATE__HASH_BYTES);
	return 0;
}
