#!/bin/sh
# `make bench`: runs every benchmark program (tests/bench/bench_*.c, built
# into $BUILD/bench). Performance is measured here, never asserted in tests.
BUILD=${BUILD:-build}
status=0
for b in "$BUILD"/bench/bench_*; do
	[ -x "$b" ] || continue
	echo "== $(basename "$b")"
	"$b" || status=1
done
exit $status
