// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the run summary's keying (harness/results/report.c,
 * sidebyside.c) on made-up samples: the kernels side by side print each
 * memmap row once, a NUMA node's guest latency is its own, and the
 * oom-edge tables of two kernels stay apart. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake_samples.h"
#include "results/report.h"

/* One sample of @kernel, NUMA @node and oom-edge @target (-1: none); the
 * rest as fake_samples.h's add() makes it. */
static void add_kn(struct sample_table *t, const char *kernel, int node,
		   int64_t target, const char *memmap, const char *phase,
		   const char *view, const char *metric, double v)
{
	struct sample *s;

	add(t, memmap, phase, view, metric, strstr(metric, "_ns") ? "ns" : "",
	    v, 0);
	s = &t->s[t->n - 1];
	snprintf(s->kernel, sizeof(s->kernel), "%s", kernel);
	snprintf(s->kernel_release, sizeof(s->kernel_release), "6.1.0");
	s->node = node;
	s->target_mib = target;
}

/* The summary's printed tables of @t. */
static char *printed(const struct sample_table *t)
{
	struct report_timing tm = {0};
	json_t *sum = report_summary(t, &tm);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(sum);
	report_print(f, sum);
	fclose(f);
	json_decref(sum);
	return out;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)); hay++)
		n++;
	return n;
}

/* Two kernels, the memmap at add in the guest and the deep view: one RAM
 * KiB row per mode, the guest view's. */
static void test_sidebyside_once(void **state)
{
	static const char *const k[] = {"base", "patched"};
	struct sample_table t = {0};
	char *out;
	int i, m;

	for (i = 0; i < 2; i++)
		for (m = 0; m < 2; m++) {
			const char *mode = m ? "self" : "ram";

			add_kn(&t, k[i], 0, -1, mode, "add", "host",
			       "latency_ns", 10e6);
			add_kn(&t, k[i], 0, -1, mode, "add", "guest",
			       "memmap_from_ram_kib", m ? 4 : 2052);
			add_kn(&t, k[i], 0, -1, mode, "add", "deep",
			       "memmap_from_ram_kib", 9999);
		}
	out = printed(&t);
	assert_non_null(strstr(out, "Kernels side by side"));
	assert_int_equal(count(out, "RAM KiB    "), 2);
	assert_null(strstr(out, "9999"));
	free(out);
	free(t.s);
}

/* The line of @out that holds @needle, into @buf. */
static void line_of(const char *out, const char *needle, char *buf, size_t len)
{
	const char *p = strstr(out, needle), *b, *e;

	assert_non_null(p);
	for (b = p; b > out && b[-1] != '\n'; b--)
		;
	e = strchr(p, '\n');
	snprintf(buf, len, "%.*s", (int)(e ? e - b : (long)strlen(b)), b);
}

/* The ratios of the side-by-side table carry mmtests' markers: "*" for
 * a shift that the per-boot medians of 2 boots a side show, "?" for one
 * only the cycles of a single boot suggest, none for noise; every row
 * fits 80 columns. */
static void test_sidebyside_marks(void **state)
{
	static const char *const k[] = {"base", "patched"};
	struct sample_table t = {0};
	char *out, *sbs, line[256];
	int i, c;

	for (i = 0; i < 2; i++)
		for (c = 0; c < 6; c++) {
			/* online: patched is 30% slower in every boot */
			add_kn(&t, k[i], 0, -1, "ram", "online", "host",
			       "latency_ns", (i ? 13e6 : 10e6) + c * 1e4);
			t.s[t.n - 1].boot = c % 2;
			/* offline: the same in both */
			add_kn(&t, k[i], 0, -1, "ram", "offline", "host",
			       "latency_ns", 20e6 + ((c * 7 + i) % 6) * 1e4);
			t.s[t.n - 1].boot = c % 2;
			/* remove: 30% slower, but one boot a side */
			add_kn(&t, k[i], 0, -1, "ram", "remove", "host",
			       "latency_ns", (i ? 6.5e6 : 5e6) + c * 1e4);
		}
	out = printed(&t);
	sbs = strstr(out, "Kernels side by side");
	assert_non_null(sbs);
	line_of(sbs, "ram  online", line, sizeof(line));
	assert_non_null(strstr(line, "x 1.30*"));
	line_of(sbs, "ram  offline", line, sizeof(line));
	assert_null(strchr(line, '*'));
	assert_null(strchr(line, '?'));
	line_of(sbs, "ram  remove", line, sizeof(line));
	assert_non_null(strstr(line, "x 1.30?"));
	for (const char *p = out; *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		assert_true(n <= 80);
		p += n + (e != NULL);
	}
	free(out);
	free(t.s);
}

/* Two kernels and two offline fills: a side-by-side row per fill, named
 * by it, each with its own medians, never one row for both fills. */
static void test_sidebyside_fills(void **state)
{
	static const char *const k[] = {"base", "patched"};
	struct sample_table t = {0};
	char *out, *sbs, line[256];
	int i, f, c;

	for (i = 0; i < 2; i++)
		for (f = 0; f < 2; f++)
			for (c = 0; c < 4; c++) {
				add_kn(&t, k[i], 0, -1, "ram", "offline",
				       "host", "latency_ns", f ? 500e6 : 20e6);
				t.s[t.n - 1].offline_fill_pct = f ? 90 : 0;
				t.s[t.n - 1].boot = c % 2;
			}
	out = printed(&t);
	sbs = strstr(out, "Kernels side by side");
	assert_non_null(sbs);
	line_of(sbs, "128M/0%", line, sizeof(line));
	assert_non_null(strstr(line, "20.00"));
	assert_null(strstr(line, "500.00"));
	line_of(sbs, "128M/90%", line, sizeof(line));
	assert_non_null(strstr(line, "500.00"));
	assert_null(strstr(line, "20.00"));
	free(out);
	free(t.s);
}

/* A NUMA run: node 1's row shows node 1's guest latency. */
static void test_latency_node(void **state)
{
	struct sample_table t = {0};
	char *out;
	int node;

	for (node = 0; node < 2; node++) {
		add_kn(&t, "base", node, -1, "ram", "online", "host",
		       "latency_ns", 10e6);
		add_kn(&t, "base", node, -1, "ram", "online", "guest",
		       "latency_ns", node ? 77e6 : 11e6);
	}
	out = printed(&t);
	assert_int_equal(count(out, "    11.00 ("), 1);
	assert_int_equal(count(out, "    77.00 ("), 1);
	free(out);
	free(t.s);
}

/* oom-edge under two kernels: a table each, named, each with its own
 * numbers. */
static void test_oom_per_kernel(void **state)
{
	struct sample_table t = {0};
	char *out, *a, *b;

	add_kn(&t, "base", 0, 256, "ram", "oom", "guest", "mib_added", 1111);
	add_kn(&t, "patched", 0, 256, "ram", "oom", "guest", "mib_added", 2222);
	out = printed(&t);
	assert_int_equal(count(out, "OOM edge, 128M DIMMs"), 2);
	a = strstr(out, "kernel base, accel tcg, 128M blocks");
	b = strstr(out, "kernel patched, accel tcg, 128M blocks");
	assert_non_null(a);
	assert_non_null(b);
	assert_true(a < strstr(out, "1111") && strstr(out, "1111") < b);
	assert_true(b < strstr(out, "2222"));
	free(out);
	free(t.s);
}

/* Two offline fills of one DIMM and mode, 3 cycles each. */
static void two_fills(struct sample_table *t)
{
	int f, i;

	for (f = 0; f < 2; f++)
		for (i = 0; i < 3; i++) {
			add_kn(t, "6.1.0-56-amd64", 0, -1, "ram", "offline",
			       "host", "latency_ns", f ? 510e6 : 21e6);
			t->s[t->n - 1].offline_fill_pct = f * 50;
			add_kn(t, "6.1.0-56-amd64", 0, -1, "ram", "offline",
			       "guest", "latency_ns", f ? 500e6 : 20e6);
			t->s[t->n - 1].offline_fill_pct = f * 50;
			add_kn(t, "6.1.0-56-amd64", 0, -1, "ram", "offline",
			       "guest", "fill_pages", f ? 16384 : 0);
			t->s[t->n - 1].offline_fill_pct = f * 50;
			add_kn(t, "6.1.0-56-amd64", 0, -1, "ram", "offline",
			       "guest", "migrated_pages", f ? 16421 : 3);
			t->s[t->n - 1].offline_fill_pct = f * 50;
			if (!f)
				continue;
			add_kn(t, "6.1.0-56-amd64", 0, -1, "ram", "offline",
			       "guest", "migrated_pages_per_ms", 32.842);
			t->s[t->n - 1].offline_fill_pct = 50;
		}
}

/* Two offline fills of one DIMM and mode: each has its own latency table
 * and its own row of the fill table; no median pools them. */
static void test_fills_apart(void **state)
{
	struct sample_table t = {0};
	char *out, line[256];

	two_fills(&t);
	out = printed(&t);
	assert_non_null(strstr(out, "128M blocks, offline fill 0%\n"));
	assert_non_null(strstr(out, "128M blocks, offline fill 50%\n"));
	assert_non_null(strstr(out, "Offline with pages to migrate"));
	line_of(out, "ram   50%", line, sizeof(line));
	assert_non_null(strstr(line, "16384"));
	assert_non_null(strstr(line, "16421"));
	assert_non_null(strstr(line, "500.00"));
	assert_non_null(strstr(line, "32.8"));
	line_of(out, "ram    0%", line, sizeof(line));
	assert_non_null(strstr(line, "20.00"));
	/* a fill without migrated pages has no rate: "-", not 0 */
	assert_non_null(strstr(line, " - "));
	/* pooled, the guest median would be 260 ms */
	assert_null(strstr(out, "260.00"));
	free(out);
	free(t.s);
}

/* The fill table of a tcg-icount run: its offline time and the rate per
 * ms of it are guest virtual time; under tcg, ms. */
static void test_fills_virtual(void **state)
{
	struct sample_table t = {0};
	char *out, line[256];
	size_t i;
	int k;

	for (k = 0; k < 2; k++) {
		t.n = 0;
		two_fills(&t);
		for (i = 0; i < t.n; i++)
			snprintf(t.s[i].accel, sizeof(t.s[i].accel), "%s",
				 k ? "tcg" : "tcg-icount");
		out = printed(&t);
		line_of(out, "fill pg", line, sizeof(line));
		assert_non_null(strstr(line, k ? " offline ms pages/ms "
					       : "  offl. vms   pg/vms "));
		assert_int_equal(strstr(out, "\nvms: guest virtual time under "
					     "tcg-icount") != NULL,
				 !k);
		line_of(out, "ram   50%", line, sizeof(line));
		assert_non_null(strstr(line, "500.00"));
		free(out);
	}
	free(t.s);
}

/* One kernel's run under @accel: online latency in both views, a traced
 * online (deep) and the probe's walk times. */
static void accel_run(struct sample_table *t, const char *accel)
{
	static const struct {
		const char *view, *metric;
		double v;
	} c[] = {
		{"host", "latency_ns", 10e6},
		{"guest", "latency_ns", 28.64e6},
		{"deep", "latency_ns", 60e6},
		{"deep", "fn_total_ns", 60e6},
		{"deep", "fn_other_ns", 10e6},
		{"deep", "fn_online_pages_ns", 50e6},
		{"deep", "memmap_local_fraction", 1},
		{"deep", "walk_cold_ns_per_page", 40},
		{"deep", "walk_warm_ns_per_page", 20},
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		add_kn(t, "base", 0, -1, "ram", "online", c[i].view,
		       c[i].metric, c[i].v);
		snprintf(t->s[t->n - 1].accel, sizeof(t->s[0].accel), "%s",
			 accel);
	}
}

/* Under tcg-icount the summary's guest column, the deep breakdown and
 * the walk times are virtual time: vms, vns and the legend; the host
 * column stays ms; summary.json's cells say time_base. Under tcg: ms. */
static void test_virtual_time(void **state)
{
	static const char *const accels[] = {"tcg-icount", "tcg"};
	struct sample_table t = {0};
	struct report_timing tm = {0};
	char *out, *line, *save, head[256], row[256];
	json_t *sum, *c;
	size_t i;
	int k;

	for (k = 0; k < 2; k++) {
		int virt = !k;

		t.n = 0;
		accel_run(&t, accels[k]);
		out = printed(&t);
		line_of(out, "DIMM  mode phase", head, sizeof(head));
		line_of(out, "128M  ram  online", row, sizeof(row));
		/* the n column stays where it is under its header */
		assert_int_equal(strlen(head), strlen(row));
		assert_non_null(strstr(head, "host ms median (IQR)"));
		assert_non_null(strstr(head, virt ? " guest vms median(IQR)"
						  : " guest ms median(IQR)"));
		assert_non_null(strstr(row, "    28.64 ("));
		assert_int_equal(strstr(out, "\nvms: guest virtual time under "
					     "tcg-icount (the guest clock "
					     "advances\n  2^shift ns per "
					     "instruction), not wall-clock "
					     "ms\n") != NULL,
				 virt);
		assert_non_null(strstr(out, virt ? "cold vns/p warm vns/p"
						 : " cold ns/p  warm ns/p"));
		assert_non_null(strstr(out, virt ? "traced total 60.000 vms;"
						 : "traced total 60.000 ms;"));
		snprintf(head, sizeof(head), "  %-34s %10s", "function",
			 virt ? "vms" : "ms");
		assert_non_null(strstr(out, head));
		assert_int_equal(strstr(out, "not wall-clock ms; vns: the same "
					     "in ns\n") != NULL,
				 virt);
		assert_int_equal(strstr(out, "vms") != NULL, virt);
		/* the lines that say ms, vms or vns fit 80 columns (some of
		 * the deep report's headings do not) */
		for (line = strtok_r(out, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			if (strstr(line, " ms") || strstr(line, "vms") ||
			    strstr(line, "ns/"))
				assert_true(strlen(line) <= 80);
		free(out);

		sum = report_summary(&t, &tm);
		json_array_foreach(json_object_get(sum, "cells"), i, c)
		{
			const char *v =
				json_string_value(json_object_get(c, "view"));
			const char *u =
				json_string_value(json_object_get(c, "unit"));
			const char *tb = json_string_value(
				json_object_get(c, "time_base"));

			assert_non_null(tb);
			if (strcmp(u, "ns"))
				assert_string_equal(tb, "");
			else if (strcmp(v, "host") && virt)
				assert_string_equal(tb, "virtual");
			else
				assert_string_equal(tb, "wall");
		}
		json_decref(sum);
	}
	free(t.s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sidebyside_once),
		cmocka_unit_test(test_sidebyside_marks),
		cmocka_unit_test(test_sidebyside_fills),
		cmocka_unit_test(test_latency_node),
		cmocka_unit_test(test_oom_per_kernel),
		cmocka_unit_test(test_fills_apart),
		cmocka_unit_test(test_fills_virtual),
		cmocka_unit_test(test_virtual_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
