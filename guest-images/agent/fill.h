/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The offline fill: movable pages held in the blocks about to be
 * offlined (ops "fill", "unfill"), and /proc/vmstat to count what the
 * offline migrated ("vmstat"). docs/agent-protocol.md. */
#ifndef MHP_AGENT_FILL_H
#define MHP_AGENT_FILL_H

#include "proto.h"

int fill_op_fill(const json_t *req, json_t *res, int64_t deadline_ns);
int fill_op_unfill(const json_t *req, json_t *res, int64_t deadline_ns);
int fill_op_vmstat(const json_t *req, json_t *res, int64_t deadline_ns);

#endif
