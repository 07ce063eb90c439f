/*
 * summary.h: the class's summary files, once every student is graded.
 */
#ifndef CLASS_SUMMARY_H
#define CLASS_SUMMARY_H

#include <stdbool.h>

#include "class/state.h"

/* grades.csv, summary.txt (similar: its similarity section, or NULL),
 * histogram.gp/.svg/.png; returns whether the pictures were drawn. */
bool write_summary(const struct class *c, const char *similar, int *max_out, double *mean,
		   double *median);

#endif
