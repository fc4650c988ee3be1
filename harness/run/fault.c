// SPDX-License-Identifier: GPL-2.0-or-later
/* Fault injection on purpose (fault.h): the cycle observer. */
#include "run/fault.h"
#include "clock.h"
#include "base/err.h"
#include "base/progress.h"
#include "base/units.h"

#include <errno.h>
#include <string.h>

/* The agent sleeps this long: far past any phase deadline. */
#define STALL_MS (10 * 60 * 1000)
/* How long to wait for the reply that must not come. */
#define NO_REPLY_MS 1000
#define PIN_MAX_MIB 1024

static int fired; /* once per run: one job per process */

static int due(const struct cycle_ctx *c, enum job_fault f)
{
	return !fired && c->job->inject_fault == f && !c->deep &&
	       c->cycle >= c->job->inject_fault_after;
}

/* More than the DIMM: ZONE_NORMAL stays full while the pin holds, so
 * nothing else the kernel allocates meanwhile lands in the block and
 * outlives the pin (seen on 6.1: a slab page kept it busy for good). The
 * rest of the pin goes to ZONE_DMA32. */
static json_int_t pin_mib(const struct cycle_ctx *c)
{
	json_int_t mib = (json_int_t)(c->dimm >> 20) + 32;

	return mib > PIN_MAX_MIB ? PIN_MAX_MIB : mib;
}

static int call(struct cycle_ctx *c, json_t *req, json_t **reply,
		int64_t deadline_ns)
{
	if (!req)
		return -ENOMEM;
	return agent_call(&c->g->agent, req, reply, deadline_ns);
}

static int start(struct cycle_ctx *c, void *arg)
{
	json_t *r = NULL;
	int ret;

	if (!due(c, FAULT_OFFLINE_BUSY))
		return 0;
	c->zone = "normal";
	ret = call(c,
		   json_pack("{s:s,s:I,s:b}", "op", "pin", "mib", pin_mib(c),
			     "fill", 0),
		   &r, guest_phase_deadline(c->job));
	json_decref(r);
	return ret ? cycle_fail(c, ret, "injecting a fault", c->g->agent.err)
		   : 0;
}

/* Where and when it fired, in the manifest's "injected". */
static void record(struct cycle_ctx *c, json_t *detail)
{
	json_t *inj = json_object_get(c->st->manifest, "injected");
	char sz[32];

	units_format_size(c->dimm, sz, sizeof(sz));
	progress_note("boot %d cycle %d (%s %s): injecting %s", c->boot,
		      c->cycle, sz, job_memmap_name(c->mode),
		      job_fault_name(c->job->inject_fault));
	if (!json_is_object(inj)) {
		json_decref(detail);
		return;
	}
	json_object_update_missing_new(
		detail, json_pack("{s:i,s:i,s:i,s:s,s:s}", "boot", c->boot,
				  "cycle", c->cycle, "rep", c->rep, "size", sz,
				  "memmap", job_memmap_name(c->mode)));
	json_object_set_new(inj, "fault_fired", detail);
}

/* The request must go unanswered: the agent is asleep or the kernel is
 * gone. */
static int no_reply(struct cycle_ctx *c, json_t *req, const char *what)
{
	json_t *r = NULL;
	int ret = call(c, req, &r, clock_now_ns() + NO_REPLY_MS * NS_PER_MS);

	json_decref(r);
	if (ret == -ETIMEDOUT || ret == -EPIPE)
		return 0;
	if (!ret) {
		err_set(EXIT_FAIL, "inject_fault %s: the guest answered: %s",
			job_fault_name(c->job->inject_fault), what);
		return -EIO;
	}
	return ret;
}

static int pin(struct cycle_ctx *c, struct fault_cycle *fc, json_t *detail)
{
	json_t *r = NULL;
	/* On the DIMMs' own node first: no vCPU there, so nothing else the
	 * kernel allocates lands in the block (job.c makes sure). */
	int ret = call(c,
		       json_pack("{s:s,s:I,s:i}", "op", "pin", "mib",
				 pin_mib(c), "node", c->job->node),
		       &r, guest_phase_deadline(c->job));

	fc->pinned = 1; /* a half-done pin is released too */
	if (!ret) {
		const char *keys[] = {"pinned_kib", "normal_free_kib_before",
				      "normal_free_kib_after"};

		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			json_object_set(detail, keys[i],
					json_object_get(r, keys[i]));
	}
	json_decref(r);
	return ret;
}

/* Right after the online writes, before the kernel can allocate
 * anything else into a new ZONE_NORMAL block. */
static int after(struct cycle_ctx *c, enum cycle_phase ph, void *arg)
{
	enum job_fault f = c->job->inject_fault;
	json_t *detail;
	int ret = 0;

	if (ph != CYCLE_ONLINE || f == FAULT_NONE || !due(c, f))
		return 0;
	fired = 1;
	detail = json_pack("{s:s}", "fault", job_fault_name(f));
	switch (f) {
	case FAULT_HANG_AGENT:
		ret = no_reply(
			c,
			json_pack("{s:s,s:i}", "op", "stall", "ms", STALL_MS),
			"stall came back at once");
		break;
	case FAULT_CRASH_KERNEL:
		ret = no_reply(
			c, json_pack("{s:s,s:s}", "op", "sysrq", "key", "c"),
			"sysrq c came back, the kernel did not panic");
		break;
	case FAULT_OFFLINE_BUSY:
		ret = pin(c, arg, detail);
		break;
	case FAULT_RESET_GUEST:
		ret = no_reply(
			c, json_pack("{s:s}", "op", "reset"),
			"the reset came back, the machine did not reset");
		break;
	case FAULT_NONE:
		break;
	}
	record(c, detail);
	return ret ? cycle_fail(c, ret, "injecting a fault", c->g->agent.err)
		   : 0;
}

/* Kernel log lines about the offline and the eject. */
static int relevant(const char *line)
{
	static const char *const words[] = {"offlin", "Offlin", "unmovable",
					    "page dumped"};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(line, words[i]))
			return 1;
	return 0;
}

static int release(struct cycle_ctx *c, json_t *rec, void *arg)
{
	struct fault_cycle *fc = arg;
	json_t *r = NULL, *lines, *kept = json_array(), *l;
	size_t i;
	int ret;

	if (!fc->pinned) {
		json_decref(kept);
		return 0;
	}
	ret = call(c, json_pack("{s:s}", "op", "unpin"), &r,
		   guest_phase_deadline(c->job));
	if (!ret)
		fc->pinned = 0;
	lines = json_object_get(r, "kmsg");
	json_array_foreach(lines, i, l)
	{
		if (json_is_string(l) && relevant(json_string_value(l)))
			json_array_append(kept, l);
	}
	if (rec)
		json_object_set_new(rec, "kernel_log", kept);
	else
		json_decref(kept);
	json_decref(r);
	if (ret && rec)
		return cycle_fail(c, ret, "unpin", c->g->agent.err);
	return ret;
}

const struct cycle_observer fault_observer = {
	.start = start,
	.after = after,
	.release = release,
};

void fault_manifest(const struct job *job, json_t *injected)
{
	if (job->inject_fault == FAULT_NONE)
		return;
	json_object_set_new(injected, "fault",
			    json_string(job_fault_name(job->inject_fault)));
	json_object_set_new(injected, "fault_after",
			    json_integer(job->inject_fault_after));
}
