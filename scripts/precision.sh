#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Precision of the guest view (README, "Settle time"): runs JOB (default
# bench/evidence/settle.job) and prints, per mode and phase, the count,
# median, coefficient of variation and range of the per-block online and
# offline times, and the range of the gaps the writes started after.
#   scripts/precision.sh [JOB] [RESULTS]      or   scripts/precision.sh --run DIR
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = --run ]; then
	run=$2
else
	job=${1:-bench/evidence/settle.job}
	res=${2:-results}
	./mhpbench run --results "$res" "$job" >/dev/null
	run=$(readlink -f "$res/latest")
fi
echo "run: $run"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
$c["warmup"] == 0 && $c["view"] == "guest" &&
($c["metric"] == "block_latency_ns" || $c["metric"] == "gap_ns") {
	k = $c["memmap"] " " $c["phase"] " " $c["boot"] " " $c["cycle"] " " $c["block"]
	v[k, $c["metric"]] = $c["value"] / 1e6; keys[k] = 1
}
END {
	for (k in keys) {
		split(k, f, " "); cell = f[1] " " f[2]
		n[cell]++; x[cell, n[cell]] = v[k, "block_latency_ns"]
		g = v[k, "gap_ns"]
		if (!((cell, "gmin") in s) || g < s[cell, "gmin"]) s[cell, "gmin"] = g
		if (g > s[cell, "gmax"]) s[cell, "gmax"] = g
	}
	printf "%-5s %-8s %4s %9s %7s %17s %19s\n", "mode", "phase", "n", "median ms", "CV", "range ms", "gap ms"
	for (cell in n) {
		m = 0; ss = 0
		for (i = 1; i <= n[cell]; i++) { a[i] = x[cell, i]; m += a[i] }
		asort(a); m /= n[cell]
		for (i = 1; i <= n[cell]; i++) ss += (a[i] - m) ^ 2
		med = n[cell] % 2 ? a[(n[cell] + 1) / 2] : (a[n[cell] / 2] + a[n[cell] / 2 + 1]) / 2
		split(cell, f, " ")
		printf "%-5s %-8s %4d %9.2f %6.1f%% %8.2f..%-7.2f %8.1f..%-8.1f\n", f[1], f[2], n[cell], med,
			(n[cell] > 1 ? 100 * sqrt(ss / (n[cell] - 1)) / m : 0), a[1], a[n[cell]],
			s[cell, "gmin"], s[cell, "gmax"]
		delete a
	}
}' "$run/samples.csv" | sort
