/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Debian kernel series named in a job (debian-6.12) are fetched before the
 * run: `make -C guest-images debian-series SERIES=<series>` downloads the
 * image, its modules and headers with apt-get download, builds the probe
 * module for it and its initramfs, once (README "Comparing kernels"). */
#ifndef MHP_KERNEL_FETCH_H
#define MHP_KERNEL_FETCH_H

#include "config/job.h"

/* Fetches every series the run will boot: the kernels axis, or @cli
 * (--kernel, NULL or "") or the job's kernel. Nothing is fetched when @cli
 * conflicts with the axis (kernels_resolve() says why). @data holds
 * guest-images/. On failure err_set() has EXIT_ENV and apt's own error
 * lines (EXIT_INTR when a signal stopped it). */
int kernel_fetch_all(const struct job *job, const char *cli, const char *data);

#endif
