/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The x axis of mhpbench's run plots: one category per DIMM size and, where
 * the run holds several, per kernel, accel, block size, offline fill
 * and zone size (README, "Offline with pages to migrate"), side by side,
 * so that no box or point pools samples that differ in them (README,
 * "Analysis: compare, plot, gate, history"). */
#ifndef MHP_PLOT_CATS_H
#define MHP_PLOT_CATS_H

#include "results/samples.h"

#include <stddef.h>
#include <stdint.h>

#define PLOT_CATS_MAX 64

struct plot_cat {
	const char *kernel, *accel; /* point into the sample table */
	const char *source;	    /* "dimm" or "pmem", as well */
	int64_t block_mib, dimm_mib;
	int fill;	  /* offline_fill_pct, -1: none */
	int64_t zone_mib; /* zone_present_mib, -1: none */
};

struct plot_cats {
	struct plot_cat c[PLOT_CATS_MAX];
	size_t n;
	/* Which axes take more than one value: the labels name them. */
	int by_kernel, by_accel, by_block, by_fill, by_zone;
};

/* The categories of the measured per-DIMM samples of @metric in @view,
 * ordered by DIMM size, then kernel (as first seen), accel, block size and
 * fill.
 * Rows without a DIMM (a boot's capability samples, oom-edge points) are
 * no category. */
void plot_cats_of(const struct sample_table *t, const char *view,
		  const char *metric, struct plot_cats *pc);

/* The same for the oom-edge points of @metric (rows with a target F): one
 * category per kernel, accel and block size (the DIMM size is the job's
 * one). */
void plot_cats_oom(const struct sample_table *t, const char *metric,
		   struct plot_cats *pc);

/* A name for category @i without its DIMM size and without spaces
 * ("base", "base/256M"), for a legend and gnuplot's words(). */
void plot_cat_group(const struct plot_cats *pc, size_t i, char *buf,
		    size_t len);

/* Whether @s falls in @c. */
int plot_cat_match(const struct plot_cat *c, const struct sample *s);

/* "256M", or "256M" @sep "base 128M-blk" when kernels or block sizes
 * vary; only characters safe inside a gnuplot string. */
void plot_cat_label(const struct plot_cats *pc, size_t i, const char *sep,
		    char *buf, size_t len);

/* gnuplot settings naming the categories at x = 0, 1, ...: nsizes,
 * xtics_list, and xlabel_text and xlines (1, or 2 when the tics have a
 * second line) for the axis label. */
void plot_cats_xtics(const struct plot_cats *pc, char *buf, size_t len);

/* Text that goes into a gnuplot script inside "...": gnuplot runs
 * `command` there (and "\" escapes), and the kernel column is the guest's
 * uname -r, a job's label, or whatever a run directory says. Only plain
 * characters stay; the others become '?'. */
void plot_gp_safe(char *s);

#endif
