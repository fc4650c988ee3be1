/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What every boot checks once the agent said hello, before any cycle:
 * that the guest has the memory block size the job asked for, what the
 * kernel can do with the memmap (written as samples, so a report can be
 * rebuilt from samples.csv alone), and whether the mode can be measured on
 * this kernel at all, and whether it counts its memmap in /proc/vmstat. */
#ifndef MHP_BOOTCHECK_H
#define MHP_BOOTCHECK_H

#include "run/guest.h"

#include <jansson.h>

/* @block_asked: bytes, 0 when the job leaves it to the kernel. Returns 0
 * to go on, 1 when @mode is unsupported by this kernel (recorded in the
 * manifest's "skipped", the boot's "unsupported" and the samples), or
 * -errno with err_set() (EXIT_ENV on a block size mismatch, EXIT_IO). */
int bootcheck_run(struct store *st, struct guest *g, int bidx,
		  enum job_memmap mode, uint64_t block_asked, json_t *boot);

#endif
