#!/usr/bin/env bash
# nvmx's PCIe/VFIO transport against QEMU's emulated NVMe controller, in one
# guest boot (q35 + intel-iommu): two controllers, each with a 512-byte and
# a 4096-byte namespace; nvme0 without an MDTS limit (PRP lists chained
# across list pages), nvme1 with QEMU's default MDTS (transfers split).
#  - an error naming 'nvmx setup' while the kernel's nvme driver owns it
#  - nvmx_pcie_bind_vfio hands both to vfio-pci
#  - bring-up: serial, model, namespaces, sizes, block sizes equal QEMU's
#  - write then read-verify across PRP-list boundaries (buffer offsets in a
#    page; 1, 2, 3, 513 pages; the largest transfer and beyond it), zero copy
#    and bounced, 2 I/O queues at depth 8, both block sizes
#  - MSI-X: the I/O queue's eventfd is signalled
#  - controller reset in the middle of a verified workload: every command
#    completes exactly once, all data verified afterwards
#  - smart_critical_warning set over QMP arrives as a SMART/health
#    asynchronous event, decoded, and cleared by reading the log page
#  - detach leaves CSTS.SHST = 10b (shutdown complete)
#  - the host core's API (nvmx_ctrl_connect, qpairs, nvmx_ns_write/read)
#    over the PCIe operations table: the same checks, the core splitting at
#    the transfer limit, and a queue pair's fd waking poll(2) (MSI-X)
#  - nvmx_pcie_bind_kernel gives the controller back to the nvme driver
# TAP output.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rig=${VM_RIG:-$here/../vm/vm.sh}
if [[ ! -r $rig ]]; then
	echo "1..0 # SKIP no guest rig at $rig"
	exit 0
fi
. "$rig"
if ! vm_available; then
	echo "1..0 # SKIP $VM_UNAVAILABLE"
	exit 0
fi
build=${NVMX_BUILD_ROOT:-$here/../../build}
build=$(cd "$build" && pwd)
check=$build/tests/interop/pcie_check
[[ -x $check ]] || { echo "1..0 # SKIP $check not built"; exit 0; }

N=22
echo "1..$N"
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { if [[ $2 -eq 0 ]]; then ok "$1"; else not_ok "$1"; fi; }
diag() { sed 's/^/# /'; }
finish() { while [[ $n -lt $N ]]; do not_ok "skipped: $1"; done; exit 1; }

trap vm_stop_all EXIT
SN0=NVMXPCIE0 SN1=NVMXPCIE1
MODEL="QEMU NVMe Ctrl" m0= m1=
if _vm_nvme_has_prop mn 2>/dev/null; then
	MODEL=NVMX-PCIE-MODEL m0=,model=$MODEL m1=,model=$MODEL
fi
share=()
case $build/ in
"$VM_SRC_ROOT"/* | "$PWD"/*) ;;
*) share=(--share "$build") ;;
esac

if vm_boot --vfio --mem 1536 "${share[@]}" \
	--nvme "id=nvme0,serial=$SN0,mdts=0$m0" \
	--nvme-ns nsid=1,lbs=512,size=96M --nvme-ns nsid=2,lbs=4096,size=96M \
	--nvme "id=nvme1,serial=$SN1$m1" \
	--nvme-ns nsid=1,lbs=4096,size=96M --nvme-ns nsid=2,lbs=512,size=96M; then
	ok "guest boots with two QEMU NVMe controllers behind intel-iommu (${VM_BOOT_TIME}s)"
else
	not_ok "guest boots"
	finish "no guest"
fi
B0=$(vm_bdf nvme0) B1=$(vm_bdf nvme1)
echo "# nvme0 at $B0, nvme1 at $B1"

# Wait for the kernel's nvme driver to own nvme0 (coldplug in the guest).
vm_run "for i in \$(seq 50); do [ -e /sys/bus/pci/devices/$B0/driver ] && break; sleep 0.1; done"
drv=$(vm_run "basename \$(readlink /sys/bus/pci/devices/$B0/driver) 2>/dev/null")
err=$(vm_exec "$check" identify "$B0" 2>&1 >/dev/null)
r=$?
if [[ $drv == nvme && $r -ne 0 && $err == *"nvmx setup $B0"* ]]; then
	ok "opening a controller the kernel's nvme driver owns fails and names 'nvmx setup $B0'"
else
	not_ok "clear error while bound to '$drv'"
	echo "$err" | diag
fi

r=0
for b in "$B0" "$B1"; do
	vm_exec "$check" setup "$b" 2>&1 | diag
	[[ $(vm_run "basename \$(readlink /sys/bus/pci/devices/$b/driver)") == vfio-pci ]] || r=1
done
check "nvmx_pcie_bind_vfio binds both controllers to vfio-pci" $r

# identify: serial, model, namespaces as QEMU was configured
idcheck() {	# BDF SERIAL "nsid:lbs ..." label
	local out r=0 want
	out=$(vm_exec -t 120 "$check" identify "$1" 2>&1) || r=1
	echo "$out" | diag
	grep -qx "sn=$2" <<<"$out" || r=1
	grep -qx "mn=$MODEL" <<<"$out" || r=1
	# QEMU 7.2 reports NN=256 whatever is attached: count the active list
	[[ $(grep -c '^ns=' <<<"$out") -eq 2 ]] || r=1
	for want in $3; do
		local id=${want%%:*} lbs=${want#*:}
		grep -qx "ns=$id nsze=$((96 * 1024 * 1024 / lbs)) lbs=$lbs" <<<"$out" || r=1
	done
	check "bring-up of $4: sn=$2, mn='$MODEL', namespaces $3 of 96 MiB" $r
}
idcheck "$B0" "$SN0" "1:512 2:4096" nvme0
idcheck "$B1" "$SN1" "1:4096 2:512" nvme1

iocheck() {	# BDF label mdts-note
	local out r=0 log=$VM_DIR/io-$2.txt
	vm_exec -t 400 "$check" io "$1" --queues 2 --depth 8 >"$log" 2>&1 || r=1
	grep -E '^(queues|msix|io )' "$log" | diag
	grep '^not ok' "$log" | head -5 | diag
	grep -q '^io [0-9]*/[0-9]* passed' "$log" || r=1
	local line; line=$(grep '^io ' "$log")
	local p=${line#io }; p=${p%% *}
	[[ ${p%/*} == "${p#*/}" && ${p%/*} -gt 0 ]] || r=1
	check "$2 ($3): write/read-verify, offsets in page, 1/2/3/513 pages, max and beyond, 2 queues at depth 8, both block sizes" $r
	grep -q '^msix q1 eventfd count=[1-9]' "$log"
	check "$2: MSI-X vector of I/O queue 1 signalled its eventfd" $?
}
iocheck "$B0" nvme0 "no MDTS: PRP lists chained"
iocheck "$B1" nvme1 "MDTS 7: transfers split"

# the 513-page cases and a chained list case, by name, on nvme0
grep -q '^ok - write/read-verify ns 1 lbs 512 2101248 bytes at buffer offset 3076 zero-copy' \
	"$VM_DIR/io-nvme0.txt"
check "nvme0: 513 pages from a buffer offset (PRP list chained across two list pages) verified" $?
grep -q '^ok - write/read-verify ns 1 lbs 4096 2101248 bytes at buffer offset 512 bounced' \
	"$VM_DIR/io-nvme1.txt"
check "nvme1: 513 pages bounced, split at MDTS, verified" $?

# SMART/health asynchronous event from QMP
r=0
vm_bg_start aer "$check" aer "$B0" >/dev/null
vm_run -t 60 "for i in \$(seq 300); do grep -q armed /run/nvmx-bg/aer.out 2>/dev/null && exit 0; sleep 0.1; done; exit 1" || r=1
vm_qom_set nvme0 smart_critical_warning 4 >/dev/null || r=1
out=$(vm_bg_wait aer 90 2>&1) || r=1
echo "$out" | diag
grep -q '^aen status=0x0 type=1 info=0x[0-9a-f]* lid=0x02' <<<"$out" || r=1
grep -q '^smart critical_warning=0x04' <<<"$out" || r=1
check "smart_critical_warning=4 over QMP: AER completes (type 1 SMART/health, log page 02h), SMART log read clears it and shows 0x04" $r
vm_qom_set nvme0 smart_critical_warning 0 >/dev/null

# the host core driving the same controllers through nvmx_pcie_host_ops
hcheck=$build/tests/interop/pcie_host_check
for c in nvme0:$B0 nvme1:$B1; do
	label=${c%%:*} b=${c#*:} log=$VM_DIR/host-${c%%:*}.txt
	if [[ ! -x $hcheck ]]; then
		n=$((n + 1)); echo "ok $n - # SKIP host core not built in (pcie_host_check missing)"
		continue
	fi
	vm_exec -t 400 "$hcheck" "$b" --queues 2 --depth 8 >"$log" 2>&1
	r=$?
	grep -E '^(mn|sn|state|ns|io |fd|disconnect)' "$log" | diag
	grep '^not ok' "$log" | head -5 | diag
	grep -q "^sn=$SN1\|^sn=$SN0" "$log" && grep -q '^io [1-9][0-9]*/' "$log" || r=1
	check "$label via the host core API (nvmx_ctrl_connect, 2 qpairs at depth 8, split by the core): identity and write/read-verify" $r
done
# the same SMART event through the host core: NVMX_EVENT_AEN, then the log page
r=0
vm_bg_start haer "$hcheck" "$B1" --aer >/dev/null
vm_run -t 60 "for i in \$(seq 300); do grep -q armed /run/nvmx-bg/haer.out 2>/dev/null && exit 0; sleep 0.1; done; exit 1" || r=1
vm_qom_set nvme1 smart_critical_warning 4 >/dev/null || r=1
out=$(vm_bg_wait haer 90 2>&1) || r=1
echo "$out" | grep -E '^(aen|smart|set|no)' | diag
grep -q '^aen type=1 info=0x[0-9a-f]* lid=0x02' <<<"$out" || r=1
grep -q '^smart critical_warning=0x04' <<<"$out" || r=1
check "the same through the host core: NVMX_EVENT_AEN (SMART/health, log page 02h) and the SMART log shows 0x04" $r
vm_qom_set nvme1 smart_critical_warning 0 >/dev/null

if [[ -x $hcheck ]]; then
	grep -q '^fd wake: ok' "$VM_DIR/host-nvme0.txt"
	check "a PCIe queue pair's fd (MSI-X eventfd) wakes poll(2) on completion" $?
else
	n=$((n + 1)); echo "ok $n - # SKIP host core not built in"
fi

for b in "$B0" "$B1"; do
	out=$(vm_exec -t 60 "$check" detach "$b" 2>&1)
	r=$?
	echo "$out" | diag
	grep -q 'shst=2' <<<"$out" && [[ $r -eq 0 ]]
	check "detach of $b leaves CSTS.SHST = 10b (shutdown complete)" $?
done

# after nvmx let go, the function still works (re-opened and brought up)
out=$(vm_exec -t 60 "$check" identify "$B1" 2>&1)
grep -qx "sn=$SN1" <<<"$out"
check "the controller comes up again after a detach" $?

vm_exec "$check" reset-driver "$B0" 2>&1 | diag
r=0
[[ $(vm_run "basename \$(readlink /sys/bus/pci/devices/$B0/driver)") == nvme ]] || r=1
vm_run "for i in \$(seq 100); do ls /sys/bus/pci/devices/$B0/nvme 2>/dev/null | grep -q nvme && exit 0; sleep 0.1; done; exit 1" || r=1
check "nvmx_pcie_bind_kernel gives nvme0 back to the kernel's nvme driver" $r

vm_exec "$check" setup "$B0" >/dev/null 2>&1

# Last, as it has crashed QEMU 7.2 (rarely): controller reset in the middle
# of a verified write workload.
reset_check() {
	out=$(vm_exec -t 300 "$check" reset "$B1" --queues 2 --depth 8 2>&1)
	r=$?
	echo "$out" | grep -E '^(reset|not ok)' | diag
	grep -q '^reset: commands=512 completed_once=512 status_ok=512 verified=256' <<<"$out" || r=1
}
reset_check
# QEMU itself dying (not a wrong result from us) is retried once on a
# fresh guest; a wrong count or a failed verify is never retried.
if [[ $r -ne 0 ]] && ! vm_run true 2>/dev/null; then
	echo "# QEMU died: QEMU 7.2's nvme has crashed (SIGSEGV) now and then on a controller reset with I/O in flight; retrying once on a fresh guest"
	vm_stop_all
	if vm_boot --vfio --mem 1536 "${share[@]}" \
		--nvme "id=nvme0,serial=$SN0,mdts=0$m0" \
		--nvme-ns nsid=1,lbs=512,size=96M --nvme-ns nsid=2,lbs=4096,size=96M \
		--nvme "id=nvme1,serial=$SN1$m1" \
		--nvme-ns nsid=1,lbs=4096,size=96M --nvme-ns nsid=2,lbs=512,size=96M; then
		B1=$(vm_bdf nvme1)
		vm_exec "$check" setup "$B1" >/dev/null 2>&1
		reset_check
	fi
fi
check "controller reset (CC.EN 1->0->1, queues re-created, in-flight commands replayed) mid-workload on 2 queues: 512 commands completed exactly once, 256 writes verified" $r

grep -E '^(ok|not ok)' "$VM_DIR"/io-nvme0.txt | grep -c '^ok' | sed 's/^/# nvme0 cases passed: /'
qemu_pid=$(cat "$VM_DIR/pid" 2>/dev/null)
vm_stop_all
trap - EXIT
if [[ -n $qemu_pid ]] && kill -0 "$qemu_pid" 2>/dev/null; then
	not_ok "QEMU stopped"
else
	ok "QEMU stopped, nothing left running"
fi
[[ $failed -eq 0 ]]
