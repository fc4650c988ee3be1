// SPDX-License-Identifier: GPL-2.0-or-later
/* samples.csv: header, quoting, round trip, a torn last row, and the
 * summary statistics computed from the file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "results/report.h"
#include "results/samples.h"
#include "results/stats.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[64];

static int setup(void **state)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/mhp-samples-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	unlink(path); /* samples_open must create it with a header */
	return 0;
}

static int teardown(void **state)
{
	unlink(path);
	return 0;
}

static struct sample mk(const char *memmap, const char *phase, double v,
			int warmup)
{
	struct sample s = {0};

	strcpy(s.run_id, "r1");
	strcpy(s.kernel, "6.1.0-56-amd64");
	strcpy(s.accel, "tcg");
	strcpy(s.memmap, memmap);
	s.block_mib = 128;
	s.dimm_mib = 128;
	s.rep = warmup ? -1 : 0;
	strcpy(s.phase, phase);
	strcpy(s.view, "host");
	strcpy(s.metric, "latency_ns");
	s.value = v;
	strcpy(s.unit, "ns");
	s.warmup = warmup;
	s.block = -1;
	s.target_mib = -1;
	s.offline_fill_pct = -1;
	s.zone_present_mib = -1;
	return s;
}

static void round_trip(void **state)
{
	FILE *f = samples_open(path);
	struct sample s = mk("ram", "add", 12345678, 0), *r;
	struct sample_table t;
	char buf[512];
	int line;

	assert_non_null(f);
	strcpy(s.kernel, "6.1 \"custom\", patched"); /* needs quoting */
	s.offline_fill_pct = 50;
	strcpy(s.source, "pmem");
	assert_int_equal(samples_write(f, &s), 0);
	fclose(f);
	f = fopen(path, "r");
	assert_non_null(fgets(buf, sizeof(buf), f));
	assert_memory_equal(buf, SAMPLES_HEADER, strlen(SAMPLES_HEADER));
	fclose(f);
	assert_int_equal(samples_load(path, &t, &line), 0);
	assert_int_equal(t.n, 1);
	r = &t.s[0];
	assert_string_equal(r->kernel, "6.1 \"custom\", patched");
	assert_true(r->value == 12345678);
	assert_int_equal(r->block, -1);
	assert_int_equal(r->offline_fill_pct, 50);
	assert_string_equal(r->source, "pmem");
	samples_free(&t);
}

static void torn_last_row(void **state)
{
	FILE *f = samples_open(path);
	struct sample s = mk("self", "online", 5, 0);
	struct sample_table t;
	int line;

	samples_write(f, &s);
	fputs("r1,6.1,tcg,self,128,1", f); /* killed mid-write */
	fclose(f);
	assert_int_equal(samples_load(path, &t, &line), 0);
	assert_int_equal(t.n, 1);
	samples_free(&t);
}

static void bad_row(void **state)
{
	FILE *f = samples_open(path);
	struct sample_table t;
	int line;

	fputs("r1,k,tcg,ram,128,x,0,0,add,host,latency_ns,1,ns,0,0,0,-1\n", f);
	fclose(f);
	assert_int_equal(samples_load(path, &t, &line), -EPROTO);
	assert_int_equal(line, 2);
}

/* Runs recorded before the target_mib column still load. */
static void old_format_loads(void **state)
{
	FILE *f = fopen(path, "w");
	struct sample_table t;
	int line;

	fputs("run_id,kernel,accel,memmap,block_mib,dimm_mib,node,rep,phase,"
	      "view,metric,value,unit,boot,cycle,warmup,block\n"
	      "r1,k,tcg,ram,128,128,0,0,add,host,latency_ns,5,ns,0,1,0,-1\n",
	      f);
	fclose(f);
	assert_int_equal(samples_load(path, &t, &line), 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.s[0].target_mib, -1);
	assert_int_equal(t.s[0].cycle, 1);
	samples_free(&t);
}

/* Runs recorded before the offline_fill_pct column load without a fill;
 * a fill outside -1..100 is a malformed row. */
static void before_fill_loads(void **state)
{
	FILE *f = fopen(path, "w");
	struct sample_table t;
	int line;

	fputs("run_id,kernel,accel,memmap,block_mib,dimm_mib,node,rep,phase,"
	      "view,metric,value,unit,boot,cycle,warmup,block,target_mib,"
	      "kernel_release\n"
	      "r1,k,tcg,ram,128,128,0,0,add,host,latency_ns,5,ns,0,1,0,-1,-1,"
	      "6.1\n",
	      f);
	fclose(f);
	assert_int_equal(samples_load(path, &t, &line), 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.s[0].offline_fill_pct, -1);
	assert_string_equal(t.s[0].kernel_release, "6.1");
	samples_free(&t);
	f = fopen(path, "w");
	fprintf(f, "%s\n", SAMPLES_HEADER);
	fputs("r1,k,tcg,ram,128,128,0,0,offline,guest,latency_ns,5,ns,0,1,0,"
	      "-1,-1,6.1,101\n",
	      f);
	fclose(f);
	assert_int_equal(samples_load(path, &t, &line), -EPROTO);
	assert_int_equal(line, 2);
}

/* Runs recorded before the source column were of pc-dimms; a source
 * other than dimm or pmem is a malformed row. */
static void before_source_loads(void **state)
{
	FILE *f = fopen(path, "w");
	struct sample_table t;
	int line;

	fputs("run_id,kernel,accel,memmap,block_mib,dimm_mib,node,rep,phase,"
	      "view,metric,value,unit,boot,cycle,warmup,block,target_mib,"
	      "kernel_release,offline_fill_pct\n"
	      "r1,k,tcg,ram,128,128,0,0,add,host,latency_ns,5,ns,0,1,0,-1,-1,"
	      "6.1,-1\n",
	      f);
	fclose(f);
	assert_int_equal(samples_load(path, &t, &line), 0);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.s[0].source, "dimm");
	samples_free(&t);
	f = fopen(path, "w");
	fprintf(f, "%s\n", SAMPLES_HEADER);
	fputs("r1,k,tcg,ram,128,128,0,0,add,host,latency_ns,5,ns,0,1,0,-1,-1,"
	      "6.12,-1,-1,pmem\n"
	      "r1,k,tcg,ram,128,128,0,0,add,host,latency_ns,5,ns,0,1,0,-1,-1,"
	      "6.12,-1,-1,cxl\n",
	      f);
	fclose(f);
	assert_int_equal(samples_load(path, &t, &line), -EPROTO);
	assert_int_equal(line, 3);
	samples_free(&t); /* the good row before the bad one */
}

static void split(void **state)
{
	char line[] = "a,\"b,c\",\"d\"\"e\",,f";
	char *fl[8];

	assert_int_equal(samples_split(line, fl, 8), 5);
	assert_string_equal(fl[1], "b,c");
	assert_string_equal(fl[2], "d\"e");
	assert_string_equal(fl[3], "");
	assert_string_equal(fl[4], "f");
}

static void stats_known(void **state)
{
	double v[] = {5, 1, 4, 2, 3};
	struct stats_summary s;

	assert_int_equal(stats_summarize(v, 5, &s), 0);
	assert_true(s.median == 3);
	assert_true(s.q1 == 2 && s.q3 == 4 && s.iqr == 2); /* type 7 */
	assert_true(s.min == 1 && s.max == 5 && s.mean == 3);
	assert_float_equal(s.sd, 1.5811388300841898, 1e-12);
	assert_int_equal(stats_summarize(v, 0, &s), -EINVAL);
}

/* The summary leaves warm-up out and groups by cell. */
static void summary_excludes_warmup(void **state)
{
	FILE *f = samples_open(path);
	struct sample_table t;
	struct report_timing tm = {
		.wall_ns = 100, .boot_ns = 10, .phase_ns = 50};
	json_t *sum, *c;
	int line;
	const double v[] = {10, 30, 20};

	struct sample w = mk("ram", "add", 1e9, 1);
	samples_write(f, &w);
	for (int i = 0; i < 3; i++) {
		struct sample s = mk("ram", "add", v[i], 0);
		samples_write(f, &s);
	}
	fclose(f);
	assert_int_equal(samples_load(path, &t, &line), 0);
	sum = report_summary(&t, &tm);
	c = json_array_get(json_object_get(sum, "cells"), 0);
	assert_int_equal(json_array_size(json_object_get(sum, "cells")), 1);
	assert_int_equal(json_integer_value(json_object_get(c, "n")), 3);
	assert_true(json_real_value(json_object_get(c, "median")) == 20);
	assert_true(json_real_value(json_object_get(c, "max")) == 30);
	assert_float_equal(
		json_real_value(json_object_get(
			json_object_get(sum, "overhead"), "overhead_pct")),
		40.0, 1e-9);
	json_decref(sum);
	samples_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(torn_last_row, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_row, setup, teardown),
		cmocka_unit_test_setup_teardown(old_format_loads, setup,
						teardown),
		cmocka_unit_test_setup_teardown(before_fill_loads, setup,
						teardown),
		cmocka_unit_test_setup_teardown(before_source_loads, setup,
						teardown),
		cmocka_unit_test(split),
		cmocka_unit_test(stats_known),
		cmocka_unit_test_setup_teardown(summary_excludes_warmup, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
