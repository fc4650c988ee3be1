/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The zone_present part of the summary (README, "Cost against the size
 * of the zone"): per kernel, accel, block, DIMM, mode and phase, the
 * online and offline latency (guest and host view) at each size of the
 * zone, and a straight line fitted through the per-boot medians against
 * the zone's size in GiB: its slope in ns per GiB with a 95% CI
 * (stats_fit.h). Nothing when the run had no zone_present axis. */
#ifndef MHP_ZONEREPORT_H
#define MHP_ZONEREPORT_H

#include "results/samples.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#define ZONEREPORT_LEVEL 0.95

/* A cell's zone_present_mib, or -1 when it has none. */
int64_t zonereport_mib(const json_t *cell);

/* {"level":0.95, "fits":[...]} from the measured samples of @t, or NULL
 * when none has the axis. Each fit: the key, "sizes" (zone_present_mib,
 * median, n and boots at each size) and slope_ns_per_gib, ci_lo, ci_hi,
 * p, se, df, intercept_ns and boots, or "slope_unavailable" with the
 * reason. */
json_t *zonereport_json(const struct sample_table *t);

void zonereport_print(FILE *f, const json_t *zone);

#endif
