// SPDX-License-Identifier: GPL-2.0-or-later
/* The write path of a run directory under failure: a samples.csv row that
 * cannot be written whole is cut off again (RLIMIT_FSIZE makes write(2)
 * stop part-way, as a full file system does), the space reserve for the
 * last manifest, and run names that could leave the results root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "results/samples.h"
#include "results/store.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/mhp-store-io.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static void fill_sample(struct sample *s, int i)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->run_id, sizeof(s->run_id), "20260101-000000-io");
	snprintf(s->kernel, sizeof(s->kernel), "6.1.0-56-amd64");
	snprintf(s->kernel_release, sizeof(s->kernel_release),
		 "6.1.0-56-amd64");
	snprintf(s->accel, sizeof(s->accel), "tcg");
	snprintf(s->memmap, sizeof(s->memmap), "ram");
	snprintf(s->phase, sizeof(s->phase), "online");
	snprintf(s->view, sizeof(s->view), "guest");
	snprintf(s->metric, sizeof(s->metric), "latency_ns");
	snprintf(s->unit, sizeof(s->unit), "ns");
	s->block_mib = s->dimm_mib = 128;
	s->value = 1234567.0 + i;
	s->cycle = i;
	s->block = -1;
	s->target_mib = -1;
	s->offline_fill_pct = -1;
	s->zone_present_mib = -1;
}

static off_t file_size(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

/* Rows until the file size limit stops one part-way: the file must end at
 * the last complete row, and load back whole. */
static void test_partial_row_cut(void **state)
{
	struct rlimit old, lim;
	struct sample_table t;
	struct sample s;
	char path[128], last;
	off_t good = 0;
	int ret = 0, i, line;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/samples.csv", dir);
	f = samples_open(path);
	assert_non_null(f);
	/* Room for the header and about two and a half rows. */
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = (rlim_t)(file_size(path) + 300);
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	for (i = 0; i < 10 && !ret; i++) {
		fill_sample(&s, i);
		ret = samples_write(f, &s);
		if (!ret)
			good = file_size(path);
	}
	setrlimit(RLIMIT_FSIZE, &old);
	assert_int_equal(ret, -EFBIG);
	assert_int_equal(i, 3); /* two rows fit, the third did not */
	assert_int_equal(file_size(path), good);
	/* The stream is usable again, and nothing of the cut row comes
	 * back at close. */
	fill_sample(&s, 99);
	assert_int_equal(samples_write(f, &s), 0);
	assert_int_equal(fclose(f), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	fseek(f, -1, SEEK_END);
	last = (char)fgetc(f);
	fclose(f);
	assert_int_equal(last, '\n');
	assert_int_equal(samples_load(path, &t, &line), 0);
	assert_int_equal(t.n, 3);
	assert_int_equal(t.s[1].cycle, 1);
	assert_int_equal(t.s[2].cycle, 99);
	samples_free(&t);
}

static void test_reserve(void **state)
{
	char path[2700];
	struct store st;

	(void)state;
	assert_int_equal(store_create(&st, dir, "io"), 0);
	assert_true(st.reserved);
	store_path(&st, ".space-reserve", path, sizeof(path));
	assert_int_equal(file_size(path), 256 << 10);
	assert_int_equal(store_save_manifest(&st), 0);
	assert_int_equal(store_close(&st), 0);
	assert_int_not_equal(access(path, F_OK), 0);
}

/* A run directory is one component right under the root. */
static void test_names(void **state)
{
	static const char *const bad[] = {"", ".", "..", "a/b", "../x", "x\ny"};
	struct store st;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(store_create(&st, dir, bad[i]), -EINVAL);
	assert_int_equal(store_create(&st, dir, "..x"), 0);
	assert_non_null(strstr(st.dir, "-..x"));
	assert_int_equal(strncmp(st.dir, dir, strlen(dir)), 0);
	assert_null(strchr(st.dir + strlen(dir) + 1, '/'));
	store_close(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_partial_row_cut, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reserve, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
