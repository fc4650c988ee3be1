// SPDX-License-Identifier: GPL-2.0-or-later
/* The guest view of an add or a remove (run/uevents.c): how many uevents
 * and their first-to-last span, the ACPI device's own event included. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "run/uevents.h"

#include <stdlib.h>

static struct agent_uevents *events(int n, const int64_t *ts, int64_t acpi)
{
	/* Large (AGENT_MAX_BLOCKS): on the heap, as the callers keep it. */
	struct agent_uevents *ev = calloc(1, sizeof(*ev));

	assert_non_null(ev);
	for (int i = 0; i < n; i++) {
		ev->block[i] = 32 + i;
		ev->ts_ns[i] = ts[i];
	}
	ev->n = n;
	ev->acpi_ts_ns = acpi;
	return ev;
}

static void blocks_only(void **state)
{
	const int64_t ts[] = {5000, 1000, 3000};
	struct agent_uevents *ev = events(3, ts, -1);

	assert_int_equal(uevent_count(ev), 3);
	assert_int_equal(uevent_span(ev), 4000);
	free(ev);
}

/* The ACPI memory device's event comes first on an add: it widens the
 * span and counts as one more event. */
static void with_acpi(void **state)
{
	const int64_t ts[] = {2000, 2500};
	struct agent_uevents *ev = events(2, ts, 1500);

	assert_int_equal(uevent_count(ev), 3);
	assert_int_equal(uevent_span(ev), 1000);
	free(ev);
}

/* One event spans nothing; the caller leaves that view out. */
static void single_event(void **state)
{
	const int64_t ts[] = {7000};
	struct agent_uevents *ev = events(1, ts, -1);

	assert_int_equal(uevent_count(ev), 1);
	assert_int_equal(uevent_span(ev), 0);
	free(ev);
}

/* Only the ACPI event, no block: no span, whatever its time. */
static void acpi_only(void **state)
{
	struct agent_uevents *ev = events(0, NULL, 9000);

	assert_int_equal(uevent_count(ev), 1);
	assert_int_equal(uevent_span(ev), 0);
	free(ev);
}

/* The widest times the parser lets through do not overflow. */
static void widest(void **state)
{
	const int64_t ts[] = {0, INT64_MAX};
	struct agent_uevents *ev = events(2, ts, -1);

	assert_true(uevent_span(ev) == INT64_MAX);
	free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(blocks_only),	cmocka_unit_test(with_acpi),
		cmocka_unit_test(single_event), cmocka_unit_test(acpi_only),
		cmocka_unit_test(widest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
