/*
 * Grading one submission, inside the worker process.
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
#include <ctype.h>
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
#include "judge/grading/verdict.h"
#include "judge/helpers/helpers.h"
#include "sandbox/sandbox.h"

/* Sources beyond this are refused before compiling: no contest problem
 * needs more, and it bounds the work a single submission can cause. */
#define MAX_SOURCE ((size_t)1 << 20)
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

static void emit(struct grading *g, json_t *ev)
{
	if (!ev)
		return;
	if (event_write(g->fd, ev) < 0)
		log_error("cannot write to the parent: %s", strerror(errno));
	json_decref(ev);
}

static void PRINTF(2, 3) internal_error(struct grading *g, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	json_t *ev = event_internal_error(sb.buf ? sb.buf : "");
	log_error("internal error: %s", json_string_value(json_object_get(ev, "message")));
	emit(g, ev);
	sb_free(&sb);
	g->failed = true;
}

static void compile_error(struct grading *g, const char *log)
{
	emit(g, event_compile_error(log));
}

/* ---- checks before compiling ---- */

static const char *const signature_languages[] = {"C",	   "C11",   "CPP03", "CPP11",
						  "CPP14", "CPP17", "CPP20", NULL};

static bool signature_language(const char *key)
{
	for (size_t i = 0; signature_languages[i]; i++)
		if (!strcmp(signature_languages[i], key))
			return true;
	return false;
}

/* The files of a problem program exist and an executor can build them. */
static int check_program(struct grading *g, const struct problem_program *pp)
{
	struct problem *p = g->prob;
	char err[512];
	for (size_t i = 0; pp->files[i]; i++)
		if (!problem_has_data(p, pp->files[i])) {
			internal_error(g,
				       "problem %s: %s line %d: key `%s`: file %s does not exist",
				       p->code, p->init_path, pp->line, pp->key, pp->files[i]);
			return -1;
		}
	if (!helper_executor(pp, err, sizeof(err))) {
		internal_error(g, "problem %s: %s line %d: key `%s`: %s", p->code, p->init_path,
			       pp->line, pp->key, err);
		return -1;
	}
	if (strcmp(pp->key, "generator") &&
	    bridged_check_format(
		pp, !strcmp(pp->key, "interactive") ? BRIDGED_INTERACTOR : BRIDGED_CHECKER, err,
		sizeof(err)) < 0) {
		internal_error(g, "problem %s: %s line %d: key `%s`: %s", p->code, p->init_path,
			       pp->line, pp->key, err);
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
			internal_error(g,
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
		char err[1024];
		if (pychecker_get(&g->helpers, ck->name, &h, err, sizeof(err)) < 0) {
			internal_error(g, "%s", err);
			return -1;
		}
		return 0;
	}
	const struct checker_def *c = checker_find(ck->name);
	if (!c) {
		internal_error(g, "problem %s: %s line %d: unknown checker `%s`", p->code,
			       p->init_path, pc->line, ck->name);
		return -1;
	}
	char err[512];
	if (checker_validate(c, ck->args, err, sizeof(err)) < 0) {
		internal_error(g, "problem %s: %s line %d: %s", p->code, p->init_path, pc->line,
			       err);
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
		if (!signature_language(g->req->language)) {
			internal_error(
			    g,
			    "problem %s: %s: key `signature_grader`: no valid runtime for "
			    "signature grading %s found (it takes C and C++)",
			    p->code, p->init_path, g->req->language);
			return -1;
		}
		const char *files[] = {p->signature->entry, p->signature->header};
		for (size_t i = 0; i < ARRAY_LEN(files); i++)
			if (!problem_has_data(p, files[i])) {
				internal_error(
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
		compile_error(g, "the source is empty");
		return -1;
	}
	if (r->source_len > MAX_SOURCE) {
		char msg[128];
		snprintf(msg, sizeof(msg), "the source is %zu bytes; the limit is %zu bytes",
			 r->source_len, MAX_SOURCE);
		compile_error(g, msg);
		return -1;
	}
	size_t bad = utf8_check(r->source, r->source_len);
	if (bad < r->source_len) {
		char msg[160];
		snprintf(msg, sizeof(msg), "the source is not valid UTF-8 text: byte %zu is 0x%02x",
			 bad, (unsigned char)r->source[bad]);
		compile_error(g, msg);
		return -1;
	}
	return 0;
}

/* ---- one case's files ---- */

struct case_io {
	char *input_path;  /* the case's input */
	char *answer_path; /* its expected output */
	char *output_path; /* what the program wrote (stdout or file_io's file) */
	/* the submission's stdout (or file_io's file) and stderr */
	struct helper_output run;
	bool answer_shared; /* a generated file, kept for the grading */
};

static void case_io_free(struct case_io *io)
{
	helper_output_free(&io->run);
	free(io->input_path);
	free(io->answer_path);
	free(io->output_path);
}

static int create(const char *path, mode_t mode, char *err, size_t errlen)
{
	/* unlinked first so that the mode is the one asked for */
	if (unlink(path) < 0 && errno != ENOENT)
		return errf(err, errlen, "cannot remove %s: %s", path, strerror(errno));
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0)
		return errf(err, errlen, "cannot create %s: %s", path, strerror(errno));
	return fd;
}

/* Streams a data file of the problem into path. */
static int fill(struct grading *g, const char *name, bool binary, const char *path, mode_t mode,
		char *err, size_t errlen)
{
	int fd = create(path, mode, err, errlen);
	if (fd < 0)
		return -1;
	int ret = problem_copy_data(g->prob, name, binary, fd, err, errlen);
	if (close(fd) < 0 && !ret)
		ret = errf(err, errlen, "cannot write %s: %s", path, strerror(errno));
	return ret;
}

/* The case's input and expected output, from the problem's data or its
 * generator. */
static int case_files(struct grading *g, const struct problem_case *pc, struct case_io *io)
{
	char err[2048];
	const char *gen_in = NULL, *gen_ans = NULL;
	if (pc->generator && (!pc->in || !pc->out) &&
	    generator_run(&g->helpers, &g->gens, pc, &gen_in, &gen_ans, err, sizeof(err)) < 0) {
		internal_error(g, "%s", err);
		return -1;
	}
	if (gen_in) {
		io->input_path = xstrdup(gen_in);
	} else {
		io->input_path = path_join(g->datadir, "input");
		if (fill(g, pc->in, pc->binary_data, io->input_path, 0644, err, sizeof(err)) < 0) {
			internal_error(g, "%s", err);
			return -1;
		}
	}
	if (!pc->out && gen_ans) {
		io->answer_path = xstrdup(gen_ans);
		io->answer_shared = true;
	} else {
		io->answer_path = path_join(g->datadir, "answer");
		if (fill(g, pc->out, pc->binary_data, io->answer_path, 0600, err, sizeof(err)) <
		    0) {
			internal_error(g, "%s", err);
			return -1;
		}
	}
	return 0;
}

/* Lets the sandbox user read the expected output (a checker or an
 * interactor needs it), or takes that back. */
static void expose_answer(struct case_io *io, bool readable)
{
	if (chmod(io->answer_path, readable ? 0644 : 0600) < 0)
		log_warn("chmod %s: %s", io->answer_path, strerror(errno));
}

/* file_io's input file and symlinks in the submission's folder. */
static int prepare_folder(struct grading *g, const struct problem_case *pc, struct case_io *io)
{
	char err[1024];
	const struct problem_file_io *fio = g->prob->file_io;
	if (fio && fio->input) {
		char *path = path_join(g->subdir, fio->input);
		int in = open(io->input_path, O_RDONLY | O_CLOEXEC);
		int out = in >= 0 ? create(path, 0644, err, sizeof(err)) : -1;
		int rc = in < 0 || out < 0 ? -1 : 0;
		while (rc == 0) {
			ssize_t n = copy_file_range(in, NULL, out, NULL, (size_t)1 << 30, 0);
			if (n == 0)
				break;
			if (n < 0 && errno != EINTR)
				rc = -1;
		}
		if (in >= 0)
			close(in);
		if (out >= 0)
			close(out);
		if (rc < 0) {
			internal_error(g, "problem %s: file_io: cannot write %s: %s", g->prob->code,
				       path, strerror(errno));
			free(path);
			return -1;
		}
		free(path);
	}
	if (fio && fio->output) {
		char *path = path_join(g->subdir, fio->output);
		int rc = truncate(path, 0);
		free(path);
		if (rc < 0) {
			internal_error(g, "problem %s: file_io: cannot empty %s: %s", g->prob->code,
				       fio->output, strerror(errno));
			return -1;
		}
	}
	const char *name;
	json_t *target;
	json_object_foreach(pc->symlinks, name, target)
	{
		char *path = path_join(g->subdir, name);
		struct stat st;
		/* a link of an earlier case may point elsewhere */
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			unlink(path);
		int rc = symlink(json_string_value(target), path);
		int e = errno;
		free(path);
		if (rc < 0) {
			internal_error(
			    g, "problem %s: %s line %d: key `symlinks`: cannot create %s: %s",
			    g->prob->code, g->prob->init_path, pc->line, name, strerror(e));
			return -1;
		}
	}
	return 0;
}

/* ---- running the submission ---- */

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* The case's status bits and feedback from how the submission ended. */
static int submission_flags(struct grading *g, const struct sbx_result *res, const char *edata,
			    size_t elen, char *feedback, size_t fblen)
{
	int flags = 0;
	feedback[0] = '\0';
	if (res->tle)
		flags |= ST_TLE;
	if (res->mle)
		flags |= ST_MLE;
	if (res->ole)
		flags |= ST_OLE;
	if (!(flags & (ST_TLE | ST_MLE | ST_OLE))) {
		if (res->denied) {
			flags |= ST_RTE;
			snprintf(feedback, fblen, "%s", res->feedback);
		} else if (res->signal) {
			flags |= ST_RTE;
		} else if (res->exited && res->exit_code) {
			flags |= ST_IR;
		}
	}
	if ((flags & (ST_RTE | ST_IR)) && !res->denied) {
		/* the executor searches as much of it as its runtime needs */
		executor_feedback(g->exe, edata, elen, feedback, fblen);
		if (executor_feedback_is_memory(feedback)) {
			/* the runtime ran into the address-space limit */
			flags = (flags & ~(ST_RTE | ST_IR)) | ST_MLE;
			feedback[0] = '\0';
		} else if (!feedback[0] && res->feedback[0]) {
			snprintf(feedback, fblen, "%s", res->feedback);
		} else if (!feedback[0] && res->signal) {
			snprintf(feedback, fblen, "%s", strsignal(res->signal));
			lower(feedback);
		} else if (!feedback[0]) {
			snprintf(feedback, fblen, "exit code %d", res->exit_code);
		}
	}
	return flags;
}

static json_t *case_object(struct grading *g, int flags, double points, double total,
			   const struct sbx_result *res, const char *output, size_t olen,
			   long prefix, const char *feedback, const char *extended)
{
	size_t keep = prefix >= 0 && (size_t)prefix < olen ? (size_t)prefix : olen;
	if (keep > MAX_OUTPUT_PREFIX)
		keep = MAX_OUTPUT_PREFIX;
	size_t outlen;
	/* NUL bytes are program output like any other; JSON escapes them */
	char *out = utf8_repair_len(output ? output : "", output ? keep : 0, &outlen);
	char *fb = utf8_repair(feedback ? feedback : "", feedback ? strlen(feedback) : 0);
	char *xfb = utf8_repair(extended ? extended : "", extended ? strlen(extended) : 0);
	json_t *c = json_pack("{s:i, s:i, s:f, s:f, s:f, s:I, s:s%, s:s, s:s, s:I, s:I, s:s}",
			      "position", g->position, "status", flags, "time",
			      res ? res->cpu_time : 0.0, "points", points, "total-points", total,
			      "memory", (json_int_t)(res ? res->memory_kib : 0), "output", out,
			      outlen, "feedback", fb, "extended-feedback", xfb,
			      "voluntary-context-switches", (json_int_t)(res ? res->vcsw : 0),
			      "involuntary-context-switches", (json_int_t)(res ? res->ivcsw : 0),
			      "runtime-version", executor_runtime_version(g->exe));
	free(out);
	free(fb);
	free(xfb);
	return c;
}

static void send_case(struct grading *g, json_t *c, int batch_no)
{
	/* the batch number helps local front ends; the parent drops it
	 * before anything reaches a site */
	if (batch_no)
		json_object_set_new(c, "batch", json_integer(batch_no));
	emit(g, event_case(c));
}

/* Runs the submission alone, standard streams to files. */
static int run_plain(struct grading *g, const struct problem_case *pc, struct case_io *io,
		     struct sbx_result *res)
{
	char err[1024];
	int in = open(io->input_path, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		internal_error(g, "cannot open the case's input %s: %s", io->input_path,
			       strerror(errno));
		return -1;
	}
	struct sbx_spec spec;
	program_spec(&g->prog, g->req->time_limit, (uint64_t)g->req->memory_limit,
		     pc->wall_time_factor, (uint64_t)pc->output_limit_length, &spec);
	spec.stdin_fd = in;
	spec.stdout_fd = io->run.out;
	spec.stderr_fd = io->run.err;
	double t0 = mono_now();
	int rc = sbx_run(&spec, res, 1, err, sizeof(err));
	log_debug("case %d: ran in %.2f ms (cpu %.2f ms)", g->position, (mono_now() - t0) * 1000,
		  res->cpu_time * 1000);
	close(in);
	if (rc < 0) {
		internal_error(g, "cannot run the submission: %s", err);
		return -1;
	}
	return 0;
}

/* Runs the submission and the interactor together, each one's stdout the
 * other's stdin. The submission's own failure decides the case before
 * anything the interactor says; otherwise the interactor's exit code does,
 * and an interactor that crashed or broke its protocol is an internal
 * error. */
static int run_interactive(struct grading *g, const struct problem_case *pc, struct case_io *io,
			   struct sbx_result *res, int *flags, char *feedback, size_t fblen,
			   struct checker_result *cr)
{
	const struct problem_program *pp = g->prob->interactive;
	const struct helper *h;
	char err[2048];
	int to_int[2] = {-1, -1}, to_sub[2] = {-1, -1}, ierr = -1, ret = -1;
	const char *iedata = NULL;
	size_t ielen = 0;
	char *log_path = path_join(g->datadir, "interactor.log");
	char **args = NULL;
	struct helper_exec x = {0};
	if (helper_get(&g->helpers, pp, &h, err, sizeof(err)) < 0) {
		internal_error(g, "%s", err);
		goto out;
	}
	int logfd = create(log_path, 0666, err, sizeof(err));
	if (logfd < 0) {
		internal_error(g, "%s", err);
		goto out;
	}
	/* created by the judge, written by the sandbox user (the umask may
	 * have taken write access away from others) */
	int mode_rc = fchmod(logfd, 0666);
	close(logfd);
	if (mode_rc < 0) {
		internal_error(g, "chmod %s: %s", log_path, strerror(errno));
		goto out;
	}
	double itime = g->req->time_limit + pp->preprocessing_time;
	long imem = helper_memory_limit(&g->helpers, pp);
	args = bridged_args(pp, BRIDGED_INTERACTOR, io->input_path, log_path, io->answer_path);
	helper_exec_init(&x, &g->helpers, h, args, itime, imem, CHECKER_OUTPUT_LIMIT);
	helper_exec_allow_write(&x, log_path);
	ierr = memfd_create("interactor-stderr", MFD_CLOEXEC);
	if (ierr < 0 || pipe2(to_int, O_CLOEXEC) < 0 || pipe2(to_sub, O_CLOEXEC) < 0) {
		internal_error(g, "cannot connect the interactor: %s", strerror(errno));
		goto out;
	}
	struct sbx_spec specs[2];
	program_spec(&g->prog, g->req->time_limit, (uint64_t)g->req->memory_limit,
		     pc->wall_time_factor, (uint64_t)pc->output_limit_length, &specs[0]);
	specs[0].stdin_fd = to_sub[0];
	specs[0].stdout_fd = to_int[1];
	specs[0].stderr_fd = io->run.err;
	specs[0].close_stdio = true;
	specs[1] = x.spec;
	specs[1].stdin_fd = to_int[0];
	specs[1].stdout_fd = to_sub[1];
	specs[1].stderr_fd = ierr;
	specs[1].close_stdio = true;
	/* the pipes now belong to sbx_run, which closes them */
	to_int[0] = to_int[1] = to_sub[0] = to_sub[1] = -1;
	struct sbx_result results[2];
	expose_answer(io, true);
	int rc = sbx_run(specs, results, 2, err, sizeof(err));
	expose_answer(io, false);
	if (rc < 0) {
		internal_error(g, "cannot run the submission with its interactor: %s", err);
		goto out;
	}
	*res = results[0];
	if (map_fd(io->run.err, &io->run.edata, &io->run.elen, err, sizeof(err)) < 0 ||
	    map_fd(ierr, &iedata, &ielen, err, sizeof(err)) < 0) {
		internal_error(g, "cannot read the programs' error output: %s", err);
		goto out;
	}
	*flags = submission_flags(g, res, io->run.edata, io->run.elen, feedback, fblen);
	if (*flags) {
		ret = 0;
		goto out;
	}
	if (bridged_result(h, BRIDGED_INTERACTOR, &results[1], NULL, 0, iedata, ielen, pc->points,
			   itime, imem, cr, err, sizeof(err)) < 0) {
		internal_error(g, "problem %s: %s line %d: %s", g->prob->code, g->prob->init_path,
			       pp->line, err);
		goto out;
	}
	ret = 0;
out:
	for (int i = 0; i < 2; i++) {
		if (to_int[i] >= 0)
			close(to_int[i]);
		if (to_sub[i] >= 0)
			close(to_sub[i]);
	}
	if (iedata)
		unmap_fd(iedata, ielen);
	if (ierr >= 0)
		close(ierr);
	helper_exec_free(&x);
	strv_free(args);
	free(log_path);
	return ret;
}

/* ---- checking ---- */

static int map_path(const char *path, const char **data, size_t *len, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errf(err, errlen, "cannot open %s: %s", path, strerror(errno));
	int rc = map_fd(fd, data, len, err, errlen);
	close(fd);
	return rc;
}

static int check_builtin(struct grading *g, const struct problem_case *pc, struct case_io *io,
			 double total, struct checker_result *cr)
{
	char err[1024];
	const char *input = NULL, *answer = NULL;
	size_t input_len = 0, answer_len = 0;
	int ret = -1;
	if (map_path(io->input_path, &input, &input_len, err, sizeof(err)) < 0 ||
	    map_path(io->answer_path, &answer, &answer_len, err, sizeof(err)) < 0) {
		internal_error(g, "problem %s: %s line %d: %s", g->prob->code, g->prob->init_path,
			       pc->line, err);
		goto out;
	}
	struct checker_input ci = {
	    .output = io->run.odata,
	    .output_len = io->run.olen,
	    .answer = answer,
	    .answer_len = answer_len,
	    .input = input,
	    .input_len = input_len,
	    .points = total,
	    .args = pc->checker.args,
	};
	if (checker_run(checker_find(pc->checker.name), &ci, cr, err, sizeof(err)) < 0) {
		internal_error(g, "problem %s: checker %s: %s", g->prob->code, pc->checker.name,
			       err);
		goto out;
	}
	ret = 0;
out:
	if (input)
		unmap_fd(input, input_len);
	if (answer)
		unmap_fd(answer, answer_len);
	return ret;
}

static int check_bridged(struct grading *g, const struct problem_case *pc, struct case_io *io,
			 double total, struct checker_result *cr)
{
	const struct problem_program *pp = pc->checker.bridged;
	const struct helper *h;
	char err[2048];
	if (helper_get(&g->helpers, pp, &h, err, sizeof(err)) < 0) {
		internal_error(g, "%s", err);
		return -1;
	}
	double time = helper_time_limit(&g->helpers, pp);
	long mem = helper_memory_limit(&g->helpers, pp);
	char **args =
	    bridged_args(pp, BRIDGED_CHECKER, io->input_path, io->output_path, io->answer_path);
	struct helper_exec x;
	struct helper_output o;
	struct sbx_result res;
	helper_exec_init(&x, &g->helpers, h, args, time, mem, CHECKER_OUTPUT_LIMIT);
	expose_answer(io, true);
	int rc = helper_run_captured(&x, &res, &o, err, sizeof(err));
	expose_answer(io, false);
	if (rc < 0)
		internal_error(g, "problem %s: cannot run %s: %s", g->prob->code, h->label, err);
	else if ((rc = bridged_result(h, BRIDGED_CHECKER, &res, o.odata, o.olen, o.edata, o.elen,
				      total, time, mem, cr, err, sizeof(err))) < 0)
		internal_error(g, "problem %s: %s line %d: %s", g->prob->code, g->prob->init_path,
			       pp->line, err);
	helper_output_free(&o);
	helper_exec_free(&x);
	strv_free(args);
	return rc;
}

static int check_python(struct grading *g, const struct problem_case *pc, struct case_io *io,
			double total, int batch_no, int flags, const struct sbx_result *res,
			const char *feedback, struct checker_result *cr)
{
	const struct helper *h;
	char err[4096];
	if (pychecker_get(&g->helpers, pc->checker.name, &h, err, sizeof(err)) < 0) {
		internal_error(g, "%s", err);
		return -1;
	}
	struct pycheck_call call = {
	    .input_path = io->input_path,
	    .output_path = io->output_path,
	    .answer_path = io->answer_path,
	    .source_path = g->source_path,
	    .args = pc->checker.args,
	    .point_value = total,
	    .position = g->position - 1,
	    .batch = batch_no,
	    .flags = flags,
	    .language = g->req->language,
	    .binary_data = pc->binary_data,
	    .execution_time = res->cpu_time,
	    .wall_time = res->wall_time,
	    .memory_kib = (long)res->memory_kib,
	    .feedback = feedback,
	    .problem = g->prob->code,
	};
	expose_answer(io, true);
	int rc = pychecker_run(&g->helpers, h, &call, cr, err, sizeof(err));
	expose_answer(io, false);
	if (rc < 0) {
		internal_error(g, "problem %s: %s line %d: %s", g->prob->code, g->prob->init_path,
			       pc->line, err);
		return -1;
	}
	return 0;
}

/* The program's output: its stdout, or file_io's output file. */
static int map_output(struct grading *g, const struct problem_case *pc, struct case_io *io,
		      int *flags)
{
	char err[1024];
	const struct problem_file_io *fio = g->prob->file_io;
	if (!fio || !fio->output)
		return map_fd(io->run.out, &io->run.odata, &io->run.olen, err, sizeof(err)) < 0
			   ? (internal_error(g, "cannot read the program's output: %s", err), -1)
			   : 0;
	free(io->output_path);
	io->output_path = path_join(g->subdir, fio->output);
	if (map_path(io->output_path, &io->run.odata, &io->run.olen, err, sizeof(err)) < 0) {
		/* a program that replaced the file cannot have: the folder is
		 * not its own; anything else is the judge's trouble */
		internal_error(g, "cannot read file_io's output %s: %s", fio->output, err);
		return -1;
	}
	if (io->run.olen > (size_t)pc->output_limit_length)
		*flags |= ST_OLE;
	return 0;
}

/* Runs one case; returns its flags, or -1 after an internal error. */
static int run_case(struct grading *g, const struct problem_case *pc, double total, int batch_no)
{
	struct case_io io = {.run = {.out = -1, .err = -1}};
	char err[1024];
	int flags = -1;
	char feedback[256] = "";
	struct checker_result cr = {0};
	struct sbx_result res;
	bool interactive = g->prob->interactive != NULL;

	if (case_files(g, pc, &io) < 0 || prepare_folder(g, pc, &io) < 0)
		goto out;
	io.output_path = path_join(g->datadir, "output");
	io.run.out = create(io.output_path, 0644, err, sizeof(err));
	io.run.err = memfd_create("stderr", MFD_CLOEXEC);
	if (io.run.out < 0 || io.run.err < 0) {
		internal_error(g, "cannot create the case's files: %s",
			       io.run.out < 0 ? err : strerror(errno));
		goto out;
	}
	if (interactive) {
		flags = 0;
		if (run_interactive(g, pc, &io, &res, &flags, feedback, sizeof(feedback), &cr) <
		    0) {
			flags = -1;
			goto out;
		}
	} else {
		if (run_plain(g, pc, &io, &res) < 0)
			goto out;
		if (map_fd(io.run.err, &io.run.edata, &io.run.elen, err, sizeof(err)) < 0) {
			internal_error(g, "cannot read the program's error output: %s", err);
			goto out;
		}
		flags = submission_flags(g, &res, io.run.edata, io.run.elen, feedback,
					 sizeof(feedback));
		int rc = map_output(g, pc, &io, &flags);
		const struct problem_checker *ck = &pc->checker;
		if (rc == 0 && ck->python)
			rc = check_python(g, pc, &io, total, batch_no, flags, &res, feedback, &cr);
		else if (rc == 0 && flags == 0 && ck->bridged)
			rc = check_bridged(g, pc, &io, total, &cr);
		else if (rc == 0 && !ck->bridged &&
			 (flags == 0 || checker_runs_on_error(checker_find(ck->name))))
			rc = check_builtin(g, pc, &io, total, &cr);
		if (rc < 0) {
			flags = -1;
			goto out;
		}
	}
	if (!cr.passed)
		flags |= ST_WA;
	const char *fb = cr.feedback && *cr.feedback ? cr.feedback : feedback;
	json_t *c = case_object(g, flags, cr.passed || cr.points > 0 ? cr.points : 0, total, &res,
				io.run.odata, io.run.olen, pc->output_prefix_length, fb,
				cr.extended_feedback);
	send_case(g, c, batch_no);
out:
	checker_result_free(&cr);
	case_io_free(&io);
	return flags;
}

static void skip_case(struct grading *g, double total, int batch_no)
{
	send_case(g, case_object(g, ST_SC, 0, total, NULL, NULL, 0, 0, NULL, NULL), batch_no);
}

/* Grades a list of cases and batches; zero_points for pretests graded
 * before the full tests. Returns -1 after an internal error. */
static int run_units(struct grading *g, const struct problem_tests *t, bool zero_points)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct problem_unit *u = &t->units[i];
		if (u->batched) {
			emit(g, event_batch_begin());
			sc_batch_begin(&g->sc, u->deps, u->ndeps);
		}
		for (size_t j = 0; j < u->ncases; j++) {
			const struct problem_case *pc = &u->cases[j];
			double total = zero_points ? 0 : pc->points;
			g->position++;
			if (sc_skip(&g->sc)) {
				skip_case(g, total, u->batch_no);
				continue;
			}
			int flags = run_case(g, pc, total, u->batch_no);
			if (flags < 0)
				return -1;
			sc_case_done(&g->sc, flags, total, u->batched);
		}
		if (u->batched) {
			sc_batch_end(&g->sc, u->batch_no);
			emit(g, event_batch_end());
		}
	}
	return 0;
}

/* ---- compiling ---- */

static bool plain_name(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* signature_grader: the problem's entry file is the main source; the
 * submission becomes an extra source that includes the header first and,
 * unless allow_main, has its main renamed out of the way. */
struct signature_sources {
	char *entry, *header, *submission, *sub_name;
	size_t entry_len, header_len, submission_len;
	struct source_file extra[2];
};

static void signature_free(struct signature_sources *s)
{
	free(s->entry);
	free(s->header);
	free(s->submission);
	free(s->sub_name);
}

static int signature_prepare(struct grading *g, struct compile_request *creq,
			     struct signature_sources *s)
{
	const struct problem_signature *sig = g->prob->signature;
	char err[1024];
	if (problem_read_data(g->prob, sig->entry, true, &s->entry, &s->entry_len, err,
			      sizeof(err)) < 0 ||
	    problem_read_data(g->prob, sig->header, true, &s->header, &s->header_len, err,
			      sizeof(err)) < 0) {
		internal_error(g, "%s", err);
		return -1;
	}
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "#include \"%s\"\n", sig->header);
	if (!sig->allow_main) {
		unsigned char rnd[16];
		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
			sb_free(&sb);
			internal_error(g, "getrandom: %s", strerror(errno));
			return -1;
		}
		sb_adds(&sb, "#define main main_");
		for (size_t i = 0; i < sizeof(rnd); i++)
			sb_addf(&sb, "%02x", rnd[i]);
		sb_addc(&sb, '\n');
	}
	sb_add(&sb, g->req->source, g->req->source_len);
	s->submission_len = sb.len;
	s->submission = sb_detach(&sb);
	bool cpp = !strncmp(g->req->language, "CPP", 3);
	s->sub_name =
	    xasprintf("%s_submission.%s", plain_name(g->prob->code) ? g->prob->code : "signature",
		      cpp ? "cpp" : "c");
	s->extra[0] = (struct source_file){sig->header, s->header, s->header_len};
	s->extra[1] = (struct source_file){s->sub_name, s->submission, s->submission_len};
	creq->source = s->entry;
	creq->len = s->entry_len;
	creq->extra = s->extra;
	creq->nextra = 2;
	return 0;
}

static int compile(struct grading *g)
{
	char err[1024];
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
		if (signature_prepare(g, &creq, &sig) < 0)
			goto out;
		creq.defines = signature_defines;
	}
	double t0 = mono_now();
	int rc = executor_prepare(g->exe, &creq, &g->prog, err, sizeof(err));
	log_debug("prepared %s in %.1f ms (compiler %.1f ms)", executor_key(g->exe),
		  (mono_now() - t0) * 1000, g->prog.compile_time * 1000);
	g->have_prog = true;
	if (rc == PREPARE_INTERNAL) {
		internal_error(g, "cannot compile: %s", err);
		goto out;
	}
	if (rc == PREPARE_COMPILE_ERROR) {
		compile_error(g, g->prog.compile_log[0] ? g->prog.compile_log
							: "compiler exited abnormally");
		goto out;
	}
	if (executor_compiled(g->exe) && g->prog.compile_log[0]) {
		emit(g, event_compile_message(g->prog.compile_log));
	}
	ret = 0;
out:
	signature_free(&sig);
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
			internal_error(g, "cannot create %s: %s", dirs[i], strerror(errno));
			return -1;
		}
	char err[512];
	if (write_file(g->source_path, g->req->source, g->req->source_len, 0644, err, sizeof(err)) <
	    0) {
		internal_error(g, "%s", err);
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
	char err[512];
	int fd = create(path, 0666, err, sizeof(err));
	if (fd < 0 || fchmod(fd, 0666) < 0) {
		internal_error(g, "problem %s: file_io: %s", g->prob->code,
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
	char err[4096];
	const struct helper *h;
	struct problem *p = g->prob;
	if (p->interactive && helper_get(&g->helpers, p->interactive, &h, err, sizeof(err)) < 0) {
		internal_error(g, "%s", err);
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
					internal_error(g, "%s", err);
					return -1;
				}
				pp = pc->generator && (!pc->in || !pc->out) ? pc->generator : NULL;
				if (pp && helper_get(&g->helpers, pp, &h, err, sizeof(err)) < 0) {
					internal_error(g, "%s", err);
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
		internal_error(&g, "language %s is not available on this judge", req->language);
		goto out;
	}
	const struct problem_entry *pe = problem_index_find(env->problems, req->problem);
	if (!pe) {
		internal_error(&g, "problem %s is not on this judge", req->problem);
		goto out;
	}
	char err[1024];
	if (problem_load(pe->code, pe->dir, &g.prob, err, sizeof(err)) < 0) {
		internal_error(&g, "problem %s: %s", pe->code, err);
		goto out;
	}
	bool pretests_only = req->pretests_only && g.prob->has_pretests;
	if (set_up(&g) < 0 || check_problem(&g) < 0 || compile(&g) < 0 || prepare_file_io(&g) < 0 ||
	    prepare_helpers(&g, pretests_only) < 0)
		goto out;

	emit(&g, event_grading_begin(pretests_only));
	if (pretests_only) {
		if (run_units(&g, &g.prob->pretests, false) < 0)
			goto out;
	} else {
		if (run_units(&g, &g.prob->pretests, true) < 0 ||
		    run_units(&g, &g.prob->tests, false) < 0)
			goto out;
	}
	emit(&g, event_grading_end());
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
