/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The calling process's NUMA memory policy, for ops that must put pages
 * on one node (pin, fill). */
#ifndef MHP_AGENT_MEMPOL_H
#define MHP_AGENT_MEMPOL_H

/* Pages come from @node first (MPOL_PREFERRED: when it is full they fall
 * back to the others, so a fill cannot end in an OOM kill, as MPOL_BIND
 * could); -1 puts the default policy back. 0 or -errno. */
int mempol_prefer_node(long long node);

#endif
