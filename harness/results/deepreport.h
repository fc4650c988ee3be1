/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The deep cycles' part of the summary, from its cells (view "deep"):
 * NUMA locality of each DIMM's memmap and the struct page walk cost, the
 * online/offline breakdown per child function with the tracing overhead,
 * and PMU counts (or why there are none). */
#ifndef MHP_DEEPREPORT_H
#define MHP_DEEPREPORT_H

#include <jansson.h>
#include <stdio.h>

/* {"locality": [...], "breakdown": [...]}, or NULL without deep cells. */
json_t *deepreport_json(const json_t *cells);

void deepreport_print(FILE *f, const json_t *deep, const json_t *pmu_note);

/* "cycles: unavailable: <reason>; ..." from a manifest's first boot, or
 * NULL when every event counted or none was asked for. */
json_t *deepreport_pmu_note(const json_t *manifest);

#endif
