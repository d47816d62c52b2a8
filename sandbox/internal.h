/*
 * Private to the sandbox module: the policy's layout, what the supervisor
 * compiles from a policy (seccomp program, Landlock rule sources), and the
 * pieces the supervisor (run.c), the tracer's file checks (paths.c), the
 * system-call filter (filter.c) and the privilege layers (layers.c) share.
 */
#ifndef JUDGE_SANDBOX_INTERNAL_H
#define JUDGE_SANDBOX_INTERNAL_H

#include <linux/filter.h>
#include <stdint.h>

#include "sandbox/sandbox.h"

struct policy_rule {
	enum sbx_fs_kind kind;
	char *path;
	bool write;
	bool exec; /* may also be executed (sbx_policy_add_exec) */
};

/* Built once per policy, at its first run, and kept with it: the seccomp
 * programs (with and without stops on large mappings) and the Landlock
 * rule sources. A policy changed afterwards drops this. */
struct sbx_compiled {
	struct sock_fprog bpf[2]; /* [1]: large mmap/mremap stop at the tracer */
	bool have_bpf[2];
	int *fds;	  /* O_PATH descriptors of the rules' paths, -1 if missing */
	uint64_t *access; /* Landlock access granted through each of them */
	size_t nfds;
	char **self; /* "/proc/self/..." rules, opened by each child itself */
	uint64_t *self_access;
	size_t nself;
};

struct sbx_policy {
	char *name;
	struct policy_rule *rules;
	size_t nrules, rules_cap;
	char **syscalls;
	size_t nsyscalls, syscalls_cap;
	char **refused; /* fail with EACCES */
	size_t nrefused, refused_cap;
	int max_threads;
	bool fork_allowed, exec_allowed;
	bool kill_on_denied;
	struct sbx_compiled *compiled;
};

/* ---- policy.c ---- */
enum {
	ACC_READ = 1,  /* open for reading, list a folder */
	ACC_WRITE = 2, /* open for writing, create, remove, rename */
	ACC_EXEC = 4,  /* execve */
	ACC_META = 8,  /* stat, access, readlink, chdir: ancestors of allowed paths too */
};
/* Whether the policy lets a canonical absolute path be used this way. */
bool sbx_policy_allows(const struct sbx_policy *p, const char *path, int access);
/* Compiles the policy (once); -1 with err on a bad policy. */
int sbx_policy_compile(struct sbx_policy *p, char *err, size_t errlen);

/* ---- filter.c: the seccomp program ---- */
/* What SCMP_ACT_TRACE's data says to the tracer. */
enum {
	TR_DENY = 1,	/* not allowed: kill, naming the call */
	TR_BADARCH = 2, /* a 32-bit or x32 call */
	TR_PROC = 3,	/* clone, fork, vfork: count threads and processes */
	TR_SIGNAL = 4,	/* kill, tkill, tgkill: only inside the program's tree */
	TR_MMAP = 5,	/* a large mapping under an address-space limit */
	TR_PATH = 0x100 /* + index into the path-call table */
};
enum path_kind {
	PK_OPEN,	 /* open/openat: the flags decide */
	PK_META,	 /* stat, access, readlink... (follow as the kind says) */
	PK_META_AT,	 /* *at with AT_SYMLINK_NOFOLLOW / AT_EMPTY_PATH flags */
	PK_WRITE,	 /* create, remove, rename, link: never follows the last link */
	PK_WRITE_FOLLOW, /* truncate, chmod, utimes: follows it */
	PK_WRITE_AT,	 /* utimensat: flags, NULL path means the descriptor */
	PK_EXEC,
	PK_CHDIR,
};
struct path_call {
	const char *name;
	int8_t dirfd[2], path[2]; /* argument indexes; dirfd -1 = the working folder */
	int8_t flags;		  /* argument index of open/at flags, -1 none */
	uint8_t kind;
	bool nofollow; /* lstat, readlink: never follow the last link */
};
const struct path_call *sbx_path_call(unsigned idx);
/* Builds the program for a policy into out (heap), trace_mmap adding a
 * stop on mappings of 1 MiB or more. */
int sbx_filter_build(const struct sbx_policy *p, bool trace_mmap, struct sock_fprog *out, char *err,
		     size_t errlen);
/* "socket", "32-bit write", "x32 read" into buf. */
void sbx_syscall_name(uint32_t arch, uint64_t nr, char *buf, size_t len);

/* ---- paths.c: the tracer's view of a path ---- */
/* Canonical absolute path that a call of tid (thread group tgid) naming
 * path relative to dirfd would reach; /proc/<tgid> is given back as
 * /proc/self. Returns 0, or a positive errno the call would fail with
 * (then out holds the path where the walk stopped, when known, else ""). */
int sbx_resolve(pid_t tid, pid_t tgid, int dirfd, const char *path, bool follow, char *out,
		size_t outlen);
/* Reads a NUL-terminated string from the tracee; 0 or a positive errno. */
int sbx_read_string(pid_t tid, uint64_t addr, char *buf, size_t len);

/* ---- run.c and trace.c: the supervisor's state ---- */
#include <sys/ptrace.h>
#include <time.h>

struct tracee {
	pid_t pid, tgid;
	int root;		   /* index of the program it belongs to */
	int mm;			   /* memory group: threads and CLONE_VM children share one */
	unsigned long clone_flags; /* of its last allowed clone, until the event */
	/* a clone of it was allowed and its event has not come: the task it
	 * makes counts already. One per tracee at most (a clone the kernel
	 * restarts after a signal stops at the tracer again) */
	bool flags_known;
	bool vfork_wait; /* its vfork child runs; it cannot touch memory */
	/* the thread freeze (trace.c) */
	pid_t frozen_by;  /* held while this thread's call is checked */
	bool held;	  /* in a stop we have not resumed */
	bool interrupted; /* PTRACE_INTERRUPT sent, its stop not seen yet */
	bool has_pending; /* a stop that arrived while held, handled at thaw */
	int pending;
	bool await_exit;		   /* its checked call runs while the others are held */
	struct __ptrace_syscall_info call; /* the call being checked */
};

struct prog {
	const struct sbx_spec *spec;
	struct sbx_result *res;
	pid_t pid;
	int errfd;
	bool reaped, killed;
	double fork_time, exec_time, end_time;
	double setup_cpu; /* CPU seconds the child spent before exec (sandbox set-up) */
	timer_t timer;
	bool has_timer;
	uint64_t peak_kib;
	/* the supervisor's own CPU seconds spent on this program's stops
	 * (path walks, freezes): counted against its CPU limit, so that a
	 * program cannot make the tracer work for it for free */
	double tracer_cpu, tracer_charged;
	bool alloc_refused; /* a mapping went over the address-space limit */
	bool stdio_closed;  /* the caller's pipe ends, see sbx_spec.close_stdio */
};

struct run {
	struct prog *progs;
	size_t n;
	struct tracee *t;
	size_t nt, tcap;
	int next_mm;
	int failed; /* index+1 of a program that could not start */
	char *err;
	size_t errlen;
};

struct tracee *sbx_find(struct run *r, pid_t pid);
void sbx_kill_tree(struct run *r, int root);
/* Resumes a tracee from a stop (PTRACE_SYSCALL while its checked call
 * runs under a freeze). */
void sbx_resume(struct run *r, pid_t pid, int sig);
/* Handles a stop of a tracee that is not held (run.c). */
void sbx_handle_stop(struct run *r, pid_t pid, int status);
uint64_t sbx_status_kib(pid_t pid, const char *field);
/* trace.c */
void sbx_on_seccomp(struct run *r, pid_t pid);
/* A stop of a tracee held by a freeze; false if it is not held. */
bool sbx_freeze_stop(struct run *r, pid_t pid, int status);
/* A checked call finished (syscall-exit stop) or its thread is gone. */
void sbx_thaw(struct run *r, pid_t checker);
void sbx_freeze_gone(struct run *r, pid_t frozen_by);

/* ---- layers.c: privileges, namespaces, Landlock ---- */
int sbx_landlock_abi(void);
/* Before a run: detection done, namespace descriptors still the ones made
 * at start (else made again). */
void sbx_check_layers(void);
/* Prepares the Landlock sources of a compiled policy (in the supervisor). */
void sbx_landlock_prepare(const struct sbx_policy *p, struct sbx_compiled *c);
void sbx_compiled_free(struct sbx_compiled *c);
/* In the forked child, before exec: each returns 0 or -1 with errno. */
int sbx_child_namespaces(void);
int sbx_child_landlock(const struct sbx_compiled *c);
int sbx_child_identity(void);
const struct sbx_settings *sbx_current_settings(void);

#endif
