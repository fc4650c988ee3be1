/* Unit tests for the cell comparison on fixed data
 * (harness/analyze/analysis.c): which samples make a cell, the statistics
 * of a row, the selections. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fake_samples.h"

/* ram vs self in one table: memmap_from_ram 2052 vs 4 KiB, latencies the
 * same; a warm-up row that would change the answer if it were counted. */
static void test_compare_modes(void **state)
{
	struct sample_table t = {0};
	struct ana_sel a, b;
	struct ana_cmp c;
	int i;

	for (i = 0; i < 10; i++) {
		add(&t, "ram", "add", "guest", "memmap_from_ram_kib", "KiB",
		    2052, 0);
		add(&t, "self", "add", "guest", "memmap_from_ram_kib", "KiB", 4,
		    0);
		add(&t, "ram", "online", "guest", "latency_ns", "ns",
		    20e6 + i * 1e4, 0);
		add(&t, "self", "online", "guest", "latency_ns", "ns",
		    20e6 + i * 1e4 + 5e3, 0);
		add(&t, "ram", "online", "guest", "errno", "", 0, 0);
	}
	add(&t, "self", "add", "guest", "memmap_from_ram_kib", "KiB", 9e9, 1);
	assert_int_equal(ana_parse_sel("memmap=ram", &a), 0);
	assert_int_equal(ana_parse_sel("memmap=self", &b), 0);
	assert_int_equal(ana_compare(&t, &a, &t, &b, &opts, &c), 0);
	/* errno is not compared; add comes before online */
	assert_int_equal(c.n, 2);
	assert_string_equal(c.rows[0].k.metric, "memmap_from_ram_kib");
	assert_int_equal(c.rows[0].a.n, 10);
	assert_int_equal(c.rows[0].b.n, 10);
	assert_true(c.rows[0].b.max == 4); /* warm-up left out */
	assert_true(c.rows[0].sig);
	/* lower is better: (2052 - 4) / 2052 = +99.805% */
	assert_true(fabs(c.rows[0].change_pct - 99.80506822612085) < 1e-9);
	assert_true(c.rows[0].ci_ok);
	assert_true(fabs(c.rows[0].ci.ratio - 4.0 / 2052) < 1e-12);
	/* 5 us on 20 ms: not significant after Holm */
	assert_false(c.rows[1].sig);
	assert_true(c.rows[1].p_holm >= c.rows[1].mw.p);
	ana_cmp_free(&c);
	/* a selection that matches nothing on one side: no common cell */
	assert_int_equal(ana_parse_sel("memmap=none", &b), 0);
	assert_int_equal(ana_compare(&t, &a, &t, &b, &opts, &c), 0);
	assert_int_equal(c.n, 0);
	ana_cmp_free(&c);
	free(t.s);
}

static void test_parse_sel(void **state)
{
	struct ana_sel s;

	assert_int_equal(ana_parse_sel("boot=1", &s), 0);
	assert_string_equal(s.key, "boot");
	assert_string_equal(s.val, "1");
	assert_int_equal(ana_parse_sel("memmap", &s), -EINVAL);
	assert_int_equal(ana_parse_sel("=ram", &s), -EINVAL);
	assert_int_equal(ana_parse_sel("mode=ram", &s), -EINVAL);
	assert_int_equal(ana_parse_sel("memmap=", &s), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare_modes),
		cmocka_unit_test(test_parse_sel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
