# shellcheck shell=bash
# nvmx QEMU guest rig.  Source this file from a bash test script:
#
#   . "$SRCDIR/tests/vm/vm.sh"
#   vm_available || { echo "1..0 # SKIP $VM_UNAVAILABLE"; exit 0; }
#   trap vm_stop_all EXIT
#   vm_boot --nvme id=nvme0,serial=SN1 --nvme-ns lbs=4096 --hostfwd 4420 || exit 1
#   vm_run cat /sys/class/nvme/nvme0/serial
#
# See tests/vm/README.md for the whole API.  The guest is Debian's kernel with
# a busybox initramfs; its root is the host's root filesystem, read-only over
# virtio-9p, with tmpfs on /tmp /run /root /var/tmp.  The source tree, the
# current directory and the VM's own scratch directory ($VM_DIR, writable)
# appear in the guest at the same paths as on the host.
#
# Environment knobs: VM_QEMU, VM_KERNEL (a bzImage), VM_CACHE (built
# artefacts), VM_TIMEOUT (default per-command timeout, s), VM_BOOT_TIMEOUT,
# VM_KEEP=1 (keep $VM_DIR after vm_stop), VM_HOLD=1 (leave the guest running
# at vm_stop_all; attach with tests/vm/vmctl), VM_DEBUG=1 (verbose kernel
# console and rig messages).

VM_RIG_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VM_SRC_ROOT=$(cd "$VM_RIG_DIR/../.." && pwd)
VM_CACHE=${VM_CACHE:-$VM_RIG_DIR/cache}
VM_QEMU=${VM_QEMU:-qemu-system-x86_64}
VM_TIMEOUT=${VM_TIMEOUT:-60}
VM_BOOT_TIMEOUT=${VM_BOOT_TIMEOUT:-90}

# Per-VM state, keyed by VM name; VM_NAME is the current VM.
declare -gA _vm_dir=() _vm_pid=() _vm_wfd=() _vm_rfd=()
VM_NAME=${VM_NAME:-}
VM_DIR=
VM_BOOT_TIME=

_vm_log() { [[ -n ${VM_DEBUG:-} ]] && echo "vm: $*" >&2; return 0; }
_vm_err() { echo "vm: $*" >&2; }

# vm_available: 0 if a guest can be booted here; else 1 with the reason in
# VM_UNAVAILABLE (for "1..0 # SKIP $VM_UNAVAILABLE").
vm_available() {
	VM_UNAVAILABLE=
	local b
	for b in "$VM_QEMU" python3 busybox setpriv; do
		command -v "$b" >/dev/null ||
			{ VM_UNAVAILABLE="$b not installed (scripts/deps.sh)"; return 1; }
	done
	_vm_kernel >/dev/null || { VM_UNAVAILABLE="no Debian kernel in /boot (linux-image-amd64)"; return 1; }
	return 0
}

_vm_kernel() {	# prints the bzImage to boot
	if [[ -n ${VM_KERNEL:-} ]]; then
		[[ -r $VM_KERNEL ]] && echo "$VM_KERNEL"
		return
	fi
	local k best=
	for k in /boot/vmlinuz-*; do
		[[ -r $k && -f /lib/modules/${k#/boot/vmlinuz-}/modules.dep ]] || continue
		if [[ -z $best ]] || [[ $(printf '%s\n%s\n' "$best" "$k" | sort -V | tail -1) == "$k" ]]; then
			best=$k
		fi
	done
	[[ -n $best ]] && echo "$best"
}

# vm_prepare: build (or reuse) the cached vmlinux and initramfs.  Sets
# VM_VMLINUX, VM_INITRAMFS, VM_KVER.  Called by vm_boot.
vm_prepare() {
	local bz stamp want lock
	bz=$(_vm_kernel) || { _vm_err "no kernel to boot"; return 1; }
	VM_KVER=${bz##*/vmlinuz-}
	mkdir -p "$VM_CACHE" || return 1
	VM_VMLINUX=$VM_CACHE/vmlinux-$VM_KVER
	VM_INITRAMFS=$VM_CACHE/initramfs-$VM_KVER.cpio
	exec {lock}>"$VM_CACHE/.lock"
	flock -w 120 "$lock" || { _vm_err "cache lock busy"; exec {lock}>&-; return 1; }
	# vmlinux: rebuilt when the bzImage or the extractor changes
	want="$(stat -Lc '%n %s %Y' "$bz") $(sha256sum <"$VM_RIG_DIR/extract-vmlinux.py")"
	stamp=$(cat "$VM_VMLINUX.stamp" 2>/dev/null)
	if [[ ! -f $VM_VMLINUX || $stamp != "$want" ]]; then
		_vm_log "extracting $VM_VMLINUX from $bz"
		python3 "$VM_RIG_DIR/extract-vmlinux.py" "$bz" "$VM_VMLINUX" &&
			echo "$want" >"$VM_VMLINUX.stamp" ||
			{ flock -u "$lock"; exec {lock}>&-; return 1; }
	fi
	# initramfs: rebuilt when busybox, the modules or the rig's scripts change
	want="$(cat "$VM_RIG_DIR/mkinitramfs.sh" "$VM_RIG_DIR/initramfs-init" | sha256sum)"
	want+=" $(stat -Lc '%s %Y' "$(command -v busybox)" "/lib/modules/$VM_KVER/modules.dep" | tr '\n' ' ')"
	stamp=$(cat "$VM_INITRAMFS.stamp" 2>/dev/null)
	if [[ ! -f $VM_INITRAMFS || $stamp != "$want" ]]; then
		_vm_log "building $VM_INITRAMFS"
		"$VM_RIG_DIR/mkinitramfs.sh" "$VM_KVER" "$VM_INITRAMFS" &&
			echo "$want" >"$VM_INITRAMFS.stamp" ||
			{ flock -u "$lock"; exec {lock}>&-; return 1; }
	fi
	flock -u "$lock"
	exec {lock}>&-
	return 0
}

_vm_port_free() {	# nobody listening on 127.0.0.1:$1
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

_vm_pick_port() {
	local p i
	for i in {1..50}; do
		p=$((20000 + SRANDOM % 40000))
		_vm_port_free "$p" && { echo "$p"; return 0; }
	done
	return 1
}

# vm_boot [options]: boot a guest and wait until its command agent answers.
#   --name N             VM name (default vm0, vm1, ...); becomes current
#   --mem MiB            guest memory (default 1024)
#   --smp N              vCPUs (default 1)
#   --nvme PROPS         add a QEMU NVMe controller: -device nvme,PROPS.
#                        id= (default nvme0, nvme1, ...) is its QOM name
#                        (/machine/peripheral/ID); serial= defaults to
#                        NVMXQEMU<n>; model= needs QEMU >= 8.1 (7.2's
#                        is fixed, "QEMU NVMe Ctrl"); hotplug=on puts it
#                        behind a PCIe root port (rp_ID) so QMP device_del
#                        can unplug it; mdts=, ... pass through
#   --nvme-ns PROPS      add a namespace to the last (or ctrl=ID) controller.
#                        Keys: ctrl=ID, nsid=N, lbs=512|4096 (default 512),
#                        size=64M (default), backing=file|null|PATH|node:NAME
#                        (default file: a sparse raw image in $VM_DIR; null:
#                        null-co, reads zeroes, drops writes; PATH: an
#                        existing image, format=raw|qcow2; node:NAME: a block
#                        node given with --qemu -blockdev, e.g. blkdebug);
#                        other keys (uuid=, eui64=, ms=...) pass through to
#                        -device nvme-ns
#   --hostfwd GPORT      forward 127.0.0.1:<free port> to guest TCP GPORT
#                        (see vm_hostport); repeatable
#   --vfio | --iommu     q35 with an emulated Intel IOMMU, intel_iommu=on
#   --share PATH[:rw]    also show host PATH in the guest (read-only unless :rw)
#   --blacklist MOD      keep the guest from auto-loading MOD (e.g. nvme)
#   --append ARGS        extra kernel command-line arguments
#   --no-net             no network device
#   --root-cache MODE    9p cache mode of the host root (loose|mmap|none)
#   --qemu ARG           one extra QEMU argument (repeatable), e.g.
#                        --qemu -blockdev --qemu driver=blkdebug,...
#   -- ARGS...           the rest are extra QEMU arguments
vm_boot() {
	local name="" mem=1024 smp=1 iommu=0 net=1 rootcache=loose append=""
	local -a nvme=() extra=() fwd=() shares=() blacklist=()
	local nctrl=0 nns=0 cur_ctrl="" arg
	local -a qargs=()
	local dir
	while [[ $# -gt 0 ]]; do
		arg=$1; shift
		case $arg in
		--name) name=$1; shift ;;
		--mem) mem=$1; shift ;;
		--smp) smp=$1; shift ;;
		--nvme) nvme+=("ctrl:$1"); shift ;;
		--nvme-ns) nvme+=("ns:$1"); shift ;;
		--hostfwd) fwd+=("$1"); shift ;;
		--vfio|--iommu) iommu=1 ;;
		--share) shares+=("$1"); shift ;;
		--blacklist) blacklist+=("$1"); shift ;;
		--append) append+=" $1"; shift ;;
		--no-net) net=0 ;;
		--root-cache) rootcache=$1; shift ;;
		--qemu|--extra-qemu-args) extra+=("$1"); shift ;;
		--) extra+=("$@"); break ;;
		*) _vm_err "vm_boot: unknown option $arg"; return 2 ;;
		esac
	done
	if [[ -z $name ]]; then
		local i=0
		while [[ -n ${_vm_dir[vm$i]:-} ]]; do i=$((i + 1)); done
		name=vm$i
	fi
	[[ -z ${_vm_dir[$name]:-} ]] || { _vm_err "VM $name is already running"; return 2; }
	vm_prepare || return 1

	dir=$(mktemp -d "${TMPDIR:-/tmp}/nvmx-vm.XXXXXX") || return 1
	echo "$name" >"$dir/name"
	local t0=$EPOCHREALTIME

	# NVMe controllers and namespaces
	local spec kv key val props
	for spec in "${nvme[@]}"; do
		if [[ $spec == ctrl:* ]]; then
			props=${spec#ctrl:}
			local id="" has_serial=0 model="" hotplug=0 p2=""
			IFS=, read -ra kv <<<"$props"
			for arg in "${kv[@]}"; do
				case $arg in
				hotplug=on|hotplug=1|hotplug) hotplug=1; continue ;;
				hotplug=*) continue ;;
				esac
				p2+=",$arg"
				case $arg in
				id=*) id=${arg#id=} ;;
				serial=*) has_serial=1 ;;
				model=*|mn=*) model=${arg#*=} ;;
				esac
			done
			props=${p2#,}
			if [[ -n $model ]]; then
				# QEMU >= 8.1 calls it mn; 7.2 has no such property
				# and always reports "QEMU NVMe Ctrl"
				_vm_nvme_has_prop mn || { _vm_err "this QEMU's nvme device cannot set the model number (it is \"QEMU NVMe Ctrl\"; needs QEMU >= 8.1)"; rm -rf "$dir"; return 2; }
				props=$(echo ",$props," | sed 's/,model=/,mn=/; s/^,//; s/,$//')
			fi
			[[ -n $id ]] || { id=nvme$nctrl; props="id=$id${props:+,$props}"; }
			if [[ $hotplug == 1 ]]; then
				# behind its own PCIe root port, so QMP device_del
				# can unplug it (root-bus devices cannot be)
				qargs+=(-device "pcie-root-port,id=rp_$id,chassis=$((nctrl + 1)),slot=$((nctrl + 1))")
				props+=",bus=rp_$id"
			fi
			[[ $has_serial == 1 ]] || props+=",serial=NVMXQEMU$nctrl"
			qargs+=(-device "nvme,$props")
			cur_ctrl=$id
			nctrl=$((nctrl + 1))
		else
			props=${spec#ns:}
			local ctrl=$cur_ctrl size=64M lbs=512 backing=file fmt=raw nsid="" nsidp="" pass=""
			IFS=, read -ra kv <<<"$props"
			for arg in "${kv[@]}"; do
				key=${arg%%=*} val=${arg#*=}
				case $key in
				ctrl|bus) ctrl=$val ;;
				size) size=$val ;;
				lbs) lbs=$val ;;
				backing) backing=$val ;;
				format) fmt=$val ;;
				nsid) nsid=$val ;;
				*) pass+=",$arg" ;;
				esac
			done
			[[ -n $ctrl ]] || { _vm_err "--nvme-ns before any --nvme"; rm -rf "$dir"; return 2; }
			[[ -n $nsid ]] && nsidp=",nsid=$nsid"
			local node=ns$nns
			case $backing in
			null)
				qargs+=(-blockdev "driver=null-co,node-name=$node,size=$(_vm_bytes "$size"),read-zeroes=on") ;;
			file)
				truncate -s "$(_vm_bytes "$size")" "$dir/$node.img" || { rm -rf "$dir"; return 1; }
				qargs+=(-blockdev "driver=raw,node-name=$node,file.driver=file,file.filename=$dir/$node.img,file.aio=threads,cache.direct=off") ;;
			node:*)	# a node made with --qemu -blockdev (blkdebug, ...)
				node=${backing#node:} ;;
			*)
				[[ -e $backing ]] || { _vm_err "--nvme-ns: no image $backing"; rm -rf "$dir"; return 2; }
				qargs+=(-blockdev "driver=$fmt,node-name=$node,file.driver=file,file.filename=$backing") ;;
			esac
			qargs+=(-device "nvme-ns,drive=$node,bus=$ctrl$nsidp,logical_block_size=$lbs,physical_block_size=$lbs$pass")
			nns=$((nns + 1))
		fi
	done

	# 9p shares: the source tree, the current directory, the scratch dir
	local -a sh=("$VM_SRC_ROOT:ro") cmdline_sh=()
	case $PWD/ in
	"$VM_SRC_ROOT"/*|/) ;;
	*) [[ $PWD != / ]] && sh+=("$PWD:ro") ;;
	esac
	sh+=("${shares[@]}" "$dir:rw")
	local s n=0 path mode
	for s in "${sh[@]}"; do
		path=${s%:r[ow]} mode=${s##*:}
		[[ $mode == rw || $mode == ro ]] || mode=ro
		path=$(cd "$path" 2>/dev/null && pwd) || { _vm_err "share $s: no such directory"; rm -rf "$dir"; return 2; }
		[[ $path == *[[:space:]]* ]] && { _vm_err "share $path: spaces not supported"; rm -rf "$dir"; return 2; }
		qargs+=(-fsdev "local,id=fs$n,path=$path,security_model=none,multidevs=remap$([[ $mode == ro ]] && echo ,readonly=on)"
			-device "virtio-9p-pci,fsdev=fs$n,mount_tag=share$n")
		cmdline_sh+=("nvmx.share=share$n:$path:$mode")
		n=$((n + 1))
	done

	local kargs="console=ttyS0 panic=-1 nvmx.init=$VM_RIG_DIR/guest/init.sh nvmx.rootcache=$rootcache"
	kargs+=" ${cmdline_sh[*]} 8250.nr_uarts=1 i8042.noaux i8042.nokbd cryptomgr.notests"
	kargs+=" random.trust_cpu=on no_timer_check tsc=reliable"
	if [[ -n ${VM_DEBUG:-} ]]; then kargs+=" nvmx.debug"; else kargs+=" quiet loglevel=3"; fi
	[[ ${#blacklist[@]} -gt 0 ]] && kargs+=" modprobe.blacklist=$(IFS=,; echo "${blacklist[*]}")"
	local machine=q35
	if [[ $iommu == 1 ]]; then
		machine+=,kernel-irqchip=split
		kargs+=" intel_iommu=on"
	fi
	kargs+=$append

	mkfifo "$dir/cmd.in" "$dir/cmd.out" || { rm -rf "$dir"; return 1; }
	local -a base=("$VM_QEMU" -name "nvmx-$name" -accel tcg -machine "$machine" -cpu max
		-m "$mem" -smp "$smp" -nodefaults -no-user-config -display none -no-reboot
		-kernel "$VM_VMLINUX" -initrd "$VM_INITRAMFS" -append "$kargs"
		-chardev "file,id=con,path=$dir/console.log" -serial chardev:con
		-qmp "unix:$dir/qmp.sock,server=on,wait=off"
		-pidfile "$dir/qemu.pid")
	[[ $iommu == 1 ]] && base+=(-device intel-iommu,intremap=on)
	base+=(-fsdev local,id=fsroot,path=/,security_model=none,multidevs=remap,readonly=on
		-device virtio-9p-pci,fsdev=fsroot,mount_tag=hostroot
		-device virtio-serial-pci,id=vser0
		-chardev "pipe,id=cmd,path=$dir/cmd"
		-device virtserialport,bus=vser0.0,chardev=cmd,name=nvmx.cmd)

	# Start QEMU; if a forwarded port was taken meanwhile, retry with others.
	local attempt pid netarg hp g ports
	for attempt in 1 2 3 4 5; do
		netarg="user,id=net0"
		ports=""
		for g in "${fwd[@]}"; do
			hp=$(_vm_pick_port) || { _vm_err "no free host port"; rm -rf "$dir"; return 1; }
			netarg+=",hostfwd=tcp:127.0.0.1:$hp-:$g"
			ports+="$g $hp"$'\n'
		done
		printf '%s' "$ports" >"$dir/ports"
		local -a netq=()
		[[ $net == 1 ]] && netq=(-netdev "$netarg" -device virtio-net-pci,netdev=net0)
		echo "${base[*]} ${qargs[*]} ${netq[*]} ${extra[*]}" >"$dir/qemu.cmdline"
		if [[ -n ${VM_HOLD:-} ]]; then
			setsid "${base[@]}" "${qargs[@]}" "${netq[@]}" "${extra[@]}" \
				</dev/null >"$dir/qemu.log" 2>&1 &
		else
			# dies with this shell even if the test is SIGKILLed
			setpriv --pdeathsig KILL -- "${base[@]}" "${qargs[@]}" "${netq[@]}" "${extra[@]}" \
				</dev/null >"$dir/qemu.log" 2>&1 &
		fi
		pid=$!
		echo "$pid" >"$dir/pid"
		_vm_dir[$name]=$dir _vm_pid[$name]=$pid
		_vm_open "$name" || { vm_stop "$name"; return 1; }
		if _vm_wait_ready "$name"; then
			VM_BOOT_TIME=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
			echo "$VM_BOOT_TIME" >"$dir/boot_time"
			_vm_log "$name booted in $VM_BOOT_TIME s ($dir)"
			return 0
		fi
		if grep -q "hostfwd\|Could not set up host forwarding" "$dir/qemu.log" 2>/dev/null &&
			! kill -0 "$pid" 2>/dev/null; then
			_vm_log "host port taken, retrying"
			_vm_close "$name"
			unset "_vm_dir[$name]" "_vm_pid[$name]"
			continue
		fi
		_vm_err "VM $name did not come up; qemu log:"
		sed 's/^/  /' "$dir/qemu.log" >&2
		_vm_err "console (last lines, $dir/console.log):"
		tail -n 30 "$dir/console.log" 2>/dev/null | sed 's/^/  /' >&2
		VM_KEEP=1 vm_stop "$name"
		return 1
	done
	_vm_err "could not find free host ports"
	rm -rf "$dir"
	return 1
}

_vm_nvme_has_prop() {	# does this QEMU's nvme device have property $1
	"$VM_QEMU" -device nvme,help 2>/dev/null | grep -q "^  $1="
}

_vm_bytes() {	# 64M, 1G, 4096 -> bytes
	local v=$1
	case $v in
	*[kK]) echo $(( ${v%?} * 1024 )) ;;
	*[mM]) echo $(( ${v%?} * 1024 * 1024 )) ;;
	*[gG]) echo $(( ${v%?} * 1024 * 1024 * 1024 )) ;;
	*) echo "$v" ;;
	esac
}

_vm_open() {	# open the command channel FIFOs of VM $1 (never blocks)
	local name=$1 dir=${_vm_dir[$1]} w r
	exec {w}<>"$dir/cmd.in" {r}<>"$dir/cmd.out" || return 1
	_vm_wfd[$name]=$w _vm_rfd[$name]=$r
	VM_NAME=$name VM_DIR=$dir
}

_vm_close() {
	local name=$1 fd
	fd=${_vm_wfd[$name]:-}; [[ -n $fd ]] && exec {fd}>&-
	fd=${_vm_rfd[$name]:-}; [[ -n $fd ]] && exec {fd}>&-
	unset "_vm_wfd[$name]" "_vm_rfd[$name]"
}

_vm_wait_ready() {	# wait for the agent's NVMXREADY line
	local name=$1 line part rc deadline=$((SECONDS + VM_BOOT_TIMEOUT))
	local rfd=${_vm_rfd[$name]} pid=${_vm_pid[$name]}
	while :; do
		line=
		while :; do
			IFS= read -r -t 0.5 part <&"$rfd"
			rc=$?
			[[ $rc -eq 0 ]] && { line+=$part; break; }
			line+=$part
			[[ $rc -le 128 ]] && return 1
			kill -0 "$pid" 2>/dev/null || return 1
			[[ $SECONDS -ge $deadline ]] && { _vm_err "boot timed out after ${VM_BOOT_TIMEOUT}s"; return 1; }
		done
		[[ $line == NVMXREADY* ]] && return 0
	done
}

# vm_use NAME: make VM NAME current (for vm_run, vm_qmp, ...).
vm_use() {
	[[ -n ${_vm_dir[$1]:-} ]] || { _vm_err "no VM named $1"; return 1; }
	VM_NAME=$1 VM_DIR=${_vm_dir[$1]}
}

# vm_attach DIR: adopt a VM started by another shell (e.g. kept with
# VM_HOLD=1); it becomes current.
vm_attach() {
	local dir=$1 name pid
	name=$(cat "$dir/name" 2>/dev/null) && pid=$(cat "$dir/pid" 2>/dev/null) ||
		{ _vm_err "$dir is not a VM directory"; return 1; }
	kill -0 "$pid" 2>/dev/null || { _vm_err "VM in $dir is not running"; return 1; }
	_vm_dir[$name]=$dir _vm_pid[$name]=$pid
	_vm_open "$name"
}

# vm_run [-t SECONDS] CMD...: run CMD in the current guest with bash -c
# semantics (the words are joined with spaces, as ssh does), in the host's
# current directory when the guest has it (source tree, cwd, $VM_DIR, shares),
# else in /.  The guest's stdout goes to stdout, its stderr to stderr;
# returns the guest's exit status, 124 on timeout (default VM_TIMEOUT), 255
# if the guest is gone.
vm_run() {
	local tmo=$VM_TIMEOUT
	if [[ ${1:-} == -t ]]; then tmo=$2; shift 2; fi
	_vm_call "$tmo" "$*"
}

# vm_exec [-t SECONDS] ARGV...: like vm_run but runs exactly ARGV (each
# argument is quoted for the guest shell).
vm_exec() {
	local tmo=$VM_TIMEOUT q
	if [[ ${1:-} == -t ]]; then tmo=$2; shift 2; fi
	printf -v q '%q ' "$@"
	_vm_call "$tmo" "$q"
}

_vm_call() {	# timeout script
	local tmo=$1 script=$2 name=$VM_NAME
	[[ -n $name && -n ${_vm_dir[$name]:-} ]] || { _vm_err "no VM running"; return 255; }
	local dir=${_vm_dir[$name]} wfd=${_vm_wfd[$name]} rfd=${_vm_rfd[$name]} pid=${_vm_pid[$name]}
	local token len lock line part rc magic tok st olen elen
	[[ $tmo =~ ^[0-9]+$ && $tmo -gt 0 ]] || { _vm_err "bad timeout $tmo"; return 2; }
	kill -0 "$pid" 2>/dev/null || { _vm_err "VM $name is not running"; return 255; }
	printf -v token '%08x%08x' "$SRANDOM" "$SRANDOM"
	printf -v script 'cd %q 2>/dev/null || cd /\n%s' "$PWD" "$script"
	len=$(printf '%s' "$script" | wc -c)
	# one command at a time on the channel, even from background subshells
	exec {lock}>"$dir/cmd.lock"
	if ! flock -w "$tmo" "$lock"; then
		exec {lock}>&-
		_vm_err "channel busy for ${tmo}s"; return 124
	fi
	printf 'NVMXCMD %s %d %d\n%s' "$token" "$tmo" "$len" "$script" >&"$wfd"
	# the guest kills the command after tmo (+3 s for SIGKILL); allow a margin
	local deadline=$((SECONDS + tmo + 8))
	while :; do
		line=
		while :; do
			IFS= read -r -t 1 part <&"$rfd"
			rc=$?
			[[ $rc -eq 0 ]] && { line+=$part; break; }
			line+=$part
			if [[ $rc -le 128 ]] || ! kill -0 "$pid" 2>/dev/null; then
				exec {lock}>&-
				_vm_err "VM $name died (see $dir/console.log)"; return 255
			fi
			if [[ $SECONDS -ge $deadline ]]; then
				exec {lock}>&-
				_vm_err "command timed out after ${tmo}s: $script"; return 124
			fi
		done
		read -r magic tok st olen elen <<<"$line"
		[[ $magic == NVMXRET && $olen =~ ^[0-9]+$ && $elen =~ ^[0-9]+$ ]] || continue
		if [[ $tok == "$token" ]]; then
			_vm_readn "$rfd" "$olen"
			_vm_readn "$rfd" "$elen" >&2
			exec {lock}>&-
			return "$st"
		fi
		# a late reply to a command that timed out earlier: drop it
		_vm_readn "$rfd" "$olen" >/dev/null
		_vm_readn "$rfd" "$elen" >/dev/null
	done
}

_vm_readn() {	# copy exactly $2 bytes from fd $1 to stdout
	[[ $2 -gt 0 ]] || return 0
	timeout 60 dd bs=65536 iflag=fullblock,count_bytes count="$2" status=none <&"$1"
}

# vm_hostport GPORT: the host port on 127.0.0.1 forwarded to guest TCP GPORT.
vm_hostport() {
	local g h
	[[ -n ${VM_DIR:-} ]] || { _vm_err "no VM running"; return 1; }
	while read -r g h; do
		[[ $g == "$1" ]] && { echo "$h"; return 0; }
	done <"$VM_DIR/ports"
	_vm_err "guest port $1 is not forwarded (vm_boot --hostfwd $1)"
	return 1
}

# vm_qmp JSON|COMMAND: send one QMP command to the current VM; prints the
# "return" value as JSON; fails (1) with the error on stderr.
vm_qmp() {
	[[ -n ${VM_DIR:-} ]] || { _vm_err "no VM running"; return 2; }
	python3 "$VM_RIG_DIR/qmp.py" "$VM_DIR/qmp.sock" "$1"
}

# vm_qom_set PATH PROPERTY JSON-VALUE / vm_qom_get PATH PROPERTY.
# PATH may be a device id (nvme0) for /machine/peripheral/ID.
vm_qom_set() {
	local p=$1
	[[ $p == /* ]] || p=/machine/peripheral/$p
	vm_qmp "{\"execute\":\"qom-set\",\"arguments\":{\"path\":\"$p\",\"property\":\"$2\",\"value\":$3}}" >/dev/null
}
vm_qom_get() {
	local p=$1
	[[ $p == /* ]] || p=/machine/peripheral/$p
	vm_qmp "{\"execute\":\"qom-get\",\"arguments\":{\"path\":\"$p\",\"property\":\"$2\"}}"
}

# vm_bdf ID: the guest PCI address (0000:BB:DD.F) of the QEMU device with
# id ID (e.g. an --nvme controller), from QMP query-pci.
vm_bdf() {
	vm_qmp query-pci | python3 -c '
import json, sys
want = sys.argv[1]
def walk(devs):
    for d in devs:
        if d.get("qdev_id") == want:
            return d
        sub = d.get("pci_bridge", {}).get("devices", [])
        r = walk(sub)
        if r:
            return r
for bus in json.load(sys.stdin):
    d = walk(bus["devices"])
    if d:
        print("0000:%02x:%02x.%x" % (d["bus"], d["slot"], d["function"]))
        sys.exit(0)
sys.stderr.write("vm: no PCI device with id %s\n" % want)
sys.exit(1)
' "$1"
}

# Guest background jobs (tests/vm/guest/bg.sh): vm_bg_start NAME CMD...
# (prints the pid), vm_bg_wait NAME [SECONDS] (its output and status),
# vm_bg_kill NAME [SIGNAL].
vm_bg_start() { local n=$1; shift; vm_exec bg.sh start "$n" "$*"; }
vm_bg_wait() { vm_run -t $(( ${2:-60} + 10 )) bg.sh wait "$1" "${2:-60}"; }
vm_bg_kill() { vm_run bg.sh kill "$1" "${2:-TERM}"; }

# vm_console: path of the current guest's console log.
vm_console() { echo "$VM_DIR/console.log"; }

# vm_stop [NAME]: stop a VM (default: current) and remove its directory
# (kept when VM_KEEP=1).
vm_stop() {
	local name=${1:-$VM_NAME}
	[[ -n $name && -n ${_vm_dir[$name]:-} ]] || return 0
	local dir=${_vm_dir[$name]} pid=${_vm_pid[$name]} i
	_vm_close "$name"
	if kill -0 "$pid" 2>/dev/null; then
		python3 "$VM_RIG_DIR/qmp.py" "$dir/qmp.sock" quit 2 >/dev/null 2>&1
		for i in {1..20}; do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	unset "_vm_dir[$name]" "_vm_pid[$name]"
	if [[ -n ${VM_KEEP:-} ]]; then
		_vm_err "kept $dir (console.log, qemu.log, qemu.cmdline)"
	else
		rm -rf "$dir"
	fi
	if [[ $name == "$VM_NAME" ]]; then VM_NAME= VM_DIR=; fi
	return 0
}

# vm_stop_all: stop every VM of this shell; meant for `trap vm_stop_all EXIT`.
# When the script is failing (nonzero status), prints the tail of each
# console log and keeps the VM directories.  With VM_HOLD=1 the guests are
# left running and how to reach them is printed.
vm_stop_all() {
	local st=$? name
	for name in "${!_vm_dir[@]}"; do
		if [[ -n ${VM_HOLD:-} ]]; then
			_vm_err "VM $name left running (pid ${_vm_pid[$name]}): $VM_RIG_DIR/vmctl ${_vm_dir[$name]} run CMD | qmp JSON | stop"
			continue
		fi
		if [[ $st -ne 0 ]]; then
			_vm_err "VM $name: last console lines (${_vm_dir[$name]}/console.log):"
			tail -n 20 "${_vm_dir[$name]}/console.log" 2>/dev/null | sed 's/^/  /' >&2
			# the console only has errors (loglevel 3); keep the full log
			if VM_NAME=$name _vm_call 5 dmesg >"${_vm_dir[$name]}/dmesg.txt" 2>/dev/null; then
				_vm_err "VM $name: last kernel messages (${_vm_dir[$name]}/dmesg.txt):"
				tail -n 15 "${_vm_dir[$name]}/dmesg.txt" | sed 's/^/  /' >&2
			fi
			VM_KEEP=1 vm_stop "$name"
		else
			vm_stop "$name"
		fi
	done
	return $st
}
