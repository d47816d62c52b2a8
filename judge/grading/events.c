/*
 * The event vocabulary of a grading: one table of kinds, the constructors
 * the grader uses, and the framing on the worker's pipe.
 *
 * Every name the protocol gives an event appears here once; the rest of
 * the judge speaks in enum event_kind.
 */
#include <string.h>

#include "judge/grading/events.h"

static const struct {
	enum event_kind kind;
	const char *name;
	bool final;
} kinds[] = {
    {EV_COMPILE_ERROR, "compile-error", true},
    {EV_COMPILE_MESSAGE, "compile-message", false},
    {EV_GRADING_BEGIN, "grading-begin", false},
    {EV_BATCH_BEGIN, "batch-begin", false},
    {EV_CASE, "test-case-status", false},
    {EV_BATCH_END, "batch-end", false},
    {EV_GRADING_END, "grading-end", true},
    {EV_INTERNAL_ERROR, "internal-error", true},
    {EV_SUBMISSION_TERMINATED, "submission-terminated", true},
};

const char *event_name(enum event_kind kind)
{
	for (size_t i = 0; i < ARRAY_LEN(kinds); i++)
		if (kinds[i].kind == kind)
			return kinds[i].name;
	return "unknown";
}

enum event_kind event_kind_of(const json_t *ev)
{
	const char *name = json_string_value(json_object_get(ev, "name"));
	if (!name)
		return EV_UNKNOWN;
	for (size_t i = 0; i < ARRAY_LEN(kinds); i++)
		if (!strcmp(kinds[i].name, name))
			return kinds[i].kind;
	return EV_UNKNOWN;
}

bool event_kind_final(enum event_kind kind)
{
	for (size_t i = 0; i < ARRAY_LEN(kinds); i++)
		if (kinds[i].kind == kind)
			return kinds[i].final;
	return false;
}

bool event_is_final(const json_t *ev)
{
	return event_kind_final(event_kind_of(ev));
}

static json_t *bare(enum event_kind kind)
{
	return json_pack("{s:s}", "name", event_name(kind));
}

static json_t *with_text(enum event_kind kind, const char *member, const char *text)
{
	char *fixed = utf8_repair(text ? text : "", text ? strlen(text) : 0);
	json_t *ev = json_pack("{s:s, s:s}", "name", event_name(kind), member, fixed);
	free(fixed);
	return ev;
}

json_t *event_compile_error(const char *log)
{
	return with_text(EV_COMPILE_ERROR, "log", log);
}

json_t *event_compile_message(const char *log)
{
	return with_text(EV_COMPILE_MESSAGE, "log", log);
}

json_t *event_grading_begin(bool pretested)
{
	return json_pack("{s:s, s:b}", "name", event_name(EV_GRADING_BEGIN), "pretested",
			 pretested);
}

json_t *event_batch_begin(void)
{
	return bare(EV_BATCH_BEGIN);
}

json_t *event_case(json_t *c)
{
	return json_pack("{s:s, s:[o]}", "name", event_name(EV_CASE), "cases", c);
}

json_t *event_batch_end(void)
{
	return bare(EV_BATCH_END);
}

json_t *event_grading_end(void)
{
	return bare(EV_GRADING_END);
}

json_t *event_internal_error(const char *message)
{
	return with_text(EV_INTERNAL_ERROR, "message", message);
}

json_t *event_submission_terminated(void)
{
	return bare(EV_SUBMISSION_TERMINATED);
}

int event_write(int fd, const json_t *ev)
{
	char *text = json_dumps(ev, JSON_COMPACT);
	if (!text)
		return -1;
	size_t n = strlen(text);
	unsigned char hdr[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
				(unsigned char)(n >> 8), (unsigned char)n};
	int rc = write_all(fd, hdr, 4) < 0 || write_all(fd, text, n) < 0 ? -1 : 0;
	free(text);
	return rc;
}

int event_read(struct strbuf *in, json_t **ev)
{
	*ev = NULL;
	while (in->len >= 4) {
		const unsigned char *h = (const unsigned char *)in->buf;
		size_t n = (size_t)h[0] << 24 | (size_t)h[1] << 16 | (size_t)h[2] << 8 | h[3];
		if (n > EVENT_MAX) {
			log_error("grading worker sent an event of %zu bytes; stopping it", n);
			return EVENT_READ_BROKEN;
		}
		if (in->len < 4 + n)
			return EVENT_READ_MORE;
		json_error_t je;
		json_t *j = json_loadb(in->buf + 4, n, JSON_ALLOW_NUL, &je);
		memmove(in->buf, in->buf + 4 + n, in->len - 4 - n);
		in->len -= 4 + n;
		if (j && json_is_object(j)) {
			*ev = j;
			return EVENT_READ_ONE;
		}
		log_error("grading worker sent a malformed event: %s", je.text);
		json_decref(j);
	}
	return EVENT_READ_MORE;
}
