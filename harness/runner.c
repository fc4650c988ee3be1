#include "runner.h"
#include "clock.h"
#include "cycle.h"
#include "err.h"
#include "guest.h"
#include "history.h"
#include "oomedge.h"
#include "progress.h"
#include "report.h"
#include "sig.h"
#include "store.h"
#include "units.h"
#include "version.h"

#include <errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define SHUTDOWN_MS 15000

struct plan_cycle {
	uint64_t dimm;
	int rep; /* -1 warm-up */
};

struct run {
	const struct job *job;
	const struct runner_opts *opts;
	struct store st;
	char kernel[PATH_MAX], initrd[PATH_MAX], qemu[PATH_MAX];
	char kernel_source[16];
	enum qemu_accel accel; /* decided at the first boot */
	int accel_decided;
	gsl_rng *rng;
	int total, done;
	struct report_timing tm;
	json_t *boots; /* manifest "boots", borrowed */
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

static int check_file(const char *what, const char *path, const char *hint)
{
	if (!access(path, R_OK))
		return 0;
	err_set(EXIT_ENV, "%s %s: %s (%s)", what, path, strerror(errno), hint);
	return -ENOENT;
}

static int resolve_inputs(struct run *r)
{
	const struct job *job = r->job;
	char data[2048];
	int ret;

	runner_data_dir(data, sizeof(data));
	if (r->opts->kernel && *r->opts->kernel) {
		snprintf(r->kernel, sizeof(r->kernel), "%s", r->opts->kernel);
		snprintf(r->kernel_source, sizeof(r->kernel_source), "user");
	} else if (strcmp(job->kernel, "debian")) {
		snprintf(r->kernel, sizeof(r->kernel), "%s", job->kernel);
		snprintf(r->kernel_source, sizeof(r->kernel_source), "user");
	} else {
		snprintf(r->kernel, sizeof(r->kernel),
			 "%s/guest-images/build/vmlinuz", data);
		snprintf(r->kernel_source, sizeof(r->kernel_source), "debian");
	}
	if (job->initramfs[0])
		snprintf(r->initrd, sizeof(r->initrd), "%s", job->initramfs);
	else
		snprintf(r->initrd, sizeof(r->initrd),
			 "%s/guest-images/build/initramfs.cpio.gz", data);
	if ((ret = check_file(
		     "kernel image", r->kernel,
		     "run `make guest`, or give KERNEL=/path/to/bzImage")) ||
	    (ret = check_file("initramfs", r->initrd, "run `make guest`")))
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

static void read_first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

static int manifest_init(struct run *r)
{
	json_t *m = r->st.manifest, *argv = json_array();
	char when[32], qv[256] = "", rel[128] = "", data[2048], path[2200];

	for (int i = 0; i < r->opts->argc; i++)
		json_array_append_new(argv, json_string(r->opts->argv[i]));
	utc_now(when, sizeof(when));
	qemu_binary_version(r->qemu, qv, sizeof(qv));
	runner_data_dir(data, sizeof(data));
	snprintf(path, sizeof(path), "%s/guest-images/build/kernel.release",
		 data);
	if (!strcmp(r->kernel_source, "debian"))
		read_first_line(path, rel, sizeof(rel));
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
	json_object_set_new(m, "kernel",
			    json_pack("{s:s,s:s,s:s}", "image", r->kernel,
				      "source", r->kernel_source,
				      "package_release", rel));
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
	r->boots = json_array();
	json_object_set_new(m, "boots", r->boots);
	json_object_set_new(m, "skipped", json_array());
	json_object_set_new(m, "benchmark",
			    json_string(job_benchmark_name(r->job->benchmark)));
	if (r->job->benchmark == BENCH_OOM_EDGE)
		json_object_set_new(m, "oom_edge", json_array());
	return store_save_manifest(&r->st);
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
		if (job->sizes[i] % h->block_size) {
			char sz[32], bs[32];

			units_format_size(job->sizes[i], sz, sizeof(sz));
			units_format_size(h->block_size, bs, sizeof(bs));
			warn_add("skipping %s: not a whole number of the "
				 "guest's %s memory blocks",
				 sz, bs);
			json_array_append_new(
				json_object_get(r->st.manifest, "skipped"),
				json_pack("{s:s,s:s}", "size", sz, "reason",
					  "not a multiple of the block size"));
			continue;
		}
		sizes[nsizes++] = job->sizes[i];
		if (!smallest || job->sizes[i] < smallest)
			smallest = job->sizes[i];
	}
	p = calloc((size_t)(job->warmup + nsizes * job->reps) + 1, sizeof(*p));
	if (!p)
		return NULL;
	for (int i = 0; i < job->warmup && nsizes; i++)
		p[k++] = (struct plan_cycle){smallest, -1};
	for (int s = 0; s < nsizes; s++)
		for (int rep = 0; rep < job->reps; rep++)
			p[k++] = (struct plan_cycle){sizes[s], rep};
	gsl_ran_shuffle(r->rng, p + job->warmup * (nsizes > 0),
			(size_t)(nsizes * job->reps), sizeof(*p));
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

static void check_mode(const struct guest *g, enum job_memmap mode)
{
	const char *v = g->hello.memmap_on_memory;

	if (!v[0])
		warn_add("kernel %s has no memory_hotplug.memmap_on_memory "
			 "parameter (needs 5.13+ with MHP_MEMMAP_ON_MEMORY): "
			 "every memmap comes from RAM",
			 g->hello.kernel_release);
	else if (mode == MEMMAP_SELF && !strcmp(v, "N"))
		warn_add("kernel %s refused memmap_on_memory=1 (parameter "
			 "reads N)",
			 g->hello.kernel_release);
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
	int asked = c->mode == MEMMAP_SELF;
	char sz[32];

	if (c->derived.self_hosted < 0 || c->derived.self_hosted == asked)
		return;
	for (int i = 0; i < *nwarned; i++)
		if (warned[i] == c->dimm)
			return;
	if (*nwarned < JOB_MAX_SIZES)
		warned[(*nwarned)++] = c->dimm;
	units_format_size(c->dimm, sz, sizeof(sz));
	warn_add("%s DIMM in %s mode: the memmap %s (%lld KiB inside the "
		 "DIMM)%s",
		 sz, job_memmap_name(c->mode),
		 c->derived.self_hosted ? "was self-hosted" : "came from RAM",
		 (long long)c->derived.self_hosted_kib,
		 asked && !report_expect_self_hosted(
				  c->g->hello.kernel_release,
				  (int64_t)(c->g->hello.block_size >> 20),
				  (int64_t)(c->dimm >> 20))
			 ? "; expected: before 6.8 only a DIMM of exactly one "
			   "memory block self-hosts"
			 : "");
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
		};
		char sz[32], what[128];
		int ret;

		if (sig_pending()) {
			err_set(EXIT_INTR, "interrupted by signal %d",
				sig_pending());
			return -EINTR;
		}
		units_format_size(p[i].dimm, sz, sizeof(sz));
		if (p[i].rep < 0)
			snprintf(what, sizeof(what), "%s %s warm-up", sz,
				 job_memmap_name(mode));
		else
			snprintf(what, sizeof(what), "%s %s rep %d/%d", sz,
				 job_memmap_name(mode), p[i].rep + 1,
				 r->job->reps);
		progress_cycle(++r->done, what);
		ret = cycle_run(&c, progress_phase);
		if (p[i].rep >= 0)
			r->tm.phase_ns += c.phase_ns;
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
		err_set(EXIT_IO, "writing manifest.json: %s", strerror(-ret));
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

	if (r->job->sizes[0] % g->hello.block_size) {
		char sz[32], bs[32];

		units_format_size(r->job->sizes[0], sz, sizeof(sz));
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

static int run_boot(struct run *r, int bidx, enum job_memmap mode,
		    boot_body body, void *arg)
{
	char f[4][PATH_MAX + 64], name[4][48];
	static const char *kind[] = {"console", "qemu", "qmp", "agent"};
	struct guest_params gp = {
		.job = r->job,
		.qemu_bin = r->qemu,
		.kernel = r->kernel,
		.initrd = r->initrd,
		.mode = mode,
		.hello_timeout_ms = r->job->boot_timeout_ms,
	};
	struct guest g;
	json_t *bj;
	int ret;

	for (int i = 0; i < 4; i++) {
		snprintf(name[i], sizeof(name[i]), "%s-%d.log", kind[i], bidx);
		store_path(&r->st, name[i], f[i], sizeof(f[i]));
	}
	gp.console_log = f[0];
	gp.stderr_log = f[1];
	gp.qmp_log = f[2];
	gp.agent_log = f[3];
	progress_note("boot %d: %s mode, memmap_on_memory=%d", bidx,
		      job_memmap_name(mode), mode == MEMMAP_SELF);
	ret = boot(r, &g, &gp);
	if (ret)
		return ret;
	r->tm.boot_ns += g.boot_ns;
	progress_note(
		"boot %d: guest up in %.1f s (%s, kernel %s, %lluM blocks)",
		bidx, g.boot_ns / 1e9, qemu_accel_name(g.accel),
		g.hello.kernel_release,
		(unsigned long long)(g.hello.block_size >> 20));
	check_mode(&g, mode);
	bj = boot_json(&g, bidx, mode);
	json_array_append_new(r->boots, bj);
	json_object_set_new(json_object_get(r->st.manifest, "accel"), "used",
			    json_string(qemu_accel_name(g.accel)));
	ret = body(r, &g, bidx, mode, bj, arg);
	if (!ret && (ret = store_save_manifest(&r->st)))
		err_set(EXIT_IO, "writing manifest.json: %s", strerror(-ret));
	/* A hung guest gets no polite power-off. */
	guest_shutdown(&g, err_class() == EXIT_HANG ? 0 : SHUTDOWN_MS);
	return ret;
}

/* One boot per (rep, target, mode); modes alternate within a target. */
static int run_oom_edge(struct run *r)
{
	const struct job *job = r->job;
	int ret = 0, bidx = 0, k = 0;

	for (int rep = 0; !ret && rep < job->reps; rep++)
		for (int t = 0; !ret && t < job->noom_targets; t++)
			for (int m = 0; !ret && m < job->nmodes; m++) {
				struct oom_arg a = {job->oom_targets[t], rep};
				char what[96], f[32];

				units_format_size(a.target, f, sizeof(f));
				snprintf(what, sizeof(what),
					 "oom-edge F=%s %s rep %d/%d", f,
					 job_memmap_name(job->modes[m]),
					 rep + 1, job->reps);
				progress_cycle(++k, what);
				ret = run_boot(r, bidx++, job->modes[m],
					       oom_body, &a);
			}
	return ret;
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
static int count_cycles(const struct job *job)
{
	if (job->benchmark == BENCH_OOM_EDGE)
		return job->reps * job->noom_targets * job->nmodes;
	return job->nmodes * job->boots *
	       (job->warmup + job->nsizes * job->reps);
}

/* Every run, complete or not, goes into <results>/history.db, the nightly
 * gate's baseline. A history that cannot be written costs a warning, not
 * the run: its samples are already safe in the run directory. */
static void append_history(const struct run *r)
{
	char db[2200], why[512];

	snprintf(db, sizeof(db), "%s/history.db", r->st.root);
	if (history_append_run(db, r->st.dir, why, sizeof(why)))
		warn_add("not added to %s: %s", db, why);
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
	json_object_set_new(m, "reason",
			    ret ? json_string(err_msg()) : json_null());
	json_object_set_new(m, "exit_code", json_integer(err_class()));
	json_object_set_new(m, "timing",
			    json_pack("{s:I,s:I,s:I}", "wall_ns",
				      (json_int_t)r->tm.wall_ns, "boot_ns",
				      (json_int_t)r->tm.boot_ns, "phase_ns",
				      (json_int_t)r->tm.phase_ns));
	store_path(&r->st, "samples.csv", path, sizeof(path));
	fflush(r->st.samples);
	if (!samples_load(path, &t, &line)) {
		sum = report_summary(&t, &r->tm);
		json_object_set_new(sum, "run_id", json_string(r->st.run_id));
		json_object_set(sum, "status", json_object_get(m, "status"));
		if (store_write_json(&r->st, "summary.json", sum))
			err_set(EXIT_IO, "writing summary.json in %s",
				r->st.dir);
		printf("\nmhpbench run %s (%s)\n", r->st.run_id,
		       ret ? "INCOMPLETE" : "complete");
		report_print(stdout, sum);
		json_decref(sum);
		samples_free(&t);
	}
	wret = store_save_manifest(&r->st);
	if (wret)
		err_set(EXIT_IO, "writing manifest.json: %s", strerror(-wret));
	store_link_latest(&r->st);
	append_history(r);
	printf("\nresults: %s\n", r->st.dir);
	fflush(stdout);
}

int runner_run(const struct job *job, const struct runner_opts *o)
{
	struct run r = {.job = job, .opts = o};
	int64_t t0 = clock_now_ns();
	char name[64];

	r.tm.inject_online_delay_ms = job->inject_online_delay_ms;
	int ret, bidx = 0;

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
		err_set(EXIT_IO, "writing manifest.json: %s", strerror(-ret));
	} else {
		r.total = count_cycles(job);
		progress_init(r.total);
		progress_note("run %s: %d cycles, results in %s", r.st.run_id,
			      r.total, r.st.dir);
	}
	if (!ret && job->benchmark == BENCH_OOM_EDGE)
		ret = run_oom_edge(&r);
	for (int b = 0;
	     !ret && job->benchmark == BENCH_CYCLES && b < job->boots; b++)
		for (int m = 0; !ret && m < job->nmodes; m++)
			ret = run_boot(&r, bidx++, job->modes[m], cycles_body,
				       NULL);
	finish(&r, ret, t0);
	gsl_rng_free(r.rng);
	store_close(&r.st);
	return ret ? ret : (err_isset() ? -EIO : 0);
}
