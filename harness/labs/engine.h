/*
 * engine.h: the lab engine (engine.c).  A lab is a plan of runs and a table
 * of checks.  The engine starts every run of the plan at once, each in a
 * worker of its own, so that a program that sleeps or hangs costs its time
 * once per lab, not once per run; then it adds the checks in the table's
 * order, each judging the runs it names, and frees the runs.
 */
#ifndef ENGINE_H
#define ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "audit/checks.h"
#include "labs/trial.h"
#include "report/result.h"

/* One run of a student's program, as a lab plans it. */
struct lab_run {
	char *name;			/* what checks call it; runs may share a name */
	const char *prog;
	char **args;			/* NULL-ended, owned */
	char *label;			/* a title's %s: the command line unless set */
	const char *const *env;		/* environment added (delay_env), NULL: none */
	const char *fail;		/* a call made to fail on purpose, NULL: none */
	int fail_err;			/* ... with this errno */
	/* Then this program, in the same folder, if the first exited 0. */
	const char *then_prog;
	char **then_args;
	/* Puts files in its folder before it starts; NULL: none. */
	void (*prepare)(const struct lab_run *r, const char *dir);
	void *want;			/* what the lab expects of it: its own struct, freed with free() */
	double cpu_sec, wall_sec;	/* its limits where not 0 (else the grader's) */
	struct trial t;			/* the engine's */
};

#define MAX_RUNS 40
struct lab_plan {
	struct lab_run runs[MAX_RUNS];
	size_t n;
};

/* Adds a run of prog with args (NULL-ended; name and args copied) to the
 * plan; the lab fills in the rest of it. */
struct lab_run *plan_run(struct lab_plan *p, const char *name, const char *prog,
			 const char *const *args);
/* Then prog with args (copied), in r's folder, once r's program exited 0. */
void plan_then(struct lab_run *r, const char *prog, const char *const *args);
/* Sets r's label (a title's %s) from a printf format. */
void run_label(struct lab_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct lab_check;
/* Judges c from runs[0..n), the runs the table names, in plan order. */
typedef bool judge_fn(struct check *c, const struct lab_check *def, struct lab_run *const *runs,
		      size_t n);

/* One row of a lab's table of checks. */
struct lab_check {
	const char *id;			/* stable ASCII: "fork-share.parent-waits" */
	int points;
	const char *title;		/* N_(); "%s" becomes its first run's label */
	const char *clause;		/* the SPEC §1 clause it enforces */
	const char *runs[4];		/* the names of the runs it judges ("no *": every
					 * run whose name begins "no ") */
	judge_fn *judge;
};

struct lab;
/* Plans lab's runs from g->seed, starts them, adds and judges its checks
 * into result, and frees the runs. */
void engine_grade(const struct grader *g, const struct lab *lab, struct lab_result *result);

#endif
