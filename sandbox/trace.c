/*
 * The tracer's decisions at seccomp stops: the calls the filter hands over
 * (files, new threads and processes, signals, large mappings under an
 * address-space limit) and the calls it refuses (killed and named).
 *
 * A call that names a file is allowed only if the canonical path it will
 * reach is in the policy; otherwise it fails with EACCES, or the program
 * is killed when its policy says so. The check reads the path from the
 * child's memory, so another thread sharing that memory could change it
 * between the check and the kernel's own read. When the caller shares its
 * memory with anyone (threads, CLONE_VM children), every other member is
 * stopped first (PTRACE_INTERRUPT), the call is checked and run to its end
 * (PTRACE_SYSCALL), and only then are the others let go: the "freeze".
 * Landlock enforces the same file rules inside the kernel, so the freeze
 * is what also protects stat-like calls that Landlock does not cover.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/user.h>

#include "common/common.h"
#include "sandbox/internal.h"

#define CLONE_NAMESPACES                                                                           \
	(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | \
	 CLONE_NEWCGROUP)

enum verdict { ALLOW, FAIL, KILL };
struct decision {
	enum verdict v;
	int err;       /* FAIL: the errno the call returns */
	char why[200]; /* KILL: the feedback */
};

static void PRINTF(2, 3) killed(struct decision *d, const char *fmt, ...)
{
	va_list ap;
	d->v = KILL;
	va_start(ap, fmt);
	vsnprintf(d->why, sizeof(d->why), fmt, ap);
	va_end(ap);
}

static void fail_call(pid_t pid, int err)
{
	struct user_regs_struct regs;
	if (ptrace(PTRACE_GETREGS, pid, NULL, &regs) < 0)
		return;
	/* skip the call; it returns what rax holds */
	regs.orig_rax = (unsigned long long)-1;
	regs.rax = (unsigned long long)-err;
	ptrace(PTRACE_SETREGS, pid, NULL, &regs);
}

/* Carries out a decision; under a freeze an allowed call runs to its end
 * before the others are let go. */
static void apply(struct run *r, pid_t pid, const struct decision *d, bool frozen)
{
	struct tracee *t = sbx_find(r, pid);
	if (!t)
		return;
	struct prog *p = &r->progs[t->root];
	switch (d->v) {
	case ALLOW:
		if (frozen) {
			t->await_exit = true;
			ptrace(PTRACE_SYSCALL, pid, NULL, NULL);
			return;
		}
		sbx_resume(r, pid, 0);
		return;
	case FAIL:
		fail_call(pid, d->err);
		sbx_resume(r, pid, 0);
		break;
	case KILL:
		if (!p->res->denied) {
			p->res->denied = true;
			snprintf(p->res->feedback, sizeof(p->res->feedback), "%s", d->why);
		}
		log_debug("sandbox: %s: %s", p->spec->path, d->why);
		sbx_kill_tree(r, t->root);
		break;
	}
	if (frozen)
		sbx_thaw(r, pid);
}

static const char *call_name(const struct __ptrace_syscall_info *c, char *buf, size_t len)
{
	sbx_syscall_name(c->arch, c->seccomp.nr, buf, len);
	return buf;
}

/* ---- files ---- */

struct operand {
	int access;
	bool follow;
	bool fd_only; /* empty path with AT_EMPTY_PATH, or NULL for utimensat */
};

static struct operand operand_of(const struct path_call *pc, int k, const uint64_t *args)
{
	uint64_t flags = pc->flags >= 0 ? args[pc->flags] : 0;
	struct operand o = {ACC_META, !pc->nofollow, false};
	switch (pc->kind) {
	case PK_OPEN:
		o.access = (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC))
			       ? ACC_WRITE
			       : ACC_READ;
		o.follow = !(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL));
		break;
	case PK_META:
	case PK_CHDIR:
		break;
	case PK_META_AT:
		o.follow = !(flags & AT_SYMLINK_NOFOLLOW);
		o.fd_only = flags & AT_EMPTY_PATH;
		break;
	case PK_WRITE:
		o.access = ACC_WRITE;
		/* linkat's source follows only with AT_SYMLINK_FOLLOW */
		o.follow = k == 0 && !strcmp(pc->name, "linkat") && (args[4] & AT_SYMLINK_FOLLOW);
		break;
	case PK_WRITE_FOLLOW:
		o.access = ACC_WRITE;
		o.follow = true;
		break;
	case PK_WRITE_AT:
		o.access = ACC_WRITE;
		o.follow = !(flags & AT_SYMLINK_NOFOLLOW);
		o.fd_only = !args[pc->path[k]] || (flags & AT_EMPTY_PATH);
		break;
	case PK_EXEC:
		o.access = ACC_EXEC;
		break;
	}
	return o;
}

static const char *access_word(int access)
{
	return access & ACC_WRITE ? "write" : access & ACC_EXEC ? "execute" : "read";
}

static void check_path(struct run *r, pid_t pid, struct decision *d)
{
	struct tracee *t = sbx_find(r, pid);
	const struct __ptrace_syscall_info *c = &t->call;
	const struct path_call *pc = sbx_path_call((unsigned)(c->seccomp.ret_data - TR_PATH));
	struct prog *p = &r->progs[t->root];
	const struct sbx_policy *pol = p->spec->policy;
	const uint64_t *args = c->seccomp.args;
	char buf[64];
	d->v = ALLOW;
	if (!pc) {
		killed(d, "%s syscall disallowed", call_name(c, buf, sizeof(buf)));
		return;
	}
	/* the program's own start is the first exec; later ones only where
	 * the policy runs other programs (compilers) */
	if (pc->kind == PK_EXEC && p->exec_time && !pol->exec_allowed) {
		killed(d, "%s syscall disallowed", pc->name);
		return;
	}
	for (int k = 0; k < 2 && pc->path[k] >= 0; k++) {
		struct operand o = operand_of(pc, k, args);
		char path[PATH_MAX], canon[PATH_MAX];
		if (o.fd_only && !args[pc->path[k]])
			continue;
		int e = sbx_read_string(pid, args[pc->path[k]], path, sizeof(path));
		if (!e && o.fd_only && !path[0])
			continue;
		int dirfd = pc->dirfd[k] >= 0 ? (int)args[pc->dirfd[k]] : AT_FDCWD;
		if (!e)
			e = sbx_resolve(pid, t->tgid, dirfd, path, o.follow, canon, sizeof(canon));
		if (e) {
			/* the kernel's own answer, unless it would tell whether
			 * something exists where the program may not look */
			d->v = FAIL;
			d->err = canon[0] && !sbx_policy_allows(pol, canon, ACC_META) ? EACCES : e;
			if (e == EFAULT || e == ENAMETOOLONG)
				d->err = e;
			return;
		}
		if (!sbx_policy_allows(pol, canon, o.access)) {
			log_debug("sandbox: %s: %s %s (%s) denied", p->spec->path, pc->name, canon,
				  access_word(o.access));
			if (pol->kill_on_denied) {
				killed(d, "%s access denied", canon);
			} else {
				d->v = FAIL;
				d->err = EACCES;
			}
			return;
		}
	}
}

/* Members of the caller's memory group that could change its memory. */
static size_t others(struct run *r, const struct tracee *t)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nt; i++)
		n += r->t[i].mm == t->mm && r->t[i].pid != t->pid && !r->t[i].vfork_wait;
	return n;
}

/* Checks the call once every other member is held. */
static void freeze_progress(struct run *r, pid_t checker)
{
	struct tracee *c = sbx_find(r, checker);
	if (!c || c->await_exit)
		return;
	for (size_t i = 0; i < r->nt; i++)
		if (r->t[i].frozen_by == checker && !r->t[i].held)
			return;
	struct decision d;
	check_path(r, checker, &d);
	apply(r, checker, &d, true);
}

static void freeze(struct run *r, pid_t pid)
{
	struct tracee *t = sbx_find(r, pid);
	for (size_t i = 0; i < r->nt; i++) {
		struct tracee *m = &r->t[i];
		if (m->mm != t->mm || m->pid == pid || m->vfork_wait)
			continue;
		/* one held by an earlier check that is being let go stays
		 * held, now for this one */
		bool was = m->frozen_by != 0;
		m->frozen_by = pid;
		if (!was && !m->held) {
			if (ptrace(PTRACE_INTERRUPT, m->pid, NULL, NULL) == 0)
				m->interrupted = true;
			else
				m->held = true; /* already gone; its exit will come */
		}
	}
	freeze_progress(r, pid);
}

bool sbx_freeze_stop(struct run *r, pid_t pid, int status)
{
	struct tracee *t = sbx_find(r, pid);
	if (!t || !t->frozen_by)
		return false;
	t->held = true;
	if (t->interrupted && (unsigned)status >> 16 == PTRACE_EVENT_STOP) {
		t->interrupted = false;
	} else {
		t->has_pending = true;
		t->pending = status;
	}
	freeze_progress(r, t->frozen_by);
	return true;
}

void sbx_freeze_gone(struct run *r, pid_t frozen_by)
{
	freeze_progress(r, frozen_by);
}

void sbx_thaw(struct run *r, pid_t checker)
{
	bool again = true;
	while (again) {
		again = false;
		for (size_t i = 0; i < r->nt; i++) {
			struct tracee *m = &r->t[i];
			if (m->frozen_by != checker)
				continue;
			pid_t pid = m->pid;
			m->frozen_by = 0;
			m->held = false;
			if (m->has_pending) {
				m->has_pending = false;
				/* may add or drop tracees: start over */
				sbx_handle_stop(r, pid, m->pending);
				again = true;
				break;
			}
			sbx_resume(r, pid, 0);
		}
	}
}

/* ---- processes, signals, memory ---- */

static void check_proc(struct run *r, struct tracee *t, struct decision *d)
{
	const struct __ptrace_syscall_info *c = &t->call;
	struct prog *p = &r->progs[t->root];
	const struct sbx_policy *pol = p->spec->policy;
	char name[64];
	call_name(c, name, sizeof(name));
	unsigned long flags = SIGCHLD;
	if (c->seccomp.nr == SYS_clone)
		flags = c->seccomp.args[0];
	else if (c->seccomp.nr == SYS_vfork)
		flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
	bool thread = flags & CLONE_THREAD;
	d->v = ALLOW;
	/* an untraced task would be outside the count and the freeze; the
	 * filter refuses it already, this holds if a filter did not */
	if ((flags & (CLONE_NAMESPACES | CLONE_UNTRACED)) ||
	    (thread ? pol->max_threads <= 1 : !pol->fork_allowed)) {
		killed(d, "%s syscall disallowed", name);
		return;
	}
	/* every task, and every clone allowed whose task has not appeared
	 * yet; this caller's own earlier one is this one again, restarted */
	int tasks = 0;
	for (size_t i = 0; i < r->nt; i++)
		if (r->t[i].root == t->root)
			tasks += 1 + (r->t[i].flags_known && r->t[i].pid != t->pid);
	if (tasks >= pol->max_threads) {
		t->flags_known = false;
		d->v = FAIL;
		d->err = EAGAIN;
		return;
	}
	t->clone_flags = flags;
	t->flags_known = true;
}

/* Signals stay inside the program's own tree; the judge, other programs
 * and everything else of the sandbox user are out of reach. */
static void check_signal(struct run *r, struct tracee *t, struct decision *d)
{
	const uint64_t *a = t->call.seccomp.args;
	pid_t target = (pid_t)a[0], tid = 0;
	bool ok = false;
	char name[64];
	call_name(&t->call, name, sizeof(name));
	if (t->call.seccomp.nr == SYS_kill) {
		if (target == 0 || (target < -1 && -target == r->progs[t->root].pid))
			ok = true;
		tid = target > 0 ? target : 0;
	} else if (t->call.seccomp.nr == SYS_tkill) {
		tid = target;
		target = 0;
	} else {
		tid = (pid_t)a[1];
	}
	for (size_t i = 0; !ok && tid > 0 && i < r->nt; i++) {
		const struct tracee *o = &r->t[i];
		if (o->root != t->root)
			continue;
		if (t->call.seccomp.nr == SYS_kill)
			ok = o->tgid == tid;
		else
			ok = o->pid == tid && (!target || o->tgid == target);
	}
	d->v = ALLOW;
	if (!ok)
		killed(d, "%s syscall disallowed", name);
}

static void note_mapping(struct run *r, struct tracee *t)
{
	struct prog *p = &r->progs[t->root];
	const uint64_t *a = t->call.seccomp.args;
	uint64_t len = t->call.seccomp.nr == SYS_mmap ? a[1] : a[2] > a[1] ? a[2] - a[1] : 0;
	uint64_t limit = p->spec->limits.address_space_kib;
	if (limit && sbx_status_kib(t->tgid, "VmSize:") + len / 1024 > limit)
		p->alloc_refused = true;
}

void sbx_on_seccomp(struct run *r, pid_t pid)
{
	struct tracee *t = sbx_find(r, pid);
	struct decision d = {ALLOW, 0, ""};
	if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(t->call), &t->call) <= 0 ||
	    t->call.op != PTRACE_SYSCALL_INFO_SECCOMP) {
		killed(&d, "system call the sandbox could not inspect");
		apply(r, pid, &d, false);
		return;
	}
	char name[64];
	uint32_t msg = t->call.seccomp.ret_data;
	switch (msg) {
	case TR_DENY:
	case TR_BADARCH:
		killed(&d, "%s syscall disallowed", call_name(&t->call, name, sizeof(name)));
		break;
	case TR_PROC:
		check_proc(r, t, &d);
		break;
	case TR_SIGNAL:
		check_signal(r, t, &d);
		break;
	case TR_MMAP:
		note_mapping(r, t);
		break;
	default:
		if (others(r, t)) {
			freeze(r, pid);
			return;
		}
		check_path(r, pid, &d);
		break;
	}
	apply(r, pid, &d, false);
}
