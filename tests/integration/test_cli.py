#!/usr/bin/env python3
"""nvmx and nvmx-perf against nvmxd on 127.0.0.1 (TAP).

Starts nvmxd on a free port with a RAM namespace and a control socket,
runs every nvmx subcommand, parses the JSON output and compares it with
values that are known (what nvmxd was started with, or what another
command returned), checks exit codes (0 success, 1 NVMe status, 2 usage
or connection) and the error line of a wrong transport ID or NSID, and
runs nvmx-perf --verify with mixed random I/O on 2 threads.

usage: test_cli.py NVMX NVMX_PERF NVMXD
"""
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time

NVMX, PERF, NVMXD = sys.argv[1:4]
NQN = "nqn.2026-11.io.nvmx:cli-test"
NS_BYTES = 64 << 20
BS = 512
NBLOCKS = NS_BYTES // BS

results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    n = len(results)
    print(("ok %d - %s" if cond else "not ok %d - %s") % (n, name), flush=True)
    if not cond and detail:
        for line in str(detail).splitlines()[:20]:
            print("#   " + line, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run(*args, stdin=None, timeout=60, binary=False, prog=None):
    p = subprocess.run([prog or NVMX] + [str(a) for a in args], input=stdin,
                       capture_output=True, timeout=timeout)
    out = p.stdout if binary else p.stdout.decode(errors="replace")
    return p.returncode, out, p.stderr.decode(errors="replace")


def run_json(*args):
    rc, out, err = run(*args, "-o", "json")
    try:
        return rc, json.loads(out), err
    except ValueError:
        return rc, None, err + "\nstdout: " + out[:500]


def wait_port(port, proc, secs=10):
    end = time.time() + secs
    while time.time() < end:
        if proc.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def main():
    tmp = tempfile.mkdtemp(prefix="nvmx-cli-test-")
    port = free_port()
    ctl = os.path.join(tmp, "ctl.sock")
    log = open(os.path.join(tmp, "nvmxd.log"), "w")
    tgt = subprocess.Popen([NVMXD, "--listen", "127.0.0.1:%d" % port, "--ram", str(NS_BYTES),
                            "--block-size", str(BS), "--nqn", NQN, "--control", ctl],
                           stdout=log, stderr=subprocess.STDOUT)
    try:
        if not wait_port(port, tgt):
            check("nvmxd starts", False, open(log.name).read())
            return
        tests(port, ctl, tmp)
    finally:
        tgt.terminate()
        try:
            tgt.wait(timeout=10)
        except subprocess.TimeoutExpired:
            tgt.kill()
            tgt.wait()
        log.close()
    print("1..%d" % len(results))


def tests(port, ctl, tmp):
    T = "tcp://127.0.0.1:%d/%s" % (port, NQN)
    DISC = "tcp://127.0.0.1:%d" % port

    # ---- discover ----
    rc, j, err = run_json("discover", DISC)
    recs = (j or {}).get("records", [])
    sub = [r for r in recs if r.get("subnqn") == NQN]
    check("discover lists the subsystem with its address", rc == 0 and len(sub) == 1
          and sub[0]["trtype"] == "tcp" and sub[0]["adrfam"] == "ipv4"
          and sub[0]["traddr"] == "127.0.0.1" and sub[0]["trsvcid"] == str(port)
          and sub[0]["subtype"] == "nvme subsystem", (rc, j, err))
    rc, raw, _ = run("discover", DISC, "-o", "binary", binary=True)
    check("discover -o binary is the log page (header + records)",
          rc == 0 and len(raw) == 1024 * (1 + len(recs))
          and int.from_bytes(raw[8:16], "little") == len(recs))

    # ---- id-ctrl ----
    rc, idc, err = run_json("id-ctrl", T)
    check("id-ctrl -o json: subnqn, type, queue entry sizes, power states",
          rc == 0 and idc and idc["subnqn"] == NQN and idc["cntrltype"] == 1
          and idc["sqes"] == 0x66 and idc["cqes"] == 0x44 and idc["nn"] >= 1
          and len(idc["psds"]) == idc["npss"] + 1 and idc["ioccsz"] >= 4
          and idc["mn"].startswith("nvmx"), (rc, idc, err))
    rc, raw, _ = run("id-ctrl", T, "-o", "binary", binary=True)
    check("id-ctrl -o binary agrees with the JSON", rc == 0 and len(raw) == 4096 and idc
          and raw[24:64].decode() == idc["mn"] and raw[4:24].decode() == idc["sn"]
          and int.from_bytes(raw[80:84], "little") == idc["ver"]
          and int.from_bytes(raw[516:520], "little") == idc["nn"])
    rc, out, _ = run("id-ctrl", T, "-H")
    check("id-ctrl -H decodes fields", rc == 0 and "NVME Identify Controller:" in out
          and "Max SQ Entry Size (64)" in out and ("subnqn    : " + NQN) in out)

    # ---- id-ns / ns-descs / list-ns / list ----
    rc, idn, err = run_json("id-ns", T, "-n", 1)
    fmt = (idn or {}).get("flbas", 0) & 0xf
    check("id-ns -o json: size and LBA format in use", rc == 0 and idn
          and idn["nsze"] == NBLOCKS and idn["ncap"] == NBLOCKS
          and idn["lbafs"][fmt]["ds"] == 9 and len(idn["lbafs"]) == idn["nlbaf"] + 1,
          (rc, idn, err))
    rc, out, err = run("id-ns", T, "-n", 7)
    check("id-ns of an inactive NSID: exit 2 and a line naming it",
          rc == 2 and "namespace 7 is not an active namespace" in err and err.count("\n") == 1,
          (rc, err))
    rc, d, err = run_json("ns-descs", T, "-n", 1)
    descs = {x["type"]: x[x["type"]] for x in (d or {}).get("ns-descs", [])}
    check("ns-descs -o json: NGUID equals id-ns's", rc == 0 and descs.get("nguid") == idn["nguid"]
          and descs.get("csi") == "0", (rc, d, err))
    rc, d, err = run_json("list-ns", T)
    check("list-ns -o json: namespace 1", rc == 0 and d == {"nsid_list": [{"nsid": 1}]}, (rc, d))
    rc, d, err = run_json("list", T)
    dev = (d or {}).get("Devices", [{}])[0]
    check("list -o json: one namespace with its size", rc == 0 and dev.get("NameSpace") == 1
          and dev.get("SectorSize") == BS and dev.get("PhysicalSize") == NS_BYTES
          and dev.get("MaximumLBA") == NBLOCKS and dev.get("SerialNumber") == idc["sn"].strip(),
          (rc, d, err))

    # ---- logs ----
    rc, sm, err = run_json("smart-log", T)
    check("smart-log -o json: nvme-cli keys, healthy values", rc == 0 and sm
          and sm["critical_warning"] == 0 and sm["avail_spare"] == 100
          and 273 < sm["temperature"] < 400 and isinstance(sm["data_units_read"], str)
          and "num_err_log_entries" in sm, (rc, sm, err))
    rc, raw, _ = run("get-log", T, "--log-id", 2, "--log-len", 512, "-b", binary=True)
    check("get-log 02h binary: 512 bytes, spare threshold as smart-log says",
          rc == 0 and len(raw) == 512 and raw[4] == sm["spare_thresh"] and raw[3] == sm["avail_spare"])
    rc, out, err = run("get-log", T, "--log-id", 2)
    check("get-log without --log-len: exit 2", rc == 2 and "--log-len" in err, (rc, err))
    rc, d, err = run_json("error-log", T, "-e", 4)
    check("error-log -o json -e 4: four entries", rc == 0 and len(d["errors"]) == 4
          and all("status_field" in e for e in d["errors"]), (rc, d, err))
    rc, d, err = run_json("fw-log", T)
    slots = list((d or {}).values())[0] if d else {}
    check("fw-log -o json: active slot and revision", rc == 0 and slots.get("Active Firmware Slot (afi)", 0) & 7 >= 1
          and idc["fr"].strip() in slots.get("Firmware Rev Slot 1", ""), (rc, d, err))

    # ---- features ----
    rc, d, err = run_json("get-feature", T, "-f", 0x0f)
    check("get-feature KATO: the CLI's 5 s keep-alive", rc == 0 and d["feature_id"] == 15
          and d["value"] == 5000, (rc, d, err))
    rc, out, err = run("get-feature", T, "-f", 7, "-H")
    check("get-feature -H decodes Number of Queues", rc == 0
          and "Number of IO Submission Queues Allocated (NSQA)" in out, (rc, out))
    rc, out, err = run("set-feature", T, "-f", 4, "-v", 350)
    check("set-feature temperature threshold", rc == 0 and "set-feature:0x04" in out, (rc, out, err))
    rc, out, err = run("get-feature", T, "-f", 0x55)
    check("get-feature of an unknown feature: exit 1, status named with DNR",
          rc == 1 and "Invalid Field in Command" in err and "SC 0x02" in err and "DNR" in err
          and err.count("\n") == 1, (rc, err))

    # ---- passthru ----
    rc, raw2, err = run("admin-passthru", T, "-o", 6, "-4", 1, "-l", 4096, "-r", "-b", binary=True)
    rc1, rawc, _ = run("id-ctrl", T, "-o", "binary", binary=True)
    check("admin-passthru Identify returns id-ctrl's bytes (CNTLID aside)",
          rc == 0 and len(raw2) == 4096 and raw2[:78] == rawc[:78] and raw2[80:] == rawc[80:],
          (rc, err))
    rc, out, err = run("io-passthru", T, "-o", 0, "-n", 1)
    check("io-passthru Flush", rc == 0 and "IO Command Flush is Success" in err, (rc, err))
    rc, out, err = run("io-passthru", T, "-o", 2, "-n", 1, "-4", NBLOCKS - 1, "-6", 1, "-l", 1024, "-r")
    check("io-passthru Read past the end: exit 1, LBA Out of Range",
          rc == 1 and "LBA Out of Range" in err and "SC 0x80" in err, (rc, err))

    # ---- I/O ----
    data = bytes(random.getrandbits(8) for _ in range(8 * BS))
    rc, out, err = run("write", T, "-n", 1, "-s", 16, "-c", 7, "-z", len(data), stdin=data)
    check("write 8 blocks from stdin", rc == 0, (rc, err))
    rc, got, err = run("read", T, "-n", 1, "-s", 16, "-c", 7, "-z", len(data), binary=True)
    check("read them back: same bytes", rc == 0 and got == data, (rc, err))
    path = os.path.join(tmp, "data.bin")
    open(path, "wb").write(data)
    rc, out, err = run("compare", T, "-s", 16, "-c", 7, "-d", path)
    check("compare with the same data: exit 0", rc == 0, (rc, err))
    open(path, "wb").write(bytes(len(data)))
    rc, out, err = run("compare", T, "-s", 16, "-c", 7, "-d", path)
    check("compare with other data: exit 1, Compare Failure",
          rc == 1 and "Compare Failure" in err, (rc, err))
    rc, out, err = run("write-zeroes", T, "-s", 16, "-c", 7)
    rc2, got, _ = run("read", T, "-s", 16, "-c", 7, binary=True)
    check("write-zeroes then read: zeroes", rc == 0 and rc2 == 0 and got == bytes(len(data)), (rc, err))
    rc, out, err = run("dsm", T, "-s", "0,1000", "-b", "8,8", "--ad")
    check("dsm deallocate two ranges", rc == 0, (rc, err))
    rc, out, err = run("dsm", T, "-s", "0,1000", "-b", "8")
    check("dsm with unequal lists: exit 2", rc == 2, (rc, err))
    rc, out, err = run("flush", T)
    check("flush", rc == 0, (rc, err))
    rc, out, err = run("read", T, "-s", NBLOCKS - 1, "-c", 1)
    check("read beyond the namespace: exit 2 before sending", rc == 2 and "beyond" in err, (rc, err))
    rc, out, err = run("read", T, "-n", 9, "-s", 0)
    check("read from a wrong NSID: exit 2, names the namespace",
          rc == 2 and "namespace 9 is not an active namespace" in err, (rc, err))

    # ---- wrong transport IDs ----
    dead = free_port()
    rc, out, err = run("id-ctrl", "tcp://127.0.0.1:%d/%s" % (dead, NQN))
    # the last line is ours; the library may log its own view before it
    # (at NVMX_LOG's level; log.c has no "off" level yet)
    last = err.strip().splitlines()[-1] if err.strip() else ""
    check("unreachable controller: exit 2, a line naming the transport error",
          rc == 2 and last.startswith("nvmx id-ctrl: ") and "cannot connect" in last
          and "refused" in last.lower(), (rc, err))
    rc, out, err = run("id-ctrl", "foo://127.0.0.1")
    check("malformed transport ID: exit 2, says what is wrong",
          rc == 2 and "bad transport ID" in err, (rc, err))
    rc, out, err = run("id-ctrl", "tcp://127.0.0.1:%d/nqn.2026-11.io.nvmx:nobody" % port)
    check("unknown subsystem NQN: exit 2", rc == 2 and "cannot connect" in err, (rc, err))
    rc, out, err = run("id-ctrl", "trtype:TCP adrfam:IPv4 traddr:127.0.0.1 trsvcid:%d subnqn:%s" % (port, NQN), "-o", "json")
    check("SPDK-style transport ID works", rc == 0 and json.loads(out)["subnqn"] == NQN, (rc, err))

    # ---- controller ----
    rc, d, err = run_json("show-regs", T)
    check("show-regs -o json: enabled and ready, VS as id-ctrl's",
          rc == 0 and d["cc"] & 1 == 1 and d["csts"] & 1 == 1 and d["vs"] == idc["ver"]
          and (d["cap"] & 0xffff) >= 1, (rc, d, err))
    rc, out, err = run("show-regs", T, "-H")
    check("show-regs -H decodes CC and CSTS", rc == 0 and "Enable                              (EN): Yes" in out
          and "Ready                          (RDY): Yes" in out, (rc, out))
    rc, out, err = run("reset", T)
    check("reset: CC.EN 1->0->1, ready again", rc == 0 and "ready again" in out, (rc, out, err))
    rc, d, err = run_json("ns-rescan", T)
    check("ns-rescan -o json", rc == 0 and d["namespaces"][0]["nsid"] == 1
          and d["namespaces"][0]["nsze"] == NBLOCKS, (rc, d, err))

    # ---- monitor: a SMART warning injected through nvmxd's control socket ----
    mon = subprocess.Popen([NVMX, "monitor", T, "-o", "json", "-c", "1", "-t", "20"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.0)
    inj = subprocess.run([NVMXD, "ctl", "--control", ctl, "set_health",
                          json.dumps({"subnqn": NQN, "critical_warning": 2, "temperature": 360})],
                         capture_output=True, timeout=20)
    try:
        mout, merr = mon.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        mon.kill()
        mout, merr = mon.communicate()
    evs = [json.loads(l) for l in mout.decode().splitlines() if l.startswith("{")]
    aen = [e for e in evs if e.get("event") == "aen"]
    check("monitor sees the injected SMART warning as an event",
          inj.returncode == 0 and mon.returncode == 0 and len(aen) == 1 and aen[0]["type"] == 1
          and aen[0]["log_page"] == 2 and aen[0].get("critical_warning", 0) & 2
          and aen[0].get("temperature") == 360, (inj.stderr, mout, merr))
    rc, sm2, err = run_json("smart-log", T)
    check("smart-log then shows the warning", rc == 0 and sm2["critical_warning"] == 2, (rc, sm2))
    subprocess.run([NVMXD, "ctl", "--control", ctl, "set_health",
                    json.dumps({"subnqn": NQN, "critical_warning": 0, "temperature": 310})],
                   capture_output=True, timeout=20)

    rc, out, err = run("subsystem-reset", T)
    check("subsystem-reset: exit 0", rc == 0, (rc, out, err))
    rc, d, err = run_json("id-ctrl", T)
    check("the subsystem answers again after the reset", rc == 0 and d["subnqn"] == NQN, (rc, err))

    # ---- help and usage ----
    cmds = ["discover", "list", "id-ctrl", "id-ns", "ns-descs", "list-ns", "smart-log", "error-log",
            "fw-log", "get-log", "get-feature", "set-feature", "admin-passthru", "io-passthru",
            "read", "write", "compare", "flush", "write-zeroes", "dsm", "reset", "subsystem-reset",
            "ns-rescan", "show-regs", "monitor", "setup", "reset-driver"]
    bad = [c for c in cmds if run(c, "--help")[0] != 0 or ("Usage: nvmx " + c) not in run(c, "--help")[1]]
    check("--help for every subcommand", not bad, bad)
    rc, out, err = run("id-ctrl", T, "--no-such-option")
    check("unknown option: exit 2", rc == 2 and "unknown" in err, (rc, err))
    rc, out, err = run("no-such-command")
    check("unknown command: exit 2", rc == 2, (rc, err))

    # ---- nvmx-perf ----
    R = "trtype:TCP traddr:127.0.0.1 trsvcid:%d subnqn:%s" % (port, NQN)
    rc, out, err = run("-r", R, "-q", 16, "-o", 4096, "-w", "randrw", "-M", 50, "-t", 3, "-c", 2,
                       "--verify", "--json", prog=PERF, timeout=120)
    try:
        pj = json.loads(out)
    except ValueError:
        pj = None
    tot = (pj or {}).get("total", {})
    check("nvmx-perf --verify randrw on 2 threads: zero mismatches",
          rc == 0 and pj and tot["verify_mismatches"] == 0 and tot["verify_blocks"] > 1000
          and tot["errors"] == 0 and len(pj["results"]) == 2, (rc, out[:2000], err))
    lat = tot.get("latency_us", {})
    check("nvmx-perf percentiles ordered within min..max", pj and lat["min"] <= lat["p50"]
          <= lat["p90"] <= lat["p99"] <= lat["p99.9"] <= lat["p99.99"] <= lat["max"], lat)
    th = (pj or {}).get("threads", [])
    check("nvmx-perf --json: per-thread polls, idle polls and spin time within the run",
          len(th) == 2 and all(0 < t["idle_polls"] < t["polls"] and
                               0 <= t["spin_seconds"] < t["seconds"] for t in th), th)
    # QD1 leaves the worker idle after every submission: pinned with no idle
    # limit it only spins, unpinned it sleeps in poll() on every idle pass.
    sleeps = {}
    for mode in (["--cpu", "0", "--idle-us", "0"], ["--no-busy-poll"]):
        rc, out, err = run("-r", R, "-q", 1, "-o", 4096, "-w", "randread", "-t", 1, "--json", *mode,
                           prog=PERF, timeout=60)
        try:
            t = json.loads(out)["threads"][0]
            sleeps[mode[0]] = (t["sleeps"], t["idle_polls"], t.get("cpu"))
        except (ValueError, KeyError, IndexError):
            sleeps[mode[0]] = (rc, err)
    check("nvmx-perf --cpu 0 --idle-us 0 spins, --no-busy-poll sleeps on idle passes",
          sleeps["--cpu"][0] == 0 and sleeps["--cpu"][1] > 0 and sleeps["--cpu"][2] == 0
          and sleeps["--no-busy-poll"][0] > 0 and sleeps["--no-busy-poll"][0] == sleeps["--no-busy-poll"][1],
          sleeps)
    rc, out, err = run("-r", R, "-w", "read", "--cpu", "0-", prog=PERF)
    check("nvmx-perf bad --cpu list: exit 2", rc == 2 and "--cpu" in err, (rc, err))
    rc, out, err = run("-r", R, "-q", 32, "-o", 4096, "-w", "randread", "-t", 1, prog=PERF, timeout=60)
    check("nvmx-perf randread text report", rc == 0 and "Total" in out and "IOPS" in out
          and "p99.99" in out, (rc, out, err))
    rc, out, err = run("-r", R, "-w", "sideways", prog=PERF)
    check("nvmx-perf bad pattern: exit 2", rc == 2 and "sideways" in err, (rc, err))
    rc, out, err = run("-r", "tcp://127.0.0.1:%d/%s" % (dead, NQN), "-w", "read", "-t", 1, prog=PERF)
    check("nvmx-perf unreachable controller: exit 2", rc == 2 and "cannot connect" in err, (rc, err))


if __name__ == "__main__":
    main()
