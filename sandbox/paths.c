/*
 * The tracer's view of a path a sandboxed call names: read from the
 * child's memory and resolved the way the kernel will resolve it.
 *
 * The walk is done here component by component (lstat and readlink)
 * rather than with realpath(3) because the answer must be the object the
 * call will reach: a final symlink is followed or not as the call says, a
 * dangling one leads to where O_CREAT would create, "/proc/self" means the
 * child's folder and not the tracer's, and a magic link in /proc that does
 * not name a path (a pipe, a deleted file) cannot be checked at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "common/common.h"
#include "sandbox/internal.h"

/* the kernel's limit on symlinks followed in one lookup */
#define MAX_LINKS 40

int sbx_read_string(pid_t tid, uint64_t addr, char *buf, size_t len)
{
	size_t got = 0;
	long page = sysconf(_SC_PAGESIZE);
	if (!addr)
		return EFAULT;
	while (got < len) {
		/* never cross a page in one read: the next may be unmapped
		 * while the string ends before it */
		size_t chunk = (size_t)page - (size_t)((addr + got) % (uint64_t)page);
		if (chunk > len - got)
			chunk = len - got;
		struct iovec local = {buf + got, chunk};
		struct iovec remote = {(void *)(uintptr_t)(addr + got), chunk};
		ssize_t n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
		if (n <= 0)
			return EFAULT;
		char *nul = memchr(buf + got, '\0', (size_t)n);
		if (nul)
			return 0;
		got += (size_t)n;
	}
	return ENAMETOOLONG;
}

/* Where dirfd (or the working folder) of the thread points. */
static int base_dir(pid_t tid, int dirfd, char *out, size_t len)
{
	char link[64];
	if (dirfd == AT_FDCWD)
		snprintf(link, sizeof(link), "/proc/%d/cwd", tid);
	else
		snprintf(link, sizeof(link), "/proc/%d/fd/%d", tid, dirfd);
	ssize_t n = readlink(link, out, len - 1);
	if (n < 0)
		return EBADF;
	out[n] = '\0';
	/* a pipe, a socket or a deleted folder is not a folder to walk */
	if (out[0] != '/' || (n > 10 && !strcmp(out + n - 10, " (deleted)")))
		return ENOTDIR;
	return 0;
}

/* Takes the next component off *rest into comp; false when none is left. */
static bool next_component(const char **rest, char *comp, size_t len)
{
	const char *s = *rest;
	while (*s == '/')
		s++;
	if (!*s)
		return false;
	size_t n = strcspn(s, "/");
	if (n >= len)
		n = len - 1;
	memcpy(comp, s, n);
	comp[n] = '\0';
	*rest = s + strcspn(s, "/");
	return true;
}

static bool only_slashes(const char *s)
{
	return s[strspn(s, "/")] == '\0';
}

/* "/proc/<tgid>..." becomes "/proc/self...", the name policies use. */
static void name_self(char *path, size_t len, pid_t tgid)
{
	char prefix[32];
	int n = snprintf(prefix, sizeof(prefix), "/proc/%d", tgid);
	if (strncmp(path, prefix, (size_t)n) || (path[n] != '/' && path[n] != '\0'))
		return;
	char tail[PATH_MAX];
	snprintf(tail, sizeof(tail), "%s", path + n);
	snprintf(path, len, "/proc/self%s", tail);
}

/* A walk that failed at cand: where, so that the caller can tell whether
 * the program may even learn that (what lies behind a path outside the
 * policy was seen with the tracer's rights, not the program's). */
static int stopped_at(char *cand, pid_t tgid, char *out, size_t outlen, int err)
{
	name_self(cand, PATH_MAX, tgid);
	snprintf(out, outlen, "%s", cand);
	return err;
}

int sbx_resolve(pid_t tid, pid_t tgid, int dirfd, const char *path, bool follow, char *out,
		size_t outlen)
{
	char todo[2 * PATH_MAX], res[PATH_MAX], comp[NAME_MAX + 1], target[PATH_MAX];
	out[0] = '\0';
	if (!*path)
		return ENOENT;
	size_t plen = strlen(path);
	/* "dir/" names the folder itself: always followed */
	if (path[plen - 1] == '/')
		follow = true;
	if (path[0] == '/') {
		snprintf(todo, sizeof(todo), "%s", path);
	} else {
		char base[PATH_MAX];
		int e = base_dir(tid, dirfd, base, sizeof(base));
		if (e)
			return e;
		if (snprintf(todo, sizeof(todo), "%s/%s", base, path) >= (int)sizeof(todo))
			return ENAMETOOLONG;
	}
	res[0] = '\0';
	int links = 0;
	const char *rest = todo;
	while (next_component(&rest, comp, sizeof(comp))) {
		if (!strcmp(comp, "."))
			continue;
		if (!strcmp(comp, "..")) {
			char *slash = strrchr(res, '/');
			if (slash)
				*slash = '\0';
			continue;
		}
		char cand[PATH_MAX];
		int n;
		if (!strcmp(res, "/proc") && !strcmp(comp, "self"))
			n = snprintf(cand, sizeof(cand), "/proc/%d", tgid);
		else if (!strcmp(res, "/proc") && !strcmp(comp, "thread-self"))
			n = snprintf(cand, sizeof(cand), "/proc/%d/task/%d", tgid, tid);
		else
			n = snprintf(cand, sizeof(cand), "%s/%s", res, comp);
		if (n >= (int)sizeof(cand))
			return ENAMETOOLONG;
		bool last = only_slashes(rest);
		if (last && !follow) {
			snprintf(res, sizeof(res), "%s", cand);
			break;
		}
		struct stat st;
		if (lstat(cand, &st) < 0) {
			if (errno == ENOENT && last) {
				/* what O_CREAT would make */
				snprintf(res, sizeof(res), "%s", cand);
				break;
			}
			return stopped_at(cand, tgid, out, outlen, errno);
		}
		if (S_ISLNK(st.st_mode)) {
			if (++links > MAX_LINKS)
				return stopped_at(cand, tgid, out, outlen, ELOOP);
			ssize_t tl = readlink(cand, target, sizeof(target) - 1);
			if (tl < 0)
				return stopped_at(cand, tgid, out, outlen, errno);
			target[tl] = '\0';
			/* /proc's links to pipes, sockets, anonymous or deleted
			 * files do not name anything the policy could allow */
			if (!strncmp(cand, "/proc/", 6) &&
			    (target[0] != '/' ||
			     (tl > 10 && !strcmp(target + tl - 10, " (deleted)"))))
				return stopped_at(cand, tgid, out, outlen, EACCES);
			char next[2 * PATH_MAX];
			if (snprintf(next, sizeof(next), "%s/%s", target, rest) >=
			    (int)sizeof(next))
				return ENAMETOOLONG;
			snprintf(todo, sizeof(todo), "%s", next);
			rest = todo;
			if (target[0] == '/')
				res[0] = '\0';
			continue;
		}
		/* "file/x": told only where the program may look at "file" */
		if (!last && !S_ISDIR(st.st_mode))
			return stopped_at(cand, tgid, out, outlen, ENOTDIR);
		snprintf(res, sizeof(res), "%s", cand);
	}
	if (!res[0])
		snprintf(res, sizeof(res), "/");
	name_self(res, sizeof(res), tgid);
	if (strlen(res) >= outlen)
		return ENAMETOOLONG;
	snprintf(out, outlen, "%s", res);
	return 0;
}
