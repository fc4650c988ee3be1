/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The deep cycles and the PMU as observers of the cycle (run/cycle.h),
 * both registered with the boot's struct deep_boot (run/deep.h):
 *  - deep_observer, in deep cycles: each online and offline write under
 *    the tracer while tracing works (the fn_* breakdown), and the probe
 *    of each block once the DIMM is online (memmap placement, the cost of
 *    a walk of its struct pages), before the offline;
 *  - pmu_observer, in measured cycles: the counters read right before
 *    and right after each phase, outside its timed window (pmu_*). */
#ifndef MHP_DEEP_HOOKS_H
#define MHP_DEEP_HOOKS_H

#include "run/cycle.h"
#include "run/deep.h"

extern const struct cycle_observer deep_observer;
extern const struct cycle_observer pmu_observer;

#endif
