/* Unit tests for the analysis on fixed data: the cell comparison
 * (harness/analyze/analysis.c) and the gate's verdicts
 * (harness/analyze/gate.c). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/analysis.h"
#include "analyze/compare.h"
#include "analyze/gate.h"

static void add(struct sample_table *t, const char *memmap, const char *phase,
		const char *view, const char *metric, const char *unit,
		double v, int warmup)
{
	struct sample *s;

	if (t->n == t->cap) {
		t->cap = t->cap * 2 + 64;
		t->s = realloc(t->s, t->cap * sizeof(*t->s));
		assert_non_null(t->s);
	}
	s = &t->s[t->n++];
	memset(s, 0, sizeof(*s));
	snprintf(s->run_id, sizeof(s->run_id), "r");
	snprintf(s->kernel, sizeof(s->kernel), "6.1.0-56-amd64");
	snprintf(s->accel, sizeof(s->accel), "tcg");
	snprintf(s->memmap, sizeof(s->memmap), "%s", memmap);
	s->block_mib = 128;
	s->dimm_mib = 128;
	s->target_mib = -1;
	s->block = -1;
	snprintf(s->phase, sizeof(s->phase), "%s", phase);
	snprintf(s->view, sizeof(s->view), "%s", view);
	snprintf(s->metric, sizeof(s->metric), "%s", metric);
	snprintf(s->unit, sizeof(s->unit), "%s", unit);
	s->value = v;
	s->warmup = warmup;
}

static const struct ana_opts opts = {.seed = 1, .reps = 2000, .alpha = 0.05};

/* ram vs self in one table: memmap_from_ram 2052 vs 4 KiB, latencies the
 * same; a warm-up row that would change the answer if it were counted. */
static void test_compare_modes(void **state)
{
	struct sample_table t = {0};
	struct ana_sel a, b;
	struct ana_cmp c;
	int i;

	for (i = 0; i < 10; i++) {
		add(&t, "ram", "add", "guest", "memmap_from_ram_kib", "KiB",
		    2052, 0);
		add(&t, "self", "add", "guest", "memmap_from_ram_kib", "KiB", 4,
		    0);
		add(&t, "ram", "online", "guest", "latency_ns", "ns",
		    20e6 + i * 1e4, 0);
		add(&t, "self", "online", "guest", "latency_ns", "ns",
		    20e6 + i * 1e4 + 5e3, 0);
		add(&t, "ram", "online", "guest", "errno", "", 0, 0);
	}
	add(&t, "self", "add", "guest", "memmap_from_ram_kib", "KiB", 9e9, 1);
	assert_int_equal(ana_parse_sel("memmap=ram", &a), 0);
	assert_int_equal(ana_parse_sel("memmap=self", &b), 0);
	assert_int_equal(ana_compare(&t, &a, &t, &b, &opts, &c), 0);
	/* errno is not compared; add comes before online */
	assert_int_equal(c.n, 2);
	assert_string_equal(c.rows[0].k.metric, "memmap_from_ram_kib");
	assert_int_equal(c.rows[0].a.n, 10);
	assert_int_equal(c.rows[0].b.n, 10);
	assert_true(c.rows[0].b.max == 4); /* warm-up left out */
	assert_true(c.rows[0].sig);
	/* lower is better: (2052 - 4) / 2052 = +99.805% */
	assert_true(fabs(c.rows[0].change_pct - 99.80506822612085) < 1e-9);
	assert_true(c.rows[0].ci_ok);
	assert_true(fabs(c.rows[0].ci.ratio - 4.0 / 2052) < 1e-12);
	/* 5 us on 20 ms: not significant after Holm */
	assert_false(c.rows[1].sig);
	assert_true(c.rows[1].p_holm >= c.rows[1].mw.p);
	ana_cmp_free(&c);
	/* a selection that matches nothing on one side: no common cell */
	assert_int_equal(ana_parse_sel("memmap=none", &b), 0);
	assert_int_equal(ana_compare(&t, &a, &t, &b, &opts, &c), 0);
	assert_int_equal(c.n, 0);
	ana_cmp_free(&c);
	free(t.s);
}

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
	rb.inject_online_delay_ms = 20;
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
	json_decref(notes);
	ana_cmp_free(&c);
	free(ta.s);
	free(tb.s);
}

static void test_parse_sel(void **state)
{
	struct ana_sel s;

	assert_int_equal(ana_parse_sel("boot=1", &s), 0);
	assert_string_equal(s.key, "boot");
	assert_string_equal(s.val, "1");
	assert_int_equal(ana_parse_sel("memmap", &s), -EINVAL);
	assert_int_equal(ana_parse_sel("=ram", &s), -EINVAL);
	assert_int_equal(ana_parse_sel("mode=ram", &s), -EINVAL);
	assert_int_equal(ana_parse_sel("memmap=", &s), -EINVAL);
}

static struct ana_row row(double ca, double cb, double lo, double hi, int sig,
			  size_t n)
{
	struct ana_row r;

	memset(&r, 0, sizeof(r));
	snprintf(r.k.metric, sizeof(r.k.metric), "latency_ns");
	snprintf(r.k.unit, sizeof(r.k.unit), "ns");
	r.a.n = r.b.n = n;
	r.ca = r.a.median = ca;
	r.cb = r.b.median = cb;
	r.a.min = ca;
	r.b.min = cb;
	r.ci.ratio = cb / ca;
	r.ci.lo = lo;
	r.ci.hi = hi;
	r.ci_ok = 1;
	r.sig = sig;
	r.mw.p = r.p_holm = sig ? 0.001 : 0.5;
	return r;
}

static void test_gate_verdicts(void **state)
{
	char why[512];
	struct ana_row r;

	/* twice as slow, CI well above 1.05, significant */
	r = row(20, 40, 1.9, 2.1, 1, 10);
	assert_int_equal(gate_judge(&r, 0.05, 0.05, 5, 1, why, sizeof(why)),
			 GATE_REGRESSION);
	assert_non_null(strstr(why, "above"));
	/* the mirror: twice as fast */
	r = row(40, 20, 0.45, 0.55, 1, 10);
	assert_int_equal(gate_judge(&r, 0.05, 0.05, 5, 1, why, sizeof(why)),
			 GATE_IMPROVEMENT);
	/* CI inside +-5%, even if significant: same */
	r = row(20, 20.2, 1.001, 1.02, 1, 10);
	assert_int_equal(gate_judge(&r, 0.05, 0.05, 5, 1, why, sizeof(why)),
			 GATE_SAME);
	/* significant, CI straddles 1.05: inconclusive */
	r = row(20, 21.5, 1.02, 1.12, 1, 10);
	assert_int_equal(gate_judge(&r, 0.05, 0.05, 5, 1, why, sizeof(why)),
			 GATE_INCONCLUSIVE);
	/* wide CI, not significant: inconclusive */
	r = row(20, 20, 0.7, 1.4, 0, 10);
	assert_int_equal(gate_judge(&r, 0.05, 0.05, 5, 1, why, sizeof(why)),
			 GATE_INCONCLUSIVE);
	/* n < 5 */
	r = row(20, 40, 1.9, 2.1, 1, 3);
	assert_int_equal(gate_judge(&r, 0.05, 0.05, 5, 1, why, sizeof(why)),
			 GATE_INCONCLUSIVE);
	assert_non_null(strstr(why, "too few samples"));
	/* the median doubled but the minimum did not move (noise that only
	 * adds time): inconclusive with the guard, regression without */
	r = row(20, 40, 1.4, 1.6, 1, 10);
	r.b.min = 20.1;
	assert_int_equal(gate_judge(&r, 0.05, 0.05, 5, 1, why, sizeof(why)),
			 GATE_INCONCLUSIVE);
	assert_non_null(strstr(why, "minimum"));
	assert_int_equal(gate_judge(&r, 0.05, 0.05, 5, 0, why, sizeof(why)),
			 GATE_REGRESSION);
	/* higher is better (memtotal_delta_kib): a drop is a regression */
	r = row(131072, 65536, 0.45, 0.55, 1, 10);
	snprintf(r.k.metric, sizeof(r.k.metric), "memtotal_delta_kib");
	snprintf(r.k.unit, sizeof(r.k.unit), "KiB");
	assert_int_equal(gate_judge(&r, 0.05, 0.05, 5, 1, why, sizeof(why)),
			 GATE_REGRESSION);
	/* ... and for a negative metric where higher is better (MemFree
	 * delta), a ratio above 1 means more memory lost */
	r = row(-1000, -2000, 1.9, 2.1, 1, 10);
	snprintf(r.k.metric, sizeof(r.k.metric), "memfree_delta_kib");
	snprintf(r.k.unit, sizeof(r.k.unit), "KiB");
	assert_int_equal(gate_judge(&r, 0.05, 0.05, 5, 1, why, sizeof(why)),
			 GATE_REGRESSION);
	/* a wider threshold turns a 10% shift into "same" */
	r = row(20, 22, 1.08, 1.12, 1, 10);
	assert_int_equal(gate_judge(&r, 0.05, 0.05, 5, 1, why, sizeof(why)),
			 GATE_REGRESSION);
	assert_int_equal(gate_judge(&r, 0.05, 0.15, 5, 1, why, sizeof(why)),
			 GATE_SAME);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare_modes),
		cmocka_unit_test(test_compare_notes),
		cmocka_unit_test(test_parse_sel),
		cmocka_unit_test(test_gate_verdicts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
