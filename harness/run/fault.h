/* Fault injection for mhpbench's own tests (job option inject_fault): an
 * agent that stops answering, a guest kernel panic, or unmovable memory
 * pinned in the new block so that its offline fails with EBUSY. Once per
 * run, at the cycle the job names. The cycle calls in at two points and
 * nowhere else; the agent ops used exist for nothing else (sysrq, stall,
 * pin, unpin in docs/agent-protocol.md). */
#ifndef MHP_FAULT_H
#define MHP_FAULT_H

#include "run/cycle.h"

#include <jansson.h>

/* Before the add (and its "before" snapshots): offline-busy opens its
 * pipes now, while the block does not exist, so that their kernel objects
 * are not allocated in it. 0 or -errno (the agent's; caller reports). */
int fault_before_add(struct cycle_ctx *c);

/* The zone the cycle's blocks are onlined to: the job's, but "normal"
 * for offline-busy's cycle (the only ZONE_NORMAL memory then, so that
 * the pinned pages land in it). */
const char *fault_online_zone(const struct cycle_ctx *c);

/* Right after the online writes: injects the fault. A hang or a crash is
 * left for the next call on the guest to find. 0 or -errno; a fault that
 * did not take (the guest answered) is err_set() here. */
int fault_after_online(struct cycle_ctx *c);

/* Releases pinned memory (c->pinned); the kernel's lines about the
 * offline go to @record's "kernel_log" when @record is not NULL. */
int fault_unpin(struct cycle_ctx *c, json_t *record);

/* The manifest's "injected" fields for @job (adds to @injected). */
void fault_manifest(const struct job *job, json_t *injected);

#endif
