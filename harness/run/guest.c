// SPDX-License-Identifier: GPL-2.0-or-later
#include "run/guest.h"
#include "results/metric.h"
#include "config/zonesize.h"
#include "clock.h"
#include "base/err.h"
#include "base/sig.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define QMP_CONNECT_MS 10000
#define CONSOLE_LINES 20

void guest_cmdline(const struct job *job, enum job_memmap mode,
		   const char *kernel_extra, char *buf, size_t len)
{
	if (!kernel_extra)
		kernel_extra = "";
	/* memhp_default_state=offline: the harness does all onlining, so the
	 * online phase is ours to time. panic=-1 + -no-reboot: a panic ends
	 * QEMU at once instead of hanging until a deadline. */
	char pmem[64] = "";

	/* source = pmem: a legacy pmem region carved from guest RAM at
	 * JOB_PMEM_AT (e820 type 12, nd_e820); README "Persistent memory
	 * through dax/kmem". */
	if (job->source == SOURCE_PMEM)
		snprintf(pmem, sizeof(pmem), " memmap=%lluM!%lluM",
			 (unsigned long long)(job->pmem_size >> 20),
			 (unsigned long long)(JOB_PMEM_AT >> 20));
	snprintf(buf, len,
		 "console=ttyS0 panic=-1 memory_hotplug.memmap_on_memory=%d "
		 "memhp_default_state=offline%s%s%s%s%s",
		 mode == MEMMAP_SELF, pmem, job->cmdline_extra[0] ? " " : "",
		 job->cmdline_extra, kernel_extra[0] ? " " : "", kernel_extra);
}

uint64_t guest_maxmem(const struct job *job, uint64_t boot_mem, int dimms)
{
	if (job->maxmem)
		return job->maxmem;
	/* The benchmark says how many it keeps plugged at once (cycles:
	 * one; oom-edge: up to its cap). */
	return boot_mem + job_largest_dimm(job) * (uint64_t)dimms;
}

static int qemu_alive(void *arg)
{
	return !qemu_exited(arg);
}

static void destroy(struct guest *g)
{
	agent_close(&g->agent);
	if (g->qmp)
		qmp_close(g->qmp);
	g->qmp = NULL;
	qemu_stop(&g->vm);
	if (g->qmp_log)
		fclose(g->qmp_log);
	if (g->agent_log)
		fclose(g->agent_log);
	g->qmp_log = g->agent_log = NULL;
	g->up = 0;
}

void guest_sample_init(const struct guest *g, struct sample *s,
		       const char *run_id, enum job_memmap mode, uint64_t dimm,
		       int node)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->run_id, sizeof(s->run_id), "%s", run_id);
	snprintf(s->kernel, sizeof(s->kernel), "%s",
		 g->label[0] ? g->label : g->hello.kernel_release);
	snprintf(s->kernel_release, sizeof(s->kernel_release), "%s",
		 g->hello.kernel_release);
	snprintf(s->accel, sizeof(s->accel), "%s", qemu_accel_name(g->accel));
	snprintf(s->memmap, sizeof(s->memmap), "%s", job_memmap_name(mode));
	s->block_mib = (int64_t)(g->hello.block_size >> 20);
	s->dimm_mib = (int64_t)(dimm >> 20);
	s->node = node;
	s->block = -1;
	s->target_mib = -1;
	s->offline_fill_pct = -1;
	s->zone_present_mib = g->zone_present_mib;
	snprintf(s->source, sizeof(s->source), "%s",
		 job_source_name(g->source));
}

int guest_sample_write(struct store *st, struct sample *s, const char *phase,
		       const char *view, const char *metric, double value,
		       const char *unit)
{
	int ret;

	/* Every metric has a row in results/metric.c (its direction, how
	 * the analysis reads it): a name or unit it lacks is a bug here. */
	if (metric_check(metric, unit)) {
		err_set(EXIT_FAIL,
			"internal error: metric %s in %s is not in the table "
			"of results/metric.c",
			metric, unit);
		return -EINVAL;
	}
	snprintf(s->phase, sizeof(s->phase), "%s", phase);
	snprintf(s->view, sizeof(s->view), "%s", view);
	snprintf(s->metric, sizeof(s->metric), "%s", metric);
	snprintf(s->unit, sizeof(s->unit), "%s", unit);
	s->value = value;
	ret = store_sample(st, s);
	if (ret)
		err_set(EXIT_IO,
			"writing %s/samples.csv: %s (the file ends at its last "
			"complete row)",
			st->dir, strerror(-ret));
	return ret;
}

int guest_emit(const struct guest *g, const struct guest_step *at, int block,
	       const char *phase, const char *view, const char *metric,
	       double value, const char *unit)
{
	struct sample s;

	guest_sample_init(g, &s, at->st->run_id, at->mode, at->dimm, at->node);
	s.rep = at->rep;
	s.boot = at->boot;
	s.cycle = at->cycle;
	s.warmup = at->rep < 0;
	s.block = block;
	s.target_mib = at->target_mib;
	s.offline_fill_pct = at->offline_fill_pct;
	return guest_sample_write(at->st, &s, phase, view, metric, value, unit);
}

int64_t guest_phase_deadline(const struct job *job)
{
	return clock_now_ns() + job->phase_timeout_ms * NS_PER_MS;
}

void guest_append_console(const struct guest *g, int lines)
{
	char tail[4096];

	qemu_file_tail(g->vm.console_log, lines, tail, sizeof(tail));
	err_append("\n--- last %d lines of the guest console (%s) ---\n%s",
		   lines, g->vm.console_log, tail[0] ? tail : "(empty)\n");
}

static void exit_cause(struct guest *g, char *buf, size_t len);

/* Why a boot failed, in one line, plus QEMU's own stderr when it died. */
static void describe_failure(struct guest *g, int ret, int64_t timeout_ms,
			     char *why, size_t len)
{
	char st[128], tail[1024], cause[640];

	if (ret == -EINTR || sig_pending()) {
		snprintf(why, len, "interrupted during boot");
		return;
	}
	/* A QEMU that aborts (KVM refusing the CPU) closes its sockets a
	 * moment before it can be reaped; give it that moment. */
	qemu_wait_exit(&g->vm, clock_now_ns() + 500 * NS_PER_MS);
	if (qemu_exited(&g->vm)) {
		qemu_describe_exit(&g->vm, st, sizeof(st));
		qemu_file_tail(g->vm.stderr_log, 4, tail, sizeof(tail));
		while (*tail && tail[strlen(tail) - 1] == '\n')
			tail[strlen(tail) - 1] = '\0';
		exit_cause(g, cause, sizeof(cause));
		snprintf(why, len, "QEMU %s before the guest said hello%s%s%s",
			 st, cause, tail[0] ? ": " : "", tail);
		return;
	}
	if (ret == -ETIMEDOUT) {
		snprintf(why, len,
			 "guest agent did not say hello within %lld ms",
			 (long long)timeout_ms);
		return;
	}
	/* No QMP session: QMP's own words (the agent has not started). */
	if (!g->qmp && qmp_errmsg(NULL)[0])
		snprintf(why, len, "QMP: %s", qmp_errmsg(NULL));
	else
		snprintf(why, len, "%s",
			 g->agent.err[0] ? g->agent.err : strerror(-ret));
}

/* QEMU creates its sockets early; one that dies on bad options never does,
 * and must not cost the whole connect deadline. */
static int wait_socket(struct guest *g, int64_t deadline_ns)
{
	while (access(g->vm.qmp_sock, F_OK)) {
		if (qemu_exited(&g->vm))
			return -ECHILD;
		if (sig_pending())
			return -EINTR;
		if (clock_now_ns() >= deadline_ns)
			return -ETIMEDOUT;
		usleep(5000);
	}
	return 0;
}

/* Connects in short slices: QEMU may leave a stale socket behind when it
 * dies at start-up, and then only its exit tells us to stop trying. */
static int connect_sockets(struct guest *g)
{
	int64_t deadline = clock_now_ns() + QMP_CONNECT_MS * NS_PER_MS;
	int ret;

	ret = wait_socket(g, deadline);
	while (!ret && !g->qmp) {
		/* Connecting in slices; once connected, the handshake
		 * has until the deadline. Cut short at 200 ms, a slow
		 * QEMU (nested KVM under TCG, a loaded host) was
		 * disconnected mid-handshake and connected to again, and
		 * one boot so ended in "Protocol error". */
		ret = qmp_connect_split(&g->qmp, g->vm.qmp_sock,
					clock_now_ns() + 200 * NS_PER_MS,
					deadline);
		if (ret == -ETIMEDOUT || ret == -ECONNREFUSED ||
		    ret == -ENOENT) {
			if (qemu_exited(&g->vm))
				return -ECHILD;
			if (clock_now_ns() < deadline)
				ret = 0;
		}
	}
	if (ret)
		return ret;
	qmp_set_log(g->qmp, g->qmp_log);
	return agent_connect(&g->agent, g->vm.agent_sock, deadline);
}

static int connect_all(struct guest *g, const struct guest_params *p)
{
	int64_t t0 = g->vm.start_ns;
	int ret;

	ret = connect_sockets(g);
	if (ret)
		return ret;
	g->agent.log = g->agent_log;
	ret = agent_hello(&g->agent, &g->hello,
			  t0 + p->hello_timeout_ms * NS_PER_MS, qemu_alive,
			  &g->vm);
	if (!ret)
		g->boot_ns = clock_now_ns() - t0;
	return ret;
}

int guest_boot(struct guest *g, const struct guest_params *p, int quiet_fail,
	       char *why, size_t whylen)
{
	const struct job *job = p->job;
	struct qemu_opts o = {
		.binary = p->qemu_bin,
		.kernel = p->kernel,
		.initrd = p->initrd,
		.append = g->cmdline,
		.accel = p->accel,
		.icount_shift = job->icount_shift,
		.tcg_single = job->tcg_single == JOB_YES,
		.smp = job->smp,
		.boot_mem = p->boot_mem ? p->boot_mem : job->boot_mem,
		.maxmem =
			guest_maxmem(job,
				     p->boot_mem ? p->boot_mem : job->boot_mem,
				     p->dimms_at_once ? p->dimms_at_once : 1) +
			(job->maxmem || !p->zone_axis
				 ? 0
				 : zonesize_plugged(job->zone,
						    p->zone_present)),
		.slots = job->slots,
		.nodes = job->nodes,
		.nnodes = job->nnodes,
		.console_log = p->console_log,
		.stderr_log = p->stderr_log,
	};
	/* source = pmem: the region is guest RAM too, and kmem wants it on
	 * a NUMA node, which a guest without an SRAT does not give it (kmem:
	 * "rejecting DAX region with invalid node: -1"): one node of all of
	 * it. */
	struct job_node pmem_node = {0};
	int ret;

	if (job->source == SOURCE_PMEM) {
		o.boot_mem += job->pmem_size;
		o.maxmem += job->pmem_size;
		pmem_node.mem = o.boot_mem;
		int cpus = p->accel == QEMU_TCG_ICOUNT ? 1 : job->smp;

		pmem_node.cpus = cpus >= 64 ? ~0ULL : (1ULL << cpus) - 1;
		pmem_node.host_node = -1;
		o.nodes = &pmem_node;
		o.nnodes = 1;
	}
	memset(g, 0, sizeof(*g));
	g->agent.fd = -1;
	g->accel = p->accel;
	g->source = job->source;
	g->boot_mem = o.boot_mem;
	g->zone_present_mib =
		p->zone_axis ? (int64_t)(p->zone_present >> 20) : -1;
	snprintf(g->label, sizeof(g->label), "%s", p->label ? p->label : "");
	snprintf(g->kernel, sizeof(g->kernel), "%s",
		 p->kernel ? p->kernel : "");
	snprintf(g->vcpu_log, sizeof(g->vcpu_log), "%s",
		 p->vcpu_log ? p->vcpu_log : "");
	guest_cmdline(job, p->mode, p->cmdline_extra, g->cmdline,
		      sizeof(g->cmdline));
	g->qmp_log = fopen(p->qmp_log, "w");
	g->agent_log = fopen(p->agent_log, "w");
	ret = qemu_start(&g->vm, &o);
	if (ret) {
		snprintf(why, whylen, "cannot start %s: %s", p->qemu_bin,
			 strerror(-ret));
		if (!quiet_fail)
			err_set(EXIT_ENV, "%s", why);
		destroy(g);
		return ret;
	}
	ret = connect_all(g, p);
	if (!ret) {
		g->up = 1;
		return 0;
	}
	describe_failure(g, ret, p->hello_timeout_ms, why, whylen);
	if (!quiet_fail && sig_pending()) {
		err_set(EXIT_INTR, "boot (%s): %s", qemu_accel_name(p->accel),
			why);
	} else if (!quiet_fail) {
		err_set(EXIT_BOOT, "boot (%s): %s", qemu_accel_name(p->accel),
			why);
		guest_append_console(g, CONSOLE_LINES);
	}
	destroy(g);
	return ret;
}

void guest_shutdown(struct guest *g, int64_t timeout_ms)
{
	int64_t deadline = clock_now_ns() + timeout_ms * NS_PER_MS;

	if (g->up && !qemu_exited(&g->vm) &&
	    !agent_poweroff(&g->agent, deadline))
		qemu_wait_exit(&g->vm, deadline);
	destroy(g);
}

/* The first panic line is the cause: what the console shows after it
 * follows from it (Linux closes with "---[ end Kernel panic - not
 * syncing: ... ]---", a nested panic may come on the way down). The line
 * is quoted from "Kernel panic" on, without the console's timestamp, as
 * README's table of failures shows it. */
static void console_find(const char *console, const char *what, char *buf,
			 size_t len)
{
	char line[512];
	FILE *f = fopen(console, "r");

	buf[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, what);

		if (p) {
			p[strcspn(p, "\r\n")] = '\0';
			snprintf(buf, len, "%s", p);
			break;
		}
	}
	fclose(f);
}

void guest_panic_line(const char *console, char *buf, size_t len)
{
	console_find(console, "Kernel panic", buf, len);
}

/* A guest reset that the kernel did not announce: QEMU's SHUTDOWN event
 * (still in the socket after QEMU exits; -no-reboot turns a reset into
 * an exit) says guest-reset, and the console has no "reboot:" or sysrq
 * reset line. A triple fault ends so; a nested guest once did (README,
 * "KVM on a lab host"). */
static int silent_reset(struct guest *g)
{
	struct qmp_event ev;
	const char *reason;
	int ret;

	if (!g->qmp || qmp_wait_event(g->qmp, "SHUTDOWN", NULL, NULL, &ev,
				      clock_now_ns() + 200 * NS_PER_MS))
		return 0;
	char line[512];

	reason = json_string_value(json_object_get(ev.data, "reason"));
	console_find(g->vm.console_log, "reboot: ", line, sizeof(line));
	if (!line[0])
		console_find(g->vm.console_log, "sysrq: Resetting", line,
			     sizeof(line));
	ret = reason && !strcmp(reason, "guest-reset") && !line[0];
	qmp_event_free(&ev);
	return ret;
}

/* What the guest did as QEMU ended, for a message that says QEMU exited:
 * "; the guest kernel panicked: LINE", a silent reset, or "". */
static void exit_cause(struct guest *g, char *buf, size_t len)
{
	char panic[512];

	guest_panic_line(g->vm.console_log, panic, sizeof(panic));
	if (panic[0])
		snprintf(buf, len, "; the guest kernel panicked: %s", panic);
	else if (silent_reset(g))
		snprintf(buf, len,
			 "; the guest reset without a word from its kernel "
			 "(QMP SHUTDOWN, reason guest-reset; no panic, reboot "
			 "or sysrq line on the console), as a triple fault "
			 "does");
	else
		buf[0] = '\0';
}

int guest_death(struct guest *g, int channel_closed, char *buf, size_t len)
{
	char st[128], cause[640];

	/* A guest that panics, or a QEMU that is killed, closes the sockets
	 * a moment before QEMU can be reaped. */
	if (channel_closed)
		qemu_wait_exit(&g->vm, clock_now_ns() + 2 * NS_PER_S);
	if (!qemu_exited(&g->vm)) {
		snprintf(buf, len,
			 "QEMU is running, the guest is not answering");
		return 0;
	}
	g->up = 0; /* nothing left to power off */
	qemu_describe_exit(&g->vm, st, sizeof(st));
	exit_cause(g, cause, sizeof(cause));
	snprintf(buf, len, "QEMU died: %s%s", st, cause);
	return 1;
}

int guest_qmp_fail(struct guest *g, int ret, const char *what)
{
	char st[768];

	if (ret == -EIO) { /* qmp_errmsg() names the command and QEMU's desc */
		err_set(EXIT_QMP, "QEMU refused QMP %s", qmp_errmsg(g->qmp));
		return ret;
	}
	if (ret != -EPIPE && ret != -ETIMEDOUT) {
		err_set(EXIT_QMP, "%s: %s", what, strerror(-ret));
		return ret;
	}
	guest_death(g, ret == -EPIPE, st, sizeof(st));
	err_set(EXIT_HANG, "%s: %s; %s", what, strerror(-ret), st);
	guest_append_console(g, 20);
	return ret;
}

int guest_vcpu_threads(struct guest *g, pid_t *tids, int max, int *n)
{
	json_t *ret = NULL, *cpu;
	size_t i;
	int r = qmp_execute(g->qmp, "query-cpus-fast", NULL, &ret,
			    clock_now_ns() + 10 * NS_PER_MS * 1000, NULL);

	*n = 0;
	if (r)
		return r;
	json_array_foreach(ret, i, cpu)
	{
		int idx = (int)json_integer_value(
			json_object_get(cpu, "cpu-index"));

		if (idx >= 0 && idx < max) {
			tids[idx] = (pid_t)json_integer_value(
				json_object_get(cpu, "thread-id"));
			if (idx + 1 > *n)
				*n = idx + 1;
		}
	}
	json_decref(ret);
	return 0;
}
