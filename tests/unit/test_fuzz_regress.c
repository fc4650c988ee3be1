// SPDX-License-Identifier: GPL-2.0-or-later
/* Replays through the fuzz targets (tests/fuzz/fuzz_*.c) every seed of
 * their corpora and every input that once made one fail, kept in
 * tests/fuzz/regressions/<target>/ (see docs/fuzzing.md). A target fails
 * by a sanitizer report or an abort(), so this test means most in its
 * ASan+UBSan build (build/asan/tests/), which `make test` runs too.
 * MHP_FUZZ_DATA overrides the tests/fuzz directory; MHP_FUZZ_VERBOSE=1
 * names each input before it runs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../fuzz/fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef int (*fuzz_fn)(const uint8_t *data, size_t size);

static const char *data_dir(void)
{
	const char *d = getenv("MHP_FUZZ_DATA");

	return d ? d : "tests/fuzz";
}

static void run_file(const char *path, fuzz_fn fn)
{
	uint8_t *buf;
	struct stat st;
	FILE *f = fopen(path, "rb");

	if (!f)
		fail_msg("%s: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) < 0)
		fail_msg("%s: %s", path, strerror(errno));
	/* Exactly the input's size, so a read past its end is caught. */
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	assert_non_null(buf);
	if (st.st_size &&
	    fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
		fail_msg("%s: short read", path);
	fclose(f);
	if (getenv("MHP_FUZZ_VERBOSE"))
		fprintf(stderr, "# %s (%lld bytes)\n", path,
			(long long)st.st_size);
	assert_int_equal(fn(buf, (size_t)st.st_size), 0);
	free(buf);
}

/* Every regular file in DIR/@sub/@target, in name order; how many. A
 * missing directory holds none. */
static int run_dir(const char *sub, const char *target, fuzz_fn fn)
{
	char dir[512], path[1024];
	struct dirent **names;
	int n, i, ran = 0;

	snprintf(dir, sizeof(dir), "%s/%s/%s", data_dir(), sub, target);
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		if (errno == ENOENT)
			return 0;
		fail_msg("%s: %s", dir, strerror(errno));
	}
	for (i = 0; i < n; i++) {
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (names[i]->d_name[0] != '.' && !stat(path, &st) &&
		    S_ISREG(st.st_mode)) {
			run_file(path, fn);
			ran++;
		}
		free(names[i]);
	}
	free(names);
	return ran;
}

static void replay(const char *target, fuzz_fn fn)
{
	int seeds = run_dir("corpus", target, fn);
	int crashes = run_dir("regressions", target, fn);

	/* No seeds means a wrong directory, not a pass. */
	if (!seeds)
		fail_msg("no seeds in %s/corpus/%s (run from the repository "
			 "root, or set MHP_FUZZ_DATA)",
			 data_dir(), target);
	print_message("# %s: %d seeds, %d regression inputs\n", target, seeds,
		      crashes);
}

static void qmp(void **state)
{
	replay("qmp", fuzz_qmp);
}

static void agent(void **state)
{
	replay("agent", fuzz_agent);
}

static void job(void **state)
{
	replay("job", fuzz_job);
}

static void linebuf(void **state)
{
	replay("linebuf", fuzz_linebuf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(qmp),
		cmocka_unit_test(agent),
		cmocka_unit_test(job),
		cmocka_unit_test(linebuf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
