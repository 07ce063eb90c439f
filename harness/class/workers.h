/*
 * workers.h: the scheduler of a class run (one worker process per student).
 */
#ifndef CLASS_WORKERS_H
#define CLASS_WORKERS_H

#include <signal.h>

#include "class/state.h"

/* Grades every student not KEPT, c->jobs at a time, until all are done or
 * the run is stopped by one of `signals` (blocked by the caller). */
void schedule(struct class *c, const sigset_t *signals);

#endif
