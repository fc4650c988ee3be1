/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One hot-add → online → offline → remove cycle of one DIMM, with its
 * samples written as they are taken. What else happens in a cycle (fault
 * injection, the deep cycles' probes and tracer, PMU counts) is an
 * observer: hooks the caller registers on the cycle, which the cycle
 * calls at fixed points of its script (struct cycle_observer). */
#ifndef MHP_CYCLE_H
#define MHP_CYCLE_H

#include "config/job.h"
#include "results/store.h"
#include "run/dimm.h"
#include "run/guest.h"
#include "run/metrics.h"

#include <jansson.h>

enum cycle_phase { CYCLE_ADD, CYCLE_ONLINE, CYCLE_OFFLINE, CYCLE_REMOVE };

/* "add", "online", "offline", "remove": the samples' phase column. */
const char *cycle_phase_name(enum cycle_phase ph);

struct cycle_ctx;

/* An observer's hooks, each may be NULL, each gets the @arg it was
 * registered with. They return 0 or -errno, and report their own
 * failures (cycle_fail()); a failure ends the cycle as any other. */
struct cycle_observer {
	/* The cycle begins: its DIMM is named, nothing is measured yet (the
	 * snapshots before the add come next). */
	int (*start)(struct cycle_ctx *c, void *arg);
	/* Right before phase @ph is timed: after the previous phase's
	 * meminfo snapshot. */
	int (*before)(struct cycle_ctx *c, enum cycle_phase ph, void *arg);
	/* Right after phase @ph and its samples, before its meminfo
	 * snapshot. */
	int (*after)(struct cycle_ctx *c, enum cycle_phase ph, void *arg);
	/* The host-view window of phase @ph opens (@open 1: right before
	 * the QMP command or the first write whose time starts the host
	 * view) or closes (0: right after the event or the last reply that
	 * ends it). It runs at the window's edges, so it must be quick (the
	 * host_cost counters are read here), and it cannot fail the phase. */
	void (*window)(struct cycle_ctx *c, enum cycle_phase ph, int open,
		       void *arg);
	/* Takes over one block's write of the online or offline phase @ph
	 * (the tracer), or returns CYCLE_PASS to leave it to the next
	 * observer and the cycle. Else as agent_set_state(): 0, or -errno,
	 * with @r->err set when the guest's kernel refused. */
	int (*write)(struct cycle_ctx *c, enum cycle_phase ph, int block,
		     struct agent_state_result *r, int64_t deadline_ns,
		     void *arg);
	/* The cycle failed: give back what the observer holds in the guest.
	 * With @record (the failed cycle's manifest record, the run goes on
	 * only if this works) a failure is reported; without, the cycle is
	 * being cleaned up as far as it goes and the result is ignored. */
	int (*release)(struct cycle_ctx *c, json_t *record, void *arg);
};

#define CYCLE_PASS 1

struct cycle_hook {
	const struct cycle_observer *ops;
	void *arg;
};

struct cycle_ctx {
	const struct job *job;
	struct store *st;
	struct guest *g;
	enum job_memmap mode;
	int boot;
	int cycle;     /* index within the boot */
	int rep;       /* -1 for warm-up */
	uint64_t dimm; /* bytes */
	/* A deep cycle (probe, ftrace): its samples have view "deep" and no
	 * host view, so they never mix with the measured ones. */
	int deep;
	/* The share of each block to fill before the offline (job option
	 * offline_fill; run/fill.h), or -1: none. */
	int fill_pct;
	/* The observers, called in this order at each point. */
	const struct cycle_hook *hooks;
	int nhooks;
	/* For the observers, from the cycle's start: its DIMM (the blocks
	 * once added, in ascending order), and the zone the online writes
	 * ask for: the job's, unless a start hook says otherwise. */
	const struct dimm *d;
	const char *zone;
	/* Out: the host-view time of the four phases, for the overhead. */
	int64_t phase_ns;
	/* Out: the guest-view time of the last online or offline phase (the
	 * sum of its blocks' writes), for the observers' after hooks. */
	int64_t state_ns;
	struct cycle_derived derived;
	/* Set when the guest may hold the DIMM in an unknown state. */
	int guest_dirty;
	/* Out, when cycle_run returns 1: the manifest's record of a cycle
	 * that failed but left the guest clean (the caller owns it). */
	json_t *failure;
};

/* Runs the cycle. On failure err_set() holds the reason; 0 or -errno. */
int cycle_run(struct cycle_ctx *c, void (*phase_cb)(const char *phase));
/* cycle_run's 1: the cycle failed (its offline stayed refused), but the
 * DIMM is gone again and err is not set, so the run may go on. */
#define CYCLE_FAILED 1

/* Writes one sample of the cycle (@block -1: the whole DIMM). A deep
 * cycle writes no host view and calls its guest view "deep". */
int cycle_emit(struct cycle_ctx *c, const char *phase, const char *view,
	       const char *metric, double value, const char *unit, int block);

/* Reports a failed call on the guest as a hang (the guest's death in
 * words, and its console), an interrupt, or a refusal; returns @ret
 * (-EINTR for an interrupt). */
int cycle_fail(struct cycle_ctx *c, int ret, const char *what,
	       const char *detail);

#endif
