#!/usr/bin/env bash
# The Linux kernel's NVMe/TCP host (nvme-tcp + nvme-cli in a QEMU guest)
# against nvmxd running on the host (127.0.0.1, reached from the guest as
# 10.0.2.2).  One guest boot for the group: discovery, connect, a dd pattern
# written and read back (and found in nvmxd's file backend), id-ctrl,
# id-ns, smart-log, error-log, get-feature 7, disconnect; the same with
# header and data digests and with two I/O queues; a host NQN that is not
# allowed is refused at Connect and sees nothing in discovery; fio 32 deep
# with verification; and tshark's
# NVMe/TCP dissector decodes the whole capture without malformed-packet or
# expert warnings.  TAP output.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../vm/vm.sh"

if ! vm_available; then
	echo "1..0 # SKIP $VM_UNAVAILABLE"
	exit 0
fi
build=${NVMX_BUILD_ROOT:-$here/../../build}
nvmxd=$build/tools/nvmxd
if [[ ! -x $nvmxd ]]; then
	echo "1..0 # SKIP no nvmxd at $nvmxd (build first)"
	exit 0
fi

N=15
echo "1..$N"
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() {	# check NAME STATUS [diagnostic]
	if [[ $2 -eq 0 ]]; then ok "$1"; else not_ok "$1"; [[ -n ${3:-} ]] && printf '%s\n' "$3" | sed 's/^/# /'; fi
}

SUBNQN=nqn.2024-01.io.nvmx:interop
HOSTNQN=nqn.2014-08.org.nvmexpress:uuid:6e766d78-0000-4000-8000-000000000001
HOSTID=6e766d78-0000-4000-8000-000000000001
BADNQN=nqn.2014-08.org.nvmexpress:uuid:6e766d78-0000-4000-8000-0000000000ff
BADID=6e766d78-0000-4000-8000-0000000000ff
NS_BYTES=$((64 << 20))

work=$(mktemp -d /tmp/nvmx-interop.XXXXXX)
nvmxd_pid= tshark_pid=
cleanup() {
	[[ -n $tshark_pid ]] && kill "$tshark_pid" 2>/dev/null && wait "$tshark_pid" 2>/dev/null
	[[ -n $nvmxd_pid ]] && kill "$nvmxd_pid" 2>/dev/null && wait "$nvmxd_pid" 2>/dev/null
	vm_stop_all
	if [[ $failed -eq 0 ]]; then rm -rf "$work"; else echo "# kept $work"; fi
}
trap cleanup EXIT

# nvmxd on an ephemeral port, file backend, one allowed host.
truncate -s $NS_BYTES "$work/disk.img"
"$nvmxd" --listen 127.0.0.1:0 --file "$work/disk.img" --nqn "$SUBNQN" \
	--allow-host "$HOSTNQN" --control "$work/ctl.sock" --threads 2 --log warn \
	>"$work/nvmxd.out" 2>"$work/nvmxd.err" &
nvmxd_pid=$!
for _ in $(seq 50); do grep -q listening "$work/nvmxd.out" 2>/dev/null && break; sleep 0.1; done
PORT=$(sed -n 's/^nvmxd: listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$work/nvmxd.out")
ctl() { "$nvmxd" ctl --control "$work/ctl.sock" "$@"; }

# Capture the whole session on the host's loopback.
tshark -i lo -f "tcp port $PORT" -w "$work/cap.pcapng" -q 2>"$work/tshark.err" &
tshark_pid=$!
for _ in $(seq 100); do grep -q Capturing "$work/tshark.err" 2>/dev/null && break; sleep 0.1; done

# 1. boot
if [[ -n $PORT ]] && vm_boot; then
	ok "nvmxd listens on 127.0.0.1:$PORT; guest boots in ${VM_BOOT_TIME}s"
else
	not_ok "nvmxd starts and the guest boots"
	while [[ $n -lt $N ]]; do not_ok "skipped: no guest or no nvmxd"; done
	exit 1
fi
vm_run -t 30 nvme-host-load.sh >/dev/null
H="--hostnqn=$HOSTNQN --hostid=$HOSTID"
A="-t tcp -a 10.0.2.2 -s $PORT"

# 2. discovery
out=$(vm_run "nvme discover $A $H" 2>&1)
r=0
grep -q "Number of Records 1," <<<"$out" || r=1
grep -q "subnqn: *$SUBNQN\$" <<<"$out" || r=1
grep -q "trsvcid: *$PORT\$" <<<"$out" || r=1
grep -q "trtype: *tcp" <<<"$out" || r=1
check "nvme discover lists $SUBNQN (one record, tcp, trsvcid $PORT)" $r "$out"

# connect + wait for the namespace; prints the block device
connect() {
	vm_run -t 30 "nvme connect $A -n $SUBNQN $H $* >/dev/null && nvme-find-ns.sh $SUBNQN 1 20"
}
# write 1 MiB of random data at 1 MiB with O_DIRECT, read it back; prints md5
pattern_round_trip() {	# DEV
	vm_run -t 60 "head -c 1048576 /dev/urandom > /tmp/p &&
		dd if=/tmp/p of=$1 bs=128k seek=8 oflag=direct status=none &&
		dd if=$1 of=/tmp/r bs=128k skip=8 count=8 iflag=direct status=none &&
		cmp /tmp/p /tmp/r && md5sum < /tmp/p | cut -d' ' -f1"
}
backend_md5() { dd if="$work/disk.img" bs=128k skip=8 count=8 status=none | md5sum | cut -d' ' -f1; }
disconnect() {
	vm_run -t 30 "nvme disconnect -n $SUBNQN"
}

# 3. connect
dev=$(connect)
ctrl=${dev%n1}; ctrl=${ctrl#/dev/}
check "nvme connect creates the block device ($dev)" $([[ $dev == /dev/nvme*n1 ]]; echo $?)

# 4. dd pattern
sum=$(pattern_round_trip "$dev")
bsum=$(backend_md5)
check "1 MiB dd pattern read back identical from the guest and found in the file backend" \
	$([[ -n $sum && $sum == "$bsum" ]]; echo $?) "guest=$sum backend=$bsum"

# 5. id-ctrl
idc=$(vm_run "nvme id-ctrl /dev/$ctrl -o json")
r=0
v() { jq -r "$1" <<<"$idc" 2>/dev/null; }
[[ $(v .subnqn) == "$SUBNQN" ]] || r=1
[[ $(v .mn) == "nvmx software target"* ]] || r=1
[[ $(v .fr) == "0.1.0"* ]] || r=1
[[ $(v .mdts) == 5 && $(v .cntrltype) == 1 && $(v .ioccsz) == 516 && $(v .iorcsz) == 1 ]] || r=1
[[ $(v .aerl) == 3 && $(v .kas) == 10 && $(v .oncs) == 13 && $(v .vwc) == 7 ]] || r=1
[[ $(v .oaes) == 256 && $(v .sqes) == 102 && $(v .cqes) == 68 && $(v .nn) == 1024 ]] || r=1
sn=$(v .sn)
[[ $(vm_run "cat /sys/class/nvme/$ctrl/serial" | sed 's/ *$//') == "${sn%% *}" ]] || r=1
check "nvme id-ctrl: subnqn, model, firmware, MDTS 5, IOCCSZ 516, AERL 3, KAS 10, ONCS, VWC, OAES as nvmxd implements them" $r \
	"$(jq -c '{subnqn,mn,fr,mdts,cntrltype,ioccsz,iorcsz,aerl,kas,oncs,vwc,oaes,sqes,cqes,nn}' <<<"$idc" 2>&1)"

# 6. id-ns
idn=$(vm_run "nvme id-ns $dev -o json")
r=0
[[ $(jq -r .nsze <<<"$idn") == $((NS_BYTES / 512)) && $(jq -r .ncap <<<"$idn") == $((NS_BYTES / 512)) ]] || r=1
[[ $(jq -r '.lbafs[0].ds' <<<"$idn") == 9 && $(jq -r .dlfeat <<<"$idn") == 9 ]] || r=1
check "nvme id-ns: NSZE $((NS_BYTES / 512)) blocks of 512 bytes, DLFEAT reads zeroes" $r \
	"$(jq -c '{nsze,ncap,flbas,dlfeat,lbafs}' <<<"$idn" 2>&1)"

# 7. smart-log, live: counters moved by the dd, temperature set over the control socket
sl=$(vm_run "nvme smart-log /dev/$ctrl -o json")
ctl set_health '{"temperature":330}' >/dev/null
sl2=$(vm_run "nvme smart-log /dev/$ctrl -o json")
r=0
[[ $(jq -r .temperature <<<"$sl") == 308 && $(jq -r .avail_spare <<<"$sl") == 100 ]] || r=1
[[ $(jq -r .host_write_commands <<<"$sl") -ge 8 && $(jq -r .data_units_written <<<"$sl") -ge 2 ]] || r=1
[[ $(jq -r .host_read_commands <<<"$sl") -ge 8 ]] || r=1
[[ $(jq -r .temperature <<<"$sl2") == 330 ]] || r=1
check "nvme smart-log: host commands and data units count the dd, temperature 308 K then 330 K when set live" $r "$sl $sl2"
ctl set_health '{"temperature":308}' >/dev/null

# 8. error-log: ELPE+1 = 64 entries, newest first
el=$(vm_run "nvme error-log /dev/$ctrl -o json")
check "nvme error-log answers with 64 entries" \
	$([[ $(jq '.errors | length' <<<"$el" 2>/dev/null) == 64 ]]; echo $?) "$(head -c 300 <<<"$el")"

# 9. get-feature 7: what the kernel asked for
qc=$(vm_run "cat /sys/class/nvme/$ctrl/queue_count")
gf=$(vm_run "nvme get-feature /dev/$ctrl -f 0x7")
nq=$((qc - 1))
want=$(printf '0x%08x' $(( ((nq - 1) << 16) | (nq - 1) )))
[[ $want == 0x00000000 ]] && want=00000000
check "nvme get-feature -f 0x7 reports the $nq I/O queue(s) granted" \
	$(grep -q "Current value:$want\$" <<<"$gf"; echo $?) "$gf (want $want)"

# 10. disconnect
out=$(disconnect)
sleep 0.5
left=$(ctl list_controllers | jq "[.[] | select(.subnqn == \"$SUBNQN\")] | length")
check "nvme disconnect is clean: device gone, no controller left in nvmxd" \
	$([[ $out == *"disconnected 1 controller"* && $left == 0 ]] && ! vm_run "test -e $dev"; echo $?) "$out left=$left"

# 11. header and data digests
dev=$(connect -g -G)
sum=$(pattern_round_trip "$dev")
bsum=$(backend_md5)
out=$(disconnect)
check "with header and data digests (-g -G): pattern round trip identical, in the backend, clean disconnect" \
	$([[ $dev == /dev/nvme*n1 && -n $sum && $sum == "$bsum" && $out == *"disconnected 1"* ]]; echo $?) "dev=$dev sum=$sum backend=$bsum $out"

# 12. two I/O queues (one default, one write queue)
dev=$(connect -i 1 -W 1)
ctrl=${dev%n1}; ctrl=${ctrl#/dev/}
qc=$(vm_run "cat /sys/class/nvme/$ctrl/queue_count")
nconn=$(ctl list_connections | jq "[.[] | select(.subnqn == \"$SUBNQN\") | .connections[]] | length")
sum=$(pattern_round_trip "$dev")
bsum=$(backend_md5)
gf=$(vm_run "nvme get-feature /dev/$ctrl -f 0x7")
out=$(disconnect)
check "with 2 I/O queues: 3 connections in nvmxd, pattern round trip identical, Number of Queues 0x00010001" \
	$([[ $qc == 3 && $nconn == 3 && -n $sum && $sum == "$bsum" && $gf == *"0x00010001" ]]; echo $?) \
	"queue_count=$qc connections=$nconn sum=$sum backend=$bsum $gf"

# 13. queue depth: fio random writes of mixed sizes, 32 deep, verified
dev=$(connect -g -G)
fout=$(vm_run -t 120 "fio --name=v --filename=$dev --direct=1 --rw=randwrite --bs=4k-128k \
	--iodepth=32 --size=16M --verify=crc32c --ioengine=libaio 2>&1")
out=$(disconnect)
check "fio: 16 MiB of random 4k-128k writes 32 deep with digests, all verified (err=0)" \
	$([[ $fout == *"err= 0"* && $fout != *"verify: bad"* ]]; echo $?) "$(grep -E 'err=|verify' <<<"$fout" | head -5)"

# 14. a host that is not allowed
B="--hostnqn=$BADNQN --hostid=$BADID"
vm_run -t 30 "nvme connect $A -n $SUBNQN $B" >"$work/bad.out" 2>&1; rc=$?
disc=$(vm_run "nvme discover $A $B" 2>&1)
check "a host that is not allowed is refused at Connect (rc $rc) and discovery shows it no record" \
	$([[ $rc -ne 0 && $disc == *"Number of Records 0,"* && $disc != *"$SUBNQN"* ]]; echo $?) \
	"$(cat "$work/bad.out") $disc"

# 15. tshark decodes the capture: NVMe/TCP PDUs of every kind, nothing malformed
sleep 1
kill -INT "$tshark_pid"; wait "$tshark_pid" 2>/dev/null; tshark_pid=
D="-d tcp.port==$PORT,nvme-tcp"
types=$(tshark -r "$work/cap.pcapng" $D -T fields -e nvme-tcp.type 2>/dev/null | tr ',' '\n' | sort -u | tr '\n' ' ')
npdus=$(tshark -r "$work/cap.pcapng" $D -Y nvme-tcp 2>/dev/null | wc -l)
bad=$(tshark -r "$work/cap.pcapng" $D -Y '_ws.malformed' 2>/dev/null | wc -l)
# Expert items at warning level or above, except TCP's own (window full,
# D-SACK: the guest's flow control, not our PDUs).
expert=$(tshark -r "$work/cap.pcapng" $D -q -z expert,warn 2>/dev/null |
	awk '/^ *[0-9]+ +[A-Za-z]/ && $3 != "TCP"' || true)
r=0
[[ $npdus -gt 100 && $bad -eq 0 && -z $expert ]] || r=1
for t in 0 1 4 5 6 7 9; do [[ " $types " == *" $t "* ]] || r=1; done
check "tshark decodes $npdus NVMe/TCP frames (PDU types: $types) with no malformed packet and no expert warning about NVMe/TCP" $r \
	"bad=$bad expert=$expert"

[[ $failed -eq 0 ]]
