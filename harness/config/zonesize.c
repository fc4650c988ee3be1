// SPDX-License-Identifier: GPL-2.0-or-later
/* The zone_present axis's memory layout and host cost (zonesize.h). */
#include "config/zonesize.h"
#include "config/blocksize.h"

#include <stdio.h>

#define GIB (1ULL << 30)
#define PC_LOWMEM (3 * GIB)
#define QEMU_OWN (512ULL << 20)

uint64_t zonesize_boot_mem(enum job_zone zone, uint64_t present, uint64_t dflt)
{
	uint64_t mem;

	if (zone != ZONE_NORMAL)
		return dflt;
	mem = PC_LOWMEM + present;
	/* An end of boot memory at an odd multiple of 128M keeps 128M
	 * blocks at any size; one step of 128M gets there. */
	if (blocksize_for_boot_mem(mem) != BLOCKSIZE_MIN)
		mem += BLOCKSIZE_MIN;
	return mem;
}

uint64_t zonesize_plugged(enum job_zone zone, uint64_t present)
{
	return zone == ZONE_NORMAL ? 0 : present;
}

uint64_t zonesize_host_need(const struct job *job, uint64_t present,
			    uint64_t largest)
{
	uint64_t boot = zonesize_boot_mem(job->zone, present, job->boot_mem);
	uint64_t guest = boot + zonesize_plugged(job->zone, present) + largest;

	return guest / 64 + job->boot_mem + QEMU_OWN;
}

uint64_t zonesize_host_avail(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	unsigned long long kib = 0;
	char line[256];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1)
			break;
	fclose(f);
	return (uint64_t)kib << 10;
}
