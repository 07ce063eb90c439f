/*
 * progress.h: the clock of a class run and what it shows while it runs.
 */
#ifndef CLASS_PROGRESS_H
#define CLASS_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "class/state.h"

double now(void);			/* seconds, monotonic */
void duration(char *buf, size_t size, double sec);	/* "42s", "3m05s" */
/* The bar on a terminal, at most 5 times a second unless forced. */
void draw_bar(struct class *c, bool force);
/* A line of its own, above the bar on a terminal. */
__attribute__((format(printf, 2, 3))) void say(struct class *c, const char *fmt, ...);

#endif
