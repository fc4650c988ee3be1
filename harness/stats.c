#include "stats.h"

#include <errno.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <string.h>

int stats_summarize(double *v, size_t n, struct stats_summary *out)
{
	memset(out, 0, sizeof(*out));
	if (!n)
		return -EINVAL;
	gsl_sort(v, 1, n);
	out->n = n;
	out->median = gsl_stats_median_from_sorted_data(v, 1, n);
	/* GSL's quantile is Hyndman & Fan type 7 (R's default). */
	out->q1 = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.25);
	out->q3 = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.75);
	out->iqr = out->q3 - out->q1;
	out->min = v[0];
	out->max = v[n - 1];
	out->mean = gsl_stats_mean(v, 1, n);
	out->sd = n > 1 ? gsl_stats_sd_m(v, 1, n, out->mean) : 0;
	return 0;
}
