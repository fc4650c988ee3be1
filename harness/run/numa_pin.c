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
		/* Read back: what the thread may run on now. */
		if (!ret) {
			cpu_set_t got;

			if (sched_getaffinity(tids[v], sizeof(got), &got))
				ret = -errno;
			else if (!CPU_EQUAL(&got, &set))
				ret = -EPERM;
		}
		if (ret) {
			snprintf(why, sizeof(why),
				 "pinning vCPU %d (thread %d) to host node %d: "
				 "%s",
				 v, (int)tids[v], node, strerror(-ret));
			applied = 0;
			break;
		}
		json_array_append_new(
			pins, json_pack("{s:i,s:i,s:i,s:i}", "vcpu", v,
					"thread", (int)tids[v], "host_node",
					node, "cpus_allowed", CPU_COUNT(&set)));
	}
	return json_pack("{s:b,s:s,s:o}", "vcpus_pinned", applied, "reason",
			 why, "pins", pins);
}

int numa_maps_bound(pid_t pid, int host_node, struct numa_bound *b)
{
	char path[64], line[4096], want[32];
	FILE *f;

	memset(b, 0, sizeof(*b));
	snprintf(path, sizeof(path), "/proc/%d/numa_maps", (int)pid);
	snprintf(want, sizeof(want), "bind:%d", host_node);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *save, *tok = strtok_r(line, " \n", &save);
		long pages[64] = {0}, kib_per_page = 4;

		tok = strtok_r(NULL, " \n", &save); /* the policy */
		if (!tok || strcmp(tok, want))
			continue;
		b->mappings++;
		while ((tok = strtok_r(NULL, " \n", &save))) {
			int node;
			long v;

			if (sscanf(tok, "N%d=%ld", &node, &v) == 2 &&
			    node >= 0 && node < 64)
				pages[node] += v;
			else if (sscanf(tok, "kernelpagesize_kB=%ld", &v) == 1)
				kib_per_page = v;
		}
		for (int n = 0; n < 64; n++) {
			if (n == host_node)
				b->kib_on_node += pages[n] * kib_per_page;
			else
				b->kib_elsewhere += pages[n] * kib_per_page;
		}
	}
	fclose(f);
	return 0;
}

/* The check of @host_node's bound memory, as the manifest records it;
 * *@ok: it holds (mappings bound there, nothing resident elsewhere). */
static json_t *memory_check(pid_t pid, int host_node, const char *what, int *ok)
{
	struct numa_bound b;
	int ret = numa_maps_bound(pid, host_node, &b);
	char why[256] = "";

	*ok = !ret && b.mappings > 0 && !b.kib_elsewhere;
	if (ret)
		snprintf(why, sizeof(why), "/proc/%d/numa_maps: %s", (int)pid,
			 strerror(-ret));
	else if (!b.mappings)
		snprintf(why, sizeof(why),
			 "no mapping of QEMU has policy bind:%d", host_node);
	else if (b.kib_elsewhere)
		snprintf(why, sizeof(why),
			 "%ld KiB of memory bound to host node %d is resident "
			 "on other nodes",
			 b.kib_elsewhere, host_node);
	return json_pack("{s:s,s:i,s:s,s:i,s:I,s:I,s:b,s:s}", "what", what,
			 "host_node", host_node, "source", "numa_maps",
			 "mappings", b.mappings, "kib_on_node",
			 (json_int_t)b.kib_on_node, "kib_elsewhere",
			 (json_int_t)b.kib_elsewhere, "ok", *ok, "reason", why);
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
	json_t *topo, *bind, *checks;
	pid_t tids[64];
	int asked = 0, n, ret, mem_ok = 1;

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
	if (ret)
		return guest_qmp_fail(g, ret, "query-cpus-fast");
	bind = numa_bind_vcpus(job->nodes, job->nnodes, tids, n);
	json_object_set_new(bind, "asked", json_true());
	/* Each bound node's boot memory, from the host's side. */
	checks = json_array();
	for (int i = 0; i < job->nnodes; i++) {
		char what[64];
		int ok;

		if (!job->nodes[i].mem || job->nodes[i].host_node < 0)
			continue;
		snprintf(what, sizeof(what), "boot memory of guest node %d", i);
		json_array_append_new(
			checks, memory_check(g->vm.pid, job->nodes[i].host_node,
					     what, &ok));
		mem_ok &= ok;
		if (!ok)
			warn_add("numa_host_nodes: %s",
				 json_string_value(json_object_get(
					 json_array_get(
						 checks,
						 json_array_size(checks) - 1),
					 "reason")));
	}
	json_object_set_new(bind, "memory_checks", checks);
	json_object_set_new(bind, "memory_bound", json_boolean(mem_ok));
	json_object_set_new(
		bind, "applied",
		json_boolean(mem_ok && json_is_true(json_object_get(
					       bind, "vcpus_pinned"))));
	json_object_set_new(
		bind, "checked",
		json_string("vCPU affinity read back with "
			    "sched_getaffinity; each bound node's "
			    "memory in /proc/PID/numa_maps (policy "
			    "bind:N, resident pages on N only); the "
			    "DIMMs' after the first online"));
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

/* The DIMMs' binding, checked once per boot after the first online of a
 * DIMM (its pages are resident then: in self mode the memmap inside it):
 * appended to the boot's memory_checks, and "applied" falls when it
 * fails. */
static int dimm_check(struct cycle_ctx *c, enum cycle_phase ph, void *arg)
{
	struct numa_dimm_check *n = arg;
	json_t *bind, *checks, *one;
	int ok;

	if (ph != CYCLE_ONLINE || n->done || c->d->host_node < 0)
		return 0;
	n->done = 1;
	bind = json_object_get(json_object_get(n->boot, "numa"), "binding");
	checks = json_object_get(bind, "memory_checks");
	if (!checks)
		return 0;
	one = memory_check(c->g->vm.pid, c->d->host_node,
			   "memory bound there after the first DIMM online "
			   "(boot memory and DIMM)",
			   &ok);
	json_object_set_new(one, "dimm", json_string(c->d->mem));
	json_array_append_new(checks, one);
	if (!ok) {
		warn_add("numa_host_nodes: DIMM %s: %s", c->d->mem,
			 json_string_value(json_object_get(one, "reason")));
		json_object_set_new(bind, "memory_bound", json_false());
		json_object_set_new(bind, "applied", json_false());
	}
	return 0;
}

const struct cycle_observer numa_observer = {
	.after = dimm_check,
};
