/*
 * roster.c: the students of a class folder, one per sub-folder, each with
 * the folder to grade, the hash of its sources and its seed.
 */
#define _GNU_SOURCE
#include "class/roster.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "class/hash.h"
#include "run/sys.h"

static bool has_a_lab(const struct class *c, const char *sub)
{
	for (size_t i = 0; i < c->o->nlabs; i++) {
		char *p = xasprintf("%s/%s", sub, c->o->labs[i]->id);
		struct stat st;
		bool dir = stat(p, &st) == 0 && S_ISDIR(st.st_mode);
		free(p);
		if (dir)
			return true;
	}
	return false;
}

static int cmp_student(const void *a, const void *b)
{
	return strcmp(((const struct student *)a)->id, ((const struct student *)b)->id);
}

/* One student per folder of DIR (links to folders too: DIR is the
 * instructor's), but not RESULTS_DIR if it is inside DIR. */
void list_students(struct class *c)
{
	DIR *d = opendir(c->o->dir);
	struct stat out, st;
	struct dirent *e;

	if (d == NULL)
		die_errno("cannot open the class folder %s", c->o->dir);
	if (stat(c->o->out, &out) == -1)
		die_errno("%s", c->o->out);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || fstatat(dirfd(d), e->d_name, &st, 0) == -1 ||
		    !S_ISDIR(st.st_mode) || (st.st_dev == out.st_dev && st.st_ino == out.st_ino))
			continue;
		/* The id names files and CSV rows: printable UTF-8 on one line. */
		char *shown = show_bytes(e->d_name, strlen(e->d_name), 256);
		bool usable = strcmp(shown, e->d_name) == 0 && strpbrk(e->d_name, "\t\n") == NULL;
		free(shown);
		if (!usable) {
			fprintf(stderr, "grade: skipped a folder of %s whose name is not printable "
				"UTF-8 text\n", c->o->dir);
			continue;
		}
		c->s = xrealloc(c->s, (c->n + 1) * sizeof(*c->s));
		struct student *s = &c->s[c->n++];
		memset(s, 0, sizeof(*s));
		s->id = xstrdup(e->d_name);
	}
	closedir(d);
	if (c->n > 1)
		qsort(c->s, c->n, sizeof(*c->s), cmp_student);
	for (size_t i = 0; i < c->n; i++) {
		struct student *s = &c->s[i];
		/* A whole clone of the project (GitHub Classroom): its labs/. */
		s->sub = xasprintf("%s/%s", c->o->dir, s->id);
		char *labs = xasprintf("%s/labs", s->sub);
		if (!has_a_lab(c, s->sub) && has_a_lab(c, labs)) {
			free(s->sub);
			s->sub = labs;
		} else {
			free(labs);
		}
		s->hash = source_hash(c, s->sub);
		s->seed = student_seed(c->seed, s->id);
	}
}
