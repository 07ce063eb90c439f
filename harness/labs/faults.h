/*
 * faults.h: judging the runs in which a call SPEC §1 names was made to fail
 * on purpose (faults.c; the audit library's MMAPAUDIT_FAIL=CALL:1:ERRNO):
 * was the failure caught, and was it reported as "PROGRAM: CALL: reason".
 */
#ifndef FAULTS_H
#define FAULTS_H

#include <stdbool.h>

#include "labs/engine.h"

/* Plans a run of prog with args in which the first `call` (open, ftruncate,
 * mmap, munmap, fork, wait, close or unlink) fails with the errno the grader
 * uses for it; result: the start of the line the program prints when it
 * worked ("parent, "), which must not appear unless call is munmap (the last
 * call, made after the result is printed).  Its name is "no CALL" after
 * `who`: plan_call_fault(p, "anon", ...) -> "anon no fork". */
struct lab_run *plan_call_fault(struct lab_plan *p, const char *who, const char *prog,
				const char *const *args, const char *call, const char *result);

/* judge_fn: each run's failure caught: exit 1, no result line, no crash, and
 * the program stopped there (no other call failing after it).  A program
 * that never calls ftruncate (it sizes the file otherwise) passes that one;
 * every other call is one the labs need. */
judge_fn judge_call_caught;
/* judge_fn: each caught failure reported on stderr as "PROG: CALL: reason",
 * CALL the call's name or the function's (mkstemp, waitpid). */
judge_fn judge_call_message;

#endif
