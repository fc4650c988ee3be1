/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The memmap counter's table (README "Metrics"): per kernel, block size,
 * DIMM and mode, the median change of /proc/vmstat nr_memmap_pages at add
 * beside the memmap that MemFree and MemTotal imply and the 1/64 of the
 * DIMM a memmap must be, and for kernels without the counter (before
 * 6.11) the reason, from the manifest. */
#ifndef MHP_MEMMAPCOUNT_H
#define MHP_MEMMAPCOUNT_H

#include <jansson.h>
#include <stdio.h>

/* summary.json's "memmap_counter" from its "cells" and @note (borrowed,
 * may be NULL); NULL when there is neither a counted cell nor a note. */
json_t *memmapcount_json(const json_t *cells, const json_t *note);

/* Why kernels of the run had no counter: "LABEL: reason; ...", or NULL
 * when every boot had one. */
json_t *memmapcount_note(const json_t *manifest);

void memmapcount_print(FILE *f, const json_t *mc);

#endif
