/*
 * grading: one submission's grading, run in a forked worker process that
 * reports it to its parent as a stream of events.
 *
 * A grading is a stream of events, each a JSON object shaped like the
 * protocol packet it becomes (compile-error, compile-message,
 * grading-begin, batch-begin, test-case-status, batch-end, grading-end,
 * internal-error), without the submission id. The live judge forwards them
 * to the bridge; `judge submit` prints them; both take the same path.
 */
#ifndef JUDGE_GRADING_H
#define JUDGE_GRADING_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

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

/* ---- the worker process (parent side) ---- */
struct worker {
	pid_t pid;
	int fd;	       /* events from the worker, non-blocking */
	char *workdir; /* removed by worker_finish */
	struct strbuf in;
	bool final_seen; /* a final event (grading-end, compile-error, internal-error) was read */
	bool eof;
};
/* Forks a worker grading req. Returns 0, or -1 with err filled. */
int worker_start(struct worker *w, const struct judge_env *env, const struct grading_request *req,
		 char *err, size_t errlen);
/* Reads what is available; returns 1 and sets *ev for each complete event
 * (the caller owns it), 0 when more must be waited for, -1 at the end of
 * the stream. */
int worker_next(struct worker *w, json_t **ev);
/* Kills the worker and everything it runs, at once. */
void worker_kill(struct worker *w);
/* Waits for the worker, removes its working folder. If it ended without a
 * final event, returns an internal-error event saying how it died (the
 * caller owns it), else NULL. */
json_t *worker_finish(struct worker *w);
bool event_is_final(const json_t *ev);

/* Writes one event to the worker's pipe (worker side). */
int event_write(int fd, json_t *ev);

#endif
