#!/usr/bin/env bash
# Install the Debian packages nvmx needs, only those that are missing.
# Idempotent and quiet when everything is present; runs `apt-get update`
# only when something has to be installed.
set -euo pipefail

# build and unit tests
pkgs=(meson ninja-build pkg-config gcc clang libclang-rt-14-dev
      libcmocka-dev libisal-dev libssl-dev libjson-c-dev liburing-dev
      libnvme-dev python3)
# memcheck over the integration tests and the fault matrix (suite valgrind)
pkgs+=(valgrind)
# interop rig (QEMU guest with Linux nvmet/nvme-tcp, QEMU's NVMe controller)
pkgs+=(qemu-system-x86 qemu-utils linux-image-amd64 busybox-static nvme-cli
       cpio kmod fio tshark socat jq)

missing=()
for p in "${pkgs[@]}"; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ "$st" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "deps: installing ${missing[*]}" >&2
sudo=()
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null; then sudo=(sudo); else
        echo "deps: missing packages (${missing[*]}) and not root; run as root: apt-get install ${missing[*]}" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no without a prompt
echo "wireshark-common wireshark-common/install-setuid boolean false" | "${sudo[@]}" debconf-set-selections 2>/dev/null || true
"${sudo[@]}" apt-get update -qq >/dev/null
"${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
