#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A/A and A/B trials of the gate (README, "A/A and A/B trials"): runs
# bench/evidence/trial128.job N+1 times as baselines R0..RN and N times
# with inject_online_delay set to 5% of the larger 128M guest online median
# of R0 (D1..DN), interleaved R1 D1 R2 D2 ..., and once booted with
# memory_hotplug.memmap_on_memory=0 (self-hosting lost, L). Then:
#   A/A trial i: gate --baseline R(i-1) --candidate Ri  (want: no regression)
#   A/B trial i: gate --baseline Ri --candidate Di      (want: regression)
#   lost:        gate --baseline R0 --candidate L       (want: regression)
# Consecutive A/A trials share a run, so their verdicts are not
# independent; each one is a real A/A comparison of two runs.
#   scripts/trials.sh [-n N] [-r RESULTS] [-t THRESHOLD_PCT] [--gate-only]
# --gate-only gates the runs a previous call left in RESULTS again (a new
# gate, same evidence). Every verdict is appended to RESULTS/trials.csv as
# soon as it exists; the counts go to standard output and RESULTS/trials.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
n=20 res=results/trials thr=2.5 gate_only=0
while [ $# -gt 0 ]; do
	case $1 in
	-n) n=$2; shift 2 ;;
	-r) res=$2; shift 2 ;;
	-t) thr=$2; shift 2 ;;
	--gate-only) gate_only=1; shift ;;
	*) echo "usage: $0 [-n N] [-r RESULTS] [-t THRESHOLD_PCT] [--gate-only]" >&2; exit 2 ;;
	esac
done
if ! [[ $n =~ ^[1-9][0-9]*$ ]]; then
	echo "trials.sh: -n wants a positive count" >&2
	exit 2
fi
MHP=${MHP:-./mhpbench}
JOB=bench/evidence/trial128.job
mkdir -p "$res/jobs"
log() { echo "trials: $(date -u +%H:%M:%S) $*" >&2; }

# run NAME [EXTRA-JOB-LINE]: one run of the trial job, its directory in
# RESULTS/NAME (a link), skipped when it is already complete.
run() {
	local name=$1 extra=${2:-} job="$res/jobs/$1.job"
	if [ -L "$res/$name" ] && grep -q '"status": *"complete"' "$res/$name/manifest.json" 2>/dev/null; then
		return 0
	fi
	{ cat "$JOB"; [ -z "$extra" ] || echo "$extra"; } >"$job"
	log "run $name${extra:+ ($extra)}"
	"$MHP" run --results "$res/runs" "$job" >/dev/null 2>"$res/jobs/$name.err" ||
		{ log "run $name failed: see $res/jobs/$name.err"; return 1; }
	ln -sfn "runs/$(basename "$(readlink -f "$res/runs/latest")")" "$res/$name"
}

# The larger median of 128M guest online latency over both modes, in us.
online_median_us() {
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["warmup"] == 0 && $c["view"] == "guest" && $c["phase"] == "online" &&
	$c["metric"] == "latency_ns" { v[$c["memmap"]] = v[$c["memmap"]] " " $c["value"] }
	END {
		best = 0
		for (m in v) {
			k = split(v[m], a, " "); asort(a)
			med = k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
			if (med > best) best = med
		}
		printf "%d\n", best / 1000
	}' "$1/samples.csv"
}

if [ $gate_only = 0 ]; then
	run R0
	med=$(online_median_us "$res/R0")
	delay=$(( (med * 5 + 50) / 100 ))
	echo "$delay" >"$res/delay_us"
	log "online median ${med} us: delay ${delay} us (5%)"
	for i in $(seq 1 "$n"); do
		run "R$i"
		run "D$i" "inject_online_delay = ${delay}us"
	done
	run L "cmdline_extra = memory_hotplug.memmap_on_memory=0"
fi

# gate KIND I BASE CAND: one verdict, appended to trials.csv.
gate() {
	local kind=$1 i=$2 base=$3 cand=$4 out="$res/gates/$1-$2" rc=0
	mkdir -p "$out"
	"$MHP" gate --threshold "$thr" --baseline "$res/$base" \
		--candidate "$res/$cand" --out "$out" >"$out/gate.txt" 2>&1 || rc=$?
	echo "$kind,$i,$base,$cand,$rc" >>"$res/trials.csv"
}
echo "kind,trial,baseline,candidate,exit" >"$res/trials.csv"
for i in $(seq 1 "$n"); do
	gate aa "$i" "R$((i - 1))" "R$i"
	gate ab "$i" "R$i" "D$i"
done
gate lost 1 R0 L
awk -F, -v thr="$thr" -v delay="$(cat "$res/delay_us")" 'NR > 1 {
	c[$1, $5]++; t[$1]++
} END {
	name[0] = "nothing regressed"; name[1] = "regression"; name[9] = "inconclusive"
	printf "gate --threshold %s%%, delay %d us\n", thr, delay
	split("aa ab lost", kinds, " ")
	label["aa"] = "A/A (want 0 regressions)"
	label["ab"] = "A/B 5% online delay (want regressions)"
	label["lost"] = "memmap_on_memory=0 candidate (want a regression)"
	for (k = 1; k <= 3; k++) {
		kd = kinds[k]
		printf "%-48s %2d trials: %2d regression, %2d inconclusive, %2d nothing regressed, %d other\n",
			label[kd], t[kd], c[kd, 1], c[kd, 9], c[kd, 0], t[kd] - c[kd, 1] - c[kd, 9] - c[kd, 0]
	}
}' "$res/trials.csv" | tee "$res/trials.txt"
