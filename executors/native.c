/*
 * Compilers of their own that make a native program: Free Pascal (PAS,
 * fpc) and GnuCOBOL (CBL, cobc, which translates to C and runs gcc).
 *
 * Both print a banner and progress lines on every compile. As DMOJ does,
 * a successful compile shows its messages only when they hold a
 * diagnostic (Fatal:, Warning:, Note:, or Error: for cobc); a failed one
 * shows everything. fpc writes its messages to the file named by -Fe
 * (DMOJ points it at stderr and drops stdout, where the driver only adds
 * "returned an error exitcode"); here the file is in the working folder
 * and is read back, followed by whatever the driver printed.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "executors/internal.h"

/* DMOJ gives fpc 20 seconds whatever the configured compiler limit. */
#define FPC_TIME_LIMIT 20
static const char fpc_messages[] = "_judge_fpc_messages.txt";

/* Does the log say anything worth showing after a successful compile? */
static bool has_diagnostic(const char *log, const char *const *markers)
{
	for (size_t i = 0; markers[i]; i++)
		if (strstr(log, markers[i]))
			return true;
	return false;
}

/* fpc's messages file, cut at the compiler output limit, put in front of
 * what the sandbox captured (the driver's line, or why the compile was
 * stopped). The compiler made the file: it is opened without following a
 * link, and only a regular file is read. */
static void take_fpc_messages(const struct executor *e, const char *dir, struct program *out)
{
	char *path = path_join(dir, fpc_messages);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		char *text = executor_read_log(fd, e->settings->compiler_output_limit);
		char *log = xasprintf("%s%s", text, out->compile_log ? out->compile_log : "");
		free(text);
		free(out->compile_log);
		out->compile_log = log;
	}
	if (fd >= 0)
		close(fd);
	unlink(path);
	free(path);
}

/* fpc, or cobc (-x: a program with a main, -free: free-form source);
 * the messages of a successful compile only when they say something. */
static int native_compile(const struct executor *e, const struct compile_request *req,
			  const char *src, struct program *out, char *err, size_t errlen)
{
	static const char *const fpc_markers[] = {"Fatal:", "Warning:", "Note:", NULL};
	/* some versions of cobc capitalise them, others do not */
	static const char *const cobc_markers[] = {
	    "Error:", "Note:", "Warning:", "error:", "note:", "warning:", NULL};
	bool fpc = !strcmp(e->def->key, "PAS");
	double limit = req->time_limit;
	char **argv;
	if (fpc) {
		char *fe = xasprintf("-Fe%s", fpc_messages);
		argv = strv_new(e->path, fe, "-O2", src, NULL);
		free(fe);
		if (limit <= 0)
			limit = FPC_TIME_LIMIT;
	} else {
		argv = strv_new(e->path, "-x", "-free", src, NULL);
	}
	int ret = executor_run_compiler(e, argv, req->dir, limit, out, err, errlen);
	strv_free(argv);
	if (fpc && ret != PREPARE_INTERNAL)
		take_fpc_messages(e, req->dir, out);
	if (ret == PREPARE_OK &&
	    !has_diagnostic(out->compile_log, fpc ? fpc_markers : cobc_markers)) {
		free(out->compile_log);
		out->compile_log = xstrdup("");
	}
	return ret;
}

static int native_prepare(const struct executor *e, const struct compile_request *req,
			  struct program *out, char *err, size_t errlen)
{
	return executor_prepare_native(e, req, native_compile, out, err, errlen);
}

/* fpc reads its configuration from /etc; the units and the linker are
 * under /usr, which the compile policy has. */
static const struct sbx_fs_rule fpc_compile_rules[] = {
    {SBX_FILE, "/etc/fpc.cfg", false},
};
/* the fpc driver runs the compiler proper (ppcx64), kept with its units */
static const struct sbx_fs_rule fpc_compile_exec[] = {
    {SBX_FILE, "/usr/bin/ppcx64", false},
    {SBX_TREE, "/usr/lib/x86_64-linux-gnu/fpc", false},
    {SBX_TREE, "/usr/lib/fpc", false},
};

/* cobc reads its dialect configuration (default.conf, and any other a
 * -std= would name); the program reads libcob's runtime configuration. */
static const struct sbx_fs_rule cobc_compile_rules[] = {
    {SBX_TREE, "/etc/gnucobol", false},
};
/* cobc hands its C compile to the shell (system(3)); the command line is
 * its own, not the source's */
static const struct sbx_fs_rule cobc_compile_exec[] = {
    {SBX_FILE, "/bin/sh", false},
};
static const struct sbx_fs_rule cobol_run_rules[] = {
    {SBX_FILE, "/etc/gnucobol/runtime.cfg", false},
};

/* A program of either is a plain native one: nothing beyond the base set,
 * and it needs no threads. */
static const struct family_ops fpc_ops = {
    .version_flag = "-help",
    .prepare = native_prepare,
    .max_threads = 1,
    .compile_rules = fpc_compile_rules,
    .ncompile_rules = ARRAY_LEN(fpc_compile_rules),
    .compile_exec = fpc_compile_exec,
    .ncompile_exec = ARRAY_LEN(fpc_compile_exec),
    .native_toolchain = true,
    .compiled = true,
};

static const struct family_ops cobc_ops = {
    .version_flag = "--version",
    .prepare = native_prepare,
    .run_rules = cobol_run_rules,
    .nrun_rules = ARRAY_LEN(cobol_run_rules),
    .max_threads = 1,
    .compile_rules = cobc_compile_rules,
    .ncompile_rules = ARRAY_LEN(cobc_compile_rules),
    .compile_exec = cobc_compile_exec,
    .ncompile_exec = ARRAY_LEN(cobc_compile_exec),
    .native_toolchain = true,
    .compiled = true,
};

static const char *const search_fpc[] = {"fpc", NULL};
static const char *const search_cobc[] = {"cobc", NULL};

/* The Pascal program echoes a line; the COBOL one prints the expected
 * line, as DMOJ's do. Free-form COBOL takes the tab indentation. */
static const char echo_pas[] = "var line : string;\n"
			       "begin\n"
			       "    readln(line);\n"
			       "    writeln(line);\n"
			       "end.\n";
static const char hello_cbl[] = "\tIDENTIFICATION DIVISION.\n"
				"\tPROGRAM-ID. HELLO-WORLD.\n"
				"\tPROCEDURE DIVISION.\n"
				"\t\tDISPLAY 'echo: Hello, World!'.\n"
				"\t\tSTOP RUN.\n";

/* Address-space grace: DMOJ's, 64 MiB for fpc's programs (its heap
 * manager maps in large steps), 128 MiB for libcob's. */
const struct executor_def native_executors[] = {
    {"PAS", "fpc", search_fpc, "pas", NULL, echo_pas, 65536, &fpc_ops, NULL, 0, NULL, 0},
    {"CBL", "cobc", search_cobc, "cbl", NULL, hello_cbl, 131072, &cobc_ops, NULL, 0, NULL, 0},
};
const size_t native_executors_count = ARRAY_LEN(native_executors);
