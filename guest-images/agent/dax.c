// SPDX-License-Identifier: GPL-2.0-or-later
/* Persistent memory handed to the page allocator by device DAX's kmem
 * driver, through sysfs only (what `ndctl create-namespace -m devdax` and
 * `daxctl reconfigure-device --mode=system-ram` do, without their
 * libraries). docs/agent-protocol.md, "Persistent memory: pmem_setup,
 * kmem"; README "Persistent memory through dax/kmem". */
#include "dax.h"
#include "sysfs.h"
#include "clock.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define ND_DEV "/sys/bus/nd/devices"
#define ND_DRV "/sys/bus/nd/drivers"
#define DAX_DEV "/sys/bus/dax/devices"
#define DAX_DRV "/sys/bus/dax/drivers"
/* The namespace of the legacy (memmap=nn!ss) region, and its region. */
#define NAMESPACE "namespace0.0"
#define REGION "region0"
/* finit_module(2): let the kernel decompress (CONFIG_MODULE_DECOMPRESS;
 * Debian ships its modules xz-compressed). */
#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4
#endif
/* How long the asynchronous probes (nd_e820, dax_pmem) may take to make
 * their devices appear. */
#define APPEAR_MS 10000

/* Load order: each after what it needs (the .deb has no modules.dep). */
static const char *const modules[] = {
	"libnvdimm",  "nd_btt",	  "nd_pmem", "nd_e820",
	"device_dax", "dax_pmem", "kmem",
};

/* Writes @val to @path in one write(2); 0 or -errno. */
static int put(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		err = -errno;
	else if ((size_t)n != strlen(val))
		err = -EIO;
	close(fd);
	return err;
}

static int exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Waits up to APPEAR_MS for @path. */
static int appear(const char *path)
{
	int64_t until = clock_now_ns() + (int64_t)APPEAR_MS * 1000000;
	struct timespec ts = {0, 20 * 1000000};

	while (!exists(path)) {
		if (clock_now_ns() > until)
			return -ETIMEDOUT;
		nanosleep(&ts, NULL);
	}
	return 0;
}

/* The driver @dev (under @bus_dev) is bound to: its name, or "" */
static void driver_of(const char *bus_dev, const char *dev, char *buf,
		      size_t len)
{
	char path[256], link[256];
	ssize_t n;
	const char *base;

	snprintf(path, sizeof(path), "%s/%s/driver", bus_dev, dev);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		buf[0] = '\0';
		return;
	}
	link[n] = '\0';
	base = strrchr(link, '/');
	snprintf(buf, len, "%.*s", (int)len - 1, base ? base + 1 : link);
}

/* Loads the nvdimm and dax modules that /lib/modules/dax holds, .ko.xz
 * or .ko (a kernel with them built in has none there). An array of those loaded
 * now. */
static int load_modules(json_t *res)
{
	json_t *loaded = json_array();

	json_object_set_new(res, "modules_loaded", loaded);
	for (size_t i = 0; i < sizeof(modules) / sizeof(modules[0]); i++) {
		char path[128];
		int fd, r, xz = 1;

		snprintf(path, sizeof(path), DAX_MODULE_DIR "/%s.ko.xz",
			 modules[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			xz = 0;
			snprintf(path, sizeof(path), DAX_MODULE_DIR "/%s.ko",
				 modules[i]);
			fd = open(path, O_RDONLY | O_CLOEXEC);
		}
		if (fd < 0)
			continue;
		r = (int)syscall(SYS_finit_module, fd, "",
				 xz ? MODULE_INIT_COMPRESSED_FILE : 0);
		r = r < 0 ? -errno : 0;
		close(fd);
		if (r == -EEXIST)
			continue;
		if (r < 0)
			return proto_fail(res, r, "finit_module(%s): %s", path,
					  strerror(-r));
		json_array_append_new(loaded, json_string(modules[i]));
	}
	return 0;
}

/* One step of the namespace's reconfiguration: a write that must work. */
static int step(json_t *res, const char *path, const char *val)
{
	int r = put(path, val);

	if (r < 0)
		return proto_fail(res, r, "writing %s to %s: %s", val, path,
				  strerror(-r));
	return 0;
}

/* namespace0.0 → a devdax device with its own memmap on the device
 * (ndctl's default "map=dev"; nd mode "pmem") and @align; what
 * `ndctl create-namespace -f -e namespace0.0 -m devdax -a ALIGN` does. */
static int make_devdax(json_t *res, long long align, char *dev, size_t len)
{
	char path[256], seed[64], uuid[64], drv[64], val[32];
	int r;

	driver_of(ND_DEV, NAMESPACE, drv, sizeof(drv));
	if (drv[0]) {
		snprintf(path, sizeof(path), ND_DRV "/%s/unbind", drv);
		if ((r = step(res, path, NAMESPACE)))
			return r;
	}
	if (sysfs_read(ND_DEV "/" REGION "/dax_seed", seed, sizeof(seed)) <= 0)
		return proto_fail(res, -ENODEV,
				  "%s has no dax_seed: no device DAX on the "
				  "nvdimm bus (dax_pmem missing?)",
				  REGION);
	if (sysfs_read("/proc/sys/kernel/random/uuid", uuid, sizeof(uuid)) <= 0)
		return proto_fail(res, -EIO, "no uuid to give %s", seed);
	snprintf(path, sizeof(path), ND_DEV "/%s/uuid", seed);
	if ((r = step(res, path, uuid)))
		return r;
	snprintf(path, sizeof(path), ND_DEV "/%s/align", seed);
	snprintf(val, sizeof(val), "%lld", align);
	if ((r = put(path, val)) < 0) {
		char sup[128] = "?";
		char sp[256];

		snprintf(sp, sizeof(sp), ND_DEV "/%s/supported_alignments",
			 seed);
		sysfs_read(sp, sup, sizeof(sup));
		return proto_fail(res, r,
				  "the kernel refused align %lld for %s: %s "
				  "(supported_alignments: %s)",
				  align, seed, strerror(-r), sup);
	}
	snprintf(path, sizeof(path), ND_DEV "/%s/mode", seed);
	if ((r = step(res, path, "pmem")))
		return r;
	snprintf(path, sizeof(path), ND_DEV "/%s/namespace", seed);
	if ((r = step(res, path, NAMESPACE)) ||
	    (r = step(res, ND_DRV "/dax_pmem/bind", seed)))
		return r;
	/* The dax bus device has the nd device's name (daxX.Y). */
	snprintf(dev, len, "%s", seed);
	snprintf(path, sizeof(path), DAX_DEV "/%s", dev);
	if (appear(path))
		return proto_fail(res, -ETIMEDOUT,
				  "%s bound to dax_pmem, but %s did not appear",
				  seed, path);
	return 0;
}

/* The first dax bus device, once one exists: set up by an earlier
 * pmem_setup of this boot. */
static int find_dax(char *dev, size_t len)
{
	DIR *d = opendir(DAX_DEV);
	struct dirent *e;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d)))
		if (!strncmp(e->d_name, "dax", 3)) {
			snprintf(dev, len, "%.*s", (int)len - 1, e->d_name);
			found = 1;
		}
	closedir(d);
	return found;
}

static void put_num(json_t *res, const char *key, const char *dev,
		    const char *attr)
{
	char path[256], buf[64];

	snprintf(path, sizeof(path), DAX_DEV "/%s/%s", dev, attr);
	if (sysfs_read(path, buf, sizeof(buf)) <= 0)
		json_object_set_new(res, key, json_null());
	else
		json_object_set_new(res, key,
				    json_integer(strtoll(buf, NULL, 0)));
}

int dax_op_pmem_setup(const json_t *req, json_t *res, int64_t deadline_ns)
{
	long long align = 2 << 20, mom = -1;
	char dev[64], path[256], buf[16];
	int64_t t0 = clock_now_ns();
	int r;

	(void)deadline_ns;
	if ((r = proto_get_int(req, "align", 4096, 1LL << 30, 0, &align,
			       res)) ||
	    (r = proto_get_int(req, "memmap_on_memory", 0, 1, 1, &mom, res)))
		return r;
	if ((r = load_modules(res)))
		return r;
	if (!exists("/sys/bus/nd"))
		return proto_fail(res, -ENODEV,
				  "no nvdimm bus: this kernel has no libnvdimm "
				  "built in, and %s holds none of its "
				  "modules (a debian-<series> kernel's "
				  "initramfs does)",
				  DAX_MODULE_DIR);
	if (!find_dax(dev, sizeof(dev))) {
		if (appear(ND_DEV "/" NAMESPACE))
			return proto_fail(res, -ENODEV,
					  "no %s on the nvdimm bus: no pmem "
					  "region (memmap=nn!ss on the "
					  "command line, nd_e820)",
					  NAMESPACE);
		if ((r = make_devdax(res, align, dev, sizeof(dev))))
			return r;
	}
	json_object_set_new(res, "dev", json_string(dev));
	put_num(res, "start", dev, "resource");
	put_num(res, "size", dev, "size");
	put_num(res, "align", dev, "align");
	put_num(res, "target_node", dev, "target_node");
	/* The device's own switch (6.8+); absent before, null then. */
	snprintf(path, sizeof(path), DAX_DEV "/%s/memmap_on_memory", dev);
	if (!exists(path)) {
		json_object_set_new(res, "memmap_on_memory", json_null());
	} else {
		r = put(path, mom ? "1" : "0");
		if (r < 0)
			return proto_fail(res, r, "writing %lld to %s: %s", mom,
					  path, strerror(-r));
		sysfs_read(path, buf, sizeof(buf));
		json_object_set_new(res, "memmap_on_memory",
				    json_integer(atoi(buf)));
	}
	json_object_set_new(res, "setup_ns", json_integer(clock_now_ns() - t0));
	return 0;
}

/* The device's driver now, into the reply. */
static void put_driver(json_t *res, const char *dev)
{
	char drv[64];

	driver_of(DAX_DEV, dev, drv, sizeof(drv));
	json_object_set_new(res, "driver", json_string(drv));
}

/* The device leaves whatever driver has it (device_dax), so that kmem
 * can take it: outside the timed add. kmem's id list gets its name first,
 * while device_dax still holds it (new_id then attaches nothing), so that
 * the add is a plain bind whose errno is the probe's. */
static int dax_detach(const char *dev, json_t *res)
{
	char drv[64], path[128];
	int r;

	driver_of(DAX_DEV, dev, drv, sizeof(drv));
	if (!strcmp(drv, "kmem"))
		return proto_fail(res, -EBUSY, "%s is kmem's", dev);
	if ((r = put(DAX_DRV "/kmem/new_id", dev)) < 0 && r != -EEXIST)
		return proto_fail(res, r, "adding %s to kmem's ids: %s", dev,
				  strerror(-r));
	driver_of(DAX_DEV, dev, drv, sizeof(drv));
	if (drv[0] && strcmp(drv, "kmem")) {
		snprintf(path, sizeof(path), DAX_DRV "/%s/unbind", drv);
		if ((r = put(path, dev)) < 0)
			return proto_fail(res, r, "unbinding %s from %s: %s",
					  dev, drv, strerror(-r));
	}
	json_object_set_new(res, "ns", json_integer(0));
	put_driver(res, dev);
	return 0;
}

/* kmem takes the device: the timed write to kmem's bind, inside which
 * add_memory_driver_managed() runs; its errno is the probe's (ENOMEM when
 * the memmap could not be allocated). A device that was not detached
 * first (its name not on kmem's list: ENODEV) goes through new_id, which
 * attaches it but swallows a probe's errno. */
static int kmem_bind(const char *dev, json_t *res)
{
	char drv[64];
	int64_t t0, t1;
	int r;

	driver_of(DAX_DEV, dev, drv, sizeof(drv));
	if (drv[0])
		return proto_fail(res, -EBUSY, "%s is %s's; detach it first",
				  dev, drv);
	t0 = clock_now_ns();
	r = put(DAX_DRV "/kmem/bind", dev);
	if (r == -ENODEV) {
		r = put(DAX_DRV "/kmem/new_id", dev);
		driver_of(DAX_DEV, dev, drv, sizeof(drv));
		if (!r && strcmp(drv, "kmem"))
			r = -EIO;
	}
	t1 = clock_now_ns();
	json_object_set_new(res, "ns", json_integer(t1 - t0));
	put_driver(res, dev);
	if (r < 0)
		return proto_fail(res, r,
				  "kmem would not take %s: %s (the kernel "
				  "log says why)",
				  dev, strerror(-r));
	return 0;
}

/* kmem lets go: the timed unbind runs remove_memory() on its blocks,
 * which must be offline. kmem's remove cannot fail; a range it could not
 * remove stays in use, which the blocks left behind and the attach that
 * follows show. */
static int kmem_unbind(const char *dev, json_t *res)
{
	char drv[64];
	int64_t t0, t1;
	int r;

	driver_of(DAX_DEV, dev, drv, sizeof(drv));
	if (strcmp(drv, "kmem"))
		return proto_fail(res, -EINVAL, "%s is not kmem's (%s)", dev,
				  drv[0] ? drv : "no driver");
	t0 = clock_now_ns();
	r = put(DAX_DRV "/kmem/unbind", dev);
	t1 = clock_now_ns();
	json_object_set_new(res, "ns", json_integer(t1 - t0));
	put_driver(res, dev);
	if (r < 0)
		return proto_fail(res, r, "unbinding %s from kmem: %s", dev,
				  strerror(-r));
	return 0;
}

/* device_dax takes the device back, off kmem's id list (outside the
 * timed remove). */
static int dax_attach(const char *dev, json_t *res)
{
	char drv[64];
	int r;

	driver_of(DAX_DEV, dev, drv, sizeof(drv));
	if (!strcmp(drv, "device_dax"))
		goto out;
	if (drv[0])
		return proto_fail(res, -EBUSY, "%s is %s's", dev, drv);
	put(DAX_DRV "/kmem/remove_id", dev);
	r = put(DAX_DRV "/device_dax/bind", dev);
	if (r < 0) {
		put_driver(res, dev);
		return proto_fail(res, r,
				  "device_dax cannot take %s back: %s (memory "
				  "kmem could not remove stays in use until "
				  "reboot)",
				  dev, strerror(-r));
	}
out:
	json_object_set_new(res, "ns", json_integer(0));
	put_driver(res, dev);
	return 0;
}

int dax_op_kmem(const json_t *req, json_t *res, int64_t deadline_ns)
{
	const char *dev, *action;
	char path[128];
	int r;

	(void)deadline_ns;
	if ((r = proto_get_string(req, "dev", &dev, res)) ||
	    (r = proto_get_string(req, "action", &action, res)))
		return r;
	if (strncmp(dev, "dax", 3) || strchr(dev, '/') || strlen(dev) > 32)
		return proto_fail(res, -EINVAL, "dev: not a dax device name");
	snprintf(path, sizeof(path), DAX_DEV "/%s", dev);
	if (!exists(path))
		return proto_fail(res, -ENOENT, "no %s", path);
	if (!strcmp(action, "detach"))
		return dax_detach(dev, res);
	if (!strcmp(action, "bind"))
		return kmem_bind(dev, res);
	if (!strcmp(action, "unbind"))
		return kmem_unbind(dev, res);
	if (!strcmp(action, "attach"))
		return dax_attach(dev, res);
	return proto_fail(res, -EINVAL,
			  "action: detach, bind, unbind or attach");
}
