// SPDX-License-Identifier: GPL-2.0-or-later
/* The host side of a job's NUMA topology: records it in the boot's
 * manifest and pins vCPU threads to host nodes (README, "Deep metrics").
 * The spec itself is parsed in config/numa.c. */
#include "run/numa_pin.h"
#include "clock.h"
#include "base/err.h"
#include "config/numa.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The CPUs of host node @node, from sysfs. */
static int host_node_cpus(int node, cpu_set_t *set)
{
	char path[96], buf[1024], *s, *end;
	FILE *f;

	CPU_ZERO(set);
	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/cpulist",
		 node);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	s = fgets(buf, sizeof(buf), f);
	fclose(f);
	while (s && *s && *s != '\n') {
		long a = strtol(s, &end, 10), b = a;

		if (end == s)
			break;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		for (long i = a; i <= b && i < CPU_SETSIZE; i++)
			CPU_SET((int)i, set);
		s = *end == ',' ? end + 1 : end;
	}
	return CPU_COUNT(set) ? 0 : -ENODEV;
}

json_t *numa_bind_vcpus(const struct job_node *nodes, int n, const pid_t *tids,
			int ntids)
{
	json_t *pins = json_array();
	char why[256] = "";
	int applied = 1;

	for (int v = 0; v < ntids && applied; v++) {
		cpu_set_t set;
		int node = -1, ret;

		for (int i = 0; i < n; i++)
			if (nodes[i].cpus >> v & 1)
				node = nodes[i].host_node;
		if (node < 0)
			continue;
		ret = host_node_cpus(node, &set);
		if (!ret && sched_setaffinity(tids[v], sizeof(set), &set))
			ret = -errno;
		if (ret) {
			snprintf(why, sizeof(why),
				 "pinning vCPU %d (thread %d) to host node %d: "
				 "%s",
				 v, (int)tids[v], node, strerror(-ret));
			applied = 0;
			break;
		}
		json_array_append_new(pins, json_pack("{s:i,s:i,s:i}", "vcpu",
						      v, "thread", (int)tids[v],
						      "host_node", node));
	}
	return json_pack("{s:b,s:s,s:o}", "vcpus_pinned", applied, "reason",
			 why, "pins", pins);
}

static json_t *topology_json(const struct job *job)
{
	json_t *nodes = json_array();
	char cpus[128];

	for (int i = 0; i < job->nnodes; i++) {
		numa_cpus_text(job->nodes[i].cpus, "+", cpus, sizeof(cpus));
		json_array_append_new(
			nodes,
			json_pack("{s:i,s:I,s:s,s:i}", "node", i, "mem_mib",
				  (json_int_t)(job->nodes[i].mem >> 20), "cpus",
				  cpus, "host_node", job->nodes[i].host_node));
	}
	return json_pack("{s:o,s:i}", "nodes", nodes, "dimm_node", job->node);
}

int numa_apply(struct guest *g, const struct job *job, json_t *boot)
{
	json_t *topo, *bind;
	pid_t tids[64];
	int asked = 0, n, ret;

	if (!job->nnodes)
		return 0;
	topo = topology_json(job);
	json_object_set_new(boot, "numa", topo);
	for (int i = 0; i < job->nnodes; i++)
		asked |= job->nodes[i].host_node >= 0;
	if (!asked) {
		json_object_set_new(
			topo, "binding",
			json_pack("{s:b,s:b,s:s}", "asked", 0, "applied", 0,
				  "reason",
				  "numa_host_nodes not set: every guest node "
				  "lives in the same host memory, so remote is "
				  "remote to the guest kernel only"));
		return 0;
	}
	ret = guest_vcpu_threads(g, tids, 64, &n);
	if (ret) {
		err_set(EXIT_QMP, "query-cpus-fast: %s", strerror(-ret));
		return ret;
	}
	bind = numa_bind_vcpus(job->nodes, job->nnodes, tids, n);
	json_object_set_new(bind, "asked", json_true());
	json_object_set_new(bind, "memory_bound", json_true());
	json_object_set_new(bind, "applied",
			    json_boolean(json_is_true(
				    json_object_get(bind, "vcpus_pinned"))));
	json_object_set_new(bind, "physical",
			    json_boolean(g->accel == QEMU_KVM &&
					 json_is_true(json_object_get(
						 bind, "vcpus_pinned"))));
	if (!json_is_true(json_object_get(bind, "vcpus_pinned")))
		warn_add("numa_host_nodes: %s",
			 json_string_value(json_object_get(bind, "reason")));
	json_object_set_new(topo, "binding", bind);
	return 0;
}
