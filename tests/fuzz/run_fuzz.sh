#!/usr/bin/env bash
# Run one libFuzzer harness for a bounded time on a scratch copy of its seed
# corpus (the repo's seeds are never modified).  Crashes are written to
# $NVMX_FUZZ_ARTIFACTS (default build-fuzz/fuzz-artifacts) and fail the test.
set -euo pipefail
exe=$1 seeds=$2
secs=${NVMX_FUZZ_SECONDS:-30}
# UBSan findings must fail the run, not scroll by.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
art=${NVMX_FUZZ_ARTIFACTS:-$PWD/fuzz-artifacts}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$art" "$work/corpus"
[[ -d $seeds ]] && cp -r "$seeds"/. "$work/corpus/" 2>/dev/null || true
exec "$exe" -max_total_time="$secs" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$art/$(basename "$exe")-" "$work/corpus"
