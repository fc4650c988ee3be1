#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Manual check of the agent's online_traced/offline_traced and pmu_* ops
against a real guest (python3 stdlib only).

Boots guest-images/build/{vmlinuz,initramfs.cpio.gz} in QEMU (TCG, pc, the
same command line as harness/proto/qemu.c), hot-adds a pc-dimm through QMP, onlines
and offlines each of its blocks with function_graph tracing, prints the
per-function breakdown, and shows what pmu_open/pmu_read report. Kills the
QEMU it started, whatever happens.

    tests/manual/ftrace_pmu.py --mode both --size 128M --reps 3 --untraced --checks
    tests/manual/ftrace_pmu.py --mode both --size 1G --boot-mem 1G --reps 1
    tests/manual/ftrace_pmu.py --mode self --save-trace /tmp/traces

Runs under single-threaded TCG by default: multi-threaded TCG with 2 vCPUs
deadlocks while the tracer is switched (docs/agent-protocol.md).

Expected: the entry's callees cover >= 80% of the traced total, and
online_pages' callees too; offline_pages' callees less (its pfn scan is
inlined: self time). Untraceable names are listed in trace_error. On a
machine without a PMU every hardware event says available:false with a
reason (never 0); software events count; bad names get an error.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BLOCK = 128 << 20

ONLINE_FUNCS = [
    "mhp_init_memmap_on_memory", "online_pages", "move_pfn_range_to_zone",
    "memmap_init_range", "online_pages_range", "generic_online_page",
    "adjust_present_page_count", "build_all_zonelists",
    "undo_isolate_page_range", "shuffle_zone", "init_per_zone_wmark_min",
    "setup_per_zone_wmarks", "setup_per_zone_lowmem_reserve",
    "calculate_min_free_kbytes", "kswapd_run", "kcompactd_run",
    "writeback_set_ratelimit", "memory_notify", "zone_for_pfn_range",
]
OFFLINE_FUNCS = [
    "offline_pages", "walk_system_ram_range", "zone_pcp_disable", "PageHuge",
    "lru_cache_disable", "start_isolate_page_range", "has_unmovable_pages",
    "scan_movable_pages", "do_migrate_range", "dissolve_free_huge_pages",
    "test_pages_isolated", "__offline_isolated_pages", "lru_cache_enable",
    "zone_pcp_enable", "adjust_managed_page_count",
    "adjust_present_page_count", "init_per_zone_wmark_min",
    "setup_per_zone_wmarks", "zone_pcp_reset", "build_all_zonelists",
    "kswapd_stop", "kcompactd_stop", "remove_pfn_range_from_zone",
    "mhp_deinit_memmap_on_memory", "undo_isolate_page_range", "memory_notify",
]
PMU_EVENTS = ["cycles", "instructions", "perf::LLC-LOAD-MISSES",
              "cache-misses", "LLC_MISSES", "perf::cpu-clock",
              "no_such_event"]


def size_arg(s):
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    if s[-1].upper() in mult:
        return int(s[:-1]) * mult[s[-1].upper()]
    return int(s)


class Lines:
    """Line reader over a stream socket with a deadline."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def readline(self, deadline):
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no line before the deadline")
            self.sock.settimeout(left)
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise EOFError("socket closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode("utf-8", "replace")

    def send(self, obj):
        self.sock.sendall((json.dumps(obj) + "\n").encode())


def connect(path, deadline):
    while True:
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class Qmp:
    def __init__(self, path):
        self.io = Lines(connect(path, time.monotonic() + 10))
        self.events = []
        self.id = 0
        self.io.readline(time.monotonic() + 10)  # greeting
        self.cmd("qmp_capabilities")

    def cmd(self, name, timeout=30, **args):
        self.id += 1
        self.io.send({"execute": name, "arguments": args, "id": self.id})
        deadline = time.monotonic() + timeout
        while True:
            msg = json.loads(self.io.readline(deadline))
            if "event" in msg:
                self.events.append(msg)
            elif msg.get("id") == self.id:
                if "error" in msg:
                    raise RuntimeError("%s: %s" % (name, msg["error"]["desc"]))
                return msg["return"]

    def wait_event(self, name, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            for i, e in enumerate(self.events):
                if e["event"] == name:
                    return self.events.pop(i)
            msg = json.loads(self.io.readline(deadline))
            if "event" in msg:
                self.events.append(msg)


class Agent:
    def __init__(self, path):
        self.io = Lines(connect(path, time.monotonic() + 10))
        self.id = 0

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            try:
                msg = json.loads(self.io.readline(deadline))
            except ValueError:
                continue
            if isinstance(msg, dict) and msg.get("ready"):
                return msg

    def req(self, op, timeout=120, **args):
        self.id += 1
        args.update({"id": self.id, "op": op,
                     "timeout_ms": int(timeout * 1000)})
        self.io.send(args)
        deadline = time.monotonic() + timeout + 30
        while True:
            line = self.io.readline(deadline)
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            if isinstance(msg, dict) and "ok" in msg and msg.get("id") == self.id:
                return msg


class Guest:
    def __init__(self, args, memmap):
        self.dir = tempfile.mkdtemp(prefix="mhp-ftrace-")
        self.console = os.path.join(self.dir, "console.log")
        qmp = os.path.join(self.dir, "qmp.sock")
        agent = os.path.join(self.dir, "agent.sock")
        boot = size_arg(args.boot_mem)
        maxmem = boot + size_arg(args.size) * 2
        cmd = [args.qemu, "-machine", "pc", "-accel", args.accel,
               "-smp", str(args.smp),
               "-m", "%dM,slots=4,maxmem=%dM" % (boot >> 20, maxmem >> 20),
               "-nodefaults", "-display", "none", "-no-reboot",
               "-kernel", args.kernel, "-initrd", args.initrd,
               "-append", "console=ttyS0 panic=-1 "
               "memory_hotplug.memmap_on_memory=%d memhp_default_state=offline"
               % memmap,
               "-chardev", "file,id=con,path=%s" % self.console,
               "-serial", "chardev:con",
               "-chardev", "socket,id=agent,path=%s,server=on,wait=off" % agent,
               "-device", "isa-serial,chardev=agent",
               "-qmp", "unix:%s,server=on,wait=off" % qmp]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        try:
            self.qmp = Qmp(qmp)
            self.agent = Agent(agent)
            self.agent.wait_ready(args.boot_timeout)
        except BaseException:
            self.kill()
            raise

    def kill(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait()

    def console_tail(self, n=20):
        try:
            with open(self.console, errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""


def check(reply, what):
    if not reply.get("ok"):
        raise RuntimeError("%s failed: %s" % (what, json.dumps(reply)[:2000]))
    return reply


def walk(children, prefix, out, depth=1):
    for name, st in children.items():
        out.append((depth, prefix + name, st))
        if "children" in st:
            walk(st["children"], prefix + name + " > ", out, depth + 1)


def show(kind, reply):
    tr = reply.get("trace")
    print("  %s memory%d: write %.3f ms, state %s" %
          (kind, reply["block"], reply["ns"] / 1e6, reply.get("state")))
    if reply.get("trace_error"):
        print("    trace_error: %s" % reply["trace_error"])
    if not tr:
        return
    print("    entry %s: %d call(s), %.3f ms traced, children %.3f ms "
          "(%.1f%%), self %.3f ms, setup %.0f ms, %d lines, lost %d, "
          "unattributed %d" %
          (tr["entry"], tr["calls"], tr["total_ns"] / 1e6,
           tr["children_ns"] / 1e6, 100 * (tr["coverage"] or 0),
           tr["self_ns"] / 1e6, tr["setup_ns"] / 1e6, tr["lines"],
           tr["lost_events"], tr["unattributed"]))
    rows = []
    walk(tr["children"], "", rows)
    for depth, path, st in rows:
        if st["total_ns"] < tr["total_ns"] * 0.005 and depth > 1:
            continue
        cov = ""
        if "children" in st and st["total_ns"]:
            kids = sum(c["total_ns"] for c in st["children"].values())
            cov = "  children %.1f%%" % (100.0 * kids / st["total_ns"])
        print("    %s%-48s %5d x %10.3f ms%s" %
              ("  " * (depth - 1), path.split(" > ")[-1], st["calls"],
               st["total_ns"] / 1e6, cov))


def run_mode(args, memmap, results):
    g = Guest(args, memmap)
    try:
        a = g.agent
        hello = check(a.req("hello"), "hello")
        print("== memmap_on_memory=%d: kernel %s, param %s, block %d MiB" %
              (memmap, hello["kernel_release"], hello["memmap_on_memory"],
               hello["block_size_bytes"] >> 20))
        pmu = check(a.req("pmu_open", events=PMU_EVENTS), "pmu_open")
        print("  pmu_open: %s" % json.dumps(pmu["events"]))
        size = size_arg(args.size)
        nblocks = size // hello["block_size_bytes"]
        for rep in range(args.reps):
            check(a.req("uevents_clear"), "uevents_clear")
            mem, dev = "mem%d" % rep, "dimm%d" % rep
            g.qmp.cmd("object-add", **{"qom-type": "memory-backend-ram",
                                       "id": mem, "size": size})
            g.qmp.cmd("device_add", driver="pc-dimm", id=dev, memdev=mem)
            ev = check(a.req("wait_blocks", action="add", count=nblocks),
                       "wait_blocks")
            blocks = sorted(e["block"] for e in ev["events"])
            print(" rep %d: %s added as blocks %s" % (rep, args.size, blocks))
            for b in blocks:
                if rep == 0 and args.untraced:
                    r = check(a.req("online", block=b, zone=args.zone), "online")
                    print("  untraced online memory%d: %.3f ms" % (b, r["ns"] / 1e6))
                    r = check(a.req("offline", block=b), "offline")
                    print("  untraced offline memory%d: %.3f ms" % (b, r["ns"] / 1e6))
                r = a.req("online_traced", block=b, zone=args.zone,
                          depth=args.depth, functions=ONLINE_FUNCS,
                          raw=bool(args.save_trace))
                save(args, r, memmap, rep, b, "online")
                show("online", check(r, "online_traced"))
                results.append({"memmap": memmap, "rep": rep, "block": b,
                                "op": "online", "reply": strip(r)})
            for b in reversed(blocks):
                r = a.req("offline_traced", block=b, depth=args.depth,
                          functions=OFFLINE_FUNCS, raw=bool(args.save_trace))
                save(args, r, memmap, rep, b, "offline")
                show("offline", check(r, "offline_traced"))
                results.append({"memmap": memmap, "rep": rep, "block": b,
                                "op": "offline", "reply": strip(r)})
            g.qmp.cmd("device_del", id=dev)
            g.qmp.wait_event("DEVICE_DELETED", 120)
            check(a.req("wait_blocks", action="remove", count=nblocks),
                  "wait_blocks remove")
            g.qmp.cmd("object-del", id=mem)
        rd = check(a.req("pmu_read"), "pmu_read")
        print("  pmu_read: %s" % json.dumps(rd["events"]))
        results.append({"memmap": memmap, "op": "pmu", "open": pmu, "read": rd})
        check(a.req("pmu_close"), "pmu_close")
        if args.checks:
            checks(g, a, args, nblocks)
        try:
            a.req("poweroff", timeout=10)
        except (TimeoutError, EOFError):
            pass
    except BaseException:
        keep = os.path.join(tempfile.gettempdir(),
                            "mhp-ftrace-console-memmap%d.log" % memmap)
        shutil.copy(g.console, keep)
        sys.stderr.write("--- console tail (all of it: %s) ---\n%s\n" %
                         (keep, g.console_tail()))
        raise
    finally:
        g.kill()
        shutil.rmtree(g.dir, ignore_errors=True)


def expect(reply, errno, what):
    ok = (reply["ok"] if errno is None else
          not reply["ok"] and reply.get("errno") == errno)
    print("  check %-44s %s  (ok=%s errno=%s error=%s)" %
          (what, "PASS" if ok else "FAIL", reply["ok"], reply.get("errno"),
           reply.get("error")))
    if not ok:
        raise RuntimeError("check failed: %s" % what)


def checks(g, a, args, nblocks):
    """Error paths, and one cycle traced from online_pages/offline_pages
    at depth 2: their callees flat."""
    expect(a.req("pmu_read"), 2, "pmu_read after pmu_close")
    expect(a.req("pmu_close"), None, "pmu_close twice")
    expect(a.req("pmu_open", events=[]), 22, "pmu_open without events")
    expect(a.req("online_traced", block=0, zone="auto", depth=0), 22,
           "depth 0")
    expect(a.req("online_traced", block=0, zone="auto", functions="x"), 22,
           "functions not an array")
    expect(a.req("online_traced", block=0, zone="auto", raw=1), 22,
           "raw not a boolean")
    # Fails before the write: block 0 is online and stays so.
    expect(a.req("online_traced", block=0, zone="auto",
                 entry="no_such_function_xyz"), 22, "untraceable entry")
    expect(a.req("offline_traced", block=999999), 2,
           "missing block (after tracer setup)")
    check(a.req("uevents_clear"), "uevents_clear")
    g.qmp.cmd("object-add", **{"qom-type": "memory-backend-ram",
                               "id": "memx", "size": size_arg(args.size)})
    g.qmp.cmd("device_add", driver="pc-dimm", id="dimmx", memdev="memx")
    ev = check(a.req("wait_blocks", action="add", count=nblocks), "wait_blocks")
    blocks = sorted(e["block"] for e in ev["events"])
    for b in blocks:
        r = check(a.req("online_traced", block=b, zone=args.zone, depth=2,
                        entry="online_pages"), "online_traced online_pages")
        show("online", r)
    for b in reversed(blocks):
        r = check(a.req("offline_traced", block=b, depth=2,
                        entry="offline_pages"), "offline_traced offline_pages")
        show("offline", r)
    # The tracer is off again: plain ops work, and tracefs is back to nop.
    r = check(a.req("online", block=blocks[0], zone=args.zone), "online")
    r = check(a.req("offline", block=blocks[0]), "offline")
    print("  untraced again: offline %.3f ms" % (r["ns"] / 1e6))
    g.qmp.cmd("device_del", id="dimmx")
    g.qmp.wait_event("DEVICE_DELETED", 120)
    check(a.req("wait_blocks", action="remove", count=nblocks),
          "wait_blocks remove")
    g.qmp.cmd("object-del", id="memx")


def strip(r):
    r = dict(r)
    if "trace" in r:
        r["trace"] = dict(r["trace"])
        r["trace"].pop("text", None)
    return r


def save(args, reply, memmap, rep, block, op):
    text = (reply.get("trace") or {}).get("text")
    if not args.save_trace or not text:
        return
    os.makedirs(args.save_trace, exist_ok=True)
    path = os.path.join(args.save_trace, "%s-%s-%s-depth%d-rep%d-memory%d.txt"
                        % (op, ["ram", "self"][memmap], args.size,
                           args.depth, rep, block))
    with open(path, "w") as f:
        f.write(text)
    print("  saved %s" % path)


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    if not n:
        return 0
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def summary(results):
    """Medians over reps (and blocks) per mode and op."""
    print("\n== summary (medians; ms; traced unless said)")
    for memmap in (0, 1):
        for op, inner in (("online", "online_pages"),
                          ("offline", "offline_pages")):
            rs = [r["reply"] for r in results
                  if r.get("op") == op and r["memmap"] == memmap
                  and r["reply"].get("trace")]
            if not rs:
                continue
            tr = [r["trace"] for r in rs]
            inn = [t["children"].get(inner) for t in tr]
            inn = [i for i in inn if i]
            print("-- %s, memmap_on_memory=%d, %d sample(s)" %
                  (op, memmap, len(rs)))
            print("   write %.3f, entry %s %.3f, children of entry %.1f%%" %
                  (median([r["ns"] for r in rs]) / 1e6, tr[0]["entry"],
                   median([t["total_ns"] for t in tr]) / 1e6,
                   100 * median([t["coverage"] or 0 for t in tr])))
            if inn:
                cov = [sum(c["total_ns"] for c in i.get("children", {}).values())
                       / i["total_ns"] for i in inn if i["total_ns"]]
                print("   %s %.3f, its children %.1f%% (min %.1f%%)" %
                      (inner, median([i["total_ns"] for i in inn]) / 1e6,
                       100 * median(cov), 100 * min(cov)))
            names = []
            for t in tr:
                for n in t.get("functions", {}):
                    if n not in names:
                        names.append(n)
            for n in names:
                v = [t["functions"][n] for t in tr if n in t.get("functions", {})]
                ms = median([x["total_ns"] for x in v]) / 1e6
                calls = median([x["calls"] for x in v])
                if calls:
                    print("     %-32s %8.3f  (%g calls)" % (n, ms, calls))
            un = tr[0].get("untraceable")
            if un:
                print("     untraceable: %s" % ", ".join(un))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    build = os.path.join(ROOT, "guest-images", "build")
    ap.add_argument("--kernel", default=os.path.join(build, "vmlinuz"))
    ap.add_argument("--initrd", default=os.path.join(build, "initramfs.cpio.gz"))
    ap.add_argument("--qemu", default="qemu-system-x86_64")
    ap.add_argument("--mode", choices=["ram", "self", "both"], default="both")
    ap.add_argument("--size", default="128M")
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--depth", type=int, default=3)
    ap.add_argument("--zone", default="movable")
    # Multi-threaded TCG deadlocks in text_poke_bp when the tracer is
    # switched on or off with 2 vCPUs (seen after about 10 switches on
    # QEMU 7.2: soft lockup in smp_call_function_many_cond); single-
    # threaded TCG, -smp 1 or KVM do not.
    ap.add_argument("--accel", default="tcg,thread=single")
    ap.add_argument("--smp", type=int, default=2)
    ap.add_argument("--boot-mem", default="512M")
    ap.add_argument("--boot-timeout", type=float, default=180)
    ap.add_argument("--untraced", action="store_true",
                    help="also time one plain online/offline per block")
    ap.add_argument("--save-trace", metavar="DIR",
                    help="write each raw trace there (only traces up to "
                    "64 KiB come back: the online ones)")
    ap.add_argument("--json", metavar="FILE", help="write all replies there")
    ap.add_argument("--checks", action="store_true",
                    help="also check error paths and trace one cycle from "
                    "online_pages/offline_pages at depth 2")
    args = ap.parse_args()
    results = []
    modes = {"ram": [0], "self": [1], "both": [0, 1]}[args.mode]
    try:
        for m in modes:
            run_mode(args, m, results)
    finally:
        summary(results)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
