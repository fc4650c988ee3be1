/* Unit tests for what a comparison says beyond its rows
 * (harness/analyze/compare.c): the notes under a table. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare_notes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
