/*
 * report_json.c: the report as JSON (SPEC §2), through jansson, so that any
 * bytes a student's program printed still come out as valid JSON: each
 * check with its id, each lab with its memory picture where it has one.
 */
#include <jansson.h>
#include <stdio.h>

#include "report/report.h"
#include "run/sys.h"
#include "lang/lang.h"

/* A string or null; the model holds only valid UTF-8 (show_bytes). */
static json_t *str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/* SPEC §2: the memory picture; frame a hex string, or null when unknown. */
static json_t *memory_json(const struct lab_result *lab)
{
	json_t *views = json_array();

	for (size_t i = 0; i < lab->nmemory; i++) {
		const struct memory_view *m = &lab->memory[i];
		char frame[32];
		snprintf(frame, sizeof(frame), "0x%llx", m->frame);
		json_array_append_new(views, json_pack("{s:s, s:s, s:s, s:I, s:I, s:o, s:b, s:I, s:I}",
			"run", m->run, "process", m->process, "moment", m->moment,
			"address", (json_int_t)m->address, "length", (json_int_t)m->length,
			"frame", m->has_frame ? json_string(frame) : json_null(), "shared", m->shared,
			"private_dirty_kb", (json_int_t)m->private_dirty_kb,
			"shared_dirty_kb", (json_int_t)m->shared_dirty_kb));
	}
	return views;
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
			json_t *check = json_pack("{s:o, s:s, s:i, s:i, s:b, s:o, s:o, s:o}",
				"id", str_or_null(c->id), "name", c->name, "score", c->score, "max_score", c->max_score,
				"passed", c->passed, "expected", str_or_null(c->expected),
				"actual", str_or_null(c->actual), "hint", str_or_null(c->hint));
			/* Never a check dropped silently while its points still count. */
			if (check == NULL)
				die(_("cannot put check \"%s\" into JSON (not UTF-8?)"), c->name);
			json_array_append_new(checks, check);
		}
		json_t *jl = json_pack("{s:s, s:i, s:i, s:b, s:o, s:o}",
			"id", lab->id, "score", lab->score, "max_score", lab->max_score,
			"built", !lab->build_failed, "build_log", str_or_null(lab->build_log),
			"checks", checks);
		if (lab->nmemory > 0)
			json_object_set_new(jl, "memory", memory_json(lab));
		json_array_append_new(labs, jl);
	}
	json_t *root = json_pack("{s:i, s:i, s:I, s:f, s:o, s:o}", "score", r->score,
				 "max_score", r->max_score, "seed", (json_int_t)r->seed,
				 "seconds", r->seconds, "sandbox", str_or_null(r->sandbox),
				 "labs", labs);
	if (root == NULL)
		die("%s", _("cannot build the JSON report"));
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (text == NULL)
		die("%s", _("cannot encode the JSON report"));
	/* json_dumps has no trailing newline; a file should end in one. */
	char *line = xasprintf("%s\n", text);
	free(text);
	return line;
}
