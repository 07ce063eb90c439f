/*
 * trace.h: a failed check's timeline (check.trace[], check.missing_call)
 * filled from the audit log of the run it judged, for the HTML report.
 */
#ifndef AUDIT_TRACE_H
#define AUDIT_TRACE_H

#include "audit/log.h"
#include "report/result.h"

/* Calls kept in a check's trace: the first ones, those around the blamed
 * call and the last ones; each gap becomes one "..." entry. */
#define TRACE_MAX 48

/* Replaces c's trace with log's calls in order (start records and the
 * log's own bookkeeping left out), each failed one flagged.  blame, a
 * record of log, is marked; NULL marks the first crash, else the first
 * failed call, else nothing.  missing (copied; NULL: none) names a call the
 * check expected and never saw: "wait", "munmap". */
void trace_fill(struct check *c, const struct audit_log *log, const struct audit_rec *blame,
		const char *missing);

#endif
