// SPDX-License-Identifier: GPL-2.0-or-later
/* The seeded, recorded boot order of each round (README, "Boot order"). */
#include "run/order.h"

#include <gsl/gsl_randist.h>

void order_round(gsl_rng *rng, int round, int nmodes, int nkernels,
		 struct order_seq *seq)
{
	int n = nmodes * nkernels;

	if (round % 2 && seq->n == n) {
		for (int i = 0; i < n / 2; i++) {
			struct order_slot t = seq->slot[i];

			seq->slot[i] = seq->slot[n - 1 - i];
			seq->slot[n - 1 - i] = t;
		}
		return;
	}
	seq->n = n;
	for (int m = 0; m < nmodes; m++)
		for (int k = 0; k < nkernels; k++)
			seq->slot[m * nkernels + k] =
				(struct order_slot){.mode = m, .kernel = k};
	if (n > 1)
		gsl_ran_shuffle(rng, seq->slot, (size_t)n,
				sizeof(seq->slot[0]));
}

json_t *order_round_json(const struct order_seq *seq, int round,
			 const char *what, json_t *value, const struct job *job,
			 const char *const *labels)
{
	json_t *order = json_array();

	for (int i = 0; i < seq->n; i++) {
		const struct order_slot *s = &seq->slot[i];

		json_array_append_new(
			order, json_pack("{s:s,s:s}", "mode",
					 job_memmap_name(job->modes[s->mode]),
					 "kernel", labels[s->kernel]));
	}
	return json_pack("{s:i,s:o,s:o}", "round", round, what, value, "order",
			 order);
}

json_t *order_manifest(unsigned long seed)
{
	return json_pack(
		"{s:s,s:I,s:[]}", "method",
		"per round: every (mode, kernel) once; even rounds a seeded "
		"shuffle, odd rounds the previous round reversed (ABBA)",
		"seed", (json_int_t)seed, "rounds");
}
