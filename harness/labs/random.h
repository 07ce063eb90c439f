/*
 * random.h: seeded random values for a lab's runs (random.c).
 */
#ifndef RANDOM_H
#define RANDOM_H

#include <stddef.h>

/* A random number in [lo, hi] from the grader's seeded generator. */
unsigned rand_between(unsigned *state, unsigned lo, unsigned hi);
/* A random lower-case word of len letters into buf (len+1 bytes). */
void rand_word(unsigned *state, char *buf, size_t len);

#endif
