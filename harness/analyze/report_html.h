/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `mhpbench report --html`: one self-contained HTML page of a run (README,
 * "Analysis": "HTML report"): its provenance from manifest.json, the
 * latency and placement tables (the summary's data, as HTML tables, and
 * every table of `mhpbench report` as text), the gate's verdicts with
 * their reasons, the plots as inline SVG and the trend from the history.
 * No script and no external resource; everything taken from a file is
 * HTML-escaped, and an SVG that holds script or foreign content is left
 * out, not inlined. */
#ifndef MHP_REPORT_HTML_H
#define MHP_REPORT_HTML_H

#include "analyze/analysis.h"
#include "analyze/plot.h"

#include <jansson.h>
#include <stdio.h>

struct html_report {
	const struct ana_run *run; /* its manifest and samples */
	const json_t *summary;	   /* report_summary() of its samples */
	const char *text;	   /* report_print()'s tables, or NULL */
	const json_t *gate;	   /* a gate.json whose candidate is the run */
	const char *gate_path;	   /* where it was read */
	const char *plot_dir;	   /* NAME.svg and trend.csv, or NULL */
	const struct plot_result *plots;
	const char *plots_missing; /* why there are no plots, or NULL */
	const char *history;	   /* the history the trend is from, or NULL */
};

/* Writes @s with & < > " ' as character references: safe in HTML text
 * and attributes, and in XML (the gate's JUnit file). */
void html_escape(FILE *f, const char *s);

/* Copies the SVG document @svg (gnuplot's) into @f as inline SVG: from
 * its <svg> element on (the XML declaration and doctype dropped), every
 * id and reference to one prefixed with @prefix so that several plots on
 * a page keep their own. -EINVAL (nothing written) when it holds no
 * <svg>, or a script, an event handler, foreignObject or a javascript:
 * URL. */
int html_inline_svg(FILE *f, const char *svg, const char *prefix);

/* The page. 0, or -EIO when it could not be written. */
int html_report_write(FILE *f, const struct html_report *h);

#endif
