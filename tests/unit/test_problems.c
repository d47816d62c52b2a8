/*
 * Unit tests of the problems module: init.yml parsing (good and broken
 * files, inheritance, batches, pretests), data normalisation and reading,
 * and discovery through globs with `**`. Each test writes real files into
 * a scratch folder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/common.h"
#include "problems/problems.h"

static char *scratch;

static int setup(void **state)
{
	char err[256];
	scratch = make_temp_dir("/tmp", "judge-unit-problems", err, sizeof(err));
	return scratch ? 0 : -1;
}

static int teardown(void **state)
{
	rm_rf(scratch);
	free(scratch);
	return 0;
}

/* Writes dir/name (creating dir) under the scratch folder. */
static void put(const char *dir, const char *name, const char *text)
{
	char *d = path_join(scratch, dir);
	char *cmd = xasprintf("mkdir -p '%s'", d);
	assert_int_equal(system(cmd), 0);
	char *p = path_join(d, name);
	char err[256];
	assert_int_equal(write_file(p, text, strlen(text), 0644, err, sizeof(err)), 0);
	free(cmd);
	free(p);
	free(d);
}

static struct problem *load_ok(const char *code, const char *init)
{
	put(code, "init.yml", init);
	char *dir = path_join(scratch, code);
	struct problem *p = NULL;
	char err[1024] = "";
	int rc = problem_load(code, dir, &p, err, sizeof(err));
	if (rc != 0)
		fail_msg("problem_load failed: %s", err);
	free(dir);
	return p;
}

/* Loads a broken init.yml; returns the error message (static buffer). */
static const char *load_bad(const char *code, const char *init)
{
	static char err[1024];
	put(code, "init.yml", init);
	char *dir = path_join(scratch, code);
	struct problem *p = NULL;
	err[0] = '\0';
	assert_int_equal(problem_load(code, dir, &p, err, sizeof(err)), -1);
	assert_null(p);
	assert_true(err[0] != '\0');
	free(dir);
	return err;
}

static void test_simple_cases_and_defaults(void **state)
{
	struct problem *p = load_ok("simple", "test_cases:\n"
					      "- {in: a.in, out: a.out, points: 5}\n"
					      "- {in: b.in, out: b.out}\n");
	assert_int_equal(p->tests.n, 2);
	assert_false(p->tests.units[0].batched);
	assert_string_equal(p->tests.units[0].cases[0].in, "a.in");
	assert_string_equal(p->tests.units[0].cases[0].out, "a.out");
	assert_true(p->tests.units[0].points == 5);
	/* defaults from problems.md */
	struct problem_case *c = &p->tests.units[1].cases[0];
	assert_true(c->points == 1);
	assert_int_equal(c->output_prefix_length, 64);
	assert_int_equal(c->output_limit_length, 25165824);
	assert_true(c->wall_time_factor == 3);
	assert_false(c->binary_data);
	assert_string_equal(c->checker.name, "standard");
	assert_int_equal(json_object_size(c->checker.args), 0);
	assert_false(p->has_pretests);
	problem_free(p);
}

static void test_inheritance(void **state)
{
	struct problem *p =
	    load_ok("inherit", "checker: {name: floats, args: {precision: 3}}\n"
			       "output_prefix_length: 10\n"
			       "points: 7\n"
			       "test_cases:\n"
			       "- {in: a.in, out: a.out}\n"
			       "- points: 20\n"
			       "  checker: identical\n"
			       "  output_prefix_length: 5\n"
			       "  batched:\n"
			       "  - {in: b.in, out: b.out}\n"
			       "  - {in: c.in, out: c.out, output_prefix_length: 1}\n"
			       "- {in: d.in, out: d.out, checker: ~}\n");
	struct problem_case *a = &p->tests.units[0].cases[0];
	assert_string_equal(a->checker.name, "floats");
	assert_int_equal(json_integer_value(json_object_get(a->checker.args, "precision")), 3);
	assert_int_equal(a->output_prefix_length, 10);
	assert_true(a->points == 7);
	struct problem_unit *b = &p->tests.units[1];
	assert_true(b->batched);
	assert_int_equal(b->batch_no, 1);
	assert_true(b->points == 20);
	assert_int_equal(b->ncases, 2);
	/* batch keys are defaults for its cases, a case's own keys win */
	assert_string_equal(b->cases[0].checker.name, "identical");
	assert_int_equal(b->cases[0].output_prefix_length, 5);
	assert_int_equal(b->cases[1].output_prefix_length, 1);
	/* batched cases report the batch's points as their total */
	assert_true(b->cases[0].points == 20);
	/* null is not inherited: the default applies */
	assert_string_equal(p->tests.units[2].cases[0].checker.name, "standard");
	problem_free(p);
}

static void test_batches_dependencies_and_pretests(void **state)
{
	struct problem *p = load_ok("deps", "pretest_test_cases:\n"
					    "- {in: p.in, out: p.out}\n"
					    "- batched: [{in: q.in, out: q.out}]\n"
					    "  points: 1\n"
					    "test_cases:\n"
					    "- batched: [{in: a.in, out: a.out}]\n"
					    "  points: 10\n"
					    "- batched: [{in: b.in, out: b.out}]\n"
					    "  points: 10\n"
					    "  dependencies: [1, 2]\n");
	assert_true(p->has_pretests);
	assert_int_equal(p->pretests.n, 2);
	/* batches are numbered across both lists, pretests first */
	assert_int_equal(p->pretests.units[1].batch_no, 1);
	assert_int_equal(p->tests.units[0].batch_no, 2);
	assert_int_equal(p->tests.units[1].batch_no, 3);
	assert_int_equal(p->tests.units[1].ndeps, 2);
	assert_int_equal(p->tests.units[1].deps[0], 1);
	assert_int_equal(p->tests.units[1].deps[1], 2);
	problem_free(p);
}

static void test_signature_grader_prefix_default(void **state)
{
	struct problem *p = load_ok("sig", "signature_grader: {entry: e.c, header: h.h}\n"
					   "test_cases: [{in: a.in, out: a.out}]\n");
	assert_int_equal(p->tests.units[0].cases[0].output_prefix_length, 0);
	assert_non_null(p->signature);
	assert_string_equal(p->signature->entry, "e.c");
	assert_false(p->signature->allow_main);
	problem_free(p);
}

static void test_yaml_1_1_scalars(void **state)
{
	struct problem *p =
	    load_ok("scalars", "binary_data: yes\n"
			       "test_cases:\n"
			       "- {in: a.in, out: a.out, points: 0x10, binary_data: off}\n"
			       "- {in: b.in, out: b.out, points: 2.5}\n");
	assert_true(p->tests.units[0].cases[0].points == 16);
	assert_false(p->tests.units[0].cases[0].binary_data);
	assert_true(p->tests.units[1].cases[0].binary_data);
	assert_true(p->tests.units[1].cases[0].points == 2.5);
	problem_free(p);
}

static void test_broken_files(void **state)
{
	const char *e;
	e = load_bad("syntax", "test_cases: [ {in: a\n - x\n");
	assert_non_null(strstr(e, "init.yml"));
	assert_non_null(strstr(e, "YAML"));
	e = load_bad("empty", "");
	assert_non_null(strstr(e, "empty"));
	e = load_bad("notmap", "- a\n- b\n");
	assert_non_null(strstr(e, "mapping"));
	e = load_bad("nocases", "checker: standard\n");
	assert_non_null(strstr(e, "test_cases"));
	e = load_bad("emptylist", "test_cases: []\n");
	assert_non_null(strstr(e, "empty"));
	e = load_bad("badpoints", "test_cases:\n- {in: a, out: b, points: many}\n");
	assert_non_null(strstr(e, "init.yml:2"));
	assert_non_null(strstr(e, "points"));
	e = load_bad("unknown", "test_cases: [{in: a, out: b}]\nfoo: 1\n");
	assert_non_null(strstr(e, "`foo`"));
	assert_non_null(strstr(e, "init.yml:2"));
	e = load_bad("unknowncase", "test_cases: [{in: a, out: b, bar: 1}]\n");
	assert_non_null(strstr(e, "`bar`"));
	e = load_bad("nested", "test_cases:\n- batched:\n  - batched: [{in: a}]\n");
	assert_non_null(strstr(e, "nested"));
	e = load_bad("laterdep", "test_cases:\n- {batched: [{in: a}], dependencies: [1]}\n");
	assert_non_null(strstr(e, "not an earlier batch"));
	e = load_bad("zerodep", "test_cases:\n- {batched: [{in: a}]}\n"
				"- {batched: [{in: a}], dependencies: [0]}\n");
	assert_non_null(strstr(e, "start at 1"));
	e = load_bad("casedep", "test_cases:\n- {in: a, dependencies: [1]}\n");
	assert_non_null(strstr(e, "only batches"));
	e = load_bad("emptybatch", "test_cases:\n- {batched: [], points: 3}\n");
	assert_non_null(strstr(e, "batched"));
	e = load_bad("customjudge", "custom_judge: x.py\ntest_cases: [{in: a}]\n");
	assert_non_null(strstr(e, "custom_judge (Python grader) is not supported"));
	e = load_bad("noarchive", "archive: data.zip\ntest_cases: [{in: a}]\n");
	assert_non_null(strstr(e, "data.zip"));
	e = load_bad("checkermember", "checker: {name: floats, prec: 3}\ntest_cases: [{in: a}]\n");
	assert_non_null(strstr(e, "prec"));
	e = load_bad("pykey", "test_cases: [{in: a}]\npoints+: 1 + 1\n");
	assert_non_null(strstr(e, "points+"));
	e = load_bad("wtf", "wall_time_factor: 0\ntest_cases: [{in: a}]\n");
	assert_non_null(strstr(e, "wall_time_factor"));
}

static void test_normalise(void **state)
{
	struct {
		const char *in, *out;
	} cases[] = {
	    {"", ""},		{"a", "a\n"},
	    {"a\n", "a\n"},	{"a\r\nb\r\n", "a\nb\n"},
	    {"a\rb", "a\nb\n"}, {"a\r\r\nb", "a\n\nb\n"},
	    {"\r", "\n"},	{"1 2\n\n", "1 2\n\n"},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		size_t n;
		char *o = problem_normalise(cases[i].in, strlen(cases[i].in), &n);
		assert_int_equal(n, strlen(cases[i].out));
		assert_memory_equal(o, cases[i].out, n);
		free(o);
	}
}

static void test_read_data(void **state)
{
	put("data", "in.txt", "1 2\r\n3 4");
	put("data", "bin.dat", "x\r\ny");
	struct problem *p = load_ok("data", "test_cases: [{in: in.txt}]\n");
	char *d, err[512];
	size_t n;
	assert_int_equal(problem_read_data(p, "in.txt", false, &d, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 8);
	assert_memory_equal(d, "1 2\n3 4\n", 8);
	free(d);
	assert_int_equal(problem_read_data(p, "bin.dat", true, &d, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 4);
	assert_memory_equal(d, "x\r\ny", 4);
	free(d);
	/* no name: empty data */
	assert_int_equal(problem_read_data(p, NULL, false, &d, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 0);
	free(d);
	assert_int_equal(problem_read_data(p, "missing.txt", false, &d, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "missing.txt"));
	assert_non_null(strstr(err, "data"));
	/* names may not lead out of the problem folder */
	put("secret", "answer.out", "hidden");
	assert_int_equal(
	    problem_read_data(p, "../secret/answer.out", false, &d, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "outside"));
	assert_int_equal(problem_read_data(p, "/etc/hostname", false, &d, &n, err, sizeof(err)),
			 -1);
	problem_free(p);
}

static bool has(const struct problem_index *idx, const char *code)
{
	return problem_index_find(idx, code) != NULL;
}

static void test_discover(void **state)
{
	put("tree/a/p1", "init.yml", "x: 1\n");
	put("tree/a/p2", "init.yml", "x: 1\n");
	put("tree/b/deep/er/p3", "init.yml", "x: 1\n");
	put("tree/b/notaproblem", "readme", "x\n");
	put("tree/c/p1", "init.yml", "x: 1\n"); /* duplicate code */
	put("other/p4", "init.yml", "x: 1\n");
	char *g1 = xasprintf("%s/tree/**", scratch);
	char *g2 = xasprintf("%s/other", scratch);
	char *globs[] = {g1, g2, NULL};
	struct problem_index idx;
	char err[256];
	assert_int_equal(problem_discover(globs, &idx, err, sizeof(err)), 0);
	assert_true(has(&idx, "p1"));
	assert_true(has(&idx, "p2"));
	assert_true(has(&idx, "p3"));
	assert_true(has(&idx, "p4"));
	assert_false(has(&idx, "notaproblem"));
	assert_int_equal(idx.n, 4);
	/* the first folder in a sorted walk wins */
	assert_non_null(strstr(problem_index_find(&idx, "p1")->dir, "/tree/a/p1"));
	assert_true(problem_index_find(&idx, "p4")->mtime > 0);
	problem_index_free(&idx);

	/* a single-level wildcard does not recurse */
	char *g3 = xasprintf("%s/tree/*", scratch);
	char *globs2[] = {g3, NULL};
	assert_int_equal(problem_discover(globs2, &idx, err, sizeof(err)), 0);
	assert_true(has(&idx, "p1"));
	assert_false(has(&idx, "p3"));
	problem_index_free(&idx);
	free(g1);
	free(g2);
	free(g3);
}

int main(void)
{
	log_setup("unit", false, false);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_simple_cases_and_defaults),
	    cmocka_unit_test(test_inheritance),
	    cmocka_unit_test(test_batches_dependencies_and_pretests),
	    cmocka_unit_test(test_signature_grader_prefix_default),
	    cmocka_unit_test(test_yaml_1_1_scalars),
	    cmocka_unit_test(test_broken_files),
	    cmocka_unit_test(test_normalise),
	    cmocka_unit_test(test_read_data),
	    cmocka_unit_test(test_discover),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
