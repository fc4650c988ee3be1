// SPDX-License-Identifier: GPL-2.0-or-later
/* The zone-size table and its fitted slopes (zonereport.h). */
#include "results/zonereport.h"
#include "base/units.h"
#include "results/metric.h"
#include "results/stats.h"
#include "results/stats_fit.h"

#include <stdlib.h>
#include <string.h>

/* Online and offline, both views: what a zone walk would slow. */
static const char *const phases[] = {"online", "offline"};

int64_t zonereport_mib(const json_t *cell)
{
	const json_t *v = json_object_get(cell, "zone_present_mib");

	return json_is_integer(v) ? (int64_t)json_integer_value(v) : -1;
}

static int wanted(const struct sample *s)
{
	int ok = 0;

	if (s->warmup || s->zone_present_mib < 0 ||
	    strcmp(s->metric, "latency_ns"))
		return 0;
	for (int i = 0; i < 2; i++)
		ok |= !strcmp(s->phase, phases[i]);
	return ok && (!strcmp(s->view, "guest") || !strcmp(s->view, "host"));
}

/* Same fit: all but the boot and the zone's size. */
static int same_fit(const struct sample *a, const struct sample *b)
{
	return !strcmp(a->kernel, b->kernel) && !strcmp(a->accel, b->accel) &&
	       !strcmp(a->memmap, b->memmap) && a->block_mib == b->block_mib &&
	       a->dimm_mib == b->dimm_mib && a->node == b->node &&
	       a->offline_fill_pct == b->offline_fill_pct &&
	       !strcmp(a->phase, b->phase) && !strcmp(a->view, b->view);
}

static int same_boot(const struct sample *a, const struct sample *b)
{
	return !strcmp(a->run_id, b->run_id) && a->boot == b->boot;
}

static double median_of(double *v, size_t n)
{
	struct stats_summary st;

	stats_summarize(v, n, &st);
	return st.median;
}

/* The values of @t's samples in @key's fit that @pick accepts. */
static size_t collect(const struct sample_table *t, const struct sample *key,
		      int (*pick)(const struct sample *, const struct sample *),
		      const struct sample *arg, double *out)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++)
		if (wanted(&t->s[i]) && same_fit(&t->s[i], key) &&
		    pick(&t->s[i], arg))
			out[n++] = t->s[i].value;
	return n;
}

static int pick_boot(const struct sample *s, const struct sample *b)
{
	return same_boot(s, b);
}

static int pick_size(const struct sample *s, const struct sample *z)
{
	return s->zone_present_mib == z->zone_present_mib;
}

/* Whether sample @i is the first of its kind (by @same) in @key's fit. */
static int first_of(const struct sample_table *t, const struct sample *key,
		    size_t i,
		    int (*same)(const struct sample *, const struct sample *))
{
	for (size_t j = 0; j < i; j++)
		if (wanted(&t->s[j]) && same_fit(&t->s[j], key) &&
		    same(&t->s[j], &t->s[i]))
			return 0;
	return 1;
}

static int same_size(const struct sample *a, const struct sample *b)
{
	return a->zone_present_mib == b->zone_present_mib;
}

/* Per size: the median of its cycles, their number and its boots. */
static json_t *sizes_json(const struct sample_table *t,
			  const struct sample *key, double *buf)
{
	json_t *a = json_array();

	for (size_t i = 0; i < t->n; i++) {
		const struct sample *s = &t->s[i];
		size_t n, boots = 0;

		if (!wanted(s) || !same_fit(s, key) ||
		    !first_of(t, key, i, same_size))
			continue;
		for (size_t j = 0; j < t->n; j++)
			boots += wanted(&t->s[j]) && same_fit(&t->s[j], key) &&
				 same_size(&t->s[j], s) &&
				 first_of(t, key, j, same_boot);
		n = collect(t, key, pick_size, s, buf);
		json_array_append_new(
			a, json_pack("{s:I,s:f,s:I,s:I}", "zone_present_mib",
				     (json_int_t)s->zone_present_mib, "median",
				     median_of(buf, n), "n", (json_int_t)n,
				     "boots", (json_int_t)boots));
	}
	return a;
}

/* The line through each boot's median against its zone in GiB. */
static void fit_json(const struct sample_table *t, const struct sample *key,
		     double *buf, json_t *o)
{
	double *x = calloc(t->n + 1, sizeof(double));
	double *y = calloc(t->n + 1, sizeof(double));
	struct stats_slope sl;
	size_t nb = 0;

	for (size_t i = 0; x && y && i < t->n; i++) {
		const struct sample *s = &t->s[i];

		if (!wanted(s) || !same_fit(s, key) ||
		    !first_of(t, key, i, same_boot))
			continue;
		x[nb] = (double)s->zone_present_mib / 1024.0;
		y[nb++] = median_of(buf, collect(t, key, pick_boot, s, buf));
	}
	json_object_set_new(o, "boots", json_integer((json_int_t)nb));
	if (!x || !y || stats_fit_slope(x, y, nb, ZONEREPORT_LEVEL, &sl)) {
		json_object_set_new(
			o, "slope_unavailable",
			json_string("needs 3 boots and 2 zone sizes at least"));
	} else {
		json_object_set_new(o, "slope_ns_per_gib", json_real(sl.slope));
		json_object_set_new(o, "ci_lo", json_real(sl.lo));
		json_object_set_new(o, "ci_hi", json_real(sl.hi));
		json_object_set_new(o, "p", json_real(sl.p));
		json_object_set_new(o, "se", json_real(sl.se));
		json_object_set_new(o, "df", json_integer(sl.df));
		json_object_set_new(o, "intercept_ns", json_real(sl.intercept));
	}
	free(x);
	free(y);
}

static json_t *one_fit(const struct sample_table *t, const struct sample *k,
		       double *buf)
{
	json_t *o = json_pack(
		"{s:s,s:s,s:s,s:I,s:I,s:i,s:s,s:s,s:s,s:s,s:o}", "kernel",
		k->kernel, "accel", k->accel, "memmap", k->memmap, "block_mib",
		(json_int_t)k->block_mib, "dimm_mib", (json_int_t)k->dimm_mib,
		"node", k->node, "phase", k->phase, "view", k->view, "unit",
		"ns", "time_base", metric_time_base(k->accel, k->view, "ns"),
		"sizes", sizes_json(t, k, buf));

	if (!o)
		return NULL;
	if (k->offline_fill_pct >= 0)
		json_object_set_new(o, "offline_fill_pct",
				    json_integer(k->offline_fill_pct));
	fit_json(t, k, buf, o);
	return o;
}

json_t *zonereport_json(const struct sample_table *t)
{
	json_t *fits = json_array();
	double *buf = calloc(t->n + 1, sizeof(double));

	for (size_t i = 0; buf && i < t->n; i++) {
		const struct sample *s = &t->s[i];
		int seen = 0;

		if (!wanted(s))
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = wanted(&t->s[j]) && same_fit(&t->s[j], s);
		if (!seen)
			json_array_append_new(fits, one_fit(t, s, buf));
	}
	free(buf);
	if (!json_array_size(fits)) {
		json_decref(fits);
		return NULL;
	}
	return json_pack("{s:f,s:o}", "level", ZONEREPORT_LEVEL, "fits", fits);
}

/* --- printing ----------------------------------------------------------- */

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static double dbl(const json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

static int same_num(const json_t *a, const json_t *b, const char *k)
{
	const json_t *x = json_object_get(a, k), *y = json_object_get(b, k);

	return (!x && !y) || (x && y && json_equal(x, y));
}

/* The fit of @like's mode and phase in @view. */
static const json_t *fit_of(const json_t *fits, const json_t *like,
			    const char *view)
{
	static const char *const keys[] = {"kernel", "accel", "memmap",
					   "phase"};
	static const char *const nums[] = {"block_mib", "dimm_mib", "node",
					   "offline_fill_pct"};
	size_t i;
	const json_t *f;

	json_array_foreach(fits, i, f)
	{
		int ok = !strcmp(str(f, "view"), view);

		for (int k = 0; ok && k < 4; k++)
			ok = !strcmp(str(f, keys[k]), str(like, keys[k])) &&
			     same_num(f, like, nums[k]);
		if (ok)
			return f;
	}
	return NULL;
}

static const json_t *size_at(const json_t *fit, json_int_t mib)
{
	size_t i;
	const json_t *s;

	json_array_foreach(json_object_get(fit, "sizes"), i, s)
	{
		if (json_integer_value(
			    json_object_get(s, "zone_present_mib")) == mib)
			return s;
	}
	return NULL;
}

static void header(FILE *f, const json_t *fit, int virt)
{
	char b[24], d[24];

	units_format_size(
		(uint64_t)json_integer_value(json_object_get(fit, "block_mib"))
			<< 20,
		b, sizeof(b));
	units_format_size(
		(uint64_t)json_integer_value(json_object_get(fit, "dimm_mib"))
			<< 20,
		d, sizeof(d));
	fprintf(f,
		"\nCost against the size of the zone, kernel %s, accel %s, %s "
		"blocks,\n%s DIMM (medians; the slope is fitted over per-boot "
		"medians, %.0f%% CI)\n",
		str(fit, "kernel"), str(fit, "accel"), b, d,
		100 * ZONEREPORT_LEVEL);
	fprintf(f, "%-4s %-7s %6s %12s %12s %5s\n", "mode", "phase", "zone",
		virt ? "guest vms" : "guest ms", "host ms", "n");
}

/* Rows of one guest-view fit: each size with both views' medians. */
static void size_rows(FILE *f, const json_t *fits, const json_t *g)
{
	const json_t *h = fit_of(fits, g, "host"), *s;
	size_t i;
	char z[24];

	json_array_foreach(json_object_get(g, "sizes"), i, s)
	{
		json_int_t mib = json_integer_value(
			json_object_get(s, "zone_present_mib"));
		const json_t *hs = h ? size_at(h, mib) : NULL;

		units_format_size((uint64_t)mib << 20, z, sizeof(z));
		fprintf(f, "%-4s %-7s %6s %12.2f ", str(g, "memmap"),
			str(g, "phase"), mib ? z : "0", dbl(s, "median") / 1e6);
		if (hs)
			fprintf(f, "%12.2f", dbl(hs, "median") / 1e6);
		else
			fprintf(f, "%12s", "-");
		fprintf(f, " %5lld\n",
			(long long)json_integer_value(json_object_get(s, "n")));
	}
}

/* "slope [lo, hi]" in ns per GiB, 30 wide, or why there is none. */
static void slope_col(FILE *f, const json_t *fit)
{
	if (!fit || !json_object_get(fit, "slope_ns_per_gib")) {
		fprintf(f, " %30s", "-");
		return;
	}
	fprintf(f, " %9.0f [%8.0f, %8.0f]", dbl(fit, "slope_ns_per_gib"),
		dbl(fit, "ci_lo"), dbl(fit, "ci_hi"));
}

static void slope_rows(FILE *f, const json_t *fits, const json_t *first,
		       int virt)
{
	size_t i;
	const json_t *g;
	const char *why = NULL;

	fprintf(f, "Slope, ns per GiB of zone [%.0f%% CI]%s\n",
		100 * ZONEREPORT_LEVEL, virt ? " (guest: virtual ns)" : "");
	fprintf(f, "%-4s %-7s %30s %30s %5s\n", "mode", "phase",
		"guest ns/GiB [CI]", "host ns/GiB [CI]", "boots");
	json_array_foreach(fits, i, g)
	{
		if (strcmp(str(g, "view"), "guest") ||
		    strcmp(str(g, "kernel"), str(first, "kernel")) ||
		    strcmp(str(g, "accel"), str(first, "accel")) ||
		    !json_equal(json_object_get(g, "dimm_mib"),
				json_object_get(first, "dimm_mib")))
			continue;
		fprintf(f, "%-4s %-7s", str(g, "memmap"), str(g, "phase"));
		slope_col(f, g);
		slope_col(f, fit_of(fits, g, "host"));
		fprintf(f, " %5lld\n",
			(long long)json_integer_value(
				json_object_get(g, "boots")));
		if (json_object_get(g, "slope_unavailable"))
			why = str(g, "slope_unavailable");
	}
	if (why)
		fprintf(f, "-: no slope: %s\n", why);
}

void zonereport_print(FILE *f, const json_t *zone)
{
	const json_t *fits = json_object_get(zone, "fits"), *g, *first = NULL;
	size_t i;
	int virt = 0;

	json_array_foreach(fits, i, g)
	{
		if (strcmp(str(g, "view"), "guest"))
			continue;
		/* a new table per kernel, accel and DIMM */
		if (!first || strcmp(str(g, "kernel"), str(first, "kernel")) ||
		    strcmp(str(g, "accel"), str(first, "accel")) ||
		    !json_equal(json_object_get(g, "dimm_mib"),
				json_object_get(first, "dimm_mib"))) {
			if (first)
				slope_rows(f, fits, first, virt);
			first = g;
			virt = metric_virtual_time(str(g, "accel"), "guest",
						   "ns");
			header(f, g, virt);
		}
		size_rows(f, fits, g);
	}
	if (first) {
		slope_rows(f, fits, first, virt);
		if (virt)
			metric_vms_legend(f, "", "  ", 1);
	}
}
