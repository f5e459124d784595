#!/bin/bash
# Give a device back to its kernel driver.  usage: vfio-unbind.sh BDF
set -euo pipefail
bdf=$1
[[ $bdf == *:*:*.* ]] || bdf=0000:$bdf
d=/sys/bus/pci/devices/$bdf
[[ -e $d ]] || { echo "vfio-unbind: no PCI device $bdf" >&2; exit 1; }
echo >"$d/driver_override"
[[ -e $d/driver ]] && echo "$bdf" >"$d/driver/unbind"
echo "$bdf" >/sys/bus/pci/drivers_probe
basename "$(readlink "$d/driver" 2>/dev/null || echo none)"
