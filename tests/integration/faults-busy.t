#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Offline refused with EBUSY (tests/jobs/fault-busy.job): cycle 1's block
# is onlined to ZONE_NORMAL and unmovable pipe buffers are pinned in it.
# The kernel must really refuse (EBUSY, its own words on the console), the
# retries are bounded and each refusal is an errno sample, the guest
# refuses the DIMM's eject too (ACPI _OST), and after the pin is released
# the DIMM is offlined and removed and the run goes on: the failed cycle
# is a recorded event, the run is complete, and the exit code is 1.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/faults-lib.sh"
set -u
res=$(mktemp -d)
trap 'pkill -KILL -f "qemu-system.*$res" 2>/dev/null; rm -rf "$res"' EXIT
private_tmp "$res"

"$MHP" run --results "$res/r" "$ROOT/tests/jobs/fault-busy.job" >"$res/out" 2>"$res/err"
is "$?" 1 "refused offline: exit 1"
grep -q "warning: boot 0 cycle 1 (128M ram): offline memory[0-9]*: agent offline: Device or resource busy (EBUSY, 3 tries); the DIMM was removed, the run goes on" "$res/err"
ok $? "refused offline: a warning names the cycle, the errno and the tries"
grep -q "error: 1 cycle failed, the run went on" "$res/err"
ok $? "refused offline: the final error says a cycle failed ($(grep -m1 'error:' "$res/err" | cut -c1-100))"
run=$(run_dir "$res/r")
csv="$run/samples.csv"
csv_clean "$csv"
ok $? "samples.csv has no partial row"
errnos=$(csvawk 'f("phase") == "offline" && f("metric") == "errno" && f("cycle") == 1 { print f("value") }' "$csv")
is "$(echo $errnos)" "16 16 16" "an errno 16 (EBUSY) sample for each of the 3 tries"
is "$(csvawk 'f("phase") == "offline" && f("metric") == "latency_ns" &&
	f("cycle") == 1' "$csv" | wc -l)" 0 "no offline latency for the failed cycle"
for cy in 0 2; do
	is "$(csvawk -v c=$cy 'f("phase") == "remove" && f("view") == "host" &&
		f("metric") == "latency_ns" && f("cycle") == c' "$csv" | wc -l)" 1 \
		"cycle $cy ran to the end"
done
is "$(csvawk 'f("metric") == "memtotal_residual_kib" && f("cycle") == 2 { print f("value") }' "$csv")" 0 \
	"after the failed cycle the guest is back to its baseline (cycle 2 leaves MemTotal as before)"

# What the kernel said: EBUSY because of an unmovable page.
con="$run/console-0.log"
grep -q "memory offlining \[mem 0x[0-9a-f]*-0x[0-9a-f]*\] failed due to failure to isolate range" "$con" &&
	grep -q "page dumped because: unmovable page" "$con"
ok $? "the guest kernel says why on the console: an unmovable page, the range could not be isolated"

man="$run/manifest.json"
is "$(json "$man" '$j->{status}')" complete "manifest: the run is complete"
is "$(json "$man" '$j->{exit_code}')" 1 "manifest: exit code 1"
is "$(json "$man" 'scalar @{$j->{failed_cycles}}')" 1 "manifest: one failed cycle"
is "$(json "$man" '$j->{failed_cycles}[0]{cycle}')" 1 "manifest: it is cycle 1"
is "$(json "$man" '$j->{failed_cycles}[0]{errno}')" 16 "manifest: errno 16"
is "$(json "$man" '$j->{failed_cycles}[0]{tries}')" 3 "manifest: 3 tries (offline_retries = 2)"
grep -q "guest refused to eject dimm1: _OST status 0x82" <<<"$(json "$man" '$j->{failed_cycles}[0]{eject}')"
ok $? "manifest: the guest refused the eject too (_OST 0x82, device busy)"
is "$(json "$man" '$j->{failed_cycles}[0]{cleaned_up} ? 1 : 0')" 1 "manifest: the DIMM was cleaned up"
grep -q "failed due to failure to isolate range" <<<"$(json "$man" '$j->{failed_cycles}[0]{kernel_log}')"
ok $? "manifest: the kernel's lines are kept with the failure"
pinned=$(json "$man" '$j->{injected}{fault_fired}{pinned_kib}')
ok $([ "$pinned" -gt 131072 ] 2>/dev/null; echo $?) "manifest: the injected pin is flagged ($pinned KiB)"
grep -q '"event":"DEVICE_DELETED","data":{"device":"dimm1"' "$run/qmp-0.log" ||
	grep -q '"DEVICE_DELETED".*"dimm1"' "$run/qmp-0.log"
ok $? "QEMU deleted the failed cycle's DIMM after the cleanup"

is "$(qemu_count "$res")" 0 "no QEMU left running"
is "$(tmp_left)" 0 "no socket directory or temporary file left in TMPDIR"
done_testing
