/*
 * The seccomp program of a policy, built with libseccomp once per policy
 * and loaded by each child right before exec.
 *
 * Every call the policy names is allowed outright (the cheap path: it
 * never stops in the tracer) unless the tracer must look at it: calls that
 * name files, new threads and processes, signals to other processes, and
 * (under an address-space limit) large mappings. Everything else stops in
 * the tracer as TR_DENY, which kills the program and names the call; an
 * unnamed kill by SIGSYS would tell the contestant nothing. Calls through
 * the 32-bit and x32 ABIs never match the x86-64 table and stop as
 * TR_BADARCH. If the tracer were gone, a traced call fails with ENOSYS
 * instead of running, so the fallback is safe.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/common.h"
#include "sandbox/internal.h"

/* Anonymous mappings at least this large stop at the tracer under an
 * address-space limit, so that a refused allocation is seen: glibc's
 * fallback after a failed brk and Python's arenas are 1 MiB. */
#define LARGE_MAPPING (1u << 20)

/* x86-64 calls that name files, and where their paths are. */
static const struct path_call path_calls[] = {
    {"open", {-1, -1}, {0, -1}, 1, PK_OPEN, false},
    {"openat", {0, -1}, {1, -1}, 2, PK_OPEN, false},
    {"creat", {-1, -1}, {0, -1}, -1, PK_WRITE_FOLLOW, false},
    {"stat", {-1, -1}, {0, -1}, -1, PK_META, false},
    {"lstat", {-1, -1}, {0, -1}, -1, PK_META, true},
    {"newfstatat", {0, -1}, {1, -1}, 3, PK_META_AT, false},
    {"statx", {0, -1}, {1, -1}, 2, PK_META_AT, false},
    {"access", {-1, -1}, {0, -1}, -1, PK_META, false},
    {"faccessat", {0, -1}, {1, -1}, -1, PK_META, false},
    {"faccessat2", {0, -1}, {1, -1}, 3, PK_META_AT, false},
    {"readlink", {-1, -1}, {0, -1}, -1, PK_META, true},
    {"readlinkat", {0, -1}, {1, -1}, -1, PK_META, true},
    {"statfs", {-1, -1}, {0, -1}, -1, PK_META, false},
    {"getxattr", {-1, -1}, {0, -1}, -1, PK_META, false},
    {"lgetxattr", {-1, -1}, {0, -1}, -1, PK_META, true},
    {"listxattr", {-1, -1}, {0, -1}, -1, PK_META, false},
    {"llistxattr", {-1, -1}, {0, -1}, -1, PK_META, true},
    {"chdir", {-1, -1}, {0, -1}, -1, PK_CHDIR, false},
    {"execve", {-1, -1}, {0, -1}, -1, PK_EXEC, false},
    {"mkdir", {-1, -1}, {0, -1}, -1, PK_WRITE, false},
    {"mkdirat", {0, -1}, {1, -1}, -1, PK_WRITE, false},
    {"rmdir", {-1, -1}, {0, -1}, -1, PK_WRITE, false},
    {"unlink", {-1, -1}, {0, -1}, -1, PK_WRITE, false},
    {"unlinkat", {0, -1}, {1, -1}, -1, PK_WRITE, false},
    {"rename", {-1, -1}, {0, 1}, -1, PK_WRITE, false},
    {"renameat", {0, 2}, {1, 3}, -1, PK_WRITE, false},
    {"renameat2", {0, 2}, {1, 3}, -1, PK_WRITE, false},
    {"link", {-1, -1}, {0, 1}, -1, PK_WRITE, false},
    {"linkat", {0, 2}, {1, 3}, -1, PK_WRITE, false},
    {"symlink", {-1, -1}, {1, -1}, -1, PK_WRITE, false},
    {"symlinkat", {1, -1}, {2, -1}, -1, PK_WRITE, false},
    {"truncate", {-1, -1}, {0, -1}, -1, PK_WRITE_FOLLOW, false},
    {"chmod", {-1, -1}, {0, -1}, -1, PK_WRITE_FOLLOW, false},
    {"fchmodat", {0, -1}, {1, -1}, -1, PK_WRITE_FOLLOW, false},
    {"utime", {-1, -1}, {0, -1}, -1, PK_WRITE_FOLLOW, false},
    {"utimes", {-1, -1}, {0, -1}, -1, PK_WRITE_FOLLOW, false},
    {"futimesat", {0, -1}, {1, -1}, -1, PK_WRITE_FOLLOW, false},
    {"utimensat", {0, -1}, {1, -1}, 3, PK_WRITE_AT, false},
};

/* Calls that name files in ways the tracer does not check: a policy that
 * lists one is a mistake, caught when it is compiled. */
static const char *const unchecked_path_calls[] = {
    "chown",
    "lchown",
    "fchownat",
    "mknod",
    "mknodat",
    "execveat",
    "inotify_add_watch",
    "fanotify_mark",
    "name_to_handle_at",
    "open_by_handle_at",
    "mount",
    "umount2",
    "chroot",
    "pivot_root",
    "setxattr",
    "lsetxattr",
    "removexattr",
    "lremovexattr",
    "uselib",
    "swapon",
    "swapoff",
    "acct",
    "quotactl",
    "move_mount",
    "open_tree",
    "fsopen",
    "fspick",
    "mount_setattr",
    "setns",
    "unshare",
};

const struct path_call *sbx_path_call(unsigned idx)
{
	return idx < ARRAY_LEN(path_calls) ? &path_calls[idx] : NULL;
}

static int path_index(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(path_calls); i++)
		if (!strcmp(path_calls[i].name, name))
			return (int)i;
	return -1;
}

static bool unchecked(const char *name)
{
	return str_index(unchecked_path_calls, ARRAY_LEN(unchecked_path_calls), name) >= 0;
}

static int add_rule(scmp_filter_ctx ctx, uint32_t action, int nr, unsigned n,
		    const struct scmp_arg_cmp *cmp)
{
	int rc = seccomp_rule_add_array(ctx, action, nr, n, cmp);
	/* a call listed twice (base set and executor) is fine */
	return rc == -EEXIST ? 0 : rc;
}

/* One named call of the policy: how the filter treats it. */
static int add_call(scmp_filter_ctx ctx, const struct sbx_policy *p, const char *name,
		    bool trace_mmap)
{
	int nr = seccomp_syscall_resolve_name(name);
	if (nr == __NR_SCMP_ERROR)
		return -ENOENT;
	if (unchecked(name))
		return -EPERM;
	int pi = path_index(name);
	if (pi >= 0)
		return add_rule(ctx, SCMP_ACT_TRACE(TR_PATH + pi), nr, 0, NULL);
	if (!strcmp(name, "clone") || !strcmp(name, "fork") || !strcmp(name, "vfork")) {
		/* the process settings decide; see sbx_filter_build */
		return 0;
	}
	if (!strcmp(name, "kill") || !strcmp(name, "tkill") || !strcmp(name, "tgkill"))
		return add_rule(ctx, SCMP_ACT_TRACE(TR_SIGNAL), nr, 0, NULL);
	if (!strcmp(name, "mmap") && trace_mmap) {
		/* memory, not files: the loader's mappings of libraries do
		 * not stop */
		struct scmp_arg_cmp small = {1, SCMP_CMP_LT, LARGE_MAPPING, 0};
		struct scmp_arg_cmp large[2] = {
		    {1, SCMP_CMP_GE, LARGE_MAPPING, 0},
		    {3, SCMP_CMP_MASKED_EQ, MAP_ANONYMOUS, MAP_ANONYMOUS}};
		struct scmp_arg_cmp file[2] = {{1, SCMP_CMP_GE, LARGE_MAPPING, 0},
					       {3, SCMP_CMP_MASKED_EQ, MAP_ANONYMOUS, 0}};
		int rc = add_rule(ctx, SCMP_ACT_ALLOW, nr, 1, &small);
		if (!rc)
			rc = add_rule(ctx, SCMP_ACT_ALLOW, nr, 2, file);
		return rc ? rc : add_rule(ctx, SCMP_ACT_TRACE(TR_MMAP), nr, 2, large);
	}
	if (!strcmp(name, "mremap") && trace_mmap) {
		struct scmp_arg_cmp small = {2, SCMP_CMP_LT, LARGE_MAPPING, 0};
		struct scmp_arg_cmp large = {2, SCMP_CMP_GE, LARGE_MAPPING, 0};
		int rc = add_rule(ctx, SCMP_ACT_ALLOW, nr, 1, &small);
		return rc ? rc : add_rule(ctx, SCMP_ACT_TRACE(TR_MMAP), nr, 1, &large);
	}
	if (!strcmp(name, "ioctl")) {
		/* pushing characters into a terminal's input; the kernel
		 * reads the request as 32 bits, so compare only those */
		struct scmp_arg_cmp c = SCMP_A1_32(SCMP_CMP_NE, TIOCSTI);
		return add_rule(ctx, SCMP_ACT_ALLOW, nr, 1, &c);
	}
	if (!strcmp(name, "prctl")) {
		/* naming its threads; PR_SET_DUMPABLE, PR_SET_SECCOMP and the
		 * rest stay refused */
		struct scmp_arg_cmp set = SCMP_A0_32(SCMP_CMP_EQ, PR_SET_NAME);
		struct scmp_arg_cmp get = SCMP_A0_32(SCMP_CMP_EQ, PR_GET_NAME);
		int rc = add_rule(ctx, SCMP_ACT_ALLOW, nr, 1, &set);
		return rc ? rc : add_rule(ctx, SCMP_ACT_ALLOW, nr, 1, &get);
	}
	if (!strcmp(name, "prlimit64")) {
		/* its own limits only (lowering; raising needs a capability) */
		struct scmp_arg_cmp c = SCMP_A0_32(SCMP_CMP_EQ, 0);
		return add_rule(ctx, SCMP_ACT_ALLOW, nr, 1, &c);
	}
	return add_rule(ctx, SCMP_ACT_ALLOW, nr, 0, NULL);
}

static int export_program(scmp_filter_ctx ctx, struct sock_fprog *out, char *err, size_t errlen)
{
	int fd = memfd_create("seccomp-bpf", MFD_CLOEXEC);
	if (fd < 0)
		return errf(err, errlen, "memfd_create for the seccomp program: %s",
			    strerror(errno));
	int ret = -1;
	int rc = seccomp_export_bpf(ctx, fd);
	struct stat st;
	if (rc < 0) {
		errf(err, errlen, "seccomp_export_bpf: %s", strerror(-rc));
		goto out;
	}
	if (fstat(fd, &st) < 0 || st.st_size <= 0 || st.st_size % sizeof(struct sock_filter)) {
		errf(err, errlen, "seccomp_export_bpf wrote %lld bytes", (long long)st.st_size);
		goto out;
	}
	struct sock_filter *prog = xmalloc((size_t)st.st_size);
	if (pread(fd, prog, (size_t)st.st_size, 0) != st.st_size) {
		errf(err, errlen, "reading the seccomp program back: %s", strerror(errno));
		free(prog);
		goto out;
	}
	out->filter = prog;
	out->len = (unsigned short)((size_t)st.st_size / sizeof(struct sock_filter));
	ret = 0;
out:
	close(fd);
	return ret;
}

int sbx_filter_build(const struct sbx_policy *p, bool trace_mmap, struct sock_fprog *out, char *err,
		     size_t errlen)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_TRACE(TR_DENY));
	if (!ctx)
		return errf(err, errlen, "policy %s: seccomp_init failed", p->name);
	int ret = -1;
	int rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRACE(TR_BADARCH));
	/* the child sets no_new_privs itself, before Landlock */
	if (!rc)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	/* a binary search over call numbers instead of a linear chain: a
	 * hundred allowed calls cost a handful of comparisons each */
	if (!rc)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (rc) {
		errf(err, errlen, "policy %s: seccomp attributes: %s", p->name, strerror(-rc));
		goto out;
	}
	for (size_t i = 0; i < p->nsyscalls; i++) {
		rc = add_call(ctx, p, p->syscalls[i], trace_mmap);
		if (rc == -ENOENT) {
			errf(err, errlen, "policy %s: unknown system call %s", p->name,
			     p->syscalls[i]);
			goto out;
		}
		if (rc == -EPERM) {
			errf(err, errlen,
			     "policy %s: system call %s names files in a way the sandbox does not "
			     "check; it cannot be allowed",
			     p->name, p->syscalls[i]);
			goto out;
		}
		if (rc) {
			errf(err, errlen, "policy %s: seccomp rule for %s: %s", p->name,
			     p->syscalls[i], strerror(-rc));
			goto out;
		}
	}
	for (size_t i = 0; i < p->nrefused; i++) {
		int nr = seccomp_syscall_resolve_name(p->refused[i]);
		/* only calls the tracer has no business with can simply fail */
		if (nr == __NR_SCMP_ERROR || path_index(p->refused[i]) >= 0 ||
		    unchecked(p->refused[i])) {
			errf(err, errlen, "policy %s: system call %s cannot be refused", p->name,
			     p->refused[i]);
			goto out;
		}
		rc = add_rule(ctx, SCMP_ACT_ERRNO(EACCES), nr, 0, NULL);
		if (rc) {
			errf(err, errlen, "policy %s: seccomp rule for %s: %s", p->name,
			     p->refused[i], strerror(-rc));
			goto out;
		}
	}
	/* the mechanism's own calls: the first exec is always checked;
	 * clone3 hides its flags in memory the tracer would have to trust,
	 * so it fails and the C library falls back to clone */
	struct {
		const char *name;
		uint32_t action;
		bool when;
	} fixed[] = {
	    {"execve", SCMP_ACT_TRACE(TR_PATH + path_index("execve")), true},
	    {"clone3", SCMP_ACT_ERRNO(ENOSYS), true},
	    {"openat2", SCMP_ACT_ERRNO(ENOSYS), true},
	    {"fork", SCMP_ACT_TRACE(TR_PROC), p->fork_allowed},
	    {"vfork", SCMP_ACT_TRACE(TR_PROC), p->fork_allowed},
	};
	for (size_t i = 0; i < ARRAY_LEN(fixed); i++) {
		if (!fixed[i].when)
			continue;
		rc = add_rule(ctx, fixed[i].action, seccomp_syscall_resolve_name(fixed[i].name), 0,
			      NULL);
		if (rc) {
			errf(err, errlen, "policy %s: seccomp rule for %s: %s", p->name,
			     fixed[i].name, strerror(-rc));
			goto out;
		}
	}
	if (p->max_threads > 1 || p->fork_allowed) {
		/* CLONE_UNTRACED makes a task the kernel does not attach to the
		 * tracer despite PTRACE_O_TRACECLONE: outside the task count and
		 * the freeze. Such a clone matches no rule and takes the default
		 * action, refused and named like any call not allowed */
		int nr = seccomp_syscall_resolve_name("clone");
		struct scmp_arg_cmp traced = {0, SCMP_CMP_MASKED_EQ, CLONE_UNTRACED, 0};
		rc = add_rule(ctx, SCMP_ACT_TRACE(TR_PROC), nr, 1, &traced);
		if (rc) {
			errf(err, errlen, "policy %s: seccomp rule for clone: %s", p->name,
			     strerror(-rc));
			goto out;
		}
	}
	ret = export_program(ctx, out, err, errlen);
out:
	seccomp_release(ctx);
	return ret;
}

void sbx_syscall_name(uint32_t arch, uint64_t nr, char *buf, size_t len)
{
	uint32_t token = SCMP_ARCH_X86_64;
	const char *abi = "";
	if (arch == AUDIT_ARCH_I386) {
		token = SCMP_ARCH_X86;
		abi = "32-bit ";
	} else if (arch == AUDIT_ARCH_X86_64 && (nr & 0x40000000)) {
		token = SCMP_ARCH_X32;
		abi = "x32 ";
	} else if (arch != AUDIT_ARCH_X86_64) {
		snprintf(buf, len, "foreign-ABI system call %llu", (unsigned long long)nr);
		return;
	}
	char *name = nr < 0x80000000ULL ? seccomp_syscall_resolve_num_arch(token, (int)nr) : NULL;
	if (name)
		snprintf(buf, len, "%s%s", abi, name);
	else
		snprintf(buf, len, "%ssystem call %llu", abi, (unsigned long long)nr);
	free(name);
}
