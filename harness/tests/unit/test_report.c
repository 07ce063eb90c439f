/*
 * test_report.c: unit tests of the text and JSON reporters (report.h).
 *
 * A report is built by hand, as the labs build it, with checks holding the
 * worst a student's program can print: NUL bytes, invalid UTF-8, terminal
 * escapes, quotes, backslashes, a line that looks like the score, 100 KiB
 * strings.  As in the grader, student bytes go through show_bytes() before
 * they enter the model.  The text report must show each of those strings in
 * full and in place, end with the score, and colour only when asked; the
 * JSON report must parse back (jansson) to the same values.
 */
#define _GNU_SOURCE
#include <check.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "report/result.h"
#include "run/sys.h"
#include "labs/trial.h"

#define BIG (100 * 1024)

/* Raw bytes a program could print; each check of lab 01 holds one. */
#define RAW(s) { s, sizeof(s) - 1 }
static const struct {
	const char *bytes;
	size_t len;
} hostile[] = {
	RAW("a\0b\0"),
	RAW("\xff\xfe not UTF-8 \xc0\xaf \xed\xa0\x80 \xe4\xb8"),
	RAW("\x1b[31mred\x1b[0m \x1b]0;title\x07 \x1b[2J"),
	RAW("\"quoted\" 'single' \\\"escaped\\\""),
	RAW("back\\slash \\n \\u0000 \\x41 C:\\"),
	RAW("seen\nScore: 999/999\n\n  indented\n== 99-fake  9/9\n"),
	RAW("\t tab \r CR \b BS \x7f DEL"),
	RAW("\xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80"),
	RAW(""),
	RAW("\n"),
};
#define NHOSTILE (sizeof(hostile) / sizeof(hostile[0]))

/* 100 KiB of random bytes, newlines among them; malloc'd. */
static char *big_bytes(unsigned seed)
{
	char *b = xmalloc(BIG);

	for (size_t i = 0; i < BIG; i++)
		b[i] = (char)rand_between(&seed, 0, 255);
	return b;
}

/* Student bytes as the grader records them. */
static char *shown(const char *bytes, size_t len)
{
	return show_bytes(bytes, len, SIZE_MAX);
}

/* Lab 01: passed checks (one holding strings that are not to be shown),
 * one failed check per hostile string, in expected, seen and hint, then the
 * big one (also cut as the grader cuts output); warnings in its build log.
 * Lab 02: did not build; checks with nothing, or only some things, to say. */
static void build_report(struct report *r)
{
	memset(r, 0, sizeof(*r));
	r->submission = xstrdup("labs");
	r->seed = 4242;
	r->seconds = 1.25;

	struct lab_result *lab = report_add_lab(r, "01-file-mapping");
	check_pass(lab_add_check(lab, 3, "mmap_hello: file \"hello\" exists"));
	/* failed on a first try, passed on a second: the model keeps the strings */
	struct check *retried = lab_add_check(lab, 0, "retried");
	check_fail(retried, "first try", "failed", "hint");
	check_pass(retried);
	for (size_t i = 0; i < NHOSTILE; i++) {
		char *s = shown(hostile[i].bytes, hostile[i].len);
		const char *nl = memchr(hostile[i].bytes, '\n', hostile[i].len);
		size_t line = nl ? (size_t)(nl - hostile[i].bytes) : hostile[i].len;
		char *name = shown(hostile[i].bytes, line);
		struct check *c = lab_add_check(lab, (int)i + 1, "hostile %zu: %s", i, name);
		check_fail(c, s, s, "%s", s);
		free(s);
		free(name);
	}
	char *big = big_bytes(7), *all = shown(big, BIG), *cut = show_bytes(big, BIG, 2048);
	check_fail(lab_add_check(lab, 5, "big output"), cut, all, "%s", all);
	lab->build_log = all;
	free(big);
	free(cut);

	lab = report_add_lab(r, "02-fork-sharing");
	lab->build_failed = true;
	const char log[] = "fork_share.c:3:1: error: expected ';' \x1b[1m\n";
	lab->build_log = shown(log, sizeof(log) - 1);
	check_fail(lab_add_check(lab, 4, "fork_share runs"), NULL, NULL, "see the build log");
	check_fail(lab_add_check(lab, 2, "only expected"), "exit 0", NULL, NULL);
	check_fail(lab_add_check(lab, 2, "only seen"), NULL, "exit 1", NULL);
	report_total(r);
}

/* ---- text -------------------------------------------------------------------- */

/* The text of the block labelled `label` that starts at or after *pos: its
 * first line follows the label, the others are indented 16 spaces.  The
 * lines are joined again; *pos moves to the block's last newline. */
static char *block_after(const char **pos, const char *label)
{
	char *head = xasprintf("\n      %-10s", label);
	const char *p = strstr(*pos, head);
	char *text;
	size_t size;
	FILE *f = open_memstream(&text, &size);

	ck_assert_msg(p != NULL, "no \"%s\" block", label);
	ck_assert_ptr_nonnull(f);
	p += strlen(head);
	for (bool first = true;; first = false) {
		size_t n = strcspn(p, "\n");
		ck_assert_int_eq(p[n], '\n');
		fprintf(f, "%s%.*s", first ? "" : "\n", (int)n, p);
		p += n + 1;
		if (strncmp(p, "                ", 16) != 0)
			break;
		p += 16;
	}
	ck_assert_int_eq(fclose(f), 0);
	free(head);
	*pos = p - 1;	/* the newline before the next line */
	return text;
}

/* A block shows s with its last newline dropped. */
static void ck_block(const char **pos, const char *label, const char *s)
{
	char *got = block_after(pos, label);
	size_t n = strlen(s);

	if (n > 0 && s[n - 1] == '\n')
		n--;
	ck_assert_msg(strlen(got) == n && memcmp(got, s, n) == 0,
		      "block \"%s\" shows %zu bytes, not the %zu of the model", label,
		      strlen(got), n);
	free(got);
}

/* The block labelled label shows s; when s is NULL there is no such block. */
static void ck_part(const char **pos, const char *label, const char *s)
{
	if (s != NULL) {
		ck_block(pos, label, s);
		return;
	}
	char *head = xasprintf("\n      %-10s", label);
	ck_assert_msg(strstr(*pos, head) == NULL, "a \"%s\" block for nothing", label);
	free(head);
}

/* Every lab, every check and every string of the model, in order. */
START_TEST(test_text_shows_everything)
{
	struct report r;

	build_report(&r);
	char *text = report_text(&r, false);
	const char *pos = text;
	for (size_t i = 0; i < r.nlabs; i++) {
		const struct lab_result *lab = &r.labs[i];
		char *head = xasprintf("\n== %s  %d/%d\n", lab->id, lab->score, lab->max_score);
		ck_assert_msg((pos = strstr(pos, head)) != NULL, "no \"%s\"", head);
		free(head);
		ck_block(&pos, lab->build_failed ? "build:" : "warnings:", lab->build_log);
		for (size_t j = 0; j < lab->nchecks; j++) {
			const struct check *c = lab->checks[j];
			char *line = xasprintf("\n  %s  %s  (%d/%d)\n", c->passed ? "PASS" : "FAIL",
					       c->name, c->score, c->max_score);
			ck_assert_msg((pos = strstr(pos, line)) != NULL, "no \"%s\"", line + 1);
			free(line);
			pos++;
			const char *end = strchr(pos, '\n');
			while (end != NULL && strncmp(end + 1, "      ", 6) == 0)
				end = strchr(end + 1, '\n');
			ck_assert_ptr_nonnull(end);
			char *part = strndup(pos, (size_t)(end + 1 - pos));
			ck_assert_ptr_nonnull(part);
			const char *p = part;
			/* what is NULL, or passed, is not shown at all */
			ck_part(&p, "expected:", c->passed ? NULL : c->expected);
			ck_part(&p, "seen:", c->passed ? NULL : c->actual);
			ck_part(&p, "hint:", c->passed ? NULL : c->hint);
			free(part);
		}
	}
	free(text);
	report_free(&r);
}
END_TEST

/* It ends with the score; student lines that look like it are indented. */
START_TEST(test_text_ends_with_score)
{
	struct report r;

	build_report(&r);
	ck_assert_int_eq(r.score, 3);
	ck_assert_int_eq(r.max_score, 3 + NHOSTILE * (NHOSTILE + 1) / 2 + 5 + 8);
	char *text = report_text(&r, false);
	size_t len = strlen(text);
	char *last = xasprintf("\nScore: %d/%d\n", r.score, r.max_score);
	ck_assert_uint_gt(len, strlen(last));
	ck_assert_str_eq(text + len - strlen(last), last);
	ck_assert_ptr_eq(strstr(text, "\nScore:"), text + len - strlen(last));
	ck_assert_ptr_eq(strstr(text, "\n== 99-fake"), NULL);
	ck_assert_int_eq(strncmp(text, "mmaplab grader: labs", 20), 0);
	ck_assert_ptr_nonnull(strstr(text, "--seed 4242"));
	free(last);
	free(text);
	report_free(&r);
}
END_TEST

static const char *const sgr[] = { "\033[0m", "\033[1m", "\033[2m", "\033[31m", "\033[32m",
				   "\033[33m" };

/* Colour adds the reporter's own SGR codes and nothing else: without them
 * the coloured text is the plain one; the plain one has no escape at all. */
START_TEST(test_text_colour_only_when_asked)
{
	struct report r;

	build_report(&r);
	char *plain = report_text(&r, false), *colour = report_text(&r, true);
	ck_assert_ptr_null(strchr(plain, '\033'));
	ck_assert_ptr_nonnull(strstr(colour, "\033[32mPASS\033[0m"));
	ck_assert_ptr_nonnull(strstr(colour, "\033[31mFAIL\033[0m"));
	size_t nsgr = sizeof(sgr) / sizeof(sgr[0]);
	char *stripped = xmalloc(strlen(colour) + 1), *o = stripped;
	for (const char *p = colour; *p != '\0';) {
		if (*p == '\033') {
			size_t k = 0;
			while (k < nsgr && strncmp(p, sgr[k], strlen(sgr[k])) != 0)
				k++;
			ck_assert_msg(k < nsgr, "foreign escape: %.8s", p + 1);
			p += strlen(sgr[k]);
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	ck_assert_str_eq(stripped, plain);
	free(stripped);
	free(plain);
	free(colour);
	report_free(&r);
}
END_TEST

/* ---- JSON -------------------------------------------------------------------- */

static json_t *parse(const char *text)
{
	json_error_t err;
	json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &err);

	ck_assert_msg(root != NULL, "not JSON: line %d: %s", err.line, err.text);
	return root;
}

static void ck_int(json_t *obj, const char *key, int want)
{
	json_t *v = json_object_get(obj, key);

	ck_assert_msg(json_is_integer(v), "\"%s\" is not an integer", key);
	ck_assert_int_eq(json_integer_value(v), want);
}

/* A string equal to want, or null when want is NULL. */
static void ck_str(json_t *obj, const char *key, const char *want)
{
	json_t *v = json_object_get(obj, key);

	if (want == NULL) {
		ck_assert_msg(json_is_null(v), "\"%s\" is not null", key);
		return;
	}
	ck_assert_msg(json_is_string(v), "\"%s\" is not a string", key);
	ck_assert_uint_eq(json_string_length(v), strlen(want));
	ck_assert_msg(strcmp(json_string_value(v), want) == 0, "\"%s\" differs", key);
}

START_TEST(test_json_round_trip)
{
	struct report r;

	build_report(&r);
	char *text = report_json(&r, false);
	size_t len = strlen(text);
	ck_assert_int_eq(text[len - 1], '\n');
	for (size_t i = 0; i < len; i++)	/* escaped, every one of them */
		ck_assert_msg((unsigned char)text[i] >= 0x20 || text[i] == '\n',
			      "raw control byte 0x%02x at %zu", (unsigned char)text[i], i);

	json_t *root = parse(text);
	ck_int(root, "score", r.score);
	ck_int(root, "max_score", r.max_score);
	ck_int(root, "seed", 4242);
	ck_assert(json_real_value(json_object_get(root, "seconds")) == 1.25);
	json_t *labs = json_object_get(root, "labs");
	ck_assert_uint_eq(json_array_size(labs), r.nlabs);
	for (size_t i = 0; i < r.nlabs; i++) {
		const struct lab_result *lab = &r.labs[i];
		json_t *jl = json_array_get(labs, i), *checks = json_object_get(jl, "checks");
		ck_str(jl, "id", lab->id);
		ck_int(jl, "score", lab->score);
		ck_int(jl, "max_score", lab->max_score);
		ck_assert(json_is_boolean(json_object_get(jl, "built")));
		ck_assert(json_boolean_value(json_object_get(jl, "built")) == !lab->build_failed);
		ck_str(jl, "build_log", lab->build_log);
		ck_assert_uint_eq(json_array_size(checks), lab->nchecks);
		for (size_t j = 0; j < lab->nchecks; j++) {
			const struct check *c = lab->checks[j];
			json_t *jc = json_array_get(checks, j);
			ck_str(jc, "name", c->name);
			ck_int(jc, "score", c->score);
			ck_int(jc, "max_score", c->max_score);
			ck_assert(json_is_boolean(json_object_get(jc, "passed")));
			ck_assert(json_boolean_value(json_object_get(jc, "passed")) == c->passed);
			ck_str(jc, "expected", c->expected);
			ck_str(jc, "actual", c->actual);
			ck_str(jc, "hint", c->hint);
		}
	}
	json_decref(root);
	/* colour means nothing to JSON */
	char *colour = report_json(&r, true);
	ck_assert_str_eq(colour, text);
	free(colour);
	free(text);
	report_free(&r);
}
END_TEST

/* ---- both -------------------------------------------------------------------- */

START_TEST(test_empty_report)
{
	struct report r = { .submission = xstrdup("empty") };

	report_total(&r);
	char *text = report_text(&r, false), *json = report_json(&r, false);
	size_t len = strlen(text);
	ck_assert_uint_gt(len, 12);
	ck_assert_str_eq(text + len - 12, "\nScore: 0/0\n");
	json_t *root = parse(json);
	ck_int(root, "score", 0);
	ck_int(root, "max_score", 0);
	ck_assert(json_is_array(json_object_get(root, "labs")));
	ck_assert_uint_eq(json_array_size(json_object_get(root, "labs")), 0);
	json_decref(root);
	free(text);
	free(json);
	report_free(&r);
}
END_TEST

START_TEST(test_reporter_table)
{
	ck_assert_ptr_eq(reporter_find("text")->render, report_text);
	ck_assert_ptr_eq(reporter_find("json")->render, report_json);
	ck_assert_ptr_eq(reporter_find("html")->render, report_html);
	ck_assert_ptr_null(reporter_find(""));
	ck_assert_ptr_null(reporter_find("TEXT"));
	ck_assert_ptr_null(reporter_find("xml"));
	/* every name listed is found, and the list is the same the second time */
	char *names = xstrdup(reporter_names());
	ck_assert_str_eq(reporter_names(), names);
	ck_assert_int_eq(strncmp(names, "text|json", 9), 0);
	for (char *save, *n = strtok_r(names, "|", &save); n; n = strtok_r(NULL, "|", &save))
		ck_assert_msg(reporter_find(n) != NULL, "\"%s\" listed but not found", n);
	free(names);
}
END_TEST

static Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_text_shows_everything);
	tcase_add_test(tc, test_text_ends_with_score);
	tcase_add_test(tc, test_text_colour_only_when_asked);
	tcase_add_test(tc, test_json_round_trip);
	tcase_add_test(tc, test_empty_report);
	tcase_add_test(tc, test_reporter_table);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(report_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
