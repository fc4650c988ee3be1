/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `mhpbench gate --baseline RUN|history --candidate RUN`: regression
 * verdicts, gate.json, JUnit XML. */
#ifndef MHP_GATE_CMD_H
#define MHP_GATE_CMD_H

#include "base/err.h"

/* Returns EXIT_OK (nothing regressed), EXIT_FAIL (a regression),
 * EXIT_INCONCLUSIVE, EXIT_BADINPUT, EXIT_IO (outputs not written) or
 * EXIT_USAGE (command line). */
enum mhp_exit gate_cmd(int argc, char **argv);

#endif
