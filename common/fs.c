/*
 * File helpers: whole-file reads, complete writes, private temporary
 * folders, tree removal and read-only mappings.
 *
 * rm_rf works with openat/unlinkat relative to directory descriptors and
 * never follows a symbolic link, because the trees it removes are working
 * folders that sandboxed programs have written into.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

int read_file(const char *path, size_t max, char **out, size_t *len, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errf(err, errlen, "cannot open %s: %s", path, strerror(errno));
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	int ret = -1;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			errf(err, errlen, "cannot read %s: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		if (sb.len + (size_t)n > max) {
			errf(err, errlen, "%s is larger than %zu bytes", path, max);
			goto out;
		}
		sb_add(&sb, buf, (size_t)n);
	}
	if (len)
		*len = sb.len;
	*out = sb_detach(&sb);
	ret = 0;
out:
	sb_free(&sb);
	close(fd);
	return ret;
}

int write_all(int fd, const void *data, size_t n)
{
	const char *p = data;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int write_file(const char *path, const void *data, size_t n, mode_t mode, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return errf(err, errlen, "cannot create %s: %s", path, strerror(errno));
	if (write_all(fd, data, n) < 0) {
		int e = errno;
		close(fd);
		return errf(err, errlen, "cannot write %s: %s", path, strerror(e));
	}
	if (close(fd) < 0)
		return errf(err, errlen, "cannot write %s: %s", path, strerror(errno));
	return 0;
}

static int rm_at(int parent, const char *name, int depth)
{
	if (unlinkat(parent, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -1;
	if (depth > 4096) {
		errno = ELOOP;
		return -1;
	}
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == EACCES) {
		/* a program may leave a folder without permissions behind */
		if (fchmodat(parent, name, 0700, 0) == 0)
			fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0)
		return -1;
	/* best effort: lets us unlink entries of a read-only folder as non-root */
	(void)!fchmod(fd, 0700);
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	int ret = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (rm_at(dirfd(d), e->d_name, depth + 1) < 0)
			ret = -1;
	}
	closedir(d);
	if (unlinkat(parent, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		ret = -1;
	return ret;
}

int rm_rf(const char *path)
{
	return rm_at(AT_FDCWD, path, 0);
}

char *make_temp_dir(const char *dir, const char *prefix, char *err, size_t errlen)
{
	char *tmpl = xasprintf("%s/%s-XXXXXX", dir, prefix);
	if (!mkdtemp(tmpl)) {
		errf(err, errlen, "cannot create a folder in %s: %s", dir, strerror(errno));
		free(tmpl);
		return NULL;
	}
	return tmpl;
}

char *path_join(const char *a, const char *b)
{
	if (b[0] == '/')
		return xstrdup(b);
	size_t la = strlen(a);
	if (la && a[la - 1] == '/')
		return xasprintf("%s%s", a, b);
	return xasprintf("%s/%s", a, b);
}

bool path_exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **list_dir(const char *path, size_t *n)
{
	DIR *d = opendir(path);
	if (!d)
		return NULL;
	char **v = NULL;
	size_t len = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		XGROW(v, cap, len + 2);
		v[len++] = xstrdup(e->d_name);
	}
	closedir(d);
	XGROW(v, cap, len + 1);
	v[len] = NULL;
	qsort(v, len, sizeof(*v), cmp_str);
	if (n)
		*n = len;
	return v;
}

bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

void close_fds_except(const int *keep, size_t n)
{
	int *k = xcalloc(n + 1, sizeof(int));
	memcpy(k, keep, n * sizeof(int));
	qsort(k, n, sizeof(int), cmp_int);
	unsigned lo = 3;
	for (size_t i = 0; i < n; i++) {
		if (k[i] < (int)lo)
			continue;
		if ((unsigned)k[i] > lo)
			syscall(SYS_close_range, lo, (unsigned)k[i] - 1, 0);
		lo = (unsigned)k[i] + 1;
	}
	syscall(SYS_close_range, lo, ~0U, 0);
	free(k);
}

int memfd_from(const char *name, const void *data, size_t n, char *err, size_t errlen)
{
	int fd = memfd_create(name, MFD_CLOEXEC);
	if (fd < 0)
		return errf(err, errlen, "memfd_create(%s): %s", name, strerror(errno));
	if (write_all(fd, data, n) < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		int e = errno;
		close(fd);
		return errf(err, errlen, "cannot fill memfd %s: %s", name, strerror(e));
	}
	return fd;
}

int map_fd(int fd, const char **data, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return errf(err, errlen, "fstat: %s", strerror(errno));
	*len = (size_t)st.st_size;
	if (!st.st_size) {
		*data = "";
		return 0;
	}
	void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return errf(err, errlen, "mmap of %lld bytes: %s", (long long)st.st_size,
			    strerror(errno));
	*data = p;
	return 0;
}

void unmap_fd(const char *data, size_t len)
{
	if (len)
		munmap((void *)data, len);
}

double mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int copy_file(const char *src, const char *dst, mode_t mode, char *err, size_t errlen)
{
	int in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return errf(err, errlen, "cannot open %s: %s", src, strerror(errno));
	int ret = 0;
	int out = -1;
	/* a new file: the mode asked for, not that of one left behind */
	if (unlink(dst) < 0 && errno != ENOENT) {
		ret = errf(err, errlen, "cannot remove %s: %s", dst, strerror(errno));
		goto out;
	}
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (out < 0) {
		ret = errf(err, errlen, "cannot create %s: %s", dst, strerror(errno));
		goto out;
	}
	for (;;) {
		ssize_t n = copy_file_range(in, NULL, out, NULL, (size_t)1 << 30, 0);
		if (n == 0)
			break;
		if (n < 0 && errno != EINTR) {
			ret = errf(err, errlen, "cannot copy %s to %s: %s", src, dst,
				   strerror(errno));
			break;
		}
	}
out:
	if (out >= 0 && close(out) < 0 && !ret)
		ret = errf(err, errlen, "cannot write %s: %s", dst, strerror(errno));
	close(in);
	return ret;
}
