/*
 * pages.c: makes the pages the HTML tests look at (test_html.sh).
 *
 *   pages hostile FILE   a student page whose every string is the worst a
 *                        program can print: <script>, </pre>, javascript:
 *                        URLs, terminal escapes, invalid UTF-8, NUL bytes, a
 *                        200 kB line; with a traced timeline and a memory
 *                        picture, as the grader records them (show_bytes)
 *   pages class DIR      DIR/index.html: write_class_page(DIR), as class
 *                        mode calls it
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/class_page.h"
#include "report/report.h"
#include "run/sys.h"

#define RAW(s) { s, sizeof(s) - 1 }
static const struct {
	const char *bytes;
	size_t len;
} hostile[] = {
	RAW("<script>document.title='pwned';alert(1)</script>"),
	RAW("</pre></td></tr></table></details></article></section><h1>fake</h1><pre>"),
	RAW("<a href=\"javascript:alert(1)\">click</a> javascript:alert(2)"),
	RAW("<img src=x onerror=alert(3)><svg onload=alert(4)><style>body{display:none}</style>"),
	RAW("\x1b[2J\x1b[31mred\x1b[0m \x1b]0;title\x07 \xc2\x9b" "31m"),
	RAW("x\0x \xff\xfe \xc0\x80 \xed\xa0\x80 \xe2\x82 \x80 \r\b"),
	RAW("\xe2\x80\xae" "evil\xe2\x80\xac &amp; &lt; \"' <!-- -->"),
	RAW("Score: 999/999\n== 01-file-mapping  999/999\n"),
};
#define NHOSTILE (sizeof(hostile) / sizeof(hostile[0]))

static char *shown(const char *bytes, size_t len)
{
	return show_bytes(bytes, len, SIZE_MAX);
}

static void add_trace(struct check *c, const char *call, const char *detail, bool failed,
		      bool marked)
{
	c->trace = xrealloc(c->trace, (c->ntrace + 1) * sizeof(*c->trace));
	c->trace[c->ntrace++] = (struct trace_call){ xstrdup(call), xstrdup(detail), failed, marked };
}

static void hostile_page(const char *file)
{
	struct report r = { .submission = xstrdup("labs/<b>x</b>"), .seed = 4242, .seconds = 1.5,
			    .sandbox = xstrdup("posix, own uid 2000000 <i>") };
	struct lab_result *lab = report_add_lab(&r, "01-file-mapping");

	/* the first failed check: the one whose hint must be seen at once */
	struct check *first = lab_add_check(lab, 2, "mmap_hello writes hello");
	check_fail(first, "$ mmap_hello\nhello holds: hello world\nexit 0",
		   "$ mmap_hello\nhello holds: hello wrold\nexit 0\nextra line",
		   "HINT-FIRST: write the whole text, then munmap");
	first->cmdline = xstrdup("mmap_hello");
	add_trace(first, "open", "hello, O_RDWR|O_CREAT \u2192 fd 3", false, false);
	add_trace(first, "ftruncate", "fd 3, 12 bytes", false, false);
	add_trace(first, "mmap", "12 bytes, PROT_READ|PROT_WRITE, MAP_SHARED, fd 3", false, true);
	add_trace(first, "close", "fd 3", false, false);
	first->missing_call = xstrdup("munmap");
	check_pass(lab_add_check(lab, 3, "passed <script>alert(5)</script>"));
	for (size_t i = 0; i < NHOSTILE; i++) {
		char *s = shown(hostile[i].bytes, hostile[i].len);
		struct check *c = lab_add_check(lab, 1, "hostile %zu: %s", i, s);
		check_fail(c, s, s + 1, "%s", s);
		c->cmdline = xstrdup(s);
		add_trace(c, s, s, true, true);
		c->missing_call = xstrdup(s);
		free(s);
	}
	/* a 200 kB line, as the program printed it (cut as the grader cuts it) */
	char *line = xmalloc(200 * 1024);
	memset(line, 'W', 200 * 1024);
	char *all = shown(line, 200 * 1024);
	check_fail(lab_add_check(lab, 1, "long line"), "short", all, "%s", all);
	lab->build_log = all;
	free(line);

	lab = report_add_lab(&r, "02-fork-sharing");
	check_fail(lab_add_check(lab, 2, "fork_share shares"), "77", "0", "MAP_SHARED, not MAP_PRIVATE");
	lab->memory = xcalloc(4, sizeof(*lab->memory));
	const char *who[] = { "parent", "child", "parent", "child" };
	for (size_t i = 0; i < 4; i++) {
		struct memory_view *m = &lab->memory[lab->nmemory++];
		m->run = xstrdup(i < 2 ? "default" : "-p <script>");
		m->process = xstrdup(who[i]);
		m->moment = xstrdup(i % 2 ? "after the child's store" : "after wait </svg>");
		m->address = 0x7f0000000000ULL;
		m->length = 4096;
		m->has_frame = true;
		m->frame = i < 2 ? 0x1234 : 0x1234 + i;
		m->shared = i < 2;
		m->private_dirty_kb = i < 2 ? 0 : 4;
		m->shared_dirty_kb = i < 2 ? 4 : 0;
	}
	report_total(&r);
	char *text = report_html(&r, false);
	if (write_file_atomic(file, text, strlen(text)) == -1)
		die_errno("cannot write %s", file);
	free(text);
	report_free(&r);
}

int main(int argc, char *argv[])
{
	if (argc == 3 && strcmp(argv[1], "hostile") == 0) {
		hostile_page(argv[2]);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "class") == 0)
		return write_class_page(argv[2]) ? 0 : 1;
	fprintf(stderr, "usage: pages hostile FILE | pages class DIR\n");
	return 2;
}
