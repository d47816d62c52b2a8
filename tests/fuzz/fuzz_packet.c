/*
 * Fuzzes what the live judge does with a decoded packet from the bridge:
 * reading a submission-request into a grading request
 * (live_parse_submission), with arbitrary JSON in place of the packet.
 *
 * The input is JSON text, parsed as the frame decoder parses it (NUL
 * bytes allowed in strings). Besides crashes, the harness checks the
 * contract live.c relies on: an accepted request has every member the
 * worker reads, with the values the packet gave (the source byte for
 * byte, NULs included); a refused one names a member in the message the
 * site is sent and holds nothing to free; only a packet without an
 * integer submission-id goes unanswered.
 */
#include <math.h>
#include <string.h>

#include "judge/frontends/frontends.h"
#include "judge/grading/grading.h"
#include "tests/fuzz/harness.h"

static void check_accepted(const json_t *p, const struct grading_request *r)
{
	const json_t *src = json_object_get(p, "source");
	if (!r->problem || !r->language || !r->source)
		fuzz_fail("an accepted submission lacks its problem, language or source");
	if (strcmp(r->problem, json_string_value(json_object_get(p, "problem-id"))) ||
	    strcmp(r->language, json_string_value(json_object_get(p, "language"))))
		fuzz_fail("the problem or language differs from the packet's");
	if (r->source_len != json_string_length(src) ||
	    memcmp(r->source, json_string_value(src), r->source_len) || r->source[r->source_len])
		fuzz_fail("the source differs from the packet's");
	if (!(r->time_limit > 0) || !isfinite(r->time_limit) || r->memory_limit <= 0)
		fuzz_fail("accepted limits %g s, %ld KiB", r->time_limit, r->memory_limit);
	if (r->meta && !json_is_object(r->meta))
		fuzz_fail("meta is not an object");
	if (r->id != json_integer_value(json_object_get(p, "submission-id")))
		fuzz_fail("the id differs from the packet's");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_quiet();
	json_error_t je;
	json_t *p = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	if (!p)
		return 0;
	struct grading_request req;
	char err[ERR_SIZE];
	memset(err, 0, sizeof(err));
	int rc = live_parse_submission(p, &req, err, sizeof(err));
	bool has_id = json_is_integer(json_object_get(p, "submission-id"));
	if (rc == 0) {
		check_accepted(p, &req);
	} else if (rc == LIVE_BAD_MEMBER) {
		if (!has_id || strncmp(err, "submission-request: member `", 28))
			fuzz_fail("refused without an id or a member to name: %s", err);
		if (req.problem || req.language || req.source || req.meta)
			fuzz_fail("a refused submission holds memory");
	} else if (rc != LIVE_NO_ID || has_id) {
		fuzz_fail("live_parse_submission returned %d", rc);
	}
	grading_request_free(&req);
	json_decref(p);
	return 0;
}
