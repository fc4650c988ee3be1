// SPDX-License-Identifier: GPL-2.0-or-later
/* zone_present against the other keys, the guest's shape and the host's
 * memory (README, "Cost against the size of the zone"). Each error points
 * at the zone_present line, or at the key it conflicts with. */
#include "config/blocksize.h"
#include "config/job_parse.h"
#include "config/job_value.h"
#include "config/zonesize.h"

#include <errno.h>

/* Room the guest keeps in boot memory beside the zone DIMM's memmap. */
#define MEMMAP_ROOM (256ULL << 20)

static int line_of(const struct parser *p, const char *name)
{
	return p->set_line[opt_find(name) - job_opts];
}

static uint64_t largest_present(const struct job *job)
{
	uint64_t most = 0;

	for (int i = 0; i < job->nzone_present; i++)
		if (job->zone_present[i] > most)
			most = job->zone_present[i];
	return most;
}

/* Keys zone_present does not go with. */
static int check_keys(struct parser *p, int line)
{
	const struct job *job = &p->job;

	if (job->benchmark == BENCH_OOM_EDGE)
		return parser_fail(p, -EINVAL, line,
				   "zone_present: benchmark = oom-edge has no "
				   "measured cycles to put beside it");
	if (job->nblock_sizes)
		return parser_fail(p, -EINVAL, line,
				   "zone_present: not with block_sizes (the "
				   "axis keeps 128M memory blocks)");
	if (job->zone == ZONE_AUTO)
		return parser_fail(p, -EINVAL, line,
				   "zone_present: zone = auto lets the kernel "
				   "pick the zone; name movable or normal");
	if (job->zone == ZONE_NORMAL && line_of(p, "boot_mem"))
		return parser_fail(p, -EINVAL, line_of(p, "boot_mem"),
				   "boot_mem: with zone = normal, "
				   "zone_present sets the boot memory (3G + "
				   "each size); leave boot_mem out");
	if (job->zone == ZONE_NORMAL && job->nnodes)
		return parser_fail(p, -EINVAL, line,
				   "zone_present: zone = normal sets the boot "
				   "memory, which numa_nodes also does");
	if (job->zone == ZONE_MOVABLE && job->slots < 2)
		return parser_fail(p, -EINVAL, line_of(p, "slots"),
				   "slots: zone_present's DIMM takes a slot "
				   "beside the measured one; slots must be "
				   "at least 2");
	return 0;
}

/* One size against the guest's shape: a ZONE_NORMAL it can be, a memmap
 * that fits boot memory, 128M blocks, maxmem. */
static int check_shape(struct parser *p, int line, uint64_t n, uint64_t largest)
{
	const struct job *job = &p->job;
	uint64_t boot = zonesize_boot_mem(job->zone, n, job->boot_mem);
	uint64_t total = boot + zonesize_plugged(job->zone, n) + largest;
	char a[VALUE_MAX], b[VALUE_MAX], c[VALUE_MAX];

	value_format_size(n, a, sizeof(a));
	if (job->zone == ZONE_NORMAL && n && n < ZONESIZE_NORMAL_MIN)
		return parser_fail(p, -EINVAL, line,
				   "zone_present: %s: with zone = normal a "
				   "size is 0 or at least 512M (QEMU keeps "
				   "boot memory below 3.5G all below 4G, out "
				   "of ZONE_NORMAL)",
				   a);
	if (job->zone == ZONE_MOVABLE && n / 64 + MEMMAP_ROOM > job->boot_mem) {
		value_format_size(job->boot_mem, b, sizeof(b));
		value_format_size(n / 64 + MEMMAP_ROOM, c, sizeof(c));
		return parser_fail(p, -EINVAL, line,
				   "zone_present: the memmap of %s (1/64) "
				   "comes from boot memory, but boot_mem is "
				   "%s; it needs at least %s",
				   a, b, c);
	}
	if (blocksize_for_boot_mem(boot) != BLOCKSIZE_MIN) {
		value_format_size(boot, b, sizeof(b));
		return parser_fail(p, -EINVAL, line_of(p, "boot_mem"),
				   "boot_mem: %s gives memory blocks larger "
				   "than 128M; zone_present keeps 128M",
				   b);
	}
	if (job->maxmem && job->maxmem < total) {
		value_format_size(job->maxmem, b, sizeof(b));
		value_format_size(total, c, sizeof(c));
		return parser_fail(p, -EINVAL, line,
				   "zone_present: %s does not fit maxmem %s: "
				   "boot memory, the zone and the largest "
				   "DIMM need %s",
				   a, b, c);
	}
	return 0;
}

int job_check_zone_host(struct parser *p, uint64_t largest, uint64_t avail)
{
	const struct job *job = &p->job;
	uint64_t n = largest_present(job);
	uint64_t need = zonesize_host_need(job, n, largest);
	char a[VALUE_MAX], b[VALUE_MAX], c[VALUE_MAX];

	if (!job->nzone_present || !avail || need <= avail)
		return 0;
	value_format_size(n, a, sizeof(a));
	value_format_size(need, b, sizeof(b));
	value_format_size(avail, c, sizeof(c));
	return parser_fail(p, -EINVAL, line_of(p, "zone_present"),
			   "zone_present: %s does not fit the host's memory: "
			   "the guest would touch about %s (memmap, boot_mem, "
			   "QEMU) and MemAvailable is %s",
			   a, b, c);
}

void job_check_zone(struct parser *p, uint64_t largest)
{
	const struct job *job = &p->job;
	int line = line_of(p, "zone_present");

	if (!job->nzone_present || check_keys(p, line))
		return;
	for (int i = 0; i < job->nzone_present; i++)
		if (check_shape(p, line, job->zone_present[i], largest))
			return;
}
