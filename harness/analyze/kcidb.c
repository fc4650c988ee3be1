// SPDX-License-Identifier: GPL-2.0-or-later
/* A run as KCIDB v5.3 report data (kcidb.h). */
#include "analyze/kcidb.h"

#include "analyze/analysis.h"
#include "results/metric.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int kcidb_origin_valid(const char *origin)
{
	if (!origin || !*origin)
		return 0;
	for (; *origin; origin++)
		if (!((*origin >= 'a' && *origin <= 'z') ||
		      (*origin >= '0' && *origin <= '9') || *origin == '_'))
			return 0;
	return 1;
}

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static json_int_t num_or(const json_t *o, const char *k, json_int_t def)
{
	const json_t *v = json_object_get(o, k);

	return json_is_integer(v) ? json_integer_value(v) : def;
}

/* Appends ".@part" to @buf, each character a KCIDB path does not allow
 * ([a-zA-Z0-9_-] between the dots) made '_'. */
static void path_add(char *buf, size_t len, const char *part)
{
	size_t o = strlen(buf);

	if (!*part || o + 2 >= len)
		return;
	buf[o++] = '.';
	for (; *part && o + 1 < len; part++) {
		char ch = *part;
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			 (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';

		buf[o++] = ok ? ch : '_';
	}
	buf[o] = '\0';
}

void kcidb_cell_path(const json_t *cell, const char *prefix, char *buf,
		     size_t len)
{
	char part[64], sz[24];
	json_int_t node = num_or(cell, "node", 0);
	json_int_t fill = num_or(cell, "offline_fill_pct", -1);
	json_int_t target = num_or(cell, "target_mib", -1);
	json_int_t zone = num_or(cell, "zone_present_mib", -1);

	snprintf(buf, len, "%s", prefix);
	path_add(buf, len, str(cell, "accel"));
	ana_size_str(num_or(cell, "block_mib", 0), sz, sizeof(sz));
	snprintf(part, sizeof(part), "block-%s", sz);
	path_add(buf, len, part);
	/* pc-dimm cells keep the paths they always had */
	if (!strcmp(str(cell, "source"), "pmem"))
		path_add(buf, len, "pmem");
	path_add(buf, len, str(cell, "memmap"));
	if (num_or(cell, "dimm_mib", 0) > 0) { /* 0: once per boot */
		ana_size_str(num_or(cell, "dimm_mib", 0), sz, sizeof(sz));
		snprintf(part, sizeof(part), "dimm-%s", sz);
		path_add(buf, len, part);
	}
	if (node) {
		snprintf(part, sizeof(part), "node-%lld", (long long)node);
		path_add(buf, len, part);
	}
	if (fill >= 0) {
		snprintf(part, sizeof(part), "fill-%lld", (long long)fill);
		path_add(buf, len, part);
	}
	if (zone >= 0) {
		ana_zone_str(zone, sz, sizeof(sz));
		snprintf(part, sizeof(part), "zone-%s", sz);
		path_add(buf, len, part);
	}
	if (target >= 0) {
		ana_size_str(target, sz, sizeof(sz));
		snprintf(part, sizeof(part), "target-%s", sz);
		path_add(buf, len, part);
	}
	path_add(buf, len, str(cell, "phase"));
	path_add(buf, len, str(cell, "view"));
	path_add(buf, len, str(cell, "metric"));
}

json_t *kcidb_number(const char *unit, const char *accel, const char *view,
		     double v)
{
	int virt = metric_virtual_time(accel, view, unit);

	if (!isfinite(v))
		return NULL;
	if (!strcmp(unit, "ns"))
		return virt ? json_pack("{s:f,s:s}", "value", v / 1e6, "unit",
					"vms")
			    : json_pack("{s:f,s:s,s:s}", "value", v / 1e9,
					"unit", "s", "prefix", "metric");
	if (!strcmp(unit, "KiB") || !strcmp(unit, "MiB"))
		return json_pack("{s:f,s:s,s:s}", "value",
				 v * (unit[0] == 'K' ? 1024.0 : 1048576.0),
				 "unit", "B", "prefix", "binary");
	if (!strcmp(unit, "pages/ms"))
		return json_pack("{s:f,s:s}", "value", v, "unit",
				 virt ? "pages/vms" : "pages/ms");
	if (!strcmp(unit, "bool") || !strcmp(unit, "ratio") || !*unit)
		return json_pack("{s:f}", "value", v);
	return json_pack("{s:f,s:s}", "value", v, "unit", unit);
}

const char *kcidb_gate_status(const char *verdict)
{
	static const char *const map[][2] = {
		{"same", "PASS"},	{"improvement", "PASS"},
		{"regression", "FAIL"}, {"inconclusive", "SKIP"},
		{"allowed", "SKIP"}, /* a gone cell, --allow-missing */
	};

	for (size_t i = 0; verdict && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(verdict, map[i][0]))
			return map[i][1];
	return NULL;
}

/* What every object of the export shares. */
struct kx {
	const json_t *manifest;
	const char *origin, *run_id, *started;
	json_t *out;
};

/* ORIGIN:RUN/@a[/@b]: stable across exports of one run. */
static json_t *kid(const struct kx *x, const char *a, const char *b)
{
	char id[1024];

	snprintf(id, sizeof(id), "%s:%s/%s%s%s", x->origin, x->run_id, a,
		 b ? "/" : "", b ? b : "");
	return json_string(id);
}

/* The manifest's entry of kernel @label (its "kernels" axis; a run from
 * before the axis has only "kernel"). */
static const json_t *manifest_kernel(const json_t *m, const char *label)
{
	const json_t *k;
	size_t i;

	json_array_foreach(json_object_get(m, "kernels"), i, k)
	{
		if (!strcmp(str(k, "label"), label))
			return k;
	}
	return json_object_get(m, "kernel");
}

/* A checkout and a build for kernel @label of release @release. */
static void add_kernel(struct kx *x, const char *label, const char *release)
{
	const json_t *k = manifest_kernel(x->manifest, label);
	const json_t *host = json_object_get(x->manifest, "host");
	const char *arch = str(host, "machine");
	json_t *co, *b, *misc;
	char comment[1024];

	snprintf(comment, sizeof(comment), "kernel %s (%s) from %s", label,
		 release, *str(k, "source") ? str(k, "source") : "unknown");
	co = json_pack("{s:o,s:s,s:s,s:b}", "id", kid(x, label, NULL), "origin",
		       x->origin, "comment", comment, "valid", 1);
	misc = json_pack("{s:s,s:s,s:s,s:s}", "kernel_label", label,
			 "kernel_release", release, "image", str(k, "image"),
			 "source", str(k, "source"));
	if (*str(k, "package_release"))
		json_object_set_new(misc, "package_release",
				    json_string(str(k, "package_release")));
	if (*str(k, "cmdline_extra"))
		json_object_set_new(misc, "cmdline_extra",
				    json_string(str(k, "cmdline_extra")));
	if (*x->started)
		json_object_set_new(co, "start_time", json_string(x->started));
	json_array_append_new(json_object_get(x->out, "checkouts"), co);

	snprintf(comment, sizeof(comment),
		 "%s: a prebuilt kernel image, booted by mhpbench (not built "
		 "by it)",
		 release);
	b = json_pack("{s:o,s:o,s:s,s:s,s:o}", "id", kid(x, label, NULL),
		      "checkout_id", kid(x, label, NULL), "origin", x->origin,
		      "comment", comment, "misc", misc);
	/* KCIDB's architecture: [a-z0-9_]* (x86_64); the guest runs the
	 * host's architecture under QEMU. */
	if (*arch && strspn(arch, "abcdefghijklmnopqrstuvwxyz0123456789_") ==
			     strlen(arch))
		json_object_set_new(b, "architecture", json_string(arch));
	if (*x->started)
		json_object_set_new(b, "start_time", json_string(x->started));
	json_array_append_new(json_object_get(x->out, "builds"), b);
}

/* The kernel labels of @cells, first seen first, each once. */
static int add_kernels(struct kx *x, const json_t *cells)
{
	json_t *seen = json_object();
	const json_t *c;
	size_t i;

	json_array_foreach(cells, i, c)
	{
		const char *k = str(c, "kernel");

		if (!*k || json_object_get(seen, k))
			continue;
		json_object_set_new(seen, k, json_true());
		add_kernel(x, k, str(c, "kernel_release"));
	}
	json_decref(seen);
	return 0;
}

/* Where the test ran: QEMU's accel on the host, from the manifest. */
static json_t *environment(const struct kx *x, const char *accel)
{
	const json_t *host = json_object_get(x->manifest, "host");
	const json_t *qemu = json_object_get(x->manifest, "qemu");
	char comment[1024];

	snprintf(comment, sizeof(comment), "QEMU %s, accel %s, on host %s",
		 str(qemu, "version"), accel, str(host, "hostname"));
	return json_pack("{s:s,s:{s:s,s:s,s:s,s:I}}", "comment", comment,
			 "misc", "accel", accel, "qemu_version",
			 str(qemu, "version"), "host", str(host, "hostname"),
			 "host_cpus", (json_int_t)num_or(host, "cpus", 0));
}

/* A test of one cell's median: status DONE, its number, the rest of the
 * cell's summary in misc. */
static json_t *cell_test(const struct kx *x, const json_t *cell)
{
	char path[512];
	json_t *t, *n;
	double med = json_number_value(json_object_get(cell, "median"));

	kcidb_cell_path(cell, "mhpbench", path, sizeof(path));
	n = kcidb_number(str(cell, "unit"), str(cell, "accel"),
			 str(cell, "view"), med);
	t = json_pack("{s:o,s:o,s:s,s:s,s:s,s:o,s:o}", "id",
		      kid(x, str(cell, "kernel"), path), "build_id",
		      kid(x, str(cell, "kernel"), NULL), "origin", x->origin,
		      "path", path, "status", n ? "DONE" : "ERROR",
		      "environment", environment(x, str(cell, "accel")), "misc",
		      json_deep_copy(cell));
	if (n)
		json_object_set_new(t, "number", n);
	else
		json_object_set_new(t, "comment",
				    json_string("the median is not a number"));
	json_object_set_new(json_object_get(t, "misc"), "run_id",
			    json_string(x->run_id));
	if (*x->started)
		json_object_set_new(t, "start_time", json_string(x->started));
	return t;
}

/* A gate row with the axes that the comparison folded (empty kernel,
 * accel or block size) taken from the candidate, this run. */
static json_t *gate_cell(const json_t *row, const json_t *cand)
{
	json_t *c = json_deep_copy(row);

	if (!*str(c, "kernel"))
		json_object_set_new(c, "kernel",
				    json_string(str(cand, "kernel")));
	if (!*str(c, "accel"))
		json_object_set_new(c, "accel",
				    json_string(str(cand, "accel")));
	if (num_or(c, "block_mib", 0) <= 0)
		json_object_set_new(c, "block_mib",
				    json_integer(num_or(cand, "block_mib", 0)));
	return c;
}

/* Copies what explains a verdict into @misc, leaving out nulls (JSON has
 * no NaN: compare writes an undefined p or CI as null). */
static void gate_misc(json_t *misc, const json_t *row, const char *baseline)
{
	static const char *const keys[] = {
		"verdict",	 "reason",	  "change_pct",
		"a_center",	 "b_center",	  "p",
		"p_holm",	 "ci_lo",	  "ci_hi",
		"threshold_pct", "kind",	  "unit",
		"time_base",	 "a_boots",	  "b_boots",
		"metric",	 "abs_tolerance",
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_t *v = json_object_get(row, keys[i]);

		if (v && !json_is_null(v))
			json_object_set(misc, keys[i], v);
	}
	json_object_set_new(misc, "baseline", json_string(baseline));
}

/* One test per verdict of @gate (its rows, then the cells gone), and one
 * for the whole gate. 0, or -1 with the reason in @err. */
static int gate_tests(struct kx *x, const json_t *gate, char *err, size_t len)
{
	const json_t *cand = json_object_get(gate, "candidate");
	const char *base = str(json_object_get(gate, "baseline"), "run_id");
	json_t *tests = json_object_get(x->out, "tests");
	const char *lists[] = {"rows", "missing"};
	const json_t *row;
	char path[512];
	size_t i;

	for (int l = 0; l < 2; l++)
		json_array_foreach(json_object_get(gate, lists[l]), i, row)
		{
			const char *st = kcidb_gate_status(str(row, "verdict"));
			json_t *c, *t;

			if (!st) {
				snprintf(err, len,
					 "gate %s %zu: unknown verdict '%s'",
					 lists[l], i, str(row, "verdict"));
				return -1;
			}
			c = gate_cell(row, cand);
			kcidb_cell_path(c, "mhpbench.gate", path, sizeof(path));
			t = json_pack("{s:o,s:o,s:s,s:s,s:s,s:s,s:o}", "id",
				      kid(x, str(c, "kernel"), path),
				      "build_id",
				      kid(x, str(c, "kernel"), NULL), "origin",
				      x->origin, "path", path, "status", st,
				      "comment", str(row, "reason"), "misc",
				      json_object());
			gate_misc(json_object_get(t, "misc"), row, base);
			if (*x->started)
				json_object_set_new(t, "start_time",
						    json_string(x->started));
			json_array_append_new(tests, t);
			json_decref(c);
		}
	/* The gate as a whole, on the candidate's first kernel. */
	{
		const char *v = str(gate, "verdict");
		const char *st = !strcmp(v, "pass")	    ? "PASS"
				 : !strcmp(v, "regression") ? "FAIL"
							    : "SKIP";
		char comment[256];
		const json_t *n = json_object_get(gate, "counts");
		json_t *t;

		snprintf(comment, sizeof(comment),
			 "gate against %s: %s (%lld regression, %lld "
			 "inconclusive, %lld same, %lld improvement)",
			 base, v, (long long)num_or(n, "regression", 0),
			 (long long)num_or(n, "inconclusive", 0),
			 (long long)num_or(n, "same", 0),
			 (long long)num_or(n, "improvement", 0));
		t = json_pack("{s:o,s:o,s:s,s:s,s:s,s:s,s:{s:s,s:O}}", "id",
			      kid(x, str(cand, "kernel"), "mhpbench.gate"),
			      "build_id", kid(x, str(cand, "kernel"), NULL),
			      "origin", x->origin, "path", "mhpbench.gate",
			      "status", st, "comment", comment, "misc",
			      "baseline", base, "counts", n ? n : json_null());
		if (*x->started)
			json_object_set_new(t, "start_time",
					    json_string(x->started));
		json_array_append_new(tests, t);
	}
	return 0;
}

json_t *kcidb_export(const json_t *manifest, const json_t *cells,
		     const json_t *gate, const char *origin, char *err,
		     size_t len)
{
	struct kx x = {.manifest = manifest,
		       .origin = origin,
		       .run_id = str(manifest, "run_id"),
		       .started = str(manifest, "started_utc")};
	const json_t *c;
	size_t i;

	if (gate) {
		const char *cand =
			str(json_object_get(gate, "candidate"), "run_id");

		if (strcmp(cand, x.run_id)) {
			snprintf(err, len,
				 "the gate result is about run '%s', not "
				 "this run (%s)",
				 cand, x.run_id);
			return NULL;
		}
	}
	x.out = json_pack("{s:{s:i,s:i},s:[],s:[],s:[]}", "version", "major",
			  KCIDB_MAJOR, "minor", KCIDB_MINOR, "checkouts",
			  "builds", "tests");
	add_kernels(&x, cells);
	json_array_foreach(cells, i, c) json_array_append_new(
		json_object_get(x.out, "tests"), cell_test(&x, c));
	if (gate && gate_tests(&x, gate, err, len)) {
		json_decref(x.out);
		return NULL;
	}
	return x.out;
}
