/*
 * report_gradescope.c: the report as Gradescope's results.json, as its
 * autograder specification describes it
 * (https://gradescope-autograders.readthedocs.io/en/latest/specs/).
 *
 * One test per check, with its points; one informational test per lab for
 * the compile, with no points, so that the compiler's messages show.  Each
 * test's output is HTML (output_format "html", which Gradescope renders):
 * the failed check's detail as the HTML report shows it (html_check_detail),
 * where every byte the student's program printed is escaped; the summary
 * is text.
 */
#define _GNU_SOURCE
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/lang.h"
#include "report/html.h"
#include "report/report.h"
#include "run/sys.h"

/* Appends "label\n" and text indented by two spaces. */
static void detail_block(FILE *f, const char *label, const char *text)
{
	fprintf(f, "%s\n", label);
	for (const char *p = text; *p != '\0';) {
		size_t n = strcspn(p, "\n");
		fprintf(f, "  %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

char *report_check_detail(const struct check *c)
{
	char *text;
	size_t size;
	FILE *f = open_memstream(&text, &size);

	if (f == NULL)
		die_errno("open_memstream");
	if (c->expected != NULL)
		detail_block(f, "expected:", c->expected);
	if (c->actual != NULL)
		detail_block(f, "seen:", c->actual);
	if (c->hint != NULL)
		fprintf(f, "hint: %s\n", c->hint);
	if (fclose(f) != 0)
		die("out of memory");
	return text;
}

char *report_json_text(json_t *root, const char *what)
{
	if (root == NULL)
		die(_("cannot build %s"), what);
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (text == NULL)
		die(_("cannot encode %s"), what);
	/* json_dumps has no final newline; a file should end in one. */
	char *line = xasprintf("%s\n", text);
	free(text);
	return line;
}

/* What f, an open_memstream on *text, wrote (malloc'd). */
static char *closed(FILE *f, char **text)
{
	if (fclose(f) != 0)
		die("out of memory");
	return *text;
}

static char *build_html(const struct lab_result *lab)
{
	char *text;
	size_t size;
	FILE *f = open_memstream(&text, &size);

	if (f == NULL)
		die_errno("open_memstream");
	if (lab->build_log != NULL)
		html_pre(f, "build", lab->build_log, HTML_BLOCK_MAX);
	else
		fprintf(f, "<p>%s</p>", _("compiled without warnings"));
	return closed(f, &text);
}

static char *check_html(const struct check *c)
{
	char *text;
	size_t size;
	FILE *f = open_memstream(&text, &size);

	if (f == NULL)
		die_errno("open_memstream");
	if (c->passed)
		fprintf(f, "<p>\u2714 %s</p>", _("passed"));
	else
		html_check_detail(f, c);
	return closed(f, &text);
}

static json_t *lab_build_test(const struct lab_result *lab)
{
	char *log = build_html(lab);
	json_t *test = json_pack("{s:s+, s:s, s:s, s:s, s:s}", "name", lab->id, ": compile",
				 "status", lab->build_failed ? "failed" : "passed", "output", log,
				 "output_format", "html", "visibility", "visible");

	free(log);
	return test;
}

char *report_gradescope(const struct report *r, bool colour)
{
	(void)colour;
	json_t *tests = json_array();

	for (size_t i = 0; i < r->nlabs; i++) {
		const struct lab_result *lab = &r->labs[i];
		json_array_append_new(tests, lab_build_test(lab));
		for (size_t j = 0; j < lab->nchecks; j++) {
			const struct check *c = lab->checks[j];
			char *detail = check_html(c);
			json_t *test = json_pack("{s:s++, s:i, s:i, s:s, s:s, s:s, s:s}",
				"name", lab->id, ": ", c->name, "score", c->score,
				"max_score", c->max_score, "status", c->passed ? "passed" : "failed",
				"output", detail, "output_format", "html", "visibility", "visible");
			/* the id joins results across languages */
			if (c->id != NULL)
				json_object_set_new(test, "extra_data", json_pack("{s:s}", "id", c->id));
			json_array_append_new(tests, test);
			free(detail);
		}
	}
	char *summary = xasprintf(_("mmaplab grader: %d/%d points (random values from --seed %u)"),
				  r->score, r->max_score, r->seed);
	/* execution_time is whole seconds in the specification's example. */
	json_t *root = json_pack("{s:i, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o}",
				 "score", r->score, "execution_time", (json_int_t)(r->seconds + 0.999),
				 "output", summary, "output_format", "text",
				 "test_output_format", "html", "test_name_format", "text",
				 "visibility", "visible", "stdout_visibility", "hidden", "tests", tests);
	free(summary);
	return report_json_text(root, _("the Gradescope report"));
}
