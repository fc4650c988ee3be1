// SPDX-License-Identifier: GPL-2.0-or-later
/* Deep metrics on the host side: the reply parsers (recorded replies of
 * the real agent, tests/data/agent/) and the summary rows built from
 * them. The NUMA spec parser's tests are in test_numa.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "run/deep.h"
#include "results/deepreport.h"

#include <errno.h>
#include <string.h>

#define DATA "tests/data/agent/"

static json_t *load(const char *name)
{
	json_error_t e;
	json_t *j = json_load_file(name, 0, &e);

	if (!j)
		fail_msg("%s:%d: %s", name, e.line, e.text);
	return j;
}

static void probe_reply(void **state)
{
	json_t *r = load(DATA "probe_block_self.json");
	struct deep_probe p;

	assert_int_equal(deep_parse_probe(r, &p), 0);
	assert_int_equal(p.memmap_node, 1);
	assert_int_equal(p.block_node, 1);
	assert_int_equal(p.self_hosted, 1);
	assert_true(p.local_fraction == 1.0);
	assert_true(p.cold_ns_per_page > 7.5 && p.cold_ns_per_page < 7.6);
	assert_true(p.warm_ns_per_page > 3.5 && p.warm_ns_per_page < 3.7);
	/* A reply without the placement is refused, not read as zeros. */
	json_object_del(r, "memmap_local_fraction");
	assert_int_equal(deep_parse_probe(r, &p), -EPROTO);
	json_decref(r);
}

static void trace_reply(void **state)
{
	json_t *r = load(DATA "online_traced_ram.json");
	struct deep_trace t;
	int found = 0;

	assert_int_equal(deep_parse_trace(r, &t), 0);
	assert_int_equal(t.total_ns, 49047310);
	assert_int_equal(t.children_ns, 47647369);
	assert_int_equal(t.n, 7);
	for (int i = 0; i < t.n; i++)
		if (!strcmp(t.fn[i].name, "online_pages")) {
			assert_int_equal(t.fn[i].total_ns, 31753010);
			assert_int_equal(t.fn[i].calls, 1);
			found = 1;
		}
	assert_true(found);
	json_object_del(r, "trace");
	assert_int_equal(deep_parse_trace(r, &t), -EPROTO);
	json_decref(r);
}

/* trace_depth 3: a child with children is split into them and its own
 * body, so the leaves still add up to the child. */
static void trace_nested(void **state)
{
	json_t *r = json_pack(
		"{s:{s:I,s:I,s:{s:{s:i,s:I,s:{s:{s:i,s:I},s:{s:i,s:I}}},"
		"s:{s:i,s:I}}}}",
		"trace", "total_ns", (json_int_t)100, "children_ns",
		(json_int_t)90, "children", "online_pages", "calls", 1,
		"total_ns", (json_int_t)80, "children",
		"move_pfn_range_to_zone", "calls", 1, "total_ns",
		(json_int_t)50, "online_pages_range", "calls", 1, "total_ns",
		(json_int_t)20, "mem_hotplug_begin", "calls", 1, "total_ns",
		(json_int_t)10);
	struct deep_trace t;
	int64_t sum = 0, self = -1;

	assert_non_null(r);
	assert_int_equal(deep_parse_trace(r, &t), 0);
	assert_int_equal(t.n, 4);
	for (int i = 0; i < t.n; i++) {
		sum += t.fn[i].total_ns;
		if (!strcmp(t.fn[i].name, "online_pages_self"))
			self = t.fn[i].total_ns;
	}
	assert_int_equal(self, 10);
	assert_int_equal(sum, 90);
	json_decref(r);
}

/* trace_depth 4: the zone resize under online_pages is split too, so
 * set_zone_contiguous (the walk of the whole zone) is a line of its own;
 * mhp_init_memmap_on_memory (self mode's first resize, for the memmap's
 * own pages) stays whole. Leaves still add up. */
static void trace_zone_walk(void **state)
{
	json_t *r = json_pack(
		"{s:{s:I,s:I,s:{s:{s:i,s:I,s:{s:{s:i,s:I,s:{s:{s:i,s:I}}}}},"
		"s:{s:i,s:I,s:{s:{s:i,s:I,s:{s:{s:i,s:I}}}}}}}}",
		"trace", "total_ns", (json_int_t)200, "children_ns",
		(json_int_t)190, "children", "online_pages", "calls", 1,
		"total_ns", (json_int_t)120, "children",
		"move_pfn_range_to_zone", "calls", 1, "total_ns",
		(json_int_t)100, "children", "set_zone_contiguous", "calls", 1,
		"total_ns", (json_int_t)70, "mhp_init_memmap_on_memory",
		"calls", 1, "total_ns", (json_int_t)70, "children",
		"move_pfn_range_to_zone", "calls", 1, "total_ns",
		(json_int_t)65, "children", "set_zone_contiguous", "calls", 1,
		"total_ns", (json_int_t)60);
	struct deep_trace t;
	int64_t sum = 0;
	int seen = 0;

	assert_non_null(r);
	assert_int_equal(deep_parse_trace(r, &t), 0);
	for (int i = 0; i < t.n; i++) {
		sum += t.fn[i].total_ns;
		if (!strcmp(t.fn[i].name, "set_zone_contiguous")) {
			/* under online_pages only: mhp_init_memmap_on_memory
			 * stays whole */
			assert_int_equal(t.fn[i].total_ns, 70);
			seen |= 1;
		}
		if (!strcmp(t.fn[i].name, "move_pfn_range_to_zone_self")) {
			assert_int_equal(t.fn[i].total_ns, 30);
			seen |= 2;
		}
		if (!strcmp(t.fn[i].name, "online_pages_self")) {
			assert_int_equal(t.fn[i].total_ns, 20);
			seen |= 4;
		}
		if (!strcmp(t.fn[i].name, "mhp_init_memmap_on_memory")) {
			assert_int_equal(t.fn[i].total_ns, 70);
			seen |= 8;
		}
	}
	assert_int_equal(seen, 15);
	assert_int_equal(sum, 190);
	json_decref(r);
}

/* No PMU: nothing counts, and the note carries each reason. */
static void pmu_unavailable(void **state)
{
	json_t *r = load(DATA "pmu_open_nopmu.json");
	json_t *m = json_pack("{s:[{s:O}]}", "boots", "pmu",
			      json_object_get(r, "events"));
	struct deep_counts c;
	json_t *note;

	assert_int_equal(deep_parse_counts(r, &c), 0);
	assert_int_equal(c.n, 0);
	note = deepreport_pmu_note(m);
	assert_non_null(note);
	assert_non_null(strstr(json_string_value(note),
			       "cycles: unavailable: no PMU for this event"));
	assert_non_null(
		strstr(json_string_value(note), "instructions: unavailable: "));
	json_decref(note);
	json_decref(m);
	json_decref(r);
}

static void pmu_counts(void **state)
{
	json_t *r = json_pack("{s:[{s:s,s:b,s:f,s:b},{s:s,s:b,s:s}]}", "events",
			      "event", "cycles", "available", 1, "value",
			      1234.0, "multiplexed", 1, "event", "bogus",
			      "available", 0, "reason", "no such event");
	struct deep_counts c;

	assert_int_equal(deep_parse_counts(r, &c), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.ev[0].name, "cycles");
	assert_true(c.ev[0].value == 1234.0 && c.ev[0].multiplexed);
	json_decref(r);
}

static json_t *cell(const char *memmap, const char *phase, const char *view,
		    const char *metric, double median)
{
	return json_pack("{s:s,s:s,s:s,s:i,s:i,s:i,s:s,s:s,s:s,s:f}", "kernel",
			 "6.1", "accel", "tcg", "memmap", memmap, "block_mib",
			 128, "dimm_mib", 128, "node", 1, "phase", phase,
			 "view", view, "metric", metric, "median", median);
}

static void breakdown_rows(void **state)
{
	json_t *cells = json_array(), *d, *row, *kids;

	json_array_append_new(
		cells, cell("ram", "online", "deep", "fn_total_ns", 100e6));
	json_array_append_new(
		cells, cell("ram", "online", "deep", "fn_other_ns", 30e6));
	json_array_append_new(
		cells, cell("ram", "online", "deep", "fn_small_ns", 20e6));
	json_array_append_new(cells, cell("ram", "online", "deep",
					  "fn_online_pages_ns", 50e6));
	json_array_append_new(cells, cell("ram", "online", "deep",
					  "fn_online_pages_calls", 1));
	json_array_append_new(
		cells, cell("ram", "online", "deep", "latency_ns", 101e6));
	json_array_append_new(
		cells, cell("ram", "online", "guest", "latency_ns", 50.5e6));
	json_array_append_new(cells, cell("ram", "online", "deep",
					  "memmap_local_fraction", 0));
	json_array_append_new(
		cells, cell("ram", "online", "deep", "memmap_walker_local", 1));
	d = deepreport_json(cells);
	assert_non_null(d);
	row = json_array_get(json_object_get(d, "breakdown"), 0);
	kids = json_object_get(row, "children");
	assert_int_equal(json_array_size(kids), 2);
	/* Largest first, calls are not a child, percent of the total. */
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(kids, 0), "function")),
			    "online_pages");
	assert_true(json_real_value(json_object_get(json_array_get(kids, 0),
						    "pct_of_total")) == 50.0);
	assert_true(json_real_value(json_object_get(row, "coverage_pct")) ==
		    70.0);
	assert_true(json_real_value(json_object_get(
			    json_object_get(row, "tracing_overhead"),
			    "ratio")) == 2.0);
	assert_string_equal(
		json_string_value(json_object_get(
			json_array_get(json_object_get(d, "locality"), 0),
			"walk")),
		"local");
	json_decref(d);
	json_decref(cells);
	cells = json_array(); /* borrowed by deepreport_json */
	assert_null(deepreport_json(cells));
	json_decref(cells);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(probe_reply),
		cmocka_unit_test(trace_reply),
		cmocka_unit_test(trace_nested),
		cmocka_unit_test(trace_zone_walk),
		cmocka_unit_test(pmu_unavailable),
		cmocka_unit_test(pmu_counts),
		cmocka_unit_test(breakdown_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
