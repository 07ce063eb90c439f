/*
 * judge.h: the judgments every lab makes of a run (judge.c): exit cleanly,
 * print exactly this, refuse that, leave nothing behind.  Each failed
 * judgment fills in its check: expected, seen, and a hint that names the
 * likely mistake in terms of the mapping.
 */
#ifndef JUDGE_H
#define JUDGE_H

#include <stdbool.h>

#include "labs/trial.h"
#include "report/result.h"

/* Fails c if the runs since the last call left anything behind; resets it. */
bool judge_nothing_left(struct check *c, struct leftovers *left);

/* Fails c unless the run exited 0; the failure says how it ended instead. */
bool judge_clean_exit(struct check *c, const struct trial *t);
/* Fails c unless stdout is exactly `expected` (after a clean exit); the
 * seen lines are marked ok / WRONG / MISSING / EXTRA.  hint may be NULL. */
bool judge_output(struct check *c, const struct trial *t, const char *expected,
		  const char *hint);
/* Fails c unless the program refused: a message on stderr, nothing on stdout,
 * exit 1 or 2 (exactly 2 and a usage line when usage is true), no signal. */
bool judge_refused(struct check *c, const struct trial *t, bool usage);
/* Fails c unless t->dir holds exactly the names given (NULL-terminated). */
bool judge_dir_holds(struct check *c, const struct trial *t, const char *const *names);

/* A line of out within a few characters of a line of expected that out
 * lacks: the two shown one above the other, the first difference marked,
 * into buf; false when there is none. */
bool near_miss(const char *out, const char *expected, char *buf, size_t size);

/* Student output shown in a report: made printable, at most 2 KiB. */
char *show_output(const struct run_stream *s);

#endif
