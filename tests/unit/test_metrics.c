// SPDX-License-Identifier: GPL-2.0-or-later
/* Derived memory metrics against known answers: the figures measured on
 * Debian 6.1 with a 128M DIMM (README, "What a run prints and writes"). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "run/metrics.h"
#include "run/oomedge.h"
#include "run/caps.h"
#include "results/report.h"
#include "results/memmapcount.h"

#include <math.h>

#define MIB (1024ULL * 1024)

static struct cycle_mem mem(int64_t total0, int64_t free0, int64_t free_add,
			    int64_t total_online, int64_t total_removed)
{
	struct cycle_mem m = {0};

	m.before_add.mem_total = total0;
	m.before_add.mem_free = free0;
	m.after_add.mem_total = total0;
	m.after_add.mem_free = free_add;
	m.after_online.mem_total = total_online;
	m.after_offline.mem_total = total0;
	m.after_remove.mem_total = total_removed;
	m.blocks_before = 4;
	m.blocks_after_remove = 4;
	m.all_online = 1;
	return m;
}

static void ram_mode(void **state)
{
	/* ram: MemFree drops 1460 kB at add; MemTotal grows by all 128M. */
	struct cycle_mem m =
		mem(399844, 300000, 300000 - 1460, 399844 + 131072, 399844);
	struct cycle_derived d;

	metrics_derive(&m, 128 * MIB, &d);
	assert_int_equal(d.memfree_delta_add_kib, -1460);
	assert_int_equal(d.memmap_from_ram_kib, 1460);
	assert_int_equal(d.memtotal_delta_online_kib, 131072);
	assert_int_equal(d.self_hosted_kib, 0);
	assert_int_equal(d.self_hosted, 0);
	assert_int_equal(d.memtotal_residual_kib, 0);
	assert_int_equal(d.blocks_residual, 0);
}

static void self_mode(void **state)
{
	/* self: 2 MiB of the block holds its memmap and is not managed:
	 * MemTotal 530916 (ram) vs 528868 (self) measured on 6.1. */
	struct cycle_mem m = mem(399844, 300000, 300000 - 344, 528868, 399844);
	struct cycle_derived d;

	metrics_derive(&m, 128 * MIB, &d);
	assert_int_equal(d.memmap_from_ram_kib, 344);
	assert_int_equal(d.self_hosted_kib, 2048);
	assert_int_equal(d.self_hosted_kib, metrics_memmap_kib(128 * MIB));
	assert_int_equal(d.self_hosted, 1);
}

/* Seen on 6.1: the 2 MiB memmap came from the per-CPU lists, so MemFree
 * fell by only 84 KiB; the pages left the per-CPU lists instead. */
static void memmap_from_pcp_lists(void **state)
{
	struct cycle_mem m =
		mem(399844, 300000, 300000 - 84, 399844 + 131072, 399844);
	struct cycle_derived d;

	m.before_add.pcp_free = 6000;
	m.after_add.pcp_free = 6000 - 2048;
	metrics_derive(&m, 128 * MIB, &d);
	assert_int_equal(d.memfree_delta_add_kib, -84);
	assert_int_equal(d.memmap_from_ram_kib, 84 + 2048);
	/* Unknown per-CPU counts: MemFree alone. */
	m.after_add.pcp_free = -1;
	metrics_derive(&m, 128 * MIB, &d);
	assert_int_equal(d.memmap_from_ram_kib, 84);
}

static void partial_online_unknown(void **state)
{
	struct cycle_mem m =
		mem(399844, 300000, 299000, 399844 + 65536, 399844);
	struct cycle_derived d;

	m.all_online = 0;
	metrics_derive(&m, 128 * MIB, &d);
	assert_int_equal(d.self_hosted, -1);
}

static void residue(void **state)
{
	struct cycle_mem m =
		mem(399844, 300000, 298000, 399844 + 131072, 399844 + 131072);
	struct cycle_derived d;

	m.blocks_after_remove = 5;
	metrics_derive(&m, 128 * MIB, &d);
	assert_int_equal(d.memtotal_residual_kib, 131072);
	assert_int_equal(d.blocks_residual, 1);
}

static void memmap_size(void **state)
{
	assert_int_equal(metrics_memmap_kib(128 * MIB), 2048);
	assert_int_equal(metrics_memmap_kib(2048 * MIB), 32768);
}

static void expected_placement(void **state)
{
	/* Before 6.8 only a DIMM of exactly one block self-hosts. */
	assert_true(kernel_expects_self_hosted("6.1.0-56-amd64", 1, 128, 128));
	assert_false(kernel_expects_self_hosted("6.1.0-56-amd64", 1, 128, 256));
	assert_false(
		kernel_expects_self_hosted("6.1.0-56-amd64", 1, 128, 2048));
	assert_true(
		kernel_expects_self_hosted("6.1.0-56-amd64", 1, 2048, 2048));
	assert_true(kernel_expects_self_hosted("6.8.0", 1, 128, 2048));
	assert_true(kernel_expects_self_hosted("6.12.1-custom", 1, 128, 512));
	assert_false(
		kernel_expects_self_hosted("5.10.0-30-amd64", 1, 128, 128));
	assert_true(kernel_expects_self_hosted("5.13.0", 1, 128, 128));
	assert_false(kernel_expects_self_hosted("garbage", 1, 128, 128));
}

/* nr_memmap_pages in each snapshot: @add pages more after add, back after
 * remove. */
static void count_memmap(struct cycle_mem *m, int64_t base, int64_t add)
{
	m->before_add.memmap_pages = base;
	m->after_add.memmap_pages = base + add;
	m->after_online.memmap_pages = base + add;
	m->after_offline.memmap_pages = base + add;
	m->after_remove.memmap_pages = base;
}

/* A 256M DIMM's memmap is 1024 pages (4096 KiB), in both modes: the
 * counter does not tell placements apart; the accounting does. */
static void memmap_counter(void **state)
{
	struct cycle_mem m =
		mem(399844, 300000, 300000 - 4100, 399844 + 262144, 399844);
	struct cycle_derived d;

	count_memmap(&m, 8192, 1024);
	metrics_derive(&m, 256 * MIB, &d);
	assert_int_equal(d.memmap_counted, 1);
	assert_int_equal(d.memmap_counter_kib[0], 4096);  /* add */
	assert_int_equal(d.memmap_counter_kib[1], 0);	  /* online */
	assert_int_equal(d.memmap_counter_kib[2], 0);	  /* offline */
	assert_int_equal(d.memmap_counter_kib[3], -4096); /* remove */
	assert_int_equal(d.memmap_implied_kib, 4100);
	assert_false(metrics_memmap_disagrees(&d));

	/* self: 4 KiB from RAM, 4096 KiB inside the DIMM. */
	m = mem(399844, 300000, 300000 - 4, 399844 + 262144 - 4096, 399844);
	count_memmap(&m, 8192, 1024);
	metrics_derive(&m, 256 * MIB, &d);
	assert_int_equal(d.memmap_implied_kib, 4100);
	assert_false(metrics_memmap_disagrees(&d));

	/* A counter that missed the self-hosted memmap disagrees. */
	count_memmap(&m, 8192, 1);
	metrics_derive(&m, 256 * MIB, &d);
	assert_true(metrics_memmap_disagrees(&d));

	/* One snapshot without the counter (6.1): nothing is derived. */
	count_memmap(&m, 8192, 1024);
	m.after_offline.memmap_pages = -1;
	metrics_derive(&m, 256 * MIB, &d);
	assert_int_equal(d.memmap_counted, 0);
	assert_false(metrics_memmap_disagrees(&d));
}

/* The summary's table and the reason where a kernel has no counter. */
static void memmap_counter_summary(void **state)
{
	json_t *cells = json_loads(
		"[{\"kernel\":\"k612\",\"accel\":\"tcg\",\"memmap\":\"self\","
		"\"node\":0,\"block_mib\":128,\"dimm_mib\":256,\"phase\":"
		"\"add\",\"view\":\"guest\",\"metric\":\"nr_memmap_delta_kib\","
		"\"median\":4096},"
		"{\"kernel\":\"k612\",\"accel\":\"tcg\",\"memmap\":\"self\","
		"\"node\":0,\"block_mib\":128,\"dimm_mib\":256,\"phase\":"
		"\"add\",\"view\":\"guest\",\"metric\":\"memmap_from_ram_kib\","
		"\"median\":4},"
		"{\"kernel\":\"k612\",\"accel\":\"tcg\",\"memmap\":\"self\","
		"\"node\":0,\"block_mib\":128,\"dimm_mib\":256,\"phase\":"
		"\"online\",\"view\":\"guest\",\"metric\":\"self_hosted_kib\","
		"\"median\":4096}]",
		0, NULL);
	json_t *man = json_loads(
		"{\"boots\":[{\"kernel_label\":\"k61\",\"memmap_counter\":"
		"{\"available\":false,\"reason\":\"no nr_memmap_pages\"}},"
		"{\"kernel_label\":\"k61\",\"memmap_counter\":"
		"{\"available\":false,\"reason\":\"no nr_memmap_pages\"}},"
		"{\"kernel_label\":\"k612\",\"memmap_counter\":"
		"{\"available\":true,\"nr_memmap_pages\":8192}}]}",
		0, NULL);
	json_t *note = memmapcount_note(man), *mc, *row;

	assert_string_equal(json_string_value(note), "k61: no nr_memmap_pages");
	mc = memmapcount_json(cells, note);
	row = json_array_get(json_object_get(mc, "rows"), 0);
	assert_int_equal(json_array_size(json_object_get(mc, "rows")), 1);
	assert_true(json_number_value(json_object_get(row, "counter_kib")) ==
		    4096);
	assert_true(json_number_value(json_object_get(row, "implied_kib")) ==
		    4100);
	assert_int_equal(
		json_integer_value(json_object_get(row, "expected_kib")), 4096);
	assert_true(json_is_true(json_object_get(row, "agrees")));
	assert_string_equal(
		json_string_value(json_object_get(mc, "unavailable")),
		"k61: no nr_memmap_pages");
	json_decref(mc);
	/* Nothing counted and nothing to say: no table. */
	json_array_remove(cells, 0);
	assert_null(memmapcount_json(cells, NULL));
	json_decref(note);
	json_decref(man);
	json_decref(cells);
}

/* The oom-edge model: each ram-mode DIMM takes 1/64 of itself from free
 * memory, which may fall to the min watermark. Seen on 6.1 with 128M
 * DIMMs: 32656 KiB free, min_free_kbytes 2505 -> 14 predicted, 14 added. */
static void oom_prediction(void **state)
{
	assert_int_equal(
		oomedge_predict(MEMMAP_RAM, 32656, 2505, 128 * MIB, 32), 14);
	assert_int_equal(oomedge_predict(MEMMAP_RAM, 32656, 2505, 128 * MIB, 8),
			 8); /* the cap bounds it */
	assert_int_equal(oomedge_predict(MEMMAP_RAM, 65536, -1, 1024 * MIB, 32),
			 4); /* 16 MiB per 1G DIMM; unknown watermark = 0 */
	assert_int_equal(oomedge_predict(MEMMAP_RAM, 1000, 2505, 128 * MIB, 32),
			 0); /* already below the watermark */
	assert_int_equal(
		oomedge_predict(MEMMAP_SELF, 32656, 2505, 128 * MIB, 32),
		32); /* self-hosted: RAM is not the limit */
}

/* The offline's vmstat deltas and its rate, against numbers worked by
 * hand: 16421 pages in 549.64 ms are 29.876 pages per ms. */
static void fill_derive(void **state)
{
	struct agent_vmstat b = {100, 3, 7, 40, 50},
			    a = {16521, 5, 7, 65043, 50};
	struct fill_derived d;

	metrics_fill_derive(&b, &a, 549640000, &d);
	assert_int_equal(d.migrated_pages, 16421);
	assert_int_equal(d.migrate_failed_pages, 2);
	assert_int_equal(d.compact_stalls, 0);
	assert_int_equal(d.movable_alloc_pages, 65003);
	assert_int_equal(d.reclaim_scanned_pages, 0);
	assert_true(fabs(d.migrated_pages_per_ms - 29.8760) < 1e-3);
	/* nothing migrated, or no time: no rate (not 0) */
	a.pgmigrate_success = b.pgmigrate_success;
	metrics_fill_derive(&b, &a, 549640000, &d);
	assert_int_equal(d.migrated_pages, 0);
	assert_true(isnan(d.migrated_pages_per_ms));
	/* a counter the kernel lacks, or one that went backwards: unknown */
	b.compact_stall = -1;
	a.pgscan = 10;
	metrics_fill_derive(&b, &a, 0, &d);
	assert_int_equal(d.compact_stalls, -1);
	assert_int_equal(d.reclaim_scanned_pages, -1);
	assert_true(isnan(d.migrated_pages_per_ms));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ram_mode),
		cmocka_unit_test(self_mode),
		cmocka_unit_test(memmap_from_pcp_lists),
		cmocka_unit_test(partial_online_unknown),
		cmocka_unit_test(residue),
		cmocka_unit_test(memmap_size),
		cmocka_unit_test(expected_placement),
		cmocka_unit_test(oom_prediction),
		cmocka_unit_test(fill_derive),
		cmocka_unit_test(memmap_counter),
		cmocka_unit_test(memmap_counter_summary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
