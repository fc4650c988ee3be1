/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `mhpbench gate`: a yes/no on whether a candidate run regressed against a
 * baseline run or the history, per metric and cell, with the evidence
 * (Mann-Whitney p after Holm, bootstrap CI of the ratio of medians, or the
 * ranges and shares of the metrics the kernel's code sets) on stdout, in
 * gate.json and as JUnit XML (gate_out.h). This part judges; gate_cmd.h
 * is the command line. */
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

/* What a change must exceed to count: @rel of the baseline's centre and
 * @abs in the sample's unit (ns, KiB). The larger of the two decides, so
 * a centre of 0 or 4 KiB still has a tolerance. */
struct gate_tol {
	double rel, abs;
};

/* The verdict of one compared row (A = baseline, B = candidate) with its
 * reason, by the kind of its metric (ana_metric()):
 * - METRIC_BOOL (self_hosted): the share of 1s on each side; a change of the
 *   share by more than @tol.abs is a regression (neutral metric) whatever
 *   n, else same.
 * - METRIC_EXACT (memory amounts): every value of B beyond every value of A
 *   by more than the tolerance is a change whatever n; every value of both
 *   within the tolerance of A's centre is the same; else as METRIC_NOISY.
 * - METRIC_NOISY, and the rest: inconclusive when either side has fewer than
 *   @min_n samples; regression when p_holm < alpha and the whole CI of B/A
 *   lies beyond the tolerance on the worse side; improvement in the mirror
 *   case; same when the whole CI lies within it; else inconclusive. With a
 *   baseline centre of 0 (no ratio) the middle half (q1..q3) of B stands
 *   in for the CI. With @floor_guard, a timing (unit ns) is a regression or
 *   improvement only if its minimum moved past the tolerance too: noise
 *   that only adds time moves the median but not the floor. */
enum gate_verdict gate_judge(const struct ana_row *r, double alpha,
			     struct gate_tol tol, size_t min_n, int floor_guard,
			     char *why, size_t len);

/* How a gate judges: the comparison's options, the relative threshold (a
 * default and per metric, as fractions), absolute tolerances that replace
 * the metrics' own, the smallest n, the floor guard and whether cells of
 * the baseline may be missing from the candidate. */
struct gate_rules {
	struct ana_opts ao;
	double threshold;
	struct gate_threshold {
		char metric[48];
		double frac; /* abs[]: in the sample's unit */
	} thr[16], abs[16];
	int nthr, nabs;
	int threshold_set; /* the default came from the command line */
	size_t min_n;
	int floor_guard;
	int allow_missing;
};

/* The metrics gated when none is named: the guest-view latency, the
 * memmap taken from RAM and whether it was self-hosted. */
#define GATE_NDEFAULT 5
extern const char *const gate_default_metrics[GATE_NDEFAULT];

/* Sets @g's metrics to @metrics (or the defaults when @n is 0). Deep
 * cells (traced, probed: n=1 a boot) take part only when a metric names
 * the view (`memmap_from_ram_kib:deep`) or @deep is set. */
void gate_select(struct gate_rules *g, const char *const *metrics, int n,
		 int deep);

/* The threshold @metric is judged with, and its whole tolerance. */
double gate_threshold_for(const struct gate_rules *g, const char *metric);
struct gate_tol gate_tol_for(const struct gate_rules *g, const char *metric);

/* Adds "METRIC=PCT" (or sets the default from "PCT") to @g; @from_job: an
 * entry from the candidate's job, whose default yields to the command
 * line's. 0 or -EINVAL. */
int gate_add_threshold(struct gate_rules *g, const char *text, int from_job);

/* Adds "METRIC=VALUE" to @g: the absolute tolerance of METRIC, in the unit
 * it is shown in (ms, KiB), which may follow the number. 0 or -EINVAL. */
int gate_add_abs(struct gate_rules *g, const char *text);

/* A cell of the baseline that the candidate lacks: a regression with its
 * reason, unless allowed (--allow-missing). */
struct gate_gone {
	struct ana_key k;
	int allowed;
	char why[512];
};

/* The verdicts of every row of a comparison, each with its reason and the
 * tolerance it was judged with, and the cells that vanished. */
struct gate_result {
	enum gate_verdict *verdict;
	char (*why)[512];
	double *threshold;
	double *abs_tol;
	struct gate_gone *gone;
	size_t ngone;
	size_t vanished; /* gone cells not allowed: counted as regressions */
	size_t count[4]; /* rows per verdict, vanished cells included */
	enum gate_verdict worst;
};

/* Judges every row of @c by @g, and every cell of the baseline missing in
 * the candidate (c->gone), with the reason the candidate's @manifest gives
 * (its "skipped" entries, its status; may be NULL). 0 or -ENOMEM. */
int gate_judge_all(const struct ana_cmp *c, const struct gate_rules *g,
		   const json_t *manifest, struct gate_result *res);
void gate_result_free(struct gate_result *res);

/* What the worst verdict makes of the exit: EXIT_FAIL (1) for a
 * regression, EXIT_INCONCLUSIVE, else EXIT_OK. */
enum mhp_exit gate_exit_code(enum gate_verdict worst);

#endif
