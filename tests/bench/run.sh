#!/bin/sh
# Benchmarks (not tests: nothing here fails on a slow machine). Prints what
# the sandbox costs a trivial program's launch and a program making a
# million write calls, each against the same work without it, measured in
# the same run. `make bench` builds and runs this.
BUILD=${BUILD:-build}
ROUNDS=${ROUNDS:-200}
exec "$BUILD/bench/bench_sandbox" "$(pwd)/$BUILD/helpers/probe" "$ROUNDS"
