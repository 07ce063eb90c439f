/*
 * records.h: the files of RESULTS_DIR and the students' records
 * (students/ID.json), written by the workers and kept across runs.
 */
#ifndef CLASS_RECORDS_H
#define CLASS_RECORDS_H

#include <jansson.h>
#include <stdbool.h>

#include "class/state.h"
#include "report/result.h"

/* The extension of a format's per-student report; NULL for json. */
const char *format_ext(const char *name);
/* students/ID<suffix> */
char *student_file(const struct class *c, const struct student *s, const char *suffix);
void write_or_die(const char *path, const char *text);	/* atomically */
/* Leftovers of a run that was killed; ours: dir is all the grader's. */
void remove_leftovers(const char *dir, bool ours);

/* The student's record, NULL if there is none or it is not one. */
json_t *load_record(const struct class *c, const struct student *s);
/* Was this record made from these very sources, seed, labs and grader? */
bool record_current(const struct class *c, const struct student *s, json_t *rec);
/* The first lab of the record that did not compile, or NULL. */
const char *record_build_failure(json_t *rec);
int record_int(json_t *obj, const char *key);
json_t *record_lab(json_t *rec, const char *id);	/* labs[] entry, or NULL */
void write_record(const struct class *c, const struct student *s, const struct report *r);

/* Sets c->seed (--seed, else the last run's) and writes class.json. */
void class_seed(struct class *c);

#endif
