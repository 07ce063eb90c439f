/*
 * judges.h: the judge functions a lab's table of checks names (judges.c).
 * Each applies one judgment of judge.h or audit/checks.h to
 * every run the check names, in plan order, and stops at the first that
 * fails; the check's command line is then that run's.
 */
#ifndef JUDGES_H
#define JUDGES_H

#include "labs/engine.h"

judge_fn judge_exits_clean;	/* exit 0 */
judge_fn judge_refuses;		/* a message on stderr, nothing on stdout, exit 1 or 2 */
judge_fn judge_refuses_usage;	/* exit 2 and a usage line */
judge_fn judge_leaves_folder_empty;	/* exit 0, nothing left in the run's folder */
/* Every mapping of the main process: */
judge_fn judge_maps_file_shared;	/* a regular file, MAP_SHARED, PROT_READ|PROT_WRITE */
judge_fn judge_maps_file_private;	/* a regular file, MAP_PRIVATE, PROT_READ|PROT_WRITE */
judge_fn judge_maps_file_for_writing;	/* a regular file, MAP_SHARED, PROT_WRITE */
judge_fn judge_maps_file_for_reading;	/* a regular file, PROT_READ */
judge_fn judge_maps_anonymous;	/* MAP_SHARED|MAP_ANONYMOUS, fd -1, PROT_READ|PROT_WRITE */
judge_fn judge_maps_dev_zero;	/* /dev/zero, MAP_SHARED, PROT_READ|PROT_WRITE */
judge_fn judge_closes_after_mmap;	/* the descriptor closed after mmap, before fork */
judge_fn judge_unmaps_exactly;	/* munmap of what mmap returned and was given */
judge_fn judge_flushes_stdout;	/* nothing in stdout's buffer at fork, nor lost at _exit */

/* The check's command line becomes r's: the run it blames. */
void blame(struct check *c, const struct lab_run *r);

#endif
