#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Checks the probe module (guest-images/probe/) in a real TCG guest with two
NUMA nodes, node 1 memoryless, in both memmap modes.

For each mode (ram: memory_hotplug.memmap_on_memory=0, self: =1) it boots the
guest the way harness/proto/qemu.c does, plus
    -object memory-backend-ram,id=r0,size=512M
    -numa node,nodeid=0,cpus=0-1,memdev=r0 -numa node,nodeid=1
hot-adds a 128M pc-dimm on node 1 over QMP, onlines its block through the
agent and asks probe_block where the block's memmap lives and what walking
it costs. Expected: ram -> memmap on node 0, local fraction 0, not
self-hosted; self -> memmap at the DIMM's first page, node 1, fraction 1.

Before the agent starts, a test /init (rdinit=, from a small cpio appended
to the initramfs) loads the module with busybox insmod and writes bad
requests straight into /sys/kernel/debug/mhp_probe/ctl; the agent ops are
then checked for bad arguments and failing module loads. The console must
show no oops. QEMU runs in its own process group, killed at the end.

Usage: tests/manual/probe_numa.py [--mode ram|self|both] [--keep DIR]
Needs: make -C guest-images (vmlinuz, initramfs with the module), cpio,
gzip, qemu-system-x86_64. Exit 0 when every check passed.
"""
import argparse
import gzip
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GI = os.path.join(ROOT, "guest-images", "build")
MIB = 1 << 20

# Runs as rdinit= before the real /init: module-level checks that the
# agent cannot make (it only writes well-formed requests).
TEST_INIT = r"""#!/bin/sh
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
exec >/dev/console 2>&1
echo "PROBE-TEST begin"
echo "PROBE-TEST insmod rc=$(insmod /lib/modules/mhp_probe.ko >/dev/null 2>&1; echo $?)"
ctl=/sys/kernel/debug/mhp_probe/ctl
res=/sys/kernel/debug/mhp_probe/result
t() {
	printf '%s' "$2" > $ctl 2>/dev/null
	rc=$?
	err=$(grep '^errno=' $res | cut -d= -f2)
	txt=$(grep '^error=' $res | cut -d= -f2-)
	echo "PROBE-TEST case=$1 write_rc=$rc errno=${err:-none} error=$txt"
}
t garbage 'garbage'
t nonnumeric 'block=abc'
t trailing 'block=1x'
t hex 'block=0x1'
t negative 'block=-1'
t unknown_key 'block=1 foo=2'
t no_block 'passes=3'
t passes0 'block=1 passes=0'
t passes_huge 'block=1 passes=100000'
t beyond_max 'block=99999999999999'
t overflow 'block=18446744073709551615'
t not_present 'block=100'
t too_long "block=1 $(printf '%0200d' 0)"
t ok_block0 'block=0 passes=2'
echo "PROBE-TEST block0: $(tr '\n' ' ' < $res)"
echo "PROBE-TEST rmmod rc=$(rmmod mhp_probe >/dev/null 2>&1; echo $?)"
echo "PROBE-TEST end"
# /dev stays: the console is open on it; /init mounts over it.
umount /sys/kernel/debug /sys /proc
exec /init
"""

EXPECT_CASES = {
    "garbage": "22", "nonnumeric": "22", "trailing": "22", "hex": "22",
    "negative": "22",
    "unknown_key": "22", "no_block": "22", "passes0": "22",
    "passes_huge": "22", "beyond_max": "22", "overflow": "22",
    "not_present": "19", "too_long": "22", "ok_block0": "none",
}

failures = []


def check(cond, what):
    print(("  ok   " if cond else "  FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def newc(entries):
    """A newc cpio archive of (name, mode, data) entries."""
    out = bytearray()
    ino = 1

    def rec(name, mode, data):
        nonlocal ino
        nb = name.encode() + b"\0"
        hdr = "070701" + "".join("%08x" % v for v in (
            ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(nb), 0))
        ino += 1
        out.extend(hdr.encode() + nb)
        out.extend(b"\0" * (-len(out) % 4))
        out.extend(data)
        out.extend(b"\0" * (-len(out) % 4))
    for e in entries:
        rec(*e)
    rec("TRAILER!!!", 0, b"")
    return bytes(out)


def make_initrd(tmp):
    """The initramfs plus an appended archive: the test init and a copy of
    the module whose vermagic no longer matches."""
    ko = open(os.path.join(GI, "probe", "mhp_probe.ko"), "rb").read()
    bad = ko.replace(b"mod_unload", b"mod_unlXad")
    assert bad != ko, "vermagic not found in mhp_probe.ko"
    extra = newc([
        ("probe-test.sh", 0o100755, TEST_INIT.encode()),
        ("lib/modules/bad_vermagic.ko", 0o100644, bad),
    ])
    path = os.path.join(tmp, "initrd.img")
    with open(path, "wb") as f:
        f.write(open(os.path.join(GI, "initramfs.cpio.gz"), "rb").read())
        f.write(gzip.compress(extra))
    return path


class Lines:
    """Line reader over a unix stream socket with deadlines."""

    def __init__(self, path, deadline):
        while True:
            try:
                self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.s.connect(path)
                break
            except OSError:
                self.s.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self.buf = b""

    def readline(self, deadline):
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no line before the deadline")
            self.s.settimeout(left)
            data = self.s.recv(65536)
            if not data:
                raise EOFError("socket closed")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode(errors="replace").strip("\r")

    def send(self, obj):
        self.s.sendall((json.dumps(obj) + "\n").encode())


class Agent(Lines):
    def __init__(self, path, deadline):
        super().__init__(path, deadline)
        self.next_id = 1

    def wait_ready(self, deadline):
        while True:
            try:
                j = json.loads(self.readline(deadline))
            except ValueError:
                continue
            if isinstance(j, dict) and j.get("ready"):
                return j

    def call(self, op, timeout=60, **args):
        rid = self.next_id
        self.next_id += 1
        self.send(dict(id=rid, op=op, **args))
        deadline = time.monotonic() + timeout
        while True:
            try:
                j = json.loads(self.readline(deadline))
            except ValueError:
                continue
            if isinstance(j, dict) and "ok" in j and j.get("id") == rid:
                return j


class Qmp(Lines):
    def __init__(self, path, deadline):
        super().__init__(path, deadline)
        self.events = []
        json.loads(self.readline(deadline))  # greeting
        self.cmd("qmp_capabilities")

    def cmd(self, name, timeout=30, **args):
        self.send({"execute": name, "arguments": args, "id": name})
        deadline = time.monotonic() + timeout
        while True:
            j = json.loads(self.readline(deadline))
            if "event" in j:
                self.events.append(j)
            elif j.get("id") == name:
                if "error" in j:
                    raise RuntimeError("%s: %s" % (name, j["error"]["desc"]))
                return j["return"]

    def wait_event(self, name, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            for i, e in enumerate(self.events):
                if e["event"] == name:
                    return self.events.pop(i)
            self.events.append(json.loads(self.readline(deadline)))


def qemu_argv(tmp, mode, initrd):
    append = ("console=ttyS0 panic=-1 memory_hotplug.memmap_on_memory=%d "
              "memhp_default_state=offline rdinit=/probe-test.sh"
              % (mode == "self"))
    # nice: the machines running this are shared.
    return [
        "nice", "-n", "19", "qemu-system-x86_64", "-machine", "pc",
        "-accel", "tcg,thread=multi", "-smp", "2",
        "-m", "512M,slots=4,maxmem=2G",
        "-object", "memory-backend-ram,id=r0,size=512M",
        "-numa", "node,nodeid=0,cpus=0-1,memdev=r0",
        "-numa", "node,nodeid=1",
        "-nodefaults", "-display", "none", "-no-reboot",
        "-kernel", os.path.join(GI, "vmlinuz"), "-initrd", initrd,
        "-append", append,
        "-chardev", "file,id=con,path=%s/console.log" % tmp,
        "-serial", "chardev:con",
        "-chardev", "socket,id=agent,path=%s/agent.sock,server=on,wait=off" % tmp,
        "-device", "isa-serial,chardev=agent",
        "-qmp", "unix:%s/qmp.sock,server=on,wait=off" % tmp,
    ]


def show(r, keys):
    return " ".join("%s=%s" % (k, r.get(k)) for k in keys)


def run_mode(mode, tmp):
    print("== mode %s" % mode, flush=True)
    initrd = make_initrd(tmp)
    log = open(os.path.join(tmp, "qemu.log"), "w")
    qemu = subprocess.Popen(qemu_argv(tmp, mode, initrd), stdin=subprocess.DEVNULL,
                            stdout=log, stderr=log, start_new_session=True)
    summary = {"mode": mode}
    try:
        t0 = time.monotonic()
        agent = Agent(os.path.join(tmp, "agent.sock"), t0 + 30)
        qmp = Qmp(os.path.join(tmp, "qmp.sock"), t0 + 30)
        agent.wait_ready(t0 + 120)
        hello = agent.call("hello")
        print("  guest %s nodes=%s memmap_on_memory=%s" % (
            hello["kernel_release"], hello["nodes"], hello["memmap_on_memory"]))

        # Module-level checks made by the test init.
        con = open(os.path.join(tmp, "console.log"), errors="replace").read()
        check("PROBE-TEST end" in con, "test init ran")
        for case, want in EXPECT_CASES.items():
            m = re.search(r"PROBE-TEST case=%s write_rc=(\d+) errno=(\S+) error=(.*)" % case, con)
            got = m.group(2) if m else "missing"
            check(got == want, "ctl %-12s errno %s (want %s)%s" % (
                case, got, want, ": " + m.group(3) if m and m.group(3) else ""))
        m = re.search(r"PROBE-TEST block0: (.*)", con)
        if m:
            print("  block 0 by the test init: " + m.group(1)[:400])

        # Failing loads are clean errors and the agent keeps serving.
        r = agent.call("probe_load", path="/nonexistent.ko")
        check(not r["ok"] and r["errno"] == 2, "probe_load missing file: errno %s %s" % (r.get("errno"), r.get("error")))
        r = agent.call("probe_load", path="/lib/modules/bad_vermagic.ko")
        check(not r["ok"] and r["errno"] == 8, "probe_load bad vermagic: errno %s %s" % (r.get("errno"), r.get("error")))
        r = agent.call("probe_load", path="/sbin/mhp-agent")
        check(not r["ok"] and r["errno"] == 8, "probe_load not a module: errno %s %s" % (r.get("errno"), r.get("error")))
        r = agent.call("probe_block", block=1)
        check(not r["ok"] and r["errno"] == 2, "probe_block before load: errno %s %s" % (r.get("errno"), r.get("error")))
        check(agent.call("hello")["ok"], "agent still serving")
        r = agent.call("probe_load")
        check(r["ok"] and r["already_loaded"] is False, "probe_load: %s" % show(r, ("loaded", "already_loaded", "load_ns", "tainted")))
        r = agent.call("probe_load")
        check(r["ok"] and r["already_loaded"] is True, "probe_load again: already_loaded")

        # Bad arguments through the agent.
        for args, want in (({"block": 1 << 40}, 22), ({"block": 100}, 19),
                           ({"block": 1, "passes": 0}, 22),
                           ({"block": 1, "passes": 1001}, 22),
                           ({"block": "1"}, 22), ({}, 22)):
            r = agent.call("probe_block", **args)
            check(not r["ok"] and r["errno"] == want,
                  "probe_block %s: errno %s (want %d) %s" % (args, r.get("errno"), want, r.get("error")))

        boot = agent.call("probe_block", block=1, passes=5)
        check(boot["ok"], "probe_block boot block 1")
        summary["boot_block1"] = boot

        # Hot-add 128M on node 1.
        agent.call("uevents_clear")
        qmp.cmd("object-add", **{"qom-type": "memory-backend-ram", "id": "mem1", "size": 128 * MIB})
        qmp.cmd("device_add", driver="pc-dimm", id="dimm1", memdev="mem1", node=1)
        ev = agent.call("wait_blocks", action="add", count=1, timeout_ms=30000)
        check(ev["ok"], "block added")
        block = ev["events"][0]["block"]
        pre = agent.call("probe_block", block=block, passes=3)
        check(pre["ok"], "probe_block block %d while offline" % block)
        summary["offline"] = pre
        on = agent.call("online", block=block, zone="movable")
        check(on["ok"], "online block %d (%s, %s ns)" % (block, on.get("error", "ok"), on.get("ns")))
        blocks = {b["id"]: b for b in agent.call("blocks")["blocks"]}
        check(blocks[block]["node"] == 1, "block %d on node %s (sysfs)" % (block, blocks[block]["node"]))
        r = agent.call("probe_block", block=block, passes=10)
        check(r["ok"], "probe_block block %d online" % block)
        summary["dimm"] = r
        keys = ("block", "start_phys", "block_node", "block_node_source", "memmap_virt",
                "memmap_bytes", "memmap_first_phys", "memmap_mappings", "memmap_mappings_2m",
                "memmap_mappings_4k", "memmap_backing_bytes", "memmap_node_bytes",
                "memmap_local_fraction", "memmap_in_block_bytes", "self_hosted", "passes",
                "cold_ns_per_page", "warm_ns_per_page_median", "warm_ns_per_page_min",
                "warm_ns_per_page_mean", "probe_ns")
        for name, res in (("boot block 1", boot), ("dimm offline", pre), ("dimm online", r)):
            print("  %s: %s" % (name, show(res, keys)))
        if mode == "ram":
            check(r["memmap_node_bytes"] == {"0": r["memmap_bytes"]}, "ram: memmap on node 0")
            check(r["memmap_local_fraction"] == 0 and r["self_hosted"] == 0, "ram: locality 0, not self-hosted")
        else:
            check(r["memmap_first_phys"] == r["start_phys"], "self: memmap at the DIMM's first page")
            check(r["memmap_node_bytes"] == {"1": r["memmap_bytes"]}, "self: memmap on node 1")
            check(r["memmap_local_fraction"] == 1 and r["self_hosted"] == 1, "self: locality 1, self-hosted")
        check(r["block_node"] == 1, "block_node 1")

        # Remove again: the probe must leave nothing pinned.
        off = agent.call("offline", block=block)
        check(off["ok"], "offline block %d (%s)" % (block, off.get("error", "ok")))
        qmp.cmd("device_del", id="dimm1")
        qmp.wait_event("DEVICE_DELETED", 60)
        qmp.cmd("object-del", id="mem1")
        r = agent.call("probe_block", block=block)
        check(not r["ok"] and r["errno"] == 19, "probe_block removed block: errno %s %s" % (r.get("errno"), r.get("error")))

        agent.call("poweroff")
        qemu.wait(timeout=60)
    finally:
        if qemu.poll() is None:
            os.killpg(qemu.pid, signal.SIGKILL)
            qemu.wait()
        log.close()
    con = open(os.path.join(tmp, "console.log"), errors="replace").read()
    bad = re.findall(r".*(?:Oops|BUG:|general protection|Call Trace|RIP:|WARNING:).*", con)
    check(not bad, "no oops/warning on the console%s" % (": " + "; ".join(bad[:3]) if bad else ""))
    mhp = [l for l in con.splitlines() if "mhp_probe" in l and "PROBE-TEST" not in l]
    print("  kernel lines about mhp_probe: %s" % mhp)
    return summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mode", choices=("ram", "self", "both"), default="both")
    ap.add_argument("--keep", help="keep console and QEMU logs in this directory")
    ap.add_argument("--json", help="write the probe results here")
    a = ap.parse_args()
    results = []
    for mode in (("ram", "self") if a.mode == "both" else (a.mode,)):
        tmp = tempfile.mkdtemp(prefix="probe_numa.")
        try:
            results.append(run_mode(mode, tmp))
        finally:
            if a.keep:
                dst = os.path.join(a.keep, mode)
                shutil.rmtree(dst, ignore_errors=True)
                shutil.copytree(tmp, dst, ignore=shutil.ignore_patterns("*.sock", "initrd.img"))
            shutil.rmtree(tmp, ignore_errors=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)
    print("%d check(s) failed" % len(failures) if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
