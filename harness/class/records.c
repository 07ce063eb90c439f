/*
 * records.c: what a class run writes where, and the students' records
 * (students/ID.json): writing one, reading it back, and whether a record
 * is still current for the next run to keep.
 */
#define _GNU_SOURCE
#include "class/records.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/report.h"
#include "run/sys.h"
#include "lang/lang.h"

const char *format_ext(const char *name)
{
	static const char *const exts[][2] = {
		{ "text", "txt" }, { "json", NULL }, { "gradescope", "gradescope.json" },
		{ "junit", "junit.xml" }, { "tap", "tap" },
	};

	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (strcmp(name, exts[i][0]) == 0)
			return exts[i][1];
	return name;
}

char *student_file(const struct class *c, const struct student *s, const char *suffix)
{
	return xasprintf("%s/%s%s", c->students, s->id, suffix);
}

void write_or_die(const char *path, const char *text)
{
	if (write_file_atomic(path, text, strlen(text)) == -1)
		die_errno("cannot write %s", path);
}

/* Leftovers of a run that was killed: temporary files of write_file_atomic,
 * pictures half drawn, workers' logs.  In RESULTS_DIR, which may be a folder
 * of the user's, only names this file makes; students/ is all ours. */
void remove_leftovers(const char *dir, bool ours)
{
	static const char *const prefixes[] = {
		"grades.csv.tmp.", "summary.txt.tmp.", "class.json.tmp.", "histogram.gp.tmp.",
		"histogram.svg.tmp", "histogram.png.tmp", ".gnuplot.log", "similarity.csv.tmp.",
		"similarity.json.tmp.", ".similarity-cache.json.tmp.",
	};
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		die_errno(_("cannot open %s"), dir);
	while ((e = readdir(d)) != NULL) {
		const char *name = e->d_name;
		size_t len = strlen(name);
		bool stale = false;
		for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
			stale |= strncmp(name, prefixes[i], strlen(prefixes[i])) == 0;
		if (ours)
			stale |= strstr(name, ".tmp.") != NULL ||
				 (name[0] == '.' && len > 5 && strcmp(name + len - 4, ".log") == 0);
		if (stale)
			unlinkat(dirfd(d), name, 0);
	}
	closedir(d);
}

json_t *load_record(const struct class *c, const struct student *s)
{
	char *path = student_file(c, s, ".json");
	json_t *rec = json_load_file(path, 0, NULL);

	free(path);
	if (rec != NULL && (!json_is_integer(json_object_get(rec, "score")) ||
			    !json_is_array(json_object_get(rec, "labs")))) {
		json_decref(rec);
		return NULL;
	}
	return rec;
}

static bool string_is(json_t *obj, const char *key, const char *want)
{
	const char *v = json_string_value(json_object_get(obj, key));

	return v != NULL && strcmp(v, want) == 0;
}

/* Was this record made from these very sources, seed, labs and grader? */
bool record_current(const struct class *c, const struct student *s, json_t *rec)
{
	json_t *labs = json_object_get(rec, "labs");

	if (json_array_size(labs) != c->o->nlabs ||
	    json_integer_value(json_object_get(rec, "seed")) != (json_int_t)s->seed ||
	    !string_is(rec, "source_hash", s->hash) || !string_is(rec, "grader", c->grader))
		return false;
	for (size_t i = 0; i < c->o->nlabs; i++)
		if (!string_is(json_array_get(labs, i), "id", c->o->labs[i]->id))
			return false;
	/* And the reports written beside it: the format's and the HTML one. */
	char *other = xasprintf("%s/%s.%s", c->students, s->id, c->ext ? c->ext : "json");
	char *html = xasprintf("%s/%s.html", c->students, s->id);
	bool there = access(other, F_OK) == 0 && access(html, F_OK) == 0;
	free(other);
	free(html);
	return there;
}

/* The first lab of the record that did not compile, or NULL. */
const char *record_build_failure(json_t *rec)
{
	size_t i;
	json_t *lab;

	json_array_foreach(json_object_get(rec, "labs"), i, lab)
		if (json_is_false(json_object_get(lab, "built")))
			return json_string_value(json_object_get(lab, "id"));
	return NULL;
}

int record_int(json_t *obj, const char *key)
{
	return (int)json_integer_value(json_object_get(obj, key));
}

json_t *record_lab(json_t *rec, const char *id)
{
	size_t i;
	json_t *lab;

	json_array_foreach(json_object_get(rec, "labs"), i, lab)
		if (string_is(lab, "id", id))
			return lab;
	return NULL;
}

void write_record(const struct class *c, const struct student *s, const struct report *r)
{
	char *text = report_json(r, false);
	json_t *rec = json_loads(text, 0, NULL);

	if (rec == NULL)
		die(_("cannot read back the JSON report of %s"), s->id);
	free(text);
	json_object_set_new(rec, "student", json_string(s->id));
	json_object_set_new(rec, "source_hash", json_string(s->hash));
	json_object_set_new(rec, "grader", json_string(c->grader));
	json_object_set_new(rec, "class_seed", json_integer(c->seed));
	text = report_json_text(rec, "a student's record");
	char *path = student_file(c, s, ".json");
	write_or_die(path, text);
	free(path);
	free(text);
}

/* The class's seed: --seed, else the one of the last run, so that a run
 * that resumes another one draws the same random values. */
void class_seed(struct class *c)
{
	char *path = xasprintf("%s/class.json", c->o->out);
	json_t *old = json_load_file(path, 0, NULL);
	json_t *seed = json_object_get(old, "seed");

	c->seed = c->o->seed;
	if (!c->o->seed_given && json_is_integer(seed))
		c->seed = (unsigned)json_integer_value(seed);
	json_decref(old);
	char *text = report_json_text(json_pack("{s:I, s:s}", "seed", (json_int_t)c->seed, "note",
						"the class seed; grade --class without --seed reuses it"),
				      "class.json");
	write_or_die(path, text);
	free(text);
	free(path);
}
