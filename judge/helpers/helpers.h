/*
 * helpers: the programs a problem supplies and the judge runs besides the
 * submission — bridged checkers, interactors, generators — and Python
 * checker modules.
 *
 * - helpers.c: compiling a problem program once per grading with the
 *   judge's own executors, keeping the binary in the compiled-binary cache
 *   (keyed by a hash of everything that goes into it) across gradings, and
 *   describing a sandboxed run of it;
 * - generator.c: running a generator for a case, once per grading.
 *
 * How a checker's or interactor's run is read is the checkers' business
 * (judge/checkers/). Everything runs through sbx_run with an executor's
 * policy, plus read access to the grading's data folder (the case's
 * files).
 */
#ifndef JUDGE_HELPERS_H
#define JUDGE_HELPERS_H

#include "executors/executors.h"
#include "judge/grading/grading.h"
#include "sandbox/sandbox.h"

/* A prepared program of the problem. */
struct helper {
	const struct problem_program *spec; /* NULL for a Python checker module */
	char *module;			    /* the Python checker's name, or NULL */
	char *label;			    /* "checker checker.cpp", for messages */
	const struct executor *exe;
	struct program prog;
	bool cached; /* the binary came from the cache */
};

/* The helpers of one grading. */
struct helper_set {
	const struct judge_env *env;
	const struct problem *prob;
	char *dir;	/* where helpers are prepared: WORKDIR/helpers */
	char *data_dir; /* the case files helpers may read: WORKDIR/data */
	struct helper **items;
	size_t n, cap;
};

void helper_set_init(struct helper_set *hs, const struct judge_env *env, const struct problem *prob,
		     const char *workdir, const char *data_dir);
void helper_set_free(struct helper_set *hs);

/* The prepared program for pp, compiling it (or taking it from the cache)
 * on first use. Fails with a message naming the problem, the key, the
 * files and what went wrong (compile log included). */
int helper_get(struct helper_set *hs, const struct problem_program *pp, const struct helper **out,
	       char *err, size_t errlen);

/* The executor a problem program is built with: its `lang`, else by the
 * extension of its files (the newest C++ or C standard for .cpp/.c), as
 * DMOJ chooses. NULL with err filled when there is none. */
const struct executor *helper_executor(const struct problem_program *pp, char *err, size_t errlen);

/* One sandboxed run of a helper: argv (the program's own and args after
 * it) and a policy that adds the data folder and the writable files. */
struct helper_exec {
	char **argv;
	struct sbx_policy *policy;
	struct sbx_spec spec;
};
void helper_exec_init(struct helper_exec *x, const struct helper_set *hs, const struct helper *h,
		      char *const *args, double time, long memory_kib, uint64_t output_limit);
/* Lets the helper write this file (testlib's interactor log). */
void helper_exec_allow_write(struct helper_exec *x, const char *path);
void helper_exec_free(struct helper_exec *x);

/* A run's stdout and stderr, in memory files, mapped. */
struct helper_output {
	int out, err;
	const char *odata, *edata;
	size_t olen, elen;
};
/* Runs x alone with stdout and stderr captured. Returns 0 with o filled
 * whatever the helper did (res says), -1 with err filled when it could not
 * be run at all. Free o with helper_output_free in either case. */
int helper_run_captured(struct helper_exec *x, struct sbx_result *res, struct helper_output *o,
			char *err, size_t errlen);
void helper_output_free(struct helper_output *o);

/* DMOJ's wording of a helper's failure that is not an exit code it may
 * give ("checker timed out (> 20 seconds)", "generator exited with
 * segmentation fault"...). Returns true and fills buf when res is one. */
bool helper_failed(const struct helper *h, const char *name, const struct sbx_result *res,
		   double time, long memory_kib, const char *stderr_text, size_t stderr_len,
		   bool any_exit, char *buf, size_t buflen);

/* The limits a helper runs with: its own, else the configured generator
 * limits. */
double helper_time_limit(const struct helper_set *hs, const struct problem_program *pp);
long helper_memory_limit(const struct helper_set *hs, const struct problem_program *pp);

/* ---- generator.c ---- */

/* Generated data of a grading, one entry per distinct generator run. */
struct generator_cache {
	struct generated *items;
	size_t n, cap;
	int counter;
};
void generator_cache_free(struct generator_cache *gc);
/* The case's input and expected output produced by its generator, as
 * files in the data folder (run once per grading for the same generator,
 * arguments and stdin). *input is NULL when the generator printed nothing
 * (the case's `in` file is used then). */
int generator_run(struct helper_set *hs, struct generator_cache *gc, const struct problem_case *pc,
		  const char **input, const char **answer, char *err, size_t errlen);

#endif
