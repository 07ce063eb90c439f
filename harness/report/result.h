/*
 * result.h: what the grader observed, as data.  Lab checks fill it; reporters
 * only read it.  Every string in it is printable UTF-8: student bytes pass
 * through show_bytes() when they are recorded, so no reporter has to trust them.
 */
#ifndef RESULT_H
#define RESULT_H

#include <stdbool.h>
#include <stddef.h>

/* One call the audit library saw in the run a check judged: a failed check's
 * timeline (open -> ftruncate -> mmap -> close -> fork ...). */
struct trace_call {
	char *call;			/* "mmap" */
	char *detail;			/* its arguments and result, printable */
	bool failed;			/* it returned an error (injected or not) */
	bool marked;			/* the call the check blames */
};

struct check {
	char *id;			/* stable ASCII, the same in every language: joins results */
	char *name;
	int score, max_score;
	bool passed;
	char *expected, *actual, *hint;	/* NULL where there is nothing to say */
	char *cmdline;			/* the run judged ("fork_share -p 4821 77"), NULL if none */
	struct trace_call *trace;	/* that run's calls, in order */
	size_t ntrace;
	char *missing_call;		/* a call the check expected and never saw, NULL if none */
};

/* The memory picture (SPEC §2): one process's view of the shared mapping at
 * one moment, recorded inside the program by the audit library. */
struct memory_view {
	char *run;			/* "default", "random", "-p" */
	char *process;			/* "parent" or "child" */
	char *moment;			/* "after the child's store", "after wait" */
	unsigned long long address, length;
	bool has_frame;			/* the frame is known (the grader ran as root) */
	unsigned long long frame;	/* physical page frame number */
	unsigned long long pagemap;	/* pagemap entry's flag bits */
	bool shared;			/* MAP_SHARED */
	long private_dirty_kb, shared_dirty_kb;	/* /proc/PID/smaps, for that mapping */
};

struct lab_result {
	char *id;			/* the lab's folder name: "02-fork-sharing" */
	int score, max_score;
	struct check **checks;		/* each allocated alone: pointers stay valid */
	size_t nchecks;
	char *build_log;		/* the compiler's messages, NULL if none */
	bool build_failed;
	struct memory_view *memory;	/* labs whose processes share a mapping */
	size_t nmemory;
};

struct report {
	char *submission;
	int score, max_score;
	struct lab_result *labs;
	size_t nlabs;
	double seconds;			/* wall time of the whole grading */
	unsigned seed;			/* of the random values: --seed replays them */
	char *sandbox;			/* which protections were active */
};

struct lab_result *report_add_lab(struct report *r, const char *id);

/* A check worth max_score points, failed until check_pass() says otherwise. */
struct check *lab_add_check(struct lab_result *lab, int max_score, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void check_pass(struct check *c);
/* Records a failure; expected and actual are copied (NULL allowed). */
void check_fail(struct check *c, const char *expected, const char *actual,
		const char *hint_fmt, ...) __attribute__((format(printf, 4, 5)));

/* Sums the scores of every lab and of the report. */
void report_total(struct report *r);
void report_free(struct report *r);

/* Student bytes made printable: valid UTF-8 and \n, \t kept; other control
 * bytes, NUL and invalid UTF-8 shown as \xNN; longer than max: cut, with a
 * note of how much was cut.  The result is malloc'd. */
char *show_bytes(const char *data, size_t len, size_t max);

#endif
