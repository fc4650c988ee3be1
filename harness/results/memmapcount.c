// SPDX-License-Identifier: GPL-2.0-or-later
/* The memmap counter's table (memmapcount.h). */
#include "results/memmapcount.h"
#include "results/report.h"
#include "base/units.h"
#include "results/metric.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static const char *str(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v ? v : "";
}

static double med(const json_t *c)
{
	return json_number_value(json_object_get(c, "median"));
}

/* One counted cell: the counter beside the accounting and 1/64. */
static json_t *row(const json_t *cells, const json_t *c)
{
	const json_t *ram =
		report_cell_of(cells, c, "add", "guest", M_MEMMAP_FROM_RAM_KIB);
	const json_t *in =
		report_cell_of(cells, c, "online", "guest", M_SELF_HOSTED_KIB);
	json_int_t dimm = json_integer_value(json_object_get(c, "dimm_mib"));
	json_t *r = json_pack("{s:s,s:s,s:s,s:O,s:O,s:f,s:I}", "kernel",
			      str(c, "kernel"), "accel", str(c, "accel"),
			      "memmap", str(c, "memmap"), "block_mib",
			      json_object_get(c, "block_mib"), "dimm_mib",
			      json_object_get(c, "dimm_mib"), "counter_kib",
			      med(c), "expected_kib", dimm * 1024 / 64);

	if (r && ram && in) {
		double implied = med(ram) + (med(in) > 0 ? med(in) : 0);
		double tol = metric_find(M_NR_MEMMAP_DELTA_KIB)->abs_tol;

		json_object_set_new(r, "implied_kib", json_real(implied));
		json_object_set_new(
			r, "agrees",
			json_boolean(fabs(med(c) - implied) <= tol));
	}
	return r;
}

json_t *memmapcount_json(const json_t *cells, const json_t *note)
{
	json_t *rows = json_array(), *mc;
	size_t i;
	const json_t *c;

	json_array_foreach(cells, i, c)
	{
		if (!strcmp(str(c, "metric"), M_NR_MEMMAP_DELTA_KIB) &&
		    !strcmp(str(c, "phase"), "add") &&
		    !strcmp(str(c, "view"), "guest"))
			json_array_append_new(rows, row(cells, c));
	}
	if (!json_array_size(rows) && !json_is_string(note)) {
		json_decref(rows);
		return NULL;
	}
	mc = json_pack("{s:o}", "rows", rows);
	if (json_is_string(note))
		json_object_set(mc, "unavailable", (json_t *)note);
	return mc;
}

json_t *memmapcount_note(const json_t *manifest)
{
	json_t *seen = json_object();
	char buf[1024] = "";
	size_t i, o = 0;
	const json_t *b;

	json_array_foreach(json_object_get(manifest, "boots"), i, b)
	{
		const json_t *mc = json_object_get(b, "memmap_counter");
		const char *who = str(b, "kernel_label");

		if (!mc || json_is_true(json_object_get(mc, "available")))
			continue;
		if (!*who)
			who = str(b, "kernel_release");
		if (json_object_get(seen, who) || o >= sizeof(buf))
			continue;
		json_object_set_new(seen, who, json_true());
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s%s%s",
				      o ? "; " : "", who, *who ? ": " : "",
				      str(mc, "reason"));
	}
	json_decref(seen);
	return o ? json_string(buf) : NULL;
}

static void size_str(const json_t *r, const char *k, char *buf, size_t len)
{
	units_format_size((uint64_t)json_integer_value(json_object_get(r, k))
				  << 20,
			  buf, (int)len);
}

void memmapcount_print(FILE *f, const json_t *mc)
{
	const json_t *rows = json_object_get(mc, "rows"), *r;
	size_t i;

	if (!mc)
		return;
	if (json_array_size(rows)) {
		fprintf(f, "\nMemmap counter (/proc/vmstat nr_memmap_pages, "
			   "change at add; medians)\n");
		fprintf(f, "%-14s %-5s %-5s %-4s %11s %11s %9s\n", "kernel",
			"block", "DIMM", "mode", "counter KiB", "implied KiB",
			"1/64 KiB");
	}
	json_array_foreach(rows, i, r)
	{
		const json_t *imp = json_object_get(r, "implied_kib");
		char bs[24], sz[24], implied[24] = "-";

		size_str(r, "block_mib", bs, sizeof(bs));
		size_str(r, "dimm_mib", sz, sizeof(sz));
		if (imp)
			snprintf(implied, sizeof(implied), "%.0f",
				 json_number_value(imp));
		fprintf(f, "%-14.14s %-5s %-5s %-4s %11.0f %11s %9lld%s\n",
			str(r, "kernel"), bs, sz, str(r, "memmap"),
			json_number_value(json_object_get(r, "counter_kib")),
			implied,
			(long long)json_integer_value(
				json_object_get(r, "expected_kib")),
			json_is_false(json_object_get(r, "agrees"))
				? "  DISAGREES"
				: "");
	}
	if (json_array_size(rows))
		fprintf(f, "implied: RAM the add took + memmap inside the DIMM "
			   "(MemFree, MemTotal)\n");
	if (json_is_string(json_object_get(mc, "unavailable")))
		fprintf(f, "nr_memmap_pages: unavailable: %s\n",
			str(mc, "unavailable"));
}
