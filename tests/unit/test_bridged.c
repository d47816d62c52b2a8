/*
 * Unit tests of bridged checkers' and interactors' conventions: the
 * argument lists args_format_string gives (quoted and split as Python's
 * shlex does) and the reading of exit codes, stdout and stderr by type
 * (default, testlib, coci, peg), including every way a helper can fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "judge/checkers/bridged.h"
#include "judge/helpers/helpers.h"

static struct problem_program program(const char *type, const char *format)
{
	static char *flags[] = {NULL};
	return (struct problem_program){.type = (char *)type,
					.args_format = (char *)format,
					.feedback = true,
					.flags = flags,
					.key = "checker"};
}

static void assert_argv(char **v, const char *const *want, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		assert_non_null(v[i]);
		assert_string_equal(v[i], want[i]);
	}
	assert_null(v[n]);
	strv_free(v);
}

static void test_default_orders(void **state)
{
	struct problem_program p = program("default", NULL);
	const char *std[] = {"/d/in", "/d/out", "/d/ans"};
	assert_argv(bridged_args(&p, BRIDGED_CHECKER, "/d/in", "/d/out", "/d/ans"), std, 3);
	const char *inter[] = {"/d/in", "/d/ans"};
	assert_argv(bridged_args(&p, BRIDGED_INTERACTOR, "/d/in", "/d/out", "/d/ans"), inter, 2);
	p.type = "testlib";
	assert_argv(bridged_args(&p, BRIDGED_INTERACTOR, "/d/in", "/d/out", "/d/ans"), std, 3);
	p.type = "peg";
	const char *peg[] = {"/d/ans", "/d/out", "/d/in"};
	assert_argv(bridged_args(&p, BRIDGED_CHECKER, "/d/in", "/d/out", "/d/ans"), peg, 3);
}

static void test_format_quoting_and_splitting(void **state)
{
	/* a path with a space and a quote stays one argument; literal words,
	 * quotes and braces of the format are the shell's and Python's */
	struct problem_program p =
	    program("default", "--in={input_file} 'two words' \"a\\\"b\" {{x}} {answer_file}");
	const char *want[] = {"--in=/d/my in'put", "two words", "a\"b", "{x}", "/d/ans"};
	assert_argv(bridged_args(&p, BRIDGED_CHECKER, "/d/my in'put", "/d/out", "/d/ans"), want, 5);
	char err[256];
	assert_int_equal(bridged_check_format(&p, BRIDGED_CHECKER, err, sizeof(err)), 0);
	p.args_format = "{input_file} {input}";
	assert_int_equal(bridged_check_format(&p, BRIDGED_CHECKER, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "placeholder"));
	p.args_format = "{input_file} 'unclosed";
	assert_int_equal(bridged_check_format(&p, BRIDGED_CHECKER, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "quote"));
	p.args_format = "{input_file} }";
	assert_int_equal(bridged_check_format(&p, BRIDGED_CHECKER, err, sizeof(err)), -1);
}

/* Reads a finished run the way the grader does. Returns bridged_result's
 * value; res and err are filled. */
static int read_run(const char *type, enum bridged_role role, int code, int sig, const char *out,
		    const char *errs, double points, struct checker_result *res, char *err)
{
	struct problem_program p = program(type, NULL);
	struct helper h = {.spec = &p, .label = "checker c.cpp"};
	struct sbx_result run = {.started = true, .exited = !sig, .exit_code = code, .signal = sig};
	return bridged_result(&h, role, &run, out, strlen(out), errs, strlen(errs), points, 2, 1024,
			      res, err, 512);
}

static void test_default_type(void **state)
{
	struct checker_result r;
	char err[512];
	assert_int_equal(read_run("default", BRIDGED_CHECKER, 0, 0, "fine", "", 10, &r, err), 0);
	assert_true(r.passed && r.points == 10);
	assert_string_equal(r.feedback, "fine");
	checker_result_free(&r);
	assert_int_equal(read_run("default", BRIDGED_CHECKER, 1, 0, "", "", 10, &r, err), 0);
	assert_false(r.passed);
	assert_true(r.points == 0);
	assert_null(r.feedback);
	assert_int_equal(read_run("default", BRIDGED_CHECKER, 2, 0, "", "", 10, &r, err), -1);
	assert_non_null(strstr(err, "checker exited with nonzero code 2"));
	assert_int_equal(read_run("default", BRIDGED_CHECKER, 0, SIGSEGV, "", "", 10, &r, err), -1);
	assert_non_null(strstr(err, "checker c.cpp"));
	assert_non_null(strstr(err, "exited with"));
}

static void test_testlib_type(void **state)
{
	struct checker_result r;
	char err[512];
	assert_int_equal(read_run("testlib", BRIDGED_CHECKER, 2, 0, "", "", 10, &r, err), 0);
	assert_false(r.passed);
	assert_string_equal(r.feedback, "Presentation Error");
	checker_result_free(&r);
	assert_int_equal(read_run("testlib", BRIDGED_CHECKER, 2, 0, "bad", "", 10, &r, err), 0);
	assert_string_equal(r.feedback, "bad");
	checker_result_free(&r);
	assert_int_equal(
	    read_run("testlib", BRIDGED_CHECKER, 7, 0, "", "partly\npoints 2.5\n", 10, &r, err), 0);
	assert_true(r.passed && r.points == 2.5);
	checker_result_free(&r);
	assert_int_equal(read_run("testlib", BRIDGED_CHECKER, 7, 0, "", "points 11", 10, &r, err),
			 -1);
	assert_non_null(strstr(err, "invalid partial points"));
	assert_int_equal(read_run("testlib", BRIDGED_CHECKER, 7, 0, "", "nothing", 10, &r, err),
			 -1);
	assert_non_null(strstr(err, "partial points"));
	assert_int_equal(read_run("testlib", BRIDGED_CHECKER, 3, 0, "", "no answer", 10, &r, err),
			 -1);
	assert_non_null(strstr(err, "failed assertion"));
	assert_non_null(strstr(err, "no answer"));
}

static void test_coci_type(void **state)
{
	struct checker_result r;
	char err[512];
	assert_int_equal(read_run("coci", BRIDGED_CHECKER, 7, 0, "", "partial 3/4\n", 20, &r, err),
			 0);
	assert_true(r.passed && r.points == 15);
	checker_result_free(&r);
	assert_int_equal(read_run("coci", BRIDGED_CHECKER, 7, 0, "", "partial 5/4\n", 20, &r, err),
			 -1);
	assert_non_null(strstr(err, "invalid fraction"));
	/* B must not be 0, and testlib's `points` line is not coci's */
	assert_int_equal(read_run("coci", BRIDGED_CHECKER, 7, 0, "", "partial 1/0\n", 20, &r, err),
			 -1);
	assert_int_equal(read_run("coci", BRIDGED_CHECKER, 7, 0, "", "points 3\n", 20, &r, err),
			 -1);
}

static void test_peg_type(void **state)
{
	struct checker_result r;
	char err[512];
	assert_int_equal(read_run("peg", BRIDGED_CHECKER, 1, 0, "noise\n 3 \n4\n", "", 8, &r, err),
			 0);
	assert_true(r.passed && r.points == 6);
	assert_null(r.feedback);
	checker_result_free(&r);
	assert_int_equal(read_run("peg", BRIDGED_CHECKER, 1, 0, "0\n4\n", "", 8, &r, err), 0);
	assert_false(r.passed);
	assert_int_equal(read_run("peg", BRIDGED_CHECKER, 0, 0, "", "", 8, &r, err), 0);
	assert_true(r.passed && r.points == 8);
	assert_int_equal(read_run("peg", BRIDGED_CHECKER, 2, 0, "", "", 8, &r, err), -1);
}

static void test_interactor_feedback_is_stderr(void **state)
{
	struct checker_result r;
	char err[512];
	assert_int_equal(
	    read_run("default", BRIDGED_INTERACTOR, 1, 0, "", "too many guesses", 5, &r, err), 0);
	assert_false(r.passed);
	assert_string_equal(r.feedback, "too many guesses");
	checker_result_free(&r);
}

static void test_helper_failures(void **state)
{
	char buf[256];
	struct sbx_result run = {.started = true, .tle = true};
	assert_true(
	    helper_failed(NULL, "generator", &run, 20, 4096, NULL, 0, true, buf, sizeof(buf)));
	assert_string_equal(buf, "generator timed out (> 20 seconds)");
	run = (struct sbx_result){.started = true, .mle = true};
	assert_true(
	    helper_failed(NULL, "checker", &run, 20, 4096, NULL, 0, true, buf, sizeof(buf)));
	assert_string_equal(buf, "checker ran out of memory (> 4096 KB)");
	run = (struct sbx_result){.started = true, .denied = true};
	snprintf(run.feedback, sizeof(run.feedback), "socket syscall disallowed");
	assert_true(
	    helper_failed(NULL, "checker", &run, 20, 4096, NULL, 0, true, buf, sizeof(buf)));
	assert_non_null(strstr(buf, "socket syscall disallowed"));
	run = (struct sbx_result){.started = true, .exited = true, .exit_code = 3};
	assert_true(helper_failed(NULL, "generator", &run, 1, 1, NULL, 0, true, buf, sizeof(buf)));
	assert_string_equal(buf, "generator exited with nonzero code 3");
	/* an exit code the caller reads itself is no failure */
	assert_false(helper_failed(NULL, "checker", &run, 1, 1, NULL, 0, false, buf, sizeof(buf)));
	run = (struct sbx_result){.started = true, .exited = true};
	assert_false(helper_failed(NULL, "checker", &run, 1, 1, NULL, 0, true, buf, sizeof(buf)));
}

int main(void)
{
	log_setup("unit", false, false);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_orders),
	    cmocka_unit_test(test_format_quoting_and_splitting),
	    cmocka_unit_test(test_default_type),
	    cmocka_unit_test(test_testlib_type),
	    cmocka_unit_test(test_coci_type),
	    cmocka_unit_test(test_peg_type),
	    cmocka_unit_test(test_interactor_feedback_is_stderr),
	    cmocka_unit_test(test_helper_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
