/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The probe-module ops: load mhp_probe.ko (guest-images/probe/) and ask it
 * where a memory block's memmap lives and what walking it costs. */
#ifndef MHP_AGENT_PROBE_H
#define MHP_AGENT_PROBE_H

#include "proto.h"

/* Where the initramfs puts the module (guest-images/Makefile). */
#define PROBE_MODULE_PATH "/lib/modules/mhp_probe.ko"

int probe_op_load(const json_t *req, json_t *res, int64_t deadline_ns);
int probe_op_block(const json_t *req, json_t *res, int64_t deadline_ns);

#endif
