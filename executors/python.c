/*
 * The Python family: PY3.
 *
 * "Compiling" is a syntax check with py_compile, so a syntax error is a
 * compile error as on DMOJ rather than a runtime error on every case. The
 * program runs with -B (no bytecode written) and -S (no site module: no
 * user site-packages, faster start), and -u when the problem is
 * unbuffered.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "executors/internal.h"

static int py_prepare(const struct executor *e, const struct compile_request *req,
		      struct program *out, char *err, size_t errlen)
{
	char *stem = executor_stem(req->name);
	char *src = xasprintf("%s.%s", stem, e->def->ext);
	int ret = PREPARE_INTERNAL;
	char **argv = NULL;
	if (executor_write_sources(e, req, src, err, errlen) < 0)
		goto out;
	argv = strv_new(e->path, "-S", "-m", "py_compile", src, NULL);
	ret = executor_run_compiler(e, argv, req->dir, req->time_limit, out, err, errlen);
	if (ret != PREPARE_OK)
		goto out;
	out->path = xstrdup(e->path);
	out->argv = strv_new(e->path, req->unbuffered ? "-BSu" : "-BS", src, NULL);
	out->envp = executor_run_env(e, req->dir, req->unbuffered);
	/* py_compile says nothing on success; nothing to show as a warning */
	free(out->compile_log);
	out->compile_log = xstrdup("");
out:
	strv_free(argv);
	free(src);
	free(stem);
	return ret;
}

static bool builtin_exception(const char *name, size_t len)
{
	static const char *const names[] = {
	    "ArithmeticError",
	    "AssertionError",
	    "AttributeError",
	    "BaseException",
	    "BlockingIOError",
	    "BrokenPipeError",
	    "BufferError",
	    "ChildProcessError",
	    "ConnectionError",
	    "EOFError",
	    "Exception",
	    "FileExistsError",
	    "FileNotFoundError",
	    "FloatingPointError",
	    "GeneratorExit",
	    "ImportError",
	    "IndentationError",
	    "IndexError",
	    "InterruptedError",
	    "IsADirectoryError",
	    "KeyError",
	    "KeyboardInterrupt",
	    "LookupError",
	    "MemoryError",
	    "ModuleNotFoundError",
	    "NameError",
	    "NotADirectoryError",
	    "NotImplementedError",
	    "OSError",
	    "OverflowError",
	    "PermissionError",
	    "ProcessLookupError",
	    "RecursionError",
	    "ReferenceError",
	    "RuntimeError",
	    "StopIteration",
	    "SyntaxError",
	    "SystemError",
	    "TabError",
	    "TimeoutError",
	    "TypeError",
	    "UnboundLocalError",
	    "UnicodeDecodeError",
	    "UnicodeEncodeError",
	    "UnicodeError",
	    "ValueError",
	    "ZeroDivisionError",
	};
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		if (strlen(names[i]) == len && !memcmp(names[i], name, len))
			return true;
	return false;
}

/* The exception class of the last traceback, when it is a built-in one:
 * a contestant's own exception names say nothing to the site's readers. */
static void py_feedback(const char *text, size_t len, char *buf, size_t buflen)
{
	static const char marker[] = "Traceback (most recent call last):\n";
	buf[0] = '\0';
	const char *last = executor_last_match(text, len, marker);
	if (!last)
		return;
	/* the exception line is the first line after the traceback that does
	 * not start with white space */
	const char *end = text + len;
	const char *line = last + sizeof(marker) - 1;
	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *le = nl ? nl : end;
		if (le > line && line[0] != ' ' && line[0] != '\t') {
			const char *q = line;
			while (q < le && (isalnum((unsigned char)*q) || *q == '_'))
				q++;
			if ((q == le || *q == ':') && builtin_exception(line, (size_t)(q - line)))
				snprintf(buf, buflen, "%.*s", (int)(q - line), line);
			return;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
}

/* The standard library of an interpreter installed under /usr/local
 * (the base rules have /usr/lib). */
static const struct sbx_fs_rule python_rules[] = {
    {SBX_TREE, "/usr/local/lib", false},
};

/* Python's os, io and selectors modules beyond the base set: os.pipe,
 * file-system statistics and advice, the epoll behind select and
 * asyncio. */
static const char *const python_syscalls[] = {
    "pipe2", "fstatfs", "fadvise64", "epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait"};

static const struct family_ops python_ops = {
    .version_flag = "--version",
    .prepare = py_prepare,
    .feedback = py_feedback,
    .run_rules = python_rules,
    .nrun_rules = ARRAY_LEN(python_rules),
    .run_syscalls = python_syscalls,
    .nrun_syscalls = ARRAY_LEN(python_syscalls),
    .max_threads = 16,
    .compiled = false,
};

static const char *const search_py3[] = {"python3", NULL};

static const char *const py_exts[] = {"py", NULL};

const struct executor_def python_executors[] = {
    {"PY3", "python3", search_py3, "py", NULL, "import sys\nsys.stdout.write(sys.stdin.read())\n",
     131072, &python_ops, NULL, EXEC_CAP_PYTHON_MODULES, py_exts, 1},
};
const size_t python_executors_count = ARRAY_LEN(python_executors);
