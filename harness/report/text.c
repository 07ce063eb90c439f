/*
 * report_text.c: the report a student reads in a terminal: each lab, each
 * check with its points, and for a failure what was expected, what was seen
 * and a hint.  Colour only when asked (a terminal without NO_COLOR).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/lang.h"
#include "report/memory_text.h"
#include "report/report.h"
#include "run/sys.h"

struct style {
	const char *pass, *fail, *dim, *bold, *hint, *off;
};

/* The column a failure's texts start in, after the widest label (in
 * terminal columns: a Chinese label is twice as wide as its bytes suggest). */
static int label_columns(void)
{
	const char *const labels[] = { _("build:"), _("warnings:"), _("expected:"), _("seen:"),
				       _("hint:") };
	int w = 9;

	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (lang_width(labels[i]) > w)
			w = lang_width(labels[i]);
	return w + 1;
}

/* Prints text indented, each line behind the label's width. */
static void block(FILE *f, const char *label, const char *text, const char *on, const char *off)
{
	int width = label_columns();

	fprintf(f, "      %s", on);
	lang_pad(f, label, width);
	fputs(off, f);
	for (const char *p = text; *p != '\0';) {
		size_t n = strcspn(p, "\n");
		fprintf(f, "%*s%.*s\n", p == text ? 0 : 6 + width, "", (int)n, p);
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
	fprintf(f, "%s", s->bold);
	fprintf(f, _("mmaplab grader: %s"), r->submission);
	fprintf(f, "%s  %s", s->off, s->dim);
	fprintf(f, _("(random values from --seed %u)"), r->seed);
	fprintf(f, "%s\n", s->off);
	if (r->sandbox != NULL) {
		fprintf(f, "%s", s->dim);
		fprintf(f, _("sandbox: %s"), r->sandbox);
		fprintf(f, "%s\n", s->off);
	}
	/* PASS and FAIL take the same columns, so that check names line up. */
	const char *pass = _("PASS"), *fail = _("FAIL");
	int verdict = lang_width(pass) > lang_width(fail) ? lang_width(pass) : lang_width(fail);
	for (size_t i = 0; i < r->nlabs; i++) {
		const struct lab_result *lab = &r->labs[i];
		fprintf(f, "\n%s== %s%s  %d/%d\n", s->bold, lab->id, s->off, lab->score,
			lab->max_score);
		if (lab->build_log != NULL)
			block(f, lab->build_failed ? _("build:") : _("warnings:"), lab->build_log,
			      lab->build_failed ? s->fail : s->hint, s->off);
		for (size_t j = 0; j < lab->nchecks; j++) {
			const struct check *c = lab->checks[j];
			fprintf(f, "  %s", c->passed ? s->pass : s->fail);
			lang_pad(f, c->passed ? pass : fail, verdict);
			fprintf(f, "%s  %s  %s(%d/%d)%s\n", s->off, c->name, s->dim, c->score,
				c->max_score, s->off);
			if (c->passed)
				continue;
			if (c->expected != NULL)
				block(f, _("expected:"), c->expected, s->dim, s->off);
			if (c->actual != NULL)
				block(f, _("seen:"), c->actual, s->dim, s->off);
			if (c->hint != NULL)
				block(f, _("hint:"), c->hint, s->hint, s->off);
		}
		memory_text(f, lab, s->dim, s->off);
	}
	fprintf(f, "\n%s", s->bold);
	fprintf(f, _("Score: %d/%d"), r->score, r->max_score);
	fprintf(f, "%s\n", s->off);
	if (fclose(f) != 0)
		die("out of memory");
	return text;
}
