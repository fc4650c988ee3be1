#include "run/cycle.h"
#include "clock.h"
#include "base/err.h"
#include "run/fault.h"
#include "base/sig.h"
#include "base/units.h"
#include "run/dimm.h"
#include "run/uevents.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CLEANUP_MS 30000

/* The cycle's DIMM, which blocks of it are online, and the meminfo
 * snapshots between the phases. */
struct cycle_dimm {
	struct dimm d;
	int online[AGENT_MAX_BLOCKS];
	struct cycle_mem mem_snap;
};

static int64_t deadline(const struct cycle_ctx *c)
{
	return guest_phase_deadline(c->job);
}

/* Deep cycles write no host view, and their guest view is "deep". */
static int emit(struct cycle_ctx *c, const char *phase, const char *view,
		const char *metric, double value, const char *unit, int block)
{
	const struct guest_step at = {
		.st = c->st,
		.mode = c->mode,
		.dimm = c->dimm,
		.node = c->job->node,
		.boot = c->boot,
		.rep = c->rep,
		.cycle = c->cycle,
		.target_mib = -1,
	};

	if (c->deep && !strcmp(view, "host"))
		return 0;
	if (c->deep)
		view = "deep";
	return guest_emit(c->g, &at, block, phase, view, metric, value, unit);
}

/* Classifies a failed call on the guest: hang, interrupt or refusal. */
static int guest_fail(struct cycle_ctx *c, int ret, const char *what,
		      const char *detail)
{
	if (ret == -EINTR || sig_pending()) {
		err_set(EXIT_INTR, "interrupted by %s during %s",
			sig_name(sig_pending()), what);
		return -EINTR;
	}
	if (ret == -ETIMEDOUT || ret == -EPIPE || ret == -EPROTO) {
		char st[768];

		/* Hung, panicked or killed: which, in words. */
		if (!guest_death(c->g, ret == -EPIPE, st, sizeof(st)) &&
		    ret == -EPROTO)
			snprintf(st, sizeof(st),
				 "QEMU is running, the agent's reply was not "
				 "the protocol");
		err_set(EXIT_HANG, "%s: %s; %s", what, detail, st);
		guest_append_console(c->g, 20);
		return ret;
	}
	err_set(EXIT_FAIL, "%s: %s", what, detail);
	return ret;
}

static int qmp_fail(struct cycle_ctx *c, int ret, const char *what)
{
	if (ret == -EIO) {
		/* qmp_errmsg() names the command and QEMU's desc. */
		err_set(EXIT_QMP, "QEMU refused QMP %s", qmp_errmsg(c->g->qmp));
		return ret;
	}
	return guest_fail(c, ret, what, qmp_errmsg(c->g->qmp));
}

static int snap_meminfo(struct cycle_ctx *c, struct agent_meminfo *m,
			const char *when)
{
	int ret = agent_meminfo(&c->g->agent, m, deadline(c));

	if (ret)
		return guest_fail(c, ret, when, c->g->agent.err);
	return 0;
}

static int count_blocks(struct cycle_ctx *c, int *n)
{
	static struct agent_blocks b; /* large; one cycle at a time */
	int ret = agent_blocks(&c->g->agent, &b, deadline(c));

	if (ret)
		return guest_fail(c, ret, "listing memory blocks",
				  c->g->agent.err);
	*n = b.n;
	return 0;
}

/* Add and remove: the host view, and the guest's uevent window if any. */
static int emit_uevent_phase(struct cycle_ctx *c, const char *phase,
			     int64_t host_ns, const struct agent_uevents *ev)
{
	int ret;

	c->phase_ns += host_ns;
	ret = emit(c, phase, "host", "latency_ns", (double)host_ns, "ns", -1);
	if (!ret && uevent_count(ev) > 1)
		ret = emit(c, phase, "guest", "latency_ns",
			   (double)uevent_span(ev), "ns", -1);
	return ret;
}

/* Not a subtraction: block numbers come from the guest, and INT_MIN - 1
 * would overflow. */
static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int phase_add(struct cycle_ctx *c, struct dimm *d)
{
	struct agent_uevents ev;
	int64_t t0, t_end, dl = deadline(c);
	int ret, status;

	ret = dimm_plug(d, c->job->node, dl, &t0);
	if (ret)
		return qmp_fail(c, ret, d->added ? "device_add" : "object-add");
	/* The guest's _OST closes the ACPI hot-add: status 0 = success. */
	ret = dimm_wait_inserted(d, dl, &t_end, &status);
	if (ret == -EIO) {
		err_set(EXIT_FAIL,
			"guest refused hot-add of %s: _OST status 0x%x", d->dev,
			status);
		return -EIO;
	}
	if (ret)
		return guest_fail(c, ret, "waiting for ACPI_DEVICE_OST",
				  qmp_errmsg(c->g->qmp));
	ret = dimm_wait_blocks(d, "add", &ev, dl);
	if (ret)
		return guest_fail(c, ret, "waiting for the new memory blocks",
				  c->g->agent.err);
	if (clock_now_ns() > t_end)
		t_end = clock_now_ns();
	qsort(d->blocks, (size_t)d->nblocks, sizeof(int), cmp_int);
	return emit_uevent_phase(c, "add", t_end - t0, &ev);
}

/* The breakdown of one traced write: fn_<child>_ns and _calls, the traced
 * total of the entry function, and what no child accounts for. */
static int emit_trace(struct cycle_ctx *c, const char *op, int block,
		      const struct deep_trace *t)
{
	char m[96];
	int ret;

	if ((ret = emit(c, op, "guest", "fn_total_ns", (double)t->total_ns,
			"ns", block)) ||
	    (ret = emit(c, op, "guest", "fn_other_ns",
			(double)(t->total_ns - t->children_ns), "ns", block)))
		return ret;
	for (int i = 0; i < t->n && !ret; i++) {
		snprintf(m, sizeof(m), "fn_%s_ns", t->fn[i].name);
		ret = emit(c, op, "guest", m, (double)t->fn[i].total_ns, "ns",
			   block);
		snprintf(m, sizeof(m), "fn_%s_calls", t->fn[i].name);
		if (!ret)
			ret = emit(c, op, "guest", m, (double)t->fn[i].calls,
				   "count", block);
	}
	return ret;
}

/* A state write: under the tracer in deep cycles while tracing works. */
static int state_write(struct cycle_ctx *c, const char *op, int block,
		       struct agent_state_result *r, int64_t dl)
{
	struct deep_trace t;
	int ret;

	if (!c->deep || !c->db || !c->db->trace_ok)
		return agent_set_state(&c->g->agent, op, block,
				       fault_online_zone(c),
				       c->job->inject_online_delay_ms * 1000,
				       r, dl);
	memset(r, 0, sizeof(*r));
	/* Switching the tracer on and off takes 4-15 s each under TCG. */
	dl += DEEP_TRACE_SLACK_MS * NS_PER_MS;
	ret = deep_traced_state(c->g, c->job, op, block, &r->ns, &t, dl);
	if (ret == -ENOTSUP) { /* the write itself went through */
		warn_add("ftrace: %s; no online/offline breakdown",
			 c->g->agent.err);
		c->db->trace_ok = 0;
		return 0;
	}
	if (ret) {
		r->err = c->g->agent.err_errno;
		return ret;
	}
	return emit_trace(c, op, block, &t);
}

/* Deep cycles, after online: where each block's memmap lives and what a
 * walk of its struct pages costs. A probe that fails is said once. */
static int probe_blocks(struct cycle_ctx *c, struct dimm *d)
{
	struct deep_probe p;
	int ret = 0;

	for (int i = 0; i < d->nblocks && !ret && c->db->probe_ok; i++) {
		int b = d->blocks[i];

		if (deep_probe_block(c->g, b, &p, deadline(c))) {
			warn_add("probe of memory%d: %s; no more probes this "
				 "boot",
				 b, c->g->agent.err);
			c->db->probe_ok = 0;
			break;
		}
		if ((ret = emit(c, "online", "guest", "memmap_local_fraction",
				p.local_fraction, "ratio", b)) ||
		    (ret = emit(c, "online", "guest", "memmap_node",
				p.memmap_node, "node", b)) ||
		    (ret = emit(c, "online", "guest", "memmap_walker_local",
				p.memmap_node == c->db->walker_node, "bool",
				b)) ||
		    (ret = emit(c, "online", "guest", "walk_cold_ns_per_page",
				p.cold_ns_per_page, "ns", b)))
			break;
		ret = emit(c, "online", "guest", "walk_warm_ns_per_page",
			   p.warm_ns_per_page, "ns", b);
	}
	return ret;
}

static int pmu_on(const struct cycle_ctx *c)
{
	return !c->deep && c->db && c->db->npmu;
}

/* PMU counts of a measured phase: pmu_<event> = after - before, summed
 * over the vCPUs (work runs in kworkers too). Read outside the timed
 * window of the phase. */
static int pmu_emit(struct cycle_ctx *c, const char *phase,
		    const struct deep_counts *before)
{
	struct deep_counts after;
	char m[96];
	int ret = 0;

	if (!pmu_on(c))
		return 0;
	if (deep_pmu_read(c->g, &after, deadline(c)))
		return guest_fail(c, -EIO, "pmu_read", c->g->agent.err);
	for (int i = 0; i < after.n && !ret; i++)
		for (int j = 0; j < before->n; j++) {
			if (strcmp(after.ev[i].name, before->ev[j].name))
				continue;
			snprintf(m, sizeof(m), "pmu_%s", after.ev[i].name);
			for (char *p = m; *p; p++)
				if (!isalnum((unsigned char)*p))
					*p = '_';
			ret = emit(c, phase, "guest", m,
				   after.ev[i].value - before->ev[j].value,
				   after.ev[i].multiplexed ? "count_scaled"
							   : "count",
				   -1);
		}
	return ret;
}

static int pmu_start(struct cycle_ctx *c, struct deep_counts *before)
{
	before->n = 0;
	if (pmu_on(c) && deep_pmu_read(c->g, before, deadline(c)))
		return guest_fail(c, -EIO, "pmu_read", c->g->agent.err);
	return 0;
}

/* A failure the guest did not report: no reply, a closed channel,
 * garbage, a signal. */
static int transport_error(int ret)
{
	return ret == -ETIMEDOUT || ret == -EPIPE || ret == -EPROTO ||
	       ret == -EINTR;
}

#define OFFLINE_RETRY_MS 200

/* An offline the kernel refused (EBUSY: pages it cannot move) is tried
 * offline_retries more times, OFFLINE_RETRY_MS apart. Each refusal but the
 * last is an errno sample here (the caller writes the last); a cycle whose
 * offline stays refused is recovered by recover_offline(). */
static int offline_retry(struct cycle_ctx *c, int block,
			 struct agent_state_result *r, int64_t dl, int ret)
{
	c->offline_tries = 1;
	while (ret && !transport_error(ret) && r->err &&
	       c->offline_tries <= c->job->offline_retries) {
		int e = emit(c, "offline", "guest", "errno", r->err, "errno",
			     block);

		if (e)
			return e;
		if (usleep(OFFLINE_RETRY_MS * 1000) && sig_pending())
			return -EINTR;
		c->offline_tries++;
		ret = state_write(c, "offline", block, r, dl);
	}
	if (!ret && c->offline_tries > 1)
		warn_add("boot %d cycle %d: offline of memory%d went through "
			 "at try %d; its host-view time includes the retries",
			 c->boot, c->cycle, block, c->offline_tries);
	else if (ret && !transport_error(ret))
		c->offline_refused = r->err ? r->err : -ret;
	return ret;
}

/* Onlines or offlines every block; each write is timed in the guest. */
static int phase_state(struct cycle_ctx *c, struct cycle_dimm *cd,
		       const char *op)
{
	const struct dimm *d = &cd->d;
	int64_t t0 = clock_now_ns(), sum = 0, dl = deadline(c);
	int online = !strcmp(op, "online");
	char what[96];
	int ret;

	for (int i = 0; i < d->nblocks; i++) {
		struct agent_state_result r;

		ret = state_write(c, op, d->blocks[i], &r, dl);
		if (ret && !online)
			ret = offline_retry(c, d->blocks[i], &r, dl, ret);
		if (ret) {
			snprintf(what, sizeof(what), "%s memory%d", op,
				 d->blocks[i]);
			/* Only what the kernel said is an errno sample. */
			if (r.err && !transport_error(ret))
				emit(c, op, "guest", "errno", r.err, "errno",
				     d->blocks[i]);
			return guest_fail(c, ret, what, c->g->agent.err);
		}
		cd->online[i] = online;
		sum += r.ns;
		ret = emit(c, op, "guest", "block_latency_ns", (double)r.ns,
			   "ns", d->blocks[i]);
		if (ret)
			return ret;
	}
	c->phase_ns += clock_now_ns() - t0;
	if ((ret = emit(c, op, "host", "latency_ns",
			(double)(clock_now_ns() - t0), "ns", -1)) ||
	    (ret = emit(c, op, "guest", "latency_ns", (double)sum, "ns", -1)))
		return ret;
	/* Right after the writes, before the kernel can allocate anything
	 * else into a new ZONE_NORMAL block (fault.c). */
	ret = online ? fault_after_online(c) : 0;
	return ret ? guest_fail(c, ret, "injecting a fault", c->g->agent.err)
		   : 0;
}

/* A refused eject (dimm_wait_deleted: -EBUSY) is the caller's to take. */
static int phase_remove(struct cycle_ctx *c, struct dimm *d)
{
	struct agent_uevents ev;
	int64_t t0, t1, dl = deadline(c);
	int ret;

	ret = dimm_del(d, dl, &t0);
	if (ret)
		return qmp_fail(c, ret, "device_del");
	ret = dimm_wait_deleted(d, dl, &t1);
	if (ret == -EBUSY)
		return ret;
	if (ret)
		return guest_fail(c, ret, "waiting for DEVICE_DELETED",
				  "no event by the deadline");
	ret = dimm_wait_blocks(d, "remove", &ev, dl);
	if (ret)
		return guest_fail(c, ret, "waiting for the blocks to go",
				  c->g->agent.err);
	ret = dimm_object_del(d, dl);
	if (ret)
		return qmp_fail(c, ret, "object-del");
	return emit_uevent_phase(c, "remove", t1 - t0, &ev);
}

static int emit_memory(struct cycle_ctx *c, const struct cycle_derived *v)
{
	int ret;

	if ((ret = emit(c, "add", "guest", "memfree_delta_kib",
			(double)v->memfree_delta_add_kib, "KiB", -1)) ||
	    (ret = emit(c, "add", "guest", "memmap_from_ram_kib",
			(double)v->memmap_from_ram_kib, "KiB", -1)) ||
	    (ret = emit(c, "online", "guest", "memtotal_delta_kib",
			(double)v->memtotal_delta_online_kib, "KiB", -1)) ||
	    (ret = emit(c, "online", "guest", "self_hosted_kib",
			(double)v->self_hosted_kib, "KiB", -1)) ||
	    (ret = emit(c, "online", "guest", "self_hosted", v->self_hosted,
			"bool", -1)) ||
	    (ret = emit(c, "remove", "guest", "memtotal_residual_kib",
			(double)v->memtotal_residual_kib, "KiB", -1)))
		return ret;
	return emit(c, "remove", "guest", "blocks_residual", v->blocks_residual,
		    "blocks", -1);
}

/* Leaves the guest with the DIMM gone, whatever state the failure left. */
static void cleanup(struct cycle_ctx *c, struct cycle_dimm *cd)
{
	int64_t dl = clock_now_ns() + CLEANUP_MS * NS_PER_MS;
	struct dimm *d = &cd->d;

	/* A guest that already missed a deadline would only make each of
	 * these calls wait for its own; the caller kills QEMU instead. */
	if (!c->g->up || qemu_exited(&c->g->vm) || err_class() == EXIT_HANG ||
	    err_class() == EXIT_INTR)
		goto dirty;
	fault_unpin(c, NULL);
	for (int i = 0; i < d->nblocks; i++) {
		struct agent_state_result r;

		for (int k = 0; cd->online[i] && k <= c->job->offline_retries;
		     k++) {
			if (k)
				usleep(OFFLINE_RETRY_MS * 1000);
			if (!agent_set_state(&c->g->agent, "offline",
					     d->blocks[i], NULL, 0, &r, dl))
				cd->online[i] = 0;
		}
	}
	if (d->plugged &&
	    (dimm_del(d, dl, NULL) || dimm_wait_deleted(d, dl, NULL)))
		goto dirty;
	if (d->added && dimm_object_del(d, dl))
		goto dirty;
	return;
dirty:
	c->guest_dirty = 1;
}

static void report_residue(struct cycle_ctx *c, const struct cycle_derived *v)
{
	char sz[32];

	units_format_size(c->dimm, sz, sizeof(sz));
	if (v->blocks_residual || v->memtotal_residual_kib)
		warn_add(
			"%s %s cycle %d: after remove the guest has %+d memory "
			"blocks and MemTotal %+lld KiB against before add",
			sz, job_memmap_name(c->mode), c->cycle,
			v->blocks_residual,
			(long long)v->memtotal_residual_kib);
}

/* The kernel kept refusing the offline. That is a failed cycle, not the
 * end of the run, when the DIMM can still be taken out: its eject is
 * tried first, as a user would, and the guest must refuse it too (ACPI
 * _OST, seen by dimm_wait_deleted()); then pinned memory is released and the
 * DIMM offlined and removed. 1 when that leaves the guest clean. */
static int recover_offline(struct cycle_ctx *c, struct cycle_dimm *cd)
{
	const char *ename = strerrorname_np(c->offline_refused);
	int64_t dl = deadline(c);
	struct dimm *d = &cd->d;
	char sz[32], why[1200];
	json_t *f;
	int ret;

	units_format_size(c->dimm, sz, sizeof(sz));
	snprintf(why, sizeof(why), "%s (%s, %d %s)", err_msg(),
		 ename ? ename : "?", c->offline_tries,
		 c->offline_tries == 1 ? "try" : "tries");
	f = json_pack("{s:i,s:i,s:i,s:s,s:s,s:s,s:i,s:i,s:s}", "boot", c->boot,
		      "cycle", c->cycle, "rep", c->rep, "size", sz, "memmap",
		      job_memmap_name(c->mode), "phase", "offline", "errno",
		      c->offline_refused, "tries", c->offline_tries, "reason",
		      why);
	err_reset();
	ret = dimm_del(d, dl, NULL);
	if (!ret)
		ret = dimm_wait_deleted(d, dl, NULL);
	if (ret == -EBUSY) {
		json_object_set_new(f, "eject", json_string(err_msg()));
		err_reset();
	} else if (!ret) {
		/* The guest's own offline went through this time. */
		json_object_set_new(f, "eject",
				    json_string("the guest ejected it"));
	} else if (ret == -EIO) {
		json_object_set_new(f, "eject",
				    json_string(qmp_errmsg(c->g->qmp)));
	} else {
		json_decref(f);
		return qmp_fail(c, ret, "device_del after a refused offline");
	}
	ret = fault_unpin(c, f);
	if (ret) {
		json_decref(f);
		return guest_fail(c, ret, "unpin", c->g->agent.err);
	}
	cleanup(c, cd);
	if (c->guest_dirty) {
		err_reset(); /* cleanup's own words are part of this */
		err_set(EXIT_FAIL,
			"%s; the eject: %s; and the DIMM could not be offlined "
			"and removed after that either",
			json_string_value(json_object_get(f, "reason")),
			json_string_value(json_object_get(f, "eject")));
		json_decref(f);
		return -EBUSY;
	}
	json_object_set_new(f, "cleaned_up", json_true());
	warn_add("boot %d cycle %d (%s %s): %s; the DIMM was removed, the run "
		 "goes on",
		 c->boot, c->cycle, sz, job_memmap_name(c->mode),
		 json_string_value(json_object_get(f, "reason")));
	c->failure = f;
	return CYCLE_FAILED;
}

int cycle_run(struct cycle_ctx *c, void (*phase_cb)(const char *phase))
{
	struct cycle_dimm *cd = calloc(1, sizeof(*cd));
	struct deep_counts pmu;
	struct cycle_mem *m;
	struct dimm *d;
	int ret;

	if (!cd)
		return -ENOMEM;
	d = &cd->d;
	m = &cd->mem_snap;
	c->phase_ns = 0;
	dimm_init(d, c->g, c->dimm);
	/* Start from clean queues: nothing stale may be taken for ours. */
	qmp_drop_events(c->g->qmp, NULL);
	ret = agent_uevents_clear(&c->g->agent, deadline(c));
	if (ret) {
		ret = guest_fail(c, ret, "uevents_clear", c->g->agent.err);
		goto out;
	}
	ret = fault_before_add(c);
	if (ret) {
		ret = guest_fail(c, ret, "injecting a fault", c->g->agent.err);
		goto out;
	}
	if ((ret = count_blocks(c, &m->blocks_before)) ||
	    (ret = snap_meminfo(c, &m->before_add, "meminfo before add")))
		goto out;

	phase_cb("add");
	if ((ret = pmu_start(c, &pmu)) || (ret = phase_add(c, d)) ||
	    (ret = pmu_emit(c, "add", &pmu)) ||
	    (ret = snap_meminfo(c, &m->after_add, "meminfo after add")))
		goto out;
	phase_cb("online");
	if ((ret = pmu_start(c, &pmu)) ||
	    (ret = phase_state(c, cd, "online")) ||
	    (ret = pmu_emit(c, "online", &pmu)) ||
	    (ret = snap_meminfo(c, &m->after_online, "meminfo after online")))
		goto out;
	m->all_online = 1;
	if (c->deep && c->db && c->db->probe_ok &&
	    (ret = probe_blocks(c, d)))
		goto out;
	phase_cb("offline");
	if ((ret = pmu_start(c, &pmu)) ||
	    (ret = phase_state(c, cd, "offline")) ||
	    (ret = pmu_emit(c, "offline", &pmu)) ||
	    (ret = snap_meminfo(c, &m->after_offline, "meminfo after offline")))
		goto out;
	phase_cb("remove");
	if ((ret = pmu_start(c, &pmu)) || (ret = phase_remove(c, d)) ||
	    (ret = pmu_emit(c, "remove", &pmu)) ||
	    (ret = snap_meminfo(c, &m->after_remove, "meminfo after remove")) ||
	    (ret = count_blocks(c, &m->blocks_after_remove)))
		goto out;
	metrics_derive(m, c->dimm, &c->derived);
	report_residue(c, &c->derived);
	ret = emit_memory(c, &c->derived);
out:
	if (ret && c->offline_refused && !transport_error(ret))
		ret = recover_offline(c, cd);
	else if (ret)
		cleanup(c, cd);
	free(cd);
	return ret;
}
