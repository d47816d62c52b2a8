/*
 * What the libFuzzer harnesses in tests/fuzz/ share: libFuzzer's entry
 * points, a scratch folder per fuzzing process for harnesses whose code
 * under test reads files, a quiet log, and a way to report a broken
 * invariant as a crash so that libFuzzer keeps the input that caused it.
 */
#ifndef JUDGE_FUZZ_HARNESS_H
#define JUDGE_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "common/common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The scratch folder (made on first use under $TMPDIR, removed at exit);
 * also sends the judge's log to /dev/null, since every rejected input
 * would otherwise print a line. */
const char *fuzz_scratch(void);
/* dir/name holding exactly these bytes; aborts if it cannot be written,
 * because then the harness is broken, not the code under test. */
void fuzz_write(const char *dir, const char *name, const void *data, size_t n);
/* Quiets the log without making a scratch folder. */
void fuzz_quiet(void);
/* Reports a broken invariant and aborts: libFuzzer saves the input. */
NORETURN void fuzz_fail(const char *fmt, ...) PRINTF(1, 2);

#endif
