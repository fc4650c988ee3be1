// SPDX-License-Identifier: GPL-2.0-or-later
#include "results/report.h"
#include "config/kernel_rules.h"
#include "results/deepreport.h"
#include "results/fillreport.h"
#include "results/zonereport.h"
#include "results/memmapcount.h"
#include "results/metric.h"
#include "results/sidebyside.h"
#include "results/stats.h"
#include "base/units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A cell: every sample with the same key, warm-up excluded. */
struct cell {
	const struct sample *key;
	double *v;
	size_t n, cap;
};

static int same_cell(const struct sample *a, const struct sample *b)
{
	return !strcmp(a->kernel, b->kernel) && !strcmp(a->accel, b->accel) &&
	       !strcmp(a->memmap, b->memmap) && a->block_mib == b->block_mib &&
	       a->dimm_mib == b->dimm_mib && a->node == b->node &&
	       !strcmp(a->phase, b->phase) && !strcmp(a->view, b->view) &&
	       !strcmp(a->metric, b->metric) &&
	       a->target_mib == b->target_mib &&
	       a->offline_fill_pct == b->offline_fill_pct &&
	       a->zone_present_mib == b->zone_present_mib &&
	       !strcmp(a->source, b->source);
}

static int phase_rank(const char *p)
{
	static const char *order[] = {"add", "online", "offline", "remove"};

	for (int i = 0; i < 4; i++)
		if (!strcmp(p, order[i]))
			return i;
	return 4;
}

static int cmp_cell(const void *x, const void *y)
{
	const struct sample *a = ((const struct cell *)x)->key;
	const struct sample *b = ((const struct cell *)y)->key;
	int r;

	if ((r = strcmp(a->kernel, b->kernel)) ||
	    (r = strcmp(a->accel, b->accel)))
		return r;
	if (a->block_mib != b->block_mib)
		return a->block_mib < b->block_mib ? -1 : 1;
	/* A latency table per fill (README, "Offline with pages to
	 * migrate"). */
	if (a->offline_fill_pct != b->offline_fill_pct)
		return a->offline_fill_pct < b->offline_fill_pct ? -1 : 1;
	/* and per size of the zone (README, "Cost against the size of the
	 * zone") */
	if (a->zone_present_mib != b->zone_present_mib)
		return a->zone_present_mib < b->zone_present_mib ? -1 : 1;
	if ((r = strcmp(a->source, b->source)))
		return r;
	if (a->dimm_mib != b->dimm_mib)
		return a->dimm_mib < b->dimm_mib ? -1 : 1;
	if ((r = strcmp(a->memmap, b->memmap)))
		return r;
	if (a->node != b->node)
		return a->node - b->node;
	if (a->target_mib != b->target_mib)
		return a->target_mib < b->target_mib ? 1 : -1; /* F falling */
	if ((r = phase_rank(a->phase) - phase_rank(b->phase)) ||
	    (r = strcmp(a->phase, b->phase)) || (r = strcmp(a->view, b->view)))
		return r;
	return strcmp(a->metric, b->metric);
}

static struct cell *group(const struct sample_table *t, size_t *ncells)
{
	struct cell *cells = NULL;
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++) {
		const struct sample *s = &t->s[i];
		struct cell *c = NULL;

		if (s->warmup)
			continue;
		for (size_t j = 0; j < n && !c; j++)
			if (same_cell(cells[j].key, s))
				c = &cells[j];
		if (!c) {
			cells = realloc(cells, (n + 1) * sizeof(*cells));
			c = &cells[n++];
			memset(c, 0, sizeof(*c));
			c->key = s;
		}
		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 16;
			c->v = realloc(c->v, c->cap * sizeof(double));
		}
		c->v[c->n++] = s->value;
	}
	if (n)
		qsort(cells, n, sizeof(*cells), cmp_cell);
	*ncells = n;
	return cells;
}

static json_t *cell_json(const struct cell *c)
{
	const struct sample *k = c->key;
	struct stats_summary st;

	json_t *j;

	stats_summarize(c->v, c->n, &st);
	j = json_pack("{s:s,s:s,s:s,s:I,s:I,s:i,s:s,s:s,s:s,s:s,s:I,s:f,"
		      "s:f,s:f,s:f,s:f,s:f,s:f,s:f}",
		      "kernel", k->kernel, "accel", k->accel, "memmap",
		      k->memmap, "block_mib", (json_int_t)k->block_mib,
		      "dimm_mib", (json_int_t)k->dimm_mib, "node", k->node,
		      "phase", k->phase, "view", k->view, "metric", k->metric,
		      "unit", k->unit, "n", (json_int_t)st.n, "median",
		      st.median, "q1", st.q1, "q3", st.q3, "iqr", st.iqr, "min",
		      st.min, "max", st.max, "mean", st.mean, "sd", st.sd);
	if (j) {
		json_object_set_new(j, "kernel_release",
				    json_string(k->kernel_release));
		/* virtual, wall or "" (metric.h, "Virtual time") */
		json_object_set_new(j, "time_base",
				    json_string(metric_time_base(
					    k->accel, k->view, k->unit)));
	}
	if (j && k->target_mib >= 0)
		json_object_set_new(j, "target_mib",
				    json_integer((json_int_t)k->target_mib));
	if (j && k->offline_fill_pct >= 0)
		json_object_set_new(j, "offline_fill_pct",
				    json_integer(k->offline_fill_pct));
	if (j && k->zone_present_mib >= 0)
		json_object_set_new(
			j, "zone_present_mib",
			json_integer((json_int_t)k->zone_present_mib));
	if (j)
		json_object_set_new(j, "source", json_string(k->source));
	return j;
}

/* Whether the parameter read Y/force in the boots of @k's kernel, mode
 * and block size (the "boot" phase's capability samples). Runs from before
 * those samples: assume it did what the mode asked. */
static int param_enabled(const struct cell *cs, size_t n,
			 const struct sample *k)
{
	for (size_t i = 0; i < n; i++) {
		const struct sample *s = cs[i].key;

		if (!strcmp(s->metric, "memmap_on_memory_enabled") &&
		    !strcmp(s->kernel, k->kernel) &&
		    !strcmp(s->accel, k->accel) &&
		    !strcmp(s->memmap, k->memmap) &&
		    s->block_mib == k->block_mib)
			return cs[i].n && cs[i].v[0] >= 0.5;
	}
	return !strcmp(k->memmap, "self");
}

static json_t *placement_json(const struct cell *c, int enabled)
{
	const struct sample *k = c->key;
	size_t yes = 0;
	int asked = !strcmp(k->memmap, "self");
	int expect =
		asked && kernel_expects_self_hosted(k->kernel_release, enabled,
						    k->block_mib, k->dimm_mib);
	const char *verdict;

	for (size_t i = 0; i < c->n; i++)
		yes += c->v[i] >= 0.5;
	verdict = yes == c->n ? "self-hosted" : yes ? "mixed" : "from RAM";
	return json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:i,s:I,s:I,s:b,s:b,s:s,"
			 "s:b,s:b}",
			 "kernel", k->kernel, "kernel_release",
			 k->kernel_release, "accel", k->accel, "memmap",
			 k->memmap, "block_mib", (json_int_t)k->block_mib,
			 "dimm_mib", (json_int_t)k->dimm_mib, "node", k->node,
			 "n", (json_int_t)c->n, "self_hosted_n",
			 (json_int_t)yes, "asked_self_hosted", asked,
			 "expected_self_hosted", expect, "verdict", verdict,
			 "matches_mode", asked ? yes == c->n : yes == 0,
			 "matches_expected", expect ? yes == c->n : yes == 0);
}

/* Kernels and block sizes whose boots found `self` mode impossible: the
 * report says so instead of showing numbers. */
static json_t *unsupported_json(const struct cell *cs, size_t n)
{
	json_t *u = json_array();

	for (size_t i = 0; i < n; i++) {
		const struct sample *k = cs[i].key;

		int dax = !strcmp(k->metric, M_DAX_MOM_SUPPORTED);

		if ((strcmp(k->metric, "memmap_on_memory_supported") && !dax) ||
		    strcmp(k->memmap, "self") || !cs[i].n || cs[i].v[0] >= 0.5)
			continue;
		json_array_append_new(
			u,
			json_pack("{s:s,s:s,s:s,s:I,s:s}", "kernel", k->kernel,
				  "kernel_release", k->kernel_release, "memmap",
				  k->memmap, "block_mib",
				  (json_int_t)k->block_mib, "reason",
				  dax ? "DAX device without memmap_on_memory "
					"(6.8+): unsupported by kernel"
				      : "unsupported by kernel"));
	}
	return u;
}

int64_t report_injected_delay_us(const json_t *o, int manifest)
{
	const json_t *inj = manifest ? json_object_get(o, "injected") : o;
	const json_t *us = json_object_get(inj, "online_delay_us");

	/* runs before microseconds recorded online_delay_ms */
	return us ? json_integer_value(us)
		  : json_integer_value(
			    json_object_get(inj, "online_delay_ms")) *
			       1000;
}

json_t *report_summary(const struct sample_table *t,
		       const struct report_timing *tm)
{
	json_t *sum = json_object(), *cells = json_array(),
	       *place = json_array(), *sbs;
	size_t n;
	struct cell *cs = group(t, &n);
	double other = (double)(tm->wall_ns - tm->boot_ns - tm->phase_ns);

	for (size_t i = 0; i < n; i++) {
		json_t *p;

		json_array_append_new(cells, cell_json(&cs[i]));
		if (strcmp(cs[i].key->metric, "self_hosted") ||
		    strcmp(cs[i].key->view, "guest"))
			continue;
		p = placement_json(&cs[i], param_enabled(cs, n, cs[i].key));
		/* a row per fill: its numbers are that fill's cells' */
		if (p && cs[i].key->offline_fill_pct >= 0)
			json_object_set_new(
				p, "offline_fill_pct",
				json_integer(cs[i].key->offline_fill_pct));
		if (p && cs[i].key->zone_present_mib >= 0)
			json_object_set_new(
				p, "zone_present_mib",
				json_integer((json_int_t)cs[i]
						     .key->zone_present_mib));
		if (p)
			json_object_set_new(p, "source",
					    json_string(cs[i].key->source));
		json_array_append_new(place, p);
	}
	json_object_set_new(sum, "unsupported", unsupported_json(cs, n));
	for (size_t i = 0; i < n; i++)
		free(cs[i].v);
	free(cs);
	json_object_set_new(sum, "cells", cells);
	if ((sbs = sidebyside_json(cells, t)))
		json_object_set_new(sum, "kernels_side_by_side", sbs);
	if ((sbs = zonereport_json(t)))
		json_object_set_new(sum, "zone_size", sbs);
	if ((sbs = deepreport_json(cells)))
		json_object_set_new(sum, "deep", sbs);
	if ((sbs = memmapcount_json(cells, tm->memmap_note)))
		json_object_set_new(sum, "memmap_counter", sbs);
	if (tm->pmu_note)
		json_object_set(sum, "pmu", tm->pmu_note);
	if (tm->params_note)
		json_object_set(sum, "hotplug_params_differ", tm->params_note);
	json_object_set_new(sum, "placement", place);
	json_object_set_new(
		sum, "overhead",
		json_pack("{s:I,s:I,s:I,s:f}", "wall_ns",
			  (json_int_t)tm->wall_ns, "boot_ns",
			  (json_int_t)tm->boot_ns, "phase_ns",
			  (json_int_t)tm->phase_ns, "overhead_pct",
			  tm->wall_ns > 0 ? 100.0 * other / (double)tm->wall_ns
					  : 0.0));
	if (tm->inject_online_delay_us)
		json_object_set_new(
			sum, "injected",
			json_pack("{s:I}", "online_delay_us",
				  (json_int_t)tm->inject_online_delay_us));
	return sum;
}

/* --- printing ----------------------------------------------------------- */

static const char *jstr(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v ? v : "";
}

int report_same_cell(const json_t *a, const json_t *b)
{
	static const char *const strs[] = {"kernel", "accel", "memmap",
					   "source"};
	static const char *const nums[] = {
		"block_mib",  "dimm_mib",	  "node",
		"target_mib", "offline_fill_pct", "zone_present_mib"};

	for (size_t k = 0; k < sizeof(strs) / sizeof(strs[0]); k++)
		if (strcmp(jstr(a, strs[k]), jstr(b, strs[k])))
			return 0;
	for (size_t k = 0; k < sizeof(nums) / sizeof(nums[0]); k++) {
		const json_t *x = json_object_get(a, nums[k]),
			     *y = json_object_get(b, nums[k]);

		if (!x != !y ||
		    (x && json_integer_value(x) != json_integer_value(y)))
			return 0;
	}
	return 1;
}

const json_t *report_cell_of(const json_t *cells, const json_t *like,
			     const char *phase, const char *view,
			     const char *metric)
{
	size_t i;
	const json_t *c;

	json_array_foreach(cells, i, c)
	{
		if (!strcmp(jstr(c, "phase"), phase) &&
		    !strcmp(jstr(c, "view"), view) &&
		    !strcmp(jstr(c, "metric"), metric) &&
		    report_same_cell(c, like))
			return c;
	}
	return NULL;
}

static double num(const json_t *c, const char *k)
{
	return json_number_value(json_object_get(c, k));
}

static void size_str(int64_t mib, char *buf, size_t len)
{
	units_format_size((uint64_t)mib << 20, buf, (int)len);
}

/* A column "median (IQR)" in ms, @w characters wide with its space. */
static void latency_cols(FILE *f, const json_t *c, int w)
{
	if (!c) {
		fprintf(f, " %*s", w - 1, "-");
		return;
	}
	fprintf(f, " %*.2f (%8.2f)", w - 12, num(c, "median") / 1e6,
		num(c, "iqr") / 1e6);
}

/* One table per kernel, accel and block size. Under tcg-icount the guest
 * column is virtual time: its header says vms, and the legend after the
 * tables what that is. */
static void print_latency(FILE *f, const json_t *cells)
{
	char group[256], last_group[256] = "", sz[24];
	size_t i;
	const json_t *c;
	int virt = 0, any_virt = 0;

	json_array_foreach(cells, i, c)
	{
		const json_t *h, *g;
		const char *phase =
			json_string_value(json_object_get(c, "phase"));

		/* One row per (DIMM, mode, phase): driven by its host cell. */
		if (strcmp(json_string_value(json_object_get(c, "metric")),
			   "latency_ns") ||
		    strcmp(json_string_value(json_object_get(c, "view")),
			   "host"))
			continue;
		snprintf(group, sizeof(group),
			 "kernel %s, accel %s, %lldM blocks",
			 json_string_value(json_object_get(c, "kernel")),
			 json_string_value(json_object_get(c, "accel")),
			 (long long)json_integer_value(
				 json_object_get(c, "block_mib")));
		if (fillreport_pct(c) >= 0)
			snprintf(group + strlen(group),
				 sizeof(group) - strlen(group),
				 ", offline fill %d%%", fillreport_pct(c));
		if (zonereport_mib(c) >= 0) {
			size_str(zonereport_mib(c), sz, sizeof(sz));
			snprintf(group + strlen(group),
				 sizeof(group) - strlen(group),
				 ", %s already in the zone", sz);
		}
		/* The "DIMM" column is then the memory kmem added. */
		if (!strcmp(json_string_value(json_object_get(c, "source"))
				    ?: "dimm",
			    "pmem"))
			snprintf(group + strlen(group),
				 sizeof(group) - strlen(group),
				 ", pmem through dax/kmem");
		if (strcmp(group, last_group)) {
			virt = metric_virtual_time(
				json_string_value(json_object_get(c, "accel")),
				"guest", "ns");
			any_virt |= virt;
			fprintf(f, "\nLatency per phase, %s\n", group);
			fprintf(f, "%-5s %-4s %-7s %20s %*s %4s\n", "DIMM",
				"mode", "phase", "host ms median (IQR)",
				20 + virt,
				virt ? "guest vms median(IQR)"
				     : "guest ms median(IQR)",
				"n");
			snprintf(last_group, sizeof(last_group), "%s", group);
		}
		h = c;
		g = report_cell_of(cells, c, phase, "guest", "latency_ns");
		size_str(json_integer_value(json_object_get(c, "dimm_mib")), sz,
			 sizeof(sz));
		fprintf(f, "%-5s %-4s %-7s", sz,
			json_string_value(json_object_get(c, "memmap")), phase);
		latency_cols(f, h, 21);
		latency_cols(f, g, 21 + virt);
		fprintf(f, " %4lld\n",
			(long long)json_integer_value(json_object_get(h, "n")));
	}
	if (any_virt)
		metric_vms_legend(f, "", "  ", 0);
}

static void print_placement(FILE *f, const json_t *sum)
{
	const json_t *place = json_object_get(sum, "placement");
	const json_t *cells = json_object_get(sum, "cells");
	size_t i;
	const json_t *p;
	char sz[24];

	if (!json_array_size(place))
		return;
	fprintf(f, "\nMemmap placement (verdict from MemTotal after online; "
		   "a memmap is 1/64 of the DIMM)\n");
	fprintf(f, "%-14s %-5s %-5s %-4s %8s %11s %11s  %s\n", "kernel",
		"block", "DIMM", "mode", "self-hst", "RAM KiB@add",
		"in-DIMM KiB", "verdict");
	json_array_foreach(place, i, p)
	{
		const json_t *ram = report_cell_of(cells, p, "add", "guest",
						   "memmap_from_ram_kib");
		const json_t *in = report_cell_of(cells, p, "online", "guest",
						  "self_hosted_kib");
		char frac[32], bs[24];

		size_str(json_integer_value(json_object_get(p, "dimm_mib")), sz,
			 sizeof(sz));
		size_str(json_integer_value(json_object_get(p, "block_mib")),
			 bs, sizeof(bs));
		snprintf(
			frac, sizeof(frac), "%lld/%lld",
			(long long)json_integer_value(
				json_object_get(p, "self_hosted_n")),
			(long long)json_integer_value(json_object_get(p, "n")));
		fprintf(f, "%-14.14s %-5s %-5s %-4s %8s %11.0f %11.0f  %s%s",
			json_string_value(json_object_get(p, "kernel")), bs, sz,
			json_string_value(json_object_get(p, "memmap")), frac,
			ram ? num(ram, "median") : 0.0,
			in ? num(in, "median") : 0.0,
			json_string_value(json_object_get(p, "verdict")),
			json_is_true(json_object_get(p, "matches_mode")) ? ""
			: json_is_true(json_object_get(p, "matches_expected"))
				? " (not as asked; expected for this kernel)"
				: " (NOT as asked)");
		if (fillreport_pct(p) >= 0)
			fprintf(f, " (fill %d%%)", fillreport_pct(p));
		if (zonereport_mib(p) >= 0) {
			size_str(zonereport_mib(p), sz, sizeof(sz));
			fprintf(f, " (zone %s)", sz);
		}
		fputc('\n', f);
	}
}

/* Whether @c is of @grp's kernel, accel and block size. */
static int same_group(const json_t *c, const json_t *grp)
{
	return json_equal(json_object_get(c, "kernel"),
			  json_object_get(grp, "kernel")) &&
	       json_equal(json_object_get(c, "accel"),
			  json_object_get(grp, "accel")) &&
	       json_equal(json_object_get(c, "block_mib"),
			  json_object_get(grp, "block_mib"));
}

/* The cell of (F, mode, metric) in @grp's kernel, accel and block size, or
 * NULL. */
static const json_t *oom_cell(const json_t *cells, const json_t *grp,
			      json_int_t target, const char *mode,
			      const char *metric)
{
	size_t i;
	const json_t *c;

	json_array_foreach(cells, i, c)
	{
		if (json_integer_value(json_object_get(c, "target_mib")) ==
			    target &&
		    json_object_get(c, "target_mib") && same_group(c, grp) &&
		    !strcmp(json_string_value(json_object_get(c, "memmap")),
			    mode) &&
		    !strcmp(json_string_value(json_object_get(c, "metric")),
			    metric))
			return c;
	}
	return NULL;
}

/* "add_failure" or "cap" or "2 oom_kill, 1 cap" over the reps. */
static void oom_ended(const json_t *cells, const json_t *grp, json_int_t target,
		      const char *mode, char *buf, size_t len)
{
	static const char *ends[] = {"cap", "add_failure", "oom_kill",
				     "guest_death", "skipped"};
	static const char *shortn[] = {"cap", "fail", "oom", "died", "skip"};
	size_t o = 0;

	buf[0] = '\0';
	for (int e = 0; e < 5 && o < len; e++) {
		char metric[48];
		const json_t *c;

		snprintf(metric, sizeof(metric), "ended_by_%s", ends[e]);
		c = oom_cell(cells, grp, target, mode, metric);
		if (!c)
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? "," : "",
				      shortn[e]);
	}
	if (!buf[0])
		snprintf(buf, len, "-");
}

/* One mode's columns: MiB added (the 1/64 model's prediction), the
 * lowest MemFree, how the points ended. Medians over the reps. */
static void oom_cols(FILE *f, const json_t *cells, const json_t *grp,
		     json_int_t target, const char *mode, int last)
{
	const json_t *mib = oom_cell(cells, grp, target, mode, "mib_added");
	const json_t *pred =
		oom_cell(cells, grp, target, mode, "predicted_dimms");
	const json_t *low =
		oom_cell(cells, grp, target, mode, "min_memfree_kib");
	char added[32] = "-", lowest[24] = "-", end[32];

	if (mib && pred)
		snprintf(added, sizeof(added), "%.0f (%.0f)",
			 num(mib, "median"),
			 num(pred, "median") *
				 (double)json_integer_value(
					 json_object_get(pred, "dimm_mib")));
	else if (mib)
		snprintf(added, sizeof(added), "%.0f", num(mib, "median"));
	if (low)
		snprintf(lowest, sizeof(lowest), "%.0f", num(low, "median"));
	oom_ended(cells, grp, target, mode, end, sizeof(end));
	fprintf(f, " %15s %8s  %-*s", added, lowest, last ? 0 : 9, end);
}

/* The oom-edge table of @grp's kernel, accel and block size; @named: say
 * which, as the run has several. Returns whether it printed a table. */
static int print_oom_group(FILE *f, const json_t *cells, const json_t *grp,
			   int named)
{
	json_int_t done[64];
	int ndone = 0;
	size_t i;
	const json_t *c;

	json_array_foreach(cells, i, c)
	{
		json_int_t t =
			json_integer_value(json_object_get(c, "target_mib"));
		char sz[24];
		int seen = 0;

		if (!json_object_get(c, "target_mib") || !same_group(c, grp))
			continue;
		for (int k = 0; k < ndone; k++)
			seen |= done[k] == t;
		if (seen || ndone == 64)
			continue;
		if (!ndone++) {
			fprintf(f,
				"\nOOM edge, %lldM DIMMs: MiB hot-added before "
				"the edge (1/64 memmap model's\nprediction), "
				"lowest MemFree KiB, how it ended; medians "
				"over reps\n",
				(long long)json_integer_value(
					json_object_get(c, "dimm_mib")));
			if (named)
				fprintf(f,
					"kernel %s, accel %s, %lldM blocks\n",
					json_string_value(
						json_object_get(c, "kernel")),
					json_string_value(
						json_object_get(c, "accel")),
					(long long)json_integer_value(
						json_object_get(c,
								"block_mib")));
			fprintf(f, "%-6s %15s %8s  %-9s %15s %8s  %s\n", "F",
				"ram MiB (pred)", "min KiB", "ended",
				"self MiB (pred)", "min KiB", "ended");
		}
		done[ndone - 1] = t;
		size_str(t, sz, sizeof(sz));
		fprintf(f, "%-6s", sz);
		oom_cols(f, cells, grp, t, "ram", 0);
		oom_cols(f, cells, grp, t, "self", 1);
		fputc('\n', f);
	}
	return ndone > 0;
}

/* One oom-edge table per kernel, accel and block size: the cells of two
 * kernels never share a row. */
static void print_oom(FILE *f, const json_t *cells)
{
	const json_t *grps[16], *c;
	size_t i, ng = 0, g;
	int any = 0;

	json_array_foreach(cells, i, c)
	{
		int seen = 0;

		if (!json_object_get(c, "target_mib"))
			continue;
		for (g = 0; g < ng; g++)
			seen |= same_group(grps[g], c);
		if (!seen && ng < 16)
			grps[ng++] = c;
	}
	for (g = 0; g < ng; g++)
		any |= print_oom_group(f, cells, grps[g], ng > 1);
	if (any)
		fprintf(f, "ended: fail = add_memory failed, oom = OOM kill, "
			   "died = guest death, cap, skip\n");
}

static void print_unsupported(FILE *f, const json_t *u)
{
	size_t i;
	const json_t *e;

	json_array_foreach(u, i, e) fprintf(
		f,
		"\n%s mode, kernel %s (%s), %lldM blocks: %s %s: no "
		"numbers\n",
		json_string_value(json_object_get(e, "memmap")),
		json_string_value(json_object_get(e, "kernel")),
		json_string_value(json_object_get(e, "kernel_release")),
		(long long)json_integer_value(json_object_get(e, "block_mib")),
		json_string_value(json_object_get(e, "reason")),
		json_string_value(json_object_get(e, "kernel_release")));
}

void report_print(FILE *f, const json_t *sum)
{
	const json_t *o = json_object_get(sum, "overhead");
	double wall = num(o, "wall_ns") / 1e9;

	const json_t *inj = json_object_get(sum, "injected");

	if (inj)
		fprintf(f,
			"\n*** FAULT INJECTED: every online write was padded "
			"by "
			"%g ms (inject_online_delay) ***\n",
			report_injected_delay_us(inj, 0) / 1e3);
	if (json_is_true(
		    json_object_get(json_object_get(sum, "nested"), "nested")))
		fprintf(f,
			"\n*** NESTED KVM, NOT REPRESENTATIVE: the host that "
			"ran QEMU is itself a virtual machine (hypervisor "
			"CPU flag); these timings are not those of a "
			"bare-metal lab host ***\n");
	print_latency(f, json_object_get(sum, "cells"));
	print_oom(f, json_object_get(sum, "cells"));
	fillreport_print(f, json_object_get(sum, "cells"));
	zonereport_print(f, json_object_get(sum, "zone_size"));
	print_placement(f, sum);
	print_unsupported(f, json_object_get(sum, "unsupported"));
	memmapcount_print(f, json_object_get(sum, "memmap_counter"));
	sidebyside_print(f, json_object_get(sum, "kernels_side_by_side"));
	if (json_is_string(json_object_get(sum, "hotplug_params_differ")))
		fprintf(f, "memory_hotplug parameters that differ: %s\n",
			json_string_value(
				json_object_get(sum, "hotplug_params_differ")));
	deepreport_print(f, json_object_get(sum, "deep"),
			 json_object_get(sum, "pmu"));
	if (num(o, "phase_ns") > 0)
		fprintf(f,
			"\nHarness overhead: %.1f%% of %.1f s wall "
			"(boots %.1f s, measured phases %.1f s)\n",
			num(o, "overhead_pct"), wall, num(o, "boot_ns") / 1e9,
			num(o, "phase_ns") / 1e9);
}
