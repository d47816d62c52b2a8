/*
 * worker: the forked process that grades one submission, seen from the
 * front end that started it.
 *
 * The front end never grades: it reads the worker's events, so it stays
 * free to answer its site and to kill the grading at any moment. Front
 * ends with nothing else to wait for call worker_drive; the live judge,
 * which also serves a connection, polls the worker's descriptor itself and
 * calls worker_pump. Either way every event reaches one handler, and a
 * worker that died without a final event yields an internal error.
 */
#ifndef JUDGE_WORKER_H
#define JUDGE_WORKER_H

#include <stdbool.h>
#include <sys/types.h>

#include "judge/grading/events.h"
#include "judge/grading/grading.h"

struct worker {
	pid_t pid;
	int fd;	       /* events from the worker, non-blocking */
	char *workdir; /* removed by worker_finish */
	struct strbuf in;
	bool final_seen; /* a final event was read */
	bool eof;
};
/* Forks a worker grading req. Returns 0, or -1 with err filled. */
int worker_start(struct worker *w, const struct judge_env *env, const struct grading_request *req,
		 char *err, size_t errlen);
/* Reads what is available; returns 1 and sets *ev for each complete event
 * (the caller owns it), 0 when more must be waited for, -1 at the end of
 * the stream. */
int worker_next(struct worker *w, json_t **ev);
/* Hands every event available now to fn (which must not keep ev). Returns
 * 0 when more must be waited for, -1 at the end of the stream or after a
 * final event (fn may call worker_finish for that one; otherwise call it
 * then). */
int worker_pump(struct worker *w, event_handler fn, void *ctx);
/* Kills the worker and everything it runs, at once. */
void worker_kill(struct worker *w);
/* Waits for the worker, removes its working folder. If it ended without a
 * final event, returns an internal-error event saying how it died (the
 * caller owns it), else NULL. */
json_t *worker_finish(struct worker *w);

/* Reaps every ended child of this process but w's worker (w may be
 * NULL). The programs of a killed grading can be re-parented to the judge
 * (a child subreaper, or PID 1 in a container), and nothing else waits for
 * them: without this each abort would leave a zombie. */
void worker_reap_orphans(const struct worker *w);

enum { DRIVE_ENDED = 0, DRIVE_ABORTED = 1, DRIVE_NO_WORKER = -1 };
/* Grades req in a worker to the end, handing each event to fn, including
 * the internal error of a worker that died without a result. A signal
 * readable on sigfd (a signalfd, or -1 for none) kills the grading:
 * DRIVE_ABORTED, and nothing more is handed to fn. DRIVE_NO_WORKER with
 * err filled when no worker could be started. */
int worker_drive(const struct judge_env *env, const struct grading_request *req, int sigfd,
		 event_handler fn, void *ctx, char *err, size_t errlen);

#endif
