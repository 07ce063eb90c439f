/*
 * grades_csv.c: RESULTS_DIR/grades.csv, one row per student, and the
 * quoting of a CSV field.
 */
#define _GNU_SOURCE
#include "class/grades_csv.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "class/records.h"
#include "run/sys.h"

void csv_field(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL && s[0] != ' ' && s[strlen(s) - 1] != ' ') {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}


/* One row per student, graded or not: id, total, one column per lab. */
char *grades_csv(const struct class *c)
{
	char *text;
	size_t size;
	FILE *f = open_memstream(&text, &size);

	if (f == NULL)
		die_errno("open_memstream");
	fputs("id,total", f);
	for (size_t i = 0; i < c->o->nlabs; i++)
		fprintf(f, ",%s", c->o->labs[i]->id);
	fputc('\n', f);
	for (size_t i = 0; i < c->n; i++) {
		json_t *rec = c->s[i].record;
		csv_field(f, c->s[i].id);
		fputc(',', f);
		if (rec != NULL)
			fprintf(f, "%d", record_int(rec, "score"));
		for (size_t j = 0; j < c->o->nlabs; j++) {
			json_t *lab = record_lab(rec, c->o->labs[j]->id);
			fputc(',', f);
			if (lab != NULL)
				fprintf(f, "%d", record_int(lab, "score"));
		}
		fputc('\n', f);
	}
	if (fclose(f) != 0)
		die("out of memory");
	return text;
}
