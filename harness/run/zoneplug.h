/* SPDX-License-Identifier: GPL-2.0-or-later */
/* zone_present with zone = movable: before a boot's cycles, one DIMM of
 * that size is hot-added (its backend reserve=off) and each of its blocks
 * onlined to ZONE_MOVABLE, and it stays there, so the measured blocks
 * join a zone that already holds it (README, "Cost against the size of
 * the zone"). */
#ifndef MHP_ZONEPLUG_H
#define MHP_ZONEPLUG_H

#include "config/job.h"
#include "run/guest.h"

#include <jansson.h>

/* Plugs and onlines @g's zone DIMM, if its boot has one, and records
 * what it did in @boot's "zone_dimm". Checks that MemTotal grew by the
 * DIMM (less a self-hosted memmap). 0, or -errno with err_set(). */
int zoneplug_run(struct guest *g, const struct job *job, json_t *boot);

#endif
