/*
 * report_json.c: the report as JSON (SPEC §2), through jansson, so that any
 * bytes a student's program printed still come out as valid JSON.
 */
#include <jansson.h>
#include <stdio.h>

#include "report/report.h"
#include "run/sys.h"

/* A string or null; the model holds only valid UTF-8 (show_bytes). */
static json_t *str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/* SPEC §2's memory picture: one entry per process and moment; the frame a
 * hex string, null when it could not be read (not root). */
static json_t *memory_json(const struct lab_result *lab)
{
	json_t *list = json_array();

	for (size_t i = 0; i < lab->nmemory; i++) {
		const struct memory_view *v = &lab->memory[i];
		char frame[24];
		snprintf(frame, sizeof frame, "0x%llx", v->frame);
		json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:o, s:b, s:I, s:I}",
			"run", v->run, "process", v->process, "moment", v->moment,
			"address", (json_int_t)v->address, "length", (json_int_t)v->length,
			"frame", v->has_frame ? json_string(frame) : json_null(), "shared", v->shared,
			"private_dirty_kb", (json_int_t)v->private_dirty_kb,
			"shared_dirty_kb", (json_int_t)v->shared_dirty_kb);
		if (o == NULL)
			die("cannot put the memory picture of %s into JSON", lab->id);
		json_array_append_new(list, o);
	}
	return list;
}

char *report_json(const struct report *r, bool colour)
{
	(void)colour;
	json_t *labs = json_array();

	for (size_t i = 0; i < r->nlabs; i++) {
		const struct lab_result *lab = &r->labs[i];
		json_t *checks = json_array();
		for (size_t j = 0; j < lab->nchecks; j++) {
			const struct check *c = lab->checks[j];
			json_t *check = json_pack("{s:s, s:i, s:i, s:b, s:o, s:o, s:o}",
				"name", c->name, "score", c->score, "max_score", c->max_score,
				"passed", c->passed, "expected", str_or_null(c->expected),
				"actual", str_or_null(c->actual), "hint", str_or_null(c->hint));
			/* Never a check dropped silently while its points still count. */
			if (check == NULL)
				die("cannot put check \"%s\" into JSON (not UTF-8?)", c->name);
			json_array_append_new(checks, check);
		}
		json_array_append_new(labs, json_pack("{s:s, s:i, s:i, s:b, s:o, s:o, s:o}",
			"id", lab->id, "score", lab->score, "max_score", lab->max_score,
			"built", !lab->build_failed, "build_log", str_or_null(lab->build_log),
			"checks", checks, "memory", memory_json(lab)));
	}
	json_t *root = json_pack("{s:i, s:i, s:I, s:f, s:o, s:o}", "score", r->score,
				 "max_score", r->max_score, "seed", (json_int_t)r->seed,
				 "seconds", r->seconds, "sandbox", str_or_null(r->sandbox),
				 "labs", labs);
	if (root == NULL)
		die("cannot build the JSON report");
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (text == NULL)
		die("cannot encode the JSON report");
	/* json_dumps has no trailing newline; a file should end in one. */
	char *line = xasprintf("%s\n", text);
	free(text);
	return line;
}
