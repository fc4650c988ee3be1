/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Statistics that treat the boot as the unit of evidence (README,
 * "Analysis: compare, plot, gate, history"): cycles of one boot share its
 * memory layout, its page allocator state and its host placement, so they
 * are not independent replicates of a kernel's behaviour. Each value comes
 * with the index of its group (its boot); a test compares the groups'
 * centres, and a CI resamples groups, then values within each. */
#ifndef MHP_STATS_BOOT_H
#define MHP_STATS_BOOT_H

#include "results/stats.h"

#include <stddef.h>

/* Fewest boots a side needs before a comparison is evidence of a shift:
 * with one boot a difference cannot be told from that boot's luck. */
#define STATS_MIN_BOOTS 2

/* Values in groups: v[i] belongs to group g[i], 0 <= g[i] < ng. */
struct stats_grouped {
	const double *v;
	const int *g;
	size_t n, ng;
};

/* The centre (median or minimum) of each group's values into @out[ng].
 * -EINVAL when a group is empty, -ENOMEM. */
int stats_group_centres(const struct stats_grouped *x, enum stats_center c,
			double *out);

/* Welch's t-test on the per-group centres of @a and @b, two-sided. When
 * both sides' centres have no spread: p = 1 if they are equal, else 0 (the
 * same difference in every boot). -EINVAL when a side has fewer than
 * STATS_MIN_BOOTS groups. */
int stats_boot_welch(const struct stats_grouped *a,
		     const struct stats_grouped *b, enum stats_center c,
		     double *p);

/* Two-stage (hierarchical) percentile bootstrap of centre(B)/centre(A):
 * each resample draws a side's groups with replacement, then, within each
 * drawn group, as many values as it has, with replacement, and takes the
 * centre of the pooled draw (Davison & Hinkley 1997, section 3.8; Ren et
 * al. 2010). GSL's mt19937 seeded with @seed; -EDOM when the ratio is
 * undefined (a zero centre in A, or in more than half the resamples). */
int stats_boot_ratio(const struct stats_grouped *a,
		     const struct stats_grouped *b, enum stats_center c,
		     unsigned long seed, int reps, double level,
		     struct stats_ci *out);

/* The cycles' bootstrap: stats_boot_ratio with every value of a side in
 * one group (as if all came from one boot). For comparison only: it
 * claims the precision of the cycles, which the boots may not have. */
int stats_bootstrap_ratio(const double *a, size_t na, const double *b,
			  size_t nb, enum stats_center center,
			  unsigned long seed, int reps, double level,
			  struct stats_ci *out);

#endif
