/*
 * faults.c: judging the runs in which a call was made to fail on purpose
 * (see faults.h).
 */
#define _GNU_SOURCE
#include "labs/faults.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/checks.h"
#include "labs/judge.h"
#include "labs/judges.h"
#include "lang/lang.h"
#include "run/sys.h"

/* The errno each call fails with: one a program could meet for real. */
static const struct {
	const char *call;
	int err;
} errors[] = {
	{ "open", EACCES }, { "ftruncate", EFBIG }, { "mmap", ENOMEM }, { "munmap", EINVAL },
	{ "fork", EAGAIN }, { "wait", ECHILD }, { "close", EIO }, { "unlink", EACCES },
};

/* What a fault run expects, beside r->fail and r->fail_err. */
struct fault_want {
	char result[24];
};

struct lab_run *plan_call_fault(struct lab_plan *p, const char *who, const char *prog,
				const char *const *args, const char *call, const char *result)
{
	char *name = xasprintf("%s%sno %s", who, *who ? " " : "", call);
	struct lab_run *r = plan_run(p, name, prog, args);
	struct fault_want *w = xcalloc(1, sizeof(*w));
	size_t i = 0;

	while (strcmp(errors[i].call, call) != 0)
		if (++i == sizeof(errors) / sizeof(errors[0]))
			die(_("no call %s to make fail"), call);
	r->fail = errors[i].call;
	r->fail_err = errors[i].err;
	snprintf(w->result, sizeof(w->result), "%s", result);
	r->want = w;
	free(name);
	return r;
}

/* The record of the call that was made to fail, NULL if it never was. */
static const struct audit_rec *injected(const struct trial *t)
{
	for (size_t i = 0; i < t->audit.n; i++)
		if (t->audit.rec[i].injected && t->audit.rec[i].call != AUDIT_SLEEP)
			return &t->audit.rec[i];
	return NULL;
}

/* A call of the main process that failed after the injected one, by itself. */
static const struct audit_rec *failed_next(const struct trial *t, const struct audit_rec *inj)
{
	for (const struct audit_rec *r = inj + 1; r < t->audit.rec + t->audit.n; r++)
		if (r->pid == inj->pid && r->err != 0 && !r->injected && r->call != AUDIT_EXIT &&
		    r->call != AUDIT_SLEEP && r->call != AUDIT_CRASH)
			return r;
	return NULL;
}

/* A process of the run that crashed after the injected call. */
static const struct audit_rec *crashed_after(const struct trial *t, const struct audit_rec *inj)
{
	for (const struct audit_rec *r = inj + 1; r < t->audit.rec + t->audit.n; r++)
		if (r->call == AUDIT_CRASH)
			return r;
	return NULL;
}

/* Does stderr name the call (its kind or the function called)? */
static bool names_call(const char *err, const char *call, const struct audit_rec *inj)
{
	return strstr(err, call) != NULL || strstr(err, inj->fn) != NULL;
}

/* Has stdout a line that starts with result? */
static bool has_line(const char *out, const char *result)
{
	size_t n = strlen(result);

	for (const char *p = out; *p != '\0'; p += strcspn(p, "\n"), p += *p == '\n')
		if (strncmp(p, result, n) == 0)
			return true;
	return false;
}

/* Fails c with how the run ended, and a hint. */
static bool fault_fail(struct check *c, const struct lab_run *run, const char *hint)
{
	const struct trial *t = &run->t;
	const struct run_result *r = &t->res;
	char how[300], crash[600];
	char *want = xasprintf(_("%s fails: exit 1, nothing printed as if it had worked, stderr: "
				 "%s: %s: %s"), run->fail, run->prog, run->fail, strerror(run->fail_err));
	char *out = show_output(&r->out), *errs = show_output(&r->err);
	const char *line = r->end == RUN_SIGNALED ? audit_crash_line(&t->audit, crash, sizeof(crash))
						  : NULL;
	char *seen = xasprintf(_("$ %s\n%s (with %s made to fail: %s)\nstdout: %s\nstderr: %s%s%s"),
			       t->cmdline, run_describe(r, how, sizeof(how)), run->fail,
			       strerrorname_np(run->fail_err), *out ? out : _("(empty)"),
			       *errs ? errs : _("(empty)"), line ? "\n" : "", line ? line : "");

	check_fail(c, want, seen, "%s", hint);
	blame(c, run);
	free(seen);
	free(out);
	free(errs);
	free(want);
	return false;
}

/* Why run's failure was not caught, or NULL when it was (or the program
 * never makes that call). */
static const char *not_caught(const struct lab_run *run, char *buf, size_t size)
{
	const struct trial *t = &run->t;
	const struct run_result *r = &t->res;
	const struct fault_want *w = run->want;
	const struct audit_rec *inj = injected(t), *next;
	bool is_mmap = strcmp(run->fail, "mmap") == 0;
	const char *fn;

	if (r->end == RUN_NOT_STARTED)
		return _("the program was not built: see the compiler's messages at the top of "
			 "this lab");
	if (inj == NULL) {
		/* ftruncate alone may be left out (lseek and write size a file too);
		 * every other call is one the lab needs. */
		if (r->end == RUN_EXITED && r->code == 0 && t->audit.n > 0 &&
		    strcmp(run->fail, "ftruncate") == 0)
			return NULL;	/* it never makes that call: nothing to check */
		if (r->end == RUN_EXITED && r->code == 0) {
			snprintf(buf, size, _("the program never calls %s, which the lab needs: see "
					      "the checks above"), run->fail);
			return buf;
		}
		snprintf(buf, size, _("the run ended before the program made the %s that was to "
				      "fail: see the checks above"), run->fail);
		return buf;
	}
	fn = inj->fn[0] ? inj->fn : run->fail;	/* what the program called: waitpid, mkstemp */
	if (r->end == RUN_SIGNALED || (next = crashed_after(t, inj)) != NULL) {
		if (r->end != RUN_SIGNALED) {
			snprintf(buf, size, _("a process crashed (process %d) after %s failed: check "
					      "%s's result, and stop there"), next->pid, fn, fn);
			return buf;
		}
		if (is_mmap)
			return _("it crashed when mmap failed: compare mmap's result with MAP_FAILED, "
				 "which is (void *)-1 -- a comparison with NULL never sees the "
				 "failure (pitfall 7)");
		snprintf(buf, size, _("it crashed when %s failed: check %s's result"), fn, fn);
		return buf;
	}
	if (r->end != RUN_EXITED) {
		snprintf(buf, size, _("it did not end when %s failed: check %s's result and exit 1"),
			 fn, fn);
		return buf;
	}
	if (r->code == 0) {
		if (is_mmap)
			return _("it exited 0 although mmap failed: compare mmap's result with "
				 "MAP_FAILED (a NULL comparison is the usual cause) and exit 1");
		snprintf(buf, size, _("it exited 0 although %s failed: check %s's result and exit 1"),
			 fn, fn);
		return buf;
	}
	if ((next = failed_next(t, inj)) != NULL && !names_call(r->err.data, run->fail, inj)) {
		snprintf(buf, size, _("it went on after %s failed, and %s failed next: check %s's "
				      "result and stop there"), fn, next->fn, fn);
		return buf;
	}
	if (r->code != 1) {
		snprintf(buf, size, _("a failed call ends the program with exit 1, not %d"), r->code);
		return buf;
	}
	if (strcmp(run->fail, "munmap") != 0 && *w->result && has_line(r->out.data, w->result)) {
		snprintf(buf, size, _("it printed its result line although %s failed: stop at the "
				      "failed call, before printing"), fn);
		return buf;
	}
	return NULL;
}

bool judge_call_caught(struct check *c, const struct lab_check *def, struct lab_run *const *runs,
		       size_t n)
{
	char buf[400];

	(void)def;
	for (size_t i = 0; i < n; i++) {
		const char *why = not_caught(runs[i], buf, sizeof(buf));
		if (why != NULL)
			return fault_fail(c, runs[i], why);
	}
	check_pass(c);
	return true;
}

/* Does stderr say "PROG: NAME: reason"?  Anywhere in it: a child that runs
 * on into the same failure may interleave its own message with it. */
static bool says(const char *err, const char *prog, const char *name, int e)
{
	char *line = xasprintf("%s: %s: %s", prog, name, strerror(e));
	bool found = strstr(err, line) != NULL;

	free(line);
	return found;
}

bool judge_call_message(struct check *c, const struct lab_check *def, struct lab_run *const *runs,
			size_t n)
{
	char buf[400], hint[600];
	size_t judged = 0;

	(void)def;
	for (size_t i = 0; i < n; i++) {
		const struct lab_run *run = runs[i];
		const struct audit_rec *inj = injected(&run->t);
		if (inj == NULL || not_caught(run, buf, sizeof(buf)) != NULL)
			continue;	/* never made, or judged by its own check */
		judged++;
		const char *err = run->t.res.err.data;
		if (says(err, run->prog, run->fail, run->fail_err) ||
		    says(err, run->prog, inj->fn, run->fail_err))
			continue;
		size_t len = strcspn(err, "\n");
		char *first = show_bytes(err, len, 200);
		snprintf(hint, sizeof(hint), _("the failure was caught, but the message has the wrong "
					       "shape: it must be PROGRAM: CALL: reason, here "
					       "\"%s: %s: %s\" (err(1, \"%s\") prints it); it said "
					       "\"%s\""), run->prog, run->fail,
			 strerror(run->fail_err), run->fail, first);
		free(first);
		return fault_fail(c, run, hint);
	}
	if (judged == 0) {
		check_fail(c, _("a failed call caught, and reported as PROGRAM: CALL: reason"), NULL,
			   "%s", _("no failed call was caught: see the checks above"));
		return false;
	}
	check_pass(c);
	return true;
}
