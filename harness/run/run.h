/*
 * run.h: run one program under limits and capture what it does.
 *
 * The run layer knows nothing of labs.  Every run gets stdin from /dev/null,
 * stdout and stderr through separate pipes read while it runs, a whitelisted
 * environment, no inherited descriptors, its own session and process group,
 * wall-clock and CPU limits, rlimits on processes, file size, address space,
 * open files, core dumps (0) and locked memory (0).  The calling process is a
 * child subreaper, so descendants that escape the group (setsid, double fork)
 * come back to it and are killed and reaped before run_program() returns.
 *
 * One run at a time per process: run_program() reaps every child of the
 * calling process, so run in parallel by forking workers.
 */
#ifndef RUN_H
#define RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "run/sandbox.h"

struct run_limits {
	double wall_sec;	/* whole run, from fork to the last process gone */
	double cpu_sec;		/* RLIMIT_CPU, soft; the hard limit is one second more */
	size_t keep_bytes;	/* bytes of each stream kept in the result */
	size_t kill_bytes;	/* stdout+stderr past this: killed, RUN_OUTPUT_LIMIT */
	rlim_t nproc;		/* processes beyond those the uid already has */
	rlim_t fsize;		/* RLIMIT_FSIZE, bytes */
	rlim_t as;		/* RLIMIT_AS, bytes */
	rlim_t nofile;		/* RLIMIT_NOFILE */
};

/* Limits for a lab program: generous for the labs, tight for a runaway. */
extern const struct run_limits run_default_limits;

struct run_spec {
	const char *path;		/* what is executed; NULL: argv[0] */
	const char *const *argv;	/* argv[0] is what the program sees as its name */
	const char *const *env;		/* "K=V" added to the base environment; NULL-ended, may be NULL */
	const char *dir;		/* working directory (must exist) */
	struct run_limits limits;
	const struct sandbox *sandbox;	/* NULL: rlimits, session and subreaper only */
	const char *const *binds;	/* bwrap: paths seen besides dir ("-path": read-only) */
};

enum run_end {
	RUN_EXITED,		/* exit status in code */
	RUN_SIGNALED,		/* killed by signal sig (not by us) */
	RUN_TIMEOUT,		/* wall-clock limit: we killed it */
	RUN_OUTPUT_LIMIT,	/* more than kill_bytes of output: we killed it */
	RUN_NOT_STARTED,	/* exec failed; error says why */
	RUN_INTERRUPTED,	/* run_interrupt() was called: we killed it */
	RUN_SKIPPED,		/* not run at all: error says why (the caller's choice) */
};

struct run_stream {
	char *data;		/* first len bytes, NUL-terminated for convenience */
	size_t len;		/* bytes kept (<= keep_bytes) */
	size_t total;		/* bytes the program wrote to the stream */
};

struct run_result {
	enum run_end end;
	int code;		/* RUN_EXITED: exit status */
	int sig;		/* RUN_SIGNALED: the signal */
	double wall_sec, cpu_sec;	/* cpu: user+system of the reaped processes */
	struct run_stream out, err;
	int leftover;		/* processes still alive after the main one ended, killed */
	struct sandbox_sweep swept;	/* what the sandbox's sweep removed after the run */
	char error[256];	/* RUN_NOT_STARTED: the reason */
};

/* Once per process before the first run: become a child subreaper. */
void run_init(void);

/* Marks a child of the caller that is not a run (a worker running a trial
 * beside the others), so that run_program() neither kills nor reaps it. */
void run_protect(pid_t pid, bool on);

/* bin/grade --run-shim FD PROG ARG...: inside bwrap, runs PROG and writes its
 * wait status to FD, since bwrap itself turns a signal into exit 128+N. */
int run_shim(char *argv[]);

/* Runs spec; fills res (free with run_result_free).  Returns 0, or -1 with
 * res->error set when the grader itself could not run it (pipe, fork...). */
int run_program(const struct run_spec *spec, struct run_result *res);

void run_result_free(struct run_result *res);

/* From a signal handler: the run under way is killed, and every later
 * run_program() ends at once as RUN_INTERRUPTED. */
void run_interrupt(void);
bool run_interrupted(void);

/* "exit 0", "killed by SIGBUS", "time limit (2.0 s)": one short phrase. */
const char *run_describe(const struct run_result *res, char *buf, size_t size);

#endif
