/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Samples made up for the analysis tests (test_analysis.c,
 * test_compare.c, test_summary_keys.c): add() appends one of kernel
 * 6.1.0-56-amd64, tcg, 128M blocks and DIMMs; two_kernels() a run of two
 * kernels whose `self` modes differ; opts are the comparison options they
 * use. Include it after cmocka.h. */
#ifndef MHP_TEST_FAKE_SAMPLES_H
#define MHP_TEST_FAKE_SAMPLES_H

#include "analyze/analysis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add(struct sample_table *t, const char *memmap, const char *phase,
		const char *view, const char *metric, const char *unit,
		double v, int warmup)
{
	struct sample *s;

	if (t->n == t->cap) {
		t->cap = t->cap * 2 + 64;
		t->s = realloc(t->s, t->cap * sizeof(*t->s));
		assert_non_null(t->s);
	}
	s = &t->s[t->n++];
	memset(s, 0, sizeof(*s));
	snprintf(s->run_id, sizeof(s->run_id), "r");
	snprintf(s->kernel, sizeof(s->kernel), "6.1.0-56-amd64");
	snprintf(s->accel, sizeof(s->accel), "tcg");
	snprintf(s->memmap, sizeof(s->memmap), "%s", memmap);
	s->block_mib = 128;
	s->dimm_mib = 128;
	s->target_mib = -1;
	s->offline_fill_pct = -1;
	s->zone_present_mib = -1;
	s->block = -1;
	snprintf(s->phase, sizeof(s->phase), "%s", phase);
	snprintf(s->view, sizeof(s->view), "%s", view);
	snprintf(s->metric, sizeof(s->metric), "%s", metric);
	snprintf(s->unit, sizeof(s->unit), "%s", unit);
	s->value = v;
	s->warmup = warmup;
}

/* Deals the samples of each cell of @t to @nboots boots in turn (the
 * cell's i-th sample to boot i % nboots): the boot is the unit of
 * evidence, so a comparison needs two a side before it calls anything
 * significant. */
static inline int same_cell_as(const struct sample *a, const struct sample *b)
{
	return !strcmp(a->kernel, b->kernel) && !strcmp(a->accel, b->accel) &&
	       a->block_mib == b->block_mib && a->dimm_mib == b->dimm_mib &&
	       !strcmp(a->memmap, b->memmap) && !strcmp(a->phase, b->phase) &&
	       !strcmp(a->view, b->view) && !strcmp(a->metric, b->metric);
}

static inline void spread_boots(struct sample_table *t, int nboots)
{
	size_t k, j, i;

	for (k = 0; k < t->n; k++) {
		for (i = 0, j = 0; j < k; j++)
			i += same_cell_as(&t->s[j], &t->s[k]);
		t->s[k].boot = (int)(i % (size_t)nboots);
	}
}

/* One add-phase memmap_from_ram_kib sample of @kernel, @accel and @block
 * MiB blocks at a 256M DIMM (add() makes the rest). */
static inline void add_kab(struct sample_table *t, const char *kernel,
			   const char *accel, int64_t block, const char *memmap,
			   double v)
{
	struct sample *s;

	add(t, memmap, "add", "guest", "memmap_from_ram_kib", "KiB", v, 0);
	s = &t->s[t->n - 1];
	snprintf(s->kernel, sizeof(s->kernel), "%s", kernel);
	snprintf(s->accel, sizeof(s->accel), "%s", accel);
	s->block_mib = block;
	s->dimm_mib = 256;
}

/* 256M under 6.1 takes its memmap from RAM in both modes (~4100 KiB);
 * 6.12 self-hosts it (~4 KiB). Pooled, self would read 2054 KiB, which no
 * kernel produced. */
static inline void two_kernels(struct sample_table *t)
{
	int i;

	for (i = 0; i < 5; i++) {
		add_kab(t, "k61", "tcg", 128, "ram", 4100 + i);
		add_kab(t, "k61", "tcg", 128, "self", 4100 + i);
		add_kab(t, "k612", "tcg", 128, "ram", 4100 + i);
		add_kab(t, "k612", "tcg", 128, "self", 4);
	}
}

static const struct ana_opts opts = {.seed = 1, .reps = 2000, .alpha = 0.05};

#endif
