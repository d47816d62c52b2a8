/*
 * `judge testsuite DIR [PROBLEM_REGEX [CASE_REGEX]]`: grades the sample
 * solutions that problem folders carry under tests/<case>/ and checks the
 * results against what each test.yml expects, as DMOJ's dmoj-testsuite
 * does, so that problem setters can test their problems with this judge.
 *
 * Every solution is graded through the normal path (a forked worker, its
 * events) with short-circuiting off. A test.yml (merged with test.posix.yml
 * and test.linux.yml) says:
 *   language, source (one file or a list), time (s), memory (KiB);
 *   expect: the accepted code of every case (a code, a list, or '*'; AC
 *     by default; CE accepts a compile error, IE an internal error whose
 *     message contains one of `feedback`);
 *   cases: per position (a list from 1, or {position: codes});
 *   score (or points) / score_cases, feedback / feedback_cases,
 *     extended_feedback / extended_feedback_cases: accepted values ('*' or
 *     absent: any);
 *   skip: true, arch: [...]: skip the case.
 * One line per test case folder, then `N passed, N failed`; the exit
 * status is 1 when anything failed. The regular expressions are Python's,
 * matched from the start of the name as re.match does.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <errno.h>
#include <math.h>
#include <pcre2.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "common/yml.h"
#include "executors/executors.h"
#include "judge/frontends/frontends.h"
#include "judge/grading/verdict.h"
#include "judge/grading/worker.h"

#define MAX_TEST_SOURCE (64u << 20)

static const char *const all_codes[] = {"AC",  "WA", "TLE", "MLE", "OLE",
					"RTE", "IR", "SC",  "IE",  "CE"};
static const char *const test_keys[] = {"language",
					"source",
					"time",
					"memory",
					"expect",
					"cases",
					"score",
					"score_cases",
					"feedback",
					"feedback_cases",
					"extended_feedback",
					"extended_feedback_cases",
					"skip",
					"arch",
					"points"};

struct suite {
	const struct config *cfg;
	struct problem_index problems;
	pcre2_code *problem_re, *case_re;
	bool ansi;
	int passed, failed, skipped;
	int64_t next_id;
	volatile bool interrupted;
	int sigfd;
};

/* What one test case folder expects, and what went wrong so far. */
struct expect {
	const json_t *conf;
	struct strbuf why; /* failure reasons, one per line */
	bool ended;	   /* a final event was seen */
};

static void PRINTF(2, 3) fail(struct expect *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (e->why.len)
		sb_adds(&e->why, "\n");
	sb_adds(&e->why, "      ");
	sb_vaddf(&e->why, fmt, ap);
	va_end(ap);
}

/* ---- expectations ---- */

static bool is_code(const char *s)
{
	return str_index(all_codes, ARRAY_LEN(all_codes), s) >= 0;
}

/* The value for a position: key_cases[position] (a list from 1 or a
 * mapping), else key, else def. */
static const json_t *per_case(const json_t *conf, const char *key, int position, const json_t *def)
{
	char ckey[64];
	if (!strcmp(key, "expect"))
		snprintf(ckey, sizeof(ckey), "cases");
	else
		snprintf(ckey, sizeof(ckey), "%s_cases", key);
	const json_t *cases = json_object_get(conf, ckey);
	if (json_is_array(cases) && position >= 1 && (size_t)position <= json_array_size(cases))
		return json_array_get(cases, (size_t)position - 1);
	if (json_is_object(cases)) {
		char pos[32];
		snprintf(pos, sizeof(pos), "%d", position);
		const json_t *v = json_object_get(cases, pos);
		if (v)
			return v;
	}
	const json_t *v = json_object_get(conf, key);
	return v ? v : def;
}

static bool any(const json_t *v)
{
	return !v || json_is_null(v) || (json_is_string(v) && !strcmp(json_string_value(v), "*"));
}

/* Is code among the accepted codes v (a code, a list, or '*')? */
static bool code_ok(const json_t *v, const char *code)
{
	if (any(v))
		return true;
	if (json_is_string(v))
		return !strcmp(json_string_value(v), code);
	size_t i;
	const json_t *x;
	json_array_foreach (v, i, x)
		if (json_is_string(x) && !strcmp(json_string_value(x), code))
			return true;
	return false;
}

static bool number_ok(const json_t *v, double points)
{
	if (any(v))
		return true;
	if (json_is_number(v))
		return fabs(json_number_value(v) - points) < 1e-6;
	size_t i;
	const json_t *x;
	json_array_foreach (v, i, x)
		if (json_is_number(x) && fabs(json_number_value(x) - points) < 1e-6)
			return true;
	return false;
}

/* Exact text, or with contains a substring of it (internal errors). */
static bool text_ok(const json_t *v, const char *text, bool contains)
{
	if (any(v))
		return true;
	if (json_is_string(v))
		return contains ? strstr(text, json_string_value(v)) != NULL
				: !strcmp(json_string_value(v), text);
	size_t i;
	const json_t *x;
	json_array_foreach (v, i, x)
		if (json_is_string(x) && (contains ? strstr(text, json_string_value(x)) != NULL
						   : !strcmp(json_string_value(x), text)))
			return true;
	return false;
}

static char *listing(const json_t *v)
{
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	return s ? s : xstrdup("?");
}

/* CE and IE end a grading rather than describe a case: they count only
 * when `expect` names them. */
static bool listed(const json_t *v, const char *code)
{
	return !any(v) && code_ok(v, code);
}

/* Codes in expect/cases must be known ones: a typo would make a case
 * pass or fail for the wrong reason. */
static int validate_codes(const json_t *v, const char *key, char *err, size_t errlen)
{
	if (any(v))
		return 0;
	if (json_is_string(v))
		return is_code(json_string_value(v))
			   ? 0
			   : errf(err, errlen, "key `%s`: unknown code %s", key,
				  json_string_value(v));
	if (!json_is_array(v))
		return errf(err, errlen, "key `%s`: expected a code, a list of codes or '*'", key);
	size_t i;
	const json_t *x;
	json_array_foreach (v, i, x) {
		if (!json_is_string(x) || !is_code(json_string_value(x)))
			return errf(err, errlen, "key `%s`: item %zu is not a code", key, i + 1);
	}
	return 0;
}

static void check_case(struct expect *e, const json_t *c)
{
	int position = (int)json_integer_value(json_object_get(c, "position"));
	int flags = (int)json_integer_value(json_object_get(c, "status"));
	const char *code = verdict_code(flags);
	const json_t *all = json_object_get(e->conf, "expect");
	json_t *ac = json_string("AC");
	const json_t *codes = per_case(e->conf, "expect", position, all ? all : ac);
	if (!code_ok(codes, code)) {
		char *want = listing(codes);
		fail(e, "Unexpected code for case %d: %s, expecting %s", position, code, want);
		free(want);
	}
	json_decref(ac);
	double points = json_number_value(json_object_get(c, "points"));
	const json_t *score = per_case(e->conf, "score", position, NULL);
	if (!number_ok(score, points)) {
		char *want = listing(score);
		fail(e, "Unexpected score for case %d: %g, expecting %s", position, points, want);
		free(want);
	}
	static const char *const texts[][2] = {{"feedback", "feedback"},
					       {"extended_feedback", "extended-feedback"}};
	for (size_t i = 0; i < ARRAY_LEN(texts); i++) {
		const char *got = json_string_value(json_object_get(c, texts[i][1]));
		const json_t *want = per_case(e->conf, texts[i][0], position, NULL);
		if (!text_ok(want, got ? got : "", false)) {
			char *w = listing(want);
			fail(e, "Unexpected %s for case %d: \"%s\", expecting \"%s\"", texts[i][0],
			     position, got ? got : "", w);
			free(w);
		}
	}
}

static void check_event(void *ctx, enum event_kind kind, json_t *ev)
{
	struct expect *e = ctx;
	const json_t *all = json_object_get(e->conf, "expect");
	switch (kind) {
	case EV_CASE: {
		size_t i;
		json_t *c;
		json_array_foreach (json_object_get(ev, "cases"), i, c)
			check_case(e, c);
		break;
	}
	case EV_COMPILE_ERROR:
		e->ended = true;
		if (!listed(all, "CE")) {
			char *log = ansi_strip(json_string_value(json_object_get(ev, "log")));
			fail(e, "Unexpected compile error:\n%s", log);
			free(log);
		}
		break;
	case EV_INTERNAL_ERROR: {
		e->ended = true;
		const char *msg = json_string_value(json_object_get(ev, "message"));
		if (!listed(all, "IE"))
			fail(e, "Unexpected internal error:\n%s", msg ? msg : "");
		else if (!text_ok(json_object_get(e->conf, "feedback"), msg ? msg : "", true))
			fail(e, "Unexpected internal error message:\n%s", msg ? msg : "");
		break;
	}
	case EV_GRADING_END:
		e->ended = true;
		break;
	default:
		break;
	}
}

/* ---- running ---- */

/* Grades one source through a worker, checking each event. Returns -1
 * when the judge itself could not start a worker. */
static int grade(struct suite *s, const struct judge_env *env, struct grading_request *req,
		 struct expect *e)
{
	char err[ERR_SIZE];
	int rc = worker_drive(env, req, s->sigfd, check_event, e, err, sizeof(err));
	if (rc == DRIVE_NO_WORKER) {
		fail(e, "cannot start a grading: %s", err);
		return -1;
	}
	if (rc == DRIVE_ABORTED)
		s->interrupted = true;
	if (!e->ended && !s->interrupted)
		fail(e, "the grading ended without a result");
	return 0;
}

static bool re_match(pcre2_code *re, const char *s)
{
	if (!re)
		return true;
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	int rc = pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, PCRE2_ANCHORED, md, NULL);
	pcre2_match_data_free(md);
	return rc >= 0;
}

/* test.yml, then test.posix.yml and test.linux.yml over it. */
static json_t *load_test(const char *dir, char *err, size_t errlen)
{
	static const char *const files[] = {"test.yml", "test.posix.yml", "test.linux.yml"};
	json_t *conf = NULL;
	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		char *path = path_join(dir, files[i]);
		if (!path_exists(path)) {
			free(path);
			continue;
		}
		struct yml y;
		int rc = yml_load(&y, path, err, errlen);
		free(path);
		if (rc < 0) {
			json_decref(conf);
			return NULL;
		}
		json_t *part = yml_to_json(&y, yml_root(&y));
		yml_free(&y);
		if (!json_is_object(part)) {
			json_decref(part);
			json_decref(conf);
			errf(err, errlen, "%s/%s is not a mapping of keys", dir, files[i]);
			return NULL;
		}
		if (!conf)
			conf = json_object();
		json_object_update(conf, part);
		json_decref(part);
	}
	if (!conf)
		errf(err, errlen, "no usable test config (test.yml)");
	/* `points` is an older name of `score` */
	else if (json_object_get(conf, "points") && !json_object_get(conf, "score"))
		json_object_set(conf, "score", json_object_get(conf, "points"));
	return conf;
}

/* The machine's name for itself as DMOJ's `arch` lists write it. */
static bool arch_ok(const json_t *arch)
{
	if (!arch)
		return true;
	struct utsname u;
	if (uname(&u) < 0)
		return true;
	const char *alias = !strcmp(u.machine, "x86_64")    ? "amd64"
			    : !strcmp(u.machine, "aarch64") ? "arm64"
			    : !strncmp(u.machine, "arm", 3) ? "arm"
			    : !strcmp(u.machine, "i686")    ? "x86"
							    : u.machine;
	return text_ok(arch, alias, false) || text_ok(arch, u.machine, false);
}

static int validate(const json_t *conf, char *err, size_t errlen)
{
	const char *key;
	json_t *v;
	json_object_foreach ((json_t *)conf, key, v) {
		if (str_index(test_keys, ARRAY_LEN(test_keys), key) < 0)
			return errf(err, errlen, "unknown key `%s`", key);
	}
	if (!json_is_string(json_object_get(conf, "language")))
		return errf(err, errlen, "key `language`: an executor key is needed");
	if (!json_is_number(json_object_get(conf, "time")) ||
	    json_number_value(json_object_get(conf, "time")) <= 0)
		return errf(err, errlen, "key `time`: a positive number of seconds is needed");
	if (!json_is_integer(json_object_get(conf, "memory")) ||
	    json_integer_value(json_object_get(conf, "memory")) <= 0)
		return errf(err, errlen, "key `memory`: a positive number of KiB is needed");
	const json_t *src = json_object_get(conf, "source");
	if (!json_is_string(src) && !(json_is_array(src) && json_array_size(src)))
		return errf(err, errlen, "key `source`: a file name or a list of them is needed");
	if (validate_codes(json_object_get(conf, "expect"), "expect", err, errlen) < 0)
		return -1;
	const json_t *cases = json_object_get(conf, "cases");
	size_t i;
	const char *k;
	json_t *x;
	if (json_is_array(cases)) {
		json_array_foreach (cases, i, x)
			if (validate_codes(x, "cases", err, errlen) < 0)
				return -1;
	} else if (json_is_object(cases)) {
		json_object_foreach ((json_t *)cases, k, x)
			if (validate_codes(x, "cases", err, errlen) < 0)
				return -1;
	} else if (cases) {
		return errf(err, errlen, "key `cases`: expected a list or a mapping of positions");
	}
	return 0;
}

json_t *testsuite_load(const char *dir, char *err, size_t errlen)
{
	json_t *conf = load_test(dir, err, errlen);
	if (conf && validate(conf, err, errlen) < 0) {
		json_decref(conf);
		return NULL;
	}
	return conf;
}

void testsuite_check_case(const json_t *conf, const json_t *c, struct strbuf *why)
{
	struct expect e = {.conf = conf, .why = *why};
	check_case(&e, c);
	*why = e.why;
}

static void report(struct suite *s, const char *status, const char *colour, const char *what,
		   const char *detail)
{
	printf("%s%-4s%s %s%s%s\n", s->ansi ? colour : "", status, s->ansi ? "\033[0m" : "", what,
	       detail && *detail ? "\n" : "", detail ? detail : "");
	fflush(stdout);
}

static void run_test(struct suite *s, const struct judge_env *env, const char *code,
		     const char *dir, const char *name)
{
	char err[ERR_SIZE];
	char *what = xasprintf("%s/%s", code, name);
	json_t *conf = testsuite_load(dir, err, sizeof(err));
	struct expect e = {.conf = conf, .why = STRBUF_INIT};
	const json_t *skip = json_object_get(conf, "skip");
	const char *lang = json_string_value(json_object_get(conf, "language"));
	if (!conf) {
		char *msg = xasprintf("      %s: %s", dir, err);
		report(s, "FAIL", "\033[1;31m", what, msg);
		free(msg);
		s->failed++;
		goto out;
	}
	if ((skip && json_is_true(skip)) || !arch_ok(json_object_get(conf, "arch"))) {
		report(s, "SKIP", "\033[2m", what, "      unsupported on this platform");
		s->skipped++;
		goto out;
	}
	if (!executor_find(lang)) {
		char *msg = xasprintf("      language %s is not available here: %s", lang,
				      executors_problem(lang));
		report(s, "SKIP", "\033[2m", what, msg);
		free(msg);
		s->skipped++;
		goto out;
	}
	const json_t *src = json_object_get(conf, "source");
	json_t *sources = json_is_array(src) ? json_incref((json_t *)src) : json_pack("[O]", src);
	size_t i;
	json_t *f;
	json_array_foreach (sources, i, f) {
		if (s->interrupted)
			break;
		const char *file = json_string_value(f);
		struct expect one = {.conf = conf, .why = STRBUF_INIT};
		char *path = file ? path_join(dir, file) : NULL;
		struct grading_request req = {0};
		if (!path || read_file(path, MAX_TEST_SOURCE, &req.source, &req.source_len, err,
				       sizeof(err)) < 0) {
			fail(&one, "source %s: %s", file ? file : "?",
			     path ? err : "not a file name");
		} else {
			req.id = ++s->next_id;
			req.problem = xstrdup(code);
			req.language = xstrdup(lang);
			req.time_limit = json_number_value(json_object_get(conf, "time"));
			req.memory_limit =
			    (long)json_integer_value(json_object_get(conf, "memory"));
			req.short_circuit = false;
			grade(s, env, &req, &one);
		}
		/* with several sources, say which one it was */
		if (one.why.len && json_array_size(sources) > 1)
			fail(&e, "%s:", file ? file : "?");
		if (one.why.len)
			sb_addf(&e.why, "%s%s", e.why.len ? "\n" : "", one.why.buf);
		sb_free(&one.why);
		free(path);
		grading_request_free(&req);
	}
	json_decref(sources);
	if (s->interrupted) {
		report(s, "STOP", "\033[1;33m", what, "      interrupted");
		s->failed++;
	} else if (e.why.len) {
		report(s, "FAIL", "\033[1;31m", what, e.why.buf);
		s->failed++;
	} else {
		report(s, "PASS", "\033[1;32m", what, NULL);
		s->passed++;
	}
out:
	sb_free(&e.why);
	json_decref(conf);
	free(what);
}

static void run_problem(struct suite *s, const struct judge_env *env,
			const struct problem_entry *pe)
{
	char *tests = path_join(pe->dir, "tests");
	size_t n;
	char **names = is_dir(tests) ? list_dir(tests, &n) : NULL;
	for (size_t i = 0; names && names[i] && !s->interrupted; i++) {
		char *dir = path_join(tests, names[i]);
		if (is_dir(dir) && re_match(s->case_re, names[i]))
			run_test(s, env, pe->code, dir, names[i]);
		free(dir);
	}
	strv_free(names);
	free(tests);
}

static pcre2_code *compile_re(const char *re, const char *what)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *c =
	    pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &code, &off, NULL);
	if (!c) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof(msg));
		die(2, "testsuite: %s %s: %s at offset %zu", what, re, (const char *)msg,
		    (size_t)off);
	}
	return c;
}

static int by_code(const void *a, const void *b)
{
	return strcmp(((const struct problem_entry *)a)->code,
		      ((const struct problem_entry *)b)->code);
}

int cmd_testsuite(struct config *cfg, int argc, char **argv, bool ansi)
{
	if (argc < 2 || argc > 4 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fprintf(argc < 2 || argc > 4 ? stderr : stdout,
			"usage: judge [-c FILE] testsuite DIR [PROBLEM_REGEX [CASE_REGEX]]\n");
		return argc < 2 || argc > 4 ? 2 : 0;
	}
	struct suite s = {.cfg = cfg, .ansi = ansi, .sigfd = -1};
	char *root = realpath(argv[1], NULL);
	if (!root || !is_dir(root)) {
		fprintf(stderr, "judge: testsuite: %s is not a folder\n", argv[1]);
		free(root);
		return 2;
	}
	s.problem_re = argc > 2 ? compile_re(argv[2], "PROBLEM_REGEX") : NULL;
	s.case_re = argc > 3 ? compile_re(argv[3], "CASE_REGEX") : NULL;
	char *globs[] = {root, NULL};
	char err[ERR_SIZE];
	int ret = 1;
	if (problem_discover(globs, &s.problems, err, sizeof(err)) < 0) {
		fprintf(stderr, "judge: testsuite: %s: %s\n", root, err);
		goto out;
	}
	qsort(s.problems.items, s.problems.n, sizeof(*s.problems.items), by_code);
	judge_setup_sandbox(cfg);
	judge_setup_executors(cfg, NULL, NULL, false, true);
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, &old);
	s.sigfd = signalfd(-1, &set, SFD_CLOEXEC);
	struct judge_env env = {cfg, &s.problems};
	for (size_t i = 0; i < s.problems.n && !s.interrupted; i++)
		if (re_match(s.problem_re, s.problems.items[i].code))
			run_problem(&s, &env, &s.problems.items[i]);
	if (s.skipped)
		printf("%d skipped\n", s.skipped);
	printf("%d passed, %d failed\n", s.passed, s.failed);
	ret = s.failed || s.interrupted ? 1 : 0;
	if (s.sigfd >= 0)
		close(s.sigfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	executors_free();
	problem_index_free(&s.problems);
out:
	pcre2_code_free(s.problem_re);
	pcre2_code_free(s.case_re);
	free(root);
	return ret;
}
