#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A guest that hangs mid-run: the harness ends at its deadline, keeps what
# it measured, says why, and leaves nothing running.
. "$(dirname "$0")/lib.sh"
set -u
res=$(mktemp -d)
trap 'pkill -KILL -f "qemu-system.*$res" 2>/dev/null; rm -rf "$res"' EXIT
private_tmp "$res"

"$MHP" run --results "$res" "$ROOT/tests/jobs/hang.job" >"$res/out" 2>"$res/err" &
pid=$!
# Freeze QEMU once a few cycles have been measured.
for _ in $(seq 600); do
	grep -q '\[5/1000\]' "$res/err" 2>/dev/null && break
	sleep 0.1
done
pkill -STOP -f "qemu-system.*$res"
t0=$(date +%s)
wait $pid
rc=$?
took=$(($(date +%s) - t0))
is "$rc" 6 "hung guest: exit 6"
ok $([ "$took" -le 12 ]; echo $?) "hung guest: gave up within the 5 s phase deadline plus slack (${took}s)"
grep -q "not answering" "$res/err"
ok $? "hung guest: the message says the guest is not answering"
grep -q "last 20 lines of the guest console" "$res/err"
ok $? "hung guest: the error shows the guest console"
run=$(ls -d "$res"/*hang* | head -1)
n=$(csvawk 'f("phase") == "remove" && f("metric") == "latency_ns"' "$run/samples.csv" | wc -l)
ok $([ "$n" -ge 4 ]; echo $?) "hung guest: samples from before the freeze are kept ($n removes)"
is "$(json "$run/manifest.json" '$j->{status}')" incomplete "hung guest: manifest says incomplete"
is "$(json "$run/manifest.json" '$j->{exit_code}')" 6 "hung guest: manifest records exit code 6"
is "$(qemu_count "$res")" 0 "no QEMU left running"
is "$(tmp_left)" 0 "no socket directory or temporary file left in TMPDIR"
done_testing
