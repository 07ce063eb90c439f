/*
 * audit_checks.h: judgments of a run from the calls the audit library saw,
 * for what output alone cannot show: a munmap of the wrong length, a
 * descriptor left open, MAP_PRIVATE where sharing was asked, a child never
 * waited for, sleep() used as synchronisation, bytes left in the stdout
 * buffer at fork, a mapping longer than its file, an unchecked MAP_FAILED.
 *
 * Each looks at the main process (the one the grader started).  A run with
 * no audit record (a static binary, or a program that never started) fails
 * every one of them: not seen is never taken for correct.
 */
#ifndef AUDIT_CHECKS_H
#define AUDIT_CHECKS_H

#include <stdbool.h>

#include "labs/trial.h"

/* Every mapping the main process made was unmapped, once, with exactly the
 * address mmap returned and the length it was given (pitfall 5). */
bool judge_unmapped_exactly(struct check *c, const struct trial *t);

/* Every descriptor the main process mapped was closed after mmap and before
 * any fork (pitfall 3: the mapping outlives it). */
bool judge_closed_after_mmap(struct check *c, const struct trial *t);

enum map_kind {
	MAP_KIND_FILE,		/* a regular file */
	MAP_KIND_ANONYMOUS,	/* MAP_ANONYMOUS, fd -1 */
	MAP_KIND_DEV_ZERO,	/* /dev/zero */
};

/* Every mapping of the main process is of that kind, MAP_SHARED when shared
 * (else MAP_PRIVATE), with at least prot. */
bool judge_mapping(struct check *c, const struct trial *t, enum map_kind kind, bool shared,
		   int prot);

/* No mapping of a file reaches past the file's end when it is made (the
 * SIGBUS of pitfall 4, seen before it happens). */
bool judge_within_file(struct check *c, const struct trial *t);

/* fork, not vfork; every child waited for; no sleep() in the parent; nothing
 * in the stdout buffer at fork, nor lost at _exit. */
bool judge_fork_wait(struct check *c, const struct trial *t);

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

/* The environment of a delay run: each child held back after fork until its
 * parent waits (or exits), DELAY_MS at most, and sleep() returning at once.
 * A parent that orders itself after its child with sleep() instead of wait
 * then reads before the child writes, however busy the machine; one that
 * waits loses no time.  The bound only ends the hold of a parent that
 * never waits (one that polls). */
#define DELAY_MS 200
extern const char *const delay_env[];

/* For a crash by SIGBUS or SIGSEGV: one line naming the mapping and the
 * offset, from the crash record; NULL when the log has none. */
const char *audit_crash_line(const struct trial *t, char *buf, size_t size);

#endif
