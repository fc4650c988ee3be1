// SPDX-License-Identifier: GPL-2.0-or-later
#include "run/oomedge.h"
#include "results/metric.h"
#include "clock.h"
#include "base/err.h"
#include "run/dimm.h"
#include "proto/agent_dax.h"
#include "run/metrics.h"
#include "base/sig.h"
#include "base/units.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How long a possibly dead guest gets to show it is alive. */
#define PROBE_MS 5000

static const char *const end_names[] = {
	[OOM_END_CAP] = "cap",		 [OOM_END_ADD_FAILURE] = "add_failure",
	[OOM_END_OOM_KILL] = "oom_kill", [OOM_END_GUEST_DEATH] = "guest_death",
	[OOM_END_SKIPPED] = "skipped",
};

struct point {
	struct guest_step at; /* the samples' columns; cycle = the step */
	int64_t base_oom_kill;
	int64_t min_free;
	int added;
	json_t *victims, *kmsg;
	char detail[1200];
};

const char *oomedge_end_name(enum oomedge_end e)
{
	return e <= OOM_END_SKIPPED ? end_names[e] : "?";
}

int oomedge_predict(enum job_memmap mode, int64_t free_kib,
		    int64_t min_free_kib, uint64_t dimm, int cap)
{
	int64_t per = metrics_memmap_kib(dimm), n;

	if (mode == MEMMAP_SELF || per <= 0)
		return cap;
	n = (free_kib - (min_free_kib > 0 ? min_free_kib : 0)) / per;
	return n < 0 ? 0 : n > cap ? cap : (int)n;
}

/* What one add adds: a DIMM of the job's size, or (source = pmem) the
 * blocks kmem adds of the region, which goes in once. */
static uint64_t unit_bytes(const struct oomedge_ctx *c)
{
	if (c->job->source == SOURCE_PMEM)
		return c->g->pmem_bytes;
	return job_dimm_size(c->job, 0, c->g->hello.block_size);
}

static int64_t deadline(const struct oomedge_ctx *c)
{
	return guest_phase_deadline(c->job);
}

/* Step 0 is the point as a whole, step k its k-th DIMM. */
static int emit(struct oomedge_ctx *c, struct point *pt, int step,
		const char *metric, double value, const char *unit)
{
	pt->at.cycle = step;
	return guest_emit(c->g, &pt->at, -1, "oom_edge", "guest", metric, value,
			  unit);
}

/* Keeps the kernel log of the point (the newest KMSG_KEEP lines) and the
 * victims named in its "Killed process PID (COMM)" lines. */
#define KMSG_KEEP 300

static void scan_kmsg(struct point *pt, const struct agent_oom_status *st)
{
	for (int i = 0; i < st->nkmsg; i++) {
		const char *k = strstr(st->kmsg[i], "Killed process ");
		char comm[64];
		int pid;

		if (json_array_size(pt->kmsg) >= KMSG_KEEP)
			json_array_remove(pt->kmsg, 0);
		json_array_append_new(pt->kmsg, json_string(st->kmsg[i]));
		if (k &&
		    sscanf(k, "Killed process %d (%63[^)])", &pid, comm) == 2)
			json_array_append_new(pt->victims,
					      json_pack("{s:i,s:s}", "pid", pid,
							"comm", comm));
	}
}

/* After a failed call: is the guest still there? */
static int guest_alive(struct oomedge_ctx *c)
{
	static struct agent_oom_status st;

	if (qemu_exited(&c->g->vm))
		return 0;
	return !agent_oom_status(&c->g->agent, &st,
				 clock_now_ns() + PROBE_MS * NS_PER_MS);
}

static int died(struct oomedge_ctx *c, struct point *pt, const char *what)
{
	char tail[4096], st[128], panic[512];

	/* A panicking guest closes its sockets just before QEMU exits. */
	qemu_wait_exit(&c->g->vm, clock_now_ns() + 2 * NS_PER_S);
	qemu_describe_exit(&c->g->vm, st, sizeof(st));
	guest_panic_line(c->g->vm.console_log, panic, sizeof(panic));
	snprintf(pt->detail, sizeof(pt->detail), "%s; QEMU %s%s%s", what, st,
		 panic[0] ? "; " : "", panic);
	qemu_file_tail(c->g->vm.console_log, 40, tail, sizeof(tail));
	json_object_set_new(c->event, "console_tail", json_string(tail));
	if (panic[0])
		json_object_set_new(c->event, "panic", json_string(panic));
	c->end = OOM_END_GUEST_DEATH;
	c->g->up = 0; /* nothing to power off politely */
	return 1;
}

/* Checks the OOM killer after each add; 1 when it fired. */
static int oom_fired(struct oomedge_ctx *c, struct point *pt)
{
	static struct agent_oom_status st;
	int ret = agent_oom_status(&c->g->agent, &st, deadline(c));

	if (ret)
		return died(c, pt, "the agent stopped answering");
	scan_kmsg(pt, &st);
	if (st.oom_kill <= pt->base_oom_kill)
		return 0;
	snprintf(pt->detail, sizeof(pt->detail),
		 "oom_kill went from %lld to %lld%s",
		 (long long)pt->base_oom_kill, (long long)st.oom_kill,
		 st.hog_alive ? "" : "; the hog is dead");
	c->end = OOM_END_OOM_KILL;
	return 1;
}

static const char *kmsg_find(const struct agent_oom_status *st,
			     const char *needle)
{
	for (int i = 0; i < st->nkmsg; i++)
		if (strstr(st->kmsg[i], needle))
			return st->kmsg[i];
	return NULL;
}

/* After a successful _OST the blocks appear at once, unless add_memory()
 * failed: the ACPI driver still reports success to the firmware, and only
 * the kernel log says so. So wait in slices and read the log in between;
 * the first of add failure and OOM kill ends the point. 0 when all the
 * blocks are there (in d->blocks), 1 when the point ended. */
static int wait_new_blocks(struct oomedge_ctx *c, struct point *pt,
			   struct dimm *d, int64_t dl)
{
	static struct agent_uevents ev;
	static struct agent_oom_status st;
	const char *line;

	while (d->nseen < d->nblocks) {
		int64_t slice = clock_now_ns() + 2 * NS_PER_S;
		int ret = dimm_wait_blocks(d, "add", &ev,
					   slice < dl ? slice : dl);

		if (!ret)
			continue;
		if (ret != -ETIMEDOUT ||
		    agent_oom_status(&c->g->agent, &st, deadline(c)))
			return died(c, pt, "the agent stopped answering");
		scan_kmsg(pt, &st);
		line = kmsg_find(&st, "add_memory failed");
		if (!line)
			line = kmsg_find(&st, "acpi_memory_enable_device");
		if (line || st.oom_kill > pt->base_oom_kill ||
		    clock_now_ns() >= dl) {
			snprintf(pt->detail, sizeof(pt->detail),
				 "%s: %d of %d blocks; %s", d->dev, d->nseen,
				 d->nblocks,
				 line ? line
				 : st.oom_kill > pt->base_oom_kill
					 ? "the OOM killer fired"
					 : "no more by the deadline");
			c->end = line || st.oom_kill <= pt->base_oom_kill
					 ? OOM_END_ADD_FAILURE
					 : OOM_END_OOM_KILL;
			return 1;
		}
	}
	return 0;
}

/* The blocks of add @k are there: online them if asked, and read MemFree.
 * 1 when the point ended, 0 to go on, <0 on a harness failure. */
static int added(struct oomedge_ctx *c, struct point *pt, struct dimm *d, int k,
		 int64_t t0, int64_t dl)
{
	struct agent_meminfo m;
	int ret;

	for (int i = 0; c->job->oom_online == JOB_YES && i < d->nseen; i++) {
		struct agent_state_result r;

		if (agent_set_state(&c->g->agent, "online", d->blocks[i],
				    job_zone_name(c->job->zone), 0, 0, &r,
				    dl) &&
		    !guest_alive(c))
			return died(c, pt, "the agent stopped answering");
	}
	c->phase_ns += clock_now_ns() - t0;
	pt->added = k;
	if (agent_meminfo(&c->g->agent, &m, dl))
		return died(c, pt, "the agent stopped answering");
	if (m.mem_free < pt->min_free)
		pt->min_free = m.mem_free;
	if ((ret = emit(c, pt, k, M_MEMFREE_KIB, (double)m.mem_free, "KiB")))
		return ret;
	return oom_fired(c, pt);
}

/* source = pmem: kmem takes the DAX device (its add_memory, memmap and
 * all, inside the write); a refusal is the edge, with the agent's words
 * (the kernel's errno) as the detail. */
static int add_kmem(struct oomedge_ctx *c, struct point *pt, int k)
{
	struct dimm d;
	struct agent_kmem km;
	int64_t t0 = clock_now_ns(), dl = deadline(c);
	int ret;

	dimm_init(&d, c->g, unit_bytes(c));
	ret = agent_kmem(&c->g->agent, c->g->pmem.dev, "detach", &km, dl);
	if (!ret)
		ret = agent_kmem(&c->g->agent, c->g->pmem.dev, "bind", &km, dl);
	if (ret && !guest_alive(c))
		return died(c, pt, "the guest died during kmem's add");
	if (ret) {
		static struct agent_oom_status st;
		const char *line = NULL;

		/* The write's errno is kmem's; the kernel log says what
		 * add_memory_driver_managed() ran out of. */
		snprintf(pt->detail, sizeof(pt->detail), "%s", c->g->agent.err);
		if (!agent_oom_status(&c->g->agent, &st, dl)) {
			scan_kmsg(pt, &st);
			line = kmsg_find(&st, c->g->pmem.dev);
		}
		if (line)
			snprintf(pt->detail + strlen(pt->detail),
				 sizeof(pt->detail) - strlen(pt->detail),
				 "; kernel: %s", line);
		c->end = OOM_END_ADD_FAILURE;
		return 1;
	}
	ret = wait_new_blocks(c, pt, &d, dl);
	return ret ? ret : added(c, pt, &d, k, t0, dl);
}

/* One DIMM: 1 when the point ended (c->end set), 0 to go on, <0 on a
 * harness failure. */
static int add_one(struct oomedge_ctx *c, struct point *pt, int k)
{
	struct dimm d;
	int64_t t0 = clock_now_ns(), dl = deadline(c);
	int ret, status;

	if (c->job->source == SOURCE_PMEM)
		return add_kmem(c, pt, k);
	dimm_init(&d, c->g, unit_bytes(c));
	d.host_node = dimm_host_node(c->job);
	ret = dimm_plug(&d, c->job->node, dl, NULL);
	if (ret == -EIO) /* QEMU's refusal, in its words */
		return guest_qmp_fail(c->g, ret, "device_add");
	if (ret)
		return died(c, pt, qmp_errmsg(c->g->qmp));
	ret = dimm_wait_inserted(&d, dl, NULL, &status);
	if (ret == -EIO) {
		snprintf(pt->detail, sizeof(pt->detail),
			 "%s: the guest's _OST status 0x%x", d.dev, status);
		c->end = OOM_END_ADD_FAILURE;
		return 1;
	}
	if (ret && !guest_alive(c))
		return died(c, pt, "no _OST and the guest is gone");
	if (ret) {
		snprintf(pt->detail, sizeof(pt->detail),
			 "%s: no _OST by the deadline", d.dev);
		c->end = OOM_END_ADD_FAILURE;
		return 1;
	}
	ret = wait_new_blocks(c, pt, &d, dl);
	return ret ? ret : added(c, pt, &d, k, t0, dl);
}

static int start(struct oomedge_ctx *c, struct point *pt, int *cap)
{
	static struct agent_oom_status st;
	struct agent_hog h;
	char f[32];
	int ret, predicted;

	units_format_size(c->target, f, sizeof(f));
	ret = agent_hog(&c->g->agent, (int64_t)(c->target >> 10), &h,
			deadline(c));
	if (ret == -EINVAL) {
		/* The guest never had F free: a clear message, not a crash. */
		snprintf(pt->detail, sizeof(pt->detail), "%s", c->g->agent.err);
		warn_add("oom-edge F=%s skipped: %s", f, c->g->agent.err);
		c->end = OOM_END_SKIPPED;
		return 1;
	}
	if (ret == -ENOMEM) {
		/* The OOM killer took the hog on its way down to F. */
		snprintf(pt->detail, sizeof(pt->detail), "%s", c->g->agent.err);
		c->end = OOM_END_OOM_KILL;
		return 1;
	}
	if (ret && !guest_alive(c))
		return died(c, pt,
			    "the guest died while the hog filled memory");
	if (ret) {
		err_set(EXIT_FAIL, "oom-edge F=%s: %s", f, c->g->agent.err);
		return ret;
	}
	ret = agent_oom_status(&c->g->agent, &st, deadline(c));
	if (ret) {
		err_set(EXIT_HANG, "oom-edge F=%s: %s", f, c->g->agent.err);
		return ret;
	}
	pt->base_oom_kill = st.oom_kill;
	pt->min_free = h.memfree_kib;
	/* One pmem region: it goes in whole, once. */
	*cap = c->job->source == SOURCE_PMEM ? 1 : job_oom_cap(c->job);
	predicted = oomedge_predict(c->mode, h.memfree_kib, h.min_free_kbytes,
				    unit_bytes(c), *cap);
	json_object_set_new(
		c->event, "hog",
		json_pack("{s:I,s:I,s:I}", "hog_kib", (json_int_t)h.hog_kib,
			  "memfree_kib", (json_int_t)h.memfree_kib,
			  "min_free_kbytes", (json_int_t)h.min_free_kbytes));
	if ((ret = emit(c, pt, 0, M_START_MEMFREE_KIB, (double)h.memfree_kib,
			"KiB")) ||
	    (ret = emit(c, pt, 0, M_MIN_FREE_KBYTES, (double)h.min_free_kbytes,
			"KiB")) ||
	    (ret = emit(c, pt, 0, M_PREDICTED_DIMMS, predicted, "dimms")))
		return ret;
	return 0;
}

static int finish(struct oomedge_ctx *c, struct point *pt)
{
	char metric[48];
	int ret;

	json_object_set_new(c->event, "ended_by",
			    json_string(oomedge_end_name(c->end)));
	json_object_set_new(c->event, "detail", json_string(pt->detail));
	json_object_set_new(c->event, M_DIMMS_ADDED, json_integer(pt->added));
	json_object_set_new(c->event, "victims", pt->victims);
	json_object_set_new(c->event, "kmsg", pt->kmsg);
	snprintf(metric, sizeof(metric), "ended_by_%s",
		 oomedge_end_name(c->end));
	if (c->end == OOM_END_SKIPPED)
		return emit(c, pt, 0, metric, 1, "bool");
	if ((ret = emit(c, pt, 0, M_DIMMS_ADDED, pt->added, "dimms")) ||
	    (ret = emit(c, pt, 0, M_MIB_ADDED,
			(double)pt->added * (double)(unit_bytes(c) >> 20),
			"MiB")) ||
	    (pt->min_free >= 0 && (ret = emit(c, pt, 0, M_MIN_MEMFREE_KIB,
					      (double)pt->min_free, "KiB"))) ||
	    (ret = emit(c, pt, 0, M_OOM_KILLS,
			(double)json_array_size(pt->victims), "kills")))
		return ret;
	return emit(c, pt, 0, metric, 1, "bool");
}

/* The last look at the kernel log: victims of OOM kills that came after
 * the last check are recorded too. */
static void final_check(struct oomedge_ctx *c, struct point *pt)
{
	static struct agent_oom_status st;
	size_t len = strlen(pt->detail);

	if (c->end == OOM_END_GUEST_DEATH || c->end == OOM_END_SKIPPED ||
	    agent_oom_status(&c->g->agent, &st,
			     clock_now_ns() + PROBE_MS * NS_PER_MS))
		return;
	scan_kmsg(pt, &st);
	if (st.oom_kill <= pt->base_oom_kill || c->end == OOM_END_OOM_KILL)
		return;
	/* The edge is the first event; a kill after it is noted only. */
	snprintf(pt->detail + len, sizeof(pt->detail) - len,
		 "%sthe OOM killer fired (oom_kill %lld -> %lld)%s",
		 len ? "; " : "", (long long)pt->base_oom_kill,
		 (long long)st.oom_kill,
		 c->end == OOM_END_CAP ? "" : " after the edge");
	if (c->end == OOM_END_CAP)
		c->end = OOM_END_OOM_KILL;
}

int oomedge_point(struct oomedge_ctx *c)
{
	struct point pt = {
		.at = {.st = c->st,
		       .mode = c->mode,
		       .dimm = unit_bytes(c),
		       .node = c->job->node,
		       .boot = c->boot,
		       .rep = c->rep,
		       .target_mib = (int64_t)(c->target >> 20),
		       .offline_fill_pct = -1},
		.victims = json_array(),
		.kmsg = json_array(),
		.min_free = -1, /* unknown until the hog reports */
	};
	int cap = 0, ret, k;

	c->end = OOM_END_CAP;
	c->phase_ns = 0;
	c->event = json_pack("{s:s,s:I,s:i,s:i}", "memmap",
			     job_memmap_name(c->mode), "target_mib",
			     (json_int_t)(c->target >> 20), "rep", c->rep,
			     "boot", c->boot);
	ret = start(c, &pt, &cap);
	for (k = 1; !ret && k <= cap; k++) {
		char what[48];

		if (sig_pending()) {
			err_set(EXIT_INTR, "interrupted by signal %d",
				sig_pending());
			ret = -EINTR;
			break;
		}
		snprintf(what, sizeof(what), "add %d/%d", k, cap);
		c->progress(what);
		ret = add_one(c, &pt, k);
	}
	if (ret < 0) {
		json_decref(pt.victims);
		json_decref(pt.kmsg);
		return ret;
	}
	final_check(c, &pt);
	return finish(c, &pt);
}
