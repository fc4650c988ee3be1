// SPDX-License-Identifier: GPL-2.0-or-later
#include "pmu.h"
#include "pmu_encode.h"
#include "sysfs.h"
#include "clock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_EVENTS 32
#define MAX_CPUS 1024
#define NAME_MAX_LEN 256

struct pmu_event {
	char name[NAME_MAX_LEN];
	char fstr[NAME_MAX_LEN];
	/* Not available: why (libpfm or perf_event_open said so). */
	char reason[384];
	int bad_name; /* libpfm could not encode it: a user error */
	int err;      /* errno of perf_event_open, or 0 */
	int available;
	struct perf_event_attr attr;
	int *fds; /* one per entry of cpus[] */
};

static struct {
	struct pmu_event *ev;
	int nev;
	int cpus[MAX_CPUS];
	int ncpus;
} set;

static void close_all(void)
{
	for (int i = 0; i < set.nev; i++) {
		if (set.ev[i].fds)
			for (int c = 0; c < set.ncpus; c++)
				if (set.ev[i].fds[c] >= 0)
					close(set.ev[i].fds[c]);
		free(set.ev[i].fds);
	}
	free(set.ev);
	set.ev = NULL;
	set.nev = 0;
	set.ncpus = 0;
}

/* /sys/devices/system/cpu/online: "0-1", "0,2-3". */
static int online_cpus(void)
{
	char buf[4096], *p = buf, *end;
	int r = sysfs_read("/sys/devices/system/cpu/online", buf, sizeof(buf));

	set.ncpus = 0;
	if (r < 0)
		return r;
	while (*p) {
		long a = strtol(p, &end, 10), b = a;

		if (end == p)
			return -EINVAL;
		p = end;
		if (*p == '-') {
			b = strtol(p + 1, &end, 10);
			if (end == p + 1)
				return -EINVAL;
			p = end;
		}
		for (long c = a; c <= b && set.ncpus < MAX_CPUS; c++)
			set.cpus[set.ncpus++] = (int)c;
		if (*p == ',')
			p++;
		else if (*p)
			return -EINVAL;
	}
	return set.ncpus ? 0 : -ENOENT;
}

static const char *why_not(int err)
{
	switch (err) {
	case ENOENT:
	case EOPNOTSUPP:
	case ENODEV:
		return "no PMU for this event on this machine";
	case EACCES:
	case EPERM:
		return "not permitted (see "
		       "/proc/sys/kernel/perf_event_paranoid)";
	case EINVAL:
		return "the kernel refused the encoding";
	case EMFILE:
	case ENFILE:
		return "out of file descriptors";
	default:
		return "perf_event_open failed";
	}
}

static void open_event(struct pmu_event *e, int pfm_init)
{
	char err[160];
	int r;

	if (pfm_init) {
		snprintf(e->reason, sizeof(e->reason),
			 "libpfm4 found no usable PMU: %s",
			 pfm_strerror(pfm_init));
		return;
	}
	r = pmu_encode(e->name, &e->attr, e->fstr, sizeof(e->fstr), err,
		       sizeof(err));
	if (r) {
		e->bad_name = 1;
		snprintf(e->reason, sizeof(e->reason),
			 "libpfm4 cannot encode it: %s", err);
		return;
	}
	e->attr.read_format =
		PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	e->attr.disabled = 0;
	e->attr.inherit = 0;
	e->fds = malloc((size_t)set.ncpus * sizeof(int));
	if (!e->fds) {
		snprintf(e->reason, sizeof(e->reason), "out of memory");
		return;
	}
	for (int c = 0; c < set.ncpus; c++)
		e->fds[c] = -1;
	for (int c = 0; c < set.ncpus; c++) {
		/* pid -1, cpu c: everything that runs on that CPU. */
		e->fds[c] = perf_event_open(&e->attr, -1, set.cpus[c], -1,
					    PERF_FLAG_FD_CLOEXEC);
		if (e->fds[c] < 0) {
			e->err = errno;
			snprintf(e->reason, sizeof(e->reason),
				 "%s (perf_event_open on cpu %d: %s)",
				 why_not(e->err), set.cpus[c],
				 strerror(e->err));
			for (int k = 0; k < c; k++)
				close(e->fds[k]);
			for (int k = 0; k < set.ncpus; k++)
				e->fds[k] = -1;
			return;
		}
	}
	e->available = 1;
}

/* The fields every event carries in pmu_open and pmu_read replies. */
static json_t *event_json(const struct pmu_event *e)
{
	json_t *o = json_object();

	json_object_set_new(o, "event", proto_string(e->name));
	json_object_set_new(o, "available", json_boolean(e->available));
	if (e->fstr[0])
		json_object_set_new(o, "encoding", proto_string(e->fstr));
	if (!e->available) {
		/* A bad name is an error of the request; a missing PMU is a
		 * fact of the machine. Neither is ever reported as 0. */
		json_object_set_new(o, e->bad_name ? "error" : "reason",
				    proto_string(e->reason));
		if (e->err)
			json_object_set_new(o, "errno", json_integer(e->err));
	}
	return o;
}

int pmu_op_open(const json_t *req, json_t *res, int64_t deadline_ns)
{
	const json_t *evs = json_object_get(req, "events");
	json_t *out, *v;
	size_t i;
	int r, pfm_init, navail = 0;

	(void)deadline_ns;
	if (!json_is_array(evs) || !json_array_size(evs) ||
	    json_array_size(evs) > MAX_EVENTS)
		goto bad;
	for (i = 0; i < json_array_size(evs); i++) {
		v = json_array_get(evs, i);
		if (!json_is_string(v) || json_string_length(v) >= NAME_MAX_LEN)
			goto bad;
	}
	close_all();
	r = online_cpus();
	if (r < 0)
		return proto_fail(res, r, "cannot read the online CPUs: %s",
				  strerror(-r));
	set.ev = calloc(json_array_size(evs), sizeof(*set.ev));
	if (!set.ev)
		return proto_fail(res, -ENOMEM, "out of memory");
	set.nev = (int)json_array_size(evs);
	pfm_init = pmu_encode_init();
	out = json_array();
	for (i = 0; i < json_array_size(evs); i++) {
		struct pmu_event *e = &set.ev[i];

		v = json_array_get(evs, i);
		snprintf(e->name, sizeof(e->name), "%s", json_string_value(v));
		open_event(e, pfm_init);
		navail += e->available;
		json_array_append_new(out, event_json(e));
	}
	json_object_set_new(res, "events", out);
	json_object_set_new(res, "available", json_integer(navail));
	out = json_array();
	for (int c = 0; c < set.ncpus; c++)
		json_array_append_new(out, json_integer(set.cpus[c]));
	json_object_set_new(res, "cpus", out);
	json_object_set_new(res, "ts_ns", json_integer(clock_now_ns()));
	return 0;
bad:
	return proto_fail(res, -EINVAL,
			  "argument \"events\" must be an array of 1 to %d "
			  "event names",
			  MAX_EVENTS);
}

/* Sums one event over the CPUs; each CPU's count is scaled by its own
 * enabled/running times first, as perf does. */
static json_t *read_event(const struct pmu_event *e)
{
	json_t *o = event_json(e);
	uint64_t raw = 0, enabled = 0, running = 0;
	double scaled = 0;
	int multiplexed = 0, unscheduled = 0;

	if (!e->available)
		return o;
	for (int c = 0; c < set.ncpus; c++) {
		uint64_t v[3];
		ssize_t n = read(e->fds[c], v, sizeof(v));

		if (n != (ssize_t)sizeof(v)) {
			char text[160];

			snprintf(text, sizeof(text), "read on cpu %d: %s",
				 set.cpus[c],
				 n < 0 ? strerror(errno) : "short read");
			json_object_set_new(o, "available", json_false());
			json_object_set_new(o, "reason", json_string(text));
			return o;
		}
		raw += v[0];
		enabled += v[1];
		running += v[2];
		if (v[2] < v[1])
			multiplexed = 1;
		if (v[2])
			scaled += (double)v[0] * (double)v[1] / (double)v[2];
		else if (v[1])
			unscheduled = 1;
	}
	if (unscheduled)
		/* Never on the PMU on some CPU: no estimate exists. */
		json_object_set_new(o, "value", json_null());
	else
		json_object_set_new(o, "value",
				    json_integer((json_int_t)(scaled + 0.5)));
	json_object_set_new(o, "raw", json_integer((json_int_t)raw));
	json_object_set_new(o, "time_enabled_ns",
			    json_integer((json_int_t)enabled));
	json_object_set_new(o, "time_running_ns",
			    json_integer((json_int_t)running));
	json_object_set_new(o, "multiplexed", json_boolean(multiplexed));
	return o;
}

int pmu_op_read(const json_t *req, json_t *res, int64_t deadline_ns)
{
	json_t *out;

	(void)req;
	(void)deadline_ns;
	if (!set.nev)
		return proto_fail(res, -ENOENT,
				  "no events open: send pmu_open first");
	out = json_array();
	for (int i = 0; i < set.nev; i++)
		json_array_append_new(out, read_event(&set.ev[i]));
	json_object_set_new(res, "events", out);
	json_object_set_new(res, "ts_ns", json_integer(clock_now_ns()));
	return 0;
}

int pmu_op_close(const json_t *req, json_t *res, int64_t deadline_ns)
{
	(void)req;
	(void)deadline_ns;
	json_object_set_new(res, "closed", json_integer(set.nev));
	close_all();
	return 0;
}
