/*
 * grades_csv.h: RESULTS_DIR/grades.csv and the quoting of CSV fields.
 */
#ifndef CLASS_GRADES_CSV_H
#define CLASS_GRADES_CSV_H

#include <stdio.h>

#include "class/state.h"

void csv_field(FILE *f, const char *s);	/* quoted where it must be */
/* One row per student, graded or not: id, total, one column per lab. */
char *grades_csv(const struct class *c);

#endif
