/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernels of a run side by side: for each (block size, DIMM, mode,
 * phase) the host-view median latency of every kernel label and its ratio
 * to the first kernel's, plus the memmap taken from RAM, with the
 * significance of each ratio: Welch's t on the per-boot medians (the boot
 * is the unit of evidence), Holm-corrected over the table. The rows follow
 * the summary's cells; the tests read the samples. */
#ifndef MHP_SIDEBYSIDE_H
#define MHP_SIDEBYSIDE_H

#include "results/samples.h"

#include <jansson.h>
#include <stdio.h>

/* NULL when the cells hold fewer than two kernel labels. */
json_t *sidebyside_json(const json_t *cells, const struct sample_table *t);

void sidebyside_print(FILE *f, const json_t *sbs);

/* The memory_hotplug.* parameters whose values differ between the kernels
 * of a run (from the manifest's boots), as one line, or NULL: how a patch
 * that adds or changes a parameter shows. */
json_t *sidebyside_params_note(const json_t *manifest);

#endif
