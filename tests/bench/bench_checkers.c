/*
 * Benchmark of the built-in checkers on a large output: 100 MB of numbers
 * (ten to a line) compared with the expected answer, both memory-mapped
 * files as the grader hands them over (two files with the same bytes, not
 * one mapping twice). Then `standard` once more with the output's lines
 * ended by \r\n: same tokens, other bytes, so every token is compared on
 * its own. Prints MB/s of output checked, the best of three runs.
 * Usage: bench_checkers [MEGABYTES] [CHECKER...]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"
#include "judge/checkers/checkers.h"

/* Writes lines of ten numbers into a temporary file, about size bytes of
 * them when *lines is 0 (then *lines says how many), else exactly *lines;
 * the numbers are the same sequence every time. crlf ends lines with
 * \r\n. Returns the descriptor (the file is already unlinked). */
static int make_output(const char *dir, size_t size, bool crlf, size_t *lines)
{
	char *path = xasprintf("%s/bench-output-XXXXXX", dir);
	int fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		die(1, "mkostemp %s failed", path);
	unlink(path);
	free(path);
	struct strbuf sb = STRBUF_INIT;
	unsigned long long x = 88172645463325252ULL;
	size_t written = 0, n = 0;
	while (*lines ? n < *lines : written < size) {
		for (int i = 0; i < 10; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			sb_addf(&sb, "%llu%s", x % 1000000000ULL,
				i < 9  ? " "
				: crlf ? "\r\n"
				       : "\n");
		}
		n++;
		if (sb.len > (1 << 20)) {
			if (write_all(fd, sb.buf, sb.len) < 0)
				die(1, "cannot write the benchmark's output");
			written += sb.len;
			sb_reset(&sb);
		}
	}
	if (sb.len && write_all(fd, sb.buf, sb.len) < 0)
		die(1, "cannot write the benchmark's output");
	sb_free(&sb);
	*lines = n;
	return fd;
}

static void measure(const char *name, const char *out, size_t olen, const char *ans, size_t alen)
{
	const struct checker_def *c = checker_find(name);
	char err[256];
	if (!c)
		die(2, "no checker %s", name);
	double best = 0;
	bool passed = false;
	for (int run = 0; run < 3; run++) {
		struct checker_input in = {.output = out,
					   .output_len = olen,
					   .answer = ans,
					   .answer_len = alen,
					   .points = 1};
		struct checker_result res;
		double t0 = mono_now();
		if (checker_run(c, &in, &res, err, sizeof(err)) < 0)
			die(1, "%s: %s", name, err);
		double t = mono_now() - t0;
		passed = res.passed;
		checker_result_free(&res);
		if (!best || t < best)
			best = t;
	}
	printf("%-10s %8.1f MB/s  (%.3f s)%s\n", name, (double)olen / 1e6 / best, best,
	       passed ? "" : "  did not pass!");
}

static void map_or_die(int fd, const char **data, size_t *len)
{
	char err[256];
	if (map_fd(fd, data, len, err, sizeof(err)) < 0)
		die(1, "%s", err);
}

int main(int argc, char **argv)
{
	log_setup("bench", false, false);
	size_t size = (argc > 1 ? strtoul(argv[1], NULL, 10) : 100) << 20;
	const char *tmp = getenv("TMPDIR");
	const char *dir = tmp && *tmp ? tmp : "/tmp";
	size_t lines = 0;
	int ofd = make_output(dir, size, false, &lines);
	int afd = make_output(dir, size, false, &lines);
	int cfd = make_output(dir, size, true, &lines);
	const char *out, *ans, *crlf;
	size_t olen, alen, clen;
	map_or_die(ofd, &out, &olen);
	map_or_die(afd, &ans, &alen);
	map_or_die(cfd, &crlf, &clen);
	static const char *const all[] = {"standard", "identical", "rstripped", "linecount",
					  "easy",     "floats",	   NULL};
	const char *const *names = argc > 2 ? (const char *const *)argv + 2 : all;
	printf("output %.1f MB, the same bytes as the answer:\n", (double)olen / 1e6);
	for (size_t i = 0; names[i]; i++)
		measure(names[i], out, olen, ans, alen);
	printf("output %.1f MB, the answer's tokens with \\r\\n line ends:\n", (double)clen / 1e6);
	measure("standard", crlf, clen, ans, alen);
	unmap_fd(out, olen);
	unmap_fd(ans, alen);
	unmap_fd(crlf, clen);
	close(ofd);
	close(afd);
	close(cfd);
	return 0;
}
