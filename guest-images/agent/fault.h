/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fault-injection ops for the harness's own tests: a guest kernel crash
 * (sysrq), a machine reset under the kernel (reset) and an agent that
 * stops answering (stall). Never used by a measurement. */
#ifndef MHP_AGENT_FAULT_H
#define MHP_AGENT_FAULT_H

#include "proto.h"

/* "sysrq": writes one key to /proc/sysrq-trigger. */
int fault_op_sysrq(const json_t *req, json_t *res, int64_t deadline_ns);
/* "reset": resets the machine under the kernel (port 0xcf9). */
int fault_op_reset(const json_t *req, json_t *res, int64_t deadline_ns);
/* "stall": sleeps, ignoring its deadline, then replies. */
int fault_op_stall(const json_t *req, json_t *res, int64_t deadline_ns);

#endif
