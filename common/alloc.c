/*
 * Allocators that never return NULL, and the growable string buffer.
 *
 * Running out of memory inside the judge is not something a grading can
 * recover from with a correct verdict, so allocation failure aborts the
 * process with a message (the live judge's parent process then reports the
 * submission as an internal error).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static NORETURN void oom(size_t n)
{
	fprintf(stderr, "judge: out of memory allocating %zu bytes\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	return sb_detach(&sb);
}

void xgrow(void **arr, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return;
	size_t n = *cap ? *cap : 8;
	while (n < need)
		n *= 2;
	if (n > SIZE_MAX / elem)
		oom(SIZE_MAX);
	*arr = xrealloc(*arr, n * elem);
	*cap = n;
}

void strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

void strv_push(char ***v, size_t *n, size_t *cap, const char *s)
{
	XGROW(*v, *cap, *n + 2);
	(*v)[(*n)++] = xstrdup(s);
	(*v)[*n] = NULL;
}

char **strv_new(const char *first, ...)
{
	char **v = NULL;
	size_t n = 0, cap = 0;
	va_list ap;
	va_start(ap, first);
	for (const char *s = first; s; s = va_arg(ap, const char *))
		strv_push(&v, &n, &cap, s);
	va_end(ap);
	if (!v)
		v = xcalloc(1, sizeof(char *));
	return v;
}

size_t strv_len(char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

ssize_t str_index(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; list && i < n && list[i]; i++)
		if (!strcmp(list[i], s))
			return (ssize_t)i;
	return -1;
}

bool strv_has(char *const *v, const char *s)
{
	return str_index((const char *const *)v, SIZE_MAX, s) >= 0;
}

static void sb_reserve(struct strbuf *sb, size_t extra)
{
	if (sb->len + extra + 1 > sb->cap) {
		size_t n = sb->cap ? sb->cap : 64;
		while (n < sb->len + extra + 1)
			n *= 2;
		sb->buf = xrealloc(sb->buf, n);
		sb->cap = n;
	}
}

void sb_add(struct strbuf *sb, const void *data, size_t n)
{
	sb_reserve(sb, n);
	if (n)
		memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_adds(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_addc(struct strbuf *sb, char c)
{
	sb_add(sb, &c, 1);
}

void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	sb_reserve(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

char *sb_detach(struct strbuf *sb)
{
	char *p = sb->buf ? sb->buf : xstrdup("");
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return p;
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}
