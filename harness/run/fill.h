/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Offline with pages to migrate (job option offline_fill; README,
 * "Offline with pages to migrate"): before each offline of a cycle with a
 * fill, the guest fills that share of each of the DIMM's blocks with
 * movable anonymous pages and keeps them until the offline is done, so
 * the offline has them to migrate. The fill and its read-back happen
 * before the timed window; what the offline did with them comes from
 * /proc/vmstat around the writes. It is an observer of the cycle
 * (run/cycle.h). */
#ifndef MHP_FILL_H
#define MHP_FILL_H

#include "run/cycle.h"
#include "proto/agent_fill.h"

/* What the observer keeps of one cycle. */
struct fill_cycle {
	int held; /* the guest may hold a fill: unfill it */
	struct agent_fill f;
	struct agent_vmstat before, after;
	int64_t offline_ns; /* the offline's guest time */
};

/* The observer, registered first on each cycle (so that nothing else
 * another observer reads around the offline, the PMU counts, includes the
 * fill) with a struct fill_cycle of that cycle's. Its hooks, for cycles
 * whose fill_pct is not -1:
 *  - before the offline: fills the blocks (agent op "fill"), warns when a
 *    block did not get its share, reads /proc/vmstat;
 *  - after the offline: reads /proc/vmstat again;
 *  - before the remove: ends the fill, which must still have been alive
 *    (else the cycle fails), and writes fill_pages, migrated_pages,
 *    migrate_failed_pages, movable_alloc_pages, migrated_pages_per_ms,
 *    compact_stalls and reclaim_scanned_pages (phase offline);
 *  - release: ends the fill of a cycle that failed. */
extern const struct cycle_observer fill_observer;

#endif
