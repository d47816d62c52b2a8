/*
 * Applying the configuration to the sandbox and executors modules, which
 * every command that grades or lists languages does first.
 */
#include <pwd.h>
#include <unistd.h>

#include "executors/executors.h"
#include "judge/config/config.h"
#include "sandbox/sandbox.h"

void judge_setup_sandbox(const struct config *cfg)
{
	struct sbx_settings s = {0};
	if (geteuid() == 0) {
		struct passwd *pw = getpwnam(cfg->sandbox_user);
		if (!pw)
			die(2, "%s: key `sandbox_user`: no user named %s on this machine",
			    cfg->path ? cfg->path : "config", cfg->sandbox_user);
		s.uid = pw->pw_uid;
		s.gid = pw->pw_gid;
	}
	s.cpus = cfg->cpus;
	s.ncpus = cfg->ncpus;
	sbx_configure(&s);
	log_info("sandbox: %s", sbx_layers());
	if (*sbx_layers_missing())
		log_warn("sandbox: without %s", sbx_layers_missing());
}

int judge_setup_executors(const struct config *cfg, char *const *only, char *const *exclude,
			  bool skip_selftest, bool quiet)
{
	static char *cache;
	static struct exec_settings s;
	if (!cache)
		cache = cfg->cache_dir
			    ? xstrdup(cfg->cache_dir)
			    : xasprintf("%s/judge-cache-%d", cfg->tempdir, (int)geteuid());
	s = (struct exec_settings){
	    .runtime = cfg->runtime,
	    .tempdir = cfg->tempdir,
	    .cache_dir = cache,
	    .compiler_time_limit = cfg->compiler_time_limit,
	    .compiler_output_limit = cfg->compiler_output_limit,
	    .compiler_memory_limit = cfg->compiler_memory_limit,
	    .selftest_time_limit = cfg->selftest_time_limit,
	    .selftest_memory_limit = cfg->selftest_memory_limit,
	    .extra_fs = cfg->extra_fs,
	    .only = only,
	    .exclude = exclude,
	    .skip_selftest = skip_selftest,
	    .quiet = quiet,
	};
	return executors_init(&s);
}
