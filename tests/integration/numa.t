#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Deep metrics on a 2-node guest with the DIMM on memoryless node 1: the
# probe module finds the memmap on node 0 in ram mode (0% local to the
# DIMM) and inside the DIMM on node 1 in self mode (100%); ftrace's
# breakdown accounts for the online time; PMU counters are either counted
# or reported unavailable with the reason, never as zeros.
. "$(dirname "$0")/lib.sh"
set -u
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT
private_tmp "$res"

"$MHP" run --results "$res" "$ROOT/tests/jobs/numa2.job" >"$res/out" 2>"$res/err"
rc=$?
is "$rc" 0 "run exits 0"
[ $rc -eq 0 ] || { tail -30 "$res/err" | diag; }
run="$res/latest"
csv="$run/samples.csv"
man="$run/manifest.json"
sum="$run/summary.json"

deep() { # deep MEMMAP METRIC: values from the deep cycles
	csvawk -v m="$1" -v k="$2" 'f("memmap") == m && f("view") == "deep" && f("metric") == k { print f("value") }' "$csv"
}
grep -q -- '-numa node,nodeid=1' <<<"$(json "$man" '$j->{boots}[0]{qemu_argv}' | tr '"' ' ' | tr -s ' ,' ' ')" ||
	json "$man" '$j->{boots}[0]{qemu_argv}' | grep -q 'node,nodeid=1'
ok $? "QEMU gets a second NUMA node"
is "$(json "$man" '$j->{boots}[0]{numa}{nodes}[1]{mem_mib}')" 0 "manifest: node 1 is memoryless"
is "$(json "$man" '$j->{boots}[0]{numa}{binding}{applied}')" false "manifest: no host binding asked, and it says so"
is "$(json "$man" '$j->{boots}[0]{probe}{loaded}')" true "the probe module loaded"
csvawk 'f("metric") == "latency_ns" { print f("node") }' "$csv" | all_equal 1
ok $? "every DIMM sample is on node 1"

deep ram memmap_local_fraction | all_equal 0
ok $? "ram: 0% of the memmap is on the DIMM's node"
deep ram memmap_node | all_equal 0
ok $? "ram: the memmap is on node 0"
deep self memmap_local_fraction | all_equal 1
ok $? "self: 100% of the memmap is on the DIMM's node"
deep self memmap_node | all_equal 1
ok $? "self: the memmap is on node 1"
for m in ram self; do
	for k in walk_cold_ns_per_page walk_warm_ns_per_page; do
		v=$(deep $m $k | head -1)
		ok $(awk -v v="$v" 'BEGIN { exit !(v > 0) }'; echo $?) "$m: $k reported ($v)"
	done
done
is "$(json "$sum" '$j->{deep}{locality}[0]{walk}')" local "summary: ram's walk is local to the vCPUs"
is "$(json "$sum" '$j->{deep}{locality}[1]{walk}')" remote "summary: self's walk is remote"

for m in ram self; do
	n=$(deep $m fn_total_ns | wc -l)
	is "$n" 2 "$m: an online and an offline breakdown"
done
cov=$(json "$sum" '$j->{deep}{breakdown}[0]{coverage_pct}')
ok $(awk -v c="$cov" 'BEGIN { exit !(c >= 80) }'; echo $?) "the children account for >= 80% of the traced online ($cov%)"
grep -q "mhp_init_memmap_on_memory" <<<"$(deep self fn_mhp_init_memmap_on_memory_ns; json "$sum" '$j->{deep}')"
ok $? "self mode's online breakdown shows mhp_init_memmap_on_memory"
grep -q "tracing overhead" "$res/out"
ok $? "the tracing overhead is reported"
n=$(csvawk 'f("view") == "deep" && f("metric") == "latency_ns" && f("phase") == "online"' "$csv" | wc -l)
is "$n" 2 "traced latencies are kept apart (view deep)"
n=$(csvawk 'f("view") == "guest" && f("metric") == "latency_ns" && f("phase") == "online"' "$csv" | wc -l)
is "$n" 2 "measured latencies count only the measured cycles"

# PMU: counted, or unavailable with a reason; never zeros.
if grep -q ',pmu_' "$csv"; then
	ok 0 "PMU events counted"
else
	grep -q "PMU counters: cycles: unavailable: " "$res/out"
	ok $? "no PMU here: each event says unavailable, with the reason"
fi
is "$(qemu_count "$res")" 0 "no QEMU left running"
is "$(tmp_left)" 0 "nothing left in TMPDIR"
done_testing
