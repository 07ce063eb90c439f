/*
 * roster.h: the students of a class folder.
 */
#ifndef CLASS_ROSTER_H
#define CLASS_ROSTER_H

#include "class/state.h"

/* Fills c->s and c->n from c->o->dir, sorted by id. */
void list_students(struct class *c);

#endif
