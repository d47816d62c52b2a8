/*
 * Bridged checkers and interactors: the command line they get and what
 * their exit codes mean, by DMOJ's contrib types.
 *
 * The command line is args_format_string with {input_file}, {output_file}
 * and {answer_file} put in, each quoted as Python's shlex.quote does, then
 * split as shlex.split does, so a format that works with DMOJ gives the
 * same arguments here.
 *
 * Exit codes:
 *   default  0 AC, 1 WA;
 *   testlib  0 AC, 1 WA, 2 presentation error, 3 the checker failed (an
 *            internal error), 7 partial: `points X` on stderr;
 *   coci     as testlib, but 7 reads `partial A/B` on stderr;
 *   peg      0 AC, 1 WA, and two consecutive lines A, B on stdout give
 *            A/B of the points.
 * Anything else, a crash or a timeout is an internal error naming the
 * checker and what it did: never a wrong answer.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <math.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "judge/checkers/bridged.h"

static const char *default_format(const struct problem_program *pp, enum bridged_role role)
{
	bool testlib = !strcmp(pp->type, "testlib"), peg = !strcmp(pp->type, "peg");
	if (role == BRIDGED_INTERACTOR)
		return testlib ? "{input_file} {output_file} {answer_file}"
			       : "{input_file} {answer_file}";
	return peg ? "{answer_file} {output_file} {input_file}"
		   : "{input_file} {output_file} {answer_file}";
}

/* shlex.quote: safe characters as they are, anything else in single
 * quotes. */
static void shell_quote(struct strbuf *sb, const char *s)
{
	if (str_plain(s, strlen(s), "_@%+=:,./-")) {
		sb_adds(sb, s);
		return;
	}
	sb_addc(sb, '\'');
	for (const char *p = s; *p; p++)
		if (*p == '\'')
			sb_adds(sb, "'\"'\"'");
		else
			sb_addc(sb, *p);
	sb_addc(sb, '\'');
}

/* str.format with the three file names, `{{` and `}}` for braces. */
static int expand(const char *fmt, const char *input, const char *output, const char *answer,
		  struct strbuf *out, char *err, size_t errlen)
{
	static const char *const names[] = {"input_file", "output_file", "answer_file"};
	const char *values[] = {input, output, answer};
	for (const char *p = fmt; *p; p++) {
		if (*p == '}') {
			if (p[1] != '}')
				return errf(err, errlen, "a single `}` in args_format_string `%s`",
					    fmt);
			sb_addc(out, '}');
			p++;
			continue;
		}
		if (*p != '{') {
			sb_addc(out, *p);
			continue;
		}
		if (p[1] == '{') {
			sb_addc(out, '{');
			p++;
			continue;
		}
		const char *end = strchr(p, '}');
		size_t k = 0;
		while (end && k < ARRAY_LEN(names) &&
		       !((size_t)(end - p - 1) == strlen(names[k]) &&
			 !strncmp(p + 1, names[k], strlen(names[k]))))
			k++;
		if (!end || k == ARRAY_LEN(names))
			return errf(err, errlen,
				    "args_format_string `%s`: unknown placeholder at `%.20s` (it "
				    "takes {input_file}, {output_file} and {answer_file})",
				    fmt, p);
		shell_quote(out, values[k]);
		p = end;
	}
	return 0;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* shlex.split in POSIX mode: quotes group, a backslash escapes the next
 * character (within double quotes only \, ", $, ` and newline). */
static int shell_split(const char *s, char ***out, char *err, size_t errlen)
{
	char **v = NULL;
	size_t n = 0, cap = 0;
	struct strbuf tok = STRBUF_INIT;
	bool in_tok = false;
	for (const char *p = s;; p++) {
		if (!*p || blank(*p)) {
			if (in_tok)
				strv_push(&v, &n, &cap, tok.buf ? tok.buf : "");
			sb_reset(&tok);
			in_tok = false;
			if (!*p)
				break;
			continue;
		}
		in_tok = true;
		if (*p == '\\') {
			if (!p[1])
				goto bad;
			sb_addc(&tok, *++p);
		} else if (*p == '\'') {
			const char *q = strchr(p + 1, '\'');
			if (!q)
				goto bad;
			sb_add(&tok, p + 1, (size_t)(q - p - 1));
			p = q;
		} else if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1] && strchr("\\\"$`\n", p[1]))
					p++;
				sb_addc(&tok, *p);
			}
			if (!*p)
				goto bad;
		} else {
			sb_addc(&tok, *p);
		}
	}
	sb_free(&tok);
	*out = v ? v : xcalloc(1, sizeof(char *));
	return 0;
bad:
	sb_free(&tok);
	strv_free(v);
	return errf(err, errlen,
		    "args_format_string `%s` has an unclosed quote or a trailing "
		    "backslash",
		    s);
}

static int build(const struct problem_program *pp, enum bridged_role role, const char *input,
		 const char *output, const char *answer, char ***out, char *err, size_t errlen)
{
	const char *fmt = pp->args_format ? pp->args_format : default_format(pp, role);
	struct strbuf sb = STRBUF_INIT;
	int ret = expand(fmt, input, output, answer, &sb, err, errlen);
	if (ret == 0)
		ret = shell_split(sb.buf ? sb.buf : "", out, err, errlen);
	sb_free(&sb);
	return ret;
}

int bridged_check_format(const struct problem_program *pp, enum bridged_role role, char *err,
			 size_t errlen)
{
	char **v;
	if (build(pp, role, "input", "output", "answer", &v, err, errlen) < 0)
		return -1;
	strv_free(v);
	return 0;
}

char **bridged_args(const struct problem_program *pp, enum bridged_role role, const char *input,
		    const char *output, const char *answer)
{
	char **v, err[256];
	if (build(pp, role, input, output, answer, &v, err, sizeof(err)) < 0) {
		/* checked when the grading began */
		log_error("%s", err);
		return xcalloc(1, sizeof(char *));
	}
	return v;
}

/* ---- exit codes ---- */

/* The first match of re (multi-line) in text; groups[] gets the first
 * ngroups captured groups as heap strings. */
static bool search(const char *re, const char *text, size_t len, char **groups, int ngroups)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, PCRE2_MULTILINE, &code,
				      &off, NULL);
	if (!c)
		return false;
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(c, NULL);
	bool found = pcre2_match(c, (PCRE2_SPTR)text, len, 0, 0, md, NULL) > 0;
	for (int i = 0; found && i < ngroups; i++) {
		PCRE2_UCHAR *buf;
		PCRE2_SIZE glen;
		if (pcre2_substring_get_bynumber(md, (uint32_t)i + 1, &buf, &glen) < 0) {
			groups[i] = xstrdup("");
			continue;
		}
		groups[i] = xstrndup((const char *)buf, glen);
		pcre2_substring_free(buf);
	}
	pcre2_match_data_free(md);
	pcre2_code_free(c);
	return found;
}

static char *text_of(const char *s, size_t n)
{
	return utf8_repair(s ? s : "", s ? n : 0);
}

/* peg: the first two consecutive lines A and B of stdout that read as
 * numbers with A/B > 0 give that fraction. */
static bool peg_fraction(const char *out, size_t len, double *frac)
{
	const char *prev = NULL, *p = out, *end = out + len;
	size_t prev_len = 0;
	while (p <= end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *a = p, *b = le;
		while (a < b && (blank(*a) || *a == '\v' || *a == '\f'))
			a++;
		while (b > a && (blank(b[-1]) || b[-1] == '\v' || b[-1] == '\f'))
			b--;
		double x, y;
		if (prev && checker_parse_float(prev, prev_len, &x) &&
		    checker_parse_float(a, (size_t)(b - a), &y) && y != 0 && x / y > 0) {
			*frac = x / y;
			return true;
		}
		prev = a;
		prev_len = (size_t)(b - a);
		if (!nl)
			break;
		p = nl + 1;
	}
	return false;
}

static void verdict(struct checker_result *res, bool passed, double points, const char *feedback)
{
	res->passed = passed;
	res->points = points;
	res->feedback = feedback && *feedback ? xstrdup(feedback) : NULL;
}

int bridged_result(const struct helper *h, enum bridged_role role, const struct sbx_result *run,
		   const char *out, size_t out_len, const char *errs, size_t errs_len,
		   double points, double time, long memory_kib, struct checker_result *res,
		   char *err, size_t errlen)
{
	const struct problem_program *pp = h->spec;
	const char *name = role == BRIDGED_CHECKER ? "checker" : "interactor";
	const char *type = pp->type;
	bool testlib = !strcmp(type, "testlib"), coci = !strcmp(type, "coci");
	char why[ERR_SIZE];
	*res = (struct checker_result){0};
	if (helper_failed(h, name, run, time, memory_kib, errs, errs_len, false, why, sizeof(why)))
		return errf(err, errlen, "%s: %s", h->label, why);
	/* a checker speaks on stdout, an interactor's stdout is the
	 * submission's input, so its stderr is what it says */
	char *fb = NULL;
	if (pp->feedback)
		fb = role == BRIDGED_CHECKER ? text_of(out, out_len) : text_of(errs, errs_len);
	char *errtext = text_of(errs, errs_len);
	int code = run->exit_code, ret = 0;
	if (!strcmp(type, "peg") && (code == 0 || code == 1)) {
		double frac;
		if (peg_fraction(out, out_len, &frac))
			verdict(res, true, points * frac, NULL);
		else
			verdict(res, code == 0, code == 0 ? points : 0, NULL);
	} else if (code == 0) {
		verdict(res, true, points, fb);
	} else if (code == 1) {
		verdict(res, false, 0, fb);
	} else if ((testlib || coci) && code == 2) {
		verdict(res, false, 0, fb && *fb ? fb : "Presentation Error");
	} else if ((testlib || coci) && code == 3) {
		ret = errf(err, errlen, "%s failed assertion with message %s%s%s", h->label,
			   fb ? fb : "", fb && *fb ? " " : "", errtext);
	} else if (testlib && code == 7) {
		char *g[1] = {NULL};
		double pts = 0;
		if (!search("^points ([-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?)", errs, errs_len, g,
			    1))
			ret = errf(err, errlen, "%s: invalid stderr for partial points: %.200s",
				   h->label, errtext);
		else if (!checker_parse_float(g[0], strlen(g[0]), &pts) || !(pts >= 0) ||
			 pts > points)
			ret = errf(err, errlen,
				   "%s: invalid partial points: %s, must be between 0 and %g",
				   h->label, g[0], points);
		else
			verdict(res, true, pts, fb);
		free(g[0]);
	} else if (coci && code == 7) {
		char *g[3] = {NULL, NULL, NULL};
		if (!search("^partial ((\\d+)\\/(\\d*[1-9]\\d*))$", errs, errs_len, g, 3)) {
			ret = errf(err, errlen, "%s: invalid stderr for fraction of points: %.200s",
				   h->label, errtext);
		} else {
			double frac = strtod(g[1], NULL) / strtod(g[2], NULL);
			if (!(frac >= 0 && frac <= 1))
				ret = errf(err, errlen, "%s: invalid fraction: %s", h->label, g[0]);
			else
				verdict(res, true, frac * points, fb);
		}
		for (int i = 0; i < 3; i++)
			free(g[i]);
	} else {
		helper_failed(h, name, run, time, memory_kib, errs, errs_len, true, why,
			      sizeof(why));
		ret = errf(err, errlen, "%s: %s", h->label, why);
	}
	free(fb);
	free(errtext);
	if (ret < 0)
		checker_result_free(res);
	return ret;
}
