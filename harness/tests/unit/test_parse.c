/*
 * test_parse.c: unit tests of how the grader reads what it is given: the
 * parent/child lines of labs 02 and 03 and the hints drawn from them
 * (parent_child.h), lab names (lab_find) and student bytes made printable
 * (show_bytes).
 */
#define _GNU_SOURCE
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labs/judge.h"
#include "labs/labs.h"
#include "labs/parent_child.h"
#include "report/result.h"
#include "run/sys.h"
#include "labs/trial.h"

/* ---- pc_parse ------------------------------------------------------------------ */

START_TEST(test_pc_parse_both_lines)
{
	struct pc_output o;

	pc_parse("child, *p = 4821, var = 77\nparent, *p = 4821, var = 100\n", &o);
	ck_assert_int_eq(o.child.index, 0);
	ck_assert_int_eq(o.child.p, 4821);
	ck_assert(o.child.has_var);
	ck_assert_int_eq(o.child.var, 77);
	ck_assert_int_eq(o.parent.index, 1);
	ck_assert_int_eq(o.parent.p, 4821);
	ck_assert(o.parent.has_var);
	ck_assert_int_eq(o.parent.var, 100);
	ck_assert(!o.repeated);

	/* lab 03's lines: no var; no final newline */
	pc_parse("child, *p = -5\nparent, *p = 0", &o);
	ck_assert_int_eq(o.child.index, 0);
	ck_assert_int_eq(o.child.p, -5);
	ck_assert(!o.child.has_var);
	ck_assert_int_eq(o.parent.index, 1);
	ck_assert_int_eq(o.parent.p, 0);
	ck_assert(!o.parent.has_var);
}
END_TEST

START_TEST(test_pc_parse_odd_output)
{
	struct pc_output o;

	pc_parse("", &o);
	ck_assert_int_eq(o.child.index, -1);
	ck_assert_int_eq(o.parent.index, -1);
	ck_assert(!o.repeated);

	/* other lines around them count in the line numbers */
	pc_parse("hello\nparent, *p = 1\nchild, *p = 2\n", &o);
	ck_assert_int_eq(o.parent.index, 1);
	ck_assert_int_eq(o.child.index, 2);

	/* a line with more after the numbers is not the line */
	pc_parse("child, *p = 2000 (done)\nparent, *p = 2000, var = 100!\n", &o);
	ck_assert_int_eq(o.child.index, -1);
	ck_assert_int_eq(o.parent.index, -1);

	/* the first of each counts */
	pc_parse("child, *p = 1\nchild, *p = 2\nparent, *p = 3\nparent, *p = 4\n", &o);
	ck_assert_int_eq(o.child.p, 1);
	ck_assert_int_eq(o.parent.p, 3);

	/* a long line is neither, and does not overrun anything */
	char *longline = xasprintf("child, *p = 7%0300d\nparent, *p = 7\n", 0);
	memset(longline + 13, 'x', 300);
	pc_parse(longline, &o);
	ck_assert_int_eq(o.child.index, -1);
	ck_assert_int_eq(o.parent.index, 1);
	free(longline);
}
END_TEST

START_TEST(test_pc_parse_repeated)
{
	struct pc_output o;

	pc_parse("child, *p = 2000\nchild, *p = 2000\nparent, *p = 2000\n", &o);
	ck_assert(o.repeated);
	pc_parse("child, *p = 2000\nparent, *p = 2000\nparent, *p = 2000\n", &o);
	ck_assert(o.repeated);
	/* Not next to each other: a buffer copied at fork prints its bytes once
	 * in each process, with the other's lines between. */
	pc_parse("child, *p = 2000\nparent, *p = 2000\nchild, *p = 2000\n", &o);
	ck_assert(o.repeated);
	pc_parse("child, *p = 2000\nparent, *p = 2000\n", &o);
	ck_assert(!o.repeated);
}
END_TEST

/* ---- pc_hint ------------------------------------------------------------------- */

static const struct {
	const char *out;
	int value, var;
	bool shared;
	const char *says;	/* a phrase of the hint; NULL: no hint */
} hints[] = {
	{ "child, *p = 4821, var = 77\nparent, *p = 4821, var = 100\n", 4821, 77, true, NULL },
	{ "child, *p = 4821, var = 77\nparent, *p = 0, var = 100\n", 4821, 77, false, NULL },
	{ "child, *p = 4821\nparent, *p = 4821\n", 4821, -1, true, NULL },
	{ "child, *p = 9\nchild, *p = 9\nparent, *p = 9\n", 9, -1, true, "printed twice" },
	{ "parent, *p = 9\n", 9, -1, true, "no \"child" },
	{ "child, *p = 9\n", 9, -1, true, "no \"parent" },
	{ "parent, *p = 9\nchild, *p = 9\n", 9, -1, true, "waitpid" },
	{ "child, *p = 8\nparent, *p = 8\n", 9, -1, true, "*p = 9" },
	{ "child, *p = 9, var = 1\nparent, *p = 9, var = 100\n", 9, 77, true, "VAR" },
	{ "child, *p = 4821\nparent, *p = 0\n", 4821, -1, true, "MAP_PRIVATE?" },
	{ "child, *p = 4821\nparent, *p = 2000\n", 4821, -1, true, "document's number" },
	{ "child, *p = 4821, var = 77\nparent, *p = 4821, var = 100\n", 4821, 77, false,
	  "must still see 0" },
	{ "child, *p = 4821\nparent, *p = 17\n", 4821, -1, true, "the parent saw 17" },
	{ "child, *p = 4821, var = 77\nparent, *p = 4821, var = 77\n", 4821, 77, true,
	  "var = 100" },
	{ "child, *p = 4821, var = 77\nparent, *p = 4821\n", 4821, 77, true, "var = 100" },
	/* the document's 2000 whatever VALUE: VALUE ignored, not "print what it wrote" */
	{ "child, *p = 2000, var = 77\nparent, *p = 2000, var = 100\n", 7767, 77, true,
	  "VALUE is ignored" },
	{ "child, *p = 2000\nparent, *p = 2000\n", 7767, -1, true, "the child must store VALUE" },
};

START_TEST(test_pc_hint)
{
	struct pc_output o;
	char buf[512];

	pc_parse(hints[_i].out, &o);
	const char *h = pc_hint(&o, hints[_i].value, hints[_i].var, hints[_i].shared, buf,
				sizeof(buf));
	if (hints[_i].says == NULL)
		ck_assert_msg(h == NULL, "%s: unexpected hint \"%s\"", hints[_i].out, h);
	else
		ck_assert_msg(h != NULL && strstr(h, hints[_i].says) != NULL,
			      "%s: hint \"%s\" does not say \"%s\"", hints[_i].out,
			      h ? h : "(none)", hints[_i].says);
}
END_TEST

/* A line that is there but differs is shown as a near miss, the first
 * difference marked; a missing line or one far off is not. */
static const struct {
	const char *out, *expected, *says;
} misses[] = {
	{ "Child, *p = 4821, var = 77\nparent, *p = 4821, var = 100\n",
	  "child, *p = 4821, var = 77\nparent, *p = 4821, var = 100\n",
	  "character 1 is 'C' where 'c' is expected" },
	{ "child, *p = 4821 var = 77\n", "child, *p = 4821, var = 77\n",
	  "character 17 is ' ' where ',' is expected" },
	{ "child, *p = 4821\n", "child, *p = 4821\nparent, *p = 4821\n", NULL },
	{ "hello world\n", "child, *p = 4821\n", NULL },
};

START_TEST(test_near_miss)
{
	char buf[600];
	bool near = near_miss(misses[_i].out, misses[_i].expected, buf, sizeof(buf));

	if (misses[_i].says == NULL) {
		ck_assert_msg(!near, "%s: a near miss: %s", misses[_i].out, buf);
	} else {
		ck_assert_msg(near, "%s: no near miss", misses[_i].out);
		ck_assert_msg(strstr(buf, "near miss") != NULL && strstr(buf, misses[_i].says) != NULL,
			      "%s: \"%s\" does not say \"%s\"", misses[_i].out, buf, misses[_i].says);
	}
}
END_TEST

/* A hint written into a small buffer is cut, not overrun (ASan watches). */
START_TEST(test_pc_hint_small_buffer)
{
	struct pc_output o;
	char *buf = xmalloc(16);

	pc_parse("child, *p = 4821\nparent, *p = 17\n", &o);
	const char *h = pc_hint(&o, 4821, -1, true, buf, 16);
	ck_assert_ptr_eq(h, buf);
	ck_assert_uint_eq(strlen(h), 15);
	free(buf);
}
END_TEST

/* ---- lab_find -------------------------------------------------------------------- */

static const struct {
	const char *name, *id;	/* id NULL: no such lab */
} names[] = {
	{ "01", "01-file-mapping" },
	{ "1", "01-file-mapping" },
	{ "01-file-mapping", "01-file-mapping" },
	{ "file-mapping", "01-file-mapping" },
	{ "02", "02-fork-sharing" },
	{ "fork-sharing", "02-fork-sharing" },
	{ "3", "03-anonymous-mapping" },
	{ "03-anonymous-mapping", "03-anonymous-mapping" },
	{ "004", "04-writer-reader" },
	{ "writer-reader", "04-writer-reader" },
	{ "", NULL },
	{ "0", NULL },
	{ "99", NULL },
	{ "0001", NULL },
	{ "01x", NULL },
	{ "-1", NULL },
	{ "fork", NULL },
	{ "01-fork-sharing", NULL },
	{ "1-file-mapping", NULL },
	{ "file-mapping ", NULL },
	{ "FILE-MAPPING", NULL },
};

START_TEST(test_lab_find)
{
	const struct lab *l = lab_find(names[_i].name);

	if (names[_i].id == NULL)
		ck_assert_msg(l == NULL, "\"%s\" found %s", names[_i].name, l ? l->id : "");
	else
		ck_assert_msg(l != NULL && strcmp(l->id, names[_i].id) == 0,
			      "\"%s\" found %s, not %s", names[_i].name, l ? l->id : "nothing",
			      names[_i].id);
}
END_TEST

/* Every lab of the table is found by its id and by its number, and the
 * table is in teaching order, as the reports list the labs. */
START_TEST(test_lab_table)
{
	int prev = 0;

	for (const struct lab *const *l = lab_table; *l != NULL; l++) {
		const char *id = (*l)->id;
		char num[3] = { id[0], id[1], '\0' };
		ck_assert_msg(strlen(id) > 3 && strspn(id, "0123456789") == 2 && id[2] == '-',
			      "id \"%s\" is not NN-name", id);
		ck_assert_ptr_eq(lab_find(id), *l);
		ck_assert_ptr_eq(lab_find(num), *l);
		ck_assert_int_gt(atoi(num), prev);
		prev = atoi(num);
		ck_assert_ptr_nonnull((*l)->programs);
		ck_assert_ptr_nonnull((*l)->programs[0]);
		ck_assert_ptr_nonnull((*l)->plan);
		ck_assert_ptr_nonnull((*l)->checks);
		ck_assert_ptr_nonnull((*l)->checks[0].id);
	}
	ck_assert_int_ge(prev, 4);
}
END_TEST

/* Every row of every lab's table: a stable ASCII id of its own ("prog.what"),
 * points, a title, the SPEC clause it enforces, a run, a judge. */
START_TEST(test_lab_checks)
{
	const char *seen[256];
	size_t n = 0;

	for (const struct lab *const *l = lab_table; *l != NULL; l++)
		for (const struct lab_check *c = (*l)->checks; c->id != NULL; c++) {
			ck_assert_msg(strspn(c->id, "abcdefghijklmnopqrstuvwxyz0123456789-.") ==
				      strlen(c->id) && strchr(c->id, '.') != NULL,
				      "check id \"%s\" is not prog.what in [a-z0-9-.]", c->id);
			for (size_t i = 0; i < n; i++)
				ck_assert_msg(strcmp(seen[i], c->id) != 0, "two checks %s", c->id);
			ck_assert_uint_lt(n, 256);
			seen[n++] = c->id;
			ck_assert_int_gt(c->points, 0);
			ck_assert_ptr_nonnull(c->title);
			ck_assert_msg(c->clause != NULL && strncmp(c->clause, "§", 2) == 0,
				      "check %s cites no SPEC clause", c->id);
			ck_assert_ptr_nonnull(c->runs[0]);
			ck_assert_ptr_nonnull(c->judge);
		}
	ck_assert_uint_ge(n, 20);
}
END_TEST

/* Each lab's handout, "What the grader checks", lists every check of its
 * table by id (run from the project's top folder, as make does). */
START_TEST(test_handouts_list_checks)
{
	for (const struct lab *const *l = lab_table; *l != NULL; l++) {
		char *path = xasprintf("labs/%s/README.md", (*l)->id);
		size_t len;
		char *text = read_file(path, 1 << 20, &len);
		ck_assert_msg(text != NULL, "cannot read %s", path);
		const char *section = strstr(text, "## What the grader checks");
		ck_assert_msg(section != NULL, "%s has no \"What the grader checks\"", path);
		for (const struct lab_check *c = (*l)->checks; c->id != NULL; c++) {
			char *cell = xasprintf("| `%s` |", c->id);
			ck_assert_msg(strstr(section, cell) != NULL, "%s does not list %s", path, c->id);
			free(cell);
		}
		free(text);
		free(path);
	}
}
END_TEST

/* ---- show_bytes ------------------------------------------------------------------ */

static const struct {
	const char *in;
	size_t len, max;
	const char *out;
} shown[] = {
	{ "", 0, 10, "" },
	{ "hello\n\tworld", 12, 100, "hello\n\tworld" },
	{ "a\0b", 3, 100, "a\\x00b" },
	{ "\x1b[31mred", 8, 100, "\\x1b[31mred" },
	{ "\r\x7f\x01", 3, 100, "\\x0d\\x7f\\x01" },
	{ "\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80", 9, 100, "\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80" },
	/* U+FFFF, U+10FFFF */
	{ "\xef\xbf\xbf\xf4\x8f\xbf\xbf", 7, 100, "\xef\xbf\xbf\xf4\x8f\xbf\xbf" },
	{ "\x80", 1, 100, "\\x80" },
	{ "\xc0\xaf", 2, 100, "\\xc0\\xaf" },			/* overlong '/' */
	{ "\xe0\x80\xaf", 3, 100, "\\xe0\\x80\\xaf" },		/* overlong */
	{ "\xed\xa0\x80", 3, 100, "\\xed\\xa0\\x80" },		/* surrogate */
	{ "\xf4\x90\x80\x80", 4, 100, "\\xf4\\x90\\x80\\x80" },	/* past U+10FFFF */
	{ "\xf5\x80", 2, 100, "\\xf5\\x80" },
	{ "\xe4\xb8", 2, 100, "\\xe4\\xb8" },			/* cut short at the end */
	{ "\xe4\xb8" "a", 3, 100, "\\xe4\\xb8" "a" },		/* cut short by a letter */
	{ "abcdef", 6, 6, "abcdef" },
	{ "abcdef", 6, 3, "abc... (3 more bytes)" },
	{ "\xe4\xb8\xad", 3, 2, "\\xe4\\xb8... (1 more bytes)" },	/* cut inside a character */
};

START_TEST(test_show_bytes_examples)
{
	char *s = show_bytes(shown[_i].in, shown[_i].len, shown[_i].max);

	ck_assert_str_eq(s, shown[_i].out);
	free(s);
}
END_TEST

/* The C1 control characters U+0080 to U+009F are valid UTF-8 but are
 * controls all the same: U+009B is CSI, the 8-bit form of ESC [, and
 * terminals that honour C1 (xterm among them) would obey a student's
 * "\xc2\x9b2J" in the text report.  None may pass through raw. */
START_TEST(test_show_bytes_c1_controls)
{
	const char in[] = "\xc2\x9b" "2J\xc2\x85\xc2\x80\xc2\x9f";
	char *s = show_bytes(in, sizeof(in) - 1, 100);

	for (const char *p = s; (p = strchr(p, '\xc2')) != NULL; p++)
		ck_assert_msg((unsigned char)p[1] < 0x80 || (unsigned char)p[1] > 0x9f,
			      "a C1 control passed raw: \"%s\"", s);
	free(s);
}
END_TEST

/* Random bytes: valid text, broken sequences and controls mixed. */
static size_t random_bytes(unsigned *rng, char *buf, size_t max)
{
	size_t n = 0, want = rand_between(rng, 0, (unsigned)max - 4);

	while (n < want) {
		unsigned kind = rand_between(rng, 0, 9), cp;
		if (kind < 4) {			/* printable ASCII but the backslash */
			do
				buf[n] = (char)rand_between(rng, 0x20, 0x7e);
			while (buf[n] == '\\');
			n++;
		} else if (kind < 5) {		/* a control byte, NUL or DEL */
			cp = rand_between(rng, 0, 32);
			buf[n++] = (char)(cp == 32 ? 0x7f : cp);
		} else if (kind < 7) {		/* any byte of the upper half */
			buf[n++] = (char)rand_between(rng, 0x80, 0xff);
		} else {			/* a character of 2, 3 or 4 bytes */
			do
				cp = rand_between(rng, 0x80, 0x10ffff);
			while (cp >= 0xd800 && cp <= 0xdfff);
			if (cp < 0x800) {
				buf[n++] = (char)(0xc0 | cp >> 6);
			} else if (cp < 0x10000) {
				buf[n++] = (char)(0xe0 | cp >> 12);
				buf[n++] = (char)(0x80 | (cp >> 6 & 0x3f));
			} else {
				buf[n++] = (char)(0xf0 | cp >> 18);
				buf[n++] = (char)(0x80 | (cp >> 12 & 0x3f));
				buf[n++] = (char)(0x80 | (cp >> 6 & 0x3f));
			}
			buf[n++] = (char)(0x80 | (cp & 0x3f));
		}
	}
	return n;
}

/* Undoes show_bytes for input without backslashes: \xNN back to the byte. */
static size_t unshow(const char *s, size_t len, char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned byte;
		if (s[i] == '\\' && s[i + 1] == 'x' && sscanf(s + i + 2, "%2x", &byte) == 1) {
			out[n++] = (char)byte;
			i += 3;
		} else {
			out[n++] = s[i];
		}
	}
	return n;
}

/* Whatever the bytes: the result is valid UTF-8 (jansson checks it), has no
 * control byte but \n and \t, loses nothing, and notes what it cut. */
START_TEST(test_show_bytes_random)
{
	enum { MAX = 300 };
	unsigned rng = 12345;
	char in[MAX], back[4 * MAX + 64];

	for (int round = 0; round < 5000; round++) {
		size_t len = random_bytes(&rng, in, MAX);
		size_t max = round % 2 ? len : rand_between(&rng, 0, (unsigned)len);
		char *s = show_bytes(in, len, max);
		size_t slen = strlen(s);
		char note[64] = "";

		if (max < len)
			snprintf(note, sizeof(note), "... (%zu more bytes)", len - max);
		ck_assert_uint_ge(slen, strlen(note));
		ck_assert_str_eq(s + slen - strlen(note), note);
		json_t *j = json_stringn(s, slen);
		ck_assert_msg(j != NULL, "round %d: not valid UTF-8", round);
		json_decref(j);
		for (size_t i = 0; i < slen; i++) {
			unsigned char c = (unsigned char)s[i];
			ck_assert_msg((c >= 0x20 && c != 0x7f) || c == '\n' || c == '\t',
				      "round %d: byte 0x%02x at %zu", round, c, i);
		}
		size_t n = unshow(s, slen - strlen(note), back);
		ck_assert_uint_eq(n, max);
		ck_assert_mem_eq(back, in, max);
		free(s);
	}
}
END_TEST

/* 100 KiB of the worst case (every byte escaped), and a cut after it. */
START_TEST(test_show_bytes_large)
{
	size_t len = 100 * 1024;
	char *in = xmalloc(len);

	memset(in, 0xff, len);
	char *s = show_bytes(in, len, len);
	ck_assert_uint_eq(strlen(s), 4 * len);
	free(s);
	s = show_bytes(in, len, 2048);
	ck_assert_str_eq(s + 4 * 2048, "... (100352 more bytes)");
	free(s);
	free(in);
}
END_TEST

static Suite *parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *pc = tcase_create("parent_child"), *labs = tcase_create("lab_find"),
	      *show = tcase_create("show_bytes");

	tcase_add_test(pc, test_pc_parse_both_lines);
	tcase_add_test(pc, test_pc_parse_odd_output);
	tcase_add_test(pc, test_pc_parse_repeated);
	tcase_add_loop_test(pc, test_pc_hint, 0, sizeof(hints) / sizeof(hints[0]));
	tcase_add_test(pc, test_pc_hint_small_buffer);
	tcase_add_loop_test(pc, test_near_miss, 0, sizeof(misses) / sizeof(misses[0]));
	tcase_add_loop_test(labs, test_lab_find, 0, sizeof(names) / sizeof(names[0]));
	tcase_add_test(labs, test_lab_table);
	tcase_add_test(labs, test_lab_checks);
	tcase_add_test(labs, test_handouts_list_checks);
	tcase_add_loop_test(show, test_show_bytes_examples, 0, sizeof(shown) / sizeof(shown[0]));
	tcase_add_test(show, test_show_bytes_c1_controls);
	tcase_add_test(show, test_show_bytes_random);
	tcase_add_test(show, test_show_bytes_large);
	tcase_set_timeout(show, 60);
	suite_add_tcase(s, pc);
	suite_add_tcase(s, labs);
	suite_add_tcase(s, show);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(parse_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
