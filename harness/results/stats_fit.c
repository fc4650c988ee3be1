// SPDX-License-Identifier: GPL-2.0-or-later
/* Least-squares slope with a t interval (stats_fit.h). */
#include "results/stats_fit.h"

#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include <math.h>

int stats_fit_slope(const double *x, const double *y, size_t n, double level,
		    struct stats_slope *out)
{
	double c0, c1, cov00, cov01, cov11, sumsq, t;
	int distinct = 0;

	for (size_t i = 1; i < n && !distinct; i++)
		distinct = x[i] != x[0];
	if (n < 3 || !distinct)
		return -EINVAL;
	/* cov is scaled by the residual variance sumsq / (n - 2). */
	gsl_fit_linear(x, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
	out->n = n;
	out->df = (int)n - 2;
	out->slope = c1;
	out->intercept = c0;
	out->se = sqrt(cov11);
	t = gsl_cdf_tdist_Pinv(0.5 + level / 2, out->df);
	out->lo = c1 - t * out->se;
	out->hi = c1 + t * out->se;
	out->p = out->se > 0 ? 2 * gsl_cdf_tdist_Q(fabs(c1) / out->se, out->df)
			     : (c1 != 0 ? 0 : 1);
	return 0;
}
