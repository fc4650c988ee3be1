/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The memmap placement a kernel release gives hot-added memory. The
 * memory_hotplug.memmap_on_memory parameter exists from 5.13 (with
 * CONFIG_MHP_MEMMAP_ON_MEMORY); up to 6.7 only a DIMM of exactly one block
 * self-hosts; from 6.8 every block does. */
#ifndef MHP_KERNEL_RULES_H
#define MHP_KERNEL_RULES_H

#include <stdint.h>

/* Kernel release -> (major, minor); 0 on success. */
int kernel_release_version(const char *release, int *major, int *minor);

/* 1 when a DIMM of @dimm_mib is expected to self-host its memmap on a
 * kernel of @release whose parameter is on (@enabled) with @block_mib
 * blocks, else 0. Callers pass enabled = 0 for mode ram. */
int kernel_expects_self_hosted(const char *release, int enabled,
			       int64_t block_mib, int64_t dimm_mib);

/* The same for memory that device DAX's kmem driver adds (source = pmem):
 * its device's memmap_on_memory attribute came with 6.8, which handles
 * every block (@enabled: the attribute reads 1 and the module parameter
 * is on). */
int kernel_expects_dax_self_hosted(const char *release, int enabled);

#endif
