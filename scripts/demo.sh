#!/usr/bin/env bash
# make demo: start nvmxd on 127.0.0.1 (a free port, a RAM namespace, a
# control socket) and show nvmx at work against it: discovery, an id-ctrl
# summary, write + read-verify, SMART, a 5-second nvmx-perf run, a SMART
# warning injected through the control socket arriving as an event; then
# stop the target and print a summary.  No root needed.  Exit 0 when every
# step did what it should.
set -uo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
NVMX=$BUILD/tools/nvmx
PERF=$BUILD/tools/nvmx-perf
NVMXD=$BUILD/tools/nvmxd
NQN=nqn.2026-11.io.nvmx:demo
SECS=${DEMO_PERF_SECONDS:-5}

if [[ ! -x $NVMX || ! -x $PERF || ! -x $NVMXD ]]; then
	echo "nvmx demo: nvmx, nvmx-perf or nvmxd is not built yet; running the unit tests that exist."
	exec meson test -C "$BUILD" --suite unit
fi

bold=$'\e[1m' dim=$'\e[2m' off=$'\e[0m'
[[ -t 1 ]] || bold= dim= off=
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$off"; }
indent() { sed 's/^/   /'; }
declare -a SUMMARY=()
FAILED=0
result() {	# result ok|fail text
	if [[ $1 == ok ]]; then SUMMARY+=("  ok    $2"); else SUMMARY+=("  FAIL  $2"); FAILED=1; fi
}

TMP=$(mktemp -d /tmp/nvmx-demo.XXXXXX)
TGT_PID=
cleanup() {
	[[ -n $TGT_PID ]] && kill "$TGT_PID" 2>/dev/null && wait "$TGT_PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
CTL=$TMP/nvmxd.sock
T=tcp://127.0.0.1:$PORT/$NQN

step "Starting nvmxd on 127.0.0.1:$PORT (256 MiB RAM namespace, control socket)"
"$NVMXD" --listen "127.0.0.1:$PORT" --ram 256M --nqn "$NQN" --control "$CTL" >"$TMP/nvmxd.log" 2>&1 &
TGT_PID=$!
for _ in $(seq 100); do
	(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
	kill -0 "$TGT_PID" 2>/dev/null || break
	sleep 0.05
done
if ! kill -0 "$TGT_PID" 2>/dev/null; then
	echo "nvmxd did not start:"; indent <"$TMP/nvmxd.log"; exit 1
fi
echo "   nvmxd pid $TGT_PID, subsystem $NQN"

step "1. Discovery:  nvmx discover tcp://127.0.0.1:$PORT"
if "$NVMX" discover "tcp://127.0.0.1:$PORT" >"$TMP/disc" 2>&1 && grep -q "subnqn:  $NQN" "$TMP/disc"; then
	grep -E '^(trtype|subtype|traddr|trsvcid|subnqn):' "$TMP/disc" | indent
	result ok "discovery lists $NQN"
else
	indent <"$TMP/disc"; result fail "discovery"
fi

step "2. Identify Controller:  nvmx id-ctrl $T"
if "$NVMX" id-ctrl "$T" >"$TMP/idc" 2>&1; then
	grep -E '^(mn|sn|fr|ver|mdts|subnqn) ' "$TMP/idc" | indent
	result ok "id-ctrl: $(sed -n 's/^mn *: //p' "$TMP/idc" | sed 's/ *$//'), firmware $(sed -n 's/^fr *: //p' "$TMP/idc" | sed 's/ *$//')"
else
	indent <"$TMP/idc"; result fail "id-ctrl"
fi

step "3. Write 1 MiB of random data at LBA 0, read it back, compare"
head -c 1048576 /dev/urandom >"$TMP/data"
if "$NVMX" write "$T" -n 1 -s 0 -c 2047 -z 1048576 -d "$TMP/data" 2>"$TMP/w.err" &&
   "$NVMX" read "$T" -n 1 -s 0 -c 2047 -z 1048576 -d "$TMP/back" 2>"$TMP/r.err" &&
   cmp -s "$TMP/data" "$TMP/back"; then
	echo "   sha256 written $(sha256sum <"$TMP/data" | cut -c1-16)..., read $(sha256sum <"$TMP/back" | cut -c1-16)...: identical"
	result ok "write + read-verify of 1 MiB (2048 blocks)"
else
	cat "$TMP/w.err" "$TMP/r.err" 2>/dev/null | indent; result fail "write + read-verify"
fi

step "4. SMART / health:  nvmx smart-log $T"
if "$NVMX" smart-log "$T" >"$TMP/smart" 2>&1; then
	grep -E '^(critical_warning|temperature|available_spare\s|Data Units|host_write_commands)' "$TMP/smart" | indent
	result ok "smart-log: healthy, counters follow the I/O"
else
	indent <"$TMP/smart"; result fail "smart-log"
fi

step "5. nvmx-perf: ${SECS} s of 4 KiB random reads, queue depth 32"
echo "   nvmx-perf -r 'trtype:TCP traddr:127.0.0.1 trsvcid:$PORT subnqn:$NQN' -q 32 -o 4096 -w randread -t $SECS"
if "$PERF" -r "trtype:TCP traddr:127.0.0.1 trsvcid:$PORT subnqn:$NQN" -q 32 -o 4096 -w randread \
	-t "$SECS" --json >"$TMP/perf.json" 2>"$TMP/perf.err"; then
	PERF_LINE=$(python3 - "$TMP/perf.json" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))["total"]
l = t["latency_us"]
print("%.0f IOPS, %.1f MiB/s; latency avg %.1f us, p50 %.1f, p99 %.1f, p99.99 %.1f, max %.1f us"
      % (t["iops"], t["mibps"], l["avg"], l["p50"], l["p99"], l["p99.99"], l["max"]))
EOF
	)
	echo "   $PERF_LINE"
	result ok "nvmx-perf: $PERF_LINE"
else
	indent <"$TMP/perf.err"; result fail "nvmx-perf"
fi

step "6. A SMART warning injected through nvmxd's control socket, seen by nvmx monitor"
"$NVMX" monitor "$T" -c 1 -t 20 >"$TMP/mon" 2>&1 &
MON=$!
sleep 1
echo "   nvmxd ctl set_health {critical_warning: 2 (temperature), temperature: 360 K}"
"$NVMXD" ctl --control "$CTL" set_health "{\"subnqn\":\"$NQN\",\"critical_warning\":2,\"temperature\":360}" \
	>"$TMP/ctl" 2>&1 || indent <"$TMP/ctl"
wait "$MON"; MON_RC=$?
grep -E 'async event|critical_warning' "$TMP/mon" | indent
if [[ $MON_RC -eq 0 ]] && grep -q 'async event: SMART' "$TMP/mon"; then
	result ok "monitor received the SMART/health event (critical warning 0x2)"
else
	indent <"$TMP/mon"; result fail "SMART event"
fi

step "7. Stopping nvmxd"
kill -TERM "$TGT_PID"
wait "$TGT_PID"; TGT_RC=$?
TGT_PID=
if [[ $TGT_RC -eq 0 ]]; then
	echo "   nvmxd exited cleanly"
	result ok "nvmxd stopped (exit 0)"
else
	tail -5 "$TMP/nvmxd.log" | indent; result fail "nvmxd exit status $TGT_RC"
fi

printf '\n%sSummary%s\n' "$bold" "$off"
printf '%s\n' "${SUMMARY[@]}"
exit $FAILED
