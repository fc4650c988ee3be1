#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs fuzz targets one after the other (`make fuzz`; docs/fuzzing.md):
#   FUZZ_SECONDS=600 FUZZ_DIR=build/fuzz tests/fuzz/run.sh [TARGET...]
# Each runs for FUZZ_SECONDS on its seeds (tests/fuzz/corpus/TARGET) and
# the corpus it grew before (FUZZ_DIR/corpus/TARGET, where new inputs go).
# A crash, leak, UB report, timeout or abort leaves its input in
# FUZZ_DIR/crashes/TARGET/; libFuzzer's output is in FUZZ_DIR/TARGET.log.
# The final stats of every target are printed and kept in
# FUZZ_DIR/summary.txt. Exit 1 if any target failed.
# FUZZ_ARGS adds libFuzzer options (e.g. FUZZ_ARGS=-jobs=2).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
dir=${FUZZ_DIR:-build/fuzz}
secs=${FUZZ_SECONDS:-600}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(qmp agent job linebuf)
failed=()
summary="$dir/summary.txt"
: >"$summary"

for t in "${targets[@]}"; do
	bin="$dir/fuzz_$t"
	[ -x "$bin" ] || { echo "fuzz: $bin is not built (make fuzz-build)" >&2; exit 2; }
	mkdir -p "$dir/corpus/$t" "$dir/crashes/$t"
	args=(-max_total_time="$secs" -print_final_stats=1 -timeout=10
		-artifact_prefix="$dir/crashes/$t/")
	[ -f "tests/fuzz/$t.dict" ] && args+=(-dict="tests/fuzz/$t.dict")
	echo "fuzz: $t for ${secs}s (log: $dir/$t.log)"
	start=$(date +%s)
	# shellcheck disable=SC2086 # FUZZ_ARGS is a list of options
	"$bin" "${args[@]}" ${FUZZ_ARGS:-} "$dir/corpus/$t" "tests/fuzz/corpus/$t" \
		>"$dir/$t.log" 2>&1
	rc=$?
	took=$(($(date +%s) - start))
	# The last status line (#N DONE/... cov: ft: corp: exec/s) and the
	# final stats that -print_final_stats prints.
	last=$(grep -E '^#[0-9]+' "$dir/$t.log" | tail -1)
	stat() { sed -n "s/^stat::$1: *//p" "$dir/$t.log" | tail -1; }
	crashes=$(find "$dir/crashes/$t" -type f | wc -l)
	line=$(printf '%-8s rc=%s %ss execs=%s exec/s=%s rss=%sMB cov=%s ft=%s corpus=%s crash-files=%s' \
		"$t" "$rc" "$took" "$(stat number_of_executed_units)" \
		"$(stat average_exec_per_sec)" "$(stat peak_rss_mb)" \
		"$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")" \
		"$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")" \
		"$(sed -n 's/.* corp: \([^ ]*\).*/\1/p' <<<"$last")" "$crashes")
	echo "$line" | tee -a "$summary"
	if [ "$rc" -ne 0 ]; then
		failed+=("$t")
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|artifact_prefix|Test unit written)' \
			"$dir/$t.log" | head -20 | sed 's/^/  /'
	fi
done

if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz: FAILED: ${failed[*]}: inputs in $dir/crashes/; keep each as" \
		"tests/fuzz/regressions/<target>/ once fixed" >&2
	exit 1
fi
echo "fuzz: no failures (summary: $summary)"
