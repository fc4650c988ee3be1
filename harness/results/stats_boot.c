// SPDX-License-Identifier: GPL-2.0-or-later
/* Boot-level statistics (stats_boot.h): the centres of groups, Welch's
 * t-test on them and the two-stage bootstrap. */
#include "results/stats_boot.h"

#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static double centre_sorted(const double *v, size_t n, enum stats_center c)
{
	return c == STATS_MIN ? v[0]
			      : gsl_stats_median_from_sorted_data(v, 1, n);
}

/* The values of group @k of @x, into @buf; their count. */
static size_t group_values(const struct stats_grouped *x, size_t k, double *buf)
{
	size_t i, n = 0;

	for (i = 0; i < x->n; i++)
		if ((size_t)x->g[i] == k)
			buf[n++] = x->v[i];
	return n;
}

int stats_group_centres(const struct stats_grouped *x, enum stats_center c,
			double *out)
{
	double *buf = malloc((x->n ? x->n : 1) * sizeof(*buf));
	size_t k, n;

	if (!buf)
		return -ENOMEM;
	for (k = 0; k < x->ng; k++) {
		n = group_values(x, k, buf);
		if (!n) {
			free(buf);
			return -EINVAL;
		}
		gsl_sort(buf, 1, n);
		out[k] = centre_sorted(buf, n, c);
	}
	free(buf);
	return 0;
}

int stats_boot_welch(const struct stats_grouped *a,
		     const struct stats_grouped *b, enum stats_center c,
		     double *p)
{
	double *ca, *cb;
	int ret;

	if (a->ng < STATS_MIN_BOOTS || b->ng < STATS_MIN_BOOTS)
		return -EINVAL;
	ca = malloc(a->ng * sizeof(*ca));
	cb = malloc(b->ng * sizeof(*cb));
	ret = ca && cb ? 0 : -ENOMEM;
	if (!ret)
		ret = stats_group_centres(a, c, ca);
	if (!ret)
		ret = stats_group_centres(b, c, cb);
	if (!ret && stats_welch_p(ca, a->ng, cb, b->ng, p) == -EINVAL)
		/* no spread on either side: every boot gave the same centre */
		*p = gsl_stats_mean(ca, 1, a->ng) ==
				     gsl_stats_mean(cb, 1, b->ng)
			     ? 1
			     : 0;
	free(ca);
	free(cb);
	return ret;
}

/* Each group's values, contiguous, with their offsets: what a resample
 * draws from. */
struct groups {
	double *v;
	size_t *off; /* group k is v[off[k]] .. v[off[k + 1] - 1] */
	size_t ng, n;
};

static int groups_make(const struct stats_grouped *x, struct groups *gr)
{
	size_t k;

	gr->ng = x->ng;
	gr->n = x->n;
	gr->v = malloc((x->n ? x->n : 1) * sizeof(*gr->v));
	gr->off = malloc((x->ng + 1) * sizeof(*gr->off));
	if (!gr->v || !gr->off)
		return -ENOMEM;
	gr->off[0] = 0;
	for (k = 0; k < x->ng; k++)
		gr->off[k + 1] =
			gr->off[k] + group_values(x, k, gr->v + gr->off[k]);
	return 0;
}

static void groups_free(struct groups *gr)
{
	free(gr->v);
	free(gr->off);
}

/* One two-stage resample's centre; @buf holds at least gr->n values times
 * the largest group's share, i.e. ng * max group size. */
static double resample(gsl_rng *r, const struct groups *gr, double *buf,
		       enum stats_center c)
{
	size_t k, i, m = 0;

	for (k = 0; k < gr->ng; k++) {
		size_t g = gsl_rng_uniform_int(r, gr->ng);
		size_t lo = gr->off[g], sz = gr->off[g + 1] - lo;

		for (i = 0; i < sz; i++)
			buf[m++] = gr->v[lo + gsl_rng_uniform_int(r, sz)];
	}
	gsl_sort(buf, 1, m);
	return centre_sorted(buf, m, c);
}

static size_t largest_group(const struct groups *gr)
{
	size_t k, big = 0;

	for (k = 0; k < gr->ng; k++)
		if (gr->off[k + 1] - gr->off[k] > big)
			big = gr->off[k + 1] - gr->off[k];
	return big;
}

static double whole_centre(const struct groups *gr, double *buf,
			   enum stats_center c)
{
	memcpy(buf, gr->v, gr->n * sizeof(*buf));
	gsl_sort(buf, 1, gr->n);
	return centre_sorted(buf, gr->n, c);
}

static int ratio_ci(const struct groups *ga, const struct groups *gb,
		    enum stats_center c, unsigned long seed, int reps,
		    double level, struct stats_ci *out)
{
	size_t big = largest_group(ga) > largest_group(gb) ? largest_group(ga)
							   : largest_group(gb);
	size_t ng = ga->ng > gb->ng ? ga->ng : gb->ng, k, got = 0;
	double *buf = malloc((ng * big + ga->n + gb->n + 1) * sizeof(*buf));
	double *ratios = malloc(reps * sizeof(*ratios)), ma, mb;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	int ret = 0;

	if (!buf || !ratios || !r) {
		ret = -ENOMEM;
		goto out;
	}
	ma = whole_centre(ga, buf, c);
	mb = whole_centre(gb, buf, c);
	if (ma == 0) {
		ret = -EDOM;
		goto out;
	}
	out->ratio = mb / ma;
	gsl_rng_set(r, seed);
	for (k = 0; k < (size_t)reps; k++) {
		double ra = resample(r, ga, buf, c);
		double rb = resample(r, gb, buf, c);

		if (ra != 0)
			ratios[got++] = rb / ra;
	}
	if (got < (size_t)reps / 2) {
		ret = -EDOM;
		goto out;
	}
	gsl_sort(ratios, 1, got);
	out->lo = gsl_stats_quantile_from_sorted_data(ratios, 1, got,
						      (1 - level) / 2);
	out->hi = gsl_stats_quantile_from_sorted_data(ratios, 1, got,
						      (1 + level) / 2);
out:
	gsl_rng_free(r);
	free(ratios);
	free(buf);
	return ret;
}

int stats_boot_ratio(const struct stats_grouped *a,
		     const struct stats_grouped *b, enum stats_center c,
		     unsigned long seed, int reps, double level,
		     struct stats_ci *out)
{
	struct groups ga = {0}, gb = {0};
	int ret;

	out->ratio = out->lo = out->hi = NAN;
	if (!a->n || !b->n || !a->ng || !b->ng || reps < 10 || level <= 0 ||
	    level >= 1)
		return -EINVAL;
	ret = groups_make(a, &ga);
	if (!ret)
		ret = groups_make(b, &gb);
	if (!ret)
		ret = ratio_ci(&ga, &gb, c, seed, reps, level, out);
	groups_free(&ga);
	groups_free(&gb);
	return ret;
}

int stats_bootstrap_ratio(const double *a, size_t na, const double *b,
			  size_t nb, enum stats_center center,
			  unsigned long seed, int reps, double level,
			  struct stats_ci *out)
{
	int *g = calloc((na > nb ? na : nb) + 1, sizeof(*g));
	struct stats_grouped ga = {a, g, na, 1}, gb = {b, g, nb, 1};
	int ret;

	if (!g)
		return -ENOMEM;
	ret = stats_boot_ratio(&ga, &gb, center, seed, reps, level, out);
	free(g);
	return ret;
}
