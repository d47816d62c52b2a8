#!/bin/sh
# Runs every libFuzzer harness built in $FUZZ_BUILD (`make fuzz`), one after
# the other, each for $FUZZ_SECONDS seconds on a copy of its seed corpus
# (tests/fuzz/corpus/NAME/ and what make_seeds.py writes) in a temporary
# folder, which is also the harness's $TMPDIR.
#
# Before fuzzing, the inputs kept in tests/fuzz/crashes/NAME/ are replayed:
# each is a crash found earlier, in code awaiting a fix, and counts as a
# finding for as long as it still fails. A crash, leak, undefined
# behaviour, timeout (over $FUZZ_TIMEOUT seconds for one input) or memory
# blow-up during fuzzing is a finding too: its input is copied to
# $FUZZ_BUILD/findings/NAME/, and
# fuzzing resumes for the rest of the harness's time, so that one bug does
# not hide the next. Ends with one line per harness (executions, coverage,
# findings) and exits 1 if anything was found.
set -u
FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-20}
here=$(dirname "$0")
work=$(mktemp -d "${TMPDIR:-/tmp}/judge-fuzz-XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
summary=$work/summary
findings_total=0

# The sanitizer's or the harness's own one-line account of a failure. A
# leak is told by where it was allocated (the first frame outside the
# allocators), since its summary only counts bytes.
what_failed() {
	line=$(grep -m1 -E '^SUMMARY: |^fuzz: |ERROR: libFuzzer: ' "$1" |
		sed -E 's/^==[0-9]+== //; s/ after [0-9]+ seconds//')
	case $line in *leaked*)
		at=$(grep -E '^ +#[0-9]+ .* in [^ ]+ [^ ]+\.c:' "$1" | grep -v 'common/alloc\.c' |
			sed -n -E '1s#.* in ([^ ]+) .*/(([a-z]+/)+[^/ ]+\.c:[0-9]+).*#\1 \2#p')
		line="SUMMARY: memory leaked, allocated in ${at:-?}"
		;;
	esac
	echo "${line:-see $2}"
}

# Records a finding: the input and the first lines of the report. The
# same failure found again (the same sanitizer summary) counts once.
finding() { # harness, input path, log, kind
	inputs=$((inputs + 1))
	what=$(what_failed "$3" "$2")
	if grep -qxF "$what" "$dir/seen"; then
		echo "FINDING $1 ($4), again: $what"
		echo "  input: $2"
		return
	fi
	echo "$what" >>"$dir/seen"
	findings=$((findings + 1))
	echo "FINDING $1 ($4): $what"
	echo "  input: $2"
	grep -m8 -E 'runtime error|ERROR: (Address|Leak|libFuzzer)|^    #[0-5] |^fuzz: ' "$3" |
		sed 's/^ */    /'
}

# Takes an input that failed out of the corpus (a seed, or one that
# libFuzzer kept before it failed), so that resuming does not stop on it.
drop_from_corpus() { # input
	for c in "$dir/corpus"/*; do
		cmp -s "$c" "$1" && rm -f "$c"
	done
}

for bin in "$FUZZ_BUILD"/fuzz_*; do
	[ -x "$bin" ] || continue
	case $bin in *.d) continue ;; esac
	name=${bin##*/fuzz_}
	dir=$work/$name
	keep=$FUZZ_BUILD/findings/$name
	mkdir -p "$dir/corpus" "$dir/artifacts" "$dir/tmp" "$keep"
	if [ -d "$here/corpus/$name" ]; then
		cp "$here/corpus/$name"/* "$dir/corpus/"
	fi
	/usr/bin/python3 "$here/make_seeds.py" "$name" "$dir/corpus" || exit 1
	findings=0 inputs=0
	: >"$dir/seen"

	for f in "$here/crashes/$name"/*; do
		[ -f "$f" ] || continue
		if ! TMPDIR=$dir/tmp "$bin" -timeout="$FUZZ_TIMEOUT" "$f" >"$dir/replay.log" 2>&1; then
			finding "$name" "$f" "$dir/replay.log" "known, still failing"
		fi
	done

	execs=0 cov=0 ft=0 corp=0 round=0
	end=$(($(date +%s) + FUZZ_SECONDS))
	while [ "$(date +%s)" -lt "$end" ] && [ $round -lt 20 ]; do
		round=$((round + 1))
		left=$((end - $(date +%s)))
		log=$dir/fuzz.$round.log
		TMPDIR=$dir/tmp "$bin" -max_total_time="$left" -timeout="$FUZZ_TIMEOUT" \
			-rss_limit_mb=2048 -error_exitcode=1 -print_final_stats=1 \
			-artifact_prefix="$dir/artifacts/" "$dir/corpus" >"$log" 2>&1
		rc=$?
		n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
		execs=$((execs + ${n:-0}))
		stats=$(grep -E '^#[0-9]+.* cov: ' "$log" | tail -1)
		c=$(echo "$stats" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
		t=$(echo "$stats" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
		k=$(echo "$stats" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
		[ "${c:-0}" -gt "$cov" ] && cov=$c
		[ "${t:-0}" -gt "$ft" ] && ft=$t
		[ "${k:-0}" -gt "$corp" ] && corp=$k
		[ $rc -eq 0 ] && break
		found=0
		for a in "$dir/artifacts"/*; do
			[ -f "$a" ] || continue
			found=1
			mv "$a" "$keep/"
			drop_from_corpus "$keep/${a##*/}"
			finding "$name" "$keep/${a##*/}" "$log" "found now"
		done
		if [ $found -eq 0 ]; then
			cp "$log" "$keep/fuzz.$round.log"
			finding "$name" "(none saved; log $keep/fuzz.$round.log)" "$log" "exit $rc"
		fi
	done
	findings_total=$((findings_total + findings))
	printf 'fuzz: %-10s %10s execs  cov: %-5s ft: %-6s corpus: %-5s findings: %s' \
		"$name" "$execs" "$cov" "$ft" "$corp" "$findings" >>"$summary"
	if [ "$inputs" -gt "$findings" ]; then
		printf ' (%s inputs)' "$inputs" >>"$summary"
	fi
	echo >>"$summary"
done

echo "fuzz summary ($FUZZ_SECONDS s per harness):"
cat "$summary"
if [ "$findings_total" -gt 0 ]; then
	echo "fuzz: $findings_total findings (inputs in $FUZZ_BUILD/findings/ or tests/fuzz/crashes/)"
	exit 1
fi
echo "fuzz: no findings"
