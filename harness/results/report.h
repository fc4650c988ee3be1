/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The run's summary: per-cell statistics computed from samples.csv (so a
 * summary can be rebuilt from any run directory), the memmap placement
 * verdicts, the harness overhead, and the plain-text table. */
#ifndef MHP_REPORT_H
#define MHP_REPORT_H

#include "results/samples.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

struct report_timing {
	int64_t wall_ns;  /* the whole run */
	int64_t boot_ns;  /* QEMU start to hello, all boots */
	int64_t phase_ns; /* host-view time of all measured phases */
	int64_t inject_online_delay_us; /* nonzero: online times are padded */
	json_t *pmu_note; /* why PMU events did not count, or NULL; borrowed */
	json_t *params_note; /* hotplug parameters that differ; borrowed */
	json_t *memmap_note; /* kernels without nr_memmap_pages; borrowed */
};

/* Builds summary.json's object. Warm-up rows are left out. */
json_t *report_summary(const struct sample_table *t,
		       const struct report_timing *tm);

/* Prints the tables from a summary object (80 columns). */
void report_print(FILE *f, const json_t *summary);

/* Whether the summary cells @a and @b are of one cell but for phase, view
 * and metric: the same kernel, accel, mode, block and DIMM size, node,
 * oom-edge target, offline fill, zone size and source (a key a cell lacks
 * matches only its lack). */
int report_same_cell(const json_t *a, const json_t *b);
/* The cell of @cells that is @like's with @phase, @view and @metric, or
 * NULL. Every table that puts two metrics of a cell side by side finds the
 * second this way, so none pairs cells of two fills, sizes or sources. */
const json_t *report_cell_of(const json_t *cells, const json_t *like,
			     const char *phase, const char *view,
			     const char *metric);

/* The injected online delay in us of a manifest (@manifest 1) or of its
 * "injected" object (0); 0 when none. */
int64_t report_injected_delay_us(const json_t *o, int manifest);

#endif
