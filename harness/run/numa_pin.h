/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Applying a job's NUMA topology to a booted guest: the manifest record
 * and the vCPU pinning (README, "Deep metrics"). */
#ifndef MHP_NUMA_PIN_H
#define MHP_NUMA_PIN_H

#include "config/job.h"
#include "run/cycle.h"
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

/* What /proc/PID/numa_maps says of the mappings whose policy is exactly
 * bind:@host_node (QEMU's host-nodes=N,policy=bind backends): how many,
 * and their resident pages on that node and on others, in KiB. 0 or
 * -errno. */
struct numa_bound {
	int mappings;
	long kib_on_node, kib_elsewhere;
};
int numa_maps_bound(pid_t pid, int host_node, struct numa_bound *b);

/* The check of the DIMMs' binding: registered on each cycle with a
 * struct numa_dimm_check (@boot: the boot's manifest record, @done: 0
 * at boot). */
struct numa_dimm_check {
	json_t *boot;
	int done;
};
extern const struct cycle_observer numa_observer;

#endif
