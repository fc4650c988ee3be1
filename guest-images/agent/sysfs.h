/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Memory-block sysfs access and the timed writes to memoryN/state. */
#ifndef MHP_AGENT_SYSFS_H
#define MHP_AGENT_SYSFS_H

#include "proto.h"

#include <stddef.h>

#define SYSFS_MEMORY_DIR "/sys/devices/system/memory"

/* Reads a small text file into @buf (NUL-terminated, trailing whitespace
 * dropped). Returns its length or -errno. */
int sysfs_read(const char *path, char *buf, size_t size);

/* Installs the SIGALRM handler (without SA_RESTART) and creates the one-shot
 * timer that bounds each state write. Call once before the first op. */
int sysfs_timer_init(void);

/* Ops "online" and "offline" (see docs/agent-protocol.md). */
int sysfs_op_online(const json_t *req, json_t *res, int64_t deadline_ns);
int sysfs_op_offline(const json_t *req, json_t *res, int64_t deadline_ns);

#endif
