/*
 * `judge problems`, `judge executors`, `judge autoconf`: what the judge
 * finds on this machine.
 */
#include <stdio.h>
#include <stdlib.h>

#include "executors/executors.h"
#include "judge/frontends/frontends.h"
#include "problems/problems.h"

int cmd_problems(struct config *cfg, int argc, char **argv, bool ansi)
{
	struct problem_index idx;
	char err[ERR_SIZE];
	if (problem_discover(cfg->problem_globs, &idx, err, sizeof(err)) < 0) {
		fprintf(stderr, "judge: %s: %s\n", cfg->path, err);
		return 1;
	}
	for (size_t i = 0; i < idx.n; i++)
		printf("%-24s %.3f  %s\n", idx.items[i].code, idx.items[i].mtime, idx.items[i].dir);
	if (!idx.n)
		fprintf(stderr, "judge: no problems found under problem_storage_globs of %s\n",
			cfg->path);
	int ret = idx.n ? 0 : 1;
	problem_index_free(&idx);
	return ret;
}

int cmd_executors(struct config *cfg, int argc, char **argv, bool ansi)
{
	judge_setup_sandbox(cfg);
	judge_setup_executors(cfg, NULL, NULL, false, true);
	for (size_t i = 0; i < executors_known(); i++) {
		const char *key = executors_known_key(i);
		const struct executor *e = executor_find(key);
		if (!e) {
			printf("%-6s %sunavailable%s  %s\n", key, ansi ? "\033[2m" : "",
			       ansi ? "\033[0m" : "", executors_problem(key));
			continue;
		}
		double t;
		uint64_t mem;
		bool cached;
		executor_selftest(e, &t, &mem, &cached);
		printf("%-6s %sok%s  %-8s %-10s %s  self-test %.3fs, %llu KiB%s\n", key,
		       ansi ? "\033[32m" : "", ansi ? "\033[0m" : "", executor_runtime_name(e),
		       executor_version(e), executor_runtime_path(e), t, (unsigned long long)mem,
		       cached ? " (cached)" : "");
	}
	int ret = executors_count() ? 0 : 1;
	executors_free();
	return ret;
}

int cmd_autoconf(struct config *cfg, int argc, char **argv, bool ansi)
{
	json_t *saved = cfg->runtime;
	cfg->runtime = NULL; /* detect, whatever the config says */
	judge_setup_sandbox(cfg);
	judge_setup_executors(cfg, NULL, NULL, false, true);
	cfg->runtime = saved;
	char *text = executors_autoconf();
	printf("%s", text);
	free(text);
	for (size_t i = 0; i < executors_known(); i++) {
		const char *key = executors_known_key(i);
		const char *why = executors_problem(key);
		if (why)
			fprintf(stderr, "# %s: %s\n", key, why);
	}
	int ret = executors_count() ? 0 : 1;
	executors_free();
	return ret;
}
