/*
 * Test data: reading a case's files from the problem folder or its zip
 * archive, and DMOJ's line-ending normalisation.
 *
 * Names resolve in the folder first, then in the archive. A name may not
 * lead outside the problem folder (`../`, absolute paths, symlinks out):
 * problem folders sit next to other problems' hidden answers.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "common/common.h"
#include "problems/problems.h"

/* Data files are bounded so that a broken problem cannot exhaust memory. */
#define MAX_DATA     ((size_t)2 << 30)
#define ERRLEN_SMALL 512

char *problem_normalise(const char *data, size_t len, size_t *out_len)
{
	char *out = xmalloc(len + 2);
	size_t j = 0;
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '\r') {
			out[j++] = '\n';
			if (i + 1 < len && data[i + 1] == '\n')
				i++;
		} else {
			out[j++] = data[i];
		}
	}
	if (j && out[j - 1] != '\n')
		out[j++] = '\n';
	out[j] = '\0';
	*out_len = j;
	return out;
}

static bool inside(const char *dir, const char *path)
{
	size_t n = strlen(dir);
	return !strncmp(dir, path, n) && (path[n] == '/' || path[n] == '\0');
}

static int read_archive(const struct problem *p, const char *name, char **data, size_t *len,
			char *err, size_t errlen)
{
	int zerr = 0;
	zip_t *z = zip_open(p->archive, ZIP_RDONLY, &zerr);
	if (!z) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, zerr);
		errf(err, errlen, "problem %s: bad archive %s: %s", p->code, p->archive,
		     zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return -1;
	}
	int ret = -1;
	zip_file_t *f = NULL;
	zip_int64_t idx = zip_name_locate(z, name, 0);
	zip_stat_t st;
	if (idx < 0) {
		errf(err, errlen, "problem %s: file %s is neither in %s nor in the archive %s",
		     p->code, name, p->dir, p->archive);
		goto out;
	}
	if (zip_stat_index(z, (zip_uint64_t)idx, 0, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) ||
	    st.size > MAX_DATA) {
		errf(err, errlen, "problem %s: cannot size %s in %s", p->code, name, p->archive);
		goto out;
	}
	f = zip_fopen_index(z, (zip_uint64_t)idx, 0);
	if (!f) {
		errf(err, errlen, "problem %s: cannot open %s in %s: %s", p->code, name, p->archive,
		     zip_strerror(z));
		goto out;
	}
	char *buf = xmalloc(st.size + 1);
	zip_int64_t got = 0;
	while ((zip_uint64_t)got < st.size) {
		zip_int64_t r = zip_fread(f, buf + got, st.size - (zip_uint64_t)got);
		if (r <= 0) {
			errf(err, errlen, "problem %s: cannot read %s in %s: %s", p->code, name,
			     p->archive, zip_file_strerror(f));
			free(buf);
			goto out;
		}
		got += r;
	}
	buf[got] = '\0';
	*data = buf;
	*len = (size_t)got;
	ret = 0;
out:
	if (f)
		zip_fclose(f);
	zip_discard(z);
	return ret;
}

static int read_raw(const struct problem *p, const char *name, char **data, size_t *len, char *err,
		    size_t errlen)
{
	char *path = path_join(p->dir, name);
	char *real = realpath(path, NULL);
	char *rdir = realpath(p->dir, NULL);
	int ret = -1;
	if (real && rdir && !inside(rdir, real)) {
		errf(err, errlen, "problem %s: data file %s leads outside the problem folder",
		     p->code, name);
		goto out;
	}
	if (real && !is_dir(real)) {
		ret = read_file(real, MAX_DATA, data, len, err, errlen);
		if (ret < 0) {
			char inner[ERRLEN_SMALL];
			snprintf(inner, sizeof(inner), "%s", err);
			errf(err, errlen, "problem %s: %s", p->code, inner);
		}
		goto out;
	}
	if (p->archive) {
		ret = read_archive(p, name, data, len, err, errlen);
		goto out;
	}
	errf(err, errlen, "problem %s: data file %s does not exist in %s", p->code, name, p->dir);
out:
	free(path);
	free(real);
	free(rdir);
	return ret;
}

int problem_read_data(const struct problem *p, const char *name, bool binary, char **data,
		      size_t *len, char *err, size_t errlen)
{
	if (!name) {
		*data = xstrdup("");
		*len = 0;
		return 0;
	}
	if (read_raw(p, name, data, len, err, errlen) < 0)
		return -1;
	if (binary)
		return 0;
	size_t n;
	char *norm = problem_normalise(*data, *len, &n);
	free(*data);
	*data = norm;
	*len = n;
	return 0;
}
