/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Whether the host that runs QEMU is itself a virtual machine, so that a
 * KVM guest is a nested one and its timings are not those of a bare-metal
 * lab host (README, "Tests": the KVM tests run nested here). */
#ifndef MHP_NESTED_H
#define MHP_NESTED_H

#include <jansson.h>

/* The facts, from @cpuinfo (the "hypervisor" CPU flag: the CPU says it
 * runs under a hypervisor) and @sys (the kvm_amd or kvm_intel module's
 * "nested" parameter under sys/module/, which says whether this host can
 * run nested guests in turn): {nested, representative, hypervisor_flag,
 * kvm_module, kvm_nested_param, why}. @cpuinfo and @sys are
 * "/proc/cpuinfo" and "/sys" but for the tests. */
json_t *nested_facts(const char *cpuinfo, const char *sys);

#endif
