// SPDX-License-Identifier: GPL-2.0-or-later
/* Sizes and durations as people write them in job files. Strict on
 * purpose: a typo in a benchmark parameter must stop the run, not turn into
 * a different benchmark. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/units.h"

struct unit {
	const char *suffix;
	uint64_t mult;
};

static const struct unit size_units[] = {
	{"", 1ULL},	     {"k", 1ULL << 10},	  {"kib", 1ULL << 10},
	{"m", 1ULL << 20},   {"mib", 1ULL << 20}, {"g", 1ULL << 30},
	{"gib", 1ULL << 30}, {"t", 1ULL << 40},	  {"tib", 1ULL << 40},
};

static const struct unit duration_units[] = {
	{"", 1000ULL},	     {"ms", 1ULL},	    {"s", 1000ULL},
	{"m", 60ULL * 1000}, {"h", 3600ULL * 1000},
};

/* Leading decimal digits only: no sign, no blanks, no "0x", no fraction,
 * because strtoull() would quietly accept all of those ("-1" included). */
static int parse_number(const char *s, uint64_t *val, const char **end)
{
	uint64_t v = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*val = v;
	*end = p;
	return 0;
}

static int parse_with_units(const char *s, const struct unit *units,
			    size_t nunits, uint64_t limit, uint64_t *out)
{
	const char *suffix;
	uint64_t v;
	size_t i;
	int ret;

	if (!s)
		return -EINVAL;
	ret = parse_number(s, &v, &suffix);
	if (ret)
		return ret;
	for (i = 0; i < nunits; i++) {
		if (strcasecmp(suffix, units[i].suffix))
			continue;
		if (v > limit / units[i].mult)
			return -ERANGE;
		*out = v * units[i].mult;
		return 0;
	}
	return -EINVAL;
}

int units_parse_size(const char *s, uint64_t *bytes)
{
	return parse_with_units(s, size_units,
				sizeof(size_units) / sizeof(size_units[0]),
				UINT64_MAX, bytes);
}

/* The same durations in microseconds, with "us" for the delays a
 * calibration needs below a millisecond's step. */
static const struct unit duration_us_units[] = {
	{"", 1000000ULL},  {"us", 1ULL},	   {"ms", 1000ULL},
	{"s", 1000000ULL}, {"m", 60ULL * 1000000}, {"h", 3600ULL * 1000000},
};

int units_parse_duration_us(const char *s, int64_t *us)
{
	uint64_t v;
	int ret;

	ret = parse_with_units(s, duration_us_units,
			       sizeof(duration_us_units) /
				       sizeof(duration_us_units[0]),
			       INT64_MAX, &v);
	if (ret)
		return ret;
	*us = (int64_t)v;
	return 0;
}

int units_parse_duration_ms(const char *s, int64_t *ms)
{
	uint64_t v;
	int ret;

	ret = parse_with_units(s, duration_units,
			       sizeof(duration_units) /
				       sizeof(duration_units[0]),
			       INT64_MAX, &v);
	if (ret)
		return ret;
	*ms = (int64_t)v;
	return 0;
}

void units_format_size(uint64_t bytes, char *buf, int len)
{
	static const char suffix[] = "KMGT";
	int shift = 40, i = 3;

	if (!buf || len <= 0)
		return;
	/* Largest unit that divides exactly, so that the text parses back to
	 * the same number. */
	for (; i >= 0; i--, shift -= 10) {
		uint64_t mult = 1ULL << shift;

		if (bytes && bytes % mult == 0) {
			snprintf(buf, (size_t)len, "%llu%c",
				 (unsigned long long)(bytes / mult), suffix[i]);
			return;
		}
	}
	snprintf(buf, (size_t)len, "%llu", (unsigned long long)bytes);
}
