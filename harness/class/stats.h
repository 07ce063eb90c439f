/*
 * stats.h: the class's figures, for summary.txt.
 */
#ifndef CLASS_STATS_H
#define CLASS_STATS_H

#include <stddef.h>

#include "class/state.h"

/* A check across the class.  Names may hold the student's random values
 * ("random run 1: fork_share 4821 77"): the words that differ become "*". */
struct check_stat {
	char *name;
	size_t passed, seen;
	int lab;
	size_t index;
};

/* Every check of the class, lowest pass rate first; the caller frees. */
struct check_stat *check_stats(const struct class *c, size_t *count);
/* The totals of the students graded, lowest first, and the highest max. */
int *sorted_totals(const struct class *c, size_t *count, int *max);
double mean_of(const int *t, size_t n);
double median_of(const int *sorted, size_t n);

#endif
