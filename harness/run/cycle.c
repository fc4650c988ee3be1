// SPDX-License-Identifier: GPL-2.0-or-later
/* The cycle's script (cycle_run) and its phases: the DIMM through
 * run/dimm.c, the state writes and their retries, the samples, and the
 * clean-up or recovery of a cycle that failed. */
#include "run/cycle.h"
#include "run/vcpudump.h"
#include "results/metric.h"
#include "base/err.h"
#include "base/sig.h"
#include "base/units.h"
#include "clock.h"
#include "run/uevents.h"
#include "proto/agent_dax.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CLEANUP_MS 30000

/* What the cycle keeps to itself: its DIMM, which blocks of it are
 * online, the meminfo snapshots between the phases, and a refused
 * offline (the errno the kernel kept giving, and the tries). */
struct cycle_state {
	struct dimm d;
	int online[AGENT_MAX_BLOCKS];
	struct cycle_mem mem;
	int offline_refused;
	int offline_tries;
	/* source = pmem: kmem holds the device (its memory is added), or
	 * device_dax may not have it back yet. */
	int kmem_bound;
	int dax_detached;
};

static const char *const phase_names[] = {
	[CYCLE_ADD] = "add",
	[CYCLE_ONLINE] = "online",
	[CYCLE_OFFLINE] = "offline",
	[CYCLE_REMOVE] = "remove",
};

const char *cycle_phase_name(enum cycle_phase ph)
{
	return phase_names[ph];
}

static int64_t deadline(const struct cycle_ctx *c)
{
	return guest_phase_deadline(c->job);
}

int cycle_emit(struct cycle_ctx *c, const char *phase, const char *view,
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
		.offline_fill_pct = c->fill_pct,
	};

	if (c->deep && !strcmp(view, "host"))
		return 0;
	if (c->deep)
		view = "deep";
	return guest_emit(c->g, &at, block, phase, view, metric, value, unit);
}

/* A guest that stopped answering: what its vCPUs were doing, before it
 * is killed (run/vcpudump.h). */
static void append_vcpus(struct guest *g)
{
	char sum[2048];

	if (!g->vcpu_log[0])
		return;
	vcpudump_take(g, g->vcpu_log, sum, sizeof(sum));
	err_append("\nvCPUs (registers and stacks in %s): %s", g->vcpu_log,
		   sum);
}

int cycle_fail(struct cycle_ctx *c, int ret, const char *what,
	       const char *detail)
{
	if (ret == -EINTR || sig_pending()) {
		err_set(EXIT_INTR, "interrupted by %s during %s",
			sig_name(sig_pending()), what);
		return -EINTR;
	}
	if (ret == -ETIMEDOUT || ret == -EPIPE || ret == -EPROTO) {
		char st[768];
		int alive;

		/* Hung, panicked or killed: which, in words. */
		alive = !guest_death(c->g, ret == -EPIPE, st, sizeof(st));
		if (alive && ret == -EPROTO)
			snprintf(st, sizeof(st),
				 "QEMU is running, the agent's reply was not "
				 "the protocol");
		err_set(EXIT_HANG, "%s: %s; %s", what, detail, st);
		if (alive && ret == -ETIMEDOUT)
			append_vcpus(c->g);
		guest_append_console(c->g, 20);
		return ret;
	}
	err_set(EXIT_FAIL, "%s: %s", what, detail);
	return ret;
}

static int qmp_fail(struct cycle_ctx *c, int ret, const char *what)
{
	if (ret == -EIO) /* QEMU's refusal, in its words */
		return guest_qmp_fail(c->g, ret, what);
	return cycle_fail(c, ret, what, qmp_errmsg(c->g->qmp));
}

static int snap_meminfo(struct cycle_ctx *c, struct agent_meminfo *m,
			const char *when)
{
	int ret = agent_meminfo(&c->g->agent, m, deadline(c));

	if (ret)
		return cycle_fail(c, ret, when, c->g->agent.err);
	return 0;
}

static int count_blocks(struct cycle_ctx *c, int *n)
{
	static struct agent_blocks b; /* large; one cycle at a time */
	int ret = agent_blocks(&c->g->agent, &b, deadline(c));

	if (ret)
		return cycle_fail(c, ret, "listing memory blocks",
				  c->g->agent.err);
	*n = b.n;
	return 0;
}

/* Add and remove: the host view (the QMP command until the event that
 * closes the phase), and the span from the first to the last memory-block
 * uevent in the guest. That span is not the phase's latency: the memmap
 * work (arch_add_memory, vmemmap population) happens before the first
 * uevent, so it is `uevent_span_ns`, never `latency_ns` (README, "What a
 * run prints and writes"). A one-block DIMM has no span. */
static int emit_uevent_phase(struct cycle_ctx *c, const char *phase,
			     int64_t host_ns, const struct agent_uevents *ev)
{
	int ret;

	c->phase_ns += host_ns;
	ret = cycle_emit(c, phase, "host", M_LATENCY_NS, (double)host_ns, "ns",
			 -1);
	if (!ret && uevent_count(ev) > 1)
		ret = cycle_emit(c, phase, "guest", M_UEVENT_SPAN_NS,
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

/* The host view's window of phase @ph opens or closes: the observers
 * that count what QEMU spends on the host read their counters here. */
static void window(struct cycle_ctx *c, enum cycle_phase ph, int open)
{
	for (int i = 0; i < c->nhooks; i++)
		if (c->hooks[i].ops->window)
			c->hooks[i].ops->window(c, ph, open, c->hooks[i].arg);
}

static int phase_add(struct cycle_ctx *c, struct cycle_state *s,
		     enum cycle_phase ph)
{
	struct dimm *d = &s->d;
	struct agent_uevents ev;
	int64_t t0, t_end, dl = deadline(c);
	int ret, status;

	ret = dimm_backend_add(d, dl);
	if (ret)
		return qmp_fail(c, ret, "object-add");
	window(c, ph, 1);
	ret = dimm_device_add(d, c->job->node, dl, &t0);
	if (ret)
		return qmp_fail(c, ret, "device_add");
	/* The guest's _OST closes the ACPI hot-add: status 0 = success. */
	ret = dimm_wait_inserted(d, dl, &t_end, &status);
	if (!ret)
		window(c, ph, 0);
	if (ret == -EIO) {
		err_set(EXIT_FAIL,
			"guest refused hot-add of %s: _OST status 0x%x", d->dev,
			status);
		return -EIO;
	}
	if (ret)
		return cycle_fail(c, ret, "waiting for ACPI_DEVICE_OST",
				  qmp_errmsg(c->g->qmp));
	/* The host view ends at the _OST, as remove's ends at its event:
	 * waiting for the blocks' uevents is an agent round trip, not add. */
	ret = dimm_wait_blocks(d, "add", &ev, dl);
	if (ret)
		return cycle_fail(c, ret, "waiting for the new memory blocks",
				  c->g->agent.err);
	qsort(d->blocks, (size_t)d->nblocks, sizeof(int), cmp_int);
	return emit_uevent_phase(c, "add", t_end - t0, &ev);
}

static int pmem(const struct cycle_ctx *c)
{
	return c->job->source == SOURCE_PMEM;
}

/* One kmem step of the pmem device (agent op kmem): @action "bind" or
 * "unbind" is a timed phase, "detach" and "attach" move it off and back
 * onto device_dax outside it. */
static int kmem_step(struct cycle_ctx *c, struct cycle_state *s,
		     const char *action, struct agent_kmem *k, int64_t dl)
{
	int ret = agent_kmem(&c->g->agent, c->g->pmem.dev, action, k, dl);

	if (k->driver[0] || !ret)
		s->kmem_bound = !strcmp(k->driver, "kmem");
	if (!strcmp(action, "detach") && !ret)
		s->dax_detached = 1;
	if (!strcmp(action, "attach") && !ret)
		s->dax_detached = 0;
	return ret;
}

/* Add and remove of source = pmem: the host view is the agent's round
 * trip of kmem's bind or unbind, the guest view its sysfs write, which
 * holds add_memory_driver_managed() or remove_memory() whole (unlike an
 * ACPI add, whose memmap work comes before any uevent). */
static int phase_kmem(struct cycle_ctx *c, struct cycle_state *s,
		      enum cycle_phase ph)
{
	int add = ph == CYCLE_ADD;
	const char *action = add ? "bind" : "unbind";
	struct agent_uevents ev;
	struct agent_kmem k;
	int64_t t0, t1, dl = deadline(c);
	char what[64];
	int ret;

	window(c, ph, 1);
	t0 = clock_now_ns();
	ret = kmem_step(c, s, action, &k, dl);
	t1 = clock_now_ns();
	if (!ret)
		window(c, ph, 0);
	snprintf(what, sizeof(what), "kmem %s of %s", action, c->g->pmem.dev);
	if (ret)
		return cycle_fail(c, ret, what, c->g->agent.err);
	s->d.nseen = 0; /* as dimm_device_add() and dimm_wait_deleted() do */
	ret = dimm_wait_blocks(&s->d, add ? "add" : "remove", &ev, dl);
	if (ret)
		return cycle_fail(c, ret,
				  add ? "waiting for the new memory blocks"
				      : "waiting for the blocks to go",
				  c->g->agent.err);
	if (add)
		qsort(s->d.blocks, (size_t)s->d.nblocks, sizeof(int), cmp_int);
	ret = emit_uevent_phase(c, cycle_phase_name(ph), t1 - t0, &ev);
	return ret ? ret
		   : cycle_emit(c, cycle_phase_name(ph), "guest", M_LATENCY_NS,
				(double)k.ns, "ns", -1);
}

/* source = pmem: device_dax lets the device go before the cycle's first
 * meminfo snapshot, and takes it back after the last one, so that neither
 * move (device_dax maps the device's pages, ZONE_DEVICE, with their own
 * memmap) is in the add's or the remove's memory accounting. */
static int dax_move(struct cycle_ctx *c, struct cycle_state *s,
		    const char *action)
{
	struct agent_kmem k;
	int ret;

	if (!pmem(c))
		return 0;
	ret = kmem_step(c, s, action, &k, deadline(c));
	if (ret)
		return cycle_fail(c, ret,
				  !strcmp(action, "detach")
					  ? "taking the DAX device from "
					    "device_dax"
					  : "giving the DAX device back to "
					    "device_dax",
				  c->g->agent.err);
	return 0;
}

/* A failure the guest did not report: no reply, a closed channel,
 * garbage, a signal. */
static int transport_error(int ret)
{
	return ret == -ETIMEDOUT || ret == -EPIPE || ret == -EPROTO ||
	       ret == -EINTR;
}

/* One block's online or offline write: an observer's (the tracer), or
 * the cycle's own. */
static int state_write(struct cycle_ctx *c, enum cycle_phase ph, int block,
		       struct agent_state_result *r, int64_t dl)
{
	for (int i = 0; i < c->nhooks; i++) {
		const struct cycle_hook *h = &c->hooks[i];
		int ret = h->ops->write
				  ? h->ops->write(c, ph, block, r, dl, h->arg)
				  : CYCLE_PASS;

		if (ret != CYCLE_PASS)
			return ret;
	}
	return agent_set_state(&c->g->agent, cycle_phase_name(ph), block,
			       c->zone, c->job->inject_online_delay_us,
			       c->job->settle_ms * 1000, r, dl);
}

#define OFFLINE_RETRY_MS 200

/* An offline the kernel refused (EBUSY: pages it cannot move) is tried
 * offline_retries more times, OFFLINE_RETRY_MS apart. Each refusal but the
 * last is an errno sample here (the caller writes the last); a cycle whose
 * offline stays refused is recovered by recover_offline(). */
static int offline_retry(struct cycle_ctx *c, struct cycle_state *s, int block,
			 struct agent_state_result *r, int64_t dl, int ret)
{
	s->offline_tries = 1;
	while (ret && !transport_error(ret) && r->err &&
	       s->offline_tries <= c->job->offline_retries) {
		int e = cycle_emit(c, "offline", "guest", M_ERRNO, r->err,
				   "errno", block);

		if (e)
			return e;
		if (usleep(OFFLINE_RETRY_MS * 1000) && sig_pending())
			return -EINTR;
		s->offline_tries++;
		ret = state_write(c, CYCLE_OFFLINE, block, r, dl);
	}
	if (!ret && s->offline_tries > 1)
		warn_add("boot %d cycle %d: offline of memory%d went through "
			 "at try %d; its host-view time includes the retries",
			 c->boot, c->cycle, block, s->offline_tries);
	else if (ret && !transport_error(ret))
		s->offline_refused = r->err ? r->err : -ret;
	return ret;
}

/* Onlines or offlines every block; each write is timed in the guest. */
static int phase_state(struct cycle_ctx *c, struct cycle_state *s,
		       enum cycle_phase ph)
{
	const struct dimm *d = &s->d;
	int64_t t0, t1, sum = 0, dl = deadline(c);
	const char *op = cycle_phase_name(ph);
	int online = ph == CYCLE_ONLINE;
	int tries = 1; /* the most writes one block's offline took */
	char what[96];
	int ret;

	window(c, ph, 1);
	t0 = clock_now_ns();
	for (int i = 0; i < d->nblocks; i++) {
		struct agent_state_result r;

		ret = state_write(c, ph, d->blocks[i], &r, dl);
		if (ret && !online) {
			ret = offline_retry(c, s, d->blocks[i], &r, dl, ret);
			if (s->offline_tries > tries)
				tries = s->offline_tries;
		}
		if (ret) {
			snprintf(what, sizeof(what), "%s memory%d", op,
				 d->blocks[i]);
			/* Only what the kernel said is an errno sample. */
			if (r.err && !transport_error(ret))
				cycle_emit(c, op, "guest", M_ERRNO, r.err,
					   "errno", d->blocks[i]);
			return cycle_fail(c, ret, what, c->g->agent.err);
		}
		s->online[i] = online;
		sum += r.ns;
		ret = cycle_emit(c, op, "guest", M_BLOCK_LATENCY_NS,
				 (double)r.ns, "ns", d->blocks[i]);
		/* The gap since the last hotplug operation decides whether
		 * the write waits for an RCU grace period (README, "Settle
		 * time"). */
		if (!ret && r.gap_ns >= 0)
			ret = cycle_emit(c, op, "guest", M_GAP_NS,
					 (double)r.gap_ns, "ns", d->blocks[i]);
		if (ret)
			return ret;
	}
	/* One end for the host view and the window, taken before any sample
	 * of the phase as a whole is written. */
	t1 = clock_now_ns();
	window(c, ph, 0);
	c->phase_ns += t1 - t0;
	c->state_ns = sum;
	if (!online && (ret = cycle_emit(c, op, "host", M_OFFLINE_TRIES, tries,
					 "tries", -1)))
		return ret;
	/* A retried offline's host time holds the OFFLINE_RETRY_MS sleeps:
	 * it is kept under a name of its own, out of the statistics. */
	if ((ret = cycle_emit(c, op, "host",
			      tries > 1 ? M_LATENCY_WITH_RETRIES_NS
					: M_LATENCY_NS,
			      (double)(t1 - t0), "ns", -1)))
		return ret;
	return cycle_emit(c, op, "guest", M_LATENCY_NS, (double)sum, "ns", -1);
}

/* A refused eject (dimm_wait_deleted: -EBUSY) is the caller's to take. */
static int phase_remove(struct cycle_ctx *c, struct cycle_state *s,
			enum cycle_phase ph)
{
	struct dimm *d = &s->d;
	struct agent_uevents ev;
	int64_t t0, t1, dl = deadline(c);
	int ret;

	window(c, ph, 1);
	ret = dimm_del(d, dl, &t0);
	if (ret)
		return qmp_fail(c, ret, "device_del");
	ret = dimm_wait_deleted(d, dl, &t1);
	if (!ret)
		window(c, ph, 0);
	if (ret == -EBUSY)
		return ret;
	if (ret)
		return cycle_fail(c, ret, "waiting for DEVICE_DELETED",
				  "no event by the deadline");
	ret = dimm_wait_blocks(d, "remove", &ev, dl);
	if (ret)
		return cycle_fail(c, ret, "waiting for the blocks to go",
				  c->g->agent.err);
	ret = dimm_object_del(d, dl);
	if (ret)
		return qmp_fail(c, ret, "object-del");
	return emit_uevent_phase(c, "remove", t1 - t0, &ev);
}

static int emit_memory(struct cycle_ctx *c, const struct cycle_derived *v)
{
	int ret;

	if ((ret = cycle_emit(c, "add", "guest", M_MEMFREE_DELTA_KIB,
			      (double)v->memfree_delta_add_kib, "KiB", -1)) ||
	    (ret = cycle_emit(c, "add", "guest", M_MEMMAP_FROM_RAM_KIB,
			      (double)v->memmap_from_ram_kib, "KiB", -1)) ||
	    (ret = cycle_emit(c, "online", "guest", M_MEMTOTAL_DELTA_KIB,
			      (double)v->memtotal_delta_online_kib, "KiB",
			      -1)) ||
	    (ret = cycle_emit(c, "online", "guest", M_SELF_HOSTED_KIB,
			      (double)v->self_hosted_kib, "KiB", -1)) ||
	    (ret = cycle_emit(c, "online", "guest", M_SELF_HOSTED,
			      v->self_hosted, "bool", -1)) ||
	    (ret = cycle_emit(c, "remove", "guest", M_MEMTOTAL_RESIDUAL_KIB,
			      (double)v->memtotal_residual_kib, "KiB", -1)))
		return ret;
	if ((ret = cycle_emit(c, "remove", "guest", M_BLOCKS_RESIDUAL,
			      v->blocks_residual, "blocks", -1)))
		return ret;
	/* Where the kernel has no counter there is no sample: the manifest's
	 * boots[].memmap_counter says why (bootcheck.c). */
	for (int ph = CYCLE_ADD; v->memmap_counted && ph <= CYCLE_REMOVE; ph++)
		if ((ret = cycle_emit(c, cycle_phase_name(ph), "guest",
				      M_NR_MEMMAP_DELTA_KIB,
				      (double)v->memmap_counter_kib[ph], "KiB",
				      -1)))
			return ret;
	return 0;
}

/* nr_memmap_pages counts the memmap independently of MemFree and
 * MemTotal (README "Metrics"): a change at add that disagrees with what
 * they imply is worth a warning, once per boot. */
static void check_memmap_counter(struct cycle_ctx *c,
				 const struct cycle_derived *v)
{
	char sz[32];

	if (!metrics_memmap_disagrees(v) || c->g->memmap_warned)
		return;
	c->g->memmap_warned = 1;
	units_format_size(c->dimm, sz, sizeof(sz));
	warn_add("%s DIMM, %s mode, boot %d: nr_memmap_pages grew by %lld KiB "
		 "at add, but MemFree/MemTotal imply a memmap of %lld KiB "
		 "(%lld from RAM + %lld inside the DIMM; 1/64 of the DIMM is "
		 "%lld); the first such cycle of this boot",
		 sz, job_memmap_name(c->mode), c->boot,
		 (long long)v->memmap_counter_kib[CYCLE_ADD],
		 (long long)v->memmap_implied_kib,
		 (long long)v->memmap_from_ram_kib,
		 (long long)(v->self_hosted_kib > 0 ? v->self_hosted_kib : 0),
		 (long long)metrics_memmap_kib(c->dimm));
}

/* The observers give back what they hold in the guest (fault.c: pinned
 * memory); with @record, the first failure is the result. */
static int release(struct cycle_ctx *c, json_t *record)
{
	int ret = 0;

	for (int i = 0; i < c->nhooks && !ret; i++) {
		const struct cycle_hook *h = &c->hooks[i];

		if (h->ops->release)
			ret = h->ops->release(c, record, h->arg);
		if (!record)
			ret = 0;
	}
	return ret;
}

/* Leaves the guest with the DIMM gone, whatever state the failure left. */
static void cleanup(struct cycle_ctx *c, struct cycle_state *s)
{
	int64_t dl = clock_now_ns() + CLEANUP_MS * NS_PER_MS;
	struct dimm *d = &s->d;

	/* A guest that already missed a deadline would only make each of
	 * these calls wait for its own; the caller kills QEMU instead. */
	if (!c->g->up || qemu_exited(&c->g->vm) || err_class() == EXIT_HANG ||
	    err_class() == EXIT_INTR)
		goto dirty;
	release(c, NULL);
	for (int i = 0; i < d->nblocks; i++) {
		struct agent_state_result r;

		for (int k = 0; s->online[i] && k <= c->job->offline_retries;
		     k++) {
			if (k)
				usleep(OFFLINE_RETRY_MS * 1000);
			if (!agent_set_state(&c->g->agent, "offline",
					     d->blocks[i], NULL, 0, 0, &r, dl))
				s->online[i] = 0;
		}
	}
	if (pmem(c)) {
		struct agent_kmem k;

		if ((s->kmem_bound && kmem_step(c, s, "unbind", &k, dl)) ||
		    ((s->kmem_bound || s->dax_detached) &&
		     kmem_step(c, s, "attach", &k, dl)))
			goto dirty;
		return;
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
 * _OST, seen by dimm_wait_deleted()); then the observers release what
 * they hold (pinned memory) and the DIMM is offlined and removed. 1 when
 * that leaves the guest clean. */
static int recover_offline(struct cycle_ctx *c, struct cycle_state *s)
{
	const char *ename = strerrorname_np(s->offline_refused);
	int64_t dl = deadline(c);
	struct dimm *d = &s->d;
	char sz[32], why[1200];
	json_t *f;
	int ret;

	units_format_size(c->dimm, sz, sizeof(sz));
	snprintf(why, sizeof(why), "%s (%s, %d %s)", err_msg(),
		 ename ? ename : "?", s->offline_tries,
		 s->offline_tries == 1 ? "try" : "tries");
	f = json_pack("{s:i,s:i,s:i,s:s,s:s,s:s,s:i,s:i,s:s}", "boot", c->boot,
		      "cycle", c->cycle, "rep", c->rep, "size", sz, "memmap",
		      job_memmap_name(c->mode), "phase", "offline", "errno",
		      s->offline_refused, "tries", s->offline_tries, "reason",
		      why);
	err_reset();
	/* A pmem device has no eject to try: kmem's remove would only find
	 * the block still online. */
	ret = pmem(c) ? -EBUSY : dimm_del(d, dl, NULL);
	if (!ret)
		ret = dimm_wait_deleted(d, dl, NULL);
	if (ret == -EBUSY && pmem(c)) {
		json_object_set_new(f, "eject",
				    json_string("none (source = pmem)"));
	} else if (ret == -EBUSY) {
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
	ret = release(c, f);
	if (ret) {
		json_decref(f);
		return ret;
	}
	cleanup(c, s);
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

/* The observers' before or after hooks of phase @ph, in order. */
static int notify(struct cycle_ctx *c, enum cycle_phase ph, int after)
{
	int ret = 0;

	for (int i = 0; i < c->nhooks && !ret; i++) {
		const struct cycle_observer *o = c->hooks[i].ops;
		int (*hook)(struct cycle_ctx *, enum cycle_phase, void *) =
			after ? o->after : o->before;

		if (hook)
			ret = hook(c, ph, c->hooks[i].arg);
	}
	return ret;
}

/* Names the DIMM, starts from clean queues (nothing stale may be taken
 * for ours) and lets the observers start. */
static int begin(struct cycle_ctx *c, struct cycle_state *s)
{
	int ret;

	dimm_init(&s->d, c->g, c->dimm);
	s->d.host_node = dimm_host_node(c->job);
	c->d = &s->d;
	c->zone = job_zone_name(c->job->zone);
	qmp_drop_events(c->g->qmp, NULL);
	ret = agent_uevents_clear(&c->g->agent, deadline(c));
	if (ret)
		return cycle_fail(c, ret, "uevents_clear", c->g->agent.err);
	for (int i = 0; i < c->nhooks && !ret; i++)
		if (c->hooks[i].ops->start)
			ret = c->hooks[i].ops->start(c, c->hooks[i].arg);
	return ret;
}

/* One phase: the observers before it, its timed work and samples, the
 * observers after it, then the meminfo snapshot after it (@snap). */
static int phase(struct cycle_ctx *c, struct cycle_state *s,
		 enum cycle_phase ph, struct agent_meminfo *snap,
		 void (*phase_cb)(const char *phase))
{
	static int (*const work[])(struct cycle_ctx *, struct cycle_state *,
				   enum cycle_phase) = {
		[CYCLE_ADD] = phase_add,
		[CYCLE_ONLINE] = phase_state,
		[CYCLE_OFFLINE] = phase_state,
		[CYCLE_REMOVE] = phase_remove,
	};
	static int (*const work_pmem[])(
		struct cycle_ctx *, struct cycle_state *, enum cycle_phase) = {
		[CYCLE_ADD] = phase_kmem,
		[CYCLE_ONLINE] = phase_state,
		[CYCLE_OFFLINE] = phase_state,
		[CYCLE_REMOVE] = phase_kmem,
	};
	char when[48];
	int ret;

	if ((ret = notify(c, ph, 0)))
		return ret;
	phase_cb(cycle_phase_name(ph));
	if ((ret = (pmem(c) ? work_pmem : work)[ph](c, s, ph)) ||
	    (ret = notify(c, ph, 1)))
		return ret;
	snprintf(when, sizeof(when), "meminfo after %s", cycle_phase_name(ph));
	return snap_meminfo(c, snap, when);
}

/* The memory accounting of a cycle that went through: every block went
 * online. */
static int account(struct cycle_ctx *c, struct cycle_mem *m)
{
	m->all_online = 1;
	metrics_derive(m, c->dimm, &c->derived);
	report_residue(c, &c->derived);
	check_memmap_counter(c, &c->derived);
	return emit_memory(c, &c->derived);
}

int cycle_run(struct cycle_ctx *c, void (*phase_cb)(const char *phase))
{
	struct cycle_state *s = calloc(1, sizeof(*s));
	struct cycle_mem *m;
	int ret;

	if (!s)
		return -ENOMEM;
	m = &s->mem;
	c->phase_ns = 0;
	if (!(ret = begin(c, s)) && !(ret = dax_move(c, s, "detach")) &&
	    !(ret = count_blocks(c, &m->blocks_before)) &&
	    !(ret = snap_meminfo(c, &m->before_add, "meminfo before add")) &&
	    !(ret = phase(c, s, CYCLE_ADD, &m->after_add, phase_cb)) &&
	    !(ret = phase(c, s, CYCLE_ONLINE, &m->after_online, phase_cb)) &&
	    !(ret = phase(c, s, CYCLE_OFFLINE, &m->after_offline, phase_cb)) &&
	    !(ret = phase(c, s, CYCLE_REMOVE, &m->after_remove, phase_cb)) &&
	    !(ret = count_blocks(c, &m->blocks_after_remove)) &&
	    !(ret = dax_move(c, s, "attach")))
		ret = account(c, m);
	if (ret && s->offline_refused && !transport_error(ret))
		ret = recover_offline(c, s);
	else if (ret)
		cleanup(c, s);
	c->d = NULL; /* it goes with the cycle */
	free(s);
	return ret;
}
