/*
 * memory.h: the memory picture of one run (SPEC §2), from the "memory"
 * records of its audit log: what the child's store did to the page it
 * stored into, seen inside the program at the child's exit and in the
 * parent right after its wait.  Shared: one page frame for both (or,
 * without root, a page dirty and shared while both map it); copied: the
 * child's page is its own (copy-on-write), the parent's is not it.
 *
 * The records come from the program's own process, so they are checked
 * against the rest of the log before they are believed (memory_read), and
 * a picture that does not hold together is "corrupt": it is never drawn,
 * and it fails the check it was evidence for.
 */
#ifndef AUDIT_MEMORY_H
#define AUDIT_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit/checks.h"
#include "audit/log.h"
#include "report/memory_view.h"
#include "report/result.h"



struct memory_picture {
	enum memory_verdict verdict;
	const struct audit_rec *child, *parent;	/* the mapping's two records */
	int page;			/* the page drawn: the child's stored page */
	uint64_t child_pm, parent_pm;	/* their pagemap entries for it */
	bool frames;			/* both frames known (the reader ran as root) */
	char why[256];			/* CORRUPT: what does not hold */
};

/* False (grade --no-memory): no run asks for the picture; for measuring
 * what it costs. */
extern bool grading_memory;

/* The environment of a run whose picture is wanted (MMAPAUDIT_MEMORY=on):
 * the library records it, and as root the run gets a frame reader. */
extern const char *const memory_env[];
/* env (NULL-ended, may be NULL) asks for the picture. */
bool memory_asked(const char *const *env);

/* The picture of the run whose log this is. */
void memory_read(const struct audit_log *log, struct memory_picture *pic);

/* Adds the run's two views (child after its store, parent after wait) to
 * lab->memory, labelled run ("default", "random 1", "-p"); nothing for a
 * picture that is unseen or corrupt. */
void memory_collect(struct lab_result *lab, const char *run, struct audited_run r);

/* Evidence for a check already judged on the calls, that the mapping is
 * shared (judge_memory_shared: the child's store is in the parent's page)
 * or private (judge_memory_private: it went to a copy).  A contrary or
 * corrupt picture fails c, with the evidence; an agreeing one is cited in
 * c->actual; an unseen one changes nothing.  False when it failed c. */
bool judge_memory_shared(struct check *c, struct audited_run r);
bool judge_memory_private(struct check *c, struct audited_run r);


#endif
