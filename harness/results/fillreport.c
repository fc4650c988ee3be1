// SPDX-License-Identifier: GPL-2.0-or-later
#include "results/fillreport.h"
#include "results/report.h"
#include "base/units.h"
#include "results/metric.h"
#include "results/zonereport.h"

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

int fillreport_pct(const json_t *cell)
{
	const json_t *v = json_object_get(cell, "offline_fill_pct");

	return json_is_integer(v) ? (int)json_integer_value(v) : -1;
}

/* A median, or "-" when the cell is missing (a fill of 0 migrates too
 * little for a rate, a kernel without the counter). */
static void col(FILE *f, const json_t *c, int width, const char *fmt,
		double scale)
{
	char buf[32];

	if (!c) {
		fprintf(f, " %*s", width, "-");
		return;
	}
	snprintf(buf, sizeof(buf), fmt,
		 json_number_value(json_object_get(c, "median")) * scale);
	fprintf(f, " %*s", width, buf);
}

void fillreport_print(FILE *f, const json_t *cells)
{
	size_t i, rows = 0;
	const json_t *c;
	int virt = 0;

	/* Under tcg-icount the offline's guest time, and the rate per ms of
	 * it, are virtual (metric.h); a run has one accel. */
	json_array_foreach(cells, i, c)
	{
		if (!strcmp(str(c, "metric"), "fill_pages"))
			virt |= metric_virtual_time(str(c, "accel"),
						    str(c, "view"), "ns");
	}
	json_array_foreach(cells, i, c)
	{
		char bs[24], sz[24];

		if (strcmp(str(c, "metric"), "fill_pages") ||
		    strcmp(str(c, "view"), "guest"))
			continue;
		if (!rows++) {
			fprintf(f, "\nOffline with pages to migrate (guest "
				   "view, medians; pages of the fill held "
				   "in\nthe DIMM, migrated and failed from "
				   "/proc/vmstat)\n");
			fprintf(f,
				"%-14s %-5s %-5s %-4s %4s %8s %8s %6s %10s "
				"%8s %3s\n",
				"kernel", "block", "DIMM", "mode", "fill",
				"fill pg", "migrated", "failed",
				virt ? "offl. vms" : "offline ms",
				virt ? "pg/vms" : "pages/ms", "n");
		}
		units_format_size((uint64_t)num(c, "block_mib") << 20, bs,
				  sizeof(bs));
		units_format_size((uint64_t)num(c, "dimm_mib") << 20, sz,
				  sizeof(sz));
		fprintf(f, "%-14.14s %-5s %-5s %-4s %3d%%", str(c, "kernel"),
			bs, sz, str(c, "memmap"), fillreport_pct(c));
		col(f, c, 8, "%.0f", 1);
		col(f,
		    report_cell_of(cells, c, "offline", "guest",
				   "migrated_pages"),
		    8, "%.0f", 1);
		col(f,
		    report_cell_of(cells, c, "offline", "guest",
				   "migrate_failed_pages"),
		    6, "%.0f", 1);
		col(f,
		    report_cell_of(cells, c, "offline", "guest", "latency_ns"),
		    10, "%.2f", 1e-6);
		col(f,
		    report_cell_of(cells, c, "offline", "guest",
				   "migrated_pages_per_ms"),
		    8, "%.1f", 1);
		fprintf(f, " %3lld\n", (long long)num(c, "n"));
	}
	if (rows && virt)
		metric_vms_legend(f, "", "  ", 0);
}
