/*
 * Private to the executors module: the shape of a language definition and
 * the helpers the language families (gcc.c, python.c, ...) share.
 */
#ifndef JUDGE_EXECUTORS_INTERNAL_H
#define JUDGE_EXECUTORS_INTERNAL_H

#include "common/common.h"
#include "executors/executors.h"

struct executor_def;

/* What a family of languages (GCC's C and C++, Python...) implements. */
struct family_ops {
	/* Version flag and how to read it: the first run of `path flag`
	 * whose output has a number like 12.2.0. */
	const char *version_flag;
	/* Writes sources into req->dir and compiles them (or only checks
	 * them, for interpreted languages). */
	int (*prepare)(const struct executor *e, const struct compile_request *req,
		       struct program *out, char *err, size_t errlen);
	/* Names the failure from stderr (exception type), or leaves buf "". */
	void (*feedback)(const char *text, size_t len, char *buf, size_t buflen);
	/* What the running program may read, beyond the working folder and
	 * executor_base_rules; the runtime binary itself is added from its
	 * path. */
	const struct sbx_fs_rule *run_rules;
	size_t nrun_rules;
	/* System calls the runtime needs beyond executor_base_syscalls, and
	 * how many threads (tasks) a program may have; 1 = none. */
	const char *const *run_syscalls;
	size_t nrun_syscalls;
	int max_threads;
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
};

struct executor {
	const struct executor_def *def;
	char *path;	/* runtime as found (may be a symlink) */
	char *realpath; /* the binary itself */
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

/* The environment programs run with. */
char **executor_run_env(const struct executor *e, const char *dir, bool unbuffered);
/* The base name of the source and binary: the problem code when it is a
 * safe file name (as DMOJ names them, so compiler messages look alike),
 * else "submission". */
char *executor_stem(const char *code);
/* Writes the main and extra sources into the working folder. */
int executor_write_sources(const struct executor *e, const struct compile_request *req,
			   const char *main_name, char *err, size_t errlen);
/* Copies a file (a cached binary) to dst, executable. */
int executor_copy_binary(const char *src, const char *dst, char *err, size_t errlen);
/* The last occurrence of marker in text, or NULL. */
const char *executor_last_match(const char *text, size_t len, const char *marker);
char **strv_new(const char *first, ...) __attribute__((sentinel));
void strv_push(char ***v, size_t *n, size_t *cap, const char *s);

#endif
