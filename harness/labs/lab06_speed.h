/*
 * lab06_speed.h: lab 06's speed score, measured the way CS:APP's malloc lab
 * scores throughput: the student's program and the grader's reference
 * program of the same kind run alternately on the same cached file, and the
 * median of the paired ratios of their CPU times gives the points.  A ratio
 * measured side by side is the same on a busy machine as on an idle one.
 */
#ifndef LAB06_SPEED_H
#define LAB06_SPEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "labs/trial.h"

#define LAB06 "06-read-vs-mmap"
#define SPEED_MIB 64		/* SPEC: a cached file of 64 MiB or more */
#define SPEED_PAIRS 3		/* reference, program; three times */
#define SPEED_FULL 0.8		/* full points at 0.8 of the reference's speed */
#define SPEED_SURE 0.9		/* two pairs both above: full points, no third */
#define SPEED_EDGE 0.05		/* a median this near a point's edge: */
#define SPEED_PAIRS_MAX 5	/* ... two more pairs */

/* FNV-1a 64 of len more bytes, continuing h (lab06_reference.c). */
uint64_t fnv1a64(uint64_t h, const void *data, size_t len);

/* The reference program and the file both kinds are timed on. */
struct speed_bench {
	char *file;			/* absolute; readable by every run */
	char *want;			/* the line a right answer is */
};

/* Builds the reference program from the source the grader carries and
 * writes the 64 MiB file of random bytes; once per grading of lab 06. */
void speed_setup(const struct grader *g, struct speed_bench *b, unsigned *rnd);
void speed_free(struct speed_bench *b);

/* Adds prog's speed check (id, points at most) to lab: prog against "sum_ref
 * MODE" (read or mmap), only when its answers were right; limit says what
 * its traced calls show limits it. */
void judge_speed(const struct grader *g, struct lab_result *lab, struct speed_bench *b,
		 const char *id, const char *prog, const char *mode, int points, bool right,
		 const char *limit);

#endif
