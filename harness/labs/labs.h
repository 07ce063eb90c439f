/*
 * labs.h: the table of labs.  Adding a lab = one file of checks (labNN_*.c)
 * defining a `struct lab`, plus one line in labs.c.
 */
#ifndef LABS_H
#define LABS_H

#include "labs/engine.h"
#include "report/result.h"

struct lab {
	const char *id;			/* its folder name: "02-fork-sharing" */
	const char *const *programs;	/* each built from PROG.c in the folder */
	/* Its runs, with random values drawn from seed. */
	void (*plan)(struct lab_plan *p, unsigned seed);
	const struct lab_check *checks;	/* its table, in report order, ended by { 0 } */
	/* NULL, or then, with every run finished: checks the table cannot make
	 * (lab 06 times its programs one run at a time, after the others). */
	void (*after)(const struct grader *g, struct lab_result *result, struct lab_run *const *runs,
		      size_t n);
};

extern const struct lab *const lab_table[];	/* NULL-terminated, in order */

/* "01", "01-file-mapping" or "file-mapping"; NULL if no lab is called so. */
const struct lab *lab_find(const char *name);

#endif
