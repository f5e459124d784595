#!/usr/bin/env bash
# make fuzz: build the libFuzzer harnesses with clang and run each for
# FUZZ_SECONDS (default 600) seconds; new corpus entries are kept in
# build-fuzz/corpus/NAME so a long run can be resumed.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${FUZZDIR:-build-fuzz}
secs=${FUZZ_SECONDS:-600}
# UBSan findings must stop the run (they are recoverable by default).
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
[[ -f $dir/build.ninja ]] || CC=clang meson setup "$dir" -Dfuzz=true -Dinterop=false \
	-Db_sanitize=address,undefined -Db_lundef=false --buildtype=debugoptimized \
	-Dc_args=-fsanitize=fuzzer-no-link
ninja -C "$dir"
for exe in "$dir"/tests/fuzz/fuzz_*; do
	[[ -x $exe ]] || continue
	name=${exe##*/fuzz_}
	mkdir -p "$dir/corpus/$name"
	echo "=== $name: ${secs}s"
	"$exe" -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
		-artifact_prefix="$dir/fuzz-artifacts-$name-" "$dir/corpus/$name" "tests/fuzz/corpus/$name"
done
