/* SPDX-License-Identifier: GPL-2.0-or-later */
/* source = pmem, once per boot: the guest makes its legacy pmem region a
 * devdax device with the mode's memmap_on_memory (agent pmem_setup), and
 * the boot records what it got (README "Persistent memory through
 * dax/kmem"). The cycles then hand it to kmem and back (run/cycle.c). */
#ifndef MHP_RUN_PMEM_H
#define MHP_RUN_PMEM_H

#include "run/bench.h"

/* 0 with g->pmem set; 1 when @mode cannot be measured on this kernel
 * (recorded as bootcheck does: "unsupported by kernel X"); -errno with
 * err_set() (EXIT_ENV: the guest could not set the device up). */
int pmem_boot_setup(struct run *r, struct guest *g, int bidx,
		    enum job_memmap mode, json_t *boot);

#endif
