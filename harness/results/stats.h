/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Per-cell descriptive statistics and the tests the analysis uses (GSL for
 * quantiles and distributions, nothing hand-rolled); the boot-level test
 * and the bootstraps are results/stats_boot.h. */
#ifndef MHP_STATS_H
#define MHP_STATS_H

#include <stddef.h>

struct stats_summary {
	size_t n;
	double median, q1, q3, iqr;
	double min, max;
	double mean, sd; /* sd is 0 when n < 2 */
};

/* Sorts @v in place and fills @out. -EINVAL when n == 0. */
int stats_summarize(double *v, size_t n, struct stats_summary *out);

/* Quantile @p (0..1) of @v (not modified), Hyndman & Fan type 7 (R's
 * default, python's statistics.quantiles(method='inclusive')). */
int stats_quantile(const double *v, size_t n, double p, double *out);

/* Mann-Whitney U test, two-sided. u is A's U (the number of pairs (a, b)
 * with a > b, ties counting 1/2). As R's wilcox.test: the exact null
 * distribution when both samples have fewer than 50 values and there are
 * no ties, else the normal approximation with tie and continuity
 * correction. */
struct stats_mw {
	double u;
	double p;
	int exact;
};
int stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
		       struct stats_mw *out);

/* Holm's step-down adjustment of @n p-values, in place (order kept). */
int stats_holm(double *p, size_t n);

/* The centre a ratio is taken of: the median, or the minimum (for timings
 * whose noise only ever adds, the most robust estimator: Chen & Revels,
 * "Robust benchmarking in noisy environments", 2016). */
enum stats_center { STATS_MEDIAN, STATS_MIN };

/* A ratio of centres and its CI (results/stats_boot.h computes them). */
struct stats_ci {
	double ratio, lo, hi;
};

/* Welch's t-test, two-sided p. -EINVAL when a side has fewer than 2 values
 * or both have zero variance. */
int stats_welch_p(const double *a, size_t na, const double *b, size_t nb,
		  double *p);

/* Change points of a series @v (e.g. per-night medians), as Apache Otava
 * (Hunter) finds them: for every split i with at least 2 values on each
 * side, Welch's t-test of the @window values before i against the @window
 * values from i on gives @p[i] (NaN where no split is tested); i starts a
 * change (@change[i] = 1) when @p[i] < @alpha and it is the smallest p
 * among the neighbours within the window. -EINVAL when @window < 2. */
int stats_change_points(const double *v, size_t n, int window, double alpha,
			double *p, int *change);

#endif
