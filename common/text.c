/*
 * Text helpers: UTF-8 validation and repair, strict number parsing, error
 * messages into a buffer, plain-name checks.
 *
 * Everything the judge sends to a site is JSON, which must be valid UTF-8,
 * while program and compiler output is arbitrary bytes; utf8_repair makes
 * the latter safe without dropping anything silently.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	if (c < 0x80)
		return c ? 1 : 0;
	size_t len;
	unsigned min;
	if ((c & 0xE0) == 0xC0) {
		len = 2;
		min = 0x80;
		c &= 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3;
		min = 0x800;
		c &= 0x0F;
	} else if ((c & 0xF8) == 0xF0) {
		len = 4;
		min = 0x10000;
		c &= 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	return len;
}

size_t utf8_check(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		if (p[i] && p[i] < 0x80) {
			i++;
			continue;
		}
		size_t l = utf8_seq(p + i, n - i);
		if (!l)
			return i;
		i += l;
	}
	return n;
}

bool utf8_valid(const char *s, size_t n)
{
	return utf8_check(s, n) == n;
}

static char *repair(const char *s, size_t n, bool keep_nul, size_t *out_len)
{
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;
	sb_add(&sb, "", 0);
	while (i < n) {
		size_t l = ((p[i] || keep_nul) && p[i] < 0x80) ? 1 : utf8_seq(p + i, n - i);
		if (l) {
			i += l;
			run += l;
			continue;
		}
		sb_add(&sb, s + i - run, run);
		run = 0;
		sb_adds(&sb, "\xEF\xBF\xBD");
		i++;
	}
	sb_add(&sb, s + i - run, run);
	if (out_len)
		*out_len = sb.len;
	return sb_detach(&sb);
}

char *utf8_repair(const char *s, size_t n)
{
	return repair(s, n, false, NULL);
}

char *utf8_repair_len(const char *s, size_t n, size_t *out_len)
{
	return repair(s, n, true, out_len);
}

char *ansi_strip(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	sb_add(&sb, "", 0);
	while (*s) {
		if (s[0] == '\033' && s[1] == '[') {
			/* CSI: parameters and intermediates, then one final byte */
			s += 2;
			while (*s && !(*s >= 0x40 && *s <= 0x7e))
				s++;
			if (*s)
				s++;
			continue;
		}
		sb_addc(&sb, *s++);
	}
	return sb_detach(&sb);
}

bool parse_long(const char *s, long *out)
{
	if (!s || !*s)
		return false;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

bool parse_double(const char *s, double *out)
{
	if (!s || !*s)
		return false;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL))
		return false;
	if (*end)
		return false;
	*out = v;
	return true;
}

int errf(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

bool str_plain(const char *s, size_t n, const char *extra)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && (!s[i] || !strchr(extra, s[i])))
			return false;
	return true;
}
