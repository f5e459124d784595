#!/usr/bin/env bash
# Run an integration test with its processes under valgrind memcheck and
# fail on any memcheck error or definitely-lost byte in any of them.
#
# usage: valgrind_run.sh [-w NAME=PROGRAM]... -- COMMAND ARGS...
#   -w NAME=PROGRAM  make a wrapper that runs PROGRAM under valgrind; every
#                    argument of COMMAND equal to @NAME@ is replaced by the
#                    wrapper's path (so a test script that starts nvmxd or a
#                    host binary itself starts it under valgrind)
# Each process writes its own log (valgrind --log-file=%p); when COMMAND
# ends, every log is checked: "ERROR SUMMARY: 0 errors" and no
# "definitely lost" bytes.  Exit status: COMMAND's, or 1 for a valgrind
# finding (the offending log is printed).
set -uo pipefail
VG=${VALGRIND:-valgrind}
if ! command -v "$VG" >/dev/null; then
	echo "valgrind not installed: skipped"
	exit 77
fi
dir=$(mktemp -d /tmp/nvmx-vg.XXXXXX)
trap 'rm -rf "$dir"' EXIT
declare -A wrap
while [[ $# -gt 0 && $1 != -- ]]; do
	case $1 in
	-w) name=${2%%=*} prog=${2#*=}
	    cat >"$dir/$name" <<EOS
#!/bin/sh
exec "$VG" --tool=memcheck --error-exitcode=1 --leak-check=full \\
	--errors-for-leak-kinds=definite --show-leak-kinds=definite \\
	--log-file="$dir/vg.$name.%p.log" "$prog" "\$@"
EOS
	    chmod +x "$dir/$name"
	    wrap[$name]=$dir/$name
	    shift 2 ;;
	*) echo "usage: $0 [-w NAME=PROGRAM]... -- COMMAND ARGS..." >&2; exit 2 ;;
	esac
done
shift
args=()
for a in "$@"; do
	if [[ $a == @*@ && -n ${wrap[${a:1:-1}]:-} ]]; then
		args+=("${wrap[${a:1:-1}]}")
	else
		args+=("$a")
	fi
done
"${args[@]}"
rc=$?
# Daemons stopped by the test may still be writing their leak report.
for _ in $(seq 1 100); do
	pgrep -f "$dir/" >/dev/null || break
	sleep 0.1
done
nlogs=0 bad=0
for log in "$dir"/vg.*.log; do
	[[ -f $log ]] || continue
	nlogs=$((nlogs + 1))
	errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | tail -1)
	lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tail -1 | tr -d ,)
	pid=${log##*.vg.}; pid=${log%.log}; pid=${pid##*.}
	if [[ -z $errs ]] && ls "$dir"/vg.*."$pid".log 2>/dev/null | grep -qv "^$log\$"; then
		continue	# a forked child that exec'd a wrapped program: its log goes on there
	elif [[ -z $errs ]]; then
		echo "valgrind: $(basename "$log"): no summary (process killed before exit?)"
		sed 's/^/  /' "$log" | tail -20
		bad=1
	elif [[ $errs != 0 || ${lost:-0} != 0 ]]; then
		echo "valgrind: $(basename "$log"): $errs errors, ${lost:-0} bytes definitely lost"
		sed 's/^/  /' "$log"
		bad=1
	fi
done
echo "valgrind: $nlogs process logs checked, $([[ $bad -eq 0 ]] && echo clean || echo FINDINGS)"
[[ $nlogs -gt 0 ]] || { echo "valgrind: no process ran under valgrind"; bad=1; }
[[ $rc -ne 0 ]] && exit "$rc"
exit $bad
