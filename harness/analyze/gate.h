/* `mhpbench gate`: a yes/no on whether a candidate run regressed against a
 * baseline run or the history, per metric and cell, with the evidence
 * (Mann-Whitney p after Holm, bootstrap CI of the ratio of medians) on
 * stdout, in gate.json and as JUnit XML. */
#ifndef MHP_GATE_H
#define MHP_GATE_H

#include "analyze/analysis.h"

enum gate_verdict {
	GATE_SAME,
	GATE_IMPROVEMENT,
	GATE_INCONCLUSIVE,
	GATE_REGRESSION,
};

const char *gate_verdict_name(enum gate_verdict v);

/* The verdict of one compared row (A = baseline, B = candidate) with its
 * reason: regression when p_holm < alpha and the whole CI of B/A lies
 * beyond the threshold on the worse side; improvement in the mirror case;
 * same when the whole CI lies within +-threshold; else inconclusive (also
 * when either side has fewer than @min_n samples). With @floor_guard, a
 * timing (unit ns) is a regression or improvement only if its minimum moved
 * past the threshold too: noise that only adds time moves the median but
 * not the floor. */
enum gate_verdict gate_judge(const struct ana_row *r, double alpha,
			     double threshold, size_t min_n, int floor_guard,
			     char *why, size_t len);

/* The subcommand; returns 0 nothing regressed, 1 regression,
 * EXIT_INCONCLUSIVE, EXIT_BADINPUT or 2 (command line). */
int gate_cmd(int argc, char **argv);

#endif
