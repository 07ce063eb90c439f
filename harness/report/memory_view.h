/*
 * memory_view.h: what a lab_result's memory views (the memory picture, SPEC
 * §2) say happened to the child's store, in a verdict and one sentence: for
 * every report that draws the picture, and for the judgments made from it.
 */
#ifndef MEMORY_VIEW_H
#define MEMORY_VIEW_H

#include "report/result.h"

/* Pagemap entry bits (Documentation/admin-guide/mm/pagemap.rst). */
#define PM_PRESENT (1ULL << 63)
#define PM_FILE (1ULL << 61)		/* a file page or shared anonymous */
#define PM_EXCLUSIVE (1ULL << 56)	/* mapped by this process only */
#define PM_PFN ((1ULL << 55) - 1)

enum memory_verdict {
	MEMORY_UNSEEN,		/* no pair of records: not audited, or no fork/wait */
	MEMORY_SHARED,		/* the child's store is in the parent's page */
	MEMORY_COPIED,		/* the child's store went to a page of its own */
	MEMORY_UNCLEAR,		/* the records show neither (no store seen) */
	MEMORY_CORRUPT,		/* records that contradict the log */
};

/* What a child's view and its parent's (of the same page) say happened to
 * the child's store. */
enum memory_verdict memory_verdict_of(const struct memory_view *child,
				      const struct memory_view *parent);

/* The picture in one sentence, for a report ("the child's store went to a
 * page of its own: copy-on-write; the parent still sees 0"). */
const char *memory_sentence(enum memory_verdict v);

#endif
