// SPDX-License-Identifier: GPL-2.0-or-later
/* The runner (runner.h): resolves the inputs, keeps the manifest, boots
 * the guests the benchmark the job names plans (run/bench.h) and writes
 * the summary at the end. */
#include "run/runner.h"
#include "config/blocksize.h"
#include "config/zonesize.h"
#include "run/bench.h"
#include "run/bootcheck.h"
#include "clock.h"
#include "base/err.h"
#include "run/fault.h"
#include "run/guest.h"
#include "run/kernel_fetch.h"
#include "results/deepreport.h"
#include "results/memmapcount.h"
#include "results/sidebyside.h"
#include "config/kernels.h"
#include "config/numa.h"
#include "run/nested.h"
#include "run/numa_pin.h"
#include "base/progress.h"
#include "results/report.h"
#include "base/sig.h"
#include "results/store.h"
#include "base/units.h"
#include "base/version.h"

#include <errno.h>
#include <stdarg.h>
#include <gsl/gsl_rng.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define SHUTDOWN_MS 15000

/* The benchmarks, by the job's `benchmark`: a new one is its file (a
 * struct bench_ops) and a line here. */
static const struct bench_ops *const benches[] = {
	[BENCH_CYCLES] = &bench_cycles,
	[BENCH_OOM_EDGE] = &bench_oomedge,
};

const struct bench_ops *bench_find(enum job_benchmark b)
{
	if ((unsigned)b >= sizeof(benches) / sizeof(benches[0]))
		return NULL;
	return benches[b];
}

void runner_data_dir(char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0) {
		snprintf(buf, len, ".");
		return;
	}
	exe[n] = '\0';
	snprintf(buf, len, "%s", dirname(exe));
}

static void utc_now(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Checked before QEMU sees it: a readable regular file. */
static int check_file(const char *what, const char *path, const char *hint)
{
	struct stat st;
	int e = stat(path, &st) ? errno : !S_ISREG(st.st_mode) ? EISDIR : 0;

	if (!e && access(path, R_OK))
		e = errno;
	if (!e)
		return 0;
	err_set(EXIT_ENV, "%s %s: %s (%s)", what, path,
		e == EISDIR && !S_ISDIR(st.st_mode) ? "not a regular file"
						    : strerror(e),
		hint);
	return -ENOENT;
}

static int resolve_inputs(struct run *r)
{
	const struct job *job = r->job;
	char data[2048];
	int ret;

	runner_data_dir(data, sizeof(data));
	ret = kernel_fetch_all(job, r->opts->kernel, data);
	if (ret)
		return ret;
	ret = kernels_resolve(job, r->opts->kernel, data, r->kernels,
			      &r->nkernels);
	if (ret)
		return ret;
	r->nblocks = job->nblock_sizes ? job->nblock_sizes : 1;
	for (int i = 0; i < job->nblock_sizes; i++)
		r->blocks[i] = job->block_sizes[i];
	if (job->initramfs[0])
		snprintf(r->initrd, sizeof(r->initrd), "%s", job->initramfs);
	else
		snprintf(r->initrd, sizeof(r->initrd),
			 "%s/guest-images/build/initramfs.cpio.gz", data);
	ret = check_file("initramfs", r->initrd, "run `make guest`");
	if (ret)
		return ret;
	ret = qemu_find_binary(job->qemu, r->qemu, sizeof(r->qemu));
	if (ret)
		err_set(EXIT_ENV,
			"QEMU binary '%s' not found or not executable: %s "
			"(install qemu-system-x86 with `make deps`, or set "
			"qemu = "
			"in the job)",
			job->qemu, strerror(-ret));
	return ret;
}

/* The host CPU's model: /proc/cpuinfo's first "model name" (x86), or
 * NULL where there is none (JSON null: not known, not made up). */
static json_t *cpu_model_json(void)
{
	char line[512], *v;
	json_t *j = json_null();
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "model name", 10) || !(v = strchr(line, ':')))
			continue;
		v += 1 + strspn(v + 1, " \t");
		v[strcspn(v, "\n")] = 0;
		json_decref(j);
		j = json_string(v);
		break;
	}
	if (f)
		fclose(f);
	return j;
}

static json_t *host_json(void)
{
	struct utsname u;
	char host[256] = "";

	uname(&u);
	gethostname(host, sizeof(host) - 1);
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:o}", "hostname", host,
			 "sysname", u.sysname, "release", u.release, "version",
			 u.version, "machine", u.machine, "cpus",
			 (json_int_t)sysconf(_SC_NPROCESSORS_ONLN), "cpu_model",
			 cpu_model_json());
}

/* The testbed the history files the run under (README, "A lab of many
 * hosts"): $MHPBENCH_TESTBED, else the host name. */
static json_t *testbed_json(void)
{
	const char *tb = getenv("MHPBENCH_TESTBED");
	char host[256] = "";

	if (tb && *tb)
		return json_string(tb);
	gethostname(host, sizeof(host) - 1);
	return json_string(host);
}

static json_t *job_json(const struct job *job)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	json_t *j;

	job_dump(job, f);
	fclose(f);
	j = json_pack("{s:s,s:s,s:s}", "path", job->path, "description",
		      job->description, "effective", text ? text : "");
	free(text);
	return j;
}

static int manifest_init(struct run *r)
{
	json_t *m = r->st.manifest, *argv = json_array();
	char when[32], qv[256] = "";

	for (int i = 0; i < r->opts->argc; i++)
		json_array_append_new(argv, json_string(r->opts->argv[i]));
	utc_now(when, sizeof(when));
	qemu_binary_version(r->qemu, qv, sizeof(qv));
	json_object_set_new(m, "run_id", json_string(r->st.run_id));
	json_object_set_new(m, "status", json_string("running"));
	json_object_set_new(m, "started_utc", json_string(when));
	json_object_set_new(m, "mhpbench",
			    json_pack("{s:s,s:s,s:o}", "version", MHP_VERSION,
				      "git_rev", version_git_rev(), "argv",
				      argv));
	json_object_set_new(m, "job", job_json(r->job));
	json_object_set_new(m, "host", host_json());
	json_object_set_new(m, "testbed", testbed_json());
	json_object_set_new(
		m, "qemu",
		json_pack("{s:s,s:s}", "binary", r->qemu, "version", qv));
	/* "kernel" is the first (or only) kernel, as before the axis. */
	json_object_set_new(m, "kernel",
			    json_pack("{s:s,s:s,s:s}", "image",
				      r->kernels[0].image, "source",
				      r->kernels[0].source, "package_release",
				      r->kernels[0].release));
	json_object_set_new(m, "kernels",
			    kernels_json(r->kernels, r->nkernels));
	json_object_set_new(m, "initramfs", json_string(r->initrd));
	json_object_set_new(
		m, "accel",
		json_pack("{s:s}", "requested", job_accel_name(r->job->accel)));
	json_object_set_new(m, "seed", json_integer((json_int_t)r->job->seed));
	json_object_set_new(m, "boot_order",
			    order_manifest((unsigned long)r->job->seed));
	if (r->job->inject_online_delay_us) {
		json_object_set_new(
			m, "injected",
			json_pack("{s:I}", "online_delay_us",
				  (json_int_t)r->job->inject_online_delay_us));
		warn_add("inject_online_delay = %g ms: online latencies "
			 "include an injected sleep",
			 r->job->inject_online_delay_us / 1e3);
	}
	if (r->job->inject_fault != FAULT_NONE) {
		if (!json_object_get(m, "injected"))
			json_object_set_new(m, "injected", json_object());
		fault_manifest(r->job, json_object_get(m, "injected"));
		warn_add("inject_fault = %s: a fault is injected on purpose "
			 "(cycle %d of a boot)",
			 job_fault_name(r->job->inject_fault),
			 r->job->inject_fault_after);
	}
	json_object_set_new(m, "failures", json_array());
	json_object_set_new(m, "failed_cycles", json_array());
	r->boots = json_array();
	json_object_set_new(m, "boots", r->boots);
	json_object_set_new(m, "skipped", json_array());
	json_object_set_new(m, "benchmark", json_string(r->bench->name));
	if (r->bench->manifest)
		r->bench->manifest(r, m);
	return store_save_manifest(&r->st);
}

static enum qemu_accel fixed_accel(enum job_accel a)
{
	return a == ACCEL_KVM	       ? QEMU_KVM
	       : a == ACCEL_TCG_ICOUNT ? QEMU_TCG_ICOUNT
				       : QEMU_TCG;
}

static void set_fallback(struct run *r, const char *why)
{
	json_t *a = json_object_get(r->st.manifest, "accel");

	json_object_set_new(a, "fallback_reason", json_string(why));
	json_object_set_new(
		a, "fallback",
		json_string(job_accel_name(r->job->accel_fallback)));
	warn_add("accel=auto: KVM not usable, falling back to %s: %s",
		 job_accel_name(r->job->accel_fallback), why);
}

/* Why the run uses the accel it uses: manifest accel.reason, once. */
static void set_reason(struct run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_reason(struct run *r, const char *fmt, ...)
{
	json_t *a = json_object_get(r->st.manifest, "accel");
	char buf[512];
	va_list ap;

	if (json_object_get(a, "reason"))
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	json_object_set_new(a, "reason", json_string(buf));
}

/* Boots with the accel the job asks for; accel=auto tries KVM once per
 * run within kvm_probe_timeout and falls back to accel_fallback (TCG or
 * TCG with icount). */
static int boot(struct run *r, struct guest *g, struct guest_params *p)
{
	char why[1024] = "";
	int ret;

	if (r->job->accel != ACCEL_AUTO) {
		p->accel = fixed_accel(r->job->accel);
		set_reason(r, "asked for by the job (accel = %s)",
			   job_accel_name(r->job->accel));
		return guest_boot(g, p, 0, why, sizeof(why));
	}
	if (!r->accel_decided) {
		r->accel_decided = 1;
		r->accel = fixed_accel(r->job->accel_fallback);
		if (!qemu_kvm_usable(why, sizeof(why))) {
			set_fallback(r, why);
		} else {
			p->accel = QEMU_KVM;
			p->hello_timeout_ms = r->job->kvm_probe_timeout_ms;
			ret = guest_boot(g, p, 1, why, sizeof(why));
			p->hello_timeout_ms = r->job->boot_timeout_ms;
			if (!ret) {
				r->accel = QEMU_KVM;
				set_reason(r,
					   "accel = auto: /dev/kvm opened and "
					   "the first boot said hello under "
					   "KVM in %.1f s (kvm_probe_timeout "
					   "%.0f s); no fallback",
					   g->boot_ns / 1e9,
					   r->job->kvm_probe_timeout_ms / 1e3);
				return 0;
			}
			if (sig_pending())
				return -EINTR;
			set_fallback(r, why);
		}
	}
	p->accel = r->accel;
	return guest_boot(g, p, 0, why, sizeof(why));
}

/* Under KVM: whether the host is itself a VM (run/nested.h), once per
 * run, in manifest accel.nested; a nested run's timings are marked not
 * representative in a warning and the summary. */
static void note_nested(struct run *r, enum qemu_accel used)
{
	json_t *a = json_object_get(r->st.manifest, "accel"), *n;

	if (used != QEMU_KVM || json_object_get(a, "nested"))
		return;
	n = nested_facts("/proc/cpuinfo", "/sys");
	json_object_set_new(a, "nested", n);
	if (json_is_true(json_object_get(n, "nested")))
		warn_add("nested KVM, not representative: %s",
			 json_string_value(json_object_get(n, "why")));
}

static json_t *boot_json(const struct guest *g, int idx, enum job_memmap mode)
{
	json_t *nodes = json_array();

	for (int i = 0; i < g->hello.nnodes; i++)
		json_array_append_new(nodes, json_integer(g->hello.nodes[i]));
	return json_pack(
		"{s:i,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:o,s:I,s:O,s:s,s:s}",
		"index", idx, "memmap", job_memmap_name(mode), "accel",
		qemu_accel_name(g->accel), "kernel_release",
		g->hello.kernel_release, "kernel_version",
		g->hello.kernel_version, "cmdline", g->hello.cmdline,
		"block_size_bytes", (json_int_t)g->hello.block_size,
		"memmap_on_memory_param", g->hello.memmap_on_memory, "nodes",
		nodes, "boot_ns", (json_int_t)g->boot_ns, "qemu_argv",
		g->vm.argv, "qemu_version", qmp_version(g->qmp), "qemu_package",
		qmp_package(g->qmp));
}

void runner_first_line(char *buf, size_t len, const char *msg)
{
	snprintf(buf, len, "%.*s", (int)strcspn(msg, "\n"), msg);
}

void runner_round(struct run *r, struct order_seq *seq, int round,
		  const char *what, json_t *value)
{
	const char *labels[JOB_MAX_KERNELS];
	json_t *bo = json_object_get(r->st.manifest, "boot_order");

	for (int k = 0; k < r->nkernels; k++)
		labels[k] = r->kernels[k].label[0] ? r->kernels[k].label
						   : "default";
	order_round(r->order_rng, round, r->job->nmodes, r->nkernels, seq);
	json_array_append_new(
		json_object_get(bo, "rounds"),
		order_round_json(seq, round, what, value, r->job, labels));
}

int runner_save_manifest(struct run *r)
{
	int ret = store_save_manifest(&r->st);

	if (ret)
		err_set(EXIT_IO, "writing %s/manifest.json: %s", r->st.dir,
			strerror(-ret));
	return ret;
}

static void boot_logs(struct run *r, int bidx, struct guest_params *gp,
		      char f[5][PATH_MAX + 64])
{
	static const char *kind[] = {"console", "qemu", "qmp", "agent",
				     "vcpus"};
	char name[48];

	for (int i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "%s-%d.log", kind[i], bidx);
		store_path(&r->st, name, f[i], sizeof(f[i]));
	}
	gp->console_log = f[0];
	gp->stderr_log = f[1];
	gp->qmp_log = f[2];
	gp->agent_log = f[3];
	gp->vcpu_log = f[4];
}

static void boot_note(int bidx, const struct boot_spec *b)
{
	char bs[32] = "";

	if (b->block)
		units_format_size(b->block, bs, sizeof(bs));
	char zs[32], zp[64] = "";

	if (b->zone_axis) {
		units_format_size(b->zone_present, zs, sizeof(zs));
		snprintf(zp, sizeof(zp), ", %s already in the zone", zs);
	}
	progress_note("boot %d: %s%s%s mode, memmap_on_memory=%d%s%s%s", bidx,
		      b->k->label, b->k->label[0] ? ", " : "",
		      job_memmap_name(b->mode), b->mode == MEMMAP_SELF,
		      b->block ? ", blocks " : "", bs, zp);
}

/* What the guest cost the host: with reserve=off, only what it touched. */
static void record_rss(const struct guest *g, json_t *bj)
{
	int64_t rss, peak;

	if (qemu_rss_kib(&g->vm, &rss, &peak))
		return;
	json_object_set_new(bj, "qemu_rss_kib", json_integer(rss));
	json_object_set_new(bj, "qemu_peak_rss_kib", json_integer(peak));
}

/* Interrupted: the manifest says so before the guest is powered off, so
 * that it is right even if a second signal ends mhpbench at once. */
static void mark_stopping(struct run *r)
{
	json_t *m = r->st.manifest;

	json_object_set_new(m, "status", json_string("incomplete"));
	json_object_set_new(m, "reason", json_string(err_msg()));
	json_object_set_new(m, "exit_code", json_integer(err_class()));
	store_save_manifest(&r->st);
}

int runner_boot(struct run *r, int bidx, const struct boot_spec *b, void *arg)
{
	char f[5][PATH_MAX + 64];
	struct guest_params gp = {
		.job = r->job,
		.qemu_bin = r->qemu,
		.kernel = b->k->image,
		/* A job's own initramfs wins over a kernel directory's. */
		.initrd = b->k->initrd[0] && !r->job->initramfs[0]
				  ? b->k->initrd
				  : r->initrd,
		.mode = b->mode,
		.hello_timeout_ms = r->job->boot_timeout_ms,
		.label = b->k->label,
		.cmdline_extra = b->k->cmdline_extra,
		.dimms_at_once = r->bench->dimms_at_once(r->job),
	};
	struct guest g;
	json_t *bj;
	int ret;

	/* The job parser already refused block sizes it cannot make. */
	if (b->block)
		blocksize_boot_mem(b->block, r->job->boot_mem, &gp.boot_mem);
	if (b->zone_axis) {
		gp.zone_axis = 1;
		gp.zone_present = b->zone_present;
		gp.boot_mem = zonesize_boot_mem(r->job->zone, b->zone_present,
						r->job->boot_mem);
	}
	boot_logs(r, bidx, &gp, f);
	boot_note(bidx, b);
	ret = boot(r, &g, &gp);
	if (ret)
		return ret;
	r->tm.boot_ns += g.boot_ns;
	progress_note(
		"boot %d: guest up in %.1f s (%s, kernel %s, %lluM blocks)",
		bidx, g.boot_ns / 1e9, qemu_accel_name(g.accel),
		g.hello.kernel_release,
		(unsigned long long)(g.hello.block_size >> 20));
	bj = boot_json(&g, bidx, b->mode);
	if (b->zone_axis) {
		json_object_set_new(bj, "zone_present_mib",
				    json_integer(g.zone_present_mib));
		json_object_set_new(
			bj, "boot_mem_mib",
			json_integer((json_int_t)(g.boot_mem >> 20)));
	}
	json_object_set_new(bj, "kernel_label", json_string(g.label));
	json_array_append_new(r->boots, bj);
	json_object_set_new(json_object_get(r->st.manifest, "accel"), "used",
			    json_string(qemu_accel_name(g.accel)));
	note_nested(r, g.accel);
	ret = bootcheck_run(&r->st, &g, bidx, b->mode, b->block, bj);
	if (!ret)
		ret = numa_apply(&g, r->job, bj);
	if (!ret && r->bench->check)
		ret = r->bench->check(r, &g);
	if (!ret)
		ret = r->bench->body(r, &g, bidx, b->mode, bj, arg);
	if (ret > 0)
		ret = 0;
	record_rss(&g, bj);
	if (!ret)
		ret = runner_save_manifest(r);
	if (err_class() == EXIT_INTR)
		mark_stopping(r);
	/* A hung guest gets no polite power-off. */
	guest_shutdown(&g, err_class() == EXIT_HANG ? 0 : SHUTDOWN_MS);
	return ret;
}

/* on_hang = next-boot: a boot that ended with a hung or dead guest (its
 * QEMU already killed) is recorded, and the run goes on with the next. */
int runner_next_boot(struct run *r, int bidx, int ret)
{
	char line[1024];
	json_t *e;

	if (!ret || r->job->on_hang != ON_HANG_NEXT_BOOT ||
	    err_class() != EXIT_HANG || sig_pending())
		return ret;
	runner_first_line(line, sizeof(line), err_msg());
	if (!r->nfailed_boots++)
		snprintf(r->first_failure, sizeof(r->first_failure), "%s",
			 line);
	e = json_pack("{s:i,s:s,s:i}", "boot", bidx, "reason", err_msg(),
		      "exit_code", EXIT_HANG);
	json_array_append_new(json_object_get(r->st.manifest, "failures"), e);
	warn_add("boot %d ended early: %s; on_hang = next-boot: going on "
		 "with the next boot",
		 bidx, line);
	err_reset();
	return runner_save_manifest(r);
}

/* What the run went on from decides how it ends: a lost boot leaves it
 * incomplete (exit 6), failed cycles complete but with exit 1. */
static int failures_verdict(struct run *r, int ret)
{
	if (ret || err_isset())
		return ret;
	if (r->nfailed_boots) {
		err_set(EXIT_HANG,
			"%d boot%s ended early with a hung or dead guest "
			"(on_hang = next-boot; each is in the manifest's "
			"failures); the first: %s",
			r->nfailed_boots, r->nfailed_boots > 1 ? "s" : "",
			r->first_failure);
		return -ETIMEDOUT;
	}
	if (r->nfailed_cycles)
		err_set(EXIT_FAIL,
			"%d cycle%s failed, the run went on (each is in the "
			"manifest's failed_cycles); the first: %s",
			r->nfailed_cycles, r->nfailed_cycles > 1 ? "s" : "",
			r->first_failure);
	return 0;
}

/* "quick" for bench/quick.job: the run id names the job. */
static void job_name(const struct job *job, char *buf, size_t len)
{
	char tmp[PATH_MAX];

	snprintf(tmp, sizeof(tmp), "%s", job->path);
	snprintf(buf, len, "%s", basename(tmp));
	buf[strcspn(buf, ".")] = '\0';
	for (char *p = buf; *p; p++)
		if (!(*p == '-' || *p == '_' || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			*p = '_';
}

static void finish(struct run *r, int ret, int64_t t0)
{
	struct sample_table t;
	char when[32], path[PATH_MAX + 64];
	json_t *m = r->st.manifest, *warn = json_array(), *sum;
	int line, wret;

	progress_done();
	r->tm.wall_ns = clock_now_ns() - t0;
	utc_now(when, sizeof(when));
	for (int i = 0; i < warn_count(); i++)
		json_array_append_new(warn, json_string(warn_get(i)));
	json_object_set_new(m, "warnings", warn);
	json_object_set_new(m, "ended_utc", json_string(when));
	json_object_set_new(m, "status",
			    json_string(ret ? "incomplete" : "complete"));
	/* A complete run may still have failed cycles (exit code 1). */
	json_object_set_new(m, "reason",
			    err_isset() ? json_string(err_msg()) : json_null());
	json_object_set_new(m, "exit_code", json_integer(err_class()));
	json_object_set_new(m, "timing",
			    json_pack("{s:I,s:I,s:I}", "wall_ns",
				      (json_int_t)r->tm.wall_ns, "boot_ns",
				      (json_int_t)r->tm.boot_ns, "phase_ns",
				      (json_int_t)r->tm.phase_ns));
	store_path(&r->st, "samples.csv", path, sizeof(path));
	fflush(r->st.samples);
	if (!samples_load(path, &t, &line)) {
		r->tm.pmu_note = deepreport_pmu_note(m);
		r->tm.params_note = sidebyside_params_note(m);
		r->tm.memmap_note = memmapcount_note(m);
		sum = report_summary(&t, &r->tm);
		json_decref(r->tm.pmu_note);
		json_decref(r->tm.params_note);
		json_decref(r->tm.memmap_note);
		r->tm.pmu_note = r->tm.params_note = r->tm.memmap_note = NULL;
		json_object_set_new(sum, "run_id", json_string(r->st.run_id));
		json_object_set(sum, "status", json_object_get(m, "status"));
		if (json_object_get(json_object_get(m, "accel"), "nested"))
			json_object_set(
				sum, "nested",
				json_object_get(json_object_get(m, "accel"),
						"nested"));
		if ((wret = store_write_json(&r->st, "summary.json", sum)))
			err_set(EXIT_IO, "writing %s/summary.json: %s",
				r->st.dir, strerror(-wret));
		printf("\nmhpbench run %s (%s)\n", r->st.run_id,
		       ret ? "INCOMPLETE" : "complete");
		report_print(stdout, sum);
		json_decref(sum);
		samples_free(&t);
	}
	runner_save_manifest(r);
	store_link_latest(&r->st);
	if (r->opts->finished)
		r->opts->finished(r->st.root, r->st.dir);
	printf("\nresults: %s\n", r->st.dir);
	fflush(stdout);
}

int runner_run(const struct job *job, const struct runner_opts *o)
{
	struct run r = {
		.job = job, .opts = o, .bench = bench_find(job->benchmark)};
	int64_t t0 = clock_now_ns();
	char name[64];

	r.tm.inject_online_delay_us = job->inject_online_delay_us;
	int ret;

	ret = resolve_inputs(&r);
	if (ret)
		return ret;
	job_name(job, name, sizeof(name));
	ret = store_create(&r.st, o->results_root, name[0] ? name : "run");
	if (ret) {
		err_set(EXIT_IO, "cannot create a run directory under %s: %s",
			o->results_root, strerror(-ret));
		return ret;
	}
	gsl_rng_env_setup();
	r.rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r.rng, (unsigned long)job->seed);
	/* A stream of its own, so the cycles' shuffled order within a boot
	 * stays what the same seed gave before boot orders were drawn. */
	r.order_rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r.order_rng, (unsigned long)job->seed ^ 0x6f72646572UL);
	ret = manifest_init(&r);
	if (ret) {
		err_set(EXIT_IO, "writing %s/manifest.json: %s", r.st.dir,
			strerror(-ret));
	} else {
		r.total = r.bench->count(&r);
		progress_init(r.total);
		progress_note("run %s: %d cycles, results in %s", r.st.run_id,
			      r.total, r.st.dir);
	}
	if (!ret)
		ret = failures_verdict(&r, r.bench->plan(&r));
	finish(&r, ret, t0);
	gsl_rng_free(r.rng);
	gsl_rng_free(r.order_rng);
	store_close(&r.st);
	return ret ? ret : (err_isset() ? -EIO : 0);
}
