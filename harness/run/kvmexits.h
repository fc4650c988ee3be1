/* SPDX-License-Identifier: GPL-2.0-or-later */
/* VM exits by reason on a KVM guest's vCPU threads, for the host_cost
 * view (run/hostcost.h; README, "The host's cost of a phase"): the
 * kvm:kvm_exit tracepoint counted with perf_event_open, once per reason
 * class with a tracepoint filter on exit_reason, and once for "other"
 * with the classes' complement as its filter, in one perf group per
 * thread. The filters partition the reasons, so every exit is counted
 * exactly once and the total is the sum. Reading tracepoints of
 * another process needs root (or perf_event_paranoid -1) and tracefs for the
 * tracepoint's id. */
#ifndef MHP_KVMEXITS_H
#define MHP_KVMEXITS_H

#include "run/hostperf.h"

#include <stddef.h>
#include <sys/types.h>

/* The reason classes, the same names for AMD (SVM) and Intel (VMX). */
#define KVMEXITS_NCLASSES 8
/* What kvmexits_read() gives: all, the classes, other. */
#define KVMEXITS_NV (KVMEXITS_NCLASSES + 2)

/* Per vCPU thread one perf group: fd[t][0] counts other (the leader),
 * fd[t][1 + i] class i. */
struct kvmexits {
	int ok, n;
	const char *vendor; /* "svm" or "vmx" */
	int fd[HOSTPERF_MAX_THREADS][1 + KVMEXITS_NCLASSES];
};

/* The metric of class @i (host_kvm_exits_<class>), and of the total
 * (@i = -1: host_kvm_exits) and of the rest (@i = KVMEXITS_NCLASSES:
 * host_kvm_exits_other). */
const char *kvmexits_metric(int i);

/* The filter of class @i for @vendor ("svm" or "vmx"), e.g.
 * "exit_reason == 0x400"; @i = KVMEXITS_NCLASSES: other's, every class's
 * reasons excluded ("exit_reason != 0x400 && ..."). */
const char *kvmexits_filter(const char *vendor, int i);

/* The loaded KVM module's vendor: "svm" (kvm_amd), "vmx" (kvm_intel), or
 * NULL with the reason in @why. */
const char *kvmexits_vendor(char *why, size_t len);

/* The id of tracepoint @sys:@name from tracefs (/sys/kernel/tracing, or
 * /sys/kernel/debug/tracing), or -errno with the reason in @why. */
long kvmexits_tracepoint_id(const char *sys, const char *name, char *why,
			    size_t len);

/* Opens the counters on @tids (the vCPU threads). 0, or -errno with the
 * reason in @why (nothing left open). */
int kvmexits_open(struct kvmexits *k, const pid_t *tids, int n, char *why,
		  size_t len);

/* @v[0]: all exits so far, @v[1 + i]: class i, @v[1 + NCLASSES]: other.
 * 0 or -errno. */
int kvmexits_read(const struct kvmexits *k, double *v);

void kvmexits_close(struct kvmexits *k);

#endif
