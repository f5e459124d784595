#!/usr/bin/env bash
# Build the rig's initramfs: static busybox, the modules that reach the host
# root over virtio-9p (with their dependencies from modules.dep), and /init.
# usage: mkinitramfs.sh KVER OUTPUT.cpio
# Output is an uncompressed newc cpio (the guest unpacks it faster than it
# would decompress it under TCG).
set -euo pipefail
kver=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
moddir=/lib/modules/$kver
busybox=$(command -v busybox)
[[ -f $moddir/modules.dep ]] || { echo "mkinitramfs: no $moddir/modules.dep" >&2; exit 1; }
python3 - "$busybox" <<'PY' ||
import struct, sys
# static = an ELF64 with no PT_INTERP program header
d = open(sys.argv[1], "rb").read()
if d[:4] != b"\x7fELF" or d[4] != 2:
    sys.exit(1)
phoff, = struct.unpack_from("<Q", d, 0x20)
phentsize, phnum = struct.unpack_from("<HH", d, 0x36)
for i in range(phnum):
    if struct.unpack_from("<I", d, phoff + i * phentsize)[0] == 3:
        sys.exit(1)
PY
	{ echo "mkinitramfs: $busybox is not static (install busybox-static)" >&2; exit 1; }

# Modules wanted in the initramfs (the rest is loaded from the host root).
want=(virtio_pci virtio_console 9pnet_virtio 9p virtio_net configfs)

declare -A done_=()
order=()
resolve() {	# depth-first: dependencies before the module
	local m=$1 path deps d
	path=$(modpath "$m") || return 0	# built in
	[[ -n ${done_[$path]:-} ]] && return 0
	done_[$path]=1
	deps=$(awk -v p="$path:" '$1 == p { $1 = ""; print }' "$moddir/modules.dep")
	for d in $deps; do resolve "$d"; done
	order+=("$path")
}
modpath() {	# module name or path -> path relative to moddir, fails if builtin
	local m=$1
	if [[ $m == */* ]]; then echo "$m"; return 0; fi
	local n=${m//-/_} p
	p=$(awk -F: -v n="$n" '{ b = $1; sub(".*/", "", b); sub("\\.ko.*$", "", b); gsub("-", "_", b);
		if (b == n) { print $1; exit } }' "$moddir/modules.dep")
	[[ -n $p ]] || { grep -q "/$n.ko" "$moddir/modules.builtin" 2>/dev/null ||
		echo "mkinitramfs: module $m not found for $kver" >&2; return 1; }
	echo "$p"
}
for m in "${want[@]}"; do resolve "$m"; done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/{bin,dev,proc,sys,modules,newroot}
cp "$busybox" "$tmp/bin/busybox"
cp "$here/initramfs-init" "$tmp/init"
chmod 755 "$tmp/init"
: >"$tmp/modules.list"
for p in "${order[@]}"; do
	b=$(basename "$p"); b=${b%%.ko*}
	case "$p" in
	*.ko) cp "$moddir/$p" "$tmp/modules/$b.ko" ;;
	*.ko.xz) xz -dc "$moddir/$p" >"$tmp/modules/$b.ko" ;;
	*.ko.zst) zstd -qdc "$moddir/$p" >"$tmp/modules/$b.ko" ;;
	*.ko.gz) gzip -dc "$moddir/$p" >"$tmp/modules/$b.ko" ;;
	esac
	echo "$b" >>"$tmp/modules.list"
done
mknod -m 600 "$tmp/dev/console" c 5 1 2>/dev/null || true
(cd "$tmp" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$out.tmp.$$"
mv "$out.tmp.$$" "$out"
