/*
 * Private to the grading core: the state of one grading, shared by the
 * grader (grader.c), its cases (cases.c), interactive runs
 * (interactive.c) and signature graders (signature.c).
 */
#ifndef JUDGE_GRADING_INTERNAL_H
#define JUDGE_GRADING_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

#include "executors/executors.h"
#include "judge/checkers/checkers.h"
#include "judge/grading/grading.h"
#include "judge/grading/verdict.h"
#include "judge/helpers/helpers.h"

/* No site frame holds more than 8 MiB: a larger output_prefix_length is
 * cut here, before it crosses the event pipe. */
#define MAX_OUTPUT_PREFIX ((size_t)8 << 20)
/* A checker's stdout is its feedback; more than this is a broken checker. */
#define CHECKER_OUTPUT_LIMIT ((uint64_t)16 << 20)

struct grading {
	const struct judge_env *env;
	const struct grading_request *req;
	const char *workdir;
	int fd;
	struct problem *prob;
	const struct executor *exe;
	struct program prog;
	bool have_prog;
	int position;
	struct sc_state sc;
	bool failed; /* an internal error was sent */
	char *subdir, *datadir;
	char *source_path; /* the source, for Python checkers */
	struct helper_set helpers;
	struct generator_cache gens;
};

/* ---- one case's files ---- */

struct case_io {
	char *input_path;  /* the case's input */
	char *answer_path; /* its expected output */
	char *output_path; /* what the program wrote (stdout or file_io's file) */
	/* the submission's stdout (or file_io's file) and stderr */
	struct helper_output run;
	bool answer_shared; /* a generated file, kept for the grading */
};

/* signature_grader: the problem's entry file is the main source; the
 * submission becomes an extra source that includes the header first and,
 * unless allow_main, has its main renamed out of the way. */
struct signature_sources {
	char *entry, *header, *submission, *sub_name;
	size_t entry_len, header_len, submission_len;
	struct source_file extra[2];
};

/* grader.c */
void grading_emit(struct grading *g, json_t *ev);
void PRINTF(2, 3) grading_internal_error(struct grading *g, const char *fmt, ...);
void grading_compile_error(struct grading *g, const char *log);

/* cases.c */
int grading_create(const char *path, mode_t mode, char *err, size_t errlen);
void grading_expose_answer(struct case_io *io, bool readable);
int grading_submission_flags(struct grading *g, const struct sbx_result *res, const char *edata,
			     size_t elen, char *feedback, size_t fblen);
int grading_run_units(struct grading *g, const struct problem_tests *t, bool zero_points);

/* interactive.c */
int grading_run_interactive(struct grading *g, const struct problem_case *pc, struct case_io *io,
			    struct sbx_result *res, int *flags, char *feedback, size_t fblen,
			    struct checker_result *cr);

/* signature.c */
int grading_signature_prepare(struct grading *g, struct compile_request *creq,
			      struct signature_sources *s);
void grading_signature_free(struct signature_sources *s);

#endif
