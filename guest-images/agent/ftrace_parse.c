// SPDX-License-Identifier: GPL-2.0-or-later
#include "ftrace_parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Deeper than the kernel's FTRACE_RETFUNC_DEPTH (50) needs. */
#define MAX_DEPTH 64
/* Tasks (or CPUs) with their own nesting; more is not seen in practice. */
#define MAX_KEYS 256

/* Frame values besides node indexes. */
#define FRAME_OUTSIDE (-1) /* open, but not inside the entry */

enum kind { L_SKIP, L_LOST, L_OPEN, L_LEAF, L_CLOSE, L_UNPARSED };

struct fline {
	enum kind kind;
	long key; /* pid with a task column, else the CPU (-1: none) */
	int depth;
	int has_dur;
	uint64_t dur_ns;
	unsigned long lost;
	char name[FTRACE_NAME_MAX]; /* empty for a bare '}' */
};

struct stack {
	long key;
	int sp; /* frames [0, sp) are known */
	int frame[MAX_DEPTH];
};

struct parser {
	struct ftrace_graph *g;
	const char *entry;
	struct stack *stacks;
	int nstacks;
};

int ftrace_name_eq(const char *a, const char *b)
{
	size_t la = strcspn(a, "."), lb = strcspn(b, ".");

	return la == lb && !memcmp(a, b, la);
}

static int is_sym(int c)
{
	return isalnum(c) || c == '_' || c == '.' || c == '$';
}

static const char *skip_spaces(const char *p, const char *end)
{
	while (p < end && *p == ' ')
		p++;
	return p;
}

/* "123.456" microseconds (at most 7 digits, fraction truncated by the
 * kernel) to nanoseconds. */
static int parse_us(const char *p, const char *end, uint64_t *ns)
{
	uint64_t us = 0, frac = 0;
	int nd = 0, nf = 0;

	for (; p < end && isdigit((unsigned char)*p); p++, nd++)
		us = us * 10 + (uint64_t)(*p - '0');
	if (p < end && *p == '.')
		for (p++; p < end && isdigit((unsigned char)*p); p++)
			if (nf < 3) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				nf++;
			}
	if (!nd || p != end)
		return -EINVAL;
	for (; nf < 3; nf++)
		frac *= 10;
	*ns = us * 1000 + frac;
	return 0;
}

/* The duration column ends the prefix: "[mark] 123.456 us   ". */
static int parse_duration(const char *start, const char *end, uint64_t *ns)
{
	const char *num_end, *num;

	while (end > start && end[-1] == ' ')
		end--;
	if (end - start < 2 || end[-1] != 's' || end[-2] != 'u')
		return -ENOENT;
	end -= 2;
	while (end > start && end[-1] == ' ')
		end--;
	num_end = end;
	num = num_end;
	while (num > start &&
	       (isdigit((unsigned char)num[-1]) || num[-1] == '.'))
		num--;
	return parse_us(num, num_end, ns);
}

/* Copies a symbol, dropping a " [module]" part; returns the end. */
static const char *copy_name(const char *p, const char *end, char *out)
{
	size_t n = 0;

	while (p < end && is_sym((unsigned char)*p)) {
		if (n < FTRACE_NAME_MAX - 1)
			out[n++] = *p;
		p++;
	}
	out[n] = '\0';
	if (n && p + 1 < end && p[0] == ' ' && p[1] == '[') {
		const char *q = memchr(p, ']', (size_t)(end - p));

		if (q)
			p = q + 1;
	}
	return p;
}

static int starts(const char *p, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(end - p) >= n && !memcmp(p, lit, n);
}

static void parse_body(const char *p, const char *end, struct fline *fl)
{
	if (p >= end) {
		fl->kind = L_SKIP; /* irq markers "==========> |" */
		return;
	}
	if (*p == '}') {
		fl->kind = L_CLOSE;
		p = skip_spaces(p + 1, end);
		if (starts(p, end, "/*")) {
			p = skip_spaces(p + 2, end);
			copy_name(p, end, fl->name);
		}
		return;
	}
	if (starts(p, end, "/*")) {
		fl->kind = L_SKIP; /* trace_printk, events, markers */
		return;
	}
	p = copy_name(p, end, fl->name);
	if (!fl->name[0])
		fl->kind = L_UNPARSED;
	else if (starts(p, end, "() {"))
		fl->kind = L_OPEN;
	else if (starts(p, end, "();"))
		fl->kind = L_LEAF;
	else
		fl->kind = L_UNPARSED;
}

static void parse_line(const char *s, const char *end, struct fline *fl)
{
	const char *p, *bar, *first_bar, *body;
	long cpu = -1;
	int spaces;

	memset(fl, 0, sizeof(*fl));
	fl->kind = L_SKIP;
	while (end > s && (end[-1] == '\r' || end[-1] == ' '))
		end--;
	p = skip_spaces(s, end);
	if (p >= end || *p == '#')
		return;
	if (starts(p, end, "CPU:")) {
		const char *q = p;

		while (q < end && !starts(q, end, "[LOST "))
			q++;
		if (q < end) {
			fl->kind = L_LOST;
			fl->lost = strtoul(q + 6, NULL, 10);
		}
		return;
	}
	bar = NULL;
	for (const char *q = p; q < end; q++)
		if (*q == '|')
			bar = q;
	if (!bar)
		return; /* context switches, "-----" rules */

	/* funcgraph-abstime: "  1234.567890 |" before the CPU. */
	if (isdigit((unsigned char)*p)) {
		const char *q = p;

		while (q < end && isdigit((unsigned char)*q))
			q++;
		if (q < end && *q == '.') {
			q++;
			while (q < end && isdigit((unsigned char)*q))
				q++;
			q = skip_spaces(q, end);
			if (q < bar && *q == '|')
				p = skip_spaces(q + 1, end);
		}
	}
	/* funcgraph-cpu: " 1)" */
	if (p < end && isdigit((unsigned char)*p)) {
		const char *q = p;

		while (q < end && isdigit((unsigned char)*q))
			q++;
		if (q < end && *q == ')') {
			cpu = strtol(p, NULL, 10);
			p = q + 1;
		}
	}
	if (p > bar)
		return;
	fl->key = cpu;
	/* funcgraph-proc: "comm-pid |" before the duration column. */
	first_bar = memchr(p, '|', (size_t)(bar - p));
	if (first_bar) {
		const char *dash = NULL;

		for (const char *q = p; q < first_bar; q++)
			if (*q == '-')
				dash = q;
		if (dash && isdigit((unsigned char)dash[1]))
			fl->key = strtol(dash + 1, NULL, 10);
		p = first_bar + 1;
	}
	fl->has_dur = !parse_duration(p, bar, &fl->dur_ns);

	body = bar + 1;
	spaces = 0;
	while (body + spaces < end && body[spaces] == ' ')
		spaces++;
	fl->depth = spaces >= 2 ? (spaces - 2) / 2 : 0;
	parse_body(body + spaces, end, fl);
}

static struct stack *stack_for(struct parser *ps, long key)
{
	for (int i = 0; i < ps->nstacks; i++)
		if (ps->stacks[i].key == key)
			return &ps->stacks[i];
	if (ps->nstacks == MAX_KEYS)
		return NULL;
	ps->stacks[ps->nstacks].key = key;
	ps->stacks[ps->nstacks].sp = 0;
	return &ps->stacks[ps->nstacks++];
}

static int add_node(struct ftrace_graph *g, int parent, const char *name)
{
	struct ftrace_node *n;
	int idx, *link;

	if (parent >= 0)
		for (idx = g->nodes[parent].first_child; idx >= 0;
		     idx = g->nodes[idx].next_sibling)
			if (!strcmp(g->nodes[idx].name, name))
				return idx;
	if (g->nnodes == g->cap) {
		int cap = g->cap ? g->cap * 2 : 32;
		struct ftrace_node *nn =
			realloc(g->nodes, (size_t)cap * sizeof(*nn));

		if (!nn)
			return -ENOMEM;
		g->nodes = nn;
		g->cap = cap;
	}
	idx = g->nnodes++;
	n = &g->nodes[idx];
	memset(n, 0, sizeof(*n));
	strncpy(n->name, name, FTRACE_NAME_MAX - 1);
	n->parent = parent;
	n->first_child = n->next_sibling = -1;
	n->depth = parent >= 0 ? g->nodes[parent].depth + 1 : 0;
	if (parent >= 0) {
		/* Appended, so children keep the order they were first seen. */
		link = &g->nodes[parent].first_child;
		while (*link >= 0)
			link = &g->nodes[*link].next_sibling;
		*link = idx;
	}
	return idx;
}

/* The frame a call at @depth is made from: a node, FRAME_OUTSIDE, or
 * -ENOENT when that level is not known (its opening line is missing). */
static int parent_frame(const struct stack *st, int depth)
{
	if (depth == 0)
		return FRAME_OUTSIDE;
	if (depth - 1 < st->sp)
		return st->frame[depth - 1];
	return -ENOENT;
}

/* The node a call @name from @parent goes to, or a negative frame. */
static int call_node(struct parser *ps, int parent, const char *name)
{
	if (ftrace_name_eq(name, ps->entry)) {
		if (parent < 0)
			return 0;
		ps->g->nested_entries++;
	}
	if (parent < 0)
		return parent;
	return add_node(ps->g, parent, name);
}

static void account(struct ftrace_graph *g, int node, const struct fline *fl)
{
	if (node < 0) {
		g->unattributed++;
		return;
	}
	g->nodes[node].calls++;
	if (fl->has_dur)
		g->nodes[node].total_ns += fl->dur_ns;
	else
		g->no_duration++;
}

static int feed(struct parser *ps, const struct fline *fl)
{
	struct ftrace_graph *g = ps->g;
	struct stack *st;
	int d = fl->depth, parent, node;

	if (fl->kind == L_LOST) {
		g->lost_events += fl->lost;
		/* What follows may start in the middle of any call. */
		for (int i = 0; i < ps->nstacks; i++)
			ps->stacks[i].sp = 0;
		return 0;
	}
	if (fl->kind == L_UNPARSED) {
		g->unparsed++;
		return 0;
	}
	if (fl->kind == L_SKIP)
		return 0;
	st = stack_for(ps, fl->key);
	if (!st || d >= MAX_DEPTH) {
		if (fl->kind != L_OPEN)
			g->unattributed++;
		return 0;
	}
	switch (fl->kind) {
	case L_OPEN:
		parent = parent_frame(st, d);
		/* A node, or the parent's FRAME_OUTSIDE or -ENOENT, which
		 * the children inherit. */
		node = call_node(ps, parent, fl->name);
		if (node == -ENOMEM)
			return node;
		while (st->sp < d) /* levels whose opening line is missing */
			st->frame[st->sp++] = -ENOENT;
		st->frame[d] = node;
		st->sp = d + 1;
		break;
	case L_LEAF:
		/* Goes where its depth says. A leaf at the depth of a
		 * function still open (seen for the callees of an interrupt
		 * whose entry funcgraph-irqs=0 hides) leaves that function
		 * open: its return line follows. */
		parent = parent_frame(st, d);
		node = call_node(ps, parent, fl->name);
		if (node == -ENOMEM)
			return node;
		account(g, node, fl);
		break;
	case L_CLOSE:
		node = d < st->sp ? st->frame[d] : -ENOENT;
		if (node >= 0 && fl->name[0] &&
		    !ftrace_name_eq(g->nodes[node].name, fl->name)) {
			g->mismatched++;
			node = -ENOENT;
		}
		/* The entry's own opening line is gone, but its return still
		 * tells its duration. */
		if (node == -ENOENT && fl->name[0] &&
		    ftrace_name_eq(fl->name, ps->entry))
			node = 0;
		account(g, node, fl);
		if (d < st->sp)
			st->sp = d;
		break;
	default:
		break;
	}
	return 0;
}

void ftrace_graph_free(struct ftrace_graph *g)
{
	free(g->nodes);
	memset(g, 0, sizeof(*g));
}

int ftrace_graph_parse(const char *text, size_t len, const char *entry,
		       struct ftrace_graph *g)
{
	struct parser ps = {.g = g, .entry = entry};
	const char *p = text, *end = text + len;
	int r = 0;

	if (!g)
		return -EINVAL;
	memset(g, 0, sizeof(*g));
	if ((!text && len) || !entry || !entry[0])
		return -EINVAL;
	ps.stacks = calloc(MAX_KEYS, sizeof(*ps.stacks));
	if (!ps.stacks)
		return -ENOMEM;
	if (add_node(g, -1, entry) < 0) {
		r = -ENOMEM;
		goto out;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		struct fline fl;

		g->lines++;
		parse_line(p, le, &fl);
		r = feed(&ps, &fl);
		if (r < 0)
			goto out;
		p = nl ? nl + 1 : end;
	}
out:
	free(ps.stacks);
	if (r < 0)
		ftrace_graph_free(g);
	return r;
}

void ftrace_graph_sum(const struct ftrace_graph *g, const char *name,
		      unsigned long *calls, uint64_t *total_ns)
{
	*calls = 0;
	*total_ns = 0;
	for (int i = 0; i < g->nnodes; i++) {
		int outer = 1;

		if (!ftrace_name_eq(g->nodes[i].name, name))
			continue;
		for (int a = g->nodes[i].parent; a >= 0; a = g->nodes[a].parent)
			if (ftrace_name_eq(g->nodes[a].name, name))
				outer = 0;
		if (outer) {
			*calls += g->nodes[i].calls;
			*total_ns += g->nodes[i].total_ns;
		}
	}
}

uint64_t ftrace_graph_children_ns(const struct ftrace_graph *g, int idx)
{
	uint64_t sum = 0;

	if (idx < 0 || idx >= g->nnodes)
		return 0;
	for (int c = g->nodes[idx].first_child; c >= 0;
	     c = g->nodes[c].next_sibling)
		sum += g->nodes[c].total_ns;
	return sum;
}
