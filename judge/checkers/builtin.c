/*
 * checkers.c: the built-in output checkers of DMOJ's problem format.
 *
 * Each checker reproduces the verdict and points of the module of the
 * same name in DMOJ's judge (dmoj/checkers/NAME.py, and _checker.c for
 * `standard`), so that a problem folder moved from DMOJ grades the same
 * here. Where our behaviour is a deliberate choice rather than DMOJ's,
 * the comment at that spot says so.
 *
 * The outputs are usually memory mappings of 100+ MB files that are not
 * NUL-terminated and may hold NUL bytes: everything here works on (pointer,
 * length) spans into those buffers, never copies them, never reads past
 * their length, and stays linear except for the two sorting checkers.
 *
 * White space everywhere is the six ASCII characters Python's bytes.split()
 * and the regex \s (on bytes) use: space, \t, \n, \v, \f, \r. DMOJ splits
 * lines on both \r and \n (re.split(b'[\r\n]')), so "a\r\nb" is three
 * segments, the middle one empty.
 */
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "judge/checkers/checkers.h"

/* Bounds of `precision`. Below -22, 10^-precision is no longer exact as a
 * double while DMOJ computes it as an exact Python int, so the two could
 * compare differently; above 300 the epsilon nears the subnormal range,
 * where Python's 10 ** -precision may raise instead. Nobody needs either
 * end, so they are refused rather than graded differently. */
#define PRECISION_MIN -22
#define PRECISION_MAX 300

/* Significant decimal digits kept when converting a number token. Every
 * halfway point between two doubles has at most 767 significant digits, so
 * truncating to more than that and remembering whether anything non-zero
 * was dropped keeps the rounding of arbitrarily long tokens exact. */
#define FLOAT_MAX_DIGITS 800

enum split_mode { SPLIT_LINES, SPLIT_WHITESPACE };
enum error_mode { ERROR_DEFAULT, ERROR_ABSOLUTE, ERROR_RELATIVE };

/* point_distribution */
struct weights {
	const json_t *list; /* NULL means DMOJ's default [1] */
	double sum;
};

/* The arguments as the checkers read them: each field is filled by its row
 * of `arguments` (below), from init.yml or with the row's default. */
struct opts {
	bool pe_allowed;
	bool filter_new_line;
	bool feedback;
	bool filler_lines_required;
	int split_on;	/* enum split_mode */
	int error_mode; /* enum error_mode */
	long precision;
	struct weights weights;
};

/* Every argument a built-in checker takes: the rows of `arguments`, in
 * the order messages list them. */
enum opt_id {
	OPT_PE_ALLOWED,
	OPT_FILTER_NEW_LINE,
	OPT_FEEDBACK,
	OPT_POINT_DISTRIBUTION,
	OPT_FILLER_LINES_REQUIRED,
	OPT_SPLIT_ON,
	OPT_PRECISION,
	OPT_ERROR_MODE,
	OPT_COUNT
};
#define TAKES(id) (1u << (id))

struct span {
	const char *p;
	size_t n;
};

typedef int (*check_fn)(const struct checker_input *in, const struct opts *o,
			struct checker_result *res, char *err, size_t errlen);

struct checker_def {
	const char *name;
	check_fn run;
	bool runs_on_error;
	enum error_mode error_mode; /* the mode floatsabs/floatsrel force */
	unsigned takes;		    /* the arguments it accepts: TAKES(OPT_...) bits */
};

/* ---- character classes and spans ---- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static bool is_eol(char c)
{
	return c == '\n' || c == '\r';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool span_eq(struct span a, struct span b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

/* Byte-wise order, a prefix first: the order of Python's bytes. */
static int span_cmp(struct span a, struct span b)
{
	size_t n = a.n < b.n ? a.n : b.n;
	int c = n ? memcmp(a.p, b.p, n) : 0;
	if (c)
		return c;
	return a.n < b.n ? -1 : a.n > b.n;
}

/* bytes.rstrip(), or bytes.strip() with left */
static struct span span_strip(struct span s, bool left)
{
	while (s.n && is_space(s.p[s.n - 1]))
		s.n--;
	while (left && s.n && is_space(s.p[0])) {
		s.p++;
		s.n--;
	}
	return s;
}

/* The next maximal run of bytes that are not separators. */
static bool next_run(const char *s, size_t n, size_t *i, struct span *out, bool (*sep)(char))
{
	while (*i < n && sep(s[*i]))
		(*i)++;
	if (*i == n)
		return false;
	size_t start = *i;
	while (*i < n && !sep(s[*i]))
		(*i)++;
	out->p = s + start;
	out->n = *i - start;
	return true;
}

/* The next non-empty line (a maximal run of bytes other than \r and \n):
 * DMOJ's list(filter(None, re.split(b'[\r\n]', ...))). */
static bool next_line(const char *s, size_t n, size_t *i, struct span *out)
{
	return next_run(s, n, i, out, is_eol);
}

/* The next white-space separated token: DMOJ's bytes.split(). */
static bool next_token(const char *s, size_t n, size_t *i, struct span *out)
{
	return next_run(s, n, i, out, is_space);
}

/* Segments between single \r or \n bytes, empty ones included:
 * re.split(b'[\r\n]', ...) without the filter. An empty buffer is one empty
 * segment and a final newline is followed by one, as in Python. */
struct seg_iter {
	const char *s;
	size_t n, i;
	bool done;
};

static bool next_segment(struct seg_iter *it, struct span *out)
{
	if (it->done)
		return false;
	size_t start = it->i;
	while (it->i < it->n && !is_eol(it->s[it->i]))
		it->i++;
	out->p = it->s + start;
	out->n = it->i - start;
	if (it->i < it->n)
		it->i++;
	else
		it->done = true;
	return true;
}

static size_t count_lines(const char *s, size_t n)
{
	size_t i = 0, count = 0;
	struct span l = {0};
	while (next_line(s, n, &i, &l))
		count++;
	return count;
}

static size_t count_tokens(const char *s, size_t n)
{
	size_t i = 0, count = 0;
	struct span t = {0};
	while (next_token(s, n, &i, &t))
		count++;
	return count;
}

/* ---- results ---- */

static void set_verdict(struct checker_result *res, const struct checker_input *in, bool passed)
{
	res->passed = passed;
	res->points = passed ? in->points : 0;
}

/* ---- standard ---- */

/* Skips white space; says what kind of separator it was: 0 none, 1 spaces
 * within a line, 2 at least one line break. */
static int skip_separator(const char *s, size_t n, size_t *i)
{
	int kind = 0;
	while (*i < n && is_space(s[*i])) {
		if (is_eol(s[*i]))
			kind = 2;
		else if (!kind)
			kind = 1;
		(*i)++;
	}
	return kind;
}

/* How many bytes a and b share from their start (n is the shorter length):
 * whole blocks through memcmp, then byte by byte. */
static size_t common_prefix(const char *a, const char *b, size_t n)
{
	enum { BLOCK = 4096 };
	size_t k = 0;
	while (k + BLOCK <= n && !memcmp(a + k, b + k, BLOCK))
		k += BLOCK;
	while (k < n && a[k] == b[k])
		k++;
	return k;
}

/* DMOJ's check_standard (_checker.c): equal token sequences where the kind
 * of separator between two tokens (spaces vs. line break) must match too.
 * Leading and trailing white space is ignored, and so are blank lines
 * between tokens since they are part of a line-break separator.
 *
 * Outputs are mostly right, so at each token both sides first skip what
 * they have byte for byte in common (memcmp speed), back to the start of
 * the last token in it: bytes that are equal tokenise equally, and a token
 * start is where the token-by-token comparison can take over again. */
static bool standard_equal(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;
	skip_separator(a, an, &i);
	skip_separator(b, bn, &j);
	if (i == an || j == bn)
		return i == an && j == bn;
	for (;;) {
		size_t t = i + common_prefix(a + i, b + j, an - i < bn - j ? an - i : bn - j);
		while (t > i && is_space(a[t - 1]))
			t--;
		while (t > i && !is_space(a[t - 1]))
			t--;
		j += t - i;
		i = t;
		struct span x = {a + i, 0}, y = {b + j, 0};
		while (i < an && !is_space(a[i]))
			i++;
		while (j < bn && !is_space(b[j]))
			j++;
		x.n = (size_t)(a + i - x.p);
		y.n = (size_t)(b + j - y.p);
		if (!span_eq(x, y))
			return false;
		int ka = skip_separator(a, an, &i);
		int kb = skip_separator(b, bn, &j);
		/* The separator after the last token is trailing white space,
		 * whatever its kind. */
		if (i == an || j == bn)
			return i == an && j == bn;
		if (ka != kb)
			return false;
	}
}

static int check_standard(const struct checker_input *in, const struct opts *o,
			  struct checker_result *res, char *err, size_t errlen)
{
	set_verdict(res, in,
		    standard_equal(in->answer, in->answer_len, in->output, in->output_len));
	return 0;
}

/* ---- identical ---- */

static int check_identical(const struct checker_input *in, const struct opts *o,
			   struct checker_result *res, char *err, size_t errlen)
{
	struct span out = {in->output, in->output_len}, ans = {in->answer, in->answer_len};
	if (span_eq(out, ans)) {
		set_verdict(res, in, true);
		return 0;
	}
	set_verdict(res, in, false);
	if (o->pe_allowed && standard_equal(in->answer, in->answer_len, in->output, in->output_len))
		res->feedback = xstrdup("Presentation Error, check your whitespace");
	return 0;
}

/* ---- rstripped ---- */

static int check_rstripped(const struct checker_input *in, const struct opts *o,
			   struct checker_result *res, char *err, size_t errlen)
{
	struct span x = {0}, y = {0};
	bool passed = true;
	if (o->filter_new_line) {
		size_t i = 0, j = 0;
		for (;;) {
			bool hx = next_line(in->output, in->output_len, &i, &x);
			bool hy = next_line(in->answer, in->answer_len, &j, &y);
			if (!hx || !hy) {
				passed = hx == hy;
				break;
			}
			if (!span_eq(span_strip(x, false), span_strip(y, false))) {
				passed = false;
				break;
			}
		}
	} else {
		/* Without the filter DMOJ keeps empty segments, so a missing
		 * final newline or a \r\n line ending changes the line count
		 * and fails: kept on purpose for compatibility. */
		struct seg_iter a = {in->output, in->output_len, 0, false};
		struct seg_iter b = {in->answer, in->answer_len, 0, false};
		for (;;) {
			bool hx = next_segment(&a, &x);
			bool hy = next_segment(&b, &y);
			if (!hx || !hy) {
				passed = hx == hy;
				break;
			}
			if (!span_eq(span_strip(x, false), span_strip(y, false))) {
				passed = false;
				break;
			}
		}
	}
	set_verdict(res, in, passed);
	return 0;
}

/* ---- linecount ---- */

/* DMOJ's linecount.py: CheckerResult(count == len(judge_lines), ...), so a
 * partly right output is a WA (passed false) that still carries its share
 * of the points; only a fully right one passes. */
static int check_linecount(const struct checker_input *in, const struct opts *o,
			   struct checker_result *res, char *err, size_t errlen)
{
	size_t nout = count_lines(in->output, in->output_len);
	size_t nans = count_lines(in->answer, in->answer_len);
	if (nout > nans) {
		set_verdict(res, in, false);
		return 0;
	}
	if (nans == 0) {
		set_verdict(res, in, true);
		return 0;
	}
	struct strbuf marks = STRBUF_INIT;
	if (o->feedback)
		sb_adds(&marks, "Case Feedback:\n");
	size_t i = 0, j = 0, good = 0;
	struct span x = {0}, y = {0};
	for (size_t k = 0; k < nans; k++) {
		bool ok = false;
		next_line(in->answer, in->answer_len, &j, &y);
		if (next_line(in->output, in->output_len, &i, &x))
			ok = span_eq(span_strip(x, true), span_strip(y, true));
		good += ok;
		if (o->feedback)
			sb_adds(&marks, ok ? "\xe2\x9c\x93" : "\xe2\x9c\x97"); /* U+2713, U+2717 */
	}
	res->passed = good == nans;
	/* Same order of operations as DMOJ for the same rounding. */
	res->points = in->points * (double)good / (double)nans;
	if (o->feedback)
		res->extended_feedback = sb_detach(&marks);
	sb_free(&marks);
	return 0;
}

/* ---- linematches ---- */

/* DMOJ's linematches.py returns CheckerResult(points > 0, ...): unlike
 * linecount, any matching weighted line makes the case pass (AC) with
 * partial points. Reproduced as is. */
static int check_linematches(const struct checker_input *in, const struct opts *o,
			     struct checker_result *res, char *err, size_t errlen)
{
	size_t nans = count_lines(in->answer, in->answer_len);
	size_t nweights = o->weights.list ? json_array_size(o->weights.list) : 1;
	if (nweights != nans)
		return errf(err, errlen,
			    "checker linematches: argument `point_distribution` has %zu "
			    "weight%s but the expected output has %zu non-empty line%s",
			    nweights, nweights == 1 ? "" : "s", nans, nans == 1 ? "" : "s");
	size_t nout = count_lines(in->output, in->output_len);
	if (o->filler_lines_required && nout != nans) {
		set_verdict(res, in, false);
		return 0;
	}
	double got = 0;
	size_t i = 0, j = 0;
	struct span x = {0}, y = {0};
	for (size_t k = 0; next_line(in->output, in->output_len, &i, &x) &&
			   next_line(in->answer, in->answer_len, &j, &y);
	     k++) {
		if (span_eq(x, y))
			got += o->weights.list
				   ? json_number_value(json_array_get(o->weights.list, k))
				   : 1;
	}
	res->passed = got > 0;
	res->points = in->points * (got / o->weights.sum);
	return 0;
}

/* ---- sorted, unordered ---- */

/* Lines compared as their token lists (DMOJ maps bytes.split over them
 * before sorting): lexicographic by token, a shorter list first. Any total
 * order serves, since only multiset equality is decided. */
static int cmp_token_lists(const void *pa, const void *pb)
{
	const struct span *a = pa, *b = pb;
	size_t i = 0, j = 0;
	struct span x = {0}, y = {0};
	for (;;) {
		bool hx = next_token(a->p, a->n, &i, &x);
		bool hy = next_token(b->p, b->n, &j, &y);
		if (!hx || !hy)
			return (int)hx - (int)hy;
		int c = span_cmp(x, y);
		if (c)
			return c;
	}
}

static int cmp_spans(const void *pa, const void *pb)
{
	return span_cmp(*(const struct span *)pa, *(const struct span *)pb);
}

static struct span *collect(const char *s, size_t n, size_t count, bool lines)
{
	if (count > SIZE_MAX / sizeof(struct span))
		abort();
	struct span *v = xmalloc(count * sizeof(*v));
	size_t i = 0;
	for (size_t k = 0; k < count; k++) {
		if (lines)
			next_line(s, n, &i, &v[k]);
		else
			next_token(s, n, &i, &v[k]);
	}
	return v;
}

static bool sorted_equal(const struct checker_input *in, enum split_mode mode)
{
	bool lines = mode == SPLIT_LINES;
	/* Counted before anything is compared: in lines mode a line of only
	 * white space still counts (DMOJ filters empty lines before it
	 * splits them into tokens). */
	size_t count = lines ? count_lines(in->output, in->output_len)
			     : count_tokens(in->output, in->output_len);
	size_t acount = lines ? count_lines(in->answer, in->answer_len)
			      : count_tokens(in->answer, in->answer_len);
	if (count != acount)
		return false;
	if (!count)
		return true;
	struct span *a = collect(in->output, in->output_len, count, lines);
	struct span *b = collect(in->answer, in->answer_len, count, lines);
	int (*cmp)(const void *, const void *) = lines ? cmp_token_lists : cmp_spans;
	qsort(a, count, sizeof(*a), cmp);
	qsort(b, count, sizeof(*b), cmp);
	bool equal = true;
	for (size_t k = 0; k < count && equal; k++)
		equal = cmp(&a[k], &b[k]) == 0;
	free(a);
	free(b);
	return equal;
}

static int check_sorted(const struct checker_input *in, const struct opts *o,
			struct checker_result *res, char *err, size_t errlen)
{
	set_verdict(res, in, sorted_equal(in, o->split_on));
	return 0;
}

/* DMOJ's unordered.py calls sorted with split_on='whitespace' whatever its
 * arguments; here arguments are refused like any unknown key. */
static int check_unordered(const struct checker_input *in, const struct opts *o,
			   struct checker_result *res, char *err, size_t errlen)
{
	set_verdict(res, in, sorted_equal(in, SPLIT_WHITESPACE));
	return 0;
}

/* ---- easy ---- */

static void count_chars(const char *s, size_t n, size_t hist[256])
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_space((char)c))
			continue;
		/* bytes.lower() folds ASCII letters only. */
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		hist[c]++;
	}
}

static int check_easy(const struct checker_input *in, const struct opts *o,
		      struct checker_result *res, char *err, size_t errlen)
{
	size_t a[256] = {0}, b[256] = {0};
	count_chars(in->output, in->output_len, a);
	count_chars(in->answer, in->answer_len, b);
	set_verdict(res, in, memcmp(a, b, sizeof(a)) == 0);
	return 0;
}

/* ---- floats ---- */

static bool ascii_caseeq(const char *s, size_t n, const char *word)
{
	size_t i = 0;
	for (; i < n && word[i]; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != word[i])
			return false;
	}
	return i == n && !word[i];
}

/* The significant digits of a number token, as many as decide its double. */
struct digits {
	char buf[FLOAT_MAX_DIGITS + 1];
	size_t n;
	uint64_t head;	 /* the first (up to 19) kept digits as an integer */
	long long scale; /* value = buf * 10^scale */
	bool sticky;	 /* a non-zero digit was dropped past FLOAT_MAX_DIGITS */
};

static void take_digit(struct digits *d, char c, bool fraction)
{
	if (!d->n && c == '0') {
		if (fraction)
			d->scale--;
		return;
	}
	if (d->n < FLOAT_MAX_DIGITS) {
		if (d->n < 19)
			d->head = d->head * 10 + (uint64_t)(c - '0');
		d->buf[d->n++] = c;
		if (fraction)
			d->scale--;
		return;
	}
	if (!fraction)
		d->scale++;
	if (c != '0')
		d->sticky = true;
}

/* Scans a run of digits from *i; with d == NULL only counts them (into
 * *value for the exponent, saturating). Returns how many digits it took.
 * As in Python (PEP 515) an underscore may stand between two digits. */
static size_t scan_digits(const char *s, size_t n, size_t *i, struct digits *d, bool fraction,
			  long long *value)
{
	size_t taken = 0;
	while (*i < n) {
		char c = s[*i];
		if (is_digit(c)) {
			if (d)
				take_digit(d, c, fraction);
			else if (*value < 1000000000LL)
				*value = *value * 10 + (c - '0');
			taken++;
		} else if (c != '_' || !taken || *i + 1 == n || !is_digit(s[*i + 1])) {
			break;
		}
		(*i)++;
	}
	return taken;
}

/* Python's float() on a token (bytes): an optional sign, then `inf`,
 * `infinity` or `nan` in any case, or a decimal number with optional
 * fraction and exponent and PEP 515 underscores. Hexadecimal, `nan(...)`,
 * and anything else C's strtod would also take are refused, as Python
 * refuses them. Overflow gives an infinity and underflow zero, as Python's
 * float() does. Tokens of any length are read exactly without copying
 * them: only their first FLOAT_MAX_DIGITS significant digits go into a
 * bounded buffer. */
bool checker_parse_float(const char *s, size_t n, double *out)
{
	size_t i = 0;
	bool negative = false;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		negative = s[i++] == '-';
	if (ascii_caseeq(s + i, n - i, "inf") || ascii_caseeq(s + i, n - i, "infinity")) {
		*out = negative ? -INFINITY : INFINITY;
		return true;
	}
	if (ascii_caseeq(s + i, n - i, "nan")) {
		*out = NAN;
		return true;
	}
	/* Not zero-initialised as a whole: clearing the digit buffer for
	 * every token costs more than parsing it. */
	struct digits d;
	d.n = 0;
	d.head = 0;
	d.scale = 0;
	d.sticky = false;
	size_t count = scan_digits(s, n, &i, &d, false, NULL);
	if (i < n && s[i] == '.') {
		i++;
		count += scan_digits(s, n, &i, &d, true, NULL);
	}
	if (!count)
		return false;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		bool eneg = false;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		long long e = 0;
		if (!scan_digits(s, n, &i, NULL, false, &e))
			return false;
		d.scale += eneg ? -e : e;
	}
	if (i != n)
		return false;
	double zero = negative ? -0.0 : 0.0;
	if (!d.n) {
		*out = zero;
		return true;
	}
	if (d.sticky) {
		d.buf[d.n++] = '1';
		d.scale--;
	}
	/* Far outside the range of doubles: decided without strtod, which
	 * also keeps the exponent printed below short. */
	long long magnitude = d.scale + (long long)d.n; /* value < 10^magnitude */
	if (magnitude > 400) {
		*out = negative ? -INFINITY : INFINITY;
		return true;
	}
	if (magnitude < -400) {
		*out = zero;
		return true;
	}
	/* Clinger's fast path, which covers nearly every real token: the
	 * digits and the power of ten are both exact doubles, so one IEEE
	 * multiplication or division rounds exactly as strtod would. */
	static const double exact_pow10[] = {1e0,  1e1,	 1e2,  1e3,  1e4,  1e5,	 1e6,  1e7,
					     1e8,  1e9,	 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
					     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
	if (d.n <= 15 && d.scale >= -22 && d.scale <= 22) {
		double v = (double)d.head;
		v = d.scale < 0 ? v / exact_pow10[-d.scale] : v * exact_pow10[d.scale];
		*out = negative ? -v : v;
		return true;
	}
	/* No decimal point in what strtod sees, so the locale cannot matter. */
	char text[FLOAT_MAX_DIGITS + 32];
	size_t len = 0;
	if (negative)
		text[len++] = '-';
	memcpy(text + len, d.buf, d.n);
	len += d.n;
	snprintf(text + len, sizeof(text) - len, "e%lld", d.scale);
	*out = strtod(text, NULL);
	return true;
}

/* floats.py's three verify_* functions, with Python's comparison
 * semantics: any comparison with NaN is false, so a NaN on either side
 * never matches, and min()/max() keep their first argument unless the
 * second compares strictly smaller/greater. */
static bool floats_close(double p, double j, double eps, enum error_mode mode)
{
	switch (mode) {
	case ERROR_ABSOLUTE:
		return fabs(p - j) <= eps;
	case ERROR_RELATIVE: {
		double a = j * (1 - eps), b = j * (1 + eps);
		double lo = b < a ? b : a;
		double hi = b > a ? b : a;
		return lo <= p && p <= hi;
	}
	case ERROR_DEFAULT:
	default:
		return fabs(p - j) <= eps || (fabs(j) >= eps && fabs(1.0 - p / j) <= eps);
	}
}

static bool floats_equal(const struct checker_input *in, double eps, enum error_mode mode)
{
	size_t i = 0, j = 0;
	struct span pl = {0}, jl = {0};
	for (;;) {
		bool hp = next_line(in->output, in->output_len, &i, &pl);
		bool hj = next_line(in->answer, in->answer_len, &j, &jl);
		if (!hp || !hj)
			return hp == hj;
		size_t ti = 0, tj = 0;
		struct span pt = {0}, jt = {0};
		for (;;) {
			bool a = next_token(pl.p, pl.n, &ti, &pt);
			bool b = next_token(jl.p, jl.n, &tj, &jt);
			if (!a || !b) {
				if (a != b)
					return false;
				break;
			}
			double jv, pv;
			if (!checker_parse_float(jt.p, jt.n, &jv)) {
				/* Not a number in the answer: compared as text. */
				if (!span_eq(pt, jt))
					return false;
				continue;
			}
			if (!checker_parse_float(pt.p, pt.n, &pv) ||
			    !floats_close(pv, jv, eps, mode))
				return false;
		}
	}
}

static int check_floats(const struct checker_input *in, const struct opts *o,
			struct checker_result *res, char *err, size_t errlen)
{
	double eps = pow(10.0, -(double)o->precision);
	set_verdict(res, in, floats_equal(in, eps, o->error_mode));
	return 0;
}

/* ---- the table ---- */

static const struct checker_def checkers[] = {
    {"standard", check_standard, false, ERROR_DEFAULT, 0},
    {"identical", check_identical, false, ERROR_DEFAULT, TAKES(OPT_PE_ALLOWED)},
    {"rstripped", check_rstripped, false, ERROR_DEFAULT, TAKES(OPT_FILTER_NEW_LINE)},
    {"linecount", check_linecount, true, ERROR_DEFAULT, TAKES(OPT_FEEDBACK)},
    {"linematches", check_linematches, false, ERROR_DEFAULT,
     TAKES(OPT_POINT_DISTRIBUTION) | TAKES(OPT_FILLER_LINES_REQUIRED)},
    {"sorted", check_sorted, false, ERROR_DEFAULT, TAKES(OPT_SPLIT_ON)},
    {"unordered", check_unordered, false, ERROR_DEFAULT, 0},
    {"easy", check_easy, false, ERROR_DEFAULT, 0},
    {"floats", check_floats, false, ERROR_DEFAULT, TAKES(OPT_PRECISION) | TAKES(OPT_ERROR_MODE)},
    {"floatsabs", check_floats, false, ERROR_ABSOLUTE, TAKES(OPT_PRECISION)},
    {"floatsrel", check_floats, false, ERROR_RELATIVE, TAKES(OPT_PRECISION)},
};

const struct checker_def *checker_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < ARRAY_LEN(checkers); i++)
		if (!strcmp(checkers[i].name, name))
			return &checkers[i];
	return NULL;
}

bool checker_runs_on_error(const struct checker_def *c)
{
	return c && c->runs_on_error;
}

/* ---- arguments ---- */

/* How an argument's value is read, which fixes the type of its field. */
enum arg_type {
	ARG_BOOL,    /* bool */
	ARG_WHOLE,   /* long, from min to max */
	ARG_CHOICE,  /* int: the index of the value among choices */
	ARG_WEIGHTS, /* struct weights */
};

struct arg_def {
	const char *name;
	enum arg_type type;
	size_t offset; /* of the field in struct opts */
	/* ARG_WEIGHTS has no default here: absent, it is DMOJ's [1] */
	union {
		bool b; /* ARG_BOOL */
		long l; /* ARG_WHOLE */
		int i;	/* ARG_CHOICE */
	} def;
	long min, max;		    /* ARG_WHOLE */
	const char *const *choices; /* ARG_CHOICE, NULL-terminated */
	const char *doc;
};

static const char *const split_names[] = {
    [SPLIT_LINES] = "lines", [SPLIT_WHITESPACE] = "whitespace", NULL};
static const char *const mode_names[] = {[ERROR_DEFAULT] = "default",
					 [ERROR_ABSOLUTE] = "absolute",
					 [ERROR_RELATIVE] = "relative",
					 NULL};

#define OPT(f) offsetof(struct opts, f)

static const struct arg_def arguments[OPT_COUNT] = {
    [OPT_PE_ALLOWED] = {"pe_allowed", ARG_BOOL, OPT(pe_allowed), .def.b = true,
			.doc = "identical: say \"Presentation Error\" when only white space "
			       "differs"},
    [OPT_FILTER_NEW_LINE] = {"filter_new_line", ARG_BOOL, OPT(filter_new_line), .def.b = false,
			     .doc = "rstripped: skip empty lines"},
    [OPT_FEEDBACK] = {"feedback", ARG_BOOL, OPT(feedback), .def.b = true,
		      .doc = "linecount: mark each line right or wrong in the extended "
			     "feedback"},
    [OPT_POINT_DISTRIBUTION] = {"point_distribution", ARG_WEIGHTS, OPT(weights),
				.doc = "linematches: the weight of each expected line"},
    [OPT_FILLER_LINES_REQUIRED] = {"filler_lines_required", ARG_BOOL, OPT(filler_lines_required),
				   .def.b = true,
				   .doc = "linematches: the output must have as many lines as "
					  "the answer"},
    [OPT_SPLIT_ON] = {"split_on", ARG_CHOICE, OPT(split_on), .def.i = SPLIT_LINES,
		      .choices = split_names,
		      .doc = "sorted: compare the lines, or the tokens, as multisets"},
    [OPT_PRECISION] = {"precision", ARG_WHOLE, OPT(precision), .def.l = 6, .min = PRECISION_MIN,
		       .max = PRECISION_MAX, .doc = "floats: numbers match within 10^-precision"},
    [OPT_ERROR_MODE] = {"error_mode", ARG_CHOICE, OPT(error_mode), .def.i = ERROR_DEFAULT,
			.choices = mode_names,
			.doc = "floats: absolute or relative error, or either of them"},
};

static const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "a mapping";
	case JSON_ARRAY:
		return "a list";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
	default:
		return "null";
	}
}

/* DMOJ tests these with Python truthiness; booleans, integers and null
 * (False) cover what YAML gives for them. A string is refused even though
 * Python would take "false" as true, because that is never what was
 * meant. */
static int arg_bool(const struct checker_def *c, const struct arg_def *a, const json_t *v,
		    bool *out, char *err, size_t errlen)
{
	if (json_is_boolean(v))
		*out = json_is_true(v);
	else if (json_is_integer(v))
		*out = json_integer_value(v) != 0;
	else if (json_is_null(v))
		*out = false;
	else
		return errf(err, errlen, "checker %s: argument `%s` must be true or false, not %s",
			    c->name, a->name, json_kind(v));
	return 0;
}

/* DMOJ applies int() to it, so an integral real and a string of digits
 * work there and here; 6.5 (which int() would truncate) is refused. */
static int arg_whole(const struct checker_def *c, const struct arg_def *a, const json_t *v,
		     long *out, char *err, size_t errlen)
{
	long p;
	if (json_is_integer(v)) {
		json_int_t x = json_integer_value(v);
		p = x < LONG_MIN ? LONG_MIN : x > LONG_MAX ? LONG_MAX : (long)x;
	} else if (json_is_real(v) && isfinite(json_real_value(v)) &&
		   json_real_value(v) == floor(json_real_value(v)) &&
		   fabs(json_real_value(v)) < 1e9) {
		p = (long)json_real_value(v);
	} else if (!(json_is_string(v) && parse_long(json_string_value(v), &p))) {
		return errf(err, errlen, "checker %s: argument `%s` must be a whole number",
			    c->name, a->name);
	}
	if (p < a->min || p > a->max)
		return errf(err, errlen,
			    "checker %s: argument `%s` must be between %ld and %ld, not %ld",
			    c->name, a->name, a->min, a->max, p);
	*out = p;
	return 0;
}

/* A string argument that must be one of the row's choices; *out gets its
 * index. */
static int arg_choice(const struct checker_def *c, const struct arg_def *a, const json_t *v,
		      int *out, char *err, size_t errlen)
{
	ssize_t at = json_is_string(v) ? str_index(a->choices, SIZE_MAX, json_string_value(v)) : -1;
	if (at >= 0) {
		*out = (int)at;
		return 0;
	}
	struct strbuf sb = STRBUF_INIT;
	for (int k = 0; a->choices[k]; k++)
		sb_addf(&sb, "%s`%s`", k ? ", " : "", a->choices[k]);
	errf(err, errlen, "checker %s: argument `%s` must be one of %s", c->name, a->name, sb.buf);
	sb_free(&sb);
	return -1;
}

/* Weights are refused when negative (DMOJ would take them and could give
 * negative points or more than the case is worth); the positive-sum and
 * length checks are DMOJ's own (the length one runs with the answer). */
static int arg_weights(const struct checker_def *c, const struct arg_def *a, const json_t *v,
		       struct weights *out, char *err, size_t errlen)
{
	if (!json_is_array(v) || !json_array_size(v))
		return errf(err, errlen,
			    "checker %s: argument `%s` must be a non-empty list of numbers, one "
			    "per expected line",
			    c->name, a->name);
	double sum = 0;
	size_t k;
	json_t *w;
	json_array_foreach (v, k, w) {
		if (!json_is_number(w) || !isfinite(json_number_value(w)) ||
		    json_number_value(w) < 0)
			return errf(err, errlen,
				    "checker %s: argument `%s`: item %zu must be a non-negative "
				    "number",
				    c->name, a->name, k + 1);
		sum += json_number_value(w);
	}
	if (!(sum > 0) || !isfinite(sum))
		return errf(err, errlen, "checker %s: argument `%s` must have a positive sum",
			    c->name, a->name);
	out->list = v;
	out->sum = sum;
	return 0;
}

static const struct arg_def *find_arg(const struct checker_def *c, const char *key)
{
	for (size_t k = 0; k < ARRAY_LEN(arguments); k++)
		if ((c->takes & TAKES(k)) && !strcmp(arguments[k].name, key))
			return &arguments[k];
	return NULL;
}

/* Refuses keys the checker does not take. DMOJ's checkers swallow them in
 * **kwargs; the spec wants a misspelt argument to be an internal error
 * rather than a silently different verdict. */
static int unknown_key(const struct checker_def *c, const char *key, char *err, size_t errlen)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t k = 0; k < ARRAY_LEN(arguments); k++)
		if (c->takes & TAKES(k))
			sb_addf(&sb, "%s`%s`", sb.len ? ", " : "", arguments[k].name);
	if (sb.len)
		errf(err, errlen, "checker %s: unknown argument `%s` (it takes %s)", c->name, key,
		     sb.buf);
	else
		errf(err, errlen, "checker %s: unknown argument `%s` (it takes no arguments)",
		     c->name, key);
	sb_free(&sb);
	return -1;
}

static void set_default(const struct arg_def *a, struct opts *o)
{
	void *f = (char *)o + a->offset;
	switch (a->type) {
	case ARG_BOOL:
		*(bool *)f = a->def.b;
		break;
	case ARG_WHOLE:
		*(long *)f = a->def.l;
		break;
	case ARG_CHOICE:
		*(int *)f = a->def.i;
		break;
	case ARG_WEIGHTS:
		*(struct weights *)f = (struct weights){NULL, 1};
		break;
	}
}

static int read_arg(const struct checker_def *c, const struct arg_def *a, const json_t *v,
		    struct opts *o, char *err, size_t errlen)
{
	void *f = (char *)o + a->offset;
	switch (a->type) {
	case ARG_BOOL:
		return arg_bool(c, a, v, f, err, errlen);
	case ARG_WHOLE:
		return arg_whole(c, a, v, f, err, errlen);
	case ARG_CHOICE:
		return arg_choice(c, a, v, f, err, errlen);
	case ARG_WEIGHTS:
		return arg_weights(c, a, v, f, err, errlen);
	}
	return 0;
}

static int parse_args(const struct checker_def *c, const json_t *in, struct opts *o, char *err,
		      size_t errlen)
{
	/* Every field gets its default, taken or not: a checker reads only
	 * its own, but no field is ever left undefined. */
	for (size_t k = 0; k < ARRAY_LEN(arguments); k++)
		set_default(&arguments[k], o);
	o->error_mode = c->error_mode;
	if (!in || json_is_null(in))
		return 0;
	if (!json_is_object(in))
		return errf(err, errlen, "checker %s: `args` must be a mapping, not %s", c->name,
			    json_kind(in));
	const char *key;
	json_t *v;
	json_object_foreach ((json_t *)in, key, v) {
		const struct arg_def *a = find_arg(c, key);
		if (!a)
			return unknown_key(c, key, err, errlen);
		if (read_arg(c, a, v, o, err, errlen))
			return -1;
	}
	return 0;
}

/* ---- entry points ---- */

int checker_validate(const struct checker_def *c, const json_t *args, char *err, size_t errlen)
{
	struct opts o;
	if (!c)
		return errf(err, errlen, "no such checker");
	return parse_args(c, args, &o, err, errlen);
}

int checker_run(const struct checker_def *c, const struct checker_input *in,
		struct checker_result *res, char *err, size_t errlen)
{
	*res = (struct checker_result){.passed = false, .points = 0};
	if (!c)
		return errf(err, errlen, "no such checker");
	struct opts o;
	if (parse_args(c, in->args, &o, err, errlen))
		return -1;
	/* An empty buffer may come as NULL; the checkers want a pointer. */
	struct checker_input safe = *in;
	if (!safe.output) {
		safe.output = "";
		safe.output_len = 0;
	}
	if (!safe.answer) {
		safe.answer = "";
		safe.answer_len = 0;
	}
	if (c->run(&safe, &o, res, err, errlen)) {
		checker_result_free(res);
		return -1;
	}
	return 0;
}

void checker_result_free(struct checker_result *res)
{
	if (!res)
		return;
	free(res->feedback);
	free(res->extended_feedback);
	res->feedback = NULL;
	res->extended_feedback = NULL;
}
