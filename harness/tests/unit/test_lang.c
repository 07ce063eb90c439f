/*
 * test_lang.c: unit tests of harness/lang/: the names a language goes by,
 * --lang found before the options, and the columns text takes in a terminal
 * (a Chinese character two, a combining accent none, a bad byte one).  The
 * grader's Chinese itself is tested end to end by tests/lang/test_lang.sh.
 */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/lang.h"

static const struct {
	const char *name;
	bool known;
	enum lang lang;
} names[] = {
	{ "en", true, LANG_EN },	   { "en_US.UTF-8", true, LANG_EN },
	{ "C", true, LANG_EN },		   { "C.UTF-8", true, LANG_EN },
	{ "POSIX", true, LANG_EN },	   { "zh_CN", true, LANG_ZH_CN },
	{ "zh_CN.UTF-8", true, LANG_ZH_CN }, { "zh_CN.GB18030", true, LANG_ZH_CN },
	{ "zh", true, LANG_ZH_CN },	   { "zh_Hans_CN", true, LANG_ZH_CN },
	{ "zh_SG.UTF-8", true, LANG_ZH_CN }, { "zh_TW.UTF-8", false, LANG_EN },
	{ "zh_HK", false, LANG_EN },	   { "fr_FR.UTF-8", false, LANG_EN },
	{ "english", false, LANG_EN },	   { "zhx", false, LANG_EN },
	{ "", false, LANG_EN },
};

START_TEST(parse_names)
{
	enum lang l = LANG_EN;
	bool known = lang_parse(names[_i].name, &l);

	ck_assert_msg(known == names[_i].known, "%s: known %d", names[_i].name, known);
	if (known)
		ck_assert_int_eq(l, names[_i].lang);
}
END_TEST

START_TEST(option_before_getopt)
{
	char *a[] = { "grade", "--lab", "02", "--lang", "zh_CN", "labs", NULL };
	char *b[] = { "grade", "--lang=en", NULL };
	char *c[] = { "grade", "--", "--lang", "zh_CN", NULL };
	char *d[] = { "grade", "--lang", NULL };

	ck_assert_str_eq(lang_option(6, a), "zh_CN");
	ck_assert_str_eq(lang_option(2, b), "en");
	ck_assert_ptr_null(lang_option(4, c));
	ck_assert_ptr_null(lang_option(2, d));
}
END_TEST

START_TEST(init_refuses_unknown)
{
	ck_assert(!lang_init("klingon"));
	ck_assert(lang_init("en"));
	ck_assert_str_eq(lang_name(), "en");
	ck_assert_str_eq(_("PASS"), "PASS");
}
END_TEST

START_TEST(widths)
{
	ck_assert(lang_init("en"));	/* a UTF-8 LC_CTYPE, whatever the environment */
	ck_assert_int_eq(lang_width("abc"), 3);
	ck_assert_int_eq(lang_width("映射区"), 6);
	ck_assert_int_eq(lang_width("预期:"), 5);
	ck_assert_int_eq(lang_width("e\xcc\x81"), 1);		/* e and a combining acute */
	ck_assert_int_eq(lang_width("\xff\xfe"), 2);		/* not UTF-8: a column a byte */
	ck_assert_int_eq(lang_width("\xe6\x98"), 2);		/* a cut sequence */
	ck_assert_int_eq(lang_width("ab\ncd"), 2);		/* up to the line's end */
	ck_assert_int_eq(lang_width(""), 0);
}
END_TEST

START_TEST(fit_cuts_between_characters)
{
	ck_assert(lang_init("en"));
	ck_assert_uint_eq(lang_fit("映射区", 5), strlen("映射"));
	ck_assert_uint_eq(lang_fit("映射区", 6), strlen("映射区"));
	ck_assert_uint_eq(lang_fit("a映射", 2), 1);
	ck_assert_uint_eq(lang_fit("abc", 0), 0);
	ck_assert_uint_eq(lang_fit("abc\ndef", 10), 3);
}
END_TEST

START_TEST(pad_to_columns)
{
	char *text;
	size_t size;
	FILE *f;

	ck_assert(lang_init("en"));
	ck_assert_ptr_nonnull(f = open_memstream(&text, &size));
	lang_pad(f, "提示:", 10);
	fputc('|', f);
	lang_pad(f, "hint:", 10);
	fputc('|', f);
	lang_pad(f, "longer than ten", 10);
	fputc('|', f);
	lang_pad_left(f, "平均", 6);
	fputc('|', f);
	lang_pad_left(f, "mean", 6);
	fclose(f);
	ck_assert_str_eq(text, "提示:     |hint:     |longer than ten|  平均|  mean");
	free(text);
}
END_TEST

static Suite *lang_suite(void)
{
	Suite *s = suite_create("lang");
	TCase *t = tcase_create("lang");

	tcase_add_loop_test(t, parse_names, 0, sizeof(names) / sizeof(names[0]));
	tcase_add_test(t, option_before_getopt);
	tcase_add_test(t, init_refuses_unknown);
	tcase_add_test(t, widths);
	tcase_add_test(t, fit_cuts_between_characters);
	tcase_add_test(t, pad_to_columns);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(lang_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
