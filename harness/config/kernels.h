/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernels a run boots: the job's kernels axis (label:image pairs with
 * per-kernel extras), or its one `kernel` (or --kernel). An image is
 * "debian" (guest-images' unpacked Debian kernel), "debian-<series>" (a
 * Debian kernel series, e.g. debian-6.12, that guest-images fetches into
 * build/debian-<series>/), a directory made by
 * `make -C guest-images kernel` (vmlinuz, kernel.release, modules/), or a
 * bzImage. A directory's initramfs.cpio.gz (the shared one plus the probe
 * module built for that kernel) is booted with it. */
#ifndef MHP_KERNELS_H
#define MHP_KERNELS_H

#include "config/job.h"

#include <jansson.h>
#include <limits.h>

/* Longest series kernels_debian_series() accepts (MAJOR.MINOR, 2 and 3
 * digits), with its NUL. */
#define KERNELS_SERIES_MAX 8

struct run_kernel {
	char label[JOB_LABEL_MAX]; /* "" without a kernels axis */
	char image[PATH_MAX];
	char source[16];   /* debian, built or user */
	char release[128]; /* from a kernel.release beside it, or "" */
	char cmdline_extra[JOB_STR_MAX];
	char modules[PATH_MAX]; /* module tree, or "" */
	char initrd[PATH_MAX];	/* its own initramfs (probe module for it) */
	char series[KERNELS_SERIES_MAX]; /* "6.12" for debian-6.12, or "" */
	char package[128]; /* linux-image-<abi>-amd64=<version>, or "" */
};

/* Whether @spec names a Debian kernel series: 1 with "6.12" in @series for
 * "debian-6.12"; 0 for any spec not starting with "debian-" (and for
 * "debian" itself); -EINVAL with the reason in @why for one that starts
 * with "debian-" but is not debian-MAJOR.MINOR. */
int kernels_debian_series(const char *spec, char *series, size_t len, char *why,
			  size_t wlen);

/* Fills @out (JOB_MAX_KERNELS entries) and *@n. @cli is --kernel/KERNEL=
 * (NULL or "" when not given); @data is the directory holding
 * guest-images/. On error err_set() holds the reason (EXIT_USAGE for a
 * conflict, EXIT_ENV for a missing image). */
int kernels_resolve(const struct job *job, const char *cli, const char *data,
		    struct run_kernel *out, int *n);

/* The manifest's "kernels" array. */
json_t *kernels_json(const struct run_kernel *k, int n);

#endif
