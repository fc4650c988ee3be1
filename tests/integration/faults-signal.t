#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# mhpbench interrupted mid-run. A first SIGINT (or SIGTERM) stops cleanly:
# the guest is powered off, the results are flushed, the manifest says
# incomplete with the signal, exit 7. A second one while that happens
# stops at once: QEMU killed, its socket directory removed, still exit 7.
# And mhpbench killed outright takes QEMU with it (PDEATHSIG). Also: the
# sockets live in a private 0700 directory.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/faults-lib.sh"
set -u
res=$(mktemp -d)
trap 'pkill -KILL -f "qemu-system.*$res" 2>/dev/null; rm -rf "$res"' EXIT
private_tmp "$res"

# 1. SIGINT: a clean stop.
"$MHP" run --results "$res/int" "$ROOT/tests/jobs/fault-long.job" >"$res/out1" 2>"$res/err1" &
pid=$!
wait_for "$res/err1" '\[3/' 300
sockdir=$(ls -d "$TMPDIR"/mhpbench.* 2>/dev/null | head -1)
is "$(stat -c %a "$sockdir" 2>/dev/null)" 700 "the socket directory is private (0700)"
is "$(stat -c %a "$sockdir/qmp.sock" "$sockdir/agent.sock" 2>/dev/null | wc -l)" 2 "both sockets are in it"
run=$(run_dir "$res/int")
n0=$(rows "$run/samples.csv")
kill -INT $pid
t0=$(now)
wait $pid
rc=$?
is "$rc" 7 "SIGINT: exit 7"
ok $(elapsed_le "$t0" 20; echo $?) "SIGINT: stopped within the 15 s power-off deadline ($(elapsed "$t0") s)"
grep -q "SIGINT: stopping cleanly" "$res/err1"
ok $? "SIGINT: says it is stopping cleanly"
grep -q "error: interrupted by SIGINT" "$res/err1"
ok $? "SIGINT: the error names the signal ($(grep -m1 'error:' "$res/err1"))"
grep -q '"op":"poweroff"' "$run/agent-0.log" && grep -q "reboot: Power down" "$run/console-0.log"
ok $? "SIGINT: the guest was powered off"
csv_clean "$run/samples.csv"
ok $? "SIGINT: samples.csv has no partial row"
n=$(rows "$run/samples.csv")
ok $([ "$n" -ge "$n0" ]; echo $?) "SIGINT: every sample taken before is kept ($n >= $n0)"
ok $([ -s "$run/summary.json" ]; echo $?) "SIGINT: the summary was written"
is "$(json "$run/manifest.json" '$j->{status}')" incomplete "SIGINT: manifest says incomplete"
is "$(json "$run/manifest.json" '$j->{exit_code}')" 7 "SIGINT: manifest has exit code 7"
grep -q "SIGINT" <<<"$(json "$run/manifest.json" '$j->{reason}')"
ok $? "SIGINT: manifest names the signal"
is "$(qemu_count "$res/int")" 0 "SIGINT: no QEMU left"
is "$(tmp_left)" 0 "SIGINT: nothing left in TMPDIR"

# 2. SIGTERM, then SIGINT while the guest (frozen here, so the power-off
# would wait for its deadline) is being shut down: out at once.
"$MHP" run --results "$res/twice" "$ROOT/tests/jobs/fault-long.job" >"$res/out2" 2>"$res/err2" &
pid=$!
wait_for "$res/err2" '\[3/' 300
run=$(run_dir "$res/twice")
pkill -STOP -f "qemu-system.*$res/twice"
kill -TERM $pid
wait_for "$res/err2" "SIGTERM: stopping cleanly" 10
# The manifest must say incomplete before the (frozen, so slow) power-off
# begins; wait for that rather than a fixed time, which a loaded machine
# can overrun. The power-off's own deadline is 15 s, so the second signal
# still lands during it.
for _ in $(seq 100); do
	[ "$(json "$run/manifest.json" '$j->{status}' 2>/dev/null)" = incomplete ] && break
	sleep 0.1
done
kill -INT $pid
t0=$(now)
wait $pid
rc=$?
is "$rc" 7 "second signal: exit 7"
ok $(elapsed_le "$t0" 3; echo $?) "second signal: out at once ($(elapsed "$t0") s)"
grep -q "SIGINT again: QEMU killed, stopping at once" "$res/err2"
ok $? "second signal: says so"
sleep 0.5
is "$(qemu_count "$res/twice")" 0 "second signal: no QEMU left"
is "$(tmp_left)" 0 "second signal: its socket directory was removed"
ok $([ ! -e "$run/.space-reserve" ]; echo $?) "second signal: the run's space reserve was removed"
csv_clean "$run/samples.csv"
ok $? "second signal: samples.csv has no partial row"
is "$(json "$run/manifest.json" '$j->{status}')" incomplete "second signal: manifest already said incomplete"
grep -q "SIGTERM" <<<"$(json "$run/manifest.json" '$j->{reason}')"
ok $? "second signal: with the first signal as the reason"

# 3. mhpbench killed outright: QEMU goes too (parent-death signal), in its
# own process group.
"$MHP" run --results "$res/kill" "$ROOT/tests/jobs/fault-long.job" >"$res/out3" 2>"$res/err3" &
pid=$!
wait_for "$res/err3" '\[2/' 300
qpid=$(pgrep -f "qemu-system.*$res/kill" | head -1)
is "$(ps -o pgid= -p "$qpid" | tr -d ' ')" "$qpid" "QEMU leads its own process group"
disown $pid # no "Killed" line from bash
kill -KILL $pid
while kill -0 $pid 2>/dev/null; do sleep 0.1; done
for _ in $(seq 50); do
	[ "$(qemu_count "$res/kill")" = 0 ] && break
	sleep 0.1
done
is "$(qemu_count "$res/kill")" 0 "mhpbench killed: QEMU died with it"
csv_clean "$(run_dir "$res/kill")/samples.csv"
ok $? "mhpbench killed: samples.csv has no partial row"
# SIGKILL leaves no chance to clean up: the socket directory stays.
rm -rf "$TMPDIR"/mhpbench.*

is "$(qemu_count "$res")" 0 "no QEMU left running"
is "$(tmp_left)" 0 "no socket directory or temporary file left in TMPDIR"
done_testing
