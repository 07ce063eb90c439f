/*
 * class_data.h: what the class page shows, read back from RESULTS_DIR
 * (class_data.c): the students in grades.csv's order, each lab's and each
 * check's figures from the students' records, the similarity leads.
 */
#ifndef CLASS_DATA_H
#define CLASS_DATA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct class_lab {
	char *id;
	int max;		/* its points */
	double sum;		/* of the graded students' scores */
	size_t graded;
};

struct class_check {
	char *key;		/* lab and the check's id, or its place in the lab */
	char *lab, *name;
	size_t passed, seen;
	size_t order;		/* first seen: ties keep the lab's order */
};

struct class_student {
	char *id;
	bool graded;		/* it has a record */
	int total;
	int *lab_score;		/* per class_data.labs; -1: none */
	const char *report;	/* "html", "txt": students/ID.<it> exists; NULL */
};

struct class_data {
	const char *dir;
	struct class_lab *labs;
	size_t nlabs;
	struct class_student *students;
	size_t nstudents, graded;
	double sum_total;
	int max_total;
	struct class_check *checks;
	size_t nchecks;
	json_t *similarity;	/* similarity.json's array, or NULL */
};

/* Reads dir; false (said on stderr) only when dir cannot be read at all. */
bool class_data_load(const char *dir, struct class_data *d);
void class_data_free(struct class_data *d);

/* A string member of obj, or "" if there is none. */
const char *class_json_str(json_t *obj, const char *key);

#endif
