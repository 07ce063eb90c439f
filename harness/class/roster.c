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
#include "lang/lang.h"
#include "run/sys.h"

static bool has_a_lab(const struct lab *const *labs, size_t nlabs, const char *sub)
{
	for (size_t i = 0; i < nlabs; i++) {
		char *p = xasprintf("%s/%s", sub, labs[i]->id);
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
struct student *read_roster(const char *dir, const char *out, const struct lab *const *labs,
			    size_t nlabs, size_t *count)
{
	DIR *d = opendir(dir);
	struct stat skip, st;
	struct dirent *e;
	struct student *list = NULL;
	size_t n = 0;

	if (d == NULL)
		die_errno(_("cannot open the class folder %s"), dir);
	if (stat(out, &skip) == -1)
		die_errno("%s", out);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || fstatat(dirfd(d), e->d_name, &st, 0) == -1 ||
		    !S_ISDIR(st.st_mode) || (st.st_dev == skip.st_dev && st.st_ino == skip.st_ino))
			continue;
		/* The id names files and CSV rows: printable UTF-8 on one line. */
		char *shown = show_bytes(e->d_name, strlen(e->d_name), 256);
		bool usable = strcmp(shown, e->d_name) == 0 && strpbrk(e->d_name, "\t\n") == NULL;
		free(shown);
		if (!usable) {
			fprintf(stderr, _("grade: skipped a folder of %s whose name is not printable "
				"UTF-8 text\n"), dir);
			continue;
		}
		list = xrealloc(list, (n + 1) * sizeof(*list));
		struct student *s = &list[n++];
		memset(s, 0, sizeof(*s));
		s->id = xstrdup(e->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(list, n, sizeof(*list), cmp_student);
	for (size_t i = 0; i < n; i++) {
		struct student *s = &list[i];
		/* A whole clone of the project (GitHub Classroom): its labs/. */
		s->sub = xasprintf("%s/%s", dir, s->id);
		char *in_labs = xasprintf("%s/labs", s->sub);
		if (!has_a_lab(labs, nlabs, s->sub) && has_a_lab(labs, nlabs, in_labs)) {
			free(s->sub);
			s->sub = in_labs;
			s->in_labs = true;
		} else {
			free(in_labs);
		}
	}
	*count = n;
	return list;
}

void list_students(struct class *c)
{
	c->s = read_roster(c->o->dir, c->o->out, c->o->labs, c->o->nlabs, &c->n);
	for (size_t i = 0; i < c->n; i++) {
		c->s[i].hash = source_hash(c, c->s[i].sub);
		c->s[i].seed = student_seed(c->seed, c->s[i].id);
	}
}
