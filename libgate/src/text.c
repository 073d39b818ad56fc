/* text.c: checks on outside strings: UTF-8 validity, document ids, locale tags, user ids. */
#include "common.h"
#include "text.h"

#include <string.h>
#include <utf8proc.h>

int gate__utf8_check(const char *s, size_t len, const char *what)
{
	size_t i = 0;

	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n;
		unsigned char c = (unsigned char)s[i];
		uint64_t v;

		/* eight ASCII bytes at a time, none of them NUL */
		if (i + 8 <= len && (memcpy(&v, s + i, 8), (v & 0x8080808080808080ull) == 0) &&
		    ((v - 0x0101010101010101ull) & ~v & 0x8080808080808080ull) == 0) {
			i += 8;
			continue;
		}
		if (c < 0x80) {
			if (c == 0)
				return gate__error_set(GATE_EINVALID,
					"%s contains a NUL byte at offset %zu", what, i);
			i++;
			continue;
		}
		n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
			(utf8proc_ssize_t)(len - i), &cp);
		if (n < 0)
			return gate__error_set(GATE_EINVALID,
				"%s is not valid UTF-8 (bad byte 0x%02x at offset %zu)",
				what, c, i);
		i += (size_t)n;
	}
	return 0;
}

int gate_doc_id_check(const char *doc)
{
	size_t len, i;

	if (!doc || !*doc)
		return gate__error_set(GATE_EINVALID, "no document id given");
	len = strlen(doc);
	if (len > GATE_DOC_MAX)
		return gate__error_set(GATE_EINVALID,
			"document id '%.32s...' is longer than %d bytes", doc, GATE_DOC_MAX);
	for (i = 0; i < len; i++) {
		char c = doc[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			(i > 0 && (c == '.' || c == '_' || c == '-'));

		if (!ok)
			return gate__error_set(GATE_EINVALID,
				"'%.64s' is not a valid document id; use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit",
				doc);
	}
	return 0;
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int gate__locale_canon(char *out, const char *locale)
{
	size_t len, i, start = 0, idx = 0;
	bool private_use = false;

	if (!locale || !*locale)
		return gate__error_set(GATE_EINVALID, "no locale given");
	len = strlen(locale);
	if (len > GATE_LOCALE_MAX)
		goto bad;

	for (i = 0; i <= len; i++) {
		size_t n;

		if (i < len && locale[i] != '-') {
			if (!is_alpha(locale[i]) && !is_digit(locale[i]))
				goto bad;
			continue;
		}
		n = i - start;
		if (n < 1 || n > 8)
			goto bad;
		if (idx == 0) {
			/* the primary language subtag: 2-3 letters, or 5-8 (registered) */
			if (n < 2 || n == 4)
				goto bad;
			for (size_t k = start; k < i; k++)
				if (!is_alpha(locale[k]))
					goto bad;
		}
		for (size_t k = start; k < i; k++) {
			char c = locale[k];

			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			/* canonical case: region upper, script title, all else lower */
			if (idx > 0 && !private_use && n == 2 && is_alpha(c))
				c = (char)(c - 'a' + 'A');
			else if (idx > 0 && !private_use && n == 4 && k == start && is_alpha(c))
				c = (char)(c - 'a' + 'A');
			out[k] = c;
		}
		if (n == 1 && (locale[start] == 'x' || locale[start] == 'X'))
			private_use = true;
		if (i < len)
			out[i] = '-';
		start = i + 1;
		idx++;
	}
	out[len] = '\0';
	return 0;

bad:
	return gate__error_set(GATE_EINVALID,
		"'%.64s' is not a valid locale; use a BCP 47 tag such as en-GB or cy-GB",
		locale);
}

int gate_locale_check(const char *locale)
{
	char canon[GATE_LOCALE_MAX + 1];

	return gate__locale_canon(canon, locale);
}

int gate_user_id_check(const char *user)
{
	size_t len, i = 0;
	int error;

	if (!user || !*user)
		return gate__error_set(GATE_EINVALID, "user id is empty");
	len = strlen(user);
	if (len > GATE__USER_MAX)
		return gate__error_set(GATE_EINVALID,
			"user id is %zu bytes long; the limit is %d", len, GATE__USER_MAX);
	if ((error = gate__utf8_check(user, len, "user id")) < 0)
		return error;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)user + i,
			(utf8proc_ssize_t)(len - i), &cp);

		if (utf8proc_category(cp) == UTF8PROC_CATEGORY_CC)
			return gate__error_set(GATE_EINVALID,
				"user id contains a control character (U+%04X) at byte %zu",
				(unsigned)cp, i);
		i += (size_t)n;
	}
	return 0;
}
