/*
 * Fuzzes the built-in checkers (judge/checkers/builtin.c) the way the
 * grader calls them: checker_find by name, checker_validate on the
 * init.yml arguments, checker_run on a program's output and the expected
 * answer, both arbitrary bytes.
 *
 * Input layout (tests/fuzz/make_seeds.py writes seeds in it):
 *   byte 0      the checker: its index in `names` (an index past the end
 *               asks for a name that does not exist)
 *   byte 1      what the case is worth: an index in `worth`
 *   bytes 2-3   n_args, little-endian: the next n_args bytes are the
 *               `args` as JSON (not JSON, or absent: no arguments)
 *   bytes 4-5   n_out: the next n_out bytes after the args are the output
 *   the rest    the expected answer
 * Output and answer are copied into buffers of exactly their size, with
 * no NUL after them, as the memory mappings the grader passes are, so
 * that a read one byte too far is caught.
 *
 * Invariants besides crashes: arguments that checker_validate accepts are
 * not refused by checker_run (linematches' weights, which must match the
 * answer's lines, are the one check that needs the answer); points are
 * between 0 and what the case is worth; the same input gives the same
 * verdict twice.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "judge/checkers/checkers.h"
#include "tests/fuzz/harness.h"

static const char *const names[] = {"standard",	   "identical", "rstripped", "linecount",
				    "linematches", "sorted",	"unordered", "easy",
				    "floats",	   "floatsabs", "floatsrel", "no-such-checker"};
static const double worth[] = {1, 0, 100, 0.5, 7, 1e-9, 3};

static size_t take16(const uint8_t *d)
{
	return (size_t)d[0] | (size_t)d[1] << 8;
}

/* A heap copy of exactly n bytes (one byte when n is 0, so that the
 * pointer is a real allocation whose every byte is out of bounds). */
static char *exact(const uint8_t *d, size_t n)
{
	char *p = xmalloc(n ? n : 1);
	if (n)
		memcpy(p, d, n);
	return p;
}

static void run(const struct checker_def *c, const struct checker_input *in,
		struct checker_result *res, int *rc)
{
	char err[ERR_SIZE];
	*rc = checker_run(c, in, res, err, sizeof(err));
	if (*rc < 0)
		return;
	if (!(res->points >= 0) || res->points > in->points * (1 + 1e-9))
		fuzz_fail("checker awarded %g of %g points", res->points, in->points);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 6)
		return 0;
	fuzz_quiet();
	const char *name = names[data[0] % ARRAY_LEN(names)];
	size_t n_args = take16(data + 2), n_out = take16(data + 4);
	const uint8_t *p = data + 6;
	size_t left = size - 6;
	if (n_args > left)
		n_args = left;
	json_t *args = NULL;
	if (n_args) {
		json_error_t je;
		args = json_loadb((const char *)p, n_args, JSON_DECODE_ANY, &je);
	}
	p += n_args;
	left -= n_args;
	if (n_out > left)
		n_out = left;
	char *out = exact(p, n_out), *ans = exact(p + n_out, left - n_out);

	const struct checker_def *c = checker_find(name);
	if (!c != !strcmp(name, "no-such-checker"))
		fuzz_fail("checker_find(%s) is wrong", name);
	char err[ERR_SIZE];
	int valid = checker_validate(c, args, err, sizeof(err));
	struct checker_input in = {
	    .output = out,
	    .output_len = n_out,
	    .answer = ans,
	    .answer_len = left - n_out,
	    .input = NULL,
	    .input_len = 0,
	    .points = worth[data[1] % ARRAY_LEN(worth)],
	    .args = args,
	};
	struct checker_result a, b;
	int rca, rcb;
	run(c, &in, &a, &rca);
	if (valid == 0 && rca < 0 && strcmp(name, "linematches"))
		fuzz_fail("checker %s validated its arguments, then refused them", name);
	run(c, &in, &b, &rcb);
	if (rca != rcb || (rca == 0 && (a.passed != b.passed || a.points != b.points)))
		fuzz_fail("checker %s gave two verdicts for one input", name);
	checker_result_free(&a);
	checker_result_free(&b);
	json_decref(args);
	free(out);
	free(ans);
	return 0;
}
