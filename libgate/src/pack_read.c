/* pack_read.c: reading a pack: size, hash, signature and decompression checks, parsing, and the pack as a version source. */
#include "catalog.h"
#include "pack.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

typedef struct {
	const char *oid;
	const char *data;
	size_t len;
} pack_text;

typedef struct {
	char *id;
	gate_version_info *versions;
	size_t count;
} pack_doc;

typedef struct gate__pack {
	gate_source base;
	char *path;
	unsigned char *raw;        /* the decompressed payload; strings point into the arena */
	gate__arena arena;
	gate__setting *settings;
	size_t setting_count;
	pack_text *texts;          /* sorted by oid */
	size_t text_count;
	pack_doc *docs;
	size_t doc_count;
	gate_pack_info info;
} gate__pack;

/* --- reading the file ------------------------------------------------------------------ */

static int read_whole(const char *path, unsigned char **out, size_t *len)
{
	struct stat st;
	unsigned char *buf;
	size_t got = 0;
	int fd;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return gate__error_set(errno == ENOENT ? GATE_ENOTFOUND : GATE_EIO,
			"cannot open pack %s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return gate__error_set(GATE_EIO, "pack %s is not a regular file", path);
	}
	if ((size_t)st.st_size > GATE__PACK_MAX_FILE) {
		close(fd);
		return gate__error_set(GATE_ECORRUPT, "pack %s is %lld bytes, over the %zu a client accepts",
			path, (long long)st.st_size, GATE__PACK_MAX_FILE);
	}
	if (!(buf = gate__malloc((size_t)st.st_size + 1))) {
		close(fd);
		return GATE_ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(buf);
			close(fd);
			return gate__error_set(GATE_EIO, "cannot read pack %s", path);
		}
		got += (size_t)n;
	}
	close(fd);
	*out = buf;
	*len = got;
	return 0;
}

/* Checks the envelope and inflates the payload into p->raw. */
static int open_envelope(gate__pack *p, const unsigned char *file, size_t len,
	const unsigned char *public_key)
{
	const char *name = p->path;
	uint32_t format, flags;
	uint64_t raw_size, csize;
	size_t want;
	unsigned char hash[GATE__PACK_HASH];
	uLongf dest_len;
	uLong src_len;

	if (len < GATE__PACK_HEADER + GATE__PACK_HASH)
		return gate__error_set(GATE_ECORRUPT, "pack %s is truncated (%zu bytes)", name, len);
	if (memcmp(file, GATE__PACK_MAGIC, 8) != 0)
		return gate__error_set(GATE_ECORRUPT, "%s is not a libgate pack (bad magic bytes)", name);
	format = gate__rd32(file + 8);
	flags = gate__rd32(file + 12);
	if (format != GATE__PACK_FORMAT)
		return gate__error_set(GATE_ECORRUPT,
			"pack %s has format version %u; this libgate reads version %u", name, format, GATE__PACK_FORMAT);
	if (flags & ~GATE__PACK_FLAG_SIGNED)
		return gate__error_set(GATE_ECORRUPT, "pack %s has unknown flags 0x%x", name, flags);
	raw_size = gate__rd64(file + 64);
	csize = gate__rd64(file + 72);
	if (csize > len)
		return gate__error_set(GATE_ECORRUPT, "pack %s is truncated (its payload needs %llu bytes)",
			name, (unsigned long long)csize);
	want = GATE__PACK_HEADER + (size_t)csize + GATE__PACK_HASH + ((flags & GATE__PACK_FLAG_SIGNED) ? GATE__PACK_SIG : 0);
	if (len != want)
		return gate__error_set(GATE_ECORRUPT, "pack %s is %zu bytes but its header says %zu; it is %s",
			name, len, want, len < want ? "truncated" : "followed by junk");

	crypto_hash_sha256(hash, file, GATE__PACK_HEADER + (size_t)csize);
	if (sodium_memcmp(hash, file + GATE__PACK_HEADER + csize, GATE__PACK_HASH) != 0)
		return gate__error_set(GATE_ECORRUPT, "pack %s is damaged: its SHA-256 does not match", name);

	p->info.is_signed = (flags & GATE__PACK_FLAG_SIGNED) != 0;
	if (public_key) {
		if (!p->info.is_signed)
			return gate__error_set(GATE_ESIGNATURE,
				"pack %s is not signed, and this client accepts only packs signed by its publisher", name);
		if (crypto_sign_verify_detached(file + GATE__PACK_HEADER + csize + GATE__PACK_HASH,
			hash, GATE__PACK_HASH, public_key) != 0)
			return gate__error_set(GATE_ESIGNATURE,
				"pack %s has a bad signature: it was not signed with the publisher's key", name);
		p->info.signature_checked = 1;
	}

	if (raw_size > GATE__PACK_MAX_RAW)
		return gate__error_set(GATE_ECORRUPT,
			"pack %s would inflate to %llu bytes, over the %zu a client accepts",
			name, (unsigned long long)raw_size, GATE__PACK_MAX_RAW);
	if (!(p->raw = gate__malloc((size_t)raw_size + 1)))
		return GATE_ENOMEM;
	dest_len = (uLongf)raw_size;
	src_len = (uLong)csize;
	/* The output buffer is exactly the declared size: a stream that would
	 * inflate further stops with Z_BUF_ERROR instead of growing. */
	if (uncompress2(p->raw, &dest_len, file + GATE__PACK_HEADER, &src_len) != Z_OK ||
	    dest_len != raw_size || src_len != csize)
		return gate__error_set(GATE_ECORRUPT,
			"pack %s is damaged: its payload does not inflate to the %llu bytes it declares",
			name, (unsigned long long)raw_size);

	p->info.format = format;
	p->info.created = (int64_t)gate__rd64(file + 16);
	memcpy(p->info.source_commit, file + 24, GATE_OID_HEXSIZE);
	p->info.source_commit[GATE_OID_HEXSIZE] = '\0';
	p->info.file_size = len;
	p->info.raw_size = (size_t)raw_size;
	for (size_t i = 0; i < GATE_OID_HEXSIZE; i++) {
		char c = p->info.source_commit[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return gate__error_set(GATE_ECORRUPT, "pack %s has a malformed source commit", name);
	}
	return 0;
}

/* --- parsing the payload ------------------------------------------------------------------ */

typedef struct {
	const unsigned char *start, *p, *end;
	const char *what; /* the first thing that did not parse */
} cursor;

static bool need(cursor *c, size_t n, const char *what)
{
	if (c->what)
		return false;
	if ((size_t)(c->end - c->p) < n) {
		c->what = what;
		return false;
	}
	return true;
}

static uint32_t rd_u32(cursor *c, const char *what)
{
	uint32_t v = 0;

	if (need(c, 4, what)) {
		v = gate__rd32(c->p);
		c->p += 4;
	}
	return v;
}

static int64_t rd_i64(cursor *c, const char *what)
{
	uint64_t v = 0;

	if (need(c, 8, what)) {
		v = gate__rd64(c->p);
		c->p += 8;
	}
	return (int64_t)v;
}

static unsigned rd_u8(cursor *c, const char *what)
{
	unsigned v = 0;

	if (need(c, 1, what))
		v = *c->p++;
	return v;
}

/* A string copied into the arena (NUL-terminated), with its length. */
static char *rd_str(cursor *c, gate__arena *a, size_t *len, const char *what)
{
	uint32_t n = rd_u32(c, what);
	char *s;

	if (!need(c, n, what))
		return NULL;
	if (!(s = gate__arena_strndup(a, (const char *)c->p, n))) {
		c->what = "memory";
		return NULL;
	}
	c->p += n;
	if (len)
		*len = n;
	return s;
}

/* A count that cannot exceed what the rest of the payload could hold. */
static uint32_t rd_count(cursor *c, size_t min_record, const char *what)
{
	uint32_t n = rd_u32(c, what);

	if (!c->what && (size_t)n > (size_t)(c->end - c->p) / min_record)
		c->what = what;
	return c->what ? 0 : n;
}

static bool is_oid(const char *s, size_t len)
{
	if (len != GATE_OID_HEXSIZE)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static int text_cmp(const void *a, const void *b)
{
	return strcmp(((const pack_text *)a)->oid, ((const pack_text *)b)->oid);
}

static int malformed(gate__pack *p, cursor *c)
{
	return gate__error_set(GATE_ECORRUPT, "pack %s is malformed at payload byte %zu (%s)",
		p->path, (size_t)(c->p - c->start), c->what ? c->what : "unexpected data");
}

static int parse_version(gate__pack *p, cursor *c, const char *doc, gate_version_info *v, unsigned expect)
{
	size_t len;
	char *s;

	memset(v, 0, sizeof(*v));
	v->doc = doc;
	v->n = rd_u32(c, "version number");
	v->change = (gate_change)rd_u8(c, "change");
	v->detected = (gate_change)rd_u8(c, "detected change");
	v->published = rd_i64(c, "publish time");
	v->effective = rd_i64(c, "effective time");
	if (c->what)
		return malformed(p, c);
	if (v->n != expect || v->change < GATE_CHANGE_EDITORIAL || v->change > GATE_CHANGE_MATERIAL ||
	    v->detected > GATE_CHANGE_MATERIAL) {
		c->what = "version fields";
		return malformed(p, c);
	}
	if (!(s = rd_str(c, &p->arena, &len, "tag id")) || !is_oid(s, len)) {
		c->what = c->what ? c->what : "tag id";
		return malformed(p, c);
	}
	memcpy(v->tag_oid, s, GATE_OID_HEXSIZE + 1);
	if (!(s = rd_str(c, &p->arena, &len, "commit id")) || !is_oid(s, len)) {
		c->what = c->what ? c->what : "commit id";
		return malformed(p, c);
	}
	memcpy(v->commit_oid, s, GATE_OID_HEXSIZE + 1);
	v->summary = rd_str(c, &p->arena, &len, "summary");
	if (rd_u8(c, "reason flag"))
		v->reason = rd_str(c, &p->arena, NULL, "reason");
	v->publisher_name = rd_str(c, &p->arena, NULL, "publisher name");
	v->publisher_email = rd_str(c, &p->arena, NULL, "publisher e-mail");
	{
		uint32_t nloc = rd_count(c, 8, "locale count");
		gate_locale_text *locs;

		if (c->what)
			return malformed(p, c);
		if (nloc == 0 || nloc > 32) {
			c->what = "locale count";
			return malformed(p, c);
		}
		if (!(locs = gate__arena_alloc(&p->arena, nloc * sizeof(*locs))))
			return GATE_ENOMEM;
		for (uint32_t i = 0; i < nloc; i++) {
			char *loc = rd_str(c, &p->arena, &len, "locale");
			char *oid;

			if (!loc || len > GATE_LOCALE_MAX || gate__locale_canon(locs[i].locale, loc) < 0 ||
			    strcmp(locs[i].locale, loc) != 0) {
				gate_error_clear();
				c->what = c->what ? c->what : "locale";
				return malformed(p, c);
			}
			if (!(oid = rd_str(c, &p->arena, &len, "blob id")) || !is_oid(oid, len)) {
				c->what = c->what ? c->what : "blob id";
				return malformed(p, c);
			}
			memcpy(locs[i].blob_oid, oid, GATE_OID_HEXSIZE + 1);
		}
		v->locales = locs;
		v->locale_count = nloc;
	}
	if (c->what || !v->summary || !v->publisher_name || !v->publisher_email)
		return malformed(p, c);
	return 0;
}

static int parse_payload(gate__pack *p)
{
	cursor c = { p->raw, p->raw, p->raw + p->info.raw_size, NULL };
	int error;

	p->setting_count = rd_count(&c, 8, "setting count");
	if (c.what)
		return malformed(p, &c);
	if (!(p->settings = gate__arena_alloc(&p->arena, (p->setting_count + 1) * sizeof(*p->settings))))
		return GATE_ENOMEM;
	for (size_t i = 0; i < p->setting_count; i++) {
		p->settings[i].name = rd_str(&c, &p->arena, NULL, "setting name");
		p->settings[i].value = rd_str(&c, &p->arena, NULL, "setting value");
		if (c.what)
			return malformed(p, &c);
	}

	p->text_count = rd_count(&c, 8, "text count");
	if (c.what)
		return malformed(p, &c);
	if (!(p->texts = gate__arena_alloc(&p->arena, (p->text_count + 1) * sizeof(*p->texts))))
		return GATE_ENOMEM;
	for (size_t i = 0; i < p->text_count; i++) {
		size_t len;
		char *oid = rd_str(&c, &p->arena, &len, "text id");
		uint32_t tlen;

		if (!oid || !is_oid(oid, len)) {
			c.what = c.what ? c.what : "text id";
			return malformed(p, &c);
		}
		tlen = rd_u32(&c, "text length");
		if (!need(&c, tlen, "text"))
			return malformed(p, &c);
		/* texts stay in the payload buffer: no copy */
		p->texts[i].oid = oid;
		p->texts[i].data = (const char *)c.p;
		p->texts[i].len = tlen;
		c.p += tlen;
		p->info.text_bytes += tlen;
	}
	qsort(p->texts, p->text_count, sizeof(*p->texts), text_cmp);
	for (size_t i = 1; i < p->text_count; i++)
		if (strcmp(p->texts[i].oid, p->texts[i - 1].oid) == 0) {
			c.what = "duplicate text";
			return malformed(p, &c);
		}

	p->doc_count = rd_count(&c, 8, "document count");
	if (c.what)
		return malformed(p, &c);
	if (!(p->docs = gate__arena_alloc(&p->arena, (p->doc_count + 1) * sizeof(*p->docs))))
		return GATE_ENOMEM;
	for (size_t i = 0; i < p->doc_count; i++) {
		pack_doc *d = &p->docs[i];

		if (!(d->id = rd_str(&c, &p->arena, NULL, "document id")) || gate_doc_id_check(d->id) < 0) {
			gate_error_clear();
			c.what = c.what ? c.what : "document id";
			return malformed(p, &c);
		}
		for (size_t k = 0; k < i; k++)
			if (strcmp(p->docs[k].id, d->id) == 0) {
				c.what = "duplicate document";
				return malformed(p, &c);
			}
		d->count = rd_count(&c, 100, "version count");
		if (c.what)
			return malformed(p, &c);
		if (!(d->versions = gate__arena_alloc(&p->arena, (d->count + 1) * sizeof(*d->versions))))
			return GATE_ENOMEM;
		for (size_t k = 0; k < d->count; k++)
			if ((error = parse_version(p, &c, d->id, &d->versions[k], (unsigned)k + 1)) < 0)
				return error;
		p->info.version_count += d->count;
	}
	if (c.p != c.end) {
		c.what = "bytes after the last document";
		return malformed(p, &c);
	}
	p->info.doc_count = p->doc_count;
	p->info.text_count = p->text_count;
	return 0;
}

/* --- the pack as a source ------------------------------------------------------------------- */

static void pack_free(gate_source *base)
{
	gate__pack *p = (gate__pack *)base;

	if (!p)
		return;
	gate__arena_free(&p->arena);
	free(p->raw);
	free(p->path);
	free(p);
}

static char *pack_default_db_path(gate_source *base)
{
	gate__pack *p = (gate__pack *)base;
	gate_buf b = GATE_BUF_INIT;

	if (gate__buf_printf(&b, "%s.db", p->path) < 0)
		return NULL;
	return b.ptr;
}

static int pack_load_settings(gate_source *base, gate_settings *s)
{
	gate__pack *p = (gate__pack *)base;

	for (size_t i = 0; i < p->setting_count; i++)
		if (gate__settings_add(s, p->settings[i].name, p->settings[i].value) < 0)
			return GATE_ENOMEM;
	return 0;
}

static int pack_list_docs(gate_source *base, gate__strlist *out)
{
	gate__pack *p = (gate__pack *)base;

	for (size_t i = 0; i < p->doc_count; i++)
		if (p->docs[i].count && gate__strlist_push(out, p->docs[i].id) < 0)
			return GATE_ENOMEM;
	return 0;
}

static int pack_load_versions(gate_source *base, gate_catalog *cat, const char *doc)
{
	gate__pack *p = (gate__pack *)base;

	for (size_t i = 0; i < p->doc_count; i++) {
		if (strcmp(p->docs[i].id, doc) != 0)
			continue;
		for (size_t k = 0; k < p->docs[i].count; k++) {
			int error = gate__catalog_add_version(cat, &p->docs[i].versions[k]);

			if (error < 0)
				return error;
		}
	}
	return 0;
}

static int pack_read_blob(gate_source *base, const gate_version_info *v,
	const gate_locale_text *t, gate_buf *out)
{
	gate__pack *p = (gate__pack *)base;
	pack_text key, *hit;

	key.oid = t->blob_oid;
	hit = p->text_count ? bsearch(&key, p->texts, p->text_count, sizeof(key), text_cmp) : NULL;
	if (!hit)
		return gate__error_set(GATE_ENOTFOUND,
			"the %s text of %s v%u is not in this pack (it was packed with --keep)",
			t->locale, v->doc, v->n);
	return gate__buf_put(out, hit->data, hit->len);
}

static int pack_source_id(gate_source *base, char *out)
{
	memcpy(out, ((gate__pack *)base)->info.source_commit, GATE_OID_HEXSIZE + 1);
	return 0;
}

static int pack_new(gate__pack **out, const char *path)
{
	gate__pack *p;

	*out = NULL;
	if (sodium_init() < 0)
		return gate__error_set(GATE_ERROR, "libsodium failed to initialise");
	if (!(p = gate__calloc(1, sizeof(*p))))
		return GATE_ENOMEM;
	p->base.kind = "pack";
	p->base.default_db_path = pack_default_db_path;
	p->base.load_settings = pack_load_settings;
	p->base.list_docs = pack_list_docs;
	p->base.load_versions = pack_load_versions;
	p->base.read_blob = pack_read_blob;
	p->base.source_id = pack_source_id;
	p->base.free = pack_free;
	if (!(p->path = gate__strdup(path))) {
		pack_free(&p->base);
		return GATE_ENOMEM;
	}
	*out = p;
	return 0;
}

int gate__pack_check_buffer(const unsigned char *data, size_t len, const unsigned char *public_key,
	gate_pack_info *info)
{
	gate__pack *p;
	int error;

	if ((error = pack_new(&p, "(buffer)")) < 0)
		return error;
	if ((error = open_envelope(p, data, len, public_key)) == 0 &&
	    (error = parse_payload(p)) == 0 && info)
		*info = p->info;
	pack_free(&p->base);
	return error;
}

static int pack_load(gate__pack **out, const char *path, const unsigned char *public_key)
{
	gate__pack *p;
	unsigned char *file = NULL;
	size_t len;
	int error;

	*out = NULL;
	if (!path || !*path)
		return gate__error_set(GATE_EINVALID, "no pack path given");
	if ((error = pack_new(&p, path)) < 0)
		return error;
	if ((error = read_whole(path, &file, &len)) < 0 ||
	    (error = open_envelope(p, file, len, public_key)) < 0 ||
	    (error = parse_payload(p)) < 0) {
		free(file);
		pack_free(&p->base);
		return error;
	}
	free(file);
	*out = p;
	return 0;
}

int gate__source_pack_open(gate_source **out, const char *path, const unsigned char *public_key)
{
	gate__pack *p;
	int error = pack_load(&p, path, public_key);

	*out = error < 0 ? NULL : &p->base;
	return error;
}

int gate_pack_inspect(const char *path, const unsigned char *public_key, gate_pack_info *out)
{
	gate__pack *p;
	int error;

	if (out)
		memset(out, 0, sizeof(*out));
	if ((error = pack_load(&p, path, public_key)) < 0)
		return error;
	if (out)
		*out = p->info;
	pack_free(&p->base);
	return 0;
}

/* --- replacing a pack atomically ------------------------------------------------------------ */

static int fsync_dir_of(const char *path)
{
	gate_buf dir = GATE_BUF_INIT;
	const char *slash = strrchr(path, '/');
	int fd, error = 0;

	if (gate__buf_put(&dir, path, slash ? (size_t)(slash - path) : 0) < 0 ||
	    (!slash && gate__buf_puts(&dir, ".") < 0) || (slash == path && gate__buf_puts(&dir, "/") < 0))
		return GATE_ENOMEM;
	if ((fd = open(dir.ptr, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		if (fsync(fd) < 0)
			error = gate__error_set(GATE_EIO, "cannot flush %s: %s", dir.ptr, strerror(errno));
		close(fd);
	}
	gate_buf_dispose(&dir);
	return error;
}

int gate_pack_install(const char *new_pack, const char *dest, const unsigned char *public_key)
{
	gate__pack *p = NULL;
	unsigned char *file = NULL;
	gate_buf tmp = GATE_BUF_INIT;
	size_t len, done = 0;
	int fd = -1, error;

	if (!new_pack || !dest)
		return gate__error_set(GATE_EINVALID, "gate_pack_install: NULL path");
	/* Check everything before touching dest. */
	if ((error = pack_load(&p, new_pack, public_key)) < 0)
		return error;
	pack_free(&p->base);
	if ((error = read_whole(new_pack, &file, &len)) < 0)
		return error;
	if ((error = gate__buf_printf(&tmp, "%s.new-XXXXXX", dest)) < 0)
		goto done;
	if ((fd = mkstemp(tmp.ptr)) < 0) {
		error = gate__error_set(GATE_EIO, "cannot create a file beside %s: %s", dest, strerror(errno));
		goto done;
	}
	while (done < len) {
		ssize_t n = write(fd, file + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			error = gate__error_set(GATE_EIO, "cannot write %s: %s", tmp.ptr, strerror(errno));
			goto done;
		}
		done += (size_t)n;
	}
	if (fchmod(fd, 0644) < 0 || fsync(fd) < 0) {
		error = gate__error_set(GATE_EIO, "cannot flush %s: %s", tmp.ptr, strerror(errno));
		goto done;
	}
	close(fd);
	fd = -1;
	if (rename(tmp.ptr, dest) < 0) {
		error = gate__error_set(GATE_EIO, "cannot replace %s: %s", dest, strerror(errno));
		goto done;
	}
	error = fsync_dir_of(dest);
done:
	if (fd >= 0)
		close(fd);
	if (error < 0 && tmp.ptr)
		unlink(tmp.ptr);
	gate_buf_dispose(&tmp);
	free(file);
	return error;
}
