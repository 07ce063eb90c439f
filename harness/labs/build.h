/*
 * build.h: the grader compiles the submission itself, from a private copy.
 */
#ifndef BUILD_H
#define BUILD_H

#include "labs/labs.h"

/* Copies LAB's .c and .h files from SUBMISSION into g->workdir/src/LAB and
 * compiles each program into g->bindir/LAB/PROG with SPEC's fixed flags.
 * The compiler's messages go to lab->build_log; a program that does not
 * compile sets lab->build_failed (its checks then fail as "not built"). */
void build_lab(const struct grader *g, const char *submission, const struct lab *lab,
	       struct lab_result *result);

#endif
