/*
 * Unit tests of the sandbox supervisor with real processes: exit codes,
 * signals, CPU and wall-clock limits, memory measurement, output limits,
 * standard streams, working folder, descriptor hygiene, and that whole
 * process trees are killed and counted. The program under test is
 * build/helpers/probe (tests/helpers/probe.c).
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/common.h"
#include "sandbox/sandbox.h"

static char probe[4096];
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

int main(void)
{
	const char *h = getenv("HELPERS");
	snprintf(probe, sizeof(probe), "%s/probe", h ? h : "build/helpers");
	char *real = realpath(probe, NULL);
	if (!real) {
		fprintf(stderr, "test_sandbox: %s not found (make helpers)\n", probe);
		return 1;
	}
	snprintf(probe, sizeof(probe), "%s", real);
	free(real);
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
