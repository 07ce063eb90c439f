/*
 * report.h: reporters turn the result model into text for a person or a
 * platform.  They only read the model.  Adding a format = one file with a
 * render function + one line in report.c.
 */
#ifndef REPORT_H
#define REPORT_H

#include <jansson.h>
#include <stdbool.h>

#include "report/result.h"

struct reporter {
	const char *name;			/* --format NAME */
	char *(*render)(const struct report *r, bool colour);	/* malloc'd text */
};

/* The reporter called name, or NULL. */
const struct reporter *reporter_find(const char *name);
/* "text|json|...", for usage lines. */
const char *reporter_names(void);

char *report_text(const struct report *r, bool colour);
char *report_json(const struct report *r, bool colour);
char *report_html(const struct report *r, bool colour);
char *report_gradescope(const struct report *r, bool colour);
char *report_junit(const struct report *r, bool colour);
char *report_tap(const struct report *r, bool colour);

/* A failed check's expected, seen and hint as one text (malloc'd), for the
 * formats that give a test a single field of output. */
char *report_check_detail(const struct check *c);

/* root as indented JSON text with a final newline (malloc'd), keys in the
 * order they were set; takes root (NULL: a failed json_pack).  what names it
 * in the error if it cannot be encoded. */
char *report_json_text(json_t *root, const char *what);

#endif
