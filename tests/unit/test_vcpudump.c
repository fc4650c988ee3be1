// SPDX-License-Identifier: GPL-2.0-or-later
/* What the vCPUs were doing at a missed deadline (run/vcpudump.h): HMP's
 * "info registers -a" as QEMU 7.2 printed it for a guest whose agent hung
 * (tests/data/hmp/), the kernel's symbols from a System.map, and the line
 * per vCPU that goes into the error. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "run/ksyms.h"
#include "run/vcpudump.h"

#define TEXT 0xffffffff81000000ULL
/* Where KASLR put _text in the recorded boot. */
#define BOOT_TEXT 0xffffffffa1200000ULL

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 1 << 16);

	assert_non_null(f);
	assert_true(fread(buf, 1, (1 << 16) - 1, f) > 0);
	fclose(f);
	return buf;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A System.map in a temporary directory, as a kernel build leaves it:
 * data symbols and absolute ones among the text, not sorted. */
static const char *MAP = "ffffffff81000000 T _text\n"
			 "ffffffff81000000 T startup_64\n"
			 "ffffffff81a59300 T default_idle\n"
			 "ffffffff81a592e0 t native_safe_halt\n"
			 "ffffffff82000000 T _etext\n"
			 "ffffffff82100000 D jiffies\n"
			 "0000000000000000 A fixed_percpu_data\n";

static void test_parse_recorded(void **state)
{
	struct vcpu_state v[VCPUDUMP_MAX];
	char *text = slurp("tests/data/hmp/info-registers-a.txt");
	int n = vcpudump_parse(text, v, VCPUDUMP_MAX);

	assert_int_equal(n, 2);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(v[i].index, i);
		assert_true(v[i].rip == 0xffffffffa1c592ebULL);
		assert_int_equal(v[i].halted, 1);
		assert_int_equal(v[i].cpl, 0);
		assert_true(v[i].rfl == 0x246);
	}
	assert_true(v[0].rsp == 0xffffffffa2c03e98ULL);
	free(text);
}

static void test_parse_single_and_garbage(void **state)
{
	struct vcpu_state v[VCPUDUMP_MAX];

	/* "info registers" without -a: one vCPU, no header. */
	assert_int_equal(
		vcpudump_parse(
			"RAX=0 RSP=ffffc90000013e40\nRIP=ffffffff81000010 "
			"RFL=00000006 [-----P-] CPL=0 II=0 HLT=0\n",
			v, VCPUDUMP_MAX),
		1);
	assert_int_equal(v[0].index, 0);
	assert_int_equal(v[0].halted, 0);
	assert_true(v[0].rip == 0xffffffff81000010ULL);
	assert_int_equal(vcpudump_parse("Error: no such command\n", v, 4), 0);
	/* A section without registers is not a vCPU. */
	assert_int_equal(
		vcpudump_parse("CPU#0\nCPU#1\nRIP=10 RFL=2 CPL=3\n", v, 4), 1);
	assert_int_equal(v[0].index, 1);
	assert_int_equal(v[0].cpl, 3);
}

static void test_ksyms(void **state)
{
	char dir[] = "/tmp/test_vcpudump.XXXXXX", p[128], name[128];
	struct ksyms k;

	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/System.map", dir);
	write_file(p, MAP);
	assert_int_equal(ksyms_read(&k, p), 0);
	/* Text only, sorted, from _text; jiffies (D) and A are out. */
	assert_int_equal(k.n, 5);
	assert_true(k.text_end == 0x1000000);
	ksyms_name(&k, 0xa592eb, name, sizeof(name));
	assert_string_equal(name, "native_safe_halt+0xb/0x20");
	ksyms_name(&k, 0xa59300, name, sizeof(name));
	assert_string_equal(name, "default_idle+0x0/0x5a6d00");
	/* Past _etext: not a text symbol's. */
	ksyms_name(&k, 0x1100000, name, sizeof(name));
	assert_string_equal(name, "_text+0x1100000");
	ksyms_free(&k);

	/* Debian's stub, and a file that is not there. */
	write_file(p, "ffffffffffffffff B The real System.map is in the "
		      "linux-image-<version>-dbg package\n");
	assert_int_equal(ksyms_read(&k, p), -EINVAL);
	unlink(p);
	assert_int_equal(ksyms_read(&k, p), -ENOENT);
	rmdir(dir);
}

/* A System.map-RELEASE beside the image is found; without any, @why
 * says where it looked. */
static void test_ksyms_find(void **state)
{
	char dir[] = "/tmp/test_vcpudump.XXXXXX", img[128], map[128];
	char why[1024];
	struct ksyms k;

	assert_non_null(mkdtemp(dir));
	snprintf(img, sizeof(img), "%s/vmlinuz", dir);
	snprintf(map, sizeof(map), "%s/System.map-6.99.0-test", dir);
	assert_int_equal(ksyms_find(&k, img, "6.99.0-test", "#1 SMP test", why,
				    sizeof(why)),
			 -ENOENT);
	assert_non_null(strstr(why, "System.map-6.99.0-test (absent)"));
	assert_non_null(strstr(why, "another build"));
	write_file(map, MAP);
	assert_int_equal(ksyms_find(&k, img, "6.99.0-test", "#1 SMP test", why,
				    sizeof(why)),
			 0);
	assert_string_equal(k.source, map);
	ksyms_free(&k);
	unlink(map);
	rmdir(dir);
}

static void describe(const char *text0, const char *text1,
		     const struct ksyms *k, uint64_t base, int i, char *buf)
{
	static struct vcpu_state snap[2][VCPUDUMP_MAX];

	assert_true(vcpudump_parse(text0, snap[0], VCPUDUMP_MAX) > i);
	assert_true(vcpudump_parse(text1, snap[1], VCPUDUMP_MAX) > i);
	vcpudump_describe(snap, 2, i, k, base, buf, 256);
}

static void test_describe(void **state)
{
	char dir[] = "/tmp/test_vcpudump.XXXXXX", p[128], line[256];
	char *rec = slurp("tests/data/hmp/info-registers-a.txt");
	struct ksyms k;

	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/System.map", dir);
	write_file(p, MAP);
	assert_int_equal(ksyms_read(&k, p), 0);

	/* The recorded guest: both vCPUs idle, halted with interrupts on. */
	describe(rec, rec, &k, BOOT_TEXT, 1, line);
	assert_string_equal(line,
			    "vCPU 1: halted in native_safe_halt+0xb/0x20");
	/* Without symbols, an offset from _text; without _text, raw. */
	describe(rec, rec, NULL, BOOT_TEXT, 0, line);
	assert_string_equal(line, "vCPU 0: halted in _text+0xa592eb");
	describe(rec, rec, NULL, 0, 0, line);
	assert_string_equal(line, "vCPU 0: halted in 0xffffffffa1c592eb");

	/* Halted with interrupts off: the paravirtual spinlock wait. */
	describe("CPU#0\nRIP=ffffffffa1c592eb RFL=00000046 CPL=0 HLT=1\n",
		 "CPU#0\nRIP=ffffffffa1c592eb RFL=00000046 CPL=0 HLT=1\n", &k,
		 BOOT_TEXT, 0, line);
	assert_string_equal(line,
			    "vCPU 0: halted in native_safe_halt+0xb/0x20, "
			    "interrupts off");
	/* Spinning in one place, and running. */
	describe("CPU#0\nRIP=ffffffffa1c59300 RFL=00000246 CPL=0 HLT=0\n",
		 "CPU#0\nRIP=ffffffffa1c59300 RFL=00000246 CPL=0 HLT=0\n", &k,
		 BOOT_TEXT, 0, line);
	assert_string_equal(line, "vCPU 0: stuck at default_idle+0x0/0x5a6d00");
	describe("CPU#0\nRIP=ffffffffa1c592e0 RFL=00000246 CPL=0 HLT=0\n",
		 "CPU#0\nRIP=00007f0000001000 RFL=00000202 CPL=3 HLT=0\n", &k,
		 BOOT_TEXT, 0, line);
	assert_string_equal(line, "vCPU 0: running: native_safe_halt+0x0/0x20, "
				  "0x7f0000001000, in user space");
	ksyms_free(&k);
	unlink(p);
	rmdir(dir);
	free(rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_recorded),
		cmocka_unit_test(test_parse_single_and_garbage),
		cmocka_unit_test(test_ksyms),
		cmocka_unit_test(test_ksyms_find),
		cmocka_unit_test(test_describe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
