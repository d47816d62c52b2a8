#!/bin/sh
# `make bench`: runs every benchmark under tests/bench (bench_*.py with the
# Debian Python, bench_*.sh with sh, bench_*.c built into $BUILD/bench and
# run from there). Benchmarks report ratios against a baseline measured in
# the same run, or throughputs; they never fail the build.
BUILD=${BUILD:-build}
JUDGE=$(pwd)/$BUILD/judge
HELPERS=$(pwd)/$BUILD/helpers
export JUDGE HELPERS BUILD
for b in tests/bench/bench_*; do
	[ -f "$b" ] || continue
	echo "== $(basename "$b")"
	case "$b" in
	*.py) /usr/bin/python3 "$b" ;;
	*.sh) sh "$b" ;;
	*bench_sandbox.c) "$BUILD/bench/bench_sandbox" "$HELPERS/probe" "${ROUNDS:-200}" ;;
	*.c) "$BUILD/bench/$(basename "$b" .c)" ;;
	esac
done
