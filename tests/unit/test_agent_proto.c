// SPDX-License-Identifier: GPL-2.0-or-later
/* Agent reply parsing: the lines below are replies as the guest agent
 * writes them (docs/agent-protocol.md). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "proto/agent.h"
#include "proto/agent_fill.h"
#include "proto/agent_dax.h"

#include <errno.h>
#include <string.h>

static json_t *parse(const char *s)
{
	json_t *j = json_loads(s, 0, NULL);

	assert_non_null(j);
	return j;
}

static void hello_ok(void **state)
{
	json_t *r = parse(
		"{\"id\":1,\"ok\":true,\"agent_version\":1,"
		"\"kernel_release\":\"6.1.0-56-amd64\",\"kernel_version\":\"#1 "
		"SMP\","
		"\"machine\":\"x86_64\",\"cmdline\":\"console=ttyS0 "
		"memory_hotplug.memmap_on_memory=1\",\"block_size_bytes\":"
		"134217728,"
		"\"memmap_on_memory\":\"Y\",\"auto_online_blocks\":\"offline\","
		"\"nodes\":[0,1],\"now_ns\":123}");
	struct agent_hello h;

	assert_int_equal(agent_parse_hello(r, &h), 0);
	assert_string_equal(h.kernel_release, "6.1.0-56-amd64");
	assert_int_equal(h.block_size, 134217728ULL);
	assert_string_equal(h.memmap_on_memory, "Y");
	assert_int_equal(h.nnodes, 2);
	assert_int_equal(h.nodes[1], 1);
	assert_non_null(strstr(h.cmdline, "memmap_on_memory=1"));
	json_decref(r);
}

static void hello_param_absent(void **state)
{
	/* Kernels before 5.13 have no memmap_on_memory parameter: null. */
	json_t *r = parse("{\"id\":1,\"ok\":true,\"kernel_release\":\"5.10.0\","
			  "\"block_size_bytes\":134217728,"
			  "\"memmap_on_memory\":null,\"nodes\":[0]}");
	struct agent_hello h;

	assert_int_equal(agent_parse_hello(r, &h), 0);
	assert_string_equal(h.memmap_on_memory, "");
	json_decref(r);
}

static void hello_bad(void **state)
{
	struct agent_hello h;
	json_t *r = parse("{\"id\":1,\"ok\":true,\"kernel_release\":\"6.1\","
			  "\"block_size_bytes\":\"0x8000000\"}");

	assert_int_equal(agent_parse_hello(r, &h), -EPROTO);
	json_decref(r);
	r = parse("{\"id\":1,\"ok\":true,\"block_size_bytes\":134217728}");
	assert_int_equal(agent_parse_hello(r, &h), -EPROTO);
	json_decref(r);
	r = parse("{\"id\":1,\"ok\":true,\"kernel_release\":\"6.1\","
		  "\"block_size_bytes\":0}");
	assert_int_equal(agent_parse_hello(r, &h), -EPROTO);
	json_decref(r);
}

static void meminfo(void **state)
{
	json_t *r =
		parse("{\"id\":3,\"ok\":true,\"meminfo\":{\"MemTotal\":530916,"
		      "\"MemFree\":400000,\"MemAvailable\":410000,"
		      "\"HugePages_Total\":0},\"pcp_free_kib\":1520,"
		      "\"ts_ns\":99}");
	struct agent_meminfo m;

	assert_int_equal(agent_parse_meminfo(r, &m), 0);
	assert_int_equal(m.pcp_free, 1520);
	assert_int_equal(m.mem_total, 530916);
	assert_int_equal(m.mem_free, 400000);
	assert_int_equal(m.mem_available, 410000);
	assert_int_equal(m.ts_ns, 99);
	assert_int_equal(m.memmap_pages, -1); /* 6.1: no counter */
	json_decref(r);
	/* From 6.11 /proc/vmstat counts the memmap (agent-protocol.md). */
	r = parse("{\"meminfo\":{\"MemTotal\":1,\"MemFree\":2},"
		  "\"nr_memmap_pages\":24576,\"nr_memmap_boot_pages\":2048}");
	assert_int_equal(agent_parse_meminfo(r, &m), 0);
	assert_int_equal(m.memmap_pages, 24576);
	json_decref(r);
	r = parse("{\"meminfo\":{\"MemTotal\":1,\"MemFree\":2},"
		  "\"pcp_free_kib\":-1}");
	assert_int_equal(agent_parse_meminfo(r, &m), 0);
	assert_int_equal(m.pcp_free, -1); /* unknown */
	json_decref(r);
	r = parse("{\"meminfo\":{\"MemTotal\":1}}"); /* no MemFree */
	assert_int_equal(agent_parse_meminfo(r, &m), -EPROTO);
	json_decref(r);
	r = parse("{\"meminfo\":{\"MemTotal\":-5,\"MemFree\":1}}");
	assert_int_equal(agent_parse_meminfo(r, &m), -EPROTO);
	json_decref(r);
}

static void blocks(void **state)
{
	static struct agent_blocks b;
	json_t *r = parse(
		"{\"id\":4,\"ok\":true,\"blocks\":["
		"{\"id\":0,\"state\":\"online\",\"zones\":\"DMA\",\"node\":0,"
		"\"phys_index\":0},"
		"{\"id\":32,\"state\":\"offline\",\"zones\":\"Normal Movable\","
		"\"node\":-1,\"phys_index\":32}]}");

	assert_int_equal(agent_parse_blocks(r, &b), 0);
	assert_int_equal(b.n, 2);
	assert_int_equal(b.b[1].id, 32);
	assert_string_equal(b.b[1].state, "offline");
	assert_string_equal(b.b[1].zones, "Normal Movable");
	assert_int_equal(b.b[1].node, -1);
	json_decref(r);
	r = parse("{\"blocks\":[{\"state\":\"online\"}]}");
	assert_int_equal(agent_parse_blocks(r, &b), -EPROTO);
	json_decref(r);
}

static void uevents(void **state)
{
	static struct agent_uevents ev;
	json_t *r = parse("{\"id\":5,\"ok\":true,\"events\":[{\"block\":32,"
			  "\"ts_ns\":1000},{\"block\":33,\"ts_ns\":2500}],"
			  "\"acpi_ts_ns\":900}");

	assert_int_equal(agent_parse_uevents(r, &ev), 0);
	assert_int_equal(ev.n, 2);
	assert_int_equal(ev.block[1], 33);
	assert_int_equal(ev.ts_ns[1], 2500);
	assert_int_equal(ev.acpi_ts_ns, 900);
	json_decref(r);
	r = parse("{\"ok\":false,\"errno\":110,\"events\":[],\"acpi_ts_ns\":"
		  "null}");
	assert_int_equal(agent_parse_uevents(r, &ev), 0);
	assert_int_equal(ev.n, 0);
	assert_int_equal(ev.acpi_ts_ns, -1);
	json_decref(r);
}

static void state_reply(void **state)
{
	struct agent_state_result s = {0};
	json_t *r =
		parse("{\"id\":6,\"ok\":false,\"errno\":16,\"error\":\"Device "
		      "or resource busy\",\"block\":40,\"ns\":5123,"
		      "\"state\":\"online\",\"zones\":\"Normal\"}");

	assert_int_equal(agent_parse_state(r, &s), 0);
	assert_int_equal(s.block, 40);
	assert_int_equal(s.ns, 5123);
	assert_string_equal(s.state, "online");
	assert_int_equal(s.gap_ns, -1); /* no gap_ns: unknown, not 0 */
	json_decref(r);
	r = parse("{\"block\":40,\"ns\":7,\"gap_ns\":250000000}");
	assert_int_equal(agent_parse_state(r, &s), 0);
	assert_int_equal(s.gap_ns, 250000000);
	json_decref(r);
	r = parse("{\"block\":40,\"ns\":7,\"gap_ns\":-5}");
	assert_int_equal(agent_parse_state(r, &s), 0);
	assert_int_equal(s.gap_ns, -1);
	json_decref(r);
	r = parse("{\"block\":40}");
	assert_int_equal(agent_parse_state(r, &s), -EPROTO);
	json_decref(r);
}

/* The fill's reply as the agent wrote it in a 128M self-mode cycle. */
static void fill_reply(void **state)
{
	struct agent_fill f;
	json_t *r =
		parse("{\"id\":105,\"ok\":true,\"pid\":91,\"page_size\":4096,"
		      "\"pages_per_block\":32768,\"target_pages\":16384,"
		      "\"blocks\":[{\"block\":32,\"pages\":16384},"
		      "{\"block\":33,\"pages\":16000}],\"fill_pages\":32384,"
		      "\"touched_pages\":34816,\"released_pages\":2432,"
		      "\"stopped\":\"full\",\"memfree_kib\":431276}");

	assert_int_equal(agent_parse_fill(r, &f), 0);
	assert_int_equal(f.fill_pages, 32384);
	assert_int_equal(f.target_pages, 16384);
	assert_int_equal(f.least_pages, 16000);
	assert_int_equal(f.nblocks, 2);
	assert_int_equal(f.released_pages, 2432);
	assert_string_equal(f.stopped, "full");
	json_decref(r);
	/* a total that is not the blocks' sum contradicts itself */
	r = parse("{\"pages_per_block\":32768,\"target_pages\":16384,"
		  "\"blocks\":[{\"block\":32,\"pages\":16384}],"
		  "\"fill_pages\":16385,\"touched_pages\":1,"
		  "\"released_pages\":0,\"stopped\":\"target\"}");
	assert_int_equal(agent_parse_fill(r, &f), -EPROTO);
	json_decref(r);
	/* more pages in a block than it has */
	r = parse("{\"pages_per_block\":10,\"target_pages\":5,"
		  "\"blocks\":[{\"block\":32,\"pages\":11}],"
		  "\"fill_pages\":11,\"touched_pages\":11,"
		  "\"released_pages\":0,\"stopped\":\"target\"}");
	assert_int_equal(agent_parse_fill(r, &f), -EPROTO);
	json_decref(r);
	r = parse("{\"fill_pages\":0}");
	assert_int_equal(agent_parse_fill(r, &f), -EPROTO);
	json_decref(r);
}

/* /proc/vmstat as an object: the counters it has, -1 for those it lacks
 * (never 0), the scans summed over the ones this kernel has. */
static void vmstat_reply(void **state)
{
	struct agent_vmstat v;
	json_t *r = parse("{\"vmstat\":{\"pgmigrate_success\":16421,"
			  "\"pgmigrate_fail\":2,\"compact_stall\":0,"
			  "\"pgalloc_movable\":65003,"
			  "\"pgscan_kswapd\":10,\"pgscan_direct\":5},"
			  "\"ts_ns\":1}");

	assert_int_equal(agent_parse_vmstat(r, &v), 0);
	assert_int_equal(v.pgmigrate_success, 16421);
	assert_int_equal(v.pgmigrate_fail, 2);
	assert_int_equal(v.compact_stall, 0);
	assert_int_equal(v.pgscan, 15);
	assert_int_equal(v.pgalloc_movable, 65003);
	json_decref(r);
	r = parse("{\"vmstat\":{\"nr_free_pages\":100}}");
	assert_int_equal(agent_parse_vmstat(r, &v), 0);
	assert_int_equal(v.pgmigrate_success, -1);
	assert_int_equal(v.compact_stall, -1);
	assert_int_equal(v.pgscan, -1);
	json_decref(r);
	r = parse("{\"vmstat\":{}}");
	assert_int_equal(agent_parse_vmstat(r, &v), -EPROTO);
	json_decref(r);
}

/* pmem_setup's reply as the 6.12 guest sends it (2G region at 256M), and
 * the blocks kmem adds of it: the whole 128M blocks inside the range. */
static void pmem_reply(void **state)
{
	struct agent_pmem p;
	json_t *r = json_loads("{\"id\":3,\"ok\":true,\"dev\":\"dax0.0\","
			       "\"start\":279969792,\"size\":2137000000,"
			       "\"align\":2097152,\"target_node\":0,"
			       "\"memmap_on_memory\":1,\"setup_ns\":5}",
			       0, NULL);
	int first;

	(void)state;
	assert_int_equal(agent_parse_pmem(r, &p), 0);
	assert_string_equal(p.dev, "dax0.0");
	assert_int_equal(p.memmap_on_memory, 1);
	assert_int_equal(p.target_node, 0);
	/* 0x10a00000 .. 0x90000000: blocks 3..17 */
	p.start = 0x10a00000;
	p.size = 0x90000000 - 0x10a00000;
	assert_int_equal(agent_pmem_blocks(&p, 128ULL << 20, &first), 15);
	assert_int_equal(first, 3);
	/* smaller than a block once aligned: none */
	p.start = 0x10a00000;
	p.size = 64ULL << 20;
	assert_int_equal(agent_pmem_blocks(&p, 128ULL << 20, &first), 0);
	/* before 6.8 there is no attribute: null */
	json_object_set_new(r, "memmap_on_memory", json_null());
	assert_int_equal(agent_parse_pmem(r, &p), 0);
	assert_int_equal(p.memmap_on_memory, -1);
	json_object_del(r, "dev");
	assert_int_equal(agent_parse_pmem(r, &p), -EPROTO);
	json_decref(r);
}

static void kmem_reply(void **state)
{
	struct agent_kmem k;
	json_t *r = json_pack("{s:i,s:b,s:I,s:s}", "id", 4, "ok", 1, "ns",
			      (json_int_t)19520000, "driver", "kmem");

	(void)state;
	assert_int_equal(agent_parse_kmem(r, &k), 0);
	assert_true(k.ns == 19520000);
	assert_string_equal(k.driver, "kmem");
	json_object_del(r, "ns");
	assert_int_equal(agent_parse_kmem(r, &k), -EPROTO);
	json_decref(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hello_ok),
		cmocka_unit_test(hello_param_absent),
		cmocka_unit_test(hello_bad),
		cmocka_unit_test(meminfo),
		cmocka_unit_test(blocks),
		cmocka_unit_test(uevents),
		cmocka_unit_test(state_reply),
		cmocka_unit_test(fill_reply),
		cmocka_unit_test(vmstat_reply),
		cmocka_unit_test(pmem_reply),
		cmocka_unit_test(kmem_reply),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
