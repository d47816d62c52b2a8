/*
 * What every language shares: writing sources, running a compiler in the
 * sandbox and capturing its messages, the environment programs get, and
 * the sandbox description of a run.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "executors/internal.h"

/* What any dynamically linked program reads. */
const struct sbx_fs_rule executor_base_rules[] = {
    {SBX_TREE, "/lib", false},
    {SBX_TREE, "/lib64", false},
    {SBX_TREE, "/usr/lib", false},
    {SBX_TREE, "/usr/lib64", false},
    {SBX_TREE, "/usr/share/zoneinfo", false},
    {SBX_TREE, "/usr/lib/locale", false},
    {SBX_FILE, "/etc/ld.so.cache", false},
    {SBX_FILE, "/etc/ld.so.preload", false},
    {SBX_FILE, "/etc/localtime", false},
    {SBX_FILE, "/dev/null", true},
    {SBX_FILE, "/dev/zero", false},
    {SBX_FILE, "/dev/urandom", false},
    {SBX_FILE, "/dev/random", false},
    {SBX_FILE, "/proc/self/maps", false},
    {SBX_FILE, "/proc/self/exe", false},
    {SBX_FILE, "/proc/self/stat", false},
    {SBX_FILE, "/proc/self/status", false},
    {SBX_FILE, "/proc/meminfo", false},
    {SBX_FILE, "/proc/stat", false},
    {SBX_FILE, "/proc/cpuinfo", false},
    {SBX_FILE, "/sys/devices/system/cpu/online", false},
    {SBX_FILE, "/sys/devices/system/cpu/possible", false},
};
const size_t executor_base_rules_count = ARRAY_LEN(executor_base_rules);

/* What any program may call without asking. The sandbox stops the calls
 * that name files, signal or start tasks at its tracer; everything not
 * listed here (sockets, namespaces, mount, ptrace, bpf...) kills the
 * program and names the call. */
const char *const executor_base_syscalls[] = {
    /* descriptors it already has */
    "read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev", "lseek",
    "close", "fstat", "dup", "dup2", "dup3", "fcntl", "ioctl", "poll", "ppoll", "select",
    "pselect6", "getdents64", "ftruncate", "fsync", "fdatasync",
    /* files, checked by the tracer against the policy (so creating or
     * removing one fails with EACCES rather than killing) */
    "open", "openat", "creat", "stat", "lstat", "newfstatat", "statx", "access", "faccessat",
    "faccessat2", "readlink", "readlinkat", "chdir", "fchdir", "mkdir", "mkdirat", "rmdir",
    "unlink", "unlinkat", "rename", "renameat", "renameat2", "link", "linkat", "symlink",
    "symlinkat", "truncate", "chmod", "fchmodat", "utimensat",
    /* memory */
    "mmap", "mprotect", "munmap", "brk", "mremap", "madvise", "msync", "mincore",
    /* signals, its own (kill and tgkill are checked by the tracer) */
    "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait",
    "sigaltstack", "pause", "kill", "tkill", "tgkill", "restart_syscall",
    /* who and where it is */
    "getpid", "gettid", "getppid", "getuid", "geteuid", "getgid", "getegid", "getgroups",
    "getresuid", "getresgid", "getpgrp", "getpgid", "getsid", "uname", "getcwd", "sysinfo", "umask",
    /* the C library's start-up and threads */
    "arch_prctl", "set_tid_address", "set_robust_list", "get_robust_list", "rseq", "futex",
    "getrandom", "sched_yield", "sched_getaffinity", "sched_getparam", "sched_getscheduler",
    "membarrier", "exit", "exit_group",
    /* time and limits */
    "clock_gettime", "clock_getres", "gettimeofday", "time", "nanosleep", "clock_nanosleep",
    "prlimit64", "getrlimit", "getrusage", "times"};
const size_t executor_base_syscalls_count = ARRAY_LEN(executor_base_syscalls);

/* Compilers read the whole toolchain and write only into their working
 * folder (added per compile). */
/* gcc's driver and what it runs: the compiler proper (cc1, cc1plus, f951,
 * gnat1), collect2, lto-wrapper and lto1 under /usr/lib/gcc, the assembler
 * and the linker; GNAT's binder and linker; the driver also as cobc and
 * gnatlink call it. Symbolic links are resolved when the policy is
 * compiled, so the versioned files are what is allowed. */
const struct sbx_fs_rule executor_toolchain_exec[] = {
    {SBX_TREE, "/usr/lib/gcc", false},	    {SBX_TREE, "/usr/libexec/gcc", false},
    {SBX_FILE, "/usr/bin/gcc", false},	    {SBX_FILE, "/usr/bin/cc", false},
    {SBX_FILE, "/usr/bin/as", false},	    {SBX_FILE, "/usr/bin/ld", false},
    {SBX_FILE, "/usr/bin/ld.bfd", false},   {SBX_FILE, "/usr/bin/ld.gold", false},
    {SBX_FILE, "/usr/bin/gnatbind", false}, {SBX_FILE, "/usr/bin/gnatlink", false},
};
const size_t executor_toolchain_exec_count = ARRAY_LEN(executor_toolchain_exec);

static void add_exec_rules(struct sbx_policy *p, const struct sbx_fs_rule *rules, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sbx_policy_add_exec(p, rules[i].kind, rules[i].path);
}

static const struct sbx_fs_rule compile_rules[] = {
    {SBX_TREE, "/usr", false},
    {SBX_TREE, "/lib", false},
    {SBX_TREE, "/lib64", false},
    {SBX_FILE, "/etc/ld.so.cache", false},
    {SBX_FILE, "/etc/ld.so.preload", false},
    {SBX_FILE, "/etc/localtime", false},
    {SBX_FILE, "/etc/locale.alias", false},
    {SBX_FILE, "/dev/null", true},
    {SBX_FILE, "/dev/zero", false},
    {SBX_FILE, "/dev/urandom", false},
    {SBX_FILE, "/proc/self/maps", false},
    {SBX_FILE, "/proc/self/exe", false},
    {SBX_FILE, "/proc/self/stat", false},
    {SBX_FILE, "/proc/self/status", false},
    {SBX_FILE, "/proc/meminfo", false},
    {SBX_FILE, "/proc/cpuinfo", false},
    {SBX_FILE, "/proc/stat", false},
    {SBX_TREE, "/sys/devices/system/cpu", false},
};

/* Beyond the base set: the driver starts the compiler proper, the
 * assembler and the linker, and they make and rename files; javac's JVM
 * names its threads (prctl PR_SET_NAME only) and makes a connected pair
 * of local sockets to interrupt its own blocking reads (socketpair: no
 * address, nothing outside to reach). */
static const char *const compile_syscalls[] = {
    "pipe",	 "pipe2",     "wait4",	   "waitid",  "execve",	     "fchmod",
    "fallocate", "fadvise64", "statfs",	   "fstatfs", "getpriority", "copy_file_range",
    "sendfile",	 "getxattr",  "lgetxattr", "prctl",   "socketpair"};

/* Probes a compiler makes and copes with when they fail: the C library
 * asks nscd for the user's name over a local socket (javac looks it up),
 * and javac checks whether IPv6 is available. */
static const char *const compile_refused[] = {"socket"};

/* Processes and threads of one compile. */
#define COMPILE_TASKS 64
/* Address space of a compiler: far beyond what a sane compile needs, far
 * below what would hurt the machine. */
#define COMPILE_ADDRESS_SPACE_KIB ((uint64_t)4 << 20)

char *executor_stem(const char *code)
{
	if (!code || strlen(code) > 64 || code[0] == '.' || code[0] == '-' ||
	    !str_plain(code, strlen(code), "_-"))
		return xstrdup("submission");
	return xstrdup(code);
}

static bool safe_name(const char *n)
{
	return n && *n && !strchr(n, '/') && strcmp(n, ".") && strcmp(n, "..");
}

int executor_write_sources(const struct executor *e, const struct compile_request *req,
			   const char *main_name, char *err, size_t errlen)
{
	char *path = path_join(req->dir, main_name);
	int ret = write_file(path, req->source, req->len, 0644, err, errlen);
	free(path);
	for (size_t i = 0; ret == 0 && i < req->nextra; i++) {
		if (!safe_name(req->extra[i].name))
			return errf(err, errlen, "source file name %s is not a plain file name",
				    req->extra[i].name ? req->extra[i].name : "(null)");
		path = path_join(req->dir, req->extra[i].name);
		ret = write_file(path, req->extra[i].data, req->extra[i].len, 0644, err, errlen);
		free(path);
	}
	return ret;
}

int executor_prepare_native(const struct executor *e, const struct compile_request *req,
			    native_compile_fn compile, struct program *out, char *err,
			    size_t errlen)
{
	char *stem = executor_stem(req->name);
	char *src = xasprintf("%s.%s", stem, e->def->ext);
	int ret = PREPARE_INTERNAL;
	if (executor_write_sources(e, req, src, err, errlen) < 0)
		goto out;
	out->path = path_join(req->dir, stem);
	if (req->binary)
		ret = copy_file(req->binary, out->path, 0755, err, errlen) < 0 ? PREPARE_INTERNAL
									       : PREPARE_OK;
	else
		ret = compile(e, req, src, out, err, errlen);
	if (ret == PREPARE_OK) {
		out->argv = strv_new(stem, NULL);
		out->envp = executor_run_env(e, req->dir, req->unbuffered);
	}
out:
	free(src);
	free(stem);
	return ret;
}

char **executor_run_env(const struct executor *e, const char *dir, bool unbuffered)
{
	char *home = xasprintf("HOME=%s", dir);
	char *tmp = xasprintf("TMPDIR=%s", dir);
	char **env = strv_new("PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", home, tmp,
			      unbuffered ? "PYTHONUNBUFFERED=1" : NULL, NULL);
	free(home);
	free(tmp);
	return env;
}

/* Compiler output past the configured limit is cut, with a note, rather
 * than replaced: the first errors are the useful ones. */
char *executor_read_log(int fd, long limit)
{
	const char *data;
	size_t len;
	char err[ERR_SIZE];
	if (map_fd(fd, &data, &len, err, sizeof(err)) < 0)
		return xasprintf("(compiler output unreadable: %s)", err);
	bool cut = limit > 0 && len > (size_t)limit;
	size_t keep = cut ? (size_t)limit : len;
	char *fixed = utf8_repair(data, keep);
	unmap_fd(data, len);
	if (!cut)
		return fixed;
	char *r = xasprintf("%s\n[compiler output cut at %ld characters]\n", fixed, limit);
	free(fixed);
	return r;
}

static struct sbx_policy *compile_policy(const struct executor *e, const char *dir)
{
	struct sbx_policy *p = sbx_policy_new("compiler");
	sbx_policy_add_rules(p, compile_rules, ARRAY_LEN(compile_rules));
	/* a toolchain installed elsewhere (/opt/gcc-14/bin/gcc): its prefix */
	char *prefix = xstrdup(e->realpath);
	for (int i = 0; i < 2; i++) {
		char *slash = strrchr(prefix, '/');
		if (slash && slash != prefix)
			*slash = '\0';
	}
	sbx_policy_add(p, SBX_TREE, prefix, false);
	free(prefix);
	const struct family_ops *ops = e->def->ops;
	/* what the compile may run: the compiler and its own toolchain, not
	 * whatever it may read (GNAT's -wrapper would run any of those) */
	sbx_policy_add_exec(p, SBX_FILE, e->realpath);
	if (ops->native_toolchain)
		add_exec_rules(p, executor_toolchain_exec, executor_toolchain_exec_count);
	add_exec_rules(p, ops->compile_exec, ops->ncompile_exec);
	if (ops->compile_rules)
		sbx_policy_add_rules(p, ops->compile_rules, ops->ncompile_rules);
	if (ops->runtime_rules)
		ops->runtime_rules(e, p, true);
	sbx_policy_add(p, SBX_TREE, dir, true);
	sbx_policy_allow_syscalls(p, executor_base_syscalls, executor_base_syscalls_count);
	sbx_policy_allow_syscalls(p, compile_syscalls, ARRAY_LEN(compile_syscalls));
	sbx_policy_refuse_syscalls(p, compile_refused, ARRAY_LEN(compile_refused));
	sbx_policy_set_threads(p, COMPILE_TASKS);
	sbx_policy_set_processes(p, true, true);
	return p;
}

int executor_run_compiler(const struct executor *e, char *const *argv, const char *dir,
			  double time_limit, struct program *out, char *err, size_t errlen)
{
	const struct exec_settings *s = e->settings;
	double limit = time_limit > 0 ? time_limit : s->compiler_time_limit;
	if (sbx_share_dir(dir, true, err, errlen) < 0)
		return PREPARE_INTERNAL;
	int fd = memfd_create("compiler-output", MFD_CLOEXEC);
	if (fd < 0) {
		errf(err, errlen, "memfd_create: %s", strerror(errno));
		sbx_share_dir(dir, false, NULL, 0);
		return PREPARE_INTERNAL;
	}
	char *tmp = xasprintf("TMPDIR=%s", dir);
	char *home = xasprintf("HOME=%s", dir);
	char **env = strv_new("PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", "TERM=xterm",
			      tmp, home, NULL);
	free(tmp);
	free(home);
	struct sbx_spec spec = {0};
	spec.path = argv[0];
	spec.argv = argv;
	spec.envp = env;
	spec.cwd = dir;
	spec.stdin_fd = -1;
	spec.stdout_fd = fd;
	spec.stderr_fd = fd;
	spec.limits.cpu = limit;
	spec.limits.wall = limit * 3;
	spec.limits.output_bytes = (uint64_t)128 << 20;
	spec.limits.open_files = 256;
	spec.limits.stack_kib = 64 << 10;
	spec.limits.address_space_kib =
	    e->def->ops->compile_unlimited_address_space ? 0 : COMPILE_ADDRESS_SPACE_KIB;
	/* a JVM compiler (no address-space limit) is watched while it runs
	 * and killed once over, as Java programs are; the others are also
	 * judged by their peak. 0 (settings made by hand): the default */
	spec.limits.memory_kib =
	    s->compiler_memory_limit > 0 ? (uint64_t)s->compiler_memory_limit : 1048576;
	struct sbx_policy *policy = compile_policy(e, dir);
	spec.policy = policy;
	struct sbx_result res;
	double t0 = mono_now();
	int rc = sbx_run(&spec, &res, 1, err, errlen);
	out->compile_time = mono_now() - t0;
	strv_free(env);
	sbx_policy_free(policy);
	/* what the compiler made is the judge's again before anything runs */
	char back[512];
	if (sbx_share_dir(dir, false, back, sizeof(back)) < 0 && rc == 0) {
		snprintf(err, errlen, "%s", back);
		rc = -1;
	}
	if (rc < 0) {
		close(fd);
		return PREPARE_INTERNAL;
	}
	out->compile_log = executor_read_log(fd, s->compiler_output_limit);
	close(fd);
	if (res.tle) {
		free(out->compile_log);
		out->compile_log = xasprintf("compiler timed out (> %g seconds)", limit);
		return PREPARE_COMPILE_ERROR;
	}
	if (res.ole) {
		free(out->compile_log);
		out->compile_log = xstrdup("compiler output too large");
		return PREPARE_COMPILE_ERROR;
	}
	if (res.mle) {
		free(out->compile_log);
		out->compile_log = xasprintf("compiler used too much memory (> %llu KiB)",
					     (unsigned long long)spec.limits.memory_kib);
		return PREPARE_COMPILE_ERROR;
	}
	if (res.denied) {
		free(out->compile_log);
		out->compile_log = xasprintf("compiler stopped by the sandbox: %s", res.feedback);
		return PREPARE_COMPILE_ERROR;
	}
	if (!res.exited || res.exit_code != 0) {
		if (!out->compile_log[0]) {
			free(out->compile_log);
			out->compile_log = res.signal
					       ? xasprintf("compiler killed by signal %d (%s)",
							   res.signal, strsignal(res.signal))
					       : xstrdup("compiler exited abnormally");
		}
		return PREPARE_COMPILE_ERROR;
	}
	return PREPARE_OK;
}

int executor_prepare(const struct executor *e, const struct compile_request *req,
		     struct program *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	out->exe = e;
	out->dir = xstrdup(req->dir);
	out->address_grace_kib = e->def->address_grace_kib;
	int ret = e->def->ops->prepare(e, req, out, err, errlen);
	if (!out->compile_log)
		out->compile_log = xstrdup("");
	if (ret == PREPARE_OK) {
		out->policy = sbx_policy_copy(e->run_policy);
		sbx_policy_add(out->policy, SBX_TREE, req->dir, false);
		/* the program itself: a compiled binary, or the runtime */
		sbx_policy_add_exec(out->policy, SBX_FILE, out->path);
	}
	return ret;
}

void program_free(struct program *p)
{
	if (!p)
		return;
	free(p->dir);
	free(p->path);
	strv_free(p->argv);
	strv_free(p->envp);
	sbx_policy_free(p->policy);
	free(p->compile_log);
	memset(p, 0, sizeof(*p));
}

void program_spec(const struct program *p, double time, uint64_t memory_kib, double wall_factor,
		  uint64_t output_limit, struct sbx_spec *spec)
{
	memset(spec, 0, sizeof(*spec));
	if (p->memory_arg > 0 && p->exe->def->ops->memory_arg)
		p->exe->def->ops->memory_arg(p->argv[p->memory_arg], PROGRAM_MEMORY_ARG,
					     memory_kib);
	spec->path = p->path;
	spec->argv = p->argv;
	spec->envp = p->envp;
	spec->cwd = p->dir;
	spec->stdin_fd = spec->stdout_fd = spec->stderr_fd = -1;
	spec->limits.cpu = time;
	spec->limits.wall = time * (wall_factor > 0 ? wall_factor : 3);
	spec->limits.memory_kib = memory_kib;
	if (memory_kib && p->address_grace_kib)
		spec->limits.address_space_kib = memory_kib + p->address_grace_kib;
	spec->limits.output_bytes = output_limit;
	spec->policy = p->policy;
}

/* How much of the end of stderr a runtime's feedback parser sees by
 * default: a traceback's last lines, not megabytes a program printed. */
#define FEEDBACK_TAIL 4096

const char *executor_last_match(const char *text, size_t len, const char *marker)
{
	size_t m = strlen(marker);
	const char *last = NULL;
	for (const char *p = text; (p = memmem(p, len - (size_t)(p - text), marker, m)); p++)
		last = p;
	return last;
}

void executor_feedback(const struct executor *e, const char *text, size_t len, char *buf,
		       size_t buflen)
{
	buf[0] = '\0';
	size_t tail = e->def->ops->feedback_tail ? e->def->ops->feedback_tail : FEEDBACK_TAIL;
	if (len > tail) {
		text += len - tail;
		len = tail;
	}
	if (e->def->ops->feedback)
		e->def->ops->feedback(text, len, buf, buflen);
}

bool executor_feedback_is_memory(const char *f)
{
	/* only the JVM's: it enforces the heap limit the judge gave it
	 * (-Xmx) itself, where no mapping is refused for the sandbox to see.
	 * std::bad_alloc and MemoryError follow a refused mapping the
	 * sandbox notes (sbx_result.mle); their text alone is any program's
	 * to print, and only names the exception */
	return !strcmp(f, "java.lang.OutOfMemoryError");
}
