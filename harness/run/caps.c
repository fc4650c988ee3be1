// SPDX-License-Identifier: GPL-2.0-or-later
#include "run/caps.h"

#include <stdio.h>
#include <string.h>

const char *caps_param(const struct agent_hello *h, const char *name)
{
	for (int i = 0; i < h->nparams; i++)
		if (!strcmp(h->params[i].name, name))
			return h->params[i].value;
	return NULL;
}

void caps_from_hello(const struct agent_hello *h, struct caps *c)
{
	const char *v = h->memmap_on_memory;

	memset(c, 0, sizeof(*c));
	c->mom_exists = v[0] != '\0';
	c->mom_force = !strcmp(v, "force");
	c->mom_enabled = !strcmp(v, "Y") || c->mom_force;
	c->block_size = h->block_size;
}

int caps_unsupported(const struct caps *c, int self_mode, const char *release,
		     char *why, size_t len)
{
	why[0] = '\0';
	if (!self_mode)
		return 0;
	if (!c->mom_exists) {
		snprintf(why, len,
			 "unsupported by kernel %s: no "
			 "memory_hotplug.memmap_on_memory parameter (needs "
			 "5.13+ built with CONFIG_MHP_MEMMAP_ON_MEMORY)",
			 release);
		return 1;
	}
	if (!c->mom_enabled) {
		snprintf(
			why, len,
			"unsupported by kernel %s: "
			"memory_hotplug.memmap_on_memory=1 on the command line "
			"left the parameter at N",
			release);
		return 1;
	}
	return 0;
}
