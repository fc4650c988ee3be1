#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The oom-edge benchmark on a real guest: how much can be hot-added when
# the guest is nearly out of memory, in both memmap modes.
. "$(dirname "$0")/lib.sh"
set -u
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT
private_tmp "$res"

# oom_value CSV MODE TARGET_MIB METRIC: the per-point value (cycle 0)
oom_value() {
	csvawk -v m="$2" -v t="$3" -v k="$4" \
		'f("memmap") == m && f("target_mib") == t && f("phase") == "oom_edge" &&
		 f("metric") == k && f("cycle") == 0 { print f("value") }' "$1"
}

# 1. F = 32M, 128M DIMMs, not onlined, cap 32 (= slots)
"$MHP" run --results "$res/a" "$ROOT/tests/jobs/oom-edge.job" >"$res/a.out" 2>"$res/a.err"
is "$?" 0 "F=32M: run exits 0"
csv="$res/a/latest/samples.csv"
added=$(oom_value "$csv" ram 32 dimms_added)
pred=$(oom_value "$csv" ram 32 predicted_dimms)
echo "# ram: $added DIMMs added, the 2 MiB-per-block memmap model predicts $pred"
# Tolerance 2 DIMMs: besides the 2 MiB memmap each add allocates a few
# hundred KiB more (sysfs objects, page tables), and the memmap needs a
# free order-9 block, which fragmentation can deny a DIMM early; both
# amount to at most about one memmap's worth over 14 adds.
ok $([ -n "$added" ] && [ -n "$pred" ] && [ $((added - pred)) -le 2 ] &&
	[ $((pred - added)) -le 2 ]; echo $?) \
	"ram: reaches the edge after $added DIMMs, within 2 of the model's $pred"
ram_end=$(csvawk 'f("memmap") == "ram" && f("metric") ~ /^ended_by_/ { print f("metric") }' "$csv")
ok $([ "$ram_end" = ended_by_add_failure ] || [ "$ram_end" = ended_by_oom_kill ]; echo $?) \
	"ram: ended at the edge ($ram_end), not at the cap or by death"
is "$(oom_value "$csv" self 32 dimms_added)" 32 "self: adds DIMMs up to the cap (32)"
is "$(oom_value "$csv" self 32 ended_by_cap)" 1 "self: ended by the cap"
start=$(oom_value "$csv" self 32 start_memfree_kib)
low=$(oom_value "$csv" self 32 min_memfree_kib)
# Tolerance 2048 KiB, one ram-mode memmap: what self mode allocates per
# DIMM is its sysfs and page-table objects (about 15 KiB; 480 KiB seen
# for 32 DIMMs), so 32 DIMMs must cost less than ram mode's single one.
ok $([ -n "$start" ] && [ -n "$low" ] && [ $((start - low)) -le 2048 ]; echo $?) \
	"self: MemFree nearly unchanged over 32 DIMMs ($start -> $low KiB)"
grep -q "OOM edge" "$res/a.out" && grep -q "^32M " "$res/a.out"
ok $? "the summary table has a row for F = 32M"
man="$res/a/latest/manifest.json"
is "$(json "$man" '$j->{status}')" complete "manifest: complete"
is "$(json "$man" 'scalar @{$j->{oom_edge}}')" 2 "manifest: one event per point"

# 2. F above the guest's free memory: skipped, clearly; F = 1M: OOM kill
"$MHP" run --results "$res/b" "$ROOT/tests/jobs/oom-kill.job" >"$res/b.out" 2>"$res/b.err"
is "$?" 0 "unreachable targets: the run completes"
grep -q "oom-edge F=500M skipped: .*MemFree is [0-9]* KiB, already at or below the target" "$res/b.err"
ok $? "F above the guest's free memory: a clear message ($(grep -m1 skipped "$res/b.err"))"
csv="$res/b/latest/samples.csv"
is "$(oom_value "$csv" ram 500 ended_by_skipped)" 1 "F=500M: recorded as skipped"
is "$(oom_value "$csv" ram 1 ended_by_oom_kill)" 1 "F=1M: the OOM killer ended the point"
man="$res/b/latest/manifest.json"
is "$(json "$man" '$j->{oom_edge}[1]{victims}[0]{comm}')" mhp-hog "F=1M: the victim (mhp-hog) is recorded"
is "$(json "$man" '$j->{status}')" complete "OOM kill: the run is complete"

# 3. The guest panics at the OOM: a result, the run goes on and completes
"$MHP" run --results "$res/c" "$ROOT/tests/jobs/oom-panic.job" >"$res/c.out" 2>"$res/c.err"
is "$?" 0 "guest panic: the run completes"
man="$res/c/latest/manifest.json"
is "$(json "$man" '$j->{oom_edge}[0]{ended_by}')" guest_death "guest panic: ended by guest death"
grep -q "Kernel panic" <<<"$(json "$man" '$j->{oom_edge}[0]{panic}')"
ok $? "guest panic: the panic line is recorded"
is "$(json "$man" '$j->{status}')" complete "guest panic: the run is complete"

# 4. Bad targets in the job: file:line, exit 2
printf '[job]\nbenchmark = oom-edge\noom_targets = 32M,0\n' >"$res/zero.job"
"$MHP" run --parse-only "$res/zero.job" >/dev/null 2>"$res/e1"
is "$?" 2 "F = 0: exit 2"
grep -q "zero.job:3: oom_targets: 0 is out of range" "$res/e1"
ok $? "F = 0: file:line and what is wrong ($(cat "$res/e1"))"
printf '[job]\nbenchmark = oom-edge\nboot_mem = 512M\noom_targets = 1G\n' >"$res/big.job"
"$MHP" run --parse-only "$res/big.job" >/dev/null 2>"$res/e2"
is "$?" 2 "F >= boot_mem: exit 2"
grep -q "big.job:4: oom_targets: 1G is not below boot_mem" "$res/e2"
ok $? "F >= boot_mem: file:line and why ($(cat "$res/e2"))"

is "$(qemu_count "$res")" 0 "no QEMU left running"
is "$(tmp_left)" 0 "no socket directory or temporary file left in TMPDIR"
done_testing
