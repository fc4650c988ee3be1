// SPDX-License-Identifier: GPL-2.0-or-later
#include "run/pmem.h"
#include "base/err.h"
#include "base/progress.h"
#include "base/units.h"
#include "results/metric.h"
#include "clock.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Module loads and the namespace's reconfiguration take about 2 s of a
 * TCG guest; a slow host gets plenty more. */
#define SETUP_MS 60000

static json_t *pmem_json(const struct agent_pmem *p, int first, int nblocks)
{
	json_t *j = json_pack("{s:s,s:I,s:I,s:I,s:i,s:i,s:i,s:I}", "dev",
			      p->dev, "start", (json_int_t)p->start, "size",
			      (json_int_t)p->size, "align",
			      (json_int_t)p->align, "target_node",
			      p->target_node, "first_block", first, "blocks",
			      nblocks, "setup_ns", (json_int_t)p->setup_ns);

	json_object_set_new(j, "memmap_on_memory",
			    p->memmap_on_memory < 0
				    ? json_null()
				    : json_integer(p->memmap_on_memory));
	return j;
}

/* Self mode on a kernel whose DAX devices have no memmap_on_memory switch
 * (before 6.8): the boot runs no cycles, as a pc-dimm boot of a kernel
 * without the parameter does (run/bootcheck.c). */
static int unsupported(struct run *r, struct guest *g, int bidx,
		       enum job_memmap mode, json_t *boot)
{
	char why[256];

	snprintf(why, sizeof(why),
		 "unsupported by kernel %s: its DAX device %s has no "
		 "memmap_on_memory attribute (dax/kmem's came with 6.8)",
		 g->hello.kernel_release, g->pmem.dev);
	json_object_set_new(boot, "unsupported", json_string(why));
	json_array_append_new(
		json_object_get(r->st.manifest, "skipped"),
		json_pack("{s:s,s:s,s:s,s:I,s:s}", "kernel",
			  g->label[0] ? g->label : g->hello.kernel_release,
			  "memmap", job_memmap_name(mode), "source", "pmem",
			  "block_mib", (json_int_t)(g->hello.block_size >> 20),
			  "reason", why));
	warn_add("%s mode: %s", job_memmap_name(mode), why);
	progress_note("boot %d: %s mode %s; no cycles", bidx,
		      job_memmap_name(mode), why);
	return 1;
}

/* The device's switch as boot samples, so that a report rebuilt from
 * samples.csv knows it (as bootcheck.c writes the module parameter's). */
static int write_caps(struct run *r, const struct guest *g, int bidx,
		      enum job_memmap mode)
{
	int has = g->pmem.memmap_on_memory >= 0;
	struct sample s;
	int ret;

	guest_sample_init(g, &s, r->st.run_id, mode, 0, 0);
	s.boot = bidx;
	s.cycle = -1;
	ret = guest_sample_write(&r->st, &s, "boot", "guest",
				 M_DAX_MOM_SUPPORTED, has, "bool");
	if (!ret && has)
		ret = guest_sample_write(&r->st, &s, "boot", "guest", M_DAX_MOM,
					 g->pmem.memmap_on_memory, "bool");
	return ret;
}

int pmem_boot_setup(struct run *r, struct guest *g, int bidx,
		    enum job_memmap mode, json_t *boot)
{
	const struct job *job = r->job;
	int self = mode == MEMMAP_SELF, first, n, ret;
	char sz[32];

	ret = agent_pmem_setup(&g->agent, self, job->pmem_align, &g->pmem,
			       clock_now_ns() + SETUP_MS * NS_PER_MS);
	if (ret) {
		err_set(ret == -ETIMEDOUT || ret == -EPIPE ? EXIT_HANG
							   : EXIT_ENV,
			"source = pmem: kernel %s could not make its pmem "
			"region a DAX device: %s",
			g->hello.kernel_release, g->agent.err);
		return ret;
	}
	n = agent_pmem_blocks(&g->pmem, g->hello.block_size, &first);
	json_object_set_new(boot, "pmem", pmem_json(&g->pmem, first, n));
	if ((ret = write_caps(r, g, bidx, mode)))
		return ret;
	if (g->pmem.memmap_on_memory < 0 && self)
		return unsupported(r, g, bidx, mode, boot);
	if (g->pmem.memmap_on_memory >= 0 && g->pmem.memmap_on_memory != self) {
		err_set(EXIT_ENV,
			"source = pmem: %s's memmap_on_memory reads %d after "
			"writing %d",
			g->pmem.dev, g->pmem.memmap_on_memory, self);
		return -EPROTO;
	}
	if (n <= 0) {
		units_format_size(g->pmem.size, sz, sizeof(sz));
		err_set(EXIT_ENV,
			"source = pmem: %s (%s at %#llx) holds no whole "
			"memory block for kmem to add",
			g->pmem.dev, sz, (unsigned long long)g->pmem.start);
		return -EINVAL;
	}
	g->pmem_bytes = (uint64_t)n * g->hello.block_size;
	return 0;
}
