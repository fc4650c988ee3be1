// SPDX-License-Identifier: GPL-2.0-or-later
/* libpfm4 encoding of the event strings job files use, through the agent's
 * guest-images/agent/pmu_encode.c. The perf:: PMU (the kernel's generic
 * events) exists for libpfm4 on every Linux machine, PMU or not, so these
 * results do not depend on the host's CPU; bare names are only checked to
 * encode to something. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "pmu_encode.h"

#include <string.h>

static int init(void **state)
{
	(void)state;
	return pmu_encode_init() ? -1 : 0;
}

static void expect_event(const char *event, uint32_t type, uint64_t config)
{
	struct perf_event_attr attr;
	char fstr[256], err[128];

	memset(&attr, 0xa5, sizeof(attr));
	if (pmu_encode(event, &attr, fstr, sizeof(fstr), err, sizeof(err)))
		fail_msg("%s: %s", event, err);
	assert_int_equal(attr.type, type);
	assert_int_equal(attr.config, config);
	assert_int_equal(attr.size, sizeof(attr));
	/* Hot-add work is kernel work: both levels are counted. */
	assert_int_equal(attr.exclude_kernel, 0);
	assert_int_equal(attr.exclude_user, 0);
	/* The rest of the attr was cleared, not left to chance. */
	assert_int_equal(attr.read_format, 0);
	assert_int_equal(attr.disabled, 0);
	assert_true(!strncmp(fstr, "perf::", 6));
	assert_string_equal(err, "");
}

static void test_perf_generic_events(void **state)
{
	(void)state;
	expect_event("perf::cycles", PERF_TYPE_HARDWARE,
		     PERF_COUNT_HW_CPU_CYCLES);
	expect_event("perf::CPU-CYCLES", PERF_TYPE_HARDWARE,
		     PERF_COUNT_HW_CPU_CYCLES);
	expect_event("perf::instructions", PERF_TYPE_HARDWARE,
		     PERF_COUNT_HW_INSTRUCTIONS);
	expect_event("perf::cache-misses", PERF_TYPE_HARDWARE,
		     PERF_COUNT_HW_CACHE_MISSES);
	expect_event("perf::PERF_COUNT_HW_CACHE_MISSES", PERF_TYPE_HARDWARE,
		     PERF_COUNT_HW_CACHE_MISSES);
	/* Last-level cache read misses: the generic cache event, encoded
	 * as id | op << 8 | result << 16. */
	expect_event("perf::LLC-LOAD-MISSES", PERF_TYPE_HW_CACHE,
		     PERF_COUNT_HW_CACHE_LL |
			     (PERF_COUNT_HW_CACHE_OP_READ << 8) |
			     (PERF_COUNT_HW_CACHE_RESULT_MISS << 16));
	expect_event("perf::cpu-clock", PERF_TYPE_SOFTWARE,
		     PERF_COUNT_SW_CPU_CLOCK);
	expect_event("perf::task-clock", PERF_TYPE_SOFTWARE,
		     PERF_COUNT_SW_TASK_CLOCK);
}

/* A modifier in the string wins over the default of both levels. */
static void test_modifiers(void **state)
{
	struct perf_event_attr attr;

	(void)state;
	assert_int_equal(pmu_encode("perf::cycles:k", &attr, NULL, 0, NULL, 0),
			 0);
	assert_int_equal(attr.exclude_user, 1);
	assert_int_equal(attr.exclude_kernel, 0);
	assert_int_equal(
		pmu_encode("perf::instructions:u", &attr, NULL, 0, NULL, 0), 0);
	assert_int_equal(attr.exclude_user, 0);
	assert_int_equal(attr.exclude_kernel, 1);
}

/* Bare names resolve on whatever PMU libpfm4 finds first (a core PMU, or
 * perf:: where there is none): they must encode, to something. */
static void test_bare_names(void **state)
{
	static const char *const names[] = {"cycles", "instructions",
					    "cache-misses"};
	struct perf_event_attr attr;
	char fstr[256], err[128];

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (pmu_encode(names[i], &attr, fstr, sizeof(fstr), err,
			       sizeof(err)))
			fail_msg("%s: %s", names[i], err);
		assert_true(fstr[0] != '\0');
	}
}

static void expect_error(const char *event, int code)
{
	struct perf_event_attr attr;
	char fstr[64] = "stale", err[128] = "";

	assert_int_equal(
		pmu_encode(event, &attr, fstr, sizeof(fstr), err, sizeof(err)),
		code);
	assert_string_equal(err, pfm_strerror(code));
	assert_string_equal(fstr, "");
}

static void test_invalid(void **state)
{
	(void)state;
	expect_error("no_such_event", PFM_ERR_NOTFOUND);
	expect_error("perf::no_such_event", PFM_ERR_NOTFOUND);
	expect_error("no_such_pmu::cycles", PFM_ERR_NOTFOUND);
	expect_error("perf::cycles:no_such_modifier", PFM_ERR_ATTR);
	expect_error("", PFM_ERR_NOTFOUND);
	expect_error(NULL, PFM_ERR_NOTFOUND);
	/* Intel's architectural name; not there on AMD or without a PMU,
	 * so it may only fail with "not found", never crash. */
	{
		struct perf_event_attr attr;
		int r = pmu_encode("LLC_MISSES", &attr, NULL, 0, NULL, 0);

		assert_true(r == 0 || r == PFM_ERR_NOTFOUND);
	}
	assert_int_equal(pmu_encode("perf::cycles", NULL, NULL, 0, NULL, 0),
			 PFM_ERR_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_perf_generic_events),
		cmocka_unit_test(test_modifiers),
		cmocka_unit_test(test_bare_names),
		cmocka_unit_test(test_invalid),
	};

	return cmocka_run_group_tests(tests, init, NULL);
}
