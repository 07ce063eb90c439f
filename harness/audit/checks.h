/*
 * checks.h: judgments of a run from the calls the audit library saw,
 * for what output alone cannot show: a munmap of the wrong length, a
 * descriptor left open, MAP_PRIVATE where sharing was asked, a child never
 * waited for, sleep() used as synchronisation, bytes left in the stdout
 * buffer at fork, a mapping longer than its file.
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

/* Every mapping of the main process is of that kind, MAP_SHARED when shared
 * (else MAP_PRIVATE), with at least prot. */
bool judge_mapping(struct check *c, struct audited_run run, enum map_kind kind, bool shared,
		   int prot);

/* No mapping of a file reaches past the file's end when it is made (the
 * SIGBUS of pitfall 4, seen before it happens). */
bool judge_within_file(struct check *c, struct audited_run run);

/* fork, not vfork; every child waited for; no sleep() in the parent; nothing
 * in the stdout buffer at fork, nor lost at _exit. */
bool judge_fork_wait(struct check *c, struct audited_run run);

/* For a crash by SIGBUS or SIGSEGV: one line naming the mapping and the
 * offset, from the crash record; NULL when the log has none. */
const char *audit_crash_line(const struct audit_log *log, char *buf, size_t size);

#endif
