/*
 * lab04_writer_reader.c: checks of lab 04, mmap_w FILE [ID NAME SEX] and
 * mmap_r FILE: two unrelated processes meeting in a file's mapping.
 *
 * The grader is the other party of each program: it reads what the student's
 * writer left, field by field, and writes structs for the student's reader,
 * with garbage in the padding and after NAME's NUL, which a reader must ignore.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>

#include "audit/checks.h"
#include "labs/judge.h"
#include "labs/refusals.h"
#include "labs/labs.h"
#include "run/sys.h"

#define LAB "04-writer-reader"

/* SPEC §1's layout: what stu.h must say. */
struct STU {
	int id;
	char name[20];
	char sex;
};

static void random_student(unsigned *rnd, struct STU *s)
{
	s->id = (int)rand_between(rnd, 0, 999999);
	rand_word(rnd, s->name, rand_between(rnd, 1, 19));
	s->sex = "mfx"[rand_between(rnd, 0, 2)];
}

/* Fails c unless t->dir/file holds exactly one struct STU with s's fields. */
static void judge_struct_file(struct check *c, const struct trial *t, const char *file,
			      const struct STU *s)
{
	char *path = xasprintf("%s/%s", t->dir, file);
	size_t len = 0;
	char *data = read_file(path, 4096, &len);
	char *exp = xasprintf("%s: %zu bytes, id=%d name=%s sex=%c", file, sizeof(struct STU),
			      s->id, s->name, s->sex);
	char *act = NULL;
	const char *hint = NULL;

	free(path);
	if (data == NULL) {
		act = xasprintf("$ %s\nno file %s", t->cmdline, file);
		hint = "the writer did not create FILE: open it with O_CREAT";
	} else if (len != sizeof(struct STU)) {
		act = xasprintf("$ %s\n%s: %zu bytes", t->cmdline, file, len);
		hint = len != 0 && len < 4096
		       ? "the file must be sizeof(struct STU) = 28 bytes, stu.h's layout (int id; char "
			 "name[20]; char sex; and 3 bytes of padding): include stu.h rather than "
			 "declaring a struct of your own, and ftruncate to sizeof(struct STU)"
		       : "the file must be exactly sizeof(struct STU) bytes: ftruncate it to that "
			 "size before mapping (pitfall 4)";
	} else {
		struct STU got;
		memcpy(&got, data, sizeof(got));
		bool name_ok = memchr(got.name, '\0', sizeof(got.name)) != NULL &&
			       strcmp(got.name, s->name) == 0;
		if (got.id != s->id || !name_ok || got.sex != s->sex) {
			char *name = show_bytes(got.name, strnlen(got.name, sizeof(got.name)), 40);
			char *sex = show_bytes(&got.sex, 1, 4);
			act = xasprintf("$ %s\n%s: id=%d name=%s%s sex=%s", t->cmdline, file, got.id,
					name, name_ok ? "" : " (wrong or without its NUL)", sex);
			hint = got.id == 0 && got.name[0] == '\0' && got.sex == '\0'
				? "the file holds only NUL bytes: the struct never reached it -- "
				  "memcpy it into a MAP_SHARED mapping"
				: got.id == 10 && s->id != 10
				? "the file holds the document's student, not the ID NAME SEX arguments"
				: "a field differs: copy the whole struct STU (id, name, sex, in stu.h's "
				  "layout) into the mapping";
			free(name);
			free(sex);
		}
	}
	free(data);
	if (hint == NULL)
		check_pass(c);
	else
		check_fail(c, exp, act, "%s", hint);
	free(exp);
	free(act);
}

/* The grader's writer: a struct with garbage in the padding and after NAME. */
static void write_struct(const struct trial *t, const char *file, const struct STU *s,
			 size_t size)
{
	unsigned char buf[sizeof(struct STU)];
	char *path = xasprintf("%s/%s", t->dir, file);

	memset(buf, 0xa5, sizeof(buf));
	memcpy(buf + offsetof(struct STU, id), &s->id, sizeof(s->id));
	memcpy(buf + offsetof(struct STU, name), s->name, strlen(s->name) + 1);
	buf[offsetof(struct STU, sex)] = (unsigned char)s->sex;
	if (write_file(path, (const char *)buf, size) == -1)
		die_errno("cannot write %s", path);
	free(path);
}

/* Runs the writer with args; the trial is kept in *keep (the caller frees it)
 * for judgments of its calls. */
static void judge_writer(const struct grader *g, struct check *c, const struct STU *s,
			 const char *const *args, struct trial *keep)
{
	struct trial t;

	trial_init(g, &t);
	trial_exec(g, &t, LAB, "mmap_w", args);
	if (judge_output(c, &t, "", "the writer prints nothing on stdout"))
		judge_struct_file(c, &t, args[0], s);
	trial_keep(&t, keep);
}

static void judge_reader(const struct grader *g, struct check *c, const struct STU *s,
			 struct trial *keep)
{
	struct trial t;
	char *expected = xasprintf("id=%d\tname=%s\t%c\n", s->id, s->name, s->sex);

	trial_init(g, &t);
	write_struct(&t, "shared.stu", s, sizeof(struct STU));
	trial_exec(g, &t, LAB, "mmap_r", (const char *[]){ "shared.stu", NULL });
	judge_output(c, &t, expected, memmem(t.res.out.data, t.res.out.len, "\xa5", 1) != NULL
		     ? "it printed bytes after NAME's NUL: print name as a C string"
		     : strncmp(t.res.out.data, "id=10\tname=xiaoming", 19) == 0 && s->id != 10
		     ? "it printed the document's student, not what the file holds" : NULL);
	free(expected);
	trial_keep(&t, keep);
}

static void grade(const struct grader *g, struct lab_result *lab)
{
	unsigned rnd = g->seed ^ 0x04040404u;
	const struct STU xiaoming = { 10, "xiaoming", 'm' };
	struct STU s;
	char id[16], sex[2] = "";
	struct trial t;
	struct fault_run no_open, no_ftruncate, no_mmap;

	/* The runs that need nothing of the others go on beside them. */
	const char *const fault_args[] = { "f.stu", NULL };
	fault_run_start(g, &no_open, LAB, "mmap_w", fault_args, "open", EACCES);
	fault_run_start(g, &no_ftruncate, LAB, "mmap_w", fault_args, "ftruncate", EFBIG);
	fault_run_start(g, &no_mmap, LAB, "mmap_w", fault_args, "mmap", ENOMEM);

	judge_writer(g, lab_add_check(lab, 2, "mmap_w FILE: the document's student in a 28-byte file"),
		     &xiaoming, (const char *[]){ "student.stu", NULL }, &t);
	judge_mapping(lab_add_check(lab, 1, "mmap_w maps the file MAP_SHARED, PROT_READ|PROT_WRITE"),
		      trial_audited(&t), MAP_KIND_FILE, true, PROT_READ | PROT_WRITE);
	judge_within_file(lab_add_check(lab, 1, "mmap_w makes the file as long as the struct before "
					"mmap (pitfall 4)"), trial_audited(&t));
	judge_closed_after_mmap(lab_add_check(lab, 1, "mmap_w closes the descriptor after mmap "
					      "(pitfall 3)"), trial_audited(&t));
	judge_unmapped_exactly(lab_add_check(lab, 1, "mmap_w unmaps exactly what it mapped "
					     "(pitfall 5)"), trial_audited(&t));
	trial_free(&t);
	for (int i = 1; i <= 3; i++) {
		random_student(&rnd, &s);
		snprintf(id, sizeof(id), "%d", s.id);
		sex[0] = s.sex;
		judge_writer(g, lab_add_check(lab, 1, "random writer %d: mmap_w f.stu %s %s %s, read "
					      "by the grader", i, id, s.name, sex), &s,
			     (const char *[]){ "f.stu", id, s.name, sex, NULL }, NULL);
	}

	judge_reader(g, lab_add_check(lab, 2, "mmap_r on the document's student"), &xiaoming, &t);
	judge_mapping(lab_add_check(lab, 1, "mmap_r maps the file MAP_SHARED, PROT_READ"), trial_audited(&t),
		      MAP_KIND_FILE, true, PROT_READ);
	judge_closed_after_mmap(lab_add_check(lab, 1, "mmap_r closes the descriptor after mmap "
					      "(pitfall 3)"), trial_audited(&t));
	judge_unmapped_exactly(lab_add_check(lab, 1, "mmap_r unmaps exactly what it mapped "
					     "(pitfall 5)"), trial_audited(&t));
	trial_free(&t);
	for (int i = 1; i <= 3; i++) {
		random_student(&rnd, &s);
		judge_reader(g, lab_add_check(lab, 1, "random reader %d: id=%d name=%s sex=%c, written "
					      "by the grader", i, s.id, s.name, s.sex), &s, NULL);
	}

	/* The student's own pair, one after the other in the same folder. */
	random_student(&rnd, &s);
	snprintf(id, sizeof(id), "%d", s.id);
	sex[0] = s.sex;
	struct check *pair = lab_add_check(lab, 1, "mmap_w then mmap_r: %s %s %s", id, s.name, sex);
	trial_init(g, &t);
	trial_exec(g, &t, LAB, "mmap_w", (const char *[]){ "pair.stu", id, s.name, sex, NULL });
	if (judge_clean_exit(pair, &t)) {
		trial_exec(g, &t, LAB, "mmap_r", (const char *[]){ "pair.stu", NULL });
		char *expected = xasprintf("id=%d\tname=%s\t%c\n", s.id, s.name, s.sex);
		judge_output(pair, &t, expected, NULL);
		free(expected);
	}
	trial_free(&t);

	struct refusals refusals;
	refusals_start(g, &refusals, LAB, "mmap_r", false, (const char *const *[]){
		(const char *[]){ "no-such-file", NULL }, NULL });
	judge_refusals(g, lab_add_check(lab, 1, "mmap_r on a missing file: message, exit 1"),
		       &refusals);

	struct check *shorter = lab_add_check(lab, 1, "mmap_r on a 10-byte file: message, exit 1");
	trial_init(g, &t);
	write_struct(&t, "short.stu", &xiaoming, 10);
	trial_exec(g, &t, LAB, "mmap_r", (const char *[]){ "short.stu", NULL });
	if (!judge_refused(shorter, &t, false) && t.res.end == RUN_EXITED && t.res.code == 0)
		check_fail(shorter, shorter->expected, shorter->actual, "it printed a student from "
			   "a 10-byte file: the mapping's last page reads as zeros past the end of "
			   "the file, so the struct is garbage -- compare the file's size (fstat) "
			   "with sizeof(struct STU) first (pitfall 4)");
	trial_free(&t);

	/* An empty file: there, unlike in the last page of a short file, a read
	 * past the end is SIGBUS. */
	struct check *empty = lab_add_check(lab, 1, "mmap_r on an empty file: message, exit 1, "
					    "not SIGBUS");
	trial_init(g, &t);
	write_struct(&t, "empty.stu", &xiaoming, 0);
	trial_exec(g, &t, LAB, "mmap_r", (const char *[]){ "empty.stu", NULL });
	if (!judge_refused(empty, &t, false) && t.res.end == RUN_SIGNALED)
		check_fail(empty, empty->expected, empty->actual, "killed by SIGBUS: mapping 28 "
			   "bytes of an empty file succeeds, and the first read is SIGBUS (pitfall "
			   "4) -- compare the file's size (fstat) with sizeof(struct STU) first");
	trial_free(&t);

	struct refusals long_name, long_sex, writer_usage, reader_usage;
	refusals_start(g, &long_name, LAB, "mmap_w", false, (const char *const *[]){
		(const char *[]){ "f", "1", "abcdefghijklmnopqrst", "m", NULL }, NULL });
	refusals_start(g, &long_sex, LAB, "mmap_w", false, (const char *const *[]){
		(const char *[]){ "f", "1", "ab", "mf", NULL }, NULL });
	refusals_start(g, &writer_usage, LAB, "mmap_w", true, (const char *const *[]){
		(const char *[]){ NULL }, (const char *[]){ "f", "1", "ab", NULL },
		(const char *[]){ "f", "x1", "ab", "m", NULL }, NULL });
	refusals_start(g, &reader_usage, LAB, "mmap_r", true, (const char *const *[]){
		(const char *[]){ NULL }, (const char *[]){ "a", "b", NULL }, NULL });
	judge_refusals(g, lab_add_check(lab, 1, "NAME over 19 bytes is refused"), &long_name);
	judge_refusals(g, lab_add_check(lab, 1, "SEX of two characters is refused"), &long_sex);
	struct check *usage = lab_add_check(lab, 1, "bad usage: exit 2, a usage line on stderr");
	judge_refusals(g, usage, &writer_usage);
	judge_refusals(g, usage->passed ? usage : NULL, &reader_usage);

	struct check *calls = lab_add_check(lab, 1, "mmap_w: a failing open or ftruncate is caught");
	judge_fault_run(g, judge_fault_run(g, calls, &no_open) ? calls : NULL, &no_ftruncate);
	judge_fault_run(g, lab_add_check(lab, 1, "mmap_w: a failing mmap is caught: MAP_FAILED "
					 "checked (pitfall 7)"), &no_mmap);

	/* The reader needs a file to get as far as mmap. */
	struct check *rfail = lab_add_check(lab, 1, "mmap_r: a failing mmap is caught: MAP_FAILED "
					    "checked (pitfall 7)");
	char *rule = xasprintf("MMAPAUDIT_FAIL=mmap:1:%d", ENOMEM);
	trial_init(g, &t);
	write_struct(&t, "shared.stu", &xiaoming, sizeof(struct STU));
	trial_exec_env(g, &t, LAB, "mmap_r", (const char *[]){ "shared.stu", NULL },
		       (const char *[]){ rule, NULL });
	judge_injected_failure(rfail, &t, "mmap_r", "mmap", ENOMEM);
	trial_free(&t);
	free(rule);
}

const struct lab lab_writer_reader = {
	.id = LAB,
	.programs = (const char *const[]){ "mmap_w", "mmap_r", NULL },
	.grade = grade,
};
