/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Host side of the guest agent channel (docs/agent-protocol.md): NDJSON
 * requests with ids over the QEMU chardev socket that is the guest's ttyS1,
 * and typed parsers for the replies (pure functions, unit-tested). */
#ifndef MHP_AGENT_H
#define MHP_AGENT_H

#include "linebuf.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#define AGENT_MAX_BLOCKS 4096
#define AGENT_MAX_PARAMS 16

struct agent {
	int fd;
	struct linebuf lb;
	int next_id;
	FILE *log; /* "> "/"< " lines, NULL = off */
	char err[1024];
	int err_errno; /* errno the guest reported, 0 if none */
};

struct agent_hello {
	char kernel_release[128];
	char kernel_version[256];
	char cmdline[2048];
	uint64_t block_size;	   /* bytes */
	char memmap_on_memory[16]; /* "Y", "N", "force", or "" if absent */
	/* memory_hotplug.* parameters: capabilities, and what a patch
	 * changed (a marker parameter, a default). */
	int nparams;
	struct {
		char name[48];
		char value[48];
	} params[AGENT_MAX_PARAMS];
	int nnodes;
	int nodes[64];
	uint64_t text_base; /* the kernel's _text this boot; 0: unknown */
};

/* The /proc/meminfo fields the derived metrics use, in KiB. */
struct agent_meminfo {
	int64_t mem_total;
	int64_t mem_free;
	int64_t mem_available;
	int64_t pcp_free; /* free pages on per-CPU lists; -1 if unknown */
	/* /proc/vmstat nr_memmap_pages: the memmap wherever it lives (from
	 * 6.11); -1 when the kernel does not count it. */
	int64_t memmap_pages;
	int64_t ts_ns;
};

struct agent_block {
	int id;
	char state[24];
	char zones[64];
	int node;
};

struct agent_blocks {
	int n;
	struct agent_block b[AGENT_MAX_BLOCKS];
};

struct agent_uevents {
	int n;
	int block[AGENT_MAX_BLOCKS];
	int64_t ts_ns[AGENT_MAX_BLOCKS];
	int64_t acpi_ts_ns; /* -1 when no ACPI memory-device event was seen */
};

struct agent_state_result {
	int block;
	int64_t ns;	/* the timed sysfs write */
	int64_t gap_ns; /* since the last hotplug operation; -1 unknown */
	char state[24];
	char zones[64];
	int err; /* errno from the guest, 0 on success */
};

int agent_connect(struct agent *a, const char *sock_path, int64_t deadline_ns);
void agent_close(struct agent *a);

/* Sends hello every second until a reply arrives or @deadline_ns; the agent
 * may not have opened its port yet. Returns -ETIMEDOUT at the deadline,
 * -ECHILD if @alive (may be NULL) says QEMU is gone. */
int agent_hello(struct agent *a, struct agent_hello *h, int64_t deadline_ns,
		int (*alive)(void *), void *arg);

/* One request (@req is stolen, and may be NULL: a json_pack() that failed
 * is -ENOMEM; "id" and "timeout_ms" are added). On success
 * returns 0 and *reply (caller decrefs). A failed request returns -errno as
 * the guest gave it (or -EIO) with the reply still in *reply, and the text
 * in a->err. Transport problems: -ETIMEDOUT, -EPIPE, -EPROTO, -EINTR. */
int agent_call(struct agent *a, json_t *req, json_t **reply,
	       int64_t deadline_ns);
/* "agent OP: malformed reply" in a->err; returns -EPROTO. For the op
 * families in their own files (agent_fill.c, agent_dax.c). */
int agent_malformed(struct agent *a, const char *op);

int agent_meminfo(struct agent *a, struct agent_meminfo *m,
		  int64_t deadline_ns);
int agent_blocks(struct agent *a, struct agent_blocks *b, int64_t deadline_ns);
int agent_uevents_clear(struct agent *a, int64_t deadline_ns);
int agent_wait_blocks(struct agent *a, const char *action, int count,
		      struct agent_uevents *ev, int64_t deadline_ns);
/* @op is "online" or "offline"; @zone is ignored for offline. The agent
 * first waits until @settle_us have passed since the last hotplug
 * operation (0: no wait). A write the guest refused returns its -errno,
 * with @r filled in. */
int agent_set_state(struct agent *a, const char *op, int block,
		    const char *zone, int64_t inject_delay_us,
		    int64_t settle_us, struct agent_state_result *r,
		    int64_t deadline_ns);
int agent_poweroff(struct agent *a, int64_t deadline_ns);

/* oom-edge: the guest's hog and what the OOM killer did. */
struct agent_hog {
	int pid;
	int64_t hog_kib, memfree_kib, min_free_kbytes;
};

#define AGENT_KMSG_MAX 256

struct agent_oom_status {
	int64_t oom_kill; /* /proc/vmstat oom_kill, -1 if absent */
	int hog_alive;
	int hog_signal; /* 0 unless the hog died by a signal */
	int nkmsg;
	char kmsg[AGENT_KMSG_MAX][400]; /* kernel log lines since last call */
};

int agent_hog(struct agent *a, int64_t free_kib, struct agent_hog *h,
	      int64_t deadline_ns);
int agent_oom_status(struct agent *a, struct agent_oom_status *st,
		     int64_t deadline_ns);

/* Parsers for reply objects (exposed for the unit tests). 0 or -EPROTO. */
int agent_parse_hello(const json_t *r, struct agent_hello *h);
int agent_parse_meminfo(const json_t *r, struct agent_meminfo *m);
int agent_parse_blocks(const json_t *r, struct agent_blocks *b);
int agent_parse_uevents(const json_t *r, struct agent_uevents *ev);
int agent_parse_state(const json_t *r, struct agent_state_result *s);
int agent_parse_hog(const json_t *r, struct agent_hog *h);
int agent_parse_oom_status(const json_t *r, struct agent_oom_status *st);

#endif
