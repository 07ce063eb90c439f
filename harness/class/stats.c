/*
 * stats.c: the class's figures: the totals, their mean and median, and the
 * pass rate of each check across the class.
 */
#define _GNU_SOURCE
#include "class/stats.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "class/records.h"
#include "run/sys.h"

static void merge_name(char **name, const char *other)
{
	if (strcmp(*name, other) == 0)
		return;
	char *a = xstrdup(*name), *b = xstrdup(other), *sa = NULL, *sb = NULL;
	size_t size = strlen(*name) + 4;
	char *out = xcalloc(1, size);
	char *ta = strtok_r(a, " ", &sa), *tb = strtok_r(b, " ", &sb);

	for (; ta != NULL && tb != NULL; ta = strtok_r(NULL, " ", &sa), tb = strtok_r(NULL, " ", &sb)) {
		if (*out != '\0')
			strcat(out, " ");
		strcat(out, strcmp(ta, tb) == 0 ? ta : "*");
	}
	if (ta != NULL || tb != NULL)	/* not the same shape: the part before ':' */
		snprintf(out, size, "%.*s: *", (int)strcspn(*name, ":"), *name);
	free(*name);
	*name = out;
	free(a);
	free(b);
}

static int cmp_rate(const void *pa, const void *pb)
{
	const struct check_stat *a = pa, *b = pb;
	double ra = (double)a->passed / (double)a->seen, rb = (double)b->passed / (double)b->seen;

	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (a->lab != b->lab)
		return a->lab - b->lab;
	return a->index < b->index ? -1 : a->index > b->index;
}

struct check_stat *check_stats(const struct class *c, size_t *count)
{
	struct check_stat *st = NULL;
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++) {
		for (size_t l = 0; c->s[i].record != NULL && l < c->o->nlabs; l++) {
			json_t *checks = json_object_get(record_lab(c->s[i].record, c->o->labs[l]->id),
							 "checks"), *chk;
			size_t j;
			json_array_foreach(checks, j, chk) {
				const char *name = json_string_value(json_object_get(chk, "name"));
				size_t k = 0;
				while (k < n && !(st[k].lab == (int)l && st[k].index == j))
					k++;
				if (k == n) {
					st = xrealloc(st, (n + 1) * sizeof(*st));
					st[n++] = (struct check_stat){ .name = xstrdup(name ? name : "?"),
								       .lab = (int)l, .index = j };
				} else {
					merge_name(&st[k].name, name ? name : "?");
				}
				st[k].seen++;
				st[k].passed += json_is_true(json_object_get(chk, "passed"));
			}
		}
	}
	if (n > 1)
		qsort(st, n, sizeof(*st), cmp_rate);
	*count = n;
	return st;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

double mean_of(const int *t, size_t n)
{
	double sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += t[i];
	return n > 0 ? sum / (double)n : 0;
}

double median_of(const int *sorted, size_t n)
{
	if (n == 0)
		return 0;
	return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
}

int *sorted_totals(const struct class *c, size_t *count, int *max_out)
{
	int *totals = xcalloc(c->n, sizeof(int)), max = 0;
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++)
		if (c->s[i].record != NULL) {
			totals[n++] = record_int(c->s[i].record, "score");
			int m = record_int(c->s[i].record, "max_score");
			max = m > max ? m : max;
		}
	if (n > 1)
		qsort(totals, n, sizeof(int), cmp_int);
	*count = n;
	*max_out = max;
	return totals;
}
