// SPDX-License-Identifier: GPL-2.0-or-later
/* The count and first-to-last span of a DIMM's uevents (uevents.h). */
#include "run/uevents.h"

int uevent_count(const struct agent_uevents *ev)
{
	return ev->n + (ev->acpi_ts_ns >= 0);
}

/* The parser (agent_parse_uevents) refuses negative times, so hi - lo
 * cannot overflow; the fuzz target checks that it stays so. */
int64_t uevent_span(const struct agent_uevents *ev)
{
	int64_t lo = INT64_MAX, hi = INT64_MIN;

	for (int i = 0; i < ev->n; i++) {
		lo = ev->ts_ns[i] < lo ? ev->ts_ns[i] : lo;
		hi = ev->ts_ns[i] > hi ? ev->ts_ns[i] : hi;
	}
	if (ev->acpi_ts_ns >= 0) {
		lo = ev->acpi_ts_ns < lo ? ev->acpi_ts_ns : lo;
		hi = ev->acpi_ts_ns > hi ? ev->acpi_ts_ns : hi;
	}
	return ev->n ? hi - lo : 0;
}
