// SPDX-License-Identifier: GPL-2.0-or-later
/* The run history's front (README, "Analysis: compare, plot, gate,
 * history" and "A lab of many hosts"): where the history is, a run turned
 * into what is stored (history_be.h), the back end chosen by the
 * location, and the gate's baseline assembled per cell. */
#include "analyze/history_be.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* "key=value ..." (libpq conninfo): a word of letters and underscores,
 * then '=' (spaces allowed around it). */
static int is_conninfo(const char *s)
{
	const char *p = s;

	while (isalpha((unsigned char)*p) || *p == '_')
		p++;
	if (p == s)
		return 0;
	while (*p == ' ' || *p == '\t')
		p++;
	return *p == '=';
}

int history_is_pg(const char *loc)
{
	return !strncmp(loc, "postgresql://", 13) ||
	       !strncmp(loc, "postgres://", 11) || is_conninfo(loc);
}

const char *history_location(const char *opt, const char *root, char *buf,
			     size_t len)
{
	const char *env = getenv("MHPBENCH_HISTORY");

	if (opt && *opt)
		return opt;
	if (env && *env)
		return env;
	snprintf(buf, len, "%s/history.db", root);
	return buf;
}

static const struct history_be *be_of(const char *loc)
{
	return history_is_pg(loc) ? &history_pg : &history_sqlite;
}

/* Appends @n bytes of @s to @buf (of @len, holding @*at). */
static void put(char *buf, size_t len, size_t *at, const char *s, size_t n)
{
	while (n-- && *at + 1 < len)
		buf[(*at)++] = *s++;
	buf[*at] = 0;
}

/* A URI's query without its password=... parameter. */
static void shown_query(const char *q, char *buf, size_t len, size_t *at)
{
	int first = 1;

	while (*q) {
		size_t n = strcspn(q, "&");

		if (strncmp(q, "password=", 9)) {
			put(buf, len, at, first ? "?" : "&", 1);
			put(buf, len, at, q, n);
			first = 0;
		}
		q += n + (q[n] == '&');
	}
}

/* postgresql://user:secret@host/db?password=x: the user kept. */
static void shown_uri(const char *loc, char *buf, size_t len)
{
	const char *auth = strstr(loc, "://") + 3, *q;
	size_t at = 0;
	const char *atsign = memrchr(auth, '@', strcspn(auth, "/?"));

	put(buf, len, &at, loc, auth - loc);
	if (atsign) {
		const char *colon = memchr(auth, ':', atsign - auth);

		put(buf, len, &at, auth, (colon ? colon : atsign) - auth);
		auth = atsign;
	}
	q = strchr(auth, '?');
	put(buf, len, &at, auth, q ? (size_t)(q - auth) : strlen(auth));
	if (q)
		shown_query(q + 1, buf, len, &at);
}

/* key=value words without password=...; a value may be quoted ('a b',
 * with \' and \\ inside). */
static void shown_conninfo(const char *p, char *buf, size_t len)
{
	size_t at = 0;

	while (*p) {
		const char *w, *eq;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		w = p;
		eq = strchr(p, '=');
		if (!eq)
			eq = p + strlen(p);
		p = eq + (*eq == '=');
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\'') {
			for (p++; *p && *p != '\''; p++)
				if (*p == '\\' && p[1])
					p++;
			p += *p == '\'';
		} else {
			while (*p && !isspace((unsigned char)*p))
				p++;
		}
		if (strncmp(w, "password", 8) ||
		    (w[8] != '=' && !isspace((unsigned char)w[8]))) {
			if (at)
				put(buf, len, &at, " ", 1);
			put(buf, len, &at, w, p - w);
		}
	}
	if (!at && len)
		buf[0] = 0;
}

void history_shown(const char *loc, char *buf, size_t len)
{
	if (!strncmp(loc, "postgresql://", 13) ||
	    !strncmp(loc, "postgres://", 11))
		shown_uri(loc, buf, len);
	else if (is_conninfo(loc))
		shown_conninfo(loc, buf, len);
	else
		snprintf(buf, len, "%s", loc);
}

int history_table_push(struct sample_table *t, const struct sample *s)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct sample *ns = realloc(t->s, cap * sizeof(*ns));

		if (!ns)
			return -ENOMEM;
		t->s = ns;
		t->cap = cap;
	}
	t->s[t->n++] = *s;
	return 0;
}

static const char *jstr(json_t *j, const char *a, const char *b)
{
	json_t *v = json_object_get(j, a);

	if (b)
		v = json_object_get(v, b);
	return json_is_string(v) ? json_string_value(v) : "";
}

/* The testbed is the manifest's "testbed" (MHPBENCH_TESTBED when the run
 * ran, else the host name); runs from before it have only host.hostname.
 * The job is its file's name without ".job" (bench/nightly.job:
 * "nightly"), the same on every host. */
void history_rec_describe(struct history_rec *rec, json_t *m)
{
	struct history_testbed *tb = &rec->tb;
	const char *job = jstr(m, "job", "path"), *slash = strrchr(job, '/');
	size_t n;

	snprintf(tb->hostname, sizeof(tb->hostname), "%s",
		 jstr(m, "host", "hostname"));
	snprintf(tb->name, sizeof(tb->name), "%s",
		 *jstr(m, "testbed", NULL) ? jstr(m, "testbed", NULL)
					   : tb->hostname);
	snprintf(tb->cpu_model, sizeof(tb->cpu_model), "%s",
		 jstr(m, "host", "cpu_model"));
	tb->cpus = (int)json_integer_value(
		json_object_get(json_object_get(m, "host"), "cpus"));
	snprintf(tb->host_kernel, sizeof(tb->host_kernel), "%s",
		 jstr(m, "host", "release"));
	snprintf(tb->qemu_version, sizeof(tb->qemu_version), "%s",
		 jstr(m, "qemu", "version"));
	job = slash ? slash + 1 : job;
	n = strlen(job);
	if (n > 4 && !strcmp(job + n - 4, ".job"))
		n -= 4;
	snprintf(rec->job, sizeof(rec->job), "%.*s", (int)n, job);
}

void history_testbed_name(json_t *manifest, char *buf, size_t len)
{
	struct history_rec rec = {0};

	history_rec_describe(&rec, manifest);
	snprintf(buf, len, "%s", rec.tb.name);
}

int history_append_run(const char *db_path, const char *run_dir, char *err,
		       size_t len)
{
	char shown[1024], *man = NULL;
	struct history_rec rec = {0};
	time_t t = time(NULL);
	struct ana_run r;
	int ret;

	history_shown(db_path, shown, sizeof(shown));
	ret = ana_load_run(run_dir, &r, err, len);
	/* An incomplete run may have no samples yet: store it anyway. */
	if (ret && !(r.run_id[0] && (ret == -ENODATA || ret == -ENOENT)))
		goto out;
	rec.status = !strcmp(r.status, "complete") && !ret ? "complete"
							   : "incomplete";
	rec.run_id = r.run_id;
	rec.dir = r.dir;
	rec.started_utc = r.started_utc;
	rec.kernel = r.kernel;
	rec.accel = r.accel;
	rec.git_rev = r.git_rev;
	rec.block_mib = r.block_mib;
	/* the column keeps its name in existing databases: any delay, even
	 * below a millisecond, makes it nonzero */
	rec.inject_ms = (r.inject_online_delay_us + 999) / 1000;
	snprintf(rec.night, sizeof(rec.night), "%.10s", r.started_utc);
	strftime(rec.appended_utc, sizeof(rec.appended_utc),
		 "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	man = json_dumps(r.manifest, JSON_COMPACT | JSON_SORT_KEYS);
	rec.manifest = man ?: "{}";
	history_rec_describe(&rec, r.manifest);
	rec.t = &r.t;
	ret = be_of(db_path)->append(db_path, shown, &rec, err, len);
out:
	free(man);
	ana_free_run(&r);
	return ret;
}

struct import_ctx {
	const char *loc, *shown;
	int n;
	char *err;
	size_t len;
};

static int import_one(const struct history_rec *rec, void *arg)
{
	struct import_ctx *c = arg;
	int ret = be_of(c->loc)->append(c->loc, c->shown, rec, c->err, c->len);

	c->n += !ret;
	return ret;
}

int history_import(const char *loc, const char *old_path, int *n, char *err,
		   size_t len)
{
	char shown[1024];
	struct import_ctx c = {loc, shown, 0, err, len};
	struct stat a, b;
	int ret;

	history_shown(loc, shown, sizeof(shown));
	/* its own reader would hold off every commit into it */
	if (!history_is_pg(loc) && !stat(loc, &a) && !stat(old_path, &b) &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
		*n = 0;
		snprintf(err, len,
			 "%s: a history cannot be imported into itself", shown);
		return -EINVAL;
	}
	ret = history_sqlite_each(old_path, import_one, &c, err, len);
	*n = c.n;
	return ret;
}

/* The distinct (kernel, accel, block size) of @cand's measured samples. */
static int baseline_keys(const struct ana_run *cand, struct history_bkey **keys)
{
	struct history_bkey *k = NULL;
	int n = 0, cap = 0, j;

	for (size_t i = 0; i < cand->t.n; i++) {
		const struct sample *s = &cand->t.s[i];

		if (s->warmup)
			continue;
		for (j = 0; j < n; j++)
			if (!strcmp(k[j].kernel, s->kernel) &&
			    !strcmp(k[j].accel, s->accel) &&
			    k[j].block_mib == s->block_mib)
				break;
		if (j < n)
			continue;
		if (n == cap) {
			struct history_bkey *nk;

			cap = cap * 2 + 4;
			nk = realloc(k, cap * sizeof(*k));
			if (!nk) {
				free(k);
				return -ENOMEM;
			}
			k = nk;
		}
		k[n++] = (struct history_bkey){s->kernel, s->accel,
					       s->block_mib};
	}
	*keys = k;
	return n;
}

/* "history: 3 runs run4..run6": how many runs the baseline pools. Its
 * samples come run by run (history_sql_baseline), once per key. */
static void baseline_label(struct ana_run *out)
{
	const char *first = NULL, *last = NULL, *prev = NULL, **ids = NULL;
	size_t nruns = 0, cap = 0, j;

	for (size_t i = 0; i < out->t.n; i++) {
		const char *id = out->t.s[i].run_id;

		if (prev && !strcmp(prev, id))
			continue;
		prev = id;
		for (j = 0; j < nruns && strcmp(ids[j], id); j++)
			;
		if (j < nruns)
			continue;
		if (nruns == cap) {
			const char **n = realloc(ids, (cap = cap * 2 + 8) *
							      sizeof(*ids));

			if (!n)
				break;
			ids = n;
		}
		ids[nruns++] = id;
		if (!first || strcmp(id, first) < 0)
			first = id;
		if (!last || strcmp(id, last) > 0)
			last = id;
	}
	free(ids);
	/* A label only: a cut one is still a label (the ids are in the
	 * samples). */
	if (snprintf(out->run_id, sizeof(out->run_id),
		     "history: %zu run%s %.40s%s%.40s", nruns,
		     nruns > 1 ? "s" : "", first ?: "", nruns > 1 ? ".." : "",
		     nruns > 1 ? last : "") >= (int)sizeof(out->run_id))
		out->run_id[sizeof(out->run_id) - 1] = '\0';
}

int history_baseline(const char *db_path, const struct ana_run *cand,
		     int max_runs, struct ana_run *out, char *err, size_t len)
{
	struct history_rec rec = {0};
	struct history_bwho who;
	struct history_bkey *keys;
	char shown[1024];
	int ret, nkeys;

	memset(out, 0, sizeof(*out));
	history_shown(db_path, shown, sizeof(shown));
	history_rec_describe(&rec, cand->manifest);
	who = (struct history_bwho){rec.tb.name, rec.job, cand->run_id,
				    cand->started_utc};
	nkeys = baseline_keys(cand, &keys);
	if (nkeys < 0)
		return nkeys;
	ret = be_of(db_path)->baseline(db_path, shown, &who, keys, nkeys,
				       max_runs, &out->t, err, len);
	free(keys);
	if (!ret && !out->t.n) {
		snprintf(err, len,
			 "%s: no complete run of testbed '%s', job '%s' with "
			 "kernel %s, accel %s, %lldM blocks (other than the "
			 "candidate)",
			 shown, who.testbed, who.job, cand->kernel, cand->accel,
			 (long long)cand->block_mib);
		ret = -ENODATA;
	}
	if (ret) {
		samples_free(&out->t);
		return ret;
	}
	for (size_t i = 0; i < out->t.n; i++)
		ana_axes_add(&out->axes, &out->t.s[i]);
	snprintf(out->dir, sizeof(out->dir), "%s", shown);
	baseline_label(out);
	snprintf(out->status, sizeof(out->status), "complete");
	snprintf(out->kernel, sizeof(out->kernel), "%s", cand->kernel);
	snprintf(out->accel, sizeof(out->accel), "%s", cand->accel);
	out->block_mib = cand->block_mib;
	return 0;
}

void history_cursor_close(struct history_cursor *cur)
{
	if (cur)
		cur->close(cur);
}

int history_trend_open(const char *db_path, const struct history_query *q,
		       struct history_cursor **cur, char *err, size_t len)
{
	char shown[1024];

	history_shown(db_path, shown, sizeof(shown));
	return be_of(db_path)->trend_open(db_path, shown, q, cur, err, len);
}

int history_trend_next(struct history_cursor *cur, struct history_sample *s,
		       char *err, size_t len)
{
	memset(s, 0, sizeof(*s));
	return cur->trend_next(cur, s, err, len);
}

int history_runs_open(const char *db_path, struct history_cursor **cur,
		      char *err, size_t len)
{
	char shown[1024];

	history_shown(db_path, shown, sizeof(shown));
	return be_of(db_path)->runs_open(db_path, shown, cur, err, len);
}

int history_runs_next(struct history_cursor *cur, struct history_run *r)
{
	return cur->runs_next(cur, r);
}
