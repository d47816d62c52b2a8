/*
 * Test data: reading a case's files from the problem folder or its zip
 * archive, and DMOJ's line-ending normalisation.
 *
 * Names resolve in the folder first, then in the archive. A name may not
 * lead outside the problem folder (`../`, absolute paths, symlinks out):
 * problem folders sit next to other problems' hidden answers.
 *
 * Case data is streamed in fixed-size chunks from the file or the
 * compressed archive member to its destination, normalised on the way, so
 * a case of gigabytes costs one buffer of memory, not its size.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "problems/internal.h"

/* Sources and headers read whole are bounded so that a broken problem
 * cannot exhaust memory; case data is streamed and has no such bound. */
#define MAX_DATA ((size_t)1 << 30)
#define CHUNK	 ((size_t)1 << 16)

size_t problem_normalise_chunk(struct problem_normaliser *st, const char *in, size_t n, char *out)
{
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		char c = in[i];
		if (c == '\n' && st->cr) {
			/* the \n of a \r\n whose \r already became \n */
			st->cr = false;
			continue;
		}
		st->cr = c == '\r';
		out[j++] = st->cr ? '\n' : c;
	}
	if (j) {
		st->last = out[j - 1];
		st->any = true;
	}
	return j;
}

size_t problem_normalise_end(struct problem_normaliser *st, char *out)
{
	if (!st->any || st->last == '\n')
		return 0;
	out[0] = '\n';
	st->last = '\n';
	return 1;
}

char *problem_normalise(const char *data, size_t len, size_t *out_len)
{
	struct problem_normaliser st = {0};
	char *out = xmalloc(len + 2);
	size_t j = problem_normalise_chunk(&st, data, len, out);
	j += problem_normalise_end(&st, out + j);
	out[j] = '\0';
	*out_len = j;
	return out;
}

/* ---- sources: a folder file or an archive member ---- */

struct source {
	int fd;
	zip_file_t *zf;
	const char *name;
};

static bool inside(const char *dir, const char *path)
{
	size_t n = strlen(dir);
	return !strncmp(dir, path, n) && (path[n] == '/' || path[n] == '\0');
}

/* 1: a file of the folder (real gets its real path), 0: not in the
 * folder, -1: a name leading outside it. */
static int folder_file(const struct problem *p, const char *name, char **real, char *err,
		       size_t errlen)
{
	char *path = path_join(p->dir, name);
	char *r = realpath(path, NULL);
	char *rdir = realpath(p->dir, NULL);
	int ret = 0;
	*real = NULL;
	if (r && rdir && !inside(rdir, r))
		ret = errf(err, errlen, "problem %s: data file %s leads outside the problem folder",
			   p->code, name);
	else if (r && !is_dir(r)) {
		*real = r;
		r = NULL;
		ret = 1;
	}
	free(path);
	free(r);
	free(rdir);
	return ret;
}

static zip_int64_t member(const struct problem *p, const char *name)
{
	return p->zip ? zip_name_locate(p->zip, name, 0) : -1;
}

static int source_open(const struct problem *p, const char *name, struct source *s, char *err,
		       size_t errlen)
{
	char *real;
	*s = (struct source){.fd = -1, .name = name};
	int in_folder = folder_file(p, name, &real, err, errlen);
	if (in_folder < 0)
		return -1;
	if (in_folder) {
		s->fd = open(real, O_RDONLY | O_CLOEXEC);
		int e = errno;
		free(real);
		if (s->fd < 0)
			return errf(err, errlen, "problem %s: cannot open data file %s: %s",
				    p->code, name, strerror(e));
		return 0;
	}
	zip_int64_t idx = member(p, name);
	if (idx < 0) {
		if (p->zip)
			return errf(
			    err, errlen,
			    "problem %s: data file %s is neither in %s nor in the archive %s",
			    p->code, name, p->dir, p->archive);
		return errf(err, errlen, "problem %s: data file %s does not exist in %s", p->code,
			    name, p->dir);
	}
	s->zf = zip_fopen_index(p->zip, (zip_uint64_t)idx, 0);
	if (!s->zf)
		return errf(err, errlen, "problem %s: cannot open %s in the archive %s: %s",
			    p->code, name, p->archive, zip_strerror(p->zip));
	return 0;
}

/* Reads up to n bytes; 0 at the end, -1 with err filled. */
static ssize_t source_read(const struct problem *p, struct source *s, char *buf, size_t n,
			   char *err, size_t errlen)
{
	if (s->zf) {
		zip_int64_t r = zip_fread(s->zf, buf, n);
		if (r < 0)
			return errf(err, errlen, "problem %s: cannot read %s in the archive %s: %s",
				    p->code, s->name, p->archive, zip_file_strerror(s->zf));
		return (ssize_t)r;
	}
	for (;;) {
		ssize_t r = read(s->fd, buf, n);
		if (r >= 0)
			return r;
		if (errno != EINTR)
			return errf(err, errlen, "problem %s: cannot read data file %s: %s",
				    p->code, s->name, strerror(errno));
	}
}

static void source_close(struct source *s)
{
	if (s->zf)
		zip_fclose(s->zf);
	if (s->fd >= 0)
		close(s->fd);
}

bool problem_has_data(const struct problem *p, const char *name)
{
	char *real, err[256];
	int in_folder = folder_file(p, name, &real, err, sizeof(err));
	free(real);
	return in_folder > 0 || (in_folder == 0 && member(p, name) >= 0);
}

/* Streams a source through the normaliser into fd (fd >= 0) or sb. */
static int pump(const struct problem *p, const char *name, bool binary, int fd, struct strbuf *sb,
		size_t max, char *err, size_t errlen)
{
	struct source s;
	if (source_open(p, name, &s, err, errlen) < 0)
		return -1;
	char *in = xmalloc(CHUNK), *norm = xmalloc(CHUNK + 1);
	struct problem_normaliser st = {0};
	size_t total = 0;
	int ret = -1;
	for (;;) {
		ssize_t r = source_read(p, &s, in, CHUNK, err, errlen);
		if (r < 0)
			goto out;
		const char *chunk = in;
		size_t n = (size_t)r;
		if (r == 0 && binary)
			break;
		if (!binary) {
			n = r ? problem_normalise_chunk(&st, in, (size_t)r, norm)
			      : problem_normalise_end(&st, norm);
			chunk = norm;
		}
		total += n;
		if (sb && total > max) {
			errf(err, errlen, "problem %s: data file %s is larger than %zu bytes",
			     p->code, name, max);
			goto out;
		}
		if (sb)
			sb_add(sb, chunk, n);
		else if (n && write_all(fd, chunk, n) < 0) {
			errf(err, errlen, "problem %s: cannot copy data file %s: %s", p->code, name,
			     strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
	}
	ret = 0;
out:
	free(in);
	free(norm);
	source_close(&s);
	return ret;
}

int problem_read_data(const struct problem *p, const char *name, bool binary, char **data,
		      size_t *len, char *err, size_t errlen)
{
	struct strbuf sb = STRBUF_INIT;
	if (name && pump(p, name, binary, -1, &sb, MAX_DATA, err, errlen) < 0) {
		sb_free(&sb);
		return -1;
	}
	*len = sb.len;
	*data = sb.buf ? sb_detach(&sb) : xstrdup("");
	return 0;
}

int problem_copy_data(const struct problem *p, const char *name, bool binary, int fd, char *err,
		      size_t errlen)
{
	return name ? pump(p, name, binary, fd, NULL, 0, err, errlen) : 0;
}
