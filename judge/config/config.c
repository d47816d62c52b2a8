/*
 * config.yml: the judge's settings, with DMOJ's key names so that an
 * operator's existing file keeps working.
 *
 * Keys the judge does not know are warned about, not refused: DMOJ configs
 * carry keys for features of DMOJ's own judge, and refusing them would
 * stop a site from switching. A known key with a bad value is an error
 * naming the file, line and key.
 *
 * Every key is one row of `keys` below: its name, how its value is read,
 * its default, the field of struct config it fills and a line of
 * documentation. Defaults, loading and freeing all walk that
 * table, so that a new key is a new row (and its field).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/yml.h"
#include "judge/config/config.h"

/* How a key's value is read, which fixes the type of its field. */
enum cfg_type {
	CFG_STRING,   /* char *: a text value */
	CFG_PATH,     /* char *: a text value, relative to the file's folder */
	CFG_GLOBS,    /* char **: one glob or a list, relative to the file's folder */
	CFG_POSITIVE, /* double: a number > 0 */
	CFG_COUNT,    /* long: a whole number > 0 */
	CFG_JSON,     /* json_t *: vetted by the row's check, then kept as JSON */
	CFG_SPECIAL,  /* read by the row's parse; the field is a heap block, or NULL */
};

struct cfg_key {
	const char *name;
	enum cfg_type type;
	size_t offset; /* of the field in struct config */
	union {
		const char *s; /* CFG_STRING, CFG_PATH; NULL: none */
		double d;      /* CFG_POSITIVE */
		long l;	       /* CFG_COUNT */
	} def;
	/* CFG_STRING, CFG_PATH: an environment variable that replaces the
	 * default when it is set and not empty */
	const char *env;
	bool required;
	int (*check)(struct yml *y, yaml_node_t *v, const char *key, char *err, size_t errlen);
	int (*parse)(struct config *c, struct yml *y, yaml_node_t *v, const char *key, char *err,
		     size_t errlen);
	const char *doc;
};

/* ---- readers of the types ---- */

static int positive(struct yml *y, yaml_node_t *v, const char *key, double *out, char *err,
		    size_t errlen)
{
	if (yml_to_double(y, v, key, out, err, errlen) < 0)
		return -1;
	if (*out <= 0)
		return yml_err(y, v, key, err, errlen, "must be a positive number");
	return 0;
}

static int positive_long(struct yml *y, yaml_node_t *v, const char *key, long *out, char *err,
			 size_t errlen)
{
	if (yml_to_long(y, v, key, out, err, errlen) < 0)
		return -1;
	if (*out <= 0)
		return yml_err(y, v, key, err, errlen, "must be a positive whole number");
	return 0;
}

static int set_string(struct yml *y, yaml_node_t *v, const char *key, char **out, char *err,
		      size_t errlen)
{
	const char *s;
	if (yml_to_string(y, v, key, &s, err, errlen) < 0)
		return -1;
	free(*out);
	*out = xstrdup(s);
	return 0;
}

static int set_globs(struct yml *y, yaml_node_t *v, const char *key, const char *base, char ***out,
		     char *err, size_t errlen)
{
	char **globs;
	if (yml_to_strv(y, v, key, &globs, err, errlen) < 0)
		return -1;
	for (size_t g = 0; globs[g]; g++) {
		char *abs = path_join(base, globs[g]);
		free(globs[g]);
		globs[g] = abs;
	}
	strv_free(*out);
	*out = globs;
	return 0;
}

/* ---- keys that need more than their type ---- */

static int check_runtime(struct yml *y, yaml_node_t *v, const char *key, char *err, size_t errlen)
{
	if (!yml_is_map(v))
		return yml_err(y, v, key, err, errlen,
			       "expected a mapping of runtime names to paths");
	return 0;
}

static int check_extra_fs(struct yml *y, yaml_node_t *v, const char *key, char *err, size_t errlen)
{
	if (!yml_is_map(v))
		return yml_err(y, v, key, err, errlen,
			       "expected {EXECUTOR: [{exact_file|exact_dir|recursive_dir: path}]}");
	for (size_t i = 0; i < yml_map_len(v); i++) {
		yaml_node_t *k, *list;
		yml_map_at(y, v, i, &k, &list);
		if (!yml_is_seq(list))
			return yml_err(y, list, key, err, errlen, "the entry for %s must be a list",
				       yml_str(k) ? yml_str(k) : "?");
		for (size_t j = 0; j < yml_seq_len(list); j++) {
			yaml_node_t *item = yml_seq_at(y, list, j);
			if (!yml_is_map(item) || yml_map_len(item) != 1)
				return yml_err(y, item, key, err, errlen,
					       "each rule is one of exact_file, exact_dir, "
					       "recursive_dir with a path");
			yaml_node_t *rk, *rv;
			yml_map_at(y, item, 0, &rk, &rv);
			const char *kind = yml_str(rk), *path = yml_str(rv);
			static const char *const kinds[] = {"exact_file", "exact_dir",
							    "recursive_dir"};
			if (!kind || str_index(kinds, ARRAY_LEN(kinds), kind) < 0)
				return yml_err(y, rk, key, err, errlen,
					       "unknown rule `%s` (exact_file, exact_dir, "
					       "recursive_dir)",
					       kind ? kind : "?");
			if (!path || path[0] != '/')
				return yml_err(y, rv, key, err, errlen, "paths must be absolute");
		}
	}
	return 0;
}

static int parse_cpus(struct config *c, struct yml *y, yaml_node_t *v, const char *key, char *err,
		      size_t errlen)
{
	if (!yml_is_seq(v))
		return yml_err(y, v, key, err, errlen, "expected a list of CPU numbers");
	free(c->cpus);
	c->ncpus = yml_seq_len(v);
	c->cpus = xcalloc(c->ncpus ? c->ncpus : 1, sizeof(int));
	for (size_t j = 0; j < c->ncpus; j++) {
		long cpu;
		yaml_node_t *e = yml_seq_at(y, v, j);
		if (yml_to_long(y, e, key, &cpu, err, errlen) < 0)
			return -1;
		if (cpu < 0 || cpu >= 1024)
			return yml_err(y, e, key, err, errlen, "CPU %ld out of range", cpu);
		c->cpus[j] = (int)cpu;
	}
	return 0;
}

/* ---- the keys ---- */

#define FIELD(f) offsetof(struct config, f)

static const struct cfg_key keys[] = {
    {"id", CFG_STRING, FIELD(id), .doc = "the judge's name, as registered on the site"},
    {"key", CFG_STRING, FIELD(key), .doc = "the judge's key, from the site (Admin > Judges)"},
    {"problem_storage_globs", CFG_GLOBS, FIELD(problem_globs), .required = true,
     .doc = "globs of folders that hold problem folders; `**` matches any number of folders"},
    {"runtime", CFG_JSON, FIELD(runtime), .check = check_runtime,
     .doc = "paths of language runtimes, as `judge autoconf` prints them (default: found at "
	    "start-up)"},
    {"tempdir", CFG_PATH, FIELD(tempdir), .def.s = "/tmp", .env = "TMPDIR",
     .doc = "where working folders are made"},
    {"compiler_time_limit", CFG_POSITIVE, FIELD(compiler_time_limit), .def.d = 10,
     .doc = "seconds of CPU a compiler may use"},
    {"compiler_output_character_limit", CFG_COUNT, FIELD(compiler_output_limit), .def.l = 65536,
     .doc = "characters of compiler output kept"},
    {"compiler_memory_limit", CFG_COUNT, FIELD(compiler_memory_limit), .def.l = 1048576,
     .doc = "KiB a compiler may use (javac is measured while it runs)"},
    {"compiled_binary_cache_dir", CFG_PATH, FIELD(cache_dir),
     .doc = "cache of self-test results and compiled checkers and generators (default: a "
	    "judge-cache-UID folder in tempdir)"},
    {"compiled_binary_cache_size", CFG_COUNT, FIELD(cache_size), .def.l = 100,
     .doc = "how many binaries the cache keeps"},
    {"selftest_time_limit", CFG_POSITIVE, FIELD(selftest_time_limit), .def.d = 10,
     .doc = "seconds an executor's start-up self-test may take"},
    {"selftest_memory_limit", CFG_COUNT, FIELD(selftest_memory_limit), .def.l = 131072,
     .doc = "KiB an executor's start-up self-test may use"},
    {"generator_time_limit", CFG_POSITIVE, FIELD(generator_time_limit), .def.d = 20,
     .doc = "seconds a problem's generator may run"},
    {"generator_memory_limit", CFG_COUNT, FIELD(generator_memory_limit), .def.l = 524288,
     .doc = "KiB a problem's generator may use"},
    {"generator_compiler_time_limit", CFG_POSITIVE, FIELD(generator_compiler_time_limit),
     .def.d = 30, .doc = "seconds a problem's generator may take to compile"},
    {"extra_fs", CFG_JSON, FIELD(extra_fs), .check = check_extra_fs,
     .doc = "extra paths a language's programs may read: "
	    "{EXECUTOR: [{exact_file|exact_dir|recursive_dir: path}]}"},
    {"submission_cpu_affinity", CFG_SPECIAL, FIELD(cpus), .parse = parse_cpus,
     .doc = "CPUs submissions are pinned to (default: any)"},
    {"sandbox_user", CFG_STRING, FIELD(sandbox_user), .def.s = "nobody",
     .doc = "the user programs run as when the judge runs as root"},
    {"reconnect_initial_delay", CFG_POSITIVE, FIELD(reconnect_initial), .def.d = 1,
     .doc = "seconds before the first attempt to reconnect to the bridge"},
    {"reconnect_max_delay", CFG_POSITIVE, FIELD(reconnect_max), .def.d = 30,
     .doc = "the longest wait between attempts to reconnect, in seconds"},
    {"max_packet_size", CFG_COUNT, FIELD(max_packet_size), .def.l = 64L << 20,
     .doc = "the largest packet accepted from the bridge, in bytes"},
};

static void *field_of(struct config *c, const struct cfg_key *k)
{
	return (char *)c + k->offset;
}

/* Whether a key has a value, for `required`. */
static bool is_set(struct config *c, const struct cfg_key *k)
{
	void *f = field_of(c, k);
	switch (k->type) {
	case CFG_STRING:
	case CFG_PATH:
		return *(char **)f;
	case CFG_GLOBS:
		return *(char ***)f;
	case CFG_JSON:
		return *(json_t **)f;
	case CFG_SPECIAL:
		return *(void **)f;
	case CFG_POSITIVE:
	case CFG_COUNT:
		break;
	}
	return true;
}

static const struct cfg_key *find_key(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(keys); i++)
		if (!strcmp(keys[i].name, name))
			return &keys[i];
	return NULL;
}

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		const struct cfg_key *k = &keys[i];
		void *f = field_of(c, k);
		const char *env = k->env ? getenv(k->env) : NULL;
		switch (k->type) {
		case CFG_STRING:
		case CFG_PATH:
			if (env && *env)
				*(char **)f = xstrdup(env);
			else if (k->def.s)
				*(char **)f = xstrdup(k->def.s);
			break;
		case CFG_POSITIVE:
			*(double *)f = k->def.d;
			break;
		case CFG_COUNT:
			*(long *)f = k->def.l;
			break;
		case CFG_GLOBS:
		case CFG_JSON:
		case CFG_SPECIAL:
			break; /* NULL from the memset */
		}
	}
}

void config_free(struct config *c)
{
	free(c->path);
	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		const struct cfg_key *k = &keys[i];
		void *f = field_of(c, k);
		switch (k->type) {
		case CFG_STRING:
		case CFG_PATH:
			free(*(char **)f);
			break;
		case CFG_SPECIAL:
			free(*(void **)f);
			break;
		case CFG_GLOBS:
			strv_free(*(char ***)f);
			break;
		case CFG_JSON:
			json_decref(*(json_t **)f);
			break;
		case CFG_POSITIVE:
		case CFG_COUNT:
			break;
		}
	}
	memset(c, 0, sizeof(*c));
}

/* ---- loading ---- */

static char *dir_of(const char *path)
{
	char *real = realpath(path, NULL);
	char *d = xstrdup(real ? real : path);
	free(real);
	char *slash = strrchr(d, '/');
	if (slash && slash != d)
		*slash = '\0';
	else if (slash)
		slash[1] = '\0';
	else {
		free(d);
		d = xstrdup(".");
	}
	return d;
}

static int load_key(struct config *c, const struct cfg_key *k, struct yml *y, yaml_node_t *v,
		    const char *base, char *err, size_t errlen)
{
	void *f = field_of(c, k);
	switch (k->type) {
	case CFG_STRING:
	case CFG_PATH:
		return set_string(y, v, k->name, f, err, errlen);
	case CFG_GLOBS:
		return set_globs(y, v, k->name, base, f, err, errlen);
	case CFG_POSITIVE:
		return positive(y, v, k->name, f, err, errlen);
	case CFG_COUNT:
		return positive_long(y, v, k->name, f, err, errlen);
	case CFG_JSON:
		if (k->check(y, v, k->name, err, errlen) < 0)
			return -1;
		json_decref(*(json_t **)f);
		*(json_t **)f = yml_to_json(y, v);
		return 0;
	case CFG_SPECIAL:
		return k->parse(c, y, v, k->name, err, errlen);
	}
	return 0;
}

static int load_root(struct config *c, struct yml *y, yaml_node_t *root, const char *base,
		     char *err, size_t errlen)
{
	for (size_t i = 0; i < yml_map_len(root); i++) {
		yaml_node_t *k, *v;
		yml_map_at(y, root, i, &k, &v);
		const char *key = yml_str(k);
		if (!key)
			return yml_err(y, k, NULL, err, errlen, "a key is not text");
		if (yml_is_null(v))
			continue;
		const struct cfg_key *row = find_key(key);
		if (!row)
			log_warn("%s:%d: unknown key `%s` ignored", y->file, yml_line(k), key);
		else if (load_key(c, row, y, v, base, err, errlen) < 0)
			return -1;
	}
	return 0;
}

int config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	struct yml y;
	if (yml_load(&y, path, err, errlen) < 0)
		return -1;
	yaml_node_t *root = yml_root(&y);
	int ret = -1;
	char *base = dir_of(path);
	if (root && !yml_is_null(root) && !yml_is_map(root)) {
		yml_err(&y, root, NULL, err, errlen, "the configuration must be a mapping of keys");
		goto out;
	}
	if (root && yml_is_map(root) && load_root(c, &y, root, base, err, errlen) < 0)
		goto out;
	for (size_t i = 0; i < ARRAY_LEN(keys); i++)
		if (keys[i].required && !is_set(c, &keys[i])) {
			errf(err, errlen, "%s: key `%s` is required", path, keys[i].name);
			goto out;
		}
	/* Paths are made absolute only now so that a default from the
	 * environment is relative to the file's folder too. */
	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		char **f = field_of(c, &keys[i]);
		if (keys[i].type == CFG_PATH && *f && (*f)[0] != '/') {
			char *abs = path_join(base, *f);
			free(*f);
			*f = abs;
		}
	}
	if (!is_dir(c->tempdir)) {
		errf(err, errlen, "%s: key `tempdir`: %s is not a folder", path, c->tempdir);
		goto out;
	}
	if (c->reconnect_max < c->reconnect_initial)
		c->reconnect_max = c->reconnect_initial;
	free(c->path);
	c->path = xstrdup(path);
	ret = 0;
out:
	free(base);
	yml_free(&y);
	return ret;
}
