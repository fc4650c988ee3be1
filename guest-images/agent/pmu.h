/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Ops "pmu_open", "pmu_read", "pmu_close": hardware (or software) event
 * counters named by libpfm4 strings, counted system-wide on every online
 * CPU, because hot-add and online work also runs in kworkers. */
#ifndef MHP_AGENT_PMU_H
#define MHP_AGENT_PMU_H

#include "proto.h"

int pmu_op_open(const json_t *req, json_t *res, int64_t deadline_ns);
int pmu_op_read(const json_t *req, json_t *res, int64_t deadline_ns);
int pmu_op_close(const json_t *req, json_t *res, int64_t deadline_ns);

#endif
