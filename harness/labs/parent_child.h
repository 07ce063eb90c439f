/*
 * parent_child.h: reading the "child, *p = V[, var = W]" and "parent, ..."
 * lines that labs 02 and 03 print, and naming the mistake behind wrong ones.
 */
#ifndef PARENT_CHILD_H
#define PARENT_CHILD_H

#include <stdbool.h>
#include <stddef.h>

#include "labs/engine.h"
#include "labs/trial.h"

struct pc_line {
	int index;		/* line number, -1 when there is no such line */
	int p, var;
	bool has_var;
};

struct pc_output {
	struct pc_line child, parent;
	bool repeated;		/* some line printed twice */
};

void pc_parse(const char *out, struct pc_output *o);

/* The likely mistake when the lines are not what they should be: the child
 * wrote `value` (and `var`, or -1 for none) through a mapping that is shared
 * when `shared`.  NULL when the numbers and their order are right. */
const char *pc_hint(const struct pc_output *o, int value, int var, bool shared,
		    char *buf, size_t size);

/* Judges a run in which the child wrote value (and var, or -1 for none)
 * through a mapping shared when `shared`: exact output, with the hint that
 * names the likely mistake; a delayed run (the child held back until its parent waits,
 * sleep() skipped) blames the timing when the parent read too early. */
bool judge_parent_child(struct check *c, const struct trial *t, int value, int var, bool shared,
			bool delayed);

/* The environment of a delay run: each child held back after fork until its
 * parent waits (or exits), DELAY_MS at most, and sleep() returning at once.
 * A parent that orders itself after its child with sleep() instead of wait
 * then reads before the child writes, however busy the machine; one that
 * waits loses no time.  The bound only ends the hold of a parent that
 * never waits (one that polls). */
#define DELAY_MS 200
extern const char *const delay_env[];

/* What a run of a parent and child must print: the child wrote value (and
 * var, or -1 for none) through a mapping shared when `shared`; delayed: a
 * delay run (delay_env). */
struct pc_want {
	int value, var;
	bool shared, delayed;
};
struct lab_plan;
struct lab_run;
/* Plans a run of prog with args in which the child writes that. */
struct lab_run *plan_pc_run(struct lab_plan *p, const char *name, const char *prog,
			    const char *const *args, struct pc_want want);
/* judge_fn: each run's lines judged with judge_parent_child(). */
judge_fn judge_pc_lines;
/* judge_fn: every child returned by a wait of its parent's (from the audit
 * log of a run that is not delayed), and in a delay run the parent's read
 * after that wait (it saw what the child wrote). */
judge_fn judge_pc_waits;

#endif
