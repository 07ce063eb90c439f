/*
 * hash.h: hashes that tell a run which records it can keep, and the seeds.
 */
#ifndef CLASS_HASH_H
#define CLASS_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "class/state.h"

/* FNV-1a, 64 bits: enough to notice a change, not a defence. */
#define FNV_START 0xcbf29ce484222325ULL
uint64_t fnv(uint64_t h, const void *data, size_t n);

/* Of every .c and .h of the class's labs in folder sub, hex. */
char *source_hash(const struct class *c, const char *sub);
/* Of this grader binary, hex: a rebuilt grader may grade differently. */
char *grader_hash(void);
/* The student's seed: from the class's and the id, the same on every run. */
unsigned student_seed(unsigned class_seed, const char *id);

#endif
