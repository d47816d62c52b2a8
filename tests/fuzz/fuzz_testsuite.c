/*
 * Fuzzes `judge testsuite`'s reading of a test case folder's test.yml
 * (judge/frontends/testsuite.c): the input is written as test.yml and
 * testsuite_load reads and checks it as the command does before grading.
 * A test.yml it accepts is then matched against a few case results, as
 * the command matches each case of the grading, since the per-case keys
 * (cases, score_cases, feedback_cases...) are only read then.
 */
#include <stdlib.h>
#include <sys/stat.h>

#include "judge/frontends/frontends.h"
#include "tests/fuzz/harness.h"

static char *dir;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir) {
		dir = path_join(fuzz_scratch(), "case");
		if (mkdir(dir, 0755) < 0)
			fuzz_fail("mkdir %s", dir);
	}
	fuzz_write(dir, "test.yml", data, size);
	char err[ERR_SIZE];
	json_t *conf = testsuite_load(dir, err, sizeof(err));
	if (!conf)
		return 0;
	/* AC, WA, TLE|WA and SC results, with and without points and
	 * feedback, at positions inside and past any per-case list */
	static const int status[] = {0, 1, 5, 32, 0, 1, 2};
	static const double points[] = {10, 0, 0, 0, 1.5, 2, 0};
	static const char *const feedback[] = {"", "wrong", "", "", "ok", "é", NULL};
	struct strbuf why = STRBUF_INIT;
	for (size_t i = 0; i < ARRAY_LEN(status); i++) {
		json_t *c = json_pack("{s:i, s:i, s:f, s:s, s:s}", "position", (int)i + 1, "status",
				      status[i], "points", points[i], "feedback",
				      feedback[i] ? feedback[i] : "", "extended-feedback", "x");
		if (!feedback[i])
			json_object_del(c, "feedback");
		testsuite_check_case(conf, c, &why);
		json_decref(c);
	}
	sb_free(&why);
	json_decref(conf);
	return 0;
}
