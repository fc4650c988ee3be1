// SPDX-License-Identifier: GPL-2.0-or-later
/* The cycles benchmark (benchmark = cycles, the default): each boot runs
 * warm-up, measured and deep hot-add -> online -> offline -> remove
 * cycles of every DIMM size, in an order drawn from the job's seed; one
 * cycle is run/cycle.c. */
#include "base/err.h"
#include "base/progress.h"
#include "base/sig.h"
#include "base/units.h"
#include "config/blocksize.h"
#include "config/kernel_rules.h"
#include "run/bench.h"
#include "run/caps.h"
#include "run/cycle.h"
#include "run/deep_hooks.h"
#include "run/fault.h"
#include "run/hostcost.h"
#include "run/numa_pin.h"
#include "run/fill.h"
#include "run/zoneplug.h"
#include "run/pmem.h"

#include <errno.h>
#include <gsl/gsl_randist.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct plan_cycle {
	uint64_t dimm;
	int rep;  /* -1 warm-up */
	int deep; /* a deep cycle (probe, ftrace), after the measured ones */
	int fill; /* offline_fill share, or -1 */
};

/* The offline_fill axis: its shares, or the one "no fill" (-1). */
static int fill_count(const struct job *job)
{
	return job->noffline_fill ? job->noffline_fill : 1;
}

static int fill_at(const struct job *job, int i)
{
	return job->noffline_fill ? job->offline_fill[i] : -1;
}

/* A DIMM that is not a whole number of blocks cannot be added (add_memory
 * wants block-aligned ranges): say so once per (size, block size). */
static void skip_size(struct run *r, uint64_t dimm, uint64_t block)
{
	json_t *skipped = json_object_get(r->st.manifest, "skipped"), *e;
	char sz[32], bs[32], why[128];
	size_t i;

	units_format_size(dimm, sz, sizeof(sz));
	units_format_size(block, bs, sizeof(bs));
	snprintf(why, sizeof(why), "%s",
		 dimm < block ? "smaller than one memory block"
			      : "not a whole number of memory blocks");
	json_array_foreach(skipped, i, e)
	{
		if (!strcmp(json_string_value(json_object_get(e, "size")),
			    sz) &&
		    json_integer_value(json_object_get(e, "block_mib")) ==
			    (json_int_t)(block >> 20))
			return;
	}
	warn_add("skipping %s DIMMs with %s memory blocks: %s", sz, bs, why);
	json_array_append_new(
		skipped, json_pack("{s:s,s:I,s:s}", "size", sz, "block_mib",
				   (json_int_t)(block >> 20), "reason", why));
}

/* Each boot draws its own permutation of (size, fill, rep) from one RNG
 * seeded with the job's seed, so the whole order is reproducible from the
 * seed. The warm-up cycles take the first fill. */
static struct plan_cycle *plan_boot(struct run *r, const struct guest *g,
				    int *n)
{
	const struct agent_hello *h = &g->hello;
	const struct job *job = r->job;
	int nsizes = 0, k = 0;
	uint64_t sizes[JOB_MAX_SIZES], smallest = 0;
	struct plan_cycle *p;

	/* source = pmem: one "size", the blocks kmem adds of the region. */
	if (job->source == SOURCE_PMEM)
		sizes[nsizes++] = smallest = g->pmem_bytes;
	for (int i = 0; job->source == SOURCE_DIMM && i < job->nsizes; i++) {
		uint64_t dimm = job_dimm_size(job, i, h->block_size);

		if (dimm % h->block_size) {
			skip_size(r, dimm, h->block_size);
			continue;
		}
		sizes[nsizes++] = dimm;
		if (!smallest || dimm < smallest)
			smallest = dimm;
	}
	p = calloc(
		(size_t)(job->warmup + nsizes * fill_count(job) *
					       (job->reps + job->deep_reps)) +
			1,
		sizeof(*p));
	if (!p)
		return NULL;
	for (int i = 0; i < job->warmup && nsizes; i++)
		p[k++] = (struct plan_cycle){smallest, -1, 0, fill_at(job, 0)};
	for (int s = 0; s < nsizes; s++)
		for (int f = 0; f < fill_count(job); f++)
			for (int rep = 0; rep < job->reps; rep++)
				p[k++] = (struct plan_cycle){sizes[s], rep, 0,
							     fill_at(job, f)};
	gsl_ran_shuffle(r->rng, p + job->warmup * (nsizes > 0),
			(size_t)(nsizes * fill_count(job) * job->reps),
			sizeof(*p));
	/* Deep cycles come last: the tracer and the probe's walk must not
	 * warm anything the measured cycles time. */
	for (int s = 0; s < nsizes; s++)
		for (int f = 0; f < fill_count(job); f++)
			for (int rep = 0; rep < job->deep_reps; rep++)
				p[k++] = (struct plan_cycle){sizes[s], rep, 1,
							     fill_at(job, f)};
	*n = k;
	return p;
}

static json_t *order_json(const struct plan_cycle *p, int n)
{
	json_t *order = json_array();
	char sz[32];

	for (int i = 0; i < n; i++) {
		json_t *e;

		units_format_size(p[i].dimm, sz, sizeof(sz));
		e = json_pack("{s:s,s:i}", "size", sz, "rep", p[i].rep);
		if (e && p[i].fill >= 0)
			json_object_set_new(e, "offline_fill_pct",
					    json_integer(p[i].fill));
		json_array_append_new(order, e);
	}
	return order;
}

/* The verdict is what the kernel did; say once per size and boot when it
 * is not what the mode asked for. */
static void check_placement(const struct cycle_ctx *c, uint64_t *warned,
			    int *nwarned)
{
	int asked = c->mode == MEMMAP_SELF, expect;
	char sz[32];
	struct caps caps;

	if (c->derived.self_hosted < 0 || c->derived.self_hosted == asked)
		return;
	caps_from_hello(&c->g->hello, &caps);
	if (c->job->source == SOURCE_PMEM)
		expect = kernel_expects_dax_self_hosted(
			c->g->hello.kernel_release,
			asked && c->g->pmem.memmap_on_memory == 1);
	else
		expect = kernel_expects_self_hosted(
			c->g->hello.kernel_release, asked && caps.mom_enabled,
			(int64_t)(c->g->hello.block_size >> 20),
			(int64_t)(c->dimm >> 20));
	for (int i = 0; i < *nwarned; i++)
		if (warned[i] == c->dimm)
			return;
	if (*nwarned < JOB_MAX_SIZES)
		warned[(*nwarned)++] = c->dimm;
	units_format_size(c->dimm, sz, sizeof(sz));
	warn_add("%s DIMM, %lluM blocks, %s mode, kernel %s: the memmap %s "
		 "(%lld KiB inside the DIMM)%s",
		 sz, (unsigned long long)(c->g->hello.block_size >> 20),
		 job_memmap_name(c->mode), c->g->hello.kernel_release,
		 c->derived.self_hosted ? "was self-hosted" : "came from RAM",
		 (long long)c->derived.self_hosted_kib,
		 expect == c->derived.self_hosted
			 ? "; expected: before 6.8 only a DIMM of exactly one "
			   "memory block self-hosts"
			 : "; NOT what this kernel is expected to do");
}

/* A cycle that failed but left the guest clean: recorded, and the run
 * goes on (it ends with exit code 1). */
static int failed_cycle(struct run *r, struct cycle_ctx *c)
{
	const char *why =
		json_string_value(json_object_get(c->failure, "reason"));

	if (!r->nfailed_cycles++ && !r->nfailed_boots)
		runner_first_line(r->first_failure, sizeof(r->first_failure),
				  why ? why : "?");
	json_array_append_new(json_object_get(r->st.manifest, "failed_cycles"),
			      c->failure);
	c->failure = NULL;
	return runner_save_manifest(r);
}

static int run_cycles(struct run *r, struct guest *g, int bidx,
		      enum job_memmap mode, struct plan_cycle *p, int n,
		      struct hostcost *hc, json_t *boot)
{
	struct numa_dimm_check numa = {.boot = boot};
	uint64_t warned[JOB_MAX_SIZES];
	int nwarned = 0;

	for (int i = 0; i < n; i++) {
		struct fault_cycle fault = {0};
		struct fill_cycle fill = {0};
		/* In this order: the fill is made before the PMU starts
		 * counting the offline and read before it stops; the fault
		 * goes in right after the online writes, and the PMU is read
		 * after it. */
		/* one hook a line, in their order */
		/* clang-format off */
		const struct cycle_hook hooks[] = {
			{&fill_observer, &fill},
			{&fault_observer, &fault},
			{&deep_observer, &r->db},
			{&pmu_observer, &r->db},
			{&hostcost_observer, hc},
			{&numa_observer, &numa},
		};
		/* clang-format on */
		struct cycle_ctx c = {
			.job = r->job,
			.st = &r->st,
			.g = g,
			.mode = mode,
			.boot = bidx,
			.cycle = i,
			.rep = p[i].rep,
			.dimm = p[i].dimm,
			.deep = p[i].deep,
			.fill_pct = p[i].fill,
			.hooks = hooks,
			.nhooks = sizeof(hooks) / sizeof(hooks[0]),
		};
		char sz[32], what[128], fill_txt[24] = "";
		int ret;

		if (sig_pending()) {
			err_set(EXIT_INTR, "interrupted by %s between cycles",
				sig_name(sig_pending()));
			return -EINTR;
		}
		units_format_size(p[i].dimm, sz, sizeof(sz));
		if (p[i].fill >= 0)
			snprintf(fill_txt, sizeof(fill_txt), " fill %d%%",
				 p[i].fill);
		if (p[i].rep < 0)
			snprintf(what, sizeof(what), "%s %s%s warm-up", sz,
				 job_memmap_name(mode), fill_txt);
		else if (p[i].deep)
			snprintf(what, sizeof(what), "%s %s%s deep %d/%d", sz,
				 job_memmap_name(mode), fill_txt, p[i].rep + 1,
				 r->job->deep_reps);
		else
			snprintf(what, sizeof(what), "%s %s%s rep %d/%d", sz,
				 job_memmap_name(mode), fill_txt, p[i].rep + 1,
				 r->job->reps);
		progress_cycle(++r->done, what);
		ret = cycle_run(&c, progress_phase);
		if (p[i].rep >= 0)
			r->tm.phase_ns += c.phase_ns;
		if (ret == CYCLE_FAILED)
			ret = failed_cycle(r, &c);
		if (ret)
			return ret;
		check_placement(&c, warned, &nwarned);
	}
	return 0;
}

/* The deep cycles' probe, tracer and PMU are set up first, then the
 * host_cost counters on QEMU's threads, then the boot's cycles run in the
 * order plan_boot() drew. */
static int cycles_body(struct run *r, struct guest *g, int bidx,
		       enum job_memmap mode, json_t *boot, void *arg)
{
	struct plan_cycle *plan;
	struct hostcost hc;
	int n = 0, ret;

	(void)arg;
	/* Before the probe and tracer: the zone's DIMM and the DAX device
	 * are part of the guest's shape, not of what the deep cycles see. */
	ret = zoneplug_run(g, r->job, boot);
	if (!ret)
		ret = runner_save_manifest(r);
	if (!ret && r->job->source == SOURCE_PMEM) {
		ret = pmem_boot_setup(r, g, bidx, mode, boot);
		if (ret)
			return ret == 1 ? 0 : ret;
	}
	if (!ret)
		ret = deep_boot_init(g, r->job, boot, &r->db);
	if (ret)
		return ret;
	plan = plan_boot(r, g, &n);
	if (!plan)
		return -ENOMEM;
	json_object_set_new(boot, "order", order_json(plan, n));
	hostcost_boot_init(&hc, g, boot);
	ret = runner_save_manifest(r);
	if (!ret)
		ret = run_cycles(r, g, bidx, mode, plan, n, &hc, boot);
	hostcost_close(&hc);
	free(plan);
	return ret;
}

/* Cycles: for each boot round and block size, every (mode, kernel) pair
 * once, in the round's recorded order (run/order.h), so drift over the
 * run hits every kernel and mode alike. */
/* The axis that gets boots of its own: block sizes, or zone_present
 * (the job parser refuses both at once). */
static int boot_axis_count(const struct run *r)
{
	return r->job->nzone_present ? r->job->nzone_present : r->nblocks;
}

/* Boot spec of axis value @s for the round's slot @o. zone_present boots
 * ask for 128M blocks, so that each boot checks it got them. */
static struct boot_spec boot_spec_at(const struct run *r, int s,
				     const struct order_slot *o)
{
	const struct job *job = r->job;
	struct boot_spec spec = {.k = &r->kernels[o->kernel],
				 .block = r->blocks[0],
				 .mode = job->modes[o->mode]};

	if (!job->nzone_present) {
		spec.block = r->blocks[s];
		return spec;
	}
	spec.block = BLOCKSIZE_MIN;
	spec.zone_axis = 1;
	spec.zone_present = job->zone_present[s];
	return spec;
}

static void round_at(struct run *r, struct order_seq *seq, int b, int s)
{
	if (r->job->nzone_present)
		runner_round(
			r, seq, b, "zone_present_mib",
			json_integer(
				(json_int_t)(r->job->zone_present[s] >> 20)));
	else
		runner_round(r, seq, b, "block_mib",
			     json_integer((json_int_t)(r->blocks[s] >> 20)));
}

static int run_cycle_boots(struct run *r)
{
	struct order_seq seq[JOB_MAX_SIZES] = {0}; /* one round sequence each */
	const struct job *job = r->job;
	int ret = 0, bidx = 0;

	for (int b = 0; !ret && b < job->boots; b++)
		for (int s = 0; !ret && s < boot_axis_count(r); s++) {
			round_at(r, &seq[s], b, s);
			for (int i = 0; !ret && i < seq[s].n; i++) {
				struct boot_spec spec =
					boot_spec_at(r, s, &seq[s].slot[i]);

				ret = runner_boot(r, bidx, &spec, NULL);
				ret = runner_next_boot(r, bidx++, ret);
			}
		}
	return ret;
}

/* Progress steps: the cycles of all boots. */
static int count_cycles(const struct run *r)
{
	const struct job *job = r->job;
	int n = 0;

	/* Sizes that are no whole number of blocks will be skipped. */
	for (int s = 0; s < r->nblocks; s++) {
		uint64_t block =
			r->blocks[s] ? r->blocks[s]
				     : blocksize_for_boot_mem(job->boot_mem);
		int sizes = 0;

		for (int i = 0; i < job->nsizes; i++)
			sizes += job_dimm_size(job, i, block) % block == 0;
		if (job->source == SOURCE_PMEM)
			sizes = 1; /* the region */
		n += sizes ? job->warmup + sizes * fill_count(job) *
						   (job->reps + job->deep_reps)
			   : 0;
	}
	return n * job->nmodes * job->boots * r->nkernels *
	       (job->nzone_present ? job->nzone_present : 1);
}

/* One DIMM is plugged at a time. */
static int one_dimm(const struct job *job)
{
	return 1;
}

const struct bench_ops bench_cycles = {
	.name = "cycles",
	.dimms_at_once = one_dimm,
	.count = count_cycles,
	.plan = run_cycle_boots,
	.body = cycles_body,
};
