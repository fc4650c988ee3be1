// SPDX-License-Identifier: GPL-2.0-or-later
#include "results/deepreport.h"
#include "results/report.h"
#include "results/fillreport.h"
#include "results/zonereport.h"
#include "base/units.h"
#include "results/metric.h"

#include <stdlib.h>
#include <string.h>

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static json_int_t num(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static double med(const json_t *c)
{
	return c ? json_number_value(json_object_get(c, "median")) : -1;
}

static json_t *key_json(const json_t *c)
{
	json_t *k = json_pack("{s:s,s:s,s:s,s:I,s:I,s:I}", "kernel",
			      str(c, "kernel"), "accel", str(c, "accel"),
			      "memmap", str(c, "memmap"), "block_mib",
			      num(c, "block_mib"), "dimm_mib",
			      num(c, "dimm_mib"), "node", num(c, "node"));

	/* the axes that key cells: a row per fill and per zone size */
	if (k && fillreport_pct(c) >= 0)
		json_object_set_new(k, "offline_fill_pct",
				    json_integer(fillreport_pct(c)));
	if (k && zonereport_mib(c) >= 0)
		json_object_set_new(k, "zone_present_mib",
				    json_integer(zonereport_mib(c)));
	return k;
}

static json_t *locality_row(const json_t *cells, const json_t *c)
{
	json_t *r = key_json(c);
	const json_t *walker = report_cell_of(cells, c, "online", "deep",
					      "memmap_walker_local");

	json_object_set_new(r, "local_fraction", json_real(med(c)));
	json_object_set_new(
		r, "memmap_node",
		json_real(med(report_cell_of(cells, c, "online", "deep",
					     "memmap_node"))));
	json_object_set_new(r, "walk",
			    json_string(!walker		     ? "?"
					: med(walker) >= 0.5 ? "local"
							     : "remote"));
	json_object_set_new(
		r, "cold_ns_per_page",
		json_real(med(report_cell_of(cells, c, "online", "deep",
					     "walk_cold_ns_per_page"))));
	json_object_set_new(
		r, "warm_ns_per_page",
		json_real(med(report_cell_of(cells, c, "online", "deep",
					     "walk_warm_ns_per_page"))));
	return r;
}

static int by_median_desc(const void *x, const void *y)
{
	double a = med(*(json_t *const *)x), b = med(*(json_t *const *)y);

	return (a < b) - (a > b);
}

/* Children of one (key, phase): fn_<name>_ns cells, largest first. */
static json_t *children(const json_t *cells, const json_t *total)
{
	const json_t *c, *list[128];
	json_t *out = json_array();
	size_t i, n = 0, len;
	/* Each traced write onlines or offlines one block. */
	double pages = (double)num(total, "block_mib") * 256.0;

	json_array_foreach(cells, i, c)
	{
		const char *m = str(c, "metric");

		len = strlen(m);
		if (n < 128 && report_same_cell(c, total) &&
		    !strcmp(str(c, "phase"), str(total, "phase")) &&
		    !strcmp(str(c, "view"), "deep") && !strncmp(m, "fn_", 3) &&
		    len > 6 && !strcmp(m + len - 3, "_ns") &&
		    strcmp(m, "fn_total_ns") && strcmp(m, "fn_other_ns"))
			list[n++] = c;
	}
	qsort(list, n, sizeof(list[0]), by_median_desc);
	for (i = 0; i < n; i++) {
		const char *m = str(list[i], "metric");

		json_array_append_new(
			out, json_pack("{s:s%,s:f,s:f,s:f}", "function", m + 3,
				       strlen(m) - 6, "median_ns", med(list[i]),
				       "pct_of_total",
				       100.0 * med(list[i]) / med(total),
				       "ns_per_page",
				       pages > 0 ? med(list[i]) / pages : 0.0));
	}
	return out;
}

static json_t *breakdown_row(const json_t *cells, const json_t *total)
{
	json_t *r = key_json(total);
	const json_t *other = report_cell_of(cells, total, str(total, "phase"),
					     "deep", "fn_other_ns");
	const json_t *traced = report_cell_of(cells, total, str(total, "phase"),
					      "deep", "latency_ns");
	const json_t *plain = report_cell_of(cells, total, str(total, "phase"),
					     "guest", "latency_ns");

	json_object_set_new(r, "phase", json_string(str(total, "phase")));
	json_object_set_new(r, "traced_total_ns", json_real(med(total)));
	json_object_set_new(r, "children", children(cells, total));
	json_object_set_new(r, "unaccounted_ns", json_real(med(other)));
	json_object_set_new(r, "coverage_pct",
			    json_real(100.0 * (1.0 - med(other) / med(total))));
	/* The write under the tracer against the untraced median. */
	if (traced && plain && med(plain) > 0)
		json_object_set_new(r, "tracing_overhead",
				    json_pack("{s:f,s:f,s:f}", "traced_ns",
					      med(traced), "untraced_ns",
					      med(plain), "ratio",
					      med(traced) / med(plain)));
	return r;
}

json_t *deepreport_json(const json_t *cells)
{
	json_t *loc = json_array(), *bd = json_array();
	size_t i;
	const json_t *c;

	json_array_foreach(cells, i, c)
	{
		if (strcmp(str(c, "view"), "deep"))
			continue;
		if (!strcmp(str(c, "metric"), "memmap_local_fraction"))
			json_array_append_new(loc, locality_row(cells, c));
		else if (!strcmp(str(c, "metric"), "fn_total_ns") && med(c) > 0)
			json_array_append_new(bd, breakdown_row(cells, c));
	}
	if (!json_array_size(loc) && !json_array_size(bd)) {
		json_decref(loc);
		json_decref(bd);
		return NULL;
	}
	return json_pack("{s:o,s:o}", "locality", loc, "breakdown", bd);
}

/* "128M", "1G": the units the job files use. */
static void size_str(json_int_t mib, char *buf, size_t len)
{
	units_format_size((uint64_t)mib << 20, buf, (int)len);
}

static double real(const json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

/* Whether the deep row @r's times are guest virtual time (metric.h). */
static int virtual_row(const json_t *r)
{
	return metric_virtual_time(str(r, "accel"), "deep", "ns");
}

/* Returns whether the walk times were virtual (vns). */
static int print_locality(FILE *f, const json_t *loc)
{
	size_t i;
	const json_t *r;
	char b[24], d[24];
	int virt = 0;

	if (!json_array_size(loc))
		return 0;
	/* A run has one accel; should rows differ, vns marks them all. */
	json_array_foreach(loc, i, r) virt |= virtual_row(r);
	fprintf(f, "\nNUMA locality of the memmap and struct page walk "
		   "(probe module; medians of deep cycles)\n");
	fprintf(f, "%-14s %-5s %-5s %-4s %4s %6s %6s %6s %10s %10s\n", "kernel",
		"block", "DIMM", "mode", "node", "memmap", "local", "walk",
		virt ? "cold vns/p" : "cold ns/p",
		virt ? "warm vns/p" : "warm ns/p");
	json_array_foreach(loc, i, r)
	{
		size_str(num(r, "block_mib"), b, sizeof(b));
		size_str(num(r, "dimm_mib"), d, sizeof(d));
		fprintf(f,
			"%-14.14s %-5s %-5s %-4s %4lld %6.0f %5.0f%% %6s "
			"%10.2f %10.2f\n",
			str(r, "kernel"), b, d, str(r, "memmap"),
			(long long)num(r, "node"), real(r, "memmap_node"),
			100.0 * real(r, "local_fraction"), str(r, "walk"),
			real(r, "cold_ns_per_page"),
			real(r, "warm_ns_per_page"));
	}
	fprintf(f, "node: the DIMM's; memmap: the node holding its struct "
		   "pages; local: share on the DIMM's node;\nwalk: whether the "
		   "walking vCPUs' node holds the memmap\n");
	return virt;
}

/* Returns whether its times were virtual (vms). */
static int print_breakdown(FILE *f, const json_t *r)
{
	const json_t *ch = json_object_get(r, "children"), *c;
	const json_t *ov = json_object_get(r, "tracing_overhead");
	char b[24], d[24];
	size_t i;
	int virt = virtual_row(r);
	const char *ms = virt ? "vms" : "ms";

	size_str(num(r, "block_mib"), b, sizeof(b));
	size_str(num(r, "dimm_mib"), d, sizeof(d));
	fprintf(f, "\n%s of one %s block of a %s DIMM, %s mode, kernel %s",
		str(r, "phase"), b, d, str(r, "memmap"), str(r, "kernel"));
	if (fillreport_pct(r) >= 0)
		fprintf(f, ", offline fill %d%%", fillreport_pct(r));
	if (zonereport_mib(r) >= 0) {
		size_str(zonereport_mib(r), d, sizeof(d));
		fprintf(f, ", %s already in the zone", d);
	}
	fputc('\n', f);
	fprintf(f, "  %-34s %10s %6s %9s\n", "function", ms, "%",
		virt ? "vns/page" : "ns/page");
	double small_ns = 0, small_pct = 0;
	int nsmall = 0;

	json_array_foreach(ch, i, c)
	{
		/* A cover letter wants the big ones; the rest is one line
		 * (every function stays in summary.json). */
		if (real(c, "pct_of_total") < 0.5) {
			small_ns += real(c, "median_ns");
			small_pct += real(c, "pct_of_total");
			nsmall++;
			continue;
		}
		fprintf(f, "  %-34.34s %10.3f %6.1f %9.1f\n",
			str(c, "function"), real(c, "median_ns") / 1e6,
			real(c, "pct_of_total"), real(c, "ns_per_page"));
	}
	if (nsmall)
		fprintf(f,
			"  (%d functions under 0.5%% each)%*s %10.3f %6.1f\n",
			nsmall, nsmall > 9 ? 5 : 6, "", small_ns / 1e6,
			small_pct);
	fprintf(f, "  %-34s %10.3f %6.1f\n", "(in the entry itself)",
		real(r, "unaccounted_ns") / 1e6,
		100.0 - real(r, "coverage_pct"));
	fprintf(f, "  traced total %.3f %s; children account for %.1f%%%s\n",
		real(r, "traced_total_ns") / 1e6, ms, real(r, "coverage_pct"),
		real(r, "coverage_pct") < 80 ? " (below 80%: see the gap above)"
					     : "");
	if (ov)
		fprintf(f,
			"  tracing overhead: traced write %.3f %s against the "
			"untraced\n  median %.3f %s (x%.2f)\n",
			real(ov, "traced_ns") / 1e6, ms,
			real(ov, "untraced_ns") / 1e6, ms, real(ov, "ratio"));
	return virt;
}

void deepreport_print(FILE *f, const json_t *deep, const json_t *pmu_note)
{
	size_t i;
	const json_t *r;
	int vns, vms = 0;

	if (json_is_string(pmu_note))
		fprintf(f, "\nPMU counters: %s\n", json_string_value(pmu_note));
	if (!deep)
		return;
	vns = print_locality(f, json_object_get(deep, "locality"));
	if (json_array_size(json_object_get(deep, "breakdown")))
		fprintf(f, "\nOnline/offline breakdown (ftrace function_graph, "
			   "medians of deep cycles)\n");
	json_array_foreach(json_object_get(deep, "breakdown"), i, r) vms |=
		print_breakdown(f, r);
	if (vms || vns) {
		fputc('\n', f);
		metric_vms_legend(f, "", "  ", vns);
	}
}

json_t *deepreport_pmu_note(const json_t *manifest)
{
	const json_t *pmu = json_object_get(
		json_array_get(json_object_get(manifest, "boots"), 0), "pmu");
	char buf[1024] = "";
	size_t i, o = 0;
	const json_t *e;

	if (json_is_string(pmu))
		return json_sprintf("unavailable: %s", json_string_value(pmu));
	json_array_foreach(pmu, i, e)
	{
		const char *why = str(e, "reason");

		if (json_is_true(json_object_get(e, "available")))
			continue;
		if (!*why)
			why = str(e, "error");
		if (o < sizeof(buf))
			o += (size_t)snprintf(buf + o, sizeof(buf) - o,
					      "%s%s: unavailable: %s",
					      o ? "; " : "", str(e, "event"),
					      why);
	}
	return o ? json_string(buf) : NULL;
}
