/*
 * report_tap.c: the report as TAP version 13 (https://testanything.org/tap-version-13-specification.html):
 * one test point per lab's compile and per check; a failure carries a YAML
 * block with what was expected, what was seen and the hint.  YAML strings
 * are double-quoted on one line, the one form every TAP consumer's YAML
 * reader takes whatever bytes a student's program printed.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "run/sys.h"

/* A test point's description: one line; '#' would start a directive. */
static void put_description(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '#' || *s == '\\')
			fputc('\\', f);
		fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
	}
}

static void put_yaml_string(FILE *f, const char *key, const char *s)
{
	fprintf(f, "  %s: \"", key);
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", f);
		else if (ch == '\t')
			fputs("\\t", f);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\x%02x", ch);
		else
			fputc(ch, f);
	}
	fputs("\"\n", f);
}

/* "LAB: [id] name": the id, when there is one, joins results across languages. */
static void put_point(FILE *f, size_t n, bool ok, const char *lab, const char *id,
		      const char *name)
{
	fprintf(f, "%sok %zu - ", ok ? "" : "not ", n);
	put_description(f, lab);
	fputs(": ", f);
	if (id != NULL) {
		fputc('[', f);
		put_description(f, id);
		fputs("] ", f);
	}
	put_description(f, name);
}

char *report_tap(const struct report *r, bool colour)
{
	(void)colour;
	char *text;
	size_t size, total = 0, n = 0;
	FILE *f = open_memstream(&text, &size);

	if (f == NULL)
		die_errno("open_memstream");
	for (size_t i = 0; i < r->nlabs; i++)
		total += r->labs[i].nchecks + 1;
	fprintf(f, "TAP version 13\n1..%zu\n# mmaplab grader: ", total);
	put_description(f, r->submission);
	fprintf(f, " (random values from --seed %u)\n", r->seed);
	for (size_t i = 0; i < r->nlabs; i++) {
		const struct lab_result *lab = &r->labs[i];
		put_point(f, ++n, !lab->build_failed, lab->id, NULL, "compile");
		fputc('\n', f);
		if (lab->build_failed) {
			fputs("  ---\n  message: \"did not compile\"\n  severity: fail\n", f);
			put_yaml_string(f, "compiler", lab->build_log != NULL ? lab->build_log : "");
			fputs("  ...\n", f);
		}
		for (size_t j = 0; j < lab->nchecks; j++) {
			const struct check *c = lab->checks[j];
			put_point(f, ++n, c->passed, lab->id, c->id, c->name);
			fprintf(f, " (%d/%d points)\n", c->score, c->max_score);
			if (c->passed)
				continue;
			fputs("  ---\n", f);
			put_yaml_string(f, "message", c->hint != NULL ? c->hint : "check failed");
			fprintf(f, "  severity: fail\n  points: \"%d/%d\"\n", c->score, c->max_score);
			if (c->expected != NULL)
				put_yaml_string(f, "expected", c->expected);
			if (c->actual != NULL)
				put_yaml_string(f, "got", c->actual);
			fputs("  ...\n", f);
		}
	}
	fprintf(f, "# Score: %d/%d\n", r->score, r->max_score);
	if (fclose(f) != 0)
		die("out of memory");
	return text;
}
