// SPDX-License-Identifier: GPL-2.0-or-later
#include "run/metrics.h"
#include "results/metric.h"

#include <math.h>
#include <string.h>

int64_t metrics_memmap_kib(uint64_t dimm_bytes)
{
	return (int64_t)(dimm_bytes / 64 / 1024);
}

/* The counter is in pages; the guest is x86-64, 4 KiB pages. */
static void derive_counter(const struct cycle_mem *m, struct cycle_derived *d)
{
	const struct agent_meminfo *s[] = {&m->before_add, &m->after_add,
					   &m->after_online, &m->after_offline,
					   &m->after_remove};

	for (int i = 0; i < 5; i++)
		if (s[i]->memmap_pages < 0)
			return;
	d->memmap_counted = 1;
	for (int i = 0; i < 4; i++)
		d->memmap_counter_kib[i] =
			(s[i + 1]->memmap_pages - s[i]->memmap_pages) * 4;
}

int metrics_memmap_disagrees(const struct cycle_derived *d)
{
	double tol = metric_find(M_NR_MEMMAP_DELTA_KIB)->abs_tol;
	int64_t diff = d->memmap_counter_kib[0] - d->memmap_implied_kib;

	return d->memmap_counted && (diff > tol || diff < -tol);
}

void metrics_derive(const struct cycle_mem *m, uint64_t dimm_bytes,
		    struct cycle_derived *d)
{
	int64_t dimm_kib = (int64_t)(dimm_bytes / 1024);

	memset(d, 0, sizeof(*d));
	d->memfree_delta_add_kib =
		m->after_add.mem_free - m->before_add.mem_free;
	/* Free memory is MemFree plus the per-CPU lists: the memmap may come
	 * from pages MemFree had already stopped counting. */
	d->memmap_from_ram_kib = -d->memfree_delta_add_kib;
	if (m->before_add.pcp_free >= 0 && m->after_add.pcp_free >= 0)
		d->memmap_from_ram_kib -=
			m->after_add.pcp_free - m->before_add.pcp_free;
	d->memtotal_delta_online_kib =
		m->after_online.mem_total - m->before_add.mem_total;
	d->self_hosted_kib = dimm_kib - d->memtotal_delta_online_kib;
	/* MemTotal is exact to the page, MemFree is not (README, "What a run
	 * prints and writes"): the verdict comes from MemTotal. A self-hosted
	 * memmap is not managed memory, so the DIMM adds less than its size.
	 * With a block left offline the shortfall would mean nothing. */
	if (!m->all_online)
		d->self_hosted = -1;
	else
		d->self_hosted = d->self_hosted_kib > 0;
	d->memtotal_residual_kib =
		m->after_remove.mem_total - m->before_add.mem_total;
	d->blocks_residual = m->blocks_after_remove - m->blocks_before;
	d->memmap_implied_kib =
		d->memmap_from_ram_kib +
		(d->self_hosted_kib > 0 ? d->self_hosted_kib : 0);
	derive_counter(m, d);
}

static int64_t delta(int64_t before, int64_t after)
{
	return before < 0 || after < before ? -1 : after - before;
}

void metrics_fill_derive(const struct agent_vmstat *before,
			 const struct agent_vmstat *after, int64_t offline_ns,
			 struct fill_derived *d)
{
	d->migrated_pages =
		delta(before->pgmigrate_success, after->pgmigrate_success);
	d->migrate_failed_pages =
		delta(before->pgmigrate_fail, after->pgmigrate_fail);
	d->movable_alloc_pages =
		delta(before->pgalloc_movable, after->pgalloc_movable);
	d->compact_stalls = delta(before->compact_stall, after->compact_stall);
	d->reclaim_scanned_pages = delta(before->pgscan, after->pgscan);
	d->migrated_pages_per_ms =
		d->migrated_pages > 0 && offline_ns > 0
			? (double)d->migrated_pages / ((double)offline_ns / 1e6)
			: NAN;
}
