#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Cost against the size of the zone (README, "Cost against the size of the
# zone"): a real guest with 0 and 2G already in ZONE_MOVABLE; asserts that
# the 2G boots plugged and onlined their zone DIMM before the cycles, that
# the block size held at 128M, that every sample carries its boot's size,
# that the summary, compare and plot keep the sizes apart, and that bad
# sizes are refused at their line with exit 2.
. "$(dirname "$0")/lib.sh"
set -u
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT
private_tmp "$res"

# Bad values are the job's error, with file:line, before anything boots.
bad() { # bad WANT-LINE WANT-TEXT JOB-TEXT
	printf '%b' "$3" >"$res/bad.job"
	"$MHP" run --parse-only "$res/bad.job" >/dev/null 2>"$res/bad.err"
	is "$?" 2 "refused with exit 2: $2"
	grep -q "bad.job:$1: .*$2" "$res/bad.err"
	ok $? "at line $1 ($(head -1 "$res/bad.err"))"
}
bad 3 "zone_present: 100M is not a multiple of 128M" \
	'[job]\nsizes = 128M\nzone_present = 0, 100M\n'
bad 2 "zone_present: the memmap of 64G (1/64) comes from boot memory" \
	'[job]\nzone_present = 64G\n'
bad 3 "zone_present: 4G does not fit maxmem 4G" \
	'[job]\nmaxmem = 4G\nzone_present = 4G\n'
# 1T with 60G of boot_mem would touch about 79G (1/64 of 1085G, boot_mem
# and 512M): more than this machine has, unless it is a big host.
if [ "$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)" -lt $((79 * 1024 * 1024)) ]; then
	bad 3 "zone_present: 1T does not fit the host's memory" \
		'[job]\nboot_mem = 60G\nzone_present = 1T\n'
else
	skip "MemAvailable holds a 1T zone's memmap: no refusal to see" \
		"1T refused for the host" "at its line"
fi

"$MHP" run --results "$res" "$ROOT/tests/jobs/zone-size.job" >"$res/out" 2>"$res/err"
rc=$?
is "$rc" 0 "run exits 0"
[ $rc -eq 0 ] || { tail -30 "$res/err" | diag; }
csv="$res/latest/samples.csv"
man="$res/latest/manifest.json"
head -1 "$csv" | grep -q ',offline_fill_pct,zone_present_mib,source$'
ok $? "samples.csv has the zone_present_mib column before source"

# Each boot: its size, 128M blocks, and for 2G its onlined zone DIMM.
is "$(json "$man" 'scalar @{$j->{boots}}')" 4 "4 boots: 2 sizes x 2 modes"
is "$(json "$man" 'join ",", sort map { $_->{zone_present_mib} } @{$j->{boots}}')" \
	"0,0,2048,2048" "the boots' sizes"
is "$(json "$man" 'join ",", map { $_->{block_size_bytes} } @{$j->{boots}}')" \
	"134217728,134217728,134217728,134217728" "every boot has 128M blocks"
for i in 0 1 2 3; do
	z=$(json "$man" "\$j->{boots}[$i]{zone_present_mib}")
	d=$(json "$man" "\$j->{boots}[$i]{zone_dimm}")
	if [ "$z" = 2048 ]; then
		is "$(json "$man" "\$j->{boots}[$i]{zone_dimm}{blocks}")" 16 \
			"boot $i: the zone DIMM's 16 blocks came"
		is "$(json "$man" "\$j->{boots}[$i]{zone_dimm}{zones}")" Movable \
			"boot $i: onlined to ZONE_MOVABLE"
		is "$(json "$man" "\$j->{boots}[$i]{zone_dimm}{mem_total_grew_kib}")" \
			2097152 "boot $i: MemTotal grew by the 2G"
	else
		is "$d" null "boot $i: no zone DIMM at size 0"
	fi
done
# Every sample has its boot's size: the boot order pairs them.
n=$(csvawk 'f("zone_present_mib") != 0 && f("zone_present_mib") != 2048' "$csv" | wc -l)
is "$n" 0 "every sample carries a size of the job"
for b in 0 1 2 3; do
	z=$(json "$man" "\$j->{boots}[$b]{zone_present_mib}")
	n=$(csvawk -v b=$b -v z="$z" 'f("boot") == b && f("zone_present_mib") != z' "$csv" | wc -l)
	is "$n" 0 "boot $b: all its samples say $z"
done
# The measured block joined the zone beside the DIMM: still one block of
# 128M, self-hosted in self mode at both sizes.
for z in 0 2048; do
	v=$(csvawk -v z=$z 'f("memmap") == "self" && f("zone_present_mib") == z &&
		f("metric") == "self_hosted" && f("warmup") == 0 { print f("value") }' "$csv")
	is "$v" 1 "self mode, zone $z MiB: the measured block self-hosted"
done

grep -q "Latency per phase, .*128M blocks, 0 already in the zone" "$res/out"
ok $? "a latency table at size 0"
grep -q "Latency per phase, .*128M blocks, 2G already in the zone" "$res/out"
ok $? "and one at 2G"
grep -q "^Cost against the size of the zone" "$res/out"
ok $? "the zone-size table"
# one boot a mode and size: no slope, and the summary says why
grep -q "no slope: needs 3 boots and 2 zone sizes at least" "$res/out"
ok $? "no slope from 2 boots, with the reason"
"$MHP" compare --format csv "$res/latest" >"$res/cmp.csv" 2>"$res/cmp.err"
is "$?" 0 "compare exits 0"
n=$(csvawk 'f("phase") == "online" && f("view") == "guest" && f("metric") == "latency_ns"' "$res/cmp.csv" | wc -l)
is "$n" 2 "compare: one online row per size, none pooled"
is "$(csvawk 'f("phase") == "online" && f("view") == "guest" && f("metric") == "latency_ns" { print f("zone_present_mib") }' "$res/cmp.csv" | sort -n | tr '\n' ,)" \
	"0,2048," "compare: keyed by zone_present_mib"
"$MHP" plot --format dumb "$res/latest" >"$res/plot.out" 2>&1
is "$?" 0 "plot exits 0"
n=$(csvawk 'f("phase") == "online"' "$res/latest/plots/zone-size.csv" | wc -l)
is "$n" 4 "zone-size.csv: online at 2 sizes a mode"
is "$(qemu_count "$res")" 0 "no QEMU left running"
is "$(tmp_left)" 0 "no socket directory or temporary file left in TMPDIR"
done_testing
