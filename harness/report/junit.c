/*
 * report_junit.c: the report as JUnit XML, the Ant format that CI systems
 * read (Jenkins, GitLab, GitHub test reporters): one <testsuite> per lab,
 * one <testcase> per check plus one for the compile.  A check that fails is
 * a <failure>; a lab that does not compile is an <error> of its compile case.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report/report.h"
#include "run/sys.h"

/* Text or attribute value, escaped.  The model holds printable UTF-8, but a
 * control byte XML 1.0 cannot carry at all is still replaced, not passed. */
static void xml_put(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;
		switch (ch) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		case '\n': case '\t': fputc(ch, f); break;
		default: fputc(ch < 0x20 ? '?' : ch, f);
		}
	}
}

/* A failed check's first hint line: the <failure message="...">. */
static char *first_line(const char *s)
{
	return strndup(s, strcspn(s, "\n"));
}

static void put_check(FILE *f, const char *lab, const struct check *c)
{
	fputs("    <testcase name=\"", f);
	/* "[id] name": the id joins results across languages */
	if (c->id != NULL) {
		fputc('[', f);
		xml_put(f, c->id);
		fputs("] ", f);
	}
	xml_put(f, c->name);
	fprintf(f, " (%d point%s)\" classname=\"mmaplab.", c->max_score, c->max_score == 1 ? "" : "s");
	xml_put(f, lab);
	fputs("\" time=\"0\"", f);
	if (c->passed) {
		fputs("/>\n", f);
		return;
	}
	char *message = first_line(c->hint != NULL ? c->hint : "check failed");
	char *detail = report_check_detail(c);
	fprintf(f, ">\n      <failure type=\"check failed\" message=\"%d/%d points: ",
		c->score, c->max_score);
	xml_put(f, message);
	fputs("\">", f);
	xml_put(f, detail);
	fputs("</failure>\n    </testcase>\n", f);
	free(message);
	free(detail);
}

char *report_junit(const struct report *r, bool colour)
{
	(void)colour;
	char *text, host[256] = "localhost", stamp[32];
	size_t size, failures = 0, errors = 0, tests = 0;
	time_t now = time(NULL);
	struct tm tm;
	FILE *f = open_memstream(&text, &size);

	if (f == NULL)
		die_errno("open_memstream");
	if (gethostname(host, sizeof(host)) == -1 || host[0] == '\0')
		strcpy(host, "localhost");
	host[sizeof(host) - 1] = '\0';
	/* Ant's timestamps are without a zone: UTC, said so in a property. */
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", gmtime_r(&now, &tm));
	for (size_t i = 0; i < r->nlabs; i++) {
		tests += r->labs[i].nchecks + 1;
		errors += r->labs[i].build_failed;
		for (size_t j = 0; j < r->labs[i].nchecks; j++)
			failures += !r->labs[i].checks[j]->passed;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"mmaplab\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
		"time=\"%.3f\">\n", tests, failures, errors, r->seconds);
	for (size_t i = 0; i < r->nlabs; i++) {
		const struct lab_result *lab = &r->labs[i];
		size_t failed = 0;
		for (size_t j = 0; j < lab->nchecks; j++)
			failed += !lab->checks[j]->passed;
		fputs("  <testsuite name=\"", f);
		xml_put(f, lab->id);
		fprintf(f, "\" package=\"mmaplab\" id=\"%zu\" hostname=\"", i);
		xml_put(f, host);
		fprintf(f, "\" timestamp=\"%s\" tests=\"%zu\" failures=\"%zu\" errors=\"%d\" "
			"skipped=\"0\" time=\"0\">\n    <properties>\n"
			"      <property name=\"submission\" value=\"", stamp, lab->nchecks + 1,
			failed, lab->build_failed);
		xml_put(f, r->submission);
		fprintf(f, "\"/>\n      <property name=\"seed\" value=\"%u\"/>\n"
			"      <property name=\"score\" value=\"%d/%d\"/>\n"
			"      <property name=\"timezone\" value=\"UTC\"/>\n    </properties>\n",
			r->seed, lab->score, lab->max_score);
		fputs("    <testcase name=\"compile\" classname=\"mmaplab.", f);
		xml_put(f, lab->id);
		if (lab->build_failed) {
			fputs("\" time=\"0\">\n      <error type=\"compile error\" "
			      "message=\"did not compile\">", f);
			xml_put(f, lab->build_log != NULL ? lab->build_log : "");
			fputs("</error>\n    </testcase>\n", f);
		} else {
			fputs("\" time=\"0\"/>\n", f);
		}
		for (size_t j = 0; j < lab->nchecks; j++)
			put_check(f, lab->id, lab->checks[j]);
		/* Warnings of a build that worked: the compile case has no room. */
		fputs("    <system-out>", f);
		if (!lab->build_failed && lab->build_log != NULL)
			xml_put(f, lab->build_log);
		fputs("</system-out>\n    <system-err></system-err>\n  </testsuite>\n", f);
	}
	fputs("</testsuites>\n", f);
	if (fclose(f) != 0)
		die("out of memory");
	return text;
}
