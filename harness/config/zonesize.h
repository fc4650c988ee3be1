/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The zone_present axis (README, "Cost against the size of the zone"):
 * how a boot gets N bytes into the zone its measured blocks join, and
 * what that costs the host. zone = movable: one DIMM of N, onlined to
 * ZONE_MOVABLE before the cycles and kept. zone = normal: boot memory of
 * 3G (QEMU's pc machine keeps that much below 4G, in ZONE_DMA32) plus N
 * above 4G, which is ZONE_NORMAL; 128M is added where the block-size rule
 * (blocksize.h) would otherwise give larger blocks. */
#ifndef MHP_ZONESIZE_H
#define MHP_ZONESIZE_H

#include "config/job.h"

#include <stdint.h>

/* The smallest N > 0 that zone = normal can put above 4G: QEMU keeps boot
 * memory below 3.5G all below 4G. */
#define ZONESIZE_NORMAL_MIN (512ULL << 20)

/* Boot memory of a boot with @present bytes in the zone: @dflt (the job's
 * boot_mem) for ZONE_MOVABLE; 3G + @present for ZONE_NORMAL, plus 128M
 * where that keeps 128M memory blocks. */
uint64_t zonesize_boot_mem(enum job_zone zone, uint64_t present, uint64_t dflt);

/* Bytes of DIMMs plugged before the cycles: @present for ZONE_MOVABLE,
 * else 0. */
uint64_t zonesize_plugged(enum job_zone zone, uint64_t present);

/* Host memory a boot is expected to touch, bytes: the memmap of all guest
 * memory (1/64 of boot memory, the zone's DIMM and @largest, the largest
 * measured DIMM), the job's boot_mem as the guest's working set, and 512M
 * for QEMU itself. Boot memory and the zone's DIMM are reserve=off, so
 * the rest is never backed. */
uint64_t zonesize_host_need(const struct job *job, uint64_t present,
			    uint64_t largest);

/* The host's MemAvailable in bytes; 0 when /proc/meminfo cannot be read
 * (then nothing is checked against it). */
uint64_t zonesize_host_avail(void);

#endif
