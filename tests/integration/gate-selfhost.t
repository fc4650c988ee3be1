#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The gate on lost self-hosting. A candidate booted with
# memory_hotplug.memmap_on_memory=0 after the =1 of self mode
# (selfhost-lost.job) has no self-mode cycles: its self cells vanished, and
# gating it against a normal baseline (selfhost.job) must say regression
# (exit 1), naming self_hosted and memmap_from_ram_kib and the reason,
# whatever n (here 1 a side). A copy of the baseline whose self cycles lost
# self-hosting in the metrics themselves must be a regression too. Deep
# cells stay out of the gate unless asked for.
. "$(dirname "$0")/lib.sh"
set -u
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT
private_tmp "$res"
R="$res/runs"

"$MHP" run --results "$R" "$ROOT/tests/jobs/selfhost.job" >/dev/null 2>"$res/err"
is $? 0 "baseline run exits 0" || tail -20 "$res/err" | diag
base=$(readlink -f "$R/latest")
"$MHP" run --results "$R" "$ROOT/tests/jobs/selfhost-lost.job" >/dev/null 2>"$res/err"
is $? 0 "candidate run (memmap_on_memory=0) exits 0" || tail -20 "$res/err" | diag
cand=$(readlink -f "$R/latest")
metric "$base/samples.csv" self online self_hosted guest | all_equal 1
ok $? "the baseline's self mode is self-hosted"
is "$(json "$cand/manifest.json" '$j->{skipped}[0]{memmap}')" self \
	"the candidate's manifest says self mode was skipped"

# --- the self cells vanished ------------------------------------------------
"$MHP" gate --baseline "$base" --candidate "$cand" --out "$res/g1" >"$res/g1.out" 2>&1
is $? 1 "gate: self-hosting lost is a regression (1)" || diag <"$res/g1.out"
grep -Eq '^self 128M +online +guest self_hosted .* gone REGRESSION' "$res/g1.out"
ok $? "... of self_hosted"
grep -Eq '^self 128M +add +guest memmap_from_ra.* gone REGRESSION' "$res/g1.out"
ok $? "... and of memmap_from_ram_kib"
grep -q 'memmap_from_ram_kib in the baseline, missing in the candidate: self mode unsupported by kernel .*left the parameter at N' "$res/g1.out"
ok $? "... with the reason from the candidate's manifest"
grep -q 'cells missing in the candidate (0 allowed)' "$res/g1.out"
ok $? "... counted in the verdict line"
is "$(json "$res/g1/gate.json" '$j->{verdict}')" regression "gate.json: verdict regression"
is "$(json "$res/g1/gate.json" 'join " ", sort grep { $_ ne "latency_ns" } map { $_->{metric} } @{$j->{missing}}')" \
	"memmap_from_ram_kib self_hosted" "gate.json: the missing cells include self_hosted and memmap_from_ram_kib"
grep -q '<failure type="missing"' "$res/g1/gate-junit.xml"
ok $? "JUnit XML has the failure"
! grep -Eq '^[a-z]+ 128M +add +deep' "$res/g1.out"
ok $? "deep cells are not gated by default"

"$MHP" gate --allow-missing --baseline "$base" --candidate "$cand" --out "$res/g2" >"$res/g2.out" 2>&1
rc=$?
ok $([ $rc -eq 0 ] || [ $rc -eq 9 ]; echo $?) "--allow-missing: the vanished cells are no regression (exit $rc)"
grep -Eq '^self 128M +online +guest self_hosted .* gone allowed' "$res/g2.out"
ok $? "... but still listed"

# --- self-hosting lost in the metrics ---------------------------------------
lost="$res/lost"
cp -r "$base" "$lost"
awk -F, -v OFS=, 'NR > 1 && $4 == "self" {
	if ($11 == "self_hosted") $12 = 0
	if ($11 == "self_hosted_kib") $12 = 0
	if ($11 == "memmap_from_ram_kib") $12 += 2048 }
	{ print }' "$base/samples.csv" >"$lost/samples.csv"
"$MHP" gate --baseline "$base" --candidate "$lost" --out "$res/g3" >"$res/g3.out" 2>&1
is $? 1 "gate: self_hosted 1 -> 0 at n=1 is a regression (1)" || diag <"$res/g3.out"
grep -A1 -E '^self 128M +online +guest self_hosted .* REGRESSION' "$res/g3.out" | grep -q 'the share changed'
ok $? "... of self_hosted: the share changed"
grep -A1 -E '^self 128M +add +guest memmap_from_ra.* REGRESSION' "$res/g3.out" | grep -q 'above every baseline value'
ok $? "... and of memmap_from_ram_kib: the ranges lie apart"
"$MHP" gate --deep --baseline "$base" --candidate "$lost" --out "$res/g4" >"$res/g4.out" 2>&1
grep -Eq '^self 128M +add +deep +memmap_from_ra.* REGRESSION' "$res/g4.out"
ok $? "--deep gates the deep cells too"

# --- A/A ----------------------------------------------------------------------
"$MHP" gate --baseline "$base" --candidate "$base" --out "$res/g0" >"$res/g0.out" 2>&1
rc=$?
ok $([ $rc -eq 0 ] || [ $rc -eq 9 ]; echo $?) "the baseline against itself: nothing regressed (exit $rc)"
grep -Eq '^self 128M +add +guest memmap_from_ra.* same' "$res/g0.out"
ok $? "... memmap_from_ram_kib the same at n=1"

is "$(qemu_count "$R")" 0 "no QEMU left behind"
is "$(tmp_left)" 0 "nothing left in TMPDIR"
done_testing
