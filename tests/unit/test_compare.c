// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for what a comparison says beyond its rows
 * (harness/analyze/compare.c, compare_print.c): the notes under a table,
 * and what a table of several kernels says it covers. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/compare.h"
#include "analyze/compare_print.h"
#include "fake_samples.h"

/* The notes under a table: n < 5, one-sided cells, no PMU, injection. */
static void test_compare_notes(void **state)
{
	struct sample_table ta = {0}, tb = {0};
	struct ana_run ra, rb;
	struct compare_side a = {0}, b = {0};
	struct ana_cmp c;
	json_t *notes = json_array();
	char all[4096] = "";
	size_t i;
	json_t *v;

	for (i = 0; i < 3; i++) {
		add(&ta, "ram", "online", "guest", "latency_ns", "ns", 20e6, 0);
		add(&tb, "ram", "online", "guest", "latency_ns", "ns", 40e6, 0);
	}
	add(&ta, "ram", "offline", "guest", "latency_ns", "ns", 30e6, 0);
	memset(&ra, 0, sizeof(ra));
	memset(&rb, 0, sizeof(rb));
	snprintf(ra.run_id, sizeof(ra.run_id), "runA");
	snprintf(rb.run_id, sizeof(rb.run_id), "runB");
	snprintf(ra.status, sizeof(ra.status), "complete");
	snprintf(rb.status, sizeof(rb.status), "incomplete");
	rb.inject_online_delay_us = 20000;
	rb.manifest = json_pack("{s:{s:s,s:{s:b}}}", "accel", "used", "kvm",
				"nested", "nested", 1);
	ra.t = ta;
	rb.t = tb;
	a.run = &ra;
	b.run = &rb;
	assert_int_equal(ana_compare(&ta, NULL, &tb, NULL, &opts, &c), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.only_a, 1);
	compare_notes(&a, &b, &c, notes);
	json_array_foreach(notes, i, v)
	{
		strncat(all, json_string_value(v),
			sizeof(all) - strlen(all) - 2);
		strcat(all, "|");
	}
	assert_non_null(strstr(all, "fewer than 5 samples (A n=3, B n=3)"));
	assert_non_null(strstr(all, "1 in A, 0 in B"));
	assert_non_null(strstr(all, "no PMU data"));
	assert_non_null(strstr(all, "inject_online_delay = 20 ms"));
	assert_non_null(strstr(all, "B (runB) is incomplete"));
	assert_non_null(strstr(all, "B (runB) ran nested"));
	assert_null(strstr(all, "A (runA) ran nested"));
	json_decref(rb.manifest);
	json_decref(notes);
	ana_cmp_free(&c);
	free(ta.s);
	free(tb.s);
}

/* @t as the complete run @id, its sides memmap=ram and memmap=self, and
 * their comparison in @c. */
static void ram_vs_self(const struct sample_table *t, const char *id,
			struct ana_run *r, struct compare_side *a,
			struct compare_side *b, struct ana_cmp *c)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->run_id, sizeof(r->run_id), "%s", id);
	snprintf(r->status, sizeof(r->status), "complete");
	r->t = *t;
	a->run = b->run = r;
	assert_int_equal(ana_parse_sel("memmap=ram", &a->sel), 0);
	assert_int_equal(ana_parse_sel("memmap=self", &b->sel), 0);
	assert_int_equal(ana_compare(t, &a->sel, t, &b->sel, &opts, c), 0);
}

/* A two-kernel run, ram against self: the header lists both kernels and
 * says they are compared within each; each section names its kernel;
 * rows are labelled with it; every line fits 80 columns. */
static void test_compare_two_kernels(void **state)
{
	struct sample_table t = {0};
	struct ana_run r;
	struct compare_side a = {0}, b = {0};
	struct ana_cmp c;
	char buf[512], *out = NULL, *line, *save, *k61, *k612;
	size_t len = 0;
	FILE *f;

	two_kernels(&t);
	ram_vs_self(&t, "run2k", &r, &a, &b, &c);
	assert_true(compare_sectioned(&c));
	compare_scope(&c, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "kernels k61, k612 (compared within each), "
				 "accel tcg, 128M blocks");
	compare_scope(&c, &c.rows[1], buf, sizeof(buf));
	assert_string_equal(buf, "kernel k612, accel tcg, 128M blocks");
	compare_cell_label(&c.rows[1], buf, sizeof(buf));
	assert_string_equal(buf, "k612 256M");

	f = open_memstream(&out, &len);
	assert_int_equal(compare_print(f, "text", &a, &b, &c), 0);
	fclose(f);
	k61 = strstr(out, "== kernel k61, accel tcg, 128M blocks\n");
	k612 = strstr(out, "== kernel k612, accel tcg, 128M blocks\n");
	assert_non_null(k61);
	assert_non_null(k612);
	assert_true(k61 < k612);
	assert_non_null(strstr(out, "kernels k61, k612: compared within each"));
	assert_null(strstr(out, "2054"));
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		assert_true(strlen(line) <= 80);
	free(out);
	ana_cmp_free(&c);

	/* kernel=k61 against kernel=k612: one table, the kernels are A, B */
	assert_int_equal(ana_parse_sel("kernel=k61", &a.sel), 0);
	assert_int_equal(ana_parse_sel("kernel=k612", &b.sel), 0);
	assert_int_equal(ana_compare(&t, &a.sel, &t, &b.sel, &opts, &c), 0);
	assert_false(compare_sectioned(&c));
	compare_scope(&c, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "kernel A k61, B k612, accel tcg, 128M "
				 "blocks");
	compare_cell_label(&c.rows[1], buf, sizeof(buf));
	assert_string_equal(buf, "self 256M");
	ana_cmp_free(&c);
	free(t.s);
}

/* oom-edge rows name their target F and carry the largest numbers
 * (MemFree in KiB of a 2 GiB guest): each still fits 80 columns. */
static void test_compare_oom_width(void **state)
{
	static const char *const m[] = {"start_memfree_kib", "min_memfree_kib",
					"memfree_kib",	     "dimms_added",
					"mib_added",	     "predicted_dimms"};
	static const double v[] = {2031616, 65536, 1048576, 15, 1920, 16};
	struct sample_table t = {0};
	struct ana_run r;
	struct compare_side a = {0}, b = {0};
	struct ana_cmp c;
	char *out = NULL, *line, *save;
	size_t len = 0, i;
	int k;
	FILE *f;

	for (k = 0; k < 4; k++)
		for (i = 0; i < 6; i++) {
			add(&t, k % 2 ? "self" : "ram", "oom", "guest", m[i],
			    strstr(m[i], "kib") ? "KiB" : "dimms",
			    v[i] * (1 + k * 0.01), 0);
			t.s[t.n - 1].target_mib = 1536;
			t.s[t.n - 1].boot = k / 2;
		}
	ram_vs_self(&t, "oom", &r, &a, &b, &c);
	assert_true(c.n >= 4);
	f = open_memstream(&out, &len);
	assert_int_equal(compare_print(f, "text", &a, &b, &c), 0);
	fclose(f);
	assert_non_null(strstr(out, "F=1536M"));
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (strlen(line) > 80)
			fail_msg("%zu columns: %s", strlen(line), line);
	free(out);
	ana_cmp_free(&c);
	free(t.s);
}

/* A change of thousands of percent (a broken kernel, a unit slip) keeps
 * the change column 8 wide: the columns after it stay in place. B slower
 * is worse, so the changes are negative. */
static void test_compare_huge_change(void **state)
{
	static const double self[] = {1.5e6, 150e6, 1.5e12};
	static const char *const want[] = {"-50.0%", "-14900%", "e+08%"};
	struct sample_table t = {0};
	struct ana_run r;
	struct compare_side a = {0}, b = {0};
	struct ana_cmp c;
	char *out = NULL, *line, *save;
	size_t len = 0;
	FILE *f;

	for (int i = 0; i < 3; i++) {
		t.n = 0;
		for (int k = 0; k < 4; k++) {
			add(&t, "ram", "online", "guest", "latency_ns", "ns",
			    1e6 * (1 + k * 1e-3), 0);
			t.s[t.n - 1].boot = k;
			add(&t, "self", "online", "guest", "latency_ns", "ns",
			    self[i] * (1 + k * 1e-3), 0);
			t.s[t.n - 1].boot = k;
		}
		ram_vs_self(&t, "huge", &r, &a, &b, &c);
		f = open_memstream(&out, &len);
		assert_int_equal(compare_print(f, "text", &a, &b, &c), 0);
		fclose(f);
		for (line = strtok_r(out, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			if (strlen(line) > 80)
				fail_msg("%zu columns: %s", strlen(line), line);
			if (strstr(line, "guest latency ") &&
			    !strstr(line, want[i]))
				fail_msg("want %s in: %s", want[i], line);
		}
		free(out);
		out = NULL;
		ana_cmp_free(&c);
	}
	free(t.s);
}

/* ram against self with two offline fills: a row per fill, labelled
 * with it, never a cell that pools the fills. */
static void test_compare_fills(void **state)
{
	struct sample_table t = {0};
	struct ana_sel a, b;
	struct ana_cmp c;
	char buf[128];
	size_t i, lat = 0;

	for (int f = 0; f < 2; f++)
		for (int m = 0; m < 2; m++)
			for (int k = 0; k < 4; k++) {
				add(&t, m ? "self" : "ram", "offline", "guest",
				    "latency_ns", "ns",
				    (f ? 500e6 : 20e6) + k * 1e5, 0);
				t.s[t.n - 1].offline_fill_pct = f ? 90 : 0;
				t.s[t.n - 1].boot = k % 2;
			}
	assert_int_equal(ana_parse_sel("memmap=ram", &a), 0);
	assert_int_equal(ana_parse_sel("memmap=self", &b), 0);
	assert_int_equal(ana_compare(&t, &a, &t, &b, &opts, &c), 0);
	for (i = 0; i < c.n; i++) {
		if (strcmp(c.rows[i].k.metric, "latency_ns"))
			continue;
		lat++;
		compare_size_label(&c.rows[i], buf, sizeof(buf));
		assert_string_equal(buf, c.rows[i].k.offline_fill_pct
						 ? "128M fill90%"
						 : "128M fill0%");
		assert_true(c.rows[i].a.max - c.rows[i].a.min < 1e6);
	}
	assert_int_equal(lat, 2);
	ana_cmp_free(&c);
	free(t.s);
}

/* pc-dimm and pmem samples of one table: ram against self gives a row
 * per source, labelled, never one that pools them; selecting on the
 * source compares the two on purpose. */
static void test_compare_sources(void **state)
{
	struct sample_table t = {0};
	struct ana_sel a, b;
	struct ana_cmp c;
	char buf[128];
	size_t i, lat = 0;

	for (int src = 0; src < 2; src++)
		for (int m = 0; m < 2; m++)
			for (int k = 0; k < 4; k++) {
				add(&t, m ? "self" : "ram", "online", "guest",
				    "latency_ns", "ns",
				    (src ? 90e6 : 30e6) + k * 1e5, 0);
				strcpy(t.s[t.n - 1].source,
				       src ? "pmem" : "dimm");
				t.s[t.n - 1].boot = k % 2;
			}
	assert_int_equal(ana_parse_sel("memmap=ram", &a), 0);
	assert_int_equal(ana_parse_sel("memmap=self", &b), 0);
	assert_int_equal(ana_compare(&t, &a, &t, &b, &opts, &c), 0);
	for (i = 0; i < c.n; i++) {
		if (strcmp(c.rows[i].k.metric, "latency_ns"))
			continue;
		lat++;
		compare_size_label(&c.rows[i], buf, sizeof(buf));
		assert_string_equal(buf, strcmp(c.rows[i].k.source, "pmem")
						 ? "128M"
						 : "128M pmem");
		assert_true(c.rows[i].a.max - c.rows[i].a.min < 1e6);
	}
	assert_int_equal(lat, 2);
	ana_cmp_free(&c);
	assert_int_equal(ana_parse_sel("source=dimm", &a), 0);
	assert_int_equal(ana_parse_sel("source=pmem", &b), 0);
	assert_int_equal(ana_compare(&t, &a, &t, &b, &opts, &c), 0);
	for (i = lat = 0; i < c.n; i++)
		if (!strcmp(c.rows[i].k.metric, "latency_ns")) {
			lat++;
			assert_true(c.rows[i].b.median > c.rows[i].a.median);
		}
	assert_int_equal(lat, 2); /* ram and self */
	ana_cmp_free(&c);
	free(t.s);
}

/* Sets every sample of @t to @accel. */
static void set_accel(struct sample_table *t, const char *accel)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		snprintf(t->s[i].accel, sizeof(t->s[i].accel), "%s", accel);
}

/* Host and guest online latency, ram and self, 2 boots of 3 cycles. */
static void latency_run(struct sample_table *t, const char *accel)
{
	int i;

	for (i = 0; i < 6; i++) {
		add(t, "ram", "online", "host", "latency_ns", "ns", 10e6 + i,
		    0);
		add(t, "self", "online", "host", "latency_ns", "ns", 11e6 + i,
		    0);
		add(t, "ram", "online", "guest", "latency_ns", "ns", 28e6 + i,
		    0);
		add(t, "self", "online", "guest", "latency_ns", "ns", 30e6 + i,
		    0);
		add(t, "ram", "add", "guest", "memmap_from_ram_kib", "KiB",
		    2052, 0);
		add(t, "self", "add", "guest", "memmap_from_ram_kib", "KiB", 4,
		    0);
	}
	spread_boots(t, 2);
	set_accel(t, accel);
}

/* @c of runs @ra and @rb printed in @format. */
static char *printed(const char *format, struct ana_run *ra, struct ana_run *rb,
		     const struct ana_cmp *c)
{
	struct compare_side a = {.run = ra}, b = {.run = rb};
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (ra == rb) {
		assert_int_equal(ana_parse_sel("memmap=ram", &a.sel), 0);
		assert_int_equal(ana_parse_sel("memmap=self", &b.sel), 0);
	}
	assert_int_equal(compare_print(f, format, &a, &b, c), 0);
	fclose(f);
	return out;
}

static void fake_run(struct ana_run *r, const char *id,
		     const struct sample_table *t)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->run_id, sizeof(r->run_id), "%s", id);
	snprintf(r->status, sizeof(r->status), "complete");
	r->t = *t;
}

static void assert_fits(char *out)
{
	char *line, *save;

	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		assert_true(strlen(line) <= 80);
}

/* Under tcg-icount the guest-view times are virtual: the row says vms and
 * the legend says what that is; the host row says ms. Under tcg, ms and
 * no legend. CSV and JSON carry time_base. */
static void test_compare_virtual_time(void **state)
{
	static const char *const accels[] = {"tcg-icount", "tcg"};
	struct sample_table t = {0};
	struct ana_sel sa, sb;
	struct ana_run r;
	struct ana_cmp c;
	char *out;
	json_t *root, *rows, *row;
	size_t i, k;

	assert_int_equal(ana_parse_sel("memmap=ram", &sa), 0);
	assert_int_equal(ana_parse_sel("memmap=self", &sb), 0);
	for (k = 0; k < 2; k++) {
		int virt = !k;

		t.n = 0;
		latency_run(&t, accels[k]);
		fake_run(&r, "run", &t);
		assert_int_equal(ana_compare(&t, &sa, &t, &sb, &opts, &c), 0);
		assert_int_equal(c.n, 3);
		out = printed("text", &r, &r, &c);
		assert_non_null(strstr(out, "\nonline  host  latency ms "));
		assert_int_equal(strstr(out, "\nonline  guest latency vms ") !=
					 NULL,
				 virt);
		assert_int_equal(strstr(out, "\nonline  guest latency ms ") !=
					 NULL,
				 !virt);
		assert_int_equal(strstr(out, "  vms: guest virtual time under "
					     "tcg-icount (the guest clock "
					     "advances\n    2^shift ns per "
					     "instruction), not wall-clock "
					     "ms\n") != NULL,
				 virt);
		assert_non_null(
			strstr(out, "add     guest memmap_from_ram KiB "));
		assert_fits(out);
		free(out);

		out = printed("markdown", &r, &r, &c);
		assert_int_equal(strstr(out, "| guest | latency vms |") != NULL,
				 virt);
		assert_non_null(strstr(out, "| host | latency ms |"));
		free(out);

		out = printed("csv", &r, &r, &c);
		assert_non_null(strstr(out, ",metric,unit,time_base,better,"));
		assert_non_null(
			strstr(out, ",online,host,latency_ns,ns,wall,"));
		assert_non_null(
			strstr(out, virt ? ",guest,latency_ns,ns,"
					   "virtual,"
					 : ",guest,latency_ns,ns,wall,"));
		assert_non_null(
			strstr(out, ",memmap_from_ram_kib,KiB,,lower,"));
		free(out);

		out = printed("json", &r, &r, &c);
		root = json_loads(out, 0, NULL);
		rows = json_object_get(root, "rows");
		assert_int_equal(json_array_size(rows), 3);
		json_array_foreach(rows, i, row)
		{
			const char *tb = json_string_value(
				json_object_get(row, "time_base"));
			const char *v =
				json_string_value(json_object_get(row, "view"));
			const char *m = json_string_value(
				json_object_get(row, "metric"));

			assert_non_null(tb);
			if (strcmp(m, "latency_ns"))
				assert_string_equal(tb, "");
			else if (!strcmp(v, "guest") && virt)
				assert_string_equal(tb, "virtual");
			else
				assert_string_equal(tb, "wall");
		}
		json_decref(root);
		free(out);
		ana_cmp_free(&c);
	}
	free(t.s);
}

/* A tcg-icount run against a tcg run: the accel is A and B, so a guest
 * time is virtual in A and wall-clock in B: the row says vms/ms, a note
 * says so, time_base is virtual/wall. */
static void test_compare_mixed_time(void **state)
{
	struct sample_table ta = {0}, tb = {0};
	struct ana_run ra, rb;
	struct ana_cmp c;
	char *out, flat[8192];
	size_t i, o = 0;

	latency_run(&ta, "tcg-icount");
	latency_run(&tb, "tcg");
	fake_run(&ra, "runA", &ta);
	fake_run(&rb, "runB", &tb);
	assert_int_equal(ana_compare(&ta, NULL, &tb, NULL, &opts, &c), 0);
	assert_true(c.fold & ANA_FOLD_ACCEL);
	for (i = 0; i < c.n; i++)
		if (!strcmp(c.rows[i].k.view, "guest") &&
		    !strcmp(c.rows[i].k.unit, "ns")) {
			assert_true(c.rows[i].virt_a);
			assert_false(c.rows[i].virt_b);
			assert_string_equal(ana_row_time_base(&c.rows[i]),
					    "virtual/wall");
		}
	out = printed("text", &ra, &rb, &c);
	assert_non_null(strstr(out, "\nonline  guest latency vms/ms "));
	assert_non_null(strstr(out, "\nonline  host  latency ms "));
	assert_non_null(strstr(out, "  vms: guest virtual time under"));
	/* the note, its lines joined, runs of spaces as one */
	for (i = 0; out[i] && o < sizeof(flat) - 1; i++) {
		char ch = out[i] == '\n' ? ' ' : out[i];

		if (ch != ' ' || (o && flat[o - 1] != ' '))
			flat[o++] = ch;
	}
	flat[o] = 0;
	assert_non_null(strstr(flat, "rows compare guest virtual time with "
				     "wall-clock time (accel A tcg-icount, B "
				     "tcg;"));
	assert_fits(out);
	free(out);
	out = printed("csv", &ra, &rb, &c);
	assert_non_null(strstr(out, ",guest,latency_ns,ns,virtual/wall,"));
	free(out);
	ana_cmp_free(&c);
	free(ta.s);
	free(tb.s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare_notes),
		cmocka_unit_test(test_compare_two_kernels),
		cmocka_unit_test(test_compare_oom_width),
		cmocka_unit_test(test_compare_huge_change),
		cmocka_unit_test(test_compare_fills),
		cmocka_unit_test(test_compare_sources),
		cmocka_unit_test(test_compare_virtual_time),
		cmocka_unit_test(test_compare_mixed_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
