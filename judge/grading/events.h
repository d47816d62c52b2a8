/*
 * events: what a grading reports, in order, to whoever drives it.
 *
 * Each event is a JSON object shaped like the DMOJ protocol packet it
 * becomes, without the submission id, so that the live judge forwards it
 * as it is and local front ends read the same fields. The kinds, their
 * names and which of them end a grading are one table in events.c; front
 * ends switch on the kind, never on the name.
 *
 * On the worker's pipe an event is framed as a 4-byte big-endian length
 * and the JSON text.
 */
#ifndef JUDGE_EVENTS_H
#define JUDGE_EVENTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "common/common.h"

enum event_kind {
	EV_UNKNOWN = 0,
	EV_COMPILE_ERROR,	  /* {log}: final */
	EV_COMPILE_MESSAGE,	  /* {log}: warnings of a successful compile */
	EV_GRADING_BEGIN,	  /* {pretested} */
	EV_BATCH_BEGIN,		  /* {} */
	EV_CASE,		  /* test-case-status {cases: [case]} */
	EV_BATCH_END,		  /* {} */
	EV_GRADING_END,		  /* {}: final */
	EV_INTERNAL_ERROR,	  /* {message}: final */
	EV_SUBMISSION_TERMINATED, /* {}: final, made by a front end that aborted */
};

/* The protocol name of a kind ("test-case-status"). */
const char *event_name(enum event_kind kind);
/* The kind of an event object, EV_UNKNOWN for anything else. */
enum event_kind event_kind_of(const json_t *ev);
/* True for the kinds that end a grading. */
bool event_kind_final(enum event_kind kind);
bool event_is_final(const json_t *ev);

/* Constructors. Text is made valid UTF-8 (a compiler's or checker's bytes
 * may not be); the caller owns the result. */
json_t *event_compile_error(const char *log);
json_t *event_compile_message(const char *log);
json_t *event_grading_begin(bool pretested);
json_t *event_batch_begin(void);
/* Takes the reference to c, one case's object (position, status, time,
 * points...). */
json_t *event_case(json_t *c);
json_t *event_batch_end(void);
json_t *event_grading_end(void);
json_t *event_internal_error(const char *message);
json_t *event_submission_terminated(void);

/* Writes one framed event to fd. Returns 0 or -1 (errno set). */
int event_write(int fd, const json_t *ev);

/* Events are small (outputs are cut to their prefix, logs to their
 * limit); a larger frame is a broken worker. */
#define EVENT_MAX (16u << 20)

enum { EVENT_READ_MORE = 0, EVENT_READ_ONE = 1, EVENT_READ_BROKEN = -1 };
/* Takes the first complete frame out of in. EVENT_READ_ONE with *ev set
 * (an object; the caller owns it), EVENT_READ_MORE when in holds no
 * complete frame, EVENT_READ_BROKEN for a frame over EVENT_MAX. A frame
 * that is not a JSON object is logged and dropped. */
int event_read(struct strbuf *in, json_t **ev);

/* What a front end does with each event of a grading it drives. */
typedef void (*event_handler)(void *ctx, enum event_kind kind, json_t *ev);

#endif
