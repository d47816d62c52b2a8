/*
 * sandbox: launches untrusted programs (submissions, compilers, checkers,
 * generators, interactors) and measures them.
 *
 * A caller describes each program with a struct sbx_spec (what to execute,
 * its standard streams, limits and file-system policy) and calls sbx_run,
 * which starts one or more programs together (an interactor and a
 * submission run at the same time), supervises them until every process of
 * every tree is gone, and fills one struct sbx_result per program.
 *
 * The supervisor is a ptrace tracer: it follows forks, reads each process's
 * peak resident memory at its exit, enforces the CPU limit with a timer on
 * the child's CPU clock and the wall-clock limit itself, checks every file
 * a program names against its policy, and kills and reaps whole process
 * trees. The isolation layers (seccomp, Landlock, capabilities,
 * no_new_privs, namespaces, unprivileged user) are applied between fork
 * and exec according to the policy, so callers never change when a layer
 * is added. A program killed by the sandbox (a refused system call, a
 * file outside a kill-on-denied policy) has denied set and the reason in
 * feedback ("socket syscall disallowed").
 */
#ifndef JUDGE_SANDBOX_H
#define JUDGE_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One file-system rule of a policy. Paths are absolute. */
enum sbx_fs_kind {
	SBX_FILE, /* exactly this file */
	SBX_DIR,  /* this directory itself (listing), not what is inside */
	SBX_TREE, /* this directory and everything below it */
};
struct sbx_fs_rule {
	enum sbx_fs_kind kind;
	const char *path;
	bool write;
};

/* What a kind of program may do. Executors keep these as data next to
 * their code; sbx_policy_* build the dynamic parts (runtime folders, the
 * working folder). */
struct sbx_policy;
struct sbx_policy *sbx_policy_new(const char *name);
void sbx_policy_free(struct sbx_policy *p);
void sbx_policy_add(struct sbx_policy *p, enum sbx_fs_kind kind, const char *path, bool write);
void sbx_policy_add_rules(struct sbx_policy *p, const struct sbx_fs_rule *rules, size_t n);
/* Programs the policy may execute (read and execute; other rules grant
 * no execution): the program's own executable, a shell's commands, a
 * compiler's toolchain. The x86-64 dynamic loader runs as every
 * program's interpreter without being listed, and cannot be executed as
 * a program of its own unless it is. */
void sbx_policy_add_exec(struct sbx_policy *p, enum sbx_fs_kind kind, const char *path);
/* System calls beyond the base set that this runtime needs, by name.
 * "prctl" allows only naming threads (PR_SET_NAME, PR_GET_NAME), which
 * is what runtimes (the JVM) use it for. */
void sbx_policy_allow_syscalls(struct sbx_policy *p, const char *const *names, size_t n);
/* System calls that fail with EACCES instead of killing the program: a
 * runtime that only probes with them and copes with the failure (the C
 * library's socket to nscd when a runtime looks up its user name, the
 * JVM's check for IPv6). A call both allowed and refused is allowed. */
void sbx_policy_refuse_syscalls(struct sbx_policy *p, const char *const *names, size_t n);
/* Threads (clone with CLONE_THREAD) and new processes (fork, vfork,
 * clone without CLONE_THREAD, execve after start). */
void sbx_policy_set_threads(struct sbx_policy *p, int max_threads);
void sbx_policy_set_processes(struct sbx_policy *p, bool fork_allowed, bool exec_allowed);
/* How a file outside the policy is refused: false = the call fails with
 * EACCES and the program goes on; true = the program is killed. */
void sbx_policy_set_kill_on_denied(struct sbx_policy *p, bool kill);
struct sbx_policy *sbx_policy_copy(const struct sbx_policy *p);

struct sbx_limits {
	double cpu;		    /* CPU seconds of the tree; 0 = none */
	double wall;		    /* wall-clock seconds; 0 = none */
	uint64_t memory_kib;	    /* peak resident KiB above which MLE; 0 = none */
	uint64_t address_space_kib; /* RLIMIT_AS; 0 = none (VMs that reserve a lot) */
	uint64_t output_bytes;	    /* stdout/stderr/file size above which OLE; 0 = none */
	int open_files;		    /* RLIMIT_NOFILE; 0 = default 64 */
	uint64_t stack_kib; /* RLIMIT_STACK; 0 = unlimited under an address-space limit, else the
			       memory limit or 8 MiB */
};

struct sbx_spec {
	const char *path;  /* absolute path of the executable */
	char *const *argv; /* argv[0] included */
	char *const *envp; /* complete environment */
	const char *cwd;   /* working folder */
	int stdin_fd;	   /* -1: /dev/null */
	int stdout_fd;	   /* -1: /dev/null */
	int stderr_fd;	   /* -1: /dev/null; may equal stdout_fd */
	struct sbx_limits limits;
	const struct sbx_policy *policy; /* NULL: trusted helper, no isolation */
	/* sbx_run closes the caller's stdin_fd and stdout_fd once the program
	 * is forked (or when it fails): a pipe to another program run at the
	 * same time must have no other holder, or its reader never sees the
	 * end of the stream. The caller must not close them again. */
	bool close_stdio;
};

struct sbx_result {
	bool started; /* exec succeeded */
	bool exited;  /* exited by itself (exit_code valid) */
	int exit_code;
	int signal;	     /* killed by this signal (0 = not signalled) */
	bool tle;	     /* over the CPU or the wall-clock limit */
	bool wall_timeout;   /* the wall clock ran out */
	bool mle;	     /* over the memory limit */
	bool ole;	     /* over the output limit */
	bool denied;	     /* killed by the sandbox (system call or file); see feedback */
	double cpu_time;     /* seconds, user + system of the tree */
	double wall_time;    /* seconds from exec to the end */
	uint64_t memory_kib; /* peak resident set of the tree's largest process */
	long vcsw, ivcsw;    /* context switches */
	char feedback[256];  /* e.g. "socket syscall disallowed" */
};

/* Process-wide settings, set once at start-up. */
struct sbx_settings {
	uid_t uid; /* user programs run as when the judge is root; 0 = same */
	gid_t gid;
	const int *cpus; /* CPUs programs are pinned to; NULL = any */
	size_t ncpus;
	bool no_landlock; /* tests only: show that the tracer alone holds */
};
void sbx_configure(const struct sbx_settings *s);

/* Runs n programs at once and waits until all of their processes are gone.
 * Returns 0 when every program was supervised to its end (whatever the
 * verdict), -1 with err filled when the judge could not run them at all
 * (a missing executable, fork failure...). */
int sbx_run(const struct sbx_spec *specs, struct sbx_result *results, size_t n, char *err,
	    size_t errlen);

/* The layers the running kernel and privileges allow, e.g.
 * "ptrace, seccomp, landlock abi 7 (files, tcp...), ..., user nobody (65534)",
 * detected once; and what is missing and why ("" when nothing is). */
const char *sbx_layers(void);
const char *sbx_layers_missing(void);
/* Descriptors the sandbox keeps open for its children (the namespaces
 * they join): a process that closes all others must keep these. Fills at
 * most max, returns how many. */
size_t sbx_descriptors(int *fds, size_t max);

/* A folder a sandboxed program must write into (a compiler's output
 * folder): when programs run as the sandbox user, writable=true hands the
 * folder to that user, writable=false takes it and everything made in it
 * back, so that the programs run later cannot change what was built. The
 * file-system policy still decides what may be written. */
int sbx_share_dir(const char *dir, bool writable, char *err, size_t errlen);

#endif
