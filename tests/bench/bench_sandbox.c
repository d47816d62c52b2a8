/*
 * What the sandbox costs, measured with real processes:
 *
 *   launch  - a trivial program (build/helpers/probe exit 0) started,
 *             run and reaped: plain fork+execve+waitpid against sbx_run
 *             with the C executors' policy (seccomp, Landlock, the user
 *             switch and namespaces when root, ptrace), interleaved in
 *             the same run; medians.
 *   writes  - the same program making a million one-byte write calls to
 *             /dev/null: natively against sbx_run; medians of the wall
 *             time per call.
 *
 * Usage: bench_sandbox PROBE [ROUNDS]. Prints one line per measure.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/common.h"
#include "executors/internal.h"
#include "sandbox/sandbox.h"

static const char *probe;
static char *env[] = {"PATH=/usr/bin:/bin", NULL};

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* fork, exec with stdout on /dev/null, wait: what any launcher costs */
static double plain(char **argv)
{
	double t0 = mono_now();
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(126);
		execve(probe, argv, env);
		_exit(127);
	}
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		die(1, "plain run of %s failed", probe);
	return mono_now() - t0;
}

static double sandboxed(char **argv, const struct sbx_policy *pol)
{
	struct sbx_spec s = {0};
	s.path = probe;
	s.argv = argv;
	s.envp = env;
	s.cwd = "/";
	s.stdin_fd = s.stdout_fd = s.stderr_fd = -1;
	s.limits.cpu = 30;
	s.limits.wall = 60;
	s.limits.memory_kib = 262144;
	s.limits.address_space_kib = 262144 + 16384;
	s.policy = pol;
	struct sbx_result res;
	char err[512];
	double t0 = mono_now();
	if (sbx_run(&s, &res, 1, err, sizeof(err)) < 0)
		die(1, "sandboxed run: %s", err);
	double t = mono_now() - t0;
	if (!res.exited || res.exit_code)
		die(1, "sandboxed run of %s failed: %s", probe, res.feedback);
	return t;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		die(2, "usage: bench_sandbox PROBE [ROUNDS]");
	probe = argv[1];
	int rounds = argc > 2 ? atoi(argv[2]) : 200;
	if (rounds < 3)
		rounds = 3;
	struct sbx_settings set = {0};
	if (geteuid() == 0)
		set.uid = set.gid = 65534;
	sbx_configure(&set);
	printf("layers: %s\n", sbx_layers());
	if (*sbx_layers_missing())
		printf("missing: %s\n", sbx_layers_missing());

	struct sbx_policy *pol = sbx_policy_new("C");
	sbx_policy_add_rules(pol, executor_base_rules, executor_base_rules_count);
	sbx_policy_allow_syscalls(pol, executor_base_syscalls, executor_base_syscalls_count);
	sbx_policy_set_threads(pol, 64);
	char *dir = xstrdup(probe);
	*strrchr(dir, '/') = '\0';
	sbx_policy_add(pol, SBX_TREE, dir, false);
	/* as executor_prepare: the program itself is executable */
	sbx_policy_add_exec(pol, SBX_FILE, probe);
	free(dir);

	char *trivial[] = {"probe", "exit", "0", NULL};
	double *a = xcalloc((size_t)rounds, sizeof(double));
	double *b = xcalloc((size_t)rounds, sizeof(double));
	double *c = xcalloc((size_t)rounds, sizeof(double));
	/* warm up the page cache and the compiled policy */
	plain(trivial);
	sandboxed(trivial, pol);
	for (int i = 0; i < rounds; i++) {
		a[i] = plain(trivial);
		b[i] = sandboxed(trivial, NULL);
		c[i] = sandboxed(trivial, pol);
	}
	double ma = median(a, rounds), mb = median(b, rounds), mc = median(c, rounds);
	printf("launch (median of %d): plain fork+exec+wait %.3f ms; supervised (ptrace, "
	       "no policy) %.3f ms; full sandbox %.3f ms; overhead %.3f ms\n",
	       rounds, ma * 1e3, mb * 1e3, mc * 1e3, (mc - ma) * 1e3);

	char *writes[] = {"probe", "writes", "1000000", NULL};
	int wr = rounds / 20 < 5 ? 5 : rounds / 20;
	for (int i = 0; i < wr; i++) {
		a[i] = plain(writes);
		c[i] = sandboxed(writes, pol);
	}
	ma = median(a, wr);
	mc = median(c, wr);
	printf("1e6 write calls (median of %d): native %.1f ms (%.0f ns/call); sandboxed "
	       "%.1f ms (%.0f ns/call); overhead %.0f ns/call (%.1f%%)\n",
	       wr, ma * 1e3, ma * 1e3, mc * 1e3, mc * 1e3, (mc - ma) * 1e3, (mc - ma) / ma * 100);
	free(a);
	free(b);
	free(c);
	sbx_policy_free(pol);
	return 0;
}
