/*
 * test_similarity.c: class mode's comparison of sources (issue 17), end to
 * end.  mksimilar.sh builds a class: a submission and its disguised copy,
 * solutions written apart (the corpus's correct variants, and this folder's
 * similar/), skeletons, and submissions whose files are links, FIFOs, binary,
 * huge or oddly named; and an earlier class for --similar-to.  The class is
 * graded once (run A); every test then works on copies of its results, so
 * that no student is graded again.
 *
 * Run from the project's top folder, after `make bin/grade`.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "run/sys.h"
#include "testing.h"

#define HERE "harness/tests/class"
/* A copy of bin/ and, beside it, of the skeleton (labs/) the grader reads. */
#define COPY "build/tests/similarity"
static const char *grade = COPY "/bin/grade";

char *work;
static char *klass, *earlier;	/* work/class, work/earlier (mksimilar.sh) */
static char *log_a;		/* run A's output */
static int status_a;

/* A copy of run A's results, for a test to run the class again into. */
static char *results(const char *name)
{
	char *res = xasprintf("%s/%s", work, name);

	if (RUN(NULL, "/bin/cp", "-R", xasprintf("%s/resA", work), res) != 0)
		die("cannot copy the results of run A to %s", res);
	return res;
}

static char *again(const char *res, int *status, const char *a1, const char *a2)
{
	char *out;

	*status = RUN(&out, grade, "--class", klass, "--out", res, "--jobs", "2", "--seed", "1",
		      a1 ? a1 : "--similarity", a2 ? a2 : "on");
	return out;
}

/* The row of similarity.csv for students a and b (either order) in lab,
 * as "PERCENT,LINES", or NULL. */
static char *row(const char *csv, const char *a, const char *b, const char *lab)
{
	for (int turn = 0; turn < 2; turn++) {
		char *key = xasprintf("\n%s,%s,%s,", turn ? b : a, turn ? a : b, lab);
		char *at = strstr(csv, key);
		if (at != NULL)
			return strndup(at + strlen(key), strcspn(at + strlen(key), "\n"));
	}
	return NULL;
}

/* A correct solution written apart from the others: a corpus variant of
 * labs 01-04 (written each on its own) or one of similar/'s fills, unless
 * it pairs with the reference solution in that lab (it was made from it, as
 * orig was: then it is no test of this).  The variants of labs 05 and 06 are
 * one line changed from one another (06-ok-buffer-4k and 06-ok-pread differ
 * in the buffer's size and read/pread): alike, and found so. */
static bool written_apart(const char *csv, const char *id, const char *lab)
{
	bool variant = strncmp(id, "ok-0", 4) == 0 && id[4] >= '1' && id[4] <= '4';

	return (variant || strncmp(id, "fill-", 5) == 0) && row(csv, id, "reference", lab) == NULL;
}

/* The disguised copy is found, high, with its matched regions. */
START_TEST(copy_with_names_comments_and_order_changed_is_found)
{
	char *csv = slurp(xasprintf("%s/resA/similarity.csv", work));
	char *r = row(csv, "copy", "orig", "02-fork-sharing");

	ck_assert_int_eq(status_a, 0);
	ck_assert_msg(strncmp(csv, "student_a,student_b,lab,percent,shared_lines\n", 45) == 0, "%s", csv);
	ck_assert_msg(r != NULL, "no row for copy and orig:\n%s", csv);
	ck_assert_msg(atoi(r) >= 80, "copy and orig share only %s", r);
	ck_assert_msg(atoi(strchr(r, ',') + 1) >= 30, "copy and orig: %s", r);

	json_t *all = load(xasprintf("%s/resA/similarity.json", work)), *pair, *region;
	size_t i, j, found = 0;
	ck_assert(json_is_array(all));
	json_array_foreach(all, i, pair) {
		const char *a = json_string_value(json_object_get(pair, "student_a"));
		const char *b = json_string_value(json_object_get(pair, "student_b"));
		ck_assert(a && b && json_is_integer(json_object_get(pair, "percent")));
		ck_assert(json_is_integer(json_object_get(pair, "shared_lines")));
		ck_assert(json_is_string(json_object_get(pair, "lab")));
		if (!(strcmp(a, "copy") == 0 && strcmp(b, "orig") == 0))
			continue;
		found++;
		/* Two functions swapped: the matches are not one run. */
		ck_assert_int_ge(json_array_size(json_object_get(pair, "regions")), 2);
		json_array_foreach(json_object_get(pair, "regions"), j, region) {
			json_int_t from_a = json_integer_value(json_object_get(region, "from_a"));
			json_int_t to_a = json_integer_value(json_object_get(region, "to_a"));
			json_int_t from_b = json_integer_value(json_object_get(region, "from_b"));
			json_int_t to_b = json_integer_value(json_object_get(region, "to_b"));
			ck_assert(from_a >= 1 && from_a <= to_a && from_b >= 1 && from_b <= to_b);
			ck_assert_str_eq(json_string_value(json_object_get(region, "file_a")), "fork_share.c");
			ck_assert_str_eq(json_string_value(json_object_get(region, "file_b")), "fork_share.c");
			ck_assert(strlen(json_string_value(json_object_get(region, "text_a"))) > 0);
			ck_assert(strlen(json_string_value(json_object_get(region, "text_b"))) > 0);
		}
	}
	ck_assert_int_eq(found, 1);
	char *summary = slurp(xasprintf("%s/resA/summary.txt", work));
	ck_assert_msg(strstr(summary, "copy and orig") != NULL, "%s", summary);
	ck_assert_msg(strstr(summary, "never a finding or a score") != NULL, "%s", summary);
	ck_assert_msg(strstr(log_a, "similar code: ") != NULL, "%s", log_a);
	/* The class page shows the pairs; each student's HTML report beside. */
	char *page = slurp(xasprintf("%s/resA/index.html", work));
	ck_assert_msg(strstr(page, "copy") != NULL && strstr(page, "orig") != NULL, "index.html");
	ck_assert(exists(xasprintf("%s/resA/students/copy.html", work)));
}
END_TEST

/* Solutions written apart and skeletons are no pair. */
START_TEST(solutions_written_apart_and_skeletons_are_not_paired)
{
	char *csv = slurp(xasprintf("%s/resA/similarity.csv", work));
	char *lines = xstrdup(csv), *save = NULL;
	size_t rows = 0, derived = 0, apart = 0, n;
	char **ids = students(klass, &n);

	for (char *line = strtok_r(strchr(lines, '\n') + 1, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save), rows++) {
		char *a = line, *b = strchr(line, ',') + 1, *lab = strchr(b, ',') + 1;
		b[-1] = '\0';
		lab[-1] = '\0';
		*strchr(lab, ',') = '\0';
		ck_assert_msg(strncmp(a, "skeleton-", 9) != 0 && strncmp(b, "skeleton-", 9) != 0,
			      "%s and %s are paired", a, b);
		ck_assert_msg(!(written_apart(csv, a, lab) && written_apart(csv, b, lab)),
			      "%s and %s, written apart, are paired in %s", a, b, lab);
		derived += strcmp(a, "reference") == 0 || strcmp(b, "reference") == 0;
	}
	for (size_t i = 0; i < n; i++)
		apart += (strncmp(ids[i], "ok-0", 4) == 0 && ids[i][4] >= '1' && ids[i][4] <= '4') ||
			 strncmp(ids[i], "fill-", 5) == 0;
	printf("test_similarity: %zu correct solutions, %zu pairs with the reference one\n", apart,
	       derived);
	ck_assert_int_ge(apart, 2);
	ck_assert_int_ge(rows, 2);	/* copy and orig, oddfiles and fill-b */
}
END_TEST

/* Links are not followed, the FIFO blocks nothing, the binary and the huge
 * file are left out, file names are data; the class is as it was. */
START_TEST(files_are_read_as_data)
{
	char *csv = slurp(xasprintf("%s/resA/similarity.csv", work));
	char *summary = slurp(xasprintf("%s/resA/summary.txt", work)), *out;

	ck_assert_msg(strstr(csv, "links") == NULL, "a link was followed:\n%s", csv);
	/* oddfiles' mmap_hello.c is fill-b's; its binary.c and huge.c hold fill-a's. */
	ck_assert_ptr_nonnull(row(csv, "fill-b", "oddfiles", "01-file-mapping"));
	ck_assert_ptr_null(row(csv, "fill-a", "oddfiles", "01-file-mapping"));
	static const char *const said[] = {
		"links, 02-fork-sharing: fork_share.c (a symbolic link); passwd.c (a symbolic link)",
		"links, 01-file-mapping: 01-file-mapping (a symbolic link, not a folder)",
		"binary.c (not text)", "fifo.c (not a regular file)", "huge.c (over 256 KiB)",
	};
	for (size_t i = 0; i < sizeof(said) / sizeof(said[0]); i++)
		ck_assert_msg(strstr(summary, said[i]) != NULL, "summary.txt lacks \"%s\":\n%.3000s",
			      said[i], strstr(summary, "similar code"));
	ck_assert_int_ne(RUN(&out, "/usr/bin/find", work, "-name", "PWNED", "-print", "-quit"), 2);
	ck_assert_msg(out[0] == '\0', "a file name ran as a command: %s", out);
	char *before = slurp(xasprintf("%s/class.before", work));
	ck_assert_msg(strcmp(before, listing(klass)) == 0, "the class folder changed");
}
END_TEST

/* A run that changes nothing compares nothing; one student changed, only
 * the pairs of that student's changed lab are compared again. */
START_TEST(rerun_compares_only_what_changed)
{
	char *res = results("resC"), *out;
	int status;

	out = again(res, &status, NULL, NULL);
	ck_assert_int_eq(status, 0);
	ck_assert_msg(strstr(out, ", 0 of ") != NULL, "not all kept: %s", out);
	ck_assert_str_eq(slurp(xasprintf("%s/similarity.csv", res)),
			 slurp(xasprintf("%s/resA/similarity.csv", work)));

	/* Another class folder, with fill-a's lab 01 changed. */
	char *changed = xasprintf("%s/class-changed", work);
	ck_assert_int_eq(RUN(NULL, "/bin/cp", "-R", klass, changed), 0);
	FILE *f = fopen(xasprintf("%s/fill-a/01-file-mapping/mmap_hello.c", changed), "a");
	ck_assert_ptr_nonnull(f);
	fputs("int added(int n) { int s = 0; for (int i = 0; i < n; i++) s += i * i; return s; }\n", f);
	fclose(f);
	status = RUN(&out, grade, "--class", changed, "--out", res, "--jobs", "2", "--seed", "1");
	ck_assert_int_eq(status, 0);
	ck_assert_msg(strstr(out, ", 1 of ") != NULL, "more than fill-a's lab 01 compared: %s", out);
}
END_TEST

START_TEST(threshold_and_off)
{
	char *res = results("resT"), *out, *csv;
	int status;

	out = again(res, &status, "--similarity-threshold", "100");
	ck_assert_int_eq(status, 0);
	csv = slurp(xasprintf("%s/similarity.csv", res));
	char *save = NULL;
	for (char *line = strtok_r(strchr(csv, '\n') + 1, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save))
		ck_assert_msg(strstr(line, ",100,") != NULL, "below 100: %s", line);
	ck_assert_ptr_nonnull(strstr(slurp(xasprintf("%s/summary.txt", res)), "100% or more"));

	out = again(res, &status, "--similarity", "off");
	ck_assert_int_eq(status, 0);
	ck_assert(!exists(xasprintf("%s/similarity.csv", res)));
	ck_assert(!exists(xasprintf("%s/similarity.json", res)));
	ck_assert_ptr_nonnull(strstr(slurp(xasprintf("%s/summary.txt", res)),
				     "similar code: not compared (--similarity off)"));

	static const struct { const char *args[6], *says; } bad[] = {
		{ { "--class", "x", "--similarity", "maybe" }, "--similarity takes on or off" },
		{ { "--class", "x", "--similarity-threshold", "101" }, "from 0 to 100" },
		{ { "--similar-to", "x", "labs" }, "go with --class" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *const *a = bad[i].args;
		ck_assert_int_eq(RUN(&out, grade, a[0], a[1], a[2], a[3]), 2);
		ck_assert_msg(strstr(out, bad[i].says) != NULL, "%s %s: %s", a[0], a[2], out);
	}
	ck_assert_int_eq(RUN(&out, grade, "--class", klass, "--out", res, "--similar-to", klass), 2);
	ck_assert_msg(strstr(out, "is the class itself") != NULL, "%s", out);
}
END_TEST

/* Against an earlier class: each student with each earlier one, never two
 * earlier ones with each other. */
START_TEST(similar_to_an_earlier_class)
{
	char *res = results("resS"), *out;
	int status;

	out = again(res, &status, "--similar-to", earlier);
	ck_assert_msg(status == 0, "%s", out);
	char *csv = slurp(xasprintf("%s/similarity.csv", res));
	ck_assert_ptr_nonnull(row(csv, "copy", "earlier/orig-2025", "02-fork-sharing"));
	ck_assert_ptr_nonnull(row(csv, "fill-b", "earlier/twin1", "01-file-mapping"));
	ck_assert_ptr_nonnull(row(csv, "fill-b", "earlier/twin2", "01-file-mapping"));
	ck_assert_msg(strstr(csv, "earlier/twin1,earlier/twin2") == NULL &&
		      strstr(csv, "earlier/twin2,earlier/twin1") == NULL, "%s", csv);
	ck_assert_ptr_nonnull(row(csv, "copy", "orig", "02-fork-sharing"));
	ck_assert_ptr_nonnull(strstr(slurp(xasprintf("%s/summary.txt", res)), "an earlier class"));
}
END_TEST

int main(void)
{
	work = make_temp_dir(NULL, "test_similarity");
	klass = xasprintf("%s/class", work);
	earlier = xasprintf("%s/earlier", work);
	char *tmpdir = xasprintf("%s/tmp", work), *log = xasprintf("%s/mksimilar.log", work);
	/* Searchable: run as root, the grader runs programs as a uid of its own. */
	if (chmod(work, 0755) == -1 || mkdir(tmpdir, 0755) == -1)
		die_errno("mkdir %s", tmpdir);
	setenv("TMPDIR", tmpdir, 1);

	const char *cp[] = { "/bin/sh", "-c", "rm -rf " COPY " && mkdir -p " COPY " && cp -R bin labs "
			     COPY "/", NULL };
	if (wait_for(spawn(cp, "/dev/null", false)) != 0 || access(grade, X_OK) == -1)
		die("cannot copy bin/ and labs/ to " COPY " (make bin/grade first)");
	const char *mk[] = { "/bin/sh", HERE "/mksimilar.sh", work, NULL };
	if (wait_for(spawn(mk, log, false)) != 0)
		die("mksimilar.sh failed: %s", slurp(log));
	char *before = listing(klass);
	if (write_file_atomic(xasprintf("%s/class.before", work), before, strlen(before)) == -1)
		die_errno("write");
	printf("test_similarity: grading the class in %s (run A)\n", klass);
	fflush(stdout);
	time_t t0 = time(NULL);
	status_a = RUN(&log_a, grade, "--class", klass, "--out", xasprintf("%s/resA", work), "--jobs",
		       "2", "--seed", "1");
	printf("test_similarity: run A exited %d after about %.0f s\n", status_a,
	       difftime(time(NULL), t0));

	Suite *s = suite_create("similarity");
	TCase *tc = tcase_create("similarity");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, copy_with_names_comments_and_order_changed_is_found);
	tcase_add_test(tc, solutions_written_apart_and_skeletons_are_not_paired);
	tcase_add_test(tc, files_are_read_as_data);
	tcase_add_test(tc, rerun_compares_only_what_changed);
	tcase_add_test(tc, threshold_and_off);
	tcase_add_test(tc, similar_to_an_earlier_class);
	suite_add_tcase(s, tc);
	return run_suite(s, "test_similarity");
}
