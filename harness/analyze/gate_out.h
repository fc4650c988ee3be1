/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What `mhpbench gate` writes: its table and verdict on stdout, gate.json
 * and the JUnit XML, from the verdicts of gate.h. */
#ifndef MHP_GATE_OUT_H
#define MHP_GATE_OUT_H

#include "analyze/compare.h"
#include "analyze/gate.h"

#include <jansson.h>
#include <stdio.h>

/* The header, one row per verdict with its reason, the overall verdict and
 * the notes. */
void gate_print(FILE *f, const struct ana_run *base, const struct ana_run *cand,
		const struct ana_cmp *c, const struct gate_rules *g,
		const struct gate_result *res, const json_t *notes);

/* gate.json's object: the sides, the rules, every row with its verdict,
 * the notes and the counts. NULL when out of memory. */
json_t *gate_json(const struct compare_side *base,
		  const struct compare_side *cand, const struct ana_cmp *c,
		  const struct gate_rules *g, const struct gate_result *res,
		  json_t *notes);

/* Write @path through a temporary file and rename(). 0 or -errno. */
int gate_write_json(const char *path, json_t *o);
int gate_write_junit(const char *path, const struct ana_cmp *c,
		     const struct gate_result *res, const json_t *notes);

#endif
