/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The OOM-edge ops: a memory hog that brings the guest down to a target
 * MemFree, and what the OOM killer did since (vmstat, kernel log). */
#ifndef MHP_AGENT_OOM_H
#define MHP_AGENT_OOM_H

#include "proto.h"

int oom_op_hog(const json_t *req, json_t *res, int64_t deadline_ns);
int oom_op_status(const json_t *req, json_t *res, int64_t deadline_ns);

#endif
