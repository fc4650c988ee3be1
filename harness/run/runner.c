#include "run/runner.h"
#include "config/blocksize.h"
#include "run/bootcheck.h"
#include "run/caps.h"
#include "clock.h"
#include "run/cycle.h"
#include "base/err.h"
#include "run/fault.h"
#include "run/guest.h"
#include "results/deepreport.h"
#include "results/sidebyside.h"
#include "config/kernels.h"
#include "config/numa.h"
#include "run/numa_pin.h"
#include "run/oomedge.h"
#include "base/progress.h"
#include "results/report.h"
#include "base/sig.h"
#include "results/store.h"
#include "base/units.h"
#include "base/version.h"

#include <errno.h>
#include <gsl/gsl_randist.h>
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

struct plan_cycle {
	uint64_t dimm;
	int rep;  /* -1 warm-up */
	int deep; /* a deep cycle (probe, ftrace), after the measured ones */
};

struct run {
	const struct job *job;
	const struct runner_opts *opts;
	struct store st;
	char initrd[PATH_MAX], qemu[PATH_MAX];
	struct run_kernel kernels[JOB_MAX_KERNELS];
	int nkernels;
	uint64_t blocks[JOB_MAX_SIZES]; /* block sizes; 0 = kernel's pick */
	int nblocks;
	struct deep_boot db; /* this boot's probe, tracer and PMU */
	enum qemu_accel accel; /* decided at the first boot */
	int accel_decided;
	gsl_rng *rng;
	int total, done;
	struct report_timing tm;
	json_t *boots; /* manifest "boots", borrowed */
	/* Failures the run went on from (on_hang = next-boot, a refused
	 * offline): how many, and the first one's reason. */
	int nfailed_boots, nfailed_cycles;
	char first_failure[1024];
};

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

static json_t *host_json(void)
{
	struct utsname u;
	char host[256] = "";

	uname(&u);
	gethostname(host, sizeof(host) - 1);
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:I}", "hostname", host,
			 "sysname", u.sysname, "release", u.release, "version",
			 u.version, "machine", u.machine, "cpus",
			 (json_int_t)sysconf(_SC_NPROCESSORS_ONLN));
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
	if (r->job->inject_online_delay_ms) {
		json_object_set_new(
			m, "injected",
			json_pack("{s:I}", "online_delay_ms",
				  (json_int_t)r->job->inject_online_delay_ms));
		warn_add("inject_online_delay = %lld ms: online latencies "
			 "include an injected sleep",
			 (long long)r->job->inject_online_delay_ms);
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
	json_object_set_new(m, "benchmark",
			    json_string(job_benchmark_name(r->job->benchmark)));
	if (r->job->benchmark == BENCH_OOM_EDGE)
		json_object_set_new(m, "oom_edge", json_array());
	return store_save_manifest(&r->st);
}

/* A DIMM that is not a whole number of blocks cannot be added (add_memory
 * wants block-aligned ranges): say so once per (size, block size). */
static void skip_size(struct run *r, uint64_t dimm, uint64_t block)
{
	json_t *skipped = json_object_get(r->st.manifest, "skipped"), *e;
	char sz[32], bs[32], why[128];
	size_t i;

	units_format_size(dimm, sz, sizeof(sz));
	units_format_size(block, bs, sizeof(bs));
	snprintf(why, sizeof(why), "%s",
		 dimm < block ? "smaller than one memory block"
			      : "not a whole number of memory blocks");
	json_array_foreach(skipped, i, e)
	{
		if (!strcmp(json_string_value(json_object_get(e, "size")),
			    sz) &&
		    json_integer_value(json_object_get(e, "block_mib")) ==
			    (json_int_t)(block >> 20))
			return;
	}
	warn_add("skipping %s DIMMs with %s memory blocks: %s", sz, bs, why);
	json_array_append_new(
		skipped, json_pack("{s:s,s:I,s:s}", "size", sz, "block_mib",
				   (json_int_t)(block >> 20), "reason", why));
}

/* Each boot draws its own permutation of (size, rep) from one RNG seeded
 * with the job's seed, so the whole order is reproducible from the seed. */
static struct plan_cycle *plan_boot(struct run *r, const struct agent_hello *h,
				    int *n)
{
	const struct job *job = r->job;
	int nsizes = 0, k = 0;
	uint64_t sizes[JOB_MAX_SIZES], smallest = 0;
	struct plan_cycle *p;

	for (int i = 0; i < job->nsizes; i++) {
		uint64_t dimm = job_dimm_size(job, i, h->block_size);

		if (dimm % h->block_size) {
			skip_size(r, dimm, h->block_size);
			continue;
		}
		sizes[nsizes++] = dimm;
		if (!smallest || dimm < smallest)
			smallest = dimm;
	}
	p = calloc((size_t)(job->warmup + nsizes * (job->reps + job->deep_reps)) +
			   1,
		   sizeof(*p));
	if (!p)
		return NULL;
	for (int i = 0; i < job->warmup && nsizes; i++)
		p[k++] = (struct plan_cycle){smallest, -1, 0};
	for (int s = 0; s < nsizes; s++)
		for (int rep = 0; rep < job->reps; rep++)
			p[k++] = (struct plan_cycle){sizes[s], rep, 0};
	gsl_ran_shuffle(r->rng, p + job->warmup * (nsizes > 0),
			(size_t)(nsizes * job->reps), sizeof(*p));
	/* Deep cycles come last: the tracer and the probe's walk must not
	 * warm anything the measured cycles time. */
	for (int s = 0; s < nsizes; s++)
		for (int rep = 0; rep < job->deep_reps; rep++)
			p[k++] = (struct plan_cycle){sizes[s], rep, 1};
	*n = k;
	return p;
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
	warn_add("accel=auto: KVM not usable, falling back to TCG: %s", why);
}

/* Boots with the accel the job asks for; accel=auto tries KVM once per
 * run within kvm_probe_timeout and falls back to TCG. */
static int boot(struct run *r, struct guest *g, struct guest_params *p)
{
	char why[1024] = "";
	int ret;

	if (r->job->accel != ACCEL_AUTO) {
		p->accel = fixed_accel(r->job->accel);
		return guest_boot(g, p, 0, why, sizeof(why));
	}
	if (!r->accel_decided) {
		r->accel_decided = 1;
		r->accel = QEMU_TCG;
		if (!qemu_kvm_usable(why, sizeof(why))) {
			set_fallback(r, why);
		} else {
			p->accel = QEMU_KVM;
			p->hello_timeout_ms = r->job->kvm_probe_timeout_ms;
			ret = guest_boot(g, p, 1, why, sizeof(why));
			p->hello_timeout_ms = r->job->boot_timeout_ms;
			if (!ret) {
				r->accel = QEMU_KVM;
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

static json_t *order_json(const struct plan_cycle *p, int n)
{
	json_t *order = json_array();
	char sz[32];

	for (int i = 0; i < n; i++) {
		units_format_size(p[i].dimm, sz, sizeof(sz));
		json_array_append_new(order, json_pack("{s:s,s:i}", "size", sz,
						       "rep", p[i].rep));
	}
	return order;
}

/* The verdict is what the kernel did; say once per size and boot when it
 * is not what the mode asked for. */
static void check_placement(const struct cycle_ctx *c, uint64_t *warned,
			    int *nwarned)
{
	int asked = c->mode == MEMMAP_SELF, expect;
	char sz[32];
	struct caps caps;

	if (c->derived.self_hosted < 0 || c->derived.self_hosted == asked)
		return;
	caps_from_hello(&c->g->hello, &caps);
	expect = kernel_expects_self_hosted(
		c->g->hello.kernel_release, asked && caps.mom_enabled,
		(int64_t)(c->g->hello.block_size >> 20),
		(int64_t)(c->dimm >> 20));
	for (int i = 0; i < *nwarned; i++)
		if (warned[i] == c->dimm)
			return;
	if (*nwarned < JOB_MAX_SIZES)
		warned[(*nwarned)++] = c->dimm;
	units_format_size(c->dimm, sz, sizeof(sz));
	warn_add("%s DIMM, %lluM blocks, %s mode, kernel %s: the memmap %s "
		 "(%lld KiB inside the DIMM)%s",
		 sz, (unsigned long long)(c->g->hello.block_size >> 20),
		 job_memmap_name(c->mode), c->g->hello.kernel_release,
		 c->derived.self_hosted ? "was self-hosted" : "came from RAM",
		 (long long)c->derived.self_hosted_kib,
		 expect == c->derived.self_hosted
			 ? "; expected: before 6.8 only a DIMM of exactly one "
			   "memory block self-hosts"
			 : "; NOT what this kernel is expected to do");
}

/* The first line of the recorded error (the console tail follows). */
static void first_line(char *buf, size_t len, const char *msg)
{
	snprintf(buf, len, "%.*s", (int)strcspn(msg, "\n"), msg);
}

/* A cycle that failed but left the guest clean: recorded, and the run
 * goes on (it ends with exit code 1). */
static int failed_cycle(struct run *r, struct cycle_ctx *c)
{
	const char *why =
		json_string_value(json_object_get(c->failure, "reason"));
	int ret;

	if (!r->nfailed_cycles++ && !r->nfailed_boots)
		first_line(r->first_failure, sizeof(r->first_failure),
			   why ? why : "?");
	json_array_append_new(json_object_get(r->st.manifest, "failed_cycles"),
			      c->failure);
	c->failure = NULL;
	ret = store_save_manifest(&r->st);
	if (ret)
		err_set(EXIT_IO, "writing %s/manifest.json: %s", r->st.dir,
			strerror(-ret));
	return ret;
}

static int run_cycles(struct run *r, struct guest *g, int bidx,
		      enum job_memmap mode, struct plan_cycle *p, int n)
{
	uint64_t warned[JOB_MAX_SIZES];
	int nwarned = 0;

	for (int i = 0; i < n; i++) {
		struct cycle_ctx c = {
			.job = r->job,
			.st = &r->st,
			.g = g,
			.mode = mode,
			.boot = bidx,
			.cycle = i,
			.rep = p[i].rep,
			.dimm = p[i].dimm,
			.deep = p[i].deep,
			.db = &r->db,
		};
		char sz[32], what[128];
		int ret;

		if (sig_pending()) {
			err_set(EXIT_INTR, "interrupted by %s between cycles",
				sig_name(sig_pending()));
			return -EINTR;
		}
		units_format_size(p[i].dimm, sz, sizeof(sz));
		if (p[i].rep < 0)
			snprintf(what, sizeof(what), "%s %s warm-up", sz,
				 job_memmap_name(mode));
		else if (p[i].deep)
			snprintf(what, sizeof(what), "%s %s deep %d/%d", sz,
				 job_memmap_name(mode), p[i].rep + 1,
				 r->job->deep_reps);
		else
			snprintf(what, sizeof(what), "%s %s rep %d/%d", sz,
				 job_memmap_name(mode), p[i].rep + 1,
				 r->job->reps);
		progress_cycle(++r->done, what);
		ret = cycle_run(&c, progress_phase);
		if (p[i].rep >= 0)
			r->tm.phase_ns += c.phase_ns;
		if (ret == CYCLE_FAILED)
			ret = failed_cycle(r, &c);
		if (ret)
			return ret;
		check_placement(&c, warned, &nwarned);
	}
	return 0;
}

/* What runs on a booted guest: the cycles, or one oom-edge point. */
typedef int (*boot_body)(struct run *r, struct guest *g, int bidx,
			 enum job_memmap mode, json_t *boot, void *arg);

static int cycles_body(struct run *r, struct guest *g, int bidx,
		       enum job_memmap mode, json_t *boot, void *arg)
{
	struct plan_cycle *plan;
	int n = 0, ret;

	(void)arg;
	plan = plan_boot(r, &g->hello, &n);
	if (!plan)
		return -ENOMEM;
	json_object_set_new(boot, "order", order_json(plan, n));
	ret = store_save_manifest(&r->st);
	if (ret)
		err_set(EXIT_IO, "writing %s/manifest.json: %s", r->st.dir,
			strerror(-ret));
	else
		ret = run_cycles(r, g, bidx, mode, plan, n);
	free(plan);
	return ret;
}

struct oom_arg {
	uint64_t target;
	int rep;
};

static int oom_body(struct run *r, struct guest *g, int bidx,
		    enum job_memmap mode, json_t *boot, void *arg)
{
	const struct oom_arg *a = arg;
	struct oomedge_ctx c = {
		.job = r->job,
		.st = &r->st,
		.g = g,
		.mode = mode,
		.boot = bidx,
		.rep = a->rep,
		.target = a->target,
		.progress = progress_phase,
	};
	int ret;

	if (job_dimm_size(r->job, 0, g->hello.block_size) %
	    g->hello.block_size) {
		char sz[32], bs[32];

		units_format_size(job_dimm_size(r->job, 0, g->hello.block_size),
				  sz, sizeof(sz));
		units_format_size(g->hello.block_size, bs, sizeof(bs));
		err_set(EXIT_USAGE,
			"oom-edge: a %s DIMM is not a whole number of the "
			"guest's %s memory blocks",
			sz, bs);
		return -EINVAL;
	}
	json_object_set_new(boot, "oom_target_mib",
			    json_integer((json_int_t)(a->target >> 20)));
	ret = oomedge_point(&c);
	r->tm.phase_ns += c.phase_ns;
	if (c.event) {
		progress_note("boot %d: F=%lluM %s: %s after %lld DIMMs", bidx,
			      (unsigned long long)(a->target >> 20),
			      job_memmap_name(mode), oomedge_end_name(c.end),
			      (long long)json_integer_value(
				      json_object_get(c.event, "dimms_added")));
		json_array_append_new(
			json_object_get(r->st.manifest, "oom_edge"), c.event);
	}
	return ret;
}

/* One boot of the run: which kernel, block size and mode. */
struct boot_spec {
	const struct run_kernel *k;
	uint64_t block; /* bytes; 0 = the kernel's pick at boot_mem */
	enum job_memmap mode;
};

static void boot_logs(struct run *r, int bidx, struct guest_params *gp,
		      char f[4][PATH_MAX + 64])
{
	static const char *kind[] = {"console", "qemu", "qmp", "agent"};
	char name[48];

	for (int i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "%s-%d.log", kind[i], bidx);
		store_path(&r->st, name, f[i], sizeof(f[i]));
	}
	gp->console_log = f[0];
	gp->stderr_log = f[1];
	gp->qmp_log = f[2];
	gp->agent_log = f[3];
}

static void boot_note(int bidx, const struct boot_spec *b)
{
	char bs[32] = "";

	if (b->block)
		units_format_size(b->block, bs, sizeof(bs));
	progress_note("boot %d: %s%s%s mode, memmap_on_memory=%d%s%s", bidx,
		      b->k->label, b->k->label[0] ? ", " : "",
		      job_memmap_name(b->mode), b->mode == MEMMAP_SELF,
		      b->block ? ", blocks " : "", bs);
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

static int run_boot(struct run *r, int bidx, const struct boot_spec *b,
		    boot_body body, void *arg)
{
	char f[4][PATH_MAX + 64];
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
	};
	struct guest g;
	json_t *bj;
	int ret;

	/* The job parser already refused block sizes it cannot make. */
	if (b->block)
		blocksize_boot_mem(b->block, r->job->boot_mem, &gp.boot_mem);
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
	json_object_set_new(bj, "kernel_label", json_string(g.label));
	json_array_append_new(r->boots, bj);
	json_object_set_new(json_object_get(r->st.manifest, "accel"), "used",
			    json_string(qemu_accel_name(g.accel)));
	ret = bootcheck_run(&r->st, &g, bidx, b->mode, b->block, bj);
	if (!ret)
		ret = numa_apply(&g, r->job, bj);
	if (!ret)
		ret = deep_boot_init(&g, r->job, bj, &r->db);
	if (!ret)
		ret = body(r, &g, bidx, b->mode, bj, arg);
	if (ret > 0)
		ret = 0;
	record_rss(&g, bj);
	if (!ret && (ret = store_save_manifest(&r->st)))
		err_set(EXIT_IO, "writing %s/manifest.json: %s", r->st.dir,
			strerror(-ret));
	if (err_class() == EXIT_INTR)
		mark_stopping(r);
	/* A hung guest gets no polite power-off. */
	guest_shutdown(&g, err_class() == EXIT_HANG ? 0 : SHUTDOWN_MS);
	return ret;
}

/* One oom-edge point: a boot of its own. */
static int oom_point(struct run *r, int bidx, const struct boot_spec *b,
		     struct oom_arg *a)
{
	char what[160], f[32];

	units_format_size(a->target, f, sizeof(f));
	snprintf(what, sizeof(what), "oom-edge F=%s %s%s%s rep %d/%d", f,
		 b->k->label, b->k->label[0] ? " " : "",
		 job_memmap_name(b->mode), a->rep + 1, r->job->reps);
	progress_cycle(++r->done, what);
	return run_boot(r, bidx, b, oom_body, a);
}

/* One boot per (rep, target, mode, kernel); modes and kernels alternate
 * within a target. */
static int run_oom_edge(struct run *r)
{
	const struct job *job = r->job;
	int ret = 0, bidx = 0;

	for (int rep = 0; !ret && rep < job->reps; rep++)
		for (int t = 0; !ret && t < job->noom_targets; t++)
			for (int m = 0; !ret && m < job->nmodes; m++)
				for (int k = 0; !ret && k < r->nkernels; k++) {
					struct oom_arg a = {job->oom_targets[t],
							    rep};
					struct boot_spec b = {&r->kernels[k], 0,
							      job->modes[m]};

					ret = oom_point(r, bidx++, &b, &a);
				}
	return ret;
}

/* on_hang = next-boot: a boot that ended with a hung or dead guest (its
 * QEMU already killed) is recorded, and the run goes on with the next. */
static int next_boot(struct run *r, int bidx, int ret)
{
	char line[1024];
	json_t *e;

	if (!ret || r->job->on_hang != ON_HANG_NEXT_BOOT ||
	    err_class() != EXIT_HANG || sig_pending())
		return ret;
	first_line(line, sizeof(line), err_msg());
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
	ret = store_save_manifest(&r->st);
	if (ret)
		err_set(EXIT_IO, "writing %s/manifest.json: %s", r->st.dir,
			strerror(-ret));
	return ret;
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

/* Cycles: for each boot round, every block size, mode and kernel in
 * turn, so drift over the run hits every kernel and mode alike. */
static int run_cycle_boots(struct run *r)
{
	const struct job *job = r->job;
	int ret = 0, bidx = 0;

	for (int b = 0; !ret && b < job->boots; b++)
		for (int s = 0; !ret && s < r->nblocks; s++)
			for (int m = 0; !ret && m < job->nmodes; m++)
				for (int k = 0; !ret && k < r->nkernels; k++) {
					struct boot_spec spec = {&r->kernels[k],
								 r->blocks[s],
								 job->modes[m]};

					ret = run_boot(r, bidx, &spec,
						       cycles_body, NULL);
					ret = next_boot(r, bidx++, ret);
				}
	return failures_verdict(r, ret);
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

/* Progress steps: cycles, or oom-edge points (one boot each). */
static int count_cycles(const struct run *r)
{
	const struct job *job = r->job;
	int n = 0;

	if (job->benchmark == BENCH_OOM_EDGE)
		return job->reps * job->noom_targets * job->nmodes *
		       r->nkernels;
	/* Sizes that are no whole number of blocks will be skipped. */
	for (int s = 0; s < r->nblocks; s++) {
		uint64_t block =
			r->blocks[s] ? r->blocks[s]
				     : blocksize_for_boot_mem(job->boot_mem);
		int sizes = 0;

		for (int i = 0; i < job->nsizes; i++)
			sizes += job_dimm_size(job, i, block) % block == 0;
		n += sizes ? job->warmup + sizes * (job->reps + job->deep_reps)
			   : 0;
	}
	return n * job->nmodes * job->boots * r->nkernels;
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
		sum = report_summary(&t, &r->tm);
		json_decref(r->tm.pmu_note);
		json_decref(r->tm.params_note);
		r->tm.pmu_note = r->tm.params_note = NULL;
		json_object_set_new(sum, "run_id", json_string(r->st.run_id));
		json_object_set(sum, "status", json_object_get(m, "status"));
		if ((wret = store_write_json(&r->st, "summary.json", sum)))
			err_set(EXIT_IO, "writing %s/summary.json: %s",
				r->st.dir, strerror(-wret));
		printf("\nmhpbench run %s (%s)\n", r->st.run_id,
		       ret ? "INCOMPLETE" : "complete");
		report_print(stdout, sum);
		json_decref(sum);
		samples_free(&t);
	}
	wret = store_save_manifest(&r->st);
	if (wret)
		err_set(EXIT_IO, "writing %s/manifest.json: %s", r->st.dir,
			strerror(-wret));
	store_link_latest(&r->st);
	if (r->opts->finished)
		r->opts->finished(r->st.root, r->st.dir);
	printf("\nresults: %s\n", r->st.dir);
	fflush(stdout);
}

int runner_run(const struct job *job, const struct runner_opts *o)
{
	struct run r = {.job = job, .opts = o};
	int64_t t0 = clock_now_ns();
	char name[64];

	r.tm.inject_online_delay_ms = job->inject_online_delay_ms;
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
	ret = manifest_init(&r);
	if (ret) {
		err_set(EXIT_IO, "writing %s/manifest.json: %s", r.st.dir,
			strerror(-ret));
	} else {
		r.total = count_cycles(&r);
		progress_init(r.total);
		progress_note("run %s: %d cycles, results in %s", r.st.run_id,
			      r.total, r.st.dir);
	}
	if (!ret && job->benchmark == BENCH_OOM_EDGE)
		ret = run_oom_edge(&r);
	else if (!ret)
		ret = run_cycle_boots(&r);
	finish(&r, ret, t0);
	gsl_rng_free(r.rng);
	store_close(&r.st);
	return ret ? ret : (err_isset() ? -EIO : 0);
}
