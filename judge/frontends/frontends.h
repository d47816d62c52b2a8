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

/* ---- command-line front ends ---- */
int cmd_submit(struct config *cfg, int argc, char **argv, bool ansi);
int cmd_problems(struct config *cfg, int argc, char **argv, bool ansi);
int cmd_executors(struct config *cfg, int argc, char **argv, bool ansi);
int cmd_autoconf(struct config *cfg, int argc, char **argv, bool ansi);
/* judge testsuite DIR [PROBLEM_REGEX [CASE_REGEX]] (testsuite.c) */
int cmd_testsuite(struct config *cfg, int argc, char **argv, bool ansi);

#endif
