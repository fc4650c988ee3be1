/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Memory accounting of one cycle: what the kernel really did with the
 * memmap, derived from /proc/meminfo snapshots taken between phases. */
#ifndef MHP_METRICS_H
#define MHP_METRICS_H

#include "proto/agent.h"
#include "proto/agent_fill.h"

#include <stdint.h>

struct cycle_mem {
	struct agent_meminfo before_add, after_add, after_online, after_offline,
		after_remove;
	int blocks_before, blocks_after_remove;
	int all_online; /* every block of the DIMM went online */
};

struct cycle_derived {
	int64_t memfree_delta_add_kib; /* after_add - before_add */
	int64_t memmap_from_ram_kib;   /* drop of MemFree + per-CPU lists at add
					*/
	int64_t memtotal_delta_online_kib; /* after_online - before_add */
	int64_t self_hosted_kib; /* DIMM - MemTotal increase after online */
	int self_hosted; /* 1 memmap inside the DIMM, 0 from RAM, -1 unknown */
	int64_t memtotal_residual_kib; /* after_remove - before_add */
	int blocks_residual; /* blocks after remove - blocks before add */
	/* nr_memmap_pages' change over add, online, offline and remove, in
	 * KiB; only when every snapshot had the counter (from 6.11). */
	int memmap_counted;
	int64_t memmap_counter_kib[4];
	/* The memmap the MemFree/MemTotal accounting implies: what the add
	 * took from RAM plus what sits inside the DIMM. */
	int64_t memmap_implied_kib;
};

/* 1 when the counter was read and its change at add differs from the
 * implied memmap by more than the metric's tolerance (the 256 KiB the gate
 * allows memory amounts, README "Metrics": other allocations in the add's
 * window move MemFree, not the counter); else 0. */
int metrics_memmap_disagrees(const struct cycle_derived *d);

void metrics_derive(const struct cycle_mem *m, uint64_t dimm_bytes,
		    struct cycle_derived *d);

/* What an offline did with its fill (README, "Offline with pages to
 * migrate"): /proc/vmstat deltas across the offline writes. A counter the
 * kernel lacks, or one that went backwards, is -1: unavailable, never 0. */
struct fill_derived {
	int64_t migrated_pages, migrate_failed_pages;
	/* pages allocated from ZONE_MOVABLE meanwhile: the migration
	 * targets that went into the DIMM's blocks not yet offline */
	int64_t movable_alloc_pages;
	int64_t compact_stalls, reclaim_scanned_pages;
	/* migrated pages per ms of the offline's guest time; NAN when
	 * nothing migrated or the time is unknown */
	double migrated_pages_per_ms;
};

void metrics_fill_derive(const struct agent_vmstat *before,
			 const struct agent_vmstat *after, int64_t offline_ns,
			 struct fill_derived *d);

/* The memmap a DIMM needs: 64-byte struct page per 4 KiB page = 1/64. */
int64_t metrics_memmap_kib(uint64_t dimm_bytes);

#endif
