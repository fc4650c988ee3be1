// SPDX-License-Identifier: GPL-2.0-or-later
#include "run/metrics.h"

#include <string.h>

int64_t metrics_memmap_kib(uint64_t dimm_bytes)
{
	return (int64_t)(dimm_bytes / 64 / 1024);
}

void metrics_derive(const struct cycle_mem *m, uint64_t dimm_bytes,
		    struct cycle_derived *d)
{
	int64_t dimm_kib = (int64_t)(dimm_bytes / 1024);

	memset(d, 0, sizeof(*d));
	d->memfree_delta_add_kib =
		m->after_add.mem_free - m->before_add.mem_free;
	/* Free memory is MemFree plus the per-CPU lists: the memmap may come
	 * from pages MemFree had already stopped counting. */
	d->memmap_from_ram_kib = -d->memfree_delta_add_kib;
	if (m->before_add.pcp_free >= 0 && m->after_add.pcp_free >= 0)
		d->memmap_from_ram_kib -=
			m->after_add.pcp_free - m->before_add.pcp_free;
	d->memtotal_delta_online_kib =
		m->after_online.mem_total - m->before_add.mem_total;
	d->self_hosted_kib = dimm_kib - d->memtotal_delta_online_kib;
	/* MemTotal is exact to the page, MemFree is not (README, "What a run prints and writes"): the
	 * verdict comes from MemTotal. A self-hosted memmap is not managed
	 * memory, so the DIMM adds less than its size. With a block left
	 * offline the shortfall would mean nothing. */
	if (!m->all_online)
		d->self_hosted = -1;
	else
		d->self_hosted = d->self_hosted_kib > 0;
	d->memtotal_residual_kib =
		m->after_remove.mem_total - m->before_add.mem_total;
	d->blocks_residual = m->blocks_after_remove - m->blocks_before;
}
