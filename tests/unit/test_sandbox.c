/*
 * Unit tests of the sandbox supervisor with real processes: exit codes,
 * signals, CPU and wall-clock limits, memory measurement, output limits,
 * standard streams, working folder, descriptor hygiene, that whole
 * process trees are killed and counted, and the policy layers: file rules
 * (allowed, refused, killed), refused system calls named, calls that
 * fail instead, prctl narrowed to thread names, memory watched while a
 * program without an address-space limit runs, the task limit under
 * restarted clones, the thread freeze holding with and without Landlock,
 * no network. The program under test is a copy of build/helpers/probe
 * (tests/helpers/probe.c) in a folder of /tmp, which the sandbox user can
 * reach wherever the build is (a clone in root's 0700 home); the hostile
 * battery in tests/sandbox/ drives the judge itself.
 */
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/common.h"
#include "sandbox/sandbox.h"

static char probe[4096];
static char probe_dir[64];
static char *env[] = {"PATH=/usr/bin:/bin", NULL};

struct run {
	struct sbx_result res;
	int rc;
	char err[512];
	char *out; /* stdout */
	size_t outlen;
};

static void spec_init(struct sbx_spec *s, char **argv)
{
	memset(s, 0, sizeof(*s));
	s->path = probe;
	s->argv = argv;
	s->envp = env;
	s->cwd = "/tmp";
	s->stdin_fd = s->stdout_fd = s->stderr_fd = -1;
	s->limits.cpu = 2;
	s->limits.wall = 5;
}

static void run_spec(struct sbx_spec *s, struct run *r)
{
	int out = memfd_create("out", MFD_CLOEXEC);
	assert_true(out >= 0);
	if (s->stdout_fd < 0)
		s->stdout_fd = out;
	r->rc = sbx_run(s, &r->res, 1, r->err, sizeof(r->err));
	const char *d;
	char e[128];
	assert_int_equal(map_fd(out, &d, &r->outlen, e, sizeof(e)), 0);
	r->out = xstrndup(d, r->outlen);
	unmap_fd(d, r->outlen);
	close(out);
}

static void run_probe(struct run *r, const char *mode, const char *arg)
{
	char *argv[] = {"probe", (char *)mode, (char *)arg, NULL};
	struct sbx_spec s;
	spec_init(&s, argv);
	memset(r, 0, sizeof(*r));
	run_spec(&s, r);
}

static void test_exit_codes_and_signals(void **state)
{
	struct run r;
	run_probe(&r, "exit", "0");
	assert_int_equal(r.rc, 0);
	assert_true(r.res.started && r.res.exited);
	assert_int_equal(r.res.exit_code, 0);
	assert_int_equal(r.res.signal, 0);
	assert_false(r.res.tle || r.res.mle || r.res.ole);
	free(r.out);
	run_probe(&r, "exit", "42");
	assert_true(r.res.exited);
	assert_int_equal(r.res.exit_code, 42);
	free(r.out);
	run_probe(&r, "signal", "11");
	assert_false(r.res.exited);
	assert_int_equal(r.res.signal, SIGSEGV);
	free(r.out);
	run_probe(&r, "signal", "6");
	assert_int_equal(r.res.signal, SIGABRT);
	free(r.out);
}

static void test_cpu_limit(void **state)
{
	char *argv[] = {"probe", "spin", NULL};
	struct sbx_spec s;
	spec_init(&s, argv);
	s.limits.cpu = 0.3;
	struct run r = {0};
	run_spec(&s, &r);
	assert_int_equal(r.rc, 0);
	assert_true(r.res.tle);
	assert_false(r.res.wall_timeout);
	/* killed by the CPU timer within a few milliseconds */
	assert_true(r.res.cpu_time >= 0.3);
	assert_true(r.res.cpu_time < 0.45);
	free(r.out);
}

static void test_wall_limit(void **state)
{
	char *argv[] = {"probe", "sleep", NULL};
	struct sbx_spec s;
	spec_init(&s, argv);
	s.limits.wall = 0.3;
	struct run r = {0};
	double t0 = mono_now();
	run_spec(&s, &r);
	double took = mono_now() - t0;
	assert_true(r.res.tle && r.res.wall_timeout);
	assert_true(r.res.wall_time >= 0.3);
	assert_true(took < 2);
	assert_true(r.res.cpu_time < 0.1);
	free(r.out);
}

static void test_memory(void **state)
{
	struct run r;
	run_probe(&r, "alloc", "48");
	assert_true(r.res.exited);
	assert_int_equal(r.res.exit_code, 0);
	/* the program's own peak, within a few MiB */
	assert_true(r.res.memory_kib >= 48 * 1024);
	assert_true(r.res.memory_kib < 56 * 1024);
	free(r.out);
	/* a trivial program is not charged with the parent's pages */
	run_probe(&r, "exit", "0");
	assert_true(r.res.memory_kib > 0);
	assert_true(r.res.memory_kib < 3 * 1024);
	free(r.out);

	char *argv[] = {"probe", "alloc", "64", NULL};
	struct sbx_spec s;
	spec_init(&s, argv);
	s.limits.memory_kib = 32 * 1024;
	memset(&r, 0, sizeof(r));
	run_spec(&s, &r);
	assert_true(r.res.mle);
	free(r.out);
	/* an address-space limit makes the allocation fail */
	s.limits.address_space_kib = 32 * 1024;
	memset(&r, 0, sizeof(r));
	run_spec(&s, &r);
	assert_true(r.res.exited);
	assert_int_equal(r.res.exit_code, 3);
	free(r.out);
}

static void test_output_limit(void **state)
{
	char *argv[] = {"probe", "write", "100000", NULL};
	struct sbx_spec s;
	spec_init(&s, argv);
	s.limits.output_bytes = 1000;
	struct run r = {0};
	run_spec(&s, &r);
	assert_true(r.res.ole);
	assert_true(r.outlen <= 1001);
	free(r.out);
	/* exactly at the limit is fine */
	argv[2] = "1000";
	memset(&r, 0, sizeof(r));
	run_spec(&s, &r);
	assert_false(r.res.ole);
	assert_int_equal(r.outlen, 1000);
	assert_true(r.res.exited && r.res.exit_code == 0);
	free(r.out);
}

static void test_streams_cwd_and_descriptors(void **state)
{
	char err[128];
	int in = memfd_from("in", "hello\n", 6, err, sizeof(err));
	int errfd = memfd_create("err", MFD_CLOEXEC);
	/* a descriptor the judge holds without close-on-exec must not leak */
	int leak = open("/dev/null", O_RDONLY);
	char *argv[] = {"probe", "echo", NULL};
	struct sbx_spec s;
	spec_init(&s, argv);
	s.stdin_fd = in;
	s.stderr_fd = errfd;
	struct run r = {0};
	run_spec(&s, &r);
	assert_string_equal(r.out, "hello\n");
	const char *d;
	size_t n;
	assert_int_equal(map_fd(errfd, &d, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 10);
	assert_memory_equal(d, "to stderr\n", 10);
	unmap_fd(d, n);
	free(r.out);

	char *argv2[] = {"probe", "fds", NULL};
	spec_init(&s, argv2);
	memset(&r, 0, sizeof(r));
	run_spec(&s, &r);
	assert_string_equal(r.out, "0\n");
	free(r.out);

	char *argv3[] = {"probe", "cwd", NULL};
	spec_init(&s, argv3);
	s.cwd = "/usr";
	memset(&r, 0, sizeof(r));
	run_spec(&s, &r);
	assert_string_equal(r.out, "/usr\n");
	free(r.out);
	close(leak);
	close(in);
	close(errfd);
}

static void test_process_trees(void **state)
{
	struct run r;
	/* an orphan left running is killed: sbx_run returns at all */
	double t0 = mono_now();
	run_probe(&r, "orphan", NULL);
	assert_int_equal(r.rc, 0);
	assert_true(r.res.exited);
	assert_true(mono_now() - t0 < 3);
	free(r.out);
	/* CPU of a child the program waited for counts */
	run_probe(&r, "children", NULL);
	assert_true(r.res.cpu_time >= 0.29);
	free(r.out);
	/* threads' CPU counts */
	run_probe(&r, "threads", NULL);
	assert_true(r.res.cpu_time >= 0.35);
	free(r.out);
}

static void test_setup_failure(void **state)
{
	char *argv[] = {"nothing", NULL};
	struct sbx_spec s;
	spec_init(&s, argv);
	s.path = "/nonexistent/program";
	struct sbx_result res;
	char err[256] = "";
	assert_int_equal(sbx_run(&s, &res, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/program"));
	assert_false(res.started);
	s.path = probe;
	s.cwd = "/nonexistent-folder";
	assert_int_equal(sbx_run(&s, &res, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "working folder"));
}

static void test_two_programs_at_once(void **state)
{
	char *a1[] = {"probe", "exit", "7", NULL};
	char *a2[] = {"probe", "spin", NULL};
	struct sbx_spec s[2];
	spec_init(&s[0], a1);
	spec_init(&s[1], a2);
	s[1].limits.cpu = 0.2;
	struct sbx_result res[2];
	char err[256];
	assert_int_equal(sbx_run(s, res, 2, err, sizeof(err)), 0);
	assert_int_equal(res[0].exit_code, 7);
	assert_false(res[0].tle);
	assert_true(res[1].tle);
}

/* ---- policies ---- */

static const char *const probe_calls[] = {"read",
					  "write",
					  "close",
					  "fstat",
					  "mmap",
					  "mprotect",
					  "munmap",
					  "brk",
					  "open",
					  "openat",
					  "newfstatat",
					  "stat",
					  "access",
					  "readlink",
					  "lseek",
					  "rt_sigaction",
					  "rt_sigprocmask",
					  "rt_sigreturn",
					  "exit",
					  "exit_group",
					  "arch_prctl",
					  "set_tid_address",
					  "set_robust_list",
					  "rseq",
					  "prlimit64",
					  "getrandom",
					  "futex",
					  "madvise",
					  "pread64",
					  "getpid",
					  "gettid",
					  "tgkill",
					  "sched_yield"};

static char data_dir[64], outside_dir[64], secret[128];

static struct sbx_policy *probe_policy(void)
{
	struct sbx_policy *p = sbx_policy_new("probe");
	sbx_policy_add(p, SBX_TREE, "/usr/lib", false);
	sbx_policy_add(p, SBX_TREE, "/lib", false);
	sbx_policy_add(p, SBX_TREE, "/lib64", false);
	sbx_policy_add(p, SBX_FILE, "/etc/ld.so.cache", false);
	sbx_policy_add(p, SBX_FILE, "/etc/ld.so.preload", false);
	sbx_policy_add_exec(p, SBX_FILE, probe);
	sbx_policy_add(p, SBX_TREE, data_dir, false);
	sbx_policy_allow_syscalls(p, probe_calls, ARRAY_LEN(probe_calls));
	return p;
}

static void run_policy(struct run *r, struct sbx_policy *p, const char *mode, const char *a,
		       const char *b)
{
	char *argv[] = {"probe", (char *)mode, (char *)a, (char *)b, NULL};
	struct sbx_spec s;
	spec_init(&s, argv);
	s.cwd = data_dir;
	s.policy = p;
	memset(r, 0, sizeof(*r));
	run_spec(&s, r);
	assert_int_equal(r->rc, 0);
}

static void expect_output(struct sbx_policy *p, const char *mode, const char *path,
			  const char *want)
{
	struct run r;
	run_policy(&r, p, mode, path, NULL);
	if (strcmp(r.out, want))
		fail_msg("probe %s %s: got \"%s\", want \"%s\" (%s)", mode, path, r.out, want,
			 r.res.feedback);
	free(r.out);
}

static void test_policy_files(void **state)
{
	struct sbx_policy *p = probe_policy();
	char path[256];
	snprintf(path, sizeof(path), "%s/allowed", data_dir);
	expect_output(p, "open", path, "ok\n");
	expect_output(p, "open", "allowed", "ok\n");
	/* readable by everyone: only the policy stands in the way */
	expect_output(p, "open", secret, "EACCES\n");
	expect_output(p, "stat", secret, "EACCES\n");
	expect_output(p, "open", "/etc/passwd", "EACCES\n");
	/* the folder is read-only for the program */
	expect_output(p, "create", "new-file", "EACCES\n");
	/* a missing file where it may look is just missing */
	expect_output(p, "open", "missing", "ENOENT\n");
	/* links lead where they point */
	expect_output(p, "open", "link-to-secret", "EACCES\n");
	snprintf(path, sizeof(path), "%s/../%s/secret", data_dir, outside_dir + 5);
	expect_output(p, "open", path, "EACCES\n");
	expect_output(p, "open", "/proc/self/root/etc/passwd", "EACCES\n");

	/* kill instead of EACCES, naming the path */
	sbx_policy_set_kill_on_denied(p, true);
	struct run r;
	run_policy(&r, p, "open", secret, NULL);
	assert_true(r.res.denied);
	if (!strstr(r.res.feedback, "access denied") || !strstr(r.res.feedback, secret))
		fail_msg("feedback \"%s\" does not name %s", r.res.feedback, secret);
	assert_string_equal(r.out, "");
	free(r.out);
	sbx_policy_free(p);
}

/* A policy the sandbox refuses: nothing starts, err says why. */
static void expect_bad_policy(struct sbx_policy *p, const char *why)
{
	char *argv[] = {"probe", "exit", "0", NULL};
	struct sbx_spec s;
	struct run r;
	spec_init(&s, argv);
	s.policy = p;
	memset(&r, 0, sizeof(r));
	run_spec(&s, &r);
	assert_int_equal(r.rc, -1);
	assert_non_null(strstr(r.err, why));
	assert_false(r.res.started);
	free(r.out);
}

static void test_refused_call_is_named(void **state)
{
	struct sbx_policy *p = probe_policy();
	struct run r;
	run_policy(&r, p, "connect", "9", NULL);
	assert_true(r.res.denied);
	assert_string_equal(r.res.feedback, "socket syscall disallowed");
	assert_false(r.res.exited);
	free(r.out);
	/* a policy naming a call that does not exist is refused whole */
	const char *bad[] = {"no_such_call"};
	sbx_policy_allow_syscalls(p, bad, 1);
	expect_bad_policy(p, "no_such_call");
	sbx_policy_free(p);
}

/* A refused call fails with EACCES and the program goes on; prctl is
 * allowed only for naming threads. */
static void test_refused_and_narrowed_calls(void **state)
{
	struct sbx_policy *p = probe_policy();
	const char *refused[] = {"socket"};
	sbx_policy_refuse_syscalls(p, refused, 1);
	struct run r;
	run_policy(&r, p, "connect", "9", NULL);
	assert_false(r.res.denied);
	assert_true(r.res.exited);
	assert_string_equal(r.out, "refused 13\n");
	free(r.out);
	const char *prctl[] = {"prctl"};
	sbx_policy_allow_syscalls(p, prctl, 1);
	run_policy(&r, p, "prctl", "15", NULL); /* PR_SET_NAME */
	assert_string_equal(r.out, "ok\n");
	free(r.out);
	run_policy(&r, p, "prctl", "4", NULL); /* PR_SET_DUMPABLE */
	assert_true(r.res.denied);
	assert_string_equal(r.res.feedback, "prctl syscall disallowed");
	free(r.out);
	/* a call the tracer checks cannot simply fail */
	const char *bad[] = {"openat"};
	sbx_policy_refuse_syscalls(p, bad, 1);
	expect_bad_policy(p, "openat cannot be refused");
	sbx_policy_free(p);
}

/* Without an address-space limit a program over its memory limit is
 * stopped while it runs, not when it ends (here: never). */
static void test_memory_watched_without_address_limit(void **state)
{
	char *argv[] = {"probe", "hold", "64", NULL};
	struct sbx_spec s;
	spec_init(&s, argv);
	s.limits.memory_kib = 32 * 1024;
	struct run r;
	memset(&r, 0, sizeof(r));
	run_spec(&s, &r);
	assert_true(r.res.mle);
	assert_false(r.res.wall_timeout);
	assert_true(r.res.wall_time < 2);
	assert_true(r.res.memory_kib > 32 * 1024);
	free(r.out);
	/* under the limit it runs on */
	char *small[] = {"probe", "alloc", "8", NULL};
	spec_init(&s, small);
	s.limits.memory_kib = 32 * 1024;
	memset(&r, 0, sizeof(r));
	run_spec(&s, &r);
	assert_false(r.res.mle);
	assert_true(r.res.exited);
	assert_int_equal(r.res.exit_code, 0);
	free(r.out);
}

/* Thousands of forks, one at a time, under a stream of signals: a task
 * limit of 4 is never reached, however often the kernel restarts a
 * clone that the tracer has already allowed. */
static void test_task_limit_counts_tasks(void **state)
{
	struct sbx_policy *p = probe_policy();
	const char *calls[] = {"wait4", "setitimer"};
	sbx_policy_allow_syscalls(p, calls, 2);
	sbx_policy_set_processes(p, true, false);
	sbx_policy_set_threads(p, 4);
	struct run r;
	char *argv[] = {"probe", "forks", "2000", NULL};
	struct sbx_spec s;
	spec_init(&s, argv);
	s.cwd = data_dir;
	s.policy = p;
	/* the forks are the point, not their speed: a loaded machine under
	 * AddressSanitizer takes its time */
	s.limits.cpu = s.limits.wall = 600;
	memset(&r, 0, sizeof(r));
	run_spec(&s, &r);
	char got[64];
	snprintf(got, sizeof(got), "%s", r.out ? r.out : "");
	free(r.out);
	sbx_policy_free(p);
	assert_int_equal(r.rc, 0);
	if (strcmp(got, "0\n"))
		fail_msg("forks failed: \"%s\" (%s; tle %d, wall %d, signal %d, cpu %.2f s, wall "
			 "%.2f s)",
			 got, r.res.feedback, r.res.tle, r.res.wall_timeout, r.res.signal,
			 r.res.cpu_time, r.res.wall_time);
}

/* Behind the tracer's count, the kernel bounds the sandbox user's tasks
 * (RLIMIT_NPROC counts that user's tasks, and root, whom it would not
 * bind, never runs a program). */
static void test_task_backstop(void **state)
{
	if (geteuid() != 0)
		skip();
	struct sbx_policy *p = probe_policy();
	struct run r;
	char *argv[] = {"probe", "nproc", NULL};
	struct sbx_spec s;
	spec_init(&s, argv);
	s.cwd = data_dir;
	s.policy = p;
	memset(&r, 0, sizeof(r));
	run_spec(&s, &r);
	assert_int_equal(r.rc, 0);
	if (!strcmp(r.out, "unlimited\n") || strtoull(r.out, NULL, 10) > 65536)
		fail_msg("RLIMIT_NPROC of a sandboxed program: %s", r.out);
	free(r.out);
	sbx_policy_free(p);
}

/* A compile may leave a tree deeper than PATH_MAX: taking the folder
 * back from the sandbox user must still reach all of it. */
static void test_share_dir_deep(void **state)
{
	if (geteuid() != 0)
		skip();
	char dir[] = "/tmp/sbx-deep-XXXXXX", err[256];
	assert_non_null(mkdtemp(dir));
	assert_int_equal(sbx_share_dir(dir, true, err, sizeof(err)), 0);
	char name[251];
	memset(name, 'd', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	for (int i = 0; fd >= 0 && i < 24; i++) {
		/* as the sandbox user would leave them */
		assert_int_equal(mkdirat(fd, name, 0755), 0);
		assert_int_equal(fchownat(fd, name, 65534, 65534, AT_SYMLINK_NOFOLLOW), 0);
		int next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		close(fd);
		fd = next;
	}
	assert_true(fd >= 0);
	assert_int_equal(mknodat(fd, "file", S_IFREG | 0644, 0), 0);
	assert_int_equal(fchownat(fd, "file", 65534, 65534, 0), 0);
	int rc = sbx_share_dir(dir, false, err, sizeof(err));
	struct stat st;
	assert_int_equal(fstatat(fd, "file", &st, 0), 0);
	close(fd);
	if (rc < 0 || st.st_uid != 0)
		fail_msg("taking back a deep folder: rc %d, deepest file uid %d: %s", rc,
			 (int)st.st_uid, rc < 0 ? err : "");
	assert_int_equal(rm_rf(dir), 0);
}

static void test_no_network(void **state)
{
	/* a listener in the judge's network: the program must not reach it
	 * even with socket and connect allowed */
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof(a);
	assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(l, 1), 0);
	assert_int_equal(getsockname(l, (struct sockaddr *)&a, &len), 0);
	char port[16];
	snprintf(port, sizeof(port), "%d", ntohs(a.sin_port));

	struct run r;
	run_probe(&r, "connect", port);
	assert_string_equal(r.out, "connected\n"); /* the test itself is sound */
	free(r.out);
	struct sbx_policy *p = probe_policy();
	const char *net[] = {"socket", "connect"};
	sbx_policy_allow_syscalls(p, net, 2);
	run_policy(&r, p, "connect", port, NULL);
	assert_non_null(strstr(r.out, "refused"));
	free(r.out);
	sbx_policy_free(p);
	close(l);
}

/* A second thread swaps an allowed path for the secret while the first
 * opens it in a loop: with the freeze, never once does the secret open,
 * with or without Landlock behind the tracer. */
static int all_cpus[CPU_SETSIZE];
static size_t nall_cpus;

/* Threads of the program on every CPU: pinned to one, the two threads
 * would rarely overlap and the test would prove little. */
static void configure(bool landlock)
{
	struct sbx_settings set = {0};
	set.uid = geteuid() == 0 ? 65534 : 0;
	set.gid = set.uid;
	set.no_landlock = !landlock;
	cpu_set_t cs;
	nall_cpus = 0;
	if (sched_getaffinity(0, sizeof(cs), &cs) == 0)
		for (int c = 0; c < CPU_SETSIZE; c++)
			if (CPU_ISSET(c, &cs))
				all_cpus[nall_cpus++] = c;
	set.cpus = all_cpus;
	set.ncpus = nall_cpus;
	sbx_configure(&set);
}

static void flip(bool landlock)
{
	configure(landlock);
	assert_true(landlock == (strstr(sbx_layers(), "landlock") != NULL) || !landlock);
	char allowed[128];
	snprintf(allowed, sizeof(allowed), "%s/allowed", data_dir);
	struct sbx_policy *p = probe_policy();
	sbx_policy_set_threads(p, 4);
	struct run r;
	char *argv[] = {"probe", "flip", allowed, secret, "5000", NULL};
	struct sbx_spec s;
	spec_init(&s, argv);
	s.cwd = data_dir;
	s.policy = p;
	s.limits.cpu = s.limits.wall = 60;
	memset(&r, 0, sizeof(r));
	run_spec(&s, &r);
	if (strcmp(r.out, "0\n"))
		fail_msg("the secret was opened %s times (landlock %d; %s)", r.out, landlock,
			 r.res.feedback);
	free(r.out);
	sbx_policy_free(p);
}

static void test_thread_freeze(void **state)
{
	/* without the sandbox the race is won: the test can fail. On a busy
	 * machine the two threads may seldom run at once, so it gets several
	 * rounds to win it once. */
	configure(true);
	char allowed[128];
	snprintf(allowed, sizeof(allowed), "%s/allowed", data_dir);
	int won = 0;
	for (int round = 0; round < 20 && !won; round++) {
		struct run r;
		char *argv[] = {"probe", "flip", allowed, secret, "200000", NULL};
		struct sbx_spec s;
		spec_init(&s, argv);
		/* the spinning thread's CPU counts too: time to spare */
		s.limits.cpu = s.limits.wall = 120;
		memset(&r, 0, sizeof(r));
		run_spec(&s, &r);
		won = atoi(r.out);
		if (!won)
			fprintf(stderr, "round %d: \"%s\" (%s%s)\n", round, r.out, r.res.feedback,
				r.res.tle ? ", out of time" : "");
		free(r.out);
	}
	if (nall_cpus > 1)
		assert_true(won > 0);
	flip(false);
	flip(true);
	/* as the judge runs programs again */
	struct sbx_settings set = {0};
	set.uid = set.gid = geteuid() == 0 ? 65534 : 0;
	sbx_configure(&set);
}

static void make_files(void)
{
	char err[256];
	snprintf(data_dir, sizeof(data_dir), "/tmp/sbx-data-XXXXXX");
	snprintf(outside_dir, sizeof(outside_dir), "/tmp/sbx-outside-XXXXXX");
	if (!mkdtemp(data_dir) || !mkdtemp(outside_dir) || chmod(data_dir, 0755) < 0 ||
	    chmod(outside_dir, 0755) < 0) {
		fprintf(stderr, "test_sandbox: cannot make folders in /tmp\n");
		exit(1);
	}
	snprintf(secret, sizeof(secret), "%s/secret", outside_dir);
	char path[256];
	snprintf(path, sizeof(path), "%s/allowed", data_dir);
	if (write_file(path, "allowed\n", 8, 0644, err, sizeof(err)) < 0 ||
	    write_file(secret, "secret\n", 7, 0644, err, sizeof(err)) < 0) {
		fprintf(stderr, "test_sandbox: %s\n", err);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/link-to-secret", data_dir);
	if (symlink(secret, path) < 0) {
		fprintf(stderr, "test_sandbox: symlink %s\n", path);
		exit(1);
	}
}

int main(void)
{
	const char *h = getenv("HELPERS");
	snprintf(probe, sizeof(probe), "%s/probe", h ? h : "build/helpers");
	char *real = realpath(probe, NULL);
	if (!real) {
		fprintf(stderr, "test_sandbox: %s not found (make helpers)\n", probe);
		return 1;
	}
	snprintf(probe_dir, sizeof(probe_dir), "/tmp/sbx-probe-XXXXXX");
	char err[ERR_SIZE];
	if (!mkdtemp(probe_dir) || chmod(probe_dir, 0755) < 0) {
		fprintf(stderr, "test_sandbox: cannot make a folder in /tmp\n");
		return 1;
	}
	snprintf(probe, sizeof(probe), "%s/probe", probe_dir);
	if (copy_file(real, probe, 0755, err, sizeof(err)) < 0 || chmod(probe, 0755) < 0) {
		fprintf(stderr, "test_sandbox: %s\n", err);
		return 1;
	}
	free(real);
	/* as the judge does: programs with a policy run as nobody when root */
	struct sbx_settings set = {0};
	if (geteuid() == 0)
		set.uid = set.gid = 65534;
	sbx_configure(&set);
	make_files();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exit_codes_and_signals),
	    cmocka_unit_test(test_cpu_limit),
	    cmocka_unit_test(test_wall_limit),
	    cmocka_unit_test(test_memory),
	    cmocka_unit_test(test_output_limit),
	    cmocka_unit_test(test_streams_cwd_and_descriptors),
	    cmocka_unit_test(test_process_trees),
	    cmocka_unit_test(test_setup_failure),
	    cmocka_unit_test(test_two_programs_at_once),
	    cmocka_unit_test(test_policy_files),
	    cmocka_unit_test(test_refused_call_is_named),
	    cmocka_unit_test(test_refused_and_narrowed_calls),
	    cmocka_unit_test(test_memory_watched_without_address_limit),
	    cmocka_unit_test(test_task_limit_counts_tasks),
	    cmocka_unit_test(test_task_backstop),
	    cmocka_unit_test(test_share_dir_deep),
	    cmocka_unit_test(test_no_network),
	    cmocka_unit_test(test_thread_freeze),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rm_rf(data_dir);
	rm_rf(outside_dir);
	rm_rf(probe_dir);
	return rc;
}
