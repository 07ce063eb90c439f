/*
 * summary.c: the class's summary files: grades.csv, summary.txt and the
 * histogram, written once every student is graded.
 */
#define _GNU_SOURCE
#include "class/summary.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "class/grades_csv.h"
#include "class/histogram.h"
#include "class/records.h"
#include "class/stats.h"
#include "lang/lang.h"
#include "run/sys.h"

static char *summary_text(const struct class *c, const int *totals, size_t n, int max,
			  const struct histogram *h, const char *similar)
{
	char *text;
	size_t size, nst;
	FILE *f = open_memstream(&text, &size);

	if (f == NULL)
		die_errno("open_memstream");
	fprintf(f, _("mmaplab class summary: %s (class seed %u)\n\n"), c->o->dir, c->seed);
	fprintf(f, _("students:  %zu graded, %zu of them failed to build at least one lab"),
		n, c->build_failed);
	if (c->failed > 0) {
		fprintf(f, _("\n           %zu NOT graded (the grader failed; see students/ID.error.log):"),
			c->failed);
		for (size_t i = 0; i < c->n; i++)
			if (c->s[i].state == FAILED)
				fprintf(f, " %s", c->s[i].id);
	}
	fputc('\n', f);
	if (n > 0)
		fprintf(f, _("total:     mean %.1f, median %.1f, lowest %d, highest %d (out of %d)\n"),
			mean_of(totals, n), median_of(totals, n), totals[0], totals[n - 1], max);
	/* Headings padded in terminal columns (a Chinese one is wider than its
	 * bytes), over the lab rows' "%-24s %7.1f / %-3d". */
	fputc('\n', f);
	lang_pad(f, _("lab"), 24);
	fputc(' ', f);
	lang_pad_left(f, _("mean"), 12);
	fprintf(f, "  %s\n", _("failed to build"));
	for (size_t l = 0; l < c->o->nlabs; l++) {
		double sum = 0;
		int lab_max = 0;
		size_t broken = 0;
		for (size_t i = 0; i < c->n; i++) {
			json_t *lab = record_lab(c->s[i].record, c->o->labs[l]->id);
			if (lab == NULL)
				continue;
			sum += record_int(lab, "score");
			lab_max = record_int(lab, "max_score");
			broken += json_is_false(json_object_get(lab, "built"));
		}
		fprintf(f, "%-24s %7.1f / %-3d %zu\n", c->o->labs[l]->id, n ? sum / (double)n : 0.0,
			lab_max, broken);
	}

	struct check_stat *st = check_stats(c, &nst);
	fputs(_("\nchecks most of the class failed (passed by fewer than half):\n"), f);
	size_t most = 0;
	for (; most < nst && 2 * st[most].passed < st[most].seen; most++)
		fprintf(f, "  %3.0f%%  %s: %s\n", 100.0 * (double)st[most].passed / (double)st[most].seen,
			c->o->labs[st[most].lab]->id, st[most].name);
	if (most == 0)
		fputs(_("  none\n"), f);
	fputs(_("\npass rate of every check, lowest first:\n"), f);
	for (size_t k = 0; k < nst; k++) {
		fprintf(f, "  %3.0f%%  %s: %s\n", 100.0 * (double)st[k].passed / (double)st[k].seen,
			c->o->labs[st[k].lab]->id, st[k].name);
		free(st[k].name);
	}
	free(st);

	if (n > 0) {
		size_t top = 1;
		for (size_t b = 0; b < h->nbins; b++)
			top = h->count[b] > top ? h->count[b] : top;
		fputs(_("\ntotals (histogram.svg draws the same):\n"), f);
		for (size_t b = 0; b < h->nbins; b++) {
			char label[32];
			bin_label(label, sizeof(label), h, b, max);
			size_t bar = (h->count[b] * 50 + top - 1) / top;
			fprintf(f, "  %7s  %4zu  %.*s\n", label, h->count[b], (int)bar,
				"##################################################");
		}
	}
	if (similar != NULL)
		fprintf(f, "\n%s", similar);
	if (fclose(f) != 0)
		die("out of memory");
	return text;
}

/* grades.csv, summary.txt, histogram.gp/.svg/.png; returns whether the
 * pictures were drawn. */
bool write_summary(const struct class *c, const char *similar, int *max_out, double *mean,
		   double *median)
{
	int max;
	size_t n;
	int *totals = sorted_totals(c, &n, &max);

	struct histogram h;
	histogram(&h, totals, n, max);

	char *path = xasprintf("%s/grades.csv", c->o->out), *text = grades_csv(c);
	write_or_die(path, text);
	free(path);
	free(text);
	path = xasprintf("%s/summary.txt", c->o->out);
	text = summary_text(c, totals, n, max, &h, similar);
	write_or_die(path, text);
	free(path);
	free(text);

	bool drawn = false;
	if (n > 0) {
		path = xasprintf("%s/histogram.gp", c->o->out);
		text = gnuplot_script(&h, n, max);
		write_or_die(path, text);
		free(path);
		free(text);
		drawn = draw_histogram(c);
	}
	*max_out = max;
	*mean = mean_of(totals, n);
	*median = median_of(totals, n);
	free(h.count);
	free(totals);
	return drawn;
}
