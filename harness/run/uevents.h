/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the guest's uevents of one DIMM say: how many there were and the
 * time from the first to the last, the guest's view of an add or a
 * remove. Pure, so that the fuzz target (tests/fuzz/fuzz_agent.c) can
 * feed it whatever a wait_blocks reply parses into. */
#ifndef MHP_UEVENTS_H
#define MHP_UEVENTS_H

#include "proto/agent.h"

#include <stdint.h>

/* The blocks' uevents plus the ACPI memory device's own, when the guest
 * sent one. */
int uevent_count(const struct agent_uevents *ev);

/* First-to-last over the same events; 0 without block events. One event
 * spans nothing: callers leave the guest view out (uevent_count() < 2)
 * rather than write it as zero. */
int64_t uevent_span(const struct agent_uevents *ev);

#endif
