// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the change points of a series (stats_change_points in
 * harness/results/stats.c), the statistic `mhpbench history` marks its
 * trends with. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "results/stats.h"

static void test_change_points(void **state)
{
	/* a step from ~20 to ~30 at index 6 */
	static const double step[] = {20.1, 19.9, 20.0, 20.2, 19.8, 20.0,
				      30.1, 29.9, 30.2, 30.0, 29.8, 30.1};
	/* noise only */
	static const double flat[] = {20.1, 19.9, 20.0, 20.2, 19.8, 20.0,
				      20.1, 19.9, 20.2, 20.0, 19.8, 20.1};
	/* a step without any noise (Welch's t is undefined: p = 0) */
	static const double exact[] = {5, 5, 5, 5, 9, 9, 9, 9};
	double p[12];
	int change[12];
	size_t i, n;

	assert_int_equal(stats_change_points(step, 12, 5, 0.01, p, change), 0);
	for (i = n = 0; i < 12; i++)
		n += change[i];
	assert_int_equal(n, 1);
	assert_true(change[6]);
	assert_true(p[6] < 1e-6);

	assert_int_equal(stats_change_points(flat, 12, 5, 0.01, p, change), 0);
	for (i = 0; i < 12; i++)
		assert_false(change[i]);

	assert_int_equal(stats_change_points(exact, 8, 3, 0.01, p, change), 0);
	for (i = n = 0; i < 8; i++)
		n += change[i];
	assert_int_equal(n, 1);
	assert_true(change[4]);

	/* too short to test: nothing marked, nothing tested */
	assert_int_equal(stats_change_points(step, 3, 5, 0.01, p, change), 0);
	assert_false(change[0] || change[1] || change[2]);
	assert_int_equal(stats_change_points(step, 3, 1, 0.01, p, change),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_change_points),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
