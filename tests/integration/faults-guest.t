#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The guest dies or hangs mid-run: a guest kernel panic (sysrq c through
# the agent), a machine reset the kernel does not see (port 0xcf9), an
# agent that stops answering with on_hang = next-boot, and QEMU killed
# with SIGKILL. Each ends with exit code 6 and a message that
# names the cause; the samples taken before are kept in a clean CSV; the
# manifest says incomplete with the reason; nothing is left running or in
# TMPDIR. tests/kvm/faults.t runs this again under KVM, with copies of
# the jobs (FAULT_JOBS), the accel they must use (FAULT_ACCEL) and a
# longer wait for the cycle that gets the fault (FAULT_WAIT seconds).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/faults-lib.sh"
set -u
JOBS=${FAULT_JOBS:-$ROOT/tests/jobs}
ACCEL=${FAULT_ACCEL:-tcg}
WAIT=${FAULT_WAIT:-300}
res=$(mktemp -d)
trap 'pkill -KILL -f "qemu-system.*$res" 2>/dev/null; rm -rf "$res"' EXIT
private_tmp "$res"

remove_rows() { # remove_rows CSV BOOT: measured cycles of BOOT that ended
	csvawk -v b="$2" 'f("phase") == "remove" && f("view") == "host" &&
		f("metric") == "latency_ns" && f("boot") == b' "$1" | wc -l
}

# 1. Guest kernel panic after the online phase of cycle 2.
"$MHP" run --results "$res/crash" "$JOBS/fault-crash.job" >"$res/out1" 2>"$res/err1" &
pid=$!
wait_for "$res/err1" "injecting crash-kernel" "$WAIT"
t0=$(now)
wait $pid
rc=$?
is "$rc" 6 "kernel panic: exit 6"
ok $(elapsed_le "$t0" 10; echo $?) "kernel panic: seen at once, not at the 20 s phase deadline ($(elapsed "$t0") s)"
grep -q "QEMU died: exited with status 0; the guest kernel panicked: Kernel panic - not syncing: sysrq triggered crash" "$res/err1"
ok $? "kernel panic: the message says QEMU died and quotes the panic ($(grep -m1 'error:' "$res/err1" | cut -c1-160))"
grep -q "last 20 lines of the guest console" "$res/err1"
ok $? "kernel panic: the console tail is shown"
run=$(run_dir "$res/crash")
csv_clean "$run/samples.csv"
ok $? "kernel panic: samples.csv has no partial row"
is "$(remove_rows "$run/samples.csv" 0)" 2 "kernel panic: the two cycles before it are kept"
is "$(json "$run/manifest.json" '$j->{status}')" incomplete "kernel panic: manifest says incomplete"
is "$(json "$run/manifest.json" '$j->{exit_code}')" 6 "kernel panic: manifest has exit code 6"
grep -q "sysrq triggered crash" <<<"$(json "$run/manifest.json" '$j->{reason}')"
ok $? "kernel panic: manifest gives the reason"
is "$(json "$run/manifest.json" '$j->{injected}{fault_fired}{cycle}')" 2 "kernel panic: manifest flags the injected fault and where"
is "$(json "$run/manifest.json" '$j->{accel}{used}')" "$ACCEL" "kernel panic: the guest ran under $ACCEL"
grep -q "without a word" "$res/err1"
is "$?" 1 "kernel panic: not taken for a silent reset"
is "$(qemu_count "$res")" 0 "kernel panic: no QEMU left"

# 1b. The machine resets under the kernel after cycle 1's online, which
# the kernel never hears of (as in a triple fault).
"$MHP" run --results "$res/reset" "$JOBS/fault-reset.job" >"$res/out4" 2>"$res/err4" &
pid=$!
wait_for "$res/err4" "injecting reset-guest" "$WAIT"
t0=$(now)
wait $pid
is "$?" 6 "silent reset: exit 6"
ok $(elapsed_le "$t0" 10; echo $?) "silent reset: seen at once, not at the 20 s phase deadline ($(elapsed "$t0") s)"
grep -q "QEMU died: exited with status 0; the guest reset without a word from its kernel (QMP SHUTDOWN, reason guest-reset; no panic, reboot or sysrq line on the console), as a triple fault does" "$res/err4"
ok $? "silent reset: the message says the guest reset without a word ($(grep -m1 'error:' "$res/err4" | cut -c1-100)...)"
run=$(run_dir "$res/reset")
is "$(remove_rows "$run/samples.csv" 0)" 1 "silent reset: the cycle before it is kept"
grep -q "guest-reset" <<<"$(json "$run/manifest.json" '$j->{reason}')"
ok $? "silent reset: manifest gives the reason"
is "$(qemu_count "$res")" 0 "silent reset: no QEMU left"

# 2. The agent stops answering in cycle 1 of boot 0; on_hang = next-boot.
"$MHP" run --results "$res/hang" "$JOBS/fault-hang.job" >"$res/out2" 2>"$res/err2"
is "$?" 6 "hung agent, on_hang = next-boot: exit 6"
grep -q "warning: boot 0 ended early: .*no reply by the deadline; QEMU is running, the guest is not answering; on_hang = next-boot: going on with the next boot" "$res/err2"
ok $? "hung agent: a warning names the boot, the cause and that the run goes on"
grep -q "boot 1: guest up" "$res/err2"
ok $? "hung agent: the run went on with boot 1"
grep -q "error: 1 boot ended early with a hung or dead guest (on_hang = next-boot" "$res/err2"
ok $? "hung agent: the final error says a boot was lost ($(grep -m1 'error:' "$res/err2" | cut -c1-120))"
run=$(run_dir "$res/hang")
csv_clean "$run/samples.csv"
ok $? "hung agent: samples.csv has no partial row"
is "$(remove_rows "$run/samples.csv" 0)" 1 "hung agent: boot 0's cycle before the hang is kept"
is "$(remove_rows "$run/samples.csv" 1)" 2 "hung agent: boot 1 ran both its cycles"
man="$run/manifest.json"
is "$(json "$man" '$j->{status}')" incomplete "hung agent: manifest says incomplete"
is "$(json "$man" '$j->{exit_code}')" 6 "hung agent: manifest has exit code 6"
is "$(json "$man" 'scalar @{$j->{failures}}')" 1 "hung agent: one failure in the manifest"
is "$(json "$man" '$j->{failures}[0]{boot}')" 0 "hung agent: the failure names boot 0"
grep -q "not answering" <<<"$(json "$man" '$j->{failures}[0]{reason}')"
ok $? "hung agent: the failure has the reason"
# What the vCPUs were doing: read over QMP before QEMU was killed. The
# agent hung, the kernel did not: the vCPUs idle in the kernel (halted,
# unless a read caught one on its way to or from the halt). An address is
# a symbol where mhpbench has the kernel's (under KVM in the lab host,
# which runs the guest's build: its /proc/kallsyms), else _text+OFF.
reason=$(json "$man" '$j->{failures}[0]{reason}')
sym='(_text\+0x[0-9a-f]+|[A-Za-z0-9_.]+\+0x[0-9a-f]+/0x[0-9a-f]+)'
vcpu="(halted in|stuck at|running:( $sym,)*) $sym"
grep -Eq "^vCPUs \(registers and stacks in .*/vcpus-0.log\): vCPU 0: $vcpu; vCPU 1: $vcpu\$" <<<"$reason"
ok $? "hung agent: the reason has a line per vCPU ($(grep -m1 '^vCPUs' <<<"$reason" | cut -d: -f2-))"
grep -q "^guest kernel .*, _text at 0xffffffff[0-9a-f]*$" "$run/vcpus-0.log"
ok $? "hung agent: vcpus-0.log knows where the guest's _text is"
n=$(grep -c '^RIP=ffffffff[0-9a-f]* RFL=.* CPL=0 .*HLT=1' "$run/vcpus-0.log")
ok $([ "$n" -ge 4 ]; echo $?) "hung agent: vcpus-0.log has 3 reads of both vCPUs' registers, in the kernel, halted in $n of 6"
n=$(S="^    \\[rsp\\+0x[0-9a-f]+\\] $sym\$" awk '/^vCPU 0:/ { f = 1; next } /^vCPU/ { f = 0 } f && $0 ~ ENVIRON["S"]' "$run/vcpus-0.log" | wc -l)
ok $([ "$n" -ge 2 ]; echo $?) "hung agent: vCPU 0's stack holds return addresses into kernel text ($n)"
is "$(ls "$run" | grep -c -e stack -e '^vcpus-1')" 0 "hung agent: no vcpus-1.log (boot 1 did not hang), no stack file left"
is "$(json "$man" 'scalar @{$j->{boots}}')" 2 "hung agent: both boots are in the manifest"
is "$(json "$man" 'join " ", map { $_->{accel} } @{$j->{boots}}')" "$ACCEL $ACCEL" "hung agent: both boots under $ACCEL"
is "$(qemu_count "$res")" 0 "hung agent: no QEMU left"

# 3. QEMU killed with SIGKILL mid-run.
"$MHP" run --results "$res/kill" "$JOBS/fault-long.job" >"$res/out3" 2>"$res/err3" &
pid=$!
wait_for "$res/err3" '\[4/' "$WAIT"
run=$(run_dir "$res/kill")
n0=$(rows "$run/samples.csv")
pkill -KILL -f "qemu-system.*$res/kill"
t0=$(now)
wait $pid
rc=$?
is "$rc" 6 "QEMU killed: exit 6"
ok $(elapsed_le "$t0" 10; echo $?) "QEMU killed: seen at once ($(elapsed "$t0") s)"
grep -q "QEMU died: killed by signal 9" "$res/err3"
ok $? "QEMU killed: the message says so ($(grep -m1 'error:' "$res/err3" | cut -c1-140))"
grep -q "last 20 lines of the guest console" "$res/err3"
ok $? "QEMU killed: the console tail is shown"
csv_clean "$run/samples.csv"
ok $? "QEMU killed: samples.csv has no partial row"
n=$(rows "$run/samples.csv")
ok $([ "$n" -ge "$n0" ]; echo $?) "QEMU killed: every sample taken before is kept ($n >= $n0)"
is "$(json "$run/manifest.json" '$j->{status}')" incomplete "QEMU killed: manifest says incomplete"
grep -q "killed by signal 9" <<<"$(json "$run/manifest.json" '$j->{reason}')"
ok $? "QEMU killed: manifest gives the reason"
is "$(json "$run/manifest.json" '$j->{accel}{used}')" "$ACCEL" "QEMU killed: the guest ran under $ACCEL"

is "$(qemu_count "$res")" 0 "no QEMU left running"
is "$(tmp_left)" 0 "no socket directory or temporary file left in TMPDIR"
done_testing
