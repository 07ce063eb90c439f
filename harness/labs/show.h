/*
 * show.h: bin/grade --show (make show LAB=02): a lab's programs run once each
 * (fork_share also with -p), their output and their memory picture printed,
 * nothing graded.  The picture a student sees of their own program.
 */
#ifndef SHOW_H
#define SHOW_H

#include <stdbool.h>
#include <stdio.h>

#include "labs/labs.h"

/* True: grade_submission() shows (show_lab) instead of grading. */
extern bool grading_show;

/* Runs lab's programs (built already) and prints to f what each printed and
 * its picture; a lab whose programs do not fork and wait says it has none. */
void show_lab(const struct grader *g, const struct lab *lab, struct lab_result *result, FILE *f);

#endif
