/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `mhpbench history`: --append RUN, --list, or the per-night medians of one
 * cell with change points (results/history.db). */
#ifndef MHP_HISTORY_CMD_H
#define MHP_HISTORY_CMD_H

#include "base/err.h"

/* Returns EXIT_OK, EXIT_USAGE (command line), EXIT_IO (history not
 * written) or EXIT_BADINPUT (missing or corrupt history or run). */
enum mhp_exit history_cmd(int argc, char **argv);

#endif
