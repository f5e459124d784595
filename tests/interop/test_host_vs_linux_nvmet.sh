#!/usr/bin/env bash
# The nvmx host library against Linux's nvmet-tcp in a QEMU guest (issue 8,
# "Done when" 1).  One guest boot for the group: nvmet-tcp with a 512-byte
# file-backed namespace (nsid 1, 4 KiB blocks as nvmet gives files) and a
# 512-byte null_blk RAM namespace (nsid 2),
# reached from the host through hostfwd on 127.0.0.1.  The host side is
# tests/integration/test_host_io (the same checks as against the fake and
# nvmxd: discovery lists the subsystem, connect, identify, namespaces,
# write/read-verify on 2 I/O queues at depth > 1 with sizes crossing the
# in-capsule size, MAXH2CDATA and the transfer limit, with and without
# header/data digests, out-of-range LBA named), run once per namespace; then
# the guest must hold no NVMe/TCP connection and no controller.  TAP.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../vm/vm.sh"

if ! vm_available; then
	echo "1..0 # SKIP $VM_UNAVAILABLE"
	exit 0
fi
BUILD=${NVMX_BUILD_ROOT:-$here/../../build}
BIN=$BUILD/tests/integration/test_host_io
if [[ ! -x $BIN ]]; then
	echo "1..0 # SKIP $BIN not built"
	exit 0
fi

NQN=nqn.2014-08.org.nvmexpress:nvmx-host-interop
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { if [[ $2 -eq 0 ]]; then ok "$1"; else not_ok "$1"; [[ -n ${3:-} ]] && echo "# $3"; fi; }
diag() { sed 's/^/# /'; }

trap vm_stop_all EXIT
if ! vm_boot --mem 1024 --hostfwd 4420; then
	echo "1..1"
	not_ok "guest boots"
	exit 1
fi
ok "guest boots in ${VM_BOOT_TIME}s (kernel $VM_KVER)"

setup=$(vm_run "$here/../vm/guest/nvmet-setup.sh --nqn $NQN \
	--ns nsid=1,size=64M,backing=file --ns nsid=2,size=64M,lbs=512,backing=nullb" 2>&1)
check "nvmet-tcp configured in the guest (subsystem, 2 namespaces, port 4420)" $? "$setup"
echo "$setup" | diag
port=$(vm_hostport 4420)
trid="tcp://127.0.0.1:$port/$NQN"
echo "# target $trid"

# Run the host checks; their TAP lines become ours, prefixed by the namespace.
run_host() {	# label nsid digest-note
	local label=$1 nsid=$2 out rc line
	out=$(NVMX_TEST_TRID=$trid NVMX_TEST_NSID=$nsid NVMX_TEST_RANDOM_IOS=4000 \
		CMOCKA_MESSAGE_OUTPUT=TAP timeout 600 "$BIN" 2>"$VM_DIR/host-$nsid.err")
	rc=$?
	while IFS= read -r line; do
		case $line in
		*"# SKIP"*|*"# skip"*) ;;	# checks only the fake can make
		"ok "*) ok "$label: ${line#ok * - }" ;;
		"not ok "*) not_ok "$label: ${line#not ok * - }" ;;
		"#"*) echo "$line" ;;
		esac
	done <<<"$out"
	if [[ $rc -ne 0 ]]; then
		echo "# host test exited $rc; stderr:"
		tail -20 "$VM_DIR/host-$nsid.err" | diag
	fi
	return $rc
}

run_host "nvmet nsid 1 (file, 4 KiB blocks)" 1
run_host "nvmet nsid 2 (null_blk, 512 B blocks)" 2

# Disconnect was clean: no NVMe/TCP connection left on port 4420 (0x1144,
# state 01 = established) and no controller in nvmet (its keep-alive timer
# would fire on a lost one).
left=
for _ in $(seq 1 20); do
	left=$(vm_run "awk '\$2 ~ /:1144\$/ && \$4 == \"01\"' /proc/net/tcp /proc/net/tcp6 | wc -l")
	[[ $left == 0 ]] && break
	sleep 0.5
done
check "after disconnect the guest holds no NVMe/TCP connection" $([[ $left == 0 ]]; echo $?) \
	"established connections on 4420: $left"
sleep 6	# past nvmet's keep-alive of a connection it did not see end (KATO 5 s)
ka=$(vm_run "dmesg | grep -c 'keep-alive timer .* expired'")
check "nvmet saw every controller shut down (no keep-alive expiry)" $([[ $ka == 0 ]]; echo $?) \
	"$(vm_run "dmesg | grep nvmet | tail -5")"

vm_run "$here/../vm/guest/nvmet-teardown.sh --nqn $NQN" >/dev/null 2>&1
check "nvmet subsystem tears down (no controller holds it)" $? 
echo "1..$n"
[[ $failed -eq 0 ]]
