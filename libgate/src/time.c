/* time.c: RFC 3339 times to and from milliseconds since the epoch, and the system clock. */
#include "common.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
	static const unsigned dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Reads exactly `n` decimal digits. */
static bool digits(const char **p, unsigned n, unsigned *out)
{
	unsigned v = 0;

	for (unsigned i = 0; i < n; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (unsigned)(c - '0');
	}
	*p += n;
	*out = v;
	return true;
}

static int bad_time(const char *text)
{
	return gate__error_set(GATE_EINVALID,
		"'%.64s' is not a valid time; use RFC 3339 (2026-12-01T09:00:00Z) or a date (2026-12-01)",
		text);
}

int gate_time_parse(int64_t *out, const char *text)
{
	const char *p = text;
	unsigned y, mo, d, h = 0, mi = 0, s = 0, ms = 0;
	int64_t offset_min = 0, t;

	if (!out || !text)
		return gate__error_set(GATE_EINVALID, "no time given");

	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) ||
	    *p++ != '-' || !digits(&p, 2, &d))
		return bad_time(text);
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return bad_time(text);

	if (*p != '\0') {
		if (*p != 'T' && *p != 't' && *p != ' ')
			return bad_time(text);
		p++;
		if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi) ||
		    *p++ != ':' || !digits(&p, 2, &s))
			return bad_time(text);
		if (h > 23 || mi > 59 || s > 59)
			return bad_time(text);
		if (*p == '.') {
			unsigned scale = 100, nd = 0;

			p++;
			while (*p >= '0' && *p <= '9') {
				ms += (unsigned)(*p - '0') * scale;
				scale /= 10;
				p++;
				nd++;
			}
			if (nd == 0 || nd > 9)
				return bad_time(text);
		}
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p == '-' ? -1 : 1;
			unsigned oh, om;

			p++;
			if (!digits(&p, 2, &oh) || *p++ != ':' || !digits(&p, 2, &om) ||
			    oh > 23 || om > 59)
				return bad_time(text);
			offset_min = sign * (int64_t)(oh * 60 + om);
		} else {
			return bad_time(text);
		}
		if (*p != '\0')
			return bad_time(text);
	}

	t = days_from_civil(y, mo, d) * 86400 + (int64_t)h * 3600 + mi * 60 + s;
	t -= offset_min * 60;
	*out = t * 1000 + ms;
	return 0;
}

int gate_time_format(char *out, int64_t ms)
{
	int64_t secs, days, y;
	unsigned m, d, rem_ms;
	int64_t sod;

	if (!out)
		return gate__error_set(GATE_EINVALID, "no output buffer");
	/* 0000-01-01 and 9999-12-31T23:59:59.999Z */
	if (ms < -62167219200000LL || ms > 253402300799999LL) {
		out[0] = '\0';
		return gate__error_set(GATE_EINVALID, "time %lld is out of range",
			(long long)ms);
	}
	secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	rem_ms = (unsigned)(ms - secs * 1000);
	days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	sod = secs - days * 86400;
	civil_from_days(days, &y, &m, &d);
	{
		/* The range check above bounds every field; the scratch buffer is
		 * wide enough that the compiler can see it too. */
		char tmp[64];

		if (rem_ms)
			snprintf(tmp, sizeof(tmp), "%04lld-%02u-%02uT%02u:%02u:%02u.%03uZ",
				(long long)y, m, d, (unsigned)(sod / 3600),
				(unsigned)(sod / 60 % 60), (unsigned)(sod % 60), rem_ms % 1000);
		else
			snprintf(tmp, sizeof(tmp), "%04lld-%02u-%02uT%02u:%02u:%02uZ",
				(long long)y, m, d, (unsigned)(sod / 3600),
				(unsigned)(sod / 60 % 60), (unsigned)(sod % 60));
		memcpy(out, tmp, strlen(tmp) + 1);
	}
	return 0;
}

int64_t gate_time_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
