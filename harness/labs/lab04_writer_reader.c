/*
 * lab04_writer_reader.c: the checks of lab 04, mmap_w FILE [ID NAME SEX] and
 * mmap_r FILE (SPEC §1's row 04-writer-reader): two unrelated processes
 * meeting in a file's mapping.
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

#include "labs/clauses.h"
#include "labs/faults.h"
#include "labs/judge.h"
#include "labs/judges.h"
#include "labs/labs.h"
#include "lang/lang.h"
#include "run/sys.h"

#define ROW_WRITER N_("§1 lab 04: the writer sizes the file to sizeof(struct STU) and stores " \
		      "the struct in it; it prints nothing")
#define ROW_WRITER_MAP N_("§1 lab 04: the writer maps the file MAP_SHARED with PROT_WRITE")
#define ROW_READER N_("§1 lab 04: the reader prints id=ID\tname=NAME\tSEX from the file")
#define ROW_READER_MAP N_("§1 lab 04: the reader maps the file PROT_READ")
#define ROW_READER_REFUSES N_("§1 lab 04: a missing file, or one smaller than sizeof(struct " \
			      "STU), gives the reader a clear error and exit 1, never SIGBUS " \
			      "or garbage")
#define ROW_WRITER_REFUSES N_("§1 lab 04: a NAME over 19 bytes or a SEX of more than one " \
			      "character is refused")

/* The lab's own judgments, below the table. */
static judge_fn judge_writer, judge_reader, judge_pair, judge_short_file, judge_empty_file;

static const struct lab_check checks[] = {
	{ "mmap-w.default", 2, N_("mmap_w FILE: the document's student in a 28-byte file"),
	  ROW_WRITER, { "writer default" }, judge_writer },
	{ "mmap-w.map-shared", 1, N_("mmap_w maps the file MAP_SHARED, with PROT_WRITE"),
	  ROW_WRITER_MAP, { "writer default" }, judge_maps_file_for_writing },
	{ "mmap-w.fd-closed", 1, N_("mmap_w closes the descriptor after mmap (pitfall 3)"),
	  RULE_CLOSE, { "writer default" }, judge_closes_after_mmap },
	{ "mmap-w.munmap", 1, N_("mmap_w unmaps exactly what it mapped (pitfall 5)"), RULE_MUNMAP,
	  { "writer default" }, judge_unmaps_exactly },
	{ "mmap-w.random-1", 1, N_("random writer 1: %s, read by the grader"), ROW_WRITER,
	  { "writer 1" }, judge_writer },
	{ "mmap-w.random-2", 1, N_("random writer 2: %s, read by the grader"), ROW_WRITER,
	  { "writer 2" }, judge_writer },
	{ "mmap-w.random-3", 1, N_("random writer 3: %s, read by the grader"), ROW_WRITER,
	  { "writer 3" }, judge_writer },
	{ "mmap-r.default", 2, N_("mmap_r on the document's student"), ROW_READER,
	  { "reader default" }, judge_reader },
	{ "mmap-r.map-read", 1, N_("mmap_r maps the file PROT_READ"), ROW_READER_MAP,
	  { "reader default" }, judge_maps_file_for_reading },
	{ "mmap-r.fd-closed", 1, N_("mmap_r closes the descriptor after mmap (pitfall 3)"),
	  RULE_CLOSE, { "reader default" }, judge_closes_after_mmap },
	{ "mmap-r.munmap", 1, N_("mmap_r unmaps exactly what it mapped (pitfall 5)"), RULE_MUNMAP,
	  { "reader default" }, judge_unmaps_exactly },
	{ "mmap-r.random-1", 1, N_("random reader 1: %s, written by the grader"), ROW_READER,
	  { "reader 1" }, judge_reader },
	{ "mmap-r.random-2", 1, N_("random reader 2: %s, written by the grader"), ROW_READER,
	  { "reader 2" }, judge_reader },
	{ "mmap-r.random-3", 1, N_("random reader 3: %s, written by the grader"), ROW_READER,
	  { "reader 3" }, judge_reader },
	{ "writer-reader.pair", 1, N_("mmap_w then mmap_r: %s"), ROW_READER, { "pair" },
	  judge_pair },
	{ "mmap-r.missing-file", 1, N_("mmap_r on a missing file: message, exit 1"),
	  ROW_READER_REFUSES, { "missing" }, judge_refuses },
	{ "mmap-r.short-file", 1, N_("mmap_r on a 10-byte file: message, exit 1"),
	  ROW_READER_REFUSES, { "short" }, judge_short_file },
	{ "mmap-r.empty-file", 1, N_("mmap_r on an empty file: message, exit 1, not SIGBUS"),
	  ROW_READER_REFUSES, { "empty" }, judge_empty_file },
	{ "mmap-w.long-name", 1, N_("NAME over 19 bytes is refused"), ROW_WRITER_REFUSES,
	  { "long name" }, judge_refuses },
	{ "mmap-w.long-sex", 1, N_("SEX of two characters is refused"), ROW_WRITER_REFUSES,
	  { "long sex" }, judge_refuses },
	{ "writer-reader.bad-usage", 1, N_("bad usage: exit 2, a usage line on stderr"), RULE_USAGE,
	  { "bad usage" }, judge_refuses_usage },
	{ "mmap-w.open-fails", 1, N_("mmap_w: a failing open is caught"), RULE_CALLS_CHECKED,
	  { "writer no open" }, judge_call_caught },
	{ "mmap-w.ftruncate-fails", 1, N_("mmap_w: a failing ftruncate is caught"), RULE_CALLS_CHECKED,
	  { "writer no ftruncate" }, judge_call_caught },
	{ "mmap-w.mmap-fails", 1, N_("mmap_w: a failing mmap is caught: MAP_FAILED checked (pitfall 7)"), RULE_CALLS_CHECKED,
	  { "writer no mmap" }, judge_call_caught },
	{ "mmap-w.close-fails", 1, N_("mmap_w: a failing close is caught"), RULE_CALLS_CHECKED,
	  { "writer no close" }, judge_call_caught },
	{ "mmap-w.munmap-fails", 1, N_("mmap_w: a failing munmap is caught"), RULE_CALLS_CHECKED,
	  { "writer no munmap" }, judge_call_caught },
	{ "mmap-w.fail-message", 1, N_("mmap_w: a failed call is reported as PROGRAM: CALL: reason"),
	  RULE_CALLS_CHECKED, { "writer no *" },
	  judge_call_message },
	{ "mmap-r.open-fails", 1, N_("mmap_r: a failing open is caught"), RULE_CALLS_CHECKED,
	  { "reader no open" }, judge_call_caught },
	{ "mmap-r.mmap-fails", 1, N_("mmap_r: a failing mmap is caught: MAP_FAILED checked (pitfall 7)"), RULE_CALLS_CHECKED,
	  { "reader no mmap" }, judge_call_caught },
	{ "mmap-r.close-fails", 1, N_("mmap_r: a failing close is caught"), RULE_CALLS_CHECKED,
	  { "reader no close" }, judge_call_caught },
	{ "mmap-r.munmap-fails", 1, N_("mmap_r: a failing munmap is caught"), RULE_CALLS_CHECKED,
	  { "reader no munmap" }, judge_call_caught },
	{ "mmap-r.fail-message", 1, N_("mmap_r: a failed call is reported as PROGRAM: CALL: reason"),
	  RULE_CALLS_CHECKED, { "reader no *" },
	  judge_call_message },
	{ 0 }
};

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
static bool judge_struct_file(struct check *c, const struct trial *t, const char *file,
			      const struct STU *s)
{
	char *path = xasprintf("%s/%s", t->dir, file);
	size_t len = 0;
	char *data = read_file(path, 4096, &len);
	char *exp = xasprintf(_("%s: %zu bytes, id=%d name=%s sex=%c"), file, sizeof(struct STU),
			      s->id, s->name, s->sex);
	char *act = NULL;
	const char *hint = NULL;

	free(path);
	if (data == NULL) {
		act = xasprintf(_("$ %s\nno file %s"), t->cmdline, file);
		hint = _("the writer did not create FILE: open it with O_CREAT");
	} else if (len != sizeof(struct STU)) {
		act = xasprintf(_("$ %s\n%s: %zu bytes"), t->cmdline, file, len);
		hint = len != 0 && len < 4096
		       ? _("the file must be sizeof(struct STU) = 28 bytes, stu.h's layout (int id; char "
			 "name[20]; char sex; and 3 bytes of padding): include stu.h rather than "
			 "declaring a struct of your own, and ftruncate to sizeof(struct STU)")
		       : _("the file must be exactly sizeof(struct STU) bytes: ftruncate it to that "
			 "size before mapping (pitfall 4)");
	} else {
		struct STU got;
		memcpy(&got, data, sizeof(got));
		bool name_ok = memchr(got.name, '\0', sizeof(got.name)) != NULL &&
			       strcmp(got.name, s->name) == 0;
		if (got.id != s->id || !name_ok || got.sex != s->sex) {
			char *name = show_bytes(got.name, strnlen(got.name, sizeof(got.name)), 40);
			char *sex = show_bytes(&got.sex, 1, 4);
			act = xasprintf(_("$ %s\n%s: id=%d name=%s%s sex=%s"), t->cmdline, file, got.id,
					name, name_ok ? "" : _(" (wrong or without its NUL)"), sex);
			hint = got.id == 0 && got.name[0] == '\0' && got.sex == '\0'
				? _("the file holds only NUL bytes: the struct never reached it -- "
				  "memcpy it into a MAP_SHARED mapping")
				: got.id == 10 && s->id != 10
				? _("the file holds the document's student, not the ID NAME SEX arguments")
				: _("a field differs: copy the whole struct STU (id, name, sex, in stu.h's "
				  "layout) into the mapping");
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
	return hint == NULL;
}

/* What a run is given or must leave: FILE holding s (size bytes of it). */
struct stu_want {
	struct STU s;
	char file[16];
	size_t size;
};

/* The grader's writer: a struct with garbage in the padding and after NAME. */
static void write_struct(const char *dir, const char *file, const struct STU *s, size_t size)
{
	unsigned char buf[sizeof(struct STU)];
	char *path = xasprintf("%s/%s", dir, file);

	memset(buf, 0xa5, sizeof(buf));
	memcpy(buf + offsetof(struct STU, id), &s->id, sizeof(s->id));
	memcpy(buf + offsetof(struct STU, name), s->name, strlen(s->name) + 1);
	buf[offsetof(struct STU, sex)] = (unsigned char)s->sex;
	if (write_file(path, (const char *)buf, size) == -1)
		die_errno(_("cannot write %s"), path);
	free(path);
}

/* A run's prepare: the struct it is given, written by the grader. */
static void prepare_struct(const struct lab_run *r, const char *dir)
{
	const struct stu_want *w = r->want;

	write_struct(dir, w->file, &w->s, w->size);
}

/* A fault run's prepare: the document's student, for the reader to map. */
static void prepare_xiaoming(const struct lab_run *r, const char *dir)
{
	static const struct STU xiaoming = { 10, "xiaoming", 'm' };

	(void)r;
	write_struct(dir, "shared.stu", &xiaoming, sizeof(struct STU));
}

/* judge_fn: the writer printed nothing and left the struct in FILE. */
static bool judge_writer(struct check *c, const struct lab_check *def,
			 struct lab_run *const *runs, size_t n)
{
	(void)def, (void)n;
	const struct stu_want *w = runs[0]->want;

	return judge_output(c, &runs[0]->t, "", _("the writer prints nothing on stdout")) &&
	       judge_struct_file(c, &runs[0]->t, w->file, &w->s);
}

/* judge_fn: the reader printed the struct the grader wrote. */
static bool judge_reader(struct check *c, const struct lab_check *def,
			 struct lab_run *const *runs, size_t n)
{
	(void)def, (void)n;
	const struct trial *t = &runs[0]->t;
	const struct STU *s = &((const struct stu_want *)runs[0]->want)->s;
	char *expected = xasprintf("id=%d\tname=%s\t%c\n", s->id, s->name, s->sex);
	bool right = judge_output(c, t, expected, memmem(t->res.out.data, t->res.out.len, "\xa5", 1)
				  ? _("it printed bytes after NAME's NUL: print name as a C string")
				  : strncmp(t->res.out.data, "id=10\tname=xiaoming", 19) == 0 &&
				    s->id != 10
				  ? _("it printed the document's student, not what the file holds")
				  : NULL);
	free(expected);
	return right;
}

/* judge_fn: the student's writer, then the student's reader on its file. */
static bool judge_pair(struct check *c, const struct lab_check *def, struct lab_run *const *runs,
		       size_t n)
{
	(void)def, (void)n;
	const struct trial *t = &runs[0]->t;
	const struct STU *s = &((const struct stu_want *)runs[0]->want)->s;

	if (t->step == 0)	/* the writer did not exit 0 */
		return judge_clean_exit(c, t);
	char *expected = xasprintf("id=%d\tname=%s\t%c\n", s->id, s->name, s->sex);
	bool right = judge_output(c, t, expected, NULL);
	free(expected);
	return right;
}

/* judge_fn: a 10-byte file refused, not read as a student. */
static bool judge_short_file(struct check *c, const struct lab_check *def,
			     struct lab_run *const *runs, size_t n)
{
	(void)def, (void)n;
	const struct trial *t = &runs[0]->t;

	if (judge_refused(c, t, false))
		return true;
	if (t->res.end == RUN_EXITED && t->res.code == 0)
		check_fail(c, c->expected, c->actual, _("it printed a student from a 10-byte file: the "
			   "mapping's last page reads as zeros past the end of the file, so the "
			   "struct is garbage -- compare the file's size (fstat) with sizeof(struct "
			   "STU) first (pitfall 4)"));
	return false;
}

/* judge_fn: an empty file refused, not a SIGBUS.  There, unlike in the last
 * page of a short file, a read past the end is SIGBUS. */
static bool judge_empty_file(struct check *c, const struct lab_check *def,
			     struct lab_run *const *runs, size_t n)
{
	(void)def, (void)n;
	const struct trial *t = &runs[0]->t;

	if (judge_refused(c, t, false))
		return true;
	if (t->res.end == RUN_SIGNALED)
		check_fail(c, c->expected, c->actual, _("killed by SIGBUS: mapping 28 bytes of an empty "
			   "file succeeds, and the first read is SIGBUS (pitfall 4) -- compare the "
			   "file's size (fstat) with sizeof(struct STU) first"));
	return false;
}

/* A run whose want is FILE holding s (size bytes of it). */
static struct lab_run *plan_stu_run(struct lab_plan *p, const char *name, const char *prog,
				    const char *const *args, const char *file,
				    const struct STU *s, size_t size)
{
	struct lab_run *r = plan_run(p, name, prog, args);
	struct stu_want *w = xcalloc(1, sizeof(*w));

	w->s = *s;
	snprintf(w->file, sizeof(w->file), "%s", file);
	w->size = size;
	r->want = w;
	return r;
}

/* The reader on a file the grader wrote: size bytes of s. */
static struct lab_run *plan_reader(struct lab_plan *p, const char *name, const char *file,
				   const struct STU *s, size_t size)
{
	struct lab_run *r = plan_stu_run(p, name, "mmap_r", (const char *[]){ file, NULL }, file,
					 s, size);
	r->prepare = prepare_struct;
	return r;
}

static void plan(struct lab_plan *p, unsigned seed)
{
	unsigned rnd = seed ^ 0x04040404u;
	static const struct STU xiaoming = { 10, "xiaoming", 'm' };
	static const char *const writer[] = { "writer 1", "writer 2", "writer 3" };
	static const char *const reader[] = { "reader 1", "reader 2", "reader 3" };
	const char *const fault_args[] = { "f.stu", NULL };
	struct STU s;
	char id[16], sex[2] = "";

	static const char *const writer_calls[] = { "open", "ftruncate", "mmap", "close", "munmap" };
	for (size_t i = 0; i < 5; i++)
		plan_call_fault(p, "writer", "mmap_w", fault_args, writer_calls[i], "");
	plan_stu_run(p, "writer default", "mmap_w", (const char *[]){ "student.stu", NULL },
		     "student.stu", &xiaoming, sizeof(struct STU));
	for (int i = 0; i < 3; i++) {
		random_student(&rnd, &s);
		snprintf(id, sizeof(id), "%d", s.id);
		sex[0] = s.sex;
		plan_stu_run(p, writer[i], "mmap_w", (const char *[]){ "f.stu", id, s.name, sex,
			     NULL }, "f.stu", &s, sizeof(struct STU));
	}
	plan_reader(p, "reader default", "shared.stu", &xiaoming, sizeof(struct STU));
	for (int i = 0; i < 3; i++) {
		random_student(&rnd, &s);
		run_label(plan_reader(p, reader[i], "shared.stu", &s, sizeof(struct STU)),
			  _("id=%d name=%s sex=%c"), s.id, s.name, s.sex);
	}
	/* The student's own pair, one after the other in the same folder. */
	random_student(&rnd, &s);
	snprintf(id, sizeof(id), "%d", s.id);
	sex[0] = s.sex;
	struct lab_run *pair = plan_stu_run(p, "pair", "mmap_w", (const char *[]){ "pair.stu", id,
					    s.name, sex, NULL }, "pair.stu", &s, sizeof(struct STU));
	plan_then(pair, "mmap_r", (const char *[]){ "pair.stu", NULL });
	run_label(pair, "%s %s %s", id, s.name, sex);

	plan_run(p, "missing", "mmap_r", (const char *[]){ "no-such-file", NULL });
	plan_reader(p, "short", "short.stu", &xiaoming, 10);
	plan_reader(p, "empty", "empty.stu", &xiaoming, 0);
	plan_run(p, "long name", "mmap_w", (const char *[]){ "f", "1", "abcdefghijklmnopqrst", "m",
		 NULL });
	plan_run(p, "long sex", "mmap_w", (const char *[]){ "f", "1", "ab", "mf", NULL });
	plan_run(p, "bad usage", "mmap_w", (const char *[]){ NULL });
	plan_run(p, "bad usage", "mmap_w", (const char *[]){ "f", "1", "ab", NULL });
	plan_run(p, "bad usage", "mmap_w", (const char *[]){ "f", "x1", "ab", "m", NULL });
	plan_run(p, "bad usage", "mmap_r", (const char *[]){ NULL });
	plan_run(p, "bad usage", "mmap_r", (const char *[]){ "a", "b", NULL });
	/* The reader needs a file to get as far as mmap. */
	static const char *const reader_calls[] = { "open", "mmap", "close", "munmap" };
	for (size_t i = 0; i < 4; i++)
		plan_call_fault(p, "reader", "mmap_r", (const char *[]){ "shared.stu", NULL },
				reader_calls[i], "id=")->prepare = prepare_xiaoming;
}

const struct lab lab_writer_reader = {
	.id = "04-writer-reader",
	.programs = (const char *const[]){ "mmap_w", "mmap_r", NULL },
	.plan = plan,
	.checks = checks,
};
