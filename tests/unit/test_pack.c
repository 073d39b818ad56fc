/* test_pack.c: packs: round trip, --keep, signatures, and refusal of truncated, flipped, wrong-version, oversized and bomb packs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "pack.h"
#include "support_memsource.h"
#include "support_tmp.h"

#define T0 1767225600000LL
#define DAY 86400000LL

typedef struct {
	char *dir;
	unsigned char pk[GATE_PACK_PUBLICKEYBYTES], sk[GATE_PACK_SECRETKEYBYTES];
	gate_buf signed_pack, unsigned_pack;
	int64_t now;
} fixture;

/* A history with two documents, two locales and an upcoming version. */
static gate *make_source(fixture *f)
{
	memsrc *m = memsrc_new("en-GB");
	gate *g;

	memsrc_setting(m, "diff.datepattern", "^last updated:.*$");
	memsrc_add(m, "privacy", GATE_CHANGE_MATERIAL, T0, "en-GB", "We keep data for 6 years.\n",
		"cy-GB", "Rydym yn cadw data am 6 blynedd.\n", NULL);
	memsrc_add(m, "privacy", GATE_CHANGE_EDITORIAL, T0 + DAY, "en-GB", "We keep data for 6 years. \n", NULL);
	memsrc_add(m, "privacy", GATE_CHANGE_MATERIAL, T0 + 30 * DAY, "en-GB", "We keep data for 8 years.\n", NULL);
	memsrc_add(m, "terms", GATE_CHANGE_MATERIAL, T0, "en-GB", "Be kind.\n", NULL);
	assert_int_equal(memsrc_open(&g, m, ":memory:", memclock, &f->now), 0);
	return g;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	gate_pack_options o = GATE_PACK_OPTIONS_INIT;
	gate *g;

	f->dir = tmpdir_make();
	f->now = T0 + 2 * DAY;
	assert_int_equal(gate_pack_keygen(f->pk, f->sk), 0);
	g = make_source(f);
	o.secret_key = f->sk;
	assert_int_equal(gate_pack_write(g, &o, &f->signed_pack), 0);
	o.secret_key = NULL;
	assert_int_equal(gate_pack_write(g, &o, &f->unsigned_pack), 0);
	gate_free(g);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	gate_buf_dispose(&f->signed_pack);
	gate_buf_dispose(&f->unsigned_pack);
	tmpdir_remove(f->dir);
	free(f);
	return 0;
}

static const char *save(fixture *f, const char *name, const void *data, size_t len)
{
	const char *p = tmp_path(f->dir, name);

	tmp_write(p, data, len);
	return p;
}

static int open_pack(gate **g, fixture *f, const char *path, const unsigned char *key)
{
	gate_options o = GATE_OPTIONS_INIT;

	o.pack_path = path;
	o.pack_public_key = key;
	o.clock = memclock;
	o.clock_payload = &f->now;
	return gate_open(g, &o);
}

static void test_a_pack_serves_the_same_versions_and_texts(void **state)
{
	fixture *f = *state;
	gate *src = make_source(f), *g;
	const char *path = save(f, "p.pack", f->signed_pack.ptr, f->signed_pack.size);
	const char *const *docs;
	size_t ndocs;

	assert_int_equal(open_pack(&g, f, path, f->pk), 0);
	assert_string_equal(gate_default_locale(g), "en-GB");
	assert_int_equal(gate_docs(g, &docs, &ndocs), 0);
	assert_int_equal(ndocs, 2);
	for (size_t d = 0; d < ndocs; d++) {
		const gate_version_info *a, *b;
		size_t na, nb;

		assert_int_equal(gate_versions(src, docs[d], &a, &na), 0);
		assert_int_equal(gate_versions(g, docs[d], &b, &nb), 0);
		assert_int_equal(na, nb);
		for (size_t i = 0; i < na; i++) {
			assert_int_equal(a[i].n, b[i].n);
			assert_int_equal(a[i].change, b[i].change);
			assert_int_equal(a[i].detected, b[i].detected);
			assert_true(a[i].effective == b[i].effective && a[i].published == b[i].published);
			assert_string_equal(a[i].tag_oid, b[i].tag_oid);
			assert_string_equal(a[i].commit_oid, b[i].commit_oid);
			assert_string_equal(a[i].summary, b[i].summary);
			assert_int_equal(a[i].locale_count, b[i].locale_count);
			for (size_t l = 0; l < a[i].locale_count; l++) {
				gate_buf ta = GATE_BUF_INIT, tb = GATE_BUF_INIT;
				gate_text_info ia, ib;

				assert_string_equal(a[i].locales[l].locale, b[i].locales[l].locale);
				assert_string_equal(a[i].locales[l].blob_oid, b[i].locales[l].blob_oid);
				assert_int_equal(gate_text(src, docs[d], a[i].n, a[i].locales[l].locale, &ta, &ia), 0);
				assert_int_equal(gate_text(g, docs[d], b[i].n, b[i].locales[l].locale, &tb, &ib), 0);
				assert_int_equal(ta.size, tb.size);
				assert_memory_equal(ta.ptr, tb.ptr, ta.size);
				assert_string_equal(ia.commit_oid, ib.commit_oid);
				gate_buf_dispose(&ta);
				gate_buf_dispose(&tb);
			}
		}
	}
	/* fallback works the same: privacy v2 has no cy-GB */
	{
		gate_buf t = GATE_BUF_INIT;
		gate_text_info info;

		assert_int_equal(gate_text(g, "privacy", 2, "cy-GB", &t, &info), 0);
		assert_int_equal(info.fallback, 1);
		gate_buf_dispose(&t);
	}
	gate_free(g);
	gate_free(src);
}

static void test_keep_drops_old_texts_but_not_metadata(void **state)
{
	fixture *f = *state;
	gate *src = make_source(f), *g;
	gate_pack_options o = GATE_PACK_OPTIONS_INIT;
	gate_buf pack = GATE_BUF_INIT, t = GATE_BUF_INIT;
	const gate_version_info *vs;
	gate_pack_info info;
	size_t n;
	const char *path;

	o.keep = 1;
	assert_int_equal(gate_pack_write(src, &o, &pack), 0);
	path = save(f, "keep.pack", pack.ptr, pack.size);
	assert_int_equal(gate_pack_inspect(path, NULL, &info), 0);
	assert_int_equal(info.version_count, 4);
	assert_int_equal(info.text_count, 2); /* privacy v3 and terms v1 */
	assert_int_equal(open_pack(&g, f, path, NULL), 0);
	assert_int_equal(gate_versions(g, "privacy", &vs, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(gate_text(g, "privacy", 3, NULL, &t, NULL), 0);
	assert_string_equal(t.ptr, "We keep data for 8 years.\n");
	assert_int_equal(gate_text(g, "privacy", 1, NULL, &t, NULL), GATE_ENOTFOUND);
	assert_non_null(strstr(gate_error_last()->message, "not in this pack"));
	gate_free(g);

	/* only some documents */
	{
		const char *only[] = { "terms" };
		const char *bogus[] = { "cookies" };
		const char *const *docs;

		o.keep = 0;
		o.docs = only;
		o.doc_count = 1;
		assert_int_equal(gate_pack_write(src, &o, &pack), 0);
		path = save(f, "terms.pack", pack.ptr, pack.size);
		assert_int_equal(open_pack(&g, f, path, NULL), 0);
		assert_int_equal(gate_docs(g, &docs, &n), 0);
		assert_int_equal(n, 1);
		assert_string_equal(docs[0], "terms");
		gate_free(g);
		o.docs = bogus;
		assert_int_equal(gate_pack_write(src, &o, &pack), GATE_ENOTFOUND);
	}
	gate_buf_dispose(&t);
	gate_buf_dispose(&pack);
	gate_free(src);
}

static void test_signatures_are_required_when_a_key_is_given(void **state)
{
	fixture *f = *state;
	unsigned char other_pk[GATE_PACK_PUBLICKEYBYTES], other_sk[GATE_PACK_SECRETKEYBYTES];
	const char *s = save(f, "s.pack", f->signed_pack.ptr, f->signed_pack.size);
	const char *u = save(f, "u.pack", f->unsigned_pack.ptr, f->unsigned_pack.size);
	gate_pack_info info;
	gate *g = NULL;

	assert_int_equal(gate_pack_keygen(other_pk, other_sk), 0);
	assert_int_equal(gate_pack_inspect(s, f->pk, &info), 0);
	assert_int_equal(info.is_signed, 1);
	assert_int_equal(info.signature_checked, 1);
	assert_int_equal(gate_pack_inspect(s, NULL, &info), 0);
	assert_int_equal(info.signature_checked, 0);
	assert_int_equal(gate_pack_inspect(u, NULL, &info), 0);
	assert_int_equal(info.is_signed, 0);

	assert_int_equal(open_pack(&g, f, u, f->pk), GATE_ESIGNATURE);
	assert_null(g);
	assert_non_null(strstr(gate_error_last()->message, "is not signed"));
	assert_int_equal(open_pack(&g, f, s, other_pk), GATE_ESIGNATURE);
	assert_non_null(strstr(gate_error_last()->message, "bad signature"));
}

static void test_every_truncation_is_refused(void **state)
{
	fixture *f = *state;
	const gate_buf *p = &f->signed_pack;

	for (size_t len = 0; len < p->size; len++) {
		int rc = gate__pack_check_buffer((const unsigned char *)p->ptr, len, NULL, NULL);

		if (rc != GATE_ECORRUPT)
			fail_msg("truncated to %zu bytes: %d (%s)", len, rc, gate_error_last()->message);
	}
	assert_int_equal(gate__pack_check_buffer((const unsigned char *)p->ptr, p->size, NULL, NULL), 0);
}

static void test_every_bit_flip_is_refused(void **state)
{
	fixture *f = *state;
	gate_buf *p = &f->signed_pack;
	unsigned char *copy = malloc(p->size);

	for (size_t i = 0; i < p->size; i++) {
		for (int bit = 0; bit < 8; bit += 3) {
			int rc;

			memcpy(copy, p->ptr, p->size);
			copy[i] ^= (unsigned char)(1u << bit);
			rc = gate__pack_check_buffer(copy, p->size, f->pk, NULL);
			if (rc != GATE_ECORRUPT && rc != GATE_ESIGNATURE)
				fail_msg("flip at byte %zu bit %d accepted: %d", i, bit, rc);
		}
	}
	free(copy);
}

/* Rewrites the hash (and signature) after a deliberate edit of the header or payload. */
static void reseal(unsigned char *data, size_t len, const unsigned char *sk)
{
	size_t c = (size_t)gate__rd64(data + 72);

	(void)len;
	crypto_hash_sha256(data + GATE__PACK_HEADER + c, data, GATE__PACK_HEADER + c);
	if (sk)
		crypto_sign_detached(data + GATE__PACK_HEADER + c + 32, NULL, data + GATE__PACK_HEADER + c, 32, sk);
}

static void test_wrong_version_oversize_and_bombs_are_refused(void **state)
{
	fixture *f = *state;
	size_t len = f->unsigned_pack.size;
	unsigned char *copy = malloc(len);
	int rc;

	/* a newer format */
	memcpy(copy, f->unsigned_pack.ptr, len);
	gate__le32(copy + 8, 2);
	reseal(copy, len, NULL);
	assert_int_equal(gate__pack_check_buffer(copy, len, NULL, NULL), GATE_ECORRUPT);
	assert_non_null(strstr(gate_error_last()->message, "format version 2; this libgate reads version 1"));

	/* a declared size over the limit is refused before inflating */
	memcpy(copy, f->unsigned_pack.ptr, len);
	gate__le64(copy + 64, (uint64_t)1 << 40);
	reseal(copy, len, NULL);
	assert_int_equal(gate__pack_check_buffer(copy, len, NULL, NULL), GATE_ECORRUPT);
	assert_non_null(strstr(gate_error_last()->message, "over the"));

	/* a payload that inflates beyond what it declares */
	memcpy(copy, f->unsigned_pack.ptr, len);
	gate__le64(copy + 64, gate__rd64(copy + 64) - 1);
	reseal(copy, len, NULL);
	assert_int_equal(gate__pack_check_buffer(copy, len, NULL, NULL), GATE_ECORRUPT);
	assert_non_null(strstr(gate_error_last()->message, "does not inflate"));
	free(copy);

	/* a bomb: 50 MB of zeros in a few dozen kilobytes, declared as 1000 bytes */
	{
		size_t zeros = 50u << 20;
		unsigned char *z = calloc(1, zeros);
		uLongf clen = compressBound(zeros);
		unsigned char *bomb = malloc(GATE__PACK_HEADER + clen + 32);

		memcpy(bomb, f->unsigned_pack.ptr, GATE__PACK_HEADER);
		assert_int_equal(compress2(bomb + GATE__PACK_HEADER, &clen, z, zeros, 9), Z_OK);
		gate__le64(bomb + 64, 1000);
		gate__le64(bomb + 72, clen);
		reseal(bomb, GATE__PACK_HEADER + clen + 32, NULL);
		rc = gate__pack_check_buffer(bomb, GATE__PACK_HEADER + clen + 32, NULL, NULL);
		assert_int_equal(rc, GATE_ECORRUPT);
		free(z);
		free(bomb);
	}

	/* a file over the size limit is refused without being read */
	{
		const char *big = tmp_path(f->dir, "big.pack");
		int fd = open(big, O_CREAT | O_WRONLY, 0644);
		gate_pack_info info;

		assert_true(fd >= 0);
		assert_int_equal(ftruncate(fd, (off_t)GATE__PACK_MAX_FILE + 1), 0);
		close(fd);
		assert_int_equal(gate_pack_inspect(big, NULL, &info), GATE_ECORRUPT);
		assert_non_null(strstr(gate_error_last()->message, "over the"));
	}
	assert_int_equal(gate_pack_inspect(tmp_path(f->dir, "none.pack"), NULL, NULL), GATE_ENOTFOUND);
}

static void test_install_replaces_atomically_and_keeps_the_old_on_failure(void **state)
{
	fixture *f = *state;
	const char *dest = save(f, "installed.pack", f->signed_pack.ptr, f->signed_pack.size);
	const char *u = save(f, "new-unsigned.pack", f->unsigned_pack.ptr, f->unsigned_pack.size);
	char *damaged = malloc(f->signed_pack.size);
	const char *bad;
	FILE *fp;
	char *back = malloc(f->signed_pack.size + 1);

	memcpy(damaged, f->signed_pack.ptr, f->signed_pack.size);
	damaged[100] ^= 1;
	bad = save(f, "damaged.pack", damaged, f->signed_pack.size);

	assert_int_equal(gate_pack_install(bad, dest, NULL), GATE_ECORRUPT);
	assert_int_equal(gate_pack_install(u, dest, f->pk), GATE_ESIGNATURE);
	fp = fopen(dest, "rb");
	assert_int_equal(fread(back, 1, f->signed_pack.size + 1, fp), f->signed_pack.size);
	fclose(fp);
	assert_memory_equal(back, f->signed_pack.ptr, f->signed_pack.size);

	assert_int_equal(gate_pack_install(u, dest, NULL), 0);
	fp = fopen(dest, "rb");
	assert_int_equal(fread(back, 1, f->signed_pack.size + 1, fp), f->unsigned_pack.size);
	fclose(fp);
	assert_memory_equal(back, f->unsigned_pack.ptr, f->unsigned_pack.size);
	/* no temporary file is left beside it */
	assert_int_equal(tmp_sh("test $(ls '%s' | grep -c '\\.new-') -eq 0", f->dir), 0);
	free(damaged);
	free(back);
}

static void test_a_pack_handle_resolves_versions_keeps_its_database_beside_it_and_cannot_publish(void **state)
{
	fixture *f = *state;
	const char *path = save(f, "db.pack", f->unsigned_pack.ptr, f->unsigned_pack.size);
	gate *g;
	const gate_version_info *v;

	assert_int_equal(open_pack(&g, f, path, NULL), 0);
	assert_non_null(strstr(gate_database_path(g), "db.pack.db"));
	assert_int_equal(gate_version_in_force(g, "privacy", f->now, &v), 0);
	assert_int_equal(v->n, 2);
	assert_int_equal(gate_version_upcoming(g, "privacy", f->now, &v), 0);
	assert_int_equal(v->n, 3);
#ifdef GATE_WITH_GIT
	{
		gate_publish_text t = { NULL, "x", 1 };

		assert_int_equal(gate_publish(g, "privacy", &t, 1, NULL, NULL), GATE_ENOTSUPPORTED);
	}
#endif
	gate_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_a_pack_serves_the_same_versions_and_texts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keep_drops_old_texts_but_not_metadata, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signatures_are_required_when_a_key_is_given, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_truncation_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_bit_flip_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_version_oversize_and_bombs_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_install_replaces_atomically_and_keeps_the_old_on_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_pack_handle_resolves_versions_keeps_its_database_beside_it_and_cannot_publish, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
