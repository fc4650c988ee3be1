/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The guest kernel's text symbols, as offsets from _text, so that an
 * address seen in a stuck vCPU (a RIP, a word on its stack) can be named
 * whatever KASLR did (README, "Faults and interruptions": what the vCPUs
 * were doing). */
#ifndef MHP_KSYMS_H
#define MHP_KSYMS_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

struct ksym {
	uint64_t off; /* from _text */
	char *name;
};

struct ksyms {
	struct ksym *s; /* sorted by off */
	size_t n;
	uint64_t text_end;	    /* _etext's offset; 0 if unknown */
	char source[PATH_MAX + 32]; /* the file they came from */
};

/* Reads a System.map or kallsyms-format file: "ADDR TYPE NAME [MODULE]",
 * text symbols of the kernel proper only. -ENOENT when the file cannot be
 * read, -EINVAL when it has no _text (Debian ships a stub System.map). */
int ksyms_read(struct ksyms *k, const char *path);

/* The symbols of the kernel @kernel (an image path) booted as @release
 * with `uname -v` @version: a System.map beside the image (System.map,
 * System.map-RELEASE, or a build tree's, for arch/x86/boot/bzImage), else
 * this host's /proc/kallsyms when the host runs that very build. -ENOENT
 * when none is found; @why then says where it looked. */
int ksyms_find(struct ksyms *k, const char *kernel, const char *release,
	       const char *version, char *why, size_t len);

/* "name+0x1f/0x40" for @off, or "_text+0x..." when no symbol covers it. */
void ksyms_name(const struct ksyms *k, uint64_t off, char *buf, size_t len);

void ksyms_free(struct ksyms *k);

#endif
