/*
 * config: the judge's settings (config.yml, with DMOJ's key names) and
 * applying them to the sandbox and executors modules at start-up.
 */
#ifndef JUDGE_CONFIG_H
#define JUDGE_CONFIG_H

#include <jansson.h>
#include <stdbool.h>

#include "common/common.h"

/* ---- configuration (config.yml) ---- */
struct config {
	char *path; /* the file read, or NULL */
	char *id, *key;
	char **problem_globs; /* absolute */
	json_t *runtime;      /* NULL: detect */
	char *tempdir;
	double compiler_time_limit;
	long compiler_output_limit;
	long compiler_memory_limit; /* KiB */
	char *cache_dir;
	long cache_size;
	double selftest_time_limit;
	long selftest_memory_limit;
	double generator_time_limit;
	long generator_memory_limit;
	double generator_compiler_time_limit;
	json_t *extra_fs;
	int *cpus;
	size_t ncpus;
	char *sandbox_user;
	double reconnect_initial, reconnect_max; /* seconds */
	long max_packet_size;			 /* bytes accepted from the bridge */
};
void config_defaults(struct config *c);
/* Reads a config file over the defaults; errors name the file, line and
 * key. Relative paths in the file are relative to the file's folder. */
int config_load(struct config *c, const char *path, char *err, size_t errlen);
void config_free(struct config *c);

/* Applies the config to the executors and sandbox modules; quiet drops the
 * per-executor log lines. only: executor keys to load (NULL = all). */
int judge_setup_executors(const struct config *cfg, char *const *only, char *const *exclude,
			  bool skip_selftest, bool quiet);
void judge_setup_sandbox(const struct config *cfg);

#endif
