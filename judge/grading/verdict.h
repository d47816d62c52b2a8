/*
 * verdict: the status bits of a case, the codes a site shows for them,
 * the running totals of a grading, and the short-circuit rules.
 */
#ifndef JUDGE_VERDICT_H
#define JUDGE_VERDICT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "judge/grading/events.h"

/* ---- verdicts ---- */
enum {
	ST_AC = 0,
	ST_WA = 1,
	ST_RTE = 2,
	ST_TLE = 4,
	ST_MLE = 8,
	ST_IR = 16,
	ST_SC = 32,
	ST_OLE = 64,
	ST_IE = 1 << 30,
};
/* The code a site shows for a case's flags: TLE, MLE, OLE, RTE, IR, WA,
 * SC, else AC (IE first when set). */
const char *verdict_code(int flags);
/* Rank of a code for the final verdict: SC < AC < WA < MLE < TLE < IR <
 * RTE < OLE. */
int verdict_rank(const char *code);

/* Running totals of a grading, computed as the site computes them. */
struct tally {
	double points, total, time;
	long memory;
	const char *worst; /* worst case code so far, or NULL */
	bool in_batch;
	double batch_points, batch_total;
	bool batch_any;
};
void tally_init(struct tally *t);
/* Feeds one event (batch begin and end and cases count). */
void tally_event(struct tally *t, enum event_kind kind, const json_t *ev);

/* Short-circuiting and batch dependencies (protocol.md): which cases are
 * skipped, decided from the results so far. */
struct sc_state {
	bool enabled; /* skip everything after a failure */
	bool active;  /* skipping now */
	bool *passed; /* by batch number */
	size_t npassed;
};
void sc_init(struct sc_state *s, bool site_short_circuit);
void sc_free(struct sc_state *s);
/* A batch starts: skipped whole when a dependency did not pass. */
void sc_batch_begin(struct sc_state *s, const int *deps, size_t ndeps);
bool sc_skip(const struct sc_state *s);
/* A case ended with these flags; points is what it was worth. */
void sc_case_done(struct sc_state *s, int flags, double points, bool batched);
void sc_batch_end(struct sc_state *s, int batch_no);

#endif
