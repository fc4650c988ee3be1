/* Unit tests for the gate's verdicts (harness/analyze/gate.c) on made-up
 * rows: one row's verdict, the thresholds, the verdicts of a comparison and
 * the exit code they make. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/gate.h"

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
	assert_int_equal(gate_judge_all(&c, &g, &res), 0);
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
	assert_int_equal(gate_judge_all(&c, &g, &res), 0);
	assert_int_equal(res.verdict[1], GATE_SAME);
	assert_true(fabs(res.threshold[1] - 0.15) < 1e-12);
	assert_int_equal(res.worst, GATE_INCONCLUSIVE);
	assert_int_equal(gate_exit_code(res.worst), EXIT_INCONCLUSIVE);
	gate_result_free(&res);
	assert_int_equal(gate_exit_code(GATE_IMPROVEMENT), EXIT_OK);
	assert_int_equal(gate_exit_code(GATE_SAME), EXIT_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gate_verdicts),
		cmocka_unit_test(test_gate_thresholds),
		cmocka_unit_test(test_gate_judge_all),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
