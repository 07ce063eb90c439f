/*
 * checks.h: judgments of a run from the calls the audit library saw,
 * for what output alone cannot show: a munmap of the wrong length, a
 * descriptor left open, MAP_PRIVATE where sharing was asked, a child never
 * waited for, bytes left in the stdout buffer at fork or lost at _exit.
 *
 * Each looks at the main process (the one the grader started).  A run with
 * no audit record (a static binary, or a program that never started) fails
 * every one of them: not seen is never taken for correct.
 */
#ifndef AUDIT_CHECKS_H
#define AUDIT_CHECKS_H

#include <stdbool.h>
#include <stddef.h>

#include "audit/log.h"
#include "report/result.h"
#include "run/run.h"

/* What a judgment here needs of a run: its command line (for the report),
 * how it ended, and its audit log.  The labs make one from their trials. */
struct audited_run {
	const char *cmdline;
	const struct run_result *res;
	const struct audit_log *log;
};

/* Every mapping the main process made was unmapped, once, with exactly the
 * address mmap returned and the length it was given (pitfall 5). */
bool judge_unmapped_exactly(struct check *c, struct audited_run run);

/* Every descriptor the main process mapped was closed after mmap and before
 * any fork (pitfall 3: the mapping outlives it). */
bool judge_closed_after_mmap(struct check *c, struct audited_run run);

enum map_kind {
	MAP_KIND_FILE,		/* a regular file */
	MAP_KIND_ANONYMOUS,	/* MAP_ANONYMOUS, fd -1 */
	MAP_KIND_DEV_ZERO,	/* /dev/zero */
};

enum map_sharing {
	MAP_MUST_SHARE,		/* MAP_SHARED */
	MAP_MUST_BE_PRIVATE,	/* MAP_PRIVATE */
	MAP_EITHER,		/* what the clause leaves open */
};

/* Every mapping of the main process is of that kind, shared as asked, with
 * at least prot. */
bool judge_mapping(struct check *c, struct audited_run run, enum map_kind kind,
		   enum map_sharing sharing, int prot);

/* fork, not vfork, and every child returned by a wait or waitpid of the
 * parent's (polling with WNOHANG is waiting too).  Whether the parent read
 * after that wait shows in a delay run's output, not here. */
bool judge_reaps_children(struct check *c, struct audited_run run);
/* Nothing in the stdout buffer at any fork, nor lost at _exit. */
bool judge_stdout_flushed(struct check *c, struct audited_run run);

/* For a crash by SIGBUS or SIGSEGV: one line naming the mapping and the
 * offset, from the crash record; NULL when the log has none. */
const char *audit_crash_line(const struct audit_log *log, char *buf, size_t size);

#endif
