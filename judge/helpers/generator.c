/*
 * Generators: a case whose `in` or `out` is missing is made by the
 * problem's generator. Its stdout is the input (as it is: DMOJ does not
 * normalise it), its stderr the expected output (normalised unless
 * binary_data). It reads `generator_in`, else the case's `in` file, on its
 * stdin, and gets `generator_args` (else the generator's own `args`) as
 * arguments, written the way Python's str() writes them.
 *
 * A grading runs each distinct generator, argument list and stdin once:
 * pretests that repeat a test, or several cases sharing a generator run,
 * reuse the files.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "judge/helpers/helpers.h"

/* A generated case may be large, but not unbounded: the data folder is
 * usually memory. */
#define GENERATED_LIMIT ((uint64_t)1 << 30)

struct generated {
	char *key;
	char *input; /* NULL: the generator printed nothing */
	char *answer;
};

void generator_cache_free(struct generator_cache *gc)
{
	for (size_t i = 0; i < gc->n; i++) {
		free(gc->items[i].key);
		free(gc->items[i].input);
		free(gc->items[i].answer);
	}
	free(gc->items);
	memset(gc, 0, sizeof(*gc));
}

/* Python's repr of a float, which str() gives too: the shortest form that
 * reads back the same, with ".0" on whole numbers. */
static void python_float(struct strbuf *sb, double d)
{
	if (isnan(d)) {
		sb_adds(sb, "nan");
		return;
	}
	if (isinf(d)) {
		sb_adds(sb, d < 0 ? "-inf" : "inf");
		return;
	}
	char buf[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	sb_adds(sb, buf);
	if (!strpbrk(buf, ".e"))
		sb_adds(sb, ".0");
}

/* str() of each argument, as DMOJ passes them. */
static char **stringify(const json_t *args)
{
	char **v = NULL;
	size_t n = 0, cap = 0;
	const json_t *list = args;
	json_t *single = NULL;
	if (args && !json_is_array(args))
		list = single = json_pack("[O]", args);
	size_t i;
	const json_t *a;
	json_array_foreach (list, i, a) {
		struct strbuf sb = STRBUF_INIT;
		if (json_is_string(a))
			sb_adds(&sb, json_string_value(a));
		else if (json_is_integer(a))
			sb_addf(&sb, "%lld", (long long)json_integer_value(a));
		else if (json_is_real(a))
			python_float(&sb, json_real_value(a));
		else if (json_is_boolean(a))
			sb_adds(&sb, json_is_true(a) ? "True" : "False");
		else if (json_is_null(a))
			sb_adds(&sb, "None");
		else {
			char *dump = json_dumps(a, JSON_COMPACT | JSON_ENCODE_ANY);
			sb_adds(&sb, dump ? dump : "");
			free(dump);
		}
		strv_push(&v, &n, &cap, sb.buf ? sb.buf : "");
		sb_free(&sb);
	}
	json_decref(single);
	return v ? v : xcalloc(1, sizeof(char *));
}

static const json_t *arguments(const struct problem_case *pc)
{
	const json_t *a = pc->generator_args;
	bool empty = !a || (json_is_array(a) && !json_array_size(a));
	return empty ? pc->generator->args : a;
}

/* What makes two runs the same: the program, its arguments and stdin. */
static char *run_key(const struct problem_case *pc, const char *stdin_name)
{
	json_t *k = json_pack("[s, O?, s?]", "", arguments(pc), stdin_name);
	char *text = json_dumps(k, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(k);
	char *key = xasprintf("%p %s", (const void *)pc->generator, text ? text : "");
	free(text);
	return key;
}

static int open_new(const char *path, mode_t mode, char *err, size_t errlen)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		errf(err, errlen, "cannot create %s: %s", path, strerror(errno));
	return fd;
}

/* Writes n bytes of data through the normaliser (or as they are). */
static int put(int fd, struct problem_normaliser *st, bool binary, const char *data, size_t n,
	       char *buf)
{
	if (binary)
		return write_all(fd, data, n);
	size_t m = n ? problem_normalise_chunk(st, data, n, buf) : problem_normalise_end(st, buf);
	return m ? write_all(fd, buf, m) : 0;
}

/* The expected output: stderr, normalised unless binary. */
static int write_answer(int errfd, const char *path, bool binary, char *err, size_t errlen)
{
	enum { CHUNK = 65536 };
	const char *data;
	size_t len;
	if (map_fd(errfd, &data, &len, err, errlen) < 0)
		return -1;
	int fd = open_new(path, 0600, err, errlen);
	int ret = fd < 0 ? -1 : 0;
	char *buf = xmalloc(CHUNK);
	struct problem_normaliser st = {0};
	for (size_t off = 0; ret == 0 && off < len; off += CHUNK) {
		size_t n = len - off < CHUNK ? len - off : CHUNK;
		if (put(fd, &st, binary, data + off, n, buf) < 0)
			ret = errf(err, errlen, "cannot write %s: %s", path, strerror(errno));
	}
	if (ret == 0 && put(fd, &st, binary, "", 0, buf) < 0)
		ret = errf(err, errlen, "cannot write %s: %s", path, strerror(errno));
	free(buf);
	if (fd >= 0)
		close(fd);
	unmap_fd(data, len);
	return ret;
}

int generator_run(struct helper_set *hs, struct generator_cache *gc, const struct problem_case *pc,
		  const char **input, const char **answer, char *err, size_t errlen)
{
	const struct problem *p = hs->prob;
	const struct problem_program *pp = pc->generator;
	/* DMOJ feeds the case's `in` when it exists, nothing otherwise */
	const char *stdin_name = pc->generator_in			 ? pc->generator_in
				 : pc->in && problem_has_data(p, pc->in) ? pc->in
									 : NULL;
	char *key = run_key(pc, stdin_name);
	for (size_t i = 0; i < gc->n; i++)
		if (!strcmp(gc->items[i].key, key)) {
			free(key);
			*input = gc->items[i].input;
			*answer = gc->items[i].answer;
			return 0;
		}
	const struct helper *h;
	if (helper_get(hs, pp, &h, err, errlen) < 0) {
		free(key);
		return -1;
	}
	int n = ++gc->counter;
	char *in_path = xasprintf("%s/generated-%d.in", hs->data_dir, n);
	char *ans_path = xasprintf("%s/generated-%d.out", hs->data_dir, n);
	char *stdin_path = xasprintf("%s/generated-%d.stdin", hs->data_dir, n);
	char **args = stringify(arguments(pc));
	int in = -1, out = -1, errfd = -1, ret = -1;
	char inner[1024] = "";
	struct helper_exec x;
	double time = helper_time_limit(hs, pp);
	long mem = helper_memory_limit(hs, pp);
	helper_exec_init(&x, hs, h, args, time, mem, GENERATED_LIMIT);
	if (stdin_name) {
		in = open_new(stdin_path, 0600, inner, sizeof(inner));
		if (in < 0 ||
		    problem_copy_data(p, stdin_name, true, in, inner, sizeof(inner)) < 0 ||
		    lseek(in, 0, SEEK_SET) < 0)
			goto out;
	}
	out = open_new(in_path, 0644, inner, sizeof(inner));
	errfd = memfd_create("generator-stderr", MFD_CLOEXEC);
	if (out < 0 || errfd < 0) {
		if (errfd < 0)
			snprintf(inner, sizeof(inner), "memfd_create: %s", strerror(errno));
		goto out;
	}
	x.spec.stdin_fd = in;
	x.spec.stdout_fd = out;
	x.spec.stderr_fd = errfd;
	struct sbx_result res;
	if (sbx_run(&x.spec, &res, 1, inner, sizeof(inner)) < 0)
		goto out;
	const char *edata;
	size_t elen;
	if (map_fd(errfd, &edata, &elen, inner, sizeof(inner)) < 0)
		goto out;
	bool failed =
	    helper_failed(h, "generator", &res, time, mem, edata, elen, true, inner, sizeof(inner));
	unmap_fd(edata, elen);
	if (failed || write_answer(errfd, ans_path, pc->binary_data, inner, sizeof(inner)) < 0)
		goto out;
	struct stat st;
	if (fstat(out, &st) < 0) {
		snprintf(inner, sizeof(inner), "fstat %s: %s", in_path, strerror(errno));
		goto out;
	}
	XGROW(gc->items, gc->cap, gc->n + 1);
	struct generated *g = &gc->items[gc->n++];
	g->key = key;
	g->input = st.st_size ? in_path : NULL;
	g->answer = ans_path;
	if (!st.st_size)
		free(in_path);
	key = in_path = ans_path = NULL;
	*input = g->input;
	*answer = g->answer;
	ret = 0;
out:
	if (ret < 0)
		errf(err, errlen, "problem %s: %s line %d: %s: %s", p->code, p->init_path, pp->line,
		     h->label, inner);
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (errfd >= 0)
		close(errfd);
	unlink(stdin_path);
	helper_exec_free(&x);
	strv_free(args);
	free(key);
	free(in_path);
	free(ans_path);
	free(stdin_path);
	return ret;
}
