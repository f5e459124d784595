#!/usr/bin/env bash
# The whole test suite: every test in the normal build, then again in the
# ASan+UBSan build (interop excluded there: it boots guests and exercises the
# same binaries' protocol paths), then bounded fuzz runs when built.
# Ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
SAN=${SAN:-build-san}
FUZZ=${FUZZ:-build-fuzz}
total_pass=0 total_fail=0 total_skip=0

run_suite() {	# build-dir label meson-test-args...
	local dir=$1 label=$2; shift 2
	echo "=== $label ($dir) ==="
	# A log from an earlier run must not be counted when this one cannot
	# even build (meson test rebuilds first and stops if that fails).
	rm -f "$dir/meson-logs/testlog.json"
	local counts rc=0
	meson test -C "$dir" --print-errorlogs --num-processes "${NVMX_TEST_JOBS:-2}" "$@" || rc=$?
	if [[ -f $dir/meson-logs/testlog.json ]]; then
		counts=$(python3 scripts/count_tests.py "$dir/meson-logs/testlog.json")
	else
		counts="0 0 0"
	fi
	read -r p f s <<<"$counts"
	if ((rc != 0 && f == 0)); then	# failed before or outside any test: the build
		echo "--- $label: meson test exited $rc with no failed test: counted as one failure"
		f=1
	fi
	echo "--- $label: $p passed, $f failed, $s skipped"
	total_pass=$((total_pass + p)); total_fail=$((total_fail + f)); total_skip=$((total_skip + s))
}

run_suite "$BUILD" "normal build" ${NVMX_CHECK_ARGS:-}
run_suite "$SAN" "ASan+UBSan build" --no-suite interop --no-suite bench ${NVMX_CHECK_ARGS:-}
# (list into a variable: grep -q closing the pipe early would trip pipefail)
fuzz_tests=
[[ -f "$FUZZ/build.ninja" ]] && fuzz_tests=$(meson test -C "$FUZZ" --list --suite fuzz 2>/dev/null)
if [[ $fuzz_tests == *fuzz* ]]; then
	run_suite "$FUZZ" "fuzz (bounded, ${NVMX_FUZZ_SECONDS:-30}s each)" --suite fuzz
fi

echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[[ $total_fail -eq 0 ]]
