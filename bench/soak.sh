#!/usr/bin/env bash
# Soak: several host processes (soak_worker) x queue pairs x depth against
# nvmxd (file backend, so a restart keeps the data), mixed reads and writes,
# every block stamped and verified; nvmxd faults injected periodically
# (dropped read and write completions, a delay, a closed controller, a
# corrupted data digest) and one nvmxd restart (SIGKILL) half-way.  Prints
# operations, errors by kind, recoveries, mismatches (must be 0) and the RSS
# of every process sampled every 5 s (must stay flat).
#
# usage: soak.sh [--seconds S (600)] [--procs P (3)] [--qpairs Q (2)] [--depth D (16)]
#                [--fault-every F (4)] [--rss-check on|off] [--nvmxd PATH] [--worker PATH]
# (--rss-check off in sanitizer builds, whose allocators keep quarantines)
#                [--overlap]  all workers share one LBA region: each then finds
#                the others' blocks, so the run must FAIL (the verifier's self-test)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
secs=600 procs=3 qpairs=2 depth=16 every=4 rss_check=on overlap=0
nvmxd=$here/../build/tools/nvmxd worker=$here/../build/bench/soak_worker
while [[ $# -gt 0 ]]; do
	case $1 in
	--seconds) secs=$2 ;; --procs) procs=$2 ;; --qpairs) qpairs=$2 ;;
	--depth) depth=$2 ;; --fault-every) every=$2 ;; --rss-check) rss_check=$2 ;;
	--nvmxd) nvmxd=$2 ;; --worker) worker=$2 ;;
	--overlap) overlap=1; shift; continue ;;
	*) echo "usage: $0 [--seconds S] [--procs P] [--qpairs Q] [--depth D] [--fault-every F] [--nvmxd PATH] [--worker PATH]" >&2; exit 2 ;;
	esac
	shift 2
done
NQN=nqn.2024-01.io.nvmx:soak
dir=$(mktemp -d /tmp/nvmx-soak.XXXXXX)
dpid= port= wpids=()
cleanup() {
	for p in "${wpids[@]}"; do kill "$p" 2>/dev/null; done
	[[ -n $dpid ]] && kill "$dpid" 2>/dev/null && wait "$dpid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT

start_nvmxd() {	# [port]
	: >"$dir/nvmxd.out"
	"$nvmxd" --listen "127.0.0.1:${1:-0}" --file "$dir/ns.img" --file-size 64M --nqn "$NQN" \
		--control "$dir/ctl.sock" --threads 2 --log error >"$dir/nvmxd.out" 2>>"$dir/nvmxd.err" &
	dpid=$!
	for _ in $(seq 1 100); do
		port=$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$dir/nvmxd.out" | head -1)
		[[ -n $port ]] && return 0
		sleep 0.1
	done
	echo "nvmxd did not start:"; cat "$dir/nvmxd.err"; exit 1
}
ctl() { "$nvmxd" ctl --control "$dir/ctl.sock" "$@" >/dev/null 2>&1; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null; }

start_nvmxd
gen=1
echo "soak: ${secs}s, $procs processes x $qpairs queue pairs x depth $depth against nvmxd on port $port; a fault every ${every}s, a restart at $((secs / 2))s"
for ((i = 0; i < procs; i++)); do
	extra=()
	((i % 2)) && extra=(--digests)
	"$worker" "tcp://127.0.0.1:$port/$NQN" --seconds "$secs" --qpairs "$qpairs" --depth "$depth" \
		--lba-base $((overlap ? 0 : i * 32768)) --lba-count $((overlap ? 2048 : 32768)) --seed $((i + 1)) "${extra[@]}" \
		>"$dir/w$i.out" 2>"$dir/w$i.err" &
	wpids+=($!)
done

declare -A rss_first rss_last rss_max
sample() {	# name pid
	local r
	r=$(rss_kb "$2")
	[[ -n $r ]] || return
	[[ -n ${rss_first[$1]:-} ]] || rss_first[$1]=$r
	rss_last[$1]=$r
	((r > ${rss_max[$1]:-0})) && rss_max[$1]=$r
	echo "$(( $(date +%s) - t0 )) $1 $r" >>"$dir/rss.log"
}
faults=(drop_read drop_write delay close corrupt)
declare -A nfault
t0=$(date +%s) k=0 restarted=0 next_fault=$every
while (( $(date +%s) - t0 < secs - 1 )); do
	sleep 1
	el=$(( $(date +%s) - t0 ))
	if (( el % 5 == 0 )); then
		for ((i = 0; i < procs; i++)); do sample "worker$i" "${wpids[$i]}"; done
		sample "nvmxd#$gen" "$dpid"
	fi
	if (( !restarted && el >= secs / 2 )); then
		kill -9 "$dpid"; wait "$dpid" 2>/dev/null
		sleep 1
		gen=$((gen + 1))
		start_nvmxd "$port"
		restarted=1 nfault[restart]=1
		continue
	fi
	(( el >= next_fault )) || continue
	next_fault=$((el + every))
	f=${faults[$((k % ${#faults[@]}))]}
	k=$((k + 1))
	case $f in
	drop_read) ctl fault_drop '{"opcode":2,"count":1}' ;;
	drop_write) ctl fault_drop '{"opcode":1,"count":1}' ;;
	delay) ctl fault_delay '{"ms":300}'; sleep 1; ctl fault_clear ;;
	close)
		c=$("$nvmxd" ctl --control "$dir/ctl.sock" list_controllers 2>/dev/null |
			grep -o '"cntlid": *[0-9]*' | head -1 | grep -o '[0-9]*$')
		[[ -n $c ]] && ctl fault_close "{\"cntlid\":$c}" ;;
	corrupt) ctl fault_corrupt_digest '{"count":1}' ;;
	esac
	nfault[$f]=$(( ${nfault[$f]:-0} + 1 ))
done
fail=0
for ((i = 0; i < procs; i++)); do
	wait "${wpids[$i]}"
	rc=$?
	line=$(tail -1 "$dir/w$i.out")
	echo "worker$i: exit $rc $line"
	if [[ $rc -ne 0 ]]; then
		fail=1
		grep -m5 "soak:" "$dir/w$i.err" | sed 's/^/  /'
	fi
	ops=$(sed -n 's/^ops=\([0-9]*\).*/\1/p' <<<"$line")
	[[ ${ops:-0} -gt 0 ]] || { echo "worker$i: no operations"; fail=1; }
done
wpids=()
printf 'faults injected:'
for f in "${!nfault[@]}"; do printf ' %s=%s' "$f" "${nfault[$f]}"; done
echo
echo "RSS (KiB): process first last max"
for n in $(printf '%s\n' "${!rss_first[@]}" | sort); do
	first=${rss_first[$n]} last=${rss_last[$n]} max=${rss_max[$n]}
	flat=ok
	# Flat: the last sample within 25% + 8 MiB of the first.
	if (( last > first + first / 4 + 8192 )); then
		flat=GROWING
		[[ $rss_check == on ]] && fail=1
	fi
	echo "  $n $first $last $max $flat"
done
[[ $fail -eq 0 ]] && echo "soak: PASS" || echo "soak: FAIL"
exit $fail
