/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fault injection: unmovable kernel memory held on purpose, so that
 * offlining a block onlined to ZONE_NORMAL fails with EBUSY (the harness's
 * inject_offline_busy). Never used by a measurement. */
#ifndef MHP_AGENT_PIN_H
#define MHP_AGENT_PIN_H

#include "proto.h"

/* "pin": fills pipes with @mib MiB that nobody reads. */
int pin_op_pin(const json_t *req, json_t *res, int64_t deadline_ns);
/* "unpin": closes them again and returns the kernel log since "pin". */
int pin_op_unpin(const json_t *req, json_t *res, int64_t deadline_ns);

#endif
