// SPDX-License-Identifier: GPL-2.0-or-later
/* The job options table: every option of a job file, once, with its
 * type, place in struct job, default, range and help text (README, and
 * `mhpbench help job` prints it). Also the names of the enum values. */
#include <stddef.h>
#include <string.h>

#include "config/job.h"
#include "config/job_opts.h"
#include "config/job_value.h"

#define OFF(field) offsetof(struct job, field)
#define FIELD_SIZE(field) sizeof(((struct job *)0)->field)

/* Enums are stored through int pointers by the table-driven code. */
_Static_assert(sizeof(enum job_accel) == sizeof(int), "enum size");
_Static_assert(sizeof(enum job_memmap) == sizeof(int), "enum size");
_Static_assert(sizeof(enum job_zone) == sizeof(int), "enum size");
_Static_assert(sizeof(enum job_source) == sizeof(int), "enum size");
_Static_assert(sizeof(enum job_benchmark) == sizeof(int), "enum size");
_Static_assert(sizeof(enum job_yesno) == sizeof(int), "enum size");
_Static_assert(sizeof(enum job_on_hang) == sizeof(int), "enum size");
_Static_assert(sizeof(enum job_fault) == sizeof(int), "enum size");

static const char *const accel_names[] = {
	[ACCEL_AUTO] = "auto",
	[ACCEL_KVM] = "kvm",
	[ACCEL_TCG] = "tcg",
	[ACCEL_TCG_ICOUNT] = "tcg-icount",
	NULL,
};

static const char *const memmap_names[] = {
	[MEMMAP_RAM] = "ram",
	[MEMMAP_SELF] = "self",
	NULL,
};

static const char *const benchmark_names[] = {
	[BENCH_CYCLES] = "cycles",
	[BENCH_OOM_EDGE] = "oom-edge",
	NULL,
};

static const char *const yesno_names[] = {
	[JOB_NO] = "no",
	[JOB_YES] = "yes",
	NULL,
};

static const char *const on_hang_names[] = {
	[ON_HANG_STOP] = "stop",
	[ON_HANG_NEXT_BOOT] = "next-boot",
	NULL,
};

static const char *const fault_names[] = {
	[FAULT_NONE] = "none",
	[FAULT_HANG_AGENT] = "hang-agent",
	[FAULT_CRASH_KERNEL] = "crash-kernel",
	[FAULT_OFFLINE_BUSY] = "offline-busy",
	[FAULT_RESET_GUEST] = "reset-guest",
	NULL,
};

static const char *const source_names[] = {
	[SOURCE_DIMM] = "dimm",
	[SOURCE_PMEM] = "pmem",
	NULL,
};

static const char *const zone_names[] = {
	[ZONE_MOVABLE] = "movable",
	[ZONE_NORMAL] = "normal",
	[ZONE_AUTO] = "auto",
	NULL,
};

const struct opt job_opts[] = {
	{
		.name = "description",
		.type = OPT_STR,
		.off = OFF(description),
		.size = FIELD_SIZE(description),
		.def = "",
		.help = "Free text stored with the results: what this job is "
			"meant to show.",
	},
	{
		.name = "kernel",
		.type = OPT_STR,
		.off = OFF(kernel),
		.size = FIELD_SIZE(kernel),
		.def = "debian",
		.min = 1,
		.help = "Guest kernel. \"debian\" is the kernel that "
			"guest-images/ unpacks from Debian's linux-image .deb; "
			"\"debian-MAJOR.MINOR\" (debian-6.12) a Debian kernel "
			"series, fetched by `make -C guest-images "
			"debian-series` when the run starts; anything else is "
			"the path of a bzImage.",
	},
	{
		.name = "initramfs",
		.type = OPT_STR,
		.off = OFF(initramfs),
		.size = FIELD_SIZE(initramfs),
		.def = "",
		.help = "Guest initramfs (cpio.gz) holding the agent. Empty "
			"means guest-images/build/initramfs.cpio.gz.",
	},
	{
		.name = "qemu",
		.type = OPT_STR,
		.off = OFF(qemu),
		.size = FIELD_SIZE(qemu),
		.def = "qemu-system-x86_64",
		.min = 1,
		.help = "QEMU binary: a name looked up in PATH, or a path.",
	},
	{
		.name = "cmdline_extra",
		.type = OPT_STR,
		.off = OFF(cmdline_extra),
		.size = FIELD_SIZE(cmdline_extra),
		.def = "",
		.help = "Appended to the guest kernel command line, after what "
			"mhpbench sets itself (memmap_on_memory comes from the "
			"mode).",
	},
	{
		.name = "accel",
		.type = OPT_ENUM,
		.off = OFF(accel),
		.def = "auto",
		.names = accel_names,
		.help = "auto: probe KVM with a deadline (kvm_probe_timeout) "
			"and fall back to TCG with a warning; kvm: KVM or "
			"fail; tcg: multi-threaded TCG (noisy); tcg-icount: "
			"TCG whose guest clock follows the instruction count, "
			"the low-noise choice on shared machines (runs with "
			"smp = 1). The accelerator used is recorded with every "
			"result.",
	},
	{
		.name = "icount_shift",
		.type = OPT_INT,
		.off = OFF(icount_shift),
		.def = "3",
		.min = 0,
		.max = 10,
		.help = "For accel = tcg-icount: each guest instruction counts "
			"as 2^icount_shift ns of guest time.",
	},
	{
		.name = "tcg_single_thread",
		.type = OPT_ENUM,
		.off = OFF(tcg_single),
		.def = "no",
		.names = yesno_names,
		.help = "accel = tcg (or auto falling back to it) with one "
			"host thread for all vCPUs (-accel tcg,thread=single). "
			"Slower, but ftrace's tracer switches deadlock "
			"multi-threaded TCG guests, so deep cycles trace only "
			"with this, tcg-icount or kvm.",
	},
	{
		.name = "smp",
		.type = OPT_INT,
		.off = OFF(smp),
		.def = "2",
		.min = 1,
		.max = 64,
		.help = "Guest vCPUs. tcg-icount uses 1, since SMP bring-up "
			"hangs under icount.",
	},
	{
		.name = "boot_mem",
		.type = OPT_SIZE,
		.off = OFF(boot_mem),
		.def = "512M",
		.min = MIB(128),
		.max = TIB(1),
		.align = MIB(2),
		.help = "Memory the guest boots with. On x86 it also sets the "
			"memory block size: 128M while boot memory ends below "
			"64G, larger (up to 2G) above.",
	},
	{
		.name = "maxmem",
		.type = OPT_SIZE,
		.off = OFF(maxmem),
		.def = "0",
		.align = MIB(2),
		.help = "QEMU's maxmem, the ceiling for boot memory plus "
			"hot-added DIMMs. 0 picks it from boot_mem and sizes; "
			"otherwise it must be at least boot_mem + the largest "
			"size.",
	},
	{
		.name = "slots",
		.type = OPT_INT,
		.off = OFF(slots),
		.def = "4",
		.min = 1,
		.max = 256,
		.help = "Hotplug slots QEMU reserves for DIMMs (-m slots=).",
	},
	{
		.name = "sizes",
		.type = OPT_SIZE_LIST,
		.off = OFF(sizes),
		.size = JOB_MAX_SIZES,
		.count_off = OFF(nsizes),
		.def = "128M",
		.min = MIB(128),
		.max = GIB(64),
		.align = MIB(128),
		.block_word = true,
		.help = "DIMM sizes to hot-add, comma-separated. Each cycle "
			"adds one pc-dimm of one size; a 128M DIMM is one "
			"memory block at the default boot_mem. The word "
			"`block` means one memory block of the boot at hand "
			"(with block_sizes: DIMM = block). A size that is not "
			"a whole number of blocks is skipped, with the reason.",
	},
	{
		.name = "modes",
		.type = OPT_ENUM_LIST,
		.off = OFF(modes),
		.size = JOB_MAX_MODES,
		.count_off = OFF(nmodes),
		.def = "ram,self",
		.names = memmap_names,
		.help = "Memmap placements to compare, each in its own boot: "
			"ram (memory_hotplug.memmap_on_memory=0, the memmap "
			"comes from online RAM) and self (=1, the memmap lives "
			"in the hot-added range itself).",
	},
	{
		.name = "reps",
		.type = OPT_INT,
		.off = OFF(reps),
		.def = "3",
		.min = 1,
		.max = 100000,
		.help = "Measured add/online/offline/remove cycles per size, "
			"per boot.",
	},
	{
		.name = "warmup",
		.type = OPT_INT,
		.off = OFF(warmup),
		.def = "1",
		.min = 0,
		.max = 1000,
		.help = "Cycles at the start of each boot that are marked as "
			"warm-up and left out of the statistics.",
	},
	{
		.name = "boots",
		.type = OPT_INT,
		.off = OFF(boots),
		.def = "1",
		.min = 1,
		.max = 1000,
		.help = "Boots per mode. Modes alternate from boot to boot, so "
			"slow drift on the host hits each mode alike.",
	},
	{
		.name = "seed",
		.type = OPT_U64,
		.off = OFF(seed),
		.def = "1",
		.help = "Seed for the shuffled order of sizes; the same seed "
			"gives the same order.",
	},
	{
		.name = "zone",
		.type = OPT_ENUM,
		.off = OFF(zone),
		.def = "movable",
		.names = zone_names,
		.help = "Where onlined memory goes: movable (online_movable, "
			"so offlining can migrate its pages away), normal "
			"(online_kernel) or auto (online, the kernel's "
			"choice).",
	},
	{
		.name = "source",
		.type = OPT_ENUM,
		.off = OFF(source),
		.def = "dimm",
		.names = source_names,
		.help = "Where hot-added memory comes from. dimm: ACPI "
			"pc-dimms of each size. pmem: a legacy pmem region "
			"(memmap=pmem_size!256M) made a devdax device once "
			"per boot; each cycle kmem takes it as system RAM "
			"(add), its blocks go online and offline, and kmem "
			"lets it go (remove). sizes does not apply; needs "
			"the nvdimm/dax modules (debian-<series> kernels).",
	},
	{
		.name = "pmem_size",
		.type = OPT_SIZE,
		.off = OFF(pmem_size),
		.def = "512M",
		.min = MIB(256),
		.max = GIB(2),
		.align = MIB(128),
		.help = "source = pmem: the region's size, on top of "
			"boot_mem. kmem adds its whole memory blocks: one "
			"block fewer than the region holds (the device's info "
			"block and own memmap sit in the first).",
	},
	{
		.name = "pmem_align",
		.type = OPT_SIZE,
		.off = OFF(pmem_align),
		.def = "2M",
		.min = KIB(4),
		.max = GIB(1),
		.align = KIB(4),
		.help = "source = pmem: the devdax device's alignment (ndctl "
			"-a): 4K or 2M (x86's supported_alignments; 1G would "
			"need a 1G-aligned region).",
	},
	{
		.name = "node",
		.type = OPT_INT,
		.off = OFF(node),
		.def = "0",
		.min = 0,
		.max = 63,
		.help = "Guest NUMA node the DIMMs are plugged into. Boot "
			"memory is on node 0, so a DIMM on another node shows "
			"whether its memmap is local (self) or remote (ram).",
	},
	{
		.name = "block_sizes",
		.type = OPT_SIZE_LIST,
		.off = OFF(block_sizes),
		.size = JOB_MAX_SIZES,
		.count_off = OFF(nblock_sizes),
		.def = "",
		.min = MIB(128),
		.max = GIB(2),
		.align = MIB(128),
		.help = "Guest memory block sizes to sweep, each a power of "
			"two in 128M..2G; empty: whatever the kernel picks at "
			"boot_mem. For 256M and up the boot memory is set so "
			"that it ends at 64G + the block size (63G for 2G "
			"blocks), backed with reserve=off so only what the "
			"guest touches costs host memory; boot_mem then "
			"applies to 128M only. Every boot checks the guest's "
			"block_size_bytes.",
	},
	{
		.name = "kernels",
		.type = OPT_STR,
		.off = OFF(kernels_spec),
		.size = FIELD_SIZE(kernels_spec),
		.def = "",
		.help = "Kernels to compare, as label:image pairs, "
			"comma-separated (base:debian, patched:/path/bzImage). "
			"An image is \"debian\", \"debian-MAJOR.MINOR\" (a "
			"Debian kernel series, fetched when the run starts), "
			"a bzImage, or a directory made by "
			"`make -C guest-images kernel`. Each kernel "
			"gets the same boots, interleaved, and every sample "
			"carries its label. A [kernel LABEL] section may add "
			"cmdline_extra and modules (a module tree) for one "
			"kernel. Excludes `kernel`.",
	},
	{
		.name = "numa_nodes",
		.type = OPT_STR,
		.off = OFF(numa_spec),
		.size = FIELD_SIZE(numa_spec),
		.def = "",
		.help = "Guest NUMA nodes, comma-separated, each MEM[:CPUS]: "
			"boot memory (0 = memoryless) and vCPUs (0-1, 0+2). "
			"`512M:0-1, 0` is node 0 with 512M and both vCPUs, and "
			"a memoryless node 1 for `node = 1` DIMMs. boot_mem is "
			"then the sum. Empty: no NUMA.",
	},
	{
		.name = "numa_host_nodes",
		.type = OPT_STR,
		.off = OFF(numa_host_spec),
		.size = FIELD_SIZE(numa_host_spec),
		.def = "",
		.help = "Host node per guest node (0,1): binds each guest "
			"node's memory there (host-nodes=, policy=bind) and "
			"pins its vCPU threads to that node's CPUs, so remote "
			"is physically remote. The manifest says whether it "
			"was applied.",
	},
	{
		.name = "deep_reps",
		.type = OPT_INT,
		.off = OFF(deep_reps),
		.def = "1",
		.min = 0,
		.max = 1000,
		.help = "Deep cycles per size per boot, after the measured "
			"ones and kept apart from their latencies: the probe "
			"module's memmap placement and struct page walk, and "
			"ftrace's breakdown of online and offline.",
	},
	{
		.name = "probe",
		.type = OPT_ENUM,
		.off = OFF(probe),
		.def = "yes",
		.names = yesno_names,
		.help = "In deep cycles, load the probe module and report "
			"where each block's memmap lives (NUMA node, fraction "
			"local to the block) and the ns per struct page of a "
			"cold and a warm walk.",
	},
	{
		.name = "trace",
		.type = OPT_ENUM,
		.off = OFF(trace),
		.def = "yes",
		.names = yesno_names,
		.help = "In deep cycles, online and offline under ftrace's "
			"function_graph tracer: time per child function.",
	},
	{
		.name = "trace_depth",
		.type = OPT_INT,
		.off = OFF(trace_depth),
		.def = "2",
		.min = 1,
		.max = 8,
		.help = "function_graph max_graph_depth; 2 = the entry and its "
			"direct children.",
	},
	{
		.name = "pmu_events",
		.type = OPT_STR,
		.off = OFF(pmu_events),
		.size = FIELD_SIZE(pmu_events),
		.def = "cycles,instructions",
		.help = "libpfm4 event strings counted in the guest, "
			"system-wide on every vCPU, around each measured "
			"phase. Without a PMU each says unavailable, with the "
			"reason. Empty: none.",
	},
	{
		.name = "boot_timeout",
		.type = OPT_DURATION,
		.off = OFF(boot_timeout_ms),
		.def = "120s",
		.min = SECONDS(1),
		.max = HOURS(1),
		.help = "How long the guest agent has to say hello after QEMU "
			"starts.",
	},
	{
		.name = "kvm_probe_timeout",
		.type = OPT_DURATION,
		.off = OFF(kvm_probe_timeout_ms),
		.def = "20s",
		.min = SECONDS(1),
		.max = MINUTES(10),
		.help = "For accel = auto: how long a KVM guest has to say "
			"hello before mhpbench falls back to TCG. A KVM that "
			"cannot run the guest hangs rather than fails.",
	},
	{
		.name = "accel_fallback",
		.type = OPT_ENUM,
		.off = OFF(accel_fallback),
		.def = "tcg",
		.names = accel_names,
		.help = "For accel = auto: what to run where KVM is not "
			"usable, "
			"tcg or tcg-icount, so that one job uses KVM on a "
			"bare-metal host and icount elsewhere. The manifest "
			"says what was used and why; the gate refuses to "
			"compare runs whose accel differs.",
	},
	{
		.name = "phase_timeout",
		.type = OPT_DURATION,
		.off = OFF(phase_timeout_ms),
		.def = "60s",
		.min = SECONDS(1),
		.max = HOURS(1),
		.help = "How long any one phase (add, online, offline, remove) "
			"may take before the run stops it as hung.",
	},
	{
		.name = "benchmark",
		.type = OPT_ENUM,
		.off = OFF(benchmark),
		.def = "cycles",
		.names = benchmark_names,
		.help = "cycles: time add/online/offline/remove of each size. "
			"oom-edge: bring the guest to each free-memory target "
			"in oom_targets, then hot-add DIMMs of the one size in "
			"sizes until an add fails, the OOM killer fires, the "
			"guest dies or oom_cap is reached; one boot per "
			"target, mode and rep.",
	},
	{
		.name = "oom_targets",
		.type = OPT_SIZE_LIST,
		.off = OFF(oom_targets),
		.size = JOB_MAX_SIZES,
		.count_off = OFF(noom_targets),
		.def = "32M",
		.min = MIB(1),
		.max = GIB(64),
		.align = MIB(1),
		.help = "oom-edge: free memory (MemFree) the guest is brought "
			"down to before the adds, e.g. 64M,32M,16M,8M. Each "
			"must be below boot_mem.",
	},
	{
		.name = "oom_cap",
		.type = OPT_INT,
		.off = OFF(oom_cap),
		.def = "0",
		.min = 0,
		.max = 256,
		.help = "oom-edge: most DIMMs added per point; 0 means slots.",
	},
	{
		.name = "oom_online",
		.type = OPT_ENUM,
		.off = OFF(oom_online),
		.def = "no",
		.names = yesno_names,
		.help = "oom-edge: online each DIMM (zone) right after its "
			"add. With no, the added memory never helps, so only "
			"the memmap's cost counts.",
	},
	{
		.name = "settle",
		.type = OPT_DURATION,
		.off = OFF(settle_ms),
		.def = "100ms",
		.min = 0,
		.max = SECONDS(10),
		.help = "Before each timed online or offline write, the agent "
			"waits until this much guest time has passed since the "
			"last hotplug operation (outside the timed window), so "
			"every write starts after the same gap. Each write's "
			"gap is recorded as gap_ns either way. Below about 10 "
			"ms a write may skip an RCU grace period that others "
			"wait for, which made timings bimodal. After the wait "
			"the write starts at a fixed phase of the scheduler "
			"tick (the next 20 ms of the guest's clock, + 1 ms). "
			"0 = no wait and no alignment.",
	},
	{
		.name = "inject_online_delay",
		.type = OPT_DURATION_US,
		.off = OFF(inject_online_delay_us),
		.def = "0",
		.min = 0,
		.max = SECONDS(10) * 1000,
		.help = "TESTING ONLY: the agent sleeps this long inside every "
			"timed online write, a known slowdown to check that "
			"compare and gate catch it (us allowed, to calibrate "
			"it to a share of a median). A run with it set says so "
			"in its manifest and table.",
	},
	{
		.name = "on_hang",
		.type = OPT_ENUM,
		.off = OFF(on_hang),
		.def = "stop",
		.names = on_hang_names,
		.help = "When the guest stops answering or dies mid-run (a "
			"phase deadline, a guest kernel panic, QEMU killed): "
			"stop ends the run there; next-boot kills that QEMU, "
			"records the failure (a warning and the manifest's "
			"failures) and goes on with the next boot. Either way "
			"the run ends incomplete with exit code 6.",
	},
	{
		.name = "offline_retries",
		.type = OPT_INT,
		.off = OFF(offline_retries),
		.def = "2",
		.min = 0,
		.max = 10,
		.help = "How many more times a block's offline is tried, 200 "
			"ms apart, when the kernel refuses it (EBUSY). Each "
			"refusal is an errno sample. A cycle whose offline "
			"stays refused is recorded as failed and its DIMM "
			"removed; the run goes on, and exits with 1.",
	},
	{
		.name = "offline_fill",
		.type = OPT_PCT_LIST,
		.off = OFF(offline_fill),
		.size = JOB_MAX_SIZES,
		.count_off = OFF(noffline_fill),
		.def = "",
		.min = 0,
		.max = 100,
		.help = "Offline with pages to migrate: shares of each block "
			"(\"0, 50%, 90%\") that a guest process fills with "
			"movable anonymous pages after online and keeps until "
			"the offline is done, outside the timed window. Each "
			"share is an axis of the cycles (samples.csv column "
			"offline_fill_pct), and each offline writes the pages "
			"the fill held and what /proc/vmstat says it migrated. "
			"Empty: no fill. Cycles benchmark only.",
	},
	{
		.name = "zone_present",
		.type = OPT_SIZE_LIST,
		.off = OFF(zone_present),
		.size = JOB_MAX_SIZES,
		.count_off = OFF(nzone_present),
		.def = "",
		.min = 0,
		.max = GIB(1024),
		.align = MIB(128),
		.help = "Memory already in the zone the measured blocks join, "
			"e.g. \"0, 8G, 64G\"; each size gets its own boots "
			"and is an axis of the cycles (samples.csv column "
			"zone_present_mib). zone = movable: a DIMM of that "
			"size is added and onlined before the cycles and kept. "
			"zone = normal: boot memory is 3G (below 4G) plus that "
			"size. Memory block size 128M, checked each boot. "
			"Empty: no axis. Cycles benchmark only.",
	},
	{
		.name = "inject_fault",
		.type = OPT_ENUM,
		.off = OFF(inject_fault),
		.def = "none",
		.names = fault_names,
		.help = "TESTING ONLY: a fault injected once per run, right "
			"after the online phase of a cycle. hang-agent: the "
			"agent stops answering; crash-kernel: the guest kernel "
			"panics (sysrq c); offline-busy: the cycle's blocks "
			"are onlined to ZONE_NORMAL and unmovable memory is "
			"pinned there, so the offline fails with EBUSY; "
			"reset-guest: the machine resets under the kernel "
			"(port 0xcf9), as a triple fault does. Flagged in the "
			"manifest.",
	},
	{
		.name = "inject_fault_after",
		.type = OPT_INT,
		.off = OFF(inject_fault_after),
		.def = "0",
		.min = 0,
		.max = 1000000,
		.help = "TESTING ONLY: inject_fault hits the first cycle whose "
			"index in its boot (from 0, warm-up included) is at "
			"least this.",
	},
};

_Static_assert(sizeof(job_opts) / sizeof(job_opts[0]) == JOB_NOPTS,
	       "JOB_NOPTS counts the table");

const struct opt *opt_find(const char *name)
{
	size_t i;

	for (i = 0; i < JOB_NOPTS; i++)
		if (!strcmp(job_opts[i].name, name))
			return &job_opts[i];
	return NULL;
}

/* Tolerates a value outside the enum: it comes from a caller's struct. */
const char *opt_name_at(const char *const *names, int v)
{
	int i;

	for (i = 0; names[i]; i++)
		if (i == v)
			return names[i];
	return "unknown";
}

const char *job_accel_name(enum job_accel a)
{
	return opt_name_at(accel_names, (int)a);
}

const char *job_memmap_name(enum job_memmap m)
{
	return opt_name_at(memmap_names, (int)m);
}

const char *job_source_name(enum job_source s)
{
	return opt_name_at(source_names, (int)s);
}

const char *job_zone_name(enum job_zone z)
{
	return opt_name_at(zone_names, (int)z);
}

const char *job_benchmark_name(enum job_benchmark b)
{
	return opt_name_at(benchmark_names, (int)b);
}

const char *job_fault_name(enum job_fault f)
{
	return opt_name_at(fault_names, (int)f);
}

const char *job_on_hang_name(enum job_on_hang h)
{
	return opt_name_at(on_hang_names, (int)h);
}

void job_defaults(struct job *job)
{
	char msg[256];
	size_t i;

	memset(job, 0, sizeof(*job));
	/* The defaults are text in the table so that help shows exactly
	 * what is applied; the unit tests check that each one parses. */
	for (i = 0; i < JOB_NOPTS; i++)
		opt_set(&job_opts[i], job, job_opts[i].def, msg, sizeof(msg));
}
