/*
 * problems: DMOJ-format problem folders.
 *
 * - discovery: expand problem_storage_globs (with `**`) into the set of
 *   problem codes, their folders and mtimes;
 * - loading: parse a problem's init.yml into test cases and batches, with
 *   top-level and batch keys inherited by cases, checkers, limits and the
 *   pretest list; every mistake is reported with the file, line and key;
 * - data: the input and expected output of a case, from the folder or the
 *   problem's zip archive, normalised (line endings, final newline) unless
 *   binary_data is set.
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
struct problem_checker {
	char *name;   /* "standard", "floats", "bridged", "x.py" */
	json_t *args; /* object, never NULL */
};

struct problem_case {
	int line;	/* init.yml line, for messages */
	char *in, *out; /* file names (folder, then archive); NULL = none */
	double points;	/* what the case is worth (a batch case: 0, the batch has them) */
	struct problem_checker checker;
	long output_prefix_length;
	long output_limit_length;
	double wall_time_factor;
	bool binary_data;
	json_t *generator_args; /* list or NULL */
	char *generator_in;
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

struct problem {
	char *code;
	char *dir;
	char *init_path;
	struct problem_tests tests;
	struct problem_tests pretests;
	bool has_pretests;
	char *archive;	     /* absolute path of the zip, or NULL */
	json_t *generator;   /* raw `generator` value, or NULL */
	json_t *interactive; /* raw `interactive` value, or NULL */
	json_t *signature_grader;
	json_t *file_io;
	json_t *symlinks;
	bool unbuffered;
	char **hints;
	json_t *init; /* the whole init.yml as JSON, for keys read later */
};

/* Loads code's init.yml from dir. Returns 0, or -1 with a message naming
 * the file, line and key. Unsupported keys are errors, never ignored. */
int problem_load(const char *code, const char *dir, struct problem **out, char *err, size_t errlen);
void problem_free(struct problem *p);

/* ---- case data ---- */
/* Reads a data file of the problem (folder first, then its archive) into a
 * heap buffer, normalised unless binary. A missing name gives an empty
 * buffer. */
int problem_read_data(const struct problem *p, const char *name, bool binary, char **data,
		      size_t *len, char *err, size_t errlen);
/* Normalises line endings in place-independent fashion: \r\n and lone \r
 * become \n and a final newline is added to non-empty data. Returns a new
 * heap buffer. */
char *problem_normalise(const char *data, size_t len, size_t *out_len);

#endif
