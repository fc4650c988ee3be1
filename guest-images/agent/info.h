/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Read-only ops: hello (what the guest is), meminfo, blocks. */
#ifndef MHP_AGENT_INFO_H
#define MHP_AGENT_INFO_H

#include "proto.h"

int info_op_hello(const json_t *req, json_t *res, int64_t deadline_ns);
int info_op_meminfo(const json_t *req, json_t *res, int64_t deadline_ns);
int info_op_blocks(const json_t *req, json_t *res, int64_t deadline_ns);

#endif
