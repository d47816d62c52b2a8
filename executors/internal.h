/*
 * Private to the executors module: the shape of a language definition and
 * the helpers the language families (gcc.c, python.c, ...) share.
 */
#ifndef JUDGE_EXECUTORS_INTERNAL_H
#define JUDGE_EXECUTORS_INTERNAL_H

#include "common/common.h"
#include "executors/executors.h"

struct executor_def;

/* What a family of languages (GCC's C and C++, Python...) implements.
 * A family with runtimes that differ in these (how their version is read,
 * what they read) has one of these per runtime. */
struct family_ops {
	/* Version flag and how to read it: the first number with a dot in
	 * the output of `path flag` (or the first number when none has one),
	 * as DMOJ reads it. */
	const char *version_flag;
	/* Instead of a flag, a script fed on stdin to the bare runtime
	 * (tclsh, which would take any argument for a script to run). */
	const char *version_input;
	/* Finds the runtime when it is not one program on PATH (a JDK's
	 * compiler and VM): sets e->path (and e->companion), or fills why.
	 * NULL: the config's runtime block, else a PATH search. */
	bool (*locate)(struct executor *e, char *why, size_t whylen);
	/* Writes sources into req->dir and compiles them (or only checks
	 * them, for interpreted languages). */
	int (*prepare)(const struct executor *e, const struct compile_request *req,
		       struct program *out, char *err, size_t errlen);
	/* Names the failure from stderr (exception type), or leaves buf "".
	 * It sees the last feedback_tail bytes of stderr (0: 4096), enough
	 * for a traceback's last lines. */
	void (*feedback)(const char *text, size_t len, char *buf, size_t buflen);
	size_t feedback_tail;
	/* Writes the runtime argument that carries the memory limit (Java's
	 * -Xmx) into the program's argv[memory_arg]; NULL for none. */
	void (*memory_arg)(char *buf, size_t len, uint64_t memory_kib);
	/* What the running program may read, beyond the working folder and
	 * executor_base_rules; the runtime binary itself is added from its
	 * path. */
	const struct sbx_fs_rule *run_rules;
	size_t nrun_rules;
	/* Rules known only once the runtime is found (a JDK's own tree and
	 * the configuration it links to), for the program (compile false)
	 * and for the compiler (compile true). NULL: none. */
	void (*runtime_rules)(const struct executor *e, struct sbx_policy *p, bool compile);
	/* System calls the runtime needs beyond executor_base_syscalls, and
	 * how many threads (tasks) a program may have; 1 = none. */
	const char *const *run_syscalls;
	size_t nrun_syscalls;
	/* Calls that fail with EACCES rather than kill (sbx_policy_refuse_
	 * syscalls): probes the runtime makes and copes with. */
	const char *const *refused_syscalls;
	size_t nrefused_syscalls;
	int max_threads;
	/* A shell: it may start processes and execute programs the policy
	 * lets it read (its own commands). */
	bool processes;
	/* What such a shell may execute besides itself (its commands): the
	 * only programs of its policy, which other rules only let it read. */
	const char *const *run_exec;
	size_t nrun_exec;
	/* What the compiler reads beyond the compile policy (its
	 * configuration under /etc). */
	const struct sbx_fs_rule *compile_rules;
	size_t ncompile_rules;
	/* What its compiles may execute besides the compiler itself: the
	 * only programs of the compile policy. native_toolchain adds the
	 * gcc driver, the compiler proper, the assembler and the linker
	 * (executor_toolchain_exec) for compilers that drive them. */
	const struct sbx_fs_rule *compile_exec;
	size_t ncompile_exec;
	bool native_toolchain;
	/* A compiler that reserves address space it never touches (a JVM):
	 * no address-space limit, it bounds its own heap. */
	bool compile_unlimited_address_space;
	/* Compiled, but into files the runtime loads (Java's classes), not
	 * one binary that a cache could keep. */
	bool no_binary;
	bool compiled;
};

struct executor_def {
	const char *key;	    /* "CPP17", the site's language key */
	const char *command;	    /* runtime key and reported name, "g++17" */
	const char *const *search;  /* program names to look for, most specific first */
	const char *ext;	    /* source extension without the dot */
	const char *std;	    /* -std= value, or NULL */
	const char *test_program;   /* self-test: echoes stdin, only under the right standard */
	uint64_t address_grace_kib; /* 0 = no address-space limit */
	const struct family_ops *ops;
	/* The name reported to the site when it is not command: every Java
	 * is "javac" to DMOJ, whatever its runtime key. */
	const char *report_as;
	/* enum executor_capability bits. */
	unsigned caps;
	/* Extensions of a problem's own programs (checkers, interactors,
	 * generators) this language builds when init.yml names no `lang`,
	 * and its rank among the languages that could: the highest usable
	 * one is chosen (C++ over C over Python, newest standard first, as
	 * DMOJ chooses). NULL: never chosen by extension. */
	const char *const *helper_exts;
	int helper_rank;
};

struct executor {
	const struct executor_def *def;
	char *path;	 /* runtime as found (may be a symlink) */
	char *realpath;	 /* the binary itself */
	char *companion; /* a second binary of the runtime (Java's VM), or NULL */
	int version[4];
	size_t nversion;
	char version_str[64];
	char runtime_version[96];
	bool selftest_ok, selftest_cached;
	double selftest_time;
	uint64_t selftest_memory;
	char problem[256]; /* why it is not usable */
	struct sbx_policy *run_policy;
	const struct exec_settings *settings;
};

extern const struct executor_def gcc_executors[];
extern const size_t gcc_executors_count;
extern const struct executor_def python_executors[];
extern const size_t python_executors_count;
extern const struct executor_def java_executors[];
extern const size_t java_executors_count;
extern const struct executor_def native_executors[];
extern const size_t native_executors_count;
extern const struct executor_def script_executors[];
extern const size_t script_executors_count;

/* The programs a native compile runs: see family_ops.native_toolchain. */
extern const struct sbx_fs_rule executor_toolchain_exec[];
extern const size_t executor_toolchain_exec_count;

/* File-system rules every program needs (shared libraries, locale, ...). */
extern const struct sbx_fs_rule executor_base_rules[];
extern const size_t executor_base_rules_count;
/* System calls every program needs (memory, time, reading and writing its
 * descriptors, the C library's start-up). */
extern const char *const executor_base_syscalls[];
extern const size_t executor_base_syscalls_count;

/* Runs a compiler (or checker of syntax) in the sandbox with the compile
 * policy, capturing stdout and stderr together. Returns PREPARE_OK,
 * PREPARE_COMPILE_ERROR (log in out->compile_log) or PREPARE_INTERNAL. */
int executor_run_compiler(const struct executor *e, char *const *argv, const char *dir,
			  double time_limit, struct program *out, char *err, size_t errlen);

/* Can the sandbox user execute this binary (a real ELF file, readable and
 * executable by others along its whole path)? Fills why when not. */
bool executor_runnable(const char *real, char *why, size_t whylen);
/* The first program of that name on PATH (then /usr/local/bin, /usr/bin,
 * /bin) that the sandbox user can run; NULL with why filled. */
char *executor_search_path(const char *name, char *why, size_t whylen);

/* Compiler output from fd, cut at limit characters with a note. */
char *executor_read_log(int fd, long limit);

/* The environment programs run with. */
char **executor_run_env(const struct executor *e, const char *dir, bool unbuffered);
/* The base name of the source and binary: the problem code when it is a
 * safe file name (as DMOJ names them, so compiler messages look alike),
 * else "submission". */
char *executor_stem(const char *code);
/* Writes the main and extra sources into the working folder. */
int executor_write_sources(const struct executor *e, const struct compile_request *req,
			   const char *main_name, char *err, size_t errlen);
/* A compiler of one source into one native binary in the working folder,
 * named out->path: src is the main source's file name there. */
typedef int (*native_compile_fn)(const struct executor *e, const struct compile_request *req,
				 const char *src, struct program *out, char *err, size_t errlen);
/* The prepare of a language compiled to a native binary named after the
 * problem: writes the sources as <stem>.<ext>, copies req->binary or
 * compiles, and runs the result as ./<stem>. */
int executor_prepare_native(const struct executor *e, const struct compile_request *req,
			    native_compile_fn compile, struct program *out, char *err,
			    size_t errlen);
/* The last occurrence of marker in text, or NULL. */
const char *executor_last_match(const char *text, size_t len, const char *marker);

#endif
