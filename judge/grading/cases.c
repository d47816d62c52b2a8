/*
 * One test case of a grading: its files in the data folder, running the
 * submission on them, checking the output (built-in, bridged or Python
 * checkers), the case's event, and the units (cases and batches) in
 * order with the short-circuit rules.
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

static void case_io_free(struct case_io *io)
{
	helper_output_free(&io->run);
	free(io->input_path);
	free(io->answer_path);
	free(io->output_path);
}

int grading_create(const char *path, mode_t mode, char *err, size_t errlen)
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
	int fd = grading_create(path, mode, err, errlen);
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
	char err[ERR_SIZE];
	const char *gen_in = NULL, *gen_ans = NULL;
	if (pc->generator && (!pc->in || !pc->out) &&
	    generator_run(&g->helpers, &g->gens, pc, &gen_in, &gen_ans, err, sizeof(err)) < 0) {
		grading_internal_error(g, "%s", err);
		return -1;
	}
	if (gen_in) {
		io->input_path = xstrdup(gen_in);
	} else {
		io->input_path = path_join(g->datadir, "input");
		if (fill(g, pc->in, pc->binary_data, io->input_path, 0644, err, sizeof(err)) < 0) {
			grading_internal_error(g, "%s", err);
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
			grading_internal_error(g, "%s", err);
			return -1;
		}
	}
	return 0;
}

/* Lets the sandbox user read the expected output (a checker or an
 * interactor needs it), or takes that back. */
void grading_expose_answer(struct case_io *io, bool readable)
{
	if (chmod(io->answer_path, readable ? 0644 : 0600) < 0)
		log_warn("chmod %s: %s", io->answer_path, strerror(errno));
}

/* file_io's input file and symlinks in the submission's folder. */
static int prepare_folder(struct grading *g, const struct problem_case *pc, struct case_io *io)
{
	char err[ERR_SIZE];
	const struct problem_file_io *fio = g->prob->file_io;
	if (fio && fio->input) {
		char *path = path_join(g->subdir, fio->input);
		if (copy_file(io->input_path, path, 0644, err, sizeof(err)) < 0) {
			grading_internal_error(g, "problem %s: file_io: %s", g->prob->code, err);
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
			grading_internal_error(g, "problem %s: file_io: cannot empty %s: %s",
					       g->prob->code, fio->output, strerror(errno));
			return -1;
		}
	}
	const char *name;
	json_t *target;
	json_object_foreach (pc->symlinks, name, target) {
		char *path = path_join(g->subdir, name);
		struct stat st;
		/* a link of an earlier case may point elsewhere */
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			unlink(path);
		int rc = symlink(json_string_value(target), path);
		int e = errno;
		free(path);
		if (rc < 0) {
			grading_internal_error(
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
int grading_submission_flags(struct grading *g, const struct sbx_result *res, const char *edata,
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
	grading_emit(g, event_case(c));
}

/* Runs the submission alone, standard streams to files. */
static int run_plain(struct grading *g, const struct problem_case *pc, struct case_io *io,
		     struct sbx_result *res)
{
	char err[ERR_SIZE];
	int in = open(io->input_path, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		grading_internal_error(g, "cannot open the case's input %s: %s", io->input_path,
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
		grading_internal_error(g, "cannot run the submission: %s", err);
		return -1;
	}
	return 0;
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
	char err[ERR_SIZE];
	const char *input = NULL, *answer = NULL;
	size_t input_len = 0, answer_len = 0;
	int ret = -1;
	if (map_path(io->input_path, &input, &input_len, err, sizeof(err)) < 0 ||
	    map_path(io->answer_path, &answer, &answer_len, err, sizeof(err)) < 0) {
		grading_internal_error(g, "problem %s: %s line %d: %s", g->prob->code,
				       g->prob->init_path, pc->line, err);
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
		grading_internal_error(g, "problem %s: checker %s: %s", g->prob->code,
				       pc->checker.name, err);
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
	char err[ERR_SIZE];
	if (helper_get(&g->helpers, pp, &h, err, sizeof(err)) < 0) {
		grading_internal_error(g, "%s", err);
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
	grading_expose_answer(io, true);
	int rc = helper_run_captured(&x, &res, &o, err, sizeof(err));
	grading_expose_answer(io, false);
	if (rc < 0)
		grading_internal_error(g, "problem %s: cannot run %s: %s", g->prob->code, h->label,
				       err);
	else if ((rc = bridged_result(h, BRIDGED_CHECKER, &res, o.odata, o.olen, o.edata, o.elen,
				      total, time, mem, cr, err, sizeof(err))) < 0)
		grading_internal_error(g, "problem %s: %s line %d: %s", g->prob->code,
				       g->prob->init_path, pp->line, err);
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
	char err[ERR_SIZE];
	if (pychecker_get(&g->helpers, pc->checker.name, &h, err, sizeof(err)) < 0) {
		grading_internal_error(g, "%s", err);
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
	grading_expose_answer(io, true);
	int rc = pychecker_run(&g->helpers, h, &call, cr, err, sizeof(err));
	grading_expose_answer(io, false);
	if (rc < 0) {
		grading_internal_error(g, "problem %s: %s line %d: %s", g->prob->code,
				       g->prob->init_path, pc->line, err);
		return -1;
	}
	return 0;
}

/* The program's output: its stdout, or file_io's output file. */
static int map_output(struct grading *g, const struct problem_case *pc, struct case_io *io,
		      int *flags)
{
	char err[ERR_SIZE];
	const struct problem_file_io *fio = g->prob->file_io;
	if (!fio || !fio->output)
		return map_fd(io->run.out, &io->run.odata, &io->run.olen, err, sizeof(err)) < 0
			   ? (grading_internal_error(g, "cannot read the program's output: %s",
						     err),
			      -1)
			   : 0;
	free(io->output_path);
	io->output_path = path_join(g->subdir, fio->output);
	if (map_path(io->output_path, &io->run.odata, &io->run.olen, err, sizeof(err)) < 0) {
		/* a program that replaced the file cannot have: the folder is
		 * not its own; anything else is the judge's trouble */
		grading_internal_error(g, "cannot read file_io's output %s: %s", fio->output, err);
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
	char err[ERR_SIZE];
	int flags = -1;
	char feedback[256] = "";
	struct checker_result cr = {0};
	struct sbx_result res;
	bool interactive = g->prob->interactive != NULL;

	if (case_files(g, pc, &io) < 0 || prepare_folder(g, pc, &io) < 0)
		goto out;
	io.output_path = path_join(g->datadir, "output");
	io.run.out = grading_create(io.output_path, 0644, err, sizeof(err));
	io.run.err = memfd_create("stderr", MFD_CLOEXEC);
	if (io.run.out < 0 || io.run.err < 0) {
		grading_internal_error(g, "cannot create the case's files: %s",
				       io.run.out < 0 ? err : strerror(errno));
		goto out;
	}
	if (interactive) {
		flags = 0;
		if (grading_run_interactive(g, pc, &io, &res, &flags, feedback, sizeof(feedback),
					    &cr) < 0) {
			flags = -1;
			goto out;
		}
	} else {
		if (run_plain(g, pc, &io, &res) < 0)
			goto out;
		if (map_fd(io.run.err, &io.run.edata, &io.run.elen, err, sizeof(err)) < 0) {
			grading_internal_error(g, "cannot read the program's error output: %s",
					       err);
			goto out;
		}
		flags = grading_submission_flags(g, &res, io.run.edata, io.run.elen, feedback,
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
int grading_run_units(struct grading *g, const struct problem_tests *t, bool zero_points)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct problem_unit *u = &t->units[i];
		if (u->batched) {
			grading_emit(g, event_batch_begin());
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
			grading_emit(g, event_batch_end());
		}
	}
	return 0;
}
