/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parser of the function_graph tracer's text output (tracefs "trace"):
 * text in, call tree out. Pure C11 without jansson, so the host's unit
 * tests build it too (tests/unit/test_ftrace_parse.c). */
#ifndef MHP_AGENT_FTRACE_PARSE_H
#define MHP_AGENT_FTRACE_PARSE_H

#include <stddef.h>
#include <stdint.h>

#define FTRACE_NAME_MAX 128 /* KSYM_NAME_LEN on 6.1 */

/* One node of the call tree below the entry function, aggregated by call
 * path: every call of "b" made directly from "a" (itself called from the
 * entry) is one node, however often it ran. Index 0 is the entry itself. */
struct ftrace_node {
	char name[FTRACE_NAME_MAX];    /* as printed: may end in .isra.0 etc. */
	int parent;		       /* index; -1 for the entry */
	int first_child, next_sibling; /* indexes, -1 = none; in order seen */
	int depth;		       /* 0 for the entry */
	unsigned long calls;	       /* completed calls (leaf lines or '}') */
	uint64_t total_ns;	       /* sum of their durations */
};

struct ftrace_graph {
	struct ftrace_node *nodes; /* nodes[0] is the entry, always present */
	int nnodes, cap;
	/* Lines read; completed calls that could not be attributed (a '}'
	 * whose opening line is not in the text, calls outside the entry
	 * function); lines with a '|' that were neither a call, a return nor
	 * a comment; the "[LOST n EVENTS]" total; returns whose name comment
	 * contradicts the open function; calls without a duration. */
	unsigned long lines, unattributed, unparsed, lost_events, mismatched,
		no_duration;
	/* Calls of the entry made inside another call of the entry
	 * (recursion): kept as ordinary tree nodes, and counted here. */
	unsigned long nested_entries;
};

/* Parses @len bytes of function_graph output (@text need not be
 * NUL-terminated) into @g, keeping only the calls made inside @entry
 * (matched by name, ignoring a ".isra.0"-like suffix on either side).
 * Understands the CPU column ("1)"), the task column ("comm-pid |",
 * funcgraph-proc), an absolute-time column (funcgraph-abstime), overhead
 * markers ("+ ! # * @ $"), nesting by indentation, returns that name
 * their function in a comment after the '}' (funcgraph-tail, or a return
 * whose entry was on another CPU), context-switch and irq marker lines,
 * comments, module symbols ("fn [mod]"), and
 * "CPU:n [LOST m EVENTS]". Nesting is kept per task when there is a task
 * column, per CPU otherwise. Returns 0, -EINVAL for bad arguments or
 * -ENOMEM; on error @g is left empty (freed). */
int ftrace_graph_parse(const char *text, size_t len, const char *entry,
		       struct ftrace_graph *g);

void ftrace_graph_free(struct ftrace_graph *g);

/* Sum over the tree of the calls of @name (suffix-insensitive as above),
 * counting only outermost occurrences, so a recursive function is not
 * counted twice. The entry itself counts too. */
void ftrace_graph_sum(const struct ftrace_graph *g, const char *name,
		      unsigned long *calls, uint64_t *total_ns);

/* Sum of total_ns over the direct children of node @idx. */
uint64_t ftrace_graph_children_ns(const struct ftrace_graph *g, int idx);

/* Compares kernel symbol names, ignoring a compiler suffix that starts at
 * the first '.' (".isra.0", ".constprop.0", ".part.0", ".cold"). */
int ftrace_name_eq(const char *a, const char *b);

#endif
