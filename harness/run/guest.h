/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One booted guest: a QEMU process, its QMP connection and the agent
 * channel. Boot failures become errors with the console's last lines. */
#ifndef MHP_GUEST_H
#define MHP_GUEST_H

#include "proto/agent.h"
#include "proto/agent_dax.h"
#include "config/job.h"
#include "proto/qemu.h"
#include "proto/qmp.h"
#include "results/store.h"

#include <limits.h>
#include <stdio.h>

struct guest_params {
	const struct job *job;
	const char *qemu_bin;
	const char *kernel;
	const char *initrd;
	enum job_memmap mode;
	enum qemu_accel accel;
	int64_t hello_timeout_ms;
	uint64_t boot_mem;	   /* bytes; 0 = the job's boot_mem */
	const char *label;	   /* kernels axis label; NULL = the release */
	const char *cmdline_extra; /* the kernel's own extras, or NULL */
	int dimms_at_once;	   /* the most DIMMs plugged at a time */
	/* zone_present (bytes) of this boot, when zone_axis is set; its
	 * DIMM, if any, is plugged beside the measured ones
	 * (config/zonesize.h). */
	int zone_axis;
	uint64_t zone_present;
	/* Files in the run directory (kept as evidence). */
	const char *console_log, *stderr_log, *qmp_log, *agent_log;
	/* Written only when a phase deadline is missed (run/vcpudump.h). */
	const char *vcpu_log;
};

struct guest {
	struct qemu vm;
	struct qmp *qmp;
	struct agent agent;
	struct agent_hello hello;
	enum qemu_accel accel;
	char cmdline[2048];
	int64_t boot_ns; /* QEMU start to the agent's hello */
	FILE *qmp_log, *agent_log;
	int dimm_seq;	/* DIMM/backend ids are unique per boot */
	char label[32]; /* the `kernel` column: label, or the release */
	uint64_t boot_mem;
	int64_t zone_present_mib; /* the samples' column; -1: no axis */
	int up;			  /* hello received */
	int memmap_warned;	  /* nr_memmap_pages disagreed once this boot */
	/* source = pmem: the DAX device set up for this boot, and the
	 * memory kmem adds of it (whole blocks); 0 before the set-up. */
	enum job_source source; /* the samples' source column */
	struct agent_pmem pmem;
	uint64_t pmem_bytes;
	/* For a missed deadline: the image (its System.map) and where the
	 * vCPUs' state goes (run/vcpudump.h). */
	char kernel[PATH_MAX];
	char vcpu_log[PATH_MAX + 64];
};

/* maxmem: the job's, or @boot_mem plus @dimms of the largest DIMM
 * (auto). */
uint64_t guest_maxmem(const struct job *job, uint64_t boot_mem, int dimms);

/* The kernel command line for @mode plus the job's extras, then the
 * kernel's own (@kernel_extra, may be NULL). */
void guest_cmdline(const struct job *job, enum job_memmap mode,
		   const char *kernel_extra, char *buf, size_t len);

/* Starts QEMU and waits for the agent. On failure the guest is already
 * destroyed and err_set() holds the reason (EXIT_BOOT, EXIT_ENV, ...),
 * unless @quiet_fail (the KVM probe of accel=auto), which leaves err unset
 * and writes the reason to @why. */
int guest_boot(struct guest *g, const struct guest_params *p, int quiet_fail,
	       char *why, size_t whylen);

/* Asks the agent to power off and waits for QEMU to exit; kills it if it
 * does not. Always leaves nothing running. */
void guest_shutdown(struct guest *g, int64_t timeout_ms);

/* Fills the columns every sample of this guest shares (run, kernel, accel,
 * mode, block and DIMM size, node); the rest is the caller's. */
void guest_sample_init(const struct guest *g, struct sample *s,
		       const char *run_id, enum job_memmap mode, uint64_t dimm,
		       int node);

/* Sets phase/view/metric/value/unit and appends the row; a write error is
 * recorded with err_set(EXIT_IO). */
int guest_sample_write(struct store *st, struct sample *s, const char *phase,
		       const char *view, const char *metric, double value,
		       const char *unit);

/* What all samples of one cycle, or of one oom-edge step, share beyond
 * the guest's own columns. */
struct guest_step {
	struct store *st;
	enum job_memmap mode;
	uint64_t dimm; /* bytes */
	int node, boot, rep, cycle;
	int64_t target_mib;   /* oom-edge's F; -1 for cycles */
	int offline_fill_pct; /* the cycle's offline_fill; -1: none */
};

/* Writes one sample of @at (block -1: the whole DIMM); a warm-up is a
 * step with rep -1. As guest_sample_write(). */
int guest_emit(const struct guest *g, const struct guest_step *at, int block,
	       const char *phase, const char *view, const char *metric,
	       double value, const char *unit);

/* The deadline of one phase, or of one call on the guest within it:
 * now + the job's phase_timeout. */
int64_t guest_phase_deadline(const struct job *job);

/* The host thread ids of the vCPUs (QMP query-cpus-fast), indexed by
 * cpu-index: @tids[i] runs vCPU i (one thread may run several under
 * single-threaded TCG). 0, or qmp_execute()'s error. */
int guest_vcpu_threads(struct guest *g, pid_t *tids, int max, int *n);

/* Appends the console's last lines to the recorded error. */
void guest_append_console(const struct guest *g, int lines);

/* The guest kernel's panic line in its console log @console, from
 * "Kernel panic" on; "" when there is none. */
void guest_panic_line(const char *console, char *buf, size_t len);

/* Why the guest stopped answering, in words: "QEMU died: killed by signal
 * 9 (Killed)", "QEMU died: exited with status 0; the guest kernel
 * panicked: Kernel panic - ...", or "QEMU is running, the guest is not
 * answering". With @channel_closed (EOF on a socket) QEMU gets a moment
 * to exit first. Returns 1 when QEMU is gone. */
int guest_death(struct guest *g, int channel_closed, char *buf, size_t len);

/* Records why QMP command @what failed with @ret (qmp_execute()'s error):
 * a QEMU gone or not answering (-EPIPE, -ETIMEDOUT) in guest_death()'s
 * words with the console's tail (EXIT_HANG, like a phase that meets a
 * dead guest), QEMU's refusal (-EIO), else "@what: ERROR" (EXIT_QMP).
 * Returns @ret. */
int guest_qmp_fail(struct guest *g, int ret, const char *what);

#endif
