/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `mhpbench plot`: CSV from a run (and the history), fed to the gnuplot
 * templates in plots/NAME.gp. Each plot goes into RUN/plots/ as PNG (pngcairo),
 * SVG and dumb ASCII (.txt, for email), with its CSV and a script beside it
 * so that a reviewer can regenerate it. A plot whose data the run does not
 * have says "no data" and is skipped. */
#ifndef MHP_PLOT_H
#define MHP_PLOT_H

#include "analyze/analysis.h"
#include "base/err.h"

#include <stdio.h>

/* Returns EXIT_OK (plots without data say so), EXIT_USAGE (command line),
 * EXIT_ENV (gnuplot missing), EXIT_IO (cannot write) or EXIT_BADINPUT
 * (corrupt or foreign run). */
enum mhp_exit plot_cmd(int argc, char **argv);

/* What plot_make made, in the order the plots are made, and what it
 * could not (name and why); the counts go on past PLOT_MAX names. */
#define PLOT_MAX 16
struct plot_result {
	int made, nodata;
	char made_name[PLOT_MAX][32];
	char nodata_name[PLOT_MAX][32];
	char nodata_why[PLOT_MAX][512];
};

/* Makes every plot of @r in @dir (created if missing; NAME.csv, NAME.gp
 * and NAME.<format> each) in @nformats of "png", "svg" and "dumb", the
 * trend from the history at @db. Lists what it writes on @log (NULL:
 * quiet). 0, or -ENOENT when gnuplot is missing, or another -errno. */
int plot_make(const struct ana_run *r, const char *db, const char *dir,
	      const char *const *formats, int nformats, FILE *log,
	      struct plot_result *res);

#endif
