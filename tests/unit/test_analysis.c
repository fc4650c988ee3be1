// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the cell comparison on fixed data
 * (harness/analyze/analysis.c): which samples make a cell (never samples
 * of two kernels, accels or block sizes), the statistics of a row, the
 * selections. */
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
	spread_boots(&t, 2);
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
	assert_true(c.rows[1].p_holm >= c.rows[1].p);
	assert_int_equal(c.rows[1].boots_a, 2);
	assert_true(c.rows[1].gate_grade);
	ana_cmp_free(&c);
	/* a selection that matches nothing on one side: no common cell */
	assert_int_equal(ana_parse_sel("memmap=none", &b), 0);
	assert_int_equal(ana_compare(&t, &a, &t, &b, &opts, &c), 0);
	assert_int_equal(c.n, 0);
	ana_cmp_free(&c);
	free(t.s);
}

/* No row's centre lies between the two kernels' values. */
static void assert_unpooled(const struct ana_cmp *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		assert_true(c->rows[i].ca < 100 || c->rows[i].ca > 4000);
		assert_true(c->rows[i].cb < 100 || c->rows[i].cb > 4000);
		assert_int_equal(c->rows[i].a.n, 5);
		assert_int_equal(c->rows[i].b.n, 5);
	}
}

/* ram against self on a two-kernel run: one row per kernel, in the
 * kernels' order, each kernel's own values. */
static void test_two_kernels_modes(void **state)
{
	struct sample_table t = {0};
	struct ana_sel a, b;
	struct ana_cmp c;
	char buf[256];

	two_kernels(&t);
	assert_int_equal(ana_parse_sel("memmap=ram", &a), 0);
	assert_int_equal(ana_parse_sel("memmap=self", &b), 0);
	assert_int_equal(ana_compare(&t, &a, &t, &b, &opts, &c), 0);
	assert_int_equal(c.n, 2);
	assert_true(c.fold & ANA_FOLD_MEMMAP);
	assert_false(c.fold & ANA_FOLD_KERNEL);
	assert_true(c.fold & ANA_FOLD_ACCEL);
	assert_true(c.fold & ANA_FOLD_BLOCK);
	assert_string_equal(c.rows[0].k.kernel, "k61");
	assert_string_equal(c.rows[1].k.kernel, "k612");
	assert_true(c.rows[0].cb == 4102);
	assert_true(c.rows[1].cb == 4);
	assert_unpooled(&c);
	ana_axes_list(&c.ax[1], 'k', buf, sizeof(buf));
	assert_string_equal(buf, "k61, k612");
	ana_cmp_free(&c);
	free(t.s);
}

/* kernel=k61 against kernel=k612: the kernel axis becomes A and B, the
 * modes stay apart. */
static void test_two_kernels_selected(void **state)
{
	struct sample_table t = {0};
	struct ana_sel a, b;
	struct ana_cmp c;

	two_kernels(&t);
	spread_boots(&t, 2);
	assert_int_equal(ana_parse_sel("kernel=k61", &a), 0);
	assert_int_equal(ana_parse_sel("kernel=k612", &b), 0);
	assert_int_equal(ana_compare(&t, &a, &t, &b, &opts, &c), 0);
	assert_int_equal(c.n, 2);
	assert_true(c.fold & ANA_FOLD_KERNEL);
	assert_false(c.fold & ANA_FOLD_MEMMAP);
	assert_string_equal(c.rows[0].k.kernel, "");
	assert_string_equal(c.rows[0].k.memmap, "ram");
	assert_string_equal(c.rows[1].k.memmap, "self");
	assert_true(c.rows[0].ca == 4102 && c.rows[0].cb == 4102);
	assert_true(c.rows[1].ca == 4102 && c.rows[1].cb == 4);
	assert_true(c.rows[1].sig);
	assert_unpooled(&c);
	ana_cmp_free(&c);
	free(t.s);
}

/* Two runs of one kernel each: their kernels are A and B (a patch A/B);
 * a run of two kernels against one of one: compared within the kernel
 * they share, the other one on one side only. */
static void test_two_runs(void **state)
{
	struct sample_table t = {0}, ta = {0}, tb = {0};
	struct ana_cmp c;
	size_t i;

	two_kernels(&t);
	for (i = 0; i < t.n; i++)
		add_kab(!strcmp(t.s[i].kernel, "k61") ? &ta : &tb,
			t.s[i].kernel, "tcg", 128, t.s[i].memmap, t.s[i].value);
	assert_int_equal(ana_compare(&ta, NULL, &tb, NULL, &opts, &c), 0);
	assert_int_equal(c.n, 2);
	assert_true(c.fold & ANA_FOLD_KERNEL);
	assert_string_equal(c.ax[0].kernel[0], "k61");
	assert_string_equal(c.ax[1].kernel[0], "k612");
	assert_true(c.rows[1].ca == 4102 && c.rows[1].cb == 4);
	ana_cmp_free(&c);

	assert_int_equal(ana_compare(&t, NULL, &tb, NULL, &opts, &c), 0);
	assert_false(c.fold & ANA_FOLD_KERNEL);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.only_a, 2);
	assert_string_equal(c.rows[0].k.kernel, "k612");
	assert_unpooled(&c);
	ana_cmp_free(&c);
	free(t.s);
	free(ta.s);
	free(tb.s);
}

/* One run whose ram cycles ran one kernel and self cycles another: ram
 * against self is not a comparison of kernels behind the user's back, no
 * cell is on both sides. */
static void test_one_run_kernel_per_mode(void **state)
{
	struct sample_table t = {0};
	struct ana_sel a, b;
	struct ana_cmp c;
	int i;

	for (i = 0; i < 5; i++) {
		add_kab(&t, "k61", "tcg", 128, "ram", 4100);
		add_kab(&t, "k612", "tcg", 128, "self", 4);
	}
	assert_int_equal(ana_parse_sel("memmap=ram", &a), 0);
	assert_int_equal(ana_parse_sel("memmap=self", &b), 0);
	assert_int_equal(ana_compare(&t, &a, &t, &b, &opts, &c), 0);
	assert_false(c.fold & ANA_FOLD_KERNEL);
	assert_int_equal(c.n, 0);
	assert_int_equal(c.only_a, 1);
	assert_int_equal(c.only_b, 1);
	ana_cmp_free(&c);
	free(t.s);
}

/* A block_sizes run: 128M and 256M blocks keep their cells; so do two
 * accels on one side. */
static void test_two_blocks_accels(void **state)
{
	struct sample_table t = {0};
	struct ana_sel a, b;
	struct ana_cmp c;
	int i;

	for (i = 0; i < 5; i++) {
		add_kab(&t, "k", "tcg", 128, "ram", 4100 + i);
		add_kab(&t, "k", "tcg", 128, "self", 4100 + i);
		add_kab(&t, "k", "tcg", 256, "ram", 4100 + i);
		add_kab(&t, "k", "tcg", 256, "self", 4);
	}
	assert_int_equal(ana_parse_sel("memmap=ram", &a), 0);
	assert_int_equal(ana_parse_sel("memmap=self", &b), 0);
	assert_int_equal(ana_compare(&t, &a, &t, &b, &opts, &c), 0);
	assert_int_equal(c.n, 2);
	assert_false(c.fold & ANA_FOLD_BLOCK);
	assert_true(c.rows[0].k.block_mib == 128 && c.rows[0].cb == 4102);
	assert_true(c.rows[1].k.block_mib == 256 && c.rows[1].cb == 4);
	assert_unpooled(&c);
	ana_cmp_free(&c);

	for (i = 0; i < (int)t.n; i++)
		if (t.s[i].block_mib == 256) {
			t.s[i].block_mib = 128;
			snprintf(t.s[i].accel, sizeof(t.s[i].accel),
				 "tcg-icount");
		}
	assert_int_equal(ana_compare(&t, &a, &t, &b, &opts, &c), 0);
	assert_int_equal(c.n, 2);
	assert_false(c.fold & ANA_FOLD_ACCEL);
	assert_true(c.fold & ANA_FOLD_BLOCK);
	assert_string_equal(c.rows[0].k.accel, "tcg");
	assert_string_equal(c.rows[1].k.accel, "tcg-icount");
	assert_unpooled(&c);
	ana_cmp_free(&c);
	free(t.s);
}

/* Runs of the same kernels match whatever order their samples came in
 * (the gate compares the sets, not the first sample's kernel). */
static void test_axes_same(void **state)
{
	struct sample_table t = {0};
	struct ana_axes x = {0}, y = {0}, z = {0};
	size_t i;

	two_kernels(&t);
	for (i = 0; i < t.n; i++)
		ana_axes_add(&x, &t.s[i]);
	for (i = t.n; i-- > 0;)
		ana_axes_add(&y, &t.s[i]);
	ana_axes_add(&z, &t.s[0]);
	assert_string_equal(x.kernel[0], "k61");
	assert_string_equal(y.kernel[0], "k612");
	assert_true(ana_axes_same(&x, &y, 'k'));
	assert_true(ana_axes_same(&x, &y, 'a'));
	assert_true(ana_axes_same(&x, &y, 'b'));
	assert_false(ana_axes_same(&x, &z, 'k'));
	assert_true(ana_axes_same(&x, &z, 'a'));
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
		cmocka_unit_test(test_two_kernels_modes),
		cmocka_unit_test(test_two_kernels_selected),
		cmocka_unit_test(test_two_runs),
		cmocka_unit_test(test_one_run_kernel_per_mode),
		cmocka_unit_test(test_two_blocks_accels),
		cmocka_unit_test(test_axes_same),
		cmocka_unit_test(test_parse_sel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
