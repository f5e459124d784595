#!/bin/bash
# The guest end of the rig's command channel (a virtio-serial port).
# Request:  "NVMXCMD <token> <timeout-s> <script-bytes>\n" then the script.
# Reply:    "NVMXRET <token> <status> <stdout-bytes> <stderr-bytes>\n" then
#           stdout, then stderr.  The token lets the host skip the late reply
#           of a command it stopped waiting for.
# Commands run one at a time, sourced by a forked subshell (no exec: every
# exec from 9p costs ~50 ms under TCG), with stdin /dev/null, in their own
# process group; a watchdog kills the group after the timeout (status 124).
# Anything a command leaves running in the background keeps running.
_nvmx_port=$1
export PATH="$(dirname "$(readlink -f "$0")"):/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
export HOME=/root TERM=dumb
export LC_ALL=C	# byte semantics for read -N and ${#var}
_nvmx_dir=/run/nvmx-agent
mkdir -p "$_nvmx_dir"
[[ -p $_nvmx_dir/never ]] || mkfifo "$_nvmx_dir/never"
set -m	# each command gets its own process group
_nvmx_old=()
exec 3<>"$_nvmx_port"
printf 'NVMXREADY %s\n' "$(</proc/uptime)" >&3

_nvmx_pos() {	# file offset of fd $1 of this shell = bytes written through it
	local k v
	while read -r k v; do
		[[ $k == pos: ]] && { echo "$v"; return; }
	done <"/proc/$BASHPID/fdinfo/$1"
	echo 0
}

while :; do
	if ! IFS=' ' read -r _nvmx_magic _nvmx_token _nvmx_tmo _nvmx_len <&3; then
		sleep 0.1	# host side not connected yet
		continue
	fi
	[[ $_nvmx_magic == NVMXCMD && $_nvmx_len =~ ^[0-9]+$ && $_nvmx_tmo =~ ^[0-9]+$ ]] || continue
	_nvmx_script=
	[[ $_nvmx_len -gt 0 ]] && read -r -d '' -N "$_nvmx_len" _nvmx_script <&3
	printf '%s\n' "$_nvmx_script" >"$_nvmx_dir/cmd.sh"
	rm -f "$_nvmx_dir/timedout"
	# fresh output files per command: something a command left running in
	# the background may still write to its stdout and must not land in a
	# later command's output
	_nvmx_out=$_nvmx_dir/$_nvmx_token.out _nvmx_err=$_nvmx_dir/$_nvmx_token.err
	exec 5>"$_nvmx_out" 6>"$_nvmx_err"
	(
		exec 3>&- </dev/null >&5 2>&6 5>&- 6>&-
		cd /
		. "$_nvmx_dir/cmd.sh"
	) &
	_nvmx_cpid=$!
	(
		exec 3>&- 5>&- 6>&-
		read -r -t "$_nvmx_tmo" <>"$_nvmx_dir/never"
		: >"$_nvmx_dir/timedout"
		kill -TERM -- -"$_nvmx_cpid" 2>/dev/null
		read -r -t 3 <>"$_nvmx_dir/never"
		kill -KILL -- -"$_nvmx_cpid" 2>/dev/null
	) &
	_nvmx_wpid=$!
	wait "$_nvmx_cpid"
	_nvmx_rc=$?
	kill "$_nvmx_wpid" 2>/dev/null
	wait "$_nvmx_wpid" 2>/dev/null
	[[ -e $_nvmx_dir/timedout ]] && _nvmx_rc=124
	_nvmx_olen=$(_nvmx_pos 5) _nvmx_elen=$(_nvmx_pos 6)
	exec 5>&- 6>&-
	printf 'NVMXRET %s %d %d %d\n' "$_nvmx_token" "$_nvmx_rc" "$_nvmx_olen" "$_nvmx_elen" >&3
	# text fast path without exec; cat when the output has NUL bytes
	for _nvmx_f in "$_nvmx_out" "$_nvmx_err"; do
		[[ $_nvmx_f == "$_nvmx_out" ]] && _nvmx_n=$_nvmx_olen || _nvmx_n=$_nvmx_elen
		[[ $_nvmx_n -gt 0 ]] || continue
		_nvmx_data=
		read -r -d '' -N "$_nvmx_n" _nvmx_data <"$_nvmx_f"
		if [[ ${#_nvmx_data} -eq $_nvmx_n ]]; then
			printf '%s' "$_nvmx_data" >&3
		else
			head -c "$_nvmx_n" "$_nvmx_f" >&3
		fi
	done
	unset _nvmx_data
	# remove old output files in batches (rm is an exec: ~50 ms)
	_nvmx_old+=("$_nvmx_out" "$_nvmx_err")
	if [[ ${#_nvmx_old[@]} -ge 64 ]]; then
		rm -f "${_nvmx_old[@]}" </dev/null >/dev/null 2>&1 3>&- &
		_nvmx_old=()
	fi
done
