#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Nightly: run the nightly job, append it to the history, gate it against
# the history, plot it (with the trend) and write RUN/report.html. Exit
# status: the gate's (0 nothing regressed, 1 regression, 9 inconclusive,
# 10 bad input), or the run's when the run itself failed.
#
#   scripts/nightly.sh [JOB]             (default bench/nightly.job)
#   RESULTS=DIR   where runs and history.db go (default results)
#   NIGHTLY_RUN=DIR  skip the run and use this finished run directory
#                    (for testing the rest of the pipeline)
#   GATE_ARGS="--threshold 10"  extra arguments for mhpbench gate
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
JOB=${1:-bench/nightly.job}
RESULTS=${RESULTS:-results}
DB="$RESULTS/history.db"
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
		[ -d "$run" ] && "$MHP" history --db "$DB" --append "$run" >&2
		log "run failed with exit $rc"
		exit $rc
	fi
fi

# The gate compares with the nights before this one, so it runs before
# the append; the first night has no history and nothing to gate against.
gate_rc=0
if [ -f "$DB" ]; then
	# shellcheck disable=SC2086
	"$MHP" gate --results "$RESULTS" --db "$DB" --baseline history \
		--candidate "$run" ${GATE_ARGS:-}
	gate_rc=$?
else
	log "no history yet at $DB: nothing to gate against tonight"
fi
"$MHP" history --db "$DB" --append "$run" >&2 || exit $?
"$MHP" plot --results "$RESULTS" --db "$DB" "$run" || log "plot failed"
# One page for the night: provenance, tables, the gate's verdicts (RUN/
# gate.json), the plots and the trend (README, "Analysis").
"$MHP" report --html --results "$RESULTS" --history "$DB" -o "$run/report.html" "$run" &&
	log "report: $run/report.html" || log "report --html failed"
case $gate_rc in
0) log "nothing regressed" ;;
1) log "REGRESSION: see $run/gate.json" ;;
9) log "inconclusive: see $run/gate.json" ;;
*) log "gate could not run (exit $gate_rc)" ;;
esac
exit $gate_rc
