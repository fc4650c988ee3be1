/* One hot-add → online → offline → remove cycle of one DIMM, with its
 * samples written as they are taken. */
#ifndef MHP_CYCLE_H
#define MHP_CYCLE_H

#include "run/deep.h"
#include "run/guest.h"
#include "config/job.h"
#include "run/metrics.h"
#include "results/store.h"

struct cycle_ctx {
	const struct job *job;
	struct store *st;
	struct guest *g;
	enum job_memmap mode;
	int boot;
	int cycle;     /* index within the boot */
	int rep;       /* -1 for warm-up */
	uint64_t dimm; /* bytes */
	/* Out: the host-view time of the four phases, for the overhead. */
	int64_t phase_ns;
	struct cycle_derived derived;
	/* Set when the guest may hold the DIMM in an unknown state. */
	int guest_dirty;
	/* A deep cycle (probe, ftrace): its samples have view "deep" and no
	 * host view, so they never mix with the measured ones. */
	int deep;
	struct deep_boot *db; /* what works on this boot; may be NULL */
	/* A refused offline (fault.c, recover_offline): the errno the
	 * kernel kept giving, the tries, and whether inject_fault pinned
	 * memory that must be released. */
	int offline_refused;
	int offline_tries;
	int pinned;
	/* Out, when cycle_run returns 1: the manifest's record of a cycle
	 * that failed but left the guest clean (the caller owns it). */
	json_t *failure;
};

/* Runs the cycle. On failure err_set() holds the reason; 0 or -errno. */
int cycle_run(struct cycle_ctx *c, void (*phase_cb)(const char *phase));
/* cycle_run's 1: the cycle failed (its offline stayed refused), but the
 * DIMM is gone again and err is not set, so the run may go on. */
#define CYCLE_FAILED 1

#endif
