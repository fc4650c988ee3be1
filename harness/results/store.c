// SPDX-License-Identifier: GPL-2.0-or-later
#include "results/store.h"
#include "base/sig.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Room kept for the last manifest.json of a run whose file system fills
 * up: it is written through a temporary file, so twice its size. */
#define RESERVE_NAME ".space-reserve"
#define RESERVE_BYTES (256 << 10)

static int mkdir_p(const char *path)
{
	char buf[2048];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

/* The name becomes one path component under the root, never more. */
static int name_ok(const char *name)
{
	if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
		return 0;
	for (const char *p = name; *p; p++)
		if (*p == '/' || (unsigned char)*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

/* Best effort: without it the run still goes on. */
static void make_reserve(struct store *st)
{
	char path[2600];
	int fd;

	store_path(st, RESERVE_NAME, path, sizeof(path));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	st->reserved = !posix_fallocate(fd, 0, RESERVE_BYTES);
	close(fd);
	if (!st->reserved)
		unlink(path);
	else
		sig_track_file(path);
}

static void release_reserve(struct store *st)
{
	char path[2600];

	if (!st->reserved)
		return;
	store_path(st, RESERVE_NAME, path, sizeof(path));
	sig_track_file(NULL);
	unlink(path);
	st->reserved = 0;
}

int store_create(struct store *st, const char *root, const char *name)
{
	char stamp[32], path[2600];
	time_t now = time(NULL);
	struct tm tm;
	int ret;

	memset(st, 0, sizeof(*st));
	if (!name_ok(name))
		return -EINVAL;
	snprintf(st->root, sizeof(st->root), "%s", root);
	ret = mkdir_p(root);
	if (ret)
		return ret;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	for (int i = 1; i < 1000; i++) {
		if (i == 1)
			snprintf(st->run_id, sizeof(st->run_id), "%s-%.40s",
				 stamp, name);
		else
			snprintf(st->run_id, sizeof(st->run_id), "%s-%.40s-%d",
				 stamp, name, i);
		snprintf(st->dir, sizeof(st->dir), "%s/%s", root, st->run_id);
		if (!mkdir(st->dir, 0755))
			break;
		if (errno != EEXIST)
			return -errno;
		st->dir[0] = '\0';
	}
	if (!st->dir[0])
		return -EEXIST;
	store_path(st, "samples.csv", path, sizeof(path));
	st->samples = samples_open(path);
	if (!st->samples)
		return errno ? -errno : -EIO;
	make_reserve(st);
	st->manifest = json_object();
	return st->manifest ? 0 : -ENOMEM;
}

void store_path(const struct store *st, const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", st->dir, name);
}

int store_sample(struct store *st, const struct sample *s)
{
	return samples_write(st->samples, s);
}

int store_write_json(const struct store *st, const char *name,
		     const json_t *obj)
{
	char path[2600];

	store_path(st, name, path, sizeof(path));
	return store_write_json_file(path, obj);
}

int store_write_json_file(const char *path, const json_t *obj)
{
	char tmp[4200];
	int fd, ret = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (json_dumpfd(obj, fd, JSON_INDENT(2) | JSON_SORT_KEYS) ||
	    write(fd, "\n", 1) != 1)
		ret = errno ? -errno : -EIO;
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp); /* never leave a torn file behind */
	return ret;
}

int store_save_manifest(struct store *st)
{
	int ret = store_write_json(st, "manifest.json", st->manifest);

	/* Full: the reserve makes room for this one, which says why. */
	if ((ret == -ENOSPC || ret == -EDQUOT) && st->reserved) {
		release_reserve(st);
		ret = store_write_json(st, "manifest.json", st->manifest);
	}
	return ret;
}

int store_link_latest(const struct store *st)
{
	char link[2600], tmp[2700];

	snprintf(link, sizeof(link), "%s/latest", st->root);
	snprintf(tmp, sizeof(tmp), "%s/.latest.%d", st->root, (int)getpid());
	unlink(tmp);
	if (symlink(st->run_id, tmp))
		return -errno;
	if (rename(tmp, link)) {
		int ret = -errno;

		unlink(tmp);
		return ret;
	}
	return 0;
}

int store_close(struct store *st)
{
	int ret = 0;

	if (st->samples) {
		if (fflush(st->samples) || fsync(fileno(st->samples)))
			ret = -errno;
		if (fclose(st->samples) && !ret)
			ret = -errno;
		st->samples = NULL;
	}
	json_decref(st->manifest);
	st->manifest = NULL;
	release_reserve(st);
	return ret;
}

int store_find_run(const char *root, const char *arg, char *dir, size_t len)
{
	struct stat sb;

	if (!arg || !*arg)
		arg = "latest";
	if (strchr(arg, '/')) { /* a path: say why it is none */
		if (stat(arg, &sb))
			return -errno;
		if (!S_ISDIR(sb.st_mode))
			return -ENOTDIR;
		snprintf(dir, len, "%s", arg);
		return 0;
	}
	/* A run id names a directory under @root, never @root or its
	 * parent (plot writes into RUN/plots). */
	if (!name_ok(arg))
		return -EINVAL;
	snprintf(dir, len, "%s/%s", root, arg);
	if (stat(dir, &sb))
		return -errno;
	return S_ISDIR(sb.st_mode) ? 0 : -ENOTDIR;
}
