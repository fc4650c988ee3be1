// SPDX-License-Identifier: GPL-2.0-or-later
#include "info.h"
#include "sysfs.h"
#include "clock.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

#define NODE_DIR "/sys/devices/system/node"

/* Sets @key to the text of @path, or null when it cannot be read (for
 * example a parameter the kernel does not have). */
static void put_file(json_t *res, const char *key, const char *path)
{
	char buf[4096];

	if (sysfs_read(path, buf, sizeof(buf)) < 0)
		json_object_set_new(res, key, json_null());
	else
		json_object_set_new(res, key, proto_string(buf));
}

/* Sets @key to the hex number in @path (sysfs writes them without 0x),
 * or null. */
static void put_hex(json_t *res, const char *key, const char *path)
{
	char buf[64], *end;
	unsigned long long v;

	if (sysfs_read(path, buf, sizeof(buf)) <= 0)
		goto null;
	errno = 0;
	v = strtoull(buf, &end, 16);
	if (*end || errno || v > LLONG_MAX)
		goto null;
	json_object_set_new(res, key, json_integer((json_int_t)v));
	return;
null:
	json_object_set_new(res, key, json_null());
}

/* @name is @prefix followed by a decimal number only: returns it, else -1. */
static int num_suffix(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	char *end;
	long v;

	if (strncmp(name, prefix, n) || !isdigit((unsigned char)name[n]))
		return -1;
	errno = 0;
	v = strtol(name + n, &end, 10);
	if (*end || errno || v > INT_MAX)
		return -1;
	return (int)v;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* The numbers N of the entries "<prefix>N" in @dir, sorted, in a malloc'd
 * array. Returns how many, or -errno. */
static int list_numbered(const char *dir, const char *prefix, int **out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int *v = NULL, *nv;
	size_t n = 0, cap = 0;

	*out = NULL;
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		int x = num_suffix(de->d_name, prefix);

		if (x < 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				closedir(d);
				return -ENOMEM;
			}
			v = nv;
		}
		v[n++] = x;
	}
	closedir(d);
	if (n > INT_MAX)
		n = INT_MAX;
	qsort(v, n, sizeof(*v), cmp_int);
	*out = v;
	return (int)n;
}

#define HOTPLUG_PARAMS "/sys/module/memory_hotplug/parameters"

/* Every memory_hotplug.* parameter, name to value: what the kernel can do
 * (memmap_on_memory exists, is on, is "force") and what a patch changed. */
static json_t *hotplug_params(void)
{
	DIR *d = opendir(HOTPLUG_PARAMS);
	json_t *params = json_object();
	struct dirent *de;
	char path[512], buf[256];

	if (!d)
		return params;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", HOTPLUG_PARAMS,
			 de->d_name);
		if (sysfs_read(path, buf, sizeof(buf)) >= 0)
			json_object_set_new(params, de->d_name,
					    proto_string(buf));
	}
	closedir(d);
	return params;
}

/* Where the kernel's text starts in this boot (KASLR moves it): the host
 * turns a vCPU's RIP into a symbol with it and the kernel's System.map
 * when the guest stops answering (README, "Faults and interruptions").
 * "_text" comes within the first few thousand lines of /proc/kallsyms;
 * null when it is hidden (kptr_restrict) or absent. */
static void put_text_base(json_t *res)
{
	char line[256], addr[32];
	FILE *f = fopen("/proc/kallsyms", "r");
	unsigned long long v = 0;
	int n = 0;

	/* Hidden addresses read as 0: give up rather than read it all. */
	while (f && !v && n++ < 20000 && fgets(line, sizeof(line), f)) {
		char type, name[128];

		if (sscanf(line, "%llx %c %127s", &v, &type, name) != 3 ||
		    strcmp(name, "_text"))
			v = 0;
	}
	if (f)
		fclose(f);
	snprintf(addr, sizeof(addr), "0x%llx", v);
	json_object_set_new(res, "text_base",
			    v ? json_string(addr) : json_null());
}

int info_op_hello(const json_t *req, json_t *res, int64_t deadline_ns)
{
	struct utsname u;
	json_t *nodes = json_array();
	int *ids, n;

	(void)req;
	(void)deadline_ns;
	if (uname(&u) < 0)
		return -errno;
	json_object_set_new(res, "agent_version",
			    json_integer(PROTO_AGENT_VERSION));
	json_object_set_new(res, "kernel_release", proto_string(u.release));
	json_object_set_new(res, "kernel_version", proto_string(u.version));
	json_object_set_new(res, "machine", proto_string(u.machine));
	put_file(res, "cmdline", "/proc/cmdline");
	put_hex(res, "block_size_bytes", SYSFS_MEMORY_DIR "/block_size_bytes");
	put_file(res, "memmap_on_memory",
		 "/sys/module/memory_hotplug/parameters/memmap_on_memory");
	json_object_set_new(res, "hotplug_params", hotplug_params());
	put_file(res, "auto_online_blocks",
		 SYSFS_MEMORY_DIR "/auto_online_blocks");
	/* No node directory: a kernel without NUMA, all memory is node 0. */
	n = list_numbered(NODE_DIR, "node", &ids);
	if (n == -ENOENT)
		json_array_append_new(nodes, json_integer(0));
	for (int i = 0; i < n; i++)
		json_array_append_new(nodes, json_integer(ids[i]));
	free(ids);
	json_object_set_new(res, "nodes", nodes);
	put_text_base(res);
	json_object_set_new(res, "now_ns", json_integer(clock_now_ns()));
	return n < 0 && n != -ENOENT ? n : 0;
}

/* Pages on the per-CPU free lists, from every zone's "count:" lines.
 * MemFree leaves them out, and the kernel can serve a whole memmap from
 * them (6.1 keeps pageblock-order pages there too), so MemFree alone can
 * miss a memmap allocation entirely. -1 when zoneinfo is unreadable. */
static long long pcp_free_kib(void)
{
	long long pages = 0, v;
	char line[256];
	FILE *f = fopen("/proc/zoneinfo", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " count: %lld", &v) == 1)
			pages += v;
	fclose(f);
	return pages * (sysconf(_SC_PAGESIZE) / 1024);
}

/* nr_memmap_pages and nr_memmap_boot_pages from /proc/vmstat (from 6.11):
 * the memmap wherever it lives, hot-added or from boot. Only the lines
 * the kernel has are put in @res, so their absence says "not counted". */
static void put_memmap_pages(json_t *res)
{
	char line[128], key[64];
	long long v;
	FILE *f = fopen("/proc/vmstat", "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lld", key, &v) == 2 &&
		    (!strcmp(key, "nr_memmap_pages") ||
		     !strcmp(key, "nr_memmap_boot_pages")))
			json_object_set_new(res, key, json_integer(v));
	fclose(f);
}

int info_op_meminfo(const json_t *req, json_t *res, int64_t deadline_ns)
{
	json_t *mi = json_object();
	char line[256];
	FILE *f;
	int64_t ts;

	(void)req;
	(void)deadline_ns;
	f = fopen("/proc/meminfo", "re");
	if (!f) {
		json_decref(mi);
		return -errno;
	}
	ts = clock_now_ns();
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':'), *end;
		long long v;

		if (!colon)
			continue;
		*colon = '\0';
		errno = 0;
		v = strtoll(colon + 1, &end, 10);
		if (errno || end == colon + 1)
			continue;
		json_object_set_new(mi, line, json_integer(v));
	}
	fclose(f);
	json_object_set_new(res, "meminfo", mi);
	json_object_set_new(res, "pcp_free_kib", json_integer(pcp_free_kib()));
	put_memmap_pages(res);
	json_object_set_new(res, "ts_ns", json_integer(ts));
	return 0;
}

/* The node of a block is the "nodeK" link inside its directory. */
static int block_node(int block)
{
	char dir[128];
	int *ids, n, node;

	snprintf(dir, sizeof(dir), SYSFS_MEMORY_DIR "/memory%d", block);
	n = list_numbered(dir, "node", &ids);
	node = n > 0 ? ids[0] : -1;
	free(ids);
	return node;
}

int info_op_blocks(const json_t *req, json_t *res, int64_t deadline_ns)
{
	json_t *arr = json_array();
	int64_t ts = clock_now_ns();
	int *ids, n;

	(void)req;
	(void)deadline_ns;
	n = list_numbered(SYSFS_MEMORY_DIR, "memory", &ids);
	if (n < 0) {
		json_decref(arr);
		return n;
	}
	for (int i = 0; i < n; i++) {
		json_t *b = json_object();
		char path[128];

		json_object_set_new(b, "id", json_integer(ids[i]));
		snprintf(path, sizeof(path), SYSFS_MEMORY_DIR "/memory%d/state",
			 ids[i]);
		put_file(b, "state", path);
		snprintf(path, sizeof(path),
			 SYSFS_MEMORY_DIR "/memory%d/valid_zones", ids[i]);
		put_file(b, "zones", path);
		json_object_set_new(b, "node",
				    json_integer(block_node(ids[i])));
		snprintf(path, sizeof(path),
			 SYSFS_MEMORY_DIR "/memory%d/phys_index", ids[i]);
		put_hex(b, "phys_index", path);
		json_array_append_new(arr, b);
	}
	free(ids);
	json_object_set_new(res, "blocks", arr);
	json_object_set_new(res, "ts_ns", json_integer(ts));
	return 0;
}
