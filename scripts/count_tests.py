#!/usr/bin/env python3
"""Count passed/failed/skipped test cases in a meson testlog.json.

TAP tests (cmocka with CMOCKA_MESSAGE_OUTPUT=TAP) count each "ok"/"not ok"
line; other tests count once by their result.  A TAP test that failed or
timed out without a "not ok" line still counts one failure."""
import json, re, sys

p = f = s = 0
try:
    lines = open(sys.argv[1]).read().splitlines()
except OSError:
    print("0 1 0")
    sys.exit(0)
for line in lines:
    if not line.strip():
        continue
    t = json.loads(line)
    res = t.get("result", "FAIL")
    out = t.get("stdout") or ""
    oks = nots = skips = 0
    if t.get("protocol") == "tap" or re.search(r"^1\.\.\d+", out, re.M):
        for l in out.splitlines():
            if re.match(r"^(not )?ok\b", l) and re.search(r"#\s*SKIP", l, re.I):
                skips += 1
            elif re.match(r"^not ok\b", l):
                nots += 1
            elif re.match(r"^ok\b", l):
                oks += 1
    if oks + nots + skips:
        p += oks; f += nots; s += skips
        if res not in ("OK", "SKIP", "EXPECTEDFAIL") and nots == 0:
            f += 1
    elif res in ("OK", "EXPECTEDFAIL"):
        p += 1
    elif res == "SKIP":
        s += 1
    else:
        f += 1
print(p, f, s)
