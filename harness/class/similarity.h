/*
 * similarity.h: class mode's comparison of the students' sources, lab by
 * lab, with sim_c (README.md, "Grading a whole class").
 */
#ifndef CLASS_SIMILARITY_H
#define CLASS_SIMILARITY_H

#include <signal.h>
#include <stdbool.h>

#include "class/state.h"

struct similarity {
	char *summary;		/* its section of summary.txt */
	char *said;		/* the line printed at the end */
};

/* Compares every pair of students of c (and each of them with every student
 * of --similar-to), writes RESULTS_DIR/similarity.csv and similarity.json
 * and keeps its cache there.  Its copies go under c->tmp.  False if one of
 * `signals` (blocked by the caller) stopped it: c->stopping is then set. */
bool compare_class(struct class *c, const sigset_t *signals, struct similarity *out);
void similarity_free(struct similarity *s);

/* Dies with a clear message if --similar-to cannot be compared with: before
 * the class is graded, not after. */
void similar_to_check(const struct class_options *o);

#endif
