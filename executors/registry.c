/*
 * The executor registry: which languages this judge can grade.
 *
 * A runtime must be a real ELF binary that the unprivileged sandbox user
 * can execute: a pyenv shim (a shell script) or an interpreter under
 * /root would pass a test run as root and then fail every submission, so
 * detection skips those and keeps searching.
 *
 * Self-tests run in parallel, one forked process per executor, each
 * compiling and running its echo program in the sandbox. A success is
 * cached in the cache folder keyed by the runtime binary's path and mtime
 * and the judge's version, so a restart recompiles nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "executors/internal.h"

#ifndef JUDGE_VERSION
#define JUDGE_VERSION "dev"
#endif

static const struct executor_def *all_defs[64];
static size_t nall;
static struct executor *execs; /* every known def, usable or not */
static size_t nexecs;
static struct executor **usable;
static size_t nusable;

static void collect_defs(void)
{
	static const struct {
		const struct executor_def *defs;
		const size_t *count;
	} families[] = {
	    {gcc_executors, &gcc_executors_count},
	    {python_executors, &python_executors_count},
	    {java_executors, &java_executors_count},
	    {native_executors, &native_executors_count},
	    {script_executors, &script_executors_count},
	};
	nall = 0;
	for (size_t f = 0; f < ARRAY_LEN(families); f++)
		for (size_t i = 0; i < *families[f].count && nall < ARRAY_LEN(all_defs); i++)
			all_defs[nall++] = &families[f].defs[i];
}

bool executor_runnable(const char *real, char *why, size_t whylen)
{
	struct stat st;
	if (stat(real, &st) < 0 || !S_ISREG(st.st_mode)) {
		errf(why, whylen, "%s is not a regular file", real);
		return false;
	}
	int fd = open(real, O_RDONLY | O_CLOEXEC);
	char magic[4] = {0};
	if (fd < 0 || read(fd, magic, 4) != 4 || memcmp(magic, "\177ELF", 4)) {
		if (fd >= 0)
			close(fd);
		errf(why, whylen, "%s is not an ELF binary (a wrapper script?)", real);
		return false;
	}
	close(fd);
	if (geteuid() != 0)
		return access(real, X_OK) == 0 ||
		       (errf(why, whylen, "%s is not executable", real), false);
	if ((st.st_mode & (S_IROTH | S_IXOTH)) != (S_IROTH | S_IXOTH)) {
		errf(why, whylen, "%s is not readable and executable by other users", real);
		return false;
	}
	char *dir = xstrdup(real);
	for (char *slash = strrchr(dir, '/'); slash && slash != dir; slash = strrchr(dir, '/')) {
		*slash = '\0';
		if (stat(dir, &st) < 0 || !(st.st_mode & S_IXOTH)) {
			errf(why, whylen, "folder %s is not searchable by other users", dir);
			free(dir);
			return false;
		}
	}
	free(dir);
	return true;
}

char *executor_search_path(const char *name, char *why, size_t whylen)
{
	const char *env = getenv("PATH");
	struct strbuf dirs = STRBUF_INIT;
	sb_addf(&dirs, "%s:/usr/local/bin:/usr/bin:/bin", env ? env : "");
	char *save = NULL, *found = NULL;
	char last[512] = "";
	for (char *d = strtok_r(dirs.buf, ":", &save); d && !found;
	     d = strtok_r(NULL, ":", &save)) {
		if (!*d)
			continue;
		char *cand = path_join(d, name);
		char *real = realpath(cand, NULL);
		if (real && executor_runnable(real, last, sizeof(last)))
			found = cand;
		else
			free(cand);
		free(real);
	}
	sb_free(&dirs);
	if (!found)
		errf(why, whylen, "%s not found%s%s", name, last[0] ? "; skipped: " : "", last);
	return found;
}

static char *find_runtime(struct executor *e, char *why, size_t whylen)
{
	const struct exec_settings *s = e->settings;
	const struct executor_def *d = e->def;
	if (d->ops->locate)
		return d->ops->locate(e, why, whylen) ? e->path : NULL;
	if (s->runtime) {
		const json_t *v = json_object_get(s->runtime, d->command);
		const char *key = d->command;
		if (!v) {
			v = json_object_get(s->runtime, d->search[0]);
			key = d->search[0];
		}
		if (!json_is_string(v)) {
			errf(why, whylen, "no `%s` in the config's runtime block", d->command);
			return NULL;
		}
		const char *path = json_string_value(v);
		char *real = realpath(path, NULL);
		if (!real) {
			errf(why, whylen, "runtime %s: %s: %s", key, path, strerror(errno));
			return NULL;
		}
		bool ok = executor_runnable(real, why, whylen);
		free(real);
		return ok ? xstrdup(path) : NULL;
	}
	for (size_t i = 0; d->search[i]; i++) {
		char *p = executor_search_path(d->search[i], why, whylen);
		if (p)
			return p;
	}
	return NULL;
}

/* Runs `path flag`, or the bare runtime with input on stdin (a trusted
 * probe, outside the policy), and returns its output. */
static char *probe_output(const char *path, const char *flag, const char *input)
{
	int fd = memfd_create("probe", MFD_CLOEXEC);
	if (fd < 0)
		return NULL;
	char err[ERR_SIZE];
	int in = -1;
	if (input && (in = memfd_from("probe-in", input, strlen(input), err, sizeof(err))) < 0) {
		close(fd);
		return NULL;
	}
	char *argv[] = {(char *)path, input ? NULL : (char *)flag, NULL};
	char *envp[] = {"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C", NULL};
	struct sbx_spec spec = {0};
	spec.path = path;
	spec.argv = argv;
	spec.envp = envp;
	spec.cwd = "/";
	spec.stdin_fd = in;
	spec.stdout_fd = spec.stderr_fd = fd;
	spec.limits.cpu = 10;
	spec.limits.wall = 20;
	spec.limits.output_bytes = 1 << 20;
	struct sbx_result res;
	char *out = NULL;
	if (sbx_run(&spec, &res, 1, err, sizeof(err)) == 0 && res.exited && !res.exit_code) {
		const char *data;
		size_t len;
		if (map_fd(fd, &data, &len, err, sizeof(err)) == 0) {
			out = xstrndup(data, len);
			unmap_fd(data, len);
		}
	}
	close(fd);
	if (in >= 0)
		close(in);
	return out;
}

/* Where DMOJ's version pattern starts: the first number followed by a dot
 * and a digit ("perl 5, version 36 ... v5.36.0" is 5.36.0), else the first
 * number at all (javac 21, gcc -dumpversion's 12). */
static const char *version_start(const char *text)
{
	const char *first = NULL;
	for (const char *p = text; *p; p++) {
		if (!(*p >= '0' && *p <= '9') || (p > text && p[-1] >= '0' && p[-1] <= '9'))
			continue;
		if (!first)
			first = p;
		const char *q = p;
		while (*q >= '0' && *q <= '9')
			q++;
		if (q[0] == '.' && q[1] >= '0' && q[1] <= '9')
			return p;
	}
	return first ? first : text + strlen(text);
}

static void parse_version(struct executor *e, const char *text)
{
	const char *p = version_start(text);
	e->nversion = 0;
	while (*p >= '0' && *p <= '9' && e->nversion < ARRAY_LEN(e->version)) {
		e->version[e->nversion++] = (int)strtol(p, (char **)&p, 10);
		if (*p != '.' || !(p[1] >= '0' && p[1] <= '9'))
			break;
		p++;
	}
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < e->nversion; i++)
		sb_addf(&sb, "%s%d", i ? "." : "", e->version[i]);
	snprintf(e->version_str, sizeof(e->version_str), "%s", sb.buf ? sb.buf : "");
	sb_free(&sb);
	snprintf(e->runtime_version, sizeof(e->runtime_version), "%s %s", executor_runtime_name(e),
		 e->version_str);
}

/* ---- self-test cache ---- */

static char *cache_file(const struct exec_settings *s)
{
	if (!s->cache_dir)
		return NULL;
	if (mkdir(s->cache_dir, 0700) < 0 && errno != EEXIST)
		return NULL;
	struct stat st;
	/* a folder someone else could write would let them mark a broken
	 * runtime as tested */
	if (lstat(s->cache_dir, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 022))
		return NULL;
	return path_join(s->cache_dir, "selftest.json");
}

static double file_mtime(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return -1;
	return (double)st.st_mtim.tv_sec + (double)st.st_mtim.tv_nsec / 1e9;
}

static bool from_cache(json_t *cache, struct executor *e)
{
	json_t *c = json_object_get(cache, e->def->key);
	if (!json_is_object(c))
		return false;
	const char *path = json_string_value(json_object_get(c, "realpath"));
	const char *jv = json_string_value(json_object_get(c, "judge"));
	const char *ver = json_string_value(json_object_get(c, "version"));
	/* a runtime that passed under other sandbox layers may not pass now */
	const char *layers = json_string_value(json_object_get(c, "sandbox"));
	double mt = json_number_value(json_object_get(c, "mtime"));
	if (!path || !jv || !ver || !layers || strcmp(path, e->realpath) ||
	    strcmp(jv, JUDGE_VERSION) || strcmp(layers, sbx_layers()) ||
	    mt != file_mtime(e->realpath))
		return false;
	parse_version(e, ver);
	e->selftest_ok = true;
	e->selftest_cached = true;
	e->selftest_time = json_number_value(json_object_get(c, "time"));
	e->selftest_memory = (uint64_t)json_integer_value(json_object_get(c, "memory"));
	return true;
}

static void save_cache(const char *file, json_t *cache)
{
	for (size_t i = 0; i < nexecs; i++) {
		struct executor *e = &execs[i];
		if (!e->selftest_ok || !e->realpath)
			continue;
		json_object_set_new(cache, e->def->key,
				    json_pack("{s:s, s:f, s:s, s:s, s:s, s:f, s:I}", "realpath",
					      e->realpath, "mtime", file_mtime(e->realpath),
					      "judge", JUDGE_VERSION, "sandbox", sbx_layers(),
					      "version", e->version_str, "time", e->selftest_time,
					      "memory", (json_int_t)e->selftest_memory));
	}
	char *tmp = xasprintf("%s.%d", file, (int)getpid());
	if (json_dump_file(cache, tmp, JSON_INDENT(1) | JSON_SORT_KEYS) == 0)
		rename(tmp, file);
	unlink(tmp);
	free(tmp);
}

/* ---- self-test ---- */

struct selftest_report {
	bool ok;
	double time;
	uint64_t memory;
	char message[240];
};

static const char test_input[] = "echo: Hello, World!\n";

static void selftest_child(struct executor *e, struct selftest_report *r)
{
	const struct exec_settings *s = e->settings;
	char err[ERR_SIZE];
	char *dir = make_temp_dir(s->tempdir, "judge-selftest", err, sizeof(err));
	struct program prog = {0};
	int in = -1, out = -1, errfd = -1;
	if (!dir) {
		snprintf(r->message, sizeof(r->message), "%s", err);
		return;
	}
	/* the sandbox user must be able to enter it */
	chmod(dir, 0755);
	const char *src = e->def->test_program;
	struct compile_request req = {
	    .source = src, .len = strlen(src), .name = "self_test", .dir = dir};
	int rc = executor_prepare(e, &req, &prog, err, sizeof(err));
	if (rc == PREPARE_INTERNAL) {
		snprintf(r->message, sizeof(r->message), "%s", err);
		goto out;
	}
	if (rc == PREPARE_COMPILE_ERROR) {
		snprintf(r->message, sizeof(r->message), "compile error: %.200s", prog.compile_log);
		goto out;
	}
	in = memfd_from("selftest-in", test_input, sizeof(test_input) - 1, err, sizeof(err));
	out = memfd_create("selftest-out", MFD_CLOEXEC);
	errfd = memfd_create("selftest-err", MFD_CLOEXEC);
	if (in < 0 || out < 0 || errfd < 0) {
		snprintf(r->message, sizeof(r->message), "cannot create memfds: %s",
			 strerror(errno));
		goto out;
	}
	struct sbx_spec spec;
	program_spec(&prog, s->selftest_time_limit, (uint64_t)s->selftest_memory_limit, 3, 1 << 20,
		     &spec);
	spec.stdin_fd = in;
	spec.stdout_fd = out;
	spec.stderr_fd = errfd;
	struct sbx_result res;
	if (sbx_run(&spec, &res, 1, err, sizeof(err)) < 0) {
		snprintf(r->message, sizeof(r->message), "%s", err);
		goto out;
	}
	r->time = res.cpu_time;
	r->memory = res.memory_kib;
	const char *o, *ee;
	size_t ol, el;
	if (map_fd(out, &o, &ol, err, sizeof(err)) < 0)
		goto out;
	if (map_fd(errfd, &ee, &el, err, sizeof(err)) < 0) {
		unmap_fd(o, ol);
		goto out;
	}
	size_t want = sizeof(test_input) - 2; /* without the newline */
	while (ol && (o[ol - 1] == '\n' || o[ol - 1] == ' ' || o[ol - 1] == '\r'))
		ol--;
	if (res.tle)
		snprintf(r->message, sizeof(r->message), "time limit exceeded");
	else if (res.mle)
		snprintf(r->message, sizeof(r->message), "memory limit exceeded");
	else if (res.denied)
		snprintf(r->message, sizeof(r->message), "stopped by the sandbox: %s",
			 res.feedback);
	else if (!res.exited || res.exit_code)
		snprintf(r->message, sizeof(r->message), "%s %d; stderr: %.150s",
			 res.exited ? "exit code" : "signal",
			 res.exited ? res.exit_code : res.signal, el ? ee : "");
	else if (el)
		snprintf(r->message, sizeof(r->message), "wrote to stderr: %.180s", ee);
	else if (ol != want || memcmp(o, test_input, want))
		snprintf(r->message, sizeof(r->message), "wrong output: %.*s",
			 (int)(ol > 150 ? 150 : ol), o);
	else
		r->ok = true;
	unmap_fd(o, ol ? ol : 0);
	unmap_fd(ee, el);
out:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (errfd >= 0)
		close(errfd);
	program_free(&prog);
	rm_rf(dir);
	free(dir);
}

static void run_selftests(struct executor **list, size_t n)
{
	pid_t *pids = xcalloc(n ? n : 1, sizeof(pid_t));
	int *fds = xcalloc(n ? n : 1, sizeof(int));
	for (size_t i = 0; i < n; i++) {
		int p[2];
		fds[i] = -1;
		pids[i] = -1;
		if (pipe2(p, O_CLOEXEC) < 0) {
			snprintf(list[i]->problem, sizeof(list[i]->problem), "self-test: pipe: %s",
				 strerror(errno));
			continue;
		}
		pid_t pid = fork();
		if (pid == 0) {
			close(p[0]);
			struct selftest_report r = {0};
			selftest_child(list[i], &r);
			(void)!write(p[1], &r, sizeof(r));
			_exit(0);
		}
		close(p[1]);
		if (pid < 0) {
			close(p[0]);
			snprintf(list[i]->problem, sizeof(list[i]->problem), "self-test: fork: %s",
				 strerror(errno));
			continue;
		}
		pids[i] = pid;
		fds[i] = p[0];
	}
	for (size_t i = 0; i < n; i++) {
		if (pids[i] < 0)
			continue;
		struct selftest_report r = {0};
		ssize_t got;
		do
			got = read(fds[i], &r, sizeof(r));
		while (got < 0 && errno == EINTR);
		close(fds[i]);
		while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR)
			;
		struct executor *e = list[i];
		if (got != (ssize_t)sizeof(r)) {
			snprintf(e->problem, sizeof(e->problem), "self-test crashed");
			continue;
		}
		e->selftest_ok = r.ok;
		e->selftest_time = r.time;
		e->selftest_memory = r.memory;
		if (!r.ok)
			snprintf(e->problem, sizeof(e->problem), "self-test failed: %s", r.message);
	}
	free(pids);
	free(fds);
}

static void add_extra_fs(struct executor *e)
{
	const json_t *list = json_object_get(e->settings->extra_fs, e->def->key);
	size_t i;
	const json_t *item;
	json_array_foreach (list, i, item) {
		const char *k;
		const json_t *v;
		json_object_foreach ((json_t *)item, k, v) {
			const char *path = json_string_value(v);
			if (!path)
				continue;
			if (!strcmp(k, "exact_file"))
				sbx_policy_add(e->run_policy, SBX_FILE, path, false);
			else if (!strcmp(k, "exact_dir"))
				sbx_policy_add(e->run_policy, SBX_DIR, path, false);
			else if (!strcmp(k, "recursive_dir"))
				sbx_policy_add(e->run_policy, SBX_TREE, path, false);
		}
	}
}

int executors_init(const struct exec_settings *s)
{
	collect_defs();
	executors_free();
	execs = xcalloc(nall, sizeof(*execs));
	usable = xcalloc(nall, sizeof(*usable));
	nexecs = nall;
	char *cfile = cache_file(s);
	json_t *cache = cfile ? json_load_file(cfile, 0, NULL) : NULL;
	if (!json_is_object(cache)) {
		json_decref(cache);
		cache = json_object();
	}
	struct executor **totest = xcalloc(nall, sizeof(*totest));
	size_t ntest = 0;
	for (size_t i = 0; i < nall; i++) {
		struct executor *e = &execs[i];
		e->def = all_defs[i];
		e->settings = s;
		if ((s->only && !strv_has(s->only, e->def->key)) ||
		    strv_has(s->exclude, e->def->key)) {
			snprintf(e->problem, sizeof(e->problem), "excluded on the command line");
			continue;
		}
		e->path = find_runtime(e, e->problem, sizeof(e->problem));
		if (!e->path)
			continue;
		e->realpath = realpath(e->path, NULL);
		e->problem[0] = '\0';
		e->run_policy = sbx_policy_new(e->def->key);
		sbx_policy_add_rules(e->run_policy, executor_base_rules, executor_base_rules_count);
		if (e->def->ops->run_rules)
			sbx_policy_add_rules(e->run_policy, e->def->ops->run_rules,
					     e->def->ops->nrun_rules);
		sbx_policy_add_exec(e->run_policy, SBX_FILE, e->realpath);
		for (size_t k = 0; k < e->def->ops->nrun_exec; k++)
			sbx_policy_add_exec(e->run_policy, SBX_FILE, e->def->ops->run_exec[k]);
		if (e->def->ops->runtime_rules)
			e->def->ops->runtime_rules(e, e->run_policy, false);
		sbx_policy_allow_syscalls(e->run_policy, executor_base_syscalls,
					  executor_base_syscalls_count);
		sbx_policy_allow_syscalls(e->run_policy, e->def->ops->run_syscalls,
					  e->def->ops->nrun_syscalls);
		sbx_policy_refuse_syscalls(e->run_policy, e->def->ops->refused_syscalls,
					   e->def->ops->nrefused_syscalls);
		sbx_policy_set_threads(e->run_policy, e->def->ops->max_threads);
		if (e->def->ops->processes)
			sbx_policy_set_processes(e->run_policy, true, true);
		add_extra_fs(e);
		if (!s->skip_selftest && from_cache(cache, e))
			continue;
		/* executors sharing a binary share its version */
		for (size_t j = 0; j < i; j++)
			if (execs[j].realpath && !strcmp(execs[j].realpath, e->realpath) &&
			    execs[j].nversion) {
				parse_version(e, execs[j].version_str);
				break;
			}
		if (!e->nversion) {
			char *v = probe_output(e->path, e->def->ops->version_flag,
					       e->def->ops->version_input);
			parse_version(e, v ? v : "");
			free(v);
		}
		if (s->skip_selftest)
			e->selftest_ok = true;
		else
			totest[ntest++] = e;
	}
	run_selftests(totest, ntest);
	free(totest);
	nusable = 0;
	for (size_t i = 0; i < nexecs; i++) {
		struct executor *e = &execs[i];
		if (e->path && e->selftest_ok) {
			usable[nusable++] = e;
			if (!s->quiet)
				log_info("executor %s: %s %s (%s)%s", e->def->key,
					 executor_runtime_name(e), e->version_str, e->path,
					 e->selftest_cached ? ", self-test cached" : "");
		} else if (e->path || s->only) {
			/* a runtime that exists but does not work deserves a warning;
			 * an absent one is normal */
			if (!s->quiet)
				log_warn("executor %s dropped: %s", e->def->key, e->problem);
		} else if (!s->quiet) {
			log_debug("executor %s unavailable: %s", e->def->key, e->problem);
		}
	}
	if (cfile && !s->skip_selftest)
		save_cache(cfile, cache);
	json_decref(cache);
	free(cfile);
	return (int)nusable;
}

void executors_free(void)
{
	for (size_t i = 0; i < nexecs; i++) {
		free(execs[i].path);
		free(execs[i].realpath);
		free(execs[i].companion);
		sbx_policy_free(execs[i].run_policy);
	}
	free(execs);
	free(usable);
	execs = NULL;
	usable = NULL;
	nexecs = nusable = 0;
}

size_t executors_count(void)
{
	return nusable;
}

const struct executor *executors_at(size_t i)
{
	return i < nusable ? usable[i] : NULL;
}

const struct executor *executor_find(const char *key)
{
	for (size_t i = 0; i < nusable; i++)
		if (!strcmp(usable[i]->def->key, key))
			return usable[i];
	return NULL;
}

bool executor_can(const struct executor *e, unsigned cap)
{
	return (e->def->caps & cap) == cap;
}

const char *executor_extension(const struct executor *e)
{
	return e->def->ext;
}

const struct executor *executor_with(unsigned cap)
{
	for (size_t i = 0; i < nusable; i++)
		if (executor_can(usable[i], cap))
			return usable[i];
	return NULL;
}

static bool builds_file(const struct executor_def *d, const char *file)
{
	const char *slash = strrchr(file, '/'), *dot = strrchr(file, '.');
	return dot && (!slash || dot > slash) && str_index(d->helper_exts, SIZE_MAX, dot + 1) >= 0;
}

static bool builds_any(const struct executor_def *d, char *const *files)
{
	for (size_t f = 0; files[f]; f++)
		if (builds_file(d, files[f]))
			return true;
	return false;
}

const struct executor *executor_for_files(char *const *files)
{
	/* The language is decided first, among every known one, so that
	 * C++ sources never fall back to a C compiler that happens to be
	 * usable; then its newest usable standard. */
	const struct executor_def *lang = NULL;
	for (size_t i = 0; i < executors_known(); i++)
		if (builds_any(all_defs[i], files) &&
		    (!lang || all_defs[i]->helper_rank > lang->helper_rank))
			lang = all_defs[i];
	const struct executor *best = NULL;
	for (size_t i = 0; lang && i < nusable; i++) {
		const struct executor_def *d = usable[i]->def;
		if (d->helper_exts == lang->helper_exts &&
		    (!best || d->helper_rank > best->def->helper_rank))
			best = usable[i];
	}
	return best;
}

size_t executors_known(void)
{
	if (!nall)
		collect_defs();
	return nall;
}

const char *executors_known_key(size_t i)
{
	return i < executors_known() ? all_defs[i]->key : NULL;
}

const char *executors_problem(const char *key)
{
	for (size_t i = 0; i < nexecs; i++)
		if (!strcmp(execs[i].def->key, key))
			return execs[i].path && execs[i].selftest_ok ? NULL : execs[i].problem;
	return "not initialised";
}

const char *executor_key(const struct executor *e)
{
	return e->def->key;
}

const char *executor_runtime_name(const struct executor *e)
{
	return e->def->report_as ? e->def->report_as : e->def->command;
}

const char *executor_version(const struct executor *e)
{
	return e->version_str;
}

const char *executor_runtime_path(const struct executor *e)
{
	return e->path;
}

const char *executor_runtime_version(const struct executor *e)
{
	return e->runtime_version;
}

bool executor_selftest(const struct executor *e, double *time, uint64_t *memory_kib, bool *cached)
{
	if (time)
		*time = e->selftest_time;
	if (memory_kib)
		*memory_kib = e->selftest_memory;
	if (cached)
		*cached = e->selftest_cached;
	return e->selftest_ok;
}

bool executor_compiled(const struct executor *e)
{
	return e->def->ops->compiled;
}

bool executor_cacheable(const struct executor *e)
{
	return e->def->ops->compiled && !e->def->ops->no_binary;
}

json_t *executors_handshake(void)
{
	json_t *o = json_object();
	for (size_t i = 0; i < nusable; i++) {
		const struct executor *e = usable[i];
		json_t *v = json_array();
		for (size_t j = 0; j < e->nversion; j++)
			json_array_append_new(v, json_integer(e->version[j]));
		json_object_set_new(o, e->def->key,
				    json_pack("[[s, o]]", executor_runtime_name(e), v));
	}
	return o;
}

char *executors_autoconf(void)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "runtime:\n");
	const char *seen[64];
	size_t nseen = 0;
	for (size_t i = 0; i < nusable; i++) {
		const struct executor *e = usable[i];
		/* a runtime found its own way (a JDK) is named by its key */
		const char *name = e->def->ops->locate ? e->def->command : e->def->search[0];
		if (str_index(seen, nseen, name) >= 0 || nseen >= ARRAY_LEN(seen))
			continue;
		seen[nseen++] = name;
		sb_addf(&sb, "  %s: %s\n", name, e->path);
	}
	return sb_detach(&sb);
}
