/*
 * simtool.h: one run of the similarity tester (sim_c, Debian's
 * similarity-tester) over copies made by sources.c, and what it found.
 */
#ifndef CLASS_SIMTOOL_H
#define CLASS_SIMTOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define SIM_MIN_RUN 24		/* tokens of the shortest run reported (sim_c's default) */

/* Lines a..b of file fa match lines of file fb, over `tokens` tokens. */
struct sim_match {
	size_t fa, fb;
	size_t from_a, to_a, from_b, to_b;
	size_t tokens;
};

struct sim_job {
	char *dir;		/* its own folder: the copies, the list, the output */
	size_t nnew, nold;	/* files 0..nnew-1 are new, the others old */
	bool old_only;		/* new files against old ones only (sim_c -S) */
	pid_t pid;
	double deadline;
	/* after sim_finish: */
	size_t *tokens;		/* of each file */
	struct sim_match *match;
	size_t nmatch;
	char *error;		/* why it found nothing, or NULL */
};

/* Writes texts[0..nnew+nold) into a new folder under parent and starts
 * sim_c on them, every new file against every later new one and every old
 * one.  Returns 0, or the errno of posix_spawn (ENOENT: not installed). */
int sim_start(struct sim_job *j, const char *parent, const char *const *texts,
	      const size_t *lens, size_t nnew, size_t nold, bool old_only);
/* Reads what the job found once its process ended with status. */
void sim_finish(struct sim_job *j, int status);
/* Kills a job still running, and reaps it. */
void sim_kill(struct sim_job *j);
void sim_free(struct sim_job *j);

#endif
