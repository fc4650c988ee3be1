/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fault injection for mhpbench's own tests (job option inject_fault): an
 * agent that stops answering, a guest kernel panic, or unmovable memory
 * pinned in the new block so that its offline fails with EBUSY. Once per
 * run, at the cycle the job names. It is an observer of the cycle
 * (run/cycle.h) and nothing else; the agent ops used exist for nothing
 * else (sysrq, stall, pin, unpin in docs/agent-protocol.md). */
#ifndef MHP_FAULT_H
#define MHP_FAULT_H

#include "run/cycle.h"

#include <jansson.h>

/* What the observer keeps of one cycle: whether it pinned memory that
 * must be released. */
struct fault_cycle {
	int pinned;
};

/* The observer, registered on each cycle with a struct fault_cycle of
 * that cycle's. Its hooks:
 *  - start: offline-busy, when due, pins memory before the add (and its
 *    "before" snapshots) so that the kernel objects of its pipes are not
 *    allocated in the new block, and has the blocks onlined to
 *    ZONE_NORMAL (then the only ZONE_NORMAL memory, so that the pinned
 *    pages land in it);
 *  - after the online: injects the fault, right after the writes. A hang
 *    or a crash is left for the next call on the guest to find; a fault
 *    that did not take (the guest answered) is an error;
 *  - release: unpins; the kernel's lines about the offline go to the
 *    failed cycle's record ("kernel_log"). */
extern const struct cycle_observer fault_observer;

/* The manifest's "injected" fields for @job (adds to @injected). */
void fault_manifest(const struct job *job, json_t *injected);

#endif
