// SPDX-License-Identifier: GPL-2.0-or-later
/* The HTML report of a run (report_html.h). */
#include "analyze/report_html.h"

#include "base/version.h"
#include "results/metric.h"
#include "results/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

void html_escape(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

/* Case-insensitive strstr. */
static const char *find_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return hay;
	return NULL;
}

/* Whether @svg holds anything that could run or fetch: script, an event
 * handler attribute (on...=), foreignObject, a javascript: URL, or a
 * reference outside the document. gnuplot writes none of them; a label
 * that smuggled one in through a CSV would. */
static int svg_unsafe(const char *svg)
{
	static const char *const bad[] = {"<script",	 "<foreignobject",
					  "javascript:", "<iframe",
					  "<image",	 "http-equiv"};
	const char *p;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (find_ci(svg, bad[i]))
			return 1;
	/* on...= as an attribute: a space, "on", letters, '=' */
	for (p = svg; (p = find_ci(p, " on")); p += 3) {
		const char *q = p + 3;

		while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'))
			q++;
		while (*q == ' ')
			q++;
		if (q > p + 3 && *q == '=')
			return 1;
	}
	/* every reference is to an id of the document (#...) */
	for (p = svg; (p = strstr(p, "href=")); p += 5)
		if (p[5] == '\0' || p[6] != '#')
			return 1;
	return 0;
}

int html_inline_svg(FILE *f, const char *svg, const char *prefix)
{
	static const char *const refs[] = {"id='", "id=\"", "href='#",
					   "href=\"#", "url(#"};
	const char *p = strstr(svg, "<svg");

	if (!p || svg_unsafe(p))
		return -EINVAL;
	while (*p) {
		size_t i, n = 0;

		for (i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
			n = strlen(refs[i]);
			/* "id=" only as an attribute, after a space */
			if (!strncmp(p, refs[i], n) &&
			    (i > 1 || (p > svg && p[-1] == ' ')))
				break;
		}
		if (i < sizeof(refs) / sizeof(refs[0])) {
			fwrite(p, 1, n, f);
			fputs(prefix, f);
			p += n;
		} else {
			fputc(*p++, f);
		}
	}
	return 0;
}

/* --- small helpers ------------------------------------------------------ */

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static double num(const json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

static json_int_t inum(const json_t *o, const char *k, json_int_t def)
{
	const json_t *v = json_object_get(o, k);

	return json_is_integer(v) ? json_integer_value(v) : def;
}

/* <tr><th>@k</th><td>@v (escaped)</td></tr>, when @v is not empty. */
static void prov_row(FILE *f, const char *k, const char *v)
{
	if (!v || !*v)
		return;
	fprintf(f, "<tr><th>%s</th><td>", k);
	html_escape(f, v);
	fputs("</td></tr>\n", f);
}

static void size_str(json_int_t mib, char *buf, size_t len)
{
	ana_size_str(mib, buf, len);
}

/* --- the page's parts ---------------------------------------------------- */

static const char css[] =
	"*{box-sizing:border-box}\n"
	"body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;"
	"color:#111;background:#fff;margin:0 auto;max-width:1100px;"
	"padding:0 12px 2em}\n"
	"h1{font-size:1.35em;margin:.8em 0 .3em;word-break:break-word}\n"
	"h2{font-size:1.15em;border-bottom:1px solid #bbb;margin-top:1.6em}\n"
	"h3{font-size:1em;margin:1.2em 0 .3em}\n"
	".scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;"
	"max-width:100%}\n"
	"table{border-collapse:collapse;margin:.3em 0 1em;"
	"font-variant-numeric:tabular-nums}\n"
	"caption{text-align:left;font-weight:600;padding:.2em 0}\n"
	"th,td{border:1px solid #ccc;padding:.2em .5em;text-align:right;"
	"white-space:nowrap;vertical-align:top}\n"
	"thead th{background:#f0f0f0}\n"
	"td.l,th.l{text-align:left}\n"
	"td.why{white-space:normal;min-width:16em;max-width:40em;"
	"text-align:left;font-size:.92em}\n"
	"table.prov th{text-align:left;background:#f6f6f6}\n"
	"table.prov td{white-space:normal;text-align:left;"
	"word-break:break-word}\n"
	"pre{background:#f7f7f7;border:1px solid #ddd;padding:.5em;"
	"overflow-x:auto;font-size:.85em;line-height:1.3}\n"
	"figure{margin:1em 0}\n"
	"figure svg{display:block;width:100%;height:auto;max-width:1000px}\n"
	"figcaption{font-weight:600;margin-bottom:.3em}\n"
	".banner{border:2px solid #b00;background:#fee;padding:.4em .6em;"
	"margin:.6em 0;font-weight:600}\n"
	".REGRESSION,.bad{color:#b00;font-weight:700}\n"
	".ok{color:#060}\n"
	".inconclusive{color:#a60}\n"
	"footer{margin-top:2em;color:#555;font-size:.85em}\n"
	"@media (max-width:600px){body{font-size:14px;padding:0 8px 2em}"
	"th,td{padding:.15em .35em}}\n"
	"@media print{body{max-width:none;font-size:9.5pt;padding:0}"
	".scroll{overflow:visible}pre{white-space:pre-wrap;"
	"overflow:visible}figure,table,tr{break-inside:avoid}"
	"h2,h3{break-after:avoid}figure svg{max-width:100%}"
	".banner{border-width:1px}}\n";

static void head(FILE *f, const struct html_report *h)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\">\n"
	      /* nothing may load from outside the page */
	      "<meta http-equiv=\"Content-Security-Policy\" "
	      "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
	      "<title>mhpbench ",
	      f);
	html_escape(f, h->run->run_id);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
	fputs("<h1>mhpbench run ", f);
	html_escape(f, h->run->run_id);
	fputs("</h1>\n", f);
}

/* What must not be missed: a run that stopped, an injected delay, a
 * regression. */
static void banners(FILE *f, const struct html_report *h)
{
	const json_t *m = h->run->manifest;

	if (strcmp(h->run->status, "complete")) {
		fputs("<p class=\"banner\">This run is ", f);
		html_escape(f, h->run->status);
		if (*str(m, "reason")) {
			fputs(": ", f);
			html_escape(f, str(m, "reason"));
		}
		fputs("</p>\n", f);
	}
	if (h->run->inject_online_delay_us)
		fprintf(f,
			"<p class=\"banner\">FAULT INJECTED: every online "
			"write was padded by %g ms (inject_online_delay)</p>\n",
			h->run->inject_online_delay_us / 1e3);
	if (h->gate && !strcmp(str(h->gate, "verdict"), "regression"))
		fputs("<p class=\"banner\">The gate found a REGRESSION "
		      "(below).</p>\n",
		      f);
}

static void provenance(FILE *f, const struct html_report *h)
{
	const json_t *m = h->run->manifest, *k, *w;
	const json_t *mh = json_object_get(m, "mhpbench");
	const json_t *host = json_object_get(m, "host");
	const json_t *accel = json_object_get(m, "accel");
	const json_t *job = json_object_get(m, "job");
	char buf[2048];
	size_t i, o;

	fputs("<h2 id=\"provenance\">Provenance</h2>\n<div "
	      "class=\"scroll\"><table class=\"prov\">\n",
	      f);
	prov_row(f, "run", str(m, "run_id"));
	prov_row(f, "status", str(m, "status"));
	prov_row(f, "reason", str(m, "reason"));
	prov_row(f, "benchmark", str(m, "benchmark"));
	prov_row(f, "started (UTC)", str(m, "started_utc"));
	prov_row(f, "ended (UTC)", str(m, "ended_utc"));
	snprintf(buf, sizeof(buf), "%s (%s)", str(mh, "version"),
		 str(mh, "git_rev"));
	prov_row(f, "mhpbench", buf);
	buf[0] = '\0';
	json_array_foreach(json_object_get(mh, "argv"), i, w)
	{
		o = strlen(buf);
		snprintf(buf + o, sizeof(buf) - o, "%s%s", i ? " " : "",
			 json_string_value(w) ?: "");
	}
	prov_row(f, "command line", buf);
	snprintf(buf, sizeof(buf), "%s: %s", str(job, "path"),
		 str(job, "description"));
	prov_row(f, "job", buf);
	snprintf(buf, sizeof(buf), "%s, %s %s %s, %lld CPUs",
		 str(host, "hostname"), str(host, "sysname"),
		 str(host, "release"), str(host, "machine"),
		 (long long)inum(host, "cpus", 0));
	prov_row(f, "host", buf);
	snprintf(buf, sizeof(buf), "%s (%s)",
		 str(json_object_get(m, "qemu"), "binary"),
		 str(json_object_get(m, "qemu"), "version"));
	prov_row(f, "QEMU", buf);
	snprintf(buf, sizeof(buf), "asked %s, used %s%s%s",
		 str(accel, "requested"), str(accel, "used"),
		 *str(accel, "fallback_reason") ? ": " : "",
		 str(accel, "fallback_reason"));
	prov_row(f, "accel", buf);
	json_array_foreach(json_object_get(m, "kernels"), i, k)
	{
		snprintf(buf, sizeof(buf), "%s%s%s from %s%s%s%s%s",
			 str(k, "label"), *str(k, "label") ? ": " : "",
			 str(k, "image"), str(k, "source"),
			 *str(k, "package_release") ? ", release " : "",
			 str(k, "package_release"),
			 *str(k, "cmdline_extra") ? ", cmdline extra " : "",
			 str(k, "cmdline_extra"));
		prov_row(f, "kernel", buf);
	}
	prov_row(f, "initramfs", str(m, "initramfs"));
	snprintf(buf, sizeof(buf), "%lld", (long long)inum(m, "seed", 0));
	prov_row(f, "seed", buf);
	json_array_foreach(json_object_get(m, "warnings"), i, w)
		prov_row(f, "warning", json_string_value(w));
	fputs("</table></div>\n", f);
	if (*str(job, "effective")) {
		fputs("<h3>Effective job</h3>\n<pre>", f);
		html_escape(f, str(job, "effective"));
		fputs("</pre>\n", f);
	}
}

/* A "median (IQR)" cell in ms; "-" without a cell. */
static void latency_td(FILE *f, const json_t *c)
{
	if (!c)
		fputs("<td>-</td>", f);
	else
		fprintf(f, "<td>%.2f (%.2f)</td>", num(c, "median") / 1e6,
			num(c, "iqr") / 1e6);
}

/* One table per kernel, accel, block size, offline fill and zone size, a
 * row per DIMM size, mode and phase, as `mhpbench report` prints them. Returns
 * how many tables. */
static int latency_tables(FILE *f, const json_t *cells)
{
	char group[512], last[512] = "", sz[24];
	const json_t *c;
	size_t i;
	int n = 0;

	fputs("<h2 id=\"latency\">Latency per phase</h2>\n", f);
	int any_virt = 0;

	json_array_foreach(cells, i, c)
	{
		int virt = metric_virtual_time(str(c, "accel"), "guest", "ns");

		if (strcmp(str(c, "metric"), "latency_ns") ||
		    strcmp(str(c, "view"), "host"))
			continue;
		snprintf(group, sizeof(group),
			 "kernel %s, accel %s, %lldM blocks", str(c, "kernel"),
			 str(c, "accel"), (long long)inum(c, "block_mib", 0));
		if (inum(c, "offline_fill_pct", -1) >= 0)
			snprintf(group + strlen(group),
				 sizeof(group) - strlen(group),
				 ", offline fill %lld%%",
				 (long long)inum(c, "offline_fill_pct", -1));
		if (inum(c, "zone_present_mib", -1) >= 0) {
			ana_zone_str(inum(c, "zone_present_mib", -1), sz,
				     sizeof(sz));
			snprintf(group + strlen(group),
				 sizeof(group) - strlen(group),
				 ", zone holding %s", sz);
		}
		if (!strcmp(str(c, "source"), "pmem"))
			snprintf(group + strlen(group),
				 sizeof(group) - strlen(group),
				 ", pmem through dax/kmem");
		if (strcmp(group, last)) {
			if (n++)
				fputs("</tbody></table></div>\n", f);
			fputs("<div class=\"scroll\"><table "
			      "class=\"latency\">\n<caption>",
			      f);
			html_escape(f, group);
			fprintf(f,
				"</caption>\n<thead><tr><th "
				"class=\"l\">DIMM</th>"
				"<th class=\"l\">mode</th><th class=\"l\">phase"
				"</th><th>host ms median (IQR)</th><th>guest "
				"%s median (IQR)</th><th>n</th></tr></thead>"
				"<tbody>\n",
				virt ? "vms" : "ms");
			snprintf(last, sizeof(last), "%s", group);
			any_virt |= virt;
		}
		size_str(inum(c, "dimm_mib", 0), sz, sizeof(sz));
		fprintf(f, "<tr><td class=\"l\">%s</td><td class=\"l\">", sz);
		html_escape(f, str(c, "memmap"));
		fputs("</td><td class=\"l\">", f);
		html_escape(f, str(c, "phase"));
		fputs("</td>", f);
		latency_td(f, c);
		latency_td(f, report_cell_of(cells, c, str(c, "phase"), "guest",
					     "latency_ns"));
		fprintf(f, "<td>%lld</td></tr>\n", (long long)inum(c, "n", 0));
	}
	if (n)
		fputs("</tbody></table></div>\n", f);
	else
		fputs("<p>No latency samples in this run.</p>\n", f);
	if (any_virt) {
		fputs("<p>", f);
		html_escape(f, METRIC_VMS_LEGEND);
		fputs(".</p>\n", f);
	}
	return n;
}

/* The memmap placement verdicts (summary "placement"). Returns 1 when it
 * wrote a table. */
static int placement_table(FILE *f, const json_t *sum)
{
	const json_t *place = json_object_get(sum, "placement");
	const json_t *cells = json_object_get(sum, "cells");
	const json_t *p;
	char sz[24], bs[24];
	size_t i;

	fputs("<h2 id=\"placement\">Memmap placement</h2>\n", f);
	if (!json_array_size(place)) {
		fputs("<p>No self_hosted samples in this run.</p>\n", f);
		return 0;
	}
	fputs("<div class=\"scroll\"><table class=\"placement\">\n"
	      "<caption>verdict from MemTotal after online; a memmap is 1/64 "
	      "of the DIMM</caption>\n<thead><tr><th class=\"l\">kernel</th>"
	      "<th>block</th><th>DIMM</th><th class=\"l\">mode</th>"
	      "<th>self-hosted</th><th>RAM KiB at add</th><th>in-DIMM "
	      "KiB</th><th class=\"l\">verdict</th></tr></thead><tbody>\n",
	      f);
	json_array_foreach(place, i, p)
	{
		const json_t *ram = report_cell_of(cells, p, "add", "guest",
						   "memmap_from_ram_kib");
		const json_t *in = report_cell_of(cells, p, "online", "guest",
						  "self_hosted_kib");
		int asked = json_is_true(json_object_get(p, "matches_mode"));
		int expect =
			json_is_true(json_object_get(p, "matches_expected"));

		size_str(inum(p, "dimm_mib", 0), sz, sizeof(sz));
		size_str(inum(p, "block_mib", 0), bs, sizeof(bs));
		fputs("<tr><td class=\"l\">", f);
		html_escape(f, str(p, "kernel"));
		fprintf(f, "</td><td>%s</td><td>%s", bs, sz);
		if (inum(p, "offline_fill_pct", -1) >= 0)
			fprintf(f, " (fill %lld%%)",
				(long long)inum(p, "offline_fill_pct", -1));
		fputs("</td><td class=\"l\">", f);
		html_escape(f, str(p, "memmap"));
		fprintf(f, "</td><td>%lld/%lld</td>",
			(long long)inum(p, "self_hosted_n", 0),
			(long long)inum(p, "n", 0));
		if (ram)
			fprintf(f, "<td>%.0f</td>", num(ram, "median"));
		else
			fputs("<td>-</td>", f);
		if (in)
			fprintf(f, "<td>%.0f</td>", num(in, "median"));
		else
			fputs("<td>-</td>", f);
		fprintf(f, "<td class=\"l%s\">", asked || expect ? "" : " bad");
		html_escape(f, str(p, "verdict"));
		fputs(asked    ? ""
		      : expect ? " (not as asked; expected for this kernel)"
			       : " (NOT as asked)",
		      f);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody></table></div>\n", f);
	return 1;
}

/* A gate row's or gone cell's key: "ram 128M online guest latency_ns". */
static void gate_key(FILE *f, const json_t *r)
{
	char sz[24];

	size_str(inum(r, "dimm_mib", 0), sz, sizeof(sz));
	fputs("<td class=\"l\">", f);
	if (*str(r, "kernel")) {
		html_escape(f, str(r, "kernel"));
		fputc(' ', f);
	}
	html_escape(f, str(r, "memmap"));
	fprintf(f, " %s", sz);
	if (inum(r, "node", 0))
		fprintf(f, " node %lld", (long long)inum(r, "node", 0));
	if (inum(r, "offline_fill_pct", -1) >= 0)
		fprintf(f, " fill %lld%%",
			(long long)inum(r, "offline_fill_pct", -1));
	fputs("</td><td class=\"l\">", f);
	html_escape(f, str(r, "phase"));
	fputs("</td><td class=\"l\">", f);
	html_escape(f, str(r, "view"));
	fputs("</td><td class=\"l\">", f);
	html_escape(f, str(r, "metric"));
	fputs("</td>", f);
}

static void verdict_td(FILE *f, const char *v)
{
	int reg = !strcmp(v, "regression");

	fprintf(f, "<td class=\"l %s\">",
		reg			     ? "REGRESSION"
		: !strcmp(v, "inconclusive") ? "inconclusive"
					     : "ok");
	html_escape(f, reg ? "REGRESSION" : v);
	fputs("</td>", f);
}

/* The gate's verdicts and reasons (gate.json). Returns how many tables. */
static int gate_section(FILE *f, const struct html_report *h)
{
	const json_t *g = h->gate, *r, *cnt = json_object_get(g, "counts");
	size_t i;

	fputs("<h2 id=\"gate\">Gate</h2>\n", f);
	if (!g) {
		fputs("<p>No gate result for this run (<code>mhpbench gate "
		      "--candidate RUN</code> writes RUN/gate.json; or give "
		      "<code>--gate FILE</code>).</p>\n",
		      f);
		return 0;
	}
	fputs("<p>Verdict: <span class=\"", f);
	html_escape(f, !strcmp(str(g, "verdict"), "regression")
			       ? "REGRESSION"
			       : str(g, "verdict"));
	fputs("\">", f);
	html_escape(f, str(g, "verdict"));
	fprintf(f,
		"</span> (%lld regression, %lld inconclusive, %lld same, "
		"%lld improvement, %lld missing). Baseline ",
		(long long)inum(cnt, "regression", 0),
		(long long)inum(cnt, "inconclusive", 0),
		(long long)inum(cnt, "same", 0),
		(long long)inum(cnt, "improvement", 0),
		(long long)inum(cnt, "missing", 0));
	html_escape(f, str(json_object_get(g, "baseline"), "run_id"));
	fputs(", from ", f);
	html_escape(f, h->gate_path);
	fputs(". Test: ", f);
	html_escape(f, str(g, "test"));
	fputs("; CI: ", f);
	html_escape(f, str(g, "ci"));
	fputs(".</p>\n<div class=\"scroll\"><table class=\"gate\">\n"
	      "<thead><tr><th class=\"l\">cell</th><th class=\"l\">phase</th>"
	      "<th class=\"l\">view</th><th class=\"l\">metric</th>"
	      "<th>base</th><th>cand</th><th>change</th><th class=\"l\">"
	      "verdict</th><th class=\"l\">reason</th></tr></thead><tbody>\n",
	      f);
	json_array_foreach(json_object_get(g, "rows"), i, r)
	{
		const struct metric_def *d = metric_find(str(r, "metric"));
		double sc = d ? d->scale : 1;
		char unit[32];
		const char *ab[] = {"a_center", "b_center"};

		/* as gate prints it: vms where the time is virtual */
		int virt = !strcmp(str(r, "time_base"), "virtual");

		unit[0] = '\0';
		if (d)
			metric_time_unit(d, virt, virt, unit, sizeof(unit));
		fputs("<tr>", f);
		gate_key(f, r);
		for (int k = 0; k < 2; k++) {
			if (json_is_number(json_object_get(r, ab[k]))) {
				fprintf(f, "<td>%.2f ", num(r, ab[k]) * sc);
				html_escape(f, unit);
				fputs("</td>", f);
			} else {
				fputs("<td>-</td>", f);
			}
		}
		if (json_is_number(json_object_get(r, "change_pct")))
			fprintf(f, "<td>%+.1f%%</td>", num(r, "change_pct"));
		else
			fputs("<td>-</td>", f);
		verdict_td(f, str(r, "verdict"));
		fputs("<td class=\"why\">", f);
		html_escape(f, str(r, "reason"));
		fputs("</td></tr>\n", f);
	}
	json_array_foreach(json_object_get(g, "missing"), i, r)
	{
		fputs("<tr>", f);
		gate_key(f, r);
		fputs("<td>-</td><td>-</td><td>gone</td>", f);
		verdict_td(f, str(r, "verdict"));
		fputs("<td class=\"why\">", f);
		html_escape(f, str(r, "reason"));
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody></table></div>\n", f);
	if (json_array_size(json_object_get(g, "notes"))) {
		fputs("<p>Notes:</p>\n<ul>\n", f);
		json_array_foreach(json_object_get(g, "notes"), i, r)
		{
			fputs("<li>", f);
			html_escape(f, json_string_value(r));
			fputs("</li>\n", f);
		}
		fputs("</ul>\n", f);
	}
	return 1;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int c;

	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	while (m && (c = fgetc(f)) != EOF)
		fputc(c, m);
	if (m)
		fclose(m);
	fclose(f);
	return buf;
}

/* Every plot made, inline; those without data, and why. Returns how many
 * it inlined. */
static int plots_section(FILE *f, const struct html_report *h)
{
	const struct plot_result *p = h->plots;
	char path[4400], prefix[48];
	int n = 0;

	fputs("<h2 id=\"plots\">Plots</h2>\n", f);
	if (!p) {
		fputs("<p>No plots: ", f);
		html_escape(f, h->plots_missing ? h->plots_missing : "none");
		fputs("</p>\n", f);
		return 0;
	}
	for (int i = 0; i < p->made && i < PLOT_MAX; i++) {
		char *svg;

		snprintf(path, sizeof(path), "%s/%s.svg", h->plot_dir,
			 p->made_name[i]);
		snprintf(prefix, sizeof(prefix), "p%d_", i);
		svg = slurp(path);
		fputs("<figure class=\"plot\" id=\"plot-", f);
		html_escape(f, p->made_name[i]);
		fputs("\"><figcaption>", f);
		html_escape(f, p->made_name[i]);
		fputs("</figcaption>\n", f);
		if (svg && !html_inline_svg(f, svg, prefix))
			n++;
		else
			fputs("<p class=\"bad\">not shown: the SVG could not "
			      "be read, or holds script or external "
			      "content</p>",
			      f);
		fputs("\n</figure>\n", f);
		free(svg);
	}
	if (p->nodata) {
		fputs("<p>Without data:</p>\n<ul>\n", f);
		for (int i = 0; i < p->nodata && i < PLOT_MAX; i++) {
			fputs("<li>", f);
			html_escape(f, p->nodata_name[i]);
			fputs(": ", f);
			html_escape(f, p->nodata_why[i]);
			fputs("</li>\n", f);
		}
		fputs("</ul>\n", f);
	}
	return n;
}

/* The trend's points (trend.csv, written for the trend plot): a row per
 * line and run, a change point marked. Returns 1 when it wrote a table. */
static int trend_table(FILE *f, const struct html_report *h)
{
	static const char *const want[] = {"series", "run", "median",	"n",
					   "change", "p",   "time_base"};
	char path[4400], line[4096], *fld[32];
	int col[7], rows = 0, nf;
	FILE *in;

	fputs("<h2 id=\"trend\">Trend</h2>\n", f);
	if (!h->history) {
		fputs("<p>No history given (<code>--history LOCATION</code>; "
		      "the default, RESULTS/history.db, does not exist).</p>\n",
		      f);
		return 0;
	}
	fputs("<p>Median guest online latency per run, from the history ", f);
	html_escape(f, h->history);
	fputs(" (the trend plot above; a change point is where the windowed "
	      "Welch test of the runs before against those from it on gives "
	      "p &lt; 0.01).</p>\n",
	      f);
	snprintf(path, sizeof(path), "%s/trend.csv", h->plot_dir ?: ".");
	in = h->plot_dir ? fopen(path, "r") : NULL;
	if (!in || !fgets(line, sizeof(line), in)) {
		const char *why = "no complete run in it has such samples";

		for (int i = 0;
		     h->plots && i < h->plots->nodata && i < PLOT_MAX; i++)
			if (!strcmp(h->plots->nodata_name[i], "trend"))
				why = h->plots->nodata_why[i];
		fputs("<p>No trend: ", f);
		html_escape(f, why);
		fputs(".</p>\n", f);
		if (in)
			fclose(in);
		return 0;
	}
	line[strcspn(line, "\r\n")] = '\0';
	nf = samples_split(line, fld, 32);
	for (int k = 0; k < 7; k++) {
		col[k] = -1;
		for (int j = 0; j < nf; j++)
			if (!strcmp(fld[j], want[k]))
				col[k] = j;
	}
	while (fgets(line, sizeof(line), in)) {
		line[strcspn(line, "\r\n")] = '\0';
		nf = samples_split(line, fld, 32);
		if (!rows++)
			fputs("<div class=\"scroll\"><table class=\"trend\">\n"
			      "<thead><tr><th class=\"l\">line</th><th "
			      "class=\"l\">run</th><th>median ms</th><th>n</th>"
			      "<th class=\"l\">change point</th></tr></thead>"
			      "<tbody>\n",
			      f);
		fputs("<tr>", f);
		for (int k = 0; k < 5; k++) {
			const char *v =
				col[k] >= 0 && col[k] < nf ? fld[col[k]] : "";

			fputs(k == 0 || k == 1 || k == 4 ? "<td class=\"l\">"
							 : "<td>",
			      f);
			if (k == 2 && *v)
				fprintf(f, "%.3f%s", atof(v) / 1e6,
					col[6] >= 0 && col[6] < nf &&
							!strcmp(fld[col[6]],
								"virtual")
						? " (vms)"
						: "");
			else if (k == 4)
				fputs(atoi(v) ? "change" : "", f);
			else
				html_escape(f, v);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fclose(in);
	if (rows)
		fputs("</tbody></table></div>\n", f);
	return rows > 0;
}

int html_report_write(FILE *f, const struct html_report *h)
{
	char now[32];
	time_t t = time(NULL);
	struct tm tm;

	head(f, h);
	banners(f, h);
	fputs("<nav><a href=\"#provenance\">provenance</a> · <a "
	      "href=\"#latency\">latency</a> · <a href=\"#placement\">"
	      "placement</a> · <a href=\"#gate\">gate</a> · <a "
	      "href=\"#plots\">plots</a> · <a href=\"#trend\">trend</a> · "
	      "<a href=\"#text\">all tables</a></nav>\n",
	      f);
	provenance(f, h);
	latency_tables(f, json_object_get(h->summary, "cells"));
	placement_table(f, h->summary);
	gate_section(f, h);
	plots_section(f, h);
	trend_table(f, h);
	fputs("<h2 id=\"text\">All tables</h2>\n<p>As <code>mhpbench report"
	      "</code> prints them.</p>\n<pre>",
	      f);
	html_escape(f, h->text ? h->text : "");
	fputs("</pre>\n", f);
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(f, "<footer>Written by mhpbench %s (%s) at %s from ",
		MHP_VERSION, version_git_rev(), now);
	html_escape(f, h->run->dir);
	fputs("/manifest.json and samples.csv.</footer>\n</body>\n</html>\n",
	      f);
	return ferror(f) ? -EIO : 0;
}
