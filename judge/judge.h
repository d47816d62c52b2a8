/*
 * judge: the application — configuration, the grading of one submission
 * (run in a forked worker process), the worker's event pipe to its parent,
 * verdict arithmetic, and the command-line front ends.
 *
 * A grading is a stream of events, each a JSON object shaped like the
 * protocol packet it becomes (compile-error, compile-message,
 * grading-begin, batch-begin, test-case-status, batch-end, grading-end,
 * internal-error), without the submission id. The live judge forwards them
 * to the bridge; `judge submit` prints them; both take the same path.
 */
#ifndef JUDGE_JUDGE_H
#define JUDGE_JUDGE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/common.h"
#include "problems/problems.h"

/* ---- configuration (config.yml) ---- */
struct config {
	char *path; /* the file read, or NULL */
	char *id, *key;
	char **problem_globs; /* absolute */
	json_t *runtime;      /* NULL: detect */
	char *tempdir;
	double compiler_time_limit;
	long compiler_output_limit;
	char *cache_dir;
	long cache_size;
	double selftest_time_limit;
	long selftest_memory_limit;
	double generator_time_limit;
	long generator_memory_limit;
	double generator_compiler_time_limit;
	json_t *extra_fs;
	int *cpus;
	size_t ncpus;
	char *sandbox_user;
	double reconnect_initial, reconnect_max; /* seconds */
	long max_packet_size;			 /* bytes accepted from the bridge */
};
void config_defaults(struct config *c);
/* Reads a config file over the defaults; errors name the file, line and
 * key. Relative paths in the file are relative to the file's folder. */
int config_load(struct config *c, const char *path, char *err, size_t errlen);
void config_free(struct config *c);

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

/* ---- verdicts ---- */
enum {
	ST_AC = 0,
	ST_WA = 1,
	ST_RTE = 2,
	ST_TLE = 4,
	ST_MLE = 8,
	ST_IR = 16,
	ST_SC = 32,
	ST_OLE = 64,
	ST_IE = 1 << 30,
};
/* The code a site shows for a case's flags: TLE, MLE, OLE, RTE, IR, WA,
 * SC, else AC (IE first when set). */
const char *verdict_code(int flags);
/* Rank of a code for the final verdict: SC < AC < WA < MLE < TLE < IR <
 * RTE < OLE. */
int verdict_rank(const char *code);

/* Running totals of a grading, computed as the site computes them. */
struct tally {
	double points, total, time;
	long memory;
	const char *worst; /* worst case code so far, or NULL */
	bool in_batch;
	double batch_points, batch_total;
	bool batch_any;
};
void tally_init(struct tally *t);
/* Feeds one event (batch-begin, test-case-status, batch-end). */
void tally_event(struct tally *t, const json_t *ev);

/* Short-circuiting and batch dependencies (protocol.md): which cases are
 * skipped, decided from the results so far. */
struct sc_state {
	bool enabled; /* skip everything after a failure */
	bool active;  /* skipping now */
	bool *passed; /* by batch number */
	size_t npassed;
};
void sc_init(struct sc_state *s, bool site_short_circuit);
void sc_free(struct sc_state *s);
/* A batch starts: skipped whole when a dependency did not pass. */
void sc_batch_begin(struct sc_state *s, const int *deps, size_t ndeps);
bool sc_skip(const struct sc_state *s);
/* A case ended with these flags; points is what it was worth. */
void sc_case_done(struct sc_state *s, int flags, double points, bool batched);
void sc_batch_end(struct sc_state *s, int batch_no);

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

/* ---- the live judge ---- */
struct live_opts {
	const char *host;
	int port;
	bool tls, verify;
	const char *ca_file;
	const char *name, *key;
	char **only, **exclude; /* executor keys, NULL-terminated, or NULL */
	bool skip_selftest;
	bool watchdog;
	double started; /* mono_now() at process start */
};
/* Connects to the bridge and grades until told to stop; returns the exit
 * status (0 after SIGTERM, SIGINT or a disconnect packet). */
int cmd_live(struct config *cfg, const struct live_opts *o);

/* ---- command-line front ends ---- */
int cmd_submit(struct config *cfg, int argc, char **argv, bool ansi);
int cmd_problems(struct config *cfg, int argc, char **argv, bool ansi);
int cmd_executors(struct config *cfg, int argc, char **argv, bool ansi);
int cmd_autoconf(struct config *cfg, int argc, char **argv, bool ansi);
/* judge testsuite DIR [PROBLEM_REGEX [CASE_REGEX]] (testsuite.c) */
int cmd_testsuite(struct config *cfg, int argc, char **argv, bool ansi);

/* Applies the config to the executors and sandbox modules; quiet drops the
 * per-executor log lines. only: executor keys to load (NULL = all). */
int judge_setup_executors(const struct config *cfg, char *const *only, char *const *exclude,
			  bool skip_selftest, bool quiet);
void judge_setup_sandbox(const struct config *cfg);

#endif
