/*
 * class_page.c: RESULTS_DIR/index.html, the class at a glance, from what
 * class mode wrote there: grades.csv (every student, graded or not, in
 * order), students/ID.json (each graded student's record), histogram.svg and
 * similarity.json (the leads, when there are any).  One self-contained page:
 * the histogram, each lab's mean, each check's pass rate lowest first, the
 * students (sorted by id, or by total through links that need no script; a
 * script of the page's own sorts by any column), the similarity leads with
 * their matched regions side by side.
 */
#define _GNU_SOURCE
#include "report/class_page.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lang/lang.h"
#include "report/class_data.h"
#include "report/html.h"
#include "run/sys.h"

/* Leads shown, regions per lead, bytes per region's text, and the bytes of
 * page all leads may take: a class page of 300 stays under 2 MB. */
#define MAX_LEADS 100
#define MAX_REGIONS 3
#define REGION_MAX 2000
#define LEADS_BYTES (800 * 1024)

static void bar(FILE *f, double frac)
{
	int pct = (int)(frac * 100 + 0.5);

	fprintf(f, "<span class=\"bar\" aria-hidden=\"true\"><span style=\"width:%d%%\"></span></span>",
		pct < 0 ? 0 : pct > 100 ? 100 : pct);
}

/* The histogram class mode drew, when it is the picture it should be;
 * else one drawn here from the totals. */
static void histogram(FILE *f, const struct class_data *d)
{
	char *path = xasprintf("%s/histogram.svg", d->dir);
	size_t len;
	char *svg = read_file(path, 512 * 1024, &len);
	const char *start = svg != NULL && strlen(svg) == len ? strstr(svg, "<svg") : NULL;

	free(path);
	fprintf(f, "<h2>%s</h2>\n", _("Totals"));
	/* gnuplot's own file: but nothing that could run or load is let in */
	if (start != NULL && strcasestr(start, "<script") == NULL && strcasestr(start, "javascript:") == NULL &&
	    strcasestr(start, "foreignobject") == NULL && strcasestr(start, " on") == NULL &&
	    strcasestr(start, "href=\"http") == NULL && strstr(start, "</svg>") != NULL) {
		fprintf(f, "<div class=\"histogram\">%.*s</svg></div>\n",
			(int)(strstr(start, "</svg>") - start), start);
		free(svg);
		return;
	}
	free(svg);
	enum { BINS = 10, W = 600, H = 220 };
	size_t count[BINS] = { 0 }, top = 1;
	for (size_t i = 0; i < d->nstudents; i++) {
		if (!d->students[i].graded || d->max_total <= 0)
			continue;
		int b = d->students[i].total * BINS / d->max_total;
		count[b < 0 ? 0 : b >= BINS ? BINS - 1 : b]++;
	}
	for (int b = 0; b < BINS; b++)
		top = count[b] > top ? count[b] : top;
	fprintf(f, "<div class=\"histogram\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		"width=\"%d\" role=\"img\"><title>%s</title>\n", W, H + 30, W,
		_("Students per tenth of the points"));
	for (int b = 0; b < BINS; b++) {
		int h = (int)(count[b] * H / top), x = 10 + b * (W - 20) / BINS;
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#0072b2\"/>"
			"<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%zu</text>"
			"<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%d%%\u2013</text>\n",
			x + 2, H - h + 10, (W - 20) / BINS - 4, h, x + (W - 20) / BINS / 2, H - h + 7,
			count[b], x + (W - 20) / BINS / 2, H + 24, b * 10);
	}
	fputs("</svg></div>\n", f);
}

static void lab_means(FILE *f, const struct class_data *d)
{
	fprintf(f, "<h2>%s</h2>\n<div class=\"wide\"><table>\n<tr><th>%s</th><th class=\"n\">%s</th>"
		"<th class=\"n\">%s</th><th></th></tr>\n", _("Labs"), _("lab"), _("mean"), _("out of"));
	for (size_t l = 0; l < d->nlabs; l++) {
		const struct class_lab *lab = &d->labs[l];
		double mean = lab->graded > 0 ? lab->sum / lab->graded : 0;
		fputs("<tr><td>", f);
		html_text(f, lab->id);
		fprintf(f, "</td><td class=\"n\">%.1f</td><td class=\"n\">%d</td><td>", mean, lab->max);
		bar(f, lab->max > 0 ? mean / lab->max : 0);
		fputs("</td></tr>\n", f);
	}
	fputs("</table></div>\n", f);
}

static int by_rate(const void *a, const void *b)
{
	const struct class_check *x = a, *y = b;
	double rx = x->seen ? (double)x->passed / x->seen : 1, ry = y->seen ? (double)y->passed / y->seen : 1;

	return rx < ry ? -1 : rx > ry ? 1 : (x->order > y->order) - (x->order < y->order);
}

static void rates_head(FILE *f)
{
	fprintf(f, "<div class=\"wide\"><table>\n<tr><th class=\"n\">%s</th><th class=\"bc\"></th>"
		"<th>%s</th></tr>\n", _("passed"), _("check"));
}

/* Checks someone failed, in a table; those everyone passed folded away. */
static void check_rates(FILE *f, struct class_data *d)
{
	bool folded = false;

	if (d->nchecks > 1)
		qsort(d->checks, d->nchecks, sizeof(*d->checks), by_rate);
	fprintf(f, "<h2>%s</h2>\n<p class=\"meta\">%s</p>\n", _("Checks, the most failed first"),
		_("Where students' check names differ (random values), the words they share, then "
		  "\u2026."));
	rates_head(f);
	for (size_t i = 0; i < d->nchecks; i++) {
		const struct class_check *c = &d->checks[i];
		if (!folded && c->passed == c->seen) {
			fprintf(f, "</table></div>\n<details><summary>%zu %s</summary>\n", d->nchecks - i,
				_("checks every student passed"));
			rates_head(f);
			folded = true;
		}
		double rate = c->seen ? (double)c->passed / c->seen : 0;
		fprintf(f, "<tr><td class=\"n\">%.0f%% (%zu/%zu)</td><td class=\"bc\">", rate * 100,
			c->passed, c->seen);
		bar(f, rate);
		fputs("</td><td><span class=\"meta\">", f);
		html_text(f, c->lab);
		fputs("</span> ", f);
		html_text_max(f, c->name, 400);
		fputs("</td></tr>\n", f);
	}
	fprintf(f, "</table></div>\n%s", folded ? "</details>\n" : "");
}

static void student_table(FILE *f, const struct class_data *d, const size_t *order,
			  const char *id, const char *cls)
{
	fprintf(f, "<table class=\"students %s\" id=\"%s\">\n<thead><tr><th>%s</th>"
		"<th class=\"n\">%s</th>", cls, id, _("student"), _("total"));
	for (size_t l = 0; l < d->nlabs; l++) {
		fputs("<th class=\"n\">", f);
		html_text(f, d->labs[l].id);
		fputs("</th>", f);
	}
	fputs("</tr></thead>\n<tbody>\n", f);
	for (size_t k = 0; k < d->nstudents; k++) {
		const struct class_student *s = &d->students[order[k]];
		fputs("<tr><td>", f);
		if (s->report != NULL) {
			fputs("<a href=\"students/", f);
			html_url_segment(f, s->id);
			fprintf(f, ".%s\">", s->report);
		}
		html_text_max(f, s->id, 200);
		fputs(s->report != NULL ? "</a></td>" : "</td>", f);
		if (s->graded)
			fprintf(f, "<td class=\"n\">%d</td>", s->total);
		else
			fprintf(f, "<td class=\"n\">%s</td>", _("not graded"));
		for (size_t l = 0; l < d->nlabs; l++)
			if (s->lab_score[l] >= 0)
				fprintf(f, "<td class=\"n\">%d</td>", s->lab_score[l]);
			else
				fputs("<td class=\"n\">\u2013</td>", f);
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
}

static const struct class_data *sorting;

static int by_total(const void *a, const void *b)
{
	const struct class_student *x = &sorting->students[*(const size_t *)a];
	const struct class_student *y = &sorting->students[*(const size_t *)b];
	int tx = x->graded ? x->total : -1, ty = y->graded ? y->total : -1;

	return tx != ty ? (ty > tx) - (ty < tx) : strcmp(x->id, y->id);
}

static int by_id(const void *a, const void *b)
{
	return strcmp(sorting->students[*(const size_t *)a].id,
		      sorting->students[*(const size_t *)b].id);
}

/* Clicking a column's head sorts the main table by it: a nicety, the page
 * works without it (the links above it sort by total). */
static const char sort_script[] =
	"document.querySelectorAll('table.main th').forEach(function(th,col){"
	"th.style.cursor='pointer';th.title='sort';th.addEventListener('click',function(){"
	"var tb=th.closest('table').tBodies[0],rows=Array.prototype.slice.call(tb.rows),"
	"up=th.dataset.up!=='1';th.dataset.up=up?'1':'0';rows.sort(function(a,b){"
	"var x=a.cells[col].textContent,y=b.cells[col].textContent,nx=parseFloat(x),ny=parseFloat(y);"
	"var r=(isNaN(nx)||isNaN(ny))?x.localeCompare(y):nx-ny;return up?r:-r;});"
	"rows.forEach(function(r){tb.appendChild(r);});});});\n";

static void students(FILE *f, const struct class_data *d, const char *nonce)
{
	size_t *order = xmalloc((d->nstudents + 1) * sizeof(*order));

	fprintf(f, "<h2 id=\"students\">%s</h2>\n<p class=\"meta\">%s <a href=\"#students\">%s</a> \u00b7 "
		"<a href=\"#by-total\">%s</a></p>\n<div class=\"wide\">\n", _("Students"), _("Sort by:"),
		_("id"), _("total, highest first"));
	sorting = d;
	for (size_t i = 0; i < d->nstudents; i++)
		order[i] = i;
	qsort(order, d->nstudents, sizeof(*order), by_total);
	student_table(f, d, order, "by-total", "alt");
	qsort(order, d->nstudents, sizeof(*order), by_id);
	student_table(f, d, order, "by-id", "main");
	fprintf(f, "</div>\n<script nonce=\"%s\">%s</script>\n", nonce, sort_script);
	free(order);
}

static void region_text(FILE *f, json_t *region, const char *file, const char *from,
			const char *to, const char *text)
{
	fputs("<td><div class=\"meta\">", f);
	html_text(f, class_json_str(region, file));
	fprintf(f, " %lld\u2013%lld</div>", (long long)json_integer_value(json_object_get(region, from)),
		(long long)json_integer_value(json_object_get(region, to)));
	html_pre(f, "region", class_json_str(region, text), REGION_MAX);
	fputs("</td>", f);
}

static void leads(FILE *f, const struct class_data *d)
{
	if (!json_is_array(d->similarity))
		return;
	size_t i, n = json_array_size(d->similarity);
	json_t *pair;

	fprintf(f, "<h2>%s</h2>\n<p class=\"meta\">%s</p>\n", _("Similarity leads"),
		_("Pairs whose sources share code beyond the skeleton: a lead for a person to look at, "
		  "never a score."));
	if (n == 0)
		fprintf(f, "<p>%s</p>\n", _("No pair above the threshold."));
	long start = ftell(f);
	json_array_foreach(d->similarity, i, pair) {
		if (i == MAX_LEADS || ftell(f) - start > LEADS_BYTES) {
			fprintf(f, "<p class=\"meta\">%zu %s</p>\n", n - i,
				_("more pairs: similarity.csv lists them all"));
			break;
		}
		const char *keys[] = { "student_a", "student_b", "lab" };
		fputs("<details><summary>", f);
		for (size_t k = 0; k < 3; k++) {
			html_text_max(f, class_json_str(pair, keys[k]), 200);
			fputs(k == 0 ? " \u2194 " : k == 1 ? ", " : "", f);
		}
		fprintf(f, ": <strong>%.0f%%</strong>, %lld %s</summary>\n",
			json_number_value(json_object_get(pair, "percent")),
			(long long)json_integer_value(json_object_get(pair, "shared_lines")),
			_("lines shared"));
		json_t *regions = json_object_get(pair, "regions"), *region;
		size_t r;
		fputs("<table class=\"diff\"><tbody>\n", f);
		json_array_foreach(regions, r, region) {
			if (r == MAX_REGIONS)
				break;
			fputs("<tr>", f);
			region_text(f, region, "file_a", "from_a", "to_a", "text_a");
			region_text(f, region, "file_b", "from_b", "to_b", "text_b");
			fputs("</tr>\n", f);
		}
		fputs("</tbody></table></details>\n", f);
	}
}

/* A nonce no student byte can know: the policy runs no other script. */
static void make_nonce(char *buf, size_t size)
{
	unsigned char raw[16];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd == -1 || read(fd, raw, sizeof(raw)) != (ssize_t)sizeof(raw))
		die_errno("cannot read /dev/urandom");
	close(fd);
	for (size_t i = 0; i < sizeof(raw) && 2 * i + 2 < size; i++)
		snprintf(buf + 2 * i, 3, "%02x", raw[i]);
}

bool write_class_page(const char *out_dir)
{
	struct class_data d;
	char nonce[40], *text;
	size_t size;

	if (!class_data_load(out_dir, &d))
		return false;
	FILE *f = open_memstream(&text, &size);
	if (f == NULL)
		die_errno("open_memstream");
	make_nonce(nonce, sizeof(nonce));
	/* TRANSLATORS: the page's language tag (BCP 47), e.g. zh-CN */
	html_head(f, _("en"), _("mmaplab: the class"), nonce);
	fprintf(f, "<header><h1>%s</h1>\n<p class=\"meta\">", _("mmaplab: the class"));
	fprintf(f, _("%zu students, %zu graded; mean total %.1f out of %d."), d.nstudents, d.graded,
		d.graded ? d.sum_total / d.graded : 0.0, d.max_total);
	fputs("</p></header>\n", f);
	fputs("<div class=\"overview\"><div>\n", f);
	histogram(f, &d);
	fputs("</div><div>\n", f);
	lab_means(f, &d);
	fputs("</div></div>\n", f);
	check_rates(f, &d);
	students(f, &d, nonce);
	leads(f, &d);
	fputs("</body>\n</html>\n", f);
	if (fclose(f) != 0)
		die("out of memory");
	char *path = xasprintf("%s/index.html", out_dir);
	bool ok = write_file_atomic(path, text, size) == 0;
	if (!ok)
		fprintf(stderr, _("grade: cannot write %s: %s (is the results folder writable?)\n"),
			path, strerror(errno));
	free(path);
	free(text);
	class_data_free(&d);
	return ok;
}
