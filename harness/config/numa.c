// SPDX-License-Identifier: GPL-2.0-or-later
/* Parsing and checking a job's NUMA specs (numa.h): numa_nodes into
 * nodes with memory and vCPUs, numa_host_nodes into their host nodes, and
 * CPU masks back into ranges. Pinning to the host's nodes is in
 * run/numa_pin.c. */
#include "config/numa.h"
#include "config/job_value.h"
#include "base/units.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int parse_node(char *item, struct job_node *node, char *msg, size_t len)
{
	char *colon = strchr(item, ':'), *cpus = NULL;

	if (colon) {
		*colon = '\0';
		cpus = value_trim(colon + 1);
	}
	item = value_trim(item);
	memset(node, 0, sizeof(*node));
	node->host_node = -1;
	if (units_parse_size(item, &node->mem) || node->mem % (2ULL << 20)) {
		snprintf(msg, len,
			 "'%.32s' is not a size that is a multiple of 2M",
			 item);
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
	if (!*value_trim(copy))
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

int numa_parse_host(const char *spec, struct job_node *nodes, int n, char *msg,
		    size_t len)
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
		snprintf(msg, len,
			 "node 0 needs memory (the kernel boots "
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
