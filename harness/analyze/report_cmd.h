/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `mhpbench report [RUN]`: the tables of a finished run (results/report.h),
 * rebuilt from its manifest.json and samples.csv. */
#ifndef MHP_REPORT_CMD_H
#define MHP_REPORT_CMD_H

#include "base/err.h"

#include <stdio.h>

/* @usage prints mhpbench's usage, which --help and a bad option show.
 * Returns EXIT_OK, or EXIT_USAGE for a bad command line, no such run or a
 * malformed samples.csv. */
enum mhp_exit report_cmd(int argc, char **argv, void (*usage)(FILE *f));

#endif
