#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The issue 9 benchmark matrix (see bench/README.md).

Per round: the raw loopback bounds (bench/tcp_bounds: bulk, ping-pong
blocking and busy-polling), then for every build under test an nvmxd on
CPU 0 (RAM namespace, prefilled) and the four workloads from nvmx-perf on
CPU 1.  Rounds repeat BENCH_REPEATS times, so runs of every kind and every
build interleave (A B A B ...) and a slow/fast phase of the machine hits
all of them alike.  Each run also records the CPU time of both processes
(nvmx-perf: wait4 rusage; nvmxd: /proc/PID/stat utime+stime delta over the
same window), giving CPU microseconds per I/O and busy share per side.

Environment:
  BENCH_SECONDS   seconds per run (default 5)
  BENCH_REPEATS   rounds (default 3)
  BENCH_WORKLOADS comma list of qd1,qd32,seq128k,randwrite (default all)
  BENCH_BUILDS    variants under test, space separated (default build): each a
                  build directory, optionally with extra nvmxd options after
                  commas, e.g. "build build,--busy-poll" (A/B runs, interleaved)
  BENCH_TARGET_ARGS  extra nvmxd options (default: none)
  BENCH_NS        namespace size (default 256M; prefilled by 2 s of writes)
  BENCH_RESULTS   where the JSON goes (default bench/results)
  BENCH_TARGET_CPU / BENCH_HOST_CPU  (default 0 / 1)
  BENCH_TCP_BOUNDS  the bounds program (default: the last variant's bench/tcp_bounds)
  BENCH_EXPERIMENTS=1  also the bounds with MSG_ZEROCOPY (bulk-zc) and io_uring
                  (pingpong-uring), the kernel features the transports could use
  BENCH_SMOKE=1   fail unless every run did I/O without errors (for the test)
"""
import json
import os
import shlex
import socket
import statistics
import subprocess
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
NQN = "nqn.2024-01.io.nvmx:nvmxd"
TICK = os.sysconf("SC_CLK_TCK")

# name: (nvmx-perf args, what it is judged against)
WORKLOADS = {
    "qd1": (["-q", "1", "-o", "4096", "-w", "randread"], "pingpong-poll"),
    "qd32": (["-q", "32", "-o", "4096", "-w", "randread"], "bulk"),
    "seq128k": (["-q", "8", "-o", "131072", "-w", "read"], "bulk"),
    "randwrite": (["-q", "32", "-o", "4096", "-w", "randwrite"], "bulk"),
}
TITLES = {
    "qd1": "4 KiB randread QD1",
    "qd32": "4 KiB randread QD32",
    "seq128k": "128 KiB seq read QD8",
    "randwrite": "4 KiB randwrite QD32",
}
BOUNDS = ["bulk", "pingpong-block", "pingpong-poll"]


def env(name, default):
    v = os.environ.get(name)
    return v if v not in (None, "") else default


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def loop_spin_s(sock):
    """nvmxd's loop_stats: seconds all its loops spent spinning on empty
    polls (waiting for the host), or None when the build lacks the method."""
    try:
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        c.settimeout(5)
        c.connect(sock)
        c.sendall(b'{"jsonrpc":"2.0","id":1,"method":"loop_stats"}\n')
        buf = b""
        while b"\n" not in buf:
            d = c.recv(65536)
            if not d:
                break
            buf += d
        c.close()
        r = json.loads(buf).get("result")
        return sum(lp["spin_seconds"] for lp in r) if r is not None else None
    except (OSError, ValueError):
        return None


def proc_cpu_s(pid):
    """utime + stime of a whole process (all threads), seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def proc_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def loadavg():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


class Bench:
    def __init__(self):
        self.secs = int(env("BENCH_SECONDS", "5"))
        self.repeats = int(env("BENCH_REPEATS", "3"))
        self.workloads = env("BENCH_WORKLOADS", ",".join(WORKLOADS)).split(",")
        for w in self.workloads:
            if w not in WORKLOADS:
                sys.exit(f"bench: unknown workload '{w}' (have {', '.join(WORKLOADS)})")
        self.builds = env("BENCH_BUILDS", os.path.join(ROOT, "build")).split()
        self.target_args = shlex.split(env("BENCH_TARGET_ARGS", ""))
        self.ns = env("BENCH_NS", "256M")
        self.results = env("BENCH_RESULTS", os.path.join(HERE, "results"))
        self.tcpu = env("BENCH_TARGET_CPU", "0")
        self.hcpu = env("BENCH_HOST_CPU", "1")
        self.smoke = env("BENCH_SMOKE", "0") == "1"
        self.bounds = BOUNDS + (["bulk-zc", "pingpong-uring"] if env("BENCH_EXPERIMENTS", "0") == "1" else [])
        self.runs = []
        self.failures = []
        self.perf_pins = {}
        for v in self.builds:
            b = v.split(",")[0]
            for exe in ("tools/nvmxd", "tools/nvmx-perf"):
                if not os.access(os.path.join(b, exe), os.X_OK):
                    sys.exit(f"bench: {b}/{exe} missing: build first (make)")
        # the bounds program of the last variant (by convention the newest)
        self.tcp_bounds = env("BENCH_TCP_BOUNDS",
                              os.path.join(self.builds[-1].split(",")[0], "bench/tcp_bounds"))

    # ---------------------------------------------------------------- bounds
    def bound(self, mode, rnd):
        out = subprocess.run([self.tcp_bounds, mode, "-t", str(self.secs), "-s", self.tcpu,
                              "-c", self.hcpu, "--json"], capture_output=True, text=True,
                             timeout=self.secs * 4 + 30)
        if out.returncode != 0:
            self.failures.append(f"tcp_bounds {mode}: exit {out.returncode}: {out.stderr.strip()}")
            return
        d = json.loads(out.stdout.strip().splitlines()[-1])
        rec = {"kind": "bound", "name": mode, "round": rnd, "load": loadavg()}
        if mode.startswith("bulk"):
            rec["gib_s"] = d["gib_s"]
            rec["mib_s"] = d["gib_s"] * 1024
        else:
            rec["p50_us"] = d["p50_us"]
            rec["p99_us"] = d["p99_us"]
        self.runs.append(rec)
        self.say(f"  bound {mode:15s} " + (f"{rec['gib_s']:.2f} GiB/s" if mode.startswith("bulk") else
                                            f"p50 {rec['p50_us']:.2f} us  p99 {rec['p99_us']:.2f} us"))

    # ---------------------------------------------------------------- target
    def start_target(self, variant):
        build, extra = variant.split(",")[0], variant.split(",")[1:]
        port = free_port()
        log = open(os.path.join(self.results_dir_tmp, f"nvmxd-{port}.log"), "w")
        ctl = os.path.join(self.results_dir_tmp, f"nvmxd-{port}.sock")
        cmd = ["taskset", "-c", self.tcpu, os.path.join(build, "tools/nvmxd"), "--listen",
               f"127.0.0.1:{port}", "--ram", self.ns, "--block-size", "4096", "--cpu",
               self.tcpu, "--control", ctl] + self.target_args + extra
        p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 20
        while time.time() < deadline:
            if p.poll() is not None:
                raise RuntimeError(f"nvmxd exited {p.returncode} (log {log.name})")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        else:
            p.kill()
            raise RuntimeError("nvmxd did not listen within 20 s")
        return p, port, ctl

    def perf(self, variant, port, args, secs):
        build = variant.split(",")[0]
        trid = f"trtype:TCP traddr:127.0.0.1 trsvcid:{port} subnqn:{NQN}"
        exe = os.path.join(build, "tools/nvmx-perf")
        if exe not in self.perf_pins:	# builds before --cpu: taskset alone
            h = subprocess.run([exe, "--help"], capture_output=True, text=True).stdout
            self.perf_pins[exe] = ["--cpu", self.hcpu] if "--cpu" in h else []
        cmd = ["taskset", "-c", self.hcpu, exe, "-r", trid,
               "-t", str(secs), "--json"] + self.perf_pins[exe] + args
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def workload(self, build, tgt, port, ctl, name, rnd):
        args, _ = WORKLOADS[name]
        t_spin0 = loop_spin_s(ctl)
        t_cpu0 = proc_cpu_s(tgt.pid)
        w0 = time.monotonic()
        p = self.perf(build, port, args, self.secs)
        _, status, ru = os.wait4(p.pid, 0)
        w1 = time.monotonic()
        t_cpu1 = proc_cpu_s(tgt.pid)
        t_spin1 = loop_spin_s(ctl)
        p.returncode = os.waitstatus_to_exitcode(status)
        out, err = p.stdout.read(), p.stderr.read()
        p.stdout.close()
        p.stderr.close()
        if p.returncode != 0:
            self.failures.append(f"{build} {name}: nvmx-perf exit {p.returncode}: {err.strip()}")
            self.say(f"  {name}: FAILED ({err.strip()[:200]})")
            return
        doc = json.loads(out)
        tot = doc["total"]
        wall = w1 - w0
        ios = max(tot["ios"], 1)
        host_cpu = ru.ru_utime + ru.ru_stime
        tgt_cpu = t_cpu1 - t_cpu0
        rec = {"kind": "workload", "name": name, "build": build, "round": rnd,
               "iops": tot["iops"], "mib_s": tot["mibps"], "ios": tot["ios"],
               "errors": tot["errors"], "p50_us": tot["latency_us"]["p50"],
               "p99_us": tot["latency_us"]["p99"], "avg_us": tot["latency_us"]["avg"],
               "host_cpu_us_per_io": host_cpu / ios * 1e6, "target_cpu_us_per_io": tgt_cpu / ios * 1e6,
               "host_busy": host_cpu / wall, "target_busy": tgt_cpu / wall,
               "host_rss_kib": ru.ru_maxrss, "target_rss_kib": proc_rss_kib(tgt.pid),
               "load": loadavg()}
        # Work = CPU time minus the spin on empty polls: a polling side is
        # always 100% busy to the kernel, its work share says how much of
        # that time it was not waiting for the other side.
        h_spin = sum(t["spin_seconds"] for t in doc["threads"]) if "threads" in doc else None
        t_spin = t_spin1 - t_spin0 if t_spin0 is not None and t_spin1 is not None else None
        if h_spin is not None and t_spin is not None:
            hw, tw = max(host_cpu - h_spin, 0.0), max(tgt_cpu - t_spin, 0.0)
            rec.update({"host_spin_s": h_spin, "target_spin_s": t_spin,
                        "host_work_us_per_io": hw / ios * 1e6, "target_work_us_per_io": tw / ios * 1e6,
                        "host_work": hw / wall, "target_work": tw / wall})
        self.runs.append(rec)
        self.say(f"  {name:10s} {rec['iops']:10.0f} IOPS {rec['mib_s']:9.1f} MiB/s  p50 {rec['p50_us']:8.2f} us"
                 f"  p99 {rec['p99_us']:8.2f} us  cpu/io host {rec['host_cpu_us_per_io']:.2f} us"
                 f" target {rec['target_cpu_us_per_io']:.2f} us  busy {rec['host_busy']:.0%}/{rec['target_busy']:.0%}"
                 + (f"  work {rec['host_work']:.0%}/{rec['target_work']:.0%}" if "host_work" in rec else ""))

    def round_for_build(self, build, rnd):
        tgt, port, ctl = self.start_target(build)
        try:
            # Prefill so reads come from written pages, not the zero page.
            p = self.perf(build, port, ["-q", "8", "-o", "131072", "-w", "write"],
                          1 if self.smoke else 2)
            p.communicate()
            for name in self.workloads:
                self.workload(build, tgt, port, ctl, name, rnd)
        finally:
            tgt.terminate()
            try:
                tgt.wait(10)
            except subprocess.TimeoutExpired:
                tgt.kill()
                tgt.wait()

    # ---------------------------------------------------------------- report
    def say(self, s):
        print(s, flush=True)

    def bound_median(self, name, key):
        v = [r[key] for r in self.runs if r["kind"] == "bound" and r["name"] == name]
        return statistics.median(v) if v else None

    def summary(self):
        s = {"bounds": {}, "workloads": {}}

        def stat(vals):
            return {"median": statistics.median(vals), "min": min(vals), "max": max(vals), "n": len(vals)}

        for b in self.bounds:
            for key in ("gib_s", "p50_us", "p99_us"):
                v = [r[key] for r in self.runs if r["kind"] == "bound" and r["name"] == b and key in r]
                if v:
                    s["bounds"].setdefault(b, {})[key] = stat(v)
        bulk = self.bound_median("bulk", "mib_s")
        pp = self.bound_median("pingpong-poll", "p50_us")
        for build in self.builds:
            for name in self.workloads:
                rs = [r for r in self.runs if r["kind"] == "workload" and r["name"] == name
                      and r["build"] == build]
                if not rs:
                    continue
                e = {}
                for key in ("iops", "mib_s", "p50_us", "p99_us", "host_cpu_us_per_io",
                            "target_cpu_us_per_io", "host_busy", "target_busy"):
                    e[key] = stat([r[key] for r in rs])
                for key in ("host_work_us_per_io", "target_work_us_per_io", "host_work", "target_work"):
                    if all(key in r for r in rs):
                        e[key] = stat([r[key] for r in rs])
                # The bound: one polled round trip per I/O at depth 1, the bulk
                # byte rate otherwise.
                if WORKLOADS[name][1] == "pingpong-poll" and pp:
                    e["bound"] = {"what": "1 / pingpong-poll p50", "iops": 1e6 / pp}
                    e["ratio"] = stat([r["iops"] / (1e6 / pp) for r in rs])
                elif bulk:
                    e["bound"] = {"what": "bulk MiB/s", "mib_s": bulk}
                    e["ratio"] = stat([r["mib_s"] / bulk for r in rs])
                hb, tb = e["host_busy"]["median"], e["target_busy"]["median"]
                if max(hb, tb) < 0.7:
                    e["limit"] = "machine"
                    lim = (f"neither side saturated (busy host {hb:.0%}, target {tb:.0%}): "
                           "the CPUs went to other load")
                elif "host_work" in e:
                    # Both poll, so both look busy: the slower half is the
                    # one that works more of the time; the other waits.
                    hw, tw = e["host_work"]["median"], e["target_work"]["median"]
                    if abs(hw - tw) < 0.05:
                        e["limit"] = "both"
                        lim = f"both halves alike (working host {hw:.0%}, target {tw:.0%} of the time)"
                    else:
                        e["limit"] = "host" if hw > tw else "target"
                        other = "target" if hw > tw else "host"
                        lim = (f"{e['limit']} (working host {hw:.0%}, target {tw:.0%} of the time: "
                               f"the {other} waits {1 - min(hw, tw):.0%})")
                elif hb >= 0.9 and tb >= 0.9:
                    lim = ("both sides busy; per I/O host %.2f us, target %.2f us" %
                           (e["host_cpu_us_per_io"]["median"], e["target_cpu_us_per_io"]["median"]))
                    e["limit"] = "host" if e["host_cpu_us_per_io"]["median"] > \
                        e["target_cpu_us_per_io"]["median"] else "target"
                else:
                    e["limit"] = "host" if hb >= tb else "target"
                    lim = f"{e['limit']} (busy host {hb:.0%}, target {tb:.0%})"
                e["limit_note"] = lim
                s["workloads"].setdefault(build, {})[name] = e
        return s

    def print_summary(self, s):
        def rng(st, fmt):
            return f"{fmt % st['median']} [{fmt % st['min']}..{fmt % st['max']}]"

        self.say("")
        self.say(f"== nvmx bench: {self.repeats} interleaved rounds x {self.secs} s, target CPU "
                 f"{self.tcpu}, host CPU {self.hcpu}, RAM namespace {self.ns}, no digests")
        self.say("   median [min..max]")
        for b, d in s["bounds"].items():
            if "gib_s" in d:
                self.say(f"bound {b:15s}: {rng(d['gib_s'], '%.2f')} GiB/s")
            else:
                self.say(f"bound {b:15s}: p50 {rng(d['p50_us'], '%.2f')} us, p99 {rng(d['p99_us'], '%.2f')} us")
        for build, ws in s["workloads"].items():
            self.say(f"-- {build}")
            for name, e in ws.items():
                self.say(f"{TITLES[name]:22s}: {rng(e['iops'], '%.0f')} IOPS, {rng(e['mib_s'], '%.1f')} MiB/s")
                self.say(f"{'':22s}  p50 {rng(e['p50_us'], '%.2f')} us, p99 {rng(e['p99_us'], '%.2f')} us")
                if "ratio" in e:
                    self.say(f"{'':22s}  ratio to bound ({e['bound']['what']}): {rng(e['ratio'], '%.2f')}")
                self.say(f"{'':22s}  CPU us/IO host {rng(e['host_cpu_us_per_io'], '%.2f')}, target "
                         f"{rng(e['target_cpu_us_per_io'], '%.2f')}; busy host "
                         f"{e['host_busy']['median']:.0%}, target {e['target_busy']['median']:.0%}")
                if "host_work_us_per_io" in e:
                    self.say(f"{'':22s}  work us/IO (CPU minus empty-poll spin) host "
                             f"{rng(e['host_work_us_per_io'], '%.2f')}, target "
                             f"{rng(e['target_work_us_per_io'], '%.2f')}")
                self.say(f"{'':22s}  limit: {e['limit_note']}")

    def main(self):
        os.makedirs(self.results, exist_ok=True)
        self.results_dir_tmp = tempfile.mkdtemp(prefix="nvmx-bench-")
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        load0 = loadavg()
        self.say(f"nvmx bench {stamp}: load {load0}, builds {' '.join(self.builds)}")
        t0 = time.time()
        for rnd in range(self.repeats):
            self.say(f"round {rnd + 1}/{self.repeats}")
            for b in self.bounds:
                self.bound(b, rnd)
            for build in self.builds:
                self.say(f" {build}")
                try:
                    self.round_for_build(build, rnd)
                except RuntimeError as e:
                    self.failures.append(f"{build}: {e}")
                    self.say(f"  FAILED: {e}")
        s = self.summary()
        self.print_summary(s)
        doc = {"stamp": stamp, "seconds": self.secs, "repeats": self.repeats,
               "builds": self.builds, "target_args": self.target_args, "ns": self.ns,
               "cpus": {"target": self.tcpu, "host": self.hcpu}, "load_start": load0,
               "load_end": loadavg(), "elapsed_s": time.time() - t0,
               "uname": " ".join(os.uname()), "ncpu": os.cpu_count(),
               "runs": self.runs, "summary": s, "failures": self.failures}
        path = os.path.join(self.results, f"{stamp}.json")
        with open(path, "w") as f:
            json.dump(doc, f, indent=1)
        self.say(f"results: {path} (load at end {doc['load_end']})")
        for f in self.failures:
            self.say(f"FAILURE: {f}")
        if self.failures:
            self.say(f"nvmxd logs kept in {self.results_dir_tmp}")
            return 1
        shutil.rmtree(self.results_dir_tmp, ignore_errors=True)
        if self.smoke:
            bad = [r for r in self.runs if r["kind"] == "workload" and (r["ios"] == 0 or r["errors"])]
            want = self.repeats * len(self.builds) * len(self.workloads)
            got = len([r for r in self.runs if r["kind"] == "workload"])
            if bad or got != want:
                self.say(f"smoke: {got}/{want} workload runs, {len(bad)} without I/O or with errors")
                return 1
        return 0


if __name__ == "__main__":
    sys.exit(Bench().main())
