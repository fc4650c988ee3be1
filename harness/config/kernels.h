/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernels a run boots: the job's kernels axis (label:image pairs with
 * per-kernel extras), or its one `kernel` (or --kernel). An image is
 * "debian" (guest-images' unpacked Debian kernel), a directory made by
 * `make -C guest-images kernel` (vmlinuz, kernel.release, modules/), or a
 * bzImage. A directory's initramfs.cpio.gz (the shared one plus the probe
 * module built for that kernel) is booted with it. */
#ifndef MHP_KERNELS_H
#define MHP_KERNELS_H

#include "config/job.h"

#include <jansson.h>
#include <limits.h>

struct run_kernel {
	char label[JOB_LABEL_MAX]; /* "" without a kernels axis */
	char image[PATH_MAX];
	char source[16];   /* debian, built or user */
	char release[128]; /* from a kernel.release beside it, or "" */
	char cmdline_extra[JOB_STR_MAX];
	char modules[PATH_MAX]; /* module tree, or "" */
	char initrd[PATH_MAX];	/* its own initramfs (probe module for it) */
};

/* Fills @out (JOB_MAX_KERNELS entries) and *@n. @cli is --kernel/KERNEL=
 * (NULL or "" when not given); @data is the directory holding
 * guest-images/. On error err_set() holds the reason (EXIT_USAGE for a
 * conflict, EXIT_ENV for a missing image). */
int kernels_resolve(const struct job *job, const char *cli, const char *data,
		    struct run_kernel *out, int *n);

/* The manifest's "kernels" array. */
json_t *kernels_json(const struct run_kernel *k, int n);

#endif
