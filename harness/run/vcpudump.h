/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What each vCPU was doing when the guest stopped answering: at a missed
 * phase deadline, with QEMU still running, its registers are read a few
 * times over QMP (HMP "info registers -a"), the kernel-text words on each
 * kernel stack are read (QMP memsave), and the addresses are named with
 * the kernel's symbols where mhpbench finds them (run/ksyms.h). All of it
 * goes to the boot's vcpus-N.log; a line per vCPU goes to the error
 * (README, "Faults and interruptions"). */
#ifndef MHP_VCPUDUMP_H
#define MHP_VCPUDUMP_H

#include "run/guest.h"
#include "run/ksyms.h"

#include <stddef.h>
#include <stdint.h>

#define VCPUDUMP_MAX 64

struct vcpu_state {
	int index;
	uint64_t rip, rsp, rfl;
	int cpl, halted;
};

/* Parses HMP "info registers -a" (a "CPU#N" line before each vCPU's
 * registers; without them the text is vCPU 0's). Returns the number of
 * vCPUs whose RIP was found. */
int vcpudump_parse(const char *text, struct vcpu_state *v, int max);

/* One line for vCPU @i over @nsnap snapshots @snap (VCPUDUMP_MAX states
 * each, @nv vCPUs): "vCPU 1: halted in native_safe_halt+0x..., interrupts
 * off", or "running: a, b, c" when its RIP moved. @text_base is the
 * guest's _text (0: unknown, raw addresses). */
void vcpudump_describe(const struct vcpu_state snap[][VCPUDUMP_MAX], int nsnap,
		       int i, const struct ksyms *k, uint64_t text_base,
		       char *buf, size_t len);

/* Takes the dump of @g into @path and writes the per-vCPU lines, joined
 * by "; ", to @summary. Never fails the caller: what could not be read is
 * said in the file and the summary. */
void vcpudump_take(struct guest *g, const char *path, char *summary,
		   size_t len);

#endif
