/*
 * lab01_file_mapping.c: the checks of lab 01, mmap_hello [FILE [TEXT [SIZE]]]
 * (SPEC §1's row 01-file-mapping).
 *
 * The program's output and the file it leaves are both judged: the file must
 * be SIZE bytes, TEXT then NUL bytes, because the mapping *is* the file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "labs/clauses.h"
#include "labs/faults.h"
#include "labs/judge.h"
#include "labs/judges.h"
#include "labs/labs.h"
#include "lang/lang.h"
#include "run/sys.h"

#define ROW_STDOUT N_("§1 lab 01: stdout is TEXT (xxx with the defaults)")
#define ROW_FILE N_("§1 lab 01: FILE exists, is SIZE bytes, starts with TEXT then NUL bytes")
#define ROW_REFUSE N_("§1 lab 01: TEXT that does not fit in SIZE-1 bytes, or SIZE 0, is refused")
#define ROW_SHARED N_("§1 lab 01: FILE starts with TEXT, written through its mapping")

/* The lab's own judgments, below the table. */
static judge_fn judge_prints_xxx, judge_default_file, judge_default_folder, judge_text_and_file;

static const struct lab_check checks[] = {
	{ "mmap-hello.default-output", 2, N_("default run prints xxx"), ROW_STDOUT, { "default" },
	  judge_prints_xxx },
	{ "mmap-hello.default-file", 2, N_("default run leaves hello: 20 bytes, xxx then NULs"),
	  ROW_FILE, { "default" }, judge_default_file },
	{ "mmap-hello.default-folder", 1, N_("nothing else is left in the working directory"),
	  ROW_FILE, { "default" }, judge_default_folder },
	{ "mmap-hello.map-shared", 1, N_("the file is mapped MAP_SHARED, with PROT_WRITE"),
	  ROW_SHARED, { "default" }, judge_maps_file_for_writing },
	{ "mmap-hello.fd-closed", 1, N_("the descriptor is closed right after mmap (pitfall 3)"),
	  RULE_CLOSE, { "default" }, judge_closes_after_mmap },
	{ "mmap-hello.munmap", 1, N_("munmap gets exactly what mmap returned and was given "
				     "(pitfall 5)"), RULE_MUNMAP, { "default" },
	  judge_unmaps_exactly },
	{ "mmap-hello.open-fails", 1, N_("a failing open is caught"), RULE_CALLS_CHECKED,
	  { "no open" }, judge_call_caught },
	{ "mmap-hello.ftruncate-fails", 1, N_("a failing ftruncate is caught"), RULE_CALLS_CHECKED,
	  { "no ftruncate" }, judge_call_caught },
	{ "mmap-hello.mmap-fails", 1, N_("a failing mmap is caught: MAP_FAILED checked (pitfall 7)"), RULE_CALLS_CHECKED,
	  { "no mmap" }, judge_call_caught },
	{ "mmap-hello.close-fails", 1, N_("a failing close is caught"), RULE_CALLS_CHECKED,
	  { "no close" }, judge_call_caught },
	{ "mmap-hello.munmap-fails", 1, N_("a failing munmap is caught"), RULE_CALLS_CHECKED,
	  { "no munmap" }, judge_call_caught },
	{ "mmap-hello.fail-message", 1, N_("a failed call is reported as PROGRAM: CALL: reason"),
	  RULE_CALLS_CHECKED, { "no *" },
	  judge_call_message },
	{ "mmap-hello.random-1", 2, N_("random run 1: %s"), ROW_FILE, { "random 1" },
	  judge_text_and_file },
	{ "mmap-hello.random-2", 2, N_("random run 2: %s"), ROW_FILE, { "random 2" },
	  judge_text_and_file },
	{ "mmap-hello.random-3", 2, N_("random run 3: %s"), ROW_FILE, { "random 3" },
	  judge_text_and_file },
	{ "mmap-hello.text-fits", 1, N_("TEXT of exactly SIZE-1 bytes fits (SIZE %s)"), ROW_FILE,
	  { "edge" }, judge_text_and_file },
	{ "mmap-hello.size-0", 1, N_("SIZE 0 is refused (message, exit 1 or 2)"), ROW_REFUSE,
	  { "size 0" }, judge_refuses },
	{ "mmap-hello.text-too-long", 1, N_("TEXT that does not fit in SIZE-1 bytes is refused"),
	  ROW_REFUSE, { "overflow" }, judge_refuses },
	{ "mmap-hello.bad-usage", 1, N_("bad usage: exit 2, a usage line on stderr"), RULE_USAGE,
	  { "bad usage" }, judge_refuses_usage },
	{ 0 }
};

static bool all_zero(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != '\0')
			return false;
	return true;
}

/* Fails c unless t->dir/name is size bytes: text, then NUL bytes. */
static bool judge_file(struct check *c, const struct trial *t, const char *name,
		       const char *text, size_t size)
{
	char *path = xasprintf("%s/%s", t->dir, name);
	size_t len = 0, tlen = strlen(text);
	char *data = read_file(path, size + 4096, &len);
	char *exp = xasprintf(_("%s: %zu bytes, \"%s\" then %zu NUL bytes"), name, size, text,
			      size - tlen);
	const char *hint = NULL;
	char *act = NULL;

	free(path);
	if (data == NULL) {
		char *dflt = xasprintf("%s/hello", t->dir);
		bool made_hello = strcmp(name, "hello") != 0 && access(dflt, F_OK) == 0;
		free(dflt);
		act = xasprintf(_("$ %s\nno file %s%s"), t->cmdline, name, made_hello ? _(", but a file hello") : "");
		hint = made_hello ? _("it wrote the default file hello, not FILE: take the file name "
				    "from the arguments")
				  : _("the file was not created: open it with O_CREAT");
	} else if (len != size) {
		act = xasprintf(_("$ %s\n%s: %zu bytes"), t->cmdline, name, len);
		hint = len < size ? _("the file is shorter than SIZE: ftruncate(fd, SIZE) before mmap "
				    "(a mapping past the end of the file is SIGBUS, pitfall 4)")
				  : _("the file is longer than SIZE: ftruncate it to exactly SIZE");
	} else if (memcmp(data, text, tlen) != 0 || !all_zero(data + tlen, size - tlen)) {
		char *shown = show_bytes(data, len, 200);
		act = xasprintf(_("$ %s\n%s holds: %s"), t->cmdline, name, shown);
		free(shown);
		hint = all_zero(data, len)
			? _("the file is all NUL bytes: nothing written to the mapping reached the file "
			  "-- MAP_SHARED, not MAP_PRIVATE, carries writes to the file")
			: _("the file must hold TEXT and then only NUL bytes: copy exactly TEXT into "
			  "the mapping");
	}
	free(data);
	if (hint == NULL) {
		check_pass(c);
	} else {
		check_fail(c, exp, act, "%s", hint);
	}
	free(exp);
	free(act);
	return hint == NULL;
}

/* What a run must leave: FILE, SIZE bytes, TEXT then NUL bytes. */
struct file_want {
	char file[16], text[48];
	size_t size;
};

/* judge_fn: the default run's file, once it exited 0. */
static bool judge_default_file(struct check *c, const struct lab_check *def,
			       struct lab_run *const *runs, size_t n)
{
	(void)def, (void)n;
	if (!judge_clean_exit(c, &runs[0]->t)) {
		check_fail(c, _("hello, 20 bytes"), NULL, _("the default run failed: see above"));
		return false;
	}
	return judge_file(c, &runs[0]->t, "hello", "xxx", 20);
}

/* judge_fn: the default run's folder holds hello and nothing else. */
static bool judge_default_folder(struct check *c, const struct lab_check *def,
				 struct lab_run *const *runs, size_t n)
{
	(void)def, (void)n;
	if (!judge_clean_exit(c, &runs[0]->t)) {
		check_fail(c, _("only hello"), NULL, _("the default run failed: see above"));
		return false;
	}
	return judge_dir_holds(c, &runs[0]->t, (const char *[]){ "hello", NULL });
}

/* judge_fn: TEXT printed and the file it leaves. */
static bool judge_text_and_file(struct check *c, const struct lab_check *def,
				struct lab_run *const *runs, size_t n)
{
	(void)def, (void)n;
	const struct trial *t = &runs[0]->t;
	const struct file_want *w = runs[0]->want;
	char *expected = xasprintf("%s\n", w->text);
	bool xxx = strcmp(w->text, "xxx") != 0 && strcmp(t->res.out.data, "xxx\n") == 0;
	bool right = judge_output(c, t, expected, xxx ? _("it printed the document's xxx, not TEXT: "
				  "copy the TEXT argument into the mapping and print the mapping")
				  : NULL) && judge_file(c, t, w->file, w->text, w->size);
	free(expected);
	return right;
}

/* judge_fn: the default run prints xxx. */
static bool judge_prints_xxx(struct check *c, const struct lab_check *def,
			     struct lab_run *const *runs, size_t n)
{
	(void)def, (void)n;
	return judge_output(c, &runs[0]->t, "xxx\n", NULL);
}

/* mmap_hello FILE TEXT SIZE, and what it must leave. */
static struct lab_run *plan_file_run(struct lab_plan *p, const char *name, const char *file,
				     const char *text, size_t size)
{
	struct file_want *w = xcalloc(1, sizeof(*w));
	char size_arg[24];

	snprintf(w->file, sizeof(w->file), "%s", file);
	snprintf(w->text, sizeof(w->text), "%s", text);
	w->size = size;
	snprintf(size_arg, sizeof(size_arg), "%zu", size);
	struct lab_run *r = plan_run(p, name, "mmap_hello", (const char *[]){ file, text, size_arg,
									    NULL });
	r->want = w;
	return r;
}

static void plan(struct lab_plan *p, unsigned seed)
{
	unsigned rnd = seed;
	static const char *const random_run[] = { "random 1", "random 2", "random 3" };

	plan_run(p, "default", "mmap_hello", NULL);
	plan_call_fault(p, "", "mmap_hello", NULL, "open", "xxx");
	plan_call_fault(p, "", "mmap_hello", NULL, "ftruncate", "xxx");
	plan_call_fault(p, "", "mmap_hello", NULL, "mmap", "xxx");
	plan_call_fault(p, "", "mmap_hello", NULL, "close", "xxx");
	plan_call_fault(p, "", "mmap_hello", NULL, "munmap", "xxx");
	/* Random names, texts and sizes: across a page boundary too. */
	for (int i = 1; i <= 3; i++) {
		char name[16], text[40];
		rand_word(&rnd, name, rand_between(&rnd, 3, 8));
		strcat(name, ".map");
		rand_word(&rnd, text, rand_between(&rnd, 1, 30));
		size_t size = strlen(text) + 1 + rand_between(&rnd, 0, i == 3 ? 9000 : 100);
		plan_file_run(p, random_run[i - 1], name, text, size);
	}
	char text[40], size_arg[24];
	rand_word(&rnd, text, rand_between(&rnd, 5, 39));
	run_label(plan_file_run(p, "edge", "edge.map", text, strlen(text) + 1), "%zu",
		  strlen(text) + 1);
	plan_run(p, "size 0", "mmap_hello", (const char *[]){ "f", "abc", "0", NULL });
	snprintf(size_arg, sizeof(size_arg), "%zu", strlen(text));
	plan_run(p, "overflow", "mmap_hello", (const char *[]){ "f", text, size_arg, NULL });
	plan_run(p, "bad usage", "mmap_hello", (const char *[]){ "-x", NULL });
	plan_run(p, "bad usage", "mmap_hello", (const char *[]){ "f", "abc", "12k", NULL });
	plan_run(p, "bad usage", "mmap_hello", (const char *[]){ "f", "abc", "20", "extra", NULL });
}

const struct lab lab_file_mapping = {
	.id = "01-file-mapping",
	.programs = (const char *const[]){ "mmap_hello", NULL },
	.plan = plan,
	.checks = checks,
};
