// SPDX-License-Identifier: GPL-2.0-or-later
/* The function_graph text parser of the agent's online_traced and
 * offline_traced ops (guest-images/agent/ftrace_parse.c): hand-made
 * traces for each feature of the format, and traces recorded in a Debian
 * 6.1 guest (tests/data/ftrace, or $MHP_FTRACE_DATA). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "ftrace_parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void parse(const char *text, const char *entry, struct ftrace_graph *g)
{
	assert_int_equal(ftrace_graph_parse(text, strlen(text), entry, g), 0);
}

/* The node reached from the entry by a path "a/b/c", or -1. */
static int node_at(const struct ftrace_graph *g, const char *path)
{
	char buf[512], *tok, *save;
	int idx = 0;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, "/", &save); tok;
	     tok = strtok_r(NULL, "/", &save)) {
		int c;

		for (c = g->nodes[idx].first_child; c >= 0;
		     c = g->nodes[c].next_sibling)
			if (!strcmp(g->nodes[c].name, tok))
				break;
		if (c < 0)
			return -1;
		idx = c;
	}
	return idx;
}

static void expect_node(const struct ftrace_graph *g, const char *path,
			unsigned long calls, uint64_t ns)
{
	int idx = node_at(g, path);

	if (idx < 0)
		fail_msg("no node %s", path);
	assert_int_equal(g->nodes[idx].calls, calls);
	assert_int_equal(g->nodes[idx].total_ns, ns);
}

static int nchildren(const struct ftrace_graph *g, int idx)
{
	int n = 0;

	for (int c = g->nodes[idx].first_child; c >= 0;
	     c = g->nodes[c].next_sibling)
		n++;
	return n;
}

/* Duration formats (7 significant digits, fraction truncated), overhead
 * markers, bare '}' closes, CPU column without a task column. */
static void test_durations_and_markers(void **state)
{
	/* One trace line per source line. */
	/* clang-format off */
	static const char text[] =
		"# tracer: function_graph\n"
		"#\n"
		"# CPU  DURATION                  FUNCTION CALLS\n"
		"# |     |   |                     |   |   |   |\n"
		" 0)               |  online_pages() {\n"
		" 0)   1.500 us    |    a();\n"
		" 0)               |    b() {\n"
		" 0)   0.250 us    |      c();\n"
		" 0) + 12.345 us   |    }\n"
		" 0) ! 123.456 us  |    d();\n"
		" 0) # 1234.567 us |    e();\n"
		" 0) * 12345.67 us |    f();\n"
		" 0) @ 123456.7 us |    g();\n"
		" 0) $ 1234567 us  |    h();\n"
		" 0) $ 1400000 us  |  }\n";
	/* clang-format on */
	struct ftrace_graph g;

	(void)state;
	parse(text, "online_pages", &g);
	expect_node(&g, "", 1, 1400000000ULL);
	expect_node(&g, "a", 1, 1500);
	expect_node(&g, "b", 1, 12345);
	expect_node(&g, "b/c", 1, 250);
	expect_node(&g, "d", 1, 123456);
	expect_node(&g, "e", 1, 1234567);
	expect_node(&g, "f", 1, 12345670);
	expect_node(&g, "g", 1, 123456700);
	expect_node(&g, "h", 1, 1234567000ULL);
	assert_int_equal(nchildren(&g, 0), 7);
	/* Children in the order they were first called. */
	assert_string_equal(g.nodes[g.nodes[0].first_child].name, "a");
	assert_int_equal(ftrace_graph_children_ns(&g, 0), 1371741238ULL);
	assert_int_equal(g.lines, 15);
	assert_int_equal(g.unattributed, 0);
	assert_int_equal(g.unparsed, 0);
	assert_int_equal(g.mismatched, 0);
	assert_int_equal(g.no_duration, 0);
	ftrace_graph_free(&g);
}

/* Repeated calls of one function from one place are one node. */
static void test_aggregation(void **state)
{
	/* One trace line per source line. */
	/* clang-format off */
	static const char text[] =
		" 1)               |  online_pages() {\n"
		" 1) + 16.014 us   |    generic_online_page();\n"
		" 1) + 21.172 us   |    generic_online_page();\n"
		" 1)               |    undo_isolate_page_range() {\n"
		" 1)   1.000 us    |      generic_online_page();\n"
		" 1)   2.000 us    |    } /* undo_isolate_page_range */\n"
		" 1) + 15.924 us   |    generic_online_page();\n"
		" 1) + 60.000 us   |  } /* online_pages */\n";
	/* clang-format on */
	struct ftrace_graph g;
	unsigned long calls;
	uint64_t ns;

	(void)state;
	parse(text, "online_pages", &g);
	expect_node(&g, "generic_online_page", 3, 53110);
	expect_node(&g, "undo_isolate_page_range/generic_online_page", 1, 1000);
	assert_int_equal(nchildren(&g, 0), 2);
	/* Over the tree: both places. */
	ftrace_graph_sum(&g, "generic_online_page", &calls, &ns);
	assert_int_equal(calls, 4);
	assert_int_equal(ns, 54110);
	ftrace_graph_sum(&g, "online_pages", &calls, &ns);
	assert_int_equal(calls, 1);
	assert_int_equal(ns, 60000);
	ftrace_graph_sum(&g, "not_called", &calls, &ns);
	assert_int_equal(calls, 0);
	assert_int_equal(ns, 0);
	ftrace_graph_free(&g);
}

/* With a task column (funcgraph-proc) the nesting follows the task from
 * CPU 0 to CPU 1; other tasks' calls are not the entry's. */
static void test_task_migrates(void **state)
{
	/* One trace line per source line. */
	/* clang-format off */
	static const char text[] =
		" 0)   mhp-age-96   |               |  memory_subsys_offline() {\n"
		" 0)   mhp-age-96   |               |    offline_pages() {\n"
		" 0)   mhp-age-96   |   2.000 us    |      PageHuge();\n"
		" ------------------------------------------\n"
		" 0)   mhp-age-96   =>  kworke-12   \n"
		" ------------------------------------------\n"
		"\n"
		" 0)   kworke-12    |   5.000 us    |  process_one_work();\n"
		" 1)   mhp-age-96   |   3.000 us    |      PageHuge();\n"
		" 1)   mhp-age-96   | + 20.000 us   |    } /* offline_pages */\n"
		" 1)   mhp-age-96   | + 30.000 us   |  } /* memory_subsys_offline */\n";
	/* clang-format on */
	struct ftrace_graph g;

	(void)state;
	parse(text, "memory_subsys_offline", &g);
	expect_node(&g, "", 1, 30000);
	expect_node(&g, "offline_pages", 1, 20000);
	expect_node(&g, "offline_pages/PageHuge", 2, 5000);
	assert_int_equal(g.unattributed, 1); /* the kworker's call */
	assert_int_equal(g.mismatched, 0);
	ftrace_graph_free(&g);
}

/* Without a task column nesting is per CPU: the return on the other CPU
 * cannot be attributed, except the entry's, which its comment names. */
static void test_cpu_migrates_without_task_column(void **state)
{
	/* One trace line per source line. */
	/* clang-format off */
	static const char text[] =
		" 0)               |  memory_subsys_offline() {\n"
		" 0)               |    offline_pages() {\n"
		" 0)   2.000 us    |      PageHuge();\n"
		" 1)   3.000 us    |      PageHuge();\n"
		" 1) + 20.000 us   |    } /* offline_pages */\n"
		" 1) + 30.000 us   |  } /* memory_subsys_offline */\n";
	/* clang-format on */
	struct ftrace_graph g;

	(void)state;
	parse(text, "memory_subsys_offline", &g);
	expect_node(&g, "", 1, 30000);
	expect_node(&g, "offline_pages", 0, 0);
	expect_node(&g, "offline_pages/PageHuge", 1, 2000);
	assert_int_equal(g.unattributed, 2);
	ftrace_graph_free(&g);
}

/* "[LOST n EVENTS]": counted, and what follows is not guessed at. */
static void test_lost_events(void **state)
{
	/* One trace line per source line. */
	/* clang-format off */
	static const char text[] =
		" 0)               |  online_pages() {\n"
		" 0)               |    a() {\n"
		"CPU:0 [LOST 42 EVENTS]\n"
		" 0)   1.000 us    |      b();\n"
		" 0) + 10.000 us   |    } /* a */\n"
		" 0) + 50.000 us   |  } /* online_pages */\n";
	/* clang-format on */
	struct ftrace_graph g;

	(void)state;
	parse(text, "online_pages", &g);
	assert_int_equal(g.lost_events, 42);
	expect_node(&g, "", 1, 50000);
	expect_node(&g, "a", 0, 0);
	assert_int_equal(g.unattributed, 2);
	ftrace_graph_free(&g);
}

/* funcgraph-abstime, irq markers, comments, a module symbol, a ".isra.0"
 * suffix, the entry called inside itself, CRLF line ends. */
static void test_columns_and_oddities(void **state)
{
	/* One trace line per source line. */
	/* clang-format off */
	static const char text[] =
		"  100.000001 |   0)               |  do_migrate_range.isra.0() {\r\n"
		"  100.000002 |   0)   ==========> |\r\n"
		"  100.000003 |   0)   1.000 us    |    irq_handler();\r\n"
		"  100.000004 |   0)   <========== |\r\n"
		"  100.000005 |   0)               |    /* mhp: mark | here */\r\n"
		"  100.000006 |   0)               |    probe_fn [mhp_probe]() {\r\n"
		"  100.000007 |   0)   2.000 us    |      do_migrate_range.isra.0();\r\n"
		"  100.000008 |   0)   3.000 us    |    } /* probe_fn [mhp_probe] */\r\n"
		"  100.000009 |   0) + 10.000 us   |  } /* do_migrate_range.isra.0 */\r\n";
	/* clang-format on */
	struct ftrace_graph g;
	unsigned long calls;
	uint64_t ns;

	(void)state;
	parse(text, "do_migrate_range", &g);
	expect_node(&g, "", 1, 10000);
	expect_node(&g, "irq_handler", 1, 1000);
	expect_node(&g, "probe_fn", 1, 3000);
	expect_node(&g, "probe_fn/do_migrate_range.isra.0", 1, 2000);
	assert_int_equal(g.nested_entries, 1);
	/* Outermost calls only: the recursion is not counted twice. */
	ftrace_graph_sum(&g, "do_migrate_range", &calls, &ns);
	assert_int_equal(calls, 1);
	assert_int_equal(ns, 10000);
	assert_int_equal(g.unattributed, 0);
	assert_int_equal(g.unparsed, 1); /* the comment holding a '|' */
	assert_int_equal(g.mismatched, 0);
	ftrace_graph_free(&g);
}

/* A return whose comment names another function than the open one. */
static void test_mismatch(void **state)
{
	/* One trace line per source line. */
	/* clang-format off */
	static const char text[] = " 0)               |  online_pages() {\n"
				   " 0)               |    a() {\n"
				   " 0)   1.000 us    |    } /* b */\n"
				   " 0)   5.000 us    |  }\n";
	/* clang-format on */
	struct ftrace_graph g;

	(void)state;
	parse(text, "online_pages", &g);
	assert_int_equal(g.mismatched, 1);
	assert_int_equal(g.unattributed, 1);
	expect_node(&g, "", 1, 5000);
	ftrace_graph_free(&g);
}

/* Calls outside the entry, lines that are no call, no duration column. */
static void test_outside_and_garbage(void **state)
{
	/* One trace line per source line. */
	/* clang-format off */
	static const char text[] = " 0)   1.000 us    |  other();\n"
				   " 0)   1.000 us    |  ??? what\n"
				   "garbage without a bar\n"
				   " 0)               |  online_pages() {\n"
				   " 0)               |    a();\n"
				   " 0)   7.000 us    |  }\n"
				   " 0)   1.000 us    |  other();";
	/* clang-format on */
	struct ftrace_graph g;

	(void)state;
	parse(text, "online_pages", &g);
	expect_node(&g, "", 1, 7000);
	expect_node(&g, "a", 1, 0);
	assert_int_equal(g.no_duration, 1);
	assert_int_equal(g.unattributed, 2);
	assert_int_equal(g.unparsed, 1);
	assert_int_equal(g.lines, 7);
	ftrace_graph_free(&g);
}

static void test_bad_args(void **state)
{
	struct ftrace_graph g;

	(void)state;
	assert_int_equal(ftrace_graph_parse("x", 1, NULL, &g), -EINVAL);
	assert_int_equal(ftrace_graph_parse("x", 1, "", &g), -EINVAL);
	assert_int_equal(ftrace_graph_parse(NULL, 1, "f", &g), -EINVAL);
	assert_int_equal(ftrace_graph_parse("x", 1, "f", NULL), -EINVAL);
	/* Empty text: just the entry, never called. */
	assert_int_equal(ftrace_graph_parse("", 0, "f", &g), 0);
	assert_int_equal(g.nnodes, 1);
	assert_int_equal(g.nodes[0].calls, 0);
	ftrace_graph_free(&g);
	ftrace_graph_free(&g); /* twice is fine */
}

static void test_name_eq(void **state)
{
	(void)state;
	assert_true(ftrace_name_eq("do_migrate_range", "do_migrate_range"));
	assert_true(
		ftrace_name_eq("do_migrate_range.isra.0", "do_migrate_range"));
	assert_true(ftrace_name_eq("f.constprop.0", "f.part.0"));
	assert_false(ftrace_name_eq("online_pages", "online_pages_range"));
	assert_false(ftrace_name_eq("online_pages_range", "online_pages"));
	assert_false(ftrace_name_eq("", "f"));
}

/* Recorded traces ------------------------------------------------------ */

static const char *data_dir(void)
{
	const char *d = getenv("MHP_FTRACE_DATA");

	return d ? d : "tests/data/ftrace";
}

static char *load(const char *name, size_t *len)
{
	char path[512];
	char *buf;
	long n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", data_dir(), name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s: %s (run from the repository root, or set "
			 "MHP_FTRACE_DATA)",
			 path, strerror(errno));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void parse_file(const char *name, const char *entry,
		       struct ftrace_graph *g)
{
	size_t len;
	char *text = load(name, &len);

	assert_int_equal(ftrace_graph_parse(text, len, entry, g), 0);
	free(text);
	/* A clean recording: everything lands in the tree. */
	assert_int_equal(g->unattributed, 0);
	assert_int_equal(g->unparsed, 0);
	assert_int_equal(g->mismatched, 0);
	assert_int_equal(g->lost_events, 0);
	assert_int_equal(g->no_duration, 0);
	assert_int_equal(g->nodes[0].calls, 1);
}

/* online_traced in ram mode: the whole onlining is below the entry, and
 * online_pages' callees cover what online_pages takes. */
static void test_recorded_online_ram(void **state)
{
	struct ftrace_graph g;
	unsigned long calls;
	uint64_t ns;
	int op;

	(void)state;
	parse_file("online-ram-128M-depth3.txt", "memory_subsys_online", &g);
	expect_node(&g, "", 1, 28331170);
	expect_node(&g, "mem_hotplug_begin", 1, 18971590);
	expect_node(&g, "online_pages", 1, 9252125);
	expect_node(&g, "online_pages/move_pfn_range_to_zone", 1, 1025320);
	/* One per MAX_ORDER chunk (4 MiB) of 128 MiB. */
	expect_node(&g, "online_pages/generic_online_page", 32, 4994253);
	expect_node(&g, "mem_hotplug_done", 1, 42282);
	assert_int_equal(node_at(&g, "mhp_init_memmap_on_memory"), -1);
	ftrace_graph_sum(&g, "generic_online_page", &calls, &ns);
	assert_int_equal(calls, 32);
	assert_int_equal(ns, 4994253);
	op = node_at(&g, "online_pages");
	assert_true(ftrace_graph_children_ns(&g, op) * 100 >=
		    g.nodes[op].total_ns * 95);
	assert_true(ftrace_graph_children_ns(&g, 0) * 100 >=
		    g.nodes[0].total_ns * 99);
	ftrace_graph_free(&g);
}

/* In self mode the memmap is set up at online time, beside online_pages:
 * move_pfn_range_to_zone is called from both. */
static void test_recorded_online_self(void **state)
{
	struct ftrace_graph g;
	unsigned long calls;
	uint64_t ns;

	(void)state;
	parse_file("online-self-128M-depth3.txt", "memory_subsys_online", &g);
	expect_node(&g, "", 1, 26554630);
	expect_node(&g, "mhp_init_memmap_on_memory", 1, 269576);
	expect_node(&g, "mhp_init_memmap_on_memory/move_pfn_range_to_zone", 1,
		    254281);
	expect_node(&g, "online_pages", 1, 7979651);
	expect_node(&g, "online_pages/move_pfn_range_to_zone", 1, 869946);
	expect_node(&g, "online_pages/build_all_zonelists", 1, 5288987);
	expect_node(&g, "adjust_present_page_count", 1, 2165);
	ftrace_graph_sum(&g, "move_pfn_range_to_zone", &calls, &ns);
	assert_int_equal(calls, 2);
	assert_int_equal(ns, 254281 + 869946);
	ftrace_graph_free(&g);
}

/* offline_traced-like recordings (trimmed: most of the 32768 PageHuge
 * calls of the inlined scan_movable_pages are cut out). Interrupt callees
 * print at the interrupted depth, beside a function still open. */
static void test_recorded_offline_ram(void **state)
{
	struct ftrace_graph g;
	unsigned long calls;
	uint64_t ns;

	(void)state;
	parse_file("offline-ram-128M-depth3.txt", "memory_subsys_offline", &g);
	expect_node(&g, "", 1, 520930200);
	expect_node(&g, "mem_hotplug_begin", 1, 20702290);
	expect_node(&g, "mem_hotplug_begin/cpus_read_lock", 1, 35963);
	expect_node(&g, "mem_hotplug_begin/irq_enter_rcu", 1, 3187);
	expect_node(&g, "offline_pages", 1, 499449300);
	expect_node(&g, "offline_pages/start_isolate_page_range", 1, 966448);
	expect_node(&g, "offline_pages/memory_notify", 2, 348461661);
	expect_node(&g, "offline_pages/do_migrate_range.isra.0", 1, 26294880);
	expect_node(&g, "offline_pages/test_pages_isolated", 1, 195527);
	expect_node(&g, "offline_pages/remove_pfn_range_from_zone", 1, 451492);
	expect_node(&g, "mem_hotplug_done", 1, 77437);
	ftrace_graph_sum(&g, "PageHuge", &calls, &ns);
	assert_int_equal(calls, 17);
	assert_int_equal(ns, 26732);
	ftrace_graph_sum(&g, "do_migrate_range", &calls, &ns);
	assert_int_equal(calls, 1);
	assert_int_equal(ns, 26294880);
	ftrace_graph_free(&g);
}

static void test_recorded_offline_self(void **state)
{
	struct ftrace_graph g;
	unsigned long calls;
	uint64_t ns;

	(void)state;
	parse_file("offline-self-128M-depth3.txt", "memory_subsys_offline", &g);
	expect_node(&g, "", 1, 365939400);
	/* Self mode unaccounts the memmap pages around offline_pages. */
	expect_node(&g, "adjust_present_page_count", 1, 31977);
	expect_node(&g, "offline_pages", 1, 347995900);
	expect_node(&g, "offline_pages/memory_notify", 2, 72585447);
	expect_node(&g, "offline_pages/test_pages_isolated", 1, 1749927);
	expect_node(&g, "mhp_deinit_memmap_on_memory", 1, 33339);
	expect_node(&g,
		    "mhp_deinit_memmap_on_memory/remove_pfn_range_from_zone", 1,
		    8462);
	ftrace_graph_sum(&g, "remove_pfn_range_from_zone", &calls, &ns);
	assert_int_equal(calls, 2);
	assert_int_equal(ns, 344721 + 8462);
	/* PageHuge() lines, and PageHuge() { } pairs split by interrupts. */
	ftrace_graph_sum(&g, "PageHuge", &calls, &ns);
	assert_int_equal(calls, 22);
	assert_int_equal(ns, 9245288);
	ftrace_graph_free(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_durations_and_markers),
		cmocka_unit_test(test_aggregation),
		cmocka_unit_test(test_task_migrates),
		cmocka_unit_test(test_cpu_migrates_without_task_column),
		cmocka_unit_test(test_lost_events),
		cmocka_unit_test(test_columns_and_oddities),
		cmocka_unit_test(test_mismatch),
		cmocka_unit_test(test_outside_and_garbage),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_name_eq),
		cmocka_unit_test(test_recorded_online_ram),
		cmocka_unit_test(test_recorded_online_self),
		cmocka_unit_test(test_recorded_offline_ram),
		cmocka_unit_test(test_recorded_offline_self),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
