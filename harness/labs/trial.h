/*
 * trial.h: one run of a student's program, as a lab's checks see it, and the
 * judgments every lab makes of runs (exit cleanly, print exactly this, refuse
 * that).  Each failed judgment fills in its check: expected, seen, and a hint
 * that names the likely mistake in terms of the mapping.
 */
#ifndef TRIAL_H
#define TRIAL_H

#include <stdbool.h>
#include <stddef.h>

#include "audit/log.h"
#include "report/result.h"
#include "run/run.h"

/* What runs left behind, added up over a lab: processes still running when
 * the program ended, and what the sandbox's sweep removed. */
struct leftovers {
	int processes, shm_files, ipc_objects, tmp_files;
	char *first;			/* the command line of the first run that left any */
	/* Programs that ran out of time: after two strikes a program is not
	 * run again in this grading (each run would cost the whole limit). */
	char slow[8][64];
	int strikes[8];
};

struct grader {
	const char *workdir;		/* private to this grading: trial dirs go here */
	const char *bindir;		/* programs at bindir/LAB/PROG */
	struct run_limits limits;
	unsigned seed;			/* random values derive from it */
	const struct sandbox *sandbox;	/* every program runs in it */
	const char *audit_lib;		/* preloaded into every program run */
	struct leftovers *left;		/* every run adds to it */
	struct uid_pool *uids;		/* lent to trial_start's workers */
	bool in_memory;			/* workdir is a tmpfs: each trial dir one of its own */
};

struct trial {
	char *dir;			/* fresh private working directory */
	bool own_fs;			/* dir is a tmpfs of its own (sandbox_run_folder) */
	bool folder_full;		/* the run left no room in it */
	char *cmdline;			/* "fork_share -p 4821 77", for the report */
	struct run_result res;
	bool ran;
	struct audit_log audit;		/* the calls it made; audit.n == 0: none seen */
	pid_t worker;			/* trial_start: the process running it */
	uid_t worker_uid;		/* lent to it by g->uids */
	int *strikes;			/* its program's time-outs in this lab */
};

/* A fresh directory for a run; files a check needs can be put there first. */
void trial_init(const struct grader *g, struct trial *t);
/* Runs LAB's PROG with args (NULL-terminated) in t->dir; again, another
 * program in the same folder (what the last run left is there). */
void trial_exec(const struct grader *g, struct trial *t, const char *lab,
		const char *prog, const char *const *args);
/* The same, with "K=V" environment added for the program (NULL-ended):
 * fault and delay injection (harness/audit/README.md). */
void trial_exec_env(const struct grader *g, struct trial *t, const char *lab,
		    const char *prog, const char *const *args, const char *const *env);
/* The same, in a worker process of its own (and its own uid, as root), so
 * that a slow run goes on beside the others; trial_finish() waits for it,
 * and must before trial_free().  A lab that starts its runs together pays
 * for a program that sleeps or hangs once, not once a run. */
void trial_start(const struct grader *g, struct trial *t, const char *lab,
		 const char *prog, const char *const *args, const char *const *env);
void trial_finish(const struct grader *g, struct trial *t);

/* Fails c if the runs since the last call left anything behind; resets it. */
bool judge_nothing_left(struct check *c, struct leftovers *left);
/* Hands t over to *keep (the caller judges its calls later and frees it),
 * or frees it when keep is NULL. */
void trial_keep(struct trial *t, struct trial *keep);
/* Removes the directory and frees everything. */
void trial_free(struct trial *t);

/* A random number in [lo, hi] from the grader's seeded generator. */
unsigned rand_between(unsigned *state, unsigned lo, unsigned hi);
/* A random lower-case word of len letters into buf (len+1 bytes). */
void rand_word(unsigned *state, char *buf, size_t len);

/* Fails c unless the run exited 0; the failure says how it ended instead. */
bool judge_clean_exit(struct check *c, const struct trial *t);
/* Fails c unless stdout is exactly `expected` (after a clean exit); the
 * seen lines are marked ok / WRONG / MISSING / EXTRA.  hint may be NULL. */
bool judge_output(struct check *c, const struct trial *t, const char *expected,
		  const char *hint);
/* Fails c unless the program refused: a message on stderr, nothing on stdout,
 * exit 1 or 2 (exactly 2 and a usage line when usage is true), no signal. */
bool judge_refused(struct check *c, const struct trial *t, bool usage);

/* Runs of a program that must each be refused, started together. */
#define MAX_REFUSALS 4
struct refusals {
	struct trial t[MAX_REFUSALS];
	size_t n;
	bool usage;			/* refused as bad usage: exit 2, a usage line */
};
/* Starts LAB's PROG once per argument list in runs (NULL-terminated, at most
 * MAX_REFUSALS), each in a fresh directory and a worker of its own. */
void refusals_start(const struct grader *g, struct refusals *r, const char *lab,
		    const char *prog, bool usage, const char *const *const *runs);
/* Waits for them and fails c at the first that is not refused (judge_refused);
 * c NULL: only waits and frees them (a check failed already). */
void judge_refusals(const struct grader *g, struct check *c, struct refusals *r);
/* Fails c unless t->dir holds exactly the names given (NULL-terminated). */
bool judge_dir_holds(struct check *c, const struct trial *t, const char *const *names);

/* Student output shown in a report: made printable, at most 2 KiB. */
char *show_output(const struct run_stream *s);

#endif
