/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a guest kernel can do with the memmap of hot-added memory, from
 * what its agent reported at hello, and the placement that follows for a
 * (kernel, mode, block size, DIMM size). README "Expected and observed
 * placement": the memory_hotplug.memmap_on_memory parameter exists from 5.13
 * (with CONFIG_MHP_MEMMAP_ON_MEMORY); up to 6.7 only a DIMM of exactly one
 * block self-hosts; from 6.8 every block does. */
#ifndef MHP_CAPS_H
#define MHP_CAPS_H

#include "config/kernel_rules.h"
#include "proto/agent.h"

#include <stddef.h>
#include <stdint.h>

struct caps {
	int mom_exists;	 /* memory_hotplug.memmap_on_memory is there */
	int mom_enabled; /* it reads Y or force */
	int mom_force;	 /* it reads force (6.6+) */
	uint64_t block_size;
};

void caps_from_hello(const struct agent_hello *h, struct caps *c);

/* The value of memory_hotplug.@name in @h, or NULL. */
const char *caps_param(const struct agent_hello *h, const char *name);

/* Why @mode cannot be measured on this kernel ("unsupported by kernel
 * ..."), or 0 with @why empty when it can. */
int caps_unsupported(const struct caps *c, int self_mode, const char *release,
		     char *why, size_t len);

#endif
