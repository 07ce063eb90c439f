/*
 * faults.h: judging a run in which a call of the program was made to fail on
 * purpose (faults.c; the audit library's MMAPAUDIT_FAIL=CALL:1:errno).
 */
#ifndef FAULTS_H
#define FAULTS_H

#include <stdbool.h>

#include "labs/trial.h"
#include "report/result.h"

/* The program must say "PROG: CALL: strerror" on stderr and exit 1, not
 * crash, not exit 0, not print its normal output. */
bool judge_injected_failure(struct check *c, const struct trial *t, const char *prog,
			    const char *call, int err);

#endif
