/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Ops "online_traced" and "offline_traced": the timed state write of
 * "online"/"offline" under the function_graph tracer, with the cost of
 * each function called below the entry (docs/agent-protocol.md). */
#ifndef MHP_AGENT_FTRACE_H
#define MHP_AGENT_FTRACE_H

#include "proto.h"

int ftrace_op_online_traced(const json_t *req, json_t *res,
			    int64_t deadline_ns);
int ftrace_op_offline_traced(const json_t *req, json_t *res,
			     int64_t deadline_ns);

#endif
