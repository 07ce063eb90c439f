/*
 * leads.c: the files that show the pairs found alike (see leads.h).
 *
 * similarity.json, read by the class page (harness/report/class_page.c):
 *   [{"student_a", "student_b", "lab", "percent", "shared_lines",
 *     "regions": [{"file_a", "from_a", "to_a", "file_b", "from_b", "to_b",
 *                  "text_a", "text_b"}]}]
 * Lines are those of the students' own files, from 1; the text is what they
 * wrote there, comments included, made printable.
 */
#define _GNU_SOURCE
#include "class/leads.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "class/grades_csv.h"
#include "class/records.h"
#include "lang/lang.h"
#include "report/report.h"
#include "run/sys.h"

#define REGION_LINES_MAX 200	/* of one side of a region in similarity.json */

static size_t total_lines(const struct lab_text *t)
{
	return t->nfiles ? t->file[t->nfiles - 1].first + t->file[t->nfiles - 1].nlines - 1 : 0;
}

size_t covered_lines(const struct lab_text *t, const struct sim_pair *p, bool side_b)
{
	size_t n = total_lines(t), count = 0;
	bool *seen = xcalloc(n + 1, sizeof(*seen));

	for (size_t i = 0; i < p->nm; i++) {
		size_t from = side_b ? p->m[i].from_b : p->m[i].from_a;
		size_t to = side_b ? p->m[i].to_b : p->m[i].to_a;
		for (size_t at = from; at <= to && at <= n; at++) {
			size_t line;
			const struct source_file *f = lab_text_where(t, at, &line);
			if (f != NULL && f->own[line - 1] && !seen[at]) {
				seen[at] = true;
				count++;
			}
		}
	}
	free(seen);
	return count;
}

static int cmp_lead(const void *pa, const void *pb)
{
	const struct lead *a = pa, *b = pb;
	int c;

	if (a->percent != b->percent)
		return a->percent > b->percent ? -1 : 1;
	if (a->shared_lines != b->shared_lines)
		return a->shared_lines > b->shared_lines ? -1 : 1;
	if ((c = strcmp(a->lab, b->lab)) != 0)
		return c;
	if ((c = strcmp(a->a->name, b->a->name)) != 0)
		return c;
	return strcmp(a->b->name, b->b->name);
}

void sort_leads(struct lead *l, size_t n)
{
	if (n > 1)
		qsort(l, n, sizeof(*l), cmp_lead);
}

static json_t *text_json(const char *s)
{
	json_t *v = json_string(s);

	return v != NULL ? v : json_string("?");
}

/* Lines from..to of the concatenation of t, within the file `from` is in:
 * that file's name, its own line numbers, and their text. */
static bool side(const struct lab_text *t, size_t from, size_t to, const char **name,
		 size_t *first, size_t *last, json_t **text)
{
	size_t line;
	const struct source_file *f = lab_text_where(t, from, &line);

	if (f == NULL)
		return false;
	*name = f->name;
	*first = line;
	*last = line + (to - from);
	if (*last > f->nlines)
		*last = f->nlines;
	char *buf;
	size_t size;
	FILE *out = open_memstream(&buf, &size);
	if (out == NULL)
		die_errno("open_memstream");
	for (size_t l = *first; l <= *last; l++) {
		if (l - *first == REGION_LINES_MAX) {
			fprintf(out, _("... (%zu more lines)"), *last - l + 1);
			break;
		}
		fprintf(out, "%s%s", f->line[l - 1], l < *last ? "\n" : "");
	}
	if (fclose(out) != 0)
		die("out of memory");
	*text = text_json(buf);
	free(buf);
	return true;
}

static void add_region(json_t *regions, const struct lab_text *ta, size_t fa, size_t ta_, const struct lab_text *tb,
		       size_t fb, size_t tb_)
{
	const char *na, *nb;
	size_t a1, a2, b1, b2;
	json_t *xa, *xb;

	if (!side(ta, fa, ta_, &na, &a1, &a2, &xa))
		return;
	if (!side(tb, fb, tb_, &nb, &b1, &b2, &xb)) {
		json_decref(xa);
		return;
	}
	json_array_append_new(regions, json_pack("{s:o, s:I, s:I, s:o, s:I, s:I, s:o, s:o}",
		"file_a", text_json(na), "from_a", (json_int_t)a1, "to_a", (json_int_t)a2,
		"file_b", text_json(nb), "from_b", (json_int_t)b1, "to_b", (json_int_t)b2,
		"text_a", xa, "text_b", xb));
}

static json_t *regions_json(const struct lead *l)
{
	json_t *regions = json_array();
	const struct lab_text *a = &l->a->text, *b = &l->b->text;

	if (l->pair == NULL) {	/* the same text: each file from its first own line to its last */
		for (size_t i = 0; i < a->nfiles; i++) {
			const struct source_file *f = &a->file[i];
			size_t lo = 0, hi = 0;
			for (size_t k = 0; k < f->nlines; k++)
				if (f->own[k]) {
					lo = lo ? lo : k + 1;
					hi = k + 1;
				}
			if (lo > 0)
				add_region(regions, a, f->first + lo - 1, f->first + hi - 1, b,
					   f->first + lo - 1, f->first + hi - 1);
		}
		return regions;
	}
	for (size_t i = 0; i < l->pair->nm; i++) {
		const struct sim_match *m = &l->pair->m[i];
		if (l->swapped)
			add_region(regions, a, m->from_b, m->to_b, b, m->from_a, m->to_a);
		else
			add_region(regions, a, m->from_a, m->to_a, b, m->from_b, m->to_b);
	}
	return regions;
}

void write_leads(const char *out, const struct lead *l, size_t n)
{
	char *csv;
	size_t size;
	FILE *f = open_memstream(&csv, &size);

	if (f == NULL)
		die_errno("open_memstream");
	fputs("student_a,student_b,lab,percent,shared_lines\n", f);
	json_t *all = json_array();
	for (size_t i = 0; i < n; i++) {
		csv_field(f, l[i].a->name);
		fputc(',', f);
		csv_field(f, l[i].b->name);
		fprintf(f, ",%s,%u,%zu\n", l[i].lab, l[i].percent, l[i].shared_lines);
		if (i < LEADS_JSON_MAX)
			json_array_append_new(all, json_pack("{s:o, s:o, s:s, s:I, s:I, s:o}",
				"student_a", text_json(l[i].a->name), "student_b", text_json(l[i].b->name),
				"lab", l[i].lab, "percent", (json_int_t)l[i].percent,
				"shared_lines", (json_int_t)l[i].shared_lines, "regions", regions_json(&l[i])));
	}
	if (fclose(f) != 0)
		die("out of memory");
	char *path = xasprintf("%s/similarity.csv", out);
	write_or_die(path, csv);
	free(path);
	free(csv);
	char *text = report_json_text(all, "similarity.json");
	path = xasprintf("%s/similarity.json", out);
	write_or_die(path, text);
	free(path);
	free(text);
}

char *leads_summary(const struct lead *l, size_t n, unsigned threshold)
{
	char *text;
	size_t size;
	FILE *f = open_memstream(&text, &size);

	if (f == NULL)
		die_errno("open_memstream");
	if (n == 0)
		fprintf(f, _("  no pair of students shares %u%% or more of its own code in a lab\n"),
			threshold);
	else
		fprintf(f, _("  pairs sharing %u%% or more of their own code in a lab: %zu "
			     "(similarity.csv; the matched regions side by side in similarity.json "
			     "and index.html), closest first:\n"), threshold, n);
	for (size_t i = 0; i < n && i < LEADS_SUMMARY_MAX; i++)
		fprintf(f, _("  %3u%%  %4zu lines  %-22s %s and %s\n"), l[i].percent, l[i].shared_lines,
			l[i].lab, l[i].a->name, l[i].b->name);
	if (n > LEADS_SUMMARY_MAX)
		fprintf(f, _("  ... and %zu more in similarity.csv\n"), n - LEADS_SUMMARY_MAX);
	if (fclose(f) != 0)
		die("out of memory");
	return text;
}
