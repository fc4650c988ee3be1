/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Applying a job's NUMA topology to a booted guest: the manifest record
 * and the vCPU pinning (README, "Deep metrics"). */
#ifndef MHP_NUMA_PIN_H
#define MHP_NUMA_PIN_H

#include "config/job.h"
#include "run/guest.h"

#include <jansson.h>
#include <sys/types.h>

/* Applies the host binding of vCPU threads (@tids[i] is vCPU i): each
 * vCPU is pinned to the CPUs of its node's host node. Memory binding is
 * QEMU's (host-nodes=, policy=bind). Returns the manifest's record:
 * {"asked":..., "applied":bool, "reason":...}. */
json_t *numa_bind_vcpus(const struct job_node *nodes, int n, const pid_t *tids,
			int ntids);

/* After boot: records the topology in @boot, and with numa_host_nodes
 * pins the vCPU threads (ids from QMP query-cpus-fast). The memory binding
 * is QEMU's own (host-nodes=, policy=bind on each node's backend). 0, or
 * -errno with err_set() on a QMP failure. */
int numa_apply(struct guest *g, const struct job *job, json_t *boot);

#endif
