// SPDX-License-Identifier: GPL-2.0-or-later
/* The deep cycles' probe and tracer, and the PMU counts, hooked to the
 * cycle (deep_hooks.h). */
#include "run/deep_hooks.h"
#include "results/metric.h"
#include "base/err.h"
#include "clock.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The breakdown of one traced write: fn_<child>_ns and _calls, the traced
 * total of the entry function, and what no child accounts for. */
static int emit_trace(struct cycle_ctx *c, const char *op, int block,
		      const struct deep_trace *t)
{
	char m[96];
	int ret;

	if ((ret = cycle_emit(c, op, "guest", M_FN_TOTAL_NS,
			      (double)t->total_ns, "ns", block)) ||
	    (ret = cycle_emit(c, op, "guest", M_FN_OTHER_NS,
			      (double)(t->total_ns - t->children_ns), "ns",
			      block)))
		return ret;
	for (int i = 0; i < t->n && !ret; i++) {
		snprintf(m, sizeof(m), "fn_%s_ns", t->fn[i].name);
		ret = cycle_emit(c, op, "guest", m, (double)t->fn[i].total_ns,
				 "ns", block);
		snprintf(m, sizeof(m), "fn_%s_calls", t->fn[i].name);
		if (!ret)
			ret = cycle_emit(c, op, "guest", m,
					 (double)t->fn[i].calls, "count",
					 block);
	}
	return ret;
}

/* A state write under the tracer, in deep cycles while tracing works. */
static int traced_write(struct cycle_ctx *c, enum cycle_phase ph, int block,
			struct agent_state_result *r, int64_t dl, void *arg)
{
	struct deep_boot *db = arg;
	const char *op = cycle_phase_name(ph);
	struct deep_trace t;
	int ret;

	if (!c->deep || !db->trace_ok)
		return CYCLE_PASS;
	memset(r, 0, sizeof(*r));
	/* Switching the tracer on and off takes 4-15 s each under TCG. */
	dl += DEEP_TRACE_SLACK_MS * NS_PER_MS;
	ret = deep_traced_state(c->g, c->job, op, block, &r->ns, &t, dl);
	if (ret == -ENOTSUP) { /* the write itself went through */
		warn_add("ftrace: %s; no online/offline breakdown",
			 c->g->agent.err);
		db->trace_ok = 0;
		return 0;
	}
	if (ret) {
		r->err = c->g->agent.err_errno;
		return ret;
	}
	return emit_trace(c, op, block, &t);
}

/* Deep cycles, once the DIMM is online (and its after-online snapshot
 * taken), before the offline: where each block's memmap lives and what a
 * walk of its struct pages costs. A probe that fails is said once. */
static int probe_blocks(struct cycle_ctx *c, enum cycle_phase ph, void *arg)
{
	struct deep_boot *db = arg;
	const struct dimm *d = c->d;
	struct deep_probe p;
	int ret = 0;

	if (ph != CYCLE_OFFLINE || !c->deep || !db->probe_ok)
		return 0;
	for (int i = 0; i < d->nblocks && !ret && db->probe_ok; i++) {
		int b = d->blocks[i];

		if (deep_probe_block(c->g, b, &p,
				     guest_phase_deadline(c->job))) {
			warn_add("probe of memory%d: %s; no more probes this "
				 "boot",
				 b, c->g->agent.err);
			db->probe_ok = 0;
			break;
		}
		if ((ret = cycle_emit(c, "online", "guest",
				      M_MEMMAP_LOCAL_FRACTION, p.local_fraction,
				      "ratio", b)) ||
		    (ret = cycle_emit(c, "online", "guest", M_MEMMAP_NODE,
				      p.memmap_node, "node", b)) ||
		    (ret = cycle_emit(
			     c, "online", "guest", M_MEMMAP_WALKER_LOCAL,
			     p.memmap_node == db->walker_node, "bool", b)) ||
		    (ret = cycle_emit(c, "online", "guest",
				      M_WALK_COLD_NS_PER_PAGE,
				      p.cold_ns_per_page, "ns", b)))
			break;
		ret = cycle_emit(c, "online", "guest", M_WALK_WARM_NS_PER_PAGE,
				 p.warm_ns_per_page, "ns", b);
	}
	return ret;
}

/* The counts when the phase began; one cycle at a time. */
static struct deep_counts pmu_before;

static int pmu_on(const struct cycle_ctx *c, const struct deep_boot *db)
{
	return !c->deep && db->npmu;
}

static int pmu_start(struct cycle_ctx *c, enum cycle_phase ph, void *arg)
{
	pmu_before.n = 0;
	if (pmu_on(c, arg) &&
	    deep_pmu_read(c->g, &pmu_before, guest_phase_deadline(c->job)))
		return cycle_fail(c, -EIO, "pmu_read", c->g->agent.err);
	return 0;
}

/* PMU counts of a measured phase: pmu_<event> = after - before, summed
 * over the vCPUs (work runs in kworkers too). Read outside the timed
 * window of the phase. */
static int pmu_emit(struct cycle_ctx *c, enum cycle_phase ph, void *arg)
{
	const struct deep_counts *before = &pmu_before;
	struct deep_counts after;
	char m[96];
	int ret = 0;

	if (!pmu_on(c, arg))
		return 0;
	if (deep_pmu_read(c->g, &after, guest_phase_deadline(c->job)))
		return cycle_fail(c, -EIO, "pmu_read", c->g->agent.err);
	for (int i = 0; i < after.n && !ret; i++)
		for (int j = 0; j < before->n; j++) {
			if (strcmp(after.ev[i].name, before->ev[j].name))
				continue;
			snprintf(m, sizeof(m), "pmu_%s", after.ev[i].name);
			for (char *p = m; *p; p++)
				if (!isalnum((unsigned char)*p))
					*p = '_';
			ret = cycle_emit(
				c, cycle_phase_name(ph), "guest", m,
				after.ev[i].value - before->ev[j].value,
				after.ev[i].multiplexed ? "count_scaled"
							: "count",
				-1);
		}
	return ret;
}

const struct cycle_observer deep_observer = {
	.before = probe_blocks,
	.write = traced_write,
};

const struct cycle_observer pmu_observer = {
	.before = pmu_start,
	.after = pmu_emit,
};
