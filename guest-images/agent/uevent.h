/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel uevents from NETLINK_KOBJECT_UEVENT, stamped on arrival and queued
 * for wait_blocks: memory-block add/remove and ACPI memory-device
 * (PNP0C80) add/remove. */
#ifndef MHP_AGENT_UEVENT_H
#define MHP_AGENT_UEVENT_H

#include "proto.h"

#define UEVENT_QUEUE_MAX 4096

/* Opens and binds the socket. Returns its fd (for poll) or -errno; after a
 * failure the uevent ops report that error. */
int uevent_open(void);

/* Reads everything the socket holds, stamping and queueing what matters.
 * Call whenever poll() says the fd is readable. Returns 0 or -errno. */
int uevent_drain(void);

/* CLOCK_MONOTONIC of the last memory-block uevent seen, 0 if none. */
int64_t uevent_last_memory_ns(void);

/* Ops "uevents_clear" and "wait_blocks" (see docs/agent-protocol.md). */
int uevent_op_clear(const json_t *req, json_t *res, int64_t deadline_ns);
int uevent_op_wait_blocks(const json_t *req, json_t *res, int64_t deadline_ns);

#endif
