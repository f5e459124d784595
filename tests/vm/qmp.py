#!/usr/bin/env python3
"""Send one QMP command to a QEMU monitor socket and print the reply.

usage: qmp.py SOCKET JSON [TIMEOUT]
JSON is a full command ({"execute": ..., "arguments": ...}) or just a command
name.  Prints the "return" value as JSON and exits 0, or prints the error
class and description on stderr and exits 1 (2 on connection problems).
Events received while waiting are skipped.
"""
import json
import socket
import sys


def main():
    if len(sys.argv) not in (3, 4):
        sys.stderr.write("usage: qmp.py SOCKET JSON [TIMEOUT]\n")
        return 2
    path, text = sys.argv[1], sys.argv[2]
    timeout = float(sys.argv[3]) if len(sys.argv) == 4 else 10.0
    try:
        cmd = json.loads(text)
    except ValueError:
        cmd = {"execute": text}
    if isinstance(cmd, str):
        cmd = {"execute": cmd}
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(path)
        f = s.makefile("rwb")

        def reply():
            while True:
                line = f.readline()
                if not line:
                    raise ConnectionError("QMP socket closed")
                msg = json.loads(line)
                if "event" not in msg:
                    return msg

        greeting = reply()
        if "QMP" not in greeting:
            raise ConnectionError("no QMP greeting")
        f.write(b'{"execute": "qmp_capabilities"}\n')
        f.flush()
        reply()
        f.write(json.dumps(cmd).encode() + b"\n")
        f.flush()
        msg = reply()
    except (OSError, ConnectionError, ValueError) as e:
        sys.stderr.write("qmp: %s: %s\n" % (path, e))
        return 2
    if "error" in msg:
        err = msg["error"]
        sys.stderr.write("qmp: %s: %s\n" % (err.get("class"), err.get("desc")))
        return 1
    print(json.dumps(msg.get("return")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
