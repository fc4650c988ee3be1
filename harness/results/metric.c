// SPDX-License-Identifier: GPL-2.0-or-later
/* The one table of metrics (README, "Metrics"). */
#include "results/metric.h"

#include <errno.h>
#include <string.h>

/* The absolute tolerances (README "Analysis: compare, plot, gate,
 * history"): 0.1 ms for timings, a tenth of the 1 ms tick at HZ=1000 and
 * far below what a hotplug step takes; 256 KiB for memory amounts: an
 * eighth of the smallest real change (the 2048 KiB memmap of one 128M
 * block moving between the DIMM and RAM), and more than twice the largest
 * spread that other allocations caused within a cell under TCG (112 KiB);
 * none for the residuals, which must come back to the page, nor for the
 * share of self-hosted cycles. Pages of an offline fill: 64 (256 KiB, the
 * memory tolerance), more than the 37 to 60 pages besides the fill that a
 * 128M offline migrated here; none for failed migrations, which a fill of
 * movable pages should never have. A migration rate: 1 page per ms, a
 * thirtieth of the slowest rate measured under TCG. */
#define NS 1e-6, "ms"
#define KIB 1, "KiB"
#define ONE 1, ""
#define TIME_TOL 1e5
#define KIB_TOL 256
/* The qemu view's counts (README, "The host's cost of a phase"): none for
 * page faults, where one transparent huge page of 2 MiB (a 128M DIMM's
 * memmap) is a single fault; 500 context switches, as one cell of four
 * 128M cycles spread over 839 of them under tcg-icount here. */
#define HOST_FAULT_TOL 0
#define HOST_CSW_TOL 500
#define PAGES_TOL 64
#define RATE_TOL 1

static const struct metric_def table[] = {
	/* the phases */
	{M_LATENCY_NS, "ns", METRIC_LOWER, NS, "latency ms", METRIC_NOISY,
	 TIME_TOL, 0, "time of a phase (host or guest view)"},
	{M_BLOCK_LATENCY_NS, "ns", METRIC_LOWER, NS, "block lat. ms",
	 METRIC_NOISY, TIME_TOL, 0, "guest time of one block's state write"},
	{M_UEVENT_SPAN_NS, "ns", METRIC_LOWER, NS, "uevent span ms",
	 METRIC_NOISY, TIME_TOL, 0,
	 "first to last memory-block uevent of an add or remove (not the "
	 "phase's latency)"},
	{M_LATENCY_WITH_RETRIES_NS, "ns", METRIC_LOWER, NS, "retried lat. ms",
	 METRIC_NOISY, TIME_TOL, 1,
	 "host time of an offline that went through on a retry, pauses "
	 "included"},
	{M_OFFLINE_TRIES, "tries", METRIC_LOWER, ONE, "offline tries",
	 METRIC_EXACT, 0, 1, "writes the offline took (1: no retry)"},
	{M_GAP_NS, "ns", METRIC_NEUTRAL, NS, "gap ms", METRIC_NOISY, TIME_TOL,
	 1, "guest time from the last hotplug operation to a timed write"},
	{M_ERRNO, "errno", METRIC_NEUTRAL, ONE, "errno", METRIC_EXACT, 0, 1,
	 "the errno of a refused state write"},
	/* the memory */
	{M_MEMFREE_DELTA_KIB, "KiB", METRIC_HIGHER, KIB, "memfree_delta KiB",
	 METRIC_NOISY, KIB_TOL, 0, "MemFree after add - before add"},
	{M_MEMMAP_FROM_RAM_KIB, "KiB", METRIC_LOWER, KIB, "memmap_from_ram KiB",
	 METRIC_EXACT, KIB_TOL, 0,
	 "RAM the add took (MemFree and per-CPU lists): the memmap from RAM"},
	{M_MEMTOTAL_DELTA_KIB, "KiB", METRIC_HIGHER, KIB, "memtotal_delta KiB",
	 METRIC_EXACT, KIB_TOL, 0, "MemTotal after online - before add"},
	{M_SELF_HOSTED_KIB, "KiB", METRIC_NEUTRAL, KIB, "self_hosted KiB",
	 METRIC_EXACT, KIB_TOL, 0, "the memmap pages inside the DIMM"},
	{M_SELF_HOSTED, "bool", METRIC_NEUTRAL, ONE, "self_hosted", METRIC_BOOL,
	 0, 0, "1 when the memmap is inside the DIMM, 0 from RAM"},
	{M_MEMTOTAL_RESIDUAL_KIB, "KiB", METRIC_LOWER, KIB, "residual KiB",
	 METRIC_EXACT, 0, 0, "MemTotal after remove - before add (0)"},
	{M_BLOCKS_RESIDUAL, "blocks", METRIC_LOWER, ONE, "residual blocks",
	 METRIC_EXACT, 0, 0, "memory blocks after remove - before add (0)"},
	/* offline with pages to migrate */
	{M_FILL_PAGES, "pages", METRIC_NEUTRAL, ONE, "fill pages", METRIC_EXACT,
	 PAGES_TOL, 0,
	 "pages the offline fill held in the DIMM's blocks (from their PFNs)"},
	{M_MIGRATED_PAGES, "pages", METRIC_NEUTRAL, ONE, "migrated pages",
	 METRIC_EXACT, PAGES_TOL, 0,
	 "pages the offline migrated (/proc/vmstat pgmigrate_success)"},
	{M_MIGRATE_FAILED_PAGES, "pages", METRIC_LOWER, ONE, "migrate fails",
	 METRIC_EXACT, 0, 0,
	 "failed page migrations during the offline (pgmigrate_fail)"},
	{M_MOVABLE_ALLOC_PAGES, "pages", METRIC_NEUTRAL, ONE,
	 "to movable pages", METRIC_EXACT, PAGES_TOL, 0,
	 "pages allocated from ZONE_MOVABLE during the offline "
	 "(pgalloc_movable):"
	 " migrated into the DIMM's blocks not yet offline"},
	{M_MIGRATED_PAGES_PER_MS, "pages/ms", METRIC_HIGHER, ONE,
	 "migr. pages/ms", METRIC_NOISY, RATE_TOL, 0,
	 "migrated pages per ms of the offline's guest time"},
	{M_COMPACT_STALLS, "stalls", METRIC_LOWER, ONE, "compact stalls",
	 METRIC_EXACT, 0, 1, "direct compaction stalls during the offline"},
	{M_RECLAIM_SCANNED_PAGES, "pages", METRIC_LOWER, ONE, "reclaim scanned",
	 METRIC_EXACT, 0, 1,
	 "pages reclaim scanned during the offline (pgscan_*)"},
	{M_NR_MEMMAP_DELTA_KIB, "KiB", METRIC_NEUTRAL, KIB, "nr_memmap KiB",
	 METRIC_EXACT, KIB_TOL, 0,
	 "change of /proc/vmstat nr_memmap_pages over the phase (from 6.11): "
	 "the memmap, wherever it lives; 1/64 of the DIMM at add"},
	/* per boot */
	{M_MOM_SUPPORTED, "bool", METRIC_NEUTRAL, ONE, "mom supported",
	 METRIC_BOOL, 0, 0, "memory_hotplug.memmap_on_memory exists"},
	{M_MOM_ENABLED, "bool", METRIC_NEUTRAL, ONE, "mom enabled", METRIC_BOOL,
	 0, 0, "it reads Y or force"},
	{M_MOM_FORCE, "bool", METRIC_NEUTRAL, ONE, "mom force", METRIC_BOOL, 0,
	 0, "it reads force"},
	{M_DAX_MOM_SUPPORTED, "bool", METRIC_NEUTRAL, ONE, "dax mom supported",
	 METRIC_BOOL, 0, 0,
	 "source = pmem: the DAX device has memmap_on_memory (6.8+)"},
	{M_DAX_MOM, "bool", METRIC_NEUTRAL, ONE, "dax mom", METRIC_BOOL, 0, 0,
	 "source = pmem: the DAX device's memmap_on_memory after the mode "
	 "wrote it"},
	/* deep cycles */
	{M_MEMMAP_LOCAL_FRACTION, "ratio", METRIC_HIGHER, ONE, "memmap local",
	 METRIC_EXACT, 0, 0, "share of the memmap on the DIMM's node"},
	{M_MEMMAP_NODE, "node", METRIC_NEUTRAL, ONE, "memmap node",
	 METRIC_EXACT, 0, 0, "the node the memmap lives on"},
	{M_MEMMAP_WALKER_LOCAL, "bool", METRIC_NEUTRAL, ONE, "walker local",
	 METRIC_BOOL, 0, 0, "the walking vCPU is on the memmap's node"},
	{M_WALK_COLD_NS_PER_PAGE, "ns", METRIC_LOWER, ONE, "cold ns/page",
	 METRIC_NOISY, 0, 0, "struct page walk after clflush, per page"},
	{M_WALK_WARM_NS_PER_PAGE, "ns", METRIC_LOWER, ONE, "warm ns/page",
	 METRIC_NOISY, 0, 0, "struct page walk, warm, per page"},
	{M_FN_TOTAL_NS, "ns", METRIC_LOWER, NS, "traced ms", METRIC_NOISY,
	 TIME_TOL, 0, "traced time of the state write's entry function"},
	{M_FN_OTHER_NS, "ns", METRIC_LOWER, NS, "untraced ms", METRIC_NOISY,
	 TIME_TOL, 0, "what no traced child accounts for"},
	{"fn_*_ns", "ns", METRIC_LOWER, NS, NULL, METRIC_NOISY, TIME_TOL, 0,
	 "traced time in one kernel function"},
	{"fn_*_calls", "count", METRIC_NEUTRAL, ONE, NULL, METRIC_EXACT, 0, 0,
	 "calls of one kernel function"},
	{"pmu_*", "count|count_scaled", METRIC_LOWER, ONE, NULL, METRIC_NOISY,
	 0, 0, "a PMU event over the phase (count_scaled: multiplexed)"},
	/* host_cost (view qemu): QEMU on the host, over the phase's window */
	{M_HOST_VCPU_CLOCK_NS, "ns", METRIC_LOWER, NS, "vCPU cpu ms",
	 METRIC_NOISY, TIME_TOL, 0, "task-clock of QEMU's vCPU threads"},
	{M_HOST_CLOCK_NS, "ns", METRIC_LOWER, NS, "all cpu ms", METRIC_NOISY,
	 TIME_TOL, 0, "task-clock of all of QEMU's threads"},
	{M_HOST_PAGE_FAULTS, "faults", METRIC_LOWER, ONE, "page faults",
	 METRIC_NOISY, HOST_FAULT_TOL, 0,
	 "page faults of QEMU's threads (the host memory it touched first)"},
	{M_HOST_CTX_SWITCHES, "switches", METRIC_LOWER, ONE, "ctx switches",
	 METRIC_NOISY, HOST_CSW_TOL, 0, "context switches of QEMU's threads"},
	/* A diagnostic: it takes in what QEMU frees behind the phase (the
	 * previous DIMM), and its medians cross zero. */
	{M_HOST_RSS_DELTA_KIB, "KiB", METRIC_LOWER, KIB, "RSS delta KiB",
	 METRIC_NOISY, KIB_TOL, 1, "QEMU's resident memory after - before"},
	{M_HOST_GUEST_CYCLES, "count|count_scaled", METRIC_LOWER, ONE,
	 "guest cycles", METRIC_NOISY, 0, 0,
	 "cycles in guest mode on the vCPU threads (KVM, host PMU)"},
	{M_HOST_GUEST_INSTRUCTIONS, "count|count_scaled", METRIC_LOWER, ONE,
	 "guest instr.", METRIC_NOISY, 0, 0,
	 "instructions in guest mode on the vCPU threads (KVM, host PMU)"},
	{"host_kvm_exits", "exits", METRIC_LOWER, ONE, "KVM exits",
	 METRIC_NOISY, 0, 0,
	 "VM exits of the vCPU threads (kvm:kvm_exit; KVM only)"},
	{"host_kvm_exits_*", "exits", METRIC_LOWER, ONE, NULL, METRIC_NOISY, 0,
	 1,
	 "VM exits of one reason class (npf, hlt, io, msr, intr, "
	 "intr_window, cpuid, pause, other)"},
	/* oom-edge */
	{M_START_MEMFREE_KIB, "KiB", METRIC_NEUTRAL, KIB, "start MemFree KiB",
	 METRIC_NOISY, KIB_TOL, 0, "MemFree once the hog holds its memory"},
	{M_MIN_FREE_KBYTES, "KiB", METRIC_NEUTRAL, KIB, "min_free_kbytes",
	 METRIC_EXACT, 0, 0, "vm.min_free_kbytes of the guest"},
	{M_PREDICTED_DIMMS, "dimms", METRIC_NEUTRAL, ONE, "predicted DIMMs",
	 METRIC_EXACT, 0, 0, "DIMMs the memmap model says fit"},
	{M_MEMFREE_KIB, "KiB", METRIC_NEUTRAL, KIB, "MemFree KiB", METRIC_NOISY,
	 KIB_TOL, 0, "MemFree after each DIMM"},
	{M_DIMMS_ADDED, "dimms", METRIC_HIGHER, ONE, "DIMMs added",
	 METRIC_EXACT, 0, 0, "DIMMs added before the edge"},
	{M_MIB_ADDED, "MiB", METRIC_HIGHER, ONE, "MiB added", METRIC_EXACT, 0,
	 0, "memory added before the edge"},
	{M_MIN_MEMFREE_KIB, "KiB", METRIC_NEUTRAL, KIB, "min MemFree KiB",
	 METRIC_NOISY, KIB_TOL, 0, "lowest MemFree seen"},
	{M_OOM_KILLS, "kills", METRIC_LOWER, ONE, "OOM kills", METRIC_EXACT, 0,
	 0, "OOM kills during the point"},
	{"ended_by_*", "bool", METRIC_NEUTRAL, ONE, NULL, METRIC_BOOL, 0, 0,
	 "what ended the point (README, \"The oom-edge benchmark\")"},
};

#define NTABLE ((int)(sizeof(table) / sizeof(table[0])))

/* "fn_*_ns" matches "fn_online_pages_ns": the '*' stands for one or more
 * characters. */
static int family_match(const char *pat, const char *name)
{
	const char *star = strchr(pat, '*');
	size_t pre, suf, n = strlen(name);

	if (!star)
		return 0;
	pre = (size_t)(star - pat);
	suf = strlen(star + 1);
	return n > pre + suf && !strncmp(name, pat, pre) &&
	       !strcmp(name + n - suf, star + 1);
}

const struct metric_def *metric_find(const char *name)
{
	for (int i = 0; i < NTABLE; i++)
		if (!strcmp(table[i].name, name))
			return &table[i];
	for (int i = 0; i < NTABLE; i++)
		if (family_match(table[i].name, name))
			return &table[i];
	return NULL;
}

static int unit_ok(const char *units, const char *unit)
{
	size_t n = strlen(unit);

	for (const char *p = units; p; p = strchr(p, '|')) {
		p += *p == '|';
		if (!strncmp(p, unit, n) && (p[n] == '|' || !p[n]))
			return 1;
	}
	return 0;
}

int metric_check(const char *name, const char *unit)
{
	const struct metric_def *d = metric_find(name);

	return d && unit_ok(d->unit, unit) ? 0 : -EINVAL;
}

const struct metric_def *metric_table(int *n)
{
	*n = NTABLE;
	return table;
}

static const char *better_name(enum metric_better b)
{
	return b == METRIC_LOWER    ? "lower"
	       : b == METRIC_HIGHER ? "higher"
				    : "-";
}

static const char *kind_name(enum metric_kind k)
{
	return k == METRIC_EXACT ? "exact" : k == METRIC_BOOL ? "0/1" : "noisy";
}

void metric_help(FILE *f)
{
	fprintf(f, "Metrics in samples.csv (better: which way is better; "
		   "gate: how a change is judged;\n* marks a diagnostic, "
		   "compared only when named):\n\n");
	fprintf(f, "%-28s %-12s %-6s %-5s %s\n", "metric", "unit", "better",
		"gate", "what");
	for (int i = 0; i < NTABLE; i++)
		fprintf(f, "%-28s %-12s %-6s %-5s %s%s\n", table[i].name,
			table[i].unit, better_name(table[i].better),
			kind_name(table[i].kind),
			table[i].diagnostic ? "* " : "", table[i].what);
}

/* "pages/ms": a rate per ms of time. */
static int per_ms(const char *unit)
{
	size_t n = unit ? strlen(unit) : 0;

	return n > 3 && !strcmp(unit + n - 3, "/ms");
}

int metric_is_time(const char *unit)
{
	return unit && (!strcmp(unit, "ns") || per_ms(unit));
}

int metric_virtual_time(const char *accel, const char *view, const char *unit)
{
	return accel && view && !strcmp(accel, METRIC_VIRTUAL_ACCEL) &&
	       (!strcmp(view, "guest") || !strcmp(view, "deep")) &&
	       metric_is_time(unit);
}

const char *metric_time_base(const char *accel, const char *view,
			     const char *unit)
{
	if (!metric_is_time(unit))
		return "";
	return metric_virtual_time(accel, view, unit) ? "virtual" : "wall";
}

/* "ms" marked: "vms", "vms/ms", "ms/vms" or "ms". */
static void mark_unit(const char *u, int va, int vb, char *buf, size_t len)
{
	if (!va == !vb)
		snprintf(buf, len, "%s%s", va ? "v" : "", u);
	else
		snprintf(buf, len, "%s%s/%s%s", va ? "v" : "", u, vb ? "v" : "",
			 u);
}

/* The time unit @d is shown in ("ms"; "ns" unscaled; "ms" of a rate per
 * ms), or NULL when @d is no time. */
static const char *time_unit(const struct metric_def *d)
{
	if (d->shown_unit && !strcmp(d->shown_unit, "ms"))
		return "ms";
	if (d->unit && !strcmp(d->unit, "ns"))
		return "ns";
	return per_ms(d->unit) ? "ms" : NULL;
}

void metric_time_unit(const struct metric_def *d, int va, int vb, char *buf,
		      size_t len)
{
	const char *u = time_unit(d);
	int pre = per_ms(d->unit) ? (int)strlen(d->unit) - 2 : 0;

	if (u) /* "vms", "pages/vms" */
		snprintf(buf, len, "%.*s", pre, d->unit);
	else
		snprintf(buf, len, "%s", d->shown_unit ? d->shown_unit : "");
	if (u && strlen(buf) + 1 < len)
		mark_unit(u, va, vb, buf + strlen(buf), len - strlen(buf));
}

/* Where @u stands in @word as a unit: at its start or after a '/', and
 * followed by its end or a '/' ("ms", "ns/page", "pages/ms"), or NULL. */
static const char *unit_in(const char *word, const char *u)
{
	for (const char *p = word; (p = strstr(p, u)); p++)
		if ((p == word || p[-1] == '/') && (!p[2] || p[2] == '/'))
			return p;
	return NULL;
}

void metric_time_label(const struct metric_def *d, int va, int vb, int width,
		       char *buf, size_t len)
{
	const char *l = d->label ? d->label : d->name ? d->name : "";
	const char *sp = strrchr(l, ' '), *word = sp ? sp + 1 : l;
	const char *u = time_unit(d), *at = NULL;
	char unit[64];
	int stem = (int)strlen(l), ul;

	/* The label's own unit word: "ms", "ns/page", "pages/ms". */
	if (u && sp)
		at = unit_in(word, u);
	if (at) {
		stem = (int)(sp - l);
	} else if (!u || (!va && !vb)) {
		/* nothing to mark: the label as it is */
		snprintf(buf, len, "%.*s", width > 0 ? width : stem, l);
		return;
	}
	snprintf(unit, sizeof(unit), "%.*s", at ? (int)(at - word) : 0, word);
	mark_unit(u, va, vb, unit + strlen(unit), sizeof(unit) - strlen(unit));
	snprintf(unit + strlen(unit), sizeof(unit) - strlen(unit), "%s",
		 at ? at + 2 : "");
	ul = (int)strlen(unit);
	if (width > 0 && stem + 1 + ul > width)
		stem = width - 1 - ul > 0 ? width - 1 - ul : 0;
	while (stem > 0 && l[stem - 1] == ' ')
		stem--;
	snprintf(buf, len, "%.*s%s%s", stem, l, stem ? " " : "", unit);
}

void metric_vms_legend(FILE *f, const char *lead, const char *rest, int vns)
{
	fprintf(f,
		"%svms: guest virtual time under tcg-icount (the guest clock "
		"advances\n%s2^shift ns per instruction), not wall-clock "
		"ms%s\n",
		lead, rest, vns ? "; vns: the same in ns" : "");
}
