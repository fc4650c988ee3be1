#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Nightly: run the nightly job, append it to the history, gate it against
# the history, plot it (with the trend) and write RUN/report.html. Exit
# status: the gate's (0 nothing regressed, 1 regression, 9 inconclusive,
# 10 bad input), or the run's when the run itself failed.
#
#   scripts/nightly.sh [JOB]             (default bench/nightly.job)
#   RESULTS=DIR   where runs (and history.db) go (default results)
#   MHPBENCH_HISTORY=LOCATION  the history: a SQLite file or a
#                    postgresql:// URI that a fleet of hosts shares
#                    (README, "A lab of many hosts"); default
#                    $RESULTS/history.db
#   NIGHTLY_RUN=DIR  skip the run and use this finished run directory
#                    (for testing the rest of the pipeline)
#   GATE_ARGS="--threshold 10"  extra arguments for mhpbench gate
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
JOB=${1:-bench/nightly.job}
RESULTS=${RESULTS:-results}
HISTORY=${MHPBENCH_HISTORY:-$RESULTS/history.db}
# every mhpbench below (the run's own append too) uses it
export MHPBENCH_HISTORY=$HISTORY
MHP=./mhpbench

log() { echo "nightly: $*" >&2; }

if [ -n "${NIGHTLY_RUN:-}" ]; then
	run=$NIGHTLY_RUN
else
	log "running $JOB into $RESULTS"
	"$MHP" run --results "$RESULTS" "$JOB"
	rc=$?
	run=$(readlink -f "$RESULTS/latest")
	if [ $rc -ne 0 ]; then
		# Stored as incomplete, so the history shows the failed night.
		[ -d "$run" ] && "$MHP" history --history "$HISTORY" --append "$run" >&2
		log "run failed with exit $rc"
		exit $rc
	fi
fi

# The gate compares with the nights before this one (the candidate itself
# is left out of its baseline); the first night of a history, or of this
# testbed and job in a shared one, has nothing to gate against.
gate_rc=0
if [ "$HISTORY" = "$RESULTS/history.db" ] && [ ! -f "$HISTORY" ]; then
	log "no history yet at $HISTORY: nothing to gate against tonight"
else
	errf=$(mktemp)
	# shellcheck disable=SC2086
	"$MHP" gate --results "$RESULTS" --history "$HISTORY" \
		--baseline history --candidate "$run" ${GATE_ARGS:-} 2>"$errf"
	gate_rc=$?
	cat "$errf" >&2
	if [ $gate_rc -eq 10 ] && grep -q -e 'no history at' \
		-e 'no complete run of testbed' "$errf"; then
		log "nothing in the history to gate against tonight"
		gate_rc=0
	fi
	rm -f "$errf"
fi
"$MHP" history --history "$HISTORY" --append "$run" >&2 || exit $?
"$MHP" plot --results "$RESULTS" --history "$HISTORY" "$run" || log "plot failed"
# One page for the night: provenance, tables, the gate's verdicts (RUN/
# gate.json), the plots and the trend (README, "Analysis").
"$MHP" report --html --results "$RESULTS" --history "$HISTORY" -o "$run/report.html" "$run" &&
	log "report: $run/report.html" || log "report --html failed"
case $gate_rc in
0) log "nothing regressed" ;;
1) log "REGRESSION: see $run/gate.json" ;;
9) log "inconclusive: see $run/gate.json" ;;
*) log "gate could not run (exit $gate_rc)" ;;
esac
exit $gate_rc
