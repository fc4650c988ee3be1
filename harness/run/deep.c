// SPDX-License-Identifier: GPL-2.0-or-later
#include "run/deep.h"
#include "clock.h"
#include "base/err.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOOT_OP_MS 30000

static double num(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	return json_is_number(v) ? json_number_value(v) : -1;
}

/* The node holding most bytes of {"0": bytes, ...}. */
static int top_node(const json_t *nodes)
{
	const char *k;
	const json_t *v;
	int best = -1;
	double most = -1;

	json_object_foreach((json_t *)nodes, k, v)
	{
		if (json_is_number(v) && json_number_value(v) > most) {
			most = json_number_value(v);
			best = atoi(k);
		}
	}
	return best;
}

int deep_parse_probe(const json_t *r, struct deep_probe *p)
{
	const json_t *nodes = json_object_get(r, "memmap_node_bytes");

	memset(p, 0, sizeof(*p));
	p->local_fraction = num(r, "memmap_local_fraction");
	p->block_node = (int)num(r, "block_node");
	p->self_hosted = (int)num(r, "self_hosted");
	p->cold_ns_per_page = num(r, "cold_ns_per_page");
	p->warm_ns_per_page = num(r, "warm_ns_per_page_median");
	p->memmap_node = json_is_object(nodes) ? top_node(nodes) : -1;
	if (p->local_fraction < 0 || p->local_fraction > 1 ||
	    p->cold_ns_per_page < 0 || p->warm_ns_per_page < 0 ||
	    p->memmap_node < 0)
		return -EPROTO;
	return 0;
}

/* Adds to @name's entry: a function called below two children (such as
 * move_pfn_range_to_zone) is one line. */
static void add_fn(struct deep_trace *t, const char *name, int64_t calls,
		   int64_t ns)
{
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->fn[i].name, name)) {
			t->fn[i].calls += calls;
			t->fn[i].total_ns += ns;
			return;
		}
	if (t->n == DEEP_MAX_FN)
		return;
	snprintf(t->fn[t->n].name, sizeof(t->fn[0].name), "%s", name);
	t->fn[t->n].calls = calls;
	t->fn[t->n].total_ns = ns;
	t->n++;
}

/* With trace_depth > 2, online_pages and offline_pages are split into
 * their children plus "<name>_self", the time in their own bodies: that
 * is where the pfn scans are. From trace_depth 4 the zone resize under
 * them (move_pfn_range_to_zone, remove_pfn_range_from_zone) is split the
 * same way: set_zone_contiguous, which walks the whole zone, is its child
 * (README, "Cost against the size of the zone"). Other children stay
 * whole. */
static int split(const char *name)
{
	static const char *const names[] = {"online_pages", "offline_pages",
					    "move_pfn_range_to_zone",
					    "remove_pfn_range_from_zone"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return 1;
	return 0;
}

static void add_child(struct deep_trace *t, const char *name, const json_t *v)
{
	const json_t *kids = json_object_get(v, "children"), *k;
	int64_t total = (int64_t)num(v, "total_ns"), sum = 0;
	const char *kname;
	char self[64];

	if (!json_is_object(kids) || !json_object_size(kids) || !split(name)) {
		add_fn(t, name, (int64_t)num(v, "calls"), total);
		return;
	}
	json_object_foreach((json_t *)kids, kname, k)
	{
		if (num(k, "total_ns") < 0)
			continue;
		add_child(t, kname, k);
		sum += (int64_t)num(k, "total_ns");
	}
	snprintf(self, sizeof(self), "%.58s_self", name);
	add_fn(t, self, (int64_t)num(v, "calls"), total - sum);
}

int deep_parse_trace(const json_t *r, struct deep_trace *t)
{
	const json_t *tr = json_object_get(r, "trace"), *kids, *v;
	const char *name;

	memset(t, 0, sizeof(*t));
	kids = json_object_get(tr, "children");
	if (!json_is_object(tr) || !json_is_object(kids) ||
	    num(tr, "total_ns") < 0)
		return -EPROTO;
	t->total_ns = (int64_t)num(tr, "total_ns");
	t->children_ns = (int64_t)num(tr, "children_ns");
	json_object_foreach((json_t *)kids, name, v)
	{
		if (num(v, "total_ns") >= 0)
			add_child(t, name, v);
	}
	return 0;
}

int deep_parse_counts(const json_t *r, struct deep_counts *c)
{
	const json_t *evs = json_object_get(r, "events"), *e;
	size_t i;

	memset(c, 0, sizeof(*c));
	if (!json_is_array(evs))
		return -EPROTO;
	json_array_foreach(evs, i, e)
	{
		const json_t *v = json_object_get(e, "value");

		if (!json_is_true(json_object_get(e, "available")) ||
		    !json_is_number(v) || c->n == DEEP_MAX_EVENTS)
			continue;
		snprintf(
			c->ev[c->n].name, sizeof(c->ev[0].name), "%s",
			json_string_value(json_object_get(e, "event"))
				? json_string_value(json_object_get(e, "event"))
				: "?");
		c->ev[c->n].value = json_number_value(v);
		c->ev[c->n].multiplexed =
			json_is_true(json_object_get(e, "multiplexed"));
		c->n++;
	}
	return 0;
}

/* The node all vCPUs are on (where the agent and the probe run). */
static int walker_node(const struct job *job)
{
	int node = -1;

	if (!job->nnodes)
		return 0;
	for (int i = 0; i < job->nnodes; i++) {
		if (!job->nodes[i].cpus)
			continue;
		if (node >= 0)
			return -1;
		node = i;
	}
	return node;
}

static void probe_init(struct guest *g, json_t *boot, struct deep_boot *db)
{
	json_t *reply = NULL;
	int ret = agent_call(&g->agent, json_pack("{s:s}", "op", "probe_load"),
			     &reply, clock_now_ns() + BOOT_OP_MS * NS_PER_MS);

	db->probe_ok = !ret;
	if (ret)
		warn_add("probe module: %s; no memmap locality or struct page "
			 "walk this boot",
			 g->agent.err[0] ? g->agent.err : strerror(-ret));
	json_object_set_new(boot, "probe",
			    json_pack("{s:b,s:s}", "loaded", !ret, "error",
				      ret ? (g->agent.err[0] ? g->agent.err
							     : strerror(-ret))
					  : ""));
	json_decref(reply);
}

/* Opens each event; those that cannot count are recorded with the
 * reason, never as zeros. */
static void pmu_init(struct guest *g, const struct job *job, json_t *boot,
		     struct deep_boot *db)
{
	json_t *names = json_array(), *reply = NULL, *evs, *e;
	char *copy = strdup(job->pmu_events), *tok, *save = NULL;
	size_t i;
	int ret;

	for (tok = copy ? strtok_r(copy, ", ", &save) : NULL; tok;
	     tok = strtok_r(NULL, ", ", &save))
		json_array_append_new(names, json_string(tok));
	free(copy);
	ret = agent_call(
		&g->agent,
		json_pack("{s:s,s:o}", "op", "pmu_open", "events", names),
		&reply, clock_now_ns() + BOOT_OP_MS * NS_PER_MS);
	evs = json_object_get(reply, "events");
	json_object_set_new(boot, "pmu",
			    json_is_array(evs) ? json_deep_copy(evs)
					       : json_string(g->agent.err));
	json_array_foreach(evs, i, e)
	{
		const char *name =
			json_string_value(json_object_get(e, "event"));
		const char *why =
			json_string_value(json_object_get(e, "reason"));

		if (!why)
			why = json_string_value(json_object_get(e, "error"));
		if (json_is_true(json_object_get(e, "available")) &&
		    db->npmu < DEEP_MAX_EVENTS)
			snprintf(db->pmu_names[db->npmu++],
				 sizeof(db->pmu_names[0]), "%s",
				 name ? name : "?");
		else
			warn_add("PMU event %s: unavailable: %s",
				 name ? name : "?",
				 why ? why : "no reason given");
	}
	if (ret && !json_is_array(evs))
		warn_add("PMU: unavailable: %s", g->agent.err);
	json_decref(reply);
}

int deep_boot_init(struct guest *g, const struct job *job, json_t *boot,
		   struct deep_boot *db)
{
	memset(db, 0, sizeof(*db));
	db->walker_node = walker_node(job);
	db->trace_ok = job->trace == JOB_YES && job->deep_reps;
	/* Switching tracers patches kernel text with IPIs to every CPU;
	 * under multi-threaded TCG that has hung 6.1 guests within ten
	 * switches. */
	if (db->trace_ok && g->accel == QEMU_TCG &&
	    job->tcg_single != JOB_YES) {
		db->trace_ok = 0;
		warn_add("no ftrace breakdown: tracer switches deadlock "
			 "multi-threaded TCG guests; set tcg_single_thread = "
			 "yes, or use accel = tcg-icount or kvm");
	}
	if (job->deep_reps)
		json_object_set_new(
			boot, "trace",
			json_pack("{s:b}", "enabled", db->trace_ok));
	if (job->deep_reps && job->probe == JOB_YES)
		probe_init(g, boot, db);
	if (job->pmu_events[0])
		pmu_init(g, job, boot, db);
	return 0;
}

int deep_probe_block(struct guest *g, int block, struct deep_probe *p,
		     int64_t deadline_ns)
{
	json_t *reply = NULL;
	int ret = agent_call(&g->agent,
			     json_pack("{s:s,s:i,s:i}", "op", "probe_block",
				       "block", block, "passes", 5),
			     &reply, deadline_ns);

	if (!ret && deep_parse_probe(reply, p)) {
		snprintf(g->agent.err, sizeof(g->agent.err),
			 "probe_block: a reply without placement numbers");
		ret = -EPROTO;
	}
	json_decref(reply);
	return ret;
}

int deep_traced_state(struct guest *g, const struct job *job, const char *op,
		      int block, int64_t *write_ns, struct deep_trace *t,
		      int64_t deadline_ns)
{
	char name[32];
	json_t *reply = NULL, *req;
	int ret;

	snprintf(name, sizeof(name), "%s_traced", op);
	req = json_pack("{s:s,s:i,s:i}", "op", name, "block", block, "depth",
			job->trace_depth);
	if (!strcmp(op, "online"))
		json_object_set_new(req, "zone",
				    json_string(job_zone_name(job->zone)));
	ret = agent_call(&g->agent, req, &reply, deadline_ns);
	if (!ret) {
		*write_ns = (int64_t)num(reply, "ns");
		if (json_object_get(reply, "trace_error") ||
		    deep_parse_trace(reply, t)) {
			const char *e = json_string_value(
				json_object_get(reply, "trace_error"));

			snprintf(g->agent.err, sizeof(g->agent.err), "%s",
				 e ? e : "a reply without a trace");
			ret = -ENOTSUP;
		}
	}
	json_decref(reply);
	return ret;
}

int deep_pmu_read(struct guest *g, struct deep_counts *c, int64_t deadline_ns)
{
	json_t *reply = NULL;
	int ret = agent_call(&g->agent, json_pack("{s:s}", "op", "pmu_read"),
			     &reply, deadline_ns);

	if (!ret)
		ret = deep_parse_counts(reply, c);
	json_decref(reply);
	return ret;
}
