/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A comparison printed as 80-column text (mmtests style, for a cover
 * letter), CSV, JSON or Markdown. */
#ifndef MHP_COMPARE_PRINT_H
#define MHP_COMPARE_PRINT_H

#include "analyze/compare.h"

#include <stdio.h>

/* Prints the comparison in @format: text, csv, json or markdown. 0,
 * -EINVAL (another format) or -ENOMEM. */
int compare_print(FILE *f, const char *format, const struct compare_side *a,
		  const struct compare_side *b, const struct ana_cmp *c);

#endif
