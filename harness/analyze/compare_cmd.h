/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `mhpbench compare [opts] RUN_A [RUN_B]`: the A/B table of two runs, or of
 * two selections within one run. */
#ifndef MHP_COMPARE_CMD_H
#define MHP_COMPARE_CMD_H

#include "base/err.h"

/* Returns EXIT_OK, EXIT_USAGE (command line), EXIT_BADINPUT (corrupt,
 * foreign or missing run; no cell on both sides) or EXIT_FAIL (the
 * comparison failed). */
enum mhp_exit compare_cmd(int argc, char **argv);

#endif
