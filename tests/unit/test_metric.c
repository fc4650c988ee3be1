// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for harness/results/metric.c: the one table of metrics has a
 * unit, a direction and a unique name for each row; families match only
 * what they should; the check that the sample writer runs refuses names
 * and units the table lacks; and the analysis reads the same rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "analyze/analysis.h"
#include "results/metric.h"

static void test_table_rows(void **state)
{
	int n;
	const struct metric_def *t = metric_table(&n);

	(void)state;
	assert_true(n > 30);
	for (int i = 0; i < n; i++) {
		assert_non_null(t[i].unit);
		assert_true(t[i].unit[0]);
		assert_true(t[i].better == METRIC_LOWER ||
			    t[i].better == METRIC_NEUTRAL ||
			    t[i].better == METRIC_HIGHER);
		assert_non_null(t[i].what);
		assert_true(t[i].scale > 0);
		for (int j = 0; j < i; j++)
			if (!strcmp(t[i].name, t[j].name))
				fail_msg("metric %s twice", t[i].name);
		/* an exact name finds its own row */
		if (!strchr(t[i].name, '*'))
			assert_ptr_equal(metric_find(t[i].name), &t[i]);
	}
}

static void test_directions(void **state)
{
	(void)state;
	assert_int_equal(metric_find(M_LATENCY_NS)->better, METRIC_LOWER);
	assert_int_equal(metric_find(M_MEMMAP_FROM_RAM_KIB)->better,
			 METRIC_LOWER);
	assert_int_equal(metric_find(M_MEMTOTAL_DELTA_KIB)->better,
			 METRIC_HIGHER);
	assert_int_equal(metric_find(M_DIMMS_ADDED)->better, METRIC_HIGHER);
	assert_int_equal(metric_find(M_OOM_KILLS)->better, METRIC_LOWER);
	assert_int_equal(metric_find(M_SELF_HOSTED)->kind, METRIC_BOOL);
	assert_true(metric_find(M_GAP_NS)->diagnostic);
	assert_false(metric_find(M_UEVENT_SPAN_NS)->diagnostic);
}

static void test_families(void **state)
{
	(void)state;
	assert_string_equal(metric_find("fn_online_pages_ns")->name,
			    "fn_*_ns");
	assert_string_equal(metric_find("fn_online_pages_calls")->name,
			    "fn_*_calls");
	assert_string_equal(metric_find("ended_by_oom_kill")->name,
			    "ended_by_*");
	assert_string_equal(metric_find("pmu_cycles")->name, "pmu_*");
	/* exact rows win over families, and a family needs its middle */
	assert_string_equal(metric_find(M_FN_TOTAL_NS)->name, M_FN_TOTAL_NS);
	assert_null(metric_find("fn_ns"));
	assert_null(metric_find("latency_ms"));
	assert_null(metric_find(""));
}

static void test_check(void **state)
{
	(void)state;
	assert_int_equal(metric_check(M_LATENCY_NS, "ns"), 0);
	assert_int_not_equal(metric_check(M_LATENCY_NS, "ms"), 0);
	assert_int_not_equal(metric_check("latency", "ns"), 0);
	assert_int_equal(metric_check("pmu_instructions", "count"), 0);
	assert_int_equal(metric_check("pmu_instructions", "count_scaled"), 0);
	assert_int_not_equal(metric_check("pmu_instructions", "count_s"), 0);
	assert_int_equal(metric_check(M_SELF_HOSTED, "bool"), 0);
}

/* The analysis reads the same rows; a name from an older run is neutral
 * and labelled with itself. */
static void test_analysis_reads_table(void **state)
{
	(void)state;
	assert_ptr_equal(ana_metric(M_LATENCY_NS), metric_find(M_LATENCY_NS));
	assert_string_equal(ana_metric("fn_online_pages_ns")->label,
			    "fn_online_pages_ns");
	assert_int_equal(ana_metric("fn_online_pages_ns")->better,
			 METRIC_LOWER);
	assert_int_equal(ana_metric("old_metric_kib")->better, METRIC_NEUTRAL);
	assert_string_equal(ana_metric("old_metric_kib")->label,
			    "old_metric_kib");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_rows),
		cmocka_unit_test(test_directions),
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_analysis_reads_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
