/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The oom-edge benchmark: one point is one guest brought down to a target
 * MemFree F by a hog, then given DIMMs one at a time until the edge. A
 * guest that dies is a result here, not a harness failure. */
#ifndef MHP_OOMEDGE_H
#define MHP_OOMEDGE_H

#include "run/guest.h"
#include "config/job.h"
#include "results/store.h"

#include <jansson.h>

/* How a point ended. */
enum oomedge_end {
	OOM_END_CAP,
	OOM_END_ADD_FAILURE,
	OOM_END_OOM_KILL,
	OOM_END_GUEST_DEATH,
	OOM_END_SKIPPED, /* the guest never had F free */
};

struct oomedge_ctx {
	const struct job *job;
	struct store *st;
	struct guest *g;
	enum job_memmap mode;
	int boot;
	int rep;
	uint64_t target; /* F, bytes */
	void (*progress)(const char *what);
	/* Out */
	enum oomedge_end end;
	int64_t phase_ns; /* host time spent adding */
	json_t *event;	  /* for the manifest: how the point went */
};

const char *oomedge_end_name(enum oomedge_end e);

/* Runs one point. 0 whenever the point produced a result (including a
 * guest that died); -errno with err_set() only for harness failures. */
int oomedge_point(struct oomedge_ctx *c);

/* What the 1/64 memmap model predicts: DIMMs that fit before free memory
 * reaches the min watermark (ram mode), capped at @cap. */
int oomedge_predict(enum job_memmap mode, int64_t free_kib,
		    int64_t min_free_kib, uint64_t dimm, int cap);

#endif
