// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for harness/config/numa.c, the job's NUMA specs: the nodes
 * (numa_parse), the host node of each (numa_parse_host), the topology's
 * checks against the vCPUs (numa_check) and the CPU ranges as text
 * (numa_cpus_text). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "config/numa.h"

#include <errno.h>
#include <string.h>

#define MIB (1ULL << 20)

static void parse_nodes(void **state)
{
	struct job_node n[JOB_MAX_NODES];
	char msg[256];
	int cnt;

	assert_int_equal(numa_parse("512M:0-1, 0", n, &cnt, msg, sizeof(msg)),
			 0);
	assert_int_equal(cnt, 2);
	assert_int_equal(n[0].mem, 512 * MIB);
	assert_int_equal(n[0].cpus, 3);
	assert_int_equal(n[1].mem, 0);
	assert_int_equal(n[1].cpus, 0);
	assert_int_equal(n[1].host_node, -1);
	assert_int_equal(numa_parse("512M:x", n, &cnt, msg, sizeof(msg)),
			 -EINVAL);
	assert_int_equal(numa_parse("3M", n, &cnt, msg, sizeof(msg)), -EINVAL);
	assert_int_equal(numa_parse("2M,2M,2M,2M,2M,2M,2M,2M,2M", n, &cnt, msg,
				    sizeof(msg)),
			 -E2BIG);
}

/* Every vCPU on a node, and node 0 with memory. */
static void check_nodes(void **state)
{
	struct job_node n[JOB_MAX_NODES];
	char msg[256];
	int cnt;

	assert_int_equal(numa_parse("512M:0-1, 0", n, &cnt, msg, sizeof(msg)),
			 0);
	assert_int_equal(numa_check(n, cnt, 2, msg, sizeof(msg)), 0);
	assert_int_equal(numa_check(n, cnt, 4, msg, sizeof(msg)), -EINVAL);
	assert_non_null(strstr(msg, "every vCPU 0..3 must be on a node"));
	assert_int_equal(numa_parse("0:0-1, 512M", n, &cnt, msg, sizeof(msg)),
			 0);
	assert_int_equal(numa_check(n, cnt, 2, msg, sizeof(msg)), -EINVAL);
	assert_non_null(strstr(msg, "node 0 needs memory"));
}

/* One host node per guest node. */
static void parse_host_nodes(void **state)
{
	struct job_node n[JOB_MAX_NODES];
	char msg[256];
	int cnt;

	assert_int_equal(numa_parse("512M:0-1, 0", n, &cnt, msg, sizeof(msg)),
			 0);
	assert_int_equal(numa_parse_host("0, 1", n, cnt, msg, sizeof(msg)), 0);
	assert_int_equal(n[1].host_node, 1);
	assert_int_equal(numa_parse_host("0", n, cnt, msg, sizeof(msg)),
			 -EINVAL);
}

/* The job's spelling and QEMU's. */
static void cpus_text(void **state)
{
	struct job_node n[JOB_MAX_NODES];
	char msg[256], text[64];
	int cnt;

	assert_int_equal(
		numa_parse("256M:0+2-3,256M:1", n, &cnt, msg, sizeof(msg)), 0);
	numa_cpus_text(n[0].cpus, "+", text, sizeof(text));
	assert_string_equal(text, "0+2-3");
	numa_cpus_text(n[0].cpus, ",cpus=", text, sizeof(text));
	assert_string_equal(text, ",cpus=0,cpus=2-3");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_nodes),
		cmocka_unit_test(check_nodes),
		cmocka_unit_test(parse_host_nodes),
		cmocka_unit_test(cpus_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
