/*
 * test_similarity.c: the parts of class mode's comparison that need no
 * class (issue 17): what sources.c keeps of a student's file (comments and
 * the skeleton's lines blanked, line numbers kept, odd files left out) and
 * the cache of simstore.c read back as it was written.
 */
#define _GNU_SOURCE
#include <check.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "class/simstore.h"
#include "class/sources.h"
#include "run/sys.h"

static char *dir;	/* a scratch folder: DIR/given/lab and DIR/student/lab */

/* A path under dir, in one of a few buffers: no allocation for the
 * sanitizer's leak check to see. */
__attribute__((format(printf, 1, 2))) static const char *in(const char *fmt, ...)
{
	static char buf[4][4096];
	static int next;
	char *b = buf[next++ % 4];
	va_list ap;
	int n = snprintf(b, sizeof(buf[0]), "%s/", dir);

	va_start(ap, fmt);
	vsnprintf(b + n, sizeof(buf[0]) - (size_t)n, fmt, ap);
	va_end(ap);
	return b;
}

static void put(const char *who, const char *name, const char *text)
{
	mkdir(in("%s", who), 0755);
	mkdir(in("%s/lab", who), 0755);
	ck_assert_int_eq(write_file(in("%s/lab/%s", who, name), text, strlen(text)), 0);
}

static void read_lab(struct lab_text *t, const char *who, const struct lab_text *given)
{
	int fd = open(in("%s", who), O_RDONLY | O_DIRECTORY);

	ck_assert_int_ge(fd, 0);
	lab_text_read(t, fd, "lab", given);
	close(fd);
}

static void setup(void)
{
	dir = make_temp_dir(NULL, "test_similarity");
}

static void teardown(void)
{
	remove_tree(dir);
	free(dir);
}

START_TEST(test_given_lines_and_comments_are_not_own_code)
{
	struct lab_text given, t;

	put("given", "a.c", "int main(void)\n{\n\t/* TODO: open the file\n\t * and map it */\n"
			    "\terrx(1, \"not implemented\");\n\treturn 0;\n}\n");
	/* The TODO comment half kept, the errx line gone, code of its own. */
	put("student", "a.c", "int main(void)\n{\n\t/* TODO: open the file\n\t * done */\n"
			      "\tint fd = open(\"f\", O_RDONLY); // \"/*\" in a comment\n"
			      "\tchar *s = \"/* not a comment */\";\n\treturn 0;\n}\n");
	read_lab(&given, "given", NULL);
	read_lab(&t, "student", &given);
	ck_assert_int_eq(t.nfiles, 1);
	ck_assert_int_eq(t.file[0].nlines, 8);
	static const bool own[] = { false, false, false, false, true, true, false, false };
	for (size_t i = 0; i < 8; i++)
		ck_assert_msg(t.file[0].own[i] == own[i], "line %zu", i + 1);
	ck_assert_int_eq(t.own_lines, 2);
	/* Line numbers are the student's: line 5 of the text is line 5 of a.c. */
	ck_assert_str_eq(t.text, "\n\n\n\nint fd = open(\"f\", O_RDONLY);\n"
				 "char *s = \"/* not a comment */\";\n\n\n");
	size_t line;
	ck_assert_ptr_eq(lab_text_where(&t, 5, &line), &t.file[0]);
	ck_assert_int_eq(line, 5);
	ck_assert_ptr_null(lab_text_where(&t, 9, &line));
	ck_assert_str_eq(t.file[0].line[4], "\tint fd = open(\"f\", O_RDONLY); // \"/*\" in a comment");

	/* The skeleton itself has no code of its own, and the same text the
	 * same hash. */
	struct lab_text again, skel;
	read_lab(&again, "student", &given);
	read_lab(&skel, "given", &given);
	ck_assert(again.hash == t.hash);
	ck_assert_int_eq(skel.own_lines, 0);
	lab_text_free(&again);
	lab_text_free(&skel);
	lab_text_free(&t);
	lab_text_free(&given);
}
END_TEST

START_TEST(test_odd_files_are_left_out)
{
	struct lab_text t;

	put("student", "ok.c", "int f(void) { return 1; }\n");
	put("student", "notes.txt", "int g(void) { return 2; }\n");
	ck_assert_int_eq(write_file(in("student/lab/bin.c"), "int\0x;\n", 7), 0);
	ck_assert_int_eq(symlink("/etc/passwd", in("student/lab/link.c")), 0);
	ck_assert_int_eq(mkfifo(in("student/lab/fifo.h"), 0644), 0);
	char *big = xmalloc(SOURCE_MAX + 2);
	memset(big, 'x', SOURCE_MAX + 1);
	big[SOURCE_MAX + 1] = '\0';
	ck_assert_int_eq(write_file(in("student/lab/big.c"), big, SOURCE_MAX + 1), 0);
	read_lab(&t, "student", NULL);
	ck_assert_int_eq(t.nfiles, 1);
	ck_assert_str_eq(t.file[0].name, "ok.c");
	ck_assert_str_eq(t.left_out, "big.c (over 256 KiB); bin.c (not text); fifo.h (not a regular "
				     "file); link.c (a symbolic link)");
	lab_text_free(&t);

	/* A lab folder that is a link is not read through. */
	ck_assert_int_eq(symlink("lab", in("student/lab2")), 0);
	int fd = open(in("student"), O_RDONLY | O_DIRECTORY);
	lab_text_read(&t, fd, "lab2", NULL);
	close(fd);
	ck_assert_int_eq(t.nfiles, 0);
	ck_assert_str_eq(t.left_out, "lab2 (a symbolic link, not a folder)");
	lab_text_free(&t);
	free(big);
}
END_TEST

START_TEST(test_store_reads_back_what_it_wrote)
{
	struct lab_store s, back;
	struct sim_match m = { .from_a = 3, .to_a = 9, .from_b = 20, .to_b = 26, .tokens = 40 };
	bool swapped;

	store_load(&s, NULL, "lab", 7);
	s.class = xrealloc(s.class, 2 * sizeof(*s.class));
	s.class[0] = 1;
	s.class[1] = 2;
	s.nclass = 2;
	store_set_tokens(&s, 1, 100);
	store_set_tokens(&s, 2, 80);
	store_set_tokens(&s, 3, 50);	/* a text no longer in the class: not kept */
	store_add(&s, 2, 1, &m);	/* kept the smaller hash's lines first */
	json_t *cache = json_pack("{s:s, s:{s:o}}", "version", STORE_VERSION, "labs", "lab",
				  store_json(&s));
	store_load(&back, cache, "lab", 7);
	size_t tokens;
	ck_assert(store_tokens(&back, 1, &tokens) && tokens == 100);
	ck_assert(!store_tokens(&back, 3, &tokens));
	ck_assert(store_in(back.class, back.nclass, 2) && !store_in(back.class, back.nclass, 3));
	const struct sim_pair *p = store_pair(&back, 2, 1, &swapped);
	ck_assert_ptr_nonnull(p);
	ck_assert(swapped);
	ck_assert_int_eq(p->nm, 1);
	ck_assert_int_eq(p->m[0].from_a, 20);
	ck_assert_int_eq(p->m[0].to_b, 9);
	ck_assert_int_eq(p->shared, 40);
	/* What this run finds for a pair replaces what the cache had. */
	store_add(&back, 1, 2, &m);
	ck_assert_int_eq(store_pair(&back, 1, 2, &swapped)->nm, 1);
	store_free(&back);
	/* Another skeleton, another store: nothing of the cache. */
	store_load(&back, cache, "lab", 8);
	ck_assert_int_eq(back.nclass, 0);
	ck_assert_int_eq(back.npairs, 0);
	store_free(&back);
	store_free(&s);
	json_decref(cache);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("similarity");
	TCase *tc = tcase_create("similarity");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_given_lines_and_comments_are_not_own_code);
	tcase_add_test(tc, test_odd_files_are_left_out);
	tcase_add_test(tc, test_store_reads_back_what_it_wrote);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
