/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Persistent memory as system RAM: the legacy pmem region made a devdax
 * device once per boot (pmem_setup), then handed to kmem and back for each
 * cycle (kmem), all through sysfs. */
#ifndef MHP_AGENT_DAX_H
#define MHP_AGENT_DAX_H

#include "proto.h"

/* Where the initramfs of a kernel with modular nvdimm/dax puts them
 * (guest-images/debian-series.mk). */
#define DAX_MODULE_DIR "/lib/modules/dax"

int dax_op_pmem_setup(const json_t *req, json_t *res, int64_t deadline_ns);
int dax_op_kmem(const json_t *req, json_t *res, int64_t deadline_ns);

#endif
