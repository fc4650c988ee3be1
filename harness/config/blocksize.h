/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The memory block size an x86-64 guest on QEMU's pc machine will pick,
 * and the boot memory that makes it pick a given one. Linux (6.1,
 * arch/x86/mm/init_64.c probe_memory_block_size) uses 128M while boot
 * memory ends below 64G; from 64G on, in a VM, the largest power of two up
 * to 2G that divides the end of boot memory. The guest's own
 * block_size_bytes is still checked after every boot. */
#ifndef MHP_BLOCKSIZE_H
#define MHP_BLOCKSIZE_H

#include <stdint.h>

#define BLOCKSIZE_MIN (128ULL << 20)
#define BLOCKSIZE_MAX (2ULL << 30)
/* Boot memory ending at or above this gets large blocks. */
#define BLOCKSIZE_LARGE_END (64ULL << 30)

/* End of boot memory (physical address) for @boot_mem bytes on pc: from
 * 3.5G on, QEMU puts 3G below 4G and the rest above 4G. */
uint64_t blocksize_mem_end(uint64_t boot_mem);

/* The block size the kernel picks for @boot_mem bytes of boot memory. */
uint64_t blocksize_for_boot_mem(uint64_t boot_mem);

/* Boot memory for @block-byte blocks: @dflt (the job's boot_mem) for
 * 128M, else the smallest size whose end is 64G + @block (64G for 2G).
 * -EINVAL: @block is not a power of two in 128M..2G; -ERANGE: @dflt is
 * too large to keep 128M blocks. */
int blocksize_boot_mem(uint64_t block, uint64_t dflt, uint64_t *boot_mem);

#endif
