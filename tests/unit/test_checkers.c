/*
 * test_checkers: unit tests of the built-in output checkers
 * (judge/checkers/builtin.c) against the verdicts and points DMOJ's judge gives.
 *
 * Every buffer handed to a checker is copied into a heap block of exactly
 * its length, without a terminating NUL, so that AddressSanitizer catches a
 * checker that reads past output_len or answer_len.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "judge/checkers/checkers.h"

#define CHECK_MARK "\xe2\x9c\x93" /* U+2713 */
#define CROSS_MARK "\xe2\x9c\x97" /* U+2717 */
#define PE_TEXT	   "Presentation Error, check your whitespace"

struct outcome {
	int rc;
	struct checker_result res;
	char err[512];
};

static json_t *parse_json(const char *text)
{
	if (!text)
		return NULL;
	json_error_t jerr;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);
	if (!v)
		fail_msg("bad JSON in test: %s: %s", text, jerr.text);
	return v;
}

/* An exact-size copy, so reading one byte too far is an ASan error. */
static char *exact_copy(const char *s, size_t n)
{
	char *p = xmalloc(n ? n : 1);
	if (n)
		memcpy(p, s, n);
	return p;
}

static struct outcome run_n(const char *name, const char *out, size_t outlen, const char *ans,
			    size_t anslen, const char *args, double points)
{
	const struct checker_def *c = checker_find(name);
	assert_non_null(c);
	json_t *jargs = parse_json(args);
	char *o = exact_copy(out, outlen), *a = exact_copy(ans, anslen);
	struct checker_input in = {
	    .output = o,
	    .output_len = outlen,
	    .answer = a,
	    .answer_len = anslen,
	    .input = NULL,
	    .input_len = 0,
	    .points = points,
	    .args = jargs,
	};
	struct outcome r;
	memset(&r, 0, sizeof(r));
	r.res.feedback = (char *)"garbage"; /* checker_run must reset it */
	r.rc = checker_run(c, &in, &r.res, r.err, sizeof(r.err));
	free(o);
	free(a);
	json_decref(jargs);
	return r;
}

static struct outcome run(const char *name, const char *out, const char *ans, const char *args,
			  double points)
{
	return run_n(name, out, strlen(out), ans, strlen(ans), args, points);
}

/* Runs a pass/fail checker worth 1 point and checks that the points agree
 * with the verdict; returns the verdict. */
static bool verdict_n(const char *name, const char *out, size_t outlen, const char *ans,
		      size_t anslen, const char *args)
{
	struct outcome r = run_n(name, out, outlen, ans, anslen, args, 1);
	assert_int_equal(r.rc, 0);
	assert_true(r.res.points == (r.res.passed ? 1.0 : 0.0));
	bool passed = r.res.passed;
	checker_result_free(&r.res);
	return passed;
}

static bool verdict(const char *name, const char *out, const char *ans, const char *args)
{
	return verdict_n(name, out, strlen(out), ans, strlen(ans), args);
}

/* checker_validate's message for these args, or NULL when they are valid
 * (the returned string is static). */
static const char *validate(const char *name, const char *args)
{
	static char err[512];
	const struct checker_def *c = checker_find(name);
	assert_non_null(c);
	json_t *j = parse_json(args);
	err[0] = '\0';
	int rc = checker_validate(c, j, err, sizeof(err));
	json_decref(j);
	if (rc == 0) {
		assert_string_equal(err, "");
		return NULL;
	}
	assert_int_equal(rc, -1);
	assert_true(err[0] != '\0');
	return err;
}

static void assert_contains(const char *hay, const char *needle)
{
	assert_non_null(hay);
	if (!strstr(hay, needle))
		fail_msg("\"%s\" does not contain \"%s\"", hay, needle);
}

static void assert_close(double a, double b)
{
	if (fabs(a - b) > 1e-12)
		fail_msg("%.17g != %.17g", a, b);
}

/* ---- lookup ---- */

static void test_find_known_names(void **state)
{
	const char *names[] = {"standard",    "identical", "rstripped", "linecount",
			       "linematches", "sorted",	   "unordered", "easy",
			       "floats",      "floatsabs", "floatsrel"};
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		assert_non_null(checker_find(names[i]));
	assert_ptr_not_equal(checker_find("floats"), checker_find("floatsabs"));
	assert_ptr_equal(checker_find("easy"), checker_find("easy"));
}

static void test_find_unknown_names(void **state)
{
	assert_null(checker_find("nonexistent"));
	assert_null(checker_find(""));
	assert_null(checker_find(NULL));
	assert_null(checker_find("Standard"));
	assert_null(checker_find("standard.py"));
	assert_null(checker_find("bridged"));
	assert_null(checker_find("float"));
}

static void test_runs_on_error_only_linecount(void **state)
{
	assert_true(checker_runs_on_error(checker_find("linecount")));
	assert_false(checker_runs_on_error(checker_find("standard")));
	assert_false(checker_runs_on_error(checker_find("linematches")));
	assert_false(checker_runs_on_error(checker_find("floats")));
	assert_false(checker_runs_on_error(NULL));
}

/* ---- standard ---- */

static void test_standard_accepts_same_tokens(void **state)
{
	assert_true(verdict("standard", "1 2\n3\n", "1 2\n3\n", NULL));
	assert_true(verdict("standard", "hello world\n", "hello world\n", NULL));
	assert_true(verdict("standard", "", "", NULL));
}

static void test_standard_ignores_outer_whitespace(void **state)
{
	/* missing final newline, extra trailing blank lines, trailing
	 * spaces, leading white space of the whole output */
	assert_true(verdict("standard", "1 2\n3", "1 2\n3\n", NULL));
	assert_true(verdict("standard", "1 2\n3\n\n\n\n", "1 2\n3\n", NULL));
	assert_true(verdict("standard", "1 2   \n3\t \n", "1 2\n3\n", NULL));
	assert_true(verdict("standard", "\n\n  1 2\n3\n", "1 2\n3\n", NULL));
	assert_true(verdict("standard", "   \n\n", "", NULL));
	assert_true(verdict("standard", "", "\n", NULL));
}

static void test_standard_crlf_and_blank_lines(void **state)
{
	assert_true(verdict("standard", "1 2\r\n3\r\n", "1 2\n3\n", NULL));
	assert_true(verdict("standard", "1 2\r3\r", "1 2\n3\n", NULL));
	/* a blank line between tokens is part of the line break */
	assert_true(verdict("standard", "1 2\n\n\n3\n", "1 2\n3\n", NULL));
	/* runs of spaces and tabs are one kind of separator */
	assert_true(verdict("standard", "1 \t  2\n3\n", "1 2\n3\n", NULL));
	assert_true(verdict("standard", "1\v2\f3", "1 2 3", NULL));
	/* spaces around a line break still make it a line break */
	assert_true(verdict("standard", "1   \n   2", "1\n2", NULL));
}

static void test_standard_line_break_is_not_space(void **state)
{
	assert_false(verdict("standard", "1\n2\n3\n", "1 2\n3\n", NULL));
	assert_false(verdict("standard", "1 2 3\n", "1 2\n3\n", NULL));
	/* leading white space of a line other than the first is a separator
	 * too, and still a line break */
	assert_false(verdict("standard", "1\n 2", "1 2", NULL));
}

static void test_standard_rejects_different_tokens(void **state)
{
	assert_false(verdict("standard", "1 2\n4\n", "1 2\n3\n", NULL));
	assert_false(verdict("standard", "1 2\n", "1 2\n3\n", NULL));
	assert_false(verdict("standard", "1 2\n3\n4\n", "1 2\n3\n", NULL));
	assert_false(verdict("standard", "ab", "abc", NULL));
	assert_false(verdict("standard", "abc", "ab", NULL));
	assert_false(verdict("standard", "ab c", "abc", NULL));
	assert_false(verdict("standard", "Yes", "YES", NULL));
	assert_false(verdict("standard", "", "0\n", NULL));
	assert_false(verdict("standard", "0\n", "", NULL));
	assert_false(verdict("standard", "\n", "x", NULL));
}

static void test_standard_nul_bytes(void **state)
{
	/* NUL is an ordinary byte, not white space and not a terminator */
	assert_true(verdict_n("standard", "a\0b\n", 4, "a\0b\n", 4, NULL));
	assert_false(verdict_n("standard", "a\0b\n", 4, "a\0c\n", 4, NULL));
	assert_false(verdict_n("standard", "a\0\n", 3, "a\n", 2, NULL));
	assert_false(verdict_n("standard", "a b", 3, "a\0b", 3, NULL));
}

static void test_standard_points(void **state)
{
	struct outcome r = run("standard", "42\n", "42\n", NULL, 7.5);
	assert_int_equal(r.rc, 0);
	assert_true(r.res.passed);
	assert_true(r.res.points == 7.5);
	assert_null(r.res.feedback);
	assert_null(r.res.extended_feedback);
	r = run("standard", "41\n", "42\n", NULL, 7.5);
	assert_int_equal(r.rc, 0);
	assert_false(r.res.passed);
	assert_true(r.res.points == 0);
	assert_null(r.res.feedback);
}

static void test_standard_null_empty_buffers(void **state)
{
	const struct checker_def *c = checker_find("standard");
	struct checker_input in = {NULL, 0, "\n", 1, NULL, 0, 3, NULL};
	struct checker_result res;
	char err[128];
	assert_int_equal(checker_run(c, &in, &res, err, sizeof(err)), 0);
	assert_true(res.passed);
	assert_true(res.points == 3);
	in.answer = "5\n";
	in.answer_len = 2;
	assert_int_equal(checker_run(c, &in, &res, err, sizeof(err)), 0);
	assert_false(res.passed);
}

static void test_standard_large_output(void **state)
{
	/* a million tokens on 1000 lines: linear time, no per-token cost */
	size_t lines = 1000, per = 1000;
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < lines; i++) {
		for (size_t j = 0; j < per; j++)
			sb_adds(&sb, j ? " 7" : "7");
		sb_addc(&sb, '\n');
	}
	assert_true(verdict_n("standard", sb.buf, sb.len, sb.buf, sb.len, NULL));
	char *changed = exact_copy(sb.buf, sb.len);
	changed[sb.len - 2] = '8';
	assert_false(verdict_n("standard", changed, sb.len, sb.buf, sb.len, NULL));
	assert_false(verdict_n("standard", sb.buf, sb.len - 2, sb.buf, sb.len, NULL));
	free(changed);
	sb_free(&sb);
}

/* The standard checker by its definition, slowly: the tokens, each
 * separated from the next by a line break or by spaces, whatever else the
 * white space holds; white space around them all does not count. */
static char *standard_shape(const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i = 0;
	for (bool first = true;; first = false) {
		bool line_break = false;
		while (i < n && s[i] && strchr(" \t\v\f\r\n", s[i])) {
			line_break |= s[i] == '\r' || s[i] == '\n';
			i++;
		}
		if (i == n)
			break;
		if (!first)
			sb_addc(&sb, line_break ? '\n' : ' ');
		while (i < n && !(s[i] && strchr(" \t\v\f\r\n", s[i])))
			sb_addc(&sb, s[i++]);
	}
	return sb_detach(&sb);
}

static bool standard_reference(const char *a, size_t an, const char *b, size_t bn)
{
	char *x = standard_shape(a, an), *y = standard_shape(b, bn);
	bool same = !strcmp(x, y);
	free(x);
	free(y);
	return same;
}

static void test_standard_matches_its_definition(void **state)
{
	/* outputs made by changing the white space and now and then a letter
	 * of an answer, some longer than the memcmp blocks of the fast path */
	static const char ws[] = " \t\r\n";
	unsigned long long x = 12345;
	for (int round = 0; round < 20000; round++) {
		struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
		size_t tokens = round % 50 == 0 ? 3000 : (size_t)(round % 9);
		for (size_t t = 0; t < tokens; t++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			unsigned r = (unsigned)(x >> 33);
			const char *tok = (r & 1) ? "ab" : "a";
			sb_addc(&a, ws[r % 4]);
			sb_addc(&b, (r >> 3) % 7 ? ws[r % 4] : ws[(r >> 5) % 4]);
			if ((r >> 8) % 3 == 0)
				sb_addc(&b, ws[(r >> 10) % 4]);
			sb_adds(&a, tok);
			sb_adds(&b, (r >> 12) % 97 ? tok : "b");
		}
		bool want =
		    standard_reference(a.buf ? a.buf : "", a.len, b.buf ? b.buf : "", b.len);
		bool got = verdict_n("standard", b.buf ? b.buf : "", b.len, a.buf ? a.buf : "",
				     a.len, NULL);
		if (want != got)
			fail_msg("standard(%zu bytes, %zu bytes) = %d, by definition %d", b.len,
				 a.len, got, want);
		sb_free(&a);
		sb_free(&b);
	}
}

static void test_standard_takes_no_args(void **state)
{
	assert_null(validate("standard", NULL));
	assert_null(validate("standard", "{}"));
	assert_null(validate("standard", "null"));
	const char *e = validate("standard", "{\"precision\": 3}");
	assert_contains(e, "checker standard");
	assert_contains(e, "`precision`");
	assert_contains(e, "no arguments");
}

/* ---- identical ---- */

static void test_identical_exact(void **state)
{
	struct outcome r = run("identical", "1 2\n", "1 2\n", NULL, 2);
	assert_int_equal(r.rc, 0);
	assert_true(r.res.passed);
	assert_true(r.res.points == 2);
	assert_null(r.res.feedback);
	assert_true(verdict("identical", "", "", NULL));
	assert_true(verdict_n("identical", "a\0b", 3, "a\0b", 3, NULL));
	assert_false(verdict_n("identical", "a\0b", 3, "a\0c", 3, NULL));
}

static void test_identical_presentation_error(void **state)
{
	const char *cases[][2] = {
	    {"1 2", "1 2\n"},	  /* missing final newline */
	    {"1 2\r\n", "1 2\n"}, /* CRLF */
	    {"1  2\n", "1 2\n"},  /* double space */
	    {"1 2 \n", "1 2\n"},  /* trailing space */
	    {"\n1 2\n", "1 2\n"}, /* leading blank line */
	    {"1 2\n\n", "1 2\n"}, /* trailing blank line */
	    {"1\t2\n", "1 2\n"},  /* tab */
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct outcome r = run("identical", cases[i][0], cases[i][1], NULL, 5);
		assert_int_equal(r.rc, 0);
		assert_false(r.res.passed);
		assert_true(r.res.points == 0);
		assert_non_null(r.res.feedback);
		assert_string_equal(r.res.feedback, PE_TEXT);
		checker_result_free(&r.res);
		assert_null(r.res.feedback);
	}
}

static void test_identical_wrong_answer_has_no_feedback(void **state)
{
	struct outcome r = run("identical", "1 3\n", "1 2\n", NULL, 5);
	assert_int_equal(r.rc, 0);
	assert_false(r.res.passed);
	assert_null(r.res.feedback);
	/* a line break where a space was expected is not only white space
	 * for the standard checker, so no presentation error */
	r = run("identical", "1\n2\n", "1 2\n", NULL, 5);
	assert_false(r.res.passed);
	assert_null(r.res.feedback);
}

static void test_identical_pe_allowed_false(void **state)
{
	struct outcome r = run("identical", "1 2", "1 2\n", "{\"pe_allowed\": false}", 5);
	assert_int_equal(r.rc, 0);
	assert_false(r.res.passed);
	assert_null(r.res.feedback);
	r = run("identical", "1 2", "1 2\n", "{\"pe_allowed\": 0}", 5);
	assert_null(r.res.feedback);
	r = run("identical", "1 2", "1 2\n", "{\"pe_allowed\": true}", 5);
	assert_non_null(r.res.feedback);
	checker_result_free(&r.res);
	r = run("identical", "1 2\n", "1 2\n", "{\"pe_allowed\": false}", 5);
	assert_true(r.res.passed);
}

static void test_identical_bad_args(void **state)
{
	const char *e = validate("identical", "{\"pe_allowed\": \"no\"}");
	assert_contains(e, "checker identical");
	assert_contains(e, "`pe_allowed`");
	e = validate("identical", "{\"pe_alowed\": true}");
	assert_contains(e, "`pe_alowed`");
	assert_contains(e, "`pe_allowed`");
	assert_null(validate("identical", "{\"pe_allowed\": false}"));
}

/* ---- rstripped ---- */

static void test_rstripped_trailing_spaces(void **state)
{
	assert_true(verdict("rstripped", "a b  \nc\t\n", "a b\nc\n", NULL));
	assert_true(verdict("rstripped", "a\n   \nb\n", "a\n\nb\n", NULL));
	assert_true(verdict("rstripped", "", "", NULL));
}

static void test_rstripped_is_strict_otherwise(void **state)
{
	/* leading white space counts */
	assert_false(verdict("rstripped", " a\n", "a\n", NULL));
	/* inner spacing counts */
	assert_false(verdict("rstripped", "a  b\n", "a b\n", NULL));
	assert_false(verdict("rstripped", "a\nc\n", "a\nb\n", NULL));
	/* DMOJ counts segments between single \r or \n bytes: a missing
	 * final newline, an extra one, blank lines and CRLF all fail */
	assert_false(verdict("rstripped", "a\nb", "a\nb\n", NULL));
	assert_false(verdict("rstripped", "a\nb\n\n", "a\nb\n", NULL));
	assert_false(verdict("rstripped", "a\n\nb\n", "a\nb\n", NULL));
	assert_false(verdict("rstripped", "a\r\nb\r\n", "a\nb\n", NULL));
	assert_false(verdict("rstripped", "", "\n", NULL));
	/* a lone \r is a line break of its own */
	assert_true(verdict("rstripped", "a\rb\r", "a\nb\n", NULL));
}

static void test_rstripped_filter_new_line(void **state)
{
	const char *args = "{\"filter_new_line\": true}";
	assert_true(verdict("rstripped", "a\nb", "a\nb\n", args));
	assert_true(verdict("rstripped", "a\n\n\nb\n\n", "a\nb\n", args));
	assert_true(verdict("rstripped", "a\r\nb  \r\n", "a\nb\n", args));
	assert_true(verdict("rstripped", "", "\n", args));
	assert_false(verdict("rstripped", "a\nc\n", "a\nb\n", args));
	assert_false(verdict("rstripped", "a\n", "a\nb\n", args));
	assert_false(verdict("rstripped", " a\n", "a\n", args));
	/* a line of spaces is not empty, so it is not filtered */
	assert_false(verdict("rstripped", "a\n  \nb\n", "a\nb\n", args));
	/* filter_new_line false is the default behaviour */
	assert_false(verdict("rstripped", "a\nb", "a\nb\n", "{\"filter_new_line\": false}"));
}

static void test_rstripped_bad_args(void **state)
{
	const char *e = validate("rstripped", "{\"filter_new_line\": [1]}");
	assert_contains(e, "checker rstripped");
	assert_contains(e, "`filter_new_line`");
	e = validate("rstripped", "{\"pe_allowed\": true}");
	assert_contains(e, "unknown argument `pe_allowed`");
}

/* ---- linecount ---- */

static void test_linecount_all_correct(void **state)
{
	struct outcome r = run("linecount", "a\nb\nc\n", "a\nb\nc\n", NULL, 6);
	assert_int_equal(r.rc, 0);
	assert_true(r.res.passed);
	assert_true(r.res.points == 6);
	assert_null(r.res.feedback);
	assert_non_null(r.res.extended_feedback);
	assert_string_equal(r.res.extended_feedback,
			    "Case Feedback:\n" CHECK_MARK CHECK_MARK CHECK_MARK);
	checker_result_free(&r.res);
}

static void test_linecount_partial(void **state)
{
	struct outcome r = run("linecount", "a\nx\nc\ny\n", "a\nb\nc\nd\n", NULL, 6);
	assert_int_equal(r.rc, 0);
	/* DMOJ: passed only when every line matches; partial points on a WA */
	assert_false(r.res.passed);
	assert_true(r.res.points == 3);
	assert_string_equal(r.res.extended_feedback,
			    "Case Feedback:\n" CHECK_MARK CROSS_MARK CHECK_MARK CROSS_MARK);
	checker_result_free(&r.res);

	r = run("linecount", "x\nx\nc\n", "a\nb\nc\n", NULL, 1);
	assert_false(r.res.passed);
	assert_close(r.res.points, 1.0 / 3);
	checker_result_free(&r.res);
}

static void test_linecount_fewer_lines(void **state)
{
	/* partial output (e.g. a crash half way) earns its lines */
	struct outcome r = run("linecount", "a\nb\n", "a\nb\nc\nd\n", NULL, 4);
	assert_int_equal(r.rc, 0);
	assert_false(r.res.passed);
	assert_true(r.res.points == 2);
	assert_string_equal(r.res.extended_feedback,
			    "Case Feedback:\n" CHECK_MARK CHECK_MARK CROSS_MARK CROSS_MARK);
	checker_result_free(&r.res);

	r = run("linecount", "", "a\nb\n", NULL, 4);
	assert_false(r.res.passed);
	assert_true(r.res.points == 0);
	assert_string_equal(r.res.extended_feedback, "Case Feedback:\n" CROSS_MARK CROSS_MARK);
	checker_result_free(&r.res);
}

static void test_linecount_more_lines_is_zero(void **state)
{
	struct outcome r = run("linecount", "a\nb\nc\n", "a\nb\n", NULL, 4);
	assert_int_equal(r.rc, 0);
	assert_false(r.res.passed);
	assert_true(r.res.points == 0);
	assert_null(r.res.extended_feedback);
}

static void test_linecount_strips_and_drops_empty_lines(void **state)
{
	struct outcome r = run("linecount", "  a \t\n\n\nb\r\n\r\n", "a\nb\n", NULL, 2);
	assert_int_equal(r.rc, 0);
	assert_true(r.res.passed);
	assert_true(r.res.points == 2);
	checker_result_free(&r.res);
	/* inner spacing still matters */
	r = run("linecount", "a  b\n", "a b\n", NULL, 2);
	assert_false(r.res.passed);
	assert_true(r.res.points == 0);
	checker_result_free(&r.res);
	/* a line holding only spaces is not empty: it is a line */
	r = run("linecount", "a\n  \nb\n", "a\nb\n", NULL, 2);
	assert_false(r.res.passed);
	assert_true(r.res.points == 0);
	checker_result_free(&r.res);
}

static void test_linecount_empty_answer(void **state)
{
	struct outcome r = run("linecount", "", "", NULL, 3);
	assert_int_equal(r.rc, 0);
	assert_true(r.res.passed);
	assert_true(r.res.points == 3);
	assert_null(r.res.extended_feedback);
	r = run("linecount", "\n\n", "\n", NULL, 3);
	assert_true(r.res.passed);
	r = run("linecount", "x\n", "\n", NULL, 3);
	assert_false(r.res.passed);
	assert_true(r.res.points == 0);
}

static void test_linecount_feedback_off(void **state)
{
	struct outcome r = run("linecount", "a\nx\n", "a\nb\n", "{\"feedback\": false}", 2);
	assert_int_equal(r.rc, 0);
	assert_false(r.res.passed);
	assert_true(r.res.points == 1);
	assert_null(r.res.extended_feedback);
	assert_null(r.res.feedback);
	const char *e = validate("linecount", "{\"feedback\": \"yes\"}");
	assert_contains(e, "checker linecount");
	assert_contains(e, "`feedback`");
}

/* ---- linematches ---- */

static void test_linematches_default_distribution(void **state)
{
	/* DMOJ's default point_distribution is [1]: one expected line */
	struct outcome r = run("linematches", "42\n", "42\n", NULL, 5);
	assert_int_equal(r.rc, 0);
	assert_true(r.res.passed);
	assert_true(r.res.points == 5);
	r = run("linematches", "41\n", "42\n", NULL, 5);
	assert_int_equal(r.rc, 0);
	assert_false(r.res.passed);
	assert_true(r.res.points == 0);
	r = run("linematches", "1\n2\n", "1\n2\n", NULL, 5);
	assert_int_equal(r.rc, -1);
	assert_contains(r.err, "checker linematches");
	assert_contains(r.err, "`point_distribution`");
}

static void test_linematches_weights(void **state)
{
	const char *args = "{\"point_distribution\": [1, 2, 3]}";
	struct outcome r = run("linematches", "a\nb\nc\n", "a\nb\nc\n", args, 12);
	assert_int_equal(r.rc, 0);
	assert_true(r.res.passed);
	assert_true(r.res.points == 12);
	/* DMOJ: passed whenever some weight was earned */
	r = run("linematches", "a\nx\nc\n", "a\nb\nc\n", args, 12);
	assert_int_equal(r.rc, 0);
	assert_true(r.res.passed);
	assert_true(r.res.points == 8);
	r = run("linematches", "x\nb\nx\n", "a\nb\nc\n", args, 12);
	assert_true(r.res.passed);
	assert_true(r.res.points == 4);
	r = run("linematches", "x\ny\nz\n", "a\nb\nc\n", args, 12);
	assert_false(r.res.passed);
	assert_true(r.res.points == 0);
	/* zero weights and real weights */
	r = run("linematches", "a\nb\n", "a\nc\n", "{\"point_distribution\": [0, 1]}", 3);
	assert_false(r.res.passed);
	assert_true(r.res.points == 0);
	r = run("linematches", "a\nb\n", "a\nc\n", "{\"point_distribution\": [0.5, 1.5]}", 4);
	assert_true(r.res.passed);
	assert_true(r.res.points == 1);
}

static void test_linematches_exact_lines(void **state)
{
	const char *args = "{\"point_distribution\": [1, 1]}";
	/* compared without stripping; empty lines and \r are dropped */
	struct outcome r = run("linematches", "a \n b\n", "a\nb\n", args, 2);
	assert_int_equal(r.rc, 0);
	assert_false(r.res.passed);
	assert_true(r.res.points == 0);
	r = run("linematches", "\na\r\n\r\nb", "a\nb\n", args, 2);
	assert_true(r.res.passed);
	assert_true(r.res.points == 2);
}

static void test_linematches_filler_lines(void **state)
{
	const char *strict = "{\"point_distribution\": [1, 1, 2]}";
	const char *loose = "{\"point_distribution\": [1, 1, 2], \"filler_lines_required\": false}";
	struct outcome r = run("linematches", "a\nb\n", "a\nb\nc\n", strict, 4);
	assert_int_equal(r.rc, 0);
	assert_false(r.res.passed);
	assert_true(r.res.points == 0);
	r = run("linematches", "a\nb\n", "a\nb\nc\n", loose, 4);
	assert_int_equal(r.rc, 0);
	assert_true(r.res.passed);
	assert_true(r.res.points == 2);
	/* extra lines past the expected ones are ignored when not required */
	r = run("linematches", "a\nb\nc\nd\n", "a\nb\nc\n", loose, 4);
	assert_true(r.res.passed);
	assert_true(r.res.points == 4);
	r = run("linematches", "a\nb\nc\nd\n", "a\nb\nc\n", strict, 4);
	assert_false(r.res.passed);
	assert_true(r.res.points == 0);
}

static void test_linematches_length_mismatch_is_internal_error(void **state)
{
	struct outcome r =
	    run("linematches", "a\nb\n", "a\nb\n", "{\"point_distribution\": [1, 2, 3]}", 4);
	assert_int_equal(r.rc, -1);
	assert_contains(r.err, "checker linematches");
	assert_contains(r.err, "`point_distribution`");
	assert_contains(r.err, "3 weights");
	assert_contains(r.err, "2 non-empty lines");
	assert_null(r.res.feedback);
	assert_null(r.res.extended_feedback);
}

static void test_linematches_bad_args(void **state)
{
	/* one per line: the reason each is refused */
	const char *bad[] = {
	    "{\"point_distribution\": 3}",	    /* not a list */
	    "{\"point_distribution\": []}",	    /* empty */
	    "{\"point_distribution\": [1, \"2\"]}", /* not a number */
	    "{\"point_distribution\": [2, -1]}",    /* negative, positive sum */
	    "{\"point_distribution\": [0, 0]}",	    /* zero sum */
	    "{\"point_distribution\": [true]}",	    /* a boolean */
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		const char *e = validate("linematches", bad[i]);
		assert_contains(e, "checker linematches");
		assert_contains(e, "`point_distribution`");
	}
	const char *e = validate("linematches", "{\"filler_lines_required\": \"no\"}");
	assert_contains(e, "`filler_lines_required`");
	assert_null(validate("linematches", "{\"point_distribution\": [1, 0, 2.5]}"));
	/* run refuses bad args too, not only validate */
	struct outcome r = run("linematches", "a\n", "a\n", "{\"point_distribution\": [0]}", 1);
	assert_int_equal(r.rc, -1);
	assert_contains(r.err, "positive sum");
}

/* ---- sorted, unordered ---- */

static void test_sorted_lines(void **state)
{
	assert_true(verdict("sorted", "3\n1\n2\n", "1\n2\n3\n", NULL));
	assert_true(verdict("sorted", "b c\na b\n", "a b\nb c\n", NULL));
	/* lines are compared as token lists */
	assert_true(verdict("sorted", "  b   c \na\tb\n", "a b\nb c\n", NULL));
	assert_true(verdict("sorted", "b\r\n\r\na\r\n", "a\nb\n", NULL));
	assert_true(verdict("sorted", "", "", NULL));
	assert_true(verdict("sorted", "a\na\nb\n", "a\nb\na\n", NULL));
	/* multisets, not sets */
	assert_false(verdict("sorted", "a\na\nb\n", "a\nb\nb\n", NULL));
	/* tokens may not move between lines */
	assert_false(verdict("sorted", "a b\nc\n", "a\nb c\n", NULL));
	assert_false(verdict("sorted", "b a\n", "a b\n", NULL));
	/* a line whose tokens begin another line's is a different line */
	assert_false(verdict("sorted", "a\na b\n", "a b\na b\n", NULL));
	assert_false(verdict("sorted", "a b\na b\n", "a\na b\n", NULL));
	assert_false(verdict("sorted", "a\n", "a\nb\n", NULL));
	/* a line of spaces is a line (an empty token list) */
	assert_false(verdict("sorted", "a\n \n", "a\n", NULL));
	assert_true(verdict("sorted", " \na\n", "a\n\t\n", NULL));
	assert_true(verdict("sorted", "b\na\n", "a\nb\n", "{\"split_on\": \"lines\"}"));
}

static void test_sorted_whitespace(void **state)
{
	const char *args = "{\"split_on\": \"whitespace\"}";
	assert_true(verdict("sorted", "3 1\n2\n", "1 2 3\n", args));
	assert_true(verdict("sorted", "b a\n", "a b\n", args));
	assert_true(verdict("sorted", "\n\n x\ty \r\n", "y x", args));
	assert_false(verdict("sorted", "1 1 2\n", "1 2 2\n", args));
	assert_false(verdict("sorted", "1 2\n", "1 2 3\n", args));
	assert_false(verdict("sorted", "12\n", "1 2\n", args));
	assert_true(verdict_n("sorted", "b\0 a", 4, "a b\0", 4, args));
	assert_false(verdict_n("sorted", "b\0 a", 4, "a b", 3, args));
}

static void test_sorted_large(void **state)
{
	/* many lines in reverse order; exercises the span arrays */
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	for (int i = 0; i < 20000; i++) {
		sb_addf(&a, "%d %d\n", i, i % 7);
		sb_addf(&b, "%d  %d\n", 19999 - i, (19999 - i) % 7);
	}
	assert_true(verdict_n("sorted", a.buf, a.len, b.buf, b.len, NULL));
	assert_true(
	    verdict_n("sorted", a.buf, a.len, b.buf, b.len, "{\"split_on\": \"whitespace\"}"));
	a.buf[0] = '9';
	assert_false(verdict_n("sorted", a.buf, a.len, b.buf, b.len, NULL));
	sb_free(&a);
	sb_free(&b);
}

static void test_sorted_bad_args(void **state)
{
	const char *e = validate("sorted", "{\"split_on\": \"tokens\"}");
	assert_contains(e, "checker sorted");
	assert_contains(e, "`split_on`");
	assert_contains(e, "`whitespace`");
	e = validate("sorted", "{\"split_on\": 1}");
	assert_contains(e, "`split_on`");
	assert_null(validate("sorted", "{\"split_on\": \"whitespace\"}"));
	struct outcome r = run("sorted", "a\n", "a\n", "{\"split_on\": \"words\"}", 1);
	assert_int_equal(r.rc, -1);
	assert_contains(r.err, "`split_on`");
}

static void test_unordered(void **state)
{
	assert_true(verdict("unordered", "3 1\n2\n", "1 2 3\n", NULL));
	assert_true(verdict("unordered", "a\nb c\n", "c b\n\na\n", NULL));
	assert_false(verdict("unordered", "1 2 2\n", "1 2\n", NULL));
	assert_false(verdict("unordered", "a\n", "A\n", NULL));
	const char *e = validate("unordered", "{\"split_on\": \"lines\"}");
	assert_contains(e, "checker unordered");
	assert_contains(e, "`split_on`");
}

/* ---- easy ---- */

static void test_easy(void **state)
{
	assert_true(verdict("easy", "Hello World\n", "helloworld", NULL));
	assert_true(verdict("easy", "dlrow olleh", "HELLO\nWORLD\n", NULL));
	assert_true(verdict("easy", " \t\r\n", "", NULL));
	assert_true(verdict("easy", "a b\r\nc", "cba", NULL));
	assert_false(verdict("easy", "hello", "helo", NULL));
	assert_false(verdict("easy", "aab", "abb", NULL));
	assert_false(verdict("easy", "x", "", NULL));
	/* only ASCII letters fold */
	assert_false(verdict("easy", "\xc3\x89", "\xc3\xa9", NULL));
	assert_true(verdict_n("easy", "a\0", 2, "\0A", 2, NULL));
	assert_false(verdict_n("easy", "a\0", 2, "a", 1, NULL));
	const char *e = validate("easy", "{\"case\": false}");
	assert_contains(e, "checker easy");
	assert_contains(e, "`case`");
}

/* ---- floats ---- */

static void test_floats_default_precision(void **state)
{
	assert_true(verdict("floats", "1.0000001\n", "1\n", NULL));
	assert_true(verdict("floats", "0.3333333\n", "0.333333333333\n", NULL));
	assert_false(verdict("floats", "1.00001\n", "1\n", NULL));
	assert_true(verdict("floats", "2 3.0\n4e0\n", "2.000000 3\n4\n", NULL));
	assert_false(verdict("floats", "2 3.1\n", "2 3\n", NULL));
	/* default mode: relative error rescues big numbers */
	assert_true(verdict("floats", "1000000500\n", "1e9\n", NULL));
	assert_false(verdict("floats", "1000005000\n", "1e9\n", NULL));
	/* and absolute error small ones */
	assert_true(verdict("floats", "0.0000005\n", "0\n", NULL));
	assert_true(verdict("floats", "-0\n", "0\n", NULL));
	assert_true(verdict("floats", "-100.00001\n", "-100\n", NULL));
}

static void test_floats_precision_arg(void **state)
{
	assert_true(verdict("floats", "3.14\n", "3.14159\n", "{\"precision\": 2}"));
	/* 3.10 is 0.04 off and 1.3% off: outside both errors */
	assert_false(verdict("floats", "3.10\n", "3.14159\n", "{\"precision\": 2}"));
	assert_true(verdict("floats", "3.14\n", "3.14159\n", "{\"precision\": \"2\"}"));
	assert_true(verdict("floats", "3.14\n", "3.14159\n", "{\"precision\": 2.0}"));
	assert_false(verdict("floats", "1.0000001\n", "1\n", "{\"precision\": 9}"));
	/* precision 0: epsilon 1; negative: epsilon 10 */
	assert_true(verdict("floats", "2\n", "1\n", "{\"precision\": 0}"));
	assert_false(verdict("floats", "2.5\n", "1\n", "{\"precision\": 0}"));
	assert_true(verdict("floats", "10\n", "1\n", "{\"precision\": -1}"));
	/* the relative branch of the default mode needs |answer| >= epsilon:
	 * 50 is within 900% of 5 but 5 < 10 */
	assert_false(verdict("floats", "50\n", "5\n", "{\"precision\": -1}"));
	assert_true(verdict("floats", "150\n", "50\n", "{\"precision\": -1}"));
}

static void test_floats_error_modes(void **state)
{
	const char *abs = "{\"error_mode\": \"absolute\"}";
	const char *rel = "{\"error_mode\": \"relative\"}";
	const char *def = "{\"error_mode\": \"default\"}";
	/* large numbers: relative error only */
	assert_false(verdict("floats", "1000000500\n", "1e9\n", abs));
	assert_true(verdict("floats", "1000000500\n", "1e9\n", rel));
	assert_true(verdict("floats", "1000000500\n", "1e9\n", def));
	assert_false(verdict("floatsabs", "1000000500\n", "1e9\n", NULL));
	assert_true(verdict("floatsrel", "1000000500\n", "1e9\n", NULL));
	/* zero: absolute error only */
	assert_true(verdict("floats", "0.0000001\n", "0\n", abs));
	assert_false(verdict("floats", "0.0000001\n", "0\n", rel));
	assert_true(verdict("floats", "0\n", "0\n", rel));
	assert_true(verdict("floatsabs", "0.0000001\n", "0\n", NULL));
	assert_false(verdict("floatsrel", "0.0000001\n", "0\n", NULL));
	/* negative numbers in relative mode */
	assert_true(verdict("floatsrel", "-100.00001\n", "-100\n", NULL));
	assert_false(verdict("floatsrel", "-100.001\n", "-100\n", NULL));
	assert_false(verdict("floatsrel", "100\n", "-100\n", NULL));
	/* the aliases take precision */
	assert_true(verdict("floatsabs", "1.04\n", "1\n", "{\"precision\": 1}"));
	assert_false(verdict("floatsabs", "1.2\n", "1\n", "{\"precision\": 1}"));
	assert_true(verdict("floatsrel", "105\n", "100\n", "{\"precision\": 1}"));
	assert_false(verdict("floatsrel", "111\n", "100\n", "{\"precision\": 1}"));
}

static void test_floats_text_tokens(void **state)
{
	assert_true(verdict("floats", "Case #1: 0.5000001\n", "Case #1: 0.5\n", NULL));
	assert_false(verdict("floats", "case #1: 0.5\n", "Case #1: 0.5\n", NULL));
	assert_false(verdict("floats", "Case #1: abc\n", "Case #1: 0.5\n", NULL));
	/* an answer token that is not a number must match as text, even if
	 * the output's token would be a number */
	assert_false(verdict("floats", "8\n", "0x8\n", NULL));
	assert_true(verdict("floats", "0x8\n", "0x8\n", NULL));
	assert_true(verdict("floats", "yes 1\n", "yes 1.0\n", NULL));
}

static void test_floats_python_number_syntax(void **state)
{
	/* what Python's float() accepts */
	assert_true(verdict("floats", "0.5\n", ".5\n", NULL));
	assert_true(verdict("floats", "5\n", "5.\n", NULL));
	assert_true(verdict("floats", "0.0005\n", "+.5e-3\n", NULL));
	assert_true(verdict("floats", "1000\n", "1_000\n", NULL));
	assert_true(verdict("floats", "1e10\n", "1_0e0_9\n", NULL));
	assert_true(verdict("floats", "1.5E+2\n", "150\n", NULL));
	/* With epsilon 10^22 any finite output matches a numeric answer, so
	 * "0" matching tells whether an answer token was read as a number. */
	const char *wide = "{\"precision\": -22}";
	const char *numbers[] = {"1_000",    ".5",  "5.",    "+.5e-3", "1E5",	    "-0",
				 "1e-99999", "0_1", "1e0_1", "INF",    "-Infinity", "007"};
	for (size_t i = 0; i < ARRAY_LEN(numbers); i++)
		if (!verdict("floats", "0", numbers[i], wide))
			fail_msg("%s was not read as a number", numbers[i]);
	/* what Python's float() refuses: these answers are text */
	const char *text[] = {"0x1p3", "1__0",	 "_1",	    "1_",  "1_.5",	"1._5",
			      "1e",    "1e+",	 "e5",	    ".",   "+",		"--1",
			      "1e1.5", "nan(1)", "infinit", "1,5", "1_e5",	"0x10",
			      "1e_1",  "+-1",	 "1.5.",    "in",  "infinityy", "\xd9\xa1"};
	for (size_t i = 0; i < ARRAY_LEN(text); i++) {
		if (verdict("floats", "0", text[i], wide))
			fail_msg("%s was read as a number", text[i]);
		assert_true(verdict("floats", text[i], text[i], wide));
	}
	assert_false(verdict("floats", "8\n", "0x1p3\n", NULL));
	assert_false(verdict("floats", "10\n", "1__0\n", NULL));
	assert_false(verdict("floats", "1\n", "1e\n", NULL));
	/* an output that is not a number against a numeric answer */
	assert_false(verdict("floats", "0x1p3\n", "8\n", NULL));
	assert_false(verdict("floats", "1,5\n", "1.5\n", NULL));
	assert_false(verdict("floats", "1.5x\n", "1.5\n", NULL));
	assert_false(verdict_n("floats", "1\0", 2, "1\n", 2, NULL));
}

static void test_floats_nan_and_inf(void **state)
{
	/* a NaN never matches, even another NaN (floats.py) */
	assert_false(verdict("floats", "nan\n", "nan\n", NULL));
	assert_false(verdict("floats", "nan\n", "1\n", NULL));
	assert_false(verdict("floats", "1\n", "NaN\n", NULL));
	assert_false(verdict("floatsabs", "nan\n", "nan\n", NULL));
	assert_false(verdict("floatsrel", "nan\n", "nan\n", NULL));
	/* inf - inf is NaN: only relative mode accepts equal infinities */
	assert_false(verdict("floats", "inf\n", "inf\n", NULL));
	assert_false(verdict("floatsabs", "inf\n", "inf\n", NULL));
	assert_true(verdict("floatsrel", "inf\n", "inf\n", NULL));
	assert_true(verdict("floatsrel", "Infinity\n", "INF\n", NULL));
	assert_true(verdict("floatsrel", "-inf\n", "-infinity\n", NULL));
	assert_false(verdict("floatsrel", "inf\n", "-inf\n", NULL));
	/* with precision 0, inf * (1 - 1) is NaN: Python's min() and max()
	 * then keep the NaN and nothing matches */
	assert_false(verdict("floatsrel", "inf\n", "inf\n", "{\"precision\": 0}"));
	assert_true(verdict("floatsrel", "1.5\n", "1\n", "{\"precision\": 0}"));
	assert_false(verdict("floatsrel", "1e308\n", "inf\n", NULL));
	/* overflowing literals are infinities, as in Python */
	assert_true(verdict("floatsrel", "1e400\n", "inf\n", NULL));
	assert_false(verdict("floats", "1e400\n", "1e400\n", NULL));
	assert_false(verdict("floats", "inf\n", "1e308\n", NULL));
}

static void test_floats_huge_and_long_tokens(void **state)
{
	assert_true(
	    verdict("floats", "1.7976931348623157e308\n", "1.7976931348623157e308\n", NULL));
	assert_true(verdict("floats", "1e-320\n", "0\n", NULL));
	assert_true(verdict("floats", "1e-99999999999999999999\n", "0\n", NULL));
	assert_true(verdict("floatsrel", "1e99999999999999999999\n", "inf\n", NULL));

	/* a 2000-digit number is read exactly, not compared as text */
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "0.");
	for (int i = 0; i < 299; i++)
		sb_addc(&sb, '0');
	sb_adds(&sb, "15");
	for (int i = 0; i < 1700; i++)
		sb_addc(&sb, '0');
	sb_addc(&sb, '\n');
	const char *tight = "{\"error_mode\": \"relative\", \"precision\": 15}";
	const char *exact_rel = "{\"error_mode\": \"relative\", \"precision\": 300}";
	assert_true(verdict_n("floats", "1.5e-300\n", 9, sb.buf, sb.len, tight));
	assert_false(verdict_n("floats", "1.6e-300\n", 9, sb.buf, sb.len, tight));
	assert_true(verdict_n("floats", sb.buf, sb.len, "1.5e-300\n", 9, tight));
	sb_reset(&sb);
	/* 1 followed by 1000 digits 9...: about 2e1000, an infinity */
	sb_addc(&sb, '1');
	for (int i = 0; i < 1000; i++)
		sb_addc(&sb, '9');
	assert_true(verdict_n("floatsrel", sb.buf, sb.len, "inf", 3, NULL));
	sb_reset(&sb);
	/* 1 and 1000 zeros, times 10^-1000: the dropped digits still count */
	sb_addc(&sb, '1');
	for (int i = 0; i < 1000; i++)
		sb_addc(&sb, '0');
	sb_adds(&sb, "e-1000");
	assert_true(verdict_n("floats", sb.buf, sb.len, "1", 1, exact_rel));
	assert_false(verdict_n("floats", sb.buf, sb.len, "1.0000000000000002", 18, exact_rel));
	sb_reset(&sb);
	/* digits past the kept ones still decide the rounding: this is the
	 * halfway point between 1 and the next double, plus a tiny bit */
	sb_adds(&sb, "1.00000000000000011102230246251565404236316680908203125");
	for (int i = 0; i < 1000; i++)
		sb_addc(&sb, '0');
	sb_addc(&sb, '1');
	const char *exact = "{\"error_mode\": \"absolute\", \"precision\": 300}";
	assert_true(verdict_n("floats", "1.0000000000000002", 18, sb.buf, sb.len, exact));
	assert_false(verdict_n("floats", "1", 1, sb.buf, sb.len, exact));
	sb_free(&sb);
}

/* Short tokens take a fast path; it must round exactly as a full
 * decimal conversion does. Each pair is a token and the shortest repr of
 * the double Python's float() gives for it; the third string is the
 * neighbouring double a sloppier conversion lands on. */
static void test_floats_exact_rounding(void **state)
{
	const char *exact = "{\"error_mode\": \"relative\", \"precision\": 300}";
	const char *cases[][3] = {
	    {"9916e-5", "0.09916", "0.09916000000000001"},
	    {"78649733122728151e-12", "78649.73312272815", "78649.73312272814"},
	    {"0.1", "0.1", "0.10000000000000002"},
	    {"123456789012345e7", "1.23456789012345e+21", "1.2345678901234502e+21"},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		if (!verdict("floats", cases[i][1], cases[i][0], exact))
			fail_msg("%s did not read as %s", cases[i][0], cases[i][1]);
		if (verdict("floats", cases[i][2], cases[i][0], exact))
			fail_msg("%s read as %s", cases[i][0], cases[i][2]);
	}
}

static void test_floats_lines_and_tokens(void **state)
{
	/* empty lines are dropped, \r is a line break */
	assert_true(verdict("floats", "1\n\n\n2\n\n", "1\n2\n", NULL));
	assert_true(verdict("floats", "1\r\n2\r\n", "1\n2\n", NULL));
	assert_true(verdict("floats", "1 2", "1 2\n", NULL));
	assert_true(verdict("floats", "  1 \t 2  \n", "1 2\n", NULL));
	assert_true(verdict("floats", "", "", NULL));
	/* tokens may not move between lines */
	assert_false(verdict("floats", "1\n2\n", "1 2\n", NULL));
	assert_false(verdict("floats", "1 2\n", "1\n2\n", NULL));
	assert_false(verdict("floats", "1 2 3\n", "1 2\n", NULL));
	assert_false(verdict("floats", "1\n", "1 2\n", NULL));
	assert_false(verdict("floats", "", "1\n", NULL));
	assert_false(verdict("floats", "1\n", "", NULL));
	/* a line of white space is a line with no tokens (floats.py drops
	 * only empty lines) */
	assert_false(verdict("floats", "1\n \n2\n", "1\n2\n", NULL));
	assert_true(verdict("floats", "1\n\t\n2\n", "1\n  \n2\n", NULL));
}

static void test_floats_bad_args(void **state)
{
	const char *e = validate("floats", "{\"precision\": 6.5}");
	assert_contains(e, "checker floats: argument `precision` must be a whole number");
	e = validate("floats", "{\"precision\": \"six\"}");
	assert_contains(e, "`precision`");
	e = validate("floats", "{\"precision\": true}");
	assert_contains(e, "`precision`");
	e = validate("floats", "{\"precision\": 1000}");
	assert_contains(e, "`precision`");
	assert_contains(e, "between");
	e = validate("floats", "{\"precision\": -23}");
	assert_contains(e, "`precision`");
	e = validate("floats", "{\"error_mode\": \"approximate\"}");
	assert_contains(e, "checker floats: argument `error_mode`");
	assert_contains(e, "`relative`");
	e = validate("floatsabs", "{\"error_mode\": \"relative\"}");
	assert_contains(e, "checker floatsabs");
	assert_contains(e, "`error_mode`");
	e = validate("floatsrel", "{\"precision\": null}");
	assert_contains(e, "checker floatsrel");
	assert_contains(e, "`precision`");
	assert_null(validate("floats", "{\"precision\": 3, \"error_mode\": \"absolute\"}"));
	assert_null(validate("floats", "{\"precision\": -22}"));
	assert_null(validate("floats", "{\"precision\": 300}"));
	assert_null(validate("floatsrel", "{\"precision\": 4}"));
	struct outcome r = run("floats", "1\n", "1\n", "{\"precision\": \"x\"}", 1);
	assert_int_equal(r.rc, -1);
	assert_contains(r.err, "`precision`");
}

/* ---- arguments in general ---- */

static void test_args_must_be_a_mapping(void **state)
{
	const char *e = validate("floats", "[6]");
	assert_contains(e, "checker floats");
	assert_contains(e, "`args`");
	e = validate("identical", "\"pe_allowed\"");
	assert_contains(e, "`args`");
	struct outcome r = run("standard", "1\n", "1\n", "3", 1);
	assert_int_equal(r.rc, -1);
	assert_contains(r.err, "`args`");
}

static void test_validate_null_checker(void **state)
{
	char err[128] = "";
	assert_int_equal(checker_validate(NULL, NULL, err, sizeof(err)), -1);
	assert_true(err[0] != '\0');
}

static void test_result_free_is_idempotent(void **state)
{
	struct outcome r = run("identical", "1  2\n", "1 2\n", NULL, 1);
	assert_non_null(r.res.feedback);
	checker_result_free(&r.res);
	checker_result_free(&r.res);
	assert_null(r.res.feedback);
	checker_result_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_find_known_names),
	    cmocka_unit_test(test_find_unknown_names),
	    cmocka_unit_test(test_runs_on_error_only_linecount),
	    cmocka_unit_test(test_standard_accepts_same_tokens),
	    cmocka_unit_test(test_standard_ignores_outer_whitespace),
	    cmocka_unit_test(test_standard_crlf_and_blank_lines),
	    cmocka_unit_test(test_standard_line_break_is_not_space),
	    cmocka_unit_test(test_standard_rejects_different_tokens),
	    cmocka_unit_test(test_standard_nul_bytes),
	    cmocka_unit_test(test_standard_points),
	    cmocka_unit_test(test_standard_null_empty_buffers),
	    cmocka_unit_test(test_standard_large_output),
	    cmocka_unit_test(test_standard_takes_no_args),
	    cmocka_unit_test(test_standard_matches_its_definition),
	    cmocka_unit_test(test_identical_exact),
	    cmocka_unit_test(test_identical_presentation_error),
	    cmocka_unit_test(test_identical_wrong_answer_has_no_feedback),
	    cmocka_unit_test(test_identical_pe_allowed_false),
	    cmocka_unit_test(test_identical_bad_args),
	    cmocka_unit_test(test_rstripped_trailing_spaces),
	    cmocka_unit_test(test_rstripped_is_strict_otherwise),
	    cmocka_unit_test(test_rstripped_filter_new_line),
	    cmocka_unit_test(test_rstripped_bad_args),
	    cmocka_unit_test(test_linecount_all_correct),
	    cmocka_unit_test(test_linecount_partial),
	    cmocka_unit_test(test_linecount_fewer_lines),
	    cmocka_unit_test(test_linecount_more_lines_is_zero),
	    cmocka_unit_test(test_linecount_strips_and_drops_empty_lines),
	    cmocka_unit_test(test_linecount_empty_answer),
	    cmocka_unit_test(test_linecount_feedback_off),
	    cmocka_unit_test(test_linematches_default_distribution),
	    cmocka_unit_test(test_linematches_weights),
	    cmocka_unit_test(test_linematches_exact_lines),
	    cmocka_unit_test(test_linematches_filler_lines),
	    cmocka_unit_test(test_linematches_length_mismatch_is_internal_error),
	    cmocka_unit_test(test_linematches_bad_args),
	    cmocka_unit_test(test_sorted_lines),
	    cmocka_unit_test(test_sorted_whitespace),
	    cmocka_unit_test(test_sorted_large),
	    cmocka_unit_test(test_sorted_bad_args),
	    cmocka_unit_test(test_unordered),
	    cmocka_unit_test(test_easy),
	    cmocka_unit_test(test_floats_default_precision),
	    cmocka_unit_test(test_floats_precision_arg),
	    cmocka_unit_test(test_floats_error_modes),
	    cmocka_unit_test(test_floats_text_tokens),
	    cmocka_unit_test(test_floats_python_number_syntax),
	    cmocka_unit_test(test_floats_nan_and_inf),
	    cmocka_unit_test(test_floats_huge_and_long_tokens),
	    cmocka_unit_test(test_floats_exact_rounding),
	    cmocka_unit_test(test_floats_lines_and_tokens),
	    cmocka_unit_test(test_floats_bad_args),
	    cmocka_unit_test(test_args_must_be_a_mapping),
	    cmocka_unit_test(test_validate_null_checker),
	    cmocka_unit_test(test_result_free_is_idempotent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
