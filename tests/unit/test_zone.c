// SPDX-License-Identifier: GPL-2.0-or-later
/* The zone_present axis (README, "Cost against the size of the zone"):
 * the job option and its checks, the boot memory and host cost it gives,
 * the samples column, the fitted slope and the zone-size table. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "config/blocksize.h"
#include "config/job.h"
#include "config/job_parse.h"
#include "config/zonesize.h"
#include "analyze/compare.h"
#include "analyze/gate_zone.h"
#include "results/report.h"
#include "results/samples.h"
#include "results/stats_fit.h"
#include "results/zonereport.h"

#include "fake_samples.h"

#undef GIB
#undef MIB
#define GIB (1ULL << 30)
#define MIB (1ULL << 20)

static void load_ok(struct job *job, const char *text)
{
	struct job_error err;

	if (job_load_string(job, "t.job", text, &err))
		fail_msg("job did not load: %d: %s", err.line, err.msg);
}

static void load_bad(const char *text, int line, const char *msg)
{
	struct job job;
	struct job_error err;

	assert_int_equal(job_load_string(&job, "t.job", text, &err), -EINVAL);
	assert_int_equal(err.line, line);
	if (!strstr(err.msg, msg))
		fail_msg("error '%s' lacks '%s'", err.msg, msg);
}

/* A list of sizes, 0 included, in the order given; none by default. */
static void test_option(void **state)
{
	struct job job;

	(void)state;
	load_ok(&job, "[job]\n");
	assert_int_equal(job.nzone_present, 0);
	load_ok(&job, "[job]\nboot_mem = 1536M\nzone_present = 0, 4G, 64G\n");
	assert_int_equal(job.nzone_present, 3);
	assert_true(job.zone_present[0] == 0);
	assert_true(job.zone_present[1] == 4 * GIB);
	assert_true(job.zone_present[2] == 64 * GIB);
	load_bad("[job]\nzone_present = 100M\n", 2,
		 "zone_present: 100M is not a multiple of 128M");
	load_bad("[job]\nzone_present = 2T\n", 2,
		 "zone_present: 2T is out of range 0..1T");
	load_bad("[job]\nzone_present = 1G, 1G\n", 2, "listed twice");
}

/* Each conflict at the line it blames, exit 2's message. */
static void test_conflicts(void **state)
{
	(void)state;
	load_bad("[job]\nbenchmark = oom-edge\noom_targets = 32M\n"
		 "zone_present = 1G\n",
		 4, "zone_present: benchmark = oom-edge");
	load_bad("[job]\nblock_sizes = 128M, 1G\nzone_present = 1G\n", 3,
		 "zone_present: not with block_sizes");
	load_bad("[job]\nzone = auto\nzone_present = 1G\n", 3,
		 "zone = auto lets the kernel pick the zone");
	load_bad("[job]\nzone = normal\nboot_mem = 1G\nzone_present = 1G\n", 3,
		 "boot_mem: with zone = normal, zone_present sets");
	load_bad("[job]\nslots = 1\nzone_present = 1G\n", 2,
		 "slots: zone_present's DIMM takes a slot");
	/* ZONE_NORMAL starts above 4G: below 512M there is none */
	load_bad("[job]\nzone = normal\nzone_present = 0, 256M\n", 3,
		 "zone_present: 256M: with zone = normal a size is 0 or at "
		 "least 512M");
	/* the zone DIMM's memmap comes from boot memory */
	load_bad("[job]\nzone_present = 64G\n", 2,
		 "zone_present: the memmap of 64G (1/64) comes from boot "
		 "memory, but boot_mem is 512M; it needs at least 1280M");
	/* boot memory, the zone and the measured DIMM within maxmem */
	load_bad("[job]\nmaxmem = 4G\nzone_present = 0, 4G\n", 3,
		 "zone_present: 4G does not fit maxmem 4G: boot memory, the "
		 "zone and the largest DIMM need 4736M");
}

/* Boot memory: the job's for movable; 3G + N for normal, plus 128M where
 * the end of boot memory would otherwise give larger blocks. */
static void test_boot_mem(void **state)
{
	(void)state;
	assert_true(zonesize_boot_mem(ZONE_MOVABLE, 64 * GIB, 512 * MIB) ==
		    512 * MIB);
	assert_true(zonesize_plugged(ZONE_MOVABLE, 4 * GIB) == 4 * GIB);
	assert_true(zonesize_plugged(ZONE_NORMAL, 4 * GIB) == 0);
	assert_true(zonesize_boot_mem(ZONE_NORMAL, 0, 512 * MIB) == 3 * GIB);
	assert_true(zonesize_boot_mem(ZONE_NORMAL, 8 * GIB, 0) == 11 * GIB);
	/* 3G + 64G ends at 68G, which 2G divides: 2G blocks; 128M more
	 * ends at an odd multiple of 128M */
	assert_true(blocksize_for_boot_mem(67 * GIB) == 2 * GIB);
	assert_true(zonesize_boot_mem(ZONE_NORMAL, 64 * GIB, 0) ==
		    67 * GIB + 128 * MIB);
	assert_true(blocksize_for_boot_mem(67 * GIB + 128 * MIB) == 128 * MIB);
	for (uint64_t n = 0; n <= 256 * GIB; n += 512 * MIB)
		assert_true(blocksize_for_boot_mem(zonesize_boot_mem(
				    ZONE_NORMAL, n, 0)) == BLOCKSIZE_MIN);
}

/* What the host must hold: 1/64 of all guest memory, boot_mem, 512M. */
static void test_host_need(void **state)
{
	struct job job;
	struct parser p;

	(void)state;
	load_ok(&job, "[job]\nboot_mem = 1536M\nzone_present = 0, 64G\n");
	assert_true(zonesize_host_need(&job, 64 * GIB, 128 * MIB) ==
		    (1536 * MIB + 64 * GIB + 128 * MIB) / 64 + 1536 * MIB +
			    512 * MIB);
	/* too little MemAvailable: refused at the zone_present line */
	memset(&p, 0, sizeof(p));
	p.job = job;
	p.set_line[opt_find("zone_present") - job_opts] = 3;
	assert_int_equal(job_check_zone_host(&p, 128 * MIB, 3098 * MIB), 0);
	assert_int_equal(job_check_zone_host(&p, 128 * MIB, 3097 * MIB),
			 -EINVAL);
	assert_int_equal(p.err.line, 3);
	assert_non_null(strstr(p.err.msg, "zone_present: 64G does not fit "
					  "the host's memory: the guest would "
					  "touch about 3098M"));
	/* an unreadable MemAvailable (0) checks nothing */
	memset(&p.err, 0, sizeof(p.err));
	p.rc = 0;
	assert_int_equal(job_check_zone_host(&p, 128 * MIB, 0), 0);
}

/* The column round-trips; rows from before it read as no axis. */
static void test_samples_column(void **state)
{
	char path[] = "/tmp/mhp-test-zone-XXXXXX";
	int fd = mkstemp(path), line = 0;
	struct sample_table t = {0};
	struct sample s;
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	f = samples_open(path);
	assert_non_null(f);
	memset(&s, 0, sizeof(s));
	snprintf(s.run_id, sizeof(s.run_id), "r");
	snprintf(s.phase, sizeof(s.phase), "online");
	snprintf(s.metric, sizeof(s.metric), "latency_ns");
	s.target_mib = -1;
	s.offline_fill_pct = -1;
	s.zone_present_mib = 65536;
	assert_int_equal(samples_write(f, &s), 0);
	/* a row of the 20 columns before zone_present_mib */
	fprintf(f, "r,k,tcg,ram,128,128,0,0,online,guest,latency_ns,1,ns,"
		   "0,0,0,-1,-1,k,-1\n");
	fclose(f);
	assert_int_equal(samples_load(path, &t, &line), 0);
	assert_int_equal(t.n, 2);
	assert_true(t.s[0].zone_present_mib == 65536);
	assert_true(t.s[1].zone_present_mib == -1);
	samples_free(&t);
	/* a negative size other than -1 is corrupt */
	f = fopen(path, "a");
	fprintf(f, "r,k,tcg,ram,128,128,0,0,online,guest,latency_ns,1,ns,"
		   "0,0,0,-1,-1,k,-1,-7\n");
	fclose(f);
	assert_int_equal(samples_load(path, &t, &line), -EPROTO);
	assert_int_equal(line, 4);
	samples_free(&t);
	unlink(path);
}

/* By hand: x = 0, 1, 2, 3, y = 1, 3, 2, 5. Sxx = 5, Sxy = 5.5, slope
 * 1.1, intercept 1.1; residuals -0.1, 0.8, -1.3, 0.6, SSE = 2.7, s^2 =
 * 1.35, se = sqrt(1.35 / 5) = 0.519615; t(0.975, 2) = 4.302653; CI
 * 1.1 -/+ 2.235724; t = 2.116951, and with 2 degrees of freedom p = 1 -
 * t / sqrt(2 + t^2) = 0.168478. */
static void test_fit_by_hand(void **state)
{
	const double x[] = {0, 1, 2, 3}, y[] = {1, 3, 2, 5};
	const double same[] = {2, 2, 2};
	struct stats_slope s;

	(void)state;
	assert_int_equal(stats_fit_slope(x, y, 4, 0.95, &s), 0);
	assert_float_equal(s.slope, 1.1, 1e-12);
	assert_float_equal(s.intercept, 1.1, 1e-12);
	assert_float_equal(s.se, 0.519615, 1e-6);
	assert_int_equal(s.df, 2);
	assert_float_equal(s.lo, 1.1 - 2.235724, 1e-5);
	assert_float_equal(s.hi, 1.1 + 2.235724, 1e-5);
	assert_float_equal(s.p, 0.168478, 1e-5);
	/* too few points, or one x only: no slope */
	assert_int_equal(stats_fit_slope(x, y, 2, 0.95, &s), -EINVAL);
	assert_int_equal(stats_fit_slope(same, y, 3, 0.95, &s), -EINVAL);
}

/* Boot @boot at @gib GiB of zone: its online cycles in @view. */
static void boot_view(struct sample_table *t, const char *mode, int boot,
		      int gib, const double *v, int n, const char *view)
{
	for (int i = 0; i < n; i++) {
		add(t, mode, "online", view, "latency_ns", "ns", v[i], 0);
		t->s[t->n - 1].boot = boot;
		t->s[t->n - 1].zone_present_mib = gib * 1024;
	}
}

static void boot_at(struct sample_table *t, const char *mode, int boot, int gib,
		    const double *v, int n)
{
	boot_view(t, mode, boot, gib, v, n, "guest");
}

/* The table fits per-boot medians, never the cycles: two boots at each
 * of 0, 8 and 16 GiB with medians 10 and 12, 18 and 20, 26 and 28 us lie
 * about the line 11 us + 1 us per GiB: a slope of 1000 ns per GiB (the
 * cycles of boot 0 pooled with boot 1's would pull it). Modes stay apart,
 * and a mode with one size gets no slope, with the reason. */
static void test_zone_table(void **state)
{
	struct sample_table t = {0};
	const double b0[] = {9e3, 10e3, 99e3}, b1[] = {12e3, 11e3, 13e3};
	const double b2[] = {18e3}, b3[] = {20e3}, b4[] = {26e3, 26e3};
	const double b5[] = {28e3};
	const json_t *fits, *f, *sz;
	json_t *z;
	int seen = 0;
	size_t i;

	(void)state;
	boot_at(&t, "ram", 0, 0, b0, 3);
	boot_at(&t, "ram", 1, 0, b1, 3);
	boot_at(&t, "ram", 2, 8, b2, 1);
	boot_at(&t, "ram", 3, 8, b3, 1);
	boot_at(&t, "ram", 4, 16, b4, 2);
	boot_at(&t, "ram", 8, 16, b5, 1);
	boot_at(&t, "self", 5, 4, b1, 3);
	boot_at(&t, "self", 6, 4, b2, 1);
	boot_at(&t, "self", 7, 4, b3, 1);
	/* a warm-up and a sample without the axis count for nothing */
	boot_at(&t, "ram", 4, 16, b0 + 2, 1);
	t.s[t.n - 1].warmup = 1;
	add(&t, "ram", "online", "guest", "latency_ns", "ns", 1e9, 0);
	z = zonereport_json(&t);
	assert_non_null(z);
	fits = json_object_get(z, "fits");
	assert_int_equal(json_array_size(fits), 2);
	json_array_foreach(fits, i, f)
	{
		const char *m = json_string_value(json_object_get(f, "memmap"));

		if (!strcmp(m, "ram")) {
			seen |= 1;
			assert_float_equal(json_real_value(json_object_get(
						   f, "slope_ns_per_gib")),
					   1000.0, 1e-6);
			assert_int_equal(
				json_integer_value(json_object_get(f, "boots")),
				6);
			/* each size: the median of its cycles */
			sz = json_array_get(json_object_get(f, "sizes"), 0);
			assert_int_equal(json_integer_value(json_object_get(
						 sz, "zone_present_mib")),
					 0);
			assert_float_equal(
				json_real_value(json_object_get(sz, "median")),
				11.5e3, 1e-9);
			assert_int_equal(
				json_integer_value(json_object_get(sz, "n")),
				6);
		} else {
			seen |= 2;
			assert_null(json_object_get(f, "slope_ns_per_gib"));
			assert_non_null(
				json_object_get(f, "slope_unavailable"));
		}
	}
	assert_int_equal(seen, 3);
	json_decref(z);
	free(t.s);
	/* no sample with the axis: no table */
	memset(&t, 0, sizeof(t));
	add(&t, "ram", "online", "guest", "latency_ns", "ns", 1, 0);
	assert_null(zonereport_json(&t));
	free(t.s);
}

/* Two zone sizes, ram against self: compare keys a row per size (the
 * label says which) and pools none; the summary prints a latency table
 * per size and the zone-size table. */
static void test_keyed(void **state)
{
	struct sample_table t = {0};
	struct ana_sel a, b;
	struct ana_cmp c;
	struct report_timing tm = {0};
	char lab[128], *out = NULL;
	size_t len = 0, rows = 0;
	json_t *sum;
	FILE *f;

	(void)state;
	for (int z = 0; z < 2; z++)
		for (int boot = 0; boot < 2; boot++) {
			const double r[] = {10e6 + z * 5e6, 10.1e6 + z * 5e6};
			const double sf[] = {11e6 + z * 5e6, 11.1e6 + z * 5e6};

			boot_at(&t, "ram", boot + 2 * z, z * 2, r, 2);
			boot_at(&t, "self", boot + 2 * z + 4, z * 2, sf, 2);
			boot_view(&t, "ram", boot + 2 * z, z * 2, r, 2, "host");
		}
	assert_int_equal(ana_parse_sel("memmap=ram", &a), 0);
	assert_int_equal(ana_parse_sel("memmap=self", &b), 0);
	assert_int_equal(ana_compare(&t, &a, &t, &b, &opts, &c), 0);
	for (size_t i = 0; i < c.n; i++) {
		if (strcmp(c.rows[i].k.metric, "latency_ns") ||
		    strcmp(c.rows[i].k.view, "guest"))
			continue;
		rows++;
		assert_int_equal(c.rows[i].a.n, 4);
		compare_size_label(&c.rows[i], lab, sizeof(lab));
		assert_non_null(strstr(lab, c.rows[i].k.zone_present_mib
						    ? " zone2G"
						    : " zone0"));
		/* pooled, a side's median would lie between the sizes */
		assert_true(c.rows[i].a.median < 10.2e6 ||
			    c.rows[i].a.median > 14.9e6);
	}
	assert_int_equal(rows, 2);
	ana_cmp_free(&c);
	sum = report_summary(&t, &tm);
	f = open_memstream(&out, &len);
	report_print(f, sum);
	fclose(f);
	assert_non_null(strstr(out, "128M blocks, 0 already in the zone\n"));
	assert_non_null(strstr(out, "128M blocks, 2G already in the zone\n"));
	assert_non_null(strstr(out, "Cost against the size of the zone"));
	assert_non_null(strstr(out, "Slope, ns per GiB of zone [95% CI]"));
	/* ram: boots at 0 and 2G of 10.05 and 15.05 ms: 2.5 ms per GiB */
	if (!strstr(out, "ram  online    2500000 [ 2500000,  2500000]"))
		fail_msg("%s", out);
	free(out);
	json_decref(sum);
	free(t.s);
}

/* A run whose ram online time grows by @slope ns per GiB from 10 us, two
 * boots at each of 0, 8 and 16 GiB, @noise ns apart. */
static void sloped(struct sample_table *t, double slope, double noise)
{
	for (int b = 0; b < 6; b++) {
		int gib = b / 2 * 8;
		double v = 10e3 + slope * gib + (b % 2 ? noise : -noise);

		boot_at(t, "ram", b, gib, &v, 1);
	}
}

/* The gate's slope rule: a steeper candidate is a regression, the same
 * slope the same, a flatter one an improvement, and one whose CI of the
 * change reaches past the tolerance inconclusive. */
static void test_gate_slope(void **state)
{
	struct sample_table a = {0}, same = {0}, steep = {0}, flat = {0},
			    noisy = {0};
	struct gate_zone z;

	(void)state;
	sloped(&a, 1000, 1);
	sloped(&same, 1000, 1);
	sloped(&steep, 3000, 1);
	sloped(&flat, 200, 1);
	sloped(&noisy, 1000, 3000);
	assert_int_equal(gate_zone_judge(&a, &steep, 0.05, 0.05, &z), 0);
	assert_int_equal(json_array_size(z.rows), 1);
	assert_int_equal(z.worst, GATE_REGRESSION);
	assert_non_null(strstr(json_string_value(json_object_get(
				       json_array_get(z.rows, 0), "reason")),
			       "slope 1000 -> 3000 ns/GiB"));
	gate_zone_free(&z);
	assert_int_equal(gate_zone_judge(&a, &same, 0.05, 0.05, &z), 0);
	assert_int_equal(z.worst, GATE_SAME);
	gate_zone_free(&z);
	assert_int_equal(gate_zone_judge(&a, &flat, 0.05, 0.05, &z), 0);
	assert_int_equal(z.worst, GATE_IMPROVEMENT);
	gate_zone_free(&z);
	assert_int_equal(gate_zone_judge(&a, &noisy, 0.05, 0.05, &z), 0);
	assert_int_equal(z.worst, GATE_INCONCLUSIVE);
	gate_zone_free(&z);
	/* no axis in the baseline: nothing judged */
	free(a.s);
	memset(&a, 0, sizeof(a));
	add(&a, "ram", "online", "guest", "latency_ns", "ns", 1, 0);
	assert_int_equal(gate_zone_judge(&a, &steep, 0.05, 0.05, &z), 0);
	assert_int_equal(json_array_size(z.rows), 0);
	assert_int_equal(z.worst, GATE_SAME);
	gate_zone_free(&z);
	free(a.s);
	free(same.s);
	free(steep.s);
	free(flat.s);
	free(noisy.s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_option),
		cmocka_unit_test(test_conflicts),
		cmocka_unit_test(test_boot_mem),
		cmocka_unit_test(test_host_need),
		cmocka_unit_test(test_samples_column),
		cmocka_unit_test(test_fit_by_hand),
		cmocka_unit_test(test_zone_table),
		cmocka_unit_test(test_keyed),
		cmocka_unit_test(test_gate_slope),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
