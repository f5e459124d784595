#!/usr/bin/env bash
# 4 KiB random read on QEMU's emulated NVMe controller inside the test guest
# (tests/vm, TCG): nvmx over VFIO (tests/interop/pcie_check randread: one
# queue, busy polling, zero copy) against fio on the kernel nvme driver's
# block device of the same controller and namespace (io_uring, and pvsync2
# with --hipri on a poll queue), at queue depth 1 and 32.  Prints one line
# per run and the ratios.  nvmx runs twice: pure busy polling, and hybrid
# (spin, then sleep in poll(2) on the queue's MSI-X eventfd).  QEMU's emulation under TCG sets the ceiling: the
# ratio is what counts.  Usage: bench/pcie_vs_fio.sh [SECONDS] (default 10)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tests/vm/vm.sh"
vm_available || { echo "no guest: $VM_UNAVAILABLE"; exit 1; }
build=${NVMX_BUILD_ROOT:-$here/../build}
build=$(cd "$build" && pwd)
check=$build/tests/interop/pcie_check
[[ -x $check ]] || { echo "$check not built"; exit 1; }
secs=${1:-10}
trap vm_stop_all EXIT
share=()
case $build/ in "$VM_SRC_ROOT"/* | "$PWD"/*) ;; *) share=(--share "$build") ;; esac

vm_boot --vfio --mem 1024 "${share[@]}" --append nvme.poll_queues=1 \
	--nvme id=nvme0,serial=NVMXBENCH --nvme-ns nsid=1,lbs=4096,size=1G || exit 1
B=$(vm_bdf nvme0)
vm_run "for i in \$(seq 100); do [ -b /dev/nvme0n1 ] && exit 0; sleep 0.1; done; exit 1" ||
	{ echo "kernel nvme driver did not bring up /dev/nvme0n1"; exit 1; }
# Fill the namespace's first 256 MiB so reads hit written data.
vm_run -t 300 "dd if=/dev/urandom of=/dev/nvme0n1 bs=1M count=256 oflag=direct status=none"

fio_run() {	# ENGINE DEPTH [extra fio args]
	local eng=$1 qd=$2; shift 2
	vm_run -t $((secs + 60)) "fio --name=rr --filename=/dev/nvme0n1 --direct=1 --rw=randread \
		--bs=4k --size=256M --ioengine=$eng --iodepth=$qd --runtime=$secs --time_based \
		--norandommap --randrepeat=0 --output-format=terse --terse-version=3 $*" |
		awk -F';' '$1 == 3 { printf "%.0f %.1f\n", $8, $40 }'	# read iops, clat mean (us)
}

declare -A iops lat
while read -r k eng qd extra; do
	read -r iops[$k] lat[$k] < <(fio_run "$eng" "$qd" $extra)
	echo "fio $eng ${extra:+$extra }QD$qd: ${iops[$k]} IOPS, mean latency ${lat[$k]} us"
done <<'EOF'
uring1 io_uring 1
uring32 io_uring 32
hipri1 pvsync2 1 --hipri
EOF

vm_exec "$check" setup "$B" >/dev/null || { echo "binding to vfio-pci failed"; exit 1; }
for mode in polled hybrid; do
	for qd in 1 32; do
		flag=; [[ $mode == hybrid ]] && flag=--hybrid
		out=$(vm_exec -t $((secs + 60)) "$check" randread "$B" --depth $qd --seconds "$secs" $flag)
		iops[$mode$qd]=$(sed -n 's/.* iops=\([0-9]*\).*/\1/p' <<<"$out")
		lat[$mode$qd]=$(sed -n 's/.* avg_lat_us=\([0-9.]*\).*/\1/p' <<<"$out")
		echo "nvmx VFIO $mode QD$qd: ${iops[$mode$qd]} IOPS, mean latency ${lat[$mode$qd]} us"
	done
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
for mode in polled hybrid; do
	echo "ratio nvmx $mode / io_uring QD1: $(ratio "${iops[${mode}1]}" "${iops[uring1]}")"
	echo "ratio nvmx $mode / io_uring QD32: $(ratio "${iops[${mode}32]}" "${iops[uring32]}")"
	echo "ratio nvmx $mode / pvsync2 hipri QD1: $(ratio "${iops[${mode}1]}" "${iops[hipri1]}")"
done
