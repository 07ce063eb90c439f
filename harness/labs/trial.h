/*
 * trial.h: one run of a student's program, as a lab's checks see it (trial.c):
 * a private folder, the run's result and the calls the audit library saw,
 * run here or in a worker of its own beside the lab's other runs.
 */
#ifndef TRIAL_H
#define TRIAL_H

#include <stdbool.h>
#include <stddef.h>

#include "audit/checks.h"
#include "audit/log.h"
#include "labs/random.h"
#include "report/result.h"
#include "run/run.h"

/* What runs left behind, added up over a lab: processes still running when
 * the program ended, and what the sandbox's sweep removed. */
struct leftovers {
	int processes, shm_files, ipc_objects, tmp_files;
	char *first;			/* the command line of the first run that left any */
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

/* A program run by a trial, with its arguments (NULL-ended). */
struct trial_step {
	const char *prog;
	const char *const *args;
};

struct trial {
	char *dir;			/* fresh private working directory */
	bool own_fs;			/* dir is a tmpfs of its own (sandbox_run_folder) */
	bool folder_full;		/* the run left no room in it */
	char *cmdline;			/* "fork_share -p 4821 77", for the report */
	struct run_result res;		/* of the last step run */
	int step;			/* which step res is of: the first that did not exit 0 */
	bool ran;
	struct audit_log audit;		/* the calls it made; audit.n == 0: none seen */
	pid_t worker;			/* trial_start: the process running it */
	uid_t worker_uid;		/* lent to it by g->uids */
	const struct trial_step *steps;	/* the caller's, kept until trial_finish() */
};

/* A fresh directory for a run; files a check needs can be put there first. */
void trial_init(const struct grader *g, struct trial *t);
/* Runs LAB's steps[0..n) in turn in t->dir while each exits 0 (what one
 * leaves in the folder is there for the next), with "K=V" environment env
 * added (NULL-ended: fault and delay injection, harness/audit/README.md).
 * In a worker process of its own (and its own uid, as root), so that a slow
 * run goes on beside the others; trial_finish() waits for it, and must
 * before trial_free().  A lab whose runs go on together pays for a program
 * that sleeps or hangs once, not once a run. */
void trial_start(const struct grader *g, struct trial *t, const char *lab,
		 const struct trial_step *steps, size_t n, const char *const *env);
void trial_finish(const struct grader *g, struct trial *t);
/* Removes the directory and frees everything. */
void trial_free(struct trial *t);

/* "prog arg ...", each argument as a shell would need it typed. */
char *trial_cmdline(const char *prog, const char *const *args);
/* The run as the audit judgments see it (audit/checks.h). */
struct audited_run trial_audited(const struct trial *t);

#endif
