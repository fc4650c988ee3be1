// SPDX-License-Identifier: GPL-2.0-or-later
#include "mempol.h"

#include <errno.h>
#include <linux/mempolicy.h>
#include <sys/syscall.h>
#include <unistd.h>

int mempol_prefer_node(long long node)
{
	unsigned long mask[2] = {0, 0};

	if (node < 0)
		return syscall(SYS_set_mempolicy, MPOL_DEFAULT, NULL, 0)
			       ? -errno
			       : 0;
	if (node >= (long long)(8 * sizeof(mask)))
		return -EINVAL;
	mask[node / (8 * sizeof(long))] = 1UL << (node % (8 * sizeof(long)));
	return syscall(SYS_set_mempolicy, MPOL_PREFERRED, mask,
		       8 * sizeof(mask) + 1)
		       ? -errno
		       : 0;
}
