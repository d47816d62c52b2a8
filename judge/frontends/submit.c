/*
 * `judge submit`: grading a file locally.
 *
 * `submit` grades through exactly the path a live submission takes: a
 * forked worker streaming events, which are printed here as a contestant
 * would see them (or collected into one JSON document with --json).
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "executors/executors.h"
#include "judge/frontends/frontends.h"
#include "judge/grading/verdict.h"
#include "judge/grading/worker.h"
#include "sandbox/sandbox.h"

#define MAX_SOURCE_FILE (64u << 20)

/* ---- rendering ---- */

struct view {
	bool ansi, json;
	json_t *doc; /* --json: the document being built */
	json_t *cases;
	struct tally tally;
	int batch; /* current batch number, 0 outside */
	int batches;
	const char *result; /* final code: CE, IE, AB or NULL (from cases) */
};

static const char *colour(const struct view *v, const char *code)
{
	if (!v->ansi)
		return "";
	if (!strcmp(code, "AC"))
		return "\033[1;32m";
	if (!strcmp(code, "WA"))
		return "\033[1;31m";
	if (!strcmp(code, "SC"))
		return "\033[2m";
	if (!strcmp(code, "CE") || !strcmp(code, "IE"))
		return "\033[1;35m";
	return "\033[1;33m";
}

static const char *reset(const struct view *v)
{
	return v->ansi ? "\033[0m" : "";
}

static void print_memory(long kib)
{
	if (kib >= 1024)
		printf("%.2f MiB", (double)kib / 1024);
	else
		printf("%ld KiB", kib);
}

static void show_case(struct view *v, json_t *c)
{
	int flags = (int)json_integer_value(json_object_get(c, "status"));
	const char *code = verdict_code(flags);
	if (v->json) {
		json_t *o = json_pack(
		    "{s:O, s:o, s:s, s:i, s:O, s:O, s:O, s:O, s:O, s:O, s:O}", "position",
		    json_object_get(c, "position"), "batch",
		    v->batch ? json_integer(v->batch) : json_null(), "status", code, "flags", flags,
		    "time", json_object_get(c, "time"), "memory", json_object_get(c, "memory"),
		    "points", json_object_get(c, "points"), "total",
		    json_object_get(c, "total-points"), "feedback", json_object_get(c, "feedback"),
		    "extended_feedback", json_object_get(c, "extended-feedback"), "output",
		    json_object_get(c, "output"));
		json_array_append_new(v->cases, o);
		return;
	}
	const char *fb = json_string_value(json_object_get(c, "feedback"));
	printf("%s  Case #%lld: %s%-3s%s", v->batch ? "  " : "",
	       (long long)json_integer_value(json_object_get(c, "position")), colour(v, code), code,
	       reset(v));
	if (strcmp(code, "SC")) {
		printf(" [%.3fs, ", json_number_value(json_object_get(c, "time")));
		print_memory((long)json_integer_value(json_object_get(c, "memory")));
		printf("] (%g/%g)", json_number_value(json_object_get(c, "points")),
		       json_number_value(json_object_get(c, "total-points")));
	}
	if (fb && *fb)
		printf(" %s", fb);
	printf("\n");
	const char *xfb = json_string_value(json_object_get(c, "extended-feedback"));
	if (xfb && *xfb)
		printf("%s      %s\n", v->batch ? "  " : "", xfb);
	fflush(stdout);
}

static void show_event(void *ctx, enum event_kind kind, json_t *ev)
{
	struct view *v = ctx;
	tally_event(&v->tally, kind, ev);
	switch (kind) {
	case EV_COMPILE_ERROR:
	case EV_COMPILE_MESSAGE: {
		const char *raw = json_string_value(json_object_get(ev, "log"));
		bool ce = kind == EV_COMPILE_ERROR;
		if (ce)
			v->result = "CE";
		/* compilers colour their messages for the site; a file or a
		 * pipe gets plain text */
		char *log = v->ansi ? xstrdup(raw ? raw : "") : ansi_strip(raw ? raw : "");
		if (v->json) {
			json_object_set_new(v->doc, "compile_log", json_string(log));
		} else {
			size_t n = strlen(log);
			printf("%s%s%s\n%s%s", colour(v, ce ? "CE" : "SC"),
			       ce ? "Compile error:" : "Compiler messages:", reset(v), log,
			       n && log[n - 1] != '\n' ? "\n" : "");
		}
		free(log);
		break;
	}
	case EV_INTERNAL_ERROR: {
		const char *msg = json_string_value(json_object_get(ev, "message"));
		v->result = "IE";
		if (v->json)
			json_object_set_new(v->doc, "error", json_string(msg ? msg : ""));
		else
			printf("%sInternal error:%s %s\n", colour(v, "IE"), reset(v),
			       msg ? msg : "");
		break;
	}
	case EV_BATCH_BEGIN:
		v->batch = ++v->batches;
		if (!v->json)
			printf("  Batch #%d\n", v->batch);
		break;
	case EV_BATCH_END:
		v->batch = 0;
		break;
	case EV_CASE: {
		size_t i;
		json_t *c;
		json_array_foreach (json_object_get(ev, "cases"), i, c)
			show_case(v, c);
		break;
	}
	default:
		break;
	}
	fflush(stdout);
}

static void show_summary(struct view *v)
{
	const char *res = v->result ? v->result : v->tally.worst ? v->tally.worst : "AC";
	if (v->json) {
		json_object_set_new(v->doc, "result", json_string(res));
		json_object_set_new(v->doc, "points", json_real(v->tally.points));
		json_object_set_new(v->doc, "total", json_real(v->tally.total));
		json_object_set_new(v->doc, "time", json_real(v->tally.time));
		json_object_set_new(v->doc, "memory", json_integer(v->tally.memory));
		char *text = json_dumps(v->doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
		printf("%s\n", text ? text : "{}");
		free(text);
		return;
	}
	printf("Result: %s%s%s", colour(v, res), res, reset(v));
	if (strcmp(res, "CE") && strcmp(res, "IE") && strcmp(res, "AB")) {
		printf(" (%g/%g points) in %.3fs, ", v->tally.points, v->tally.total,
		       v->tally.time);
		print_memory(v->tally.memory);
	}
	printf("\n");
}

/* Runs a worker to the end, handing each event to the view. SIGINT and
 * SIGTERM kill the grading and still clean up. */
static int drive(const struct judge_env *env, const struct grading_request *req, struct view *v)
{
	char err[ERR_SIZE];
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, &old);
	int sfd = signalfd(-1, &set, SFD_CLOEXEC);
	int rc = worker_drive(env, req, sfd, show_event, v, err, sizeof(err));
	if (rc == DRIVE_NO_WORKER)
		fprintf(stderr, "judge: %s\n", err);
	if (rc == DRIVE_ABORTED) {
		v->result = "AB";
		if (!v->json)
			printf("Aborted.\n");
	}
	if (sfd >= 0)
		close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc == DRIVE_NO_WORKER ? -1 : 0;
}

static int load_problems(const struct config *cfg, struct problem_index *idx)
{
	char err[ERR_SIZE];
	if (problem_discover(cfg->problem_globs, idx, err, sizeof(err)) < 0) {
		fprintf(stderr, "judge: %s: %s\n", cfg->path, err);
		return -1;
	}
	return 0;
}

int cmd_submit(struct config *cfg, int argc, char **argv, bool ansi)
{
	static const struct option opts[] = {
	    {"time-limit", required_argument, NULL, 't'},
	    {"memory-limit", required_argument, NULL, 'm'},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	double tl = 2;
	long ml = 262144;
	bool json = false;
	/* 0, not 1: glibc must forget the global options' scan */
	optind = 0;
	int c;
	while ((c = getopt_long(argc, argv, "t:m:jh", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (!parse_double(optarg, &tl) || tl <= 0 || tl > 3600)
				die(2, "submit: -t: %s is not a time limit in seconds", optarg);
			break;
		case 'm':
			if (!parse_long(optarg, &ml) || ml <= 0)
				die(2, "submit: -m: %s is not a memory limit in KiB", optarg);
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			printf("usage: judge [-c FILE] submit PROBLEM LANG SOURCE [-t SECONDS] "
			       "[-m KIB] [--json]\n");
			return 0;
		default:
			return 2;
		}
	}
	if (argc - optind != 3) {
		fprintf(stderr, "usage: judge [-c FILE] submit PROBLEM LANG SOURCE [-t SECONDS] "
				"[-m KIB] [--json]\n");
		return 2;
	}
	const char *problem = argv[optind], *lang = argv[optind + 1], *file = argv[optind + 2];
	char err[ERR_SIZE];
	struct grading_request req = {0};
	if (read_file(file, MAX_SOURCE_FILE, &req.source, &req.source_len, err, sizeof(err)) < 0) {
		fprintf(stderr, "judge: submit: %s\n", err);
		return 2;
	}
	struct problem_index idx;
	if (load_problems(cfg, &idx) < 0) {
		free(req.source);
		return 1;
	}
	int ret = 1;
	if (!problem_index_find(&idx, problem)) {
		fprintf(stderr,
			"judge: submit: problem %s not found under problem_storage_globs of %s\n",
			problem, cfg->path);
		goto out;
	}
	bool known = false;
	for (size_t i = 0; i < executors_known(); i++)
		known |= !strcmp(executors_known_key(i), lang);
	if (!known) {
		fprintf(stderr, "judge: submit: unknown language %s; known:", lang);
		for (size_t i = 0; i < executors_known(); i++)
			fprintf(stderr, " %s", executors_known_key(i));
		fprintf(stderr, "\n");
		ret = 2;
		goto out;
	}
	judge_setup_sandbox(cfg);
	/* all of them, as the live judge has: a problem's checker, generator
	 * or interactor may be in another language than the submission */
	judge_setup_executors(cfg, NULL, NULL, false, true);
	if (!executor_find(lang)) {
		fprintf(stderr, "judge: submit: language %s is not usable here: %s\n", lang,
			executors_problem(lang));
		goto out;
	}
	req.id = 0;
	req.problem = xstrdup(problem);
	req.language = xstrdup(lang);
	req.time_limit = tl;
	req.memory_limit = ml;
	req.short_circuit = false;
	struct judge_env env = {cfg, &idx};
	struct view v = {.ansi = ansi && !json, .json = json};
	tally_init(&v.tally);
	if (json) {
		v.doc = json_pack("{s:s, s:s, s:n, s:f, s:f, s:f, s:i, s:s, s:n}", "problem",
				  problem, "language", lang, "result", "points", 0.0, "total", 0.0,
				  "time", 0.0, "memory", 0, "compile_log", "", "error");
		v.cases = json_array();
		json_object_set(v.doc, "cases", v.cases);
	} else {
		const struct executor *e = executor_find(lang);
		printf("Grading %s in %s (%s) with %gs, %ld KiB\n", problem, lang,
		       executor_runtime_version(e), tl, ml);
	}
	if (drive(&env, &req, &v) == 0) {
		show_summary(&v);
		ret = v.result && !strcmp(v.result, "IE") ? 1 : 0;
	}
	json_decref(v.cases);
	json_decref(v.doc);
out:
	grading_request_free(&req);
	problem_index_free(&idx);
	executors_free();
	return ret;
}
