#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Per-I/O profile of both halves (bench/README.md "Profile"):
#   - callgrind: user-space instructions per I/O of nvmxd and of nvmx-perf,
#     and the top functions (repeatable even on a loaded machine).  The side
#     under callgrind is ~50x slower than the other, so it never waits and
#     its count is work, not polling.
#   - strace -c -f: system calls per I/O of each side (same reasoning).
#   - perf record -e cpu-clock (no hardware counters in this VM): where the
#     time goes, kernel included, both sides at full speed.
# usage: bench/profile.sh [qd1|qd32|seq128k|randwrite] [BUILD] [SECONDS]
set -eu
W=${1:-qd32}
B=$(cd "${2:-build}" && pwd)
S=${3:-5}
STEPS=${PROFILE_STEPS:-callgrind,syscalls,perf}	# any subset
case $W in
qd1) ARGS="-q 1 -o 4096 -w randread" ;;
qd32) ARGS="-q 32 -o 4096 -w randread" ;;
seq128k) ARGS="-q 8 -o 131072 -w read" ;;
randwrite) ARGS="-q 32 -o 4096 -w randwrite" ;;
*) echo "usage: $0 [qd1|qd32|seq128k|randwrite] [BUILD] [SECONDS]" >&2; exit 2 ;;
esac
OUT=$(mktemp -d /tmp/nvmx-profile.XXXXXX)
NQN=nqn.2024-01.io.nvmx:nvmxd
TGT_PID=
cleanup() { [[ -n $TGT_PID ]] && kill "$TGT_PID" 2>/dev/null && wait "$TGT_PID" 2>/dev/null; true; }
trap cleanup EXIT

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 400); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }
start_tgt() {	# prefix... ; sets TGT_PID, P
	P=$(port)
	taskset -c 0 "$@" "$B/tools/nvmxd" --listen 127.0.0.1:"$P" --ram 256M --block-size 4096 \
		--cpu 0 ${TARGET_ARGS:-} >"$OUT/nvmxd.log" 2>&1 &
	TGT_PID=$!
	wait_port "$P"
	# prefill: reads then come from written pages, as in bench.py
	taskset -c 1 "$B/tools/nvmx-perf" -r "trtype:TCP traddr:127.0.0.1 trsvcid:$P subnqn:$NQN" \
		-q 8 -o 131072 -w write -t 1 >/dev/null
}
stop_tgt() {	# the nvmxd under any wrapper, then the wrapper
	local k
	for k in $(pgrep -P "$TGT_PID") "$TGT_PID"; do kill -INT "$k" 2>/dev/null || true; done
	wait "$TGT_PID" || true
	TGT_PID=
}
perf_run() {	# port prefix...
	local p=$1; shift
	taskset -c 1 "$@" "$B/tools/nvmx-perf" -r "trtype:TCP traddr:127.0.0.1 trsvcid:$p subnqn:$NQN" \
		--cpu 1 $ARGS -t "$S" --json >"$OUT/perf.json"
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"]["ios"])' "$OUT/perf.json"
}
ir_total() { callgrind_annotate "$1" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",","",$1); print $1; exit}'; }
per_io() { [[ -n $1 && -n $2 && $2 -gt 0 ]] && echo $(($1 / $2)) || echo "?"; }
top_fns() { callgrind_annotate --inclusive=no "$1" 2>/dev/null | grep -E '^ *[0-9,]+ \(' | head -12; }

echo "== $W ($ARGS), build $B, ${S}s per step, load: $(cut -d' ' -f1-3 /proc/loadavg)"

if [[ $STEPS == *callgrind* ]]; then
# 1. target under callgrind (sleeping in epoll when idle: counts are work)
TARGET_ARGS="--no-busy-poll ${TARGET_ARGS:-}" start_tgt valgrind --tool=callgrind \
	--instr-atstart=no --callgrind-out-file="$OUT/tgt.cg"
callgrind_control -i on "$TGT_PID" >/dev/null 2>&1	# count from here: not startup, not prefill
ios=$(perf_run "$P")
stop_tgt
ir=$(ir_total "$OUT/tgt.cg")
echo "nvmxd (callgrind): $ios I/Os, $(per_io "$ir" "$ios") instructions per I/O (user space)"
top_fns "$OUT/tgt.cg"

# 2. host under callgrind
start_tgt
ios=$(perf_run "$P" valgrind --tool=callgrind --callgrind-out-file="$OUT/host.cg")
stop_tgt
ir=$(ir_total "$OUT/host.cg")
echo "nvmx-perf (callgrind): $ios I/Os, $(per_io "$ir" "$ios") instructions per I/O (user space, incl. connect)"
top_fns "$OUT/host.cg"

fi

if [[ $STEPS == *syscalls* ]]; then
# 3. system calls per I/O, both sides at speed (tracepoint counts: cheap)
EV=raw_syscalls:sys_enter
for sc in recvmsg recvfrom sendmsg sendto epoll_wait readv writev io_uring_enter; do
	EV="$EV,syscalls:sys_enter_$sc"
done
if perf stat -e raw_syscalls:sys_enter true >/dev/null 2>&1; then
	start_tgt
	sleep 0.5
	perf stat -x, -e "$EV" -p "$TGT_PID" -o "$OUT/tgt.stat" &
	SP=$!
	ios=$(perf_run "$P" perf stat -x, -e "$EV" -o "$OUT/host.stat")
	kill -INT $SP; wait $SP || true
	stop_tgt
	for side in tgt host; do
		echo "$side system calls per I/O at speed ($ios I/Os):"
		awk -F, -v n="$ios" '$1 ~ /^[0-9]+$/ && $1 > 0 { sub("syscalls:sys_enter_", "", $3); sub("raw_syscalls:sys_enter", "all", $3); printf "  %-12s %8.3f\n", $3, $1 / n }' "$OUT/$side.stat"
	done
fi

fi

if [[ $STEPS == *perf* ]]; then
# 4. perf record, both sides at speed
if perf record -e cpu-clock -o /dev/null true >/dev/null 2>&1; then
	start_tgt
	perf record -q -e cpu-clock -p "$TGT_PID" -o "$OUT/tgt.perf" 2>/dev/null &
	RP=$!
	ios=$(perf_run "$P" perf record -q -e cpu-clock -o "$OUT/host.perf")
	kill -INT $RP; wait $RP || true
	stop_tgt
	echo "perf (cpu-clock) at speed: $ios I/Os"
	for side in tgt host; do
		echo " $side: top symbols (share of samples)"
		perf report -i "$OUT/$side.perf" --stdio --sort sym 2>/dev/null | grep -E '^ +[0-9.]+%' | head -12
	done
fi
fi
echo "raw files: $OUT"
