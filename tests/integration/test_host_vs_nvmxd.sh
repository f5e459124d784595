#!/usr/bin/env bash
# The nvmx host library against nvmxd on 127.0.0.1 (issue 8, "Done when" 2):
# tests/integration/test_host_io run against nvmxd with a 512-byte and then
# a 4096-byte RAM namespace: connect, identify, namespaces, discovery,
# write/read-verify on 2 I/O queues at depth > 1 with sizes crossing the
# in-capsule size, MAXH2CDATA and MDTS, with and without digests, an
# out-of-range LBA answered LBA Out of Range, 4 queues x depth 64 of random
# mixed I/O with every block verified; then nvmxd must list no controller
# (clean disconnect); a SMART critical warning set over nvmxd's control
# socket reaches the host as an asynchronous event (log page 02h).  TAP.
# usage: test_host_vs_nvmxd.sh NVMXD TEST_HOST_IO HOST_PROBE
set -uo pipefail
NVMXD=${1:-}
BIN=${2:-}
PROBE=${3:-}
if [[ ! -x $NVMXD || ! -x $BIN ]]; then
	echo "1..0 # SKIP nvmxd or test_host_io not built"
	exit 0
fi
dir=$(mktemp -d /tmp/nvmx-host-nvmxd.XXXXXX)
pid=
cleanup() {
	[[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { if [[ $2 -eq 0 ]]; then ok "$1"; else not_ok "$1"; [[ -n ${3:-} ]] && echo "# $3"; fi; }
NQN=nqn.2024-01.io.nvmx:host-test

# Sets pid and port (not run in a $(...) subshell: pid would be lost and
# nvmxd left running).
start_nvmxd() {	# block-size
	local i
	port=
	: >"$dir/out"
	"$NVMXD" --listen 127.0.0.1:0 --ram 256M --block-size "$1" --nqn "$NQN" \
		--control "$dir/ctl.sock" >"$dir/out" 2>"$dir/err" &
	pid=$!
	for i in $(seq 1 100); do
		port=$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$dir/out" | head -1)
		[[ -n $port ]] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
}

stop_nvmxd() {	# returns 0 when nvmxd ended on SIGTERM
	local p=$pid
	pid=
	[[ -n $p ]] || return 1
	kill "$p" 2>/dev/null || return 1
	wait "$p" 2>/dev/null
	! kill -0 "$p" 2>/dev/null
}

run_host() {	# label trid
	local label=$1 out rc line
	out=$(NVMX_TEST_TRID=$2 CMOCKA_MESSAGE_OUTPUT=TAP timeout 300 "$BIN" 2>"$dir/host.err")
	rc=$?
	while IFS= read -r line; do
		case $line in
		*"# SKIP"*|*"# skip"*) ;;	# checks only the in-process fake can make
		"ok "*) ok "$label: ${line#ok * - }" ;;
		"not ok "*) not_ok "$label: ${line#not ok * - }" ;;
		"#"*) echo "$line" ;;
		esac
	done <<<"$out"
	if [[ $rc -ne 0 ]]; then
		echo "# host test exited $rc; stderr:"
		tail -20 "$dir/host.err" | sed 's/^/# /'
	fi
}

for bs in 512 4096; do
	start_nvmxd "$bs"
	if [[ -z $port ]]; then
		not_ok "nvmxd starts with a ${bs}-byte RAM namespace"
		sed 's/^/# /' "$dir/err"
		stop_nvmxd
		continue
	fi
	ok "nvmxd starts with a ${bs}-byte RAM namespace (port $port)"
	run_host "nvmxd ${bs} B" "tcp://127.0.0.1:$port/$NQN"
	ctrls=
	for _ in $(seq 1 20); do
		ctrls=$("$NVMXD" ctl --control "$dir/ctl.sock" list_controllers 2>&1)
		grep -q cntlid <<<"$ctrls" || break
		sleep 0.2
	done
	check "nvmxd ${bs} B: no controller left after disconnect" \
		$(grep -q cntlid <<<"$ctrls"; [[ $? -ne 0 ]]; echo $?) "$ctrls"
	if [[ $bs == 512 && -x $PROBE ]]; then
		"$PROBE" "tcp://127.0.0.1:$port/$NQN" --wait-aen 10 >"$dir/aen.out" 2>"$dir/aen.err" &
		ppid=$!
		for _ in $(seq 1 50); do grep -q ready "$dir/aen.out" && break; sleep 0.1; done
		"$NVMXD" ctl --control "$dir/ctl.sock" set_health \
			"{\"subnqn\":\"$NQN\",\"critical_warning\":4}" >/dev/null 2>&1
		wait $ppid
		prc=$?
		# Type 1 = SMART/Health status, log page 02h.
		check "nvmxd: a SMART critical warning arrives as an asynchronous event (type 1, log 02h)" \
			$([[ $prc -eq 0 ]] && grep -q "aen type 1 .* log 0x02" "$dir/aen.out"; echo $?) \
			"$(cat "$dir/aen.out" "$dir/aen.err" | tail -5)"
	fi
	stop_nvmxd
	check "nvmxd ${bs} B: exits on SIGTERM" $?
done
echo "1..$n"
[[ $failed -eq 0 ]]
