/*
 * html_check.c: a failed check in HTML: its hint, the command line run, the
 * expected and the seen text side by side (each line ok, wrong, missing or
 * extra, the characters that differ marked), and the calls the audit
 * library traced, as a timeline with the blamed or missing call marked.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lang/lang.h"
#include "report/html.h"
#include "run/sys.h"

/* Lines compared at most (the table shows HTML_DIFF_LINES of them): the
 * longest common subsequence costs their product. */
#define DIFF_MAX_LINES 600

struct lines {
	char **line;
	size_t n;
	bool cut;		/* more lines than DIFF_MAX_LINES */
};

static void split_lines(const char *s, struct lines *l)
{
	l->n = 0;
	l->cut = false;
	l->line = NULL;
	for (const char *p = s; *p != '\0';) {
		size_t n = strcspn(p, "\n");
		if (l->n == DIFF_MAX_LINES) {
			l->cut = true;
			break;
		}
		l->line = xrealloc(l->line, (l->n + 1) * sizeof(*l->line));
		l->line[l->n++] = strndup(p, n);
		if (l->line[l->n - 1] == NULL)
			die("out of memory");
		p += n + (p[n] == '\n');
	}
}

static void free_lines(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->line[i]);
	free(l->line);
}

/* A UTF-8 character boundary at or before i. */
static size_t boundary(const char *s, size_t i)
{
	while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)
		i--;
	return i;
}

/* s[from, to) escaped. */
static void text_range(FILE *f, const char *s, size_t from, size_t to)
{
	char *part = strndup(s + from, to - from);

	if (part == NULL)
		die("out of memory");
	html_text(f, part);
	free(part);
}

/* One cell of a wrong line: what lies between the common start and end of
 * a and b is marked. */
static void marked_cell(FILE *f, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), pre = 0, suf = 0;

	fputs("<td>", f);
	if (la > HTML_CELL_MAX || lb > HTML_CELL_MAX) {
		html_text_max(f, a, HTML_CELL_MAX);
		fputs("</td>", f);
		return;
	}
	while (pre < la && pre < lb && a[pre] == b[pre])
		pre++;
	pre = boundary(a, pre);
	while (suf < la - pre && suf < lb - pre && a[la - 1 - suf] == b[lb - 1 - suf])
		suf++;
	/* the suffix starts at a character in a (and so in b: same bytes) */
	while (suf > 0 && ((unsigned char)a[la - suf] & 0xc0) == 0x80)
		suf--;
	text_range(f, a, 0, pre);
	fputs("<mark>", f);
	text_range(f, a, pre, la - suf);
	fputs("</mark>", f);
	text_range(f, a, la - suf, la);
	fputs("</td>", f);
}

/* The table stays within its caps of lines and bytes. */
static bool room(FILE *f, long start, size_t rows)
{
	return rows < HTML_DIFF_LINES && ftell(f) - start < HTML_DIFF_BYTES;
}

enum row { ROW_OK, ROW_WRONG, ROW_MISSING, ROW_EXTRA };

static void diff_row(FILE *f, enum row kind, const char *e, const char *s)
{
	/* A symbol and a word each: the colour is never the only sign. */
	static const char *const cls[] = { "ok", "wrong", "missing", "extra" };
	static const char *const sym[] = { "\u2713", "\u2260", "\u2212", "+" };
	const char *word[] = { _("ok"), _("wrong"), _("missing"), _("extra") };

	fprintf(f, "<tr class=\"%s\"><td class=\"m\">%s %s</td>", cls[kind], sym[kind], word[kind]);
	if (kind == ROW_WRONG) {
		marked_cell(f, e, s);
		marked_cell(f, s, e);
	} else {
		const char *cells[2] = { e, s };
		for (int i = 0; i < 2; i++) {
			if (cells[i] == NULL) {
				fputs("<td class=\"none\"></td>", f);
				continue;
			}
			fputs("<td>", f);
			html_text_max(f, cells[i], HTML_CELL_MAX);
			fputs("</td>", f);
		}
	}
	fputs("</tr>\n", f);
}

/* Expected against seen, line by line, through their longest common
 * subsequence; between two common lines, removed and added lines pair up
 * as wrong ones, the rest are missing or extra. */
static void diff_table(FILE *f, const char *expected, const char *seen)
{
	struct lines e, s;

	split_lines(expected, &e);
	split_lines(seen, &s);
	size_t w = s.n + 1;
	uint16_t *lcs = xcalloc((e.n + 1) * w, sizeof(*lcs));
	for (size_t i = e.n; i-- > 0;)
		for (size_t j = s.n; j-- > 0;)
			lcs[i * w + j] = strcmp(e.line[i], s.line[j]) == 0 ?
				(uint16_t)(lcs[(i + 1) * w + j + 1] + 1) :
				(lcs[(i + 1) * w + j] > lcs[i * w + j + 1] ?
				 lcs[(i + 1) * w + j] : lcs[i * w + j + 1]);

	fprintf(f, "<table class=\"diff\"><colgroup><col class=\"m\"><col><col></colgroup>\n"
		"<thead><tr><th></th><th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
		_("Expected"), _("Seen"));
	size_t i = 0, j = 0, rows = 0;
	long start = ftell(f);
	while ((i < e.n || j < s.n) && room(f, start, rows)) {
		if (i < e.n && j < s.n && strcmp(e.line[i], s.line[j]) == 0) {
			diff_row(f, ROW_OK, e.line[i++], s.line[j++]);
			rows++;
			continue;
		}
		/* the run of lines up to the next common one */
		size_t di = i, dj = j;
		while (di < e.n || dj < s.n) {
			if (di < e.n && dj < s.n && strcmp(e.line[di], s.line[dj]) == 0)
				break;
			if (dj == s.n || (di < e.n && lcs[(di + 1) * w + dj] >= lcs[di * w + dj + 1]))
				di++;
			else
				dj++;
		}
		for (; (i < di || j < dj) && room(f, start, rows); rows++) {
			if (i < di && j < dj)
				diff_row(f, ROW_WRONG, e.line[i++], s.line[j++]);
			else if (i < di)
				diff_row(f, ROW_MISSING, e.line[i++], NULL);
			else
				diff_row(f, ROW_EXTRA, NULL, s.line[j++]);
		}
	}
	if (i < e.n || j < s.n || e.cut || s.cut)
		fprintf(f, "<tr><td colspan=\"3\">%s</td></tr>\n",
			_("\u2026 more lines: the text report shows them all"));
	fputs("</tbody></table>\n", f);
	free(lcs);
	free_lines(&e);
	free_lines(&s);
}

static void trace_timeline(FILE *f, const struct check *c)
{
	fprintf(f, "<h4>%s</h4>\n<ol class=\"trace\">\n", _("Calls traced in that run"));
	for (size_t i = 0; i < c->ntrace; i++) {
		const struct trace_call *t = &c->trace[i];
		fprintf(f, "<li class=\"call%s%s\"><code>", t->failed ? " failed" : "",
			t->marked ? " marked" : "");
		html_text(f, t->call);
		fputs("</code>", f);
		if (t->failed)
			fprintf(f, " <strong>\u2718 %s</strong>", _("failed"));
		if (t->marked)
			fprintf(f, " <strong>\u25c0 %s</strong>", _("this one"));
		if (t->detail != NULL && *t->detail != '\0') {
			fputs("<small>", f);
			html_text_max(f, t->detail, 256);
			fputs("</small>", f);
		}
		fputs("</li>\n", f);
	}
	if (c->missing_call != NULL) {
		fputs("<li class=\"missing\"><code>", f);
		html_text(f, c->missing_call);
		fprintf(f, "</code> <strong>\u26a0 %s</strong></li>\n", _("missing: never called"));
	}
	fputs("</ol>\n", f);
}

/* The output judgment's seen text marks each line for the text report
 * ("ok      ", "WRONG   ", "EXTRA   ", "MISSING " and the expected line);
 * into *lines go the lines the program printed, unmarked (a MISSING one was
 * never printed), and *rest points at what follows them (stderr...).
 * False when seen is not marked so. */
static bool unmark(const char *seen, char **lines, const char **rest)
{
	static const char *const marks[] = { "ok      ", "WRONG   ", "EXTRA   ", "MISSING " };
	const size_t mark_len = 8;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	bool marked = false;
	const char *p = seen;

	if (f == NULL)
		die("out of memory");
	while (*p != '\0') {
		size_t m = 0;
		while (m < 4 && strncmp(p, marks[m], mark_len) != 0)
			m++;
		if (m == 4)
			break;
		const char *end = strchr(p, '\n');
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
		if (m != 3)	/* not MISSING: a line it printed */
			fprintf(f, "%.*s\n", (int)(n - mark_len), p + mark_len);
		marked = true;
		p += n + (end != NULL);
	}
	if (fclose(f) != 0)
		die("out of memory");
	if (!marked) {
		free(out);
		return false;
	}
	*lines = out;
	*rest = p;
	return true;
}

void html_check_detail(FILE *f, const struct check *c)
{
	if (c->hint != NULL) {
		fprintf(f, "<p class=\"hint\"><strong>%s</strong> ", _("Hint:"));
		html_text_max(f, c->hint, HTML_BLOCK_MAX);
		fputs("</p>\n", f);
	}
	if (c->cmdline != NULL) {
		fprintf(f, "<p class=\"cmd\"><strong>%s</strong> <code>", _("Run:"));
		html_text_max(f, c->cmdline, 1024);
		fputs("</code></p>\n", f);
	}
	/* "$ CMDLINE" heading what was seen is the Run: line above */
	const char *seen = c->actual;
	if (seen != NULL && c->cmdline != NULL && strncmp(seen, "$ ", 2) == 0 &&
	    strncmp(seen + 2, c->cmdline, strlen(c->cmdline)) == 0 &&
	    seen[2 + strlen(c->cmdline)] == '\n')
		seen += 3 + strlen(c->cmdline);
	char *lines = NULL;
	const char *rest = NULL;
	if (c->expected != NULL && seen != NULL && unmark(seen, &lines, &rest)) {
		/* the text report's marked lines: the table marks them itself */
		diff_table(f, c->expected, lines);
		if (rest != NULL && *rest != '\0')
			html_pre(f, "seen", rest, HTML_BLOCK_MAX);
		free(lines);
	} else if (c->expected != NULL && seen != NULL) {
		diff_table(f, c->expected, seen);
	} else if (c->expected != NULL) {
		fprintf(f, "<h4>%s</h4>\n", _("Expected"));
		html_pre(f, "expected", c->expected, HTML_BLOCK_MAX);
	} else if (seen != NULL) {
		fprintf(f, "<h4>%s</h4>\n", _("Seen"));
		html_pre(f, "seen", seen, HTML_BLOCK_MAX);
	}
	if (c->ntrace > 0 || c->missing_call != NULL)
		trace_timeline(f, c);
}
