/*
 * Unit tests of verdict arithmetic and of the short-circuit / batch /
 * dependency rules of protocol.md, driven case by case.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "common/common.h"
#include "judge/grading/verdict.h"

static void test_codes(void **state)
{
	assert_string_equal(verdict_code(0), "AC");
	assert_string_equal(verdict_code(ST_WA), "WA");
	assert_string_equal(verdict_code(ST_TLE | ST_WA), "TLE");
	assert_string_equal(verdict_code(ST_TLE | ST_IR | ST_WA), "TLE");
	assert_string_equal(verdict_code(ST_MLE | ST_RTE), "MLE");
	assert_string_equal(verdict_code(ST_OLE | ST_RTE | ST_WA), "OLE");
	assert_string_equal(verdict_code(ST_RTE | ST_IR), "RTE");
	assert_string_equal(verdict_code(ST_IR | ST_WA), "IR");
	assert_string_equal(verdict_code(ST_SC), "SC");
	assert_string_equal(verdict_code(ST_IE | ST_WA), "IE");
	/* the site's final-verdict order */
	const char *order[] = {"SC", "AC", "WA", "MLE", "TLE", "IR", "RTE", "OLE"};
	for (size_t i = 1; i < ARRAY_LEN(order); i++)
		assert_true(verdict_rank(order[i - 1]) < verdict_rank(order[i]));
	assert_int_equal(verdict_rank("XX"), -1);
}

static json_t *case_ev(int flags, double points, double total)
{
	return json_pack("{s:s, s:[{s:i, s:f, s:f, s:f, s:i}]}", "name", "test-case-status",
			 "cases", "status", flags, "points", points, "total-points", total, "time",
			 0.5, "memory", (int)(total * 10));
}

static void feed(struct tally *t, json_t *ev)
{
	tally_event(t, event_kind_of(ev), ev);
	json_decref(ev);
}

static void test_tally_batches(void **state)
{
	struct tally t;
	tally_init(&t);
	feed(&t, case_ev(0, 5, 5));
	feed(&t, case_ev(ST_WA, 0, 5));
	feed(&t, json_pack("{s:s}", "name", "batch-begin"));
	feed(&t, case_ev(0, 40, 40));
	feed(&t, case_ev(0, 40, 40));
	feed(&t, json_pack("{s:s}", "name", "batch-end"));
	feed(&t, json_pack("{s:s}", "name", "batch-begin"));
	feed(&t, case_ev(0, 50, 50));
	feed(&t, case_ev(ST_TLE | ST_WA, 0, 50));
	feed(&t, case_ev(ST_SC, 0, 50));
	feed(&t, json_pack("{s:s}", "name", "batch-end"));
	/* a batch scores the minimum of its cases out of the maximum total */
	assert_true(t.points == 5 + 40 + 0);
	assert_true(t.total == 10 + 40 + 50);
	assert_string_equal(t.worst, "TLE");
	assert_true(t.time == 3.5);
	assert_int_equal(t.memory, 500);
}

/* Simulates a grading: units of (batched?, deps, case results). */
struct unit {
	bool batched;
	int batch_no;
	int deps[4];
	size_t ndeps;
	int flags[4];
	double points;
	size_t n;
};

static void run(bool site_sc, const struct unit *units, size_t n, const char *expect)
{
	struct sc_state s;
	sc_init(&s, site_sc);
	char got[64] = "";
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct unit *u = &units[i];
		if (u->batched)
			sc_batch_begin(&s, u->deps, u->ndeps);
		for (size_t j = 0; j < u->n; j++) {
			if (sc_skip(&s)) {
				got[k++] = 'S';
				continue;
			}
			got[k++] = u->flags[j] ? 'F' : 'A';
			sc_case_done(&s, u->flags[j], u->points, u->batched);
		}
		if (u->batched)
			sc_batch_end(&s, u->batch_no);
	}
	sc_free(&s);
	assert_string_equal(got, expect);
}

static void test_short_circuit_rules(void **state)
{
	const int W = ST_WA;
	/* without the site's short-circuit, single failed cases do not stop */
	struct unit singles[] = {{.n = 1, .points = 5, .flags = {W}}, {.n = 1, .points = 5}};
	run(false, singles, 2, "FA");
	/* with it, everything after the first failure is skipped */
	run(true, singles, 2, "FS");
	/* a failure inside a batch skips the rest of that batch only */
	struct unit batch[] = {
	    {.batched = true, .batch_no = 1, .n = 3, .points = 10, .flags = {0, W, 0}},
	    {.batched = true, .batch_no = 2, .n = 2, .points = 10},
	    {.n = 1, .points = 1},
	};
	run(false, batch, 3, "AFSAAA");
	run(true, batch, 3, "AFSSSS");
	/* a failed 0-point case turns short-circuiting on */
	struct unit zero[] = {{.n = 1, .points = 0, .flags = {W}}, {.n = 1, .points = 5}};
	run(false, zero, 2, "FS");
	/* dependencies: batch 3 needs 1 (failed) so it is skipped whole;
	 * batch 4 needs 2 (passed) and runs; batch 5 needs 3 (skipped) */
	struct unit deps[] = {
	    {.batched = true, .batch_no = 1, .n = 2, .points = 1, .flags = {W, 0}},
	    {.batched = true, .batch_no = 2, .n = 1, .points = 1},
	    {.batched = true, .batch_no = 3, .n = 2, .points = 1, .deps = {1}, .ndeps = 1},
	    {.batched = true, .batch_no = 4, .n = 1, .points = 1, .deps = {2}, .ndeps = 1},
	    {.batched = true, .batch_no = 5, .n = 1, .points = 1, .deps = {3}, .ndeps = 1},
	};
	run(false, deps, 5, "FSASSAS");
	/* TLE carries the WA bit too and so counts as a failure */
	struct unit tle[] = {{.n = 1, .points = 5, .flags = {ST_TLE | W}}, {.n = 1, .points = 5}};
	run(true, tle, 2, "FS");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_codes),
	    cmocka_unit_test(test_tally_batches),
	    cmocka_unit_test(test_short_circuit_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
