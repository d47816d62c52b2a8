/*
 * problems: DMOJ-format problem folders.
 *
 * - discovery: expand problem_storage_globs (with `**`) into the set of
 *   problem codes, their folders and mtimes;
 * - loading: parse a problem's init.yml into test cases and batches (listed,
 *   or derived from the archive's file names), with top-level and batch
 *   keys inherited by cases: checkers, generators, limits, symlinks; the
 *   pretest list; the programs the problem supplies (bridged checkers,
 *   interactor, generators) and its signature grader and file_io. Every
 *   mistake is reported with the file, line and key;
 * - data: the input and expected output of a case, from the folder or the
 *   problem's zip archive, streamed and normalised (line endings, final
 *   newline) unless binary_data is set.
 */
#ifndef JUDGE_PROBLEMS_H
#define JUDGE_PROBLEMS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* ---- discovery ---- */
struct problem_entry {
	char *code;
	char *dir;
	double mtime;
};
struct problem_index {
	struct problem_entry *items;
	size_t n, cap;
};
/* Scans the globs. Duplicate codes keep the first folder and log a warning
 * naming both. Returns 0, or -1 with err filled if a glob is malformed. */
int problem_discover(char *const *globs, struct problem_index *out, char *err, size_t errlen);
const struct problem_entry *problem_index_find(const struct problem_index *idx, const char *code);
void problem_index_free(struct problem_index *idx);

/* ---- loaded problem ---- */

/* A program the problem supplies: a bridged checker, an interactor or a
 * generator. The judge compiles it with its own executors. */
struct problem_program {
	char **files;		    /* data file names (folder, then archive); never empty */
	char *lang;		    /* executor key, or NULL: chosen by the files' extensions */
	char **flags;		    /* extra compiler flags, NULL-terminated, never NULL */
	double time_limit;	    /* CPU seconds per run; 0: the judge's default */
	long memory_limit;	    /* KiB; 0: the judge's default */
	double compiler_time_limit; /* seconds; 0: the judge's default */
	char *type;		    /* checkers, interactors: default, testlib, coci or peg */
	bool feedback;		    /* checkers, interactors: its output is the case feedback */
	char *args_format;	    /* args_format_string, or NULL: the type's own order */
	double preprocessing_time;  /* interactors: CPU seconds on top of the submission's */
	bool unbuffered;	    /* interactors: unbuffered output (the default) */
	json_t *args;		    /* generators: default arguments (a list), or NULL */
	int line;		    /* init.yml line, for messages */
	const char *key;	    /* "checker", "interactive" or "generator", for messages */
};

struct problem_checker {
	char *name;   /* "standard", "floats", "bridged", "x.py" */
	json_t *args; /* object, never NULL */
	/* name "bridged": its args, parsed; owned by the problem */
	const struct problem_program *bridged;
	bool python; /* a Python module (a name ending in .py) */
};

struct problem_case {
	int line;	/* init.yml line, for messages */
	char *in, *out; /* file names (folder, then archive); NULL = none */
	double points;	/* what the case is worth (a batch case: the batch's points) */
	struct problem_checker checker;
	long output_prefix_length;
	long output_limit_length;
	double wall_time_factor;
	bool binary_data;
	const struct problem_program *generator; /* owned by the problem, or NULL */
	json_t *generator_args;			 /* list or NULL: the generator's own */
	char *generator_in;			 /* file fed to the generator, or NULL */
	json_t *symlinks;			 /* {link name: target}, never NULL */
};

struct problem_unit {
	bool batched;  /* a batch (cases[] shares points) or one case */
	double points; /* of the batch, or of the single case */
	struct problem_case *cases;
	size_t ncases;
	int *deps; /* 1-based batch numbers */
	size_t ndeps;
	int batch_no; /* 1-based number among batches, 0 for a single case */
	int line;
};

struct problem_tests {
	struct problem_unit *units;
	size_t n;
};

/* signature_grader: the submission implements functions declared in
 * header; entry holds main. */
struct problem_signature {
	char *entry, *header;
	bool allow_main;
};

/* file_io: the program reads input and writes output, files in its
 * working folder, instead of (only) its standard streams. NULL: unused. */
struct problem_file_io {
	char *input, *output;
};

struct problem {
	char *code;
	char *dir;
	char *init_path;
	struct problem_tests tests;
	struct problem_tests pretests;
	bool has_pretests;
	char *archive; /* absolute path of the zip, or NULL */
	const struct problem_program *interactive;
	struct problem_signature *signature;
	struct problem_file_io *file_io;
	bool unbuffered;
	char **hints;
	json_t *init; /* the whole init.yml as JSON, for keys read later */
	/* every program the cases point to (generators, bridged checkers) */
	struct problem_program **programs;
	size_t nprograms, programs_cap;
	void *zip; /* the open archive (libzip), or NULL */
};

/* Loads code's init.yml from dir. Returns 0, or -1 with a message naming
 * the file, line and key. Unsupported keys are errors, never ignored. */
int problem_load(const char *code, const char *dir, struct problem **out, char *err, size_t errlen);
void problem_free(struct problem *p);

/* ---- case data ---- */
/* Reads a data file of the problem (folder first, then its archive) into a
 * heap buffer, normalised unless binary. A missing name (NULL) gives an
 * empty buffer. For sources and headers; case data goes through
 * problem_copy_data. */
int problem_read_data(const struct problem *p, const char *name, bool binary, char **data,
		      size_t *len, char *err, size_t errlen);
/* Streams a data file (folder first, then the archive) into fd, normalised
 * unless binary, in fixed-size chunks: a case of gigabytes is never held
 * in memory. A NULL name writes nothing. */
int problem_copy_data(const struct problem *p, const char *name, bool binary, int fd, char *err,
		      size_t errlen);
/* Whether a data file exists (folder or archive). */
bool problem_has_data(const struct problem *p, const char *name);

/* Line-ending normalisation done in pieces: \r\n and lone \r become \n,
 * and a final newline is added to non-empty data. */
struct problem_normaliser {
	bool cr;   /* the previous chunk ended in \r */
	char last; /* the last byte written */
	bool any;  /* anything was written */
};
/* Normalises n bytes of in into out (room for n bytes); returns how many
 * were written. */
size_t problem_normalise_chunk(struct problem_normaliser *st, const char *in, size_t n, char *out);
/* The final newline, if one is due: writes 0 or 1 byte to out. */
size_t problem_normalise_end(struct problem_normaliser *st, char *out);
/* The whole of data normalised, as a new heap buffer. */
char *problem_normalise(const char *data, size_t len, size_t *out_len);

#endif
