// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the KCIDB mapping (harness/analyze/kcidb.c): origins,
 * test paths, the number of a cell in KCIDB's units, gate verdicts as
 * statuses, and a whole export of made-up cells and a gate result. The
 * schema itself is checked in tests/integration/export-kcidb.t. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/kcidb.h"

static void test_origin(void **state)
{
	assert_true(kcidb_origin_valid("mhpbench"));
	assert_true(kcidb_origin_valid("lab_2"));
	assert_false(kcidb_origin_valid(""));
	assert_false(kcidb_origin_valid(NULL));
	assert_false(kcidb_origin_valid("My-Lab"));
	assert_false(kcidb_origin_valid("a:b"));
}

static json_t *cell(const char *extra)
{
	json_error_t e;
	char text[1024];
	json_t *c;

	snprintf(
		text, sizeof(text),
		"{\"kernel\": \"6.1.0-57-amd64\", \"kernel_release\": "
		"\"6.1.0-57-amd64\", \"accel\": \"tcg-icount\", \"memmap\": "
		"\"ram\", \"block_mib\": 128, \"dimm_mib\": 1024, \"node\": 0, "
		"\"phase\": \"online\", \"view\": \"guest\", \"metric\": "
		"\"latency_ns\", \"unit\": \"ns\", \"n\": 3, \"median\": "
		"30530000.0%s}",
		extra);
	c = json_loads(text, 0, &e);
	assert_non_null(c);
	return c;
}

static void test_path(void **state)
{
	char p[512];
	json_t *c = cell("");

	kcidb_cell_path(c, "mhpbench", p, sizeof(p));
	assert_string_equal(
		p, "mhpbench.tcg-icount.block-128M.ram.dimm-1G.online.guest."
		   "latency_ns");
	json_decref(c);
	/* node, fill and target where set; a boot's cell has no DIMM */
	c = cell(", \"node\": 1, \"offline_fill_pct\": 50, \"target_mib\": "
		 "32, \"dimm_mib\": 0");
	kcidb_cell_path(c, "mhpbench.gate", p, sizeof(p));
	assert_string_equal(p, "mhpbench.gate.tcg-icount.block-128M.ram."
			       "node-1.fill-50.target-32M.online.guest."
			       "latency_ns");
	json_decref(c);
	/* gate.json's "no axis" is -1 */
	c = cell(", \"offline_fill_pct\": -1, \"target_mib\": -1, "
		 "\"accel\": \"tc g.x/y\"");
	kcidb_cell_path(c, "m", p, sizeof(p));
	assert_string_equal(
		p, "m.tc_g_x_y.block-128M.ram.dimm-1G.online.guest.latency_ns");
	json_decref(c);
}

/* "VALUE UNIT PREFIX" of a number, "-" for what it lacks. */
static void number_is(const char *unit, const char *accel, const char *view,
		      double v, const char *want)
{
	json_t *n = kcidb_number(unit, accel, view, v);
	char got[128];
	const char *u, *p;

	assert_non_null(n);
	u = json_string_value(json_object_get(n, "unit"));
	p = json_string_value(json_object_get(n, "prefix"));
	snprintf(got, sizeof(got), "%.9g %s %s",
		 json_number_value(json_object_get(n, "value")), u ? u : "-",
		 p ? p : "-");
	assert_string_equal(got, want);
	json_decref(n);
}

static void test_number(void **state)
{
	/* a wall-clock time in seconds; a guest time under tcg-icount is
	 * virtual, in vms (README, "Analysis") */
	number_is("ns", "tcg", "guest", 30530000, "0.03053 s metric");
	number_is("ns", "tcg-icount", "host", 30530000, "0.03053 s metric");
	number_is("ns", "tcg-icount", "guest", 30530000, "30.53 vms -");
	number_is("ns", "tcg-icount", "deep", 1e6, "1 vms -");
	number_is("KiB", "tcg", "guest", 2052, "2101248 B binary");
	number_is("MiB", "tcg", "guest", 2, "2097152 B binary");
	number_is("pages/ms", "tcg-icount", "guest", 812, "812 pages/vms -");
	number_is("pages/ms", "kvm", "guest", 812, "812 pages/ms -");
	number_is("bool", "tcg", "guest", 1, "1 - -");
	number_is("faults", "tcg", "qemu", 27, "27 faults -");
	assert_null(kcidb_number("ns", "tcg", "host", NAN));
	assert_null(kcidb_number("KiB", "tcg", "host", INFINITY));
}

static void test_gate_status(void **state)
{
	assert_string_equal(kcidb_gate_status("same"), "PASS");
	assert_string_equal(kcidb_gate_status("improvement"), "PASS");
	assert_string_equal(kcidb_gate_status("regression"), "FAIL");
	assert_string_equal(kcidb_gate_status("inconclusive"), "SKIP");
	assert_string_equal(kcidb_gate_status("allowed"), "SKIP");
	assert_null(kcidb_gate_status("maybe"));
	assert_null(kcidb_gate_status(NULL));
}

static json_t *load(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);

	if (!j)
		fail_msg("%d: %s", e.line, e.text);
	return j;
}

static const char manifest[] =
	"{\"run_id\": \"R1\", \"started_utc\": \"2026-12-07T03:01:40Z\", "
	"\"host\": {\"hostname\": \"h\", \"machine\": \"x86_64\", \"cpus\": "
	"2}, \"qemu\": {\"version\": \"QEMU 7.2\"}, \"kernels\": ["
	"{\"label\": \"base\", \"image\": \"/b/vmlinuz\", \"source\": "
	"\"debian\"}, {\"label\": \"patched\", \"image\": \"/p/bzImage\", "
	"\"source\": \"dir /p\", \"cmdline_extra\": \"x=1\"}]}";

/* Two kernels' cells, and a gate whose rows folded the kernel (as
 * `gate` does when each side holds one). */
static const char cells[] =
	"[{\"kernel\": \"base\", \"kernel_release\": \"6.1.0\", \"accel\": "
	"\"tcg\", \"memmap\": \"ram\", \"block_mib\": 128, \"dimm_mib\": 128, "
	"\"node\": 0, \"phase\": \"add\", \"view\": \"guest\", \"metric\": "
	"\"memmap_from_ram_kib\", \"unit\": \"KiB\", \"n\": 3, \"median\": "
	"2052.0},"
	" {\"kernel\": \"patched\", \"kernel_release\": \"6.12.0\", "
	"\"accel\": \"tcg\", \"memmap\": \"self\", \"block_mib\": 128, "
	"\"dimm_mib\": 128, \"node\": 0, \"phase\": \"online\", \"view\": "
	"\"host\", \"metric\": \"latency_ns\", \"unit\": \"ns\", \"n\": 3, "
	"\"median\": 12890000.0}]";

static const char gate[] =
	"{\"verdict\": \"regression\", \"counts\": {\"regression\": 1, "
	"\"inconclusive\": 0, \"same\": 1, \"improvement\": 0}, "
	"\"baseline\": {\"run_id\": \"R0\"}, \"candidate\": {\"run_id\": "
	"\"R1\", \"kernel\": \"base\", \"accel\": \"tcg\", \"block_mib\": "
	"128}, \"rows\": ["
	"{\"kernel\": \"\", \"accel\": \"\", \"block_mib\": 0, \"memmap\": "
	"\"ram\", \"dimm_mib\": 128, \"node\": 0, \"target_mib\": -1, "
	"\"offline_fill_pct\": -1, \"phase\": \"online\", \"view\": "
	"\"guest\", \"metric\": \"latency_ns\", \"verdict\": \"regression\", "
	"\"reason\": \"p < 0.05 and the CI is above\", \"p\": null, "
	"\"change_pct\": -5.3},"
	" {\"kernel\": \"\", \"accel\": \"\", \"block_mib\": 0, \"memmap\": "
	"\"self\", \"dimm_mib\": 128, \"node\": 0, \"target_mib\": -1, "
	"\"offline_fill_pct\": -1, \"phase\": \"online\", \"view\": "
	"\"guest\", \"metric\": \"latency_ns\", \"verdict\": \"same\", "
	"\"reason\": \"within\"}], "
	"\"missing\": [{\"memmap\": \"self\", \"dimm_mib\": 128, \"node\": "
	"0, \"target_mib\": -1, \"offline_fill_pct\": -1, \"phase\": "
	"\"add\", \"view\": \"guest\", \"metric\": \"self_hosted\", "
	"\"verdict\": \"allowed\", \"reason\": \"self mode unsupported\"}]}";

/* The test of @path in @out, or NULL. */
static const json_t *test_at(const json_t *out, const char *path)
{
	const json_t *t;
	size_t i;

	json_array_foreach(json_object_get(out, "tests"), i, t)
	{
		if (!strcmp(json_string_value(json_object_get(t, "path")),
			    path))
			return t;
	}
	return NULL;
}

static const char *s(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void test_export(void **state)
{
	json_t *m = load(manifest), *c = load(cells), *g = load(gate);
	json_t *c0 = json_deep_copy(c), *out;
	const json_t *t, *b;
	char err[256] = "";

	out = kcidb_export(m, c, NULL, "mhpbench", err, sizeof(err));
	assert_non_null(out);
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(out, "version"), "major")),
			 5);
	/* a checkout and a build per kernel, the build on its checkout */
	assert_int_equal(json_array_size(json_object_get(out, "checkouts")), 2);
	b = json_array_get(json_object_get(out, "builds"), 1);
	assert_string_equal(s(b, "id"), "mhpbench:R1/patched");
	assert_string_equal(s(b, "checkout_id"), "mhpbench:R1/patched");
	assert_string_equal(s(b, "architecture"), "x86_64");
	assert_string_equal(s(json_object_get(b, "misc"), "cmdline_extra"),
			    "x=1");
	assert_int_equal(json_array_size(json_object_get(out, "tests")), 2);
	t = test_at(out, "mhpbench.tcg.block-128M.self.dimm-128M.online.host."
			 "latency_ns");
	assert_non_null(t);
	assert_string_equal(s(t, "status"), "DONE");
	assert_string_equal(s(t, "build_id"), "mhpbench:R1/patched");
	assert_string_equal(s(t, "id"),
			    "mhpbench:R1/patched/mhpbench.tcg.block-128M.self."
			    "dimm-128M.online.host.latency_ns");
	assert_true(fabs(json_number_value(json_object_get(
				 json_object_get(t, "number"), "value")) -
			 0.01289) < 1e-12);
	assert_string_equal(s(json_object_get(t, "misc"), "run_id"), "R1");
	assert_string_equal(s(t, "start_time"), "2026-12-07T03:01:40Z");
	assert_true(json_equal(c, c0)); /* the cells are not changed */
	json_decref(out);

	/* with the gate: a test per verdict, on the candidate's kernel */
	out = kcidb_export(m, c, g, "lab", err, sizeof(err));
	assert_non_null(out);
	assert_int_equal(json_array_size(json_object_get(out, "tests")),
			 2 + 3 + 1);
	t = test_at(out, "mhpbench.gate.tcg.block-128M.ram.dimm-128M.online."
			 "guest.latency_ns");
	assert_non_null(t);
	assert_string_equal(s(t, "status"), "FAIL");
	assert_string_equal(s(t, "build_id"), "lab:R1/base");
	assert_string_equal(s(t, "comment"), "p < 0.05 and the CI is above");
	/* no nulls: an undefined p stays out */
	assert_null(json_object_get(json_object_get(t, "misc"), "p"));
	assert_string_equal(s(json_object_get(t, "misc"), "baseline"), "R0");
	t = test_at(out, "mhpbench.gate.tcg.block-128M.self.dimm-128M.online."
			 "guest.latency_ns");
	assert_string_equal(s(t, "status"), "PASS");
	t = test_at(out, "mhpbench.gate.tcg.block-128M.self.dimm-128M.add."
			 "guest.self_hosted");
	assert_non_null(t);
	assert_string_equal(s(t, "status"), "SKIP");
	t = test_at(out, "mhpbench.gate");
	assert_non_null(t);
	assert_string_equal(s(t, "status"), "FAIL");
	json_decref(out);

	/* a gate about another run, or with a verdict mhpbench never
	 * writes, is refused */
	json_object_set_new(json_object_get(g, "candidate"), "run_id",
			    json_string("R9"));
	assert_null(kcidb_export(m, c, g, "lab", err, sizeof(err)));
	assert_non_null(strstr(err, "about run 'R9', not this run (R1)"));
	json_object_set_new(json_object_get(g, "candidate"), "run_id",
			    json_string("R1"));
	json_object_set_new(json_array_get(json_object_get(g, "rows"), 1),
			    "verdict", json_string("maybe"));
	assert_null(kcidb_export(m, c, g, "lab", err, sizeof(err)));
	assert_non_null(strstr(err, "unknown verdict 'maybe'"));
	json_decref(c0);
	json_decref(m);
	json_decref(c);
	json_decref(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_origin),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_number),
		cmocka_unit_test(test_gate_status),
		cmocka_unit_test(test_export),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
