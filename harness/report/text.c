/*
 * report_text.c: the report a student reads in a terminal: each lab, each
 * check with its points, and for a failure what was expected, what was seen
 * and a hint.  Colour only when asked (a terminal without NO_COLOR).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/memory_text.h"
#include "report/report.h"
#include "run/sys.h"

struct style {
	const char *pass, *fail, *dim, *bold, *hint, *off;
};

/* Prints text indented, each line behind the label's width. */
static void block(FILE *f, const char *label, const char *text, const char *on, const char *off)
{
	fprintf(f, "      %s%-10s%s", on, label, off);
	for (const char *p = text; *p != '\0';) {
		size_t n = strcspn(p, "\n");
		fprintf(f, "%s%.*s\n", p == text ? "" : "                ", (int)n, p);
		p += n;
		if (*p == '\n')
			p++;
	}
	if (*text == '\0')
		fputc('\n', f);
}

char *report_text(const struct report *r, bool colour)
{
	static const struct style plain = { "", "", "", "", "", "" };
	static const struct style ansi = { "\033[32m", "\033[31m", "\033[2m", "\033[1m",
					   "\033[33m", "\033[0m" };
	const struct style *s = colour ? &ansi : &plain;
	char *text;
	size_t size;
	FILE *f = open_memstream(&text, &size);

	if (f == NULL)
		die_errno("open_memstream");
	fprintf(f, "%smmaplab grader: %s%s  %s(random values from --seed %u)%s\n", s->bold,
		r->submission, s->off, s->dim, r->seed, s->off);
	if (r->sandbox != NULL)
		fprintf(f, "%ssandbox: %s%s\n", s->dim, r->sandbox, s->off);
	for (size_t i = 0; i < r->nlabs; i++) {
		const struct lab_result *lab = &r->labs[i];
		fprintf(f, "\n%s== %s%s  %d/%d\n", s->bold, lab->id, s->off, lab->score,
			lab->max_score);
		if (lab->build_log != NULL)
			block(f, lab->build_failed ? "build:" : "warnings:", lab->build_log,
			      lab->build_failed ? s->fail : s->hint, s->off);
		for (size_t j = 0; j < lab->nchecks; j++) {
			const struct check *c = lab->checks[j];
			fprintf(f, "  %s%s%s  %s  %s(%d/%d)%s\n", c->passed ? s->pass : s->fail,
				c->passed ? "PASS" : "FAIL", s->off, c->name, s->dim, c->score,
				c->max_score, s->off);
			if (c->passed)
				continue;
			if (c->expected != NULL)
				block(f, "expected:", c->expected, s->dim, s->off);
			if (c->actual != NULL)
				block(f, "seen:", c->actual, s->dim, s->off);
			if (c->hint != NULL)
				block(f, "hint:", c->hint, s->hint, s->off);
		}
		memory_text(f, lab, s->dim, s->off);
	}
	fprintf(f, "\n%sScore: %d/%d%s\n", s->bold, r->score, r->max_score, s->off);
	if (fclose(f) != 0)
		die("out of memory");
	return text;
}
