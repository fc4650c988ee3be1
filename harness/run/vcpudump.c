// SPDX-License-Identifier: GPL-2.0-or-later
#include "run/vcpudump.h"
#include "base/units.h"
#include "clock.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SNAPSHOTS 3
#define SNAP_GAP_MS 500
#define QMP_MS 5000
/* Kernel stacks are THREAD_SIZE (16 KiB on x86-64 without KASAN) and as
 * aligned; the frames nearest RSP say the most. */
#define STACK_ALIGN 16384
#define STACK_READ 3072
#define STACK_WORDS 16
/* Without symbols, a word within this much of _text is taken for a
 * return address into the kernel's text. */
#define TEXT_GUESS (64ULL << 20)
#define RFL_IF 0x200

static uint64_t reg(const char *s, const char *name)
{
	const char *p = strstr(s, name);

	return p ? strtoull(p + strlen(name), NULL, 16) : 0;
}

static int parse_one(const char *s, struct vcpu_state *v)
{
	const char *p;

	if (!strstr(s, "RIP="))
		return 0;
	v->rip = reg(s, "RIP=");
	v->rsp = reg(s, "RSP=");
	v->rfl = reg(s, "RFL=");
	p = strstr(s, "CPL=");
	v->cpl = p ? atoi(p + 4) : -1;
	p = strstr(s, "HLT=");
	v->halted = p ? atoi(p + 4) : 0;
	return 1;
}

int vcpudump_parse(const char *text, struct vcpu_state *v, int max)
{
	const char *p = strstr(text, "CPU#");
	int n = 0;

	if (!p) {
		v[0].index = 0;
		return max > 0 ? parse_one(text, &v[0]) : 0;
	}
	while (p && n < max) {
		const char *next = strstr(p + 4, "CPU#");
		size_t len = next ? (size_t)(next - p) : strlen(p);
		char *sec = strndup(p, len);

		if (!sec)
			break;
		v[n].index = atoi(p + 4);
		n += parse_one(sec, &v[n]);
		free(sec);
		p = next;
	}
	return n;
}

/* A kernel address, named: "native_safe_halt+0xe/0x10", or
 * "_text+0x..." without symbols, or the raw address when _text is not
 * known or the address lies below it (user space). */
static void name_addr(const struct ksyms *k, uint64_t text_base, uint64_t a,
		      char *buf, size_t len)
{
	if (!text_base || a < text_base) {
		snprintf(buf, len, "0x%" PRIx64, a);
		return;
	}
	ksyms_name(k, a - text_base, buf, len);
}

void vcpudump_describe(const struct vcpu_state snap[][VCPUDUMP_MAX], int nsnap,
		       int i, const struct ksyms *k, uint64_t text_base,
		       char *buf, size_t len)
{
	const struct vcpu_state *last = &snap[nsnap - 1][i];
	int moved = 0, halted = 1;
	char at[160];
	size_t n;

	for (int s = 0; s < nsnap; s++) {
		moved |= snap[s][i].rip != snap[0][i].rip;
		halted &= snap[s][i].halted;
	}
	name_addr(k, text_base, last->rip, at, sizeof(at));
	n = (size_t)snprintf(buf, len, "vCPU %d: %s %s", last->index,
			     halted  ? "halted in"
			     : moved ? "running:"
				     : "stuck at",
			     moved ? "" : at);
	for (int s = 0; moved && s < nsnap && n < len; s++) {
		name_addr(k, text_base, snap[s][i].rip, at, sizeof(at));
		n += (size_t)snprintf(buf + n, len - n, "%s%s", s ? ", " : "",
				      at);
	}
	if (n < len)
		snprintf(buf + n, len - n, "%s%s",
			 last->cpl > 0 ? ", in user space" : "",
			 last->rfl & RFL_IF ? "" : ", interrupts off");
}

static int hmp_registers(struct guest *g, char **out)
{
	json_t *ret = NULL;
	int r = qmp_execute(
		g->qmp, "human-monitor-command",
		json_pack("{s:s}", "command-line", "info registers -a"), &ret,
		clock_now_ns() + QMP_MS * NS_PER_MS, NULL);

	*out = NULL;
	if (r)
		return r;
	if (json_is_string(ret))
		*out = strdup(json_string_value(ret));
	json_decref(ret);
	return *out ? 0 : -EPROTO;
}

/* Up to STACK_READ bytes from RSP, not past its stack's end, through
 * QEMU's memsave (the vCPU's own page tables), into @buf. */
static ssize_t read_stack(struct guest *g, const struct vcpu_state *v,
			  const char *tmp, uint64_t *buf)
{
	uint64_t n = STACK_ALIGN - (v->rsp & (STACK_ALIGN - 1));
	ssize_t got = -1;
	FILE *f;

	if (n > STACK_READ)
		n = STACK_READ;
	if (qmp_execute(g->qmp, "memsave",
			json_pack("{s:I,s:I,s:s,s:i}", "val",
				  (json_int_t)v->rsp, "size", (json_int_t)n,
				  "filename", tmp, "cpu-index", v->index),
			NULL, clock_now_ns() + QMP_MS * NS_PER_MS, NULL))
		return -1;
	f = fopen(tmp, "rb");
	if (f) {
		got = (ssize_t)fread(buf, 8, n / 8, f);
		fclose(f);
	}
	unlink(tmp);
	return got;
}

static int in_text(const struct ksyms *k, uint64_t text_base, uint64_t a)
{
	uint64_t end = k && k->n && k->text_end ? k->text_end : TEXT_GUESS;

	return text_base && a >= text_base && a - text_base < end;
}

/* The kernel-text words on the stack, nearest first: the return
 * addresses of the frames it is in, among older ones (as the kernel's
 * own "?" lines in a backtrace). */
static void dump_stack(FILE *f, struct guest *g, const struct vcpu_state *v,
		       const struct ksyms *k, const char *tmp)
{
	uint64_t words[STACK_READ / 8];
	ssize_t n;
	int shown = 0;
	char name[160];

	if (v->cpl != 0 || !g->hello.text_base) {
		fprintf(f, "  stack: not read (%s)\n",
			v->cpl ? "user mode" : "the guest's _text is unknown");
		return;
	}
	n = read_stack(g, v, tmp, words);
	if (n < 0) {
		fprintf(f, "  stack: memsave at RSP failed: %s\n",
			qmp_errmsg(g->qmp));
		return;
	}
	fprintf(f, "  stack words in kernel text (of %zd read from RSP):\n", n);
	for (ssize_t i = 0; i < n && shown < STACK_WORDS; i++) {
		if (!in_text(k, g->hello.text_base, words[i]))
			continue;
		name_addr(k, g->hello.text_base, words[i], name, sizeof(name));
		fprintf(f, "    [rsp+0x%03zx] %s\n", (size_t)i * 8, name);
		shown++;
	}
}

static int snapshots(struct guest *g, FILE *f,
		     struct vcpu_state snap[][VCPUDUMP_MAX], int *nv)
{
	int ns = 0;

	for (int s = 0; s < SNAPSHOTS; s++) {
		char *text;
		int n;

		if (s)
			usleep(SNAP_GAP_MS * 1000);
		if (hmp_registers(g, &text)) {
			fprintf(f, "snapshot %d: QMP info registers: %s\n", s,
				qmp_errmsg(g->qmp));
			break;
		}
		fprintf(f,
			"--- snapshot %d (+%d ms): info registers -a ---%s\n",
			s, s * SNAP_GAP_MS, text);
		n = vcpudump_parse(text, snap[ns], VCPUDUMP_MAX);
		free(text);
		if (n <= 0 || (ns && n != *nv))
			break;
		*nv = n;
		ns++;
	}
	return ns;
}

void vcpudump_take(struct guest *g, const char *path, char *summary, size_t len)
{
	static struct vcpu_state snap[SNAPSHOTS][VCPUDUMP_MAX];
	struct ksyms k;
	char why[1024], line[512], tmp[PATH_MAX + 16];
	int nv = 0, ns, have = 0;
	size_t used = 0;
	FILE *f = fopen(path, "w");

	summary[0] = '\0';
	if (!f) {
		snprintf(summary, len, "vCPU state not written: %s: %s", path,
			 strerror(errno));
		return;
	}
	have = !ksyms_find(&k, g->kernel, g->hello.kernel_release,
			   g->hello.kernel_version, why, sizeof(why));
	fprintf(f, "guest kernel %s, _text at 0x%" PRIx64 "%s\nsymbols: %s\n",
		g->hello.kernel_release, g->hello.text_base,
		g->hello.text_base ? "" : " (unknown)", have ? k.source : why);
	ns = snapshots(g, f, snap, &nv);
	snprintf(tmp, sizeof(tmp), "%s.stack", path);
	for (int i = 0; ns && i < nv; i++) {
		vcpudump_describe(snap, ns, i, have ? &k : NULL,
				  g->hello.text_base, line, sizeof(line));
		fprintf(f, "%s\n", line);
		dump_stack(f, g, &snap[ns - 1][i], have ? &k : NULL, tmp);
		if (used < len)
			used += (size_t)snprintf(summary + used, len - used,
						 "%s%s", i ? "; " : "", line);
	}
	if (!ns)
		snprintf(summary, len, "vCPU state unreadable (%s)",
			 qmp_errmsg(g->qmp));
	fclose(f);
	if (have)
		ksyms_free(&k);
}
