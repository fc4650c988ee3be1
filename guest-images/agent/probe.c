// SPDX-License-Identifier: GPL-2.0-or-later
#include "probe.h"
#include "sysfs.h"
#include "clock.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PROBE_SYSFS "/sys/module/mhp_probe"
#define DEBUGFS "/sys/kernel/debug"
#define PROBE_CTL DEBUGFS "/mhp_probe/ctl"
#define PROBE_RESULT DEBUGFS "/mhp_probe/result"
/* Same bounds as the module's (mhp_probe.c). */
#define PROBE_MAX_PASSES 1000
#define PROBE_DEFAULT_PASSES 5
#define RESULT_MAX 4096
#define KMSG_KEEP 8

static int probe_loaded(void)
{
	struct stat st;

	return stat(PROBE_SYSFS, &st) == 0;
}

/* The module's files need debugfs; init mounts it, but an agent started
 * by hand may find it unmounted. */
static int ctl_ready(void)
{
	if (access(PROBE_CTL, W_OK) == 0)
		return 0;
	if (mount("debugfs", DEBUGFS, "debugfs", 0, NULL) < 0 && errno != EBUSY)
		return -errno;
	return access(PROBE_CTL, W_OK) == 0 ? 0 : -errno;
}

/* Kernel log lines about mhp_probe written since @fd was opened at the end
 * of the log: the kernel says there why it refused a module (for example
 * "version magic ... should be ..."). */
static json_t *kmsg_since(int fd)
{
	json_t *arr = json_array();
	char rec[2048];
	ssize_t n;

	if (fd < 0)
		return arr;
	for (int k = 0; k < 256; k++) {
		char *text;

		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue; /* overwritten before we read it */
		if (n <= 0)
			break;
		rec[n] = '\0';
		text = strchr(rec, ';');
		text = text ? text + 1 : rec;
		text[strcspn(text, "\n")] = '\0';
		if (strstr(text, "mhp_probe") &&
		    json_array_size(arr) < KMSG_KEEP)
			json_array_append_new(arr, proto_string(text));
	}
	return arr;
}

static void put_taint(json_t *res)
{
	char buf[64];

	if (sysfs_read("/proc/sys/kernel/tainted", buf, sizeof(buf)) > 0)
		json_object_set_new(res, "tainted",
				    json_integer(strtoll(buf, NULL, 10)));
}

int probe_op_load(const json_t *req, json_t *res, int64_t deadline_ns)
{
	const char *path = PROBE_MODULE_PATH;
	int fd, kmsg = -1, r = 0;
	json_t *lines;
	int64_t t0, t1;

	(void)deadline_ns;
	if (json_object_get(req, "path")) {
		r = proto_get_string(req, "path", &path, res);
		if (r < 0)
			return r;
	}
	json_object_set_new(res, "path", proto_string(path));
	if (probe_loaded()) {
		json_object_set_new(res, "already_loaded", json_true());
		goto ready;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		return proto_fail(res, r, "module file %s: %s", path,
				  strerror(-r));
	}
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg >= 0)
		lseek(kmsg, 0, SEEK_END);
	t0 = clock_now_ns();
	r = (int)syscall(SYS_finit_module, fd, "", 0);
	t1 = clock_now_ns();
	r = r < 0 ? -errno : 0;
	close(fd);
	lines = kmsg_since(kmsg);
	if (kmsg >= 0)
		close(kmsg);
	json_object_set_new(res, "kmsg", lines);
	if (r == -EEXIST) {
		/* Loaded by someone else in the meantime: fine. */
		json_object_set_new(res, "already_loaded", json_true());
		goto ready;
	}
	if (r < 0) {
		/* The kernel's last word names the cause (vermagic, ...). */
		size_t nl = json_array_size(lines);
		const char *said =
			nl ? json_string_value(json_array_get(lines, nl - 1))
			   : NULL;

		return proto_fail(res, r, "finit_module(%s): %s%s%s%s", path,
				  strerror(-r),
				  r == -ENOEXEC ? " (not built for this kernel)"
						: "",
				  said ? "; kernel: " : "", said ? said : "");
	}
	json_object_set_new(res, "already_loaded", json_false());
	json_object_set_new(res, "load_ns", json_integer(t1 - t0));
ready:
	put_taint(res);
	r = ctl_ready();
	if (r < 0)
		return proto_fail(res, r, "mhp_probe is loaded but %s: %s",
				  PROBE_CTL, strerror(-r));
	json_object_set_new(res, "loaded", json_true());
	json_object_set_new(res, "ctl", json_string(PROBE_CTL));
	json_object_set_new(res, "result", json_string(PROBE_RESULT));
	return 0;
}

/* "a:1,b:2" with decimal a and b, or "" (a key=value line of the module
 * that lists nodes): an object, else NULL. */
static json_t *node_list(const char *v)
{
	json_t *obj = json_object();
	char key[24];

	while (*v) {
		char *end;
		long long nid, n;

		errno = 0;
		nid = strtoll(v, &end, 10);
		if (end == v || *end != ':' || errno || nid < 0)
			goto bad;
		v = end + 1;
		n = strtoll(v, &end, 10);
		if (end == v || errno || (*end && *end != ','))
			goto bad;
		snprintf(key, sizeof(key), "%lld", nid);
		json_object_set_new(obj, key, json_integer(n));
		v = *end ? end + 1 : end;
	}
	return obj;
bad:
	json_decref(obj);
	return NULL;
}

/* One value of the module's result: decimal → integer, d.ddd → real,
 * 0x hex → integer when it fits in 63 bits (kernel virtual addresses do
 * not and stay strings), node lists → object, anything else → string. */
static json_t *result_value(const char *key, const char *v)
{
	char *end;
	json_t *j;

	if (strstr(key, "_node_") && (j = node_list(v)))
		return j;
	if (!*v || isspace((unsigned char)*v))
		return proto_string(v);
	errno = 0;
	if (v[0] == '0' && v[1] == 'x') {
		unsigned long long x = strtoull(v + 2, &end, 16);

		if (!*end && !errno && end != v + 2 && x <= LLONG_MAX)
			return json_integer((json_int_t)x);
		return proto_string(v);
	}
	{
		long long x = strtoll(v, &end, 10);

		if (!*end && !errno && end != v)
			return json_integer(x);
	}
	if (isdigit((unsigned char)*v)) {
		double d = strtod(v, &end);

		if (!*end)
			return json_real(d);
	}
	return proto_string(v);
}

/* Every "key=value" line of @text into @res, except "status" and "errno".
 * Returns the "error" value (in @text) or NULL. */
static const char *put_result(char *text, json_t *res)
{
	const char *error = NULL;
	char *line, *save;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');

		if (!eq)
			continue;
		*eq = '\0';
		if (!strcmp(line, "error"))
			error = eq + 1;
		else if (strcmp(line, "status") && strcmp(line, "errno"))
			json_object_set_new(res, line,
					    result_value(line, eq + 1));
	}
	return error;
}

int probe_op_block(const json_t *req, json_t *res, int64_t deadline_ns)
{
	long long block = -1, passes = PROBE_DEFAULT_PASSES;
	char cmd[96], text[RESULT_MAX];
	const char *error;
	int64_t t0, t1;
	ssize_t n;
	int fd, r;

	r = proto_get_int(req, "block", 0, 1LL << 40, 1, &block, res);
	if (r == 0)
		r = proto_get_int(req, "passes", 1, PROBE_MAX_PASSES, 0,
				  &passes, res);
	if (r < 0)
		return r;
	json_object_set_new(res, "block", json_integer(block));
	if (!probe_loaded())
		return proto_fail(res, -ENOENT,
				  "the probe module is not loaded "
				  "(send probe_load first)");
	r = ctl_ready();
	if (r < 0)
		return proto_fail(res, r, "%s: %s", PROBE_CTL, strerror(-r));
	if (clock_poll_ms(deadline_ns) == 0)
		return proto_fail(res, -ETIMEDOUT, "deadline already past");
	fd = open(PROBE_CTL, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		return proto_fail(res, r, "%s: %s", PROBE_CTL, strerror(-r));
	}
	snprintf(cmd, sizeof(cmd), "block=%lld passes=%lld\n", block, passes);
	/* One write(2): the module runs the probe inside it. */
	t0 = clock_now_ns();
	n = write(fd, cmd, strlen(cmd));
	t1 = clock_now_ns();
	r = n < 0 ? -errno : 0;
	close(fd);
	json_object_set_new(res, "probe_ns", json_integer(t1 - t0));
	n = sysfs_read(PROBE_RESULT, text, sizeof(text));
	if (r < 0) {
		json_t *junk = json_object();

		error = n > 0 ? put_result(text, junk) : NULL;
		r = proto_fail(res, r, "probe of block %lld: %s", block,
			       error ? error : strerror(-r));
		json_decref(junk);
		return r;
	}
	if (n < 0)
		return proto_fail(res, (int)n, "%s: %s", PROBE_RESULT,
				  strerror((int)-n));
	error = put_result(text, res);
	if (error)
		return proto_fail(res, -EIO, "probe result says: %s", error);
	return 0;
}
