/*
 * html.c: the report a student reads in a browser (--format html): one
 * self-contained file, no script.  What the text report shows (each lab, its
 * score, each check), failed checks first with their detail (html_check.c),
 * passed ones folded away; the memory picture as SVG; the seed that replays
 * the grading and the sandbox line.  The first failed checks' hints open the
 * page, so that they are seen without scrolling.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "lang/lang.h"
#include "report/html.h"
#include "report/report.h"
#include "run/sys.h"

/* Failed checks listed, with their hint, at the top of the page. */
#define FIX_FIRST 5

static void score_bar(FILE *f, int score, int max)
{
	int pct = max > 0 ? score * 100 / max : 100;

	fprintf(f, " <span class=\"bar\" aria-hidden=\"true\"><span style=\"width:%d%%\"></span></span>",
		pct < 0 ? 0 : pct > 100 ? 100 : pct);
}

static void check_name(FILE *f, const struct check *c)
{
	if (c->passed)
		fprintf(f, "<span class=\"pass\">\u2714 %s</span> ", _("PASS"));
	else
		fprintf(f, "<span class=\"fail\">\u2718 %s</span> ", _("FAIL"));
	html_text_max(f, c->name, 1024);
	fprintf(f, " <span class=\"score\">(%d/%d)</span>", c->score, c->max_score);
}

static void fix_first(FILE *f, const struct report *r)
{
	size_t shown = 0, failed = 0;

	for (size_t i = 0; i < r->nlabs; i++)
		for (size_t j = 0; j < r->labs[i].nchecks; j++)
			failed += !r->labs[i].checks[j]->passed;
	if (failed == 0)
		return;
	fprintf(f, "<section class=\"fix\"><h2>%s</h2>\n<ol>\n", _("To fix first"));
	for (size_t i = 0; i < r->nlabs && shown < FIX_FIRST; i++) {
		const struct lab_result *lab = &r->labs[i];
		for (size_t j = 0; j < lab->nchecks && shown < FIX_FIRST; j++) {
			const struct check *c = lab->checks[j];
			if (c->passed)
				continue;
			fprintf(f, "<li><a href=\"#c%zu-%zu\">%s: ", i, j, lab->id);
			html_text_max(f, c->name, 300);
			fputs("</a>", f);
			if (c->hint != NULL) {
				fputs("<br><span class=\"fixhint\">", f);
				html_text_max(f, c->hint, 600);
				fputs("</span>", f);
			}
			fputs("</li>\n", f);
			shown++;
		}
	}
	fputs("</ol>\n", f);
	if (failed > shown)
		fprintf(f, "<p class=\"meta\">%s %zu</p>\n", _("Failed checks in all:"), failed);
	fputs("</section>\n", f);
}

static void lab_section(FILE *f, const struct lab_result *lab, size_t i)
{
	size_t passed = 0;

	fprintf(f, "<section id=\"lab%zu\">\n<h2>%s <span class=\"score\">%d/%d</span>", i, lab->id,
		lab->score, lab->max_score);
	score_bar(f, lab->score, lab->max_score);
	fputs("</h2>\n", f);
	if (lab->build_log != NULL) {
		fprintf(f, "<details%s><summary>%s</summary>\n", lab->build_failed ? " open" : "",
			lab->build_failed ? _("\u2718 Build failed: the compiler's messages") :
			_("\u26a0 Compiler warnings"));
		html_pre(f, "build", lab->build_log, HTML_BLOCK_MAX);
		fputs("</details>\n", f);
	}
	for (size_t j = 0; j < lab->nchecks; j++) {
		const struct check *c = lab->checks[j];
		if (c->passed) {
			passed++;
			continue;
		}
		fprintf(f, "<article class=\"check\" id=\"c%zu-%zu\"><h3>", i, j);
		check_name(f, c);
		fputs("</h3>\n", f);
		html_check_detail(f, c);
		fputs("</article>\n", f);
	}
	if (passed > 0) {
		fprintf(f, "<details><summary><span class=\"pass\">\u2714</span> %zu %s</summary>\n<ul>\n",
			passed, passed == 1 ? _("check passed") : _("checks passed"));
		for (size_t j = 0; j < lab->nchecks; j++) {
			if (!lab->checks[j]->passed)
				continue;
			fputs("<li>", f);
			check_name(f, lab->checks[j]);
			fputs("</li>\n", f);
		}
		fputs("</ul></details>\n", f);
	}
	html_memory_svg(f, lab);
	fputs("</section>\n", f);
}

char *report_html(const struct report *r, bool colour)
{
	(void)colour;
	char *text;
	size_t size;
	FILE *f = open_memstream(&text, &size);

	if (f == NULL)
		die_errno("open_memstream");
	char *title = xasprintf("mmaplab: %s %d/%d", r->submission, r->score, r->max_score);
	/* TRANSLATORS: the page's language tag (BCP 47), e.g. zh-CN */
	html_head(f, _("en"), title, NULL);
	free(title);
	fputs("<header>\n<h1>", f);
	html_text(f, _("mmaplab grader:"));
	fputc(' ', f);
	html_text(f, r->submission);
	fprintf(f, "</h1>\n<p class=\"score\">%s %d/%d", _("Score:"), r->score, r->max_score);
	score_bar(f, r->score, r->max_score);
	fprintf(f, "</p>\n<p class=\"meta\">%s <code>bin/grade --seed %u ", _("To replay this grading:"),
		r->seed);
	html_text(f, r->submission);
	fprintf(f, "</code> (%s %.1f s)</p>\n", _("graded in"), r->seconds);
	if (r->sandbox != NULL) {
		fprintf(f, "<p class=\"meta\">%s ", _("sandbox:"));
		html_text(f, r->sandbox);
		fputs("</p>\n", f);
	}
	fputs("</header>\n", f);
	fix_first(f, r);
	if (r->nlabs > 1) {
		fputs("<nav><ul>\n", f);
		for (size_t i = 0; i < r->nlabs; i++) {
			const struct lab_result *lab = &r->labs[i];
			fprintf(f, "<li><a href=\"#lab%zu\">%s</a> <span class=\"score\">%d/%d</span>%s</li>\n",
				i, lab->id, lab->score, lab->max_score,
				lab->score == lab->max_score ? " \u2714" : " \u2718");
		}
		fputs("</ul></nav>\n", f);
	}
	for (size_t i = 0; i < r->nlabs; i++)
		lab_section(f, &r->labs[i], i);
	fprintf(f, "<footer><p class=\"score\">%s %d/%d</p></footer>\n</body>\n</html>\n", _("Score:"),
		r->score, r->max_score);
	if (fclose(f) != 0)
		die("out of memory");
	return text;
}
