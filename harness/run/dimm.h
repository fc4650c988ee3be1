/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One pc-dimm and its memory backend in a running guest: plugged through
 * QMP (object-add, device_add), the guest's _OST for it, the uevents of
 * its memory blocks, and unplugged again (device_del, DEVICE_DELETED,
 * object-del). Both benchmarks plug DIMMs through these calls; what a
 * failure means (a failed cycle, the edge of an oom-edge point) is the
 * caller's to say, so the calls only return what happened. */
#ifndef MHP_DIMM_H
#define MHP_DIMM_H

#include "proto/agent.h"
#include "run/guest.h"

#include <stdint.h>

struct dimm {
	struct guest *g;
	char dev[32], mem[32]; /* QMP ids: dimmN, memN */
	uint64_t bytes;
	int nblocks; /* memory blocks it holds */
	/* The blocks whose "add" uevent came, in the order they came; nseen
	 * counts the uevents of the current wait (add, then remove). */
	int blocks[AGENT_MAX_BLOCKS];
	int nseen;
	int added; /* the backend exists (object-add went through) */
	/* The host node its backend is bound to (numa_host_nodes of the
	 * DIMM's guest node), or -1: wherever the host puts it. */
	int host_node;
	int plugged; /* the device exists (device_add, until deleted) */
	/* Set before dimm_backend_add(): the backend is reserve=off, so a
	 * DIMM larger than the host's memory is backed only where touched
	 * (zone_present's DIMM). */
	int noreserve;
};

/* Names the next DIMM of @g: ids come from the guest's one counter, so
 * they are unique per boot whichever benchmark plugs. */
void dimm_init(struct dimm *d, struct guest *g, uint64_t bytes);

/* The host node the DIMMs of @job are bound to: numa_host_nodes of the
 * guest node they are plugged into (job option node), or -1. */
int dimm_host_node(const struct job *job);

/* object-add then device_add on @node. *sent_ns (may be NULL) gets the
 * time device_add was written: the start of the host view of an add.
 * 0, or qmp_execute()'s error (-EIO: QEMU refused; the message is in
 * qmp_errmsg()); d->added tells which of the two failed. */
int dimm_plug(struct dimm *d, int node, int64_t deadline_ns, int64_t *sent_ns);

/* dimm_plug()'s two steps, for a caller that does something between
 * them (the cycle opens the host view's window right before device_add).
 * Each: 0, or qmp_execute()'s error. */
int dimm_backend_add(struct dimm *d, int64_t deadline_ns);
int dimm_device_add(struct dimm *d, int node, int64_t deadline_ns,
		    int64_t *sent_ns);

/* What an ACPI_DEVICE_OST (source, status) pair says about a hot-add
 * (source 1) or an eject (source 3). */
enum { OST_OTHER, OST_PENDING, OST_DONE, OST_REFUSED };
int dimm_ost_verdict(int source, int status);

/* Waits for the guest's _OST that closes this DIMM's hot-add. 0 with
 * *recv_ns (may be NULL) the time it came; -EIO when the guest refused
 * it (*status, may be NULL, its _OST status); else qmp_wait_event()'s
 * error (-ETIMEDOUT at the deadline). */
int dimm_wait_inserted(struct dimm *d, int64_t deadline_ns, int64_t *recv_ns,
		       int *status);

/* Waits until @until for the uevents (@action "add" or "remove") of the
 * blocks not yet seen in this wait; may be called again after a
 * -ETIMEDOUT to wait on. An add's block numbers go to d->blocks. @ev gets
 * this call's events (their times: uevents.h). 0 when all d->nblocks
 * came; else the agent's error (-ETIMEDOUT with the blocks so far). */
int dimm_wait_blocks(struct dimm *d, const char *action,
		     struct agent_uevents *ev, int64_t until);

/* device_del. *sent_ns (may be NULL) gets the time it was written. 0 or
 * qmp_execute()'s error. */
int dimm_del(struct dimm *d, int64_t deadline_ns, int64_t *sent_ns);

/* Waits for DEVICE_DELETED of this DIMM; then it is unplugged and the
 * wait for its blocks' "remove" uevents may start. A refused eject shows
 * up as a failing _OST instead: -EBUSY, with err_set(EXIT_FAIL) naming
 * the DIMM and the status. -ETIMEDOUT at the deadline, or the QMP
 * connection's error. */
int dimm_wait_deleted(struct dimm *d, int64_t deadline_ns, int64_t *recv_ns);

/* object-del of the backend, once the device is gone. 0 or
 * qmp_execute()'s error. */
int dimm_object_del(struct dimm *d, int64_t deadline_ns);

#endif
