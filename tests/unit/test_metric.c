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
#include <stdio.h>
#include <stdlib.h>
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
	assert_string_equal(metric_find("fn_online_pages_ns")->name, "fn_*_ns");
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

/* Under tcg-icount a guest or deep time is virtual; the host view, other
 * accels and other units are not. */
static void test_virtual_time(void **state)
{
	(void)state;
	assert_true(metric_virtual_time("tcg-icount", "guest", "ns"));
	assert_true(metric_virtual_time("tcg-icount", "deep", "ns"));
	assert_false(metric_virtual_time("tcg-icount", "host", "ns"));
	assert_false(metric_virtual_time("tcg", "guest", "ns"));
	assert_false(metric_virtual_time("kvm", "guest", "ns"));
	assert_false(metric_virtual_time("tcg-icount", "guest", "KiB"));
	assert_false(metric_virtual_time(NULL, "guest", "ns"));
	assert_false(metric_virtual_time("", "guest", "ns"));
	assert_string_equal(metric_time_base("tcg-icount", "guest", "ns"),
			    "virtual");
	assert_string_equal(metric_time_base("tcg-icount", "host", "ns"),
			    "wall");
	assert_string_equal(metric_time_base("tcg", "guest", "ns"), "wall");
	assert_string_equal(metric_time_base("tcg-icount", "guest", "KiB"), "");
	assert_string_equal(metric_time_base("kvm", "guest", NULL), "");
	/* a rate per guest ms is per virtual ms under tcg-icount */
	assert_true(metric_is_time("pages/ms"));
	assert_false(metric_is_time("ms"));
	assert_false(metric_is_time("pages"));
	assert_true(metric_virtual_time("tcg-icount", "guest", "pages/ms"));
	assert_string_equal(metric_time_base("tcg", "guest", "pages/ms"),
			    "wall");
}

static const char *label(const char *metric, int va, int vb, int width)
{
	static char buf[64];

	metric_time_label(ana_metric(metric), va, vb, width, buf, sizeof(buf));
	return buf;
}

static const char *unit(const char *metric, int va, int vb)
{
	static char buf[32];

	metric_time_unit(ana_metric(metric), va, vb, buf, sizeof(buf));
	return buf;
}

/* "vms" where a time shown in ms is virtual, on the side that is: the
 * unit survives a cut to the column's width; other labels are as they
 * were. */
static void test_time_label(void **state)
{
	(void)state;
	assert_string_equal(label(M_LATENCY_NS, 0, 0, 0), "latency ms");
	assert_string_equal(label(M_LATENCY_NS, 1, 1, 0), "latency vms");
	assert_string_equal(label(M_LATENCY_NS, 1, 0, 0), "latency vms/ms");
	assert_string_equal(label(M_LATENCY_NS, 0, 1, 0), "latency ms/vms");
	assert_string_equal(label(M_BLOCK_LATENCY_NS, 1, 1, 14),
			    "block lat. vms");
	assert_string_equal(label(M_UEVENT_SPAN_NS, 1, 1, 14),
			    "uevent spa vms");
	assert_string_equal(label(M_UEVENT_SPAN_NS, 1, 1, 19),
			    "uevent span vms");
	assert_string_equal(label(M_WALK_COLD_NS_PER_PAGE, 1, 1, 0),
			    "cold vns/page");
	assert_string_equal(label(M_WALK_COLD_NS_PER_PAGE, 0, 0, 0),
			    "cold ns/page");
	/* a family labelled with its name gets the unit it lacks */
	assert_string_equal(label("fn_online_pages_ns", 0, 0, 0),
			    "fn_online_pages_ns");
	assert_string_equal(label("fn_online_pages_ns", 1, 1, 19),
			    "fn_online_pages vms");
	/* not a time: as it was, cut as before */
	assert_string_equal(label(M_MEMMAP_FROM_RAM_KIB, 1, 1, 0),
			    "memmap_from_ram KiB");
	assert_string_equal(label(M_MEMMAP_FROM_RAM_KIB, 0, 0, 14),
			    "memmap_from_ra");
	assert_string_equal(label(M_SELF_HOSTED, 0, 0, 0), "self_hosted");

	assert_string_equal(label(M_MIGRATED_PAGES_PER_MS, 0, 0, 14),
			    "migr. pages/ms");
	assert_string_equal(label(M_MIGRATED_PAGES_PER_MS, 1, 1, 0),
			    "migr. pages/vms");
	assert_string_equal(label(M_MIGRATED_PAGES_PER_MS, 1, 1, 14),
			    "migr pages/vms");
	assert_string_equal(unit(M_MIGRATED_PAGES_PER_MS, 1, 1), "pages/vms");
	assert_string_equal(unit(M_MIGRATED_PAGES_PER_MS, 0, 0), "pages/ms");
	assert_string_equal(unit(M_LATENCY_NS, 1, 1), "vms");
	assert_string_equal(unit(M_LATENCY_NS, 0, 0), "ms");
	assert_string_equal(unit(M_LATENCY_NS, 0, 1), "ms/vms");
	assert_string_equal(unit(M_WALK_WARM_NS_PER_PAGE, 1, 1), "vns");
	assert_string_equal(unit(M_MEMMAP_FROM_RAM_KIB, 1, 1), "KiB");
	assert_string_equal(unit(M_SELF_HOSTED, 0, 0), "");
}

/* The legend says what vms is, in two lines of at most 80 columns. */
static void test_vms_legend(void **state)
{
	char *out = NULL, *line, *save;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	int lines = 0;

	(void)state;
	metric_vms_legend(f, "            ", "    ", 1);
	fclose(f);
	assert_non_null(strstr(out, "vms: guest virtual time under tcg-icount "
				    "(the guest clock advances\n"));
	assert_non_null(strstr(out, "2^shift ns per instruction), not "
				    "wall-clock ms; vns: the same in ns\n"));
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), lines++)
		assert_true(strlen(line) <= 80);
	assert_int_equal(lines, 2);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_rows),
		cmocka_unit_test(test_directions),
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_analysis_reads_table),
		cmocka_unit_test(test_virtual_time),
		cmocka_unit_test(test_time_label),
		cmocka_unit_test(test_vms_legend),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
