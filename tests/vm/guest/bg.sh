#!/bin/bash
# Background jobs in the guest that outlive the command that starts them.
# usage: bg.sh start NAME CMD...   start CMD (bash -c), print its pid
#        bg.sh wait NAME [SECONDS] wait for it (default 60 s); print its
#                                  stdout, its stderr on stderr; exit with
#                                  its status (124 if still running)
#        bg.sh kill NAME [SIGNAL]  signal its process group (default TERM)
#        bg.sh status NAME         "running PID" or "exited STATUS"
# Files: /run/nvmx-bg/NAME.{pid,out,err,rc}
set -uo pipefail
D=/run/nvmx-bg
mkdir -p "$D"
op=${1:?usage: bg.sh start|wait|kill|status NAME ...} name=${2:?missing NAME}
shift 2
f=$D/$name
case $op in
start)
	rm -f "$f.rc"
	# own session (so timeouts of other commands never hit it); the rc
	# file is written when CMD exits
	setsid bash -c 'bash -c "$1" </dev/null >"$2.out" 2>"$2.err"; echo $? >"$2.rc.tmp"; mv "$2.rc.tmp" "$2.rc"' \
		_ "$*" "$f" </dev/null >/dev/null 2>&1 &
	echo $! >"$f.pid"
	cat "$f.pid"
	;;
wait)
	t=${1:-60}
	end=$((SECONDS + t))
	while [[ ! -e $f.rc && $SECONDS -lt $end ]]; do sleep 0.1; done
	cat "$f.out" 2>/dev/null
	cat "$f.err" >&2 2>/dev/null
	[[ -e $f.rc ]] || exit 124
	exit "$(cat "$f.rc")"
	;;
kill)
	kill -"${1:-TERM}" -- -"$(cat "$f.pid")"
	;;
status)
	if [[ -e $f.rc ]]; then echo "exited $(cat "$f.rc")"; else echo "running $(cat "$f.pid")"; fi
	;;
*) echo "bg.sh: unknown operation $op" >&2; exit 2 ;;
esac
