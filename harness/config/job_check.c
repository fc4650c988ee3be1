// SPDX-License-Identifier: GPL-2.0-or-later
/* Checks between a job's options, once all are read: kernels and their
 * [kernel LABEL] sections, NUMA nodes, block sizes, oom-edge, faults and
 * maxmem. Each error points at the line of the key it blames. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/blocksize.h"
#include "config/zonesize.h"
#include "config/job.h"
#include "config/job_opts.h"
#include "config/job_parse.h"
#include "config/job_value.h"
#include "config/kernels.h"
#include "config/numa.h"

/* Where the key @name was set; 0 when it has its default. */
static int set_line(const struct parser *p, const char *name)
{
	return p->set_line[opt_find(name) - job_opts];
}

/* oom-edge needs one DIMM size, targets below boot memory, and room for
 * the cap's worth of DIMMs. */
static void check_oom_edge(struct parser *p)
{
	const struct job *job = &p->job;
	char a[VALUE_MAX], b[VALUE_MAX];
	int i;

	if (job->nsizes != 1)
		parser_fail(p, -EINVAL, set_line(p, "sizes"),
			    "sizes: benchmark = oom-edge takes exactly one "
			    "DIMM size, got %d",
			    job->nsizes);
	for (i = 0; i < job->noom_targets; i++) {
		if (job->oom_targets[i] < job->boot_mem)
			continue;
		value_format_size(job->oom_targets[i], a, sizeof(a));
		value_format_size(job->boot_mem, b, sizeof(b));
		parser_fail(p, -EINVAL, set_line(p, "oom_targets"),
			    "oom_targets: %s is not below boot_mem (%s): the "
			    "guest can never have that much free",
			    a, b);
	}
	if (job->oom_cap > job->slots)
		parser_fail(p, -EINVAL, set_line(p, "oom_cap"),
			    "oom_cap: %d DIMMs need as many slots, but slots "
			    "= %d",
			    job->oom_cap, job->slots);
}

/* One "label:image" entry of `kernels`. */
static void parse_kernel_item(struct parser *p, char *item)
{
	struct job *job = &p->job;
	int line = set_line(p, "kernels");
	char *colon = strchr(item, ':'), *label, *image, why[256];
	char series[KERNELS_SERIES_MAX];
	struct job_kernel *k;

	if (!colon) {
		parser_fail(p, -EINVAL, line,
			    "kernels: '%.64s' is not label:image (e.g. "
			    "base:debian)",
			    item);
		return;
	}
	*colon = '\0';
	label = value_trim(item);
	image = value_trim(colon + 1);
	if (job_label_check(label, strlen(label), why, sizeof(why))) {
		parser_fail(p, -EINVAL, line, "kernels: '%.64s': %s", label,
			    why);
		return;
	}
	if (!*image) {
		parser_fail(p, -EINVAL, line, "kernels: %s has no image",
			    label);
		return;
	}
	if (kernels_debian_series(image, series, sizeof(series), why,
				  sizeof(why)) < 0) {
		parser_fail(p, -EINVAL, line, "kernels: %s: %s", label, why);
		return;
	}
	for (int i = 0; i < job->nkernels; i++)
		if (!strcmp(job->kernels[i].label, label)) {
			parser_fail(p, -EINVAL, line,
				    "kernels: %s is listed twice", label);
			return;
		}
	if (job->nkernels == JOB_MAX_KERNELS) {
		parser_fail(p, -E2BIG, line, "kernels: more than %d entries",
			    JOB_MAX_KERNELS);
		return;
	}
	k = &job->kernels[job->nkernels++];
	snprintf(k->label, sizeof(k->label), "%s", label);
	snprintf(k->image, sizeof(k->image), "%s", image);
}

/* Each entry of `kernels`, until the first error. */
static void parse_kernel_items(struct parser *p)
{
	char *copy, *item, *next;

	copy = strdup(p->job.kernels_spec);
	if (!copy) {
		parser_fail(p, -ENOMEM, 0, "out of memory");
		return;
	}
	for (next = copy; next && !p->rc;) {
		item = next;
		next = strchr(item, ',');
		if (next)
			*next++ = '\0';
		parse_kernel_item(p, item);
	}
	free(copy);
}

/* Gives each [kernel LABEL] section's extras to its kernel. */
static void attach_kernel_sections(struct parser *p)
{
	struct job *job = &p->job;
	int i, j;

	for (i = 0; i < p->nks && !p->rc; i++) {
		for (j = 0; j < job->nkernels; j++)
			if (!strcmp(job->kernels[j].label, p->ks[i].label))
				break;
		if (j == job->nkernels) {
			parser_fail(p, -EINVAL, p->ks[i].line,
				    "[kernel %s]: %s is not in kernels (line "
				    "%d)",
				    p->ks[i].label, p->ks[i].label,
				    set_line(p, "kernels"));
			break;
		}
		strcpy(job->kernels[j].cmdline_extra, p->ks[i].cmdline_extra);
		strcpy(job->kernels[j].modules, p->ks[i].modules);
		job->kernels[j].line = p->ks[i].line;
	}
}

/* Fills job->kernels from `kernels` and the [kernel LABEL] sections. */
static void check_kernels(struct parser *p)
{
	struct job *job = &p->job;
	char series[KERNELS_SERIES_MAX], why[256];

	job->nkernels = 0;
	if (kernels_debian_series(job->kernel, series, sizeof(series), why,
				  sizeof(why)) < 0)
		parser_fail(p, -EINVAL, set_line(p, "kernel"), "kernel: %s",
			    why);
	if (!job->kernels_spec[0]) {
		if (p->nks)
			parser_fail(p, -EINVAL, p->ks[0].line,
				    "[kernel %s]: there is no kernels = list "
				    "for it to belong to",
				    p->ks[0].label);
		return;
	}
	/* job_dump() writes the default kernel too; only a real second
	 * choice is a conflict. */
	if (set_line(p, "kernel") && strcmp(job->kernel, "debian"))
		parser_fail(p, -EINVAL, set_line(p, "kernel"),
			    "kernel: set kernels or kernel, not both (kernels "
			    "is at line %d)",
			    set_line(p, "kernels"));
	parse_kernel_items(p);
	attach_kernel_sections(p);
}

/* The nodes' memory, which stands in for boot_mem: it gets boot_mem's
 * range, and must match boot_mem where that is set too. */
static void check_numa_mem(struct parser *p, int line)
{
	struct job *job = &p->job;
	const struct opt *bm = opt_find("boot_mem");
	char a[VALUE_MAX], range[2 * VALUE_MAX + 2];
	uint64_t sum = 0;

	/* Saturating: the sum stands in for boot_mem, so it gets
	 * boot_mem's range check, which a wrapped sum could pass. */
	for (int i = 0; i < job->nnodes; i++)
		sum = job->nodes[i].mem > UINT64_MAX - sum
			      ? UINT64_MAX
			      : sum + job->nodes[i].mem;
	if (sum < (uint64_t)bm->min || sum > (uint64_t)bm->max) {
		value_format_size(sum, a, sizeof(a));
		opt_range_text(bm, range, sizeof(range));
		parser_fail(p, -EINVAL, line,
			    "numa_nodes: the nodes' memory adds up to %s, but "
			    "boot_mem must be in %s",
			    sum == UINT64_MAX ? "more than 2^64 bytes" : a,
			    range);
		return;
	}
	if (set_line(p, "boot_mem") && sum != job->boot_mem)
		parser_fail(p, -EINVAL, set_line(p, "boot_mem"),
			    "boot_mem: numa_nodes adds up to %lluM; leave "
			    "boot_mem out or make it match",
			    (unsigned long long)(sum >> 20));
	job->boot_mem = sum;
}

/* numa_nodes / numa_host_nodes, against smp, node and boot_mem. */
static void check_numa(struct parser *p)
{
	struct job *job = &p->job;
	int line = set_line(p, "numa_nodes");
	char msg[256];
	/* icount runs one vCPU, also as accel=auto's fallback */
	int smp = job->accel == ACCEL_TCG_ICOUNT ||
				  (job->accel == ACCEL_AUTO &&
				   job->accel_fallback == ACCEL_TCG_ICOUNT)
			  ? 1
			  : job->smp;

	job->nnodes = 0;
	if (numa_parse(job->numa_spec, job->nodes, &job->nnodes, msg,
		       sizeof(msg)) ||
	    numa_check(job->nodes, job->nnodes, smp, msg, sizeof(msg))) {
		parser_fail(p, -EINVAL, line, "numa_nodes: %s", msg);
		return;
	}
	if (numa_parse_host(job->numa_host_spec, job->nodes, job->nnodes, msg,
			    sizeof(msg))) {
		parser_fail(p, -EINVAL, set_line(p, "numa_host_nodes"),
			    "numa_host_nodes: %s", msg);
		return;
	}
	/* Without numa_nodes, QEMU itself judges `node` (device_add). */
	if (!job->nnodes)
		return;
	if (job->node >= job->nnodes)
		parser_fail(p, -EINVAL, set_line(p, "node"),
			    "node: %d, but numa_nodes has %d nodes", job->node,
			    job->nnodes);
	if (job->nblock_sizes)
		parser_fail(p, -EINVAL, line,
			    "numa_nodes: not with block_sizes (one sets the "
			    "boot memory per block size)");
	check_numa_mem(p, line);
}

/* Each block size must be one the guest can be made to pick. */
static void check_block_sizes(struct parser *p)
{
	const struct job *job = &p->job;
	int line = set_line(p, "block_sizes");
	char a[VALUE_MAX], b[VALUE_MAX];
	uint64_t mem;

	if (!job->nblock_sizes)
		return;
	if (job->benchmark == BENCH_OOM_EDGE)
		parser_fail(p, -EINVAL, line,
			    "block_sizes: benchmark = oom-edge runs at one "
			    "boot_mem; sweep block sizes with benchmark = "
			    "cycles");
	/* maxmem = 0 is the default ("work it out"), which job_dump()
	 * writes back: only a real ceiling conflicts. */
	if (set_line(p, "maxmem") && job->maxmem)
		parser_fail(p, -EINVAL, set_line(p, "maxmem"),
			    "maxmem: not with block_sizes, which sets the "
			    "boot memory (and so maxmem) per block size");
	for (int i = 0; i < job->nblock_sizes; i++) {
		int ret = blocksize_boot_mem(job->block_sizes[i], job->boot_mem,
					     &mem);

		value_format_size(job->block_sizes[i], a, sizeof(a));
		value_format_size(job->boot_mem, b, sizeof(b));
		if (ret == -EINVAL)
			parser_fail(p, -EINVAL, line,
				    "block_sizes: %s is not a power of two "
				    "(Linux block sizes are 128M, 256M, 512M, "
				    "1G or 2G)",
				    a);
		else if (ret)
			parser_fail(p, -EINVAL, line,
				    "block_sizes: 128M blocks need boot memory "
				    "ending below 64G, but boot_mem is %s",
				    b);
	}
}

/* Fault injection happens in the cycles; offline-busy needs a block
 * that only its pin allocates from. */
static void check_faults(struct parser *p)
{
	const struct job *job = &p->job;
	int line = set_line(p, "inject_fault");

	if (job->inject_fault == FAULT_NONE)
		return;
	if (job->benchmark == BENCH_OOM_EDGE)
		parser_fail(p, -EINVAL, line,
			    "inject_fault: not with benchmark = oom-edge, "
			    "whose points end on a guest's death by design");
	else if (job->inject_fault == FAULT_OFFLINE_BUSY &&
		 (job->node >= job->nnodes || job->nodes[job->node].cpus))
		parser_fail(p, -EINVAL, line,
			    "inject_fault: offline-busy needs the DIMMs on a "
			    "NUMA node without vCPUs (numa_nodes = 512M:0-1, "
			    "0 and node = 1): next to the vCPUs the kernel's "
			    "own allocations fill a ZONE_NORMAL block within "
			    "moments, and it could not be offlined after the "
			    "pin either");
}

/* The offline migrates the fill into boot memory: the largest fill of
 * the largest DIMM, and FILL_ROOM for the kernel and the agent, must fit
 * there, or the offline would retry its migration until the phase
 * deadline (README, "Offline with pages to migrate"). */
#define FILL_ROOM (128ULL << 20)

static void check_fill(struct parser *p, uint64_t largest)
{
	const struct job *job = &p->job;
	int line = set_line(p, "offline_fill"), most = 0;
	char a[VALUE_MAX], b[VALUE_MAX], c[VALUE_MAX];
	uint64_t need;

	if (!job->noffline_fill)
		return;
	if (job->benchmark == BENCH_OOM_EDGE) {
		parser_fail(p, -EINVAL, line,
			    "offline_fill: benchmark = oom-edge has no "
			    "offline to fill for");
		return;
	}
	for (int i = 0; i < job->noffline_fill; i++)
		if (job->offline_fill[i] > most)
			most = job->offline_fill[i];
	need = largest / 100 * (uint64_t)most;
	if (need + FILL_ROOM <= job->boot_mem)
		return;
	value_format_size(largest, a, sizeof(a));
	value_format_size(job->boot_mem, b, sizeof(b));
	value_format_size((need + FILL_ROOM + (1ULL << 20) - 1) &
				  ~((1ULL << 20) - 1),
			  c, sizeof(c));
	parser_fail(p, -EINVAL, line,
		    "offline_fill: %d%% of a %s DIMM must be migrated into "
		    "boot memory, but boot_mem is %s; it needs at least %s",
		    most, a, b, c);
}

/* A set maxmem must hold the boot memory and the DIMMs plugged at once
 * (@largest bytes). */
static void check_maxmem(struct parser *p, uint64_t largest)
{
	const struct job *job = &p->job;
	char a[VALUE_MAX], b[VALUE_MAX], c[VALUE_MAX], d[VALUE_MAX];

	if (!job->maxmem || job->maxmem >= job->boot_mem + largest)
		return;
	value_format_size(job->maxmem, a, sizeof(a));
	value_format_size(job->boot_mem, b, sizeof(b));
	value_format_size(largest, c, sizeof(c));
	value_format_size(job->boot_mem + largest, d, sizeof(d));
	parser_fail(p, -EINVAL, set_line(p, "maxmem"),
		    "maxmem: %s is less than boot_mem + the largest size (%s "
		    "+ %s = %s)",
		    a, b, c, d);
}

/* accel_fallback names what accel=auto runs without KVM: a TCG. */
static void check_fallback(struct parser *p)
{
	const struct job *job = &p->job;

	if (job->accel_fallback == ACCEL_TCG ||
	    job->accel_fallback == ACCEL_TCG_ICOUNT)
		return;
	parser_fail(p, -EINVAL, set_line(p, "accel_fallback"),
		    "accel_fallback: '%s' is not a fallback (tcg or "
		    "tcg-icount: what accel = auto runs where KVM is not "
		    "usable)",
		    job_accel_name(job->accel_fallback));
}

/* The pc machine keeps all guest memory below 4G while there is less than
 * this (above it, only 3G), and the pmem region must lie in one piece
 * there; above the region there must be room for the initramfs, which QEMU
 * loads at the top of low memory. */
#define PC_LOWMEM_ALL (3584ULL << 20)
#define PMEM_ABOVE (128ULL << 20)

static void check_pmem_align(struct parser *p)
{
	const struct job *job = &p->job;
	char a[VALUE_MAX];

	if (job->pmem_align == 4096 || job->pmem_align == (2ULL << 20))
		return;
	value_format_size(job->pmem_align, a, sizeof(a));
	parser_fail(p, -EINVAL, set_line(p, "pmem_align"),
		    "pmem_align: %s is not an alignment the kernel takes "
		    "here: x86 device DAX supports 4K, 2M and 1G, and 1G "
		    "needs a 1G-aligned region (this one starts at 256M)",
		    a);
}

/* source = pmem: where the region goes (README "Persistent memory
 * through dax/kmem"), and what it cannot be combined with. */
static void check_pmem(struct parser *p)
{
	const struct job *job = &p->job;
	int line = set_line(p, "source");
	char a[VALUE_MAX], b[VALUE_MAX], c[VALUE_MAX];

	if (job->source != SOURCE_PMEM)
		return;
	check_pmem_align(p);
	if (job->nblock_sizes)
		parser_fail(p, -EINVAL, set_line(p, "block_sizes"),
			    "block_sizes: not with source = pmem, whose "
			    "region must lie below 4G (128M blocks only)");
	if (job->nnodes)
		parser_fail(p, -EINVAL, set_line(p, "numa_nodes"),
			    "numa_nodes: not with source = pmem, which gives "
			    "the guest one NUMA node of its own");
	value_format_size(job->boot_mem, a, sizeof(a));
	value_format_size(job->pmem_size, b, sizeof(b));
	if (job->boot_mem < JOB_PMEM_AT + PMEM_ABOVE)
		parser_fail(p, -EINVAL, set_line(p, "boot_mem"),
			    "boot_mem: %s is too small for source = pmem: "
			    "the region sits at 256M, with at least 128M of "
			    "boot memory above it (the initramfs goes there); "
			    "use 384M or more",
			    a);
	else if (job->boot_mem % (128ULL << 20))
		parser_fail(p, -EINVAL, set_line(p, "boot_mem"),
			    "boot_mem: %s is not a multiple of 128M, which "
			    "source = pmem needs (the region's blocks must "
			    "be whole)",
			    a);
	if (job->boot_mem + job->pmem_size >= PC_LOWMEM_ALL) {
		value_format_size(job->boot_mem + job->pmem_size, c, sizeof(c));
		parser_fail(p, -EINVAL,
			    set_line(p, "pmem_size") ? set_line(p, "pmem_size")
						     : line,
			    "pmem_size: %s does not fit boot memory: boot_mem "
			    "%s + pmem_size = %s, but the pc machine keeps "
			    "guest memory in one piece below 4G only under "
			    "3584M",
			    b, a, c);
	}
}

/* Checks between keys, once all are read. */
void job_check(struct parser *p)
{
	const struct job *job = &p->job;
	/* Before check_numa(), which may replace boot_mem with the nodes'
	 * sum: a `block` DIMM is as large as the block size boot_mem gives,
	 * and this keeps the one of the boot_mem the file sets. */
	uint64_t largest = job_largest_dimm(job);

	check_kernels(p);
	check_fallback(p);
	check_block_sizes(p);
	check_numa(p);
	check_faults(p);
	check_fill(p, largest);
	job_check_zone(p, largest);
	if (!p->rc)
		job_check_zone_host(p, largest, zonesize_host_avail());
	check_pmem(p);
	if (job->benchmark == BENCH_OOM_EDGE) {
		check_oom_edge(p);
		largest *= (uint64_t)job_oom_cap(job);
	}
	check_maxmem(p, largest);
}
