/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The trend `mhpbench history` prints (and `mhpbench plot` draws): per
 * cell (testbed x kernel x accel x block size x mode x DIMM size x node x
 * offline fill: one line
 * never mixes two of them) the per-night or per-run medians of one metric
 * from the history's complete runs, with change points marked by a
 * windowed Welch t-test (stats_change_points, as Apache Otava/Hunter
 * does). */
#ifndef MHP_HISTORY_TREND_H
#define MHP_HISTORY_TREND_H

#include "analyze/history.h"

#include <stdio.h>

/* Prints the trend @q selects as text or CSV (its columns: memmap,
 * dimm_mib, index, night or run, median, n, change, p, injected, kernel,
 * accel, block_mib, node, series: the line's name without spaces, and
 * time_base: virtual, wall or "", metric.h; the text says vms for a
 * virtual time; then testbed).
 * 0 or -errno with a one-line reason in @err: those of
 * history_trend_open, -ENODATA when no complete run has such samples. */
int history_trend(const char *db_path, const struct history_query *q, int csv,
		  FILE *f, char *err, size_t len);

#endif
