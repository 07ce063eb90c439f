/*
 * roster.h: the students of a class folder.
 */
#ifndef CLASS_ROSTER_H
#define CLASS_ROSTER_H

#include <stddef.h>

#include "class/state.h"
#include "labs/labs.h"

/* The students of dir (skipping the folder out), sorted by id, each with
 * the folder to grade (sub, in_labs); not hashed. */
struct student *read_roster(const char *dir, const char *out, const struct lab *const *labs,
			    size_t nlabs, size_t *count);
/* Fills c->s and c->n from c->o->dir, sorted by id. */
void list_students(struct class *c);

#endif
