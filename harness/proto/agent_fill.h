/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The agent's offline fill and /proc/vmstat (docs/agent-protocol.md, ops
 * "fill", "unfill", "vmstat"): movable pages held in the blocks before an
 * offline, and the counters that say what the offline did with them. The
 * reply parsers are pure functions, unit-tested. */
#ifndef MHP_AGENT_FILL_H
#define MHP_AGENT_FILL_H

#include "proto/agent.h"

#include <jansson.h>
#include <stdint.h>

/* What the guest's fill holds, read back from the PFNs of its pages. */
struct agent_fill {
	int64_t fill_pages;	 /* its pages in the blocks asked for */
	int64_t target_pages;	 /* per block */
	int64_t pages_per_block; /* block size / page size */
	int64_t least_pages;	 /* of the least-filled block */
	int64_t touched_pages, released_pages;
	int nblocks;
	char stopped[16]; /* target, full, deadline, cap, memfree */
};

/* /proc/vmstat counters behind an offline's cost; -1: the kernel has no
 * such counter (README, "Offline with pages to migrate"). */
struct agent_vmstat {
	int64_t pgmigrate_success, pgmigrate_fail;
	int64_t compact_stall;
	int64_t pgalloc_movable; /* pages allocated from ZONE_MOVABLE */
	int64_t pgscan; /* pgscan_kswapd + pgscan_direct (+ khugepaged) */
};

/* Fills @pct percent of each of the @n blocks (on NUMA node @node first,
 * -1: the default policy). The guest keeps the pages until agent_unfill. */
int agent_fill(struct agent *a, const int *blocks, int n, int pct, int node,
	       struct agent_fill *f, int64_t deadline_ns);

/* Ends the fill; @alive says whether it still held its pages (an OOM kill
 * would have freed them before the offline). */
int agent_unfill(struct agent *a, int *alive, int64_t deadline_ns);

int agent_vmstat(struct agent *a, struct agent_vmstat *v, int64_t deadline_ns);

/* 0 or -EPROTO. */
int agent_parse_fill(const json_t *r, struct agent_fill *f);
int agent_parse_vmstat(const json_t *r, struct agent_vmstat *v);

#endif
