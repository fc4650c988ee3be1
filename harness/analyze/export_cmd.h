/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `mhpbench export --format kcidb RUN [-o FILE]`: a finished run as
 * KernelCI KCIDB report data (analyze/kcidb.h). */
#ifndef MHP_EXPORT_CMD_H
#define MHP_EXPORT_CMD_H

#include "base/err.h"

/* EXIT_OK; EXIT_USAGE for a bad command line (an unknown format, an
 * origin KCIDB refuses); EXIT_BADINPUT for no such run, an incomplete,
 * corrupt or foreign one, or a gate result that is not about it; EXIT_IO
 * when the output cannot be written. */
enum mhp_exit export_cmd(int argc, char **argv);

#endif
