// SPDX-License-Identifier: GPL-2.0-or-later
/* The host_cost counters and their view "qemu" (hostcost.h; README,
 * "The host's cost of a phase"). */
#include "run/hostcost.h"
#include "results/metric.h"
#include "run/kvmexits.h"
#include "base/err.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAX_VCPUS 64
/* The samples' view: what the phase cost QEMU's threads on the host. Five
 * letters at most, so compare's rows keep to 80 columns. */
#define VIEW "qemu"
#define RSS HOSTCOST_NCOUNTERS /* the slot of at_open/delta for the RSS */

/* Each counter: its metric, what it counts, on which threads. */
struct hc_def {
	const char *metric, *unit;
	const char *event;     /* perf's name, or libpfm4's string */
	int vcpu;	       /* on the vCPU threads; else on all of QEMU's */
	int pfm;	       /* @event goes through libpfm4 */
	unsigned long long sw; /* PERF_COUNT_SW_* when not @pfm */
};

static const struct hc_def defs[HOSTCOST_NCOUNTERS] = {
	{M_HOST_VCPU_CLOCK_NS, "ns", "task-clock", 1, 0,
	 PERF_COUNT_SW_TASK_CLOCK},
	{M_HOST_CLOCK_NS, "ns", "task-clock", 0, 0, PERF_COUNT_SW_TASK_CLOCK},
	{M_HOST_PAGE_FAULTS, "faults", "page-faults", 0, 0,
	 PERF_COUNT_SW_PAGE_FAULTS},
	{M_HOST_CTX_SWITCHES, "switches", "context-switches", 0, 0,
	 PERF_COUNT_SW_CONTEXT_SWITCHES},
	/* libpfm4's :mg is perf's :G: count only while the CPU runs the
	 * guest (exclude_host). */
	{M_HOST_GUEST_CYCLES, "count", "cycles:mg", 1, 1, 0},
	{M_HOST_GUEST_INSTRUCTIONS, "count", "instructions:mg", 1, 1, 0},
};

/* QEMU's resident memory in KiB (/proc/PID/statm), or -1. */
static double rss_kib(pid_t pid)
{
	char path[64];
	long size, res;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/%d/statm", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fscanf(f, "%ld %ld", &size, &res);
	fclose(f);
	return n == 2 ? (double)res * (double)(sysconf(_SC_PAGESIZE) / 1024)
		      : -1;
}

/* The vCPU threads, each once: under single-threaded TCG one thread runs
 * every vCPU. */
static int vcpu_threads(struct guest *g, pid_t *tids, int *n, char *why,
			size_t len)
{
	pid_t all[MAX_VCPUS];
	int nall, ret = guest_vcpu_threads(g, all, MAX_VCPUS, &nall);

	*n = 0;
	if (ret) {
		snprintf(why, len, "query-cpus-fast: %s", strerror(-ret));
		return ret;
	}
	for (int i = 0; i < nall; i++) {
		int seen = all[i] <= 0;

		for (int j = 0; j < *n && !seen; j++)
			seen = tids[j] == all[i];
		if (!seen)
			tids[(*n)++] = all[i];
	}
	if (!*n) {
		snprintf(why, len, "query-cpus-fast named no vCPU thread");
		return -ENOENT;
	}
	return 0;
}

/* Opens counter @i on @tids; a guest-mode event under TCG is opened (for
 * the host's own answer) and then given up: TCG runs the guest as QEMU's
 * own user code, so it has no guest mode and the count would be a zero
 * that means nothing. 1 when it counts; else @why says why not. */
static int open_one(struct hostcost *hc, int i, enum qemu_accel accel,
		    const pid_t *tids, int n, char *why, size_t len)
{
	const struct hc_def *d = &defs[i];
	struct perf_event_attr a;
	int ret;

	if (d->pfm)
		ret = hostperf_encode(d->event, &a, why, len);
	else
		hostperf_sw_attr(&a, d->sw, !d->vcpu), ret = 0;
	if (!ret)
		ret = hostperf_open(&hc->ctr[i], &a, tids, n, why, len);
	if (d->pfm && accel != QEMU_KVM) {
		size_t o = ret ? strlen(why) : 0;

		snprintf(why + o, len - o,
			 "%sno guest mode without KVM (accel %s)",
			 ret ? "; and " : "", qemu_accel_name(accel));
		hostperf_close(&hc->ctr[i]);
		return 0;
	}
	return !ret;
}

static json_t *tid_array(const pid_t *tids, int n)
{
	json_t *a = json_array();

	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_integer(tids[i]));
	return a;
}

static json_t *entry(const char *metric, const char *event, const char *threads,
		     int ok, const char *why)
{
	return json_pack("{s:s,s:s,s:s,s:b,s:s}", "metric", metric, "event",
			 event, "threads", threads, "available", ok, "reason",
			 ok ? "" : why);
}

/* VM exits by reason: the kvm:kvm_exit tracepoint on the vCPU threads
 * (run/kvmexits.h); without KVM there are none. */
static json_t *kvm_exits_entry(struct hostcost *hc, enum qemu_accel accel,
			       const pid_t *vcpu, int nvcpu, int ret_vcpu,
			       const char *why_vcpu)
{
	char why[512] = "";
	json_t *e;

	if (accel != QEMU_KVM)
		snprintf(why, sizeof(why), "no KVM (accel %s)",
			 qemu_accel_name(accel));
	else if (ret_vcpu)
		snprintf(why, sizeof(why), "%s", why_vcpu);
	else
		kvmexits_open(&hc->kx, vcpu, nvcpu, why, sizeof(why));
	e = entry("host_kvm_exits", "kvm:kvm_exit", "vcpu", hc->kx.ok, why);
	if (hc->kx.ok) {
		json_t *cls = json_object();

		for (int i = 0; i < KVMEXITS_NCLASSES; i++)
			json_object_set_new(
				cls, kvmexits_metric(i),
				json_string(kvmexits_filter(hc->kx.vendor, i)));
		json_object_set_new(cls, kvmexits_metric(KVMEXITS_NCLASSES),
				    json_string(kvmexits_filter(
					    hc->kx.vendor, KVMEXITS_NCLASSES)));
		json_object_set_new(e, "vendor", json_string(hc->kx.vendor));
		json_object_set_new(e, "classes", cls);
	}
	return e;
}

void hostcost_boot_init(struct hostcost *hc, struct guest *g, json_t *boot)
{
	pid_t all[HOSTPERF_MAX_THREADS], vcpu[MAX_VCPUS];
	char why_all[256] = "", why_vcpu[256] = "", why[512];
	json_t *metrics = json_array();
	int nall = 0, nvcpu = 0, ret_all, ret_vcpu;

	memset(hc, 0, sizeof(*hc));
	hc->pid = g->vm.pid;
	ret_all = hostperf_threads(hc->pid, all, HOSTPERF_MAX_THREADS, &nall);
	if (ret_all)
		snprintf(why_all, sizeof(why_all), "/proc/%d/task: %s",
			 (int)hc->pid, strerror(-ret_all));
	ret_vcpu = vcpu_threads(g, vcpu, &nvcpu, why_vcpu, sizeof(why_vcpu));
	for (int i = 0; i < HOSTCOST_NCOUNTERS; i++) {
		const struct hc_def *d = &defs[i];
		int bad = d->vcpu ? ret_vcpu : ret_all;

		snprintf(why, sizeof(why), "%s", d->vcpu ? why_vcpu : why_all);
		if (!bad)
			hc->ok[i] = open_one(
				hc, i, g->accel, d->vcpu ? vcpu : all,
				d->vcpu ? nvcpu : nall, why, sizeof(why));
		json_array_append_new(metrics, entry(d->metric, d->event,
						     d->vcpu ? "vcpu" : "all",
						     hc->ok[i], why));
	}
	hc->rss_ok = rss_kib(hc->pid) >= 0;
	snprintf(why, sizeof(why), "/proc/%d/statm: %s", (int)hc->pid,
		 strerror(errno));
	json_array_append_new(metrics, entry(M_HOST_RSS_DELTA_KIB, "statm",
					     "all", hc->rss_ok, why));
	json_array_append_new(
		metrics,
		kvm_exits_entry(hc, g->accel, vcpu, nvcpu, ret_vcpu, why_vcpu));
	json_object_set_new(
		boot, "host_cost",
		json_pack("{s:i,s:o,s:o,s:s,s:o}", "pid", (int)hc->pid,
			  "threads", tid_array(all, nall), "vcpu_threads",
			  tid_array(vcpu, nvcpu), "new_threads",
			  "counted in the thread that created them (inherit)",
			  "metrics", metrics));
}

void hostcost_close(struct hostcost *hc)
{
	for (int i = 0; i < HOSTCOST_NCOUNTERS; i++)
		hostperf_close(&hc->ctr[i]);
	kvmexits_close(&hc->kx);
	memset(hc->ok, 0, sizeof(hc->ok));
	hc->rss_ok = 0;
}

/* The counters now, into @v and @kx; a counter that cannot be read any
 * more is given up with a warning (it never writes a zero). */
static void read_all(struct hostcost *hc, double *v, double *kx)
{
	int ret;

	if (hc->kx.ok && (ret = kvmexits_read(&hc->kx, kx))) {
		warn_add("host_cost: reading kvm:kvm_exit: %s; not counted "
			 "any more this boot",
			 strerror(-ret));
		kvmexits_close(&hc->kx);
	}
	for (int i = 0; i < HOSTCOST_NCOUNTERS; i++) {
		int ret;

		if (!hc->ok[i])
			continue;
		ret = hostperf_read(&hc->ctr[i], &v[i], &hc->scaled[i]);
		if (ret) {
			warn_add("host_cost: %s: reading %s: %s; not counted "
				 "any more this boot",
				 defs[i].metric, defs[i].event, strerror(-ret));
			hc->ok[i] = 0;
		}
	}
	if (hc->rss_ok && (v[RSS] = rss_kib(hc->pid)) < 0) {
		warn_add("host_cost: /proc/%d/statm: %s; no RSS any more this "
			 "boot",
			 (int)hc->pid, strerror(errno));
		hc->rss_ok = 0;
	}
}

static void window(struct cycle_ctx *c, enum cycle_phase ph, int open,
		   void *arg)
{
	struct hostcost *hc = arg;
	double now[HOSTCOST_NCOUNTERS + 1] = {0}, kx[KVMEXITS_NV] = {0};

	if (c->deep)
		return;
	if (open) {
		hc->closed = 0;
		read_all(hc, hc->at_open, hc->kx_open);
		return;
	}
	read_all(hc, now, kx);
	for (int i = 0; i <= HOSTCOST_NCOUNTERS; i++)
		hc->delta[i] = now[i] - hc->at_open[i];
	for (int i = 0; i < KVMEXITS_NV; i++)
		hc->kx_delta[i] = kx[i] - hc->kx_open[i];
	hc->closed = 1;
}

/* After the phase, outside its window: the deltas, as samples. */
static int emit(struct cycle_ctx *c, enum cycle_phase ph, void *arg)
{
	struct hostcost *hc = arg;
	const char *phase = cycle_phase_name(ph);
	int ret = 0;

	if (!hc->closed)
		return 0;
	hc->closed = 0;
	for (int i = 0; i < HOSTCOST_NCOUNTERS && !ret; i++)
		if (hc->ok[i])
			ret = cycle_emit(
				c, phase, VIEW, defs[i].metric, hc->delta[i],
				hc->scaled[i] && !strcmp(defs[i].unit, "count")
					? "count_scaled"
					: defs[i].unit,
				-1);
	if (!ret && hc->rss_ok)
		ret = cycle_emit(c, phase, VIEW, M_HOST_RSS_DELTA_KIB,
				 hc->delta[RSS], "KiB", -1);
	/* kx_delta[0]: every exit; [1 + i]: class i; the last: the rest. */
	for (int i = 0; i < KVMEXITS_NV && !ret && hc->kx.ok; i++)
		ret = cycle_emit(c, phase, VIEW, kvmexits_metric(i - 1),
				 hc->kx_delta[i], "exits", -1);
	return ret;
}

const struct cycle_observer hostcost_observer = {
	.window = window,
	.after = emit,
};
