/*
 * Python checker modules (`checker: NAME.py`): checkers written for
 * DMOJ's Python judge, run as a sandboxed python3 with the policy of the
 * executor that runs Python modules, one process per case.
 *
 * They import from DMOJ; judge/checkers/pycompat holds our own small dmoj
 * package offering what such checkers use, and judge_run_checker.py, which
 * loads the module, calls check() with DMOJ's keyword arguments and prints
 * the result as JSON. The layer is found relative to the judge binary:
 * PREFIX/share/judge/pycompat once installed, judge/checkers/pycompat of
 * the source tree when run from build/. It is copied into the checker's folder of the
 * grading, so the sandbox user reads it there whoever may read the place
 * the judge is installed or built in (a clone under /root, say).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "judge/checkers/pychecker.h"

#define RUNNER "judge_run_checker.py"
/* The result is one small JSON object; the rest of stdout goes nowhere. */
#define RESULT_LIMIT ((uint64_t)16 << 20)

const char *pychecker_layer_dir(void)
{
	static char found[PATH_MAX];
	static bool searched;
	if (searched)
		return found[0] ? found : NULL;
	searched = true;
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	static const char *const candidates[] = {"../share/judge/pycompat",
						 "../judge/checkers/pycompat"};
	for (size_t i = 0; i < ARRAY_LEN(candidates); i++) {
		char *dir = path_join(exe, candidates[i]);
		char *probe = path_join(dir, "dmoj/__init__.py");
		char *real = path_exists(probe) ? realpath(dir, NULL) : NULL;
		if (real && strlen(real) < sizeof(found))
			snprintf(found, sizeof(found), "%s", real);
		free(real);
		free(probe);
		free(dir);
		if (found[0])
			return found;
	}
	return NULL;
}

/* Copies the layer's Python files (a small tree) into dst. */
static int copy_layer(const char *src, const char *dst, int depth, char *err, size_t errlen)
{
	size_t n;
	char **names = list_dir(src, &n);
	if (!names)
		return errf(err, errlen, "cannot read %s: %s", src, strerror(errno));
	if (mkdir(dst, 0755) < 0 && errno != EEXIST) {
		strv_free(names);
		return errf(err, errlen, "cannot create %s: %s", dst, strerror(errno));
	}
	int ret = 0;
	for (size_t i = 0; i < n && ret == 0; i++) {
		char *from = path_join(src, names[i]), *to = path_join(dst, names[i]);
		size_t len = strlen(names[i]);
		if (is_dir(from) && depth < 4 && names[i][0] != '_') {
			ret = copy_layer(from, to, depth + 1, err, errlen);
		} else if (len > 3 && !strcmp(names[i] + len - 3, ".py")) {
			char *data;
			size_t size;
			ret = read_file(from, (size_t)1 << 20, &data, &size, err, errlen);
			if (ret == 0) {
				ret = write_file(to, data, size, 0644, err, errlen);
				free(data);
			}
		}
		free(from);
		free(to);
	}
	strv_free(names);
	return ret;
}

int pychecker_get(struct helper_set *hs, const char *name, const struct helper **out, char *err,
		  size_t errlen)
{
	for (size_t i = 0; i < hs->n; i++)
		if (hs->items[i]->module && !strcmp(hs->items[i]->module, name)) {
			*out = hs->items[i];
			return 0;
		}
	const struct problem *p = hs->prob;
	const char *layer = pychecker_layer_dir();
	const struct executor *py = executor_with(EXEC_CAP_PYTHON_MODULES);
	char inner[ERR_SIZE];
	char *src = NULL, *dir = NULL;
	size_t len;
	struct helper *h = xcalloc(1, sizeof(*h));
	int ret = -1;
	h->module = xstrdup(name);
	h->label = xasprintf("checker %s", name);
	h->exe = py;
	if (!layer) {
		snprintf(inner, sizeof(inner),
			 "the DMOJ compatibility layer (pycompat) is not installed next to the "
			 "judge");
		goto out;
	}
	if (!py) {
		snprintf(inner, sizeof(inner),
			 "Python checkers need the PY3 executor (python3), "
			 "which this judge does not have");
		goto out;
	}
	if (!problem_has_data(p, name)) {
		snprintf(inner, sizeof(inner), "checker module path does not exist: %s", name);
		goto out;
	}
	if (problem_read_data(p, name, true, &src, &len, inner, sizeof(inner)) < 0)
		goto out;
	if (mkdir(hs->dir, 0755) < 0 && errno != EEXIST) {
		snprintf(inner, sizeof(inner), "cannot create %s: %s", hs->dir, strerror(errno));
		goto out;
	}
	dir = xasprintf("%s/%zu", hs->dir, hs->n);
	if (mkdir(dir, 0755) < 0) {
		snprintf(inner, sizeof(inner), "cannot create %s: %s", dir, strerror(errno));
		goto out;
	}
	struct compile_request req = {.source = src, .len = len, .name = "checker", .dir = dir};
	int rc = executor_prepare(py, &req, &h->prog, inner, sizeof(inner));
	if (rc == PREPARE_COMPILE_ERROR) {
		char *plain = ansi_strip(h->prog.compile_log);
		snprintf(inner, sizeof(inner), "it does not compile:\n%.800s", plain);
		free(plain);
		goto out;
	}
	if (rc != PREPARE_OK)
		goto out;
	/* the executor runs its source; a checker module is run by our
	 * runner instead, which imports it (the source is the last word of
	 * the executor's command line) */
	size_t argc = 0;
	while (h->prog.argv[argc])
		argc++;
	char *copy = path_join(dir, "pycompat");
	int copied = copy_layer(layer, copy, 0, inner, sizeof(inner));
	char *module = path_join(dir, h->prog.argv[argc - 1]);
	char *runner = path_join(copy, RUNNER);
	free(copy);
	if (copied < 0) {
		free(module);
		free(runner);
		goto out;
	}
	char **argv = NULL;
	size_t n = 0, cap = 0;
	const char *words[] = {h->prog.argv[0], "-B", runner, module};
	for (size_t i = 0; i < ARRAY_LEN(words); i++)
		strv_push(&argv, &n, &cap, words[i]);
	free(module);
	free(runner);
	strv_free(h->prog.argv);
	h->prog.argv = argv;
	XGROW(hs->items, hs->cap, hs->n + 1);
	hs->items[hs->n++] = h;
	*out = h;
	h = NULL;
	ret = 0;
out:
	if (ret < 0)
		errf(err, errlen, "problem %s: checker %s: %s", p->code, name, inner);
	if (h) {
		program_free(&h->prog);
		free(h->module);
		free(h->label);
		free(h);
	}
	free(src);
	free(dir);
	return ret;
}

static char *request_json(const struct pycheck_call *c)
{
	json_t *r = json_pack(
	    "{s:s, s:s, s:s, s:s, s:O, s:f, s:i, s:i, s:i, s:s, s:b, s:f, s:f, s:I, s:s, s:s}",
	    "input_file", c->input_path, "output_file", c->output_path, "answer_file",
	    c->answer_path, "source_file", c->source_path, "args", c->args, "point_value",
	    c->point_value, "case_position", c->position, "batch", c->batch, "flags", c->flags,
	    "submission_language", c->language, "binary_data", c->binary_data, "execution_time",
	    c->execution_time, "wall_time", c->wall_time, "memory", (json_int_t)c->memory_kib,
	    "feedback", c->feedback ? c->feedback : "", "problem_id", c->problem);
	char *text = r ? json_dumps(r, JSON_COMPACT) : NULL;
	json_decref(r);
	return text;
}

static int read_answer(const struct helper *h, const char *out, size_t len, const char *errs,
		       size_t errs_len, struct checker_result *res, char *err, size_t errlen)
{
	json_error_t je;
	json_t *j = json_loadb(out, len, 0, &je);
	int ret = -1;
	const char *e = json_string_value(json_object_get(j, "error"));
	json_t *passed = json_object_get(j, "passed"), *points = json_object_get(j, "points");
	if (e) {
		errf(err, errlen, "%s: %s", h->label, e);
	} else if (!json_is_boolean(passed) || !json_is_number(points)) {
		char *tail = utf8_repair(errs_len > 1500 ? errs + errs_len - 1500 : errs,
					 errs_len > 1500 ? 1500 : errs_len);
		errf(err, errlen, "%s did not give a result; its error output ends with:\n%s",
		     h->label, tail);
		free(tail);
	} else {
		const char *fb = json_string_value(json_object_get(j, "feedback"));
		const char *xfb = json_string_value(json_object_get(j, "extended_feedback"));
		res->passed = json_is_true(passed);
		res->points = json_number_value(points);
		res->feedback = fb && *fb ? xstrdup(fb) : NULL;
		res->extended_feedback = xfb && *xfb ? xstrdup(xfb) : NULL;
		ret = 0;
	}
	json_decref(j);
	return ret;
}

int pychecker_run(struct helper_set *hs, const struct helper *h, const struct pycheck_call *call,
		  struct checker_result *res, char *err, size_t errlen)
{
	*res = (struct checker_result){0};
	char *request = request_json(call);
	char *path = path_join(hs->data_dir, "pychecker-request.json");
	char inner[512], why[512];
	char *args[] = {path, NULL};
	struct helper_exec x;
	struct helper_output o = {.out = -1, .err = -1};
	struct sbx_result run;
	double time = helper_time_limit(hs, NULL);
	long mem = helper_memory_limit(hs, NULL);
	int ret = -1;
	helper_exec_init(&x, hs, h, args, time, mem, RESULT_LIMIT);
	if (!request || write_file(path, request, strlen(request), 0644, inner, sizeof(inner)) < 0)
		errf(err, errlen, "%s: cannot write its request: %s", h->label,
		     request ? inner : "out of memory");
	else if (helper_run_captured(&x, &run, &o, inner, sizeof(inner)) < 0)
		errf(err, errlen, "%s: cannot run python3: %s", h->label, inner);
	else if (helper_failed(h, "checker", &run, time, mem, o.edata, o.elen, false, why,
			       sizeof(why)))
		errf(err, errlen, "%s: %s", h->label, why);
	else
		ret = read_answer(h, o.odata, o.olen, o.edata, o.elen, res, err, errlen);
	helper_output_free(&o);
	helper_exec_free(&x);
	free(request);
	free(path);
	return ret;
}
