/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `mhpbench compare`: the A/B table of two runs, or of two selections
 * (e.g. memmap=ram against memmap=self) within one run. This part holds
 * what a comparison says beyond its rows (notes, labels, JSON); the
 * printing is compare_print.h, the command line compare_cmd.h. */
#ifndef MHP_COMPARE_H
#define MHP_COMPARE_H

#include "analyze/analysis.h"

#include <jansson.h>

struct compare_side {
	const struct ana_run *run;
	struct ana_sel sel;
};

/* Notes that belong under any comparison: cells with n < 5, cells on one
 * side only, no PMU data, injected faults, incomplete runs, differing
 * kernels or accels. Appends strings to @notes. */
void compare_notes(const struct compare_side *a, const struct compare_side *b,
		   const struct ana_cmp *c, json_t *notes);

/* One side's description and one row, as JSON objects. */
json_t *compare_side_json(const struct compare_side *s);
json_t *compare_row_json(const struct ana_row *r);

/* Label such as "128M" or "ram 128M" for the cell of @r, without the
 * kernel, accel and block size (for a table in sections, each of which
 * names them). */
void compare_size_label(const struct ana_row *r, char *buf, size_t len);

/* The same, led by whatever of kernel, accel and block size is in @r's key
 * ("k612 ram 256M", "tcg 256M-blocks self 1G"): a row named on its own. */
void compare_cell_label(const struct ana_row *r, char *buf, size_t len);

/* Whether @c's rows fall into sections: a kernel, accel or block size
 * with several values on a side stays in the key. */
int compare_sectioned(const struct ana_cmp *c);

/* What a table, or the section of @r, covers beside its cells: "kernel X,
 * accel Y, 128M blocks". Per axis: @r's value when it is in the key; the
 * one value, or "A x, B y" where the sides differ, when it is folded; with
 * @r NULL, an axis in the key lists its values, "(compared within
 * each)". */
void compare_scope(const struct ana_cmp *c, const struct ana_row *r, char *buf,
		   size_t len);

/* The same with other names for the sides ("baseline", "candidate"). */
void compare_scope_named(const struct ana_cmp *c, const struct ana_row *r,
			 const char *name_a, const char *name_b, char *buf,
			 size_t len);

#endif
