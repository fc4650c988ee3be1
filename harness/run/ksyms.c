// SPDX-License-Identifier: GPL-2.0-or-later
#include "run/ksyms.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

static int is_text(char type)
{
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

static int by_off(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

static int add(struct ksyms *k, size_t *cap, uint64_t addr, const char *name)
{
	if (k->n == *cap) {
		size_t c = *cap ? 2 * *cap : 4096;
		struct ksym *s = realloc(k->s, c * sizeof(*s));

		if (!s)
			return -ENOMEM;
		k->s = s;
		*cap = c;
	}
	k->s[k->n].off = addr;
	k->s[k->n].name = strdup(name);
	return k->s[k->n++].name ? 0 : -ENOMEM;
}

/* Addresses become offsets from _text once it is known: the file's
 * addresses are those of its own boot (or none, for a System.map). */
static int rebase(struct ksyms *k, uint64_t text, uint64_t etext)
{
	size_t j = 0;

	for (size_t i = 0; i < k->n; i++) {
		if (k->s[i].off < text) {
			free(k->s[i].name);
			continue;
		}
		k->s[j] = k->s[i];
		k->s[j++].off -= text;
	}
	k->n = j;
	k->text_end = etext > text ? etext - text : 0;
	qsort(k->s, k->n, sizeof(*k->s), by_off);
	return 0;
}

int ksyms_read(struct ksyms *k, const char *path)
{
	char line[512], name[256], mod[256];
	unsigned long long addr, text = 0, etext = 0;
	size_t cap = 0;
	FILE *f = fopen(path, "r");
	int ret = 0;

	memset(k, 0, sizeof(*k));
	if (!f)
		return -ENOENT;
	while (!ret && fgets(line, sizeof(line), f)) {
		char type;
		int n = sscanf(line, "%llx %c %255s %255s", &addr, &type, name,
			       mod);

		if (n < 3 || n == 4) /* a module's symbol */
			continue;
		if (!strcmp(name, "_text"))
			text = addr;
		else if (!strcmp(name, "_etext"))
			etext = addr;
		if (is_text(type) && addr)
			ret = add(k, &cap, addr, name);
	}
	fclose(f);
	if (!ret && !text)
		ret = -EINVAL;
	if (ret) {
		ksyms_free(k);
		return ret;
	}
	snprintf(k->source, sizeof(k->source), "%s", path);
	return rebase(k, text, etext);
}

static int try_file(struct ksyms *k, const char *path, char *why, size_t len)
{
	int ret = ksyms_read(k, path);
	size_t n = strlen(why);

	if (ret && n + 1 < len)
		snprintf(why + n, len - n, "%s%s (%s)", n ? ", " : "", path,
			 ret == -EINVAL ? "no _text" : "absent");
	return ret;
}

/* /proc/kallsyms of this host, when it runs the guest's very build: a
 * lab host that boots Debian's kernel in its guests. Root only (zero
 * addresses otherwise, which ksyms_read refuses). */
static int try_host(struct ksyms *k, const char *release, const char *version,
		    char *why, size_t len)
{
	struct utsname u;
	size_t n = strlen(why);

	if (uname(&u) || strcmp(u.release, release) ||
	    strcmp(u.version, version)) {
		if (n + 1 < len)
			snprintf(why + n, len - n,
				 "%sthis host's kernel (%s) is another build",
				 n ? ", " : "", u.release);
		return -ENOENT;
	}
	return try_file(k, "/proc/kallsyms", why, len);
}

int ksyms_find(struct ksyms *k, const char *kernel, const char *release,
	       const char *version, char *why, size_t len)
{
	char dir[PATH_MAX], p[PATH_MAX + 64];

	why[0] = '\0';
	memset(k, 0, sizeof(*k));
	if (kernel && *kernel) {
		snprintf(dir, sizeof(dir), "%s", kernel);
		dirname(dir);
		snprintf(p, sizeof(p), "%s/System.map", dir);
		if (!try_file(k, p, why, len))
			return 0;
		snprintf(p, sizeof(p), "%s/System.map-%s", dir, release);
		if (!try_file(k, p, why, len))
			return 0;
		/* A build tree: arch/x86/boot/bzImage. */
		snprintf(p, sizeof(p), "%s/../../../System.map", dir);
		if (strstr(kernel, "arch/x86/boot/") &&
		    !try_file(k, p, why, len))
			return 0;
	}
	return try_host(k, release, version, why, len) ? -ENOENT : 0;
}

void ksyms_name(const struct ksyms *k, uint64_t off, char *buf, size_t len)
{
	size_t lo = 0, hi = k ? k->n : 0;

	/* The last symbol at or below @off. */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (k->s[mid].off <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || (k->text_end && off >= k->text_end)) {
		snprintf(buf, len, "_text+0x%llx", (unsigned long long)off);
		return;
	}
	const struct ksym *s = &k->s[lo - 1];

	if (lo < k->n)
		snprintf(buf, len, "%s+0x%llx/0x%llx", s->name,
			 (unsigned long long)(off - s->off),
			 (unsigned long long)(k->s[lo].off - s->off));
	else
		snprintf(buf, len, "%s+0x%llx", s->name,
			 (unsigned long long)(off - s->off));
}

void ksyms_free(struct ksyms *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->s[i].name);
	free(k->s);
	k->s = NULL;
	k->n = 0;
}
