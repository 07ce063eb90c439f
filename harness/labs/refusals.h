/*
 * refusals.h: runs that must end in a refusal (refusals.c): a program given
 * bad input or bad usage, and one whose call is made to fail on purpose
 * (MMAPAUDIT_FAIL), each started in a worker of its own beside the lab's
 * other runs, then judged.
 */
#ifndef REFUSALS_H
#define REFUSALS_H

#include <stdbool.h>
#include <stddef.h>

#include "labs/trial.h"
#include "report/result.h"

/* Runs of a program that must each be refused, started together. */
#define MAX_REFUSALS 4
struct refusals {
	struct trial t[MAX_REFUSALS];
	size_t n;
	bool usage;			/* refused as bad usage: exit 2, a usage line */
};
/* Starts LAB's PROG once per argument list in runs (NULL-terminated, at most
 * MAX_REFUSALS), each in a fresh directory and a worker of its own. */
void refusals_start(const struct grader *g, struct refusals *r, const char *lab,
		    const char *prog, bool usage, const char *const *const *runs);
/* Waits for them and fails c at the first that is not refused (judge_refused);
 * c NULL: only waits and frees them (a check failed already). */
void judge_refusals(const struct grader *g, struct check *c, struct refusals *r);

/* A run in which CALL failed on purpose (MMAPAUDIT_FAIL=CALL:1:errno_name):
 * the program must say "PROG: CALL: strerror" on stderr and exit 1, not
 * crash, not exit 0, not print its normal output. */
bool judge_injected_failure(struct check *c, const struct trial *t, const char *prog,
			    const char *call, int err);

/* A run of a program in which CALL fails with err the first time it is made
 * (MMAPAUDIT_FAIL), started in a worker of its own beside the lab's others. */
struct fault_run {
	struct trial t;
	const char *prog, *call;
	int err;
};
void fault_run_start(const struct grader *g, struct fault_run *f, const char *lab,
		     const char *prog, const char *const *args, const char *call, int err);
/* Waits for it and judges it with judge_injected_failure(); c NULL: only
 * waits and frees it (a check failed already). */
bool judge_fault_run(const struct grader *g, struct check *c, struct fault_run *f);

#endif
