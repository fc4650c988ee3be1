// SPDX-License-Identifier: GPL-2.0-or-later
#include "proto/agent_fill.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int agent_fill(struct agent *a, const int *blocks, int n, int pct, int node,
	       struct agent_fill *f, int64_t deadline_ns)
{
	json_t *arr = json_array(), *r;
	int ret;

	for (int i = 0; arr && i < n; i++)
		json_array_append_new(arr, json_integer(blocks[i]));
	ret = agent_call(a,
			 arr ? json_pack("{s:s,s:o,s:i,s:i}", "op", "fill",
					 "blocks", arr, "pct", pct, "node",
					 node)
			     : NULL,
			 &r, deadline_ns);
	if (!ret && agent_parse_fill(r, f))
		ret = agent_malformed(a, "fill");
	json_decref(r);
	return ret;
}

int agent_unfill(struct agent *a, int *alive, int64_t deadline_ns)
{
	json_t *r;
	int ret = agent_call(a, json_pack("{s:s}", "op", "unfill"), &r,
			     deadline_ns);

	if (!ret && !json_is_boolean(json_object_get(r, "alive")))
		ret = agent_malformed(a, "unfill");
	if (!ret)
		*alive = json_is_true(json_object_get(r, "alive"));
	json_decref(r);
	return ret;
}

int agent_vmstat(struct agent *a, struct agent_vmstat *v, int64_t deadline_ns)
{
	json_t *r;
	int ret = agent_call(a, json_pack("{s:s}", "op", "vmstat"), &r,
			     deadline_ns);

	if (!ret && agent_parse_vmstat(r, v))
		ret = agent_malformed(a, "vmstat");
	json_decref(r);
	return ret;
}

static int count(const json_t *r, const char *key, int64_t *v)
{
	const json_t *j = json_object_get(r, key);

	if (!json_is_integer(j) || json_integer_value(j) < 0)
		return -EPROTO;
	*v = json_integer_value(j);
	return 0;
}

int agent_parse_fill(const json_t *r, struct agent_fill *f)
{
	const json_t *blocks = json_object_get(r, "blocks"), *b;
	const char *stop = json_string_value(json_object_get(r, "stopped"));
	int64_t sum = 0, p;
	size_t i;

	memset(f, 0, sizeof(*f));
	if (count(r, "fill_pages", &f->fill_pages) ||
	    count(r, "target_pages", &f->target_pages) ||
	    count(r, "pages_per_block", &f->pages_per_block) ||
	    count(r, "touched_pages", &f->touched_pages) ||
	    count(r, "released_pages", &f->released_pages) || !stop ||
	    !json_is_array(blocks) || !json_array_size(blocks) ||
	    f->pages_per_block <= 0 || f->target_pages > f->pages_per_block)
		return -EPROTO;
	snprintf(f->stopped, sizeof(f->stopped), "%s", stop);
	f->least_pages = INT64_MAX;
	json_array_foreach(blocks, i, b)
	{
		if (count(b, "pages", &p) || p > f->pages_per_block)
			return -EPROTO;
		sum += p;
		if (p < f->least_pages)
			f->least_pages = p;
	}
	f->nblocks = (int)json_array_size(blocks);
	/* The total is the blocks' sum, or the reply contradicts itself. */
	return sum == f->fill_pages ? 0 : -EPROTO;
}

/* @key's value, or -1 when this kernel has no such counter. */
static int64_t counter(const json_t *vm, const char *key)
{
	const json_t *j = json_object_get(vm, key);

	return json_is_integer(j) ? json_integer_value(j) : -1;
}

int agent_parse_vmstat(const json_t *r, struct agent_vmstat *v)
{
	static const char *const scans[] = {"pgscan_kswapd", "pgscan_direct",
					    "pgscan_khugepaged"};
	const json_t *vm = json_object_get(r, "vmstat");

	memset(v, 0, sizeof(*v));
	if (!json_is_object(vm) || !json_object_size(vm))
		return -EPROTO;
	v->pgmigrate_success = counter(vm, "pgmigrate_success");
	v->pgmigrate_fail = counter(vm, "pgmigrate_fail");
	v->compact_stall = counter(vm, "compact_stall");
	v->pgalloc_movable = counter(vm, "pgalloc_movable");
	v->pgscan = -1;
	for (size_t i = 0; i < sizeof(scans) / sizeof(scans[0]); i++) {
		int64_t c = counter(vm, scans[i]);

		if (c >= 0)
			v->pgscan = (v->pgscan < 0 ? 0 : v->pgscan) + c;
	}
	return 0;
}
