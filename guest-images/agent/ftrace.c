// SPDX-License-Identifier: GPL-2.0-or-later
#include "ftrace.h"
#include "ftrace_parse.h"
#include "sysfs.h"
#include "clock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#define DEFAULT_DEPTH 3
#define MAX_GRAPH_DEPTH 32
#define MAX_FUNCTIONS 64
#define MAX_BUFFER_KB (256 * 1024)
/* "raw": the trace text is returned up to this size (debugging, test
 * data): the serial line is slow under TCG. */
#define MAX_RAW_BYTES (64 << 10)

static const char *const tracefs_dirs[] = {
	"/sys/kernel/tracing",
	"/sys/kernel/debug/tracing",
};

/* The entry tried first is the one closest to the work; the others are
 * for kernels that inline it (6.1 and 6.12 inline
 * memory_block_online/offline, whose callers memory_subsys_online/offline
 * are traceable; docs/agent-protocol.md lists both kernels' functions). */
static const char *const online_entries[] = {
	"memory_block_online",
	"memory_subsys_online",
	"online_pages",
};
static const char *const offline_entries[] = {
	"memory_block_offline",
	"memory_subsys_offline",
	"offline_pages",
};

/* Settings the op changes, restored afterwards to what they were. The
 * context-info option must be on, or function_graph prints no durations;
 * funcgraph-proc keys the nesting by task, which survives CPU
 * migration; funcgraph-tail names the function on every '}'; irqs are
 * left out so only the writing task's calls are in the tree (their time
 * still counts in the durations). tracing_thresh must be 0, or only
 * slow returns are printed. */
static const struct {
	const char *file, *value;
} settings[] = {
	{"options/context-info", "1"},
	{"options/latency-format", "0"},
	{"options/sleep-time", "1"},
	{"options/funcgraph-duration", "1"},
	{"options/funcgraph-cpu", "1"},
	{"options/funcgraph-proc", "1"},
	{"options/funcgraph-tail", "1"},
	{"options/funcgraph-overhead", "1"},
	{"options/funcgraph-abstime", "0"},
	{"options/funcgraph-irqs", "0"},
	{"tracing_thresh", "0"},
};
#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))

struct tracer {
	const char *dir;
	char saved[NSETTINGS][32];
	int have[NSETTINGS];
	char tracing_on[8];
	long long buffer_kb; /* per-CPU size before, when we changed it */
	int err;	     /* first error of the teardown */
	char errtext[256];
};

static void tpath(const struct tracer *t, const char *file, char *buf,
		  size_t len)
{
	snprintf(buf, len, "%s/%s", t->dir, file);
}

/* Writes @value to a tracefs file, truncating it first (that is how
 * set_graph_function and trace are cleared). */
static int tf_write(const struct tracer *t, const char *file, const char *value)
{
	char path[256];
	size_t len = strlen(value);
	int fd, err = 0;

	tpath(t, file, path, sizeof(path));
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (len) {
		ssize_t n;

		do
			n = write(fd, value, len);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			err = -errno;
		else if ((size_t)n != len)
			err = -EIO;
	}
	if (close(fd) < 0 && !err)
		err = -errno;
	return err;
}

static int tf_read(const struct tracer *t, const char *file, char *buf,
		   size_t len)
{
	char path[256];

	tpath(t, file, path, sizeof(path));
	return sysfs_read(path, buf, len);
}

/* Reads a whole (large) tracefs file into a malloc'd NUL-terminated
 * buffer. */
static int tf_slurp(const struct tracer *t, const char *file, char **out,
		    size_t *outlen)
{
	char path[256];
	size_t cap = 1 << 20, len = 0;
	char *buf = malloc(cap);
	int fd, err = 0;

	if (!buf)
		return -ENOMEM;
	tpath(t, file, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	for (;;) {
		ssize_t n;

		if (cap - len < 65536) {
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				err = -ENOMEM;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (err) {
		free(buf);
		return err;
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
}

static int find_tracefs(struct tracer *t)
{
	for (size_t i = 0; i < sizeof(tracefs_dirs) / sizeof(tracefs_dirs[0]);
	     i++) {
		char path[256];

		snprintf(path, sizeof(path), "%s/current_tracer",
			 tracefs_dirs[i]);
		if (!access(path, W_OK)) {
			t->dir = tracefs_dirs[i];
			return 0;
		}
	}
	return -ENOENT;
}

static void teardown_fail(struct tracer *t, int err, const char *file)
{
	if (t->err)
		return;
	t->err = err;
	snprintf(t->errtext, sizeof(t->errtext), "could not restore %s/%s: %s",
		 t->dir, file, strerror(-err));
}

/* Back to no tracing, whatever state setup() got to. */
static void teardown(struct tracer *t)
{
	int r;

	if ((r = tf_write(t, "tracing_on", "0")))
		teardown_fail(t, r, "tracing_on");
	if ((r = tf_write(t, "current_tracer", "nop")))
		teardown_fail(t, r, "current_tracer");
	if ((r = tf_write(t, "set_graph_function", "")))
		teardown_fail(t, r, "set_graph_function");
	if ((r = tf_write(t, "max_graph_depth", "0")))
		teardown_fail(t, r, "max_graph_depth");
	for (size_t i = 0; i < NSETTINGS; i++)
		if (t->have[i] &&
		    (r = tf_write(t, settings[i].file, t->saved[i])))
			teardown_fail(t, r, settings[i].file);
	/* Frees nothing, but leaves no stale lines for a reader. */
	if ((r = tf_write(t, "trace", "")))
		teardown_fail(t, r, "trace");
	if (t->buffer_kb > 0) {
		char num[32];

		/* Gives the memory back: a tracing run should leave the guest
		 * as it found it. */
		snprintf(num, sizeof(num), "%lld", t->buffer_kb);
		if ((r = tf_write(t, "buffer_size_kb", num)))
			teardown_fail(t, r, "buffer_size_kb");
	}
	if (t->tracing_on[0] && (r = tf_write(t, "tracing_on", t->tracing_on)))
		teardown_fail(t, r, "tracing_on");
	if (t->err)
		proto_log("ftrace: %s", t->errtext);
}

/* The per-CPU ring buffer size now: "1408", or "7 (expanded: 1408)"
 * before the first tracer ran (the size it will have). */
static long long buffer_now(const struct tracer *t)
{
	char buf[64], *p;

	if (tf_read(t, "buffer_size_kb", buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, "expanded:");
	return strtoll(p ? p + 9 : buf, NULL, 10);
}

/* The per-CPU ring buffer a traced write needs: the events grow with the
 * pages of the block and with the depth. A 128M block's offline at depth 3
 * writes about 2.2 MB of events on 6.1 (PageHuge once per page from the
 * inlined scan_movable_pages), more than the default 1408 KB; a 1G block's
 * at depth 3 overflowed 32 MB (8160 events lost). So: 4 MB per 128 MiB of
 * block size up to depth 2, twice that at depth 3, four times from depth
 * 4, but never more than a quarter of MemAvailable over the CPUs, so that
 * the tracer cannot push the guest into reclaim. */
static long long auto_buffer_kb(long long depth)
{
	long long block = 128 << 20, per128 = depth <= 2   ? 4096
					      : depth == 3 ? 8192
							   : 16384;
	long long want, avail = 0, cpus = sysconf(_SC_NPROCESSORS_CONF);
	char bs[32], line[128];
	FILE *f;

	if (sysfs_read(SYSFS_MEMORY_DIR "/block_size_bytes", bs, sizeof(bs)) >
	    0)
		block = strtoll(bs, NULL, 16);
	want = per128 * (block / (128 << 20) > 0 ? block / (128 << 20) : 1);
	f = fopen("/proc/meminfo", "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %lld", &avail) == 1)
			break;
	if (f)
		fclose(f);
	if (avail > 0 && cpus > 0 && want > avail / 4 / cpus)
		want = avail / 4 / cpus;
	return want < MAX_BUFFER_KB ? want : MAX_BUFFER_KB;
}

/* Without @want_kb, auto_buffer_kb() or the present size if larger. Only
 * ever grown; teardown() restores the old size. *@now_kb: the size in
 * effect for the write. */
static int size_buffer(struct tracer *t, long long want_kb, long long depth,
		       long long *now_kb)
{
	long long now = buffer_now(t);
	char num[32];
	int r;

	*now_kb = now;
	if (want_kb <= 0) {
		want_kb = auto_buffer_kb(depth);
		if (now >= want_kb)
			return 0;
	}
	if (now == want_kb)
		return 0;
	snprintf(num, sizeof(num), "%lld", want_kb);
	r = tf_write(t, "buffer_size_kb", num);
	if (!r && now > 0)
		t->buffer_kb = now;
	if (!r)
		*now_kb = want_kb;
	return r;
}

/* Events the ring buffer overwrote or dropped since it was cleared, from
 * per_cpu/cpuN/stats: the text of "trace" does not always say. */
static unsigned long lost_in_buffer(const struct tracer *t)
{
	unsigned long lost = 0;

	for (int cpu = 0;; cpu++) {
		char file[64], buf[1024], *p;

		snprintf(file, sizeof(file), "per_cpu/cpu%d/stats", cpu);
		if (tf_read(t, file, buf, sizeof(buf)) < 0)
			break;
		if ((p = strstr(buf, "\noverrun:")))
			lost += strtoul(p + 9, NULL, 10);
		if ((p = strstr(buf, "dropped events:")))
			lost += strtoul(p + 15, NULL, 10);
	}
	return lost;
}

/* Sets up function_graph on one entry. On failure the error text is in
 * @res; the caller tears down either way. */
static int setup(struct tracer *t, const char *const *entries, int nentries,
		 long long depth, long long *buffer_kb, const char **chosen,
		 json_t *res)
{
	char num[32];
	int r;

	if (tf_read(t, "tracing_on", t->tracing_on, sizeof(t->tracing_on)) < 0)
		t->tracing_on[0] = '\0';
	for (size_t i = 0; i < NSETTINGS; i++)
		t->have[i] = tf_read(t, settings[i].file, t->saved[i],
				     sizeof(t->saved[i])) >= 0;
	if ((r = tf_write(t, "tracing_on", "0")) ||
	    (r = tf_write(t, "current_tracer", "nop")))
		return proto_fail(res, r, "cannot stop tracing in %s: %s",
				  t->dir, strerror(-r));
	*chosen = NULL;
	for (int i = 0; i < nentries && !*chosen; i++) {
		char line[FTRACE_NAME_MAX + 2], back[FTRACE_NAME_MAX + 64];

		/* The newline ends the name inside write(2), which then fails
		 * for a name the kernel does not know; without it the name is
		 * only looked up at close, which cannot report the error, and
		 * an empty filter means "trace everything". */
		snprintf(line, sizeof(line), "%s\n", entries[i]);
		r = tf_write(t, "set_graph_function", line);
		if (r && r != -EINVAL)
			return proto_fail(res, r, "set_graph_function: %s",
					  strerror(-r));
		if (!r &&
		    tf_read(t, "set_graph_function", back, sizeof(back)) > 0 &&
		    ftrace_name_eq(back, entries[i]))
			*chosen = entries[i];
	}
	if (!*chosen) {
		char list[256] = "";

		for (int i = 0; i < nentries; i++)
			snprintf(list + strlen(list),
				 sizeof(list) - strlen(list), "%s%s",
				 i ? ", " : "", entries[i]);
		return proto_fail(res, -EINVAL,
				  "entry function not traceable on this kernel "
				  "(not in available_filter_functions): %s",
				  list);
	}
	snprintf(num, sizeof(num), "%lld", depth);
	if ((r = tf_write(t, "max_graph_depth", num)))
		return proto_fail(res, r, "max_graph_depth: %s", strerror(-r));
	for (size_t i = 0; i < NSETTINGS; i++) {
		/* A missing option (older kernel) is not fatal. */
		r = tf_write(t, settings[i].file, settings[i].value);
		if (r && r != -ENOENT)
			return proto_fail(res, r, "%s: %s", settings[i].file,
					  strerror(-r));
	}
	r = size_buffer(t, *buffer_kb, depth, buffer_kb);
	if (r < 0)
		return proto_fail(res, r, "buffer_size_kb: %s", strerror(-r));
	if ((r = tf_write(t, "current_tracer", "function_graph")))
		return proto_fail(res, r, "current_tracer function_graph: %s",
				  strerror(-r));
	if ((r = tf_write(t, "trace", "")) ||
	    (r = tf_write(t, "tracing_on", "1")))
		return proto_fail(res, r, "cannot start tracing: %s",
				  strerror(-r));
	return 0;
}

/* Optional "functions": array of at most MAX_FUNCTIONS names. */
static int get_functions(const json_t *req, json_t *res, const json_t **out)
{
	const json_t *v = json_object_get(req, "functions");
	size_t i;

	*out = NULL;
	if (!v)
		return 0;
	if (!json_is_array(v) || json_array_size(v) > MAX_FUNCTIONS)
		goto bad;
	for (i = 0; i < json_array_size(v); i++) {
		const json_t *f = json_array_get(v, i);

		if (!json_is_string(f) || !json_string_length(f) ||
		    json_string_length(f) >= FTRACE_NAME_MAX)
			goto bad;
	}
	*out = v;
	return 0;
bad:
	return proto_fail(res, -EINVAL,
			  "argument \"functions\" must be an array of at most "
			  "%d function names",
			  MAX_FUNCTIONS);
}

/* Which of @functions available_filter_functions lacks (a name with a
 * ".isra.0"-like suffix counts as its plain name). */
static int untraceable(const struct tracer *t, const json_t *functions,
		       json_t **out)
{
	size_t n = json_array_size(functions), len, i;
	char *text, *line, *save;
	char *found = calloc(n ? n : 1, 1);
	int r;

	if (!found)
		return -ENOMEM;
	r = tf_slurp(t, "available_filter_functions", &text, &len);
	if (r < 0) {
		free(found);
		return r;
	}
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, " \t")] = '\0'; /* drop " [module]" */
		for (i = 0; i < n; i++) {
			const json_t *f = json_array_get(functions, i);

			if (!found[i] &&
			    ftrace_name_eq(line, json_string_value(f)))
				found[i] = 1;
		}
	}
	*out = json_array();
	for (i = 0; i < n; i++)
		if (!found[i])
			json_array_append(*out, json_array_get(functions, i));
	free(text);
	free(found);
	return 0;
}

static json_t *stat_json(unsigned long calls, uint64_t ns)
{
	return json_pack("{s:I,s:I}", "calls", (json_int_t)calls, "total_ns",
			 (json_int_t)ns);
}

/* {"child": {"calls", "total_ns"[, "children"]}, ...} in the order the
 * children were first called. */
static json_t *children_json(const struct ftrace_graph *g, int idx)
{
	json_t *obj = json_object();

	for (int c = g->nodes[idx].first_child; c >= 0;
	     c = g->nodes[c].next_sibling) {
		json_t *s = stat_json(g->nodes[c].calls, g->nodes[c].total_ns);

		if (g->nodes[c].first_child >= 0)
			json_object_set_new(s, "children", children_json(g, c));
		json_object_set_new(obj, g->nodes[c].name, s);
	}
	return obj;
}

static void put_trace(json_t *res, const struct ftrace_graph *g,
		      const char *entry, long long depth, int64_t setup_ns,
		      const json_t *functions, json_t *missing)
{
	const struct ftrace_node *root = &g->nodes[0];
	uint64_t kids = ftrace_graph_children_ns(g, 0);
	json_t *tr = json_object(), *fns;
	size_t i;

	json_object_set_new(tr, "entry", json_string(entry));
	json_object_set_new(tr, "depth", json_integer(depth));
	json_object_set_new(tr, "calls", json_integer((json_int_t)root->calls));
	json_object_set_new(tr, "total_ns",
			    json_integer((json_int_t)root->total_ns));
	json_object_set_new(tr, "children_ns", json_integer((json_int_t)kids));
	json_object_set_new(
		tr, "self_ns",
		json_integer(root->total_ns > kids
				     ? (json_int_t)(root->total_ns - kids)
				     : 0));
	json_object_set_new(tr, "coverage",
			    root->total_ns ? json_real((double)kids /
						       (double)root->total_ns)
					   : json_null());
	json_object_set_new(tr, "children", children_json(g, 0));
	if (functions) {
		fns = json_object();
		for (i = 0; i < json_array_size(functions); i++) {
			const char *name =
				json_string_value(json_array_get(functions, i));
			unsigned long calls;
			uint64_t ns;
			int gone = 0;

			for (size_t j = 0; j < json_array_size(missing); j++)
				if (!strcmp(json_string_value(
						    json_array_get(missing, j)),
					    name))
					gone = 1;
			if (gone)
				continue;
			ftrace_graph_sum(g, name, &calls, &ns);
			json_object_set_new(fns, name, stat_json(calls, ns));
		}
		json_object_set_new(tr, "functions", fns);
		json_object_set(tr, "untraceable", missing);
	}
	json_object_set_new(tr, "setup_ns", json_integer(setup_ns));
	json_object_set_new(tr, "lines", json_integer((json_int_t)g->lines));
	json_object_set_new(tr, "lost_events",
			    json_integer((json_int_t)g->lost_events));
	json_object_set_new(tr, "unattributed",
			    json_integer((json_int_t)g->unattributed));
	json_object_set_new(tr, "unparsed",
			    json_integer((json_int_t)g->unparsed));
	json_object_set_new(tr, "mismatched",
			    json_integer((json_int_t)g->mismatched));
	json_object_set_new(res, "trace", tr);
}

/* Appends one sentence to res["trace_error"]. */
static void trace_error(json_t *res, const char *text)
{
	const char *old =
		json_string_value(json_object_get(res, "trace_error"));
	char buf[1024];

	if (old)
		snprintf(buf, sizeof(buf), "%s; %s", old, text);
	else
		snprintf(buf, sizeof(buf), "%s", text);
	json_object_set_new(res, "trace_error", proto_string(buf));
}

static void untraceable_error(json_t *res, json_t *missing)
{
	char buf[768];
	struct utsname u;
	size_t i, n = 0;

	if (!json_array_size(missing))
		return;
	if (uname(&u) < 0)
		snprintf(u.release, sizeof(u.release), "this kernel");
	n = (size_t)snprintf(buf, sizeof(buf),
			     "not traceable on %s: ", u.release);
	for (i = 0; i < json_array_size(missing); i++)
		if (n < sizeof(buf))
			n += (size_t)snprintf(
				buf + n, sizeof(buf) - n, "%s%s", i ? ", " : "",
				json_string_value(json_array_get(missing, i)));
	if (n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - n,
			 " (inlined, notrace or absent: not in "
			 "available_filter_functions)");
	trace_error(res, buf);
}

static int traced(const json_t *req, json_t *res, int64_t deadline_ns,
		  int online)
{
	struct tracer t;
	const json_t *functions, *raw;
	json_t *missing = NULL;
	const char *entry = NULL, *chosen = NULL;
	const char *const *entries = online ? online_entries : offline_entries;
	int nentries = 3;
	long long depth = DEFAULT_DEPTH, buffer_kb = 0;
	struct ftrace_graph g;
	char *text = NULL;
	size_t len = 0;
	int64_t t0, setup_ns;
	unsigned long lost;
	int r, wr;

	memset(&t, 0, sizeof(t));
	if (json_object_get(req, "entry")) {
		r = proto_get_string(req, "entry", &entry, res);
		if (r < 0)
			return r;
		entries = &entry;
		nentries = 1;
	}
	raw = json_object_get(req, "raw");
	if (raw && !json_is_boolean(raw))
		return proto_fail(res, -EINVAL,
				  "argument \"raw\" must be a boolean");
	if ((r = proto_get_int(req, "depth", 1, MAX_GRAPH_DEPTH, 0, &depth,
			       res)) ||
	    (r = proto_get_int(req, "buffer_kb", 0, MAX_BUFFER_KB, 0,
			       &buffer_kb, res)) ||
	    (r = get_functions(req, res, &functions)))
		return r;
	if (find_tracefs(&t) < 0)
		return proto_fail(res, -ENOENT,
				  "no tracefs: neither /sys/kernel/tracing nor "
				  "/sys/kernel/debug/tracing is mounted");
	if (functions) {
		r = untraceable(&t, functions, &missing);
		if (r < 0)
			return proto_fail(
				res, r,
				"cannot read available_filter_functions: %s",
				strerror(-r));
	}
	t0 = clock_now_ns();
	r = setup(&t, entries, nentries, depth, &buffer_kb, &chosen, res);
	if (r < 0) {
		teardown(&t);
		json_decref(missing);
		return r;
	}
	setup_ns = clock_now_ns() - t0;

	wr = online ? sysfs_op_online(req, res, deadline_ns)
		    : sysfs_op_offline(req, res, deadline_ns);

	tf_write(&t, "tracing_on", "0");
	lost = lost_in_buffer(&t);
	r = tf_slurp(&t, "trace", &text, &len);
	teardown(&t);
	if (t.err)
		trace_error(res, t.errtext);
	if (r < 0) {
		char buf[128];

		snprintf(buf, sizeof(buf), "cannot read %s/trace: %s", t.dir,
			 strerror(-r));
		trace_error(res, buf);
		goto out;
	}
	r = ftrace_graph_parse(text, len, chosen, &g);
	if (r < 0) {
		trace_error(res, "out of memory parsing the trace");
		goto out;
	}
	if (lost > g.lost_events)
		g.lost_events = lost;
	put_trace(res, &g, chosen, depth, setup_ns, functions, missing);
	json_object_set_new(json_object_get(res, "trace"), "buffer_kb",
			    json_integer(buffer_kb));
	if (json_is_true(raw)) {
		json_t *tr = json_object_get(res, "trace");

		json_object_set_new(tr, "text",
				    len <= MAX_RAW_BYTES ? proto_string(text)
							 : json_null());
		json_object_set_new(tr, "text_bytes",
				    json_integer((json_int_t)len));
	}
	untraceable_error(res, missing);
	if (g.lost_events) {
		char buf[200];

		snprintf(buf, sizeof(buf),
			 "%lu trace events lost (buffer full at %lld KiB per "
			 "CPU): the breakdown is incomplete; lower depth or "
			 "raise buffer_kb",
			 g.lost_events, buffer_kb);
		trace_error(res, buf);
	}
	/* No "ns": the write was refused before it started. */
	if (!g.nodes[0].calls && json_object_get(res, "ns"))
		trace_error(res, "the entry function's return is not in the "
				 "trace");
	ftrace_graph_free(&g);
out:
	free(text);
	json_decref(missing);
	/* The write's own result: the block's state is what it says. */
	return wr;
}

int ftrace_op_online_traced(const json_t *req, json_t *res, int64_t deadline_ns)
{
	return traced(req, res, deadline_ns, 1);
}

int ftrace_op_offline_traced(const json_t *req, json_t *res,
			     int64_t deadline_ns)
{
	return traced(req, res, deadline_ns, 0);
}
