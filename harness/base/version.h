/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MHP_VERSION_H
#define MHP_VERSION_H

#define MHP_VERSION "0.1.0"

/* `git describe --always --dirty` of the tree the binary was built from. */
const char *version_git_rev(void);

#endif
