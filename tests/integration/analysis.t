#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# compare, gate, history and plot on two small real runs (one with an
# injected online delay), and on copies of them made corrupt, foreign,
# mismatched or incomplete. Every bad input must get a clear error and
# exit 10 (2 for a bad command line).
. "$(dirname "$0")/lib.sh"
set -u
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT
private_tmp "$res"
R="$res/runs"

"$MHP" run --results "$R" "$ROOT/tests/jobs/analysis.job" >/dev/null 2>"$res/err"
is $? 0 "base run exits 0" || tail -20 "$res/err" | diag
base=$(readlink -f "$R/latest")
"$MHP" run --results "$R" "$ROOT/tests/jobs/analysis-slow.job" >/dev/null 2>"$res/err"
is $? 0 "slow run (inject_online_delay = 20ms) exits 0" || tail -20 "$res/err" | diag
slow=$(readlink -f "$R/latest")
# The jobs say accel = auto with accel_fallback = tcg-icount, as
# bench/nightly.job does (README, "Job files"): KVM where it works, else
# icount, recorded in the manifest and in every sample.
used=$(json "$base/manifest.json" '$j->{accel}{used}')
if [ "$used" = kvm ]; then
	ok 0 "accel=auto used KVM"
else
	is "$used/$(json "$base/manifest.json" '$j->{accel}{fallback}')" tcg-icount/tcg-icount \
		"accel=auto without KVM fell back to accel_fallback (tcg-icount)"
fi
is "$(csvawk '{ print f("accel") }' "$base/samples.csv" | sort -u)" "$used" "every sample carries it"
# Under tcg-icount the guest's times are virtual time and print as vms
# (README, "What a run prints and writes"); under KVM they are ms.
if [ "$used" = tcg-icount ]; then
	gms=vms gtb=virtual gaxis="guest virtual ms"
else
	gms=ms gtb=wall gaxis=ms
fi
# The vms legend where guest times are virtual, no vms anywhere else.
vms_legend() {
	if [ "$used" = tcg-icount ]; then grep -q "^$1vms: guest virtual time under tcg-icount" "$2"; else ! grep -qw vms "$2"; fi
}

# --- compare ---------------------------------------------------------------
"$MHP" compare "$base" >"$res/cmp" 2>&1
is $? 0 "compare RUN (ram against self) exits 0"
long=$(awk 'length($0) > 80' "$res/cmp" | wc -l)
is "$long" 0 "the text table fits in 80 columns"
grep -Eq '^add +guest memmap_from_ram KiB +2[0-9]{3}\.00 +[0-9]+\.00 +\+9[0-9]\.[0-9]% \*' "$res/cmp"
ok $? "memmap_from_ram_kib at add: ram ~2048 KiB, self ~0, +9x% better, significant" || diag <"$res/cmp"
grep -q 'Welch t on per-boot medians' "$res/cmp" && grep -q 'after Holm' "$res/cmp" &&
	grep -q 'seed 1' "$res/cmp"
ok $? "legend names the test (per boot), the correction and the seed"
grep -q 'no PMU data' "$res/cmp"
ok $? "notes say there is no PMU data"
# The host's cost of each phase (view qemu) is compared like any view.
grep -Eq '^online +qemu +vCPU cpu ms +[0-9.]+ +[0-9.]+ ' "$res/cmp"
ok $? "compare shows the qemu view (vCPU task-clock at online)" || diag <"$res/cmp"
grep -Eq "^online +guest latency $gms " "$res/cmp" && grep -Eq '^online +host +latency ms ' "$res/cmp" &&
	vms_legend "  " "$res/cmp"
ok $? "$used: guest times read $gms, host times ms; a legend says what vms is where they are virtual"
"$MHP" compare --a memmap=ram --b memmap=self --format json "$base" >"$res/cmp.json"
is $? 0 "compare --format json exits 0"
is "$(json "$res/cmp.json" '(grep { $_->{metric} eq "memmap_from_ram_kib" } @{$j->{rows}})[0]{significant} ? 1 : 0')" 1 \
	"json: memmap_from_ram_kib significant"
is "$(json "$res/cmp.json" '$j->{seed}')" 1 "json: the bootstrap seed is recorded"
is "$(json "$res/cmp.json" '(grep { $_->{metric} eq "latency_ns" && $_->{view} eq "guest" } @{$j->{rows}})[0]{time_base}')" "$gtb" \
	"json: a guest time under $used has time_base $gtb"
"$MHP" compare --format csv "$base" | head -1 | grep -q '^kernel,accel,block_mib,memmap,dimm_mib,.*,metric,unit,time_base,better,.*,p_holm,significant,ratio,ci_lo,ci_hi,a_boots,b_boots,gate_grade,p_cycles,offline_fill_pct,zone_present_mib,source$'
ok $? "compare --format csv has its header (time_base after unit)"
is "$(json "$res/cmp.json" '(grep { $_->{metric} eq "memmap_from_ram_kib" } @{$j->{rows}})[0]{a_boots}')" 3 \
	"json: each row counts its boots (3 a side)"
"$MHP" compare --format markdown "$base" | grep -q '^|---|'
ok $? "compare --format markdown prints a table"
"$MHP" compare "$base" "$slow" >"$res/cmp2" 2>&1
is $? 0 "compare RUN_A RUN_B exits 0"
tr '\n' ' ' <"$res/cmp2" | grep -q 'inject_online_delay = 20 *ms'
ok $? "compare notes that B ran with inject_online_delay"
"$MHP" compare --format yaml "$base" >/dev/null 2>&1
is $? 2 "compare --format yaml: bad command line (2)"
"$MHP" compare --a memmap=ram --b boot=1 "$base" >/dev/null 2>&1
is $? 2 "compare with selections on different keys: 2"

# --- gate ------------------------------------------------------------------
# With few, bimodal samples even identical data may leave the CI wider
# than +-5%: "inconclusive" (9) is an honest answer; "regression" is not.
"$MHP" gate --baseline "$base" --candidate "$base" --out "$res/g0" >"$res/g0.out" 2>&1
rc=$?
ok $([ $rc -eq 0 ] || [ $rc -eq 9 ]; echo $?) "gate of a run against itself: nothing regressed (exit $rc)"
grep -q REGRESSION "$res/g0.out"
is $? 1 "... and no metric is called a regression"
"$MHP" gate --baseline "$base" --candidate "$slow" --out "$res/g1" >"$res/g1.out" 2>&1
is $? 1 "gate against the injected slowdown: regression (1)" || diag <"$res/g1.out"
grep -Eq "^(ram|self) 128M +online +guest latency $gms .* REGRESSION" "$res/g1.out"
ok $? "the online guest latency is the regression"
grep -q 'inject_online_delay is set' "$res/g1.out"
ok $? "the gate says the injection was set"
is "$(json "$res/g1/gate.json" '(grep { $_->{verdict} eq "regression" } @{$j->{rows}})[0]{time_base}')" "$gtb" \
	"gate.json: the regression's time_base is $gtb"
is "$(json "$res/g1/gate.json" '$j->{verdict}')" regression "gate.json: verdict regression"
is "$(json "$res/g1/gate.json" '$j->{candidate}{injected}{online_delay_us}')" 20000 "gate.json: the injection is recorded"
lo=$(json "$res/g1/gate.json" '(grep { $_->{verdict} eq "regression" } @{$j->{rows}})[0]{ci_lo}')
ok $(awk -v l="$lo" 'BEGIN { exit !(l > 1.05) }'; echo $?) "gate.json: the regression's CI lies above 1.05 (lower bound $lo)"
grep -q '<failure type="regression"' "$res/g1/gate-junit.xml"
ok $? "JUnit XML has the failure"
if perl -MXML::Parser -e1 2>/dev/null; then
	perl -MXML::Parser -e 'XML::Parser->new->parsefile($ARGV[0])' "$res/g1/gate-junit.xml"
	ok $? "JUnit XML is well-formed"
else
	skip "perl's XML::Parser is not installed" "JUnit XML is well-formed"
fi

# per-metric thresholds from the candidate's job (gate_threshold), which
# the command line overrides
thr="$res/thr"
cp -r "$slow" "$thr"
perl -MJSON::PP -e 'local $/; open my $f, "<", $ARGV[0] or die; my $j = decode_json(<$f>);
	$j->{job}{effective} .= "gate_threshold      = latency_ns=50%, memmap_from_ram_kib=1\n";
	open $f, ">", $ARGV[0] or die; print $f encode_json($j)' "$thr/manifest.json"
"$MHP" gate --baseline "$base" --candidate "$thr" --out "$res/gt" >"$res/gt.out" 2>&1
grep -q 'thresholds from the job: latency_ns=50%, memmap_from_ram_kib=1' "$res/gt.out"
ok $? "gate takes per-metric thresholds from the job's gate_threshold"
is "$(json "$res/gt/gate.json" '(grep { $_->{metric} eq "latency_ns" } @{$j->{rows}})[0]{threshold_pct}')" 50 \
	"gate.json: latency_ns gated at 50%"
"$MHP" gate --threshold latency_ns=10 --baseline "$base" --candidate "$thr" --out "$res/gt" >/dev/null 2>&1
is "$(json "$res/gt/gate.json" '(grep { $_->{metric} eq "latency_ns" } @{$j->{rows}})[0]{threshold_pct}')" 10 \
	"--threshold on the command line wins over the job"
"$MHP" gate --threshold 150 --baseline "$base" --candidate "$slow" >/dev/null 2>&1
is $? 2 "--threshold 150: bad command line (2)"

# mismatched runs: the same samples claimed by another kernel
mis="$res/mis"
cp -r "$base" "$mis"
sed -i '2,$ s/,6\.1\.[^,]*,/,6.8.0-test,/' "$mis/samples.csv"
"$MHP" gate --baseline "$base" --candidate "$mis" --out "$res/g2" >"$res/g2.out" 2>&1
is $? 10 "gate refuses runs whose kernel differs (10)"
grep -q 'kernel differs' "$res/g2.out"
ok $? "... and says that the kernel differs"
grep -q 'name each intended difference with --across' "$res/g2.out"
ok $? "... and says how to name the intended difference"
"$MHP" gate --force --baseline "$base" --candidate "$mis" --out "$res/g3" >/dev/null 2>&1
is $? 10 "--force does not waive a kernel mismatch (10)"
"$MHP" gate --across accel --baseline "$base" --candidate "$mis" --out "$res/g3" >/dev/null 2>&1
is $? 10 "--across accel does not waive a kernel mismatch (10)"
"$MHP" gate --across kernel --baseline "$base" --candidate "$mis" --out "$res/g3" >"$res/g3.out" 2>&1
rc=$?
ok $([ $rc -eq 0 ] || [ $rc -eq 9 ]; echo $?) "gate --across kernel compares them (exit $rc)"
grep -q 'kernel differs.*(intended: --across kernel)' "$res/g3.out"
ok $? "... and notes the difference"
grep -q '^kernel baseline 6\.1\..*, candidate 6\.8\.0-test, accel' "$res/g3.out"
ok $? "... and the header names both kernels"
"$MHP" gate --across memmap --baseline "$base" --candidate "$mis" >/dev/null 2>&1
is $? 2 "--across memmap: bad command line (2)"

# corrupt and foreign run directories
cor="$res/corrupt"
cp -r "$base" "$cor"
head -c 100 "$base/manifest.json" >"$cor/manifest.json"
"$MHP" compare "$cor" >/dev/null 2>"$res/e1"
is $? 10 "corrupt manifest.json: 10"
grep -q 'corrupt manifest.json' "$res/e1"
ok $? "... with a clear message ($(cat "$res/e1"))"
for1="$res/foreign"
mkdir -p "$for1"
echo '{"name": "some other tool"}' >"$for1/manifest.json"
cp "$base/samples.csv" "$for1/"
"$MHP" gate --baseline "$base" --candidate "$for1" >/dev/null 2>"$res/e2"
is $? 10 "foreign result directory: 10"
grep -q 'foreign manifest.json' "$res/e2"
ok $? "... with a clear message ($(cat "$res/e2"))"
mkdir -p "$res/empty"
"$MHP" plot "$res/empty" >/dev/null 2>"$res/e3"
is $? 10 "a directory without manifest.json: 10"
grep -q 'not a mhpbench run directory' "$res/e3"
ok $? "... with a clear message ($(cat "$res/e3"))"
bad="$res/badcsv"
cp -r "$base" "$bad"
echo 'garbage,row' >>"$bad/samples.csv"
"$MHP" compare "$bad" >/dev/null 2>"$res/e4"
is $? 10 "a malformed samples.csv row: 10"
grep -q 'samples.csv:[0-9]*: malformed row' "$res/e4"
ok $? "... naming the line ($(cat "$res/e4"))"

# --- history ---------------------------------------------------------------
# The history's baselines are per testbed and job (README, "A lab of many
# hosts"); the slow run is the base job with a delay injected, so it names
# the base's job file, as one nightly job would on every night.
perl -MJSON::PP -e 'local $/; open my $f, "<", $ARGV[0] or die; my $j = decode_json(<$f>);
	$j->{job}{path} =~ s/analysis-slow\.job$/analysis.job/ or die "job path";
	open $f, ">", $ARGV[0] or die; print $f encode_json($j)' "$slow/manifest.json"
ok $? "the slow run names the base's job"
db="$res/history.db"
"$MHP" gate --db "$db" --baseline history --candidate "$slow" >/dev/null 2>"$res/e5"
is $? 10 "gate against a missing history: 10"
grep -q 'no history at' "$res/e5"
ok $? "... with a clear message"
"$MHP" history --db "$db" >/dev/null 2>&1
is $? 10 "history with no database: 10"
inc="$res/incomplete"
cp -r "$base" "$inc"
sed -i 's/"status": "complete"/"status": "incomplete"/; s/-analysis"/-analysis-inc"/' "$inc/manifest.json"
sed -i '2,$ s/-analysis,/-analysis-inc,/' "$inc/samples.csv"
for r in "$base" "$slow" "$inc"; do
	"$MHP" history --db "$db" --append "$r" >/dev/null
	is $? 0 "history --append $(basename "$r")"
done
"$MHP" history --db "$db" --append "$base" >/dev/null
is $? 0 "appending a run again replaces it"
"$MHP" gate --baseline "$base" --candidate "$inc" --out "$res/g5" >/dev/null 2>"$res/e6"
is $? 10 "gate refuses an incomplete candidate (10)"
grep -q 'is incomplete, not complete' "$res/e6"
ok $? "... and says why"
"$MHP" history --db "$db" --list >"$res/list"
is "$(grep -c 'complete ' "$res/list")" 3 "the history lists three runs"
grep -Eq 'analysis-inc +[^ ]+ +incomplete' "$res/list"
ok $? "the incomplete run is stored as incomplete"
if command -v sqlite3 >/dev/null; then
	n=$(sqlite3 "$db" "SELECT count(*) FROM samples WHERE run_id = '$(basename "$base")'")
	is "$n" "$(($(wc -l <"$base/samples.csv") - 1))" "every sample of the run is in the history, once"
else
	skip "sqlite3 is not installed" "every sample of the run is in the history, once"
fi
"$MHP" history --db "$db" --by run --memmap ram >"$res/trend"
is $? 0 "history prints the trend"
grep -q 'windowed Welch t-test' "$res/trend" && grep -q '(injected delay)' "$res/trend"
ok $? "the trend names its change-point method and marks the injected run"
grep -q "median per run ($gms)" "$res/trend" && vms_legend "" "$res/trend"
ok $? "the trend of a guest time under $used says $gms"
"$MHP" gate --db "$db" --baseline history --candidate "$slow" --out "$res/g4" >"$res/g4.out" 2>&1
is $? 1 "gate against the history: regression (injected and incomplete runs are not baselines)"
grep -q 'baseline  history: 1 run' "$res/g4.out"
ok $? "... the baseline is the one complete uninjected run"

# --- plot ------------------------------------------------------------------
"$MHP" plot --db "$db" "$base" >"$res/plot" 2>&1
is $? 0 "plot exits 0" || diag <"$res/plot"
for p in latency-host latency-guest qemu-cpu qemu-faults memmap trend; do
	magic=$(head -c 4 "$base/plots/$p.png" | tail -c 3)
	is "$magic" PNG "$p.png is a PNG"
	ok $([ -s "$base/plots/$p.svg" ] && [ -s "$base/plots/$p.txt" ] &&
		[ -s "$base/plots/$p.csv" ] && [ -s "$base/plots/$p.gp" ]; echo $?) \
		"$p: SVG, ASCII, CSV and script beside it"
done
grep -q "^ytitle = \"latency ($gaxis)\"" "$base/plots/latency-guest.gp" &&
	grep -q '^ytitle = "latency (ms)"' "$base/plots/latency-host.gp"
ok $? "the guest latency plot's axis says $gaxis, the host's ms"
grep -q '^oom-edge: no data' "$res/plot" && grep -q '^numa: no data' "$res/plot" &&
	grep -q '^online-breakdown: no data' "$res/plot"
ok $? "plots without data say so"
(cd "$base/plots" && gnuplot -e "fmt='dumb'" memmap.gp) && grep -q 'DIMM size' "$base/plots/memmap.txt"
ok $? "a plot regenerates from its script and CSV"

# --- nightly ---------------------------------------------------------------
rm -f "$db"
RESULTS="$res" NIGHTLY_RUN="$base" "$ROOT/scripts/nightly.sh" >"$res/n1" 2>&1
is $? 0 "nightly.sh: first night, no history to gate against (0)"
RESULTS="$res" NIGHTLY_RUN="$slow" "$ROOT/scripts/nightly.sh" >"$res/n2" 2>&1
is $? 1 "nightly.sh: the slow night gates as a regression (1)"
ok $([ -f "$slow/plots/trend.png" ]; echo $?) "nightly.sh plotted the trend"
grep -q '<p class="banner">The gate found a REGRESSION' "$slow/report.html" &&
	grep -q '<table class="gate">' "$slow/report.html" && grep -q '<table class="trend">' "$slow/report.html"
ok $? "nightly.sh wrote RUN/report.html with the gate's regression and the trend"

is "$(qemu_count "$R")" 0 "no QEMU left behind"
is "$(tmp_left)" 0 "nothing left in TMPDIR"
done_testing
