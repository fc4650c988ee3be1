// SPDX-License-Identifier: GPL-2.0-or-later
/* Line framing (common/linebuf.c): what QMP and the agent channel rely on. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "clock.h"
#include "linebuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

struct pair {
	int rd, wr;
	struct linebuf lb;
};

static int setup(void **state)
{
	struct pair *p = calloc(1, sizeof(*p));
	int sv[2];

	if (!p || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	p->rd = sv[0];
	p->wr = sv[1];
	if (linebuf_init(&p->lb, 16) < 0)
		return -1;
	*state = p;
	return 0;
}

static int teardown(void **state)
{
	struct pair *p = *state;

	if (p->rd >= 0)
		close(p->rd);
	if (p->wr >= 0)
		close(p->wr);
	linebuf_free(&p->lb);
	free(p);
	return 0;
}

static void put(struct pair *p, const char *s)
{
	assert_int_equal(write(p->wr, s, strlen(s)), (ssize_t)strlen(s));
}

/* Reads one line with a short deadline; returns linebuf's result. */
static int get(struct pair *p, char **line)
{
	return linebuf_read_line(&p->lb, p->rd, clock_deadline_ms(1000), line);
}

static void expect_line(struct pair *p, const char *want)
{
	char *line = NULL;

	assert_int_equal(get(p, &line), 1);
	assert_string_equal(line, want);
}

static void test_split_across_reads(void **state)
{
	struct pair *p = *state;
	char *line;

	put(p, "{\"a\":");
	assert_true(linebuf_fill(&p->lb, p->rd) > 0);
	/* Half a line is not a line. */
	assert_int_equal(linebuf_next(&p->lb, &line), 0);
	put(p, "1}");
	assert_true(linebuf_fill(&p->lb, p->rd) > 0);
	assert_int_equal(linebuf_next(&p->lb, &line), 0);
	put(p, "\nnext");
	expect_line(p, "{\"a\":1}");
	put(p, "\n");
	expect_line(p, "next");
}

static void test_crlf(void **state)
{
	struct pair *p = *state;

	put(p, "abc\r\n\r\na\rb\n");
	expect_line(p, "abc");
	expect_line(p, "");
	/* Only a trailing CR is part of the line end. */
	expect_line(p, "a\rb");
}

static void test_several_lines_in_one_read(void **state)
{
	struct pair *p = *state;
	char *line;

	put(p, "one\ntwo\n\nthree\nfour");
	assert_true(linebuf_fill(&p->lb, p->rd) > 0);
	assert_int_equal(linebuf_next(&p->lb, &line), 1);
	assert_string_equal(line, "one");
	assert_int_equal(linebuf_next(&p->lb, &line), 1);
	assert_string_equal(line, "two");
	assert_int_equal(linebuf_next(&p->lb, &line), 1);
	assert_string_equal(line, "");
	assert_int_equal(linebuf_next(&p->lb, &line), 1);
	assert_string_equal(line, "three");
	assert_int_equal(linebuf_next(&p->lb, &line), 0);
}

static void test_longest_line_accepted(void **state)
{
	struct pair *p = *state;

	put(p, "0123456789abcdef\n");
	expect_line(p, "0123456789abcdef");
}

static void test_overlong_complete_line(void **state)
{
	struct pair *p = *state;
	char *line;

	/* The whole over-long line and the next one arrive together. */
	put(p, "0123456789abcdefX\nok\n");
	assert_int_equal(get(p, &line), -EMSGSIZE);
	expect_line(p, "ok");
}

static void test_overlong_across_reads(void **state)
{
	struct pair *p = *state;
	char *line;

	put(p, "0123456789abcdef0123456789");
	assert_int_equal(get(p, &line), -EMSGSIZE);
	/* Reported once: more of the same line is skipped silently. */
	put(p, "0123456789abcdef0123456789");
	assert_int_equal(
		linebuf_read_line(&p->lb, p->rd, clock_deadline_ms(50), &line),
		-ETIMEDOUT);
	put(p, "tail\nnext\n");
	expect_line(p, "next");
	put(p, "again\n");
	expect_line(p, "again");
}

static void test_eof(void **state)
{
	struct pair *p = *state;
	char *line;

	put(p, "last\npartial");
	close(p->wr);
	p->wr = -1;
	expect_line(p, "last");
	/* A line cut short by EOF is not delivered. */
	assert_int_equal(get(p, &line), -EPIPE);
}

static void test_deadline(void **state)
{
	struct pair *p = *state;
	int64_t t0 = clock_now_ns(), dt;
	char *line;

	assert_int_equal(
		linebuf_read_line(&p->lb, p->rd, t0 + 50 * NS_PER_MS, &line),
		-ETIMEDOUT);
	dt = clock_now_ns() - t0;
	assert_true(dt >= 50 * NS_PER_MS);
	assert_true(dt < NS_PER_S);
	/* A deadline in the past still hands out a buffered line. */
	put(p, "late\n");
	assert_true(linebuf_fill(&p->lb, p->rd) > 0);
	assert_int_equal(linebuf_read_line(&p->lb, p->rd, t0, &line), 1);
	assert_string_equal(line, "late");
}

static void test_write_line(void **state)
{
	struct pair *p = *state;
	char buf[32];

	assert_int_equal(
		linebuf_write_line(p->wr, "abc", 3, clock_deadline_ms(1000)),
		0);
	assert_int_equal(
		linebuf_write_line(p->wr, "de\n", 3, clock_deadline_ms(1000)),
		0);
	assert_int_equal(read(p->rd, buf, sizeof(buf)), 7);
	assert_memory_equal(buf, "abc\nde\n", 7);
	close(p->rd);
	p->rd = -1;
	assert_int_equal(
		linebuf_write_line(p->wr, "x", 1, clock_deadline_ms(1000)),
		-EPIPE);
}

/* The buffer grows to the limit and no further, over many reads. */
static void test_one_mib_lines(void **state)
{
	const size_t max = 1024 * 1024;
	size_t len = 3 * max + 20;
	char *data = malloc(len), *line;
	struct linebuf lb;
	int fd = memfd_create("linebuf", MFD_CLOEXEC);

	(void)state;
	assert_non_null(data);
	assert_true(fd >= 0);
	/* max bytes, then max + 1 bytes, then "ok". */
	memset(data, 'a', len);
	data[max] = '\n';
	data[2 * max + 2] = '\n';
	memcpy(data + 2 * max + 3, "ok\n", 3);
	assert_int_equal(write(fd, data, 2 * max + 6), (ssize_t)(2 * max + 6));
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(linebuf_init(&lb, max), 0);
	assert_int_equal(
		linebuf_read_line(&lb, fd, clock_deadline_ms(5000), &line), 1);
	assert_int_equal(strlen(line), max);
	assert_int_equal(
		linebuf_read_line(&lb, fd, clock_deadline_ms(5000), &line),
		-EMSGSIZE);
	assert_int_equal(
		linebuf_read_line(&lb, fd, clock_deadline_ms(5000), &line), 1);
	assert_string_equal(line, "ok");
	assert_true(lb.cap <= max + 4096);
	assert_int_equal(
		linebuf_read_line(&lb, fd, clock_deadline_ms(5000), &line),
		-EPIPE);
	linebuf_free(&lb);
	close(fd);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_split_across_reads, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_crlf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_several_lines_in_one_read,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_longest_line_accepted,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlong_complete_line,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlong_across_reads,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_eof, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deadline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_line, setup,
						teardown),
		cmocka_unit_test(test_one_mib_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
