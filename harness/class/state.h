/*
 * state.h: the state of a class run, shared by its files: each student
 * (folder, hash, seed, where its grading is) and the run's counts.
 */
#ifndef CLASS_STATE_H
#define CLASS_STATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "class/class.h"

enum state { TODO, RUNNING, GRADED, KEPT, FAILED };

struct student {
	char *id;
	char *sub;		/* the folder graded: DIR/ID, or DIR/ID/labs */
	bool in_labs;		/* sub is DIR/ID/labs (a clone of the project) */
	char *hash;		/* of its lab sources, hex */
	unsigned seed;
	enum state state;
	pid_t pid;
	double start;
	json_t *record;		/* students/ID.json, once graded or kept */
};

struct class {
	const struct class_options *o;
	const char *ext;	/* of the per-student report; NULL for json */
	char *students;		/* RESULTS_DIR/students */
	char *tmp;		/* the workers' $TMPDIR, removed at the end */
	char *grader;		/* hash of this grader binary */
	unsigned seed;
	unsigned jobs;
	struct student *s;
	size_t n, next, running, graded, kept, failed, build_failed;
	bool tty, stopping;
	double t0, last_draw, stop_at;
};

#endif
