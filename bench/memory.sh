#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Memory of both halves under many queues (issue 9, bench/README.md "Memory"):
#   1. nvmxd serving 64 connections x depth 128 (nvmx-perf -c 64 -q 128)
#   2. nvmx-perf with 8 queue pairs x depth 128 (-c 8 -q 128)
# VmRSS of each process sampled every second; the first and last samples
# after a warm-up show growth (none expected: every buffer is preallocated).
# The namespace is a null one so that RSS is the queues and buffers alone,
# not RAM namespace pages committed by writes.
# usage: bench/memory.sh [BUILD] [SECONDS] [CASES]  (default build, 60, "64 8")
set -eu
B=$(cd "${1:-build}" && pwd)
S=${2:-60}
CASES=${3:-64 8}
NQN=nqn.2024-01.io.nvmx:nvmxd
TGT=
LOG=$(mktemp /tmp/nvmx-memory-nvmxd.XXXXXX)
cleanup() { [[ -n $TGT ]] && kill "$TGT" 2>/dev/null && wait "$TGT" 2>/dev/null; true; }
trap cleanup EXIT
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# --no-busy-poll: 64 busy threads on 2 CPUs would only measure the scheduler
taskset -c 0 "$B/tools/nvmxd" --listen 127.0.0.1:"$P" --null 1G --block-size 4096 --cpu 0 \
	--no-busy-poll >"$LOG" 2>&1 &
TGT=$!
for _ in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/"$P") 2>/dev/null && break; sleep 0.05; done
echo "nvmxd idle: VmRSS $(rss $TGT) KiB; load $(cut -d' ' -f1-3 /proc/loadavg)"

run() {	# label threads depth
	local label=$1 c=$2 q=$3 h first_t= first_h= last_t last_h max_t=0 max_h=0 i=0
	taskset -c 1 "$B/tools/nvmx-perf" -r "trtype:TCP traddr:127.0.0.1 trsvcid:$P subnqn:$NQN" \
		-c "$c" -q "$q" -o 4096 -w randrw -t "$S" --json >/tmp/nvmx-memory-$$.json 2>/dev/null &
	h=$!
	sleep 2		# warm-up: connect, first touch of every buffer
	while kill -0 "$h" 2>/dev/null; do
		last_t=$(rss $TGT); last_h=$(rss $h)
		[[ $last_h -gt 0 ]] || break
		[[ -z $first_t ]] && first_t=$last_t first_h=$last_h
		((last_t > max_t)) && max_t=$last_t
		((last_h > max_h)) && max_h=$last_h
		i=$((i + 1))
		sleep 1
	done
	wait "$h" || echo "  nvmx-perf exit $? (errors under load are reported, RSS still counts)"
	python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["total"]; print("  %d I/Os, %d errors" % (t["ios"], t["errors"]))' /tmp/nvmx-memory-$$.json
	rm -f /tmp/nvmx-memory-$$.json
	echo "$label: $i samples; nvmxd VmRSS first $first_t last $last_t max $max_t KiB;" \
	     "nvmx-perf VmRSS first $first_h last $last_h max $max_h KiB"
}
for c in $CASES; do
	case $c in
	64) run "64 connections x depth 128" 64 128 ;;
	8) run "8 queue pairs x depth 128" 8 128 ;;
	*) echo "memory.sh: case $c is not 64 or 8" >&2; exit 2 ;;
	esac
done
echo "nvmxd at the end: VmRSS $(rss $TGT) KiB"
if grep -q -E 'warn|error' "$LOG"; then
	echo "nvmxd said (first lines; whole log $LOG):"
	grep -E 'warn|error' "$LOG" | head -5
else
	rm -f "$LOG"
fi
