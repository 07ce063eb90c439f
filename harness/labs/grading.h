/*
 * grading.h: grade one submission, from its sources to a report.  The CLI
 * (grade.c) calls it once; class mode calls it once per student, in a worker.
 */
#ifndef GRADING_H
#define GRADING_H

#include <stdbool.h>
#include <stddef.h>

#include "labs/labs.h"
#include "report/result.h"

/* False (grade --no-audit): programs run without the audit library, and
 * every check built on it fails.  For measuring what the library costs. */
extern bool grading_audit;

/* Builds and grades each of labs[0..n) of submission into report (which the
 * caller frees with report_free).  Works in a private folder under $TMPDIR,
 * removed before returning.  False if grading was interrupted. */
bool grade_submission(const char *submission, const struct lab *const *labs, size_t n,
		      unsigned seed, struct report *report);

#endif
