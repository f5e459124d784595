#!/usr/bin/env bash
# Proves the QEMU guest rig (tests/vm) that every interop test uses: one
# guest boot (q35 + Intel IOMMU, a QEMU NVMe controller with a 512-byte and a
# 4096-byte namespace, user networking with a forwarded port), then:
# the command channel (output, stderr, status, binary data, timeouts), the
# NVMe controller in sysfs, QMP, VFIO binding, the guest's nvmet-tcp target
# with its own kernel host, NVMe/TCP ICReq/ICResp from the host through the
# forwarded port, and that no QEMU process survives.  TAP output.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../vm/vm.sh"

if ! vm_available; then
	echo "1..0 # SKIP $VM_UNAVAILABLE"
	exit 0
fi

N=12
echo "1..$N"
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() {	# check NAME CONDITION-STATUS [diagnostic]
	if [[ $2 -eq 0 ]]; then ok "$1"; else not_ok "$1"; [[ -n ${3:-} ]] && echo "# $3"; fi
}
diag() { sed 's/^/# /'; }

trap vm_stop_all EXIT
t_start=$EPOCHREALTIME
SERIAL=NVMXRIG0001
NQN=nqn.2014-08.org.nvmexpress:nvmx-rig-test
model_arg= MODEL="QEMU NVMe Ctrl"
if _vm_nvme_has_prop mn; then model_arg=,model=NVMX-RIG-MODEL MODEL=NVMX-RIG-MODEL; fi

# 1. boot
if vm_boot --vfio \
	--nvme "id=nvme0,serial=$SERIAL$model_arg" \
	--nvme-ns nsid=1,lbs=512,size=32M \
	--nvme-ns nsid=2,lbs=4096,size=64M,backing=null \
	--nvme id=nvmehp,serial=NVMXHOTPLUG,hotplug=on \
	--nvme-ns lbs=512,size=16M \
	--hostfwd 4420; then
	ok "guest boots (q35, intel-iommu, nvme with 512/4096-byte namespaces, hostfwd) in ${VM_BOOT_TIME}s"
else
	not_ok "guest boots"
	while [[ $n -lt $N ]]; do not_ok "skipped: no guest"; done
	exit 1
fi
echo "# boot time: ${VM_BOOT_TIME} s"
qemu_pid=$(cat "$VM_DIR/pid")

# 2. command channel: stdout, stderr, exit status, binary output
r=0
out=$(vm_run 'echo hello; echo oops >&2' 2>"$VM_DIR/err.txt") || r=1
[[ $out == hello && $(cat "$VM_DIR/err.txt") == oops ]] || r=1
vm_run true || r=1
vm_run false && r=1
vm_run 'exit 7'; [[ $? -eq 7 ]] || r=1
[[ $(vm_exec printf '%s|%s' 'a b' "c'd") == "a b|c'd" ]] || r=1
sum_guest=$(vm_run 'printf "x\0y\n\0"; head -c 100000 /dev/zero | tr "\0" z' | md5sum)
sum_host=$( (printf 'x\0y\n\0'; head -c 100000 /dev/zero | tr '\0' z) | md5sum)
[[ $sum_guest == "$sum_host" ]] || r=1
[[ $(vm_run uname -r) == "$VM_KVER" ]] || r=1
check "guest runs commands: stdout, stderr, exit status (true/false/7), argv quoting, binary output" $r

# 3. a stuck command times out (124), its children are killed, and the
# channel works afterwards
t=$SECONDS
vm_run -t 2 'sleep 300 & sleep 301'; rc=$?
el=$((SECONDS - t))
left=$(vm_run 'n=0; for c in /proc/[0-9]*/comm; do read -r x <$c 2>/dev/null && [[ $x == sleep ]] && n=$((n + 1)); done; echo $n')
after=$(vm_run echo alive)
check "a stuck command times out with 124 in ${el}s, its process group is killed, the channel recovers" \
	$([[ $rc -eq 124 && $el -le 12 && $left == 0 && $after == alive ]]; echo $?) \
	"rc=$rc elapsed=$el sleeps-left=$left after=$after"

# 4. the QEMU NVMe controller in the guest's sysfs
bdf=$(vm_bdf nvme0)
info=$(vm_run "cat /sys/class/nvme/nvme0/serial /sys/class/nvme/nvme0/model /sys/class/nvme/nvme0/address
	cat /sys/block/nvme0n1/queue/logical_block_size /sys/block/nvme0n2/queue/logical_block_size" | sed 's/ *$//')
want=$(printf '%s\n%s\n%s\n512\n4096' "$SERIAL" "$MODEL" "$bdf")
check "QEMU nvme controller visible at $bdf with serial $SERIAL, model '$MODEL', 512 and 4096-byte namespaces" \
	$([[ $info == "$want" ]]; echo $?) "got: $(echo "$info" | tr '\n' '|') want: $(echo "$want" | tr '\n' '|')"

# 5. QMP: set the SMART critical warning; read it back over QMP and see it in
# the guest's SMART log (from the kernel driver, before VFIO takes over)
r=0
vm_qom_set nvme0 smart_critical_warning 4 || r=1
got=$(vm_qom_get nvme0 smart_critical_warning) || r=1
[[ $got == 4 ]] || r=1
cw=$(vm_run "nvme smart-log /dev/nvme0 -o json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["critical_warning"])') || r=1
[[ $cw == 4 ]] || r=1
vm_qom_set nvme0 smart_critical_warning 0 || r=1
check "QMP qom-set smart_critical_warning=4 on nvme0, qom-get reads 4, guest SMART log shows 4" $r \
	"qom-get=$got guest=$cw"

# 6. VFIO
r=0
group=$(vm_run vfio-bind.sh "$bdf") || r=1
drv=$(vm_run "basename \$(readlink /sys/bus/pci/devices/$bdf/driver)")
vm_run "test -c '$group'" || r=1
[[ $group == /dev/vfio/[0-9]* && $drv == vfio-pci ]] || r=1
# a userspace driver's sequence: container, group, type-1 IOMMU, device fd,
# BAR0 registers (NVMe VS 1.x), admin queues in DMA memory, MSI-X on an
# eventfd, Identify Controller whose data carries the serial QEMU was given
probe=$(vm_run vfio-probe.py --identify "$bdf") || r=1
[[ $probe =~ vs=0x0001[0-9a-f]{4}\ dma_map=ok\ msix=ok\ serial=$SERIAL\  ]] || r=1
check "vfio-bind.sh moves $bdf to vfio-pci, $group appears; from userspace: NVMe VS via BAR0, Identify over DMA with an MSI-X interrupt returns serial $SERIAL" $r \
	"group=$group driver=$drv probe=$probe"

# 7. nvmet-tcp in the guest, connected by the guest's own kernel host
r=0
vm_run nvmet-setup.sh --nqn "$NQN" --ns size=16M --port 4420 | diag || r=1
vm_run nvme-host-load.sh >/dev/null || r=1
vm_run "nvme connect -t tcp -a 127.0.0.1 -s 4420 -n $NQN" | diag || r=1
dev=$(vm_run nvme-find-ns.sh "$NQN" 1) || r=1
vm_run "head -c 1048576 /dev/urandom >/tmp/pattern &&
	dd if=/tmp/pattern of=$dev bs=64k oflag=direct status=none &&
	dd if=$dev bs=64k count=16 iflag=direct status=none | cmp - /tmp/pattern" || r=1
vm_run "nvme disconnect -n $NQN" | diag || r=1
vm_run "! grep -qx $NQN /sys/class/nvme/*/subsysnqn 2>/dev/null" || r=1
check "guest kernel host connects to the guest's nvmet-tcp ($NQN), 1 MiB pattern via $dev reads back, disconnects" $r

# 8. NVMe/TCP ICReq from the host through the forwarded port
hp=$(vm_hostport 4420)
resp=$(exec 3<>"/dev/tcp/127.0.0.1/$hp" &&
	# ICReq: type 0, flags 0, hlen 128, pdo 0, plen 128 (LE), pfv 0,
	# hpda 0, digests off, maxr2t 0; 120 bytes in all after the common header
	{ printf '\x00\x00\x80\x00\x80\x00\x00\x00'; head -c 120 /dev/zero; } >&3 &&
	timeout 10 dd bs=128 count=1 iflag=fullblock status=none <&3 | od -An -tx1 -v | tr -d ' \n')
check "host 127.0.0.1:$hp -> guest nvmet :4420: ICReq answered by a 128-byte ICResp" \
	$([[ ${#resp} -eq 256 && ${resp:0:4} == 0100 && ${resp:4:2} == 80 && ${resp:8:8} == 80000000 ]]; echo $?) \
	"response: ${resp:0:32}..."
vm_run nvmet-teardown.sh || echo "# nvmet-teardown failed"

# 9. the guest reaches a host service listening on 127.0.0.1 via 10.0.2.2
# (how guest-side nvme-cli will reach a host nvmxd)
hport_file=$VM_DIR/hport
timeout 30 python3 -c '
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
c, _ = s.accept()
c.sendall(b"nvmx-host " + c.recv(64))
c.close()
' "$hport_file" &
srv=$!
for _ in $(seq 50); do [[ -s $hport_file ]] && break; sleep 0.1; done
hport=$(cat "$hport_file" 2>/dev/null)
got=$(vm_run -t 20 "exec 3<>/dev/tcp/10.0.2.2/$hport && echo guest >&3 && head -n1 <&3")
wait "$srv"
check "guest connects to a host service on 127.0.0.1:$hport through 10.0.2.2" \
	$([[ $got == "nvmx-host guest" ]]; echo $?) "got: $got"

# 10. background jobs outlive their command and report their status
r=0
vm_bg_start job1 'sleep 1; echo done; exit 3' >/dev/null || r=1
out=$(vm_bg_wait job1 20); rc=$?
[[ $out == done && $rc == 3 ]] || r=1
# a process a command left behind writing to its stdout must not leak into
# a later command's output
vm_run '(sleep 1; echo LEAKED) &' || r=1
clean=$(vm_run 'echo clean; sleep 2')
[[ $clean == clean ]] || r=1
check "guest background job runs after its command returned; vm_bg_wait gives its output and status 3; stray output does not leak" $r \
	"out=$out rc=$rc clean=$clean"

# 11. hot-unplug and hot-add of a controller behind a PCIe root port
r=0
hbdf=$(vm_bdf nvmehp) || r=1
vm_run "cat /sys/bus/pci/devices/$hbdf/nvme/nvme*/serial" | grep -q NVMXHOTPLUG || r=1
vm_qmp '{"execute":"device_del","arguments":{"id":"nvmehp"}}' >/dev/null || r=1
vm_run -t 20 "for i in \$(seq 100); do [ -e /sys/bus/pci/devices/$hbdf ] || exit 0; sleep 0.1; done; exit 1" || r=1
vm_qmp '{"execute":"device_add","arguments":{"driver":"nvme","id":"nvmehp2","serial":"NVMXHOTADD","bus":"rp_nvmehp"}}' >/dev/null || r=1
hs=$(vm_run -t 20 "for i in \$(seq 100); do cat /sys/bus/pci/devices/$hbdf/nvme/nvme*/serial 2>/dev/null && exit 0; sleep 0.1; done; exit 1" | sed 's/ *$//')
[[ $hs == NVMXHOTADD ]] || r=1
check "QMP device_del unplugs the hotplug=on controller at $hbdf; device_add of a new one there is bound by the guest's nvme driver" $r \
	"serial after add: $hs"

# 12. vm_stop leaves no QEMU behind
vm_stop
sleep 0.2
check "vm_stop: QEMU process $qemu_pid is gone" $(! kill -0 "$qemu_pid" 2>/dev/null; echo $?)

total=$(awk -v a="$t_start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
echo "# total time: ${total} s (boot ${VM_BOOT_TIME} s)"
[[ $failed -eq 0 ]]
