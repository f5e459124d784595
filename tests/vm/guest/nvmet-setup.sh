#!/bin/bash
# Configure the guest kernel's NVMe target (nvmet) over configfs.
#
# usage: nvmet-setup.sh [options]
#   --nqn NQN            subsystem NQN (default nqn.2014-08.org.nvmexpress:nvmx-test)
#   --ns SPEC            add a namespace (repeatable; default one: nsid=1).
#                        SPEC keys, comma-separated:
#                          nsid=N        (default: next free, from 1)
#                          size=64M      (K/M/G suffixes)
#                          lbs=512|4096  logical block size (nullb/file only)
#                          backing=nullb RAM-backed null_blk (default)
#                                  null  null_blk without memory (reads zeroes)
#                                  brd   RAM disk (512-byte blocks, all brd
#                                        devices share one size)
#                                  file  file on tmpfs with buffered_io=1
#                                  /dev/X an existing block device
#                          uuid=U nguid=G  namespace identifiers
#   --port N             TCP service id (default 4420)
#   --addr A             listen address (default 0.0.0.0)
#   --adrfam ipv4|ipv6   (default ipv4)
#   --portid N           nvmet port number (default 1); an existing port is
#                        reused (only the subsystem link is added)
#   --trtype tcp|loop    (default tcp)
#   --host NQN           allow only these host NQNs (repeatable; default any)
#   --serial S --model M subsystem serial number / model number
#   --subsys-attr K=V    write V to the subsystem's attribute K (repeatable)
#   --port-attr K=V      write V to the port's attribute K, e.g.
#                        param_inline_data_size=16384 (repeatable)
# Prints one line per object made:  subsystem NQN / namespace NSID DEVICE /
# port PORTID ADDR:SVC.  Undo with nvmet-teardown.sh.
set -euo pipefail
CFG=/sys/kernel/config
T=$CFG/nvmet
nqn=nqn.2014-08.org.nvmexpress:nvmx-test
port=4420 addr=0.0.0.0 adrfam=ipv4 portid=1 trtype=tcp serial= model=
nss=() hosts=() sattrs=() pattrs=()
while [[ $# -gt 0 ]]; do
	case $1 in
	--nqn) nqn=$2; shift ;;
	--ns) nss+=("$2"); shift ;;
	--port) port=$2; shift ;;
	--addr) addr=$2; shift ;;
	--adrfam) adrfam=$2; shift ;;
	--portid) portid=$2; shift ;;
	--trtype) trtype=$2; shift ;;
	--host) hosts+=("$2"); shift ;;
	--serial) serial=$2; shift ;;
	--model) model=$2; shift ;;
	--subsys-attr) sattrs+=("$2"); shift ;;
	--port-attr) pattrs+=("$2"); shift ;;
	-h|--help) sed -n '2,/^set -e/p' "$0" | sed 's/^# \{0,1\}//; /^set -e/d'; exit 0 ;;
	*) echo "nvmet-setup: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
[[ ${#nss[@]} -gt 0 ]] || nss=("nsid=1")

die() { echo "nvmet-setup: $*" >&2; exit 1; }
bytes() {
	local v=$1
	case $v in
	*[kK]) echo $(( ${v%?} * 1024 )) ;;
	*[mM]) echo $(( ${v%?} * 1024 * 1024 )) ;;
	*[gG]) echo $(( ${v%?} * 1024 * 1024 * 1024 )) ;;
	*) echo "$v" ;;
	esac
}

modprobe nvmet
modprobe "nvmet-$trtype" 2>/dev/null || modprobe "nvme-$trtype"
[[ -d $T ]] || mount -t configfs configfs $CFG 2>/dev/null || true
[[ -d $T ]] || die "no $T (nvmet configfs)"

S=$T/subsystems/$nqn
[[ -e $S ]] && die "subsystem $nqn already exists"
mkdir "$S"
echo "subsystem $nqn"
[[ -n $serial ]] && echo "$serial" >"$S/attr_serial"
[[ -n $model ]] && echo "$model" >"$S/attr_model"
for kv in "${sattrs[@]}"; do echo "${kv#*=}" >"$S/${kv%%=*}"; done
if [[ ${#hosts[@]} -eq 0 ]]; then
	echo 1 >"$S/attr_allow_any_host"
else
	echo 0 >"$S/attr_allow_any_host"
	for h in "${hosts[@]}"; do
		[[ -d $T/hosts/$h ]] || mkdir "$T/hosts/$h"
		ln -s "$T/hosts/$h" "$S/allowed_hosts/$h"
	done
fi

# RAM-backed null_blk devices are made through null_blk's configfs so each
# has its own size and block size; named nvmx<N> so teardown finds them.
nullb_new() {	# size-bytes lbs memory_backed -> /dev/nullbX
	local bytes=$1 lbs=$2 mem=$3 i=0 d
	if [[ ! -d $CFG/nullb ]]; then
		modprobe null_blk nr_devices=0 || die "cannot load null_blk"
	fi
	while [[ -e $CFG/nullb/nvmx$i ]]; do i=$((i + 1)); done
	d=$CFG/nullb/nvmx$i
	mkdir "$d"
	echo $(( (bytes + 1048575) / 1048576 )) >"$d/size"	# MiB
	echo "$lbs" >"$d/blocksize"
	echo "$mem" >"$d/memory_backed"
	echo 1 >"$d/power"
	# newer kernels name the disk after the configfs directory
	if [[ -b /dev/nvmx$i ]]; then echo "/dev/nvmx$i"; else echo "/dev/nullb$(cat "$d/index")"; fi
}

brd_new() {	# size-bytes -> /dev/ramX (brd makes all its disks at load time)
	local kb=$(( ($1 + 1023) / 1024 )) i
	if [[ ! -e /sys/module/brd ]]; then
		modprobe brd rd_nr=8 rd_size="$kb" max_part=0 || die "cannot load brd"
	fi
	for i in 0 1 2 3 4 5 6 7; do
		[[ -e /run/nvmet-brd-used.$i ]] && continue
		: >/run/nvmet-brd-used.$i
		echo "/dev/ram$i"; return 0
	done
	die "no free brd disk"
}

next_nsid=1
for spec in "${nss[@]}"; do
	nsid= size=64M lbs=512 backing=nullb uuid= nguid=
	IFS=, read -ra kvs <<<"$spec"
	for kv in "${kvs[@]}"; do
		case ${kv%%=*} in
		nsid) nsid=${kv#*=} ;;
		size) size=${kv#*=} ;;
		lbs) lbs=${kv#*=} ;;
		backing) backing=${kv#*=} ;;
		uuid) uuid=${kv#*=} ;;
		nguid) nguid=${kv#*=} ;;
		*) die "unknown namespace key ${kv%%=*}" ;;
		esac
	done
	if [[ -z $nsid ]]; then
		while [[ -e $S/namespaces/$next_nsid ]]; do next_nsid=$((next_nsid + 1)); done
		nsid=$next_nsid
	fi
	b=$(bytes "$size")
	buffered=0
	case $backing in
	nullb) dev=$(nullb_new "$b" "$lbs" 1) ;;
	null) dev=$(nullb_new "$b" "$lbs" 0) ;;
	brd) dev=$(brd_new "$b") ;;
	file)
		mkdir -p /run/nvmet-files
		dev=/run/nvmet-files/${nqn//[:\/]/_}-$nsid.img
		truncate -s "$b" "$dev"
		buffered=1 ;;
	/*) dev=$backing ;;
	*) die "unknown backing $backing" ;;
	esac
	N=$S/namespaces/$nsid
	mkdir "$N"
	echo -n "$dev" >"$N/device_path"
	[[ $buffered == 1 ]] && echo 1 >"$N/buffered_io"
	[[ -n $uuid ]] && echo "$uuid" >"$N/device_uuid"
	[[ -n $nguid ]] && echo "$nguid" >"$N/device_nguid"
	echo 1 >"$N/enable" || die "enabling namespace $nsid on $dev failed"
	echo "namespace $nsid $dev"
done

P=$T/ports/$portid
if [[ ! -d $P ]]; then
	mkdir "$P"
	echo "$trtype" >"$P/addr_trtype"
	if [[ $trtype != loop ]]; then
		echo "$adrfam" >"$P/addr_adrfam"
		echo "$addr" >"$P/addr_traddr"
		echo "$port" >"$P/addr_trsvcid"
	fi
	for kv in "${pattrs[@]}"; do echo "${kv#*=}" >"$P/${kv%%=*}"; done
fi
ln -s "$S" "$P/subsystems/$nqn" || die "enabling port $portid failed (address in use?)"
echo "port $portid $(cat "$P/addr_traddr"):$(cat "$P/addr_trsvcid")"
