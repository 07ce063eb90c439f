/*
 * test_html.c: unit tests of the HTML reporters: the student's page
 * (report_html), a failed check's detail (the comparison of expected and
 * seen, the traced calls), the memory picture, the Gradescope output that
 * carries the same HTML, the trace filler (audit/trace.c) and the class page
 * (write_class_page).  Every page must hold the student's strings as text:
 * no byte of theirs may open an element.  (test_html.sh opens real pages in
 * a browser; these look at the markup itself.)
 */
#define _GNU_SOURCE
#include <check.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "audit/trace.h"
#include "report/class_page.h"
#include "report/html.h"
#include "report/report.h"
#include "run/sys.h"

/* Strings a program could print, recorded as the grader records them. */
static const char *const worst[] = {
	"<script>alert(1)</script>", "</pre></table><h1>x</h1>", "<a href=\"javascript:alert(2)\">",
	"<img src=x onerror=alert(3)>", "a & b \"q\" 'q'", "\\x1b[2J \\xff", "映射区",
};
#define NWORST (sizeof(worst) / sizeof(worst[0]))

/* The test's own escaping, to look for a string in a page. */
static char *escaped(const char *s)
{
	char *out;
	size_t size;
	FILE *f = open_memstream(&out, &size);

	ck_assert_ptr_nonnull(f);
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
	ck_assert_int_eq(fclose(f), 0);
	return out;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/* No raw control byte, valid UTF-8 (show_bytes leaves the page as it is),
 * no script, each <pre> closed. */
static void ck_page_safe(const char *page)
{
	char *same = show_bytes(page, strlen(page), SIZE_MAX);

	ck_assert_msg(strcmp(same, page) == 0, "a control byte or invalid UTF-8 in the page");
	free(same);
	ck_assert_ptr_null(strcasestr(page, "<script"));
	ck_assert_ptr_null(strcasestr(page, "<img"));
	ck_assert_ptr_null(strstr(page, "href=\"javascript"));
	ck_assert_uint_eq(count(page, "<pre"), count(page, "</pre>"));
	ck_assert_uint_eq(count(page, "<h1>"), 1);
}

static struct report *worst_report(void)
{
	struct report *r = xcalloc(1, sizeof(*r));

	r->submission = xstrdup("labs/<i>");
	r->seed = 77;
	r->sandbox = xstrdup("posix <b>");
	struct lab_result *lab = report_add_lab(r, "01-file-mapping");
	check_pass(lab_add_check(lab, 2, "passed one"));
	for (size_t i = 0; i < NWORST; i++) {
		struct check *c = lab_add_check(lab, 1, "check %s", worst[i]);
		check_fail(c, worst[i], worst[i], "hint %s", worst[i]);
		c->cmdline = xstrdup(worst[i]);
		c->missing_call = xstrdup(worst[i]);
	}
	report_total(r);
	return r;
}

START_TEST(test_page_shows_strings_as_text)
{
	struct report *r = worst_report();
	char *page = report_html(r, false);

	ck_page_safe(page);
	for (size_t i = 0; i < NWORST; i++) {
		char *e = escaped(worst[i]), *hint = xasprintf("hint %s", e);
		ck_assert_msg(strstr(page, hint) != NULL, "hint %zu not shown", i);
		ck_assert_uint_ge(count(page, e), 5);	/* name, hint, cmdline, both sides */
		free(hint);
		free(e);
	}
	ck_assert_ptr_nonnull(strstr(page, "bin/grade --seed 77 labs/&lt;i&gt;"));
	ck_assert_ptr_nonnull(strstr(page, "posix &lt;b&gt;"));
	/* the passed check is folded away, the failed ones are not */
	const char *fold = strstr(page, "<details><summary>");
	ck_assert_ptr_nonnull(fold);
	ck_assert(strstr(page, "passed one") > fold);
	ck_assert(strstr(page, "class=\"check\"") < fold);
	ck_assert_ptr_nonnull(strstr(page, "Score: 2/9"));
	free(page);
	report_free(r);
	free(r);
}
END_TEST

/* Big output is cut: the page stays small whatever was printed. */
START_TEST(test_page_size_is_bounded)
{
	struct report *r = worst_report();
	char *big = xmalloc(300 * 1024 + 1);

	memset(big, '<', 300 * 1024);
	big[300 * 1024] = '\0';
	struct check *c = lab_add_check(&r->labs[0], 1, "big");
	check_fail(c, big, big, "%s", big);
	r->labs[0].build_log = xstrdup(big);
	char *page = report_html(r, false);
	ck_assert_uint_lt(strlen(page), 200 * 1024);
	ck_assert_ptr_nonnull(strstr(page, "more bytes"));
	ck_page_safe(page);
	free(page);
	free(big);
	report_free(r);
	free(r);
}
END_TEST

static char *detail(const struct check *c)
{
	char *text;
	size_t size;
	FILE *f = open_memstream(&text, &size);

	ck_assert_ptr_nonnull(f);
	html_check_detail(f, c);
	ck_assert_int_eq(fclose(f), 0);
	return text;
}

/* The row classes of a comparison, in order: "ok wrong missing ". */
static char *row_kinds(const char *html)
{
	char *out = xcalloc(1, strlen(html) + 1);

	for (const char *p = html; (p = strstr(p, "<tr class=\"")) != NULL;) {
		p += strlen("<tr class=\"");
		size_t n = strcspn(p, "\"");
		strncat(out, p, n);
		strcat(out, " ");
	}
	return out;
}

START_TEST(test_diff_marks_lines_and_characters)
{
	struct check c = { .name = "x" };
	c.expected = "same\nhello world\n映射区\ngone\nend";
	c.actual = "same\nhello wrold\n映射X\nend\nextra";
	char *html = detail(&c), *kinds = row_kinds(html);

	ck_assert_str_eq(kinds, "ok wrong wrong missing ok extra ");
	ck_assert_ptr_nonnull(strstr(html, "hello w<mark>or</mark>ld"));
	ck_assert_ptr_nonnull(strstr(html, "hello w<mark>ro</mark>ld"));
	/* whole characters marked, never a byte of one */
	ck_assert_ptr_nonnull(strstr(html, "映射<mark>区</mark>"));
	ck_assert_ptr_nonnull(strstr(html, "映射<mark>X</mark>"));
	/* a word beside the symbol: not colour alone */
	ck_assert_ptr_nonnull(strstr(html, "\u2260 wrong"));
	ck_assert_ptr_nonnull(strstr(html, "\u2212 missing"));
	ck_assert_ptr_nonnull(strstr(html, "+ extra"));
	free(kinds);
	free(html);

	/* "$ CMDLINE" before the seen lines is the Run: line, not a line seen */
	c.expected = "exit 0";
	c.actual = "$ prog 1 2\nexit 1";
	c.cmdline = "prog 1 2";
	html = detail(&c);
	kinds = row_kinds(html);
	ck_assert_str_eq(kinds, "wrong ");
	ck_assert_ptr_nonnull(strstr(html, "<code>prog 1 2</code>"));
	ck_assert_ptr_null(strstr(html, "$ prog"));
	free(kinds);
	free(html);

	/* the output judgment's marked lines (judge.c): marks are not output */
	c.expected = "child, *p = 7\nparent, *p = 7\n";
	c.actual = "$ prog 1 2\nWRONG   Child, *p = 7\nok      parent, *p = 7\n"
		   "MISSING third\nstderr:\noops";
	html = detail(&c);
	kinds = row_kinds(html);
	ck_assert_str_eq(kinds, "wrong ok ");
	ck_assert_ptr_null(strstr(html, "WRONG"));
	ck_assert_ptr_null(strstr(html, "MISSING"));
	ck_assert_ptr_nonnull(strstr(html, "<mark>C</mark>hild"));
	ck_assert_ptr_nonnull(strstr(html, "stderr:\noops"));
	free(kinds);
	free(html);
	c.cmdline = NULL;
	c.expected = "same\nhello world\n映射区\ngone\nend";

	/* only one side: a block, no comparison */
	c.actual = NULL;
	html = detail(&c);
	ck_assert_ptr_null(strstr(html, "<table"));
	ck_assert_ptr_nonnull(strstr(html, "<pre class=\"expected\">same\n"));
	free(html);
}
END_TEST

/* An audit log as audit_log_load leaves one: a program that opened, sized
 * and mapped a file (the mmap made to fail), forked, and closed. */
static void fake_log(struct audit_log *log, size_t n)
{
	static const struct { int pid; enum audit_call call; const char *fn; int64_t ret; int err; } r[] = {
		{ 100, AUDIT_START, "start", 0, 0 },	{ 100, AUDIT_OPEN, "openat", 3, 0 },
		{ 100, AUDIT_FTRUNCATE, "ftruncate", 0, 0 }, { 100, AUDIT_MMAP, "mmap", -1, 12 },
		{ 100, AUDIT_FORK, "fork", 101, 0 },	{ 101, AUDIT_FORK, "fork", 0, 0 },
		{ 101, AUDIT_EXIT, "_exit", 0, 0 },	{ 100, AUDIT_CLOSE, "close", 0, 0 },
	};
	memset(log, 0, sizeof(*log));
	log->rec = xcalloc(n, sizeof(*log->rec));
	for (size_t i = 0; i < n; i++) {
		struct audit_rec *x = &log->rec[log->n++];
		size_t k = i < 8 ? i : 7;	/* more closes after the first eight */
		x->seq = (long)i + 1;
		x->pid = r[k].pid;
		x->call = r[k].call;
		snprintf(x->fn, sizeof(x->fn), "%s", r[k].fn);
		x->ret = r[k].ret;
		x->err = r[k].err;
		x->injected = r[k].err != 0;
		x->path = k == 1 ? xstrdup("data\x1b[2J<b>") : NULL;
	}
}

START_TEST(test_trace_fill_from_log)
{
	struct audit_log log;
	struct check c = { .name = "x" };

	fake_log(&log, 8);
	trace_fill(&c, &log, NULL, "munmap");
	/* start and the child's copy of the fork are left out */
	const char *calls[] = { "openat", "ftruncate", "mmap", "fork", "_exit", "close" };
	ck_assert_uint_eq(c.ntrace, 6);
	for (size_t i = 0; i < 6; i++)
		ck_assert_str_eq(c.trace[i].call, calls[i]);
	ck_assert(c.trace[2].failed && c.trace[2].marked);	/* the first failed call */
	for (size_t i = 0; i < 6; i++)
		ck_assert(i == 2 || (!c.trace[i].failed && !c.trace[i].marked));
	ck_assert_ptr_nonnull(strstr(c.trace[2].detail, "ENOMEM"));
	ck_assert_ptr_nonnull(strstr(c.trace[4].detail, "101"));	/* the child's */
	ck_assert_ptr_nonnull(strstr(c.trace[0].detail, "data\\x1b[2J<b>"));
	ck_assert_str_eq(c.missing_call, "munmap");
	char *html = detail(&c);
	ck_assert_ptr_nonnull(strstr(html, "<li class=\"call failed marked\"><code>mmap</code>"));
	ck_assert_ptr_nonnull(strstr(html, "<li class=\"missing\"><code>munmap</code>"));
	ck_assert_ptr_nonnull(strstr(html, "data\\x1b[2J&lt;b&gt;"));
	free(html);

	/* a long log: its head, the blamed call and its tail, the gaps said */
	struct audit_log big;
	fake_log(&big, 500);
	big.rec[300].err = 9;
	trace_fill(&c, &big, &big.rec[300], NULL);
	ck_assert_uint_le(c.ntrace, TRACE_MAX + 3);
	ck_assert_ptr_null(c.missing_call);
	size_t marked = 0, gaps = 0;
	for (size_t i = 0; i < c.ntrace; i++) {
		marked += c.trace[i].marked;
		gaps += strcmp(c.trace[i].call, "\u2026") == 0;
	}
	ck_assert_uint_eq(marked, 1);
	ck_assert_uint_eq(gaps, 2);
	ck_assert_str_eq(c.trace[c.ntrace - 1].call, "close");
	for (size_t i = 0; i < c.ntrace; i++) {
		free(c.trace[i].call);
		free(c.trace[i].detail);
	}
	free(c.trace);
	for (size_t i = 0; i < log.n; i++)
		free(log.rec[i].path);
	for (size_t i = 0; i < big.n; i++)
		free(big.rec[i].path);
	free(log.rec);
	free(big.rec);
}
END_TEST

static char *memory_svg(bool shared)
{
	struct lab_result lab = { .id = "02-fork-sharing" };
	struct memory_view v[2] = {
		{ "default", "parent", "after wait", 0x7f00, 4096, true, 0x42, 0, shared, 0, 4 },
		{ "default", "child", "after the child's store <b>", 0x7f00, 4096, true,
		  shared ? 0x42 : 0x43, 0, shared, 4, 0 },
	};
	char *text;
	size_t size;
	FILE *f = open_memstream(&text, &size);

	lab.memory = v;
	lab.nmemory = 2;
	html_memory_svg(f, &lab);
	ck_assert_int_eq(fclose(f), 0);
	return text;
}

START_TEST(test_memory_picture)
{
	char *shared = memory_svg(true), *private = memory_svg(false);

	/* one frame for both processes, or a page of the child's own */
	ck_assert_uint_eq(count(shared, "class=\"frame\""), 1);
	ck_assert_uint_eq(count(private, "class=\"frame\""), 2);
	ck_assert_uint_eq(count(shared, "<line "), 2);
	ck_assert_ptr_nonnull(strstr(shared, "MAP_SHARED"));
	ck_assert_ptr_nonnull(strstr(private, "MAP_PRIVATE"));
	ck_assert_ptr_nonnull(strstr(shared, "store &lt;b&gt;"));
	ck_assert_ptr_null(strstr(shared, "<b>"));
	free(shared);
	free(private);
}
END_TEST

START_TEST(test_gradescope_carries_html)
{
	struct report *r = worst_report();
	char *text = report_gradescope(r, false);
	json_t *root = json_loads(text, 0, NULL), *test;
	size_t i, failed = 0;

	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(json_string_value(json_object_get(root, "test_output_format")), "html");
	json_array_foreach(json_object_get(root, "tests"), i, test) {
		const char *out = json_string_value(json_object_get(test, "output"));
		ck_assert_str_eq(json_string_value(json_object_get(test, "output_format")), "html");
		ck_assert_ptr_null(strcasestr(out, "<script"));
		ck_assert_ptr_null(strcasestr(out, "<img"));
		failed += strstr(out, "class=\"hint\"") != NULL;
	}
	ck_assert_uint_eq(failed, NWORST);
	json_decref(root);
	free(text);
	report_free(r);
	free(r);
}
END_TEST

/* A check's id in every machine format; a lab's memory picture in JSON. */
START_TEST(test_ids_and_memory_in_formats)
{
	struct report *r = worst_report();
	struct lab_result *lab = &r->labs[0];
	lab->checks[1]->id = xstrdup("mmap-hello.writes-hello");
	lab->memory = xcalloc(1, sizeof(*lab->memory));
	lab->memory[0] = (struct memory_view){ xstrdup("default"), xstrdup("child"),
		xstrdup("after wait"), 0x7f00, 4096, true, 0x1a2b, 0, true, 0, 4 };
	lab->nmemory = 1;

	char *json = report_json(r, false), *gs = report_gradescope(r, false);
	char *junit = report_junit(r, false), *tap = report_tap(r, false);
	json_t *root = json_loads(json, 0, NULL);
	json_t *jl = json_array_get(json_object_get(root, "labs"), 0);
	json_t *jc = json_array_get(json_object_get(jl, "checks"), 1);
	ck_assert_str_eq(json_string_value(json_object_get(jc, "id")), "mmap-hello.writes-hello");
	ck_assert(json_is_null(json_object_get(json_array_get(json_object_get(jl, "checks"), 0), "id")));
	json_t *m = json_array_get(json_object_get(jl, "memory"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(m, "frame")), "0x1a2b");
	ck_assert_str_eq(json_string_value(json_object_get(m, "process")), "child");
	ck_assert_int_eq(json_integer_value(json_object_get(m, "shared_dirty_kb")), 4);
	ck_assert(json_is_true(json_object_get(m, "shared")));
	json_decref(root);
	ck_assert_ptr_nonnull(strstr(gs, "\"extra_data\": {\n        \"id\": \"mmap-hello.writes-hello\""));
	ck_assert_ptr_nonnull(strstr(junit, "name=\"[mmap-hello.writes-hello] check &lt;script"));
	ck_assert_ptr_nonnull(strstr(tap, "01-file-mapping: [mmap-hello.writes-hello] check <script"));
	free(json);
	free(gs);
	free(junit);
	free(tap);
	report_free(r);
	free(r);
}
END_TEST

static void put(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);

	ck_assert_int_eq(write_file_atomic(path, text, strlen(text)), 0);
	free(path);
}

START_TEST(test_class_page)
{
	char *dir = make_temp_dir(NULL, "test_html"), *students = xasprintf("%s/students", dir);

	ck_assert_ptr_nonnull(dir);
	ck_assert_int_eq(mkdir(students, 0755), 0);
	put(dir, "grades.csv", "id,total,01-file-mapping\n\"a<b>\",3,3\nbob,1,1\nnever,,\n");
	const char rec[] = "{\"student\":\"%s\",\"score\":%d,\"max_score\":3,\"labs\":[{\"id\":"
			   "\"01-file-mapping\",\"score\":%d,\"max_score\":3,\"checks\":["
			   "{\"name\":\"easy\",\"passed\":true},{\"name\":\"hard %d\",\"passed\":%s}]}]}";
	char *a = xasprintf(rec, "a<b>", 3, 3, 17, "true"), *b = xasprintf(rec, "bob", 1, 1, 18, "false");
	put(students, "a<b>.json", a);
	put(students, "bob.json", b);
	put(students, "bob.html", "<!doctype html>");
	put(students, "bob.gradescope.json", "{\"tests\":[]}");
	put(dir, "similarity.json", "[{\"student_a\":\"a<b>\",\"student_b\":\"bob\",\"lab\":"
	    "\"01-file-mapping\",\"percent\":90,\"shared_lines\":12,\"regions\":[{\"file_a\":"
	    "\"x.c\",\"from_a\":1,\"to_a\":2,\"file_b\":\"y.c\",\"from_b\":3,\"to_b\":4,"
	    "\"text_a\":\"</pre><script>\",\"text_b\":\"int x;\"}]}]");
	ck_assert(write_class_page(dir));
	char *path = xasprintf("%s/index.html", dir);
	size_t len;
	char *page = read_file(path, 1 << 20, &len);
	ck_assert_ptr_nonnull(page);
	/* the page's own script, with its nonce, and none other */
	ck_assert_uint_eq(count(page, "<script"), 1);
	ck_assert_ptr_nonnull(strstr(page, "<script nonce=\""));
	ck_assert_ptr_nonnull(strstr(page, "&lt;/pre&gt;&lt;script&gt;"));
	ck_assert_ptr_nonnull(strstr(page, "a&lt;b&gt;"));
	ck_assert_ptr_nonnull(strstr(page, "<a href=\"students/bob.html\">bob</a>"));
	ck_assert_ptr_nonnull(strstr(page, "not graded"));
	/* the failed check first, the one all passed folded away; 2 mean of 3 */
	const char *hard = strstr(page, "hard \u2026"), *easy = strstr(page, "</span> easy<");
	ck_assert_ptr_nonnull(hard);
	ck_assert_ptr_nonnull(easy);
	ck_assert(hard < easy);
	ck_assert_ptr_nonnull(strstr(page, "50% (1/2)"));
	ck_assert_ptr_nonnull(strstr(page, ">2.0<"));
	ck_assert_ptr_nonnull(strstr(page, "12 lines shared"));
	free(page);
	free(a);
	free(b);
	ck_assert_int_eq(remove_tree(dir), 0);

	/* nobody graded: no record, no similarity.json; a page all the same */
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	ck_assert_int_eq(mkdir(students, 0755), 0);
	put(dir, "grades.csv", "id,total,01-file-mapping\nbob,,\n");
	ck_assert(write_class_page(dir));
	page = read_file(path, 1 << 20, &len);
	ck_assert_ptr_nonnull(page);
	ck_assert_ptr_nonnull(strstr(page, "1 students, 0 graded"));
	ck_assert_ptr_null(strstr(page, "Similarity leads"));
	free(page);
	ck_assert_int_eq(remove_tree(dir), 0);
	/* a folder that is not there: false, said */
	ck_assert(!write_class_page(dir));
	free(path);
	free(students);
	free(dir);
}
END_TEST

static Suite *html_suite(void)
{
	Suite *s = suite_create("html");
	TCase *tc = tcase_create("html");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_page_shows_strings_as_text);
	tcase_add_test(tc, test_page_size_is_bounded);
	tcase_add_test(tc, test_diff_marks_lines_and_characters);
	tcase_add_test(tc, test_trace_fill_from_log);
	tcase_add_test(tc, test_memory_picture);
	tcase_add_test(tc, test_gradescope_carries_html);
	tcase_add_test(tc, test_ids_and_memory_in_formats);
	tcase_add_test(tc, test_class_page);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(html_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
