/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Deep cycles: the extra cycles per size that look inside the kernel,
 * kept apart from the measured ones (their samples have view "deep"):
 *  - the probe module (guest-images/probe) says where each block's memmap
 *    lives and what walking its struct pages costs;
 *  - ftrace's function_graph splits online and offline into the time of
 *    each child function.
 * And the PMU counters around measured phases (libpfm4 in the agent).
 * Each feature that cannot work here is reported unavailable with the
 * reason, once, and the run goes on without it. */
#ifndef MHP_DEEP_H
#define MHP_DEEP_H

#include "run/guest.h"
#include "config/job.h"

#include <jansson.h>

#define DEEP_MAX_FN 48
#define DEEP_MAX_EVENTS 8
/* Added to the phase deadline of a traced write. */
#define DEEP_TRACE_SLACK_MS 120000

struct deep_boot {
	int probe_ok;	 /* module loaded */
	int trace_ok;	 /* not yet known to fail */
	int walker_node; /* node of the vCPUs that walk; -1 if mixed */
	int npmu;	 /* events that count */
	char pmu_names[DEEP_MAX_EVENTS][64];
};

struct deep_probe {
	double local_fraction; /* memmap bytes on the block's node / all */
	int memmap_node;       /* node holding most of the memmap */
	int block_node;
	int self_hosted;
	double cold_ns_per_page, warm_ns_per_page;
};

struct deep_trace {
	int64_t total_ns; /* the entry function, as traced */
	int64_t children_ns;
	int n;
	struct {
		char name[64];
		int64_t calls, total_ns;
	} fn[DEEP_MAX_FN];
};

struct deep_counts {
	int n;
	struct {
		char name[64];
		double value;
		int multiplexed;
	} ev[DEEP_MAX_EVENTS];
};

/* At boot (of the cycles benchmark): loads the probe module and opens
 * the PMU events the job asks for; records what works and why not in
 * @boot (the manifest's boot). */
int deep_boot_init(struct guest *g, const struct job *job, json_t *boot,
		   struct deep_boot *db);

/* Reply parsers (pure; unit-tested). 0 or -EPROTO. */
int deep_parse_probe(const json_t *r, struct deep_probe *p);
int deep_parse_trace(const json_t *r, struct deep_trace *t);
int deep_parse_counts(const json_t *r, struct deep_counts *c);

/* The probe of one block. 0, or -errno with a->err (then the caller
 * notes it and goes on). */
int deep_probe_block(struct guest *g, int block, struct deep_probe *p,
		     int64_t deadline_ns);

/* One traced online/offline write. */
int deep_traced_state(struct guest *g, const struct job *job, const char *op,
		      int block, int64_t *write_ns, struct deep_trace *t,
		      int64_t deadline_ns);

/* Counter values now (sums over the vCPUs). */
int deep_pmu_read(struct guest *g, struct deep_counts *c, int64_t deadline_ns);

#endif
