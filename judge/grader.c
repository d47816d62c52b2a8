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
 * unknown checker) is checked before compiling where possible and ends the
 * grading with one internal-error naming the problem, file and key.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "executors/executors.h"
#include "judge/checkers.h"
#include "judge/judge.h"
#include "sandbox/sandbox.h"

/* Sources beyond this are refused before compiling: no contest problem
 * needs more, and it bounds the work a single submission can cause. */
#define MAX_SOURCE ((size_t)1 << 20)
/* No site frame holds more than 8 MiB: a larger output_prefix_length is
 * cut here, before it crosses the event pipe. */
#define MAX_OUTPUT_PREFIX ((size_t)8 << 20)
/* How much of stderr is searched for an exception name. */
#define STDERR_TAIL 4096

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
	char *fixed = utf8_repair(sb.buf ? sb.buf : "", sb.len);
	log_error("internal error: %s", fixed);
	emit(g, json_pack("{s:s, s:s}", "name", "internal-error", "message", fixed));
	free(fixed);
	sb_free(&sb);
	g->failed = true;
}

static void compile_error(struct grading *g, const char *log)
{
	char *fixed = utf8_repair(log, strlen(log));
	emit(g, json_pack("{s:s, s:s}", "name", "compile-error", "log", fixed));
	free(fixed);
}

/* ---- checks before compiling ---- */

static bool is_python_checker(const char *name)
{
	size_t n = strlen(name);
	return n > 3 && !strcmp(name + n - 3, ".py");
}

static int check_case_checker(struct grading *g, const struct problem_case *pc)
{
	const char *name = pc->checker.name;
	if (!strcmp(name, "bridged") || is_python_checker(name)) {
		internal_error(g, "problem %s: %s line %d: checker `%s` is not supported yet",
			       g->prob->code, g->prob->init_path, pc->line, name);
		return -1;
	}
	const struct checker_def *c = checker_find(name);
	if (!c) {
		internal_error(g, "problem %s: %s line %d: unknown checker `%s`", g->prob->code,
			       g->prob->init_path, pc->line, name);
		return -1;
	}
	char err[512];
	if (checker_validate(c, pc->checker.args, err, sizeof(err)) < 0) {
		internal_error(g, "problem %s: %s line %d: %s", g->prob->code, g->prob->init_path,
			       pc->line, err);
		return -1;
	}
	return 0;
}

static int check_problem(struct grading *g)
{
	struct problem *p = g->prob;
	static const struct {
		const char *key;
		size_t off;
	} later[] = {
	    {"generator", offsetof(struct problem, generator)},
	    {"interactive", offsetof(struct problem, interactive)},
	    {"signature_grader", offsetof(struct problem, signature_grader)},
	    {"file_io", offsetof(struct problem, file_io)},
	};
	for (size_t i = 0; i < ARRAY_LEN(later); i++) {
		json_t *v = *(json_t **)((char *)p + later[i].off);
		if (v) {
			internal_error(g, "problem %s: %s: key `%s` is not supported yet", p->code,
				       p->init_path, later[i].key);
			return -1;
		}
	}
	if (p->symlinks && json_object_size(p->symlinks)) {
		internal_error(g, "problem %s: %s: key `symlinks` is not supported yet", p->code,
			       p->init_path);
		return -1;
	}
	for (size_t i = 0; p->hints && p->hints[i]; i++)
		log_warn("problem %s: hint `%s` ignored", p->code, p->hints[i]);
	struct problem_tests *lists[2] = {&p->pretests, &p->tests};
	for (int l = 0; l < 2; l++)
		for (size_t i = 0; i < lists[l]->n; i++)
			for (size_t j = 0; j < lists[l]->units[i].ncases; j++)
				if (check_case_checker(g, &lists[l]->units[i].cases[j]) < 0)
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

/* ---- running one case ---- */

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

struct outputs {
	int in, out, err;
	const char *odata, *edata;
	size_t olen, elen;
	char *input, *answer;
	size_t input_len, answer_len;
};

static void outputs_free(struct outputs *o)
{
	if (o->odata)
		unmap_fd(o->odata, o->olen);
	if (o->edata)
		unmap_fd(o->edata, o->elen);
	if (o->in >= 0)
		close(o->in);
	if (o->out >= 0)
		close(o->out);
	if (o->err >= 0)
		close(o->err);
	free(o->input);
	free(o->answer);
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
	emit(g, json_pack("{s:s, s:[o]}", "name", "test-case-status", "cases", c));
}

/* Runs one case; returns its flags, or -1 after an internal error. */
static int run_case(struct grading *g, const struct problem_case *pc, double total, int batch_no)
{
	const struct grading_request *r = g->req;
	struct outputs o = {.in = -1, .out = -1, .err = -1};
	char err[1024];
	int flags = -1;
	char feedback[256] = "";
	struct checker_result cr = {0};
	struct sbx_result res;

	if (problem_read_data(g->prob, pc->in, pc->binary_data, &o.input, &o.input_len, err,
			      sizeof(err)) < 0 ||
	    problem_read_data(g->prob, pc->out, pc->binary_data, &o.answer, &o.answer_len, err,
			      sizeof(err)) < 0) {
		internal_error(g, "%s", err);
		goto out;
	}
	o.in = memfd_from("input", o.input, o.input_len, err, sizeof(err));
	o.out = memfd_create("output", MFD_CLOEXEC);
	o.err = memfd_create("stderr", MFD_CLOEXEC);
	if (o.in < 0 || o.out < 0 || o.err < 0) {
		internal_error(g, "cannot create the case's files: %s", strerror(errno));
		goto out;
	}
	struct sbx_spec spec;
	program_spec(&g->prog, r->time_limit, (uint64_t)r->memory_limit, pc->wall_time_factor,
		     (uint64_t)pc->output_limit_length, &spec);
	spec.stdin_fd = o.in;
	spec.stdout_fd = o.out;
	spec.stderr_fd = o.err;
	double t0 = mono_now();
	int rc = sbx_run(&spec, &res, 1, err, sizeof(err));
	log_debug("case %d: ran in %.2f ms (cpu %.2f ms)", g->position, (mono_now() - t0) * 1000,
		  res.cpu_time * 1000);
	if (rc < 0) {
		internal_error(g, "cannot run the submission: %s", err);
		goto out;
	}
	if (map_fd(o.out, &o.odata, &o.olen, err, sizeof(err)) < 0 ||
	    map_fd(o.err, &o.edata, &o.elen, err, sizeof(err)) < 0) {
		internal_error(g, "cannot read the program's output: %s", err);
		goto out;
	}

	flags = 0;
	if (res.tle)
		flags |= ST_TLE;
	if (res.mle)
		flags |= ST_MLE;
	if (res.ole)
		flags |= ST_OLE;
	if (!(flags & (ST_TLE | ST_MLE | ST_OLE))) {
		if (res.denied) {
			flags |= ST_RTE;
			snprintf(feedback, sizeof(feedback), "%s", res.feedback);
		} else if (res.signal) {
			flags |= ST_RTE;
		} else if (res.exited && res.exit_code) {
			flags |= ST_IR;
		}
	}
	if ((flags & (ST_RTE | ST_IR)) && !res.denied) {
		size_t tail = o.elen > STDERR_TAIL ? STDERR_TAIL : o.elen;
		executor_feedback(g->exe, o.edata + o.elen - tail, tail, feedback,
				  sizeof(feedback));
		if (executor_feedback_is_memory(feedback)) {
			/* the runtime ran into the address-space limit */
			flags = (flags & ~(ST_RTE | ST_IR)) | ST_MLE;
			feedback[0] = '\0';
		} else if (!feedback[0] && res.feedback[0]) {
			snprintf(feedback, sizeof(feedback), "%s", res.feedback);
		} else if (!feedback[0] && res.signal) {
			snprintf(feedback, sizeof(feedback), "%s", strsignal(res.signal));
			lower(feedback);
		} else if (!feedback[0]) {
			snprintf(feedback, sizeof(feedback), "exit code %d", res.exit_code);
		}
	}

	const struct checker_def *cd = checker_find(pc->checker.name);
	if (flags == 0 || checker_runs_on_error(cd)) {
		struct checker_input ci = {
		    .output = o.odata,
		    .output_len = o.olen,
		    .answer = o.answer,
		    .answer_len = o.answer_len,
		    .input = o.input,
		    .input_len = o.input_len,
		    .points = total,
		    .args = pc->checker.args,
		};
		if (checker_run(cd, &ci, &cr, err, sizeof(err)) < 0) {
			internal_error(g, "problem %s: checker %s: %s", g->prob->code,
				       pc->checker.name, err);
			flags = -1;
			goto out;
		}
	}
	if (!cr.passed)
		flags |= ST_WA;
	const char *fb = cr.feedback && *cr.feedback ? cr.feedback : feedback;
	json_t *c =
	    case_object(g, flags, cr.passed || cr.points > 0 ? cr.points : 0, total, &res, o.odata,
			o.olen, pc->output_prefix_length, fb, cr.extended_feedback);
	send_case(g, c, batch_no);
out:
	checker_result_free(&cr);
	outputs_free(&o);
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
			emit(g, json_pack("{s:s}", "name", "batch-begin"));
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
			emit(g, json_pack("{s:s}", "name", "batch-end"));
		}
	}
	return 0;
}

static int compile(struct grading *g)
{
	char err[1024];
	char *dir = path_join(g->workdir, "submission");
	if (mkdir(dir, 0755) < 0) {
		internal_error(g, "cannot create %s: %s", dir, strerror(errno));
		free(dir);
		return -1;
	}
	struct compile_request creq = {
	    .source = g->req->source,
	    .len = g->req->source_len,
	    .name = g->prob->code,
	    .dir = dir,
	    .unbuffered = g->prob->unbuffered,
	};
	double t0 = mono_now();
	int rc = executor_prepare(g->exe, &creq, &g->prog, err, sizeof(err));
	log_debug("prepared %s in %.1f ms (compiler %.1f ms)", executor_key(g->exe),
		  (mono_now() - t0) * 1000, g->prog.compile_time * 1000);
	free(dir);
	g->have_prog = true;
	if (rc == PREPARE_INTERNAL) {
		internal_error(g, "cannot compile: %s", err);
		return -1;
	}
	if (rc == PREPARE_COMPILE_ERROR) {
		compile_error(g, g->prog.compile_log[0] ? g->prog.compile_log
							: "compiler exited abnormally");
		return -1;
	}
	if (executor_compiled(g->exe) && g->prog.compile_log[0]) {
		char *fixed = utf8_repair(g->prog.compile_log, strlen(g->prog.compile_log));
		emit(g, json_pack("{s:s, s:s}", "name", "compile-message", "log", fixed));
		free(fixed);
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
	if (check_problem(&g) < 0 || compile(&g) < 0)
		goto out;

	bool pretests_only = req->pretests_only && g.prob->has_pretests;
	emit(&g, json_pack("{s:s, s:b}", "name", "grading-begin", "pretested", pretests_only));
	if (pretests_only) {
		if (run_units(&g, &g.prob->pretests, false) < 0)
			goto out;
	} else {
		if (run_units(&g, &g.prob->pretests, true) < 0 ||
		    run_units(&g, &g.prob->tests, false) < 0)
			goto out;
	}
	emit(&g, json_pack("{s:s}", "name", "grading-end"));
out:
	if (g.have_prog)
		program_free(&g.prog);
	problem_free(g.prob);
	sc_free(&g.sc);
}
