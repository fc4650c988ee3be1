/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A straight line through (x, y) points by least squares, with the slope's
 * confidence interval from Student's t: what the zone-size table reports
 * as ns per GiB of zone (README, "Cost against the size of the zone"). The
 * points are per-boot centres, the boot being the unit of evidence. */
#ifndef MHP_STATS_FIT_H
#define MHP_STATS_FIT_H

#include <stddef.h>

struct stats_slope {
	double slope, intercept;
	double se;     /* standard error of the slope */
	double lo, hi; /* its CI at the level asked for */
	double p;      /* two-sided, slope = 0 */
	size_t n;      /* points */
	int df;
};

/* Fits y = intercept + slope * x (gsl_fit_linear) over @n points; the CI
 * is slope +/- t(df = n - 2) * se at @level (0.95). -EINVAL with fewer
 * than 3 points or fewer than 2 distinct x. Residuals of zero give se = 0
 * and a CI of the slope alone. */
int stats_fit_slope(const double *x, const double *y, size_t n, double level,
		    struct stats_slope *out);

#endif
