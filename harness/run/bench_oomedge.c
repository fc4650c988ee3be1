// SPDX-License-Identifier: GPL-2.0-or-later
/* The oom-edge benchmark (benchmark = oom-edge, README "The oom-edge
 * benchmark"): one boot per point, each brought down to a target MemFree
 * and given DIMMs until the edge; one point is run/oomedge.c. */
#include "base/err.h"
#include "base/progress.h"
#include "base/units.h"
#include "run/bench.h"
#include "run/oomedge.h"
#include "run/pmem.h"

#include <stdio.h>

/* The DIMM size may depend on the guest's block size (sizes = block). */
static int check_dimm(struct run *r, const struct guest *g)
{
	uint64_t dimm = job_dimm_size(r->job, 0, g->hello.block_size);
	char sz[32], bs[32];

	if (dimm % g->hello.block_size == 0 || r->job->source == SOURCE_PMEM)
		return 0;
	units_format_size(dimm, sz, sizeof(sz));
	units_format_size(g->hello.block_size, bs, sizeof(bs));
	err_set(EXIT_USAGE,
		"oom-edge: a %s DIMM is not a whole number of the guest's %s "
		"memory blocks",
		sz, bs);
	return -EINVAL;
}

struct oom_arg {
	uint64_t target;
	int rep;
};

static int oom_body(struct run *r, struct guest *g, int bidx,
		    enum job_memmap mode, json_t *boot, void *arg)
{
	const struct oom_arg *a = arg;
	struct oomedge_ctx c = {
		.job = r->job,
		.st = &r->st,
		.g = g,
		.mode = mode,
		.boot = bidx,
		.rep = a->rep,
		.target = a->target,
		.progress = progress_phase,
	};
	int ret;

	json_object_set_new(boot, "oom_target_mib",
			    json_integer((json_int_t)(a->target >> 20)));
	/* The DAX device is set up before the hog takes memory down to F. */
	if (r->job->source == SOURCE_PMEM &&
	    (ret = pmem_boot_setup(r, g, bidx, mode, boot)))
		return ret == 1 ? 0 : ret;
	ret = oomedge_point(&c);
	r->tm.phase_ns += c.phase_ns;
	if (c.event) {
		progress_note("boot %d: F=%lluM %s: %s after %lld DIMMs", bidx,
			      (unsigned long long)(a->target >> 20),
			      job_memmap_name(mode), oomedge_end_name(c.end),
			      (long long)json_integer_value(
				      json_object_get(c.event, "dimms_added")));
		json_array_append_new(
			json_object_get(r->st.manifest, "oom_edge"), c.event);
	}
	return ret;
}

/* One oom-edge point: a boot of its own. */
static int oom_point(struct run *r, int bidx, const struct boot_spec *b,
		     struct oom_arg *a)
{
	char what[160], f[32];

	units_format_size(a->target, f, sizeof(f));
	snprintf(what, sizeof(what), "oom-edge F=%s %s%s%s rep %d/%d", f,
		 b->k->label, b->k->label[0] ? " " : "",
		 job_memmap_name(b->mode), a->rep + 1, r->job->reps);
	progress_cycle(++r->done, what);
	return runner_boot(r, bidx, b, a);
}

/* One boot per (rep, target, mode, kernel): for each rep and target,
 * every (mode, kernel) pair once in the round's recorded order
 * (run/order.h). */
static int run_oom_edge(struct run *r)
{
	struct order_seq seq[JOB_MAX_SIZES] = {0}; /* one round sequence each */
	const struct job *job = r->job;
	int ret = 0, bidx = 0;

	for (int rep = 0; !ret && rep < job->reps; rep++)
		for (int t = 0; !ret && t < job->noom_targets; t++) {
			runner_round(
				r, &seq[t], rep, "target_mib",
				json_integer((json_int_t)(job->oom_targets[t] >>
							  20)));
			for (int i = 0; !ret && i < seq[t].n; i++) {
				const struct order_slot *o = &seq[t].slot[i];
				struct oom_arg a = {job->oom_targets[t], rep};
				struct boot_spec b = {
					.k = &r->kernels[o->kernel],
					.mode = job->modes[o->mode]};

				ret = oom_point(r, bidx++, &b, &a);
			}
		}
	return ret;
}

/* Progress steps: the points, one boot each. */
static int count_points(const struct run *r)
{
	const struct job *job = r->job;

	return job->reps * job->noom_targets * job->nmodes * r->nkernels;
}

static void manifest_part(struct run *r, json_t *manifest)
{
	json_object_set_new(manifest, "oom_edge", json_array());
}

const struct bench_ops bench_oomedge = {
	.name = "oom-edge",
	.dimms_at_once = job_oom_cap, /* a point keeps them all plugged */
	.count = count_points,
	.manifest = manifest_part,
	.plan = run_oom_edge,
	.check = check_dimm,
	.body = oom_body,
};
