// SPDX-License-Identifier: GPL-2.0-or-later
/* `mhpbench plot`: the run's CSV per plot, the gnuplot scripts around the
 * templates in plots/, and gnuplot run on them (plot.h). */
#include "analyze/plot.h"

#include "analyze/analysis.h"
#include "analyze/history_trend.h"
#include "analyze/plot_cats.h"
#include "results/store.h"
#include "results/zonereport.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct plot_ctx {
	char dir[4200];	    /* RUN/plots */
	char tpl_dir[2048]; /* where plots/NAME.gp live */
	char subtitle[1024];
	const char *formats[3];
	int nformats;
	FILE *log; /* what was made and what had no data; NULL: quiet */
	struct plot_result *res;
};

/* plots/ next to the binary (the source tree), else ./plots. */
static void find_templates(char *buf, size_t len)
{
	char exe[1024];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct stat st;

	if (n > 0) {
		char *slash;

		exe[n] = 0;
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = 0;
			snprintf(buf, len, "%s/plots/common.gp", exe);
			if (!stat(buf, &st)) {
				snprintf(buf, len, "%s/plots", exe);
				return;
			}
		}
	}
	snprintf(buf, len, "plots");
}

static int copy_file(const char *from, FILE *to)
{
	char buf[4096];
	size_t n;
	FILE *f = fopen(from, "r");

	if (!f)
		return -errno;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, to);
	fclose(f);
	return ferror(to) ? -EIO : 0;
}

/* Writes RUN/plots/NAME.gp: the settings, then the template. */
static int write_script(struct plot_ctx *c, const char *name, const char *tpl,
			const char *settings)
{
	char path[4400], from[4400];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/%s.gp", c->dir, name);
	snprintf(from, sizeof(from), "%s/%s.gp", c->tpl_dir, tpl);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f,
		"# Written by mhpbench plot from plots/%s.gp. Regenerate with\n"
		"#   gnuplot -e \"fmt='png'\" %s.gp   (or fmt='svg', "
		"fmt='dumb')\n"
		"name = \"%s\"\ndatafile = \"%s.csv\"\nsubtitle = \"%s\"\n%s\n",
		tpl, name, name, name, c->subtitle, settings);
	ret = copy_file(from, f);
	if (fclose(f) && !ret)
		ret = -EIO;
	return ret;
}

static int run_gnuplot(struct plot_ctx *c, const char *name, const char *fmt)
{
	char arg[64], script[256], log[4400];
	int status, fd;
	pid_t pid;

	snprintf(arg, sizeof(arg), "fmt='%s'", fmt);
	snprintf(script, sizeof(script), "%s.gp", name);
	snprintf(log, sizeof(log), "%s/%s.log", c->dir, name);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0666);
		if (fd >= 0) {
			dup2(fd, 2);
			close(fd);
		}
		if (chdir(c->dir))
			_exit(126);
		execlp("gnuplot", "gnuplot", "-e", arg, script, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return -ENOENT;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return -EIO;
	return 0;
}

static int render(struct plot_ctx *c, const char *name)
{
	static const char *const ext[] = {"png", "svg", "txt"};
	char log[4400];
	int i, ret;

	snprintf(log, sizeof(log), "%s/%s.log", c->dir, name);
	unlink(log);
	for (i = 0; i < c->nformats; i++) {
		ret = run_gnuplot(c, name, c->formats[i]);
		if (ret == -ENOENT) {
			fprintf(stderr, "mhpbench plot: gnuplot not found "
					"(install gnuplot-nox)\n");
			return ret;
		}
		if (ret) {
			fprintf(stderr,
				"mhpbench plot: gnuplot failed on %s/%s.gp "
				"(see %s)\n",
				c->dir, name, log);
			return ret;
		}
		if (c->log)
			fprintf(c->log, "  %s/%s.%s\n", c->dir, name,
				ext[!strcmp(c->formats[i], "png")   ? 0
				    : !strcmp(c->formats[i], "svg") ? 1
								    : 2]);
	}
	unlink(log); /* empty when all went well */
	if (c->res->made < PLOT_MAX)
		snprintf(c->res->made_name[c->res->made],
			 sizeof(c->res->made_name[0]), "%s", name);
	c->res->made++;
	return 0;
}

static void no_data(struct plot_ctx *c, const char *name, const char *why)
{
	struct plot_result *r = c->res;

	if (c->log)
		fprintf(c->log, "%s: no data (%s)\n", name, why);
	if (r->nodata < PLOT_MAX) {
		snprintf(r->nodata_name[r->nodata], sizeof(r->nodata_name[0]),
			 "%s", name);
		snprintf(r->nodata_why[r->nodata], sizeof(r->nodata_why[0]),
			 "%s", why);
	}
	r->nodata++;
}

static FILE *open_csv(struct plot_ctx *c, const char *name)
{
	char path[4400];

	snprintf(path, sizeof(path), "%s/%s.csv", c->dir, name);
	return fopen(path, "w");
}

/* Values of one cell (measured, per DIMM rows of category @c) into @v;
 * returns count. */
static size_t cell_values(const struct sample_table *t, const char *memmap,
			  const struct plot_cat *c, const char *phase,
			  const char *view, const char *metric, double *v)
{
	size_t i, n = 0;

	for (i = 0; i < t->n; i++) {
		const struct sample *s = &t->s[i];

		if (s->warmup || s->target_mib >= 0 || !plot_cat_match(c, s) ||
		    strcmp(s->memmap, memmap) || strcmp(s->phase, phase) ||
		    strcmp(s->view, view) || strcmp(s->metric, metric))
			continue;
		v[n++] = s->value;
	}
	return n;
}

static const char *const modes[] = {"ram", "self"};
static const char *const phases[] = {"add", "online", "offline", "remove"};

/* One candlestick row of latency-VIEW.csv: the cell's summary, times
 * @scale (1e-6: ns to ms), and @time_base (metric.h: virtual for a guest
 * time under tcg-icount). */
static void latency_row(FILE *f, const struct plot_cats *pc, size_t x,
			const char *phase, const char *mode, double *v,
			size_t n, double scale, const char *time_base)
{
	const struct plot_cat *k = &pc->c[x];
	struct stats_summary s;
	char lab[300];

	stats_summarize(v, n, &s);
	plot_cat_label(pc, x, " ", lab, sizeof(lab));
	fprintf(f, "%s,%s,%zu,%s,%.6f,%.6f,%.6f,%.6f,%.6f,%zu,%s,%s,%lld,%s\n",
		phase, mode, x, lab, s.min * scale, s.q1 * scale,
		s.median * scale, s.q3 * scale, s.max * scale, n, k->kernel,
		k->accel, (long long)k->block_mib, time_base);
}

/* The y axis of a plot of @nvirt virtual (tcg-icount, guest view) and
 * @nwall wall-clock series or categories: the setting @var (the label),
 * @what and its unit, and "time_note", a line under the title that says
 * what virtual ms are ("" when none is). */
static int time_axis(const char *var, const char *what, size_t nvirt,
		     size_t nwall, char *buf, size_t len)
{
	return snprintf(buf, len, "%s = \"%s (%s)\"\ntime_note = \"%s\"\n", var,
			what,
			!nvirt	 ? "ms"
			: !nwall ? "guest virtual ms"
				 : "ms; tcg-icount: guest virtual ms",
			nvirt ? "guest virtual ms (tcg-icount: 2^shift ns per "
				"instruction), not wall-clock"
			      : "");
}

/* What one per-phase candlestick plot shows: @metric of @view, times
 * @scale, into NAME.csv; @extra goes to the script's settings (the
 * template's title and y label when not latency). */
struct phase_plot {
	const char *view, *metric, *name, *extra;
	double scale;
};

static int plot_phases(struct plot_ctx *c, const struct sample_table *t,
		       const struct phase_plot *pp)
{
	const char *view = pp->view, *unit = ana_metric(pp->metric)->unit;
	char name[32], settings[8192], present[64] = "";
	struct plot_cats pc;
	size_t i, m, p, n, nvirt = 0;
	double *v = malloc((t->n + 1) * sizeof(*v));
	int rows = 0, ret;
	FILE *f;

	if (!v)
		return -ENOMEM;
	plot_cats_of(t, view, pp->metric, &pc);
	snprintf(name, sizeof(name), "%s", pp->name);
	f = open_csv(c, name);
	if (!f) {
		free(v);
		return -errno;
	}
	fprintf(f, "phase,memmap,x,label,min,q1,median,q3,max,n,kernel,accel,"
		   "block_mib,time_base\n");
	for (i = 0; i < pc.n; i++)
		nvirt += metric_virtual_time(pc.c[i].accel, view, unit);
	for (p = 0; p < 4; p++) {
		int here = 0;

		for (m = 0; m < 2; m++)
			for (i = 0; i < pc.n; i++) {
				n = cell_values(t, modes[m], &pc.c[i],
						phases[p], view, pp->metric, v);
				if (!n)
					continue;
				latency_row(f, &pc, i, phases[p], modes[m], v,
					    n, pp->scale,
					    metric_time_base(pc.c[i].accel,
							     view, unit));
				rows++;
				here = 1;
			}
		if (here)
			snprintf(present + strlen(present),
				 sizeof(present) - strlen(present), "%s%s",
				 present[0] ? " " : "", phases[p]);
	}
	fclose(f);
	free(v);
	if (!rows) {
		snprintf(settings, sizeof(settings), "no %s samples in view %s",
			 pp->metric, view);
		no_data(c, name, settings);
		return 0;
	}
	n = snprintf(settings, sizeof(settings),
		     "view = \"%s\"\nphases = \"%s\"\n%s", view, present,
		     pp->extra ? pp->extra : "");
	if (!pp->extra) /* latency: its unit says when it is virtual */
		n += time_axis("ytitle", "latency", nvirt, pc.n - nvirt,
			       settings + n, sizeof(settings) - n);
	plot_cats_xtics(&pc, settings + n, sizeof(settings) - n);
	ret = write_script(c, name, "latency", settings);
	return ret ? ret : render(c, name);
}

static int plot_latency(struct plot_ctx *c, const struct sample_table *t,
			const char *view)
{
	char name[32];
	const struct phase_plot pp = {view, "latency_ns", name, NULL, 1e-6};

	snprintf(name, sizeof(name), "latency-%s", view);
	return plot_phases(c, t, &pp);
}

/* What the phases cost QEMU on the host (view qemu; README, "The host's
 * cost of a phase"): the vCPU threads' CPU time and QEMU's page faults. */
static int plot_qemu(struct plot_ctx *c, const struct sample_table *t)
{
	static const struct phase_plot pp[] = {
		{"qemu", "host_vcpu_clock_ns", "qemu-cpu",
		 "what = \"CPU time of QEMU's vCPU threads per phase\"\n"
		 "ytitle = \"task-clock (ms)\"\n",
		 1e-6},
		{"qemu", "host_page_faults", "qemu-faults",
		 "what = \"QEMU's page faults per phase\"\n"
		 "ytitle = \"page faults\"\n",
		 1},
	};
	int ret = 0;

	for (size_t i = 0; i < sizeof(pp) / sizeof(pp[0]) && !ret; i++)
		ret = plot_phases(c, t, &pp[i]);
	return ret;
}

static int plot_memmap(struct plot_ctx *c, const struct sample_table *t)
{
	struct plot_cats pc;
	size_t i, m, n;
	double *v = malloc((t->n + 1) * sizeof(*v));
	char lab[300], settings[8192];
	int rows = 0, ret;
	FILE *f;

	if (!v)
		return -ENOMEM;
	plot_cats_of(t, "guest", "memmap_from_ram_kib", &pc);
	f = open_csv(c, "memmap");
	if (!f) {
		free(v);
		return -errno;
	}
	fprintf(f, "memmap,x,label,median,q1,q3,expected_kib,n,kernel,accel,"
		   "block_mib\n");
	for (m = 0; m < 2; m++)
		for (i = 0; i < pc.n; i++) {
			const struct plot_cat *k = &pc.c[i];
			struct stats_summary s;

			n = cell_values(t, modes[m], k, "add", "guest",
					"memmap_from_ram_kib", v);
			if (!n)
				continue;
			stats_summarize(v, n, &s);
			plot_cat_label(&pc, i, " ", lab, sizeof(lab));
			fprintf(f,
				"%s,%zu,%s,%.3f,%.3f,%.3f,%lld,%zu,%s,%s,%"
				"lld\n",
				modes[m], i, lab, s.median, s.q1, s.q3,
				(long long)(k->dimm_mib * 1024 / 64), n,
				k->kernel, k->accel, (long long)k->block_mib);
			rows++;
		}
	fclose(f);
	free(v);
	if (!rows) {
		no_data(c, "memmap", "no memmap_from_ram_kib samples");
		return 0;
	}
	plot_cats_xtics(&pc, settings, sizeof(settings));
	ret = write_script(c, "memmap", "memmap", settings);
	return ret ? ret : render(c, "memmap");
}

/* Median of one oom-edge metric at (mode, target) of category @k; NAN if
 * none. */
static double oom_stat(const struct sample_table *t, const struct plot_cat *k,
		       const char *memmap, int64_t target, const char *metric,
		       double *v, struct stats_summary *out)
{
	size_t i, n = 0;

	for (i = 0; i < t->n; i++) {
		const struct sample *s = &t->s[i];

		if (!s->warmup && s->target_mib == target &&
		    plot_cat_match(k, s) && !strcmp(s->memmap, memmap) &&
		    !strcmp(s->metric, metric))
			v[n++] = s->value;
	}
	if (!n)
		return NAN;
	stats_summarize(v, n, out);
	return out->median;
}

/* The oom-edge.csv rows of category @g: per mode and target F. */
static int oom_rows(FILE *f, const struct sample_table *t,
		    const struct plot_cats *pc, size_t g,
		    const int64_t *targets, size_t nt, double *v)
{
	const struct plot_cat *k = &pc->c[g];
	char group[300];
	size_t i, m;
	int rows = 0;

	plot_cat_group(pc, g, group, sizeof(group));
	for (m = 0; m < 2; m++)
		for (i = 0; i < nt; i++) {
			struct stats_summary s, p;
			double pred;

			if (isnan(oom_stat(t, k, modes[m], targets[i],
					   "dimms_added", v, &s)))
				continue;
			pred = oom_stat(t, k, modes[m], targets[i],
					"predicted_dimms", v, &p);
			fprintf(f, "%s,%lld,%g,%g,%g,%zu,%g,%s,%s,%lld,%s\n",
				modes[m], (long long)targets[i], s.median,
				s.min, s.max, s.n, pred, k->kernel, k->accel,
				(long long)k->block_mib, group);
			rows++;
		}
	return rows;
}

/* Rows of the oom-edge benchmark carry their free-memory target F. A run
 * of several kernels (accels, block sizes) gets a set of points each. */
static int plot_oom(struct plot_ctx *c, const struct sample_table *t)
{
	double *v = malloc((t->n + 1) * sizeof(*v));
	char settings[4200], group[300];
	struct plot_cats pc;
	int64_t targets[64];
	size_t nt = 0, i, j, o;
	int rows = 0, ret;
	FILE *f;

	if (!v)
		return -ENOMEM;
	for (i = 0; i < t->n; i++) {
		int64_t x = t->s[i].target_mib;

		if (t->s[i].warmup || x < 0)
			continue;
		for (j = 0; j < nt && targets[j] != x; j++)
			;
		if (j == nt && nt < 64)
			targets[nt++] = x;
	}
	if (!nt) {
		free(v);
		no_data(c, "oom-edge",
			"this run has no oom-edge samples (benchmark = "
			"oom-edge)");
		return 0;
	}
	f = open_csv(c, "oom-edge");
	if (!f) {
		free(v);
		return -errno;
	}
	plot_cats_oom(t, "dimms_added", &pc);
	fprintf(f, "memmap,target_mib,median,min,max,n,predicted,kernel,accel,"
		   "block_mib,group\n");
	/* groups: the categories' names, for the template's words() */
	o = snprintf(settings, sizeof(settings), "groups = \"");
	for (i = 0; i < pc.n; i++) {
		rows += oom_rows(f, t, &pc, i, targets, nt, v);
		plot_cat_group(&pc, i, group, sizeof(group));
		if (o < sizeof(settings))
			o += snprintf(settings + o, sizeof(settings) - o,
				      "%s%s", i ? " " : "", group);
	}
	if (o < sizeof(settings))
		snprintf(settings + o, sizeof(settings) - o, "\"");
	fclose(f);
	free(v);
	if (!rows) {
		no_data(c, "oom-edge", "no dimms_added samples");
		return 0;
	}
	ret = write_script(c, "oom-edge", "oom-edge", settings);
	return ret ? ret : render(c, "oom-edge");
}

static int has_metric_prefix(const struct sample_table *t, const char *pre)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!strncmp(t->s[i].metric, pre, strlen(pre)))
			return 1;
	return 0;
}

/* The trend lines in trend.csv (its series column), space-separated, for
 * the template to draw one line each; how many are virtual time (its
 * time_base column) and how many are not. */
static void trend_series(struct plot_ctx *c, char *buf, size_t len,
			 size_t *nvirt, size_t *nwall)
{
	char path[4400], line[2048], list[4096] = " ", key[300], *fld[16];
	size_t n;
	FILE *f;

	*nvirt = *nwall = 0;
	snprintf(path, sizeof(path), "%s/trend.csv", c->dir);
	f = fopen(path, "r");
	if (f && !fgets(line, sizeof(line), f)) /* the header */
		line[0] = 0;
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (samples_split(line, fld, 16) != 16)
			continue;
		/* " name ": each entry of @list ends with a space */
		snprintf(key, sizeof(key), " %s ", fld[13]);
		if (strstr(list, key))
			continue;
		if (!strcmp(fld[14], "virtual"))
			(*nvirt)++;
		else
			(*nwall)++;
		if (strlen(list) + strlen(key) < sizeof(list))
			strcat(list, key + 1);
	}
	if (f)
		fclose(f);
	n = strlen(list);
	if (n > 1)
		list[n - 1] = 0; /* the last entry's space */
	snprintf(buf, len, "%s", n > 1 ? list + 1 : "");
	plot_gp_safe(buf);
}

/* The trend of online latency in the guest view from the history: one
 * line per kernel, accel, block size, mode and DIMM size, restricted to
 * the run's kernel, accel and block size where it has one. */
static int plot_trend(struct plot_ctx *c, const struct ana_run *r,
		      const char *db)
{
	struct history_query q = {.metric = "latency_ns",
				  .phase = "online",
				  .view = "guest",
				  .memmap = "",
				  .window = 5,
				  .alpha = 0.01};
	char err[1024], settings[4800], series[4096], axis[512];
	char testbed[128];
	size_t nvirt, nwall;
	struct stat st;
	int ret;
	FILE *f;

	if (!history_is_pg(db) && stat(db, &st)) {
		char why[4300];

		snprintf(why, sizeof(why), "no history at %s", db);
		no_data(c, "trend", why);
		return 0;
	}
	f = open_csv(c, "trend");
	if (!f)
		return -errno;
	q.by_run = 1;
	q.kernel = r->axes.nkernel == 1 ? r->axes.kernel[0] : "";
	q.accel = r->axes.naccel == 1 ? r->axes.accel[0] : "";
	q.block_mib = r->axes.nblock == 1 ? ana_axes_block(&r->axes, 0) : 0;
	/* the run's own testbed: another host's numbers are another line */
	history_testbed_name(r->manifest, testbed, sizeof(testbed));
	q.testbed = testbed;
	ret = history_trend(db, &q, 1, f, err, sizeof(err));
	fclose(f);
	if (ret == -ENODATA) {
		no_data(c, "trend", err);
		return 0;
	}
	if (ret) {
		fprintf(stderr, "mhpbench plot: %s\n", err);
		return ret;
	}
	trend_series(c, series, sizeof(series), &nvirt, &nwall);
	time_axis("ylabel_text", "median online latency", nvirt, nwall, axis,
		  sizeof(axis));
	snprintf(settings, sizeof(settings),
		 "metric = \"online latency, guest view\"\nxlabel_text = "
		 "\"run (oldest first)\"\n%sseries = \"%s\"",
		 axis, series);
	ret = write_script(c, "trend", "trend", settings);
	return ret ? ret : render(c, "trend");
}

/* Category @x's kernel, accel and block size as the run varies them,
 * without its fill. */
static void fill_group(const struct plot_cats *pc, size_t x, char *buf,
		       size_t len)
{
	static struct plot_cats nofill; /* large; one plot at a time */

	nofill = *pc;
	nofill.by_fill = 0;
	plot_cat_group(&nofill, x, buf, len);
}

/* One row of offline-fill.csv: category @x (a DIMM size and the rest of
 * its axes, at one fill) in @mode, if it has offline samples with a fill:
 * the guest offline time and the migrated pages per ms, median, min and
 * max. Returns 1 when it wrote a row. */
static int fill_row(FILE *f, const struct sample_table *t,
		    const struct plot_cats *pc, size_t x, const char *mode,
		    double *v)
{
	const struct plot_cat *k = &pc->c[x];
	struct stats_summary lat, rate = {0};
	char grp[256], sz[16];
	size_t n, nr;

	if (k->fill < 0)
		return 0;
	n = cell_values(t, mode, k, "offline", "guest", "latency_ns", v);
	if (!n)
		return 0;
	stats_summarize(v, n, &lat);
	nr = cell_values(t, mode, k, "offline", "guest",
			 "migrated_pages_per_ms", v);
	if (nr)
		stats_summarize(v, nr, &rate);
	/* The series: mode and DIMM size, and the axes the run varies
	 * beside them; never the fill, which is x. */
	fill_group(pc, x, grp, sizeof(grp));
	ana_size_str(k->dimm_mib, sz, sizeof(sz));
	fprintf(f, "%s/%s%s%s,%d,%.6f,%.6f,%.6f,", mode, sz,
		pc->by_kernel || pc->by_accel || pc->by_block ? "/" : "",
		pc->by_kernel || pc->by_accel || pc->by_block ? grp : "",
		k->fill, lat.median * 1e-6, lat.min * 1e-6, lat.max * 1e-6);
	if (nr)
		fprintf(f, "%.3f,%.3f,%.3f,", rate.median, rate.min, rate.max);
	else /* no page migrated: no rate, not a rate of 0 */
		fprintf(f, "NaN,NaN,NaN,");
	fprintf(f, "%zu,%s,%s,%lld,%s\n", n, k->kernel, k->accel,
		(long long)k->block_mib,
		metric_time_base(k->accel, "guest", "ns"));
	return 1;
}

/* The series names of offline-fill.csv, space-separated, in order. */
static void fill_series(const struct plot_cats *pc, char *buf, size_t len)
{
	char grp[256], sz[16], one[300];
	size_t i, m;

	buf[0] = '\0';
	for (m = 0; m < 2; m++)
		for (i = 0; i < pc->n; i++) {
			if (pc->c[i].fill < 0)
				continue;
			fill_group(pc, i, grp, sizeof(grp));
			ana_size_str(pc->c[i].dimm_mib, sz, sizeof(sz));
			snprintf(one, sizeof(one), "%s/%s%s%s", modes[m], sz,
				 pc->by_kernel || pc->by_accel || pc->by_block
					 ? "/"
					 : "",
				 pc->by_kernel || pc->by_accel || pc->by_block
					 ? grp
					 : "");
			if (!strstr(buf, one) &&
			    strlen(buf) + strlen(one) + 2 < len)
				snprintf(buf + strlen(buf), len - strlen(buf),
					 "%s%s", buf[0] ? " " : "", one);
		}
}

/* Offline latency and migrated pages per ms against the offline fill
 * (README, "Offline with pages to migrate"): one line per mode and DIMM
 * size, x = the fill. */
static int plot_fill(struct plot_ctx *c, const struct sample_table *t)
{
	struct plot_cats pc;
	char series[4096], settings[4800];
	double *v = malloc((t->n + 1) * sizeof(*v));
	int rows = 0, ret, n;
	size_t i, m, nvirt = 0, nwall = 0;
	FILE *f;

	if (!v)
		return -ENOMEM;
	plot_cats_of(t, "guest", "fill_pages", &pc);
	/* by_fill says nothing here: the fill is the x axis. */
	f = open_csv(c, "offline-fill");
	if (!f) {
		free(v);
		return -errno;
	}
	fprintf(f, "series,fill_pct,latency_ms,latency_min_ms,latency_max_ms,"
		   "pages_per_ms,pages_per_ms_min,pages_per_ms_max,n,kernel,"
		   "accel,block_mib,time_base\n");
	for (m = 0; m < 2; m++)
		for (i = 0; i < pc.n; i++)
			rows += fill_row(f, t, &pc, i, modes[m], v);
	for (i = 0; i < pc.n; i++) {
		if (pc.c[i].fill < 0)
			continue;
		if (metric_virtual_time(pc.c[i].accel, "guest", "ns"))
			nvirt++;
		else
			nwall++;
	}
	fclose(f);
	free(v);
	if (!rows) {
		no_data(c, "offline-fill",
			"no offline_fill in this run (job option "
			"offline_fill)");
		return 0;
	}
	fill_series(&pc, series, sizeof(series));
	n = snprintf(settings, sizeof(settings), "series = \"%s\"\n", series);
	/* the offline's guest time and the rate per ms of it: virtual
	 * under tcg-icount */
	n += time_axis("ylat", "offline, guest view", nvirt, nwall,
		       settings + n, sizeof(settings) - n);
	snprintf(settings + n, sizeof(settings) - n,
		 "yrate = \"migrated pages per %s\"\n",
		 !nvirt	  ? "ms"
		 : !nwall ? "guest virtual ms"
			  : "ms (virtual for tcg-icount)");
	ret = write_script(c, "offline-fill", "offline-fill", settings);
	return ret ? ret : render(c, "offline-fill");
}

/* Rows of zone-size.csv for one guest-view fit of the zone-size table
 * (results/zonereport.h): each size's median and the fitted line there.
 * Returns the rows written. */
static int zone_rows(FILE *f, const json_t *fit, char *series, size_t len)
{
	const json_t *sz;
	size_t i;
	int rows = 0;
	char one[128], dimm[16];
	const json_t *slope = json_object_get(fit, "slope_ns_per_gib");
	double b = json_number_value(json_object_get(fit, "intercept_ns"));

	ana_size_str(json_integer_value(json_object_get(fit, "dimm_mib")), dimm,
		     sizeof(dimm));
	snprintf(one, sizeof(one), "%s/%s/%s",
		 json_string_value(json_object_get(fit, "memmap")), dimm,
		 json_string_value(json_object_get(fit, "kernel")));
	plot_gp_safe(one);
	for (char *q = one; *q; q++)
		if (*q == ' ')
			*q = '_';
	json_array_foreach(json_object_get(fit, "sizes"), i, sz)
	{
		double gib = (double)json_integer_value(
				     json_object_get(sz, "zone_present_mib")) /
			     1024.0;

		fprintf(f, "%s,%s,%.4f,%.6f,", one,
			json_string_value(json_object_get(fit, "phase")), gib,
			json_number_value(json_object_get(sz, "median")) *
				1e-6);
		if (slope)
			fprintf(f, "%.6f,",
				(b + json_number_value(slope) * gib) * 1e-6);
		else
			fprintf(f, "NaN,");
		fprintf(f, "%lld,%s,%s,%s\n",
			(long long)json_integer_value(json_object_get(sz, "n")),
			json_string_value(json_object_get(fit, "kernel")),
			json_string_value(json_object_get(fit, "accel")),
			json_string_value(json_object_get(fit, "time_base")));
		rows++;
	}
	if (!strstr(series, one) && strlen(series) + strlen(one) + 2 < len)
		snprintf(series + strlen(series), len - strlen(series), "%s%s",
			 series[0] ? " " : "", one);
	return rows;
}

/* Online and offline guest time against the memory already in the zone
 * (README, "Cost against the size of the zone"): a line per mode (and
 * DIMM, kernel), medians as points and the fitted slope. */
static int plot_zone(struct plot_ctx *c, const struct sample_table *t)
{
	json_t *zone = zonereport_json(t);
	const json_t *fit;
	char series[2048] = "", settings[2600];
	size_t i, nvirt = 0, nwall = 0;
	int rows = 0, ret, n;
	FILE *f;

	if (!zone) {
		no_data(c, "zone-size",
			"no zone_present in this run (job option "
			"zone_present)");
		return 0;
	}
	f = open_csv(c, "zone-size");
	if (!f) {
		json_decref(zone);
		return -errno;
	}
	fprintf(f, "series,phase,zone_gib,median_ms,fit_ms,n,kernel,accel,"
		   "time_base\n");
	json_array_foreach(json_object_get(zone, "fits"), i, fit)
	{
		if (strcmp(json_string_value(json_object_get(fit, "view")),
			   "guest"))
			continue;
		rows += zone_rows(f, fit, series, sizeof(series));
		if (metric_virtual_time(
			    json_string_value(json_object_get(fit, "accel")),
			    "guest", "ns"))
			nvirt++;
		else
			nwall++;
	}
	fclose(f);
	json_decref(zone);
	if (!rows) {
		no_data(c, "zone-size", "no online or offline guest times");
		return 0;
	}
	n = snprintf(settings, sizeof(settings), "series = \"%s\"\n", series);
	time_axis("ylabel_text", "guest view", nvirt, nwall, settings + n,
		  sizeof(settings) - n);
	ret = write_script(c, "zone-size", "zone-size", settings);
	return ret ? ret : render(c, "zone-size");
}

/* common.gp, which every script loads, into RUN/plots. 0 or -1, said
 * why. */
static int copy_common(struct plot_ctx *c)
{
	char path[4400];
	FILE *f;

	snprintf(path, sizeof(path), "%s/common.gp", c->dir);
	f = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/common.gp", c->tpl_dir);
	if (!f || copy_file(path, f)) {
		fprintf(stderr, "mhpbench plot: cannot copy %s into %s\n", path,
			c->dir);
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

/* Every plot, in order; a plot without data says so. 0 or -errno
 * (-ENOENT: gnuplot missing). */
static int make_plots(struct plot_ctx *c, const struct ana_run *r,
		      const char *db)
{
	const struct sample_table *t = &r->t;
	int ret = plot_latency(c, t, "host");

	if (!ret)
		ret = plot_latency(c, t, "guest");
	if (!ret)
		ret = plot_qemu(c, t);
	if (!ret)
		ret = plot_memmap(c, t);
	if (!ret)
		ret = plot_oom(c, t);
	if (!ret)
		ret = plot_fill(c, t);
	if (!ret)
		ret = plot_zone(c, t);
	if (!ret && !has_metric_prefix(t, "numa_"))
		no_data(c, "numa",
			"no numa_* samples: the struct page locality probe "
			"has not run");
	if (!ret && !has_metric_prefix(t, "online_"))
		no_data(c, "online-breakdown",
			"no online_* samples: the online phase is timed as a "
			"whole, not broken down");
	if (!ret)
		ret = plot_trend(c, r, db);
	return ret;
}

/* What every plot of @r covers, for its title: "kernel X, tcg, 128M
 * blocks", or "kernels X, Y (side by side), ..." when the run holds
 * several (plot_cats.h puts them side by side). */
static void run_subtitle(const struct ana_run *r, char *buf, size_t len)
{
	const struct ana_axes *ax = &r->axes;
	char k[1024], a[300], b[300];

	ana_axes_list(ax, 'k', k, sizeof(k));
	ana_axes_list(ax, 'a', a, sizeof(a));
	ana_axes_list(ax, 'b', b, sizeof(b));
	snprintf(buf, len, "kernel%s %.300s%s, %.100s%s, %.100s blocks%s%s",
		 ax->nkernel > 1 ? "s" : "", k,
		 ax->nkernel > 1 ? " (side by side)" : "", a,
		 ax->naccel > 1 ? " (side by side)" : "", b,
		 ax->nblock > 1 ? " (side by side)" : "",
		 r->inject_online_delay_us ? ", INJECTED online delay" : "");
}

static const char plot_usage[] =
	"usage: mhpbench plot [options] [RUN]\n"
	"  Writes RUN/plots/NAME.{csv,gp,png,svg,txt} for: latency-host,\n"
	"  latency-guest (candlesticks per phase against DIMM size), memmap,\n"
	"  oom-edge, offline-fill, zone-size (online and offline against\n"
	"  the memory already in the zone, with the fitted slope), numa,\n"
	"  online-breakdown and trend (from the history).\n"
	"  --format LIST        png,svg,dumb (default all three)\n"
	"  --history LOCATION   history for the trend: a SQLite file or a\n"
	"                       postgresql:// URI ($MHPBENCH_HISTORY, else\n"
	"                       RESULTS/history.db); --db is the same\n"
	"  --results DIR        where run ids are looked up (results)\n"
	"exit: 0 ok (plots without data say so), 2 bad command line,\n"
	"  3 gnuplot missing, 8 cannot write, 10 corrupt or foreign run\n";

int plot_make(const struct ana_run *r, const char *db, const char *dir,
	      const char *const *formats, int nformats, FILE *log,
	      struct plot_result *res)
{
	struct plot_ctx *c = calloc(1, sizeof(*c));
	int e;

	if (!c)
		return -ENOMEM;
	memset(res, 0, sizeof(*res));
	c->res = res;
	c->log = log;
	for (int i = 0; i < nformats && i < 3; i++)
		c->formats[c->nformats++] = formats[i];
	find_templates(c->tpl_dir, sizeof(c->tpl_dir));
	snprintf(c->dir, sizeof(c->dir), "%s", dir);
	run_subtitle(r, c->subtitle, sizeof(c->subtitle));
	plot_gp_safe(c->subtitle);
	if (mkdir(c->dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "mhpbench plot: cannot create %s: %s\n", c->dir,
			strerror(errno));
		free(c);
		return -EIO; /* not -ENOENT: that says gnuplot is missing */
	}
	if (copy_common(c)) {
		free(c);
		return -EIO;
	}
	if (log)
		fprintf(log, "plots of %s:\n", r->run_id);
	e = make_plots(c, r, db);
	free(c);
	return e;
}

enum mhp_exit plot_cmd(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"db", required_argument, NULL, 'd'},
		{"history", required_argument, NULL, 'd'},
		{"results", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{0}};
	const char *formats[3] = {"png", "svg", "dumb"};
	const char *root = "results", *db = NULL;
	char dir[4096], err[1024], dbbuf[4200], pdir[4200], *list = NULL, *tok,
							    *save;
	enum mhp_exit ret = EXIT_OK;
	struct plot_result res;
	struct ana_run r;
	int ch, e, nformats = 3;

	memset(&r, 0, sizeof(r));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			list = optarg;
			break;
		case 'd':
			db = optarg;
			break;
		case 'r':
			root = optarg;
			break;
		case 'h':
			fputs(plot_usage, stdout);
			return EXIT_OK;
		default:
			fputs(plot_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (list) {
		nformats = 0;
		for (tok = strtok_r(list, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save)) {
			if (nformats == 3 ||
			    (strcmp(tok, "png") && strcmp(tok, "svg") &&
			     strcmp(tok, "dumb"))) {
				fprintf(stderr, "mhpbench plot: --format "
						"takes png, svg, dumb\n");
				return EXIT_USAGE;
			}
			formats[nformats++] = tok;
		}
	}
	if (argc - optind > 1) {
		fputs(plot_usage, stderr);
		return EXIT_USAGE;
	}
	e = store_find_run(root, optind < argc ? argv[optind] : NULL, dir,
			   sizeof(dir));
	if (e) {
		fprintf(stderr, "mhpbench plot: no run %s: %s\n",
			optind < argc ? argv[optind] : "latest", strerror(-e));
		return EXIT_BADINPUT;
	}
	if (ana_load_run(dir, &r, err, sizeof(err))) {
		fprintf(stderr, "mhpbench plot: %s\n", err);
		ana_free_run(&r);
		return EXIT_BADINPUT;
	}
	db = history_location(db, root, dbbuf, sizeof(dbbuf));
	snprintf(pdir, sizeof(pdir), "%s/plots", dir);
	e = plot_make(&r, db, pdir, formats, nformats, stdout, &res);
	if (e == -ENOENT)
		ret = EXIT_ENV;
	else if (e)
		ret = EXIT_IO;
	else
		printf("%d plot(s) made, %d without data\n", res.made,
		       res.nodata);
	ana_free_run(&r);
	return ret;
}
