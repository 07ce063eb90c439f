/*
 * memory_text.h: the memory picture in a text report (SPEC §2): under a lab,
 * one shared run and one private run, both processes' addresses with an
 * arrow to the one frame they share or to the two of copy-on-write.
 */
#ifndef MEMORY_TEXT_H
#define MEMORY_TEXT_H

#include <stdio.h>

#include "report/result.h"

/* Draws lab->memory (nothing when it is empty); dim and off are the colour
 * codes for the figures ("" "" for none). */
void memory_text(FILE *f, const struct lab_result *lab, const char *dim, const char *off);

/* One run's pair of views (child, then parent at child + 1): its sentence,
 * then, when it shows sharing or a copy, the drawing. */
void memory_text_pair(FILE *f, const struct memory_view *child, const char *dim,
		      const char *off);

#endif
