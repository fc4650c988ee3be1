// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for harness/base/units.c: sizes and durations as written in job
 * files, checked against numbers worked out by hand. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/units.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define KIB (1ULL << 10)
#define MIB (1ULL << 20)
#define GIB (1ULL << 30)
#define TIB (1ULL << 40)

struct size_case {
	const char *text;
	int ret;
	uint64_t bytes;
};

static const struct size_case size_cases[] = {
	{"0", 0, 0},
	{"1", 0, 1},
	{"4096", 0, 4096},
	{"007", 0, 7},
	{"1K", 0, KIB},
	{"1k", 0, KIB},
	{"1KiB", 0, KIB},
	{"1kib", 0, KIB},
	{"1KIB", 0, KIB},
	{"128M", 0, 128 * MIB},
	{"128m", 0, 128 * MIB},
	{"128MiB", 0, 128 * MIB},
	{"128mIb", 0, 128 * MIB},
	{"1536M", 0, 1536 * MIB},
	{"2G", 0, 2 * GIB},
	{"2g", 0, 2 * GIB},
	{"2GiB", 0, 2 * GIB},
	{"1T", 0, TIB},
	{"1t", 0, TIB},
	{"1TiB", 0, TIB},
	/* the largest that fits: 2^64 - 1 bytes, and 2^64 - 1T */
	{"18446744073709551615", 0, UINT64_MAX},
	{"16777215T", 0, 16777215 * TIB},
	{"17179869183G", 0, 17179869183ULL * GIB},
	/* overflow */
	{"18446744073709551616", -ERANGE, 0},
	{"99999999999999999999999", -ERANGE, 0},
	{"16777216T", -ERANGE, 0},
	{"17179869184G", -ERANGE, 0},
	{"18014398509481984K", -ERANGE, 0},
	/* negatives and garbage */
	{"-1", -EINVAL, 0},
	{"-128M", -EINVAL, 0},
	{"+128M", -EINVAL, 0},
	{"", -EINVAL, 0},
	{"M", -EINVAL, 0},
	{"G128", -EINVAL, 0},
	{"abc", -EINVAL, 0},
	{"12X", -EINVAL, 0},
	{"12MB", -EINVAL, 0},
	{"12KB", -EINVAL, 0},
	{"12Mi", -EINVAL, 0},
	{"12MiBs", -EINVAL, 0},
	{"1.5G", -EINVAL, 0},
	{"0x10", -EINVAL, 0},
	{" 128M", -EINVAL, 0},
	{"128M ", -EINVAL, 0},
	{"128 M", -EINVAL, 0},
	{"1e3", -EINVAL, 0},
	{"128M128", -EINVAL, 0},
};

static void test_parse_size(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(size_cases); i++) {
		const struct size_case *c = &size_cases[i];
		uint64_t v = 0xdeadbeef;
		int ret = units_parse_size(c->text, &v);

		if (ret != c->ret)
			fail_msg("units_parse_size(\"%s\") = %d, want %d",
				 c->text, ret, c->ret);
		if (!ret && v != c->bytes)
			fail_msg("units_parse_size(\"%s\") gave %llu, want "
				 "%llu",
				 c->text, (unsigned long long)v,
				 (unsigned long long)c->bytes);
		/* a failed parse must leave the output alone */
		if (ret && v != 0xdeadbeef)
			fail_msg("units_parse_size(\"%s\") wrote on error",
				 c->text);
	}
}

static void test_parse_size_null(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(units_parse_size(NULL, &v), -EINVAL);
}

struct duration_case {
	const char *text;
	int ret;
	int64_t ms;
};

static const struct duration_case duration_cases[] = {
	{"0", 0, 0},
	{"1", 0, 1000},
	{"120", 0, 120000},
	{"0ms", 0, 0},
	{"1ms", 0, 1},
	{"500ms", 0, 500},
	{"500MS", 0, 500},
	{"1500ms", 0, 1500},
	{"30s", 0, 30000},
	{"30S", 0, 30000},
	{"2m", 0, 120000},
	{"2M", 0, 120000},
	{"90m", 0, 5400000},
	{"1h", 0, 3600000},
	{"24H", 0, 86400000},
	/* INT64_MAX ms fits, one more does not */
	{"9223372036854775807ms", 0, INT64_MAX},
	{"9223372036854775808ms", -ERANGE, 0},
	{"9223372036854775807", -ERANGE, 0},
	{"9223372036854775s", 0, 9223372036854775000LL},
	{"9223372036854776s", -ERANGE, 0},
	{"2562047788015216h", -ERANGE, 0},
	{"99999999999999999999999ms", -ERANGE, 0},
	/* negatives and garbage */
	{"-1", -EINVAL, 0},
	{"-5s", -EINVAL, 0},
	{"", -EINVAL, 0},
	{"s", -EINVAL, 0},
	{"ms", -EINVAL, 0},
	{"soon", -EINVAL, 0},
	{"1.5s", -EINVAL, 0},
	{"10sec", -EINVAL, 0},
	{"10 s", -EINVAL, 0},
	{" 10s", -EINVAL, 0},
	{"10us", -EINVAL, 0},
	{"10d", -EINVAL, 0},
	{"1h30m", -EINVAL, 0},
	{"0x10", -EINVAL, 0},
};

static void test_parse_duration(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(duration_cases); i++) {
		const struct duration_case *c = &duration_cases[i];
		int64_t v = -42;
		int ret = units_parse_duration_ms(c->text, &v);

		if (ret != c->ret)
			fail_msg("units_parse_duration_ms(\"%s\") = %d, want "
				 "%d",
				 c->text, ret, c->ret);
		if (!ret && v != c->ms)
			fail_msg("units_parse_duration_ms(\"%s\") gave %lld, "
				 "want %lld",
				 c->text, (long long)v, (long long)c->ms);
		if (ret && v != -42)
			fail_msg("units_parse_duration_ms(\"%s\") wrote on "
				 "error",
				 c->text);
	}
}

static void test_parse_duration_null(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(units_parse_duration_ms(NULL, &v), -EINVAL);
}

struct format_case {
	uint64_t bytes;
	const char *text;
};

static const struct format_case format_cases[] = {
	{0, "0"},
	{1, "1"},
	{1023, "1023"},
	{1024, "1K"},
	{1536, "1536"},
	{3 * KIB, "3K"},
	{MIB, "1M"},
	{128 * MIB, "128M"},
	{1536 * MIB, "1536M"},
	{2 * GIB, "2G"},
	{64 * GIB, "64G"},
	{GIB + MIB, "1025M"},
	{TIB, "1T"},
	{1024 * TIB, "1024T"},
	{TIB + GIB, "1025G"},
	{UINT64_MAX, "18446744073709551615"},
	{16777215 * TIB, "16777215T"},
};

static void test_format_size(void **state)
{
	char buf[32];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(format_cases); i++) {
		units_format_size(format_cases[i].bytes, buf, sizeof(buf));
		assert_string_equal(buf, format_cases[i].text);
	}
}

static void test_format_size_truncates(void **state)
{
	char buf[4] = "xxx";

	(void)state;
	units_format_size(1536 * MIB, buf, sizeof(buf));
	assert_string_equal(buf, "153");
	/* no room at all: nothing is written, nothing crashes */
	units_format_size(128 * MIB, buf, 0);
	assert_string_equal(buf, "153");
	units_format_size(128 * MIB, NULL, 8);
}

/* Whatever is formatted must parse back to the same number. */
static void test_format_parse_round_trip(void **state)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL, v, back;
	char buf[32];
	int i;

	(void)state;
	for (i = 0; i < 10000; i++) {
		/* xorshift64, then keep a random number of low zero bits so
		 * that every unit gets used */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		v = (x >> (x % 40)) << (x % 43);
		units_format_size(v, buf, sizeof(buf));
		assert_int_equal(units_parse_size(buf, &back), 0);
		assert_true(back == v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_parse_size_null),
		cmocka_unit_test(test_parse_duration),
		cmocka_unit_test(test_parse_duration_null),
		cmocka_unit_test(test_format_size),
		cmocka_unit_test(test_format_size_truncates),
		cmocka_unit_test(test_format_parse_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
