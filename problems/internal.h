/*
 * Private to the problems module: the archive helpers that init.c (case
 * derivation) and data.c (reading) share.
 */
#ifndef JUDGE_PROBLEMS_INTERNAL_H
#define JUDGE_PROBLEMS_INTERNAL_H

#include "common/common.h"
#include "problems/problems.h"

/* The patterns DMOJ derives cases with when test_cases does not list them:
 * a name containing `.in` (`.out`) or starting with `in` (`out`), ending
 * in an optional batch number and a case number. Python regular
 * expressions, matched case-insensitively from the start of the name. */
#define ARCHIVE_INPUT_PATTERN                                                                      \
	"^(?=.*?\\.in|in).*?(?:(?:^|\\W)(?P<batch>\\d+)[^\\d\\s]+)?(?P<case>\\d+)[^\\d\\s]*$"
#define ARCHIVE_OUTPUT_PATTERN                                                                     \
	"^(?=.*?\\.out|out).*?(?:(?:^|\\W)(?P<batch>\\d+)[^\\d\\s]+)?(?P<case>\\d+)[^\\d\\s]*$"

/* Opens p->archive into p->zip; the error says "bad archive" and why. */
int archive_open(struct problem *p, char *err, size_t errlen);
void archive_close(struct problem *p);

/* One top-level entry derived from the archive's file names: a batch of
 * cases or a single case. in/out may be NULL (no matching file). */
struct derived_case {
	char *in, *out;
};
struct derived_group {
	bool batched;
	struct derived_case *cases;
	size_t ncases;
};
/* Derives cases from the archive's member names with the two patterns
 * (Python syntax, named groups `batch` and `case`). Fails when a pattern
 * does not compile, a match has no case number, or nothing matches.
 * in_key/out_key name the init.yml keys the patterns came from. */
int archive_derive(const struct problem *p, const char *in_re, const char *out_re,
		   const char *in_key, const char *out_key, struct derived_group **out, size_t *n,
		   char *err, size_t errlen);
void archive_derived_free(struct derived_group *g, size_t n);

#endif
