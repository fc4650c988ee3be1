/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The gate's judgement of the zone-size slope (README, "Cost against the
 * size of the zone"): where baseline and candidate both have a slope of
 * online or offline guest time against the zone's size (results/
 * zonereport.h), the candidate's may not have grown. Lower is better. The
 * difference B - A gets a CI from both slopes' standard errors (Welch-
 * Satterthwaite degrees of freedom, Student's t at 1 - alpha); it must
 * lie wholly above the tolerance to be a regression, wholly below its
 * negative to be an improvement, wholly within it to be the same; else
 * inconclusive. The tolerance is the larger of the threshold times the
 * baseline's slope and GATE_ZONE_ABS_NS. */
#ifndef MHP_GATE_ZONE_H
#define MHP_GATE_ZONE_H

#include "analyze/gate.h"
#include "results/samples.h"

#include <jansson.h>
#include <stdio.h>

/* ns per GiB of zone that is never a regression: 0.1 ns per MiB, well
 * under one TCG run's spread. */
#define GATE_ZONE_ABS_NS 100.0

struct gate_zone {
	json_t *rows; /* one object per judged slope; empty: none */
	enum gate_verdict worst;
	size_t count[4];
};

/* Judges the slopes of @a (baseline) against @b (candidate) with the
 * relative @threshold and @alpha. 0 or -ENOMEM. */
int gate_zone_judge(const struct sample_table *a, const struct sample_table *b,
		    double threshold, double alpha, struct gate_zone *out);

/* The table of the judged slopes, nothing when there are none. */
void gate_zone_print(FILE *f, const struct gate_zone *z);

void gate_zone_free(struct gate_zone *z);

#endif
