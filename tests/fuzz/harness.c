/*
 * The harnesses' shared helpers (see harness.h). The scratch folder lives
 * under $TMPDIR, which tests/fuzz/run.sh points at a folder of its own, so
 * that what a crashed run leaves behind is removed with that folder.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/fuzz/harness.h"

static char *scratch;

static void remove_scratch(void)
{
	if (scratch)
		rm_rf(scratch);
	free(scratch);
	scratch = NULL;
}

void fuzz_quiet(void)
{
	static bool done;
	char err[ERR_SIZE];
	if (done)
		return;
	done = true;
	if (log_set_file("/dev/null", err, sizeof(err)) < 0)
		fuzz_fail("%s", err);
}

const char *fuzz_scratch(void)
{
	char err[ERR_SIZE];
	if (scratch)
		return scratch;
	fuzz_quiet();
	const char *tmp = getenv("TMPDIR");
	scratch = make_temp_dir(tmp && *tmp ? tmp : "/tmp", "judge-fuzz", err, sizeof(err));
	if (!scratch)
		fuzz_fail("scratch folder: %s", err);
	atexit(remove_scratch);
	return scratch;
}

void fuzz_write(const char *dir, const char *name, const void *data, size_t n)
{
	char err[ERR_SIZE];
	char *path = path_join(dir, name);
	if (write_file(path, data, n, 0644, err, sizeof(err)) < 0)
		fuzz_fail("%s", err);
	free(path);
}

void fuzz_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("fuzz: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}
