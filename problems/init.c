/*
 * init.yml -> struct problem.
 *
 * Keys inherit downwards the way DMOJ's ConfigNode does: a case that does
 * not set a key takes it from its batch, then from the top of the file; a
 * key set to null is not inherited. Every key the judge does not know is an
 * error naming it, so that a problem is never graded with a setting
 * silently ignored.
 *
 * Each key is a row of `init_keys`: where it may appear, how it is read,
 * its default and a line of documentation; each member of the programs a
 * problem supplies (checker, interactor, generator) is a row of
 * `prog_keys`. Recognising and reading keys walk those tables, so that a
 * new key is a new row.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/yml.h"
#include "problems/internal.h"

#define ERRLEN 512

struct ctx {
	struct yml y;
	struct problem *p;
	bool signature;
	int batches; /* batches numbered so far, pretests first, as DMOJ numbers them */
	char *err;
	size_t errlen;
	/* the node each of p->programs was parsed from: cases that inherit
	 * one generator or checker share one program */
	yaml_node_t **prog_nodes;
	size_t prog_nodes_cap;
	/* values already converted to JSON, by node: cases inheriting one
	 * checker's args share one conversion (aliases can make a node stand
	 * for a great many values) */
	struct converted {
		yaml_node_t *node;
		json_t *value;
	} * converted;
	size_t nconverted, converted_cap;
};

/* The JSON of a node, converted once per node. Readers never change it. */
static json_t *node_json(struct ctx *c, yaml_node_t *n)
{
	for (size_t i = 0; i < c->nconverted; i++)
		if (c->converted[i].node == n)
			return json_incref(c->converted[i].value);
	XGROW(c->converted, c->converted_cap, c->nconverted + 1);
	c->converted[c->nconverted] = (struct converted){n, yml_to_json(&c->y, n)};
	return json_incref(c->converted[c->nconverted++].value);
}

/* The chain of mappings a case's keys are looked up in, innermost first. */
struct chain {
	yaml_node_t *nodes[3];
	size_t n;
};

/* ---- the keys of init.yml ---- */

/* Where a key may appear. Case keys are allowed at the top and in batches
 * too, as defaults for the cases below. */
enum {
	AT_TOP = 1,   /* the top of the file */
	AT_BATCH = 2, /* a batch: an item of a list of cases, with `batched` */
	AT_CASE = 4,  /* a case, alone or in a batch */
	AT_ANY = AT_TOP | AT_BATCH | AT_CASE,
};

/* How a key is read. Case keys (M_STRING to M_CASE) are read for every
 * case, in the order of the table, through the case's chain. */
enum key_kind {
	M_TOP,	    /* by the row's top handler, in the order of the table */
	M_BATCH,    /* by parse_tests, as it shapes the list of cases */
	M_IGNORED,  /* accepted and without effect (the row's doc says why) */
	M_STRING,   /* char * in struct problem_case */
	M_NUMBER,   /* double */
	M_POSITIVE, /* double > 0 */
	M_LENGTH,   /* long >= 0 */
	M_BOOL,	    /* bool */
	M_CASE,	    /* by the row's case handler */
};

/* v: the key's value at the top of the file, NULL when it is absent */
typedef int top_fn(struct ctx *c, yaml_node_t *root, yaml_node_t *v);
typedef int case_fn(struct ctx *c, const struct chain *ch, struct problem_case *pc);

static top_fn top_custom_judge, top_signature_grader, top_archive, top_unbuffered, top_hints,
    top_interactive, top_file_io, top_pretests, top_tests;
static case_fn case_prefix_length, case_checker, case_symlinks, case_generator, case_generator_args;

struct init_key {
	const char *name;
	unsigned where; /* AT_* */
	enum key_kind kind;
	size_t offset; /* M_STRING to M_BOOL: of the field in struct problem_case */
	union {
		double d; /* M_NUMBER, M_POSITIVE */
		long l;	  /* M_LENGTH */
		bool b;	  /* M_BOOL */
	} def;
	top_fn *top;   /* M_TOP */
	case_fn *read; /* M_CASE */
	const char *doc;
};

#define CASE(f) offsetof(struct problem_case, f)

/* The order matters where one key's reading depends on another's:
 * signature_grader changes a case default and archive holds the cases, so
 * both come before the lists of cases; pretests come before the tests
 * because DMOJ numbers their batches first. */
static const struct init_key init_keys[] = {
    {"custom_judge", AT_TOP, M_TOP, .top = top_custom_judge,
     .doc = "a Python grader module: refused, it needs DMOJ's Python judge"},
    {"signature_grader", AT_TOP, M_TOP, .top = top_signature_grader,
     .doc = "{entry, header, allow_main}: the submission implements the header's functions"},
    {"archive", AT_TOP, M_TOP, .top = top_archive,
     .doc = "a zip of data files, read where the folder lacks a file"},
    {"unbuffered", AT_TOP, M_TOP, .top = top_unbuffered,
     .doc = "the submission's output is unbuffered"},
    {"hints", AT_TOP, M_TOP, .top = top_hints,
     .doc = "hints for DMOJ's Java agent, which this judge does not have"},
    {"interactive", AT_TOP, M_TOP, .top = top_interactive,
     .doc = "an interactor: {files, lang, type, feedback, flags, ...}"},
    {"file_io", AT_TOP, M_TOP, .top = top_file_io,
     .doc = "{input, output}: files in the program's folder besides its standard streams"},
    {"pretest_test_cases", AT_TOP, M_TOP, .top = top_pretests,
     .doc = "the pretests: a list of cases and batches, or file-name patterns"},
    {"test_cases", AT_TOP, M_TOP, .top = top_tests,
     .doc = "a list of cases and batches, or file-name patterns (default: derived from the "
	    "archive)"},
    {"batched", AT_BATCH, M_BATCH, .doc = "the cases of a batch"},
    {"dependencies", AT_TOP | AT_BATCH, M_BATCH,
     .doc = "the earlier batches that must pass for a batch to run (unused at the top)"},
    {"in", AT_ANY, M_STRING, CASE(in), .doc = "the input file"},
    {"out", AT_ANY, M_STRING, CASE(out), .doc = "the expected output file"},
    {"points", AT_ANY, M_NUMBER, CASE(points), .def.d = 1,
     .doc = "what the case (or the batch) is worth"},
    {"output_prefix_length", AT_ANY, M_CASE, .read = case_prefix_length,
     .doc = "bytes of the output shown with the result (default: 64, 0 with a signature "
	    "grader)"},
    {"output_limit_length", AT_ANY, M_LENGTH, CASE(output_limit_length), .def.l = 25165824,
     .doc = "bytes of output allowed"},
    {"wall_time_factor", AT_ANY, M_POSITIVE, CASE(wall_time_factor), .def.d = 3,
     .doc = "the wall-clock limit as a multiple of the time limit"},
    {"binary_data", AT_ANY, M_BOOL, CASE(binary_data), .def.b = false,
     .doc = "compare the data as is, without normalising line endings"},
    {"generator_in", AT_ANY, M_STRING, CASE(generator_in),
     .doc = "a file fed to the generator's standard input"},
    {"checker", AT_ANY, M_CASE, .read = case_checker,
     .doc = "a name or {name, args}: built-in, `bridged` or a NAME.py module (default: "
	    "standard)"},
    {"symlinks", AT_ANY, M_CASE, .read = case_symlinks,
     .doc = "{link name: target}: links made in the program's folder"},
    {"generator", AT_ANY, M_CASE, .read = case_generator,
     .doc = "a program whose standard output is the input and standard error the answer"},
    {"generator_args", AT_ANY, M_CASE, .read = case_generator_args,
     .doc = "the generator's arguments"},
    {"short_circuit", AT_ANY, M_IGNORED,
     .doc = "as with DMOJ's current judge, the site's short-circuit flag decides"},
};

static const struct init_key *find_key(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(init_keys); i++)
		if (!strcmp(init_keys[i].name, name))
			return &init_keys[i];
	return NULL;
}

/* The value of key for this chain, or NULL if no level sets it. A level
 * that sets it to null stops the search (null is not inherited). */
static yaml_node_t *lookup(struct ctx *c, const struct chain *ch, const char *key)
{
	for (size_t i = 0; i < ch->n; i++) {
		yaml_node_t *v = yml_get(&c->y, ch->nodes[i], key);
		if (v)
			return yml_is_null(v) ? NULL : v;
	}
	return NULL;
}

/* at: AT_TOP, AT_BATCH or AT_CASE, what map is */
static int check_keys(struct ctx *c, yaml_node_t *map, unsigned at, const char *where)
{
	for (size_t i = 0; i < yml_map_len(map); i++) {
		yaml_node_t *k, *v;
		yml_map_at(&c->y, map, i, &k, &v);
		const char *s = yml_str(k);
		if (!s)
			return yml_err(&c->y, k, NULL, c->err, c->errlen, "%s: a key is not text",
				       where);
		if (!strcmp(s, "<<"))
			continue;
		const struct init_key *key = find_key(s);
		if (key && (key->where & at))
			continue;
		if (at != AT_TOP && !strcmp(s, "batched"))
			return yml_err(&c->y, k, s, c->err, c->errlen, "nested batches");
		if (*s && s[strlen(s) - 1] == '+')
			return yml_err(&c->y, k, s, c->err, c->errlen,
				       "Python-evaluated keys (`key+`/`key++`) are not supported");
		return yml_err(&c->y, k, s, c->err, c->errlen, "unsupported key in %s", where);
	}
	return 0;
}

static int get_string(struct ctx *c, const struct chain *ch, const char *key, char **out)
{
	yaml_node_t *v = lookup(c, ch, key);
	*out = NULL;
	if (!v)
		return 0;
	const char *s;
	if (yml_to_string(&c->y, v, key, &s, c->err, c->errlen) < 0)
		return -1;
	*out = xstrdup(s);
	return 0;
}

static int get_double(struct ctx *c, const struct chain *ch, const char *key, double def,
		      double *out)
{
	yaml_node_t *v = lookup(c, ch, key);
	*out = def;
	return v ? yml_to_double(&c->y, v, key, out, c->err, c->errlen) : 0;
}

static int get_long(struct ctx *c, const struct chain *ch, const char *key, long def, long *out)
{
	yaml_node_t *v = lookup(c, ch, key);
	*out = def;
	if (!v)
		return 0;
	if (yml_to_long(&c->y, v, key, out, c->err, c->errlen) < 0)
		return -1;
	if (*out < 0)
		return yml_err(&c->y, v, key, c->err, c->errlen, "must not be negative");
	return 0;
}

static int get_bool(struct ctx *c, const struct chain *ch, const char *key, bool def, bool *out)
{
	yaml_node_t *v = lookup(c, ch, key);
	*out = def;
	return v ? yml_to_bool(&c->y, v, key, out, c->err, c->errlen) : 0;
}

/* ---- programs the problem supplies ---- */

enum prog_kind { PROG_CHECKER, PROG_INTERACTOR, PROG_GENERATOR };
#define FOR(kind) (1u << (kind))

/* How a member of a program's mapping is read, which fixes the type of
 * its field in struct problem_program. */
enum prog_type {
	P_FILES,    /* char **: a file or a non-empty list */
	P_LIST,	    /* char **: a text value or a list */
	P_TEXT,	    /* char * */
	P_TYPE,	    /* char *: one of the exit-code conventions of its kind */
	P_BOOL,	    /* bool */
	P_POSITIVE, /* double > 0 */
	P_NONNEG,   /* double >= 0 */
	P_KIB,	    /* long > 0 */
	P_ARGS,	    /* json_t *: a list of arguments, or one */
	P_IGNORED,  /* accepted and without effect (the row's doc says why) */
};

struct prog_key {
	const char *name;
	unsigned kinds; /* FOR(PROG_...): the programs that take it */
	enum prog_type type;
	size_t offset; /* of the field in struct problem_program */
	const char *doc;
};

#define PROG(f) offsetof(struct problem_program, f)
#define CHK	FOR(PROG_CHECKER)
#define INTER	FOR(PROG_INTERACTOR)
#define GEN	FOR(PROG_GENERATOR)

/* In the order the messages list them. */
static const struct prog_key prog_keys[] = {
    {"files", CHK | INTER, P_FILES, PROG(files), "its source files"},
    {"source", GEN, P_FILES, PROG(files), "its source files"},
    {"lang", CHK | INTER, P_TEXT, PROG(lang), "executor key (default: by the files' extensions)"},
    {"language", GEN, P_TEXT, PROG(lang), "executor key (default: by the files' extensions)"},
    {"type", CHK | INTER, P_TYPE, PROG(type),
     "its exit-code convention: default, testlib, coci (peg: checkers)"},
    {"feedback", CHK | INTER, P_BOOL, PROG(feedback), "its output is the case's feedback"},
    {"flags", CHK | INTER | GEN, P_LIST, PROG(flags), "extra compiler flags"},
    {"args_format_string", CHK | INTER, P_TEXT, PROG(args_format),
     "its command line (default: the type's own)"},
    {"args", GEN, P_ARGS, PROG(args), "default arguments"},
    {"time_limit", CHK | GEN, P_POSITIVE, PROG(time_limit), "CPU seconds per run"},
    {"preprocessing_time", INTER, P_NONNEG, PROG(preprocessing_time),
     "CPU seconds on top of the submission's (default: 2)"},
    {"memory_limit", CHK | INTER | GEN, P_KIB, PROG(memory_limit), "KiB per run"},
    {"compiler_time_limit", CHK | INTER | GEN, P_POSITIVE, PROG(compiler_time_limit),
     "seconds to compile it"},
    {"cached", CHK, P_IGNORED, 0,
     "DMOJ may skip its binary cache; ours is keyed by content, so a cached binary is always "
     "the right one"},
    {"unbuffered", INTER, P_BOOL, PROG(unbuffered), "its output is unbuffered (default: true)"},
};

/* The exit-code conventions of checkers and interactors (DMOJ's contrib
 * modules); peg describes only checkers. */
static const char *const checker_types[] = {"default", "testlib", "coci", "peg", NULL};
static const char *const interactor_types[] = {"default", "testlib", "coci", NULL};

static void problem_program_free(struct problem_program *pp)
{
	if (!pp)
		return;
	strv_free(pp->files);
	free(pp->lang);
	strv_free(pp->flags);
	free(pp->type);
	free(pp->args_format);
	json_decref(pp->args);
	free(pp);
}

static bool listed(const char *s, const char *const *list)
{
	return str_index(list, SIZE_MAX, s) >= 0;
}

static char *joined(const char *const *list)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; list[i]; i++)
		sb_addf(&sb, "%s`%s`", i ? ", " : "", list[i]);
	return sb_detach(&sb);
}

static const struct prog_key *find_prog_key(const char *name, enum prog_kind kind)
{
	for (size_t i = 0; i < ARRAY_LEN(prog_keys); i++)
		if ((prog_keys[i].kinds & FOR(kind)) && !strcmp(prog_keys[i].name, name))
			return &prog_keys[i];
	return NULL;
}

static char *prog_key_names(enum prog_kind kind)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < ARRAY_LEN(prog_keys); i++)
		if (prog_keys[i].kinds & FOR(kind))
			sb_addf(&sb, "%s`%s`", sb.len ? ", " : "", prog_keys[i].name);
	return sb_detach(&sb);
}

static int prog_double(struct ctx *c, yaml_node_t *v, const char *key, bool nonneg, double *out)
{
	if (yml_to_double(&c->y, v, key, out, c->err, c->errlen) < 0)
		return -1;
	if (nonneg && *out < 0)
		return yml_err(&c->y, v, key, c->err, c->errlen, "must not be negative");
	if (!nonneg && !(*out > 0))
		return yml_err(&c->y, v, key, c->err, c->errlen, "must be a positive number");
	return 0;
}

/* key: the member's full name, for messages */
static int read_prog_key(struct ctx *c, struct problem_program *pp, const struct prog_key *m,
			 yaml_node_t *v, const char *key, enum prog_kind kind)
{
	void *f = (char *)pp + m->offset;
	const char *s;
	switch (m->type) {
	case P_FILES:
	case P_LIST:
		strv_free(*(char ***)f);
		*(char ***)f = NULL;
		if (yml_to_strv(&c->y, v, key, f, c->err, c->errlen) < 0)
			return -1;
		if (m->type == P_FILES && !(*(char ***)f)[0])
			return yml_err(&c->y, v, key, c->err, c->errlen, "names no file");
		return 0;
	case P_TEXT:
	case P_TYPE:
		if (yml_to_string(&c->y, v, key, &s, c->err, c->errlen) < 0)
			return -1;
		if (m->type == P_TYPE) {
			const char *const *types =
			    kind == PROG_CHECKER ? checker_types : interactor_types;
			if (!listed(s, types)) {
				char *names = joined(types);
				yml_err(&c->y, v, key, c->err, c->errlen, "`%s` is not one of %s",
					s, names);
				free(names);
				return -1;
			}
		}
		free(*(char **)f);
		*(char **)f = xstrdup(s);
		return 0;
	case P_BOOL:
		return yml_to_bool(&c->y, v, key, f, c->err, c->errlen);
	case P_POSITIVE:
	case P_NONNEG:
		return prog_double(c, v, key, m->type == P_NONNEG, f);
	case P_KIB:
		if (yml_to_long(&c->y, v, key, f, c->err, c->errlen) < 0)
			return -1;
		if (*(long *)f <= 0)
			return yml_err(&c->y, v, key, c->err, c->errlen,
				       "must be a positive number");
		return 0;
	case P_ARGS:
		if (!yml_is_seq(v) && !yml_is_scalar(v))
			return yml_err(&c->y, v, key, c->err, c->errlen,
				       "expected a list of arguments");
		json_decref(*(json_t **)f);
		*(json_t **)f = yml_to_json(&c->y, v);
		return 0;
	case P_IGNORED:
		break;
	}
	return 0;
}

/* Parses a program declaration. A generator may be a file name or a list
 * of them; checkers and interactors are mappings. */
static int parse_program(struct ctx *c, yaml_node_t *v, const char *key, enum prog_kind kind,
			 const struct problem_program **out)
{
	struct problem *p = c->p;
	for (size_t i = 0; i < p->nprograms; i++)
		if (c->prog_nodes[i] == v) {
			*out = p->programs[i];
			return 0;
		}
	struct problem_program *pp = xcalloc(1, sizeof(*pp));
	pp->line = yml_line(v);
	pp->key = kind == PROG_CHECKER	    ? "checker"
		  : kind == PROG_INTERACTOR ? "interactive"
					    : "generator";
	pp->feedback = kind == PROG_CHECKER;
	pp->preprocessing_time = 2;
	/* DMOJ builds interactors unbuffered unless told otherwise: they talk
	 * line by line */
	pp->unbuffered = kind == PROG_INTERACTOR;
	int ret = -1;
	if (kind == PROG_GENERATOR && (yml_is_scalar(v) || yml_is_seq(v))) {
		if (yml_to_strv(&c->y, v, key, &pp->files, c->err, c->errlen) < 0)
			goto out;
	} else if (!yml_is_map(v)) {
		yml_err(&c->y, v, key, c->err, c->errlen,
			kind == PROG_GENERATOR ? "invalid generator declaration: expected a file, "
						 "a list of files or a mapping with `source`"
					       : "expected a mapping with `files` and `lang`");
		goto out;
	} else {
		for (size_t i = 0; i < yml_map_len(v); i++) {
			yaml_node_t *k, *x;
			yml_map_at(&c->y, v, i, &k, &x);
			const char *name = yml_str(k);
			const struct prog_key *m = name ? find_prog_key(name, kind) : NULL;
			if (!m) {
				char *names = prog_key_names(kind);
				yml_err(&c->y, k, key, c->err, c->errlen,
					"unsupported member `%s` (it takes %s)", name ? name : "?",
					names);
				free(names);
				goto out;
			}
			if (yml_is_null(x))
				continue;
			char *full = xasprintf("%s.%s", key, name);
			int r = read_prog_key(c, pp, m, x, full, kind);
			free(full);
			if (r < 0)
				goto out;
		}
	}
	if (!pp->files || !pp->files[0]) {
		yml_err(&c->y, v, key, c->err, c->errlen, "names no source file (`%s`)",
			kind == PROG_GENERATOR ? "source" : "files");
		goto out;
	}
	if (!pp->flags)
		pp->flags = xcalloc(1, sizeof(char *));
	if (!pp->type)
		pp->type = xstrdup("default");
	XGROW(p->programs, p->programs_cap, p->nprograms + 1);
	XGROW(c->prog_nodes, c->prog_nodes_cap, p->nprograms + 1);
	c->prog_nodes[p->nprograms] = v;
	p->programs[p->nprograms++] = pp;
	*out = pp;
	pp = NULL;
	ret = 0;
out:
	problem_program_free(pp);
	return ret;
}

/* ---- case keys with handlers ---- */

/* DMOJ's default depends on the problem: no prefix with a signature
 * grader. */
static int case_prefix_length(struct ctx *c, const struct chain *ch, struct problem_case *pc)
{
	return get_long(c, ch, "output_prefix_length", c->signature ? 0 : 64,
			&pc->output_prefix_length);
}

static int case_checker(struct ctx *c, const struct chain *ch, struct problem_case *pc)
{
	static const char *const members[] = {"name", "args", NULL};
	struct problem_checker *out = &pc->checker;
	yaml_node_t *v = lookup(c, ch, "checker");
	if (!v) {
		out->name = xstrdup("standard");
		out->args = json_object();
		return 0;
	}
	yaml_node_t *args = NULL;
	if (yml_is_scalar(v)) {
		out->name = xstrdup(yml_str(v));
		out->args = json_object();
	} else if (!yml_is_map(v)) {
		return yml_err(&c->y, v, "checker", c->err, c->errlen,
			       "expected a name or {name: ..., args: {...}}");
	} else {
		for (size_t i = 0; i < yml_map_len(v); i++) {
			yaml_node_t *k, *x;
			yml_map_at(&c->y, v, i, &k, &x);
			const char *s = yml_str(k);
			if (!s || !listed(s, members))
				return yml_err(&c->y, k, "checker", c->err, c->errlen,
					       "unsupported member `%s` (only name and args)",
					       s ? s : "?");
		}
		const char *name;
		if (yml_to_string(&c->y, yml_get(&c->y, v, "name"), "checker.name", &name, c->err,
				  c->errlen) < 0)
			return -1;
		args = yml_get(&c->y, v, "args");
		if (args && !yml_is_null(args) && !yml_is_map(args))
			return yml_err(&c->y, args, "checker.args", c->err, c->errlen,
				       "expected a mapping of argument names to values");
		if (args && yml_is_null(args))
			args = NULL;
		out->name = xstrdup(name);
		out->args = args ? node_json(c, args) : json_object();
	}
	size_t n = strlen(out->name);
	out->python = n > 3 && !strcmp(out->name + n - 3, ".py");
	if (strcmp(out->name, "bridged"))
		return 0;
	if (!args)
		return yml_err(&c->y, v, "checker", c->err, c->errlen,
			       "a bridged checker needs `args` with at least `files`");
	return parse_program(c, args, "checker.args", PROG_CHECKER, &out->bridged);
}

/* Link names stay inside the program's working folder; targets are the
 * problem's business (DMOJ creates them as written). */
static int case_symlinks(struct ctx *c, const struct chain *ch, struct problem_case *pc)
{
	yaml_node_t *v = lookup(c, ch, "symlinks");
	pc->symlinks = json_object();
	if (!v)
		return 0;
	if (!yml_is_map(v))
		return yml_err(&c->y, v, "symlinks", c->err, c->errlen,
			       "expected a mapping of link names to targets");
	for (size_t i = 0; i < yml_map_len(v); i++) {
		yaml_node_t *k, *t;
		yml_map_at(&c->y, v, i, &k, &t);
		const char *name = yml_str(k), *target = yml_str(t);
		if (!name || !target || yml_is_null(t))
			return yml_err(&c->y, k, "symlinks", c->err, c->errlen,
				       "link names and targets must be text");
		if (!*name || name[0] == '/' || strstr(name, "..") || strchr(name, '/'))
			return yml_err(&c->y, k, "symlinks", c->err, c->errlen,
				       "link `%s`: cannot symlink outside of the submission's "
				       "folder (a plain file name is needed)",
				       name);
		json_object_set_new(pc->symlinks, name, json_string(target));
	}
	return 0;
}

static int case_generator(struct ctx *c, const struct chain *ch, struct problem_case *pc)
{
	yaml_node_t *gen = lookup(c, ch, "generator");
	return gen ? parse_program(c, gen, "generator", PROG_GENERATOR, &pc->generator) : 0;
}

static int case_generator_args(struct ctx *c, const struct chain *ch, struct problem_case *pc)
{
	yaml_node_t *ga = lookup(c, ch, "generator_args");
	if (!ga)
		return 0;
	if (!yml_is_seq(ga) && !yml_is_scalar(ga))
		return yml_err(&c->y, ga, "generator_args", c->err, c->errlen,
			       "expected a list of arguments");
	pc->generator_args = node_json(c, ga);
	return 0;
}

/* ---- cases ---- */

static int read_case_key(struct ctx *c, const struct chain *ch, const struct init_key *k,
			 struct problem_case *pc)
{
	void *f = (char *)pc + k->offset;
	switch (k->kind) {
	case M_STRING:
		return get_string(c, ch, k->name, f);
	case M_NUMBER:
		return get_double(c, ch, k->name, k->def.d, f);
	case M_POSITIVE:
		if (get_double(c, ch, k->name, k->def.d, f) < 0)
			return -1;
		if (*(double *)f <= 0)
			return yml_err(&c->y, lookup(c, ch, k->name), k->name, c->err, c->errlen,
				       "must be positive");
		return 0;
	case M_LENGTH:
		return get_long(c, ch, k->name, k->def.l, f);
	case M_BOOL:
		return get_bool(c, ch, k->name, k->def.b, f);
	case M_CASE:
		return k->read(c, ch, pc);
	case M_TOP:
	case M_BATCH:
	case M_IGNORED:
		break;
	}
	return 0;
}

static int parse_case(struct ctx *c, const struct chain *ch, int line, struct problem_case *pc)
{
	pc->line = line;
	for (size_t i = 0; i < ARRAY_LEN(init_keys); i++)
		if (read_case_key(c, ch, &init_keys[i], pc) < 0)
			return -1;
	return 0;
}

static void free_case(struct problem_case *pc)
{
	free(pc->in);
	free(pc->out);
	free(pc->checker.name);
	json_decref(pc->checker.args);
	json_decref(pc->generator_args);
	free(pc->generator_in);
	json_decref(pc->symlinks);
}

static void free_tests(struct problem_tests *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct problem_unit *u = &t->units[i];
		for (size_t j = 0; j < u->ncases; j++)
			free_case(&u->cases[j]);
		free(u->cases);
		free(u->deps);
	}
	free(t->units);
	memset(t, 0, sizeof(*t));
}

static int parse_deps(struct ctx *c, yaml_node_t *v, struct problem_unit *u)
{
	if (!v || yml_is_null(v))
		return 0;
	if (!yml_is_seq(v))
		return yml_err(&c->y, v, "dependencies", c->err, c->errlen,
			       "expected a list of batch numbers");
	u->ndeps = yml_seq_len(v);
	u->deps = xcalloc(u->ndeps ? u->ndeps : 1, sizeof(int));
	for (size_t i = 0; i < u->ndeps; i++) {
		yaml_node_t *e = yml_seq_at(&c->y, v, i);
		long d;
		if (yml_to_long(&c->y, e, "dependencies", &d, c->err, c->errlen) < 0)
			return -1;
		if (d < 1)
			return yml_err(&c->y, e, "dependencies", c->err, c->errlen,
				       "batch numbers start at 1, got %ld", d);
		if (d >= u->batch_no)
			return yml_err(
			    &c->y, e, "dependencies", c->err, c->errlen,
			    "batch %d depends on batch %ld, which is not an earlier batch",
			    u->batch_no, d);
		u->deps[i] = (int)d;
	}
	return 0;
}

/* ---- cases derived from the archive's file names ---- */

static int case_points(struct ctx *c, yaml_node_t *spec, yaml_node_t *root, size_t ngroups,
		       double **out)
{
	yaml_node_t *cp = spec ? yml_get(&c->y, spec, "case_points") : NULL;
	*out = xcalloc(ngroups ? ngroups : 1, sizeof(double));
	if (!cp || yml_is_null(cp)) {
		/* DMOJ repeats the top-level `points` */
		struct chain ch = {{root}, 1};
		double pts;
		if (get_double(c, &ch, "points", 1, &pts) < 0)
			return -1;
		for (size_t i = 0; i < ngroups; i++)
			(*out)[i] = pts;
		return 0;
	}
	if (!yml_is_seq(cp))
		return yml_err(&c->y, cp, "case_points", c->err, c->errlen,
			       "expected a list of points, one per case or batch");
	if (yml_seq_len(cp) < ngroups)
		return yml_err(&c->y, cp, "case_points", c->err, c->errlen,
			       "has %zu values, but the archive gives %zu cases and batches",
			       yml_seq_len(cp), ngroups);
	for (size_t i = 0; i < ngroups; i++)
		if (yml_to_double(&c->y, yml_seq_at(&c->y, cp, i), "case_points", &(*out)[i],
				  c->err, c->errlen) < 0)
			return -1;
	return 0;
}

static const char *format_of(struct ctx *c, yaml_node_t *spec, const char *key, const char *def)
{
	yaml_node_t *v = spec ? yml_get(&c->y, spec, key) : NULL;
	return v && yml_is_scalar(v) && !yml_is_null(v) ? yml_str(v) : def;
}

/* test_cases as a mapping of file-name patterns, or absent: the cases are
 * the archive's files that the patterns match. */
static int derive_tests(struct ctx *c, yaml_node_t *root, yaml_node_t *spec, const char *key,
			struct problem_tests *t)
{
	static const char *const members[] = {"input_format", "output_format", "case_points", NULL};
	int line = spec ? yml_line(spec) : 1;
	if (!c->p->zip) {
		if (!spec)
			return errf(c->err, c->errlen,
				    "%s: no `test_cases`, and no `archive` to derive them from",
				    c->y.file);
		return yml_err(&c->y, spec, key, c->err, c->errlen,
			       "cases can only be derived from file names when `archive` is set");
	}
	for (size_t i = 0; spec && i < yml_map_len(spec); i++) {
		yaml_node_t *k, *v;
		yml_map_at(&c->y, spec, i, &k, &v);
		const char *s = yml_str(k);
		if (!s || !listed(s, members))
			return yml_err(&c->y, k, key, c->err, c->errlen,
				       "unsupported member `%s` (it takes `input_format`, "
				       "`output_format` and `case_points`)",
				       s ? s : "?");
		if (strcmp(s, "case_points") && !yml_is_null(v) &&
		    (!yml_is_scalar(v) || !*yml_str(v)))
			return yml_err(&c->y, v, s, c->err, c->errlen,
				       "expected a regular expression");
	}
	const char *in_re = format_of(c, spec, "input_format", ARCHIVE_INPUT_PATTERN);
	const char *out_re = format_of(c, spec, "output_format", ARCHIVE_OUTPUT_PATTERN);
	struct derived_group *g = NULL;
	size_t ng = 0;
	double *points = NULL;
	char inner[ERR_SIZE];
	int ret = -1;
	if (archive_derive(c->p, in_re, out_re, "input_format", "output_format", &g, &ng, inner,
			   sizeof(inner)) < 0) {
		errf(c->err, c->errlen, "%s:%d: key `%s`: %s", c->y.file, line, key, inner);
		goto out;
	}
	if (case_points(c, spec, root, ng, &points) < 0)
		goto out;
	t->units = xcalloc(ng, sizeof(*t->units));
	for (size_t i = 0; i < ng; i++) {
		struct problem_unit *u = &t->units[t->n++];
		u->line = line;
		u->batched = g[i].batched;
		u->points = points[i];
		u->batch_no = u->batched ? ++c->batches : 0;
		u->ncases = g[i].ncases;
		u->cases = xcalloc(u->ncases, sizeof(*u->cases));
		for (size_t j = 0; j < u->ncases; j++) {
			struct problem_case *pc = &u->cases[j];
			struct chain ch = {{root}, 1};
			if (parse_case(c, &ch, line, pc) < 0)
				goto out;
			free(pc->in);
			free(pc->out);
			pc->in = g[i].cases[j].in ? xstrdup(g[i].cases[j].in) : NULL;
			pc->out = g[i].cases[j].out ? xstrdup(g[i].cases[j].out) : NULL;
			pc->points = points[i];
		}
	}
	ret = 0;
out:
	archive_derived_free(g, ng);
	free(points);
	return ret;
}

/* list: the value of key, "test_cases" or "pretest_test_cases", or NULL.
 * Batches are numbered across both lists (c->batches). */
static int parse_tests(struct ctx *c, yaml_node_t *root, yaml_node_t *list, const char *key,
		       bool pretests, struct problem_tests *t)
{
	memset(t, 0, sizeof(*t));
	if (!list || yml_is_null(list))
		return pretests ? 0 : derive_tests(c, root, NULL, key, t);
	if (yml_is_map(list))
		return derive_tests(c, root, list, key, t);
	if (!yml_is_seq(list))
		return yml_err(&c->y, list, key, c->err, c->errlen,
			       "expected a list of cases and batches");
	size_t n = yml_seq_len(list);
	t->units = xcalloc(n ? n : 1, sizeof(*t->units));
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *item = yml_seq_at(&c->y, list, i);
		struct problem_unit *u = &t->units[t->n++];
		u->line = yml_line(item);
		if (!yml_is_map(item))
			return yml_err(&c->y, item, key, c->err, c->errlen,
				       "item %zu is not a mapping of case keys", i + 1);
		yaml_node_t *batched = yml_get(&c->y, item, "batched");
		struct chain ch = {{item, root}, 2};
		if (!batched) {
			if (yml_get(&c->y, item, "dependencies"))
				return yml_err(&c->y, item, "dependencies", c->err, c->errlen,
					       "only batches can have dependencies");
			if (check_keys(c, item, AT_CASE, "a test case") < 0)
				return -1;
			u->ncases = 1;
			u->cases = xcalloc(1, sizeof(*u->cases));
			if (parse_case(c, &ch, yml_line(item), &u->cases[0]) < 0)
				return -1;
			u->points = u->cases[0].points;
			continue;
		}
		u->batched = true;
		u->batch_no = ++c->batches;
		if (check_keys(c, item, AT_BATCH, "a batch") < 0)
			return -1;
		if (!yml_is_seq(batched) || !yml_seq_len(batched))
			return yml_err(&c->y, batched, "batched", c->err, c->errlen,
				       "expected a non-empty list of cases");
		if (get_double(c, &ch, "points", 1, &u->points) < 0 ||
		    parse_deps(c, yml_get(&c->y, item, "dependencies"), u) < 0)
			return -1;
		u->ncases = yml_seq_len(batched);
		u->cases = xcalloc(u->ncases, sizeof(*u->cases));
		for (size_t j = 0; j < u->ncases; j++) {
			yaml_node_t *ci = yml_seq_at(&c->y, batched, j);
			if (!yml_is_map(ci))
				return yml_err(&c->y, ci, "batched", c->err, c->errlen,
					       "case %zu of the batch is not a mapping", j + 1);
			if (yml_get(&c->y, ci, "batched"))
				return yml_err(&c->y, ci, "batched", c->err, c->errlen,
					       "nested batches");
			if (check_keys(c, ci, AT_CASE, "a batched case") < 0)
				return -1;
			struct chain cch = {{ci, item, root}, 3};
			if (parse_case(c, &cch, yml_line(ci), &u->cases[j]) < 0)
				return -1;
		}
	}
	return 0;
}

/* ---- top-level keys ---- */

static int top_custom_judge(struct ctx *c, yaml_node_t *root, yaml_node_t *v)
{
	if (v && !yml_is_null(v))
		return yml_err(&c->y, v, "custom_judge", c->err, c->errlen,
			       "custom_judge (Python grader) is not supported");
	return 0;
}

/* The members of signature_grader and file_io: text, or a boolean. */
struct member {
	const char *name;
	bool is_bool;
	size_t offset; /* of the field in struct problem_signature or problem_file_io */
};

static const struct member *find_member(const struct member *list, size_t n, const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (!strcmp(list[i].name, name))
			return &list[i];
	return NULL;
}

static int top_signature_grader(struct ctx *c, yaml_node_t *root, yaml_node_t *v)
{
	static const struct member members[] = {
	    {"entry", false, offsetof(struct problem_signature, entry)},
	    {"header", false, offsetof(struct problem_signature, header)},
	    {"allow_main", true, offsetof(struct problem_signature, allow_main)},
	};
	c->signature = v && !yml_is_null(v);
	if (!c->signature)
		return 0;
	if (!yml_is_map(v))
		return yml_err(&c->y, v, "signature_grader", c->err, c->errlen,
			       "expected {entry: FILE, header: FILE, allow_main: BOOL}");
	struct problem_signature *s = xcalloc(1, sizeof(*s));
	c->p->signature = s;
	for (size_t i = 0; i < yml_map_len(v); i++) {
		yaml_node_t *k, *x;
		yml_map_at(&c->y, v, i, &k, &x);
		const char *name = yml_str(k);
		const struct member *m = find_member(members, ARRAY_LEN(members), name);
		if (!m)
			return yml_err(&c->y, k, "signature_grader", c->err, c->errlen,
				       "unsupported member `%s` (it takes `entry`, `header` and "
				       "`allow_main`)",
				       name ? name : "?");
		void *f = (char *)s + m->offset;
		const char *str;
		char *key = xasprintf("signature_grader.%s", name);
		int r = m->is_bool ? yml_to_bool(&c->y, x, key, f, c->err, c->errlen)
				   : yml_to_string(&c->y, x, key, &str, c->err, c->errlen);
		free(key);
		if (r < 0)
			return -1;
		if (!m->is_bool) {
			free(*(char **)f);
			*(char **)f = xstrdup(str);
		}
	}
	if (!s->entry || !s->header)
		return yml_err(&c->y, v, "signature_grader", c->err, c->errlen,
			       "needs both `entry` and `header`");
	if (strchr(s->header, '/') || strchr(s->header, '"'))
		return yml_err(&c->y, v, "signature_grader.header", c->err, c->errlen,
			       "`%s` must be a plain file name: the submission includes it by name",
			       s->header);
	return 0;
}

static int top_archive(struct ctx *c, yaml_node_t *root, yaml_node_t *v)
{
	struct problem *p = c->p;
	const char *archive;
	if (!v || yml_is_null(v))
		return 0;
	if (yml_to_string(&c->y, v, "archive", &archive, c->err, c->errlen) < 0)
		return -1;
	p->archive = path_join(p->dir, archive);
	if (!path_exists(p->archive))
		return errf(c->err, c->errlen, "%s: key `archive`: file %s does not exist",
			    c->y.file, p->archive);
	char inner[ERR_SIZE];
	if (archive_open(p, inner, sizeof(inner)) < 0)
		return errf(c->err, c->errlen, "%s: key `archive`: %s", c->y.file, inner);
	return 0;
}

static int top_unbuffered(struct ctx *c, yaml_node_t *root, yaml_node_t *v)
{
	if (!v || yml_is_null(v))
		return 0;
	return yml_to_bool(&c->y, v, "unbuffered", &c->p->unbuffered, c->err, c->errlen);
}

static int top_hints(struct ctx *c, yaml_node_t *root, yaml_node_t *v)
{
	if (!v || yml_is_null(v))
		return 0;
	return yml_to_strv(&c->y, v, "hints", &c->p->hints, c->err, c->errlen);
}

static int top_interactive(struct ctx *c, yaml_node_t *root, yaml_node_t *v)
{
	if (!v || yml_is_null(v))
		return 0;
	return parse_program(c, v, "interactive", PROG_INTERACTOR, &c->p->interactive);
}

static int top_file_io(struct ctx *c, yaml_node_t *root, yaml_node_t *v)
{
	static const struct member members[] = {
	    {"input", false, offsetof(struct problem_file_io, input)},
	    {"output", false, offsetof(struct problem_file_io, output)},
	};
	if (!v || yml_is_null(v))
		return 0;
	if (!yml_is_map(v))
		return yml_err(&c->y, v, "file_io", c->err, c->errlen,
			       "expected {input: NAME, output: NAME}");
	struct problem_file_io *f = xcalloc(1, sizeof(*f));
	c->p->file_io = f;
	for (size_t i = 0; i < yml_map_len(v); i++) {
		yaml_node_t *k, *x;
		yml_map_at(&c->y, v, i, &k, &x);
		const char *name = yml_str(k), *str;
		const struct member *m = find_member(members, ARRAY_LEN(members), name);
		if (!m)
			return yml_err(&c->y, k, "file_io", c->err, c->errlen,
				       "unsupported member `%s` (it takes `input` and `output`)",
				       name ? name : "?");
		if (yml_is_null(x))
			continue;
		char *key = xasprintf("file_io.%s", name);
		int r = yml_to_string(&c->y, x, key, &str, c->err, c->errlen);
		free(key);
		if (r < 0)
			return -1;
		if (!*str || strchr(str, '/') || !strcmp(str, ".") || !strcmp(str, ".."))
			return yml_err(&c->y, x, "file_io", c->err, c->errlen,
				       "`%s` must be a plain file name in the program's folder",
				       str);
		char **field = (char **)((char *)f + m->offset);
		free(*field);
		*field = xstrdup(str);
	}
	return 0;
}

static int top_pretests(struct ctx *c, yaml_node_t *root, yaml_node_t *v)
{
	return parse_tests(c, root, v, "pretest_test_cases", true, &c->p->pretests);
}

static int top_tests(struct ctx *c, yaml_node_t *root, yaml_node_t *v)
{
	struct problem *p = c->p;
	if (parse_tests(c, root, v, "test_cases", false, &p->tests) < 0)
		return -1;
	p->has_pretests = p->pretests.n > 0;
	if (!p->tests.n)
		return yml_err(&c->y, v, "test_cases", c->err, c->errlen,
			       "the list of cases is empty");
	return 0;
}

static int parse_root(struct ctx *c, yaml_node_t *root)
{
	if (!root || yml_is_null(root))
		return errf(c->err, c->errlen, "%s is empty", c->y.file);
	if (!yml_is_map(root))
		return yml_err(&c->y, root, NULL, c->err, c->errlen,
			       "init.yml must be a mapping of keys to values");
	if (check_keys(c, root, AT_TOP, "init.yml") < 0)
		return -1;
	c->p->init = yml_to_json(&c->y, root);
	for (size_t i = 0; i < ARRAY_LEN(init_keys); i++) {
		const struct init_key *k = &init_keys[i];
		if (k->kind == M_TOP && k->top(c, root, yml_get(&c->y, root, k->name)) < 0)
			return -1;
	}
	return 0;
}

int problem_load(const char *code, const char *dir, struct problem **out, char *err, size_t errlen)
{
	struct ctx c = {0};
	c.err = err;
	c.errlen = errlen;
	c.p = xcalloc(1, sizeof(*c.p));
	c.p->code = xstrdup(code);
	c.p->dir = xstrdup(dir);
	c.p->init_path = path_join(dir, "init.yml");
	*out = NULL;
	if (yml_load(&c.y, c.p->init_path, err, errlen) < 0) {
		problem_free(c.p);
		return -1;
	}
	int ret = parse_root(&c, yml_root(&c.y));
	yml_free(&c.y);
	free(c.prog_nodes);
	for (size_t i = 0; i < c.nconverted; i++)
		json_decref(c.converted[i].value);
	free(c.converted);
	if (ret < 0) {
		problem_free(c.p);
		return -1;
	}
	*out = c.p;
	return 0;
}

void problem_free(struct problem *p)
{
	if (!p)
		return;
	free_tests(&p->tests);
	free_tests(&p->pretests);
	free(p->code);
	free(p->dir);
	free(p->init_path);
	free(p->archive);
	archive_close(p);
	for (size_t i = 0; i < p->nprograms; i++)
		problem_program_free(p->programs[i]);
	free(p->programs);
	if (p->signature) {
		free(p->signature->entry);
		free(p->signature->header);
		free(p->signature);
	}
	if (p->file_io) {
		free(p->file_io->input);
		free(p->file_io->output);
		free(p->file_io);
	}
	json_decref(p->init);
	strv_free(p->hints);
	free(p);
}
