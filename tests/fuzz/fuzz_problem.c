/*
 * Fuzzes problem loading: the input is written as init.yml into a problem
 * folder and problem_load reads it, as the judge does for every
 * submission. The folder also holds what the examples in tests/problems/
 * refer to (case files, checker and generator sources, a signature
 * grader's files, and data.zip, cases.zip and tests.zip with the
 * examples' member names), so that mutations of those examples get past
 * "file does not exist" into the rest of the parser.
 *
 * A problem that loads is then used the way the grader starts a grading:
 * each case's built-in checker is looked up and its arguments validated,
 * and each case's data files are looked for and read.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "judge/checkers/checkers.h"
#include "problems/problems.h"
#include "tests/fuzz/harness.h"

static char *dir;

static const char *const folder_files[] = {
    "1.in",	"1.out",    "2.in",	 "2.out",	"0.in",		 "0.out",
    "fixed.in", "seed.txt", "checker.c", "checker.cpp", "checklib.h",	 "checker.py",
    "exact.py", "gen.cpp",  "entry.c",	 "adder.h",	"interactor.cpp"};
static const char *const members[] = {
    "sum.1.in",	     "sum.1.out",      "sum.2.in",    "sum.2.out",   "sum.3.1.in",
    "sum.3.1.out",   "sum.3.2.in",     "sum.3.2.out", "input/1.txt", "output/1.txt",
    "input/3-1.txt", "output/3-1.txt", "README",      "batch1/1.in", "batch1/1.out"};

static void make_archive(const char *name)
{
	char *path = path_join(dir, name);
	int zerr;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	if (!z)
		fuzz_fail("cannot create %s", path);
	for (size_t i = 0; i < ARRAY_LEN(members); i++) {
		zip_source_t *s = zip_source_buffer(z, "1 2\n", 4, 0);
		if (!s || zip_file_add(z, members[i], s, 0) < 0)
			fuzz_fail("cannot add %s to %s", members[i], path);
	}
	if (zip_close(z) < 0)
		fuzz_fail("cannot write %s", path);
	free(path);
}

static void setup(void)
{
	dir = path_join(fuzz_scratch(), "problem");
	if (mkdir(dir, 0755) < 0)
		fuzz_fail("mkdir %s", dir);
	for (size_t i = 0; i < ARRAY_LEN(folder_files); i++)
		fuzz_write(dir, folder_files[i], "3\n", 2);
	make_archive("data.zip");
	make_archive("cases.zip");
	make_archive("tests.zip");
}

static void use_case(const struct problem *p, const struct problem_case *pc)
{
	char err[ERR_SIZE];
	if (!pc->checker.name || !json_is_object(pc->checker.args))
		fuzz_fail("a case without a checker name or arguments");
	const struct checker_def *c = checker_find(pc->checker.name);
	if (c)
		checker_validate(c, pc->checker.args, err, sizeof(err));
	const char *files[] = {pc->in, pc->out, pc->generator_in};
	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		char *data;
		size_t len;
		if (files[i] && problem_has_data(p, files[i]) &&
		    problem_read_data(p, files[i], pc->binary_data, &data, &len, err,
				      sizeof(err)) == 0)
			free(data);
	}
}

static void use_tests(const struct problem *p, const struct problem_tests *t)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct problem_unit *u = &t->units[i];
		if (!u->ncases)
			fuzz_fail("unit %zu has no cases", i + 1);
		for (size_t d = 0; d < u->ndeps; d++)
			if (u->deps[d] < 1 || u->deps[d] >= u->batch_no)
				fuzz_fail("batch %d depends on batch %d", u->batch_no, u->deps[d]);
		for (size_t j = 0; j < u->ncases; j++)
			use_case(p, &u->cases[j]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir)
		setup();
	fuzz_write(dir, "init.yml", data, size);
	struct problem *p;
	char err[ERR_SIZE];
	if (problem_load("problem", dir, &p, err, sizeof(err)) < 0)
		return 0;
	if (!p->tests.n)
		fuzz_fail("a problem loaded without test cases");
	use_tests(p, &p->tests);
	use_tests(p, &p->pretests);
	problem_free(p);
	return 0;
}
