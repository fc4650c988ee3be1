/* Samples made up for the analysis tests (test_analysis.c,
 * test_compare.c): add() appends one of kernel 6.1.0-56-amd64, tcg, 128M
 * blocks and DIMMs; opts are the comparison options they use. Include it
 * after cmocka.h. */
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
	s->block = -1;
	snprintf(s->phase, sizeof(s->phase), "%s", phase);
	snprintf(s->view, sizeof(s->view), "%s", view);
	snprintf(s->metric, sizeof(s->metric), "%s", metric);
	snprintf(s->unit, sizeof(s->unit), "%s", unit);
	s->value = v;
	s->warmup = warmup;
}

static const struct ana_opts opts = {.seed = 1, .reps = 2000, .alpha = 0.05};

#endif
