/* What a comparison says beyond its rows (analysis.h): the cells' labels,
 * the notes that belong under it, and its sides and rows as JSON. */
#include "analyze/compare.h"

#include <math.h>
#include <string.h>

void compare_cell_label(const struct ana_row *r, char *buf, size_t len)
{
	char sz[16];
	int n;

	ana_size_str(r->k.dimm_mib, sz, sizeof(sz));
	n = snprintf(buf, len, "%s%s%s", r->k.memmap, r->k.memmap[0] ? " " : "",
		     sz);
	if (r->k.node)
		n += snprintf(buf + n, len - n, " node%d", r->k.node);
	if (r->k.target_mib >= 0)
		snprintf(buf + n, len - n, " F=%lldM",
			 (long long)r->k.target_mib);
}

void compare_notes(const struct compare_side *a, const struct compare_side *b,
		   const struct ana_cmp *c, json_t *notes)
{
	const struct compare_side *sides[2] = {a, b};
	char buf[512], cell[64];
	int pmu = 0, i;
	size_t k;

	for (i = 0; i < 2; i++) {
		const struct ana_run *r = sides[i]->run;

		if (r->inject_online_delay_ms) {
			snprintf(buf, sizeof(buf),
				 "%c (%s) ran with inject_online_delay = %lld "
				 "ms: every online write in the guest was "
				 "padded on purpose (a test of the analysis, "
				 "not a kernel change)",
				 'A' + i, r->run_id,
				 (long long)r->inject_online_delay_ms);
			json_array_append_new(notes, json_string(buf));
		}
		if (strcmp(r->status, "complete")) {
			snprintf(buf, sizeof(buf),
				 "%c (%s) is %s: it stopped before the end",
				 'A' + i, r->run_id, r->status);
			json_array_append_new(notes, json_string(buf));
		}
		for (k = 0; k < r->t.n && !pmu; k++)
			pmu = !strncmp(r->t.s[k].metric, "pmu_", 4);
	}
	if (a->run != b->run && strcmp(a->run->kernel, b->run->kernel)) {
		snprintf(buf, sizeof(buf), "kernels differ: A %s, B %s",
			 a->run->kernel, b->run->kernel);
		json_array_append_new(notes, json_string(buf));
	}
	if (a->run != b->run && strcmp(a->run->accel, b->run->accel)) {
		snprintf(buf, sizeof(buf), "accels differ: A %s, B %s",
			 a->run->accel, b->run->accel);
		json_array_append_new(notes, json_string(buf));
	}
	if (!pmu)
		json_array_append_new(
			notes, json_string("no PMU data: neither side has "
					   "pmu_* metrics (no PMU counters "
					   "were available; none are shown "
					   "as zero)"));
	for (k = 0; k < c->n; k++) {
		const struct ana_row *r = &c->rows[k];

		if (r->a.n >= 5 && r->b.n >= 5)
			continue;
		compare_cell_label(r, cell, sizeof(cell));
		snprintf(buf, sizeof(buf),
			 "%s %s %s %s: fewer than 5 samples (A n=%zu, B "
			 "n=%zu)",
			 cell, r->k.phase, r->k.view, r->k.metric, r->a.n,
			 r->b.n);
		json_array_append_new(notes, json_string(buf));
	}
	if (c->only_a || c->only_b) {
		snprintf(buf, sizeof(buf),
			 "cells on one side only (not compared): %zu in A, "
			 "%zu in B",
			 c->only_a, c->only_b);
		json_array_append_new(notes, json_string(buf));
	}
	if (!c->n)
		json_array_append_new(
			notes, json_string("no cell exists on both sides"));
}

json_t *compare_side_json(const struct compare_side *s)
{
	char sel[160] = "";

	if (s->sel.key[0])
		snprintf(sel, sizeof(sel), "%s=%s", s->sel.key, s->sel.val);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:{s:I}}",
			 "run_id", s->run->run_id, "dir", s->run->dir, "select",
			 sel, "status", s->run->status, "kernel",
			 s->run->kernel, "accel", s->run->accel, "block_mib",
			 (json_int_t)s->run->block_mib, "injected",
			 "online_delay_ms",
			 (json_int_t)s->run->inject_online_delay_ms);
}

/* JSON has no NaN: undefined values are null. */
static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *summary_json(const struct stats_summary *s)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "n",
			 (json_int_t)s->n, "median", num(s->median), "q1",
			 num(s->q1), "q3", num(s->q3), "iqr", num(s->iqr),
			 "min", num(s->min), "max", num(s->max), "mean",
			 num(s->mean), "sd", num(s->sd));
}

json_t *compare_row_json(const struct ana_row *r)
{
	const struct ana_metric_info *mi = ana_metric(r->k.metric);

	return json_pack(
		"{s:s, s:I, s:i, s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, "
		"s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:b, s:o, s:o, s:o}",
		"memmap", r->k.memmap, "dimm_mib", (json_int_t)r->k.dimm_mib,
		"node", r->k.node, "target_mib", (json_int_t)r->k.target_mib,
		"phase", r->k.phase, "view", r->k.view, "metric", r->k.metric,
		"unit", r->k.unit, "better",
		mi->better > 0	 ? "higher"
		: mi->better < 0 ? "lower"
				 : "neutral",
		"a", summary_json(&r->a), "b", summary_json(&r->b), "a_center",
		num(r->ca), "b_center", num(r->cb), "change_pct",
		num(r->change_pct), "u", num(r->mw.u), "p", num(r->mw.p),
		"p_holm", num(r->p_holm), "exact_p", r->mw.exact, "significant",
		r->sig, "ratio", num(r->ci.ratio), "ci_lo",
		num(r->ci_ok ? r->ci.lo : NAN), "ci_hi",
		num(r->ci_ok ? r->ci.hi : NAN));
}
