// SPDX-License-Identifier: GPL-2.0-or-later
#include "results/stats.h"

#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
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

int stats_quantile(const double *v, size_t n, double p, double *out)
{
	double *s;

	if (!n || p < 0 || p > 1)
		return -EINVAL;
	s = malloc(n * sizeof(*s));
	if (!s)
		return -ENOMEM;
	memcpy(s, v, n * sizeof(*s));
	gsl_sort(s, 1, n);
	*out = gsl_stats_quantile_from_sorted_data(s, 1, n, p);
	free(s);
	return 0;
}

/* Number of ways to pick k of the values 0..m+k-1... as the count of
 * arrangements of na A's and nb B's with U = u: the standard recurrence
 * f(u; m, n) = f(u - n; m - 1, n) + f(u; m, n - 1), done in doubles. */
static int mw_exact_cdf(size_t na, size_t nb, double u, double *le, double *ge)
{
	size_t umax = na * nb, i, j, k;
	double *f, *g, total = 0, lo = 0, hi = 0;

	/* f[j][k]: ways with i A's and j B's giving U = k; iterate i. */
	f = calloc((nb + 1) * (umax + 1), sizeof(*f));
	g = calloc((nb + 1) * (umax + 1), sizeof(*g));
	if (!f || !g) {
		free(f);
		free(g);
		return -ENOMEM;
	}
#define F(a, j, k) (a)[(j) * (umax + 1) + (k)]
	for (j = 0; j <= nb; j++)
		F(f, j, 0) = 1; /* i = 0: U = 0 */
	for (i = 1; i <= na; i++) {
		memset(g, 0, (nb + 1) * (umax + 1) * sizeof(*g));
		for (j = 0; j <= nb; j++)
			for (k = 0; k <= i * j; k++) {
				/* the largest value is an A (beats j B's) or a
				 * B */
				double v = k >= j ? F(f, j, k - j) : 0;

				if (j)
					v += F(g, j - 1, k);
				F(g, j, k) = v;
			}
		memcpy(f, g, (nb + 1) * (umax + 1) * sizeof(*f));
	}
	for (k = 0; k <= umax; k++) {
		double c = F(f, nb, k);

		total += c;
		if (k <= u + 1e-9)
			lo += c;
		if (k + 1e-9 >= u)
			hi += c;
	}
#undef F
	free(f);
	free(g);
	*le = lo / total;
	*ge = hi / total;
	return 0;
}

int stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
		       struct stats_mw *out)
{
	size_t n = na + nb, i, j;
	double *all, ties = 0, u = 0, mu, sigma, z;
	int ret = 0, tied = 0;

	memset(out, 0, sizeof(*out));
	if (!na || !nb)
		return -EINVAL;
	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			u += a[i] > b[j] ? 1 : a[i] == b[j] ? 0.5 : 0;
	out->u = u;
	/* Tie groups over the pooled sample: sum of t^3 - t. */
	all = malloc(n * sizeof(*all));
	if (!all)
		return -ENOMEM;
	memcpy(all, a, na * sizeof(*a));
	memcpy(all + na, b, nb * sizeof(*b));
	gsl_sort(all, 1, n);
	for (i = 0; i < n;) {
		for (j = i + 1; j < n && all[j] == all[i]; j++)
			;
		if (j - i > 1) {
			double t = j - i;

			ties += t * t * t - t;
			tied = 1;
		}
		i = j;
	}
	free(all);
	if (!tied && na < 50 && nb < 50) {
		double le, ge;

		ret = mw_exact_cdf(na, nb, u, &le, &ge);
		if (ret)
			return ret;
		out->p = fmin(1, 2 * fmin(le, ge));
		out->exact = 1;
		return 0;
	}
	mu = na * (double)nb / 2;
	sigma = sqrt(na * (double)nb / 12 *
		     ((n + 1) - ties / ((double)n * (n - 1))));
	if (sigma == 0) {
		out->p = 1; /* every value equal: no evidence of a shift */
		return 0;
	}
	z = u - mu;
	z = (z - (z > 0 ? 0.5 : z < 0 ? -0.5 : 0)) / sigma;
	out->p = fmin(1, 2 * gsl_cdf_ugaussian_Q(fabs(z)));
	return 0;
}

struct holm_ix {
	double p;
	size_t i;
};

static int holm_cmp(const void *x, const void *y)
{
	const struct holm_ix *a = x, *b = y;

	if (a->p != b->p)
		return a->p < b->p ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

int stats_holm(double *p, size_t n)
{
	struct holm_ix *ix;
	double run = 0;
	size_t k;

	if (!n)
		return 0;
	ix = malloc(n * sizeof(*ix));
	if (!ix)
		return -ENOMEM;
	for (k = 0; k < n; k++)
		ix[k] = (struct holm_ix){.p = p[k], .i = k};
	qsort(ix, n, sizeof(*ix), holm_cmp);
	for (k = 0; k < n; k++) {
		double adj = fmin(1, (n - k) * ix[k].p);

		run = fmax(run, adj); /* step-down: never below a smaller p's */
		p[ix[k].i] = run;
	}
	free(ix);
	return 0;
}

int stats_welch_p(const double *a, size_t na, const double *b, size_t nb,
		  double *p)
{
	double ma, mb, va, vb, se2, t, df;

	if (na < 2 || nb < 2)
		return -EINVAL;
	ma = gsl_stats_mean(a, 1, na);
	mb = gsl_stats_mean(b, 1, nb);
	va = gsl_stats_variance_m(a, 1, na, ma) / na;
	vb = gsl_stats_variance_m(b, 1, nb, mb) / nb;
	se2 = va + vb;
	if (se2 == 0)
		return -EINVAL;
	t = (ma - mb) / sqrt(se2);
	df = se2 * se2 / (va * va / (na - 1) + vb * vb / (nb - 1));
	*p = 2 * gsl_cdf_tdist_Q(fabs(t), df);
	return 0;
}

/* p of every split i with at least 2 values on each side, up to @window of
 * them (Otava's windowed test); @a and @b hold @window values each. */
static void split_p(const double *v, size_t n, int window, double *a, double *b,
		    double *p)
{
	size_t i;
	int j;

	for (i = 2; i + 2 <= n; i++) {
		size_t na = 0, nb = 0, k;

		for (j = window; j > 0; j--)
			if (i >= (size_t)j)
				a[na++] = v[i - j];
		for (j = 0; j < window && i + j < n; j++)
			b[nb++] = v[i + j];
		if (stats_welch_p(a, na, b, nb, &p[i])) {
			/* No spread on either side: a step is certain,
			 * a flat line is no change. */
			double ma = 0, mb = 0;

			for (k = 0; k < na; k++)
				ma += a[k] / na;
			for (k = 0; k < nb; k++)
				mb += b[k] / nb;
			p[i] = ma != mb ? 0 : 1;
		}
	}
}

int stats_change_points(const double *v, size_t n, int window, double alpha,
			double *p, int *change)
{
	double *a, *b;
	size_t i;

	if (window < 2)
		return -EINVAL;
	a = malloc(window * sizeof(*a));
	b = malloc(window * sizeof(*b));
	if (!a || !b) {
		free(a);
		free(b);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		change[i] = 0;
		p[i] = NAN;
	}
	split_p(v, n, window, a, b, p);
	/* A change starts where p is the smallest within the window. */
	for (i = 0; i < n; i++) {
		size_t k, from = i >= (size_t)window ? i - window : 0;
		int best = isfinite(p[i]) && p[i] < alpha;

		for (k = from; best && k < n && k <= i + window; k++)
			if (k != i && isfinite(p[k]) &&
			    (p[k] < p[i] || (p[k] == p[i] && k < i)))
				best = 0;
		change[i] = best;
	}
	free(a);
	free(b);
	return 0;
}
