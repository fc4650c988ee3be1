/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The host_cost counters: what each measured phase cost QEMU on the host,
 * counted on QEMU's own threads over the host view's window of the phase,
 * written as samples of view "qemu"
 * (README, "The host's cost of a phase"):
 *  - task-clock of the vCPU threads and of all threads, page faults,
 *    context switches (software counters: no PMU needed), and the change
 *    of QEMU's resident memory;
 *  - cycles and instructions in guest mode on the vCPU threads (libpfm4's
 *    cycles:mg, perf's cycles:G), which need KVM and a host PMU;
 *  - VM exits by reason (the kvm:kvm_exit tracepoint: run/kvmexits.h),
 *    which need KVM.
 * What cannot count is recorded in the boot's manifest (host_cost) with
 * the reason, and never written as zero. */
#ifndef MHP_HOSTCOST_H
#define MHP_HOSTCOST_H

#include "run/cycle.h"
#include "run/hostperf.h"
#include "run/kvmexits.h"

#include <jansson.h>

#define HOSTCOST_NCOUNTERS 6

struct hostcost {
	pid_t pid;
	struct hostperf_counter ctr[HOSTCOST_NCOUNTERS];
	int ok[HOSTCOST_NCOUNTERS]; /* counts; else recorded as unavailable */
	int rss_ok;		    /* /proc/PID/statm could be read */
	double at_open[HOSTCOST_NCOUNTERS + 1]; /* the last slot: RSS */
	double delta[HOSTCOST_NCOUNTERS + 1];
	int scaled[HOSTCOST_NCOUNTERS];
	int closed; /* a window closed whose deltas are not written yet */
	struct kvmexits kx; /* kx.ok: counting (KVM only) */
	double kx_open[KVMEXITS_NV], kx_delta[KVMEXITS_NV];
};

/* After boot: finds QEMU's threads and its vCPU threads, opens the
 * counters, and records in @boot's "host_cost" what counts and why the
 * rest does not. Never fails the boot: what cannot count is unavailable.
 * Close with hostcost_close(). */
void hostcost_boot_init(struct hostcost *hc, struct guest *g, json_t *boot);

void hostcost_close(struct hostcost *hc);

/* Registered with a struct hostcost: reads the counters at the edges of
 * each measured phase's host-view window, and writes the deltas (view
 * "qemu") after the phase. Deep cycles are left out, as their host
 * view is. */
extern const struct cycle_observer hostcost_observer;

#endif
