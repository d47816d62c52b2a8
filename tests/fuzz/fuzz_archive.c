/*
 * Fuzzes test cases derived from a problem archive's member names
 * (problems/archive.c, through problem_load as the judge reaches it) and
 * reading the derived cases' data out of the archive (problems/data.c).
 *
 * The input is text, one item per line:
 *   line 1   input_format: a regular expression, or empty for DMOJ's
 *            default pattern
 *   line 2   output_format, likewise
 *   then     one archive member per line: its name, optionally a tab and
 *            its content (\r stays, so line endings can be normalised)
 * The harness builds tests.zip from the members and an init.yml naming
 * it, with the two patterns as YAML double-quoted strings (any character
 * escaped). An input that starts with "PK" is instead taken as the zip
 * archive itself, with the default patterns: what a corrupt or hostile
 * archive does to derivation and reading.
 *
 * Checked besides crashes: every derived case names a member that exists,
 * and its data reads back (normalised data ends in a newline when it is
 * not empty, binary data is the member's bytes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "problems/problems.h"
#include "tests/fuzz/harness.h"

static char *dir;

/* s as a YAML double-quoted scalar: printable ASCII as is, the rest
 * escaped by code point (the input is UTF-8 or YAML refuses it anyway). */
static void yaml_quoted(struct strbuf *sb, const char *s, size_t n)
{
	sb_addc(sb, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			sb_addf(sb, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			sb_addc(sb, (char)c);
		else if (c < 0x80)
			sb_addf(sb, "\\x%02x", c);
		else
			sb_addc(sb, (char)c);
	}
	sb_addc(sb, '"');
}

static const char *line_end(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl ? nl : end;
}

/* Builds tests.zip from the member lines; returns the members added. */
static int build_zip(const char *p, const char *end)
{
	char *path = path_join(dir, "tests.zip");
	int zerr, added = 0;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	if (!z)
		fuzz_fail("cannot create %s", path);
	while (p < end) {
		const char *e = line_end(p, end);
		const char *tab = memchr(p, '\t', (size_t)(e - p));
		char *name = xstrndup(p, (size_t)((tab ? tab : e) - p));
		const char *body = tab ? tab + 1 : e;
		/* zip_source_buffer does not copy: the input outlives zip_close */
		zip_source_t *s = zip_source_buffer(z, body, (size_t)(e - body), 0);
		zip_int64_t idx = -1;
		if (*name && strlen(name) == (size_t)((tab ? tab : e) - p))
			idx = zip_file_add(z, name, s, ZIP_FL_ENC_GUESS);
		/* stored, not deflated: setting up deflate for every member was
		 * most of the harness's time, and reading is libzip's either way */
		if (idx >= 0 &&
		    zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0) == 0)
			added++;
		else if (idx < 0)
			zip_source_free(s);
		free(name);
		p = e < end ? e + 1 : end;
	}
	if (zip_close(z) < 0)
		fuzz_fail("cannot write %s: %s", path, zip_strerror(z));
	free(path);
	return added;
}

static void check_data(const struct problem *p, const char *name, bool binary)
{
	char err[ERR_SIZE];
	char *data;
	size_t len;
	if (!name)
		return;
	if (!problem_has_data(p, name))
		fuzz_fail("derived case file %s is not in the archive", name);
	if (problem_read_data(p, name, binary, &data, &len, err, sizeof(err)) < 0)
		return; /* a corrupt member */
	if (!binary && len && data[len - 1] != '\n')
		fuzz_fail("normalised data of %s does not end in a newline", name);
	free(data);
}

static void load(void)
{
	struct problem *p;
	char err[ERR_SIZE];
	if (problem_load("archive", dir, &p, err, sizeof(err)) < 0)
		return;
	for (size_t i = 0; i < p->tests.n; i++) {
		const struct problem_unit *u = &p->tests.units[i];
		for (size_t j = 0; j < u->ncases; j++) {
			const struct problem_case *pc = &u->cases[j];
			if (!pc->in && !pc->out)
				fuzz_fail("a derived case has neither input nor output");
			check_data(p, pc->in, false);
			check_data(p, pc->out, false);
			check_data(p, pc->in, true);
		}
	}
	problem_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir) {
		dir = path_join(fuzz_scratch(), "archive");
		if (mkdir(dir, 0755) < 0)
			fuzz_fail("mkdir %s", dir);
	}
	const char *p = (const char *)data, *end = p + size;
	if (size >= 2 && !memcmp(p, "PK", 2)) {
		fuzz_write(dir, "tests.zip", data, size);
		fuzz_write(dir, "init.yml", "archive: tests.zip\n", 19);
		load();
		return 0;
	}
	struct strbuf init = STRBUF_INIT;
	/* with neither pattern, test_cases is null: DMOJ's default patterns */
	sb_adds(&init, "archive: tests.zip\ntest_cases:\n");
	static const char *const keys[] = {"input_format", "output_format"};
	for (size_t k = 0; k < 2; k++) {
		const char *e = line_end(p, end);
		if (e > p) {
			sb_addf(&init, "  %s: ", keys[k]);
			yaml_quoted(&init, p, (size_t)(e - p));
			sb_addc(&init, '\n');
		}
		p = e < end ? e + 1 : end;
	}
	fuzz_write(dir, "init.yml", init.buf, init.len);
	sb_free(&init);
	if (build_zip(p, end))
		load();
	return 0;
}
