// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for harness/run/order.c: each round boots every (mode,
 * kernel) pair once, odd rounds reverse the previous one (ABBA), the
 * order follows the seed, and the manifest's record names what booted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "run/order.h"

static gsl_rng *rng_seeded(unsigned long seed)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

	gsl_rng_set(r, seed);
	return r;
}

/* Every pair of @nm x @nk exactly once. */
static void assert_each_pair_once(const struct order_seq *s, int nm, int nk)
{
	int seen[JOB_MAX_MODES][JOB_MAX_KERNELS] = {{0}};

	assert_int_equal(s->n, nm * nk);
	for (int i = 0; i < s->n; i++)
		seen[s->slot[i].mode][s->slot[i].kernel]++;
	for (int m = 0; m < nm; m++)
		for (int k = 0; k < nk; k++)
			assert_int_equal(seen[m][k], 1);
}

static void test_rounds_abba(void **state)
{
	gsl_rng *rng = rng_seeded(42);
	struct order_seq s = {0}, prev;

	(void)state;
	for (int round = 0; round < 8; round++) {
		prev = s;
		order_round(rng, round, 2, 3, &s);
		assert_each_pair_once(&s, 2, 3);
		if (round % 2)
			for (int i = 0; i < s.n; i++) {
				assert_int_equal(s.slot[i].mode,
						 prev.slot[s.n - 1 - i].mode);
				assert_int_equal(s.slot[i].kernel,
						 prev.slot[s.n - 1 - i].kernel);
			}
	}
	gsl_rng_free(rng);
}

/* Over many round pairs with two modes, each mode boots first about half
 * of the time: the order is not fixed (ram before self was, before). */
static void test_first_mode_varies(void **state)
{
	gsl_rng *rng = rng_seeded(7);
	struct order_seq s = {0};
	int ram_first = 0, pairs = 200;

	(void)state;
	for (int round = 0; round < 2 * pairs; round += 2) {
		order_round(rng, round, 2, 1, &s);
		ram_first += s.slot[0].mode == 0;
	}
	assert_in_range(ram_first, 70, 130);
	gsl_rng_free(rng);
}

static void test_seed_decides(void **state)
{
	gsl_rng *a = rng_seeded(1), *b = rng_seeded(1), *c = rng_seeded(2);
	struct order_seq sa = {0}, sb = {0}, sc = {0};
	int same_ab = 1, same_ac = 1;

	(void)state;
	for (int round = 0; round < 20; round += 2) {
		order_round(a, round, 2, 4, &sa);
		order_round(b, round, 2, 4, &sb);
		order_round(c, round, 2, 4, &sc);
		same_ab &= !memcmp(sa.slot, sb.slot, sizeof(sa.slot));
		same_ac &= !memcmp(sa.slot, sc.slot, sizeof(sa.slot));
	}
	assert_true(same_ab);
	assert_false(same_ac);
	gsl_rng_free(a);
	gsl_rng_free(b);
	gsl_rng_free(c);
}

static void test_one_pair(void **state)
{
	gsl_rng *rng = rng_seeded(3);
	struct order_seq s = {0};

	(void)state;
	order_round(rng, 0, 1, 1, &s);
	assert_int_equal(s.n, 1);
	order_round(rng, 1, 1, 1, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.slot[0].mode, 0);
	gsl_rng_free(rng);
}

static void test_manifest_record(void **state)
{
	struct job job = {.nmodes = 2, .modes = {MEMMAP_RAM, MEMMAP_SELF}};
	const char *labels[] = {"base", "patched"};
	struct order_seq s = {
		.n = 2,
		.slot = {{.mode = 1, .kernel = 0}, {.mode = 0, .kernel = 1}}};
	json_t *j, *o;

	(void)state;
	j = order_round_json(&s, 3, "block_mib", json_integer(128), &job,
			     labels);
	assert_int_equal(json_integer_value(json_object_get(j, "round")), 3);
	assert_int_equal(json_integer_value(json_object_get(j, "block_mib")),
			 128);
	o = json_object_get(j, "order");
	assert_int_equal(json_array_size(o), 2);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(o, 0), "mode")),
			    "self");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(o, 1), "kernel")),
			    "patched");
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rounds_abba),
		cmocka_unit_test(test_first_mode_varies),
		cmocka_unit_test(test_seed_decides),
		cmocka_unit_test(test_one_pair),
		cmocka_unit_test(test_manifest_record),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
