/*
 * The supervisor: starts programs under ptrace, follows their process
 * trees, enforces the CPU and wall-clock limits, measures them and kills
 * and reaps everything at the end.
 *
 * Why ptrace even before any system call is inspected: peak memory must be
 * read from the process itself. ru_maxrss of a forked child counts pages
 * inherited from the judge before exec, so a trivial program would report
 * the judge's size; VmHWM read at the PTRACE_EVENT_EXIT stop is the
 * program's own peak. The tracer also sees every fork, so no process of
 * the tree can escape the final kill.
 *
 * The loop waits with sigtimedwait on SIGCHLD (every ptrace stop and exit)
 * and on the CPU-timer signal, with the nearest wall-clock deadline as
 * timeout, so nothing polls.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/common.h"
#include "sandbox/internal.h"

#define SIG_CPU (SIGRTMIN + 3)

static struct sbx_settings settings;

void sbx_configure(const struct sbx_settings *s)
{
	settings = *s;
}

const char *sbx_layers(void)
{
	return "ptrace, rlimits, new session";
}

/* What a child reports through its close-on-exec pipe when a set-up step
 * fails before exec. */
struct setup_failure {
	int stage;
	int err;
};
static const char *const stage_names[] = {
    "open /dev/null",
    "redirect standard streams",
    "mark descriptors close-on-exec",
    "change to the working folder",
    "set resource limits",
    "set CPU affinity",
    "start tracing",
    "execute",
};
enum {
	ST_DEVNULL,
	ST_DUP,
	ST_CLOEXEC,
	ST_CHDIR,
	ST_RLIMIT,
	ST_AFFINITY,
	ST_TRACE,
	ST_EXEC,
};

static NORETURN void child_fail(int fd, int stage)
{
	struct setup_failure f = {stage, errno};
	(void)!write(fd, &f, sizeof(f));
	_exit(127);
}

static int set_limit(int res, rlim_t v)
{
	struct rlimit r = {v, v};
	if (setrlimit(res, &r) == 0)
		return 0;
	if (errno != EPERM)
		return -1;
	/* the kernel never refuses to lower a hard limit; valgrind's emulation
	 * does, and the soft limit still binds the program */
	if (getrlimit(res, &r) < 0)
		return -1;
	r.rlim_cur = v < r.rlim_max ? v : r.rlim_max;
	return setrlimit(res, &r);
}

static void child_limits(const struct sbx_limits *l, int efd)
{
	int ok = 0;
	if (l->cpu > 0) {
		/* a backstop only: the supervisor's timer on the CPU clock is
		 * precise, RLIMIT_CPU takes whole seconds */
		rlim_t s = (rlim_t)ceil(l->cpu) + 1;
		struct rlimit r = {s, s + 1};
		ok |= setrlimit(RLIMIT_CPU, &r);
	}
	if (l->address_space_kib)
		ok |= set_limit(RLIMIT_AS, (rlim_t)l->address_space_kib * 1024);
	if (l->output_bytes)
		/* one byte over the limit so that "exactly at the limit" passes
		 * and anything more is seen as OLE */
		ok |= set_limit(RLIMIT_FSIZE, (rlim_t)l->output_bytes + 1);
	ok |= set_limit(RLIMIT_CORE, 0);
	ok |= set_limit(RLIMIT_NOFILE, l->open_files > 0 ? (rlim_t)l->open_files : 64);
	uint64_t stack = l->stack_kib ? l->stack_kib : l->memory_kib ? l->memory_kib : 8192;
	/* only the soft limit: a program raising its own stack gains nothing
	 * the memory limits do not bound, and keeping the hard limit lets the
	 * judge run under valgrind, which refuses to change it */
	struct rlimit st;
	if (getrlimit(RLIMIT_STACK, &st) == 0) {
		st.rlim_cur = (rlim_t)stack * 1024;
		if (st.rlim_max != RLIM_INFINITY && st.rlim_cur > st.rlim_max)
			st.rlim_cur = st.rlim_max;
		ok |= setrlimit(RLIMIT_STACK, &st);
	} else {
		ok = -1;
	}
	if (ok)
		child_fail(efd, ST_RLIMIT);
}

/* Runs in the forked child: everything up to exec. Only async-signal-safe
 * calls: the judge may have other state in flux. */
static NORETURN void child_main(const struct sbx_spec *s, int efd, pid_t parent)
{
	int fds[3] = {s->stdin_fd, s->stdout_fd, s->stderr_fd};
	int high[3];
	setsid();
	for (int i = 0; i < 3; i++) {
		if (fds[i] < 0) {
			high[i] = open("/dev/null", (i ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
			if (high[i] < 0)
				child_fail(efd, ST_DEVNULL);
		} else {
			/* move out of 0..2 first so that the dup2s below cannot
			 * clobber each other */
			high[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 10);
			if (high[i] < 0)
				child_fail(efd, ST_DUP);
		}
	}
	for (int i = 0; i < 3; i++)
		if (dup2(high[i], i) < 0)
			child_fail(efd, ST_DUP);
	/* everything else the judge holds (sockets, problem files, the
	 * worker's event pipe) must not reach the program */
	if (syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */) < 0)
		child_fail(efd, ST_CLOEXEC);
	if (s->cwd && chdir(s->cwd) < 0)
		child_fail(efd, ST_CHDIR);
	child_limits(&s->limits, efd);
	if (settings.ncpus) {
		cpu_set_t set;
		CPU_ZERO(&set);
		for (size_t i = 0; i < settings.ncpus; i++)
			CPU_SET(settings.cpus[i], &set);
		if (sched_setaffinity(0, sizeof(set), &set) < 0)
			child_fail(efd, ST_AFFINITY);
	}
	/* the parent seizes us with its options while we are stopped here */
	/* until the parent has set PTRACE_O_EXITKILL, its death (a grading
	 * killed at this very moment) would leave us running untraced; keep
	 * this after any change of credentials, which clears it */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		child_fail(efd, ST_TRACE);
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
		child_fail(efd, ST_TRACE);
	raise(SIGSTOP);
	execve(s->path, s->argv, s->envp);
	child_fail(efd, ST_EXEC);
}

struct tracee {
	pid_t pid;
	int root;   /* index of the program it belongs to */
	bool fresh; /* auto-attached, its first SIGSTOP not seen yet */
};

struct prog {
	const struct sbx_spec *spec;
	struct sbx_result *res;
	pid_t pid;
	int errfd;
	bool reaped, killed;
	double fork_time, exec_time, end_time;
	timer_t timer;
	bool has_timer;
	uint64_t peak_kib;
	bool stdio_closed;
};

struct run {
	struct prog *progs;
	size_t n;
	struct tracee *t;
	size_t nt, tcap;
	int failed; /* index+1 of a program that could not start */
	char *err;
	size_t errlen;
};

static struct tracee *find(struct run *r, pid_t pid)
{
	for (size_t i = 0; i < r->nt; i++)
		if (r->t[i].pid == pid)
			return &r->t[i];
	return NULL;
}

static void add_tracee(struct run *r, pid_t pid, int root, bool fresh)
{
	struct tracee *t = find(r, pid);
	if (t) {
		/* the new child's stop may have been reported before the fork
		 * event of its parent */
		t->root = root;
		return;
	}
	XGROW(r->t, r->tcap, r->nt + 1);
	r->t[r->nt++] = (struct tracee){pid, root, fresh};
}

static void drop_tracee(struct run *r, pid_t pid)
{
	for (size_t i = 0; i < r->nt; i++)
		if (r->t[i].pid == pid) {
			r->t[i] = r->t[--r->nt];
			return;
		}
}

/* Peak resident set of a (stopped, not yet dead) process, in KiB. */
static uint64_t read_hwm(pid_t pid)
{
	char path[64], buf[4096];
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *p = strstr(buf, "VmHWM:");
	return p ? strtoull(p + 6, NULL, 10) : 0;
}

static void note_memory(struct run *r, int root, pid_t pid)
{
	uint64_t kib = read_hwm(pid);
	if (kib > r->progs[root].peak_kib)
		r->progs[root].peak_kib = kib;
}

static void kill_tree(struct run *r, int root)
{
	struct prog *p = &r->progs[root];
	/* measure before SIGKILL: a killed process skips its exit stop */
	for (size_t i = 0; i < r->nt; i++)
		if (r->t[i].root == root)
			note_memory(r, root, r->t[i].pid);
	p->killed = true;
	kill(-p->pid, SIGKILL);
	for (size_t i = 0; i < r->nt; i++)
		if (r->t[i].root == root)
			kill(r->t[i].pid, SIGKILL);
}

static void start_clocks(struct prog *p, int idx)
{
	p->exec_time = mono_now();
	if (p->errfd >= 0) {
		close(p->errfd);
		p->errfd = -1;
	}
	if (p->spec->limits.cpu <= 0)
		return;
	clockid_t cid;
	if (clock_getcpuclockid(p->pid, &cid) != 0)
		return;
	struct sigevent sev = {0};
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIG_CPU;
	sev.sigev_value.sival_int = idx;
	if (timer_create(cid, &sev, &p->timer) < 0)
		return;
	p->has_timer = true;
	double c = p->spec->limits.cpu;
	struct itimerspec its = {0};
	its.it_value.tv_sec = (time_t)c;
	its.it_value.tv_nsec = (long)((c - floor(c)) * 1e9);
	if (!its.it_value.tv_sec && !its.it_value.tv_nsec)
		its.it_value.tv_nsec = 1;
	timer_settime(p->timer, 0, &its, NULL);
}

static void describe_failure(struct run *r, struct prog *p)
{
	struct setup_failure f;
	ssize_t n = p->errfd >= 0 ? read(p->errfd, &f, sizeof(f)) : 0;
	if (n != (ssize_t)sizeof(f) || f.stage < 0 || f.stage >= (int)ARRAY_LEN(stage_names))
		errf(r->err, r->errlen, "%s ended before it could be executed", p->spec->path);
	else if (f.stage == ST_EXEC)
		errf(r->err, r->errlen, "cannot execute %s: %s", p->spec->path, strerror(f.err));
	else
		errf(r->err, r->errlen, "cannot %s for %s: %s", stage_names[f.stage], p->spec->path,
		     strerror(f.err));
}

static void finish(struct run *r, int idx, int status, const struct rusage *ru)
{
	struct prog *p = &r->progs[idx];
	struct sbx_result *res = p->res;
	p->reaped = true;
	p->end_time = mono_now();
	if (p->has_timer) {
		timer_delete(p->timer);
		p->has_timer = false;
	}
	if (!p->exec_time) {
		if (!r->failed) {
			r->failed = idx + 1;
			describe_failure(r, p);
		}
		return;
	}
	res->started = true;
	res->cpu_time = (double)ru->ru_utime.tv_sec + (double)ru->ru_utime.tv_usec / 1e6 +
			(double)ru->ru_stime.tv_sec + (double)ru->ru_stime.tv_usec / 1e6;
	res->vcsw = ru->ru_nvcsw;
	res->ivcsw = ru->ru_nivcsw;
	if (WIFEXITED(status)) {
		res->exited = true;
		res->exit_code = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		res->signal = WTERMSIG(status);
	}
	/* whatever the program left running goes with it */
	kill_tree(r, idx);
}

/* Handles one waitpid report. */
static void handle(struct run *r, pid_t pid, int status, const struct rusage *ru)
{
	struct tracee *t = find(r, pid);
	int idx = -1;
	for (size_t i = 0; i < r->n; i++)
		if (r->progs[i].pid == pid)
			idx = (int)i;
	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		if (idx >= 0 && !r->progs[idx].reaped)
			finish(r, idx, status, ru);
		drop_tracee(r, pid);
		return;
	}
	if (!WIFSTOPPED(status))
		return;
	int sig = WSTOPSIG(status);
	int event = (unsigned)status >> 16;
	if (!t) {
		/* a child's first stop can arrive before its parent's fork
		 * event; adopt it and sort out the root when the event comes */
		add_tracee(r, pid, 0, true);
		t = find(r, pid);
	}
	int inject = 0;
	if (sig == SIGTRAP && event) {
		unsigned long msg = 0;
		switch (event) {
		case PTRACE_EVENT_FORK:
		case PTRACE_EVENT_VFORK:
		case PTRACE_EVENT_CLONE:
			if (ptrace(PTRACE_GETEVENTMSG, pid, NULL, &msg) == 0)
				add_tracee(r, (pid_t)msg, t->root, true);
			break;
		case PTRACE_EVENT_EXEC:
			if (idx >= 0 && !r->progs[idx].exec_time)
				start_clocks(&r->progs[idx], idx);
			break;
		case PTRACE_EVENT_EXIT:
			note_memory(r, t->root, pid);
			break;
		default:
			break;
		}
	} else if (sig == SIGSTOP && t->fresh) {
		t->fresh = false;
	} else if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
		/* a stopped program would only burn wall-clock time */
	} else if (sig == SIGTRAP && idx >= 0 && !r->progs[idx].exec_time) {
		/* should not happen with TRACEEXEC, but never lose the start */
		start_clocks(&r->progs[idx], idx);
	} else {
		inject = sig;
	}
	ptrace(PTRACE_CONT, pid, NULL, (void *)(long)inject);
}

static bool all_done(struct run *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (!r->progs[i].reaped)
			return false;
	return r->nt == 0;
}

/* See sbx_spec.close_stdio. */
static void close_stdio(struct prog *p)
{
	const struct sbx_spec *s = p->spec;
	if (!s->close_stdio || p->stdio_closed)
		return;
	p->stdio_closed = true;
	if (s->stdin_fd >= 0)
		close(s->stdin_fd);
	if (s->stdout_fd >= 0 && s->stdout_fd != s->stdin_fd)
		close(s->stdout_fd);
}

static int launch(struct run *r, int idx)
{
	struct prog *p = &r->progs[idx];
	int ep[2];
	if (pipe2(ep, O_CLOEXEC) < 0)
		return errf(r->err, r->errlen, "pipe: %s", strerror(errno));
	p->fork_time = mono_now();
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(ep[0]);
		close(ep[1]);
		return errf(r->err, r->errlen, "cannot fork to run %s: %s", p->spec->path,
			    strerror(e));
	}
	if (pid == 0) {
		close(ep[0]);
		child_main(p->spec, ep[1], parent);
	}
	close(ep[1]);
	close_stdio(p);
	p->pid = pid;
	p->errfd = ep[0];
	int status;
	/* the child stops itself right before exec; set our options then */
	while (waitpid(pid, &status, __WALL) < 0)
		if (errno != EINTR)
			return errf(r->err, r->errlen, "waitpid: %s", strerror(errno));
	if (!WIFSTOPPED(status)) {
		p->reaped = true;
		describe_failure(r, p);
		close(p->errfd);
		p->errfd = -1;
		return -1;
	}
	long opts = PTRACE_O_EXITKILL | PTRACE_O_TRACEEXIT | PTRACE_O_TRACEEXEC |
		    PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE;
	if (ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)opts) < 0) {
		int e = errno;
		kill(pid, SIGKILL);
		waitpid(pid, &status, __WALL);
		p->reaped = true;
		return errf(r->err, r->errlen, "ptrace(SETOPTIONS) on %s: %s", p->spec->path,
			    strerror(e));
	}
	add_tracee(r, pid, idx, false);
	ptrace(PTRACE_CONT, pid, NULL, NULL);
	return 0;
}

static void check_output(struct prog *p)
{
	const struct sbx_spec *s = p->spec;
	struct sbx_result *res = p->res;
	if (!s->limits.output_bytes)
		return;
	int fds[2] = {s->stdout_fd, s->stderr_fd};
	for (int i = 0; i < 2; i++) {
		struct stat st;
		if (fds[i] >= 0 && fstat(fds[i], &st) == 0 && S_ISREG(st.st_mode) &&
		    (uint64_t)st.st_size > s->limits.output_bytes)
			res->ole = true;
	}
	if (res->signal == SIGXFSZ)
		res->ole = true;
}

int sbx_run(const struct sbx_spec *specs, struct sbx_result *results, size_t n, char *err,
	    size_t errlen)
{
	struct run r = {0};
	r.progs = xcalloc(n, sizeof(*r.progs));
	r.n = n;
	r.err = err;
	r.errlen = errlen;
	int ret = -1;
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIG_CPU);
	sigprocmask(SIG_BLOCK, &set, &old);
	/* orphans of the program's tree become ours, so they are reaped and
	 * counted rather than left to init */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	struct rusage before;
	getrusage(RUSAGE_CHILDREN, &before);

	for (size_t i = 0; i < n; i++) {
		memset(&results[i], 0, sizeof(results[i]));
		r.progs[i].spec = &specs[i];
		r.progs[i].res = &results[i];
		r.progs[i].errfd = -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (launch(&r, (int)i) < 0) {
			r.failed = (int)i + 1;
			for (size_t j = 0; j < i; j++)
				kill_tree(&r, (int)j);
			break;
		}
	}

	while (!all_done(&r)) {
		double now = mono_now(), next = 0;
		for (size_t i = 0; i < n; i++) {
			struct prog *p = &r.progs[i];
			if (p->reaped || p->killed || specs[i].limits.wall <= 0)
				continue;
			double deadline =
			    (p->exec_time ? p->exec_time : p->fork_time) + specs[i].limits.wall;
			if (deadline <= now) {
				results[i].tle = results[i].wall_timeout = true;
				kill_tree(&r, (int)i);
			} else if (!next || deadline < next) {
				next = deadline;
			}
		}
		struct timespec ts = {1, 0};
		if (next) {
			double d = next - now;
			ts.tv_sec = (time_t)d;
			ts.tv_nsec = (long)((d - floor(d)) * 1e9);
		}
		siginfo_t si;
		int sig = sigtimedwait(&set, &si, &ts);
		if (sig == SIG_CPU) {
			int i = si.si_value.sival_int;
			if (i >= 0 && (size_t)i < n && !r.progs[i].reaped) {
				results[i].tle = true;
				kill_tree(&r, i);
			}
		}
		for (;;) {
			int status;
			struct rusage ru;
			pid_t pid = wait4(-1, &status, __WALL | WNOHANG, &ru);
			if (pid <= 0) {
				if (pid < 0 && errno == ECHILD) {
					/* nothing left to wait for: whatever we
					 * still track is gone */
					r.nt = 0;
					for (size_t i = 0; i < n; i++)
						r.progs[i].reaped = true;
				}
				break;
			}
			handle(&r, pid, status, &ru);
		}
	}

	for (size_t i = 0; i < n; i++)
		close_stdio(&r.progs[i]);
	struct rusage after;
	getrusage(RUSAGE_CHILDREN, &after);
	for (size_t i = 0; i < n; i++) {
		struct prog *p = &r.progs[i];
		struct sbx_result *res = &results[i];
		if (p->errfd >= 0)
			close(p->errfd);
		if (!res->started)
			continue;
		if (n == 1) {
			/* everything of the tree has been reaped by us or by
			 * the program, so this is the whole tree's time */
			res->cpu_time =
			    (double)(after.ru_utime.tv_sec - before.ru_utime.tv_sec) +
			    (double)(after.ru_utime.tv_usec - before.ru_utime.tv_usec) / 1e6 +
			    (double)(after.ru_stime.tv_sec - before.ru_stime.tv_sec) +
			    (double)(after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e6;
			res->vcsw = after.ru_nvcsw - before.ru_nvcsw;
			res->ivcsw = after.ru_nivcsw - before.ru_nivcsw;
		}
		res->wall_time = p->end_time - p->exec_time;
		res->memory_kib = p->peak_kib;
		const struct sbx_limits *l = &specs[i].limits;
		if (l->cpu > 0 && res->cpu_time > l->cpu)
			res->tle = true;
		if (l->memory_kib && res->memory_kib > l->memory_kib)
			res->mle = true;
		check_output(p);
	}
	ret = r.failed ? -1 : 0;
	free(r.progs);
	free(r.t);
	/* a timer signal queued after its program ended would terminate the
	 * caller once unblocked: consume what is pending first */
	struct timespec zero = {0, 0};
	while (sigtimedwait(&set, NULL, &zero) > 0)
		;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}
