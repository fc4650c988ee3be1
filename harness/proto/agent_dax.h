/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The agent's persistent-memory ops (docs/agent-protocol.md, "Persistent
 * memory: pmem_setup, kmem"): the legacy pmem region made a devdax device
 * once per boot, and kmem taking it as system RAM and letting it go. */
#ifndef MHP_AGENT_DAX_H
#define MHP_AGENT_DAX_H

#include "proto/agent.h"

struct agent_pmem {
	char dev[40];	/* the dax device, e.g. "dax0.0" */
	uint64_t start; /* its range: physical start and size */
	uint64_t size;
	uint64_t align;
	int target_node; /* -1 when unknown */
	/* The device's memmap_on_memory after the write: 0 or 1; -1 when
	 * the kernel has no such attribute (before 6.8). */
	int memmap_on_memory;
	int64_t setup_ns;
};

struct agent_kmem {
	int64_t ns;	 /* the timed sysfs write(s); -1 when none */
	char driver[32]; /* the device's driver afterwards ("" none) */
};

/* pmem_setup with the device's memmap_on_memory switch @mom (0 or 1) and
 * @align (bytes). 0, or the agent's -errno with a->err set. */
int agent_pmem_setup(struct agent *a, int mom, uint64_t align,
		     struct agent_pmem *p, int64_t deadline_ns);

/* kmem @action "bind" (the device becomes system RAM, its blocks
 * offline) or "unbind" (they are removed; device_dax takes it back). */
int agent_kmem(struct agent *a, const char *dev, const char *action,
	       struct agent_kmem *k, int64_t deadline_ns);

/* Reply parsers, for tests. 0 or -EPROTO. */
int agent_parse_pmem(const json_t *r, struct agent_pmem *p);
int agent_parse_kmem(const json_t *r, struct agent_kmem *k);

/* The memory blocks (of @block bytes) that kmem adds for @p: the whole
 * blocks inside its range (kmem aligns it to blocks); their first number
 * in *first. */
int agent_pmem_blocks(const struct agent_pmem *p, uint64_t block, int *first);

#endif
