#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A non-default memory block size (1G): the harness sizes boot memory so the
# guest kernel picks 1G blocks, checks it, and a one-block DIMM self-hosts
# its memmap in self mode and takes ~16 MiB from RAM in ram mode.
. "$(dirname "$0")/lib.sh"
set -u
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT
private_tmp "$res"

"$MHP" run --results "$res" "$ROOT/tests/jobs/block1g.job" >"$res/out" 2>"$res/err"
rc=$?
is "$rc" 0 "run exits 0"
[ $rc -eq 0 ] || { tail -30 "$res/err" | diag; }
run="$res/latest"
csv="$run/samples.csv"
man="$run/manifest.json"

for b in 0 1; do
	is "$(json "$man" "\$j->{boots}[$b]{block_size_bytes}")" 1073741824 \
		"boot $b: the guest reports 1G memory blocks"
	argv=$(json "$man" "\$j->{boots}[$b]{qemu_argv}")
	grep -q 'memory-backend-ram,id=mhp-ram,size=65536M,reserve=off' <<<"$argv"
	ok $? "boot $b: 64G of boot memory, reserve=off"
	rss=$(json "$man" "\$j->{boots}[$b]{qemu_peak_rss_kib}")
	ok $([ "$rss" -gt 0 ] && [ "$rss" -lt 8388608 ]; echo $?) \
		"boot $b: QEMU's peak RSS recorded and well below 64G ($rss KiB)"
done
csvawk 'f("metric") == "latency_ns" { print f("block_mib") "," f("dimm_mib") }' "$csv" | sort -u | all_equal 1024,1024
ok $? "every latency sample is a 1G DIMM on 1G blocks"

metric "$csv" self online self_hosted | all_equal 1
ok $? "self: the memmap is self-hosted at 1G blocks"
metric "$csv" self online memtotal_delta_kib | all_equal $((1048576 - 16384))
ok $? "self: MemTotal grows by 1G - 16M (the memmap is inside the DIMM)"
metric "$csv" ram online self_hosted | all_equal 0
ok $? "ram: self_hosted = 0"
med=$(metric "$csv" ram add memmap_from_ram_kib | median)
ok $(awk -v m="$med" 'BEGIN { exit !(m >= 15360 && m <= 20480) }'; echo $?) \
	"ram: ~16 MiB of memmap taken from RAM at add (median $med KiB)"

grep -q "skipping 512M DIMMs with 1G memory blocks: smaller than one memory block" "$res/err"
ok $? "a DIMM smaller than the block is skipped with the reason"
is "$(json "$man" '$j->{skipped}[0]{reason}')" "smaller than one memory block" \
	"manifest: the skip and its reason"
is "$(json "$run/summary.json" '$j->{placement}[1]{matches_expected}')" true \
	"summary: self placement matches the kernel's expected placement"
is "$(qemu_count "$res")" 0 "no QEMU left running"
is "$(tmp_left)" 0 "nothing left in TMPDIR"
done_testing
