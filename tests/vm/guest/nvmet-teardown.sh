#!/bin/bash
# Undo nvmet-setup.sh.  usage: nvmet-teardown.sh [--nqn NQN]
# Without --nqn removes every nvmet port, subsystem and host, and the
# null_blk/brd/file backings nvmet-setup.sh made.  With --nqn removes that
# subsystem (its port links, namespaces) and any port left without subsystems.
set -uo pipefail
CFG=/sys/kernel/config
T=$CFG/nvmet
only=
[[ ${1:-} == --nqn ]] && only=$2
[[ -d $T ]] || exit 0
rc=0
for P in "$T"/ports/*; do
	[[ -d $P ]] || continue
	for l in "$P"/subsystems/*; do
		[[ -L $l ]] || continue
		[[ -z $only || ${l##*/} == "$only" ]] && { rm "$l" || rc=1; }
	done
	[[ -n $(ls "$P/subsystems") ]] || rmdir "$P" || rc=1
done
for S in "$T"/subsystems/*; do
	[[ -d $S ]] || continue
	[[ -z $only || ${S##*/} == "$only" ]] || continue
	for N in "$S"/namespaces/*; do
		[[ -d $N ]] || continue
		echo 0 >"$N/enable"
		rmdir "$N" || rc=1
	done
	for h in "$S"/allowed_hosts/*; do
		[[ -L $h ]] && { rm "$h" || rc=1; }
	done
	rmdir "$S" || rc=1
	rm -f /run/nvmet-files/"${S##*/}"-*.img 2>/dev/null
	rm -f /run/nvmet-files/"$(echo "${S##*/}" | tr ':/' '__')"-*.img 2>/dev/null
done
if [[ -z $only ]]; then
	for H in "$T"/hosts/*; do [[ -d $H ]] && { rmdir "$H" || rc=1; }; done
	for d in "$CFG"/nullb/nvmx*; do
		[[ -d $d ]] || continue
		echo 0 >"$d/power" 2>/dev/null
		rmdir "$d" || rc=1
	done
	rm -rf /run/nvmet-files /run/nvmet-brd-used.*
	[[ -e /sys/module/brd ]] && modprobe -r brd 2>/dev/null
fi
exit $rc
