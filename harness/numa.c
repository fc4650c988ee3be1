#include "numa.h"
#include "clock.h"
#include "err.h"
#include "units.h"

#include <ctype.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* "0-1+3" -> bits 0, 1, 3. */
static int parse_cpus(const char *s, uint64_t *mask)
{
	char *end;

	*mask = 0;
	while (*s) {
		long a = strtol(s, &end, 10), b;

		if (end == s || a < 0 || a > 63)
			return -EINVAL;
		b = a;
		if (*end == '-') {
			s = end + 1;
			b = strtol(s, &end, 10);
			if (end == s || b < a || b > 63)
				return -EINVAL;
		}
		for (long i = a; i <= b; i++)
			*mask |= 1ULL << i;
		if (*end && *end != '+')
			return -EINVAL;
		s = *end ? end + 1 : end;
	}
	return 0;
}

static int parse_node(char *item, struct job_node *node, char *msg,
		      size_t len)
{
	char *colon = strchr(item, ':'), *cpus = NULL;

	if (colon) {
		*colon = '\0';
		cpus = trim(colon + 1);
	}
	item = trim(item);
	memset(node, 0, sizeof(*node));
	node->host_node = -1;
	if (units_parse_size(item, &node->mem) ||
	    node->mem % (2ULL << 20)) {
		snprintf(msg, len,
			 "'%.32s' is not a size that is a multiple of 2M", item);
		return -EINVAL;
	}
	if (cpus && parse_cpus(cpus, &node->cpus)) {
		snprintf(msg, len,
			 "'%.32s' is not a CPU list (like 0-1 or 0+2)", cpus);
		return -EINVAL;
	}
	return 0;
}

int numa_parse(const char *spec, struct job_node *nodes, int *n, char *msg,
	       size_t len)
{
	char *copy = strdup(spec), *item, *next;
	int ret = 0;

	*n = 0;
	if (!copy)
		return -ENOMEM;
	if (!*trim(copy))
		goto out;
	for (next = copy; next && !ret;) {
		item = next;
		next = strchr(item, ',');
		if (next)
			*next++ = '\0';
		if (*n == JOB_MAX_NODES) {
			snprintf(msg, len, "more than %d nodes", JOB_MAX_NODES);
			ret = -E2BIG;
			break;
		}
		ret = parse_node(item, &nodes[*n], msg, len);
		if (!ret)
			++*n;
	}
out:
	free(copy);
	return ret;
}

int numa_parse_host(const char *spec, struct job_node *nodes, int n,
		    char *msg, size_t len)
{
	const char *s = spec;
	char *end;
	int i = 0;

	while (*s == ' ')
		s++;
	if (!*s)
		return 0;
	for (;;) {
		long v = strtol(s, &end, 10);

		if (end == s || v < 0 || v > 1023) {
			snprintf(msg, len, "'%.32s' is not a host node number",
				 s);
			return -EINVAL;
		}
		if (i == n) {
			snprintf(msg, len,
				 "more host nodes than the %d guest nodes", n);
			return -EINVAL;
		}
		nodes[i++].host_node = (int)v;
		while (*end == ' ')
			end++;
		if (!*end)
			break;
		if (*end != ',') {
			snprintf(msg, len, "expected ',' at '%.32s'", end);
			return -EINVAL;
		}
		s = end + 1;
	}
	if (i != n) {
		snprintf(msg, len, "%d host nodes for %d guest nodes", i, n);
		return -EINVAL;
	}
	return 0;
}

int numa_check(const struct job_node *nodes, int n, int smp, char *msg,
	       size_t len)
{
	uint64_t seen = 0, all = smp >= 64 ? ~0ULL : (1ULL << smp) - 1;

	if (!n)
		return 0;
	if (!nodes[0].mem) {
		snprintf(msg, len, "node 0 needs memory (the kernel boots "
				   "from it)");
		return -EINVAL;
	}
	for (int i = 0; i < n; i++) {
		if (nodes[i].cpus & seen) {
			snprintf(msg, len, "node %d: a vCPU is on two nodes",
				 i);
			return -EINVAL;
		}
		if (nodes[i].cpus & ~all) {
			snprintf(msg, len,
				 "node %d: vCPU beyond smp = %d (vCPUs are "
				 "0..%d)",
				 i, smp, smp - 1);
			return -EINVAL;
		}
		seen |= nodes[i].cpus;
	}
	if (seen != all) {
		snprintf(msg, len,
			 "every vCPU 0..%d must be on a node (smp = %d)",
			 smp - 1, smp);
		return -EINVAL;
	}
	return 0;
}

void numa_cpus_text(uint64_t cpus, const char *sep, char *buf, size_t len)
{
	/* "+" only separates; a longer separator introduces each range. */
	int lead = strcmp(sep, "+") != 0;
	size_t o = 0;

	buf[0] = '\0';
	for (int i = 0; i < 64 && o < len; i++) {
		int j = i;

		if (!(cpus >> i & 1))
			continue;
		while (j + 1 < 64 && cpus >> (j + 1) & 1)
			j++;
		o += (size_t)snprintf(buf + o, len - o, "%s%d",
				      o || lead ? sep : "", i);
		if (j > i && o < len)
			o += (size_t)snprintf(buf + o, len - o, "-%d", j);
		i = j;
	}
}

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
		json_array_append_new(pins, json_pack("{s:i,s:i,s:i}", "vcpu", v,
						      "thread", (int)tids[v],
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
			nodes, json_pack("{s:i,s:I,s:s,s:i}", "node", i,
					 "mem_mib",
					 (json_int_t)(job->nodes[i].mem >> 20),
					 "cpus", cpus, "host_node",
					 job->nodes[i].host_node));
	}
	return json_pack("{s:o,s:i}", "nodes", nodes, "dimm_node", job->node);
}

/* Thread ids of the vCPUs, indexed by cpu-index. */
static int vcpu_threads(struct guest *g, pid_t *tids, int max, int *n)
{
	json_t *ret = NULL, *cpu;
	size_t i;
	int r = qmp_execute(g->qmp, "query-cpus-fast", NULL, &ret,
			    clock_now_ns() + 10 * NS_PER_MS * 1000, NULL);

	*n = 0;
	if (r)
		return r;
	json_array_foreach(ret, i, cpu)
	{
		int idx = (int)json_integer_value(
			json_object_get(cpu, "cpu-index"));

		if (idx >= 0 && idx < max) {
			tids[idx] = (pid_t)json_integer_value(
				json_object_get(cpu, "thread-id"));
			if (idx + 1 > *n)
				*n = idx + 1;
		}
	}
	json_decref(ret);
	return 0;
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
	ret = vcpu_threads(g, tids, 64, &n);
	if (ret) {
		err_set(EXIT_QMP, "query-cpus-fast: %s", strerror(-ret));
		return ret;
	}
	bind = numa_bind_vcpus(job->nodes, job->nnodes, tids, n);
	json_object_set_new(bind, "asked", json_true());
	json_object_set_new(bind, "memory_bound", json_true());
	json_object_set_new(
		bind, "applied",
		json_boolean(json_is_true(json_object_get(bind, "vcpus_pinned"))));
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
