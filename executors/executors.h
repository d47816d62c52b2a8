/*
 * executors: the languages the judge grades, keyed exactly as DMOJ names
 * them (C, C11, CPP03 ... CPP20, PY3, ...).
 *
 * At start-up executors_init finds each language's runtime (from the
 * config's `runtime` block or by searching the machine as `judge autoconf`
 * does), reads its version, and self-tests it with a hello-world echo
 * program (all executors in parallel, results cached per runtime binary
 * and mtime). Executors whose runtime is missing or whose self-test fails
 * are dropped with a warning.
 *
 * For grading, executor_prepare turns a source into a runnable program in
 * a working folder (compiling it in the sandbox where the language is
 * compiled), and program_spec describes how to run it in the sandbox.
 */
#ifndef JUDGE_EXECUTORS_H
#define JUDGE_EXECUTORS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sandbox/sandbox.h"

struct exec_settings {
	const json_t *runtime; /* config `runtime` map (name -> path), or NULL */
	const char *tempdir;
	const char *cache_dir; /* self-test cache lives here */
	double compiler_time_limit;
	long compiler_output_limit; /* characters of compiler output kept */
	long compiler_memory_limit; /* KiB of peak resident memory of a compile */
	double selftest_time_limit;
	long selftest_memory_limit; /* KiB */
	const json_t *extra_fs;	    /* {KEY: [{exact_file|exact_dir|recursive_dir: path}]} */
	char *const *only;	    /* NULL-terminated executor keys, or NULL for all */
	char *const *exclude;
	bool skip_selftest;
	bool quiet; /* no per-executor log lines */
};

struct executor;

/* Finds runtimes and self-tests. Returns the number of usable executors
 * (0 is not an error: the judge can still list problems). */
int executors_init(const struct exec_settings *s);
void executors_free(void);

size_t executors_count(void);
const struct executor *executors_at(size_t i);
const struct executor *executor_find(const char *key);
/* Every key the judge knows, usable here or not (for `judge executors`). */
size_t executors_known(void);
const char *executors_known_key(size_t i);
/* Why a known key is not usable ("runtime g++ not found", "self-test
 * failed: ..."), or NULL when it is. */
const char *executors_problem(const char *key);

const char *executor_key(const struct executor *e);
const char *executor_runtime_name(const struct executor *e); /* "g++17" */
const char *executor_version(const struct executor *e);	     /* "12.2.0" */
const char *executor_runtime_path(const struct executor *e);
/* "g++17 12.2.0", the per-case runtime-version string */
const char *executor_runtime_version(const struct executor *e);
bool executor_selftest(const struct executor *e, double *time, uint64_t *memory_kib, bool *cached);
/* True if the language has a compile step (compile-message applies). */
bool executor_compiled(const struct executor *e);
/* True if a prepared program is one binary (program.path) that a cache
 * may keep and give back as compile_request.binary; not Java's classes. */
bool executor_cacheable(const struct executor *e);

/* What a language offers besides grading submissions in it. The judge
 * asks for these instead of naming languages. */
enum executor_capability {
	/* signature graders: the problem's entry file is compiled with the
	 * submission, which implements what its header declares */
	EXEC_CAP_SIGNATURE = 1 << 0,
	/* runs checker modules written for DMOJ's Python judge */
	EXEC_CAP_PYTHON_MODULES = 1 << 1,
};
bool executor_can(const struct executor *e, unsigned cap);
/* The extension of its source files, without the dot ("cpp"). */
const char *executor_extension(const struct executor *e);
/* The first usable executor with that capability, or NULL. */
const struct executor *executor_with(unsigned cap);
/* The usable executor that builds a problem's own program (checker,
 * interactor, generator) made of these files (NULL-terminated) when
 * init.yml names no language: chosen by their extensions as DMOJ chooses
 * (C++ over C over Python, the newest standard first). NULL when none
 * fits. */
const struct executor *executor_for_files(char *const *files);

/* {"C": [["gcc", [12, 2, 0]]], ...}: the handshake's `executors`. */
json_t *executors_handshake(void);

/* `judge autoconf`: a YAML `runtime:` block for what this machine has. */
char *executors_autoconf(void);

/* ---- preparing and running programs ---- */
struct source_file {
	const char *name; /* file name in the working folder */
	const char *data;
	size_t len;
};

struct compile_request {
	const char *source; /* the main source */
	size_t len;
	const char *name;		 /* problem code: names the source and binary files */
	const char *dir;		 /* the (empty, existing) working folder */
	const struct source_file *extra; /* more sources (signature graders) */
	size_t nextra;
	char *const *flags;   /* extra compiler flags, NULL-terminated, or NULL */
	char *const *defines; /* extra -D names, NULL-terminated, or NULL */
	bool unbuffered;      /* run with unbuffered output (interactive problems) */
	double time_limit;    /* compiler time limit; 0 = the configured one */
	/* A binary an earlier executor_prepare built from this same request
	 * (a checker or generator kept in a cache): compiled languages copy
	 * it in instead of compiling. NULL: compile. */
	const char *binary;
};

struct program {
	const struct executor *exe;
	char *dir;
	char *path; /* executable the sandbox starts */
	char **argv;
	char **envp;
	struct sbx_policy *policy;
	uint64_t address_grace_kib; /* added to the memory limit for RLIMIT_AS; 0 = no AS limit */
	int memory_arg; /* argv index of the memory limit (a buffer of PROGRAM_MEMORY_ARG bytes), 0
			   = none */
	char *compile_log; /* compiler output, "" if none */
	double compile_time;
};

/* Room for a runtime's memory-limit argument ("-Xmx1234567K"). */
#define PROGRAM_MEMORY_ARG 48

enum { PREPARE_OK = 0, PREPARE_COMPILE_ERROR = 1, PREPARE_INTERNAL = -1 };
/* Writes the sources into req->dir and compiles them. PREPARE_COMPILE_ERROR
 * leaves the compiler's message in out->compile_log; PREPARE_INTERNAL fills
 * err (the judge could not run the compiler at all). */
int executor_prepare(const struct executor *e, const struct compile_request *req,
		     struct program *out, char *err, size_t errlen);
void program_free(struct program *p);

/* Describes a run of the program: time in CPU seconds, memory in KiB,
 * wall-clock factor, output limit in bytes. Standard streams are left for
 * the caller to set. A runtime that bounds its own memory gets the limit
 * as an argument (Java's -Xmx), written into p->argv's own buffer for it:
 * a caller that copies the argv copies it after this. The spec points
 * into p; p must outlive it. */
void program_spec(const struct program *p, double time, uint64_t memory_kib, double wall_factor,
		  uint64_t output_limit, struct sbx_spec *spec);

/* The runtime's own name for a failure, parsed from stderr (C++ exception
 * type, Python exception class, Java exception), or "" if none. Give it
 * all of stderr: each runtime looks where its messages are. */
void executor_feedback(const struct executor *e, const char *stderr_text, size_t len, char *buf,
		       size_t buflen);
/* True if that feedback means the program ran out of memory. */
bool executor_feedback_is_memory(const char *feedback);

#endif
