/*
 * grading: what a submission to grade is, and grading it (inside the
 * worker process; see worker.h for the parent's side and events.h for
 * what a grading reports).
 */
#ifndef JUDGE_GRADING_H
#define JUDGE_GRADING_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/common.h"
#include "judge/config/config.h"
#include "problems/problems.h"

/* ---- a submission to grade ---- */
struct grading_request {
	int64_t id;
	char *problem;
	char *language;
	char *source;
	size_t source_len;
	double time_limit; /* seconds */
	long memory_limit; /* KiB */
	bool short_circuit;
	bool pretests_only;
	json_t *meta; /* may be NULL */
};
void grading_request_free(struct grading_request *r);

/* What a worker needs from its parent: settings and the problems found. */
struct judge_env {
	const struct config *cfg;
	const struct problem_index *problems;
};

/* ---- grading (runs in the worker) ---- */
/* Grades req, writing events to fd. workdir exists and is empty; the
 * caller removes it. Never returns before the final event is written. */
void grader_run(const struct judge_env *env, const struct grading_request *req, const char *workdir,
		int fd);

#endif
