/*
 * frontends: the commands that drive gradings and show them — the live
 * DMOJ judge, `judge submit`, `judge testsuite`, and the commands that
 * list what the judge has (`problems`, `executors`, `autoconf`).
 */
#ifndef JUDGE_FRONTENDS_H
#define JUDGE_FRONTENDS_H

#include <stdbool.h>

#include "judge/config/config.h"

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

/* A submission-request from the bridge, read into req. Returns 0 when it
 * is one to grade; LIVE_BAD_MEMBER with req->id set and err naming the
 * member that is missing or of the wrong type (the internal-error sent
 * back carries err); LIVE_NO_ID when it has no integer submission-id, so
 * there is nobody to answer. req is always fit for grading_request_free. */
struct grading_request;
enum { LIVE_BAD_MEMBER = -1, LIVE_NO_ID = -2 };
int live_parse_submission(const json_t *p, struct grading_request *req, char *err, size_t errlen);

/* ---- command-line front ends ---- */
int cmd_submit(struct config *cfg, int argc, char **argv, bool ansi);
int cmd_problems(struct config *cfg, int argc, char **argv, bool ansi);
int cmd_executors(struct config *cfg, int argc, char **argv, bool ansi);
int cmd_autoconf(struct config *cfg, int argc, char **argv, bool ansi);
/* judge testsuite DIR [PROBLEM_REGEX [CASE_REGEX]] (testsuite.c) */
int cmd_testsuite(struct config *cfg, int argc, char **argv, bool ansi);
/* A test case folder's test.yml, with test.posix.yml and test.linux.yml
 * over it, checked (known keys, language, limits, source, known codes):
 * NULL with err saying what is wrong. */
json_t *testsuite_load(const char *dir, char *err, size_t errlen);
/* Appends to why, one line each, what conf does not accept in a case
 * result c (a member of a test-case-status packet's `cases`). */
void testsuite_check_case(const json_t *conf, const json_t *c, struct strbuf *why);

#endif
