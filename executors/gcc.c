/*
 * The GCC family: C, C11, CPP03, CPP11, CPP14, CPP17, CPP20, and the two
 * other languages DMOJ builds with the same GCC command line, F95
 * (gfortran) and ADA (gnatmake, which drives gcc, gnatbind and gnatlink).
 *
 * The command line follows DMOJ's so that a submission that compiled
 * there compiles here with the same warnings: -Wall, -DONLINE_JUDGE, -O2,
 * -lm, -march=native, the language standard, at most 5 errors, stripped
 * output. The runtime names (gcc, gcc11, g++, g++11, g++14, g++17, g++20,
 * gfortran, gnatmake) are DMOJ's, which sites show next to each
 * submission.
 */
#include <stdlib.h>
#include <string.h>

#include "executors/internal.h"

#define ECHO_C(guard)                                                                              \
	"#include <stdio.h>\n"                                                                     \
	"#if " guard "\n"                                                                          \
	"int main(void)\n{\n\tint c;\n\twhile ((c = getchar()) != EOF)\n\t\tputchar(c);\n"         \
	"\treturn 0;\n}\n"                                                                         \
	"#endif\n"

#define ECHO_CPP(guard)                                                                            \
	"#include <iostream>\n#include <string>\n"                                                 \
	"#if " guard "\n"                                                                          \
	"int main()\n{\n\tstd::string line;\n"                                                     \
	"\twhile (std::getline(std::cin, line))\n\t\tstd::cout << line << '\\n';\n}\n"             \
	"#endif\n"

/* unbuffered: stdio's stdout unbuffered from the start, so that an
 * interactor sees each line as it is printed. C++ streams synchronised
 * with stdio (the default) follow it. */
static const char unbuffered_name[] = "_judge_unbuffered.c";
static const char unbuffered_src[] =
    "#include <stdio.h>\n"
    "__attribute__((constructor)) static void judge_unbuffered(void)\n"
    "{\n\tsetvbuf(stdout, NULL, _IONBF, 0);\n}\n";

/* Runs the compiler on the sources already written into req->dir. */
static int gcc_compile(const struct executor *e, const struct compile_request *req, const char *src,
		       struct program *out, char *err, size_t errlen)
{
	char **argv = NULL;
	size_t n = 0, cap = 0;
	if (req->unbuffered) {
		char *path = path_join(req->dir, unbuffered_name);
		int w =
		    write_file(path, unbuffered_src, sizeof(unbuffered_src) - 1, 0644, err, errlen);
		free(path);
		if (w < 0)
			return PREPARE_INTERNAL;
	}
	strv_push(&argv, &n, &cap, e->path);
	strv_push(&argv, &n, &cap, "-Wall");
	strv_push(&argv, &n, &cap, "-fdiagnostics-color=always");
	strv_push(&argv, &n, &cap, src);
	for (size_t i = 0; i < req->nextra; i++) {
		const char *x = req->extra[i].name;
		size_t l = strlen(x);
		/* headers are included, not compiled on their own */
		if (l > 2 && (!strcmp(x + l - 2, ".h") || (l > 4 && !strcmp(x + l - 4, ".hpp"))))
			continue;
		strv_push(&argv, &n, &cap, x);
	}
	if (req->unbuffered)
		strv_push(&argv, &n, &cap, unbuffered_name);
	strv_push(&argv, &n, &cap, "-DONLINE_JUDGE");
	for (size_t i = 0; req->defines && req->defines[i]; i++) {
		char *def = xasprintf("-D%s", req->defines[i]);
		strv_push(&argv, &n, &cap, def);
		free(def);
	}
	strv_push(&argv, &n, &cap, "-O2");
	strv_push(&argv, &n, &cap, "-lm");
	strv_push(&argv, &n, &cap, "-march=native");
	for (size_t i = 0; req->flags && req->flags[i]; i++)
		strv_push(&argv, &n, &cap, req->flags[i]);
	if (e->def->std) {
		char *std = xasprintf("-std=%s", e->def->std);
		strv_push(&argv, &n, &cap, std);
		free(std);
	}
	strv_push(&argv, &n, &cap, "-fmax-errors=5");
	strv_push(&argv, &n, &cap, "-s");
	strv_push(&argv, &n, &cap, "-o");
	strv_push(&argv, &n, &cap, out->path);
	int ret = executor_run_compiler(e, argv, req->dir, req->time_limit, out, err, errlen);
	strv_free(argv);
	return ret;
}

static int gcc_prepare(const struct executor *e, const struct compile_request *req,
		       struct program *out, char *err, size_t errlen)
{
	return executor_prepare_native(e, req, gcc_compile, out, err, errlen);
}

/* libstdc++ prints "terminate called after throwing an instance of 'T'"
 * for an uncaught exception; T names the failure better than "aborted". */
static void gcc_feedback(const char *text, size_t len, char *buf, size_t buflen)
{
	static const char marker[] = "terminate called after throwing an instance of '";
	buf[0] = '\0';
	const char *last = executor_last_match(text, len, marker);
	if (!last)
		return;
	const char *s = last + sizeof(marker) - 1, *end = text + len, *q = s;
	while (q < end && *q != '\'' && *q != '\n')
		q++;
	if (q >= end || *q != '\'' || q == s || q - s > 40)
		return;
	if (!str_plain(s, (size_t)(q - s), "_:"))
		return;
	snprintf(buf, buflen, "%.*s", (int)(q - s), s);
}

/* A native program needs nothing beyond the base set; threads
 * (std::thread, pthreads) are allowed up to this many tasks. */
#define NATIVE_THREADS 64

static const struct family_ops gcc_ops = {
    .version_flag = "-dumpfullversion",
    .prepare = gcc_prepare,
    .feedback = gcc_feedback,
    .run_rules = NULL,
    .nrun_rules = 0,
    .run_syscalls = NULL,
    .nrun_syscalls = 0,
    .max_threads = NATIVE_THREADS,
    .compiled = true,
    .native_toolchain = true,
};

/* gnatmake has no -dumpfullversion; its --version says "GNATMAKE 12.2.0" */
static const struct family_ops gnat_ops = {
    .version_flag = "--version",
    .prepare = gcc_prepare,
    .feedback = NULL,
    .max_threads = NATIVE_THREADS,
    .compiled = true,
    .native_toolchain = true,
};

static const char *const search_gcc[] = {"gcc", NULL};
static const char *const search_gxx[] = {"g++", NULL};
static const char *const search_gfortran[] = {"gfortran", NULL};
static const char *const search_gnatmake[] = {"gnatmake", NULL};

/* Fortran has no version to check: the program only echoes a line (a
 * character(100) is written padded with blanks, which the self-test
 * ignores as DMOJ's does). */
static const char echo_f95[] = "character(100) :: line\n"
			       "read(*,'(A)') line\n"
			       "write(*,'(A)') line\n"
			       "end\n";
/* GNAT names the file after the unit; a procedure named otherwise only
 * warns, so the program can keep any name. It prints the expected line
 * rather than echoing, as DMOJ's does. */
static const char hello_ada[] = "with Ada.Text_IO; use Ada.Text_IO;\n"
				"procedure Hello is\n"
				"begin\n"
				"   Put_Line (\"echo: Hello, World!\");\n"
				"end Hello;\n";

/* Native programs reserve little address space beyond what they use; the
 * grace covers libc's arenas and the loader. */
#define NATIVE_GRACE 16384

static const char *const c_exts[] = {"c", NULL};
static const char *const cpp_exts[] = {"cpp", "cc", "cxx", NULL};
#define SIG EXEC_CAP_SIGNATURE

const struct executor_def gcc_executors[] = {
    {"C", "gcc", search_gcc, "c", "c99", ECHO_C("__STDC_VERSION__ == 199901L"), NATIVE_GRACE,
     &gcc_ops, NULL, SIG, c_exts, 11},
    {"C11", "gcc11", search_gcc, "c", "c11", ECHO_C("__STDC_VERSION__ == 201112L"), NATIVE_GRACE,
     &gcc_ops, NULL, SIG, c_exts, 12},
    {"CPP03", "g++", search_gxx, "cpp", "c++03",
     ECHO_CPP("__cplusplus >= 199711L && __cplusplus < 201103L"), NATIVE_GRACE, &gcc_ops, NULL, SIG,
     cpp_exts, 23},
    {"CPP11", "g++11", search_gxx, "cpp", "c++11", ECHO_CPP("__cplusplus == 201103L"), NATIVE_GRACE,
     &gcc_ops, NULL, SIG, cpp_exts, 24},
    {"CPP14", "g++14", search_gxx, "cpp", "c++14", ECHO_CPP("__cplusplus == 201402L"), NATIVE_GRACE,
     &gcc_ops, NULL, SIG, cpp_exts, 25},
    {"CPP17", "g++17", search_gxx, "cpp", "c++17", ECHO_CPP("__cplusplus == 201703L"), NATIVE_GRACE,
     &gcc_ops, NULL, SIG, cpp_exts, 26},
    {"CPP20", "g++20", search_gxx, "cpp", "c++20", ECHO_CPP("__cplusplus == 202002L"), NATIVE_GRACE,
     &gcc_ops, NULL, SIG, cpp_exts, 27},
    {"F95", "gfortran", search_gfortran, "f95", NULL, echo_f95, NATIVE_GRACE, &gcc_ops, NULL, 0,
     NULL, 0},
    {"ADA", "gnatmake", search_gnatmake, "adb", NULL, hello_ada, NATIVE_GRACE, &gnat_ops, NULL, 0,
     NULL, 0},
};
const size_t gcc_executors_count = ARRAY_LEN(gcc_executors);
