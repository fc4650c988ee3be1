// SPDX-License-Identifier: GPL-2.0-or-later
#include "run/bootcheck.h"
#include "results/metric.h"
#include "run/caps.h"
#include "base/err.h"
#include "base/progress.h"
#include "base/units.h"
#include "clock.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define MEMINFO_MS 30000

static int check_block(const struct guest *g, uint64_t asked)
{
	char a[32], got[32], mem[32];

	if (!asked || g->hello.block_size == asked)
		return 0;
	units_format_size(asked, a, sizeof(a));
	units_format_size(g->hello.block_size, got, sizeof(got));
	units_format_size(g->boot_mem, mem, sizeof(mem));
	err_set(EXIT_ENV,
		"asked for %s memory blocks, but kernel %s chose %s with %s "
		"of boot memory (block_size_bytes = %#llx): this kernel does "
		"not follow x86's rule (the largest power of two up to 2G "
		"that divides the end of boot memory, from 64G on)",
		a, g->hello.kernel_release, got, mem,
		(unsigned long long)g->hello.block_size);
	return -EPROTO;
}

static int write_caps(struct store *st, const struct guest *g, int bidx,
		      enum job_memmap mode, const struct caps *c)
{
	static const char *const names[] = {M_MOM_SUPPORTED, M_MOM_ENABLED,
					    M_MOM_FORCE};
	const int vals[] = {c->mom_exists, c->mom_enabled, c->mom_force};
	struct sample s;
	int ret = 0;

	guest_sample_init(g, &s, st->run_id, mode, 0, 0);
	s.boot = bidx;
	s.cycle = -1;
	for (int i = 0; i < 3 && !ret; i++)
		ret = guest_sample_write(st, &s, "boot", "guest", names[i],
					 vals[i], "bool");
	return ret;
}

/* Whether this kernel counts its memmap in /proc/vmstat (from 6.11):
 * boots[].memmap_counter, with the reason when it does not, since such a
 * kernel's cycles write no nr_memmap_delta_kib (README "Metrics"). */
static void record_memmap_counter(struct guest *g, json_t *boot)
{
	struct agent_meminfo m;
	char why[256];
	int ret = agent_meminfo(&g->agent, &m,
				clock_now_ns() + MEMINFO_MS * NS_PER_MS);

	if (!ret && m.memmap_pages >= 0) {
		json_object_set_new(boot, "memmap_counter",
				    json_pack("{s:b,s:I}", "available", 1,
					      "nr_memmap_pages",
					      (json_int_t)m.memmap_pages));
		return;
	}
	if (ret)
		snprintf(why, sizeof(why), "meminfo failed: %.200s",
			 g->agent.err[0] ? g->agent.err : strerror(-ret));
	else
		snprintf(why, sizeof(why),
			 "/proc/vmstat of kernel %s has no nr_memmap_pages "
			 "(the counter came with 6.11)",
			 g->hello.kernel_release);
	json_object_set_new(
		boot, "memmap_counter",
		json_pack("{s:b,s:s}", "available", 0, "reason", why));
}

int bootcheck_run(struct store *st, struct guest *g, int bidx,
		  enum job_memmap mode, uint64_t block_asked, json_t *boot)
{
	json_t *params = json_object();
	struct caps c;
	char why[256];
	int ret;

	ret = check_block(g, block_asked);
	if (ret)
		return ret;
	caps_from_hello(&g->hello, &c);
	for (int i = 0; i < g->hello.nparams; i++)
		json_object_set_new(params, g->hello.params[i].name,
				    json_string(g->hello.params[i].value));
	json_object_set_new(boot, "hotplug_params", params);
	record_memmap_counter(g, boot);
	ret = write_caps(st, g, bidx, mode, &c);
	if (ret)
		return ret;
	if (!caps_unsupported(&c, mode == MEMMAP_SELF, g->hello.kernel_release,
			      why, sizeof(why)))
		return 0;
	json_object_set_new(boot, "unsupported", json_string(why));
	json_array_append_new(
		json_object_get(st->manifest, "skipped"),
		json_pack("{s:s,s:s,s:I,s:s}", "kernel",
			  g->label[0] ? g->label : g->hello.kernel_release,
			  "memmap", job_memmap_name(mode), "block_mib",
			  (json_int_t)(g->hello.block_size >> 20), "reason",
			  why));
	warn_add("%s mode: %s", job_memmap_name(mode), why);
	progress_note("boot %d: %s mode %s; no cycles", bidx,
		      job_memmap_name(mode), why);
	return 1;
}
