/*
 * bridged: compiled checkers and interactors a problem supplies — their
 * argument lists (args_format_string) and exit-code conventions (default,
 * testlib, coci, peg).
 */
#ifndef JUDGE_BRIDGED_H
#define JUDGE_BRIDGED_H

#include "judge/checkers/checkers.h"
#include "judge/helpers/helpers.h"

enum bridged_role { BRIDGED_CHECKER, BRIDGED_INTERACTOR };
/* Checks an args_format_string (NULL: the type's default) for unknown
 * placeholders and unbalanced quotes. */
int bridged_check_format(const struct problem_program *pp, enum bridged_role role, char *err,
			 size_t errlen);
/* The argument list: the format with {input_file}, {output_file} and
 * {answer_file} put in, split the way a shell would. */
char **bridged_args(const struct problem_program *pp, enum bridged_role role, const char *input,
		    const char *output, const char *answer);
/* Reads a finished checker or interactor run by its type's conventions.
 * Returns 0 with res filled, -1 with err filled for an internal error (a
 * crash, a timeout, exit code 3 of testlib, a broken partial line...). */
int bridged_result(const struct helper *h, enum bridged_role role, const struct sbx_result *run,
		   const char *out, size_t out_len, const char *errs, size_t errs_len,
		   double points, double time, long memory_kib, struct checker_result *res,
		   char *err, size_t errlen);

#endif
