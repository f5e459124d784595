#!/bin/bash
# Hand a PCI device to vfio-pci.  usage: vfio-bind.sh [BDF]
# BDF like 0000:00:04.0 or 00:04.0; without it, the first NVMe controller
# (class 0x010802).  Loads the vfio modules, unbinds the current driver, sets
# driver_override and reprobes.  Prints the group's device node, /dev/vfio/N.
# Needs an IOMMU (vm_boot --vfio).
set -euo pipefail
die() { echo "vfio-bind: $*" >&2; exit 1; }
bdf=${1:-}
if [[ -z $bdf ]]; then
	for d in /sys/bus/pci/devices/*; do
		[[ $(cat "$d/class") == 0x010802 ]] && { bdf=${d##*/}; break; }
	done
	[[ -n $bdf ]] || die "no NVMe controller found"
fi
[[ $bdf == *:*:*.* ]] || bdf=0000:$bdf
d=/sys/bus/pci/devices/$bdf
[[ -e $d ]] || die "no PCI device $bdf"
[[ -e $d/iommu_group ]] || die "$bdf has no IOMMU group (boot with --vfio / intel_iommu=on)"
modprobe vfio_iommu_type1
modprobe vfio-pci
if [[ -e $d/driver ]]; then
	[[ $(basename "$(readlink "$d/driver")") == vfio-pci ]] || echo "$bdf" >"$d/driver/unbind"
fi
echo vfio-pci >"$d/driver_override"
[[ -e $d/driver ]] || echo "$bdf" >/sys/bus/pci/drivers_probe
[[ $(basename "$(readlink "$d/driver" 2>/dev/null)") == vfio-pci ]] || die "vfio-pci did not bind $bdf"
group=$(basename "$(readlink "$d/iommu_group")")
for _ in $(seq 50); do [[ -e /dev/vfio/$group ]] && break; sleep 0.1; done
[[ -e /dev/vfio/$group ]] || die "/dev/vfio/$group did not appear"
echo "/dev/vfio/$group"
