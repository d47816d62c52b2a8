#!/bin/sh
# `make demo`: grades every bundled example solution with `judge submit`,
# case by case, and says what each one was expected to get; then
# `judge testsuite` checks every result against its test.yml.
BUILD=${BUILD:-build}
JUDGE=$BUILD/judge
CONFIG=config.yml.example
status=0
for test in tests/problems/*/tests/*/test.yml; do
	dir=$(dirname "$test")
	problem=$(basename "$(dirname "$(dirname "$dir")")")
	get() { sed -n "s/^$1: *//p" "$test" | head -n 1; }
	lang=$(get language)
	source=$(get source)
	time=$(get time)
	memory=$(get memory)
	expect=$(get expect)
	[ -n "$expect" ] || expect="per case: $(get cases)"
	printf '\n== %s: %s (%s), expected %s\n' "$problem" "$source" "$lang" "$expect"
	"$JUDGE" -c "$CONFIG" submit "$problem" "$lang" "$dir/$source" \
		-t "${time:-2}" -m "${memory:-262144}" 2>/dev/null
done
printf '\n== judge testsuite tests/problems\n'
"$JUDGE" -c "$CONFIG" testsuite tests/problems 2>/dev/null || status=1
exit $status
