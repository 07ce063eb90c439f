/*
 * leads.h: pairs of students whose code for a lab is alike (leads for a
 * person to look at), and the files that show them: similarity.csv,
 * similarity.json and the section of summary.txt.
 */
#ifndef CLASS_LEADS_H
#define CLASS_LEADS_H

#include <stdbool.h>
#include <stddef.h>

#include "class/simstore.h"
#include "class/sources.h"

#define LEADS_JSON_MAX 100	/* pairs in similarity.json (the closest); the CSV has all */
#define LEADS_SUMMARY_MAX 10	/* pairs in summary.txt */

struct member {
	char *name;		/* the student's id; "FOLDER/ID" for one of --similar-to */
	struct lab_text text;
	bool old;
};

struct lead {
	const char *lab;
	const struct member *a, *b;
	unsigned percent;	/* of the two students' own code (tokens) in matches */
	size_t shared_lines;	/* lines of code in the matches, the larger of a's and b's */
	const struct sim_pair *pair;	/* NULL: the same own code */
	bool swapped;		/* pair->x is b's text */
};

/* Lines of own code of t inside the matches (their a side, or b side). */
size_t covered_lines(const struct lab_text *t, const struct sim_pair *p, bool side_b);
/* Closest first: percent, then shared lines, then lab and names. */
void sort_leads(struct lead *l, size_t n);
/* RESULTS_DIR/similarity.csv and similarity.json, atomically. */
void write_leads(const char *out, const struct lead *l, size_t n);
/* The closest leads, as lines of summary.txt. */
char *leads_summary(const struct lead *l, size_t n, unsigned threshold);

#endif
