// SPDX-License-Identifier: GPL-2.0-or-later
/* What a comparison says beyond its rows (analysis.h): the cells' labels,
 * the notes that belong under it, and its sides and rows as JSON. */
#include "analyze/compare.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

void compare_size_label(const struct ana_row *r, char *buf, size_t len)
{
	char sz[16];
	int n;

	ana_size_str(r->k.dimm_mib, sz, sizeof(sz));
	n = snprintf(buf, len, "%s%s%s", r->k.memmap, r->k.memmap[0] ? " " : "",
		     sz);
	if (r->k.node)
		n += snprintf(buf + n, len - n, " node%d", r->k.node);
	if (r->k.target_mib >= 0)
		n += snprintf(buf + n, len - n, " F=%lldM",
			      (long long)r->k.target_mib);
	if (r->k.offline_fill_pct >= 0 && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " fill%d%%",
			      r->k.offline_fill_pct);
	if (r->k.zone_present_mib >= 0 && n >= 0 && (size_t)n < len) {
		ana_zone_str(r->k.zone_present_mib, sz, sizeof(sz));
		snprintf(buf + n, len - n, " zone%s", sz);
	}
	/* pc-dimm cells keep the label they always had. */
	if (!strcmp(r->k.source, "pmem") && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - n, " pmem");
}

void compare_cell_label(const struct ana_row *r, char *buf, size_t len)
{
	char blk[32] = "", cell[64];

	if (r->k.block_mib) {
		ana_size_str(r->k.block_mib, blk, sizeof(blk));
		strcat(blk, "-blocks ");
	}
	compare_size_label(r, cell, sizeof(cell));
	snprintf(buf, len, "%s%s%s%s%s", r->k.kernel, r->k.kernel[0] ? " " : "",
		 r->k.accel, r->k.accel[0] ? " " : "", blk);
	snprintf(buf + strlen(buf), len - strlen(buf), "%s", cell);
}

int compare_sectioned(const struct ana_cmp *c)
{
	unsigned all = ANA_FOLD_KERNEL | ANA_FOLD_ACCEL | ANA_FOLD_BLOCK;

	return (c->fold & all) != all;
}

/* One axis of compare_scope: @which is 'k', 'a' or 'b'. */
static void axis_scope(const struct ana_cmp *c, const struct ana_row *r,
		       int which, const char *const side[2], char *buf,
		       size_t len)
{
	static const char *const one[] = {"kernel %s", "accel %s", "%s blocks"};
	static const char *const two[] = {"kernel", "accel", "blocks"};
	static const char *const many[] = {"kernels %s (compared within each)",
					   "accels %s (compared within each)",
					   "%s blocks (compared within each)"};
	int i = which == 'k' ? 0 : which == 'a' ? 1 : 2;
	unsigned bit = i == 0	? ANA_FOLD_KERNEL
		       : i == 1 ? ANA_FOLD_ACCEL
				: ANA_FOLD_BLOCK;
	char va[1024], vb[1024];
	struct ana_axes u;

	/* Long lists are cut: this is a heading. */

	if (!(c->fold & bit) && r) {
		if (i == 2)
			ana_size_str(r->k.block_mib, va, sizeof(va));
		snprintf(buf, len, one[i],
			 i == 0	  ? r->k.kernel
			 : i == 1 ? r->k.accel
				  : va);
		return;
	}
	if (!(c->fold & bit)) {
		u = c->ax[0];
		ana_axes_merge(&u, &c->ax[1]);
		ana_axes_list(&u, which, va, sizeof(va));
		snprintf(buf, len, many[i], va);
		return;
	}
	ana_axes_list(&c->ax[0], which, va, sizeof(va));
	ana_axes_list(&c->ax[1], which, vb, sizeof(vb));
	if (!strcmp(va, vb) || !*vb || !*va)
		snprintf(buf, len, one[i], *va ? va : vb);
	else
		snprintf(buf, len, "%s %s %.500s, %s %.500s", two[i], side[0],
			 va, side[1], vb);
}

void compare_scope_named(const struct ana_cmp *c, const struct ana_row *r,
			 const char *name_a, const char *name_b, char *buf,
			 size_t len)
{
	const char *const side[2] = {name_a, name_b};
	char k[1200], a[1200], b[1200];

	axis_scope(c, r, 'k', side, k, sizeof(k));
	axis_scope(c, r, 'a', side, a, sizeof(a));
	axis_scope(c, r, 'b', side, b, sizeof(b));
	snprintf(buf, len, "%s, %s, %s", k, a, b);
}

void compare_scope(const struct ana_cmp *c, const struct ana_row *r, char *buf,
		   size_t len)
{
	compare_scope_named(c, r, "A", "B", buf, len);
}

/* Per axis (kernel, accel, block size): the values of A and B where they
 * differ, and what was done with them: compared as A and B, or compared
 * within each value (then a value on one side only has no cells). */
static void axes_notes(const struct compare_side *a,
		       const struct compare_side *b, const struct ana_cmp *c,
		       json_t *notes)
{
	static const char *const names[] = {"kernels", "accels", "block sizes"};
	static const char which[] = "kab";
	static const unsigned bits[] = {ANA_FOLD_KERNEL, ANA_FOLD_ACCEL,
					ANA_FOLD_BLOCK};
	char va[1024], vb[1024], buf[2600];
	int i;

	for (i = 0; i < 3; i++) {
		ana_axes_list(&c->ax[0], which[i], va, sizeof(va));
		ana_axes_list(&c->ax[1], which[i], vb, sizeof(vb));
		if (c->fold & bits[i] && (a->run == b->run || !strcmp(va, vb)))
			continue;
		if (!(c->fold & bits[i]) && !strcmp(va, vb))
			snprintf(buf, sizeof(buf),
				 "%s %s: compared within each, never pooled",
				 names[i], va);
		else if (!(c->fold & bits[i]))
			snprintf(buf, sizeof(buf),
				 "%s: A %s; B %s: compared within each, never "
				 "pooled (a value on one side only has no "
				 "cells; --a and --b select one)",
				 names[i], va, vb);
		else
			snprintf(buf, sizeof(buf), "%s differ: A %s, B %s",
				 names[i], va, vb);
		json_array_append_new(notes, json_string(buf));
	}
}

/* Rows whose sides have fewer than STATS_MIN_BOOTS boots: one line for
 * all of them, since a job's boots setting decides it for every cell. */
static void boots_note(const struct ana_cmp *c, json_t *notes)
{
	size_t k, few = 0, ba = SIZE_MAX, bb = SIZE_MAX;
	char buf[512];

	for (k = 0; k < c->n; k++) {
		if (c->rows[k].gate_grade)
			continue;
		few++;
		ba = c->rows[k].boots_a < ba ? c->rows[k].boots_a : ba;
		bb = c->rows[k].boots_b < bb ? c->rows[k].boots_b : bb;
	}
	if (!few)
		return;
	snprintf(buf, sizeof(buf),
		 "%zu of %zu rows have fewer than %d boots on a side (A %zu, "
		 "B %zu at least): the boot is the unit of evidence, so their "
		 "p is Mann-Whitney's on cycles, they are marked ? when it is "
		 "below alpha and never *, and gate calls them inconclusive; "
		 "set boots = %d or more in the job",
		 few, c->n, STATS_MIN_BOOTS, ba, bb, STATS_MIN_BOOTS);
	json_array_append_new(notes, json_string(buf));
}

/* Rows whose one side is guest virtual time and the other wall-clock
 * time (the accels are A and B, one of them tcg-icount): their numbers
 * are in two clocks. */
static void mixed_note(const struct ana_cmp *c, json_t *notes)
{
	size_t k, mixed = 0, first = 0;
	char buf[512];

	for (k = 0; k < c->n; k++)
		if (c->rows[k].virt_a != c->rows[k].virt_b && !mixed++)
			first = k;
	if (!mixed)
		return;
	snprintf(buf, sizeof(buf),
		 "%zu rows compare guest virtual time with wall-clock time "
		 "(accel A %s, B %s; unit vms/ms or ms/vms, A's unit first): "
		 "their change is that of the clocks as much as of the kernel",
		 mixed, ana_side_accel(c, &c->rows[first].k, 0),
		 ana_side_accel(c, &c->rows[first].k, 1));
	json_array_append_new(notes, json_string(buf));
}

/* The manifest's accel.nested (README, "KVM on a lab host"): a KVM run on
 * a host with the hypervisor flag. */
static int ran_nested(const struct ana_run *r)
{
	json_t *n = json_object_get(
		json_object_get(json_object_get(r->manifest, "accel"),
				"nested"),
		"nested");

	return json_is_true(n);
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

		if (r->inject_online_delay_us) {
			snprintf(buf, sizeof(buf),
				 "%c (%s) ran with inject_online_delay = %g "
				 "ms: every online write in the guest was "
				 "padded on purpose (a test of the analysis, "
				 "not a kernel change)",
				 'A' + i, r->run_id,
				 r->inject_online_delay_us / 1e3);
			json_array_append_new(notes, json_string(buf));
		}
		if (ran_nested(r)) {
			snprintf(buf, sizeof(buf),
				 "%c (%s) ran nested (KVM on a host that is "
				 "itself a virtual machine): its timings are "
				 "not representative of bare metal",
				 'A' + i, r->run_id);
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
	axes_notes(a, b, c, notes);
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
	boots_note(c, notes);
	mixed_note(c, notes);
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

/* Every value of one axis of the run, as a JSON array. */
static json_t *axis_json(const struct ana_axes *ax, int which)
{
	json_t *a = json_array();
	int i, n = which == 'k'	  ? ax->nkernel
		   : which == 'a' ? ax->naccel
				  : ax->nblock;

	for (i = 0; i < n && i < ANA_AXES_MAX; i++)
		json_array_append_new(
			a, which == 'k' ? json_string(ax->kernel[i])
			   : which == 'a'
				   ? json_string(ax->accel[i])
				   : json_integer(ana_axes_block(ax, i)));
	return a;
}

json_t *compare_side_json(const struct compare_side *s)
{
	char sel[160] = "";

	if (s->sel.key[0])
		snprintf(sel, sizeof(sel), "%s=%s", s->sel.key, s->sel.val);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:{s:I}, s:o, "
			 "s:o, s:o}",
			 "run_id", s->run->run_id, "dir", s->run->dir, "select",
			 sel, "status", s->run->status, "kernel",
			 s->run->kernel, "accel", s->run->accel, "block_mib",
			 (json_int_t)s->run->block_mib, "injected",
			 "online_delay_us",
			 (json_int_t)s->run->inject_online_delay_us, "kernels",
			 axis_json(&s->run->axes, 'k'), "accels",
			 axis_json(&s->run->axes, 'a'), "block_mibs",
			 axis_json(&s->run->axes, 'b'));
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
	const struct metric_def *mi = ana_metric(r->k.metric);
	json_t *o = json_pack(
		"{s:s, s:s, s:I, s:s, s:I, s:i, s:I, s:s, s:s, s:s, s:s, s:s, "
		"s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:b, s:o, s:o, "
		"s:o}",
		"kernel", r->k.kernel, "accel", r->k.accel, "block_mib",
		(json_int_t)r->k.block_mib, "memmap", r->k.memmap, "dimm_mib",
		(json_int_t)r->k.dimm_mib, "node", r->k.node, "target_mib",
		(json_int_t)r->k.target_mib, "phase", r->k.phase, "view",
		r->k.view, "metric", r->k.metric, "unit", r->k.unit, "better",
		mi->better > 0	 ? "higher"
		: mi->better < 0 ? "lower"
				 : "neutral",
		"a", summary_json(&r->a), "b", summary_json(&r->b), "a_center",
		num(r->ca), "b_center", num(r->cb), "change_pct",
		num(r->change_pct), "u", num(r->mw.u), "p", num(r->p), "p_holm",
		num(r->p_holm), "exact_p", r->mw.exact, "significant", r->sig,
		"ratio", num(r->ci.ratio), "ci_lo",
		num(r->ci_ok ? r->ci.lo : NAN), "ci_hi",
		num(r->ci_ok ? r->ci.hi : NAN));

	if (o) /* virtual, wall or "" (README, "Analysis") */
		json_object_set_new(o, "time_base",
				    json_string(ana_row_time_base(r)));
	if (o) { /* the boot-level evidence behind p */
		json_object_set_new(o, "a_boots",
				    json_integer((json_int_t)r->boots_a));
		json_object_set_new(o, "b_boots",
				    json_integer((json_int_t)r->boots_b));
		json_object_set_new(o, "gate_grade",
				    json_boolean(r->gate_grade));
		json_object_set_new(o, "p_cycles", num(r->mw.p));
		json_object_set_new(o, "offline_fill_pct",
				    json_integer(r->k.offline_fill_pct));
		json_object_set_new(
			o, "zone_present_mib",
			json_integer((json_int_t)r->k.zone_present_mib));
		json_object_set_new(o, "source", json_string(r->k.source));
	}
	return o;
}
