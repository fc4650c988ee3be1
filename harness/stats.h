/* Per-cell descriptive statistics (GSL; nothing hand-rolled). */
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

#endif
