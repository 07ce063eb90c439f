/*
 * test_class.c: bin/grade --class and the report formats, end to end (issue 6).
 *
 * A class is built by mkclass.sh from the solutions, the wrong-submission
 * corpus and submissions that hang, crash or do not compile.  It is graded
 * once before the tests (run A); the tests then hold its results against
 * single-submission mode, grade it again interrupted by a Ctrl-C and resumed,
 * and check each format with a consumer that is not ours: Gradescope's
 * results.json against a JSON schema (python3-jsonschema), JUnit XML with
 * xmllint and junitparser, TAP with Perl's TAP::Parser.
 *
 * Run from the project's top folder, after `make bin/grade`.
 */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run/sys.h"
#include "testing.h"

extern char **environ;

#define HERE "harness/tests/class"
#define SEED "4242"

char *work;	/* scratch folder, removed when every test passed */
/* A copy of bin/ (the grader and its mmapaudit.so), so that a rebuild of
 * bin/grade while the tests run does not reach them.  Not under $TMPDIR: the
 * sandbox hides /tmp from the programs, and runs them behind the grader. */
#define GRADER_COPY "build/tests/class/bin"
#define SKELETON_COPY "build/tests/class/labs"
static const char *grade = GRADER_COPY "/grade";
static char *klass;	/* work/class, from mkclass.sh -f */
static char *tmpdir;	/* the graders' $TMPDIR: must stay empty */
/* Run A grades the class, is interrupted by a Ctrl-C once a few students are
 * done, then runs again to the end.  What it left at each step: */
static int status_a;		/* exit status of the run to the end */
static char *log_a;		/* its output */
static struct interrupted {
	int status;		/* exit status of the interrupted run */
	char *log;		/* its output */
	bool csv;		/* a grades.csv was written */
	char *partial;		/* partial_files() after it */
	char *left;		/* leftovers() after it */
	size_t kept;		/* records written before the Ctrl-C */
	struct kept { char path[4200]; struct stat st; } record[64];
} stop;

/* Nothing left by a grading: no file in $TMPDIR, no process of ours.  NULL,
 * or what is left. */
static char *leftovers(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	char *left = NULL;

	while (d != NULL && (e = readdir(d)) != NULL && left == NULL)
		if (e->d_name[0] != '.')
			left = xasprintf("left in $TMPDIR: %s", e->d_name);
	if (d != NULL)
		closedir(d);
	/* This process is a subreaper: an orphan of the grader would be ours. */
	if (left == NULL && !(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD))
		left = xstrdup("a process of the grading is still there");
	return left;
}

/* In a results folder, a temporary file, a worker's log or a record that is
 * not whole; NULL if none. */
static char *partial_files(const char *results)
{
	char *dir = xasprintf("%s/students", results), *bad = NULL;
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return xasprintf("%s: %s", dir, strerror(errno));
	while ((e = readdir(d)) != NULL && bad == NULL) {
		const char *name = e->d_name;
		size_t len = strlen(name);
		if (strstr(name, ".tmp") != NULL)
			bad = xasprintf("half-written: %s", name);
		else if (name[0] == '.' && strcmp(name, ".") != 0 && strcmp(name, "..") != 0)
			bad = xasprintf("left behind: %s", name);
		else if (len > 5 && strcmp(name + len - 5, ".json") == 0) {
			char *path = xasprintf("%s/%s", dir, name);
			json_t *rec = json_load_file(path, 0, NULL);
			if (!json_is_string(json_object_get(rec, "source_hash")))
				bad = xasprintf("%s is not a whole record", path);
			json_decref(rec);
			free(path);
		}
	}
	closedir(d);
	free(dir);
	return bad;
}

static void assert_clean(void)
{
	char *left = leftovers();

	ck_assert_msg(left == NULL, "%s", left);
}

static void assert_no_partial_files(const char *results)
{
	char *bad = partial_files(results);

	ck_assert_msg(bad == NULL, "%s", bad);
}

static json_t *record(const char *results, const char *id)
{
	char *path = xasprintf("%s/students/%s.json", results, id);
	json_t *rec = load(path);

	free(path);
	return rec;
}

static json_t *lab_of(json_t *report, const char *id)
{
	size_t i;
	json_t *lab;

	json_array_foreach(json_object_get(report, "labs"), i, lab)
		if (strcmp(json_string_value(json_object_get(lab, "id")), id) == 0)
			return lab;
	ck_abort_msg("no lab %s in the report", id);
	return NULL;
}

static int num(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	ck_assert_msg(json_is_integer(v), "no integer %s", key);
	return (int)json_integer_value(v);
}

/* The check of lab whose name starts with prefix. */
static json_t *check_of(json_t *lab, const char *prefix)
{
	size_t i;
	json_t *c;

	json_array_foreach(json_object_get(lab, "checks"), i, c)
		if (strncmp(json_string_value(json_object_get(c, "name")), prefix, strlen(prefix)) == 0)
			return c;
	ck_abort_msg("no check \"%s\"", prefix);
	return NULL;
}

/* How many checks a and b judge differently (score or verdict), or -1 if
 * they are not gradings of the same thing: other labs, builds, check ids, or
 * check names (names carry the random values: the same names, the same
 * seed; a speed check's name carries its measurement, so only its id).
 * Times and paths may differ.  why gets the first difference. */
static int verdicts_apart(json_t *a, json_t *b, char *why, size_t size)
{
	json_t *la = json_object_get(a, "labs"), *lb = json_object_get(b, "labs");
	int apart = 0;

	snprintf(why, size, "%d/%d against %d/%d", num(a, "score"), num(a, "max_score"),
		 num(b, "score"), num(b, "max_score"));
	if (num(a, "max_score") != num(b, "max_score") || json_array_size(la) != json_array_size(lb))
		return -1;
	for (size_t i = 0; i < json_array_size(la); i++) {
		json_t *x = json_array_get(la, i), *y = json_array_get(lb, i);
		json_t *cx = json_object_get(x, "checks"), *cy = json_object_get(y, "checks");
		if (!json_equal(json_object_get(x, "id"), json_object_get(y, "id")) ||
		    !json_equal(json_object_get(x, "built"), json_object_get(y, "built")) ||
		    json_array_size(cx) != json_array_size(cy)) {
			snprintf(why, size, "lab %s: built %s against %s, %zu checks against %zu",
				 json_string_value(json_object_get(x, "id")),
				 json_is_true(json_object_get(x, "built")) ? "yes" : "no",
				 json_is_true(json_object_get(y, "built")) ? "yes" : "no",
				 json_array_size(cx), json_array_size(cy));
			return -1;
		}
		for (size_t j = 0; j < json_array_size(cx); j++) {
			json_t *p = json_array_get(cx, j), *q = json_array_get(cy, j);
			const char *name = json_string_value(json_object_get(p, "name"));
			const char *id = json_string_value(json_object_get(p, "id"));
			/* a speed check's name holds what it measured: its id says
			 * which check it is */
			bool measured = id != NULL && strlen(id) > 6 &&
					strcmp(id + strlen(id) - 6, ".speed") == 0;
			if (!json_equal(json_object_get(p, "id"), json_object_get(q, "id")) ||
			    (!measured && !json_equal(json_object_get(p, "name"),
						      json_object_get(q, "name")))) {
				snprintf(why, size, "check \"%s\" against \"%s\"", name,
					 json_string_value(json_object_get(q, "name")));
				return -1;
			}
			if (!json_equal(json_object_get(p, "score"), json_object_get(q, "score")) ||
			    !json_equal(json_object_get(p, "passed"), json_object_get(q, "passed"))) {
				if (apart++ == 0)
					snprintf(why, size, "%d/%d against %d/%d: \"%s\"",
						 num(a, "score"), num(a, "max_score"), num(b, "score"),
						 num(b, "max_score"), name);
			}
		}
	}
	return apart;
}

/* Grades student id alone (bin/grade --format json) with the seed class mode
 * gave it (in rec), into out. */
static pid_t spawn_single(const char *id, json_t *rec, const char *out)
{
	char *sub = xasprintf("%s/%s", klass, id);
	char *seed = xasprintf("%lld", (long long)json_integer_value(json_object_get(rec, "seed")));
	char *log = xasprintf("%s.log", out);

	if (strcmp(id, "clone") == 0) {	/* what class mode grades of a clone */
		char *labs = xasprintf("%s/labs", sub);
		free(sub);
		sub = labs;
	}
	pid_t pid = spawn((const char *[]){ grade, "--format", "json", "--seed", seed, "-o", out,
					    sub, NULL }, log, false);
	free(sub);
	free(seed);
	free(log);
	return pid;
}

/* Class mode gave rec, single mode something else (why).  Some checks judge
 * timing (a parent that polls instead of waiting is seen to sleep, or not):
 * if single mode gives rec on another try, or if every try grades the same
 * inputs (same check names: same seed) and one check apart, the difference
 * is the grader's, not class mode's, and is said out loud.  Otherwise false:
 * a real difference (another folder, another seed, other labs). */
static bool explained_by_timing(const char *id, json_t *rec, const char *why)
{
	char *out = xasprintf("%s/retry.json", work), again[300];
	int apart = -1;

	for (int t = 1; t <= 4 && apart != 0; t++) {
		ck_assert_int_le(wait_for(spawn_single(id, rec, out)), 1);
		json_t *b = load(out);
		int n = verdicts_apart(rec, b, again, sizeof(again));
		if (n >= 0 && (apart < 0 || n < apart))
			apart = n;	/* the closest try */
		json_decref(b);
	}
	free(out);
	if (apart == 0 || apart == 1) {
		printf("test_class: WARNING: %s is not graded the same from run to run (%s); %s\n",
		       id, why, apart == 0 ? "single mode gave class mode's result on another try"
		       : "one check's verdict depends on timing");
		fflush(stdout);
		return true;
	}
	return false;
}

/* The CSV row class mode must write for this report. */
static char *csv_row(const char *id, json_t *report)
{
	char *row = xasprintf("%s,%d", id, num(report, "score"));
	size_t i;
	json_t *lab;

	json_array_foreach(json_object_get(report, "labs"), i, lab) {
		char *longer = xasprintf("%s,%d", row, num(lab, "score"));
		free(row);
		row = longer;
	}
	return row;
}

/* Two long texts are the same; if not, the first line that differs. */
static void assert_same_text(const char *a, const char *b, const char *what)
{
	size_t line = 1, at = 0;

	for (; a[at] != '\0' && a[at] == b[at]; at++)
		line += a[at] == '\n';
	if (a[at] == b[at])
		return;
	while (at > 0 && a[at - 1] != '\n')
		at--;
	ck_abort_msg("%s differ from line %zu:\n  %.*s\n  %.*s", what, line,
		     (int)strcspn(a + at, "\n"), a + at, (int)strcspn(b + at, "\n"), b + at);
}

static int count_lines_with(const char *text, const char *needle)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/* --- the class run ------------------------------------------------------------ */

START_TEST(class_run_is_complete)
{
	size_t n;
	char **ids = students(klass, &n);
	char *csv = slurp(xasprintf("%s/resA/grades.csv", work));

	ck_assert_msg(status_a == 0, "run A exited %d: a student was not graded", status_a);
	ck_assert_msg(n > 40, "the class has only %zu students: is the corpus there?", n);
	const char *header = "id,total,01-file-mapping,02-fork-sharing,03-anonymous-mapping,"
			     "04-writer-reader,05-pitfalls,06-read-vs-mmap\n";
	ck_assert_msg(strncmp(csv, header, strlen(header)) == 0, "header: %.80s", csv);
	ck_assert_int_eq(count_lines_with(csv, "\n"), (int)n + 1);
	for (size_t i = 0; i < n; i++) {
		json_t *rec = record(xasprintf("%s/resA", work), ids[i]);
		char *row = csv_row(ids[i], rec), *line = xasprintf("\n%s\n", row);
		ck_assert_msg(strstr(csv, line) != NULL, "grades.csv lacks the row %s", row);
		ck_assert_str_eq(json_string_value(json_object_get(rec, "student")), ids[i]);
		json_decref(rec);
	}
	char *summary = slurp(xasprintf("%s/resA/summary.txt", work));
	ck_assert_ptr_nonnull(strstr(summary, "total:     mean "));
	ck_assert_ptr_nonnull(strstr(summary, "checks most of the class failed"));
	ck_assert_ptr_nonnull(strstr(summary, "02-fork-sharing: random run 1: fork_share * *"));
	ck_assert_msg(RUN(NULL, "/usr/bin/xmllint", "--noout",
			  xasprintf("%s/resA/histogram.svg", work)) == 0, "histogram.svg is not XML");
	char *png = slurp(xasprintf("%s/resA/histogram.png", work));
	ck_assert_msg(memcmp(png, "\x89PNG\r\n", 6) == 0, "histogram.png is not a PNG");
	assert_no_partial_files(xasprintf("%s/resA", work));
}
END_TEST

/* Each student graded alone, with the seed class mode gave it, two at a time,
 * gives what the class run (interrupted and resumed) gave it, and the row of
 * grades.csv an uninterrupted grading makes. */
START_TEST(class_scores_equal_single_mode)
{
	size_t n, next = 0, running = 0;
	char **ids = students(klass, &n);
	char *single = xasprintf("%s/single", work), why[300];
	char *csv = slurp(xasprintf("%s/resA/grades.csv", work));
	pid_t *pids = xcalloc(n, sizeof(pid_t));

	mkdir(single, 0755);
	while (next < n || running > 0) {
		if (next < n && running < 2) {
			json_t *rec = record(xasprintf("%s/resA", work), ids[next]);
			pids[next] = spawn_single(ids[next], rec,
						  xasprintf("%s/%s.json", single, ids[next]));
			next++;
			running++;
			json_decref(rec);
			continue;
		}
		int status;
		pid_t pid = wait(&status);
		ck_assert(pid > 0);
		running--;
		for (size_t i = 0; i < n; i++)
			if (pids[i] == pid)
				ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) <= 1,
					      "single mode could not grade %s", ids[i]);
	}
	for (size_t i = 0; i < n; i++) {
		json_t *a = record(xasprintf("%s/resA", work), ids[i]);
		json_t *b = load(xasprintf("%s/%s.json", single, ids[i]));
		int apart = verdicts_apart(a, b, why, sizeof(why));
		if (apart != 0)
			ck_assert_msg(explained_by_timing(ids[i], a, why),
				      "%s: class mode and single mode differ: %s", ids[i], why);
		/* The CSV of the interrupted and resumed run, row by row. */
		char *line = xasprintf("\n%s\n", csv_row(ids[i], apart == 0 ? b : a));
		ck_assert_msg(strstr(csv, line) != NULL, "grades.csv lacks the row%s", line);
		json_decref(a);
		json_decref(b);
	}
}
END_TEST

/* A hang, a crash, a compile error cost their own student only. */
START_TEST(class_faults_stay_with_their_student)
{
	size_t n;
	char **ids = students(klass, &n);
	char *res = xasprintf("%s/resA", work);
	json_t *r;

	r = record(res, "crash");
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(
		check_of(lab_of(r, "01-file-mapping"), "default run prints"), "actual")), "SIGSEGV"));
	r = record(res, "hang");
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(
		check_of(lab_of(r, "03-anonymous-mapping"), "anon_share default run"), "actual")),
		"time limit"));
	/* It hangs only when run without arguments. */
	ck_assert(json_is_true(json_object_get(check_of(lab_of(r, "03-anonymous-mapping"),
							"random run 1: anon_share"), "passed")));
	for (const char *const *who = (const char *const[]){ "compile-error", "symlink", NULL };
	     *who != NULL; who++) {
		r = record(res, *who);
		ck_assert(json_is_false(json_object_get(lab_of(r, "02-fork-sharing"), "built")));
		ck_assert_int_eq(num(lab_of(r, "01-file-mapping"), "score"),
				 num(lab_of(r, "01-file-mapping"), "max_score"));
	}
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(
		lab_of(record(res, "symlink"), "02-fork-sharing"), "build_log")), "symbolic link"));
	ck_assert(json_is_false(json_object_get(lab_of(record(res, "no-lab-04"), "04-writer-reader"),
						"built")));
	ck_assert_int_lt(num(record(res, "skeleton"), "score"), 30);	/* of 182 */
	for (size_t i = 0; i < n; i++)
		if (strncmp(ids[i], "sol-", 4) == 0 || strcmp(ids[i], "clone") == 0 ||
		    strcmp(ids[i], "warnings") == 0) {
			r = record(res, ids[i]);
			ck_assert_msg(num(r, "score") == num(r, "max_score"), "%s: %d/%d", ids[i],
				      num(r, "score"), num(r, "max_score"));
		}
	ck_assert_ptr_nonnull(json_object_get(lab_of(record(res, "warnings"), "02-fork-sharing"),
					      "build_log"));
}
END_TEST

/* Run A's Ctrl-C (SIGINT to the whole process group, as a terminal sends it)
 * and the same command again. */
START_TEST(class_interrupted_run_keeps_finished_results)
{
	ck_assert_msg(stop.status == 2, "the interrupted run exited %d: %s", stop.status, stop.log);
	ck_assert_msg(strstr(stop.log, "grade: interrupted: ") != NULL, "%s", stop.log);
	ck_assert_msg(!stop.csv, "a grades.csv of half a class");
	ck_assert_msg(stop.partial == NULL, "after the Ctrl-C: %s", stop.partial);
	ck_assert_msg(stop.left == NULL, "after the Ctrl-C: %s", stop.left);
	ck_assert_uint_ge(stop.kept, 4);
	char *said = xasprintf("grade: %zu graded before and unchanged since: kept", stop.kept);
	ck_assert_msg(strstr(log_a, said) != NULL, "%s", log_a);
	for (size_t i = 0; i < stop.kept; i++) {
		struct stat now;
		ck_assert_int_eq(stat(stop.record[i].path, &now), 0);
		ck_assert_msg(now.st_ino == stop.record[i].st.st_ino &&
			      now.st_mtim.tv_nsec == stop.record[i].st.st_mtim.tv_nsec,
			      "%s was graded again", stop.record[i].path);
	}
}
END_TEST

/* A small class of three, copied from the big one: it may be changed. */
static char *small_class(const char *name)
{
	char *dir = xasprintf("%s/%s", work, name);

	mkdir(dir, 0755);
	for (const char *const *who = (const char *const[]){ "sol-001", "skeleton", "crash", NULL };
	     *who != NULL; who++)
		ck_assert_int_eq(RUN(NULL, "/bin/cp", "-R", xasprintf("%s/%s", klass, *who),
				     xasprintf("%s/%s", dir, *who)), 0);
	return dir;
}

START_TEST(class_rerun_grades_only_what_changed)
{
	char *dir = small_class("small"), *res = xasprintf("%s/resS", work), *out;

	ck_assert_int_eq(RUN(&out, grade, "--class", dir, "--out", res, "--jobs", "2"), 0);
	ck_assert_int_eq(count_lines_with(out, "] "), 3);
	char *csv = slurp(xasprintf("%s/grades.csv", res));

	/* Nothing changed: nothing graded, the same CSV (the class seed is kept). */
	ck_assert_int_eq(RUN(&out, grade, "--class", dir, "--out", res), 0);
	ck_assert_msg(strstr(out, "grade: 3 graded before and unchanged since") != NULL, "%s", out);
	ck_assert_int_eq(count_lines_with(out, "] "), 0);
	assert_same_text(slurp(xasprintf("%s/grades.csv", res)), csv, "the CSVs");

	/* One source changed: that student only. */
	FILE *f = fopen(xasprintf("%s/skeleton/02-fork-sharing/fork_share.c", dir), "a");
	ck_assert(f != NULL);
	fputs("/* changed */\n", f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(RUN(&out, grade, "--class", dir, "--out", res), 0);
	ck_assert_int_eq(count_lines_with(out, "] "), 1);
	ck_assert_msg(strstr(out, "] skeleton: ") != NULL, "%s", out);
	assert_same_text(slurp(xasprintf("%s/grades.csv", res)), csv, "the CSVs");

	/* --regrade: all of them; another format: all of them too. */
	ck_assert_int_eq(RUN(&out, grade, "--class", dir, "--out", res, "--regrade"), 0);
	ck_assert_int_eq(count_lines_with(out, "] "), 3);
	ck_assert_int_eq(RUN(&out, grade, "--class", dir, "--out", res, "--format", "tap"), 0);
	ck_assert_int_eq(count_lines_with(out, "] "), 3);
	ck_assert(exists(xasprintf("%s/students/crash.tap", res)));
	assert_same_text(slurp(xasprintf("%s/grades.csv", res)), csv, "the CSVs");
	assert_clean();
}
END_TEST

/* SIGINT to the grader alone (kill, not a terminal): it stops its workers.
 * With a second one at once, it kills them: still nothing left behind. */
static void interrupt_small_class(const char *name, int signals)
{
	char *dir = small_class(name), *res = xasprintf("%s/res-%s", work, name);
	char *log = xasprintf("%s/res-%s.log", work, name), *first = xasprintf("%s/students", res);

	pid_t pid = spawn((const char *[]){ grade, "--class", dir, "--out", res, "--jobs", "2", NULL },
			  log, false);
	/* As soon as a worker is at work: its log is there. */
	for (int tries = 0; !exists(xasprintf("%s/.crash.log", first)); tries++) {
		ck_assert_msg(tries < 1200, "no worker started after 60 s");
		usleep(50000);
	}
	for (int i = 0; i < signals; i++) {
		kill(pid, SIGINT);
		usleep(20000);
	}
	ck_assert_int_eq(wait_for(pid), 2);
	ck_assert_ptr_nonnull(strstr(slurp(log), "run the same command again"));
	assert_no_partial_files(res);
	assert_clean();
}

START_TEST(class_sigint_to_the_parent_stops_the_workers)
{
	interrupt_small_class("small2", 1);
}
END_TEST

START_TEST(class_second_sigint_kills_the_workers_cleanly)
{
	interrupt_small_class("small5", 2);
}
END_TEST

/* The counts a report in another format must show, from the JSON one. */
struct counts {
	int tests, passed, failed_checks, broken_labs, score, max, scored;
};

static struct counts counts_of(json_t *report)
{
	struct counts c = { .score = num(report, "score"), .max = num(report, "max_score") };
	size_t i, j;
	json_t *lab, *chk;

	json_array_foreach(json_object_get(report, "labs"), i, lab) {
		bool built = json_is_true(json_object_get(lab, "built"));
		c.tests++;
		c.passed += built;
		c.broken_labs += !built;
		json_array_foreach(json_object_get(lab, "checks"), j, chk) {
			bool ok = json_is_true(json_object_get(chk, "passed"));
			c.tests++;
			c.scored++;
			c.passed += ok;
			c.failed_checks += !ok;
		}
	}
	return c;
}

static char *validate(const char *format, const char *file)
{
	char *out;
	int st;

	if (strcmp(format, "gradescope") == 0)
		st = RUN(&out, "/usr/bin/python3", HERE "/validate_gradescope.py",
			 HERE "/gradescope-results.schema.json", file);
	else if (strcmp(format, "junit") == 0)
		st = RUN(&out, "/usr/bin/python3", HERE "/validate_junit.py", HERE "/junit.xsd", file);
	else
		st = RUN(&out, "/usr/bin/perl", HERE "/validate_tap.pl", file);
	return st == 0 ? out : xasprintf("REFUSED (%d): %s", st, out);
}

/* Each format of the same grading, read by its consumer, says what the JSON says. */
START_TEST(formats_read_by_their_consumers)
{
	const char *subs[] = { "solutions", "labs", xasprintf("%s/compile-error", klass),
			       xasprintf("%s/crash", klass) };

	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		char *json = xasprintf("%s/f.json", work);
		int st = RUN(NULL, grade, "--format", "json", "--seed", "7", "-o", json, subs[i]);
		json_t *report = load(json);
		struct counts c = counts_of(report);
		ck_assert_int_eq(st, c.score == c.max ? 0 : 1);
		char *want[] = {
			xasprintf("tests=%d scored=%d passed=%d failed=%d score=%d max=%d\n", c.tests,
				  c.scored, c.passed, c.tests - c.passed, c.score, c.max),
			xasprintf("suites=%zu tests=%d failures=%d errors=%d\n",
				  json_array_size(json_object_get(report, "labs")), c.tests,
				  c.failed_checks, c.broken_labs),
			xasprintf("tests=%d passed=%d failed=%d yaml=%d\n", c.tests, c.passed,
				  c.tests - c.passed, c.tests - c.passed),
		};
		const char *formats[] = { "gradescope", "junit", "tap" };
		for (size_t f = 0; f < 3; f++) {
			char *file = xasprintf("%s/f.%s", work, formats[f]);
			st = RUN(NULL, grade, "--format", formats[f], "--seed", "7", "-o", file, subs[i]);
			ck_assert_int_eq(st, c.score == c.max ? 0 : 1);
			ck_assert_str_eq(validate(formats[f], file), want[f]);
		}
		json_decref(report);
	}
	/* The student's bytes arrive intact through TAP's YAML: one text shown. */
	char *tap = slurp(xasprintf("%s/f.tap", work));
	ck_assert_ptr_nonnull(strstr(tap, "  got: \"$ mmap_hello\\n"));
}
END_TEST

/* The consumers refuse what is broken: the checks above can fail. */
START_TEST(consumers_refuse_broken_reports)
{
	static const struct { const char *format, *from, *to; } edits[] = {
		{ "gradescope", "\"status\": \"failed\"", "\"status\": \"wrong\"" },
		{ "gradescope", "\"score\": ", "\"score\": 1" },
		{ "gradescope", "\"visibility\": \"visible\"", "\"visible\": true" },
		{ "junit", " hostname=\"", " host=\"" },
		{ "junit", "<testsuites name=\"mmaplab\" tests=\"", "<testsuites name=\"mmaplab\" tests=\"1" },
		{ "junit", "<system-err></system-err>", "" },
		{ "tap", "\n1..", "\n1..9" },
		{ "tap", "  ...\n", "" },
		{ "tap", "TAP version 13\n", "" },
	};

	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		char *file = xasprintf("%s/broken.%s", work, edits[i].format);
		ck_assert_int_eq(RUN(NULL, grade, "--format", edits[i].format, "--seed", "7", "-o",
				     file, "labs"), 1);
		char *text = slurp(file), *at = strstr(text, edits[i].from);
		ck_assert_msg(at != NULL, "%s: no \"%s\" to break", edits[i].format, edits[i].from);
		ck_assert_msg(strncmp(validate(edits[i].format, file), "REFUSED", 7) != 0,
			      "the untouched %s report is refused", edits[i].format);
		*at = '\0';
		char *broken = xasprintf("%s%s%s", text, edits[i].to, at + strlen(edits[i].from));
		ck_assert_int_eq(write_file_atomic(file, broken, strlen(broken)), 0);
		ck_assert_msg(strncmp(validate(edits[i].format, file), "REFUSED", 7) == 0,
			      "%s: \"%s\" -> \"%s\" is accepted", edits[i].format, edits[i].from,
			      edits[i].to);
	}
}
END_TEST

/* Class mode writes each student's report in the chosen format too. */
START_TEST(class_writes_each_students_format)
{
	char *dir = small_class("small3"), *res = xasprintf("%s/resG", work);

	ck_assert_int_eq(RUN(NULL, grade, "--class", dir, "--out", res, "--format", "gradescope"), 0);
	for (const char *const *who = (const char *const[]){ "sol-001", "skeleton", "crash", NULL };
	     *who != NULL; who++) {
		char *file = xasprintf("%s/students/%s.gradescope.json", res, *who);
		json_t *rec = record(res, *who);
		char *v = validate("gradescope", file);
		ck_assert_msg(strncmp(v, "REFUSED", 7) != 0, "%s", v);
		ck_assert_ptr_nonnull(strstr(v, xasprintf(" score=%d max=", num(rec, "score"))));
		ck_assert(!exists(xasprintf("%s/students/%s.txt", res, *who)));
	}
}
END_TEST

START_TEST(class_without_gnuplot_still_writes_the_csv)
{
	char *dir = small_class("small4"), *res = xasprintf("%s/resN", work);
	char *bin = xasprintf("%s/bin-without-gnuplot", work), *out;

	/* A PATH with the compiler and nothing else. */
	mkdir(bin, 0755);
	ck_assert_int_eq(symlink("/usr/bin/gcc", xasprintf("%s/gcc", bin)), 0);
	setenv("PATH", bin, 1);
	ck_assert_int_eq(RUN(&out, grade, "--class", dir, "--out", res), 0);
	ck_assert_msg(strstr(out, "gnuplot is not installed") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "not compared: sim_c is not installed") != NULL, "%s", out);
	ck_assert_ptr_nonnull(strstr(slurp(xasprintf("%s/summary.txt", res)),
				     "similar code: not compared: sim_c is not installed"));
	ck_assert(!exists(xasprintf("%s/similarity.csv", res)));
	ck_assert(exists(xasprintf("%s/grades.csv", res)));
	ck_assert(exists(xasprintf("%s/summary.txt", res)));
	ck_assert(!exists(xasprintf("%s/histogram.svg", res)));
	ck_assert_int_eq(count_lines_with(slurp(xasprintf("%s/grades.csv", res)), "\n"), 4);
}
END_TEST

START_TEST(class_usage_errors)
{
	static const struct { const char *args[6], *says; } cases[] = {
		{ { "--class", "solutions", "labs" }, "no SUBMISSION with it" },
		{ { "--class", "solutions", "-o", "x" }, "not -o" },
		{ { "--jobs", "2", "labs" }, "go with --class" },
		{ { "--out", "x", "labs" }, "go with --class" },
		{ { "--class", "solutions", "--jobs", "0" }, "--jobs takes a number" },
		{ { "--class", "/nonexistent/class" }, "cannot open the class folder" },
	};
	char *out;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *const *a = cases[i].args;
		ck_assert_int_eq(RUN(&out, grade, a[0], a[1], a[2],
				     a[3], a[4]), 2);
		ck_assert_msg(strstr(out, cases[i].says) != NULL, "%s: %s", a[0], out);
	}
	char *empty = xasprintf("%s/empty", work);
	mkdir(empty, 0755);
	ck_assert_int_eq(RUN(&out, grade, "--class", empty, "--out", xasprintf("%s/resE", work)), 2);
	ck_assert_ptr_nonnull(strstr(out, "holds no student folders"));

	/* One class run per results folder at a time. */
	char *res = xasprintf("%s/resA", work);
	int fd = open(xasprintf("%s/.lock", res), O_RDWR);
	ck_assert(fd != -1 && flock(fd, LOCK_EX | LOCK_NB) == 0);
	ck_assert_int_eq(RUN(&out, grade, "--class", klass, "--out", res), 2);
	ck_assert_ptr_nonnull(strstr(out, "in use by another grade --class"));
	close(fd);
}
END_TEST

/* Last: after every grading above, the class folder is as mkclass.sh made it. */
START_TEST(class_folder_never_written)
{
	assert_same_text(listing(klass), slurp(xasprintf("%s/class.before", work)),
			 "the class folder's listings before and after");
}
END_TEST

/* Orphans of a grading would come to the test: assert_clean() sees them. */
static void subreaper(void)
{
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) == -1)
		die_errno("prctl");
}

/* Run A up to its Ctrl-C, once 4 students are done; fills stop. */
static void interrupt_run_a(void)
{
	char *res = xasprintf("%s/resA", work), *dir = xasprintf("%s/students", res);
	char *log = xasprintf("%s/resA-interrupted.log", work);
	pid_t pid = spawn((const char *[]){ grade, "--class", klass, "--out", res, "--seed", SEED,
					    "--jobs", "2", NULL }, log, true);
	struct dirent *e;
	DIR *d;

	for (int tries = 0; stop.kept < 4; tries++) {
		if (tries == 2400)
			die("no student graded after 120 s: %s", slurp(log));
		usleep(50000);
		stop.kept = 0;
		if ((d = opendir(dir)) == NULL)
			continue;
		while ((e = readdir(d)) != NULL)
			stop.kept += strstr(e->d_name, ".json") != NULL && strstr(e->d_name, ".tmp") == NULL;
		closedir(d);
	}
	kill(-pid, SIGINT);
	stop.status = wait_for(pid);
	stop.log = slurp(log);
	stop.csv = exists(xasprintf("%s/grades.csv", res));
	stop.partial = partial_files(res);
	stop.left = leftovers();
	stop.kept = 0;
	if ((d = opendir(dir)) == NULL)
		die_errno("%s", dir);
	while ((e = readdir(d)) != NULL && stop.kept < 64)
		if (strstr(e->d_name, ".json") != NULL) {
			struct kept *k = &stop.record[stop.kept++];
			snprintf(k->path, sizeof(k->path), "%s/%s", dir, e->d_name);
			if (stat(k->path, &k->st) == -1)
				die_errno("%s", k->path);
		}
	closedir(d);
}

int main(void)
{
	work = make_temp_dir(NULL, "test_class");
	klass = xasprintf("%s/class", work);
	tmpdir = xasprintf("%s/tmp", work);
	/* Searchable, as /tmp is: run as root, the grader runs programs as a
	 * uid of its own, which must reach its folders in $TMPDIR. */
	if (mkdir(tmpdir, 0755) == -1 || chmod(work, 0755) == -1)
		die_errno("mkdir %s", tmpdir);
	setenv("TMPDIR", tmpdir, 1);
	unsetenv("NO_COLOR");

	/* The skeleton beside it too: class mode's similarity check reads it. */
	const char *cp[] = { "/bin/sh", "-c", "rm -rf " GRADER_COPY " " SKELETON_COPY " && cp -R bin "
			     GRADER_COPY " && cp -R labs " SKELETON_COPY, NULL };
	if (wait_for(spawn(cp, "/dev/null", false)) != 0 || access(grade, X_OK) == -1)
		die("cannot copy bin/ to " GRADER_COPY " (make bin/grade first)");
	const char *mk[] = { "/bin/sh", HERE "/mkclass.sh", "-f", klass, NULL };
	char *log = xasprintf("%s/mkclass.log", work);
	if (wait_for(spawn(mk, log, false)) != 0)
		die("mkclass.sh failed: %s", slurp(log));
	char *before = listing(klass);
	if (write_file_atomic(xasprintf("%s/class.before", work), before, strlen(before)) == -1)
		die_errno("write");
	printf("test_class: grading the class in %s (run A, with a Ctrl-C)\n", klass);
	fflush(stdout);
	time_t t0 = time(NULL);
	subreaper();
	interrupt_run_a();
	status_a = run((const char *[]){ grade, "--class", klass, "--out",
					 xasprintf("%s/resA", work), "--seed", SEED, NULL }, &log_a);
	printf("test_class: run A exited %d after about %.0f s\n", status_a,
	       difftime(time(NULL), t0));

	Suite *s = suite_create("class");
	TCase *tc = tcase_create("class");
	tcase_set_timeout(tc, 900);
	tcase_add_checked_fixture(tc, subreaper, NULL);
	tcase_add_test(tc, class_run_is_complete);
	tcase_add_test(tc, class_faults_stay_with_their_student);
	tcase_add_test(tc, class_scores_equal_single_mode);
	tcase_add_test(tc, class_interrupted_run_keeps_finished_results);
	tcase_add_test(tc, class_rerun_grades_only_what_changed);
	tcase_add_test(tc, class_sigint_to_the_parent_stops_the_workers);
	tcase_add_test(tc, class_second_sigint_kills_the_workers_cleanly);
	tcase_add_test(tc, class_writes_each_students_format);
	tcase_add_test(tc, class_without_gnuplot_still_writes_the_csv);
	tcase_add_test(tc, class_usage_errors);
	tcase_add_test(tc, formats_read_by_their_consumers);
	tcase_add_test(tc, consumers_refuse_broken_reports);
	tcase_add_test(tc, class_folder_never_written);
	suite_add_tcase(s, tc);
	return run_suite(s, "test_class");
}
