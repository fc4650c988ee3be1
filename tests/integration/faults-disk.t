#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The results directory is read-only, or fills up mid-run (small tmpfs
# mounts; needs root). Exit code 8 and a message with the path and the
# system's words; no partial row left in samples.csv; the manifest says
# incomplete with the reason (room for it is held back from the start);
# nothing left running or in TMPDIR.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/faults-lib.sh"
set -u
res=$(mktemp -d)
mnt="$res/mnt"
mkdir -p "$mnt"
trap 'pkill -KILL -f "qemu-system.*$res" 2>/dev/null; umount "$mnt" 2>/dev/null; rm -rf "$res"' EXIT
private_tmp "$res"

if [ "$(id -u)" != 0 ] || ! mount -t tmpfs -o ro,size=1m tmpfs "$mnt" 2>/dev/null; then
	skip_all "needs root to mount small tmpfs file systems"
fi

# 1. Read-only: mounted so from the start.
"$MHP" run --results "$mnt/results" "$ROOT/tests/jobs/fault-long.job" >/dev/null 2>"$res/err1"
is "$?" 8 "read-only results: exit 8"
grep -q "error: cannot create a run directory under $mnt/results: Read-only file system" "$res/err1"
ok $? "read-only results: the path and why ($(grep -m1 error: "$res/err1"))"
is "$(qemu_count "$res")" 0 "read-only results: refused before QEMU starts"
umount "$mnt"

# 2. Read-only by remount: the run directory root exists, cannot be written.
mount -t tmpfs -o size=1m tmpfs "$mnt"
mkdir "$mnt/results"
mount -o remount,ro "$mnt"
"$MHP" run --results "$mnt/results" "$ROOT/tests/jobs/fault-long.job" >/dev/null 2>"$res/err2"
is "$?" 8 "remounted read-only: exit 8"
grep -q "$mnt/results: Read-only file system" "$res/err2"
ok $? "remounted read-only: the path and why"
umount "$mnt"

# 3. Full mid-run: the test fills the file system while cycles run.
mount -t tmpfs -o size=4m tmpfs "$mnt"
"$MHP" run --results "$mnt" "$ROOT/tests/jobs/fault-long.job" >"$res/out3" 2>"$res/err3" &
pid=$!
wait_for "$res/err3" '\[3/' 300
run=$(run_dir "$mnt")
n0=$(rows "$run/samples.csv")
dd if=/dev/zero of="$mnt/fill" bs=4k 2>/dev/null
t0=$(now)
wait $pid
rc=$?
is "$rc" 8 "full file system: exit 8"
ok $(elapsed_le "$t0" 30; echo $?) "full file system: stopped at once ($(elapsed "$t0") s)"
grep -q "error: writing $run/samples.csv: No space left on device" "$res/err3"
ok $? "full file system: the path and why ($(grep -m1 error: "$res/err3" | cut -c1-150))"
csv_clean "$run/samples.csv"
ok $? "full file system: samples.csv ends at its last complete row"
n=$(rows "$run/samples.csv")
ok $([ "$n" -ge "$n0" ]; echo $?) "full file system: every sample written before is kept ($n >= $n0)"
"$MHP" report "$run" >/dev/null 2>&1
is "$?" 0 "full file system: the run directory still loads (report)"
is "$(json "$run/manifest.json" '$j->{status}')" incomplete "full file system: manifest says incomplete"
is "$(json "$run/manifest.json" '$j->{exit_code}')" 8 "full file system: manifest has exit code 8"
grep -q "No space left on device" <<<"$(json "$run/manifest.json" '$j->{reason}')"
ok $? "full file system: manifest gives the reason"
ok $([ ! -e "$run/.space-reserve" ]; echo $?) "full file system: the space reserve was used and removed"
umount "$mnt"

is "$(qemu_count "$res")" 0 "no QEMU left running"
is "$(tmp_left)" 0 "no socket directory or temporary file left in TMPDIR"
done_testing
