/* pack_write.c: writing a pack: versions and texts serialised, zlib-compressed, hashed and signed. */
#include "handle.h"
#include "pack.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

size_t gate_pack_publickeybytes(void)
{
	return GATE_PACK_PUBLICKEYBYTES;
}

size_t gate_pack_secretkeybytes(void)
{
	return GATE_PACK_SECRETKEYBYTES;
}

int gate_pack_keygen(unsigned char *public_key, unsigned char *secret_key)
{
	if (!public_key || !secret_key)
		return gate__error_set(GATE_EINVALID, "gate_pack_keygen: NULL key buffer");
	if (sodium_init() < 0)
		return gate__error_set(GATE_ERROR, "libsodium failed to initialise");
	crypto_sign_keypair(public_key, secret_key);
	return 0;
}

int gate_pack_options_init(gate_pack_options *opts, unsigned int version)
{
	gate_pack_options init = GATE_PACK_OPTIONS_INIT;

	if (!opts)
		return gate__error_set(GATE_EINVALID, "gate_pack_options_init: NULL options");
	if (version != GATE_PACK_OPTIONS_VERSION)
		return gate__error_set(GATE_EVERSION, "gate_pack_options version %u is not supported (expected %d)",
			version, GATE_PACK_OPTIONS_VERSION);
	*opts = init;
	return 0;
}

static int put32(gate_buf *b, uint32_t v)
{
	unsigned char p[4];

	gate__le32(p, v);
	return gate__buf_put(b, p, 4);
}

static int put64(gate_buf *b, uint64_t v)
{
	unsigned char p[8];

	gate__le64(p, v);
	return gate__buf_put(b, p, 8);
}

static int putstr(gate_buf *b, const char *s, size_t len)
{
	if (len > UINT32_MAX)
		return gate__error_set(GATE_EINVALID, "a string is too long for a pack");
	if (put32(b, (uint32_t)len) < 0 || gate__buf_put(b, s, len) < 0)
		return GATE_ENOMEM;
	return 0;
}

static int puts_(gate_buf *b, const char *s)
{
	return putstr(b, s ? s : "", s ? strlen(s) : 0);
}

static bool selected(const gate_pack_options *opts, const char *doc)
{
	if (!opts->docs)
		return true;
	for (size_t i = 0; i < opts->doc_count; i++)
		if (strcmp(opts->docs[i], doc) == 0)
			return true;
	return false;
}

/* Texts: each blob once, in the order first met. */
static int add_text(gate *g, gate__strlist *oids, gate_buf *texts, const gate_version_info *v,
	const gate_locale_text *t)
{
	gate_buf blob = GATE_BUF_INIT;
	int error;

	if (gate__strlist_contains(oids, t->blob_oid))
		return 0;
	if ((error = g->source->read_blob(g->source, v, t, &blob)) == GATE_ENOTFOUND) {
		/* a pack made from a pack may lack old texts: they stay absent */
		gate_error_clear();
		return 0;
	}
	if (error < 0)
		return error;
	if ((error = gate__strlist_push(oids, t->blob_oid)) < 0 ||
	    (error = puts_(texts, t->blob_oid)) < 0 ||
	    (error = putstr(texts, blob.ptr ? blob.ptr : "", blob.size)) < 0) {
		gate_buf_dispose(&blob);
		return error;
	}
	gate_buf_dispose(&blob);
	return 0;
}

static int serialise(gate *g, const gate_pack_options *opts, gate_buf *payload)
{
	const char *const *docs;
	size_t ndocs, chosen = 0;
	gate_buf texts = GATE_BUF_INIT, body = GATE_BUF_INIT;
	gate__strlist oids = GATE__STRLIST_INIT;
	int error;

	if ((error = gate_docs(g, &docs, &ndocs)) < 0)
		return error;
	for (size_t i = 0; opts->docs && i < opts->doc_count; i++) {
		bool found = false;

		for (size_t k = 0; k < ndocs; k++)
			found = found || strcmp(docs[k], opts->docs[i]) == 0;
		if (!found) {
			const gate_version_info *vs;
			size_t n;

			/* gate_versions() says why, naming the published documents */
			return gate_versions(g, opts->docs[i], &vs, &n) < 0 ? gate_error_last()->code
				: gate__error_set(GATE_ENOTFOUND, "no document %s", opts->docs[i]);
		}
	}

	for (size_t i = 0; i < ndocs; i++) {
		const gate_version_info *vs;
		size_t nv;

		if (!selected(opts, docs[i]))
			continue;
		chosen++;
		if ((error = gate_versions(g, docs[i], &vs, &nv)) < 0)
			goto done;
		if ((error = puts_(&body, docs[i])) < 0 || (error = put32(&body, (uint32_t)nv)) < 0)
			goto done;
		for (size_t k = 0; k < nv; k++) {
			const gate_version_info *v = &vs[k];
			bool keep_text = opts->keep == 0 || k + opts->keep >= nv;
			unsigned char small[2] = { (unsigned char)v->change, (unsigned char)v->detected };

			if ((error = put32(&body, v->n)) < 0 || (error = gate__buf_put(&body, small, 2)) < 0 ||
			    (error = put64(&body, (uint64_t)v->published)) < 0 ||
			    (error = put64(&body, (uint64_t)v->effective)) < 0 ||
			    (error = puts_(&body, v->tag_oid)) < 0 || (error = puts_(&body, v->commit_oid)) < 0 ||
			    (error = puts_(&body, v->summary)) < 0 ||
			    (error = gate__buf_putc(&body, v->reason ? 1 : 0)) < 0 ||
			    (v->reason && (error = puts_(&body, v->reason)) < 0) ||
			    (error = puts_(&body, v->publisher_name)) < 0 ||
			    (error = puts_(&body, v->publisher_email)) < 0 ||
			    (error = put32(&body, (uint32_t)v->locale_count)) < 0)
				goto done;
			for (size_t l = 0; l < v->locale_count; l++) {
				if ((error = puts_(&body, v->locales[l].locale)) < 0 ||
				    (error = puts_(&body, v->locales[l].blob_oid)) < 0)
					goto done;
				if (keep_text && (error = add_text(g, &oids, &texts, v, &v->locales[l])) < 0)
					goto done;
			}
		}
	}

	if ((error = put32(payload, (uint32_t)g->settings.count)) < 0)
		goto done;
	for (size_t i = 0; i < g->settings.count; i++)
		if ((error = puts_(payload, g->settings.entries[i].name)) < 0 ||
		    (error = puts_(payload, g->settings.entries[i].value)) < 0)
			goto done;
	if ((error = put32(payload, (uint32_t)oids.count)) < 0 ||
	    (error = gate__buf_put(payload, texts.ptr ? texts.ptr : "", texts.size)) < 0 ||
	    (error = put32(payload, (uint32_t)chosen)) < 0 ||
	    (error = gate__buf_put(payload, body.ptr ? body.ptr : "", body.size)) < 0)
		goto done;
done:
	gate__strlist_free(&oids);
	gate_buf_dispose(&texts);
	gate_buf_dispose(&body);
	return error;
}

int gate_pack_write(gate *g, const gate_pack_options *opts, gate_buf *out)
{
	gate_pack_options defaults = GATE_PACK_OPTIONS_INIT;
	gate_buf payload = GATE_BUF_INIT;
	unsigned char header[GATE__PACK_HEADER], hash[GATE__PACK_HASH];
	char source[GATE_OID_HEXSIZE + 1];
	uLongf bound;
	size_t at;
	int error;

	if (!g || !out)
		return gate__error_set(GATE_EINVALID, "gate_pack_write: NULL argument");
	if (!opts)
		opts = &defaults;
	if (opts->version != GATE_PACK_OPTIONS_VERSION)
		return gate__error_set(GATE_EVERSION, "gate_pack_options version %u is not supported (expected %d)",
			opts->version, GATE_PACK_OPTIONS_VERSION);
	if (sodium_init() < 0)
		return gate__error_set(GATE_ERROR, "libsodium failed to initialise");
	if ((error = serialise(g, opts, &payload)) < 0)
		goto done;
	if (payload.size > GATE__PACK_MAX_RAW) {
		error = gate__error_set(GATE_EINVALID,
			"the pack would hold %zu bytes, over the %zu a client accepts; pack fewer documents or use --keep",
			payload.size, GATE__PACK_MAX_RAW);
		goto done;
	}

	memset(source, '0', GATE_OID_HEXSIZE);
	source[GATE_OID_HEXSIZE] = '\0';
	if (g->source->source_id && (error = g->source->source_id(g->source, source)) < 0)
		goto done;

	memcpy(header, GATE__PACK_MAGIC, 8);
	gate__le32(header + 8, GATE__PACK_FORMAT);
	gate__le32(header + 12, opts->secret_key ? GATE__PACK_FLAG_SIGNED : 0);
	gate__le64(header + 16, (uint64_t)gate_now(g));
	memcpy(header + 24, source, GATE_OID_HEXSIZE);
	gate__le64(header + 64, payload.size);

	gate__buf_clear(out);
	bound = compressBound((uLong)payload.size);
	if ((error = gate__buf_grow(out, GATE__PACK_HEADER + bound + GATE__PACK_HASH + GATE__PACK_SIG)) < 0)
		goto done;
	if (compress2((Bytef *)out->ptr + GATE__PACK_HEADER, &bound,
		(const Bytef *)(payload.ptr ? payload.ptr : ""), (uLong)payload.size, Z_BEST_COMPRESSION) != Z_OK) {
		error = gate__error_set(GATE_ERROR, "zlib could not compress the pack");
		goto done;
	}
	gate__le64(header + 72, bound);
	memcpy(out->ptr, header, GATE__PACK_HEADER);
	at = GATE__PACK_HEADER + bound;
	crypto_hash_sha256(hash, (const unsigned char *)out->ptr, at);
	memcpy(out->ptr + at, hash, GATE__PACK_HASH);
	at += GATE__PACK_HASH;
	if (opts->secret_key) {
		crypto_sign_detached((unsigned char *)out->ptr + at, NULL, hash, GATE__PACK_HASH, opts->secret_key);
		at += GATE__PACK_SIG;
	}
	out->size = at;
	out->ptr[at] = '\0';
	error = 0;
done:
	gate_buf_dispose(&payload);
	return error;
}
