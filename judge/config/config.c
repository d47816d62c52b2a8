/*
 * config.yml: the judge's settings, with DMOJ's key names so that an
 * operator's existing file keeps working.
 *
 * Keys the judge does not know are warned about, not refused: DMOJ configs
 * carry keys for features of DMOJ's own judge, and refusing them would
 * stop a site from switching. A known key with a bad value is an error
 * naming the file, line and key.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/yml.h"
#include "judge/config/config.h"

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	const char *tmp = getenv("TMPDIR");
	c->tempdir = xstrdup(tmp && *tmp ? tmp : "/tmp");
	c->compiler_time_limit = 10;
	c->compiler_output_limit = 65536;
	c->compiler_memory_limit = 1048576;
	c->cache_size = 100;
	c->selftest_time_limit = 10;
	c->selftest_memory_limit = 131072;
	c->generator_time_limit = 20;
	c->generator_memory_limit = 524288;
	c->generator_compiler_time_limit = 30;
	c->sandbox_user = xstrdup("nobody");
	c->reconnect_initial = 1;
	c->reconnect_max = 30;
	c->max_packet_size = 64L << 20;
}

void config_free(struct config *c)
{
	free(c->path);
	free(c->id);
	free(c->key);
	strv_free(c->problem_globs);
	json_decref(c->runtime);
	free(c->tempdir);
	free(c->cache_dir);
	json_decref(c->extra_fs);
	free(c->cpus);
	free(c->sandbox_user);
	memset(c, 0, sizeof(*c));
}

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

static int check_extra_fs(struct yml *y, yaml_node_t *v, char *err, size_t errlen)
{
	if (!yml_is_map(v))
		return yml_err(y, v, "extra_fs", err, errlen,
			       "expected {EXECUTOR: [{exact_file|exact_dir|recursive_dir: path}]}");
	for (size_t i = 0; i < yml_map_len(v); i++) {
		yaml_node_t *k, *list;
		yml_map_at(y, v, i, &k, &list);
		if (!yml_is_seq(list))
			return yml_err(y, list, "extra_fs", err, errlen,
				       "the entry for %s must be a list",
				       yml_str(k) ? yml_str(k) : "?");
		for (size_t j = 0; j < yml_seq_len(list); j++) {
			yaml_node_t *item = yml_seq_at(y, list, j);
			if (!yml_is_map(item) || yml_map_len(item) != 1)
				return yml_err(y, item, "extra_fs", err, errlen,
					       "each rule is one of exact_file, exact_dir, "
					       "recursive_dir with a path");
			yaml_node_t *rk, *rv;
			yml_map_at(y, item, 0, &rk, &rv);
			const char *kind = yml_str(rk), *path = yml_str(rv);
			if (!kind || (strcmp(kind, "exact_file") && strcmp(kind, "exact_dir") &&
				      strcmp(kind, "recursive_dir")))
				return yml_err(y, rk, "extra_fs", err, errlen,
					       "unknown rule `%s` (exact_file, exact_dir, "
					       "recursive_dir)",
					       kind ? kind : "?");
			if (!path || path[0] != '/')
				return yml_err(y, rv, "extra_fs", err, errlen,
					       "paths must be absolute");
		}
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
		int rc = 0;
		if (!strcmp(key, "id")) {
			rc = set_string(y, v, key, &c->id, err, errlen);
		} else if (!strcmp(key, "key")) {
			rc = set_string(y, v, key, &c->key, err, errlen);
		} else if (!strcmp(key, "problem_storage_globs")) {
			char **globs;
			if (yml_to_strv(y, v, key, &globs, err, errlen) < 0)
				return -1;
			for (size_t g = 0; globs[g]; g++) {
				char *abs = path_join(base, globs[g]);
				free(globs[g]);
				globs[g] = abs;
			}
			strv_free(c->problem_globs);
			c->problem_globs = globs;
		} else if (!strcmp(key, "runtime")) {
			if (!yml_is_map(v))
				return yml_err(y, v, key, err, errlen,
					       "expected a mapping of runtime names to paths");
			json_decref(c->runtime);
			c->runtime = yml_to_json(y, v);
		} else if (!strcmp(key, "tempdir")) {
			rc = set_string(y, v, key, &c->tempdir, err, errlen);
		} else if (!strcmp(key, "compiler_time_limit")) {
			rc = positive(y, v, key, &c->compiler_time_limit, err, errlen);
		} else if (!strcmp(key, "compiler_output_character_limit")) {
			rc = positive_long(y, v, key, &c->compiler_output_limit, err, errlen);
		} else if (!strcmp(key, "compiler_memory_limit")) {
			rc = positive_long(y, v, key, &c->compiler_memory_limit, err, errlen);
		} else if (!strcmp(key, "compiled_binary_cache_dir")) {
			rc = set_string(y, v, key, &c->cache_dir, err, errlen);
		} else if (!strcmp(key, "compiled_binary_cache_size")) {
			rc = positive_long(y, v, key, &c->cache_size, err, errlen);
		} else if (!strcmp(key, "selftest_time_limit")) {
			rc = positive(y, v, key, &c->selftest_time_limit, err, errlen);
		} else if (!strcmp(key, "selftest_memory_limit")) {
			rc = positive_long(y, v, key, &c->selftest_memory_limit, err, errlen);
		} else if (!strcmp(key, "generator_time_limit")) {
			rc = positive(y, v, key, &c->generator_time_limit, err, errlen);
		} else if (!strcmp(key, "generator_memory_limit")) {
			rc = positive_long(y, v, key, &c->generator_memory_limit, err, errlen);
		} else if (!strcmp(key, "generator_compiler_time_limit")) {
			rc = positive(y, v, key, &c->generator_compiler_time_limit, err, errlen);
		} else if (!strcmp(key, "extra_fs")) {
			if (check_extra_fs(y, v, err, errlen) < 0)
				return -1;
			json_decref(c->extra_fs);
			c->extra_fs = yml_to_json(y, v);
		} else if (!strcmp(key, "submission_cpu_affinity")) {
			if (!yml_is_seq(v))
				return yml_err(y, v, key, err, errlen,
					       "expected a list of CPU numbers");
			free(c->cpus);
			c->ncpus = yml_seq_len(v);
			c->cpus = xcalloc(c->ncpus ? c->ncpus : 1, sizeof(int));
			for (size_t j = 0; j < c->ncpus; j++) {
				long cpu;
				yaml_node_t *e = yml_seq_at(y, v, j);
				if (yml_to_long(y, e, key, &cpu, err, errlen) < 0)
					return -1;
				if (cpu < 0 || cpu >= 1024)
					return yml_err(y, e, key, err, errlen,
						       "CPU %ld out of range", cpu);
				c->cpus[j] = (int)cpu;
			}
		} else if (!strcmp(key, "sandbox_user")) {
			rc = set_string(y, v, key, &c->sandbox_user, err, errlen);
		} else if (!strcmp(key, "reconnect_initial_delay")) {
			rc = positive(y, v, key, &c->reconnect_initial, err, errlen);
		} else if (!strcmp(key, "reconnect_max_delay")) {
			rc = positive(y, v, key, &c->reconnect_max, err, errlen);
		} else if (!strcmp(key, "max_packet_size")) {
			rc = positive_long(y, v, key, &c->max_packet_size, err, errlen);
		} else {
			log_warn("%s:%d: unknown key `%s` ignored", y->file, yml_line(k), key);
		}
		if (rc < 0)
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
	if (!c->problem_globs) {
		errf(err, errlen, "%s: key `problem_storage_globs` is required", path);
		goto out;
	}
	if (c->tempdir[0] != '/') {
		char *abs = path_join(base, c->tempdir);
		free(c->tempdir);
		c->tempdir = abs;
	}
	if (!is_dir(c->tempdir)) {
		errf(err, errlen, "%s: key `tempdir`: %s is not a folder", path, c->tempdir);
		goto out;
	}
	if (c->cache_dir && c->cache_dir[0] != '/') {
		char *abs = path_join(base, c->cache_dir);
		free(c->cache_dir);
		c->cache_dir = abs;
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
