/*
 * checklib.h: a small testlib-style library for the example problems'
 * checkers (written for this repository; testlib itself is not vendored).
 *
 * A checker gets `input output answer` file names and ends with the exit
 * code DMOJ's testlib convention reads: 0 accepted, 1 wrong answer,
 * 2 presentation error, 3 the checker failed, 7 partial points (a line
 * `points X` on stderr). The message goes to stdout, which the judge shows
 * as the case's feedback.
 */
#ifndef CHECKLIB_H
#define CHECKLIB_H

#include <cstdarg>
#include <cstdio>
#include <cstdlib>

namespace checklib
{

enum verdict { OK = 0, WRONG = 1, PRESENTATION = 2, FAIL = 3, PARTIAL = 7 };

[[noreturn]] inline void quit(verdict v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	std::vprintf(fmt, ap);
	va_end(ap);
	std::exit(v);
}

/* Partial credit: points out of the case's points. */
[[noreturn]] inline void quit_points(double points, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	std::vprintf(fmt, ap);
	va_end(ap);
	std::fprintf(stderr, "points %.6f\n", points);
	std::exit(PARTIAL);
}

/* A file the checker reads. A malformed output is the contestant's
 * presentation error; a malformed input or answer is the checker's own
 * failure. */
struct stream {
	std::FILE *f = nullptr;
	verdict on_error = FAIL;

	long long read_int(const char *what)
	{
		long long x;
		if (std::fscanf(f, "%lld", &x) != 1)
			quit(on_error, "expected %s", what);
		return x;
	}

	bool at_end()
	{
		int c;
		while ((c = std::fgetc(f)) == ' ' || c == '\n' || c == '\r' || c == '\t')
			;
		return c == EOF;
	}
};

inline stream inf, ouf, ans;

inline void register_checker(int argc, char **argv)
{
	if (argc < 4)
		quit(FAIL, "usage: checker input output answer");
	stream *s[] = {&inf, &ouf, &ans};
	for (int i = 0; i < 3; i++)
		if (!(s[i]->f = std::fopen(argv[i + 1], "r")))
			quit(FAIL, "cannot open %s", argv[i + 1]);
	ouf.on_error = PRESENTATION;
}

} // namespace checklib

#endif
