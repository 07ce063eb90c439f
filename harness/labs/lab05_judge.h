/*
 * lab05_judge.h: the judgments of lab 05's runs of mmap_cat, each naming the
 * pitfall it is about and quoting the document's line for it.
 */
#ifndef LAB05_JUDGE_H
#define LAB05_JUDGE_H

#include <stdbool.h>
#include <stddef.h>

#include "labs/trial.h"

#define LAB05 "05-pitfalls"
/* The page size one run is told (MMAPAUDIT_PAGESIZE): some ARM machines'. */
#define FAKE_PAGE 16384

/* A run of mmap_cat FILE [OFFSET [LENGTH]] on a file the grader made. */
struct cat_run {
	struct trial t;
	const char *file;		/* FILE, in t.dir */
	const char *data;		/* its bytes */
	size_t size;
	size_t offset;			/* 0 when not given */
	size_t length;			/* SIZE_MAX when not given */
};

/* "pitfall N, 「the document's line」 (its English)". */
const char *pitfall_quote(int n);
/* A failed c's hint, with pitfall n's line after it; true if c passed. */
bool with_quote(struct check *c, int n);

/* Exit 0 and exactly the range's bytes on stdout; a failure names the
 * pitfall the calls show (an open for writing, an mmap offset off a page, a
 * 0-length mmap, a munmap off the mapping, SIGBUS) or what the bytes show
 * (cut at a NUL, zeros past the end, printed from the page's start). */
bool judge_cat_output(struct check *c, const struct cat_run *r, long page);
/* FILE opened O_RDONLY, every mapping without PROT_WRITE (pitfalls 1, 2). */
bool judge_read_only(struct check *c, const struct cat_run *r);
/* Output right, and mmap's offset a multiple of FAKE_PAGE, the page size the
 * run was told: a literal 4096 gives a multiple of 4096 only. */
bool judge_page_size(struct check *c, const struct cat_run *r);
/* Output right, and the mapping within the pages the range needs. */
bool judge_few_pages(struct check *c, const struct cat_run *r, long page);
/* No mapping reaches a page past the file's last page (pitfall 4). */
bool judge_within_pages(struct check *c, const struct cat_run *r, long page);
/* Refused: a message on stderr, nothing on stdout, exit 1. */
bool judge_cat_refused(struct check *c, const struct cat_run *r);
/* Fails c, with a hint of MAP_FAILED (pitfall 7), when the run in which mmap
 * failed says nothing of mmap on stderr: the program went on with
 * (void *)-1.  True if it did. */
bool map_failed_hint(struct check *c, const struct trial *t);
/* munmap of mmap's address, not of the pointer to OFFSET (pitfall 5). */
bool judge_munmap_base(struct check *c, const struct cat_run *r);

#endif
