// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for harness/results/stats.c against known answers: the
 * Mann-Whitney example from Hollander & Wolfe (the one in R's ?wilcox.test),
 * Holm's example from Wikipedia's Holm-Bonferroni article, quantiles
 * cross-checked with python3's statistics.quantiles(method='inclusive'), and
 * Welch's t-test against R's t.test(1:5, 6:10). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "results/stats.h"
#include "results/stats_boot.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void near(double got, double want, double tol)
{
	if (fabs(got - want) > tol)
		fail_msg("got %.10g, want %.10g (tol %g)", got, want, tol);
}

static void test_summarize(void **state)
{
	double v[] = {7, 1, 3, 4, 8, 12, 15, 21, 22, 30};
	struct stats_summary s;

	assert_int_equal(stats_summarize(v, ARRAY_SIZE(v), &s), 0);
	assert_int_equal(s.n, 10);
	near(s.median, 10.0, 1e-12);
	/* python3: statistics.quantiles([1,3,4,7,8,12,15,21,22,30], n=4,
	 * method='inclusive') == [4.75, 10.0, 19.5] */
	near(s.q1, 4.75, 1e-12);
	near(s.q3, 19.5, 1e-12);
	near(s.iqr, 14.75, 1e-12);
	near(s.min, 1, 0);
	near(s.max, 30, 0);
	near(s.mean, 12.3, 1e-12);
	assert_int_equal(stats_summarize(v, 0, &s), -EINVAL);
}

static void test_quantile_python(void **state)
{
	/* statistics.quantiles(d, n=20, method='inclusive') for this d
	 * (unsorted, with ties and a negative value). */
	static const double d[] = {2.5, 0.1, 7.25, 3.0, 3.0, 11.5, -4.0};
	static const double want[] = {
		-2.77, -1.54, -0.31, 0.58, 1.3,	  2.02, 2.55,  2.7,  2.85,  3.0,
		3.0,   3.0,   3.0,   3.85, 5.125, 6.4,	7.675, 8.95, 10.225};
	static const double d10[] = {1, 3, 4, 7, 8, 12, 15, 21, 22, 30};
	static const double want10[] = {2.8,  3.8,  6.1,  7.6, 10.0,
					13.2, 16.8, 21.2, 22.8};
	double q;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		assert_int_equal(
			stats_quantile(d, ARRAY_SIZE(d), (i + 1) / 20.0, &q),
			0);
		near(q, want[i], 1e-9);
	}
	for (i = 0; i < ARRAY_SIZE(want10); i++) {
		assert_int_equal(stats_quantile(d10, ARRAY_SIZE(d10),
						(i + 1) / 10.0, &q),
				 0);
		near(q, want10[i], 1e-9);
	}
	assert_int_equal(stats_quantile(d, ARRAY_SIZE(d), 0, &q), 0);
	near(q, -4.0, 0);
	assert_int_equal(stats_quantile(d, ARRAY_SIZE(d), 1, &q), 0);
	near(q, 11.5, 0);
	assert_int_equal(stats_quantile(d, 0, 0.5, &q), -EINVAL);
	assert_int_equal(stats_quantile(d, 3, 1.5, &q), -EINVAL);
}

static void test_mw_hollander_wolfe(void **state)
{
	/* Hollander & Wolfe (1973), p. 69; R: wilcox.test(x, y, alternative
	 * = "g") gives W = 35, p = 0.1272, so two-sided p = 0.2544 (also
	 * checked by enumerating all 3003 splits in python). */
	static const double x[] = {0.80, 0.83, 1.89, 1.04, 1.45,
				   1.38, 1.91, 1.64, 0.73, 1.46};
	static const double y[] = {1.15, 0.88, 0.90, 0.74, 1.21};
	struct stats_mw mw;

	assert_int_equal(
		stats_mann_whitney(x, ARRAY_SIZE(x), y, ARRAY_SIZE(y), &mw), 0);
	near(mw.u, 35, 0);
	assert_true(mw.exact);
	near(mw.p, 0.2544122544, 1e-9);
	/* Swapping the samples gives U' = na * nb - U and the same p. */
	assert_int_equal(
		stats_mann_whitney(y, ARRAY_SIZE(y), x, ARRAY_SIZE(x), &mw), 0);
	near(mw.u, 15, 0);
	near(mw.p, 0.2544122544, 1e-9);
}

static void test_mw_ties_normal(void **state)
{
	/* With ties: normal approximation with tie and continuity
	 * correction, as R's wilcox.test(c(1,2,2,3,3,3), c(3,4,4,5)):
	 * W = 1.5, p = 0.02683. */
	static const double a[] = {1, 2, 2, 3, 3, 3};
	static const double b[] = {3, 4, 4, 5};
	static const double same[] = {2048, 2048, 2048};
	struct stats_mw mw;

	assert_int_equal(stats_mann_whitney(a, 6, b, 4, &mw), 0);
	near(mw.u, 1.5, 0);
	assert_false(mw.exact);
	near(mw.p, 0.02682621908, 1e-9);
	/* All values equal: no evidence, p = 1. */
	assert_int_equal(stats_mann_whitney(same, 3, same, 3, &mw), 0);
	near(mw.p, 1, 0);
	assert_int_equal(stats_mann_whitney(a, 0, b, 4, &mw), -EINVAL);
}

static void test_mw_complete_separation(void **state)
{
	/* 10 vs 10, all of A below all of B: U = 0 and the exact two-sided
	 * p is 2 / C(20, 10) = 2 / 184756. */
	double a[10], b[10];
	struct stats_mw mw;
	int i;

	for (i = 0; i < 10; i++) {
		a[i] = i;
		b[i] = 100 + i;
	}
	assert_int_equal(stats_mann_whitney(a, 10, b, 10, &mw), 0);
	near(mw.u, 0, 0);
	near(mw.p, 2.0 / 184756, 1e-15);
}

static void test_holm_wikipedia(void **state)
{
	/* Wikipedia, Holm-Bonferroni method, example: four hypotheses with
	 * p = 0.01, 0.04, 0.03, 0.005 at alpha 0.05; H1 and H4 rejected.
	 * Adjusted (R's p.adjust(p, "holm")): 0.03, 0.06, 0.06, 0.02. */
	double p[] = {0.01, 0.04, 0.03, 0.005};

	assert_int_equal(stats_holm(p, 4), 0);
	near(p[0], 0.03, 1e-12);
	near(p[1], 0.06, 1e-12);
	near(p[2], 0.06, 1e-12);
	near(p[3], 0.02, 1e-12);
	assert_true(p[0] < 0.05 && p[3] < 0.05);
	assert_false(p[1] < 0.05 || p[2] < 0.05);
}

static void test_holm_caps_at_one(void **state)
{
	double p[] = {0.5, 0.9, 0.001};

	assert_int_equal(stats_holm(p, 3), 0);
	near(p[2], 0.003, 1e-12);
	near(p[0], 1.0, 0);
	near(p[1], 1.0, 0);
	assert_int_equal(stats_holm(p, 0), 0);
}

static void test_bootstrap(void **state)
{
	double a[12], b[12];
	struct stats_ci c1, c2, c3;
	static const double zero[] = {0, 0, 0, 1};
	int i;

	for (i = 0; i < 12; i++) {
		a[i] = 100 + (i % 4);
		b[i] = 120 + (i % 5);
	}
	assert_int_equal(stats_bootstrap_ratio(a, 12, b, 12, STATS_MEDIAN, 42,
					       2000, 0.95, &c1),
			 0);
	assert_int_equal(stats_bootstrap_ratio(a, 12, b, 12, STATS_MEDIAN, 42,
					       2000, 0.95, &c2),
			 0);
	/* Seeded: the same seed gives the same interval. */
	near(c1.lo, c2.lo, 0);
	near(c1.hi, c2.hi, 0);
	/* median(a) = 101.5, median(b) = 121.5: ratio 1.19704 */
	near(c1.ratio, 121.5 / 101.5, 1e-12);
	assert_true(c1.lo <= c1.ratio && c1.ratio <= c1.hi);
	assert_true(c1.lo > 1.1 && c1.hi < 1.3);
	assert_int_equal(stats_bootstrap_ratio(a, 12, b, 12, STATS_MEDIAN, 7,
					       2000, 0.95, &c3),
			 0);
	assert_true(c3.lo > 1.1 && c3.hi < 1.3);
	/* A median of zero: the ratio is undefined. */
	assert_int_equal(stats_bootstrap_ratio(zero, 4, b, 12, STATS_MEDIAN, 1,
					       100, 0.95, &c3),
			 -EDOM);
	assert_true(isnan(c3.ratio));
	/* The minimum: min(b) / min(a) = 120 / 100, and every resample's
	 * ratio lies between min(b)/max(a) and max(b)/min(a). */
	assert_int_equal(stats_bootstrap_ratio(a, 12, b, 12, STATS_MIN, 42,
					       2000, 0.95, &c3),
			 0);
	near(c3.ratio, 1.2, 1e-12);
	assert_true(c3.lo >= 120.0 / 103 && c3.hi <= 124.0 / 100);
}

static void test_welch(void **state)
{
	/* R: t.test(1:5, 6:10): t = -5, df = 8, p-value = 0.001053 */
	static const double a[] = {1, 2, 3, 4, 5}, b[] = {6, 7, 8, 9, 10};
	static const double c[] = {3, 3, 3};
	double p;

	assert_int_equal(stats_welch_p(a, 5, b, 5, &p), 0);
	near(p, 0.001052825793, 1e-9);
	assert_int_equal(stats_welch_p(c, 3, c, 3, &p), -EINVAL);
	assert_int_equal(stats_welch_p(a, 1, b, 5, &p), -EINVAL);
}

/* Two boots a side, three cycles each. Centres (medians): A {2, 4}, B
 * {6, 8}. Welch on them: means 3 and 7, variances 2 and 2, se^2 = 2/2 +
 * 2/2 = 2, t = -4 / sqrt(2) = -2.828, df = 2^2 / (1/1 + 1/1) = 2. With 2
 * degrees of freedom P(|T| > t) = 1 - t / sqrt(t^2 + 2) = 1 - sqrt(0.8) =
 * 0.105573: not significant, where a test of the 6 against 6 cycles as if
 * independent would be (Mann-Whitney exact p = 0.0043). */
static void test_boot_welch_by_hand(void **state)
{
	const double av[] = {1, 2, 3, 3, 4, 5}, bv[] = {5, 6, 7, 7, 8, 9};
	const int g[] = {0, 0, 0, 1, 1, 1};
	struct stats_grouped a = {av, g, 6, 2}, b = {bv, g, 6, 2};
	struct stats_grouped one = {av, (const int[]){0, 0, 0, 0, 0, 0}, 6, 1};
	double c[2], p;
	struct stats_mw mw;

	(void)state;
	assert_int_equal(stats_group_centres(&a, STATS_MEDIAN, c), 0);
	near(c[0], 2, 1e-12);
	near(c[1], 4, 1e-12);
	assert_int_equal(stats_group_centres(&b, STATS_MIN, c), 0);
	near(c[0], 5, 1e-12);
	near(c[1], 7, 1e-12);
	assert_int_equal(stats_boot_welch(&a, &b, STATS_MEDIAN, &p), 0);
	near(p, 1 - sqrt(0.8), 1e-9);
	assert_int_equal(stats_mann_whitney(av, 6, bv, 6, &mw), 0);
	assert_true(mw.p < 0.05);
	/* one boot on a side: no test */
	assert_int_equal(stats_boot_welch(&one, &b, STATS_MEDIAN, &p), -EINVAL);
	/* no spread between boots: equal centres p = 1, else 0 */
	{
		const double x[] = {4, 4, 4, 4}, y[] = {9, 9, 9, 9};
		const int h[] = {0, 0, 1, 1};
		struct stats_grouped gx = {x, h, 4, 2}, gy = {y, h, 4, 2};

		assert_int_equal(stats_boot_welch(&gx, &gx, STATS_MEDIAN, &p),
				 0);
		near(p, 1, 0);
		assert_int_equal(stats_boot_welch(&gx, &gy, STATS_MEDIAN, &p),
				 0);
		near(p, 0, 0);
	}
}

/* The two-stage bootstrap: the ratio of the pooled centres, a CI around
 * it that is a point when every value is the same, whole boots drawn, and
 * a wider CI than the cycles' bootstrap when the boots disagree (four
 * boots at 10, 12, 14 and 16 ms, 25 cycles each: the cycles alone would
 * claim a precision that the boots do not have). */
static void test_boot_ratio(void **state)
{
	const double av[] = {10, 10, 10, 10, 20, 20, 20, 20};
	const int split[] = {0, 0, 0, 0, 1, 1, 1, 1};
	struct stats_grouped a = {av, split, 8, 2};
	const double k[] = {3, 3, 3, 3}, k2[] = {6, 6, 6, 6},
		     z[] = {0, 0, 0, 0};
	const int h[] = {0, 0, 1, 1};
	struct stats_grouped ka = {k, h, 4, 2}, kb = {k2, h, 4, 2};
	struct stats_grouped gz = {z, h, 4, 2};
	double v[100];
	int g[100], i;
	struct stats_grouped four = {v, g, 100, 4};
	struct stats_ci ci, flat;

	(void)state;
	assert_int_equal(
		stats_boot_ratio(&ka, &kb, STATS_MEDIAN, 1, 500, 0.95, &ci), 0);
	near(ci.ratio, 2, 1e-12);
	near(ci.lo, 2, 1e-12);
	near(ci.hi, 2, 1e-12);
	/* a boot of 10s and one of 20s a side: some resamples draw only the
	 * 10s boot for A and only the 20s boot for B (1 in 16) */
	assert_int_equal(
		stats_boot_ratio(&a, &a, STATS_MEDIAN, 1, 2000, 0.95, &ci), 0);
	near(ci.ratio, 1, 1e-12);
	near(ci.lo, 0.5, 1e-12);
	near(ci.hi, 2, 1e-12);
	for (i = 0; i < 100; i++) {
		g[i] = i / 25;
		v[i] = 10 + 2 * g[i] + 0.001 * (i % 25);
	}
	assert_int_equal(stats_boot_ratio(&four, &four, STATS_MEDIAN, 1, 2000,
					  0.95, &ci),
			 0);
	assert_int_equal(stats_bootstrap_ratio(v, 100, v, 100, STATS_MEDIAN, 1,
					       2000, 0.95, &flat),
			 0);
	assert_true(ci.lo < flat.lo && ci.hi > flat.hi);
	assert_true(ci.hi - ci.lo > 1.5 * (flat.hi - flat.lo));
	/* a zero centre in A: no ratio */
	assert_int_equal(
		stats_boot_ratio(&gz, &kb, STATS_MEDIAN, 1, 500, 0.95, &ci),
		-EDOM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summarize),
		cmocka_unit_test(test_quantile_python),
		cmocka_unit_test(test_mw_hollander_wolfe),
		cmocka_unit_test(test_mw_ties_normal),
		cmocka_unit_test(test_mw_complete_separation),
		cmocka_unit_test(test_holm_wikipedia),
		cmocka_unit_test(test_holm_caps_at_one),
		cmocka_unit_test(test_bootstrap),
		cmocka_unit_test(test_welch),
		cmocka_unit_test(test_boot_welch_by_hand),
		cmocka_unit_test(test_boot_ratio),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
