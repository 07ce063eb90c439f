/*
 * result.h: what the grader observed, as data.  Lab checks fill it; reporters
 * only read it.  Every string in it is printable UTF-8: student bytes pass
 * through show_bytes() when they are recorded, so no reporter has to trust them.
 */
#ifndef RESULT_H
#define RESULT_H

#include <stdbool.h>
#include <stddef.h>

struct check {
	char *name;
	int score, max_score;
	bool passed;
	char *expected, *actual, *hint;	/* NULL where there is nothing to say */
};

struct lab_result {
	char *id;			/* the lab's folder name: "02-fork-sharing" */
	int score, max_score;
	struct check **checks;		/* each allocated alone: pointers stay valid */
	size_t nchecks;
	char *build_log;		/* the compiler's messages, NULL if none */
	bool build_failed;
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
