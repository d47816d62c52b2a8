/*
 * Interactive problems: the submission and the problem's interactor run
 * together, each one's stdout the other's stdin.
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

/* Runs the submission and the interactor together, each one's stdout the
 * other's stdin. The submission's own failure decides the case before
 * anything the interactor says; otherwise the interactor's exit code does,
 * and an interactor that crashed or broke its protocol is an internal
 * error. */
int grading_run_interactive(struct grading *g, const struct problem_case *pc, struct case_io *io,
			    struct sbx_result *res, int *flags, char *feedback, size_t fblen,
			    struct checker_result *cr)
{
	const struct problem_program *pp = g->prob->interactive;
	const struct helper *h;
	char err[ERR_SIZE];
	int to_int[2] = {-1, -1}, to_sub[2] = {-1, -1}, ierr = -1, ret = -1;
	const char *iedata = NULL;
	size_t ielen = 0;
	char *log_path = path_join(g->datadir, "interactor.log");
	char **args = NULL;
	struct helper_exec x = {0};
	if (helper_get(&g->helpers, pp, &h, err, sizeof(err)) < 0) {
		grading_internal_error(g, "%s", err);
		goto out;
	}
	int logfd = grading_create(log_path, 0666, err, sizeof(err));
	if (logfd < 0) {
		grading_internal_error(g, "%s", err);
		goto out;
	}
	/* created by the judge, written by the sandbox user (the umask may
	 * have taken write access away from others) */
	int mode_rc = fchmod(logfd, 0666);
	close(logfd);
	if (mode_rc < 0) {
		grading_internal_error(g, "chmod %s: %s", log_path, strerror(errno));
		goto out;
	}
	double itime = g->req->time_limit + pp->preprocessing_time;
	long imem = helper_memory_limit(&g->helpers, pp);
	args = bridged_args(pp, BRIDGED_INTERACTOR, io->input_path, log_path, io->answer_path);
	helper_exec_init(&x, &g->helpers, h, args, itime, imem, CHECKER_OUTPUT_LIMIT);
	helper_exec_allow_write(&x, log_path);
	ierr = memfd_create("interactor-stderr", MFD_CLOEXEC);
	if (ierr < 0 || pipe2(to_int, O_CLOEXEC) < 0 || pipe2(to_sub, O_CLOEXEC) < 0) {
		grading_internal_error(g, "cannot connect the interactor: %s", strerror(errno));
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
	grading_expose_answer(io, true);
	int rc = sbx_run(specs, results, 2, err, sizeof(err));
	grading_expose_answer(io, false);
	if (rc < 0) {
		grading_internal_error(g, "cannot run the submission with its interactor: %s", err);
		goto out;
	}
	*res = results[0];
	if (map_fd(io->run.err, &io->run.edata, &io->run.elen, err, sizeof(err)) < 0 ||
	    map_fd(ierr, &iedata, &ielen, err, sizeof(err)) < 0) {
		grading_internal_error(g, "cannot read the programs' error output: %s", err);
		goto out;
	}
	*flags = grading_submission_flags(g, res, io->run.edata, io->run.elen, feedback, fblen);
	if (*flags) {
		ret = 0;
		goto out;
	}
	if (bridged_result(h, BRIDGED_INTERACTOR, &results[1], NULL, 0, iedata, ielen, pc->points,
			   itime, imem, cr, err, sizeof(err)) < 0) {
		grading_internal_error(g, "problem %s: %s line %d: %s", g->prob->code,
				       g->prob->init_path, pp->line, err);
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
