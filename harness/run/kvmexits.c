// SPDX-License-Identifier: GPL-2.0-or-later
/* kvm:kvm_exit counted by reason class (kvmexits.h). */
#include "run/kvmexits.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Exit codes: AMD's APM vol. 2, appendix C (the kernel's
 * arch/x86/include/uapi/asm/svm.h); Intel's SDM vol. 3, appendix C
 * (uapi/asm/vmx.h). The tracepoint's exit_reason holds them as is. */
static const struct {
	const char *name, *svm, *vmx;
} classes[KVMEXITS_NCLASSES] = {
	/* nested page fault / EPT: the guest touched memory the host has
	 * not mapped for it yet (or MMIO) */
	{"npf", "exit_reason == 0x400",
	 "exit_reason == 48 || exit_reason == 49"},
	{"hlt", "exit_reason == 0x78", "exit_reason == 12"},
	{"io", "exit_reason == 0x7b", "exit_reason == 30"},
	{"msr", "exit_reason == 0x7c",
	 "exit_reason == 31 || exit_reason == 32"},
	/* a host interrupt arrived while the guest ran */
	{"intr", "exit_reason == 0x60", "exit_reason == 1"},
	/* the guest opened its interrupt window for a pending injection */
	{"intr_window", "exit_reason == 0x64", "exit_reason == 7"},
	{"cpuid", "exit_reason == 0x72", "exit_reason == 10"},
	{"pause", "exit_reason == 0x77", "exit_reason == 40"},
};

const char *kvmexits_metric(int i)
{
	static char names[KVMEXITS_NCLASSES][40];

	if (i < 0)
		return "host_kvm_exits";
	if (i >= KVMEXITS_NCLASSES)
		return "host_kvm_exits_other";
	if (!names[i][0])
		snprintf(names[i], sizeof(names[i]), "host_kvm_exits_%s",
			 classes[i].name);
	return names[i];
}

static const char *class_filter(int svm, int i)
{
	return svm ? classes[i].svm : classes[i].vmx;
}

/* "other" as a filter of its own, the classes' complement: each class is
 * a disjunction of equalities, so its negation is the conjunction of the
 * inequalities (De Morgan), e.g. "exit_reason != 0x400 && ...". */
static const char *other_filter(int svm)
{
	static char f[2][512];
	char *out = f[svm];

	if (out[0])
		return out;
	for (int i = 0; i < KVMEXITS_NCLASSES; i++) {
		const char *p = class_filter(svm, i);
		size_t at = strlen(out);

		if (at)
			at += (size_t)snprintf(out + at, sizeof(f[0]) - at,
					       " && ");
		for (; *p && at + 2 < sizeof(f[0]); p++) {
			if (!strncmp(p, "==", 2) || !strncmp(p, "||", 2)) {
				out[at++] = *p == '=' ? '!' : '&';
				out[at++] = *p == '=' ? '=' : '&';
				p++;
			} else {
				out[at++] = *p;
			}
		}
		out[at] = '\0';
	}
	return out;
}

const char *kvmexits_filter(const char *vendor, int i)
{
	int svm = !strcmp(vendor, "svm");

	if (i < 0 || i > KVMEXITS_NCLASSES)
		return NULL;
	return i == KVMEXITS_NCLASSES ? other_filter(svm)
				      : class_filter(svm, i);
}

const char *kvmexits_vendor(char *why, size_t len)
{
	if (!access("/sys/module/kvm_amd", F_OK))
		return "svm";
	if (!access("/sys/module/kvm_intel", F_OK))
		return "vmx";
	snprintf(why, len, "neither kvm_amd nor kvm_intel is loaded");
	return NULL;
}

long kvmexits_tracepoint_id(const char *sys, const char *name, char *why,
			    size_t len)
{
	static const char *const roots[] = {"/sys/kernel/tracing",
					    "/sys/kernel/debug/tracing"};
	char path[256];
	long id = -1;
	int e = ENOENT;

	for (size_t r = 0; r < sizeof(roots) / sizeof(*roots); r++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/events/%s/%s/id", roots[r],
			 sys, name);
		f = fopen(path, "r");
		if (!f) {
			e = errno;
			continue;
		}
		if (fscanf(f, "%ld", &id) != 1)
			id = -1, e = EIO;
		fclose(f);
		if (id >= 0)
			return id;
	}
	snprintf(why, len,
		 "tracepoint %s:%s: no id under /sys/kernel/tracing or "
		 "/sys/kernel/debug/tracing (%s; is tracefs mounted?)",
		 sys, name, strerror(e));
	return -e;
}

static int perf_open(struct perf_event_attr *a, pid_t tid, int group)
{
	return (int)syscall(SYS_perf_event_open, a, tid, -1, group,
			    PERF_FLAG_FD_CLOEXEC);
}

/* One group on thread @t: "other" leads, the classes follow, one read
 * gives them all. Every counter has a filter and the filters partition
 * exit_reason, so an exit is counted once, by one counter: the total is
 * their sum. (An unfiltered total read beside filtered classes could be
 * caught between two counters' increments of one exit, and all - classes
 * came out -1.) */
static int open_thread(struct kvmexits *k, long id, pid_t tid, char *why,
		       size_t len)
{
	int *fd = k->fd[k->n];
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_TRACEPOINT;
	a.config = (unsigned long long)id;
	a.read_format = PERF_FORMAT_GROUP;
	for (int i = 0; i <= KVMEXITS_NCLASSES; i++)
		fd[i] = -1;
	for (int i = 0; i <= KVMEXITS_NCLASSES; i++) {
		const char *filter = kvmexits_filter(
			k->vendor, i ? i - 1 : KVMEXITS_NCLASSES);

		fd[i] = perf_open(&a, tid, i ? fd[0] : -1);
		if (fd[i] < 0) {
			int e = errno;

			snprintf(why, len,
				 "perf_event_open of kvm:kvm_exit on thread "
				 "%d: %s",
				 (int)tid, strerror(e));
			return -e;
		}
		if (ioctl(fd[i], PERF_EVENT_IOC_SET_FILTER, filter)) {
			int e = errno;

			snprintf(why, len, "filter \"%s\" on kvm:kvm_exit: %s",
				 filter, strerror(e));
			return -e;
		}
	}
	return 0;
}

int kvmexits_open(struct kvmexits *k, const pid_t *tids, int n, char *why,
		  size_t len)
{
	long id;

	memset(k, 0, sizeof(*k));
	k->vendor = kvmexits_vendor(why, len);
	if (!k->vendor)
		return -ENODEV;
	id = kvmexits_tracepoint_id("kvm", "kvm_exit", why, len);
	if (id < 0)
		return (int)id;
	if (n > HOSTPERF_MAX_THREADS) {
		snprintf(why, len, "%d vCPU threads, more than the %d counted",
			 n, HOSTPERF_MAX_THREADS);
		return -E2BIG;
	}
	for (int t = 0; t < n; t++) {
		int ret = open_thread(k, id, tids[t], why, len);

		k->n++; /* closed below, also when half open */
		if (ret) {
			kvmexits_close(k);
			return ret;
		}
	}
	k->ok = 1;
	return 0;
}

int kvmexits_read(const struct kvmexits *k, double *v)
{
	memset(v, 0, sizeof(*v) * (KVMEXITS_NCLASSES + 2));
	for (int t = 0; t < k->n; t++) {
		uint64_t buf[1 + 1 + KVMEXITS_NCLASSES]; /* nr, values */
		ssize_t got = read(k->fd[t][0], buf, sizeof(buf));

		if (got < 0)
			return -errno;
		if (got != (ssize_t)sizeof(buf) ||
		    buf[0] != 1 + KVMEXITS_NCLASSES)
			return -EIO;
		/* buf[1] is the leader, other; then the classes */
		v[1 + KVMEXITS_NCLASSES] += (double)buf[1];
		for (int i = 0; i < KVMEXITS_NCLASSES; i++)
			v[1 + i] += (double)buf[2 + i];
		for (int i = 0; i <= KVMEXITS_NCLASSES; i++)
			v[0] += (double)buf[1 + i];
	}
	return 0;
}

void kvmexits_close(struct kvmexits *k)
{
	for (int t = 0; t < k->n; t++)
		for (int i = KVMEXITS_NCLASSES; i >= 0; i--)
			if (k->fd[t][i] >= 0)
				close(k->fd[t][i]);
	k->n = 0;
	k->ok = 0;
}
