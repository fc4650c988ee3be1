/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The order of the boots within a round (README, "Boot order"): every
 * (mode, kernel) pair boots once per round, in a seeded random order that
 * the manifest records, so drift on the host cannot turn into a difference
 * between modes or kernels. A round's order is a fresh shuffle on even
 * rounds and the previous round reversed on odd ones (A B, then B A), so a
 * drift that is linear over two rounds hits every pair alike. */
#ifndef MHP_ORDER_H
#define MHP_ORDER_H

#include "config/job.h"

#include <gsl/gsl_rng.h>
#include <jansson.h>

#define ORDER_MAX_SLOTS (JOB_MAX_MODES * JOB_MAX_KERNELS)

/* One boot of a round: indexes into job->modes and the run's kernels. */
struct order_slot {
	int mode, kernel;
};

/* A round sequence: one per block size (cycles) or target (oom-edge). */
struct order_seq {
	struct order_slot slot[ORDER_MAX_SLOTS];
	int n;
};

/* Fills @seq with round @round's order of @nmodes x @nkernels pairs:
 * round 0, 2, ... a shuffle drawn from @rng; round 1, 3, ... the order
 * @seq held (the previous round) reversed. */
void order_round(gsl_rng *rng, int round, int nmodes, int nkernels,
		 struct order_seq *seq);

/* {"round":R, <what>:<value>, "order":[{"mode":..,"kernel":..},...]}
 * for the manifest's "boot_order"; @labels name the run's kernels. */
json_t *order_round_json(const struct order_seq *seq, int round,
			 const char *what, json_t *value, const struct job *job,
			 const char *const *labels);

/* The manifest's "boot_order" head: the method and the seed. */
json_t *order_manifest(unsigned long seed);

#endif
