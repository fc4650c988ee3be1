// SPDX-License-Identifier: GPL-2.0-or-later
/* Nested-virtualisation facts (run/nested.c) and the kvm:kvm_exit reason
 * classes (run/kvmexits.c) on made-up /proc/cpuinfo and /sys trees: the
 * hypervisor flag as a word of a flags line only, kvm_amd's and
 * kvm_intel's nested parameter, an unreadable cpuinfo, and the filters and
 * metric names of the classes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "run/kvmexits.h"
#include "run/nested.h"
#include "results/metric.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void put(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	char path[256];

	snprintf(dir, sizeof(dir), "/tmp/test_nested.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path),
		 "mkdir -p %s/sys/module/kvm_amd/parameters "
		 "%s/bare/module",
		 dir, dir);
	assert_int_equal(system(path), 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

static json_t *facts(const char *cpuinfo, const char *sys)
{
	char c[256], s[256];

	snprintf(c, sizeof(c), "%s/%s", dir, cpuinfo);
	snprintf(s, sizeof(s), "%s/%s", dir, sys);
	return nested_facts(c, s);
}

static void test_nested_guest(void **state)
{
	json_t *j;

	put("cpuinfo.vm", "processor\t: 0\nflags\t\t: fpu vme hypervisor "
			  "svm npt\n\nprocessor\t: 1\nflags\t\t: fpu\n");
	put("sys/module/kvm_amd/parameters/nested", "1\n");
	j = facts("cpuinfo.vm", "sys");
	assert_true(json_is_true(json_object_get(j, "nested")));
	assert_true(json_is_false(json_object_get(j, "representative")));
	assert_string_equal(json_string_value(json_object_get(j, "kvm_module")),
			    "kvm_amd");
	assert_string_equal(
		json_string_value(json_object_get(j, "kvm_nested_param")), "1");
	assert_non_null(strstr(json_string_value(json_object_get(j, "why")),
			       "hypervisor flag"));
	json_decref(j);
}

static void test_bare_metal(void **state)
{
	json_t *j;

	/* "hypervisor" only as part of another word, or outside flags. */
	put("cpuinfo.bare", "model name\t: hypervisor-ready CPU\nflags\t\t: "
			    "fpu hypervisorx svm\n");
	j = facts("cpuinfo.bare", "bare");
	assert_true(json_is_false(json_object_get(j, "nested")));
	assert_true(json_is_true(json_object_get(j, "representative")));
	assert_true(json_is_null(json_object_get(j, "kvm_module")));
	json_decref(j);
}

static void test_unreadable(void **state)
{
	json_t *j = facts("no-such-cpuinfo", "sys");

	/* Not known: neither nested nor representative. */
	assert_true(json_is_false(json_object_get(j, "nested")));
	assert_true(json_is_false(json_object_get(j, "representative")));
	assert_non_null(strstr(json_string_value(json_object_get(j, "why")),
			       "cannot be read"));
	json_decref(j);
}

static void test_exit_classes(void **state)
{
	assert_string_equal(kvmexits_metric(-1), "host_kvm_exits");
	assert_string_equal(kvmexits_metric(0), "host_kvm_exits_npf");
	assert_string_equal(kvmexits_metric(KVMEXITS_NCLASSES),
			    "host_kvm_exits_other");
	assert_string_equal(kvmexits_filter("svm", 0), "exit_reason == 0x400");
	assert_string_equal(kvmexits_filter("vmx", 1), "exit_reason == 12");
	assert_null(kvmexits_filter("svm", KVMEXITS_NCLASSES + 1));
	/* other is every class excluded, so the counters partition the
	 * reasons and the total is their sum */
	assert_string_equal(kvmexits_filter("svm", KVMEXITS_NCLASSES),
			    "exit_reason != 0x400 && exit_reason != 0x78 && "
			    "exit_reason != 0x7b && exit_reason != 0x7c && "
			    "exit_reason != 0x60 && exit_reason != 0x64 && "
			    "exit_reason != 0x72 && exit_reason != 0x77");
	assert_non_null(strstr(kvmexits_filter("vmx", KVMEXITS_NCLASSES),
			       "exit_reason != 48 && exit_reason != 49 && "
			       "exit_reason != 12 && "));
	assert_non_null(strstr(kvmexits_filter("vmx", KVMEXITS_NCLASSES),
			       "exit_reason != 31 && exit_reason != 32"));
	/* Every name the view writes is in the metric table, as exits. */
	for (int i = -1; i <= KVMEXITS_NCLASSES; i++) {
		assert_int_equal(metric_check(kvmexits_metric(i), "exits"), 0);
		if (i >= 0 && i < KVMEXITS_NCLASSES) {
			assert_non_null(kvmexits_filter("svm", i));
			assert_non_null(kvmexits_filter("vmx", i));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nested_guest),
		cmocka_unit_test(test_bare_metal),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_exit_classes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
