/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `mhpbench plot`: CSV from a run (and the history), fed to the gnuplot
 * templates in plots/NAME.gp. Each plot goes into RUN/plots/ as PNG (pngcairo),
 * SVG and dumb ASCII (.txt, for email), with its CSV and a script beside it
 * so that a reviewer can regenerate it. A plot whose data the run does not
 * have says "no data" and is skipped. */
#ifndef MHP_PLOT_H
#define MHP_PLOT_H

#include "base/err.h"

/* Returns EXIT_OK (plots without data say so), EXIT_USAGE (command line),
 * EXIT_ENV (gnuplot missing), EXIT_IO (cannot write) or EXIT_BADINPUT
 * (corrupt or foreign run). */
enum mhp_exit plot_cmd(int argc, char **argv);

#endif
