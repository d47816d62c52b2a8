/*
 * The isolation layers besides seccomp and the tracer: Landlock file,
 * network and scope rules, the network and IPC namespaces, capabilities,
 * no_new_privs and the unprivileged user; and the start-up detection of
 * which of them this kernel and these privileges allow.
 *
 * Everything that costs a path lookup or a namespace is prepared once in
 * the supervisor: the namespaces are made at configuration (a helper
 * process unshares them and the judge keeps descriptors to them, so each
 * child only joins), and a policy's Landlock paths are opened (O_PATH)
 * when the policy is compiled. Each child then builds its ruleset from
 * those descriptors plus its own /proc/self entries, which cannot be
 * named before the fork, and restricts itself. The child side uses
 * system calls only: it runs between fork and exec.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/landlock.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/common.h"
#include "sandbox/internal.h"

/* Debian 12's linux/landlock.h stops at ABI 2; the later ABIs' values. */
/* RLIMIT_NPROC of the sandbox user, all its tasks together. A backstop
 * only: the tracer's count bounds each program (at most 128 tasks, a JVM),
 * so 32 programs at their limit fit in parallel gradings, while a tracer
 * that missed every task could still take only an eighth of the default
 * pid space (32768) from the machine. */
#define SBX_USER_TASKS 4096

#define LL_FS_TRUNCATE	       (1ULL << 14) /* ABI 3 */
#define LL_FS_IOCTL_DEV	       (1ULL << 15) /* ABI 5 */
#define LL_NET_BIND_TCP	       (1ULL << 0)  /* ABI 4 */
#define LL_NET_CONNECT_TCP     (1ULL << 1)
#define LL_SCOPE_ABSTRACT_UNIX (1ULL << 0) /* ABI 6 */
#define LL_SCOPE_SIGNAL	       (1ULL << 1)

/* The ruleset attribute as of ABI 6; older kernels take a prefix. */
struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

#define LL_FILE_RIGHTS                                                                             \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |                              \
	 LANDLOCK_ACCESS_FS_READ_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV)
#define LL_READ (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
/* The ELF interpreter of every x86-64 program, fixed by the ABI: the
 * kernel opens it for execution when it starts a dynamically linked
 * program, so Landlock must let it be executed, but it is no program a
 * policy lists (the tracer refuses an execve of it) */
#define X86_64_LOADER "/lib64/ld-linux-x86-64.so.2"
#define LL_WRITE                                                                                   \
	(LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |                           \
	 LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_DIR |                            \
	 LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SYM | LANDLOCK_ACCESS_FS_REFER |    \
	 LL_FS_TRUNCATE)

static struct {
	bool detected;
	struct sbx_settings settings;
	int cpus[CPU_SETSIZE];
	bool root;
	int landlock_abi;
	uint64_t ll_fs; /* handled rights on this kernel */
	size_t ll_attr_size;
	int netns, ipcns; /* descriptors of the prepared namespaces, -1 none */
	dev_t ns_dev[2];  /* what they were, to notice a descriptor closed */
	ino_t ns_ino[2];  /* and its number reused by someone else */
	cap_t no_caps;
	int cap_last;
	char layers[512];
	char missing[256];
} st = {.netns = -1, .ipcns = -1};

int sbx_landlock_abi(void)
{
	return st.landlock_abi;
}

const struct sbx_settings *sbx_current_settings(void)
{
	return &st.settings;
}

/* Makes an empty network and IPC namespace that every child joins: made
 * once because a new network namespace costs far more than joining one. */
static void make_namespaces(void)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		char ok = unshare(CLONE_NEWNET | CLONE_NEWIPC) == 0 ? 'y' : 'n';
		(void)!write(p[1], &ok, 1);
		pause();
		_exit(0);
	}
	close(p[1]);
	char ok = 'n';
	if (pid > 0 && read(p[0], &ok, 1) == 1 && ok == 'y') {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
		st.netns = open(path, O_RDONLY | O_CLOEXEC);
		snprintf(path, sizeof(path), "/proc/%d/ns/ipc", pid);
		st.ipcns = open(path, O_RDONLY | O_CLOEXEC);
		int fds[2] = {st.netns, st.ipcns};
		for (int i = 0; i < 2; i++) {
			struct stat sb;
			if (fds[i] >= 0 && fstat(fds[i], &sb) == 0) {
				st.ns_dev[i] = sb.st_dev;
				st.ns_ino[i] = sb.st_ino;
			}
		}
	}
	close(p[0]);
	if (pid > 0) {
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
}

static void detect_landlock(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	st.landlock_abi = abi > 0 ? (int)abi : 0;
	if (!st.landlock_abi)
		return;
	st.ll_fs = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1; /* ABI 1 */
	if (st.landlock_abi >= 2)
		st.ll_fs |= LANDLOCK_ACCESS_FS_REFER;
	if (st.landlock_abi >= 3)
		st.ll_fs |= LL_FS_TRUNCATE;
	if (st.landlock_abi >= 5)
		st.ll_fs |= LL_FS_IOCTL_DEV;
	st.ll_attr_size = st.landlock_abi >= 6	 ? sizeof(struct ll_ruleset_attr)
			  : st.landlock_abi >= 4 ? 2 * sizeof(uint64_t)
						 : sizeof(uint64_t);
}

static void describe(void)
{
	struct strbuf on = STRBUF_INIT, off = STRBUF_INIT;
	sb_adds(&on, "ptrace, seccomp");
	if (st.landlock_abi) {
		sb_addf(&on, ", landlock abi %d (files", st.landlock_abi);
		if (st.landlock_abi >= 4)
			sb_adds(&on, ", tcp");
		if (st.landlock_abi >= 6)
			sb_adds(&on, ", signals, abstract sockets");
		sb_adds(&on, ")");
	} else {
		sb_adds(&off,
			st.settings.no_landlock
			    ? "landlock (turned off)"
			    : "landlock (the kernel has none: file rules by the tracer only)");
	}
	sb_adds(&on, ", no_new_privs, capabilities dropped");
	if (st.root && st.settings.uid) {
		struct passwd *pw = getpwuid(st.settings.uid);
		sb_addf(&on, ", user %s (%d)", pw ? pw->pw_name : "?", (int)st.settings.uid);
	} else {
		sb_addf(&off, "%sunprivileged user (%s)", off.len ? "; " : "",
			st.root ? "no sandbox_user set" : "the judge is not root");
	}
	if (st.netns >= 0)
		sb_adds(&on, ", network namespace");
	if (st.ipcns >= 0)
		sb_adds(&on, ", ipc namespace");
	if (st.netns < 0 || st.ipcns < 0)
		sb_addf(&off, "%snetwork and ipc namespaces (%s)", off.len ? "; " : "",
			st.root ? "unshare failed" : "need root");
	sb_adds(&on, ", rlimits, new session");
	snprintf(st.layers, sizeof(st.layers), "%s", on.buf);
	snprintf(st.missing, sizeof(st.missing), "%s", off.buf ? off.buf : "");
	sb_free(&on);
	sb_free(&off);
}

static void detect(void)
{
	if (st.detected)
		return;
	st.detected = true;
	st.root = geteuid() == 0;
	st.landlock_abi = 0;
	if (!st.settings.no_landlock)
		detect_landlock();
	if (st.root)
		make_namespaces();
	st.no_caps = cap_init();
	if (!st.no_caps)
		die(1, "cap_init: %s", strerror(errno));
	st.cap_last = (int)cap_max_bits() - 1;
	describe();
}

void sbx_configure(const struct sbx_settings *s)
{
	st.settings = *s;
	if (s->ncpus > ARRAY_LEN(st.cpus))
		st.settings.ncpus = ARRAY_LEN(st.cpus);
	for (size_t i = 0; i < st.settings.ncpus; i++)
		st.cpus[i] = s->cpus[i];
	st.settings.cpus = st.cpus;
	st.detected = false;
	if (st.netns >= 0)
		close(st.netns);
	if (st.ipcns >= 0)
		close(st.ipcns);
	st.netns = st.ipcns = -1;
	if (st.no_caps)
		cap_free(st.no_caps);
	st.no_caps = NULL;
	detect();
}

const char *sbx_layers(void)
{
	detect();
	return st.layers;
}

size_t sbx_descriptors(int *fds, size_t max)
{
	size_t n = 0;
	detect();
	if (st.netns >= 0 && n < max)
		fds[n++] = st.netns;
	if (st.ipcns >= 0 && n < max)
		fds[n++] = st.ipcns;
	return n;
}

/* Still the namespaces made at start? A process that closed every
 * descriptor (a worker) may have its own file under the same number. */
static bool namespaces_intact(void)
{
	int fds[2] = {st.netns, st.ipcns};
	for (int i = 0; i < 2; i++) {
		struct stat sb;
		if (fds[i] < 0)
			continue;
		if (fstat(fds[i], &sb) < 0 || sb.st_dev != st.ns_dev[i] ||
		    sb.st_ino != st.ns_ino[i])
			return false;
	}
	return true;
}

void sbx_check_layers(void)
{
	detect();
	if (namespaces_intact())
		return;
	/* descriptors closed under us: make the namespaces again rather than
	 * join whatever the numbers now are */
	log_warn("sandbox: the namespace descriptors were closed in process %d; making new ones "
		 "(keep sbx_descriptors() open)",
		 (int)getpid());
	st.netns = st.ipcns = -1;
	make_namespaces();
}

const char *sbx_layers_missing(void)
{
	detect();
	return st.missing;
}

void sbx_compiled_free(struct sbx_compiled *c)
{
	if (!c)
		return;
	for (int i = 0; i < 2; i++)
		free(c->bpf[i].filter);
	for (size_t i = 0; i < c->nfds; i++)
		if (c->fds[i] >= 0)
			close(c->fds[i]);
	free(c->fds);
	free(c->access);
	for (size_t i = 0; i < c->nself; i++)
		free(c->self[i]);
	free(c->self);
	free(c->self_access);
	free(c);
}

static uint64_t rule_access(const struct policy_rule *r)
{
	uint64_t a = r->kind == SBX_DIR ? LANDLOCK_ACCESS_FS_READ_DIR : LL_READ;
	if (r->exec && r->kind != SBX_DIR)
		a |= LANDLOCK_ACCESS_FS_EXECUTE;
	if (r->write)
		a |= r->kind == SBX_DIR ? 0 : LL_WRITE;
	if (r->kind == SBX_FILE)
		a &= LL_FILE_RIGHTS;
	return a & st.ll_fs;
}

void sbx_landlock_prepare(const struct sbx_policy *p, struct sbx_compiled *c)
{
	detect();
	if (!st.landlock_abi)
		return;
	c->fds = xcalloc(p->nrules + 1, sizeof(*c->fds));
	c->access = xcalloc(p->nrules + 1, sizeof(*c->access));
	c->self = xcalloc(p->nrules ? p->nrules : 1, sizeof(*c->self));
	c->self_access = xcalloc(p->nrules ? p->nrules : 1, sizeof(*c->self_access));
	for (size_t i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];
		uint64_t a = rule_access(r);
		if (!strncmp(r->path, "/proc/self/", 11)) {
			c->self[c->nself] = xstrdup(r->path);
			c->self_access[c->nself++] = a;
			continue;
		}
		int fd = open(r->path, O_PATH | O_CLOEXEC);
		struct stat sb;
		if (fd < 0)
			continue; /* a runtime folder this machine lacks */
		if (fstat(fd, &sb) == 0 && !S_ISDIR(sb.st_mode))
			a &= LL_FILE_RIGHTS;
		c->fds[c->nfds] = fd;
		c->access[c->nfds++] = a;
	}
	int fd = open(X86_64_LOADER, O_PATH | O_CLOEXEC);
	if (fd >= 0) {
		c->fds[c->nfds] = fd;
		c->access[c->nfds++] =
		    (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_EXECUTE) & st.ll_fs;
	}
}

/* ---- in the child, between fork and exec: system calls only ---- */

int sbx_child_namespaces(void)
{
	if (st.netns >= 0 && setns(st.netns, CLONE_NEWNET) < 0)
		return -1;
	if (st.ipcns >= 0 && setns(st.ipcns, CLONE_NEWIPC) < 0)
		return -1;
	return 0;
}

static int add_path_rule(int ruleset, int fd, uint64_t access)
{
	struct landlock_path_beneath_attr pb = {.allowed_access = access, .parent_fd = fd};
	if (!access)
		return 0;
	return (int)syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
}

int sbx_child_landlock(const struct sbx_compiled *c)
{
	if (!st.landlock_abi)
		return 0;
	struct ll_ruleset_attr attr = {
	    .handled_access_fs = st.ll_fs,
	    /* nothing granted: no TCP bind or connect at all */
	    .handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP,
	    .scoped = LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL,
	};
	int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, st.ll_attr_size, 0);
	if (rs < 0)
		return -1;
	int ret = -1;
	for (size_t i = 0; i < c->nfds; i++)
		if (add_path_rule(rs, c->fds[i], c->access[i]) < 0)
			goto out;
	for (size_t i = 0; i < c->nself; i++) {
		/* this process's own entries; magic links (exe, cwd) are
		 * checked through their targets, so they need no rule */
		int fd = open(c->self[i], O_PATH | O_NOFOLLOW | O_CLOEXEC);
		struct stat sb;
		if (fd < 0)
			continue;
		int rc = 0;
		if (fstat(fd, &sb) == 0 && !S_ISLNK(sb.st_mode))
			rc =
			    add_path_rule(rs, fd,
					  S_ISDIR(sb.st_mode) ? c->self_access[i]
							      : c->self_access[i] & LL_FILE_RIGHTS);
		close(fd);
		if (rc < 0)
			goto out;
	}
	ret = (int)syscall(SYS_landlock_restrict_self, rs, 0);
out:
	close(rs);
	return ret < 0 ? -1 : 0;
}

int sbx_child_identity(void)
{
	if (st.root && st.settings.uid) {
		/* nothing gained by exec later, and the bounding set empty
		 * before the user changes (dropping it needs CAP_SETPCAP) */
		for (int cap = 0; cap <= st.cap_last; cap++)
			if (cap_drop_bound((cap_value_t)cap) < 0 && errno != EINVAL)
				return -1;
		/* the kernel's backstop behind the tracer's count: root is
		 * never bound by RLIMIT_NPROC, the sandbox user is, over all
		 * its tasks (threads too) of every grading at once */
		struct rlimit nproc = {SBX_USER_TASKS, SBX_USER_TASKS};
		if (setrlimit(RLIMIT_NPROC, &nproc) < 0)
			return -1;
		gid_t gid = st.settings.gid ? st.settings.gid : 65534; /* nogroup */
		if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 ||
		    setresuid(st.settings.uid, st.settings.uid, st.settings.uid) < 0)
			return -1;
	}
	if (cap_set_proc(st.no_caps) < 0)
		return -1;
	if (st.root && cap_reset_ambient() < 0)
		return -1;
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

/* One folder being taken back: the names of its subfolders, and which
 * is next. */
struct reclaim_level {
	char **dirs;
	size_t n, next;
};

/* Gives every entry of the folder fd to uid:gid (links themselves, not
 * what they point to) and lists its subfolders into lv. */
static int reclaim_entries(int fd, uid_t uid, gid_t gid, struct reclaim_level *lv)
{
	memset(lv, 0, sizeof(*lv));
	int dfd = dup(fd);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	size_t cap = 0;
	int ret = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fchownat(fd, e->d_name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0) {
			ret = -1;
			break;
		}
		struct stat sb;
		bool dir =
		    e->d_type == DT_DIR ||
		    (e->d_type == DT_UNKNOWN &&
		     fstatat(fd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(sb.st_mode));
		if (dir) {
			XGROW(lv->dirs, cap, lv->n + 1);
			lv->dirs[lv->n++] = xstrdup(e->d_name);
		}
	}
	closedir(d);
	return ret;
}

static void reclaim_level_free(struct reclaim_level *lv)
{
	for (size_t i = 0; i < lv->n; i++)
		free(lv->dirs[i]);
	free(lv->dirs);
}

/* Takes a folder and everything in it back, by descriptor: a compile may
 * leave a tree deeper than PATH_MAX, which no full path reaches, and
 * deeper than the descriptors the judge may hold, so one descriptor is
 * open at a time (the walk goes back up through ".."; nothing of the
 * sandbox user runs any more, so the tree holds still). */
static int reclaim_tree(const char *dir, uid_t uid, gid_t gid)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fchown(fd, uid, gid) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	struct reclaim_level *stack = NULL;
	size_t depth = 0, cap = 0;
	int ret = -1;
	XGROW(stack, cap, 1);
	depth = 1;
	if (reclaim_entries(fd, uid, gid, &stack[0]) < 0)
		goto out;
	while (depth) {
		struct reclaim_level *lv = &stack[depth - 1];
		int next;
		if (lv->next < lv->n) {
			next = openat(fd, lv->dirs[lv->next++],
				      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (next < 0)
				goto out;
			close(fd);
			fd = next;
			XGROW(stack, cap, depth + 1);
			if (reclaim_entries(fd, uid, gid, &stack[depth++]) < 0)
				goto out;
			continue;
		}
		reclaim_level_free(lv);
		if (--depth == 0)
			break;
		next = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (next < 0)
			goto out;
		close(fd);
		fd = next;
	}
	ret = 0;
out:
	for (size_t i = 0; i < depth; i++)
		reclaim_level_free(&stack[i]);
	free(stack);
	close(fd);
	return ret;
}

int sbx_share_dir(const char *dir, bool writable, char *err, size_t errlen)
{
	detect();
	if (!st.root || !st.settings.uid)
		return 0;
	if (writable) {
		/* a folder the user cannot reach fails later in confusing ways
		 * (gcc: "cannot create temporary file in /tmp/") */
		char *up = xstrdup(dir);
		for (char *slash = strrchr(up, '/'); slash && slash != up;
		     slash = strrchr(up, '/')) {
			struct stat sb;
			*slash = '\0';
			if (stat(up, &sb) < 0 || !(sb.st_mode & S_IXOTH)) {
				errf(
				    err, errlen,
				    "folder %s is not searchable by the sandbox user (uid %d): the "
				    "judge's tempdir must be (chmod o+x)",
				    up, (int)st.settings.uid);
				free(up);
				return -1;
			}
		}
		free(up);
		gid_t gid = st.settings.gid ? st.settings.gid : 65534;
		if (chown(dir, st.settings.uid, gid) < 0 || chmod(dir, 0755) < 0)
			return errf(err, errlen, "cannot give %s to the sandbox user: %s", dir,
				    strerror(errno));
		return 0;
	}
	if (reclaim_tree(dir, geteuid(), getegid()) < 0)
		return errf(err, errlen, "cannot take %s back from the sandbox user: %s", dir,
			    strerror(errno));
	return 0;
}
