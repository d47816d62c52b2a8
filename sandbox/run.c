/*
 * The supervisor: starts programs under ptrace, follows their process
 * trees, answers their seccomp stops (trace.c), enforces the CPU and
 * wall-clock limits, measures them and kills and reaps everything at the
 * end.
 *
 * A child sets up its streams, limits and isolation layers between fork
 * and exec, then waits on an eventfd until the supervisor has seized it
 * (PTRACE_SEIZE, so that threads can later be interrupted), loads the
 * prebuilt seccomp program and executes; that exec is the first call the
 * tracer checks. Set-up failures travel back through a close-on-exec pipe.
 *
 * Peak memory is read from the process itself: ru_maxrss of a forked
 * child counts pages inherited from the judge before exec, so a trivial
 * program would report the judge's size; VmHWM read at the
 * PTRACE_EVENT_EXIT stop is the program's own peak. The tracer also sees
 * every fork, so no process of the tree can escape the final kill.
 *
 * The loop waits with sigtimedwait on SIGCHLD (every ptrace stop and exit)
 * and on the CPU-timer signal, with the nearest wall-clock deadline as
 * timeout, then takes every report waiting. Programs can keep that queue
 * from ever emptying (thirty processes each stat-ing a 4,000-character
 * path keep the tracer busy without end while spending almost no CPU of
 * their own), so the limits are also enforced from inside the draining
 * loop, at least every ENFORCE_EVERY seconds, and the supervisor's own CPU
 * time on each program's stops is charged to that program: its CPU timer
 * is moved closer by what the tracer spent, and the time is part of what
 * it is charged. Nothing polls, with one exception: a program with a memory
 * limit but no address-space limit (a JVM, which reserves far more than
 * it uses) has nothing in the kernel to stop it growing, so its peak is
 * read every MEMORY_POLL seconds while it runs and it is killed (MLE) once
 * over the limit, rather than measured only when it ends, after it could
 * have taken the machine's memory. The supervisor runs on the CPU its
 * children are pinned to: a seccomp stop costs about 8 us on one CPU and
 * 60 us across two.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/seccomp.h>

#include "common/common.h"
#include "sandbox/internal.h"

#define SIG_CPU (SIGRTMIN + 3)

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
    "join the sandbox namespaces",
    "drop privileges",
    "apply the Landlock rules",
    "wait for the tracer",
    "load the seccomp filter",
    "execute",
};
enum {
	SETUP_DEVNULL,
	SETUP_DUP,
	SETUP_CLOEXEC,
	SETUP_CHDIR,
	SETUP_RLIMIT,
	SETUP_AFFINITY,
	SETUP_NAMESPACES,
	SETUP_PRIVILEGES,
	SETUP_LANDLOCK,
	SETUP_TRACE,
	SETUP_SECCOMP,
	SETUP_EXEC,
};

/* What the child needs besides its spec, all prepared before the fork. */
struct child_args {
	const struct sbx_spec *spec;
	int efd, gofd;
	const struct sock_fprog *bpf; /* NULL: no seccomp (trusted helper) */
	const cpu_set_t *cpus;
	const sigset_t *mask; /* the caller's signal mask, for the program */
	pid_t parent;	      /* the supervisor, whose death must kill us */
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

/* Limits come from outside (a site's submission-request, init.yml).
 * Beyond these they mean "none that matters", and converting them to
 * rlim_t or time_t would overflow. */
#define MAX_SECONDS 1e6			/* eleven days */
#define MAX_KIB	    ((uint64_t)1 << 40) /* a pebibyte */
/* The sandbox's own set-up between fork and exec is not the program's
 * time; it only has to end. */
#define SETUP_WALL 10.0

static double seconds(double s)
{
	return !(s > 0) ? 0 : s > MAX_SECONDS ? MAX_SECONDS : s;
}

static uint64_t kib(uint64_t k)
{
	return k > MAX_KIB ? MAX_KIB : k;
}

static void child_limits(const struct sbx_limits *l, int efd)
{
	int ok = 0;
	if (l->cpu > 0) {
		/* a backstop only: the supervisor's timer on the CPU clock is
		 * precise, RLIMIT_CPU takes whole seconds */
		rlim_t s = (rlim_t)ceil(seconds(l->cpu)) + 1;
		struct rlimit r = {s, s + 1};
		ok |= setrlimit(RLIMIT_CPU, &r);
	}
	if (l->address_space_kib)
		ok |= set_limit(RLIMIT_AS, (rlim_t)kib(l->address_space_kib) * 1024);
	if (l->output_bytes)
		/* one byte over the limit so that "exactly at the limit" passes
		 * and anything more is seen as OLE */
		ok |= set_limit(RLIMIT_FSIZE, (rlim_t)kib(l->output_bytes) + 1);
	ok |= set_limit(RLIMIT_CORE, 0);
	/* glibc sizes every thread's stack by RLIMIT_STACK: a limit as large
	 * as the memory limit would make each std::thread reserve all of it
	 * and fail under the address-space limit. With an address-space limit
	 * the stack is bounded by it anyway, so it is left unlimited there
	 * (threads get glibc's default) */
	uint64_t stack = l->stack_kib		? l->stack_kib
			 : l->address_space_kib ? 0
			 : l->memory_kib	? l->memory_kib
						: 8192;
	/* only the soft limit: a program raising its own stack gains nothing
	 * the memory limits do not bound, and keeping the hard limit lets the
	 * judge run under valgrind, which refuses to change it */
	struct rlimit st;
	if (getrlimit(RLIMIT_STACK, &st) == 0) {
		st.rlim_cur = stack ? (rlim_t)kib(stack) * 1024 : RLIM_INFINITY;
		if (st.rlim_max != RLIM_INFINITY && st.rlim_cur > st.rlim_max)
			st.rlim_cur = st.rlim_max;
		ok |= setrlimit(RLIMIT_STACK, &st);
	} else {
		ok = -1;
	}
	if (ok)
		child_fail(efd, SETUP_RLIMIT);
}

/* Runs in the forked child: everything up to exec. Only async-signal-safe
 * calls: the judge may have other state in flux. */
static NORETURN void child_main(const struct child_args *a)
{
	const struct sbx_spec *s = a->spec;
	int efd = a->efd;
	int fds[3] = {s->stdin_fd, s->stdout_fd, s->stderr_fd};
	int high[3];
	/* no controlling terminal, and a process group of its own that the
	 * supervisor kills as a whole */
	setsid();
	for (int i = 0; i < 3; i++) {
		if (fds[i] < 0) {
			high[i] = open("/dev/null", (i ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
			if (high[i] < 0)
				child_fail(efd, SETUP_DEVNULL);
		} else {
			/* move out of 0..2 first so that the dup2s below cannot
			 * clobber each other */
			high[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 10);
			if (high[i] < 0)
				child_fail(efd, SETUP_DUP);
		}
	}
	for (int i = 0; i < 3; i++)
		if (dup2(high[i], i) < 0)
			child_fail(efd, SETUP_DUP);
	/* everything else the judge holds (sockets, problem files, the
	 * worker's event pipe) must not reach the program */
	if (syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */) < 0)
		child_fail(efd, SETUP_CLOEXEC);
	if (s->cwd && chdir(s->cwd) < 0)
		child_fail(efd, SETUP_CHDIR);
	child_limits(&s->limits, efd);
	if (a->cpus && sched_setaffinity(0, sizeof(*a->cpus), a->cpus) < 0)
		child_fail(efd, SETUP_AFFINITY);
	if (s->policy) {
		if (sbx_child_namespaces() < 0)
			child_fail(efd, SETUP_NAMESPACES);
		if (sbx_child_identity() < 0)
			child_fail(efd, SETUP_PRIVILEGES);
		if (sbx_child_landlock(s->policy->compiled) < 0)
			child_fail(efd, SETUP_LANDLOCK);
	}
	/* only now: Landlock's ruleset and its /proc/self rules need
	 * descriptors above the judge's own, which the child still holds
	 * (closed at exec) and which may number more than the program's
	 * limit */
	if (set_limit(RLIMIT_NOFILE, s->limits.open_files > 0 ? (rlim_t)s->limits.open_files : 64) <
	    0)
		child_fail(efd, SETUP_RLIMIT);
	/* until the tracer has seized us with PTRACE_O_EXITKILL, the worker's
	 * death (a grading killed at this very moment) would leave us waiting
	 * or running untraced; set here, after the change of credentials that
	 * clears it */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != a->parent)
		child_fail(efd, SETUP_TRACE);
	uint64_t go;
	while (read(a->gofd, &go, sizeof(go)) != (ssize_t)sizeof(go))
		if (errno != EINTR)
			child_fail(efd, SETUP_TRACE);
	sigprocmask(SIG_SETMASK, a->mask, NULL);
	if (a->bpf && syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, a->bpf) < 0)
		child_fail(efd, SETUP_SECCOMP);
	execve(s->path, s->argv, s->envp);
	child_fail(efd, SETUP_EXEC);
}

struct tracee *sbx_find(struct run *r, pid_t pid)
{
	for (size_t i = 0; i < r->nt; i++)
		if (r->t[i].pid == pid)
			return &r->t[i];
	return NULL;
}

static void add_tracee(struct run *r, pid_t pid, int root, pid_t tgid, int mm)
{
	struct tracee *t = sbx_find(r, pid);
	if (!t) {
		XGROW(r->t, r->tcap, r->nt + 1);
		t = &r->t[r->nt++];
		memset(t, 0, sizeof(*t));
		t->pid = pid;
	}
	/* also when the new child's stop was reported before the fork event
	 * of its parent: the event knows better */
	t->root = root;
	t->tgid = tgid;
	t->mm = mm;
}

static void drop_tracee(struct run *r, pid_t pid)
{
	for (size_t i = 0; i < r->nt; i++)
		if (r->t[i].pid == pid) {
			r->t[i] = r->t[--r->nt];
			return;
		}
}

/* Reads /proc/PID/NAME into buf (NUL-terminated); false if unreadable. */
static bool read_proc(pid_t pid, const char *name, char *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return true;
}

/* A "Field:   123 kB" line of /proc/PID/status, in KiB; 0 if unreadable. */
uint64_t sbx_status_kib(pid_t pid, const char *field)
{
	char buf[4096];
	if (!read_proc(pid, "status", buf, sizeof(buf)))
		return 0;
	char *p = strstr(buf, field);
	return p ? strtoull(p + strlen(field), NULL, 10) : 0;
}

static void note_memory(struct run *r, int root, pid_t pid)
{
	uint64_t kib = sbx_status_kib(pid, "VmHWM:");
	if (kib > r->progs[root].peak_kib)
		r->progs[root].peak_kib = kib;
}

/* How often a program judged only by its measured memory is measured. */
#define MEMORY_POLL 0.05
/* How long the supervisor may go on answering stops without looking at
 * the clocks, and how much of its CPU time it lets build up before moving
 * a program's CPU timer (each move costs two system calls). */
#define ENFORCE_EVERY 0.001
#define CHARGE_MIN    0.001

static bool memory_watched(const struct prog *p)
{
	const struct sbx_limits *l = &p->spec->limits;
	/* before its exec the child is a copy of the judge, whose size is not
	 * the program's */
	return l->memory_kib && !l->address_space_kib && p->exec_time && !p->reaped && !p->killed;
}

/* Measures the watched programs (each process once: threads share its
 * peak) and stops one that is over its limit. */
static void watch_memory(struct run *r)
{
	for (size_t i = 0; i < r->n; i++) {
		struct prog *p = &r->progs[i];
		if (!memory_watched(p))
			continue;
		for (size_t k = 0; k < r->nt; k++)
			if (r->t[k].root == (int)i && r->t[k].pid == r->t[k].tgid)
				note_memory(r, (int)i, r->t[k].pid);
		if (p->peak_kib > p->spec->limits.memory_kib) {
			p->res->mle = true;
			sbx_kill_tree(r, (int)i);
		}
	}
}

void sbx_kill_tree(struct run *r, int root)
{
	struct prog *p = &r->progs[root];
	/* measure before SIGKILL: a killed process skips its exit stop */
	for (size_t i = 0; i < r->nt; i++)
		if (r->t[i].root == root)
			note_memory(r, root, r->t[i].pid);
	p->killed = true;
	/* never -0 or -(-1): that would be the judge's own group, or all */
	if (p->pid > 0)
		kill(-p->pid, SIGKILL);
	for (size_t i = 0; i < r->nt; i++)
		if (r->t[i].root == root)
			kill(r->t[i].pid, SIGKILL);
}

void sbx_resume(struct run *r, pid_t pid, int sig)
{
	struct tracee *t = sbx_find(r, pid);
	if (t)
		t->held = false;
	ptrace(t && t->await_exit ? PTRACE_SYSCALL : PTRACE_CONT, pid, NULL, (void *)(long)sig);
}

/* CPU time a task has run so far (first field of schedstat, in ns):
 * exact, unlike the clock-tick counts of /proc/PID/stat. */
static double task_cpu(pid_t pid)
{
	char buf[128];
	return read_proc(pid, "schedstat", buf, sizeof(buf)) ? (double)strtoull(buf, NULL, 10) / 1e9
							     : 0;
}

static void start_clocks(struct prog *p, int idx)
{
	p->exec_time = mono_now();
	/* the sandbox's own set-up between fork and exec is not the
	 * program's time: it is taken off what is reported and added to
	 * when the CPU timer fires */
	p->setup_cpu = task_cpu(p->pid);
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
	double c = seconds(p->spec->limits.cpu) + p->setup_cpu;
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
	else if (f.stage == SETUP_EXEC)
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
	sbx_kill_tree(r, idx);
}

static int prog_of(struct run *r, pid_t pid)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->progs[i].pid == pid)
			return (int)i;
	return -1;
}

/* A fork, vfork or clone event of t: the new task joins its tree. */
static void new_task(struct run *r, pid_t parent, int event)
{
	unsigned long msg = 0;
	if (ptrace(PTRACE_GETEVENTMSG, parent, NULL, &msg) < 0)
		return;
	struct tracee *t = sbx_find(r, parent);
	/* without a seccomp stop before (no policy) the event type says what
	 * the flags were, as far as it can */
	bool shares = t->flags_known ? (t->clone_flags & CLONE_VM) : event != PTRACE_EVENT_FORK;
	bool thread =
	    t->flags_known ? (t->clone_flags & CLONE_THREAD) : event == PTRACE_EVENT_CLONE;
	int root = t->root, mm = shares ? t->mm : ++r->next_mm;
	pid_t tgid = thread ? t->tgid : (pid_t)msg;
	t->flags_known = false;
	if (event == PTRACE_EVENT_VFORK)
		t->vfork_wait = true;
	add_tracee(r, (pid_t)msg, root, tgid, mm);
}

void sbx_handle_stop(struct run *r, pid_t pid, int status)
{
	struct tracee *t = sbx_find(r, pid);
	int sig = WSTOPSIG(status);
	int event = (unsigned)status >> 16;
	int idx = prog_of(r, pid);
	int inject = 0;
	if (event == PTRACE_EVENT_SECCOMP) {
		sbx_on_seccomp(r, pid);
		return;
	}
	if (sig == (SIGTRAP | 0x80)) {
		/* a call checked under a freeze: resumed from its seccomp stop
		 * with PTRACE_SYSCALL it stops at its entry, then at its exit;
		 * only then has the kernel read the path */
		struct __ptrace_syscall_info info = {0};
		bool entry = ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(info), &info) > 0 &&
			     info.op == PTRACE_SYSCALL_INFO_ENTRY;
		bool done = t->await_exit && !entry;
		if (done)
			t->await_exit = false;
		sbx_resume(r, pid, 0);
		if (done)
			sbx_thaw(r, pid);
		return;
	}
	if (event == PTRACE_EVENT_STOP) {
		/* a new task's first stop, or a PTRACE_INTERRUPT whose stop
		 * came after another one */
		t->interrupted = false;
	} else if (sig == SIGTRAP && event) {
		switch (event) {
		case PTRACE_EVENT_FORK:
		case PTRACE_EVENT_VFORK:
		case PTRACE_EVENT_CLONE:
			new_task(r, pid, event);
			break;
		case PTRACE_EVENT_VFORK_DONE:
			t->vfork_wait = false;
			break;
		case PTRACE_EVENT_EXEC:
			/* a new program image: a memory of its own */
			t->mm = ++r->next_mm;
			if (idx >= 0 && !r->progs[idx].exec_time)
				start_clocks(&r->progs[idx], idx);
			break;
		case PTRACE_EVENT_EXIT:
			note_memory(r, t->root, pid);
			break;
		default:
			break;
		}
	} else if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
		/* a stopped program would only burn wall-clock time */
	} else {
		inject = sig;
	}
	sbx_resume(r, pid, inject);
}

/* Handles one wait report. */
static void handle(struct run *r, pid_t pid, int status, const struct rusage *ru)
{
	struct tracee *t = sbx_find(r, pid);
	int idx = prog_of(r, pid);
	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		if (idx >= 0 && !r->progs[idx].reaped)
			finish(r, idx, status, ru);
		if (!t)
			return;
		pid_t frozen_by = t->frozen_by;
		drop_tracee(r, pid);
		if (frozen_by)
			sbx_freeze_gone(r, frozen_by);
		/* a checker that died lets the ones it held go */
		sbx_thaw(r, pid);
		return;
	}
	if (!WIFSTOPPED(status))
		return;
	if (!t) {
		/* a child's first stop can arrive before its parent's fork
		 * event; adopt it and sort out the rest when the event comes */
		add_tracee(r, pid, 0, pid, ++r->next_mm);
	}
	if (sbx_freeze_stop(r, pid, status))
		return;
	sbx_handle_stop(r, pid, status);
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

static int launch(struct run *r, int idx, const cpu_set_t *cpus, const sigset_t *mask)
{
	struct prog *p = &r->progs[idx];
	const struct sbx_spec *s = p->spec;
	char *err = r->err;
	size_t errlen = r->errlen;
	struct child_args a = {s, -1, -1, NULL, cpus, mask, 0};
	if (s->policy) {
		if (sbx_policy_compile((struct sbx_policy *)s->policy, err, errlen) < 0)
			return -1;
		a.bpf = &s->policy->compiled->bpf[s->limits.address_space_kib ? 1 : 0];
	}
	int ep[2];
	if (pipe2(ep, O_CLOEXEC) < 0)
		return errf(err, errlen, "pipe: %s", strerror(errno));
	/* an eventfd rather than a pipe: writing to it cannot raise SIGPIPE
	 * when the child died early */
	a.gofd = eventfd(0, EFD_CLOEXEC);
	if (a.gofd < 0) {
		int e = errno;
		close(ep[0]);
		close(ep[1]);
		return errf(err, errlen, "eventfd: %s", strerror(e));
	}
	a.efd = ep[1];
	p->fork_time = mono_now();
	a.parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(ep[0]);
		close(ep[1]);
		close(a.gofd);
		return errf(err, errlen, "cannot fork to run %s: %s", s->path, strerror(e));
	}
	if (pid == 0) {
		close(ep[0]);
		child_main(&a);
	}
	close(ep[1]);
	close_stdio(p);
	p->pid = pid;
	p->errfd = ep[0];
	long opts = PTRACE_O_EXITKILL | PTRACE_O_TRACEEXIT | PTRACE_O_TRACEEXEC |
		    PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
		    PTRACE_O_TRACEVFORKDONE | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD;
	int ret = 0;
	if (ptrace(PTRACE_SEIZE, pid, NULL, (void *)opts) < 0) {
		int e = errno, status;
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, __WALL) < 0 && errno == EINTR)
			;
		p->reaped = true;
		ret = errf(err, errlen, "ptrace(SEIZE) on %s: %s", s->path, strerror(e));
	} else {
		add_tracee(r, pid, idx, pid, ++r->next_mm);
		uint64_t go = 1;
		if (write(a.gofd, &go, sizeof(go)) != (ssize_t)sizeof(go))
			ret = errf(err, errlen, "eventfd write: %s", strerror(errno));
	}
	close(a.gofd);
	return ret;
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

/* The supervisor's CPU clock: what answering a program's stops costs. */
static double own_cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void cpu_timer_fired(struct run *r, int i)
{
	if (i >= 0 && (size_t)i < r->n && !r->progs[i].reaped && !r->progs[i].killed) {
		r->progs[i].res->tle = true;
		sbx_kill_tree(r, i);
	}
}

/* Moves the program's CPU timer closer by the supervisor's time spent on
 * it since the last move: the timer counts only the program's own CPU. */
static void charge_tracer(struct run *r, int i)
{
	struct prog *p = &r->progs[i];
	double owed = p->tracer_cpu - p->tracer_charged;
	if (!p->has_timer || p->killed || owed < CHARGE_MIN)
		return;
	p->tracer_charged = p->tracer_cpu;
	struct itimerspec its;
	if (timer_gettime(p->timer, &its) < 0)
		return;
	double left = (double)its.it_value.tv_sec + (double)its.it_value.tv_nsec / 1e9 - owed;
	if (left <= 0) {
		/* a disarmed timer (0) has fired: its signal is pending */
		cpu_timer_fired(r, i);
		return;
	}
	its.it_value.tv_sec = (time_t)left;
	its.it_value.tv_nsec = (long)((left - floor(left)) * 1e9);
	timer_settime(p->timer, 0, &its, NULL);
}

/* When the limits were last looked at. */
struct enforcer {
	double checked;	 /* mono_now() */
	double measured; /* memory, see MEMORY_POLL */
};

/* Every limit the supervisor enforces itself: the CPU timers' signals
 * (taken here too, so that a busy supervisor never leaves them queued),
 * the tracer's time charged, wall-clock deadlines and watched memory.
 * Returns the nearest deadline, 0 if none. */
static double enforce(struct run *r, struct enforcer *en, double now, bool take_signals)
{
	double next = 0;
	en->checked = now;
	if (take_signals) {
		/* the main wait takes them otherwise */
		sigset_t cpu;
		sigemptyset(&cpu);
		sigaddset(&cpu, SIG_CPU);
		struct timespec zero = {0, 0};
		siginfo_t si;
		while (sigtimedwait(&cpu, &si, &zero) == SIG_CPU)
			cpu_timer_fired(r, si.si_value.sival_int);
	}
	bool watching = false;
	for (size_t i = 0; i < r->n; i++) {
		charge_tracer(r, (int)i);
		watching |= memory_watched(&r->progs[i]);
	}
	if (watching && now - en->measured >= MEMORY_POLL) {
		watch_memory(r);
		en->measured = now;
	}
	if (watching)
		next = en->measured + MEMORY_POLL;
	for (size_t i = 0; i < r->n; i++) {
		struct prog *p = &r->progs[i];
		const struct sbx_limits *l = &p->spec->limits;
		if (p->reaped || p->killed || l->wall <= 0)
			continue;
		/* counted from exec: a limit shorter than the set-up is the
		 * program's TLE, not a failure to start it */
		double wall = seconds(l->wall);
		double deadline =
		    p->exec_time ? p->exec_time + wall : p->fork_time + wall + SETUP_WALL;
		if (deadline <= now) {
			p->res->tle = p->res->wall_timeout = true;
			sbx_kill_tree(r, (int)i);
		} else if (!next || deadline < next) {
			next = deadline;
		}
	}
	return next;
}

/* Takes every waiting report. The queue may never empty while programs
 * keep the supervisor busy, so the limits are enforced from here too, and
 * the supervisor's time on each report is charged to its program. */
static void drain(struct run *r, struct enforcer *en)
{
	/* one reading of the supervisor's clock per report: each report is
	 * charged from the end of the one before */
	double last = own_cpu();
	for (;;) {
		int status;
		struct rusage ru;
		pid_t pid = wait4(-1, &status, __WALL | WNOHANG, &ru);
		if (pid <= 0) {
			if (pid < 0 && errno == ECHILD) {
				/* nothing left to wait for: whatever we still
				 * track is gone */
				r->nt = 0;
				for (size_t i = 0; i < r->n; i++)
					r->progs[i].reaped = true;
			}
			return;
		}
		struct tracee *t = sbx_find(r, pid);
		int owner = t ? t->root : prog_of(r, pid);
		handle(r, pid, status, &ru);
		double cpu = own_cpu();
		if (owner >= 0 && r->progs[owner].exec_time)
			r->progs[owner].tracer_cpu += cpu - last;
		last = cpu;
		double now = mono_now();
		if (now - en->checked >= ENFORCE_EVERY)
			enforce(r, en, now, true);
	}
}

/* The CPUs the children run on (the configured ones, else the one the
 * supervisor is on now), with the supervisor moved there too. */
static bool pin_cpus(cpu_set_t *cpus, cpu_set_t *saved)
{
	const struct sbx_settings *s = sbx_current_settings();
	CPU_ZERO(cpus);
	if (sched_getaffinity(0, sizeof(*saved), saved) < 0)
		return false;
	for (size_t i = 0; i < s->ncpus; i++)
		CPU_SET(s->cpus[i], cpus);
	int here = sched_getcpu();
	if (!s->ncpus && here >= 0)
		CPU_SET(here, cpus);
	if (!CPU_COUNT(cpus) || sched_setaffinity(0, sizeof(*cpus), cpus) < 0)
		return false;
	return true;
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
	/* detection and the namespaces happen once, before any fork */
	sbx_check_layers();
	cpu_set_t cpus, saved;
	bool pinned = pin_cpus(&cpus, &saved);
	struct rusage before;
	getrusage(RUSAGE_CHILDREN, &before);

	for (size_t i = 0; i < n; i++) {
		memset(&results[i], 0, sizeof(results[i]));
		r.progs[i].spec = &specs[i];
		r.progs[i].res = &results[i];
		r.progs[i].errfd = -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (launch(&r, (int)i, pinned ? &cpus : NULL, &old) < 0) {
			r.failed = (int)i + 1;
			/* it and the ones after it never ran */
			for (size_t j = i; j < n; j++)
				r.progs[j].reaped = true;
			for (size_t j = 0; j < i; j++)
				sbx_kill_tree(&r, (int)j);
			break;
		}
	}

	struct enforcer en = {0};
	while (!all_done(&r)) {
		double now = mono_now(), next = enforce(&r, &en, now, false);
		struct timespec ts = {1, 0};
		if (next) {
			double d = next > now ? next - now : 0;
			ts.tv_sec = (time_t)d;
			ts.tv_nsec = (long)((d - floor(d)) * 1e9);
		}
		siginfo_t si;
		if (sigtimedwait(&set, &si, &ts) == SIG_CPU)
			cpu_timer_fired(&r, si.si_value.sival_int);
		drain(&r, &en);
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
		res->cpu_time += p->tracer_cpu - p->setup_cpu;
		if (res->cpu_time < 0)
			res->cpu_time = 0;
		res->wall_time = p->end_time - p->exec_time;
		res->memory_kib = p->peak_kib;
		const struct sbx_limits *l = &specs[i].limits;
		if (l->cpu > 0 && res->cpu_time > l->cpu)
			res->tle = true;
		if (l->memory_kib && res->memory_kib > l->memory_kib)
			res->mle = true;
		/* a program that died after the address-space limit refused
		 * it memory died of the memory limit, whatever the signal */
		if (p->alloc_refused && !res->tle && (res->signal || res->exit_code))
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
	if (pinned)
		sched_setaffinity(0, sizeof(saved), &saved);
	return ret;
}
