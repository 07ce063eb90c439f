/*
 * class.h: grade a whole class (bin/grade --class DIR): one worker process per
 * student, up to `jobs` at a time, each result written as soon as it is done.
 */
#ifndef CLASS_H
#define CLASS_H

#include <stdbool.h>
#include <stddef.h>

#include "labs/labs.h"
#include "report/report.h"

struct class_options {
	const char *dir;		/* one submission folder per student; its name is the id */
	const char *out;		/* RESULTS_DIR */
	unsigned jobs;			/* workers at a time; 0: one per core */
	bool regrade;			/* grade again students whose sources did not change */
	const struct lab *const *labs;
	size_t nlabs;
	unsigned seed;			/* the class's seed, when seed_given */
	bool seed_given;
	const struct reporter *reporter;	/* each student's report, besides the JSON */
	bool similarity;		/* compare the students' sources (similarity.c) */
	unsigned similarity_threshold;	/* percent of own code shared that makes a lead */
	const char *similar_to;		/* an earlier class to compare with, or NULL */
};

/* Percent of a pair's own code in a lab found in both: correct solutions
 * written apart shared at most 53 when this was chosen (README.md). */
#define SIMILARITY_THRESHOLD 60

/* Grades the class into o->out: students/ID.json (and ID.EXT in the chosen
 * format) per student, then grades.csv, summary.txt and histogram.svg/.png,
 * and similarity.csv and similarity.json.
 * Returns the exit status: 0 every student graded; 2 some student could not
 * be graded, or the run was interrupted (finished results are kept). */
int class_main(const struct class_options *o);

#endif
