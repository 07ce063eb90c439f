/*
 * class_data.c: the class page's figures, read back from RESULTS_DIR (see
 * class_data.h).  grades.csv gives the students and their order; each
 * record (students/ID.json) the points per lab and every check's verdict;
 * a file that is missing or unreadable leaves its part of the page empty.
 */
#define _GNU_SOURCE
#include "report/class_data.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lang/lang.h"
#include "run/sys.h"

#define CSV_MAX (16 * 1024 * 1024)
#define RECORD_MAX (8 * 1024 * 1024)

const char *class_json_str(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s != NULL ? s : "";
}

static size_t lab_index(struct class_data *d, const char *id)
{
	for (size_t l = 0; l < d->nlabs; l++)
		if (strcmp(d->labs[l].id, id) == 0)
			return l;
	d->labs = xrealloc(d->labs, (d->nlabs + 1) * sizeof(*d->labs));
	d->labs[d->nlabs] = (struct class_lab){ .id = xstrdup(id) };
	for (size_t i = 0; i < d->nstudents; i++) {
		struct class_student *s = &d->students[i];
		s->lab_score = xrealloc(s->lab_score, (d->nlabs + 1) * sizeof(int));
		s->lab_score[d->nlabs] = -1;
	}
	return d->nlabs++;
}

static struct class_student *student(struct class_data *d, const char *id)
{
	for (size_t i = 0; i < d->nstudents; i++)
		if (strcmp(d->students[i].id, id) == 0)
			return &d->students[i];
	d->students = xrealloc(d->students, (d->nstudents + 1) * sizeof(*d->students));
	struct class_student *s = &d->students[d->nstudents++];
	*s = (struct class_student){ .id = xstrdup(id), .lab_score = xmalloc((d->nlabs + 1) * sizeof(int)) };
	for (size_t l = 0; l < d->nlabs; l++)
		s->lab_score[l] = -1;
	return s;
}

/* The next CSV field of *p (RFC 4180 quoting); *end: it ended its row. */
static char *csv_next(const char **p, bool *end)
{
	char *out = xmalloc(strlen(*p) + 1);
	size_t o = 0;
	const char *s = *p;

	if (*s == '"') {
		for (s++; *s != '\0'; s++) {
			if (*s == '"' && s[1] == '"')
				out[o++] = *s++;
			else if (*s == '"')
				break;
			else
				out[o++] = *s;
		}
		if (*s == '"')
			s++;
	}
	while (*s != '\0' && *s != ',' && *s != '\n' && *s != '\r')
		out[o++] = *s++;
	out[o] = '\0';
	*end = *s != ',';
	if (*s == '\r')
		s++;
	if (*s != '\0')
		s++;
	*p = s;
	return out;
}

/* grades.csv: id,total,LAB... */
static void load_csv(struct class_data *d)
{
	char *path = xasprintf("%s/grades.csv", d->dir);
	size_t len;
	char *text = read_file(path, CSV_MAX, &len);
	bool end = false;

	free(path);
	if (text == NULL)
		return;
	const char *p = text;
	size_t *cols = NULL, ncols = 0;
	while (*p != '\0' && !end) {
		char *field = csv_next(&p, &end);
		cols = xrealloc(cols, (ncols + 1) * sizeof(*cols));
		cols[ncols] = ncols >= 2 ? lab_index(d, field) : 0;
		ncols++;
		free(field);
	}
	while (*p != '\0') {
		char *id = csv_next(&p, &end);
		struct class_student *s = student(d, id);
		free(id);
		for (size_t c = 1; !end && *p != '\0'; c++) {
			char *field = csv_next(&p, &end);
			if (c >= 2 && c < ncols && *field != '\0')
				s->lab_score[cols[c]] = atoi(field);
			free(field);
		}
	}
	free(cols);
	free(text);
}

/* Names of one check differ where they hold a student's random values
 * ("random run 1: fork_share 4821 77"): the words they share up to the
 * first that differs, then an ellipsis. */
static void common_words(char **name, const char *other)
{
	size_t keep = 0, i = 0;
	const char *a = *name;

	for (; a[i] != '\0' && a[i] == other[i]; i++)
		if (a[i] == ' ')
			keep = i;
	if (a[i] == '\0' && other[i] == '\0')
		return;
	if (keep == 0)
		return;		/* nothing in common: the first name stands */
	char *out = xasprintf("%.*s \u2026", (int)keep, a);
	free(*name);
	*name = out;
}

static void count_check(struct class_data *d, const char *lab, size_t index, json_t *check)
{
	const char *id = class_json_str(check, "id"), *name = class_json_str(check, "name");
	/* without an id, a check is known by its place in its lab */
	char *key = *id != '\0' ? xasprintf("%s/%s", lab, id) : xasprintf("%s#%zu", lab, index);
	struct class_check *c = NULL;

	for (size_t i = 0; i < d->nchecks && c == NULL; i++)
		if (strcmp(d->checks[i].key, key) == 0)
			c = &d->checks[i];
	if (c == NULL) {
		d->checks = xrealloc(d->checks, (d->nchecks + 1) * sizeof(*d->checks));
		c = &d->checks[d->nchecks];
		*c = (struct class_check){ .key = key, .lab = xstrdup(lab), .name = xstrdup(name),
					   .order = d->nchecks++ };
	} else {
		free(key);
		common_words(&c->name, name);
	}
	c->seen++;
	c->passed += json_is_true(json_object_get(check, "passed"));
}

static void load_record(struct class_data *d, const char *file)
{
	char *path = xasprintf("%s/students/%s", d->dir, file);
	json_t *rec = json_load_file(path, 0, NULL);
	json_t *labs = json_object_get(rec, "labs"), *lab, *check;
	size_t i, j;

	free(path);
	/* a student's record, not another format's .json beside it */
	if (!json_is_string(json_object_get(rec, "student")) || !json_is_array(labs)) {
		json_decref(rec);
		return;
	}
	struct class_student *s = student(d, class_json_str(rec, "student"));
	s->graded = true;
	s->total = (int)json_integer_value(json_object_get(rec, "score"));
	int max = (int)json_integer_value(json_object_get(rec, "max_score"));
	d->max_total = max > d->max_total ? max : d->max_total;
	d->graded++;
	d->sum_total += s->total;
	json_array_foreach(labs, i, lab) {
		const char *id = class_json_str(lab, "id");
		size_t l = lab_index(d, id);
		int score = (int)json_integer_value(json_object_get(lab, "score"));
		int lmax = (int)json_integer_value(json_object_get(lab, "max_score"));
		s->lab_score[l] = score;
		d->labs[l].max = lmax > d->labs[l].max ? lmax : d->labs[l].max;
		d->labs[l].sum += score;
		d->labs[l].graded++;
		json_array_foreach(json_object_get(lab, "checks"), j, check)
			count_check(d, id, j, check);
	}
	json_decref(rec);
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n > t && strcmp(s + n - t, tail) == 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

bool class_data_load(const char *dir, struct class_data *d)
{
	*d = (struct class_data){ .dir = dir };
	if (access(dir, R_OK | X_OK) == -1) {
		fprintf(stderr, _("grade: cannot read the results folder %s: %s\n"), dir,
			strerror(errno));
		return false;
	}
	load_csv(d);
	char *sdir = xasprintf("%s/students", dir);
	DIR *dp = opendir(sdir);
	char **names = NULL;
	size_t n = 0;
	for (struct dirent *e; dp != NULL && (e = readdir(dp)) != NULL;)
		if (e->d_name[0] != '.' && ends_with(e->d_name, ".json") &&
		    strchr(e->d_name, '.') == e->d_name + strlen(e->d_name) - 5) {
			names = xrealloc(names, (n + 1) * sizeof(*names));
			names[n++] = xstrdup(e->d_name);
		}
	if (dp != NULL)
		closedir(dp);
	if (n > 1)	/* the same page every time */
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		load_record(d, names[i]);
		free(names[i]);
	}
	free(names);
	for (size_t i = 0; i < d->nstudents; i++) {
		static const char *const exts[] = { "html", "txt" };
		for (size_t k = 0; k < 2 && d->students[i].report == NULL; k++) {
			char *p = xasprintf("%s/%s.%s", sdir, d->students[i].id, exts[k]);
			if (access(p, R_OK) == 0)
				d->students[i].report = exts[k];
			free(p);
		}
	}
	free(sdir);
	char *sim = xasprintf("%s/similarity.json", dir);
	d->similarity = json_load_file(sim, 0, NULL);
	if (d->similarity != NULL && !json_is_array(d->similarity)) {
		fprintf(stderr, _("grade: %s is not a list of pairs: the class page shows no leads\n"), sim);
		json_decref(d->similarity);
		d->similarity = NULL;
	}
	free(sim);
	return true;
}

void class_data_free(struct class_data *d)
{
	for (size_t l = 0; l < d->nlabs; l++)
		free(d->labs[l].id);
	free(d->labs);
	for (size_t i = 0; i < d->nstudents; i++) {
		free(d->students[i].id);
		free(d->students[i].lab_score);
	}
	free(d->students);
	for (size_t i = 0; i < d->nchecks; i++) {
		free(d->checks[i].key);
		free(d->checks[i].lab);
		free(d->checks[i].name);
	}
	free(d->checks);
	json_decref(d->similarity);
	*d = (struct class_data){ 0 };
}
