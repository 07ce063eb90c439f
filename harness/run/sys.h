/*
 * sys.h: the grader's wrappers around calls that must not fail (CS:APP's
 * csapp.c style).  A failure here is the grader's own, not the student's: it
 * prints "grade: WHAT: reason" and exits 2, as SPEC §2 asks.
 */
#ifndef SYS_H
#define SYS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#define EXIT_GRADER 2	/* the grader could not grade: not the student's fault */

/* A macro's value as a string literal: XSTR(40) is "40". */
#define STR(x) #x
#define XSTR(x) STR(x)

__attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...);
__attribute__((noreturn, format(printf, 1, 2))) void die_errno(const char *fmt, ...);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
__attribute__((format(printf, 1, 2))) char *xasprintf(const char *fmt, ...);

/* After a fork (or vfork, clone) failed: whether to try again, having
 * waited a little.  Yes for EAGAIN, for 30 s at most (*tries counts, from
 * 0): the uid has all the processes its limit allows, and under a shared
 * uid they may be another run's, a fork bomb's, which go within its time
 * limit. */
bool fork_again(int *tries);
/* fork(), patient as fork_again() says; -1 with errno as fork's. */
pid_t xfork(void);

/* A fresh private (0700) directory PARENT/PREFIX.XXXXXX; a NULL parent
 * means $TMPDIR, or /tmp. */
char *make_temp_dir(const char *parent, const char *prefix);

/* Removes a tree without following any symbolic link in it; 0 or -1. */
int remove_tree(const char *path);

/* Reads at most max bytes of a regular file, never through a symbolic link;
 * NULL with errno set on failure.  *len gets the size read. */
char *read_file(const char *path, size_t max, size_t *len);

/* Writes data to path atomically and durably: a temporary file beside it,
 * fsync, then rename.  For results that must survive a crash. */
int write_file_atomic(const char *path, const char *data, size_t len);
/* Creates path (it must not exist, nor be a link) holding data: for scratch
 * files read back in the same grading, where an fsync would only cost. */
int write_file(const char *path, const char *data, size_t len);

/* Copies the regular file NAME of from_dir into to_dir (which must not hold
 * it yet), never through a link; refuses (EFBIG) a file over max bytes. */
int copy_file(int from_dir, const char *name, int to_dir, size_t max);

#endif
