// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the gate's verdicts (harness/analyze/gate.c,
 * gate_rules.c) on made-up rows and samples: one row's verdict, the
 * thresholds and tolerances, a baseline centre of 0, cells that vanished,
 * self-hosting lost at any n, deep cells left out, the verdicts of a
 * comparison and the exit code they make. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/gate.h"
#include "analyze/gate_out.h"
#include "fake_samples.h"

/* The 5% threshold with the metric's own absolute tolerance. */
static struct gate_tol tol5(const struct ana_row *r)
{
	struct gate_tol t = {0.05, ana_metric(r->k.metric)->abs_tol};

	return t;
}

/* A row of @metric whose sides are each one value repeated (centre, min,
 * max and quartiles alike), with the CI and significance given. */
static struct ana_row row_of(const char *metric, const char *unit, double ca,
			     double cb, double lo, double hi, int sig, size_t n)
{
	struct ana_row r;

	memset(&r, 0, sizeof(r));
	snprintf(r.k.metric, sizeof(r.k.metric), "%s", metric);
	snprintf(r.k.unit, sizeof(r.k.unit), "%s", unit);
	r.a.n = r.b.n = n;
	r.ca = r.a.median = r.a.min = r.a.max = r.a.q1 = r.a.q3 = ca;
	r.cb = r.b.median = r.b.min = r.b.max = r.b.q1 = r.b.q3 = cb;
	r.ci.ratio = cb / ca;
	r.ci.lo = lo;
	r.ci.hi = hi;
	r.ci_ok = 1;
	r.sig = sig;
	r.gate_grade = 1; /* two boots a side */
	r.boots_a = r.boots_b = 2;
	r.p = r.mw.p = r.p_holm = sig ? 0.001 : 0.5;
	return r;
}

/* A guest latency row, centres in ms. */
static struct ana_row row(double ca_ms, double cb_ms, double lo, double hi,
			  int sig, size_t n)
{
	return row_of("latency_ns", "ns", ca_ms * 1e6, cb_ms * 1e6, lo, hi, sig,
		      n);
}

static void test_gate_verdicts(void **state)
{
	char why[512];
	struct ana_row r;

	/* twice as slow, CI well above 1.05, significant */
	r = row(20, 40, 1.9, 2.1, 1, 10);
	assert_int_equal(gate_judge(&r, 0.05, tol5(&r), 5, 1, why, sizeof(why)),
			 GATE_REGRESSION);
	assert_non_null(strstr(why, "above"));
	/* the mirror: twice as fast */
	r = row(40, 20, 0.45, 0.55, 1, 10);
	assert_int_equal(gate_judge(&r, 0.05, tol5(&r), 5, 1, why, sizeof(why)),
			 GATE_IMPROVEMENT);
	/* CI inside +-5%, even if significant: same */
	r = row(20, 20.2, 1.001, 1.02, 1, 10);
	assert_int_equal(gate_judge(&r, 0.05, tol5(&r), 5, 1, why, sizeof(why)),
			 GATE_SAME);
	/* significant, CI straddles 1.05: inconclusive */
	r = row(20, 21.5, 1.02, 1.12, 1, 10);
	assert_int_equal(gate_judge(&r, 0.05, tol5(&r), 5, 1, why, sizeof(why)),
			 GATE_INCONCLUSIVE);
	/* wide CI, not significant: inconclusive */
	r = row(20, 20, 0.7, 1.4, 0, 10);
	assert_int_equal(gate_judge(&r, 0.05, tol5(&r), 5, 1, why, sizeof(why)),
			 GATE_INCONCLUSIVE);
	/* twice as slow in every cycle, but of one boot a side: a boot's
	 * luck cannot be told from the kernel, so no verdict */
	r = row(20, 40, 1.9, 2.1, 1, 10);
	r.gate_grade = r.sig = 0;
	r.boots_a = r.boots_b = 1;
	assert_int_equal(gate_judge(&r, 0.05, tol5(&r), 5, 1, why, sizeof(why)),
			 GATE_INCONCLUSIVE);
	assert_non_null(strstr(why, "1 baseline and 1 candidate boots"));
	/* n < 5 */
	r = row(20, 40, 1.9, 2.1, 1, 3);
	assert_int_equal(gate_judge(&r, 0.05, tol5(&r), 5, 1, why, sizeof(why)),
			 GATE_INCONCLUSIVE);
	assert_non_null(strstr(why, "too few samples"));
	/* the median doubled but the minimum did not move (noise that only
	 * adds time): inconclusive with the guard, regression without */
	r = row(20, 40, 1.4, 1.6, 1, 10);
	r.b.min = 20.1e6;
	assert_int_equal(gate_judge(&r, 0.05, tol5(&r), 5, 1, why, sizeof(why)),
			 GATE_INCONCLUSIVE);
	assert_non_null(strstr(why, "minimum"));
	assert_int_equal(gate_judge(&r, 0.05, tol5(&r), 5, 0, why, sizeof(why)),
			 GATE_REGRESSION);
	/* higher is better (memtotal_delta_kib): a drop is a regression */
	r = row_of("memtotal_delta_kib", "KiB", 131072, 65536, 0.45, 0.55, 1,
		   10);
	assert_int_equal(gate_judge(&r, 0.05, tol5(&r), 5, 1, why, sizeof(why)),
			 GATE_REGRESSION);
	/* ... and for a negative metric where higher is better (MemFree
	 * delta), a ratio above 1 means more memory lost */
	r = row_of("memfree_delta_kib", "KiB", -1000, -2000, 1.9, 2.1, 1, 10);
	assert_int_equal(gate_judge(&r, 0.05, tol5(&r), 5, 1, why, sizeof(why)),
			 GATE_REGRESSION);
	/* a wider threshold turns a 10% shift into "same" */
	r = row(20, 22, 1.08, 1.12, 1, 10);
	assert_int_equal(gate_judge(&r, 0.05, tol5(&r), 5, 1, why, sizeof(why)),
			 GATE_REGRESSION);
	assert_int_equal(gate_judge(&r, 0.05, (struct gate_tol){0.15, 1e5}, 5,
				    1, why, sizeof(why)),
			 GATE_SAME);
}

/* The default from the command line wins over the job's; per-metric
 * entries from both are kept, the command line's first. */
static void test_gate_thresholds(void **state)
{
	struct gate_rules g = {.threshold = 0.05};

	assert_int_equal(gate_add_threshold(&g, "10", 0), 0);
	assert_int_equal(gate_add_threshold(&g, "latency_ns=20%", 0), 0);
	assert_int_equal(gate_add_threshold(&g, "30", 1), 0);
	assert_int_equal(gate_add_threshold(&g, "latency_ns=50", 1), 0);
	assert_int_equal(gate_add_threshold(&g, "memmap_from_ram_kib=1", 1), 0);
	assert_true(fabs(g.threshold - 0.10) < 1e-12);
	assert_true(fabs(gate_threshold_for(&g, "latency_ns") - 0.20) < 1e-12);
	assert_true(fabs(gate_threshold_for(&g, "memmap_from_ram_kib") - 0.01) <
		    1e-12);
	assert_true(fabs(gate_threshold_for(&g, "errno") - 0.10) < 1e-12);
	/* without a command-line default, the job's is taken */
	memset(&g, 0, sizeof(g));
	g.threshold = 0.05;
	assert_int_equal(gate_add_threshold(&g, "30", 1), 0);
	assert_true(fabs(g.threshold - 0.30) < 1e-12);
	assert_int_equal(gate_add_threshold(&g, "0", 0), -EINVAL);
	assert_int_equal(gate_add_threshold(&g, "100", 0), -EINVAL);
	assert_int_equal(gate_add_threshold(&g, "=5", 0), -EINVAL);
	assert_int_equal(gate_add_threshold(&g, "5 ms", 0), -EINVAL);
}

/* Every row judged with its metric's threshold; the worst verdict makes
 * the exit code. */
static void test_gate_judge_all(void **state)
{
	struct ana_row rows[3];
	struct ana_cmp c = {.rows = rows, .n = 3};
	struct gate_rules g = {.ao = {.alpha = 0.05},
			       .threshold = 0.05,
			       .min_n = 5,
			       .floor_guard = 1};
	struct gate_result res;

	rows[0] = row(20, 20.2, 1.001, 1.02, 1, 10); /* same */
	rows[1] = row(20, 22, 1.08, 1.12, 1, 10);    /* +10% */
	rows[2] = row(20, 20, 0.7, 1.4, 0, 10);	     /* inconclusive */
	assert_int_equal(gate_judge_all(&c, &g, NULL, &res), 0);
	assert_int_equal(res.verdict[0], GATE_SAME);
	assert_int_equal(res.verdict[1], GATE_REGRESSION);
	assert_int_equal(res.verdict[2], GATE_INCONCLUSIVE);
	assert_int_equal(res.count[GATE_SAME], 1);
	assert_int_equal(res.count[GATE_REGRESSION], 1);
	assert_int_equal(res.count[GATE_INCONCLUSIVE], 1);
	assert_int_equal(res.worst, GATE_REGRESSION);
	assert_int_equal(gate_exit_code(res.worst), EXIT_FAIL);
	assert_non_null(strstr(res.why[1], "above"));
	gate_result_free(&res);
	/* a 15% threshold for latency_ns: the +10% row is the same */
	assert_int_equal(gate_add_threshold(&g, "latency_ns=15", 0), 0);
	assert_int_equal(gate_judge_all(&c, &g, NULL, &res), 0);
	assert_int_equal(res.verdict[1], GATE_SAME);
	assert_true(fabs(res.threshold[1] - 0.15) < 1e-12);
	assert_int_equal(res.worst, GATE_INCONCLUSIVE);
	assert_int_equal(gate_exit_code(res.worst), EXIT_INCONCLUSIVE);
	gate_result_free(&res);
	assert_int_equal(gate_exit_code(GATE_IMPROVEMENT), EXIT_OK);
	assert_int_equal(gate_exit_code(GATE_SAME), EXIT_OK);
}

/* Absolute tolerances: each metric's own, replaced per metric from the
 * command line in the unit it is shown in. */
static void test_gate_abs_tolerance(void **state)
{
	struct gate_rules g = {.threshold = 0.05};
	struct gate_tol t;

	t = gate_tol_for(&g, "memmap_from_ram_kib");
	assert_true(fabs(t.rel - 0.05) < 1e-12 && t.abs == 256);
	assert_true(gate_tol_for(&g, "latency_ns").abs == 1e5);
	assert_true(gate_tol_for(&g, "self_hosted").abs == 0);
	assert_int_equal(gate_add_abs(&g, "latency_ns=0.2ms"), 0);
	assert_int_equal(gate_add_abs(&g, "memmap_from_ram_kib=64 KiB"), 0);
	assert_true(fabs(gate_tol_for(&g, "latency_ns").abs - 2e5) < 1e-6);
	assert_true(gate_tol_for(&g, "memmap_from_ram_kib").abs == 64);
	assert_int_equal(gate_add_abs(&g, "latency_ns=-1"), -EINVAL);
	assert_int_equal(gate_add_abs(&g, "latency_ns=1 KiB"), -EINVAL);
	assert_int_equal(gate_add_abs(&g, "latency_ns="), -EINVAL);
	assert_int_equal(gate_add_abs(&g, "5"), -EINVAL);
}

/* A baseline centre of 0 has no ratio: the verdict comes from the middle
 * half of the candidate against the absolute tolerance. Today's answer
 * was "inconclusive" however large and significant the change. */
static void test_gate_zero_centre(void **state)
{
	char why[512];
	struct ana_row r;

	/* MemFree fell by 4 MiB at add where it did not move before (higher
	 * is better): significant, far past 256 KiB */
	r = row_of("memfree_delta_kib", "KiB", 0, -4096, NAN, NAN, 1, 10);
	r.ci_ok = 0;
	r.b.q1 = -4200;
	r.b.q3 = -4000;
	assert_int_equal(gate_judge(&r, 0.05, tol5(&r), 5, 1, why, sizeof(why)),
			 GATE_REGRESSION);
	assert_non_null(strstr(why, "no ratio"));
	assert_non_null(strstr(why, "below the tolerance 256 KiB"));
	/* the mirror: improvement */
	r.cb = r.b.median = 4096;
	r.b.q1 = 4000;
	r.b.q3 = 4200;
	assert_int_equal(gate_judge(&r, 0.05, tol5(&r), 5, 1, why, sizeof(why)),
			 GATE_IMPROVEMENT);
	/* within the absolute tolerance: never a regression, even when
	 * significant */
	r = row_of("memfree_delta_kib", "KiB", 0, -100, NAN, NAN, 1, 10);
	r.ci_ok = 0;
	r.b.q1 = -120;
	r.b.q3 = -60;
	assert_int_equal(gate_judge(&r, 0.05, tol5(&r), 5, 1, why, sizeof(why)),
			 GATE_SAME);
	/* significant, but the middle half straddles the tolerance */
	r.b.q1 = -400;
	r.b.q3 = -100;
	assert_int_equal(gate_judge(&r, 0.05, tol5(&r), 5, 1, why, sizeof(why)),
			 GATE_INCONCLUSIVE);
	/* memmap from RAM, 0 before (self-hosted) and 2048 KiB now, only 3
	 * cycles a side and not significant: the ranges decide */
	r = row_of("memmap_from_ram_kib", "KiB", 0, 2048, NAN, NAN, 0, 3);
	r.ci_ok = 0;
	assert_int_equal(gate_judge(&r, 0.05, tol5(&r), 5, 1, why, sizeof(why)),
			 GATE_REGRESSION);
	assert_non_null(strstr(why, "above every baseline value"));
	/* 4 KiB against 200 KiB (every value, significant): within 256 KiB */
	r = row_of("memmap_from_ram_kib", "KiB", 4, 200, 49, 51, 1, 10);
	assert_int_equal(gate_judge(&r, 0.05, tol5(&r), 5, 1, why, sizeof(why)),
			 GATE_SAME);
	assert_non_null(strstr(why, "within the tolerance 256 KiB"));
	/* a 0.05 ms step that takes 0.12 ms now: +140%, significant, but
	 * within 0.1 ms */
	r = row(0.05, 0.12, 2.2, 2.6, 1, 10);
	assert_int_equal(gate_judge(&r, 0.05, tol5(&r), 5, 1, why, sizeof(why)),
			 GATE_SAME);
	assert_non_null(strstr(why, "0.1 ms"));
	/* the same guest time under tcg-icount: virtual ms */
	r.virt_a = r.virt_b = 1;
	assert_int_equal(gate_judge(&r, 0.05, tol5(&r), 5, 1, why, sizeof(why)),
			 GATE_SAME);
	assert_non_null(strstr(why, "0.1 vms"));
}

/* Self-hosting lost: the share of self-hosted cycles fell from all to
 * none and the memmap moved from the DIMM into RAM. A regression of both
 * metrics at any n, though 3 against 3 (or 1 against 1) identical values
 * can never be significant. */
static void test_gate_selfhost_lost(void **state)
{
	double one[3] = {1, 1, 1}, zero[3] = {0, 0, 0};
	char why[512];
	struct ana_row r;
	size_t n;

	for (n = 1; n <= 3; n += 2) {
		r = row_of("self_hosted", "bool", 1, 0, NAN, NAN, 0, n);
		r.ci_ok = 0;
		r.va = one;
		r.vb = zero;
		assert_int_equal(
			gate_judge(&r, 0.05, tol5(&r), 5, 1, why, sizeof(why)),
			GATE_REGRESSION);
		assert_non_null(strstr(why, "the share changed"));
		r = row_of("memmap_from_ram_kib", "KiB", 4, 2052, 513, 513, 0,
			   n);
		r.a.max = 56; /* other allocations in the window */
		assert_int_equal(
			gate_judge(&r, 0.05, tol5(&r), 5, 1, why, sizeof(why)),
			GATE_REGRESSION);
	}
	/* one cycle of three not self-hosted is a change too */
	zero[0] = zero[1] = 1;
	r = row_of("self_hosted", "bool", 1, 1, 1, 1, 0, 3);
	r.va = one;
	r.vb = zero;
	assert_int_equal(gate_judge(&r, 0.05, tol5(&r), 5, 1, why, sizeof(why)),
			 GATE_REGRESSION);
	assert_non_null(strstr(why, "2 of 3 candidate"));
	/* the same share: same, whatever n */
	r.vb = one;
	assert_int_equal(gate_judge(&r, 0.05, tol5(&r), 5, 1, why, sizeof(why)),
			 GATE_SAME);
}

/* Made-up runs of 3 measured cycles: ram and self cells at 128M, and one
 * deep cycle a mode; @lost: self mode without self-hosting. */
static void fake_run(struct sample_table *t, int lost, int with_self)
{
	int i, m;

	for (m = 0; m < 1 + with_self; m++) {
		const char *mode = m ? "self" : "ram";
		int self = m && !lost;

		for (i = 0; i < 3; i++) {
			add(t, mode, "online", "guest", "latency_ns", "ns",
			    20e6 + i * 1e5, 0);
			add(t, mode, "add", "guest", "memmap_from_ram_kib",
			    "KiB", self ? 4 + 8 * i : 2052 + 8 * i, 0);
			add(t, mode, "online", "guest", "self_hosted", "bool",
			    self, 0);
		}
		add(t, mode, "add", "deep", "memmap_from_ram_kib", "KiB",
		    self ? 4 : 2052, 0);
	}
}

static const struct ana_row *find_row(const struct ana_cmp *c,
				      const char *memmap, const char *metric)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->rows[i].k.memmap, memmap) &&
		    !strcmp(c->rows[i].k.metric, metric))
			return &c->rows[i];
	return NULL;
}

static struct gate_rules rules5(void)
{
	struct gate_rules g = {.ao = {.seed = 1, .reps = 200, .alpha = 0.05},
			       .threshold = 0.05,
			       .min_n = 5,
			       .floor_guard = 1};

	return g;
}

/* The same, end to end: samples, comparison, verdicts, exit code. */
static void test_gate_selfhost_lost_run(void **state)
{
	struct sample_table ta = {0}, tb = {0};
	struct gate_rules g = rules5();
	struct gate_result res;
	struct ana_cmp c;
	size_t i;

	fake_run(&ta, 0, 1);
	fake_run(&tb, 1, 1);
	gate_select(&g, NULL, 0, 0);
	assert_int_equal(ana_compare(&ta, NULL, &tb, NULL, &g.ao, &c), 0);
	assert_int_equal(gate_judge_all(&c, &g, NULL, &res), 0);
	for (i = 0; i < c.n; i++) {
		const struct ana_row *r = &c.rows[i];
		int self = !strcmp(r->k.memmap, "self");

		if (!strcmp(r->k.metric, "latency_ns"))
			assert_int_equal(res.verdict[i], GATE_INCONCLUSIVE);
		else
			assert_int_equal(res.verdict[i],
					 self ? GATE_REGRESSION : GATE_SAME);
	}
	assert_non_null(find_row(&c, "self", "self_hosted"));
	assert_non_null(find_row(&c, "self", "memmap_from_ram_kib"));
	assert_int_equal(res.count[GATE_REGRESSION], 2);
	assert_int_equal(gate_exit_code(res.worst), EXIT_FAIL);
	gate_result_free(&res);
	ana_cmp_free(&c);
	samples_free(&ta);
	samples_free(&tb);
}

/* A cell of the baseline that the candidate lacks is a regression with
 * the reason its manifest gives, unless --allow-missing. */
static void test_gate_vanished(void **state)
{
	struct sample_table ta = {0}, tb = {0};
	struct gate_rules g = rules5();
	struct gate_result res;
	struct ana_cmp c;
	json_t *m = json_pack(
		"{s:s, s:[{s:s, s:s, s:i, s:s}]}", "status", "complete",
		"skipped", "kernel", "6.1.0-56-amd64", "memmap", "self",
		"block_mib", 128, "reason",
		"unsupported by kernel 6.1.0-56-amd64: "
		"memory_hotplug.memmap_on_memory=1 on the command line left "
		"the parameter at N");
	size_t i;

	fake_run(&ta, 0, 1);
	fake_run(&tb, 0, 0);
	gate_select(&g, NULL, 0, 0);
	assert_int_equal(ana_compare(&ta, NULL, &tb, NULL, &g.ao, &c), 0);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.only_a, 3);
	assert_int_equal(gate_judge_all(&c, &g, m, &res), 0);
	assert_int_equal(res.ngone, 3);
	assert_int_equal(res.vanished, 3);
	assert_int_equal(res.worst, GATE_REGRESSION);
	assert_int_equal(gate_exit_code(res.worst), EXIT_FAIL);
	for (i = 0; i < res.ngone; i++) {
		assert_string_equal(res.gone[i].k.memmap, "self");
		assert_non_null(strstr(res.gone[i].why,
				       "self mode unsupported by kernel"));
		assert_non_null(strstr(res.gone[i].why, res.gone[i].k.metric));
	}
	gate_result_free(&res);
	/* allowed: noted, not counted; the rest decides (n=3: latency is
	 * inconclusive) */
	g.allow_missing = 1;
	assert_int_equal(gate_judge_all(&c, &g, m, &res), 0);
	assert_int_equal(res.ngone, 3);
	assert_int_equal(res.vanished, 0);
	assert_true(res.gone[0].allowed);
	assert_non_null(strstr(res.gone[0].why, "--allow-missing"));
	assert_int_equal(res.count[GATE_REGRESSION], 0);
	assert_int_equal(gate_exit_code(res.worst), EXIT_INCONCLUSIVE);
	gate_result_free(&res);
	/* other reasons: a skipped size, a run that stopped, none */
	g.allow_missing = 0;
	json_decref(m);
	m = json_pack("{s:s, s:[{s:s, s:i, s:s}]}", "status", "complete",
		      "skipped", "size", "128M", "block_mib", 256, "reason",
		      "smaller than one memory block");
	assert_int_equal(gate_judge_all(&c, &g, m, &res), 0);
	assert_non_null(strstr(res.gone[0].why, "128M DIMMs skipped with "
						"256M blocks: smaller"));
	gate_result_free(&res);
	json_decref(m);
	m = json_pack("{s:s, s:[]}", "status", "incomplete", "skipped");
	assert_int_equal(gate_judge_all(&c, &g, m, &res), 0);
	assert_non_null(strstr(res.gone[0].why, "incomplete"));
	gate_result_free(&res);
	assert_int_equal(gate_judge_all(&c, &g, NULL, &res), 0);
	assert_non_null(strstr(res.gone[0].why, "no sample"));
	assert_int_equal(res.vanished, 3);
	gate_result_free(&res);
	json_decref(m);
	ana_cmp_free(&c);
	samples_free(&ta);
	samples_free(&tb);
}

static size_t deep_rows(const struct ana_cmp *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->n; i++)
		n += !strcmp(c->rows[i].k.view, "deep");
	return n;
}

/* Deep cells (one a boot) stay out of the gate unless a metric names the
 * view or --deep asks for them; a deep cell missing in the candidate is
 * then no vanished cell either. */
static void test_gate_deep_excluded(void **state)
{
	static const char *const deep[] = {"memmap_from_ram_kib:deep"};
	static const char *const plain[] = {"memmap_from_ram_kib"};
	struct sample_table ta = {0}, tb = {0};
	struct gate_rules g = rules5();
	struct gate_result res;
	struct ana_cmp c;
	size_t i;

	fake_run(&ta, 0, 1);
	fake_run(&tb, 0, 1);
	tb.n--; /* the candidate's self deep cycle is gone */
	gate_select(&g, NULL, 0, 0);
	assert_int_equal(ana_compare(&ta, NULL, &tb, NULL, &g.ao, &c), 0);
	assert_int_equal(deep_rows(&c), 0);
	assert_int_equal(c.only_a, 0);
	assert_int_equal(gate_judge_all(&c, &g, NULL, &res), 0);
	for (i = 0; i < c.n; i++)
		if (strcmp(c.rows[i].k.metric, "latency_ns"))
			assert_int_equal(res.verdict[i], GATE_SAME);
	gate_result_free(&res);
	ana_cmp_free(&c);
	/* by name */
	gate_select(&g, deep, 1, 0);
	assert_int_equal(ana_compare(&ta, NULL, &tb, NULL, &g.ao, &c), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(deep_rows(&c), 1);
	assert_int_equal(c.only_a, 1);
	ana_cmp_free(&c);
	/* a metric without a view: only with --deep */
	gate_select(&g, plain, 1, 0);
	assert_int_equal(ana_compare(&ta, NULL, &tb, NULL, &g.ao, &c), 0);
	assert_int_equal(deep_rows(&c), 0);
	ana_cmp_free(&c);
	gate_select(&g, plain, 1, 1);
	assert_int_equal(ana_compare(&ta, NULL, &tb, NULL, &g.ao, &c), 0);
	assert_int_equal(deep_rows(&c), 1);
	ana_cmp_free(&c);
	samples_free(&ta);
	samples_free(&tb);
}

/* Sets every sample of @t to @accel. */
static void set_accel(struct sample_table *t, const char *accel)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		snprintf(t->s[i].accel, sizeof(t->s[i].accel), "%s", accel);
}

/* The gate's text and gate.json of a run against one that lost its self
 * mode, both of @accel. */
static void gate_outputs(const char *accel, char **text, json_t **js)
{
	struct sample_table ta = {0}, tb = {0};
	struct gate_rules g = rules5();
	struct gate_result res;
	struct ana_run base, cand;
	struct compare_side sb = {.run = &base}, sc = {.run = &cand};
	struct ana_cmp c;
	json_t *notes = json_array();
	size_t len = 0;
	FILE *f = open_memstream(text, &len);

	fake_run(&ta, 0, 1);
	fake_run(&tb, 0, 0);
	set_accel(&ta, accel);
	set_accel(&tb, accel);
	memset(&base, 0, sizeof(base));
	memset(&cand, 0, sizeof(cand));
	snprintf(base.run_id, sizeof(base.run_id), "base");
	snprintf(cand.run_id, sizeof(cand.run_id), "cand");
	gate_select(&g, NULL, 0, 0);
	assert_int_equal(ana_compare(&ta, NULL, &tb, NULL, &g.ao, &c), 0);
	assert_int_equal(c.only_a, 3);
	assert_int_equal(gate_judge_all(&c, &g, NULL, &res), 0);
	gate_print(f, &base, &cand, &c, &g, &res, notes);
	fclose(f);
	*js = gate_json(&sb, &sc, &c, &g, &res, notes);
	assert_non_null(*js);
	json_decref(notes);
	gate_result_free(&res);
	ana_cmp_free(&c);
	samples_free(&ta);
	samples_free(&tb);
}

/* Under tcg-icount the gate's lines of a guest time say vms, and its
 * header what that is; gate.json's rows and missing cells carry
 * time_base. Under tcg: ms, no legend, time_base wall. */
static void test_gate_virtual_time(void **state)
{
	static const char *const accels[] = {"tcg-icount", "tcg"};
	char *text;
	json_t *js, *row;
	size_t i, k;

	for (k = 0; k < 2; k++) {
		int virt = !k;
		const char *tb = virt ? "virtual" : "wall";
		char *line, *save;
		int rows = 0;

		gate_outputs(accels[k], &text, &js);
		assert_non_null(strstr(text, virt ? "\nram 128M       online "
						    " guest latency vms "
						  : "\nram 128M       online "
						    " guest latency ms "));
		/* the vanished self cell, labelled the same way */
		assert_non_null(strstr(text, virt ? "\nself 128M      online "
						    " guest latency vms "
						  : "\nself 128M      online "
						    " guest latency ms "));
		assert_int_equal(strstr(text, "\nvms: guest virtual time under "
					      "tcg-icount (the guest clock "
					      "advances\n  2^shift ns per "
					      "instruction), not wall-clock "
					      "ms\n") != NULL,
				 virt);
		/* the label keeps its column: the table is as wide as before
		 * (its rows are not all within 80 columns: "inconclusive") */
		assert_non_null(strstr(text, virt ? " latency vms    "
						  : " latency ms     "));
		for (line = strtok_r(text, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			if (!strncmp(line, "vms", 3) ||
			    !strncmp(line, "  2^shift", 9))
				assert_true(strlen(line) <= 80);
		json_array_foreach(json_object_get(js, "rows"), i, row)
		{
			const char *m = json_string_value(
				json_object_get(row, "metric"));

			assert_string_equal(json_string_value(json_object_get(
						    row, "time_base")),
					    strcmp(m, "latency_ns") ? "" : tb);
			rows += !strcmp(m, "latency_ns");
		}
		assert_int_equal(rows, 1);
		json_array_foreach(json_object_get(js, "missing"), i, row)
		{
			const char *m = json_string_value(
				json_object_get(row, "metric"));

			assert_string_equal(json_string_value(json_object_get(
						    row, "time_base")),
					    strcmp(m, "latency_ns") ? "" : tb);
		}
		json_decref(js);
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gate_verdicts),
		cmocka_unit_test(test_gate_thresholds),
		cmocka_unit_test(test_gate_judge_all),
		cmocka_unit_test(test_gate_abs_tolerance),
		cmocka_unit_test(test_gate_zero_centre),
		cmocka_unit_test(test_gate_selfhost_lost),
		cmocka_unit_test(test_gate_selfhost_lost_run),
		cmocka_unit_test(test_gate_vanished),
		cmocka_unit_test(test_gate_deep_excluded),
		cmocka_unit_test(test_gate_virtual_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
