/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Job files: INI (inih) with one [job] section. Every option lives once in
 * the table in job_opts.c (name, type, offset, default, range, help); the
 * parser, `mhpbench help job` and `run --parse-only` all read that table.
 * The parser is job.c (entry points), job_read.c (lines, sections, keys),
 * job_value.c (values) and job_check.c (checks between options). */
#ifndef MHP_JOB_H
#define MHP_JOB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JOB_MAX_SIZES 32
#define JOB_MAX_MODES 2
#define JOB_PATH_MAX 4096
#define JOB_STR_MAX 1024
#define JOB_MAX_KERNELS 8
#define JOB_MAX_NODES 8
#define JOB_LABEL_MAX 32

enum job_accel { ACCEL_AUTO, ACCEL_KVM, ACCEL_TCG, ACCEL_TCG_ICOUNT };
enum job_memmap { MEMMAP_RAM, MEMMAP_SELF };
enum job_zone { ZONE_MOVABLE, ZONE_NORMAL, ZONE_AUTO };
enum job_source { SOURCE_DIMM, SOURCE_PMEM };
enum job_benchmark { BENCH_CYCLES, BENCH_OOM_EDGE };
enum job_yesno { JOB_NO, JOB_YES };
enum job_on_hang { ON_HANG_STOP, ON_HANG_NEXT_BOOT };
enum job_fault {
	FAULT_NONE,
	FAULT_HANG_AGENT,
	FAULT_CRASH_KERNEL,
	FAULT_OFFLINE_BUSY,
	FAULT_RESET_GUEST,
};

/* One guest NUMA node: its boot memory (0: memoryless) and CPUs. */
struct job_node {
	uint64_t mem;  /* bytes */
	uint64_t cpus; /* bit i: vCPU i */
	int host_node; /* host node to bind its memory and vCPUs to; -1 */
};

/* One kernel of the `kernels` axis. @image is "debian", a bzImage, or a
 * directory from `make -C guest-images kernel` (vmlinuz, kernel.release,
 * modules/). Per-kernel extras come from a [kernel LABEL] section. */
struct job_kernel {
	char label[JOB_LABEL_MAX];
	char image[JOB_PATH_MAX];
	char cmdline_extra[JOB_STR_MAX]; /* after the job's cmdline_extra */
	char modules[JOB_PATH_MAX];	 /* module tree; "" = the image's */
	int line;			 /* of its [kernel LABEL] section */
};

struct job {
	char path[JOB_PATH_MAX]; /* the file it was read from */
	char description[JOB_STR_MAX];

	char kernel[JOB_PATH_MAX];    /* "debian" or a bzImage path */
	char initramfs[JOB_PATH_MAX]; /* "" =
					 guest-images/build/initramfs.cpio.gz */
	char qemu[JOB_PATH_MAX];      /* binary name or path */
	char cmdline_extra[JOB_STR_MAX];

	enum job_accel accel;
	/* accel=auto: what a host without a usable KVM runs instead (tcg or
	 * tcg-icount), so one job serves every host (README, "Job files") */
	enum job_accel accel_fallback;
	int icount_shift;	   /* for ACCEL_TCG_ICOUNT */
	enum job_yesno tcg_single; /* TCG with one host thread for all vCPUs */
	int smp;		   /* vCPUs; forced to 1 under tcg-icount */

	uint64_t boot_mem; /* bytes */
	uint64_t maxmem;   /* bytes; 0 = boot_mem + largest size */
	int slots;

	/* DIMM sizes, bytes, as listed; JOB_SIZE_BLOCK is "one memory
	 * block", resolved per boot (job_dimm_size). */
	uint64_t sizes[JOB_MAX_SIZES];
	int nsizes;
	enum job_memmap modes[JOB_MAX_MODES];
	int nmodes;
	int reps;      /* measured cycles per size, per boot */
	int warmup;    /* discarded cycles at the start of each boot */
	int boots;     /* boots per mode; modes alternate */
	uint64_t seed; /* shuffles the size order */
	enum job_zone zone;
	int node; /* guest NUMA node of the DIMMs */
	/* Where hot-added memory comes from: ACPI pc-dimms, or a legacy pmem
	 * region of pmem_size bytes at JOB_PMEM_AT that dax/kmem hands to
	 * the page allocator (README "Persistent memory through dax/kmem"),
	 * as a devdax device of pmem_align. */
	enum job_source source;
	uint64_t pmem_size;
	uint64_t pmem_align;

	/* Memory block sizes to sweep (bytes); 0 entries = the kernel's
	 * choice at boot_mem. Each gets its own boots. */
	uint64_t block_sizes[JOB_MAX_SIZES];
	int nblock_sizes;

	/* Guest NUMA topology: "MEM[:CPUS], ..." as written, and parsed;
	 * nnodes == 0: no -numa options. With nodes, boot_mem is their sum. */
	char numa_spec[JOB_STR_MAX];
	char numa_host_spec[JOB_STR_MAX];
	struct job_node nodes[JOB_MAX_NODES];
	int nnodes;

	/* Deep cycles, apart from the measured ones: the probe module's
	 * memmap placement and struct page walk, and ftrace's breakdown of
	 * online/offline. deep_reps per size per boot; 0 = none. */
	int deep_reps;
	enum job_yesno probe;
	enum job_yesno trace;
	int trace_depth;
	/* libpfm4 event strings counted around each measured phase. */
	char pmu_events[JOB_STR_MAX];

	/* The kernels axis: "label:image, ..." as written, and parsed.
	 * nkernels == 0: the one `kernel`. */
	char kernels_spec[JOB_PATH_MAX];
	struct job_kernel kernels[JOB_MAX_KERNELS];
	int nkernels;

	int64_t boot_timeout_ms;      /* guest must say hello by then */
	int64_t kvm_probe_timeout_ms; /* accel=auto: KVM guest must say hello by
					 then */
	int64_t phase_timeout_ms;     /* any one phase */

	/* What the run measures: add/online/offline/remove cycles, or how
	 * much can be hot-added to a guest near out of memory. */
	enum job_benchmark benchmark;
	uint64_t oom_targets[JOB_MAX_SIZES]; /* free-memory targets F, bytes */
	int noom_targets;
	int oom_cap;		   /* most DIMMs per point; 0 = slots */
	enum job_yesno oom_online; /* online each DIMM right after its add */

	/* Fault injection for testing the analysis: a fixed sleep inside
	 * every timed online write. Flagged in the manifest and the table. */
	int64_t inject_online_delay_us;

	/* Guest time between the last hotplug operation and each timed state
	 * write, at least (README, "Settle time"); 0 = none. */
	int64_t settle_ms;

	/* What a hung or dead guest ends: the run, or only its boot. */
	enum job_on_hang on_hang;
	int offline_retries; /* more tries of a refused offline write */
	/* Offline with pages to migrate: the shares (percent) of each block
	 * filled with movable pages before the offline, an axis of the
	 * cycles; noffline_fill == 0: no fill (README, "Offline with pages
	 * to migrate"). */
	int offline_fill[JOB_MAX_SIZES];
	int noffline_fill;
	/* Memory already in the zone the measured blocks join, an axis of
	 * the cycles with a boot per size; nzone_present == 0: no axis
	 * (README, "Cost against the size of the zone"). */
	uint64_t zone_present[JOB_MAX_SIZES];
	int nzone_present;
	/* Fault injection for the harness's own tests (fault.c): once per
	 * run, right after the online phase of the first cycle whose index
	 * in its boot is at least inject_fault_after. Flagged in the
	 * manifest. */
	enum job_fault inject_fault;
	int inject_fault_after;
};

/* Job error: "file:line: message". line is 0 when not tied to a line. */
struct job_error {
	int line;
	char msg[512];
};

void job_defaults(struct job *job);

/* Reads and validates @path. Returns 0, or -EINVAL/-ENOENT/... with @err
 * filled in (for a missing file line is 0 and msg says why). */
int job_load(struct job *job, const char *path, struct job_error *err);

/* Parses a job held in memory (tests, fuzzing); @name stands in for a path. */
int job_load_string(struct job *job, const char *name, const char *text,
		    struct job_error *err);

/* The same for @len bytes that need not end in a NUL and may hold one
 * (a job file's contents as read; the fuzzer). */
int job_load_buffer(struct job *job, const char *name, const char *buf,
		    size_t len, struct job_error *err);

/* Writes the effective job (every option, as key = value) to @f. */
void job_dump(const struct job *job, FILE *f);

/* Writes the options table (name, type, default, range, help) to @f. */
void job_help(FILE *f);

const char *job_accel_name(enum job_accel a);
const char *job_memmap_name(enum job_memmap m);
const char *job_zone_name(enum job_zone z);
const char *job_source_name(enum job_source s);
const char *job_benchmark_name(enum job_benchmark b);
const char *job_fault_name(enum job_fault f);
const char *job_on_hang_name(enum job_on_hang h);

/* source = pmem: the region starts here in guest physical memory, with
 * boot memory below and above it (memmap=SIZE!256M). */
#define JOB_PMEM_AT (256ULL << 20)

/* sizes[] entry meaning "exactly one memory block" (written `block`). */
#define JOB_SIZE_BLOCK 0

/* DIMM size @i for a guest with @block-byte memory blocks. */
uint64_t job_dimm_size(const struct job *job, int i, uint64_t block);

/* The largest DIMM any boot of the job plugs (bytes). */
uint64_t job_largest_dimm(const struct job *job);

/* oom-edge: the DIMM cap (oom_cap, or the slot count when 0). */
int job_oom_cap(const struct job *job);

#endif
