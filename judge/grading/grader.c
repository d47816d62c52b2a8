/*
 * Grading one submission, inside the worker process: the checks before
 * compiling, the compile, and the grading's course. Its cases are in
 * cases.c, interactive runs in interactive.c, signature graders in
 * signature.c.
 *
 * The order of events and the short-circuit rules follow protocol.md and
 * DMOJ's judge: every failed case carries the WA bit (a TLE is TLE|WA) so
 * the site's short-circuit and batch logic see it as failed; inside a
 * batch the first failure skips the rest of the batch; with the site's
 * short-circuit on, or after a failed case worth 0 points (pretests), it
 * skips everything after; a batch whose dependencies did not all pass is
 * skipped whole.
 *
 * Everything that is the problem's fault (bad init.yml, missing data,
 * unknown checker, a helper that does not compile or crashes) ends the
 * grading with one internal-error naming the problem, file and key; what
 * can be checked before compiling is checked then.
 *
 * A grading's working folder holds:
 *   submission/  the program and its working folder (file_io files,
 *                symlinks);
 *   data/        the current case's input, expected output and output,
 *                generated cases, the source for Python checkers;
 *   helpers/     checkers, interactors and generators, prepared once.
 * The expected output is readable only by the judge except while a
 * checker or interactor (which run as the sandbox user) needs it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "executors/executors.h"
#include "judge/checkers/bridged.h"
#include "judge/checkers/checkers.h"
#include "judge/checkers/pychecker.h"
#include "judge/grading/events.h"
#include "judge/grading/grading.h"
#include "judge/grading/internal.h"
#include "judge/grading/verdict.h"
#include "judge/helpers/helpers.h"
#include "sandbox/sandbox.h"

/* Sources beyond this are refused before compiling: no contest problem
 * needs more, and it bounds the work a single submission can cause. */
#define MAX_SOURCE ((size_t)1 << 20)

void grading_emit(struct grading *g, json_t *ev)
{
	if (!ev)
		return;
	if (event_write(g->fd, ev) < 0)
		log_error("cannot write to the parent: %s", strerror(errno));
	json_decref(ev);
}

void PRINTF(2, 3) grading_internal_error(struct grading *g, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	json_t *ev = event_internal_error(sb.buf ? sb.buf : "");
	log_error("internal error: %s", json_string_value(json_object_get(ev, "message")));
	grading_emit(g, ev);
	sb_free(&sb);
	g->failed = true;
}

void grading_compile_error(struct grading *g, const char *log)
{
	grading_emit(g, event_compile_error(log));
}

/* ---- checks before compiling ---- */

/* The files of a problem program exist and an executor can build them. */
static int check_program(struct grading *g, const struct problem_program *pp)
{
	struct problem *p = g->prob;
	char err[ERR_SIZE];
	for (size_t i = 0; pp->files[i]; i++)
		if (!problem_has_data(p, pp->files[i])) {
			grading_internal_error(
			    g, "problem %s: %s line %d: key `%s`: file %s does not exist", p->code,
			    p->init_path, pp->line, pp->key, pp->files[i]);
			return -1;
		}
	if (!helper_executor(pp, err, sizeof(err))) {
		grading_internal_error(g, "problem %s: %s line %d: key `%s`: %s", p->code,
				       p->init_path, pp->line, pp->key, err);
		return -1;
	}
	if (strcmp(pp->key, "generator") &&
	    bridged_check_format(
		pp, !strcmp(pp->key, "interactive") ? BRIDGED_INTERACTOR : BRIDGED_CHECKER, err,
		sizeof(err)) < 0) {
		grading_internal_error(g, "problem %s: %s line %d: key `%s`: %s", p->code,
				       p->init_path, pp->line, pp->key, err);
		return -1;
	}
	return 0;
}

static int check_case(struct grading *g, const struct problem_case *pc)
{
	struct problem *p = g->prob;
	const struct problem_checker *ck = &pc->checker;
	if (pc->generator && check_program(g, pc->generator) < 0)
		return -1;
	if (p->interactive) {
		if (strcmp(ck->name, "standard")) {
			grading_internal_error(
			    g,
			    "problem %s: %s line %d: key `checker`: a checker (`%s`) "
			    "after an interactor is not supported; the interactor "
			    "decides",
			    p->code, p->init_path, pc->line, ck->name);
			return -1;
		}
		return 0;
	}
	if (ck->bridged)
		return check_program(g, ck->bridged);
	if (ck->python) {
		const struct helper *h;
		char err[ERR_SIZE];
		if (pychecker_get(&g->helpers, ck->name, &h, err, sizeof(err)) < 0) {
			grading_internal_error(g, "%s", err);
			return -1;
		}
		return 0;
	}
	const struct checker_def *c = checker_find(ck->name);
	if (!c) {
		grading_internal_error(g, "problem %s: %s line %d: unknown checker `%s`", p->code,
				       p->init_path, pc->line, ck->name);
		return -1;
	}
	char err[ERR_SIZE];
	if (checker_validate(c, ck->args, err, sizeof(err)) < 0) {
		grading_internal_error(g, "problem %s: %s line %d: %s", p->code, p->init_path,
				       pc->line, err);
		return -1;
	}
	return 0;
}

static int check_problem(struct grading *g)
{
	struct problem *p = g->prob;
	/* no executor hint changes how C, C++ or Python programs run */
	for (size_t i = 0; p->hints && p->hints[i]; i++)
		log_warn("problem %s: hint `%s` is not supported and is ignored", p->code,
			 p->hints[i]);
	if (p->interactive && check_program(g, p->interactive) < 0)
		return -1;
	if (p->signature) {
		if (!executor_can(g->exe, EXEC_CAP_SIGNATURE)) {
			grading_internal_error(
			    g,
			    "problem %s: %s: key `signature_grader`: no valid runtime for "
			    "signature grading %s found (it takes C and C++)",
			    p->code, p->init_path, g->req->language);
			return -1;
		}
		const char *files[] = {p->signature->entry, p->signature->header};
		for (size_t i = 0; i < ARRAY_LEN(files); i++)
			if (!problem_has_data(p, files[i])) {
				grading_internal_error(
				    g,
				    "problem %s: %s: key `signature_grader`: file %s does "
				    "not exist",
				    p->code, p->init_path, files[i]);
				return -1;
			}
	}
	struct problem_tests *lists[2] = {&p->pretests, &p->tests};
	for (int l = 0; l < 2; l++)
		for (size_t i = 0; i < lists[l]->n; i++)
			for (size_t j = 0; j < lists[l]->units[i].ncases; j++)
				if (check_case(g, &lists[l]->units[i].cases[j]) < 0)
					return -1;
	return 0;
}

static int check_source(struct grading *g)
{
	const struct grading_request *r = g->req;
	if (!r->source_len) {
		grading_compile_error(g, "the source is empty");
		return -1;
	}
	if (r->source_len > MAX_SOURCE) {
		char msg[ERR_SIZE];
		snprintf(msg, sizeof(msg), "the source is %zu bytes; the limit is %zu bytes",
			 r->source_len, MAX_SOURCE);
		grading_compile_error(g, msg);
		return -1;
	}
	size_t bad = utf8_check(r->source, r->source_len);
	if (bad < r->source_len) {
		char msg[ERR_SIZE];
		snprintf(msg, sizeof(msg), "the source is not valid UTF-8 text: byte %zu is 0x%02x",
			 bad, (unsigned char)r->source[bad]);
		grading_compile_error(g, msg);
		return -1;
	}
	return 0;
}

/* ---- compiling ---- */

static int compile(struct grading *g)
{
	char err[ERR_SIZE];
	static char *const signature_defines[] = {"SIGNATURE_GRADER", NULL};
	struct signature_sources sig = {0};
	struct compile_request creq = {
	    .source = g->req->source,
	    .len = g->req->source_len,
	    .name = g->prob->code,
	    .dir = g->subdir,
	    .unbuffered = g->prob->unbuffered,
	};
	int ret = -1;
	if (g->prob->signature) {
		if (grading_signature_prepare(g, &creq, &sig) < 0)
			goto out;
		creq.defines = signature_defines;
	}
	double t0 = mono_now();
	int rc = executor_prepare(g->exe, &creq, &g->prog, err, sizeof(err));
	log_debug("prepared %s in %.1f ms (compiler %.1f ms)", executor_key(g->exe),
		  (mono_now() - t0) * 1000, g->prog.compile_time * 1000);
	g->have_prog = true;
	if (rc == PREPARE_INTERNAL) {
		grading_internal_error(g, "cannot compile: %s", err);
		goto out;
	}
	if (rc == PREPARE_COMPILE_ERROR) {
		grading_compile_error(g, g->prog.compile_log[0] ? g->prog.compile_log
								: "compiler exited abnormally");
		goto out;
	}
	if (executor_compiled(g->exe) && g->prog.compile_log[0]) {
		grading_emit(g, event_compile_message(g->prog.compile_log));
	}
	ret = 0;
out:
	grading_signature_free(&sig);
	return ret;
}

/* ---- the grading ---- */

/* The folders of the grading, and what the submission's folder needs
 * before it runs. */
static int set_up(struct grading *g)
{
	g->subdir = path_join(g->workdir, "submission");
	g->datadir = path_join(g->workdir, "data");
	g->source_path = path_join(g->datadir, "source");
	const char *dirs[] = {g->subdir, g->datadir};
	for (size_t i = 0; i < ARRAY_LEN(dirs); i++)
		if (mkdir(dirs[i], 0755) < 0) {
			grading_internal_error(g, "cannot create %s: %s", dirs[i], strerror(errno));
			return -1;
		}
	char err[ERR_SIZE];
	if (write_file(g->source_path, g->req->source, g->req->source_len, 0644, err, sizeof(err)) <
	    0) {
		grading_internal_error(g, "%s", err);
		return -1;
	}
	helper_set_init(&g->helpers, g->env, g->prob, g->workdir, g->datadir);
	return 0;
}

/* file_io's output file exists before the program runs (its folder is
 * not writable by it) and is the one file there it may write. */
static int prepare_file_io(struct grading *g)
{
	const struct problem_file_io *fio = g->prob->file_io;
	if (!fio || !fio->output)
		return 0;
	char *path = path_join(g->subdir, fio->output);
	char err[ERR_SIZE];
	int fd = grading_create(path, 0666, err, sizeof(err));
	if (fd < 0 || fchmod(fd, 0666) < 0) {
		grading_internal_error(g, "problem %s: file_io: %s", g->prob->code,
				       fd < 0 ? err : strerror(errno));
		if (fd >= 0)
			close(fd);
		free(path);
		return -1;
	}
	close(fd);
	sbx_policy_add(g->prog.policy, SBX_FILE, path, true);
	free(path);
	return 0;
}

/* Builds every helper the graded cases use before grading begins, so
 * that a checker that does not compile is an internal error up front. */
static int prepare_helpers(struct grading *g, bool pretests_only)
{
	char err[ERR_SIZE];
	const struct helper *h;
	struct problem *p = g->prob;
	if (p->interactive && helper_get(&g->helpers, p->interactive, &h, err, sizeof(err)) < 0) {
		grading_internal_error(g, "%s", err);
		return -1;
	}
	struct problem_tests *lists[2] = {&p->pretests, &p->tests};
	for (int l = 0; l < (pretests_only ? 1 : 2); l++)
		for (size_t i = 0; i < lists[l]->n; i++)
			for (size_t j = 0; j < lists[l]->units[i].ncases; j++) {
				const struct problem_case *pc = &lists[l]->units[i].cases[j];
				const struct problem_program *pp =
				    pc->checker.bridged && !p->interactive ? pc->checker.bridged
									   : NULL;
				if (pp && helper_get(&g->helpers, pp, &h, err, sizeof(err)) < 0) {
					grading_internal_error(g, "%s", err);
					return -1;
				}
				pp = pc->generator && (!pc->in || !pc->out) ? pc->generator : NULL;
				if (pp && helper_get(&g->helpers, pp, &h, err, sizeof(err)) < 0) {
					grading_internal_error(g, "%s", err);
					return -1;
				}
			}
	return 0;
}

void grader_run(const struct judge_env *env, const struct grading_request *req, const char *workdir,
		int fd)
{
	struct grading g = {0};
	g.env = env;
	g.req = req;
	g.workdir = workdir;
	g.fd = fd;
	sc_init(&g.sc, req->short_circuit);

	if (check_source(&g) < 0)
		goto out;
	g.exe = executor_find(req->language);
	if (!g.exe) {
		grading_internal_error(&g, "language %s is not available on this judge",
				       req->language);
		goto out;
	}
	const struct problem_entry *pe = problem_index_find(env->problems, req->problem);
	if (!pe) {
		grading_internal_error(&g, "problem %s is not on this judge", req->problem);
		goto out;
	}
	char err[ERR_SIZE];
	if (problem_load(pe->code, pe->dir, &g.prob, err, sizeof(err)) < 0) {
		grading_internal_error(&g, "problem %s: %s", pe->code, err);
		goto out;
	}
	bool pretests_only = req->pretests_only && g.prob->has_pretests;
	if (set_up(&g) < 0 || check_problem(&g) < 0 || compile(&g) < 0 || prepare_file_io(&g) < 0 ||
	    prepare_helpers(&g, pretests_only) < 0)
		goto out;

	grading_emit(&g, event_grading_begin(pretests_only));
	if (pretests_only) {
		if (grading_run_units(&g, &g.prob->pretests, false) < 0)
			goto out;
	} else {
		if (grading_run_units(&g, &g.prob->pretests, true) < 0 ||
		    grading_run_units(&g, &g.prob->tests, false) < 0)
			goto out;
	}
	grading_emit(&g, event_grading_end());
out:
	if (g.have_prog)
		program_free(&g.prog);
	helper_set_free(&g.helpers);
	generator_cache_free(&g.gens);
	problem_free(g.prob);
	sc_free(&g.sc);
	free(g.subdir);
	free(g.datadir);
	free(g.source_path);
}
