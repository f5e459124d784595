#!/usr/bin/env bash
# nvmx and nvmx-perf on a PCIe controller: QEMU's emulated NVMe controller
# in a guest with an IOMMU.  nvme-cli reads id-ctrl/id-ns through the
# kernel's nvme driver first; then `nvmx setup` hands the function to
# vfio-pci and nvmx's answers over pcie:// must agree key by key; I/O,
# SMART, registers, a controller reset, nvmx-perf --verify; `nvmx
# reset-driver` gives it back to the nvme driver.  TAP.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../vm/vm.sh"

if ! vm_available; then
	echo "1..0 # SKIP $VM_UNAVAILABLE"
	exit 0
fi
BUILD=${NVMX_BUILD_ROOT:-$here/../../build}
BUILD=$(cd "$BUILD" && pwd)
NVMX=$BUILD/tools/nvmx PERF=$BUILD/tools/nvmx-perf
for b in "$NVMX" "$PERF"; do
	[[ -x $b ]] || { echo "1..0 # SKIP $b not built"; exit 0; }
done

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { if [[ $2 -eq 0 ]]; then ok "$1"; else not_ok "$1"; [[ -n ${3:-} ]] && echo "$3" | sed 's/^/# /'; fi; }
done_tap() { echo "1..$n"; [[ $failed -eq 0 ]]; exit; }

share=()
case $BUILD/ in
"$VM_SRC_ROOT"/* | "$PWD"/*) ;;
*) share=(--share "$BUILD") ;;
esac
SN=NVMXCLIPCIE
trap vm_stop_all EXIT
if ! vm_boot --vfio --mem 1024 "${share[@]}" --nvme "id=nvme0,serial=$SN" \
	--nvme-ns nsid=1,lbs=512,size=64M; then
	not_ok "guest boots"
	done_tap
fi
ok "guest boots with a QEMU NVMe controller behind an IOMMU (${VM_BOOT_TIME}s)"
B=$(vm_bdf nvme0)
T=pcie://$B
vm_run "for i in \$(seq 50); do [ -e /sys/bus/pci/devices/$B/driver ] && [ -e /dev/nvme0n1 ] && break; sleep 0.1; done"

# nvme-cli through the kernel driver, before nvmx takes the device
vm_run "nvme id-ctrl /dev/nvme0 -o json" >"$VM_DIR/id-ctrl.nvme-cli.json" 2>/dev/null
r1=$?
vm_run "nvme id-ns /dev/nvme0n1 -o json" >"$VM_DIR/id-ns.nvme-cli.json" 2>/dev/null
check "nvme-cli reads id-ctrl and id-ns through the kernel's nvme driver" $((r1 | $?))

err=$(vm_exec "$NVMX" id-ctrl "$T" 2>&1 >/dev/null)
r=$?
check "nvmx on a device the nvme driver owns: exit 2 and a message naming 'nvmx setup'" \
	$([[ $r -eq 2 && $err == *"nvmx setup"* ]]; echo $?) "$err"

out=$(vm_exec "$NVMX" setup "$T" 2>&1)
drv=$(vm_run "basename \$(readlink /sys/bus/pci/devices/$B/driver)")
check "nvmx setup binds $B to vfio-pci" $([[ $drv == vfio-pci ]]; echo $?) "$out"

compare() {	# name nvmx-args exclusions
	local theirs=$VM_DIR/$1.nvme-cli.json ours=$VM_DIR/$1.nvmx.json res
	vm_exec "$NVMX" $2 -o json >"$ours" 2>"$ours.err" ||
		{ not_ok "$1: nvmx over pcie:// ran"; sed 's/^/# /' "$ours.err"; return; }
	res=$(python3 - "$theirs" "$ours" "$3" <<'EOF'
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
skip = set(filter(None, sys.argv[3].split(",")))
bad = [k for k in a if k not in skip and
       (k not in b or (a[k] != b[k] and not (isinstance(a[k], int) and isinstance(b[k], int)
                                             and a[k] % (1 << 32) == b[k] % (1 << 32))))]
print(len(a), len(bad))
for k in bad[:20]:
    print("%s: nvme-cli %r, nvmx %r" % (k, a[k], b.get(k)))
EOF
)
	local keys mism
	read -r keys mism <<<"$(head -1 <<<"$res")"
	check "$1 over pcie:// agrees with nvme-cli through the kernel on all $keys keys (except: ${3:-none})" \
		$([[ ${mism:-1} == 0 && ${keys:-0} -gt 0 ]]; echo $?) "$(tail -n +2 <<<"$res")"
}
# The kernel enabled features nvmx leaves alone, but identify data is the
# controller's own: nothing excepted.
compare id-ctrl "id-ctrl $T" ""
compare id-ns "id-ns $T -n 1" ""

head -c 65536 /dev/urandom >"$VM_DIR/data"
vm_exec "$NVMX" write "$T" -s 100 -c 127 -d "$VM_DIR/data" >/dev/null 2>&1 &&
	vm_exec "$NVMX" read "$T" -s 100 -c 127 -d "$VM_DIR/back" >/dev/null 2>&1 &&
	cmp -s "$VM_DIR/data" "$VM_DIR/back"
check "write 64 KiB then read it back over pcie://: identical" $?

sm=$(vm_exec "$NVMX" smart-log "$T" -o json 2>&1)
check "smart-log over pcie:// (-o json)" $(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); sys.exit(0 if "critical_warning" in d and d["temperature"] > 0 else 1)' "$sm" 2>/dev/null; echo $?) "$sm"

regs=$(vm_exec "$NVMX" show-regs "$T" -o json 2>&1)
check "show-regs over pcie:// shows CAP and VS" \
	$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); sys.exit(0 if d["cap"] not in (0, 2**64-1) and d["vs"] >= 0x10000 else 1)' "$regs" 2>/dev/null; echo $?) "$regs"

out=$(vm_exec -t 120 "$NVMX" reset "$T" 2>&1)
r=$?
if [[ $r -eq 2 && $out == *"does not have"* ]]; then
	n=$((n + 1)); echo "ok $n - # SKIP controller reset over pcie:// needs the library's nvmx_ctrl_reset"
else
	again=$(vm_exec "$NVMX" id-ctrl "$T" -o json 2>&1)
	check "reset over pcie://, then the controller answers again" \
		$([[ $r -eq 0 && $again == *'"sn":"'$SN* ]]; echo $?) "$out"
fi

out=$(vm_exec -t 120 "$PERF" -r "$T" -q 8 -o 4096 -w randrw -M 50 -t 2 -c 2 --verify --json 2>&1)
check "nvmx-perf --verify randrw on 2 threads over pcie://: zero mismatches" \
	$(python3 -c 'import json,sys; t=json.loads(sys.argv[1])["total"]; sys.exit(0 if t["verify_mismatches"] == 0 and t["verify_blocks"] > 0 and t["errors"] == 0 else 1)' "$out" 2>/dev/null; echo $?) "$(head -c 1500 <<<"$out")"

# a SMART warning set over QMP reaches nvmx monitor as an event
r=0
vm_bg_start mon "$NVMX" monitor "$T" -c 1 -t 60 >/dev/null
vm_run -t 60 "for i in \$(seq 300); do grep -q monitoring /run/nvmx-bg/mon.out 2>/dev/null && exit 0; sleep 0.1; done; exit 1" || r=1
vm_qom_set nvme0 smart_critical_warning 4 || r=1
out=$(vm_bg_wait mon 90 2>&1) || r=1
grep -q 'async event: SMART / Health Status' <<<"$out" || r=1
grep -q 'critical_warning 0x4' <<<"$out" || r=1
check "smart_critical_warning=4 over QMP: nvmx monitor prints the SMART/health event" $r "$out"
vm_qom_set nvme0 smart_critical_warning 0

out=$(vm_exec "$NVMX" reset-driver "$T" 2>&1)
drv=$(vm_run "basename \$(readlink /sys/bus/pci/devices/$B/driver)")
check "nvmx reset-driver gives $B back to the nvme driver" $([[ $drv == nvme ]]; echo $?) "$out"
done_tap
