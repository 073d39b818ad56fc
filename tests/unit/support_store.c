/* support_store.c: a policy pack and handle factory for the store's concurrency, crash and fault tests. */
#include "support_store.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "support_memsource.h"

#define STOREFIX_PRIVACY_EN "We keep your diary entries for 6 years and share them with no one.\n"

char *storefix_pack(const char *dir)
{
	return storefix_pack_with(dir, "policies.pack", STOREFIX_PRIVACY_EN);
}

char *storefix_pack_with(const char *dir, const char *name, const char *privacy_text)
{
	memsrc *m = memsrc_new("en-GB");
	gate_buf out = GATE_BUF_INIT;
	gate *g = NULL;
	char *path = malloc(strlen(dir) + strlen(name) + 2);
	FILE *f;

	if (!path)
		abort();
	sprintf(path, "%s/%s", dir, name);
	if (privacy_text)
		memsrc_add(m, "privacy", GATE_CHANGE_MATERIAL, STOREFIX_T0, "en-GB", privacy_text,
			"cy-GB", "Rydym yn cadw eich cofnodion dyddiadur am 6 blynedd.\n", NULL);
	memsrc_add(m, "terms", GATE_CHANGE_MATERIAL, STOREFIX_T0,
		"en-GB", "Use the app kindly and lawfully.\n", NULL);
	if (memsrc_open(&g, m, ":memory:", NULL, NULL) < 0 || gate_pack_write(g, NULL, &out) < 0) {
		fprintf(stderr, "storefix_pack: %s\n", gate_error_last()->message);
		abort();
	}
	gate_free(g);
	if (!(f = fopen(path, "wb")) || fwrite(out.ptr, 1, out.size, f) != out.size || fclose(f) != 0)
		abort();
	gate_buf_dispose(&out);
	return path;
}

int storefix_open(gate **out, const char *pack, const char *db, unsigned int flags,
	int busy_timeout_ms, int64_t *now)
{
	gate_options o = GATE_OPTIONS_INIT;

	o.pack_path = pack;
	o.db_path = db;
	o.flags = flags;
	o.busy_timeout_ms = busy_timeout_ms;
	o.clock = memclock;
	o.clock_payload = now;
	return gate_open(out, &o);
}

static int count_user(const char *user, int64_t first_seen, void *payload)
{
	(void)user;
	(void)first_seen;
	++*(int64_t *)payload;
	return 0;
}

int64_t storefix_count_users(gate *g)
{
	int64_t n = 0;
	int error = gate_users_each(g, count_user, &n);

	return error < 0 ? error : n;
}

int storefix_integrity(const char *db, char *why, size_t why_len)
{
	sqlite3 *s = NULL;
	sqlite3_stmt *st = NULL;
	int rc, ok = -1;

	snprintf(why, why_len, "no answer");
	rc = sqlite3_open_v2(db, &s, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(s, "PRAGMA integrity_check", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *answer = (const char *)sqlite3_column_text(st, 0);

		ok = answer && strcmp(answer, "ok") == 0 ? 0 : -1;
		snprintf(why, why_len, "%s", answer ? answer : "(null)");
	} else {
		snprintf(why, why_len, "%s", s ? sqlite3_errmsg(s) : sqlite3_errstr(rc));
		if (s && sqlite3_extended_errcode(s) == SQLITE_READONLY_ROLLBACK)
			ok = 1;
	}
	sqlite3_finalize(st);
	sqlite3_close(s);
	return ok;
}

int storefix_checkpoint(const char *db, char *why, size_t why_len)
{
	sqlite3 *s = NULL;
	int rc;

	snprintf(why, why_len, "ok");
	rc = sqlite3_open_v2(db, &s, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(s, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		snprintf(why, why_len, "%s", s ? sqlite3_errmsg(s) : sqlite3_errstr(rc));
	sqlite3_close(s);
	return rc == SQLITE_OK ? 0 : -1;
}

unsigned char *storefix_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *data = NULL;
	long size;

	*len = 0;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (data = malloc((size_t)size + 1)) != NULL) {
		if (fread(data, 1, (size_t)size, f) == (size_t)size) {
			*len = (size_t)size;
		} else {
			free(data);
			data = NULL;
		}
	}
	fclose(f);
	return data;
}

static int contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++) {
		size_t i = 0;

		while (i < n && hay[i] && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return 1;
	}
	return n == 0;
}

int storefix_says(const char *msg, ...)
{
	const char *word;
	va_list ap;
	int ok = msg && *msg && !strchr(msg, '\n');

	va_start(ap, msg);
	while ((word = va_arg(ap, const char *)) != NULL)
		if (ok && !contains_nocase(msg, word))
			ok = 0;
	va_end(ap);
	return ok;
}
