/*
 * Verdict arithmetic, done the way a DMOJ site does it, so that what
 * `judge submit` prints is what the site would show: the per-case code
 * from the flag bits, the submission's worst code, and scores where a
 * batch is worth the minimum of its cases' points out of the maximum of
 * their totals.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "judge/grading/verdict.h"

const char *verdict_code(int flags)
{
	if (flags & ST_IE)
		return "IE";
	if (flags & ST_TLE)
		return "TLE";
	if (flags & ST_MLE)
		return "MLE";
	if (flags & ST_OLE)
		return "OLE";
	if (flags & ST_RTE)
		return "RTE";
	if (flags & ST_IR)
		return "IR";
	if (flags & ST_WA)
		return "WA";
	if (flags & ST_SC)
		return "SC";
	return "AC";
}

int verdict_rank(const char *code)
{
	static const char *const order[] = {"SC", "AC",	 "WA",	"MLE", "TLE",
					    "IR", "RTE", "OLE", "IE"};
	return (int)str_index(order, ARRAY_LEN(order), code);
}

void tally_init(struct tally *t)
{
	memset(t, 0, sizeof(*t));
}

static void end_batch(struct tally *t)
{
	if (t->in_batch && t->batch_any) {
		t->points += t->batch_points;
		t->total += t->batch_total;
	}
	t->in_batch = false;
	t->batch_any = false;
}

void tally_event(struct tally *t, enum event_kind kind, const json_t *ev)
{
	if (kind == EV_BATCH_BEGIN) {
		end_batch(t);
		t->in_batch = true;
		return;
	}
	if (kind == EV_BATCH_END) {
		end_batch(t);
		return;
	}
	if (kind != EV_CASE)
		return;
	size_t i;
	json_t *c;
	json_array_foreach (json_object_get(ev, "cases"), i, c) {
		int flags = (int)json_integer_value(json_object_get(c, "status"));
		double pts = json_number_value(json_object_get(c, "points"));
		double tot = json_number_value(json_object_get(c, "total-points"));
		const char *code = verdict_code(flags);
		if (!t->worst || verdict_rank(code) > verdict_rank(t->worst))
			t->worst = code;
		t->time += json_number_value(json_object_get(c, "time"));
		long mem = (long)json_integer_value(json_object_get(c, "memory"));
		if (mem > t->memory)
			t->memory = mem;
		if (t->in_batch) {
			if (!t->batch_any || pts < t->batch_points)
				t->batch_points = pts;
			if (!t->batch_any || tot > t->batch_total)
				t->batch_total = tot;
			t->batch_any = true;
		} else {
			t->points += pts;
			t->total += tot;
		}
	}
}

void sc_init(struct sc_state *s, bool site_short_circuit)
{
	memset(s, 0, sizeof(*s));
	s->enabled = site_short_circuit;
}

void sc_free(struct sc_state *s)
{
	free(s->passed);
	s->passed = NULL;
	s->npassed = 0;
}

static bool batch_passed(const struct sc_state *s, int batch_no)
{
	return batch_no >= 0 && (size_t)batch_no < s->npassed && s->passed[batch_no];
}

void sc_batch_begin(struct sc_state *s, const int *deps, size_t ndeps)
{
	for (size_t i = 0; i < ndeps; i++)
		if (!batch_passed(s, deps[i]))
			s->active = true;
}

bool sc_skip(const struct sc_state *s)
{
	return s->active;
}

void sc_case_done(struct sc_state *s, int flags, double points, bool batched)
{
	if (!(flags & ST_WA))
		return;
	/* a failed case worth nothing (a sample, a pretest) is a gate */
	if (points == 0)
		s->enabled = true;
	if (batched || s->enabled)
		s->active = true;
}

void sc_batch_end(struct sc_state *s, int batch_no)
{
	if (!s->active && batch_no >= 0) {
		if ((size_t)batch_no >= s->npassed) {
			size_t n = (size_t)batch_no + 16;
			s->passed = xrealloc(s->passed, n * sizeof(bool));
			memset(s->passed + s->npassed, 0, (n - s->npassed) * sizeof(bool));
			s->npassed = n;
		}
		s->passed[batch_no] = true;
	}
	/* a failure inside a batch skips only the rest of that batch */
	s->active = s->active && s->enabled;
}
