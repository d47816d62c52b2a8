/*
 * signature_grader: the problem's entry file is compiled with the
 * submission, which implements the functions its header declares.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "executors/executors.h"
#include "judge/checkers/bridged.h"
#include "judge/checkers/checkers.h"
#include "judge/checkers/pychecker.h"
#include "judge/grading/events.h"
#include "judge/grading/grading.h"
#include "judge/grading/internal.h"
#include "judge/grading/verdict.h"
#include "judge/helpers/helpers.h"
#include "sandbox/sandbox.h"

static bool plain_name(const char *s)
{
	return strlen(s) <= 64 && str_plain(s, strlen(s), "_");
}

void grading_signature_free(struct signature_sources *s)
{
	free(s->entry);
	free(s->header);
	free(s->submission);
	free(s->sub_name);
}

int grading_signature_prepare(struct grading *g, struct compile_request *creq,
			      struct signature_sources *s)
{
	const struct problem_signature *sig = g->prob->signature;
	char err[ERR_SIZE];
	if (problem_read_data(g->prob, sig->entry, true, &s->entry, &s->entry_len, err,
			      sizeof(err)) < 0 ||
	    problem_read_data(g->prob, sig->header, true, &s->header, &s->header_len, err,
			      sizeof(err)) < 0) {
		grading_internal_error(g, "%s", err);
		return -1;
	}
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "#include \"%s\"\n", sig->header);
	if (!sig->allow_main) {
		unsigned char rnd[16];
		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
			sb_free(&sb);
			grading_internal_error(g, "getrandom: %s", strerror(errno));
			return -1;
		}
		sb_adds(&sb, "#define main main_");
		for (size_t i = 0; i < sizeof(rnd); i++)
			sb_addf(&sb, "%02x", rnd[i]);
		sb_addc(&sb, '\n');
	}
	sb_add(&sb, g->req->source, g->req->source_len);
	s->submission_len = sb.len;
	s->submission = sb_detach(&sb);
	s->sub_name =
	    xasprintf("%s_submission.%s", plain_name(g->prob->code) ? g->prob->code : "signature",
		      executor_extension(g->exe));
	s->extra[0] = (struct source_file){sig->header, s->header, s->header_len};
	s->extra[1] = (struct source_file){s->sub_name, s->submission, s->submission_len};
	creq->source = s->entry;
	creq->len = s->entry_len;
	creq->extra = s->extra;
	creq->nextra = 2;
	return 0;
}
