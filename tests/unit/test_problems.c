/*
 * Unit tests of the problems module: init.yml parsing (good and broken
 * files, inheritance, batches, pretests, generators, interactors, bridged
 * checkers, signature graders, file_io, symlinks), cases derived from
 * archive file names, data normalisation, reading and streaming, and
 * discovery through globs with `**`. Each test writes real files (and zip
 * archives, with libzip) into a scratch folder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "common/common.h"
#include "common/yml.h"
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

/* Writes dir/name as a zip archive holding names[i] -> texts[i]. */
static void put_zip(const char *dir, const char *name, const char *const *names,
		    const char *const *texts, size_t n)
{
	put(dir, ".keep", "");
	char *d = path_join(scratch, dir);
	char *path = path_join(d, name);
	int zerr;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	assert_non_null(z);
	for (size_t i = 0; i < n; i++) {
		zip_source_t *src = zip_source_buffer(z, texts[i], strlen(texts[i]), 0);
		assert_non_null(src);
		assert_true(zip_file_add(z, names[i], src, ZIP_FL_ENC_UTF_8) >= 0);
	}
	assert_int_equal(zip_close(z), 0);
	free(path);
	free(d);
}

/* The in/out names of a derived unit's case j. */
static void assert_case(const struct problem_unit *u, size_t j, const char *in, const char *out)
{
	assert_true(j < u->ncases);
	if (in)
		assert_string_equal(u->cases[j].in, in);
	else
		assert_null(u->cases[j].in);
	if (out)
		assert_string_equal(u->cases[j].out, out);
	else
		assert_null(u->cases[j].out);
}

static void test_archive_default_patterns(void **state)
{
	/* DMOJ's verified examples: batch and case numbers from the names,
	 * sorted numerically, inputs and outputs paired */
	const char *names[] = {"aplusb.10.in", "aplusb.10.out", "aplusb.9.in", "aplusb.9.out",
			       "foo.2.3.in",   "foo.2.3.out",	"foo.2.1.in",  "foo.2.1.out",
			       "in7.txt",      "out7.txt",	"readme.md",   "tle16p4.p0.in",
			       "s1.12.in",     "sub1/case13.in"};
	const char *texts[ARRAY_LEN(names)];
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		texts[i] = "1\n";
	put_zip("derive", "data.zip", names, texts, ARRAY_LEN(names));
	struct problem *p = load_ok("derive", "archive: data.zip\npoints: 3\n");
	/* 0 (tle16p4.p0), batch 2, 7, 9, 10, 12 (s1.12), 13 (sub1/case13) */
	assert_int_equal(p->tests.n, 7);
	assert_case(&p->tests.units[0], 0, "tle16p4.p0.in", NULL);
	const struct problem_unit *b = &p->tests.units[1];
	assert_true(b->batched);
	assert_int_equal(b->batch_no, 1);
	assert_int_equal(b->ncases, 2);
	assert_case(b, 0, "foo.2.1.in", "foo.2.1.out");
	assert_case(b, 1, "foo.2.3.in", "foo.2.3.out");
	assert_case(&p->tests.units[2], 0, "in7.txt", "out7.txt");
	assert_case(&p->tests.units[3], 0, "aplusb.9.in", "aplusb.9.out");
	assert_case(&p->tests.units[4], 0, "aplusb.10.in", "aplusb.10.out");
	/* a batch number needs a non-word character before it */
	assert_false(p->tests.units[5].batched);
	assert_case(&p->tests.units[5], 0, "s1.12.in", NULL);
	assert_case(&p->tests.units[6], 0, "sub1/case13.in", NULL);
	/* case_points absent: the top-level points, for cases and batches */
	assert_true(p->tests.units[0].points == 3);
	assert_true(b->points == 3 && b->cases[1].points == 3);
	problem_free(p);
}

static void test_archive_formats_and_case_points(void **state)
{
	const char *names[] = {"in/b-2.txt", "ans/b-2.txt", "in/a.txt",	 "ans/a.txt",
			       "in/3-1.txt", "ans/3-1.txt", "in/3-2.txt"};
	const char *texts[] = {"1", "2", "3", "4", "5", "6", "7"};
	put_zip("formats", "cases.zip", names, texts, ARRAY_LEN(names));
	struct problem *p = load_ok(
	    "formats", "archive: cases.zip\n"
		       "test_cases:\n"
		       "  input_format: '^IN/(?:(?P<batch>\\d+)-)?(?P<case>[a-z0-9-]+)\\.txt$'\n"
		       "  output_format: '^ans/(?:(?P<batch>\\d+)-)?(?P<case>[a-z0-9-]+)\\.txt$'\n"
		       "  case_points: [10, 20, 30, 40]\n");
	/* text ids first (a, b-2), then numbers (batch 3); matched without
	 * regard to case, as DMOJ compiles them */
	assert_int_equal(p->tests.n, 3);
	assert_case(&p->tests.units[0], 0, "in/a.txt", "ans/a.txt");
	assert_true(p->tests.units[0].points == 10);
	assert_case(&p->tests.units[1], 0, "in/b-2.txt", "ans/b-2.txt");
	assert_true(p->tests.units[2].batched);
	assert_true(p->tests.units[2].points == 30);
	assert_case(&p->tests.units[2], 0, "in/3-1.txt", "ans/3-1.txt");
	assert_case(&p->tests.units[2], 1, "in/3-2.txt", NULL);
	problem_free(p);

	const char *e = load_bad("formats", "archive: cases.zip\n"
					    "test_cases: {input_format: 'zzz(?P<case>\\d)'}\n");
	assert_non_null(strstr(e, "input_format"));
	assert_non_null(strstr(e, "match"));
	e = load_bad("formats", "archive: cases.zip\ntest_cases: {case_points: [1]}\n");
	assert_non_null(strstr(e, "case_points"));
	e = load_bad("formats", "archive: cases.zip\ntest_cases: {input_pattern: x}\n");
	assert_non_null(strstr(e, "input_pattern"));
	put("formats", "bad.zip", "this is not a zip archive");
	e = load_bad("formats", "archive: bad.zip\n");
	assert_non_null(strstr(e, "bad archive"));
	e = load_bad("noarch", "test_cases: {input_format: x}\n");
	assert_non_null(strstr(e, "archive"));
}

static void test_programs(void **state)
{
	struct problem *p = load_ok(
	    "programs", "generator: {source: [gen.cpp, gen.h], flags: [-DX], args: [1, a],\n"
			"            time_limit: 2.5, memory_limit: 1024, language: CPP17}\n"
			"interactive: {files: i.cpp, type: testlib, preprocessing_time: 1}\n"
			"checker:\n"
			"  name: bridged\n"
			"  args: {files: c.c, type: peg, args_format_string: '{answer_file}'}\n"
			"test_cases:\n"
			"- {in: a, generator_args: [5]}\n"
			"- {in: b, generator: g2.c, checker: x.py}\n");
	const struct problem_case *a = &p->tests.units[0].cases[0];
	const struct problem_case *b = &p->tests.units[1].cases[0];
	const struct problem_program *g = a->generator;
	assert_non_null(g);
	assert_string_equal(g->files[0], "gen.cpp");
	assert_string_equal(g->files[1], "gen.h");
	assert_string_equal(g->flags[0], "-DX");
	assert_string_equal(g->lang, "CPP17");
	assert_true(g->time_limit == 2.5 && g->memory_limit == 1024);
	assert_int_equal(json_array_size(g->args), 2);
	assert_int_equal(json_integer_value(json_array_get(a->generator_args, 0)), 5);
	/* a case's own generator */
	assert_string_equal(b->generator->files[0], "g2.c");
	assert_true(b->checker.python);
	const struct problem_program *c = a->checker.bridged;
	assert_non_null(c);
	assert_string_equal(c->type, "peg");
	assert_string_equal(c->args_format, "{answer_file}");
	assert_true(c->feedback); /* checkers' default */
	assert_int_equal(c->flags[0], NULL);
	const struct problem_program *i = p->interactive;
	assert_string_equal(i->type, "testlib");
	assert_true(i->preprocessing_time == 1);
	assert_false(i->feedback);
	assert_true(i->unbuffered);
	problem_free(p);

	const char *e;
	e = load_bad("programs", "generator: {flags: [-O2]}\ntest_cases: [{in: a}]\n");
	assert_non_null(strstr(e, "source"));
	e = load_bad("programs", "generator: {source: g.c, seed: 4}\ntest_cases: [{in: a}]\n");
	assert_non_null(strstr(e, "seed"));
	e = load_bad("programs", "interactive: {files: i.c, type: peg}\ntest_cases: [{in: a}]\n");
	assert_non_null(strstr(e, "peg"));
	e = load_bad("programs", "checker: bridged\ntest_cases: [{in: a}]\n");
	assert_non_null(strstr(e, "files"));
	e = load_bad("programs", "checker: {name: bridged, args: {files: c.c, time_limit: -1}}\n"
				 "test_cases: [{in: a}]\n");
	assert_non_null(strstr(e, "checker.args.time_limit"));
}

static void test_signature_file_io_symlinks(void **state)
{
	struct problem *p =
	    load_ok("fio", "file_io: {input: a.in, output: a.out}\n"
			   "symlinks: {data: /usr/share/dict}\n"
			   "signature_grader: {entry: e.c, header: h.h, allow_main: yes}\n"
			   "test_cases:\n"
			   "- {in: a}\n"
			   "- {in: b, symlinks: {other: x}}\n");
	assert_string_equal(p->file_io->input, "a.in");
	assert_string_equal(p->file_io->output, "a.out");
	assert_true(p->signature->allow_main);
	assert_string_equal(
	    json_string_value(json_object_get(p->tests.units[0].cases[0].symlinks, "data")),
	    "/usr/share/dict");
	assert_int_equal(json_object_size(p->tests.units[1].cases[0].symlinks), 1);
	problem_free(p);
	const char *e;
	e = load_bad("fio", "file_io: {input: ../x}\ntest_cases: [{in: a}]\n");
	assert_non_null(strstr(e, "file_io"));
	e = load_bad("fio", "symlinks: {../x: y}\ntest_cases: [{in: a}]\n");
	assert_non_null(strstr(e, "outside"));
	e = load_bad("fio", "signature_grader: {entry: e.c}\ntest_cases: [{in: a}]\n");
	assert_non_null(strstr(e, "header"));
	e = load_bad("fio", "signature_grader: {entry: e.c, header: h.h, main: 1}\n"
			    "test_cases: [{in: a}]\n");
	assert_non_null(strstr(e, "`main`"));
}

/* A repeated key means its last value, at every level, as PyYAML reads it
 * for DMOJ (the top level took the first, nested mappings leaked one); an
 * empty key is an unsupported key (it was read one byte before its
 * start). */
static void test_repeated_and_empty_keys(void **state)
{
	struct problem *p =
	    load_ok("rep", "output_prefix_length: 1\n"
			   "output_prefix_length: 5\n"
			   "file_io: {input: a.in, input: b.in, output: o.out, output: p.out}\n"
			   "test_cases:\n"
			   "- {in: a, points: 1, points: 7}\n");
	const struct problem_case *pc = &p->tests.units[0].cases[0];
	assert_int_equal(pc->output_prefix_length, 5);
	assert_true(pc->points == 7);
	assert_string_equal(p->file_io->input, "b.in");
	assert_string_equal(p->file_io->output, "p.out");
	problem_free(p);
	const char *e = load_bad("rep", "\"\": 1\ntest_cases: [{in: a}]\n");
	assert_non_null(strstr(e, "unsupported key"));
}

static void test_normalise_in_pieces(void **state)
{
	/* any cut into chunks gives what normalising the whole gives */
	const char *text = "a\r\nb\r\rc\n\r\nd\re";
	size_t n = strlen(text), want_len;
	char *want = problem_normalise(text, n, &want_len);
	for (size_t cut = 0; cut <= n; cut++) {
		struct problem_normaliser st = {0};
		char out[64];
		size_t len = problem_normalise_chunk(&st, text, cut, out);
		len += problem_normalise_chunk(&st, text + cut, n - cut, out + len);
		len += problem_normalise_end(&st, out + len);
		assert_int_equal(len, want_len);
		assert_memory_equal(out, want, len);
	}
	free(want);
}

static void test_stream_from_archive(void **state)
{
	/* a member bigger than the copy's chunk, \r\n everywhere (so some
	 * pairs straddle two chunks), streamed into a file */
	size_t lines = 100000;
	struct strbuf big = STRBUF_INIT;
	for (size_t i = 0; i < lines; i++)
		sb_addf(&big, "%zu\r\n", i);
	const char *names[] = {"big.in"};
	const char *texts[] = {big.buf};
	put_zip("stream", "data.zip", names, texts, 1);
	struct problem *p = load_ok("stream", "archive: data.zip\ntest_cases: [{in: big.in}]\n");
	char *path = path_join(scratch, "stream-out");
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	char err[512];
	assert_int_equal(problem_copy_data(p, "big.in", false, fd, err, sizeof(err)), 0);
	const char *data;
	size_t len;
	assert_int_equal(map_fd(fd, &data, &len, err, sizeof(err)), 0);
	size_t want_len;
	char *want = problem_normalise(big.buf, big.len, &want_len);
	assert_int_equal(len, big.len - lines);
	assert_int_equal(len, want_len);
	assert_memory_equal(data, want, len);
	unmap_fd(data, len);
	/* binary: byte for byte */
	assert_int_equal(ftruncate(fd, 0), 0);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(problem_copy_data(p, "big.in", true, fd, err, sizeof(err)), 0);
	assert_int_equal(map_fd(fd, &data, &len, err, sizeof(err)), 0);
	assert_int_equal(len, big.len);
	assert_memory_equal(data, big.buf, len);
	unmap_fd(data, len);
	assert_true(problem_has_data(p, "big.in"));
	assert_false(problem_has_data(p, "small.in"));
	assert_int_equal(problem_copy_data(p, "small.in", false, fd, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "small.in"));
	assert_non_null(strstr(err, "data.zip"));
	close(fd);
	free(want);
	free(path);
	sb_free(&big);
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
	    cmocka_unit_test(test_archive_default_patterns),
	    cmocka_unit_test(test_archive_formats_and_case_points),
	    cmocka_unit_test(test_programs),
	    cmocka_unit_test(test_signature_file_io_symlinks),
	    cmocka_unit_test(test_repeated_and_empty_keys),
	    cmocka_unit_test(test_normalise_in_pieces),
	    cmocka_unit_test(test_stream_from_archive),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
