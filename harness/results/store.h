/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A run's directory: results/<run-id>/ with manifest.json (rewritten
 * atomically whenever it changes, so a crash leaves the last good one),
 * samples.csv (appended and flushed row by row) and summary.json, plus the
 * results/latest link. */
#ifndef MHP_STORE_H
#define MHP_STORE_H

#include "results/samples.h"

#include <jansson.h>
#include <stdio.h>

struct store {
	char root[2048];
	char dir[2400];
	char run_id[96];
	FILE *samples;
	json_t *manifest; /* owned; callers add fields, then store_save */
	int reserved;	  /* RESERVE_NAME holds room for the last manifest */
};

/* Creates <root>/<UTC yyyymmdd-HHMMSS>-<name>[-N]/ and samples.csv, and a
 * hidden file that holds 256 KiB for the last manifest.json should the
 * file system fill up (removed by store_close). @name must be one path
 * component (-EINVAL otherwise): a run directory is always right under
 * @root. */
int store_create(struct store *st, const char *root, const char *name);

/* <dir>/<name> */
void store_path(const struct store *st, const char *name, char *buf,
		size_t len);

int store_sample(struct store *st, const struct sample *s);

/* Writes @obj to <dir>/<name> through a temporary file and rename(). */
int store_write_json(const struct store *st, const char *name,
		     const json_t *obj);
/* The same for any @path (gate.json, an export): a crash or a full disk
 * leaves the old file or none, never a torn one. 0 or -errno. */
int store_write_json_file(const char *path, const json_t *obj);
/* Uses up the reserve when the file system is full. */
int store_save_manifest(struct store *st);

/* Points <root>/latest at this run (a relative symlink, replaced atomically).
 */
int store_link_latest(const struct store *st);

/* Closes samples.csv (fsync first). Leaves the manifest to the caller. */
int store_close(struct store *st);

/* Resolves a run argument: a directory (a path with a '/'; one that is
 * none gives stat's -errno or -ENOTDIR), a run id under @root, or
 * "latest" (-EINVAL for a name that is not one path component). */
int store_find_run(const char *root, const char *arg, char *dir, size_t len);

#endif
