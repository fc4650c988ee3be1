#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Offline with pages to migrate (README, "Offline with pages to migrate"):
# a real guest fills half of each 128M block with movable pages before its
# offline; asserts that the pages sat in the block (their PFNs, and what
# /proc/vmstat says the offline migrated), that the summary and compare
# keep the fills apart, and that a fill over 100% is refused at its line.
. "$(dirname "$0")/lib.sh"
set -u
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT
private_tmp "$res"

# A bad share is the job's error, with its line, before anything boots.
printf '[job]\nsizes = 128M\noffline_fill = 0, 150%%\n' >"$res/bad.job"
"$MHP" run --parse-only "$res/bad.job" >/dev/null 2>"$res/bad.err"
is "$?" 2 "offline_fill = 150%: exit 2"
grep -q "bad.job:3: offline_fill: 150% is out of range 0..100" "$res/bad.err"
ok $? "and the message names file:line ($(head -1 "$res/bad.err"))"

"$MHP" run --results "$res" "$ROOT/tests/jobs/offline-fill.job" >"$res/out" 2>"$res/err"
rc=$?
is "$rc" 0 "run exits 0"
[ $rc -eq 0 ] || { tail -30 "$res/err" | diag; }
csv="$res/latest/samples.csv"
head -1 "$csv" | grep -q ',kernel_release,offline_fill_pct,zone_present_mib,source$'
ok $? "samples.csv ends with the offline_fill_pct, zone_present_mib and source columns"

# One value of the measured cycle of MODE at FILL: METRIC (offline, guest).
val() { # val MODE FILL METRIC
	csvawk -v m="$1" -v p="$2" -v k="$3" \
		'f("memmap") == m && f("offline_fill_pct") == p &&
		 f("phase") == "offline" && f("view") == "guest" &&
		 f("metric") == k && f("warmup") == 0 { print f("value") }' "$csv"
}

block_pages=32768
for m in ram self; do
	fill=$(val $m 50 fill_pages)
	mig=$(val $m 50 migrated_pages)
	is "$fill" 16384 "$m 50%: the fill held 16384 of the block's 32768 pages (from their PFNs)"
	ok $([ "${mig:-0}" -ge $((block_pages * 40 / 100)) ]; echo $?) \
		"$m 50%: the offline migrated at least 40% of the block's pages ($mig)"
	ok $([ "${mig:-0}" -ge "${fill:-1}" ] && [ "${mig:-0}" -le $((${fill:-0} + 1024)) ]; echo $?) \
		"$m 50%: migrated pages = the fill, give or take 1024 other pages ($mig against $fill)"
	is "$(val $m 50 migrate_failed_pages)" 0 "$m 50%: no failed migration"
	rate=$(val $m 50 migrated_pages_per_ms)
	ok $(awk -v r="${rate:-0}" 'BEGIN { exit !(r > 0) }'; echo $?) \
		"$m 50%: migrated pages per ms written ($rate)"
	is "$(val $m 0 fill_pages)" 0 "$m 0%: no fill"
	mig0=$(val $m 0 migrated_pages)
	ok $([ "${mig0:-99999}" -lt 1024 ]; echo $?) "$m 0%: next to nothing migrated ($mig0)"
	l0=$(val $m 0 latency_ns)
	l50=$(val $m 50 latency_ns)
	ok $(awk -v a="${l0:-0}" -v b="${l50:-0}" 'BEGIN { exit !(a > 0 && b > a) }'; echo $?) \
		"$m: the offline with 64 MiB to migrate took longer than with none ($l50 ns against $l0 ns)"
done
# The fill is outside the timed window and ended before the remove: the
# DIMM goes and MemTotal comes back.
n=$(csvawk 'f("metric") == "memtotal_residual_kib" && f("value") != 0' "$csv" | wc -l)
is "$n" 0 "MemTotal back to the baseline after every remove"

grep -q "Latency per phase, .*offline fill 50%" "$res/out"
ok $? "the summary has a latency table per fill"
grep -q "Offline with pages to migrate" "$res/out"
ok $? "and the table of the fills"
"$MHP" compare --format csv "$res/latest" >"$res/cmp.csv" 2>"$res/cmp.err"
is "$?" 0 "compare exits 0"
n=$(csvawk 'f("phase") == "offline" && f("view") == "guest" && f("metric") == "latency_ns"' "$res/cmp.csv" | wc -l)
is "$n" 2 "compare: one offline latency row per fill, none pooled"
is "$(qemu_count "$res")" 0 "no QEMU left running"
is "$(tmp_left)" 0 "no socket directory or temporary file left in TMPDIR"
done_testing
