#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# `make bench`: the issue 9 matrix (nvmx-perf against nvmxd over loopback
# NVMe/TCP, target on CPU 0, host on CPU 1, RAM namespace, no digests) plus
# the raw loopback bounds, repeats interleaved.  The work is in bench.py;
# every knob is an environment variable (bench/README.md):
#   BENCH_SECONDS=5 BENCH_REPEATS=3 BENCH_WORKLOADS=qd1,qd32,seq128k,randwrite
#   BENCH_BUILDS="build"   (several build dirs: A/B runs, interleaved)
#   BENCH_TARGET_ARGS="--busy-poll"  BENCH_RESULTS=bench/results
set -e
here=$(cd "$(dirname "$0")" && pwd)
exec python3 "$here/bench.py" "$@"
