/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The offline_fill part of the printed summary (README, "Offline with
 * pages to migrate"): per kernel, accel, block size, DIMM, mode and fill,
 * the pages the fill held, what the offline migrated (and failed to), the
 * offline's guest time and its migrated pages per ms. From the summary's
 * cells; nothing when the run had no fill. */
#ifndef MHP_FILLREPORT_H
#define MHP_FILLREPORT_H

#include <jansson.h>
#include <stdio.h>

/* A cell's offline_fill_pct, or -1 when it has none. */
int fillreport_pct(const json_t *cell);

void fillreport_print(FILE *f, const json_t *cells);

#endif
