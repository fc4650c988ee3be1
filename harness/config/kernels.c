// SPDX-License-Identifier: GPL-2.0-or-later
/* The kernels a run boots (kernels.h): each one's image, release, module
 * tree and initramfs, found from "debian", a directory or a bzImage and
 * checked before QEMU starts, and their list for the manifest. */
#include "config/kernels.h"
#include "base/err.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static int is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* Digits with no leading zero (but "0"), at most @max of them; returns
 * the end, or NULL. */
static const char *number_end(const char *s, int max)
{
	int n = 0;

	while (s[n] >= '0' && s[n] <= '9')
		n++;
	if (!n || n > max || (n > 1 && s[0] == '0'))
		return NULL;
	return s + n;
}

int kernels_debian_series(const char *spec, char *series, size_t len, char *why,
			  size_t wlen)
{
	static const char prefix[] = "debian-";
	const char *s = spec + sizeof(prefix) - 1, *e;

	if (strncmp(spec, prefix, sizeof(prefix) - 1))
		return 0;
	e = number_end(s, 2);
	if (e && *e == '.')
		e = number_end(e + 1, 3);
	else
		e = NULL;
	if (!e || *e || (size_t)(e - s) >= len) {
		snprintf(why, wlen,
			 "'%.64s' is no Debian kernel series: write "
			 "debian-MAJOR.MINOR (debian-6.1, debian-6.12), or "
			 "./%.64s for a file of that name",
			 spec, spec);
		return -EINVAL;
	}
	memcpy(series, s, (size_t)(e - s) + 1);
	return 1;
}

/* A kernel directory's files: release, module tree, its initramfs. */
static void resolve_dir(const char *dir, struct run_kernel *k)
{
	char path[PATH_MAX + 32];

	snprintf(k->image, sizeof(k->image), "%s/vmlinuz", dir);
	snprintf(path, sizeof(path), "%s/kernel.release", dir);
	read_first_line(path, k->release, sizeof(k->release));
	snprintf(path, sizeof(path), "%s/lib/modules/%s", dir, k->release);
	if (!k->modules[0] && is_dir(path) && strlen(path) < sizeof(k->modules))
		memcpy(k->modules, path, strlen(path) + 1);
	snprintf(path, sizeof(path), "%s/initramfs.cpio.gz", dir);
	if (!access(path, R_OK) && strlen(path) < sizeof(k->initrd))
		memcpy(k->initrd, path, strlen(path) + 1);
}

/* @spec as written in the job or on the command line -> image, source,
 * release and default module tree. */
static int resolve_image(const char *spec, const char *data,
			 struct run_kernel *k)
{
	char path[PATH_MAX + 32], bad[256], hint[128];
	const char *why;
	struct stat st;
	int series;

	series = kernels_debian_series(spec, k->series, sizeof(k->series), bad,
				       sizeof(bad));
	if (series < 0) {
		err_set(EXIT_USAGE, "kernel%s%s: %s", k->label[0] ? " " : "",
			k->label, bad);
		return series;
	}
	if (series) {
		snprintf(path, sizeof(path), "%s/guest-images/build/debian-%s",
			 data, k->series);
		resolve_dir(path, k);
		snprintf(k->source, sizeof(k->source), "debian");
		snprintf(path, sizeof(path),
			 "%s/guest-images/build/debian-%s/kernel.package", data,
			 k->series);
		read_first_line(path, k->package, sizeof(k->package));
	} else if (!strcmp(spec, "debian")) {
		snprintf(k->image, sizeof(k->image),
			 "%s/guest-images/build/vmlinuz", data);
		snprintf(k->source, sizeof(k->source), "debian");
		snprintf(path, sizeof(path),
			 "%s/guest-images/build/kernel.release", data);
		read_first_line(path, k->release, sizeof(k->release));
	} else if (is_dir(spec)) {
		resolve_dir(spec, k);
		snprintf(k->source, sizeof(k->source), "built");
	} else {
		snprintf(k->image, sizeof(k->image), "%s", spec);
		snprintf(k->source, sizeof(k->source), "user");
	}
	/* A readable regular file, checked before QEMU sees it. */
	if (access(k->image, R_OK) || stat(k->image, &st))
		why = strerror(errno);
	else if (!S_ISREG(st.st_mode))
		why = "not a regular file";
	else
		return 0;
	if (series)
		snprintf(hint, sizeof(hint),
			 "run `make -C guest-images debian-series SERIES=%s`",
			 k->series);
	else
		snprintf(hint, sizeof(hint), "%s",
			 !strcmp(spec, "debian")
				 ? "run `make guest`"
				 : "give a bzImage, or a directory made by "
				   "`make -C guest-images kernel`");
	err_set(EXIT_ENV, "kernel image %s%s%s: %s (%s)", k->image,
		k->label[0] ? " of " : "", k->label, why, hint);
	return -ENOENT;
}

int kernels_resolve(const struct job *job, const char *cli, const char *data,
		    struct run_kernel *out, int *n)
{
	int ret;

	memset(out, 0, sizeof(*out) * JOB_MAX_KERNELS);
	*n = 0;
	if (!job->nkernels) {
		*n = 1;
		return resolve_image(cli && *cli ? cli : job->kernel, data,
				     out);
	}
	if (cli && *cli) {
		err_set(EXIT_USAGE,
			"--kernel (or KERNEL=) %s: the job compares kernels "
			"(kernels = %s); drop one of the two",
			cli, job->kernels_spec);
		return -EINVAL;
	}
	for (int i = 0; i < job->nkernels; i++) {
		const struct job_kernel *jk = &job->kernels[i];
		struct run_kernel *k = &out[i];

		snprintf(k->label, sizeof(k->label), "%s", jk->label);
		snprintf(k->cmdline_extra, sizeof(k->cmdline_extra), "%s",
			 jk->cmdline_extra);
		snprintf(k->modules, sizeof(k->modules), "%s", jk->modules);
		if (k->modules[0] && !is_dir(k->modules)) {
			err_set(EXIT_ENV,
				"modules %s of kernel %s: not a directory",
				k->modules, k->label);
			return -ENOTDIR;
		}
		ret = resolve_image(jk->image, data, k);
		if (ret)
			return ret;
		*n = i + 1;
	}
	return 0;
}

json_t *kernels_json(const struct run_kernel *k, int n)
{
	json_t *a = json_array();

	for (int i = 0; i < n; i++)
		json_array_append_new(
			a, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}",
				     "label", k[i].label, "image", k[i].image,
				     "source", k[i].source, "package_release",
				     k[i].release, "debian_series", k[i].series,
				     "package", k[i].package, "cmdline_extra",
				     k[i].cmdline_extra, "modules",
				     k[i].modules, "initramfs", k[i].initrd));
	return a;
}
