// SPDX-License-Identifier: GPL-2.0-or-later
/* The offline fill as a cycle observer (fill.h). */
#include "run/fill.h"
#include "results/metric.h"
#include "base/err.h"
#include "base/units.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Warned once per (DIMM size, mode, fill) in a run: a fill that cannot
 * reach its share (100% of a block whose first pages hold its memmap)
 * misses it in every cycle. */
#define MAX_WARNED 64
struct warned {
	uint64_t dimm;
	enum job_memmap mode;
	int pct;
};
static struct warned warned[MAX_WARNED];
static int nwarned;

static int warn_once(const struct cycle_ctx *c)
{
	for (int i = 0; i < nwarned; i++)
		if (warned[i].dimm == c->dimm && warned[i].mode == c->mode &&
		    warned[i].pct == c->fill_pct)
			return 0;
	if (nwarned < MAX_WARNED)
		warned[nwarned++] =
			(struct warned){c->dimm, c->mode, c->fill_pct};
	return 1;
}

/* The DIMMs' node, when the guest has NUMA nodes (README, "Deep
 * metrics"): the fill's pages must come from there. */
static int fill_node(const struct cycle_ctx *c)
{
	return c->job->nnodes ? c->job->node : -1;
}

static void short_fill(const struct cycle_ctx *c, const struct agent_fill *f)
{
	char sz[32];

	if (f->least_pages >= f->target_pages || !warn_once(c))
		return;
	units_format_size(c->dimm, sz, sizeof(sz));
	warn_add("%s %s, offline fill %d%%: a block got %lld of its %lld "
		 "pages (%lld pages a block; the fill stopped: %s)%s",
		 sz, job_memmap_name(c->mode), c->fill_pct,
		 (long long)f->least_pages, (long long)f->target_pages,
		 (long long)f->pages_per_block, f->stopped,
		 !strcmp(f->stopped, "full")
			 ? "; the rest of the block is the kernel's or its "
			   "memmap"
			 : "");
}

static int before(struct cycle_ctx *c, enum cycle_phase ph, void *arg)
{
	struct fill_cycle *fc = arg;
	struct agent *a = &c->g->agent;
	int ret;

	if (ph != CYCLE_OFFLINE || c->fill_pct < 0)
		return 0;
	fc->held = 1; /* a fill that failed half-way is ended too */
	ret = agent_fill(a, c->d->blocks, c->d->nblocks, c->fill_pct,
			 fill_node(c), &fc->f, guest_phase_deadline(c->job));
	if (ret)
		return cycle_fail(c, ret,
				  "filling the blocks before the offline",
				  a->err);
	short_fill(c, &fc->f);
	ret = agent_vmstat(a, &fc->before, guest_phase_deadline(c->job));
	return ret ? cycle_fail(c, ret, "vmstat before the offline", a->err)
		   : 0;
}

static int emit_counts(struct cycle_ctx *c, const struct fill_derived *d)
{
	const struct {
		const char *metric;
		int64_t v;
		const char *unit;
	} rows[] = {
		{M_MIGRATED_PAGES, d->migrated_pages, "pages"},
		{M_MIGRATE_FAILED_PAGES, d->migrate_failed_pages, "pages"},
		{M_MOVABLE_ALLOC_PAGES, d->movable_alloc_pages, "pages"},
		{M_COMPACT_STALLS, d->compact_stalls, "stalls"},
		{M_RECLAIM_SCANNED_PAGES, d->reclaim_scanned_pages, "pages"},
	};
	int ret = 0;

	/* A counter this kernel lacks is left out, not written as 0. */
	for (size_t i = 0; !ret && i < sizeof(rows) / sizeof(rows[0]); i++)
		if (rows[i].v >= 0)
			ret = cycle_emit(c, "offline", "guest", rows[i].metric,
					 (double)rows[i].v, rows[i].unit, -1);
	if (!ret && !isnan(d->migrated_pages_per_ms))
		ret = cycle_emit(c, "offline", "guest", M_MIGRATED_PAGES_PER_MS,
				 d->migrated_pages_per_ms, "pages/ms", -1);
	return ret;
}

/* Every page of the fill sat in a block being offlined, so the offline
 * must have migrated at least as many (README, "Offline with pages to
 * migrate"); fewer means the counter or the fill is not what it says. */
static void check_migrated(const struct cycle_ctx *c,
			   const struct fill_cycle *fc,
			   const struct fill_derived *d)
{
	if (d->migrated_pages >= 0 && d->migrated_pages < fc->f.fill_pages)
		warn_add("boot %d cycle %d: the offline migrated %lld pages, "
			 "fewer than the %lld pages of its fill",
			 c->boot, c->cycle, (long long)d->migrated_pages,
			 (long long)fc->f.fill_pages);
}

/* Right after the offline's writes, before any other observer's after
 * hook (the PMU read) and the meminfo snapshot. */
static int after(struct cycle_ctx *c, enum cycle_phase ph, void *arg)
{
	struct fill_cycle *fc = arg;
	int ret;

	if (ph != CYCLE_OFFLINE || !fc->held)
		return 0;
	fc->offline_ns = c->state_ns;
	ret = agent_vmstat(&c->g->agent, &fc->after,
			   guest_phase_deadline(c->job));
	return ret ? cycle_fail(c, ret, "vmstat after the offline",
				c->g->agent.err)
		   : 0;
}

/* Before the remove is timed, and before the PMU starts counting it: the
 * fill ends here, not right after the offline, so that freeing it is in
 * no phase's counts. Only now are its samples written: a fill that died
 * (the OOM killer) held nothing the offline could migrate. */
static int end_fill(struct cycle_ctx *c, enum cycle_phase ph, void *arg)
{
	struct fill_cycle *fc = arg;
	struct fill_derived d;
	int alive = 0, ret;

	if (ph != CYCLE_REMOVE || !fc->held)
		return 0;
	ret = agent_unfill(&c->g->agent, &alive, guest_phase_deadline(c->job));
	if (ret)
		return cycle_fail(c, ret, "ending the offline fill",
				  c->g->agent.err);
	fc->held = 0;
	if (!alive && c->fill_pct > 0) {
		err_set(EXIT_FAIL,
			"boot %d cycle %d: the offline fill's process was gone "
			"before the offline ended (the OOM killer?): its pages "
			"were not there to migrate",
			c->boot, c->cycle);
		return -ESRCH;
	}
	metrics_fill_derive(&fc->before, &fc->after, fc->offline_ns, &d);
	check_migrated(c, fc, &d);
	ret = cycle_emit(c, "offline", "guest", M_FILL_PAGES,
			 (double)fc->f.fill_pages, "pages", -1);
	return ret ? ret : emit_counts(c, &d);
}

/* The before hooks: fill ahead of the offline, end it ahead of the
 * remove. */
static int before_phase(struct cycle_ctx *c, enum cycle_phase ph, void *arg)
{
	return ph == CYCLE_REMOVE ? end_fill(c, ph, arg) : before(c, ph, arg);
}

static int release(struct cycle_ctx *c, json_t *record, void *arg)
{
	struct fill_cycle *fc = arg;
	int alive, ret;

	if (!fc->held)
		return 0;
	ret = agent_unfill(&c->g->agent, &alive, guest_phase_deadline(c->job));
	if (!ret)
		fc->held = 0;
	else if (record)
		return cycle_fail(c, ret, "ending the offline fill",
				  c->g->agent.err);
	return ret;
}

const struct cycle_observer fill_observer = {
	.before = before_phase,
	.after = after,
	.release = release,
};
