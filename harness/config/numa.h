/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Guest NUMA topology from a job: `numa_nodes = 512M:0-1, 0` gives node 0
 * 512M and vCPUs 0-1, and node 1 no memory and no CPUs (memoryless, where
 * DIMMs go with `node = 1`). `numa_host_nodes = 0,1` binds each guest
 * node's memory (and vCPUs) to a host node, which is what makes remote
 * remote on a bare-metal host. */
#ifndef MHP_NUMA_H
#define MHP_NUMA_H

#include "config/job.h"

#include <stddef.h>
#include <sys/types.h>

/* Parses @spec into @nodes (JOB_MAX_NODES), *@n. -EINVAL/-E2BIG with @msg
 * naming the entry. An empty spec gives *@n = 0. */
int numa_parse(const char *spec, struct job_node *nodes, int *n, char *msg,
	       size_t len);

/* Parses "H0,H1,..." (one host node per guest node) into nodes[].host_node. */
int numa_parse_host(const char *spec, struct job_node *nodes, int n, char *msg,
		    size_t len);

/* Checks the topology against @smp vCPUs: each vCPU on exactly one node,
 * node 0 has memory. */
int numa_check(const struct job_node *nodes, int n, int smp, char *msg,
	       size_t len);

/* The ranges of a CPU mask, each written after @sep: with "+",
 * "0-1+3" (the job's spelling; no leading "+"); with ",cpus=",
 * ",cpus=0-1,cpus=3" (QEMU's -numa node). "" when empty. */
void numa_cpus_text(uint64_t cpus, const char *sep, char *buf, size_t len);

#endif
