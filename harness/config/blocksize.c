// SPDX-License-Identifier: GPL-2.0-or-later
/* The block-size rule of blocksize.h: where a guest's boot memory ends
 * on QEMU's pc machine, the block size Linux picks for it, and the boot
 * memory that makes it pick a given one. */
#include "config/blocksize.h"

#include <errno.h>

#define GIB (1ULL << 30)
#define PC_HIGHMEM_FROM (3584ULL << 20) /* 3.5G: QEMU's max_ram_below_4g */
#define PC_LOWMEM (3 * GIB)

uint64_t blocksize_mem_end(uint64_t boot_mem)
{
	if (boot_mem < PC_HIGHMEM_FROM)
		return boot_mem;
	return 4 * GIB + (boot_mem - PC_LOWMEM);
}

uint64_t blocksize_for_boot_mem(uint64_t boot_mem)
{
	uint64_t end = blocksize_mem_end(boot_mem), bz;

	if (end < BLOCKSIZE_LARGE_END)
		return BLOCKSIZE_MIN;
	for (bz = BLOCKSIZE_MAX; bz > BLOCKSIZE_MIN; bz >>= 1)
		if (!(end & (bz - 1)))
			break;
	return bz;
}

int blocksize_boot_mem(uint64_t block, uint64_t dflt, uint64_t *boot_mem)
{
	uint64_t end;

	if (block < BLOCKSIZE_MIN || block > BLOCKSIZE_MAX ||
	    (block & (block - 1)))
		return -EINVAL;
	if (block == BLOCKSIZE_MIN) {
		if (blocksize_mem_end(dflt) >= BLOCKSIZE_LARGE_END)
			return -ERANGE;
		*boot_mem = dflt;
		return 0;
	}
	/* 64G is a multiple of every block size, so 64G + B is aligned to B
	 * but not to 2B: the kernel stops at B. */
	end = BLOCKSIZE_LARGE_END + (block == BLOCKSIZE_MAX ? 0 : block);
	*boot_mem = end - 4 * GIB + PC_LOWMEM;
	return 0;
}
