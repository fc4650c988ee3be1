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

/* Label such as "128M" or "ram 128M" for the cell of @r. */
void compare_cell_label(const struct ana_row *r, char *buf, size_t len);

#endif
