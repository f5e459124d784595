#!/bin/bash
# Print the block device (/dev/nvmeXnY) of namespace NSID (default 1) of the
# subsystem NQN as the guest's kernel host sees it, waiting up to SECONDS
# (default 10) for it to appear after `nvme connect`.
# usage: nvme-find-ns.sh NQN [NSID] [SECONDS]
nqn=${1:?usage: nvme-find-ns.sh NQN [NSID] [SECONDS]} nsid=${2:-1} t=${3:-10}
end=$((SECONDS + t))
while :; do
	for s in /sys/class/nvme-subsystem/*; do
		[[ $(cat "$s/subsysnqn" 2>/dev/null) == "$nqn" ]] || continue
		for b in "$s"/nvme*n*; do
			[[ -e $b/nsid && $(cat "$b/nsid") == "$nsid" && -b /dev/${b##*/} ]] &&
				{ echo "/dev/${b##*/}"; exit 0; }
		done
	done
	[[ $SECONDS -ge $end ]] && break
	sleep 0.1
done
echo "nvme-find-ns: no namespace $nsid of $nqn" >&2
exit 1
