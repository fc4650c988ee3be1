// SPDX-License-Identifier: GPL-2.0-or-later
/* What a kernel does with the memmap of hot-added memory (README,
 * "Expected and observed placement"). Pure functions of the release: the
 * run side and the analysis both use them. */
#include "config/kernel_rules.h"

#include <stdio.h>

int kernel_release_version(const char *release, int *major, int *minor)
{
	return sscanf(release, "%d.%d", major, minor) == 2 ? 0 : -1;
}

int kernel_expects_self_hosted(const char *release, int enabled,
			       int64_t block_mib, int64_t dimm_mib)
{
	int maj, min;

	if (!enabled || kernel_release_version(release, &maj, &min) ||
	    maj * 100 + min < 513)
		return 0; /* memmap_on_memory appeared in 5.13 */
	if (maj * 100 + min >= 608)
		return dimm_mib % block_mib == 0; /* block by block */
	return dimm_mib == block_mib;
}

int kernel_expects_dax_self_hosted(const char *release, int enabled)
{
	int maj, min;

	if (!enabled || kernel_release_version(release, &maj, &min))
		return 0;
	return maj * 100 + min >= 608;
}
