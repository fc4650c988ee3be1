// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the job parser (harness/config/job*.c, through job.h):
 * defaults, every option's range edges, lists, every class of error with
 * its exact line, dump/load round trips, help, and the job files in
 * bench/. Paths are relative to the repository root, where `make test`
 * runs the tests. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "config/job.h"
#include "config/kernels.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIB (1ULL << 20)
#define GIB (1ULL << 30)
#define TIB (1ULL << 40)

static void test_oom_edge(void **state);
static void test_block_sizes(void **state);
static void test_kernels(void **state);
static void test_numa(void **state);
static void test_accel_fallback(void **state);
static void test_offline_fill(void **state);
static void test_pmem(void **state);

static const char *const option_names[] = {
	"description",
	"kernel",
	"initramfs",
	"qemu",
	"cmdline_extra",
	"accel",
	"icount_shift",
	"tcg_single_thread",
	"smp",
	"boot_mem",
	"maxmem",
	"slots",
	"sizes",
	"modes",
	"reps",
	"warmup",
	"boots",
	"seed",
	"zone",
	"source",
	"pmem_size",
	"pmem_align",
	"node",
	"block_sizes",
	"kernels",
	"numa_nodes",
	"numa_host_nodes",
	"deep_reps",
	"probe",
	"trace",
	"trace_depth",
	"pmu_events",
	"boot_timeout",
	"kvm_probe_timeout",
	"accel_fallback",
	"phase_timeout",
	"benchmark",
	"oom_targets",
	"oom_cap",
	"oom_online",
	"settle",
	"inject_online_delay",
	"on_hang",
	"offline_retries",
	"offline_fill",
	"zone_present",
	"inject_fault",
	"inject_fault_after",
};

static int load_text(struct job *job, const char *text, struct job_error *err)
{
	return job_load_string(job, "test.job", text, err);
}

static void load_ok(struct job *job, const char *text)
{
	struct job_error err;
	int ret = load_text(job, text, &err);

	if (ret)
		fail_msg("job did not load: %d: %s\n--- job ---\n%s", err.line,
			 err.msg, text);
}

/* Returns the error code after checking its line and message. */
static int load_bad(const char *text, int line, const char *msg)
{
	struct job_error err = {.line = -1};
	struct job job;
	int ret = load_text(&job, text, &err);

	if (ret >= 0)
		fail_msg("job loaded but should fail with line %d: %s\n"
			 "--- job ---\n%s",
			 line, msg, text);
	if (err.line != line || !strstr(err.msg, msg))
		fail_msg("got line %d: \"%s\"\nwant line %d: \"...%s...\"\n"
			 "--- job ---\n%s",
			 err.line, err.msg, line, msg, text);
	return ret;
}

static void path_of(char *buf, size_t len, const char *rel)
{
	snprintf(buf, len, "%s/%s", SRCDIR, rel);
}

/* Writes @len bytes to a new temporary file; returns its path in @path. */
static void write_temp(char *path, size_t plen, const void *data, size_t len)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(path, plen, "%s/mhpbench-test-XXXXXX", dir ? dir : "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static void assert_jobs_equal(const struct job *a, const struct job *b)
{
	int i;

	assert_string_equal(a->description, b->description);
	assert_string_equal(a->kernel, b->kernel);
	assert_string_equal(a->initramfs, b->initramfs);
	assert_string_equal(a->qemu, b->qemu);
	assert_string_equal(a->cmdline_extra, b->cmdline_extra);
	assert_int_equal(a->accel, b->accel);
	assert_int_equal(a->icount_shift, b->icount_shift);
	assert_int_equal(a->smp, b->smp);
	assert_true(a->boot_mem == b->boot_mem);
	assert_true(a->maxmem == b->maxmem);
	assert_int_equal(a->slots, b->slots);
	assert_int_equal(a->nsizes, b->nsizes);
	for (i = 0; i < a->nsizes; i++)
		assert_true(a->sizes[i] == b->sizes[i]);
	assert_int_equal(a->nmodes, b->nmodes);
	for (i = 0; i < a->nmodes; i++)
		assert_int_equal(a->modes[i], b->modes[i]);
	assert_int_equal(a->reps, b->reps);
	assert_int_equal(a->warmup, b->warmup);
	assert_int_equal(a->boots, b->boots);
	assert_true(a->seed == b->seed);
	assert_int_equal(a->zone, b->zone);
	assert_int_equal(a->node, b->node);
	assert_true(a->boot_timeout_ms == b->boot_timeout_ms);
	assert_true(a->kvm_probe_timeout_ms == b->kvm_probe_timeout_ms);
	assert_true(a->phase_timeout_ms == b->phase_timeout_ms);
}

static void assert_defaults(const struct job *job)
{
	assert_string_equal(job->description, "");
	assert_string_equal(job->kernel, "debian");
	assert_string_equal(job->initramfs, "");
	assert_string_equal(job->qemu, "qemu-system-x86_64");
	assert_string_equal(job->cmdline_extra, "");
	assert_int_equal(job->accel, ACCEL_AUTO);
	assert_int_equal(job->icount_shift, 3);
	assert_int_equal(job->smp, 2);
	assert_true(job->boot_mem == 512 * MIB);
	assert_true(job->maxmem == 0);
	assert_int_equal(job->slots, 4);
	assert_int_equal(job->nsizes, 1);
	assert_true(job->sizes[0] == 128 * MIB);
	assert_int_equal(job->nmodes, 2);
	assert_int_equal(job->modes[0], MEMMAP_RAM);
	assert_int_equal(job->modes[1], MEMMAP_SELF);
	assert_int_equal(job->reps, 3);
	assert_int_equal(job->warmup, 1);
	assert_int_equal(job->boots, 1);
	assert_true(job->seed == 1);
	assert_int_equal(job->zone, ZONE_MOVABLE);
	assert_int_equal(job->node, 0);
	assert_true(job->boot_timeout_ms == 120000);
	assert_true(job->kvm_probe_timeout_ms == 20000);
	assert_true(job->phase_timeout_ms == 60000);
}

static void test_defaults(void **state)
{
	struct job job;

	(void)state;
	memset(&job, 0x5a, sizeof(job));
	job_defaults(&job);
	assert_defaults(&job);
	assert_string_equal(job.path, "");
}

/* An empty [job] section is a valid job: every option at its default. */
static void test_empty_section_is_defaults(void **state)
{
	struct job job;

	(void)state;
	load_ok(&job, "[job]\n");
	assert_defaults(&job);
	assert_string_equal(job.path, "test.job");
	load_ok(&job, "; comment\n\n# comment\n[job]\n; comment\n");
	assert_defaults(&job);
}

static void test_all_options(void **state)
{
	struct job_error err;
	struct job job;
	char path[512];

	(void)state;
	path_of(path, sizeof(path), "tests/data/jobs/all-options.job");
	if (job_load(&job, path, &err))
		fail_msg("%s:%d: %s", path, err.line, err.msg);
	assert_string_equal(job.path, path);
	assert_string_equal(job.description, "every option changed");
	assert_int_equal(job.settle_ms, 250);
	assert_string_equal(job.kernel, "/tmp/bzImage");
	assert_string_equal(job.initramfs, "/tmp/initramfs.cpio.gz");
	assert_string_equal(job.qemu, "/usr/local/bin/qemu-system-x86_64");
	assert_string_equal(job.cmdline_extra,
			    "loglevel=8 memhp_default_state=offline");
	assert_int_equal(job.accel, ACCEL_TCG_ICOUNT);
	assert_int_equal(job.icount_shift, 5);
	assert_int_equal(job.smp, 1);
	assert_true(job.boot_mem == GIB);
	assert_true(job.maxmem == 8 * GIB);
	assert_int_equal(job.slots, 16);
	assert_int_equal(job.nsizes, 4);
	assert_true(job.sizes[0] == 2 * GIB);
	assert_true(job.sizes[1] == 128 * MIB);
	assert_true(job.sizes[2] == 1536 * MIB);
	assert_true(job.sizes[3] == 256 * MIB);
	assert_int_equal(job.nmodes, 2);
	assert_int_equal(job.modes[0], MEMMAP_SELF);
	assert_int_equal(job.modes[1], MEMMAP_RAM);
	assert_int_equal(job.reps, 7);
	assert_int_equal(job.warmup, 0);
	assert_int_equal(job.boots, 3);
	assert_true(job.seed == UINT64_MAX);
	assert_int_equal(job.zone, ZONE_NORMAL);
	assert_int_equal(job.node, 1);
	assert_true(job.boot_timeout_ms == 90000);
	assert_true(job.kvm_probe_timeout_ms == 1500);
	assert_true(job.phase_timeout_ms == 120000);
}

static void test_every_enum_value(void **state)
{
	static const struct {
		const char *text;
		int accel;
	} accels[] = {
		{"auto", ACCEL_AUTO},
		{"kvm", ACCEL_KVM},
		{"tcg", ACCEL_TCG},
		{"tcg-icount", ACCEL_TCG_ICOUNT},
	};
	static const struct {
		const char *text;
		int zone;
	} zones[] = {
		{"movable", ZONE_MOVABLE},
		{"normal", ZONE_NORMAL},
		{"auto", ZONE_AUTO},
	};
	char text[128];
	struct job job;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(accels); i++) {
		snprintf(text, sizeof(text), "[job]\naccel = %s\n",
			 accels[i].text);
		load_ok(&job, text);
		assert_int_equal(job.accel, accels[i].accel);
		assert_string_equal(job_accel_name(job.accel), accels[i].text);
	}
	for (i = 0; i < ARRAY_SIZE(zones); i++) {
		snprintf(text, sizeof(text), "[job]\nzone = %s\n",
			 zones[i].text);
		load_ok(&job, text);
		assert_int_equal(job.zone, zones[i].zone);
		assert_string_equal(job_zone_name(job.zone), zones[i].text);
	}
	assert_string_equal(job_memmap_name(MEMMAP_RAM), "ram");
	assert_string_equal(job_memmap_name(MEMMAP_SELF), "self");
	assert_string_equal(job_accel_name((enum job_accel)99), "unknown");
	assert_string_equal(job_memmap_name((enum job_memmap) - 1), "unknown");
	assert_string_equal(job_zone_name((enum job_zone)3), "unknown");
}

enum field_type { F_INT, F_U64, F_I64 };

/* Each option's range edges: @good loads and gives @value; @bad fails on
 * line 2 with @msg. */
struct edge {
	const char *key;
	const char *text;
	bool good;
	size_t off;
	enum field_type type;
	uint64_t value;	 /* good: the stored value */
	const char *msg; /* bad: part of the error message */
};

#define GOOD(k, t, field, ft, v)                                               \
	{                                                                      \
		k, t, true, offsetof(struct job, field), ft, (uint64_t)(v),    \
			NULL                                                   \
	}
#define BAD(k, t, m)                                                           \
	{                                                                      \
		k, t, false, 0, F_INT, 0, m                                    \
	}

static const struct edge edges[] = {
	GOOD("icount_shift", "0", icount_shift, F_INT, 0),
	GOOD("icount_shift", "10", icount_shift, F_INT, 10),
	BAD("icount_shift", "-1", "icount_shift: -1 is out of range 0..10"),
	BAD("icount_shift", "11", "icount_shift: 11 is out of range 0..10"),
	GOOD("smp", "1", smp, F_INT, 1),
	GOOD("smp", "64", smp, F_INT, 64),
	BAD("smp", "0", "smp: 0 is out of range 1..64"),
	BAD("smp", "65", "smp: 65 is out of range 1..64"),
	GOOD("slots", "1", slots, F_INT, 1),
	GOOD("slots", "256", slots, F_INT, 256),
	BAD("slots", "0", "slots: 0 is out of range 1..256"),
	BAD("slots", "257", "slots: 257 is out of range 1..256"),
	GOOD("reps", "1", reps, F_INT, 1),
	GOOD("reps", "100000", reps, F_INT, 100000),
	BAD("reps", "0", "reps: 0 is out of range 1..100000"),
	BAD("reps", "100001", "reps: 100001 is out of range 1..100000"),
	BAD("reps", "99999999999999999999", "out of range 1..100000"),
	BAD("reps", "-99999999999999999999", "out of range 1..100000"),
	GOOD("warmup", "0", warmup, F_INT, 0),
	GOOD("warmup", "1000", warmup, F_INT, 1000),
	BAD("warmup", "-1", "warmup: -1 is out of range 0..1000"),
	BAD("warmup", "1001", "warmup: 1001 is out of range 0..1000"),
	GOOD("boots", "1", boots, F_INT, 1),
	GOOD("boots", "1000", boots, F_INT, 1000),
	BAD("boots", "0", "boots: 0 is out of range 1..1000"),
	BAD("boots", "1001", "boots: 1001 is out of range 1..1000"),
	GOOD("node", "0", node, F_INT, 0),
	GOOD("node", "63", node, F_INT, 63),
	BAD("node", "-1", "node: -1 is out of range 0..63"),
	BAD("node", "64", "node: 64 is out of range 0..63"),
	GOOD("seed", "0", seed, F_U64, 0),
	GOOD("seed", "18446744073709551615", seed, F_U64, UINT64_MAX),
	BAD("seed", "18446744073709551616", "does not fit in 64 bits"),
	BAD("seed", "-1", "seed: '-1' is not a non-negative integer"),
	BAD("seed", "0x10", "seed: '0x10' is not a non-negative integer"),
	GOOD("boot_mem", "128M", boot_mem, F_U64, 128 * MIB),
	GOOD("boot_mem", "1T", boot_mem, F_U64, TIB),
	GOOD("boot_mem", "130M", boot_mem, F_U64, 130 * MIB),
	GOOD("boot_mem", "1048574M", boot_mem, F_U64, 1048574 * MIB),
	BAD("boot_mem", "126M", "boot_mem: 126M is out of range 128M..1T"),
	BAD("boot_mem", "1048578M", "out of range 128M..1T"),
	BAD("boot_mem", "129M", "boot_mem: 129M is not a multiple of 2M"),
	BAD("boot_mem", "134217729", "boot_mem: 134217729 is not a multiple"),
	BAD("boot_mem", "0", "out of range 128M..1T"),
	BAD("boot_mem", "-512M", "boot_mem: '-512M' is not a size"),
	BAD("boot_mem", "99999999T", "boot_mem: '99999999T' is too large"),
	/* maxmem's lower edge is boot_mem + the largest size: 512M + 128M */
	GOOD("maxmem", "0", maxmem, F_U64, 0),
	GOOD("maxmem", "640M", maxmem, F_U64, 640 * MIB),
	GOOD("maxmem", "4T", maxmem, F_U64, 4 * TIB),
	BAD("maxmem", "638M",
	    "maxmem: 638M is less than boot_mem + the "
	    "largest size (512M + 128M = 640M)"),
	BAD("maxmem", "641M", "maxmem: 641M is not a multiple of 2M"),
	GOOD("sizes", "128M", sizes[0], F_U64, 128 * MIB),
	GOOD("sizes", "64G", sizes[0], F_U64, 64 * GIB),
	GOOD("sizes", "65408M", sizes[0], F_U64, 65408 * MIB),
	BAD("sizes", "0", "sizes: 0 is out of range 128M..64G"),
	BAD("sizes", "64M", "sizes: 64M is out of range 128M..64G"),
	BAD("sizes", "65664M", "sizes: 65664M is out of range 128M..64G"),
	BAD("sizes", "192M", "sizes: 192M is not a multiple of 128M"),
	GOOD("boot_timeout", "1s", boot_timeout_ms, F_I64, 1000),
	GOOD("boot_timeout", "1000ms", boot_timeout_ms, F_I64, 1000),
	GOOD("boot_timeout", "1h", boot_timeout_ms, F_I64, 3600000),
	GOOD("boot_timeout", "3600", boot_timeout_ms, F_I64, 3600000),
	BAD("boot_timeout", "999ms",
	    "boot_timeout: 999ms is out of range "
	    "1s..1h"),
	BAD("boot_timeout", "3601s", "boot_timeout: 3601s is out of range"),
	BAD("boot_timeout", "0", "boot_timeout: 0 is out of range 1s..1h"),
	GOOD("kvm_probe_timeout", "1s", kvm_probe_timeout_ms, F_I64, 1000),
	GOOD("kvm_probe_timeout", "10m", kvm_probe_timeout_ms, F_I64, 600000),
	BAD("kvm_probe_timeout", "999ms", "out of range 1s..10m"),
	BAD("kvm_probe_timeout", "601s",
	    "kvm_probe_timeout: 601s is out of "
	    "range 1s..10m"),
	GOOD("phase_timeout", "1s", phase_timeout_ms, F_I64, 1000),
	GOOD("phase_timeout", "60m", phase_timeout_ms, F_I64, 3600000),
	BAD("phase_timeout", "999ms",
	    "phase_timeout: 999ms is out of range "
	    "1s..1h"),
	BAD("phase_timeout", "3600001ms", "out of range 1s..1h"),
	BAD("phase_timeout", "99999999999999999999h", "out of range 1s..1h"),
};

static void test_range_edges(void **state)
{
	char text[256];
	struct job job;
	uint64_t got;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(edges); i++) {
		const struct edge *e = &edges[i];
		const char *field = (const char *)&job + e->off;

		snprintf(text, sizeof(text), "[job]\n%s = %s\n", e->key,
			 e->text);
		if (!e->good) {
			load_bad(text, 2, e->msg);
			continue;
		}
		load_ok(&job, text);
		/* signed fields compare by their two's complement bits */
		if (e->type == F_INT) {
			const int *v = (const void *)field;

			got = (uint64_t)(int64_t)*v;
		} else if (e->type == F_I64) {
			const int64_t *v = (const void *)field;

			got = (uint64_t)*v;
		} else {
			got = *(const uint64_t *)field;
		}
		if (got != e->value)
			fail_msg("%s = %s gave %llu, want %llu", e->key,
				 e->text, (unsigned long long)got,
				 (unsigned long long)e->value);
	}
}

static void test_strings(void **state)
{
	char text[JOB_PATH_MAX + 64];
	struct job job;

	(void)state;
	/* blanks around the value go, blanks inside stay */
	load_ok(&job, "[job]\ndescription =   two  words  \ncmdline_extra = "
		      "a=1 b=2\ninitramfs =\n");
	assert_string_equal(job.description, "two  words");
	assert_string_equal(job.cmdline_extra, "a=1 b=2");
	assert_string_equal(job.initramfs, "");

	/* "key: value" is inih's alternative spelling */
	load_ok(&job, "[job]\nkernel: /boot/vmlinuz\n");
	assert_string_equal(job.kernel, "/boot/vmlinuz");

	/* the longest value that fits: JOB_PATH_MAX - 1 characters */
	snprintf(text, sizeof(text), "[job]\nkernel = /%0*d\n",
		 JOB_PATH_MAX - 2, 0);
	load_ok(&job, text);
	assert_int_equal(strlen(job.kernel), JOB_PATH_MAX - 1);
	snprintf(text, sizeof(text), "[job]\nkernel = /%0*d\n",
		 JOB_PATH_MAX - 1, 0);
	load_bad(text, 2, "kernel: longer than 4095 characters");

	load_bad("[job]\nkernel =\n", 2, "kernel: must not be empty");
	load_bad("[job]\nreps = 3\nqemu = \n", 3, "qemu: must not be empty");
}

static void test_lists(void **state)
{
	char text[1024];
	struct job job;
	int i, n;

	(void)state;
	load_ok(&job, "[job]\nsizes = 2G,128M , 1536M,\t256MiB\n");
	assert_int_equal(job.nsizes, 4);
	assert_true(job.sizes[0] == 2 * GIB);
	assert_true(job.sizes[1] == 128 * MIB);
	assert_true(job.sizes[2] == 1536 * MIB);
	assert_true(job.sizes[3] == 256 * MIB);

	load_ok(&job, "[job]\nmodes = self\n");
	assert_int_equal(job.nmodes, 1);
	assert_int_equal(job.modes[0], MEMMAP_SELF);
	load_ok(&job, "[job]\nmodes = SELF, Ram\n");
	assert_int_equal(job.nmodes, 2);
	assert_int_equal(job.modes[0], MEMMAP_SELF);
	assert_int_equal(job.modes[1], MEMMAP_RAM);

	/* JOB_MAX_SIZES entries fit; one more does not */
	n = snprintf(text, sizeof(text), "[job]\nsizes = ");
	for (i = 1; i <= JOB_MAX_SIZES; i++)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "%s%dM",
			      i > 1 ? "," : "", 128 * i);
	snprintf(text + n, sizeof(text) - (size_t)n, "\n");
	load_ok(&job, text);
	assert_int_equal(job.nsizes, JOB_MAX_SIZES);
	assert_true(job.sizes[JOB_MAX_SIZES - 1] ==
		    128ULL * JOB_MAX_SIZES * MIB);
	snprintf(text + n, sizeof(text) - (size_t)n, ",%dM\n",
		 128 * (JOB_MAX_SIZES + 1));
	load_bad(text, 2, "sizes: more than 32 entries");

	load_bad("[job]\nsizes = 128M,256M,128M\n", 2,
		 "sizes: 128M is listed twice");
	/* the same size in other words is still the same size */
	load_bad("[job]\nsizes = 256M, 1G, 256MiB\n", 2,
		 "sizes: 256M is listed twice");
	load_bad("[job]\nsizes = 1G,1024M\n", 2, "sizes: 1G is listed twice");
	load_bad("[job]\nmodes = ram,ram\n", 2, "modes: ram is listed twice");
	load_bad("[job]\nmodes = self, SELF\n", 2,
		 "modes: self is listed twice");
	load_bad("[job]\nmodes = ram,self,ram\n", 2,
		 "modes: ram is listed twice");
	load_bad("[job]\nmodes = ram,both\n", 2,
		 "modes: 'both' is not one of ram, self");
	load_bad("[job]\nsizes = 128M,,256M\n", 2,
		 "sizes: empty entry in the list");
	load_bad("[job]\nsizes = 128M,\n", 2, "sizes: empty entry in the list");
	load_bad("[job]\nsizes =\n", 2, "sizes: the list is empty");
	load_bad("[job]\nmodes = \n", 2, "modes: the list is empty");
	load_bad("[job]\nsizes = 128M 256M\n", 2,
		 "sizes: '128M 256M' is not a size");
}

/* One row per error class: the text, the line the error must name and a
 * part of its message. */
struct error_case {
	const char *name;
	const char *text;
	int line;
	const char *msg;
};

static const struct error_case error_cases[] = {
	{"unknown key, with a suggestion",
	 "[job]\nreps = 3\n; comment\nrep = 3\n", 4,
	 "unknown key 'rep' (did you mean 'reps'?)"},
	{"unknown key, suggestion for a longer typo",
	 "[job]\nboot_memory = 1G\n", 2,
	 "unknown key 'boot_memory' (did you mean 'boot_mem'?)"},
	{"unknown key, wrong case", "[job]\n\nSMP = 2\n", 3,
	 "unknown key 'SMP' (did you mean 'smp'?)"},
	{"unknown key, nothing close", "[job]\nfrobnicate = 1\n", 2,
	 "unknown key 'frobnicate'"},
	{"missing key", "[job]\n= 3\n", 2, "missing key before '='"},
	{"key outside a section", "; comment\nreps = 3\n[job]\n", 2,
	 "'reps' is outside a section"},
	{"unknown section", "[job]\nreps = 3\n\n[global]\nsmp = 1\n", 4,
	 "unknown section [global]"},
	{"unknown section first", "[jobs]\n", 1, "unknown section [jobs]"},
	{"duplicate key", "[job]\nreps = 3\nsmp = 1\n\nreps = 4\n", 5,
	 "duplicate key 'reps' (first set at line 2)"},
	{"duplicate list key", "[job]\nsizes = 128M\nsizes = 256M\n", 3,
	 "duplicate key 'sizes' (first set at line 2)"},
	{"second [job] section", "[job]\nreps = 3\n[job]\nsmp = 1\n", 3,
	 "second [job] section (the first is at line 1)"},
	{"wrong type, integer", "[job]\nreps = three\n", 2,
	 "reps: 'three' is not an integer"},
	{"wrong type, fraction", "[job]\nsmp = 1.5\n", 2,
	 "smp: '1.5' is not an integer"},
	{"wrong type, empty integer", "[job]\nreps =\n", 2,
	 "reps: '' is not an integer"},
	{"wrong type, plus sign", "[job]\nreps = +3\n", 2,
	 "reps: '+3' is not an integer"},
	{"wrong type, size", "[job]\nboot_mem = lots\n", 2,
	 "boot_mem: 'lots' is not a size"},
	{"wrong type, size unit", "[job]\nboot_mem = 512MB\n", 2,
	 "boot_mem: '512MB' is not a size"},
	{"wrong type, duration", "[job]\nphase_timeout = soon\n", 2,
	 "phase_timeout: 'soon' is not a duration"},
	{"wrong type, negative duration", "[job]\nboot_timeout = -5s\n", 2,
	 "boot_timeout: '-5s' is not a duration"},
	{"bad choice", "[job]\naccel = xen\n", 2,
	 "accel: 'xen' is not one of auto, kvm, tcg, tcg-icount"},
	{"bad zone", "[job]\nzone = dma\n", 2,
	 "zone: 'dma' is not one of movable, normal, auto"},
	{"out of range", "[job]\n\n\nreps = 0\n", 4,
	 "reps: 0 is out of range 1..100000"},
	{"not a multiple", "[job]\nsizes = 128M, 200M\n", 2,
	 "sizes: 200M is not a multiple of 128M"},
	{"list duplicate", "[job]\nsizes = 128M,1G,128M\n", 2,
	 "sizes: 128M is listed twice"},
	{"empty file", "", 0, "the file is empty"},
	{"blank lines only", "\n\n  \n", 0, "no [job] section"},
	{"comments only", "; just a comment\n# another\n", 0,
	 "no [job] section"},
	{"syntax, no '='", "[job]\nreps 3\n", 2,
	 "expected 'key = value', '[job]' or a comment, got 'reps 3'"},
	/* continuation lines are off: an indented value is not glued on */
	{"syntax, continuation line", "[job]\nsizes = 128M\n  256M\n", 3,
	 "expected 'key = value', '[job]' or a comment, got '256M'"},
	{"syntax, unclosed section", "[job\nreps = 3\n", 1,
	 "section header without a closing ']'"},
	{"cross-key, maxmem",
	 "[job]\nmaxmem = 1G\nboot_mem = 512M\n"
	 "sizes = 128M, 1G\n",
	 2,
	 "maxmem: 1G is less than boot_mem + the largest size "
	 "(512M + 1G = 1536M)"},
	{"cross-key, maxmem after sizes", "[job]\nsizes = 2G\n\nmaxmem = 2G\n",
	 4, "maxmem: 2G is less than boot_mem + the largest size"},
	{"first error wins, syntax before key",
	 "[job]\nreps 3\nfrobnicate = 1\n", 2, "expected 'key = value'"},
	{"first error wins, key before syntax",
	 "[job]\nfrobnicate = 1\nreps 3\n", 2, "unknown key 'frobnicate'"},
	{"first error wins, value before cross-key",
	 "[job]\nmaxmem = 256M\nreps = 0\n", 3, "reps: 0 is out of range"},
	{"line numbers with CRLF", "[job]\r\nreps = 3\r\nsmp = 0\r\n", 3,
	 "smp: 0 is out of range 1..64"},
	{"line numbers after a BOM", "\xef\xbb\xbf[job]\nfoo = 1\n", 2,
	 "unknown key 'foo'"},
	{"no newline at the end", "[job]\nreps = 3\nsmp = 99", 3,
	 "smp: 99 is out of range"},
	{"inline comment does not hide the error",
	 "[job]\nreps = 0 ; zero reps\n", 2, "reps: 0 is out of range"},
	{"invalid UTF-8", "[job]\nreps = 3\ndescription = caf\xe9\n", 3,
	 "invalid UTF-8 in column 18"},
	{"overlong UTF-8", "[job]\ndescription = \xc0\xaf\n", 2,
	 "invalid UTF-8 in column 15"},
	{"UTF-16 surrogate", "[job]\ndescription = \xed\xa0\x80\n", 2,
	 "invalid UTF-8"},
	{"control character", "[job]\n\x1b[31mreps = 3\n", 2,
	 "control character 0x1b in column 1"},
};

static void run_error_case(void **state)
{
	const struct error_case *c = *state;

	assert_int_equal(load_bad(c->text, c->line, c->msg), -EINVAL);
}

static void test_error_leaves_job_alone(void **state)
{
	struct job_error err;
	struct job job, before;

	(void)state;
	load_ok(&job, "[job]\nreps = 17\n");
	before = job;
	assert_int_equal(load_text(&job, "[job]\nsmp = 8\nreps = 0\n", &err),
			 -EINVAL);
	assert_jobs_equal(&job, &before);
	assert_int_equal(job.reps, 17);
	assert_int_equal(job.smp, 2);
	/* and a NULL error is allowed */
	assert_int_equal(load_text(&job, "[job]\nreps = 0\n", NULL), -EINVAL);
}

static void test_no_suggestion_when_far(void **state)
{
	struct job_error err;
	struct job job;

	(void)state;
	assert_int_equal(load_text(&job, "[job]\nfrobnicate = 1\n", &err),
			 -EINVAL);
	assert_null(strstr(err.msg, "did you mean"));
	assert_int_equal(load_text(&job, "[job]\nx = 1\n", &err), -EINVAL);
	assert_null(strstr(err.msg, "did you mean"));
}

static void test_comments(void **state)
{
	struct job job;

	(void)state;
	load_ok(&job, "; leading\n# leading\n[job] ; the only section\n"
		      "reps = 5 ; five\nsmp = 3 # three\n  ; indented\n"
		      "description = a;b#c\n");
	assert_int_equal(job.reps, 5);
	assert_int_equal(job.smp, 3);
	/* only ';' or '#' after a blank starts a comment */
	assert_string_equal(job.description, "a;b#c");
}

static void test_long_lines(void **state)
{
	size_t len = 6000;
	char *text = malloc(len + 64);
	int n;

	(void)state;
	assert_non_null(text);
	n = sprintf(text, "[job]\nreps = 3\ndescription = ");
	memset(text + n, 'x', len);
	strcpy(text + n + len, "\nsmp = 1\n");
	load_bad(text, 3, "line is longer than");
	free(text);
}

static void test_binary_file(void **state)
{
	static const char nul[] = "[job]\nreps = 3\nsm\0p = 2\n";
	struct job_error err;
	unsigned char junk[512];
	struct job job;
	char path[256];
	size_t i;

	(void)state;
	write_temp(path, sizeof(path), nul, sizeof(nul) - 1);
	assert_int_equal(job_load(&job, path, &err), -EINVAL);
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.msg, "NUL byte in column 3"));
	unlink(path);

	/* an ELF header: binary on line 1 */
	write_temp(path, sizeof(path),
		   "\x7f"
		   "ELF\x02\x01\x01\0\0\0",
		   10);
	assert_int_equal(job_load(&job, path, &err), -EINVAL);
	assert_int_equal(err.line, 1);
	assert_non_null(strstr(err.msg, "control character 0x7f"));
	unlink(path);

	/* random bytes: an error with a line, never a crash */
	srand(1);
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)rand();
	write_temp(path, sizeof(path), junk, sizeof(junk));
	assert_int_equal(job_load(&job, path, &err), -EINVAL);
	assert_true(err.line >= 1);
	assert_true(err.msg[0]);
	unlink(path);
}

/* Random damage to a good job must give 0 or an error that names a line in
 * the file (or 0 for the file as a whole) and says something. */
static void test_fuzz_never_crashes(void **state)
{
	static const char base[] =
		"; comment\n[job]\nsizes = 128M,256M\nmodes = ram,self\n"
		"reps = 3\nboot_mem = 512M\nmaxmem = 4G\nphase_timeout = 60s\n"
		"accel = tcg\n";
	char text[sizeof(base) + 8];
	uint32_t x = 12345;
	struct job_error err;
	struct job job;
	int i, k, lines;

	(void)state;
	for (i = 0; i < 20000; i++) {
		memcpy(text, base, sizeof(base));
		for (k = 0; k < 1 + i % 4; k++) {
			x = x * 1103515245 + 12345;
			/* never a NUL: this is a C string */
			text[(x >> 8) % (sizeof(base) - 1)] =
				(char)(1 + (x >> 20) % 255);
		}
		lines = 1;
		for (k = 0; text[k]; k++)
			lines += text[k] == '\n';
		if (load_text(&job, text, &err) == 0)
			continue;
		if (err.line < 0 || err.line > lines || !err.msg[0])
			fail_msg("bad error %d: '%s' for\n%s", err.line,
				 err.msg, text);
	}
}

static void test_missing_file(void **state)
{
	const char *path = "/nonexistent/mhpbench/no.job";
	struct job_error err;
	struct job job;

	(void)state;
	assert_int_equal(job_load(&job, path, &err), -ENOENT);
	assert_int_equal(err.line, 0);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, strerror(ENOENT)));
}

static void test_directory(void **state)
{
	struct job_error err;
	struct job job;
	char path[512];

	(void)state;
	path_of(path, sizeof(path), "tests/data/jobs");
	assert_int_equal(job_load(&job, path, &err), -EISDIR);
	assert_int_equal(err.line, 0);
	assert_non_null(strstr(err.msg, strerror(EISDIR)));
}

static void test_fixture_errors(void **state)
{
	struct job_error err;
	struct job job;
	char path[512];

	(void)state;
	path_of(path, sizeof(path), "tests/data/jobs/typo.job");
	assert_int_equal(job_load(&job, path, &err), -EINVAL);
	assert_int_equal(err.line, 9);
	assert_string_equal(err.msg,
			    "unknown key 'rep' (did you mean 'reps'?)");

	path_of(path, sizeof(path), "tests/data/jobs/maxmem-too-small.job");
	assert_int_equal(job_load(&job, path, &err), -EINVAL);
	assert_int_equal(err.line, 6);
	assert_non_null(strstr(err.msg, "maxmem: 1G is less than"));
}

static void round_trip(const struct job *job)
{
	struct job_error err;
	struct job again;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&text, &len);
	assert_non_null(f);
	job_dump(job, f);
	assert_int_equal(fclose(f), 0);
	if (load_text(&again, text, &err))
		fail_msg("dump did not load: %d: %s\n%s", err.line, err.msg,
			 text);
	assert_jobs_equal(job, &again);
	free(text);
}

static void test_round_trip(void **state)
{
	static const char *const files[] = {
		"bench/quick.job",	"bench/full.job",
		"bench/blocksweep.job", /* block_sizes: maxmem dumps as 0 */
		"bench/numa.job",	"tests/data/jobs/all-options.job",
	};
	struct job_error err;
	struct job job;
	char path[512];
	size_t i;

	(void)state;
	job_defaults(&job);
	round_trip(&job);
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		path_of(path, sizeof(path), files[i]);
		if (job_load(&job, path, &err))
			fail_msg("%s:%d: %s", path, err.line, err.msg);
		round_trip(&job);
	}
	/* values whose text changes on the way: 1024M becomes 1G, 90s
	 * stays 90s, 120s becomes 2m, 1500ms stays 1500ms */
	load_ok(&job, "[job]\nsizes = 1024M, 3072M, 128M\nboot_mem = 1026M\n"
		      "boot_timeout = 90s\nphase_timeout = 120s\n"
		      "kvm_probe_timeout = 1500ms\nmaxmem = 8388608K\n");
	round_trip(&job);
}

static char *dump_text(const struct job *job)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	job_dump(job, f);
	assert_int_equal(fclose(f), 0);
	return text;
}

static void test_dump_format(void **state)
{
	struct job job;
	char *text, *line, *save = NULL;
	size_t i, n = 0;

	(void)state;
	job_defaults(&job);
	text = dump_text(&job);
	assert_true(!strncmp(text, "[job]\n", 6));
	assert_non_null(strstr(text, "\nboot_mem            = 512M\n"));
	assert_non_null(strstr(text, "\nsizes               = 128M\n"));
	assert_non_null(strstr(text, "\nmodes               = ram,self\n"));
	assert_non_null(strstr(text, "\nboot_timeout        = 2m\n"));
	assert_non_null(strstr(text, "\ndescription         =\n"));
	/* every option, once, in table order */
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strcmp(line, "[job]"))
			continue;
		assert_true(n < ARRAY_SIZE(option_names));
		i = strlen(option_names[n]);
		if (strncmp(line, option_names[n], i) || line[i] != ' ')
			fail_msg("line '%s', want option '%s'", line,
				 option_names[n]);
		n++;
	}
	assert_int_equal(n, ARRAY_SIZE(option_names));
	free(text);
}

/* The spec grammar itself: what is a series, what is no spec of one. */
static void test_debian_series(void **state)
{
	static const char *const bad[] = {
		"debian-",	 "debian-6",	  "debian-6.",
		"debian-.12",	 "debian-6.12.1", "debian-6.x",
		"debian-06.1",	 "debian-6.012",  "debian-123.1",
		"debian-6.1234", "debian-6.12 ",  "debian-six",
	};
	char s[KERNELS_SERIES_MAX], why[256];

	(void)state;
	assert_int_equal(kernels_debian_series("debian-6.12", s, sizeof(s), why,
					       sizeof(why)),
			 1);
	assert_string_equal(s, "6.12");
	assert_int_equal(kernels_debian_series("debian-6.1", s, sizeof(s), why,
					       sizeof(why)),
			 1);
	assert_string_equal(s, "6.1");
	assert_int_equal(kernels_debian_series("debian-10.0", s, sizeof(s), why,
					       sizeof(why)),
			 1);
	/* Not a series spec at all: the default, paths, directories. */
	assert_int_equal(
		kernels_debian_series("debian", s, sizeof(s), why, sizeof(why)),
		0);
	assert_int_equal(kernels_debian_series("./debian-6.12", s, sizeof(s),
					       why, sizeof(why)),
			 0);
	assert_int_equal(kernels_debian_series("/boot/vmlinuz", s, sizeof(s),
					       why, sizeof(why)),
			 0);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		why[0] = '\0';
		assert_int_equal(kernels_debian_series(bad[i], s, sizeof(s),
						       why, sizeof(why)),
				 -EINVAL);
		assert_non_null(strstr(why, "debian-MAJOR.MINOR"));
	}
}

static void test_help(void **state)
{
	char *text = NULL, *line, *save = NULL, want[64];
	size_t len = 0, i;
	FILE *f;

	(void)state;
	f = open_memstream(&text, &len);
	assert_non_null(f);
	job_help(f);
	assert_int_equal(fclose(f), 0);
	for (i = 0; i < ARRAY_SIZE(option_names); i++) {
		snprintf(want, sizeof(want), "\n%s (", option_names[i]);
		if (!strstr(text, want))
			fail_msg("help lacks option %s", option_names[i]);
	}
	assert_non_null(strstr(text, "boot_mem (size)  default: 512M  range: "
				     "128M..1T, multiple of 2M"));
	assert_non_null(strstr(text, "reps (integer)  default: 3  range: "
				     "1..100000"));
	assert_non_null(strstr(text, "accel (choice)  default: auto  range: "
				     "auto|kvm|tcg|tcg-icount"));
	assert_non_null(strstr(text, "boot_timeout (duration)  default: 120s  "
				     "range: 1s..1h"));
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (strlen(line) > 80)
			fail_msg("help line longer than 80 columns: '%s'",
				 line);
	free(text);
}

static void test_bench_quick(void **state)
{
	static const uint64_t sizes[] = {128 * MIB, 256 * MIB, 512 * MIB, GIB,
					 2 * GIB};
	struct job_error err;
	struct job job;
	char path[512];
	size_t i;

	(void)state;
	path_of(path, sizeof(path), "bench/quick.job");
	if (job_load(&job, path, &err))
		fail_msg("%s:%d: %s", path, err.line, err.msg);
	assert_true(job.description[0]);
	assert_string_equal(job.kernel, "debian");
	assert_int_equal(job.accel, ACCEL_AUTO);
	assert_true(job.boot_mem == 512 * MIB);
	assert_int_equal(job.slots, 4);
	assert_int_equal(job.nsizes, ARRAY_SIZE(sizes));
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		assert_true(job.sizes[i] == sizes[i]);
	assert_int_equal(job.nmodes, 2);
	assert_int_equal(job.modes[0], MEMMAP_RAM);
	assert_int_equal(job.modes[1], MEMMAP_SELF);
	assert_int_equal(job.reps, 3);
	assert_int_equal(job.warmup, 1);
	assert_int_equal(job.boots, 1);
	assert_true(job.seed == 1);
	assert_int_equal(job.zone, ZONE_MOVABLE);
}

static void test_bench_full(void **state)
{
	struct job_error err;
	struct job quick, full;
	char path[512];
	int i;

	(void)state;
	path_of(path, sizeof(path), "bench/quick.job");
	assert_int_equal(job_load(&quick, path, &err), 0);
	path_of(path, sizeof(path), "bench/full.job");
	if (job_load(&full, path, &err))
		fail_msg("%s:%d: %s", path, err.line, err.msg);
	assert_int_equal(full.reps, 10);
	assert_int_equal(full.boots, 2);
	/* otherwise the same sweep as quick.job */
	assert_int_equal(full.nsizes, quick.nsizes);
	for (i = 0; i < quick.nsizes; i++)
		assert_true(full.sizes[i] == quick.sizes[i]);
	full.reps = quick.reps;
	full.boots = quick.boots;
	strcpy(full.description, quick.description);
	assert_jobs_equal(&full, &quick);
}

static const struct CMUnitTest fixed_tests[] = {
	cmocka_unit_test(test_defaults),
	cmocka_unit_test(test_empty_section_is_defaults),
	cmocka_unit_test(test_all_options),
	cmocka_unit_test(test_every_enum_value),
	cmocka_unit_test(test_range_edges),
	cmocka_unit_test(test_strings),
	cmocka_unit_test(test_lists),
	cmocka_unit_test(test_error_leaves_job_alone),
	cmocka_unit_test(test_no_suggestion_when_far),
	cmocka_unit_test(test_comments),
	cmocka_unit_test(test_long_lines),
	cmocka_unit_test(test_binary_file),
	cmocka_unit_test(test_fuzz_never_crashes),
	cmocka_unit_test(test_missing_file),
	cmocka_unit_test(test_directory),
	cmocka_unit_test(test_fixture_errors),
	cmocka_unit_test(test_round_trip),
	cmocka_unit_test(test_dump_format),
	cmocka_unit_test(test_oom_edge),
	cmocka_unit_test(test_offline_fill),
	cmocka_unit_test(test_pmem),
	cmocka_unit_test(test_block_sizes),
	cmocka_unit_test(test_kernels),
	cmocka_unit_test(test_debian_series),
	cmocka_unit_test(test_accel_fallback),
	cmocka_unit_test(test_numa),
	cmocka_unit_test(test_help),
	cmocka_unit_test(test_bench_quick),
	cmocka_unit_test(test_bench_full),
};

/* benchmark = oom-edge: its options and the checks between them. */
/* offline_fill: whole percentages with or without %, an axis in the
 * order given; bad values at their line with exit 2's message. */
static void test_offline_fill(void **state)
{
	struct job job;
	char dump[8192];
	FILE *f;

	(void)state;
	load_ok(&job, "[job]\n");
	assert_int_equal(job.noffline_fill, 0);
	load_ok(&job, "[job]\noffline_fill = 0, 50%, 90 ,100%\n");
	assert_int_equal(job.noffline_fill, 4);
	assert_int_equal(job.offline_fill[0], 0);
	assert_int_equal(job.offline_fill[1], 50);
	assert_int_equal(job.offline_fill[2], 90);
	assert_int_equal(job.offline_fill[3], 100);
	/* the dump reads back to the same job */
	f = fmemopen(dump, sizeof(dump), "w");
	job_dump(&job, f);
	fclose(f);
	assert_non_null(strstr(dump, "offline_fill        = 0%,50%,90%,100%"));
	load_ok(&job, dump);
	assert_int_equal(job.noffline_fill, 4);
	assert_int_equal(job.offline_fill[3], 100);
	load_bad("[job]\nreps = 1\noffline_fill = 0, 101%\n", 3,
		 "offline_fill: 101% is out of range 0..100");
	load_bad("[job]\noffline_fill = -5%\n", 2,
		 "offline_fill: -5% is out of range 0..100");
	load_bad("[job]\noffline_fill = half\n", 2,
		 "offline_fill: 'half' is not a percentage");
	load_bad("[job]\noffline_fill = 50%%\n", 2,
		 "offline_fill: '50%%' is not a percentage");
	load_bad("[job]\noffline_fill = 50, 50%\n", 2,
		 "offline_fill: 50% is listed twice");
	load_bad("[job]\noffline_fill = 10,,20\n", 2,
		 "offline_fill: empty entry in the list");
	/* the offline must have room to migrate the fill into */
	load_ok(&job, "[job]\nsizes = 128M\noffline_fill = 90%\n");
	load_bad("[job]\nsizes = 128M, 1G\noffline_fill = 0, 90%\n", 3,
		 "offline_fill: 90% of a 1G DIMM must be migrated into boot "
		 "memory, but boot_mem is 512M; it needs at least 1050M");
	load_ok(&job, "[job]\nsizes = 1G\nboot_mem = 1152M\n"
		      "offline_fill = 90%\n");
	load_bad("[job]\nbenchmark = oom-edge\noom_targets = 32M\n"
		 "offline_fill = 50%\n",
		 4, "offline_fill: benchmark = oom-edge has no offline");
}

/* source = pmem: the region's size and alignment, where it must fit,
 * and what it does not combine with; each error at its line. */
static void test_pmem(void **state)
{
	struct job job;

	(void)state;
	load_ok(&job, "[job]\n");
	assert_int_equal(job.source, SOURCE_DIMM);
	load_ok(&job, "[job]\nsource = pmem\n");
	assert_int_equal(job.source, SOURCE_PMEM);
	assert_true(job.pmem_size == 512 * MIB);
	assert_true(job.pmem_align == 2 * MIB);
	load_ok(&job, "[job]\nsource = pmem\npmem_size = 2G\n"
		      "pmem_align = 4K\n");
	assert_true(job.pmem_size == 2 * GIB);
	load_bad("[job]\nsource = cxl\n", 2, "source: 'cxl'");
	load_bad("[job]\nsource = pmem\npmem_size = 4G\n", 3,
		 "pmem_size: 4G is out of range");
	load_bad("[job]\nsource = pmem\npmem_size = 600M\n", 3,
		 "pmem_size: 600M is not a multiple of 128M");
	load_bad("[job]\nsource = pmem\nboot_mem = 2G\npmem_size = 2G\n", 4,
		 "pmem_size: 2G does not fit boot memory: boot_mem 2G + "
		 "pmem_size = 4G");
	load_bad("[job]\nsource = pmem\nboot_mem = 256M\n", 3,
		 "boot_mem: 256M is too small for source = pmem");
	load_bad("[job]\nsource = pmem\nboot_mem = 520M\n", 3,
		 "boot_mem: 520M is not a multiple of 128M");
	load_bad("[job]\nsource = pmem\npmem_align = 64K\n", 3,
		 "pmem_align: 64K is not an alignment the kernel takes");
	load_bad("[job]\nsource = pmem\npmem_align = 1G\n", 3,
		 "pmem_align: 1G is not an alignment the kernel takes");
	load_ok(&job, "[job]\nsource = pmem\nbenchmark = oom-edge\n"
		      "oom_targets = 32M\n");
	load_bad("[job]\nsource = pmem\nblock_sizes = 128M\n", 3,
		 "block_sizes: not with source = pmem");
	load_bad("[job]\nsource = pmem\nnuma_nodes = 512M:0-1\n", 3,
		 "numa_nodes: not with source = pmem");
}

static void test_oom_edge(void **state)
{
	struct job job;
	struct job_error err;

	(void)state;
	assert_int_equal(
		load_text(&job,
			  "[job]\nbenchmark = oom-edge\n"
			  "oom_targets = 64M,32M,16M,8M\n"
			  "oom_cap = 16\nslots = 16\noom_online = yes\n",
			  &err),
		0);
	assert_int_equal(job.benchmark, BENCH_OOM_EDGE);
	assert_int_equal(job.noom_targets, 4);
	assert_true(job.oom_targets[1] == 32ULL << 20);
	assert_int_equal(job_oom_cap(&job), 16);
	assert_int_equal(job.oom_online, JOB_YES);
	/* cap 0 means the slot count */
	assert_int_equal(load_text(&job,
				   "[job]\nbenchmark = oom-edge\n"
				   "slots = 24\n",
				   &err),
			 0);
	assert_int_equal(job_oom_cap(&job), 24);
	/* F = 0 */
	assert_int_equal(load_text(&job,
				   "[job]\nbenchmark = oom-edge\n"
				   "oom_targets = 0\n",
				   &err),
			 -EINVAL);
	assert_int_equal(err.line, 3);
	/* F at or above boot memory */
	assert_int_equal(load_text(&job,
				   "[job]\nbenchmark = oom-edge\n"
				   "oom_targets = 512M\n",
				   &err),
			 -EINVAL);
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.msg, "not below boot_mem"));
	/* one DIMM size only */
	assert_int_equal(load_text(&job,
				   "[job]\nbenchmark = oom-edge\n"
				   "sizes = 128M,256M\n",
				   &err),
			 -EINVAL);
	assert_int_equal(err.line, 3);
	/* more DIMMs than slots */
	assert_int_equal(load_text(&job,
				   "[job]\nbenchmark = oom-edge\n"
				   "slots = 4\noom_cap = 8\n",
				   &err),
			 -EINVAL);
	assert_int_equal(err.line, 4);
	/* maxmem must hold the cap's worth of DIMMs */
	assert_int_equal(load_text(&job,
				   "[job]\nbenchmark = oom-edge\n"
				   "slots = 8\nmaxmem = 1G\n",
				   &err),
			 -EINVAL);
	assert_int_equal(err.line, 4);
}

int main(void)
{
	/* one group, so that TAP output has one plan; each error class is a
	 * test of its own so that a failure names it */
	struct CMUnitTest
		tests[ARRAY_SIZE(fixed_tests) + ARRAY_SIZE(error_cases)];
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(fixed_tests); i++)
		tests[n++] = fixed_tests[i];
	for (i = 0; i < ARRAY_SIZE(error_cases); i++)
		tests[n++] = (struct CMUnitTest){
			.name = error_cases[i].name,
			.test_func = run_error_case,
			.initial_state = (void *)&error_cases[i],
		};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* block_sizes, and `block` as a DIMM size. */
static void test_block_sizes(void **state)
{
	struct job job;

	(void)state;
	load_ok(&job, "[job]\nblock_sizes = 128M,256M,512M,1G,2G\n"
		      "sizes = block\n");
	assert_int_equal(job.nblock_sizes, 5);
	assert_int_equal(job.block_sizes[4], 2 * GIB);
	assert_int_equal(job.nsizes, 1);
	assert_int_equal(job.sizes[0], JOB_SIZE_BLOCK);
	assert_int_equal(job_dimm_size(&job, 0, GIB), GIB);
	assert_int_equal(job_largest_dimm(&job), 2 * GIB);
	load_ok(&job, "[job]\nsizes = 2G, block\n");
	assert_int_equal(job_dimm_size(&job, 0, 128 * MIB), 2 * GIB);
	assert_int_equal(job_dimm_size(&job, 1, 128 * MIB), 128 * MIB);
	/* The default is empty and an empty value keeps it so. */
	load_ok(&job, "[job]\nblock_sizes =\n");
	assert_int_equal(job.nblock_sizes, 0);
	load_bad("[job]\nblock_sizes = 384M\n", 2, "not a power of two");
	load_bad("[job]\nblock_sizes = 4G\n", 2, "out of range");
	load_bad("[job]\nblock_sizes = 64M\n", 2, "out of range");
	load_bad("[job]\nblock_sizes = 1G,1G\n", 2, "listed twice");
	load_bad("[job]\nsizes = block, block\n", 2, "block is listed twice");
	load_bad("[job]\nblock_sizes = 128M\nboot_mem = 64G\n", 2,
		 "128M blocks need boot memory ending below 64G");
	load_bad("[job]\nblock_sizes = 1G\nmaxmem = 80G\n", 3,
		 "maxmem: not with block_sizes");
	load_bad("[job]\nbenchmark = oom-edge\noom_targets = 32M\n"
		 "block_sizes = 1G\n",
		 4, "sweep block sizes with benchmark = cycles");
}

/* The kernels axis and [kernel LABEL] sections. */
static void test_kernels(void **state)
{
	struct job job;
	char *text;

	(void)state;
	load_ok(&job, "[job]\nkernels = base:debian, patched:/k/bzImage\n"
		      "\n[kernel patched]\ncmdline_extra = foo=1\n"
		      "modules = /k/modules\n");
	assert_int_equal(job.nkernels, 2);
	assert_string_equal(job.kernels[0].label, "base");
	assert_string_equal(job.kernels[0].image, "debian");
	assert_string_equal(job.kernels[0].cmdline_extra, "");
	assert_string_equal(job.kernels[1].label, "patched");
	assert_string_equal(job.kernels[1].image, "/k/bzImage");
	assert_string_equal(job.kernels[1].cmdline_extra, "foo=1");
	assert_string_equal(job.kernels[1].modules, "/k/modules");
	assert_int_equal(job.kernels[1].line, 4);
	/* The dump reads back to the same kernels. */
	text = dump_text(&job);
	load_ok(&job, text);
	free(text);
	assert_int_equal(job.nkernels, 2);
	assert_string_equal(job.kernels[1].cmdline_extra, "foo=1");
	/* A section may come first. */
	load_ok(&job, "[kernel a]\ncmdline_extra = x\n[job]\nkernels = "
		      "a:debian\n");
	assert_string_equal(job.kernels[0].cmdline_extra, "x");

	load_bad("[job]\nkernels = base\n", 2, "is not label:image");
	load_bad("[job]\nkernels = a:debian, a:/x\n", 2, "a is listed twice");
	load_bad("[job]\nkernels = a b:debian\n", 2, "' ' in a label");
	load_bad("[job]\nkernels = a:\n", 2, "a has no image");
	load_bad("[job]\nkernels = -a:debian\n", 2,
		 "starts with a letter or digit");
	load_bad("[job]\nkernel = /x\nkernels = a:debian\n", 2,
		 "set kernels or kernel, not both");
	load_bad("[job]\nkernels = a:debian\n[kernel b]\n", 3,
		 "b is not in kernels (line 2)");
	load_bad("[job]\n[kernel b]\ncmdline_extra = x\n", 2,
		 "no kernels = list");
	/* Debian kernel series: debian-MAJOR.MINOR, checked at parse. */
	load_ok(&job, "[job]\nkernels = k61:debian-6.1, k612:debian-6.12\n");
	assert_string_equal(job.kernels[1].image, "debian-6.12");
	load_ok(&job, "[job]\nkernel = debian-6.12\n");
	assert_string_equal(job.kernel, "debian-6.12");
	load_bad("[job]\nkernels = a:debian, b:debian-6.x\n", 2,
		 "b: 'debian-6.x' is no Debian kernel series");
	load_bad("[job]\nsizes = 128M\nkernel = debian-612\n", 3,
		 "kernel: 'debian-612' is no Debian kernel series");
	load_bad("[job]\nkernels = a:debian\n[kernel a]\nimage = /x\n", 4,
		 "unknown key 'image' in [kernel a]");
	load_bad("[job]\nkernels = a:debian\n[kernel a]\n[kernel a]\n", 4,
		 "second [kernel a] section");
	load_bad("[job]\nkernels = a:debian\n[kernel a]\nmodules = x\n"
		 "modules = y\n",
		 5, "duplicate key 'modules'");
	load_bad("[job]\n[kernel]\n", 2, "unknown section [kernel]");
	load_bad("[job]\nkernels = a:debian,b:debian,c:debian,d:debian,"
		 "e:debian,f:debian,g:debian,h:debian,i:debian\n",
		 2, "more than 8 entries");
}

/* accel_fallback: what accel=auto runs without KVM, a TCG only. */
static void test_accel_fallback(void **state)
{
	struct job job;

	(void)state;
	load_ok(&job, "[job]\n");
	assert_int_equal(job.accel_fallback, ACCEL_TCG);
	load_ok(&job, "[job]\naccel = auto\naccel_fallback = tcg-icount\n");
	assert_int_equal(job.accel_fallback, ACCEL_TCG_ICOUNT);
	load_bad("[job]\naccel = auto\naccel_fallback = kvm\n", 3,
		 "accel_fallback: 'kvm' is not a fallback");
	load_bad("[job]\naccel_fallback = auto\n", 2, "is not a fallback");
	load_bad("[job]\naccel_fallback = hvf\n", 2, "accel_fallback");
}

/* numa_nodes against smp, node and boot_mem. */
static void test_numa(void **state)
{
	struct job job;

	(void)state;
	load_ok(&job, "[job]\nnuma_nodes = 512M:0-1, 0\nnode = 1\n");
	assert_int_equal(job.nnodes, 2);
	assert_int_equal(job.boot_mem, 512 * MIB);
	load_ok(&job, "[job]\nnuma_nodes = 256M:0, 256M:1\nboot_mem = 512M\n"
		      "numa_host_nodes = 0,0\n");
	assert_int_equal(job.nodes[1].host_node, 0);
	load_bad("[job]\nnuma_nodes = 512M:0, 0\n", 2,
		 "numa_nodes: every vCPU 0..1 must be on a node");
	load_bad("[job]\nnuma_nodes = 512M:0-1, 0\nnode = 2\n", 3,
		 "node: 2, but numa_nodes has 2 nodes");
	load_bad("[job]\nnuma_nodes = 512M:0-1\nboot_mem = 1G\n", 3,
		 "numa_nodes adds up to 512M");
	load_bad("[job]\nnuma_nodes = 512M:0-1\nnuma_host_nodes = 0,1\n", 3,
		 "more host nodes than the 1 guest nodes");
	load_bad("[job]\nnuma_nodes = 512M:0-1\nblock_sizes = 1G\n", 2,
		 "not with block_sizes");
	load_bad("[job]\nnuma_nodes = 512M:0-1:2\n", 2, "not a CPU list");
	/* icount runs one vCPU, also as accel=auto's fallback */
	load_bad("[job]\naccel = auto\naccel_fallback = tcg-icount\n"
		 "smp = 2\nnuma_nodes = 256M:0, 256M:1\nboot_mem = 512M\n",
		 5, "numa_nodes");
	load_bad("[job]\ntrace_depth = 0\n", 2, "out of range");
	load_bad("[job]\nprobe = maybe\n", 2, "not one of no, yes");
}
