// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the HTML report's escaping and SVG inlining
 * (harness/analyze/report_html.c); the page itself is loaded in a browser
 * by tests/integration/report-html.t. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/report_html.h"

/* What @fn writes for @in into a memory stream; freed by the caller. */
static char *escaped(const char *in)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	html_escape(f, in);
	fclose(f);
	return buf;
}

static void test_escape(void **state)
{
	char *s = escaped("<b a=\"x\" c='y'>&amp;</b>");

	assert_string_equal(
		s,
		"&lt;b a=&quot;x&quot; c=&#39;y&#39;&gt;&amp;amp;&lt;/b&gt;");
	free(s);
	s = escaped("6.1.0-57-amd64 128M");
	assert_string_equal(s, "6.1.0-57-amd64 128M");
	free(s);
}

/* The inlined @svg with @prefix, or NULL when refused. */
static char *inlined(const char *svg, const char *prefix)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int ret = html_inline_svg(f, svg, prefix);

	fclose(f);
	if (ret) {
		assert_int_equal(ret, -EINVAL);
		assert_int_equal(len, 0); /* nothing written */
		free(buf);
		return NULL;
	}
	return buf;
}

static void test_svg(void **state)
{
	/* as gnuplot writes it: declaration, ids, references to them */
	const char *svg =
		"<?xml version=\"1.0\" encoding=\"utf-8\"  "
		"standalone=\"no\"?>\n"
		"<svg width=\"1000\" viewBox=\"0 0 1000 640\">\n"
		"<g id=\"gnuplot_canvas\"><defs><path id='gpPt0' d='M0'/>"
		"<use xlink:href='#gpPt0' id='gpPt6'/></defs>"
		"<g filter=\"url(#textbox)\" grid='1'><text>a valid=1</text>"
		"</g></g></svg>\n";
	char *s = inlined(svg, "p3_");

	assert_non_null(s);
	assert_string_equal(
		s, "<svg width=\"1000\" viewBox=\"0 0 1000 640\">\n"
		   "<g id=\"p3_gnuplot_canvas\"><defs><path id='p3_gpPt0' "
		   "d='M0'/><use xlink:href='#p3_gpPt0' id='p3_gpPt6'/></defs>"
		   "<g filter=\"url(#p3_textbox)\" grid='1'><text>a valid=1"
		   "</text></g></g></svg>\n");
	free(s);
}

static void test_svg_refused(void **state)
{
	static const char *const bad[] = {
		"no svg here",
		"<svg><script>alert(1)</script></svg>",
		"<svg><SCRIPT>alert(1)</SCRIPT></svg>",
		"<svg onload=\"alert(1)\"></svg>",
		"<svg><g onclick = 'x()'/></svg>",
		"<svg><foreignObject><div/></foreignObject></svg>",
		"<svg><a href=\"javascript:alert(1)\">x</a></svg>",
		"<svg><use href=\"http://example.org/x.svg#a\"/></svg>",
		"<svg><image xlink:href='#a'/></svg>",
	};

	char *s;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = inlined(bad[i], "p_");
		if (s)
			fail_msg("inlined: %s", bad[i]);
	}
	/* "on" inside a word or a value is no handler */
	s = inlined("<svg><text font=\"x\">online offline</text>"
		    "<g stroke-linejoin=\"miter\"/></svg>",
		    "p_");
	assert_non_null(s);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_svg_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
