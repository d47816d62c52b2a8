/*
 * checkers: the built-in output checkers of DMOJ's problem format
 * (`standard`, `identical`, `rstripped`, `linecount`, `linematches`,
 * `sorted`, `unordered`, `easy`, `floats`, `floatsabs`, `floatsrel`).
 *
 * A checker compares the program's output with the expected answer and
 * decides pass/fail and points. All of them work on whole buffers (usually
 * memory mappings of the output and answer files) in linear time without
 * allocating per token.
 *
 * Bridged (compiled) checkers and Python checker modules are run by the
 * grader, not here.
 */
#ifndef JUDGE_CHECKERS_H
#define JUDGE_CHECKERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct checker_input {
	const char *output; /* the program's stdout, raw bytes */
	size_t output_len;
	const char *answer; /* expected output (normalised unless binary_data) */
	size_t answer_len;
	const char *input; /* the case's input (normalised unless binary_data) */
	size_t input_len;
	double points;	    /* what the case is worth */
	const json_t *args; /* the checker's `args` object from init.yml; may be NULL */
};

struct checker_result {
	bool passed;
	double points;		 /* points awarded, 0..input->points */
	char *feedback;		 /* heap string or NULL */
	char *extended_feedback; /* heap string or NULL */
};

struct checker_def;

/* The built-in checker of that name, or NULL. */
const struct checker_def *checker_find(const char *name);

/* Checks the args object against what the checker accepts (unknown keys,
 * wrong types, bad values) so that a problem with bad arguments fails with
 * an internal error naming the argument. Returns 0 or -1 with err filled. */
int checker_validate(const struct checker_def *c, const json_t *args, char *err, size_t errlen);

/* True when the checker must run even if the program did not exit
 * normally (linecount gives partial points for partial output). */
bool checker_runs_on_error(const struct checker_def *c);

/* Runs the checker. Returns 0 with *res filled, or -1 with err filled when
 * the checker itself cannot decide (bad arguments): an internal error. */
int checker_run(const struct checker_def *c, const struct checker_input *in,
		struct checker_result *res, char *err, size_t errlen);

void checker_result_free(struct checker_result *res);

/* Python's float() on a token without white space around it (sign,
 * decimal or exponent forms, inf, nan, digit-group underscores), exactly
 * rounded. False when it is not a number. */
bool checker_parse_float(const char *s, size_t n, double *out);

#endif
