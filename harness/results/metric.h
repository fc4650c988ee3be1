/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The vocabulary of samples.csv: every metric mhpbench writes, with its
 * unit, which way is better, how it is shown, and how the gate treats it
 * (README, "Metrics"; `mhpbench help metrics` prints the table). The code
 * that emits samples names metrics through the M_* constants below, and
 * the sample writer refuses a name or unit the table does not have, so
 * every metric in a run, the oom-edge ones included, has a direction. */
#ifndef MHP_METRIC_H
#define MHP_METRIC_H

#include <stdio.h>

/* The cycle's phases (README, "What a run prints and writes"). */
#define M_LATENCY_NS "latency_ns"
#define M_BLOCK_LATENCY_NS "block_latency_ns"
#define M_UEVENT_SPAN_NS "uevent_span_ns"
#define M_LATENCY_WITH_RETRIES_NS "latency_with_retries_ns"
#define M_OFFLINE_TRIES "offline_tries"
#define M_GAP_NS "gap_ns"
#define M_ERRNO "errno"
/* What the kernel did with the memory. */
#define M_MEMFREE_DELTA_KIB "memfree_delta_kib"
#define M_MEMMAP_FROM_RAM_KIB "memmap_from_ram_kib"
#define M_MEMTOTAL_DELTA_KIB "memtotal_delta_kib"
#define M_SELF_HOSTED_KIB "self_hosted_kib"
#define M_SELF_HOSTED "self_hosted"
#define M_MEMTOTAL_RESIDUAL_KIB "memtotal_residual_kib"
#define M_BLOCKS_RESIDUAL "blocks_residual"
/* Offline with pages to migrate (job option offline_fill): what the fill
 * held and what the offline did with it, from /proc/vmstat. */
#define M_FILL_PAGES "fill_pages"
#define M_MIGRATED_PAGES "migrated_pages"
#define M_MIGRATE_FAILED_PAGES "migrate_failed_pages"
#define M_MOVABLE_ALLOC_PAGES "movable_alloc_pages"
#define M_MIGRATED_PAGES_PER_MS "migrated_pages_per_ms"
#define M_COMPACT_STALLS "compact_stalls"
#define M_RECLAIM_SCANNED_PAGES "reclaim_scanned_pages"
#define M_NR_MEMMAP_DELTA_KIB "nr_memmap_delta_kib"
/* What the kernel can do, once per boot. */
#define M_MOM_SUPPORTED "memmap_on_memory_supported"
#define M_MOM_ENABLED "memmap_on_memory_enabled"
#define M_MOM_FORCE "memmap_on_memory_force"
/* source = pmem: the DAX device's own switch (6.8+), once per boot. */
#define M_DAX_MOM_SUPPORTED "dax_memmap_on_memory_supported"
#define M_DAX_MOM "dax_memmap_on_memory"
/* Deep cycles: the probe module and the tracer. */
#define M_MEMMAP_LOCAL_FRACTION "memmap_local_fraction"
#define M_MEMMAP_NODE "memmap_node"
#define M_MEMMAP_WALKER_LOCAL "memmap_walker_local"
#define M_WALK_COLD_NS_PER_PAGE "walk_cold_ns_per_page"
#define M_WALK_WARM_NS_PER_PAGE "walk_warm_ns_per_page"
#define M_FN_TOTAL_NS "fn_total_ns"
#define M_FN_OTHER_NS "fn_other_ns"
/* The host_cost view: what a phase cost QEMU on the host (README, "The
 * host's cost of a phase"). */
#define M_HOST_VCPU_CLOCK_NS "host_vcpu_clock_ns"
#define M_HOST_CLOCK_NS "host_clock_ns"
#define M_HOST_PAGE_FAULTS "host_page_faults"
#define M_HOST_CTX_SWITCHES "host_ctx_switches"
#define M_HOST_RSS_DELTA_KIB "host_rss_delta_kib"
#define M_HOST_GUEST_CYCLES "host_guest_cycles"
#define M_HOST_GUEST_INSTRUCTIONS "host_guest_instructions"
/* The oom-edge benchmark. */
#define M_START_MEMFREE_KIB "start_memfree_kib"
#define M_MIN_FREE_KBYTES "min_free_kbytes"
#define M_PREDICTED_DIMMS "predicted_dimms"
#define M_MEMFREE_KIB "memfree_kib"
#define M_DIMMS_ADDED "dimms_added"
#define M_MIB_ADDED "mib_added"
#define M_MIN_MEMFREE_KIB "min_memfree_kib"
#define M_OOM_KILLS "oom_kills"

/* How the gate judges a metric (README, "Analysis: compare, plot, gate,
 * history"): METRIC_NOISY by a test and a CI (timings, MemFree);
 * METRIC_EXACT, an amount the kernel's code sets, give or take other
 * allocations that land in the same window, by the ranges of the two sides
 * at any n; METRIC_BOOL, a 0/1 per cycle, by the share of 1s. */
enum metric_kind {
	METRIC_NOISY,
	METRIC_EXACT,
	METRIC_BOOL,
};

enum metric_better {
	METRIC_LOWER = -1,  /* less is better (time, memory taken) */
	METRIC_NEUTRAL = 0, /* a difference is a change, not better or worse */
	METRIC_HIGHER = +1, /* more is better (memory gained) */
};

struct metric_def {
	const char *name; /* exact, or a family "fn_*_ns" ('*' = any word) */
	const char *unit; /* as samples.csv writes it */
	enum metric_better better;
	double scale; /* shown value = value * scale */
	const char *shown_unit;
	const char *label; /* short, for 80 columns */
	enum metric_kind kind;
	double abs_tol;	  /* a change within this is never a regression */
	int diagnostic;	  /* not compared unless asked for by name */
	const char *what; /* one line for `mhpbench help metrics` */
};

/* The definition of @name (exact names first, then the families), or
 * NULL when mhpbench does not write such a metric. */
const struct metric_def *metric_find(const char *name);

/* 0 when @name exists and is written in @unit; else -EINVAL. */
int metric_check(const char *name, const char *unit);

/* The table, @n entries, for help and tests. */
const struct metric_def *metric_table(int *n);

/* `mhpbench help metrics`. */
void metric_help(FILE *f);

/* Virtual time. Under accel tcg-icount QEMU runs with -icount
 * shift=N,sleep=off (README, "Job files"): the guest's clock advances
 * 2^N ns per instruction executed, not with the host's clock, so a time
 * measured inside the guest (view guest, or deep: the probe and the
 * tracer) is virtual time. It is stable on a loaded host, which is why
 * the low-noise jobs use it, but it is not wall-clock time: one night's 1G
 * online read 159 ms in the guest and 67 ms on the host. The host view is
 * always wall-clock. Every output says which a time is: "vms" (virtual
 * ms) or "vns" where it would say "ms" or "ns", and time_base in CSV and
 * JSON. */
#define METRIC_VIRTUAL_ACCEL "tcg-icount"
#define METRIC_VMS_LEGEND                                                      \
	"vms: guest virtual time under tcg-icount (the guest clock advances "  \
	"2^shift ns per instruction), not wall-clock ms"

/* Whether @unit is a time (ns) or a rate per ms of time ("pages/ms"). */
int metric_is_time(const char *unit);

/* Whether a sample of @accel, @view and @unit is virtual time, or a rate
 * per virtual ms: accel tcg-icount, view guest or deep, metric_is_time().
 * NULLs read as not. */
int metric_virtual_time(const char *accel, const char *view, const char *unit);

/* The same for CSV and JSON: "virtual", "wall" (another time of unit
 * ns, taken with the host's clocks: the host view's wall-clock time, the
 * qemu view's CPU time) or "" (not a time). */
const char *metric_time_base(const char *accel, const char *view,
			     const char *unit);

/* The unit @d is shown in, marked virtual where A's (@va) or B's (@vb)
 * values are: "vms" (both), "vms/ms" (A only), "ms/vms" (B only), "ms"
 * (neither); a time shown unscaled is in "ns" ("vns"), a rate per ms in
 * "pages/vms"; another unit as it is ("KiB"). One side only: @va ==
 * @vb. */
void metric_time_unit(const struct metric_def *d, int va, int vb, char *buf,
		      size_t len);

/* @d's label (its name where it has none) with its time unit marked as
 * metric_time_unit() does: "latency vms", "latency vms/ms", "cold
 * vns/page", "migr. pages/vms"; a label that names no unit gets the
 * marked one appended
 * ("fn_online_pages_ns vms"). With @width > 0 the label is cut to @width
 * characters, from its words before the unit, so the unit survives. */
void metric_time_label(const struct metric_def *d, int va, int vb, int width,
		       char *buf, size_t len);

/* METRIC_VMS_LEGEND in two lines of at most 80 columns: @lead (up to 12
 * characters) before the first, @rest before the second; @vns adds what
 * "vns" is. */
void metric_vms_legend(FILE *f, const char *lead, const char *rest, int vns);

#endif
