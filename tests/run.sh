#!/bin/sh
# Runs every test program: the cmocka unit tests, the end-to-end tests that
# drive the built judge, the sandbox's hostile-program battery, a short soak
# of the live judge (300 submissions), and `judge testsuite` on the example
# problems. Quiet on success; a failing program's output is shown. Ends with
# one summary line; exits non-zero if anything failed.
BUILD=${BUILD:-build}
JUDGE=$(pwd)/$BUILD/judge
HELPERS=$(pwd)/$BUILD/helpers
export JUDGE HELPERS
PYTHON=/usr/bin/python3
logdir=$(mktemp -d "${TMPDIR:-/tmp}/judge-tests-XXXXXX") || exit 1
passed=0
failed=0
failures=""

run() {
	name=$1
	shift
	start=$(date +%s)
	if "$@" >"$logdir/log" 2>&1; then
		passed=$((passed + 1))
		printf '  ok    %-40s %ss\n' "$name" $(($(date +%s) - start))
	else
		failed=$((failed + 1))
		failures="$failures $name"
		printf '  FAIL  %s\n' "$name"
		sed 's/^/        /' "$logdir/log"
	fi
}

echo "unit tests:"
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	run "$(basename "$t")" "$t"
done
echo "end-to-end tests:"
for t in tests/e2e/test_*.py; do
	[ -f "$t" ] || continue
	run "$(basename "$t")" "$PYTHON" "$t"
done
echo "sandbox battery:"
for t in tests/sandbox/test_*.py; do
	[ -f "$t" ] || continue
	run "$(basename "$t")" "$PYTHON" "$t"
done
echo "soak:"
run "soak.py (SOAK_N=300)" env SOAK_N=300 "$PYTHON" tests/soak/soak.py
echo "problem test suites:"
run "judge testsuite tests/problems" "$JUDGE" -c config.yml.example --no-ansi testsuite \
	tests/problems
rm -rf "$logdir"
if [ "$failed" -eq 0 ]; then
	echo "tests: all $passed test programs passed"
else
	echo "tests: $failed of $((passed + failed)) test programs failed:$failures"
	exit 1
fi
