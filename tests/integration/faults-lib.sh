# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for the fault-injection tests (tests/integration/faults-*.t).
# shellcheck shell=bash

# csv_clean FILE: every row has as many columns as the header and the
# file ends with a newline, so no partial or corrupt row is left.
csv_clean() {
	[ -s "$1" ] && [ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ] &&
		awk -F, 'NR == 1 { n = NF } NF != n { bad = 1 } END { exit bad }' "$1"
}

# rows FILE: data rows (header left out).
rows() { echo $(($(wc -l <"$1") - 1)); }

# wait_for FILE PATTERN SECONDS: until PATTERN is in FILE; 1 at the deadline.
wait_for() {
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# run_dir ROOT: the one run directory under ROOT (latest may not exist
# when mhpbench was killed).
run_dir() { find "$1" -mindepth 1 -maxdepth 1 -type d -name '2*' | head -1; }

# now: seconds, with a fraction.
now() { date +%s.%N; }
# elapsed_le T0 LIMIT: now - T0 <= LIMIT.
elapsed_le() { awk -v a="$1" -v b="$(now)" -v l="$2" 'BEGIN { exit !(b - a <= l) }'; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
