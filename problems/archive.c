/*
 * A problem's zip archive: opening it, and deriving test cases from its
 * file names the way DMOJ does when init.yml has no list of cases.
 *
 * The patterns are Python regular expressions (lookahead, named groups
 * `(?P<batch>...)`), so they are compiled with PCRE2 in its Unicode mode,
 * case-insensitively, and matched anchored at the start of the name as
 * Python's re.match does. A `batch` or `case` group that reads as a whole
 * number is a number, anything else is text; entries are ordered text
 * first (bytewise), then numbers ascending, as DMOJ sorts them.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "problems/internal.h"

int archive_open(struct problem *p, char *err, size_t errlen)
{
	int fd = open(p->archive, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errf(err, errlen, "archive file %s cannot be opened: %s", p->archive,
			    strerror(errno));
	int zerr = 0;
	zip_t *z = zip_fdopen(fd, 0, &zerr);
	if (!z) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, zerr);
		errf(err, errlen, "bad archive %s: %s", p->archive, zip_error_strerror(&ze));
		zip_error_fini(&ze);
		close(fd);
		return -1;
	}
	p->zip = z;
	return 0;
}

void archive_close(struct problem *p)
{
	if (p->zip)
		zip_discard(p->zip);
	p->zip = NULL;
}

/* A batch or case identifier: a number when the group reads as one. */
struct key {
	bool set;
	bool is_int;
	long long num;
	char *text;
};

struct record {
	struct key batch, cas;
	bool explicit_batch; /* the name gave a batch number */
	bool output;
	const char *name;
	size_t order; /* later records win, as later assignments do in DMOJ */
};

static void key_free(struct key *k)
{
	free(k->text);
	k->text = NULL;
}

/* Python's int() on text: optional white space and sign, digits with
 * single underscores between them. */
static bool python_int(const char *s, long long *out)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v')
		s++;
	bool neg = *s == '-';
	if (*s == '-' || *s == '+')
		s++;
	long long v = 0;
	bool digit = false;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			if (v > (LLONG_MAX - 9) / 10)
				return false;
			v = v * 10 + (*s - '0');
			digit = true;
		} else if (*s == '_' && digit && s[1] >= '0' && s[1] <= '9') {
			continue;
		} else {
			break;
		}
	}
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v')
		s++;
	if (!digit || *s)
		return false;
	*out = neg ? -v : v;
	return true;
}

static struct key key_of(const char *s)
{
	struct key k = {.set = true};
	if (python_int(s, &k.num))
		k.is_int = true;
	else
		k.text = xstrdup(s);
	return k;
}

/* Text keys first, bytewise (the code point order of valid UTF-8), then
 * numbers. */
static int key_cmp(const struct key *a, const struct key *b)
{
	if (a->is_int != b->is_int)
		return a->is_int ? 1 : -1;
	if (a->is_int)
		return (a->num > b->num) - (a->num < b->num);
	return strcmp(a->text, b->text);
}

static int record_cmp(const void *pa, const void *pb)
{
	const struct record *a = pa, *b = pb;
	int c = key_cmp(&a->batch, &b->batch);
	if (!c)
		c = key_cmp(&a->cas, &b->cas);
	if (!c)
		c = (a->order > b->order) - (a->order < b->order);
	return c;
}

static pcre2_code *compile(const char *re, const char *key, char *err, size_t errlen)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile(
	    (PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
	    PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &code, &off, NULL);
	if (!c) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof(msg));
		errf(err, errlen,
		     "key `%s`: regular expression %s does not compile at offset %zu: %s", key, re,
		     (size_t)off, (const char *)msg);
	}
	return c;
}

/* The value of a named group, or NULL when the pattern has no such group
 * or it did not take part in the match. */
static char *group(pcre2_code *c, pcre2_match_data *md, const char *name)
{
	int num = pcre2_substring_number_from_name(c, (PCRE2_SPTR)name);
	if (num < 0)
		return NULL;
	PCRE2_UCHAR *buf = NULL;
	PCRE2_SIZE len;
	if (pcre2_substring_get_bynumber(md, (uint32_t)num, &buf, &len) < 0)
		return NULL;
	char *s = xstrndup((const char *)buf, len);
	pcre2_substring_free(buf);
	return s;
}

/* Matches every name against one pattern, appending a record per match. */
static int collect(const struct problem *p, pcre2_code *c, bool output, const char *key,
		   struct record **recs, size_t *n, size_t *cap, char *err, size_t errlen)
{
	zip_int64_t count = zip_get_num_entries(p->zip, 0);
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(c, NULL);
	int ret = 0;
	for (zip_int64_t i = 0; i < count; i++) {
		const char *name = zip_get_name(p->zip, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
		if (!name)
			continue;
		int rc =
		    pcre2_match(c, (PCRE2_SPTR)name, strlen(name), 0, PCRE2_ANCHORED, md, NULL);
		if (rc < 0)
			continue;
		char *b = group(c, md, "batch"), *cs = group(c, md, "case");
		if (!cs) {
			free(b);
			ret = errf(err, errlen,
				   "key `%s`: the pattern matches %s but yields no case number "
				   "(no `case` group)",
				   key, name);
			break;
		}
		XGROW(*recs, *cap, *n + 1);
		struct record *r = &(*recs)[(*n)++];
		*r = (struct record){.output = output, .name = name, .order = *n};
		r->cas = key_of(cs);
		r->explicit_batch = b != NULL;
		r->batch = key_of(b ? b : cs);
		free(b);
		free(cs);
	}
	pcre2_match_data_free(md);
	return ret;
}

/* Turns sorted records into groups: one per batch key, one case per case
 * key within it. */
static int build(struct record *recs, size_t n, struct derived_group **out, size_t *ngroups,
		 char *err, size_t errlen)
{
	struct derived_group *g = NULL;
	size_t ng = 0, gcap = 0;
	for (size_t i = 0; i < n;) {
		size_t end = i;
		bool batched = false;
		while (end < n && !key_cmp(&recs[end].batch, &recs[i].batch))
			batched |= recs[end++].explicit_batch;
		XGROW(g, gcap, ng + 1);
		struct derived_group *cur = &g[ng++];
		*cur = (struct derived_group){.batched = batched};
		size_t ccap = 0;
		for (size_t j = i; j < end; j++) {
			if (j == i || key_cmp(&recs[j].cas, &recs[j - 1].cas)) {
				XGROW(cur->cases, ccap, cur->ncases + 1);
				cur->cases[cur->ncases++] = (struct derived_case){NULL, NULL};
			}
			struct derived_case *dc = &cur->cases[cur->ncases - 1];
			char **slot = recs[j].output ? &dc->out : &dc->in;
			free(*slot);
			*slot = xstrdup(recs[j].name);
		}
		if (!batched && cur->ncases > 1) {
			errf(err, errlen, "the archive has conflicting test cases: %s and %s",
			     cur->cases[0].in ? cur->cases[0].in : cur->cases[0].out,
			     cur->cases[1].in ? cur->cases[1].in : cur->cases[1].out);
			archive_derived_free(g, ng);
			return -1;
		}
		i = end;
	}
	*out = g;
	*ngroups = ng;
	return 0;
}

int archive_derive(const struct problem *p, const char *in_re, const char *out_re,
		   const char *in_key, const char *out_key, struct derived_group **out, size_t *n,
		   char *err, size_t errlen)
{
	*out = NULL;
	*n = 0;
	pcre2_code *ci = compile(in_re, in_key, err, errlen);
	pcre2_code *co = ci ? compile(out_re, out_key, err, errlen) : NULL;
	struct record *recs = NULL;
	size_t nrec = 0, cap = 0;
	int ret = -1;
	if (!ci || !co)
		goto out;
	if (collect(p, ci, false, in_key, &recs, &nrec, &cap, err, errlen) < 0 ||
	    collect(p, co, true, out_key, &recs, &nrec, &cap, err, errlen) < 0)
		goto out;
	if (!nrec) {
		errf(err, errlen,
		     "no file of the archive %s matches `%s` (%s) or `%s` (%s): no test cases",
		     p->archive, in_key, in_re, out_key, out_re);
		goto out;
	}
	qsort(recs, nrec, sizeof(*recs), record_cmp);
	ret = build(recs, nrec, out, n, err, errlen);
out:
	for (size_t i = 0; i < nrec; i++) {
		key_free(&recs[i].batch);
		key_free(&recs[i].cas);
	}
	free(recs);
	pcre2_code_free(ci);
	pcre2_code_free(co);
	return ret;
}

void archive_derived_free(struct derived_group *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < g[i].ncases; j++) {
			free(g[i].cases[j].in);
			free(g[i].cases[j].out);
		}
		free(g[i].cases);
	}
	free(g);
}
