// SPDX-License-Identifier: GPL-2.0-or-later
#include "proto/agent_dax.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int agent_parse_pmem(const json_t *r, struct agent_pmem *p)
{
	const char *dev = json_string_value(json_object_get(r, "dev"));
	json_t *start = json_object_get(r, "start"),
	       *size = json_object_get(r, "size"),
	       *mom = json_object_get(r, "memmap_on_memory"),
	       *node = json_object_get(r, "target_node");

	memset(p, 0, sizeof(*p));
	if (!dev || strlen(dev) >= sizeof(p->dev) || !json_is_integer(start) ||
	    !json_is_integer(size) || json_integer_value(size) <= 0 ||
	    json_integer_value(start) < 0 ||
	    !(json_is_null(mom) || json_is_integer(mom)))
		return -EPROTO;
	snprintf(p->dev, sizeof(p->dev), "%s", dev);
	p->start = (uint64_t)json_integer_value(start);
	p->size = (uint64_t)json_integer_value(size);
	p->align = (uint64_t)json_integer_value(json_object_get(r, "align"));
	p->target_node =
		json_is_integer(node) ? (int)json_integer_value(node) : -1;
	p->memmap_on_memory =
		json_is_integer(mom) ? (int)json_integer_value(mom) : -1;
	p->setup_ns = json_integer_value(json_object_get(r, "setup_ns"));
	return 0;
}

int agent_parse_kmem(const json_t *r, struct agent_kmem *k)
{
	json_t *ns = json_object_get(r, "ns");
	const char *drv = json_string_value(json_object_get(r, "driver"));

	memset(k, 0, sizeof(*k));
	k->ns = json_is_integer(ns) ? json_integer_value(ns) : -1;
	snprintf(k->driver, sizeof(k->driver), "%s", drv ? drv : "");
	return json_is_integer(ns) ? 0 : -EPROTO;
}

int agent_pmem_setup(struct agent *a, int mom, uint64_t align,
		     struct agent_pmem *p, int64_t deadline_ns)
{
	json_t *r;
	int ret = agent_call(a,
			     json_pack("{s:s,s:i,s:I}", "op", "pmem_setup",
				       "memmap_on_memory", mom, "align",
				       (json_int_t)align),
			     &r, deadline_ns);

	if (!ret && agent_parse_pmem(r, p))
		ret = agent_malformed(a, "pmem_setup");
	json_decref(r);
	return ret;
}

int agent_kmem(struct agent *a, const char *dev, const char *action,
	       struct agent_kmem *k, int64_t deadline_ns)
{
	json_t *r;
	int ret = agent_call(a,
			     json_pack("{s:s,s:s,s:s}", "op", "kmem", "dev",
				       dev, "action", action),
			     &r, deadline_ns);

	memset(k, 0, sizeof(*k));
	k->ns = -1;
	/* A failed write still says how long it took and who has it. */
	if (r && agent_parse_kmem(r, k) && !ret)
		ret = agent_malformed(a, "kmem");
	json_decref(r);
	return ret;
}

int agent_pmem_blocks(const struct agent_pmem *p, uint64_t block, int *first)
{
	uint64_t lo = (p->start + block - 1) / block,
		 hi = (p->start + p->size) / block;

	*first = (int)lo;
	return hi > lo ? (int)(hi - lo) : 0;
}
