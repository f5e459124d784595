#!/bin/bash
# Load the guest kernel's NVMe host drivers: the PCIe driver and the TCP
# fabrics host (so `nvme connect -t tcp` works).  Prints /dev/nvme-fabrics.
set -euo pipefail
modprobe nvme
modprobe nvme-tcp
for _ in $(seq 20); do [[ -e /dev/nvme-fabrics ]] && break; sleep 0.1; done
[[ -e /dev/nvme-fabrics ]] || { echo "nvme-host-load: no /dev/nvme-fabrics" >&2; exit 1; }
echo /dev/nvme-fabrics
