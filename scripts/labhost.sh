#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs a command inside the "lab host" guest, where /dev/kvm exists
# (README, "Tests": the KVM tests):
#
#   scripts/labhost.sh [-t SECONDS] COMMAND [ARG]...
#
# The lab host is a TCG guest (-cpu max: QEMU emulates AMD SVM) with 2
# vCPUs on 2 NUMA nodes and 4G of memory, booting Debian's kernel
# (guest-images/build/vmlinuz) with guest-images/build/labhost/initramfs
# (make -C guest-images labhost). Its init loads kvm-amd nested=1, mounts
# this machine's root file system read-only over 9p, and runs COMMAND in
# this repository's root inside a chroot of it, as root: the host's own
# QEMU and ./mhpbench then run with accel = kvm against an inner guest.
# COMMAND's stdout and stderr come back through a second, writable 9p
# share (a temporary directory here) and are printed when it ends; the
# exit status is COMMAND's. 3: the lab host did not come up or did not
# finish within SECONDS (default 3600), with its console's last lines;
# 4: the lab host's own kernel reported an RCU stall (one of its CPUs took
# no interrupt for 21 s: the nested SVM that TCG emulates lost it), a soft
# lockup, or a task blocked for 120 s (README, "KVM on a lab host"):
# nothing a process in it can cause, and what it waits for may never
# come. The lab host is ended at once rather than at the deadline, with a
# line on stderr that begins "labhost: the lab host's own kernel
# reported" (the line tells it from a COMMAND that exits 3 or 4 itself).
# Environment variables given as VAR=value before COMMAND reach it (env).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
GI=$ROOT/guest-images/build
limit=3600
if [ "${1:-}" = -t ]; then
	limit=$2
	shift 2
fi
[ $# -gt 0 ] || { echo "usage: $0 [-t SECONDS] COMMAND [ARG]..." >&2; exit 2; }
for f in "$GI/vmlinuz" "$GI/labhost/initramfs.cpio.gz"; do
	[ -f "$f" ] || { echo "labhost: $f missing: run make -C guest-images all labhost" >&2; exit 3; }
done
# The lab host runs under the QEMU that guest-images unpacked from
# bookworm-backports (guest-images/labhost.mk says why), with its own
# ROMs and this machine's seabios BIOS. LABHOST_QEMU_DIR=DIR takes one
# unpacked elsewhere; LABHOST_QEMU_DIR=system, this machine's QEMU
# ($QEMU, else qemu-system-x86_64). mhpbench inside uses this machine's.
qdir=${LABHOST_QEMU_DIR:-$GI/labhost/qemu}
qemu_data=()
if [ "$qdir" = system ]; then
	QEMU=${QEMU:-qemu-system-x86_64}
else
	QEMU=$qdir/usr/bin/qemu-system-x86_64
	[ -x "$QEMU" ] || { echo "labhost: $QEMU missing: run make -C guest-images labhost" >&2; exit 3; }
	qemu_data=(-L "$qdir/usr/share/qemu" -L /usr/share/seabios)
fi
echo "labhost: $("$QEMU" --version | head -n1)" >&2
# LABHOST_TCG=multi|single: one host thread per vCPU (the default: a
# nested boot takes 20-40 s here), or one for both (under QEMU 7.2 a
# nested boot took 80 s; under 10.0 one did not say hello within 300 s).
tcg=${LABHOST_TCG:-multi}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/labhost.XXXXXX")
qpid=
# LABHOST_KEEP=DIR: the share (stdout, stderr, rc and what COMMAND wrote
# to $LABHOST_OUT) and the lab host's console are copied to DIR.
cleanup() {
	[ -z "$qpid" ] || kill -9 "$qpid" 2>/dev/null || true
	if [ -n "${LABHOST_KEEP:-}" ]; then
		mkdir -p "$LABHOST_KEEP" && cp -r "$tmp/." "$LABHOST_KEEP/" || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
mkdir "$tmp/out"
{
	printf 'cd %q || exit 3\n' "$ROOT"
	printf 'exec env'
	printf ' %q' "$@"
	printf '\n'
} >"$tmp/out/cmd"

# 2 NUMA nodes of one vCPU and 2G each: numa_host_nodes = 0, 1 inside.
"$QEMU" "${qemu_data[@]}" -accel "tcg,thread=$tcg" -cpu max -smp 2 -m 4G \
	-object memory-backend-ram,id=m0,size=2G \
	-numa node,nodeid=0,cpus=0,memdev=m0 \
	-object memory-backend-ram,id=m1,size=2G \
	-numa node,nodeid=1,cpus=1,memdev=m1 \
	-nodefaults -display none -no-reboot \
	-kernel "$GI/vmlinuz" -initrd "$GI/labhost/initramfs.cpio.gz" \
	-append "console=ttyS0 panic=-1 loglevel=5" \
	-serial "file:$tmp/console.log" \
	-virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
	-virtfs "local,path=$tmp/out,mount_tag=out,security_model=none" \
	>"$tmp/qemu.log" 2>&1 &
qpid=$!
end=$((SECONDS + limit))
stall='rcu: INFO: rcu_[a-z]+ (detected|self-detected) stall|watchdog: BUG: soft lockup|INFO: task .* blocked for more than'
stalled=
while kill -0 "$qpid" 2>/dev/null && [ $SECONDS -lt $end ]; do
	stalled=$(grep -Em1 "$stall" "$tmp/console.log" 2>/dev/null || true)
	[ -z "$stalled" ] || break
	sleep 1
done
if [ -n "$stalled" ]; then
	sleep 2 # the rest of the report
	echo "labhost: the lab host's own kernel reported \"${stalled#*] }\" (a lab host fault: nested SVM under TCG); ending it" >&2
	kill -9 "$qpid"
elif kill -0 "$qpid" 2>/dev/null; then
	echo "labhost: no end within $limit s; killing the lab host" >&2
	kill -9 "$qpid"
fi
wait "$qpid" 2>/dev/null || true
qpid=
[ -f "$tmp/out/stdout" ] && cat "$tmp/out/stdout"
[ -f "$tmp/out/stderr" ] && cat "$tmp/out/stderr" >&2
rc=$(cat "$tmp/out/rc" 2>/dev/null || true)
case "$rc" in
'' | *[!0-9]*)
	echo "labhost: the command did not finish${rc:+: $rc}; QEMU: $(tail -3 "$tmp/qemu.log")" >&2
	echo "--- last 30 lines of the lab host's console ---" >&2
	tail -30 "$tmp/console.log" >&2
	[ -z "$stalled" ] || exit 4
	exit 3
	;;
esac
exit "$rc"
