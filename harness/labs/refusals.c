/*
 * refusals.c: runs that must end in a refusal (see refusals.h): bad input,
 * bad usage, and a call of the program made to fail on purpose.
 */
#define _GNU_SOURCE
#include "labs/refusals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/checks.h"
#include "labs/judge.h"
#include "run/sys.h"

void refusals_start(const struct grader *g, struct refusals *r, const char *lab,
		    const char *prog, bool usage, const char *const *const *runs)
{
	r->n = 0;
	r->usage = usage;
	for (; *runs != NULL; runs++) {
		if (r->n == MAX_REFUSALS)
			die("more than %d refusal runs of %s", MAX_REFUSALS, prog);
		struct trial *t = &r->t[r->n++];
		trial_init(g, t);
		trial_start(g, t, lab, prog, *runs, NULL);
	}
}

void judge_refusals(const struct grader *g, struct check *c, struct refusals *r)
{
	bool refused = c != NULL;

	for (size_t i = 0; i < r->n; i++) {
		trial_finish(g, &r->t[i]);
		if (refused)
			refused = judge_refused(c, &r->t[i], r->usage);
		trial_free(&r->t[i]);
	}
}

void fault_run_start(const struct grader *g, struct fault_run *f, const char *lab,
		     const char *prog, const char *const *args, const char *call, int err)
{
	char *rule = xasprintf("MMAPAUDIT_FAIL=%s:1:%d", call, err);

	f->prog = prog;
	f->call = call;
	f->err = err;
	trial_init(g, &f->t);
	trial_start(g, &f->t, lab, prog, args, (const char *[]){ rule, NULL });
	free(rule);
}

bool judge_fault_run(const struct grader *g, struct check *c, struct fault_run *f)
{
	trial_finish(g, &f->t);
	bool caught = c != NULL && judge_injected_failure(c, &f->t, f->prog, f->call, f->err);
	trial_free(&f->t);
	return caught;
}

bool judge_injected_failure(struct check *c, const struct trial *t, const char *prog,
			    const char *call, int err)
{
	const struct run_result *r = &t->res;
	char *want = xasprintf("exit 1, stderr: %s: %s: %s", prog, call, strerror(err));
	bool injected = false;
	char how[300], crash[600];

	for (size_t i = 0; i < t->audit.n; i++)
		injected |= t->audit.rec[i].injected;
	const char *hint = NULL;
	if (r->end == RUN_NOT_STARTED || r->end == RUN_SKIPPED)
		hint = r->end == RUN_SKIPPED ? "not run: the program ran out of time twice in this "
					       "lab already" : "the program was not built: see the "
					       "compiler's messages at the top of this lab";
	else if (!injected && t->audit.n > 0)
		hint = "the call that was made to fail was never reached: the program does not "
		       "do what the lab asks (yet)";
	else if (r->end == RUN_SIGNALED)
		hint = strcmp(call, "mmap") == 0
		       ? "it crashed when mmap failed: compare mmap's result with MAP_FAILED, which "
			 "is (void *)-1 -- a comparison with NULL never sees the failure (pitfall 7)"
		       : "it crashed when a call failed: check every call's result";
	else if (r->end != RUN_EXITED)
		hint = "it did not end when the call failed";
	else if (r->code == 0)
		hint = strcmp(call, "mmap") == 0
		       ? "it exited 0 although mmap failed: compare mmap's result with MAP_FAILED "
			 "(a NULL comparison is the usual cause) and exit 1"
		       : "it exited 0 although a call failed: check the result and exit 1";
	else if (r->code != 1)
		hint = "a failed call ends the program with exit 1";
	else if (r->out.total > 0 && strstr(r->err.data, call) == NULL)
		hint = "it printed its normal output although a call failed";
	else {
		char *line = xasprintf("%s: %s: %s", prog, call, strerror(err));
		if (strstr(r->err.data, line) == NULL)
			hint = strcmp(call, "mmap") == 0 ? "say which call failed, and why: err(1, \"mmap\") "
				"prints \"PROG: mmap: reason\"" : "say which call failed, and why: err(1, "
				"\"CALL\") prints \"PROG: CALL: reason\"";
		free(line);
	}
	if (hint == NULL) {
		free(want);
		check_pass(c);
		return true;
	}
	char *out = show_output(&r->out), *errs = show_output(&r->err);
	const char *line = r->end == RUN_SIGNALED ? audit_crash_line(&t->audit, crash, sizeof(crash))
						  : NULL;
	char *seen = xasprintf("%s (with %s made to fail: %s)\nstdout: %s\nstderr: %s%s%s",
			       run_describe(r, how, sizeof(how)), call, strerrorname_np(err),
			       *out ? out : "(empty)", *errs ? errs : "(empty)",
			       line ? "\n" : "", line ? line : "");
	char *act = xasprintf("$ %s\n%s", t->cmdline, seen);
	check_fail(c, want, act, "%s", hint);
	free(act);
	free(seen);
	free(out);
	free(errs);
	free(want);
	return false;
}

