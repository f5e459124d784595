#!/bin/sh
# Guest-side setup, run chrooted into the host's root by the initramfs (which
# already mounted everything and configured the network).  Loads drivers for
# the PCI devices that have none yet (there is no udev), then runs the
# command agent on the virtio-serial port "nvmx.cmd".
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root
here=$(dirname "$0")
log() { echo "nvmx-guest: $*" >/dev/console; }

# Coldplug, skipping the q35 chipset (host/ISA/PCI bridges, SATA, SMBus:
# probing them costs seconds under TCG); modprobe -b honours
# modprobe.blacklist= on the kernel command line.
for d in /sys/bus/pci/devices/*; do
	[ -e "$d/driver" ] && continue
	case $(cat "$d/class") in
	0x0600*|0x0601*|0x0604*|0x0106*|0x0c05*) continue ;;
	esac
	modprobe -q -b "$(cat "$d/modalias")" 2>/dev/null
done

port=
for p in /sys/class/virtio-ports/*; do
	[ "$(cat "$p/name" 2>/dev/null)" = nvmx.cmd ] && port=/dev/${p##*/}
done
[ -n "$port" ] || { log "no virtio-serial port nvmx.cmd"; sleep 3600; exit 1; }
exec /bin/bash "$here/agent.sh" "$port"
