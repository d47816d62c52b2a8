/*
 * pychecker: checker modules written for DMOJ's Python judge, run as a
 * sandboxed python3 through the compatibility layer in
 * judge/checkers/pycompat.
 */
#ifndef JUDGE_PYCHECKER_H
#define JUDGE_PYCHECKER_H

#include <jansson.h>

#include "judge/checkers/checkers.h"
#include "judge/helpers/helpers.h"

/* The folder of the compatibility layer (holding dmoj/), found next to
 * the judge binary (installed or built in the source tree), or NULL. */
const char *pychecker_layer_dir(void);
/* Prepares a Python checker module (syntax-checked with PY3) once. */
int pychecker_get(struct helper_set *hs, const char *name, const struct helper **out, char *err,
		  size_t errlen);

/* What DMOJ passes a Python checker besides the outputs. */
struct pycheck_call {
	const char *input_path, *output_path, *answer_path, *source_path;
	const json_t *args; /* the checker's args from init.yml */
	double point_value;
	int position; /* 0-based, across the whole grading */
	int batch;    /* batch number, 0 outside batches */
	int flags;    /* the case's status so far */
	const char *language;
	bool binary_data;
	double execution_time, wall_time;
	long memory_kib;
	const char *feedback; /* the case's feedback so far */
	const char *problem;
};
/* Runs check() for one case. Returns 0 with res filled (res->passed false
 * without running check() when the case already failed and the checker
 * does not ask to run on errors), -1 with err filled for an internal error
 * (an exception, a missing import, a wrong return value...). */
int pychecker_run(struct helper_set *hs, const struct helper *h, const struct pycheck_call *call,
		  struct checker_result *res, char *err, size_t errlen);

#endif
