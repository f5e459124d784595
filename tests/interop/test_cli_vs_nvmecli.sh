#!/usr/bin/env bash
# nvmx's JSON against nvme-cli's, on the same Linux nvmet subsystem (issue 6,
# "Done when" 2).  One guest boot: nvmet-tcp with a 512-byte null_blk
# namespace; in the guest, nvme-cli through the kernel's nvme-tcp host; on
# the host, nvmx through hostfwd.  `id-ctrl`, `id-ns`, `ns-descs`, `list-ns`
# and `smart-log` with `-o json` must agree key by key.  Fields that legitimately
# differ are listed: each connection is its own controller (cntlid), and
# SMART counters move with time and traffic.  nvme-cli 2.3 prints 32-bit
# values through json_object_new_int, so those above 2^31 come out
# negative; they are compared modulo 2^32.  TAP.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../vm/vm.sh"

if ! vm_available; then
	echo "1..0 # SKIP $VM_UNAVAILABLE"
	exit 0
fi
BUILD=${NVMX_BUILD_ROOT:-$here/../../build}
NVMX=$BUILD/tools/nvmx
if [[ ! -x $NVMX ]]; then
	echo "1..0 # SKIP $NVMX not built"
	exit 0
fi
if ! command -v nvme >/dev/null; then
	echo "1..0 # SKIP nvme-cli not installed"
	exit 0
fi

NQN=nqn.2014-08.org.nvmexpress:nvmx-cli-interop
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { if [[ $2 -eq 0 ]]; then ok "$1"; else not_ok "$1"; [[ -n ${3:-} ]] && echo "$3" | sed 's/^/# /'; fi; }

trap vm_stop_all EXIT
if ! vm_boot --mem 1024 --hostfwd 4420; then
	echo "1..1"
	not_ok "guest boots"
	exit 1
fi
ok "guest boots in ${VM_BOOT_TIME}s (kernel $VM_KVER)"

out=$(vm_run "$here/../vm/guest/nvmet-setup.sh --nqn $NQN --ns nsid=1,size=64M,lbs=512,backing=nullb \
	&& $here/../vm/guest/nvme-host-load.sh \
	&& nvme connect -t tcp -a 127.0.0.1 -s 4420 -n $NQN" 2>&1)
check "nvmet configured and nvme-cli connected through the kernel host" $? "$out"
ns=$(vm_run "$here/../vm/guest/nvme-find-ns.sh $NQN 1 10" 2>&1)
check "the kernel host sees namespace 1 ($ns)" $? "$ns"
ctrl=${ns%n*}
port=$(vm_hostport 4420)
trid="tcp://127.0.0.1:$port/$NQN"

cmp_json() {	# name nvme-cli-args nvmx-args exclusions
	local name=$1 theirs=$VM_DIR/$1.nvme-cli.json ours=$VM_DIR/$1.nvmx.json res
	vm_run "nvme $2 -o json" >"$theirs" 2>"$theirs.err" ||
		{ not_ok "$name: nvme-cli ran"; sed 's/^/# /' "$theirs.err"; return; }
	"$NVMX" $3 -o json >"$ours" 2>"$ours.err" ||
		{ not_ok "$name: nvmx ran"; sed 's/^/# /' "$ours.err"; return; }
	res=$(python3 - "$theirs" "$ours" "$4" <<'EOF'
import json, sys
theirs, ours = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
skip = set(filter(None, sys.argv[3].split(",")))
bad = []

def same(a, b):
    if isinstance(a, int) and isinstance(b, int):
        return a % (1 << 32) == b % (1 << 32) if a < 0 or b < 0 else a == b
    return a == b

def walk(a, b, path):
    if path.split(".")[-1] in skip or path in skip:
        return
    if isinstance(a, dict):
        if not isinstance(b, dict):
            bad.append("%s: %r vs %r" % (path, a, b)); return
        for k in a:
            if k not in b:
                if k not in skip:
                    bad.append("%s: missing in nvmx" % ("%s.%s" % (path, k) if path else k))
                continue
            walk(a[k], b[k], "%s.%s" % (path, k) if path else k)
    elif isinstance(a, list):
        if not isinstance(b, list) or len(a) != len(b):
            bad.append("%s: %d items vs %s" % (path, len(a), len(b) if isinstance(b, list) else b)); return
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, "%s[%d]" % (path, i))
    elif not same(a, b):
        bad.append("%s: nvme-cli %r, nvmx %r" % (path, a, b))

walk(theirs, ours, "")
keys = len(theirs) if isinstance(theirs, dict) else 0
print("%d %d" % (keys, len(bad)))
for b in bad[:30]:
    print(b)
EOF
)
	local keys mism
	read -r keys mism <<<"$(head -1 <<<"$res")"
	check "$name: nvmx agrees with nvme-cli on all $keys keys (except: ${4:-none})" \
		$([[ ${mism:-1} == 0 && ${keys:-0} -gt 0 ]]; echo $?) "$(tail -n +2 <<<"$res")"
}

cmp_json id-ctrl "id-ctrl $ctrl" "id-ctrl $trid" "cntlid"
cmp_json id-ns "id-ns $ns" "id-ns $trid -n 1" ""
cmp_json ns-descs "ns-descs $ns" "ns-descs $trid -n 1" ""
cmp_json list-ns "list-ns $ctrl" "list-ns $trid" ""
cmp_json smart-log "smart-log $ctrl" "smart-log $trid" \
"temperature,data_units_read,data_units_written,host_read_commands,host_write_commands,\
controller_busy_time,power_on_hours,power_cycles,unsafe_shutdowns,warning_temp_time,\
critical_comp_time,num_err_log_entries"

out=$(vm_run "nvme disconnect -n $NQN && $here/../vm/guest/nvmet-teardown.sh --nqn $NQN" 2>&1)
check "nvme-cli disconnects, nvmet tears down" $? "$out"
echo "1..$n"
[[ $failed -eq 0 ]]
