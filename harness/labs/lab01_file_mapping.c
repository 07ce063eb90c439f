/*
 * lab01_file_mapping.c: checks of lab 01, mmap_hello [FILE [TEXT [SIZE]]].
 *
 * The program's output and the file it leaves are both judged: the file must
 * be SIZE bytes, TEXT then NUL bytes, because the mapping *is* the file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/checks.h"
#include "labs/judge.h"
#include "labs/refusals.h"
#include "labs/labs.h"
#include "run/sys.h"

#define LAB "01-file-mapping"

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
	char *exp = xasprintf("%s: %zu bytes, \"%s\" then %zu NUL bytes", name, size, text,
			      size - tlen);
	const char *hint = NULL;
	char *act = NULL;

	free(path);
	if (data == NULL) {
		char *dflt = xasprintf("%s/hello", t->dir);
		bool made_hello = strcmp(name, "hello") != 0 && access(dflt, F_OK) == 0;
		free(dflt);
		act = xasprintf("$ %s\nno file %s%s", t->cmdline, name, made_hello ? ", but a file hello" : "");
		hint = made_hello ? "it wrote the default file hello, not FILE: take the file name "
				    "from the arguments"
				  : "the file was not created: open it with O_CREAT";
	} else if (len != size) {
		act = xasprintf("$ %s\n%s: %zu bytes", t->cmdline, name, len);
		hint = len < size ? "the file is shorter than SIZE: ftruncate(fd, SIZE) before mmap "
				    "(a mapping past the end of the file is SIGBUS, pitfall 4)"
				  : "the file is longer than SIZE: ftruncate it to exactly SIZE";
	} else if (memcmp(data, text, tlen) != 0 || !all_zero(data + tlen, size - tlen)) {
		char *shown = show_bytes(data, len, 200);
		act = xasprintf("$ %s\n%s holds: %s", t->cmdline, name, shown);
		free(shown);
		hint = all_zero(data, len)
			? "the file is all NUL bytes: nothing written to the mapping reached the file "
			  "-- MAP_SHARED, not MAP_PRIVATE, carries writes to the file"
			: "the file must hold TEXT and then only NUL bytes: copy exactly TEXT into "
			  "the mapping";
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

/* One run with the given arguments, judged on its output and its file. */
static void judge_run(const struct grader *g, struct check *c, const char *file,
		      const char *text, size_t size, const char *const *args)
{
	struct trial t;
	char *expected = xasprintf("%s\n", text);

	trial_init(g, &t);
	trial_exec(g, &t, LAB, "mmap_hello", args);
	bool xxx = strcmp(text, "xxx") != 0 && strcmp(t.res.out.data, "xxx\n") == 0;
	if (judge_output(c, &t, expected, xxx ? "it printed the document's xxx, not TEXT: copy "
			 "the TEXT argument into the mapping and print the mapping" : NULL))
		judge_file(c, &t, file, text, size);
	free(expected);
	trial_free(&t);
}

static void grade(const struct grader *g, struct lab_result *lab)
{
	unsigned rnd = g->seed;
	struct trial t;
	struct fault_run no_mmap, no_open, no_ftruncate;

	/* The runs that need nothing of the others go on beside them. */
	fault_run_start(g, &no_mmap, LAB, "mmap_hello", NULL, "mmap", ENOMEM);
	fault_run_start(g, &no_open, LAB, "mmap_hello", NULL, "open", EACCES);
	fault_run_start(g, &no_ftruncate, LAB, "mmap_hello", NULL, "ftruncate", EFBIG);

	/* The document's run: no arguments. */
	struct check *out = lab_add_check(lab, 2, "default run prints xxx");
	struct check *file = lab_add_check(lab, 2, "default run leaves hello: 20 bytes, xxx then NULs");
	struct check *clean = lab_add_check(lab, 1, "nothing else is left in the working directory");
	trial_init(g, &t);
	trial_exec(g, &t, LAB, "mmap_hello", NULL);
	if (judge_output(out, &t, "xxx\n", NULL) || judge_clean_exit(file, &t)) {
		judge_file(file, &t, "hello", "xxx", 20);
		judge_dir_holds(clean, &t, (const char *[]){ "hello", NULL });
	} else {
		check_fail(file, "hello, 20 bytes", NULL, "the default run failed: see above");
		check_fail(clean, "only hello", NULL, "the default run failed: see above");
	}
	/* What output cannot show, from the calls of the same run. */
	judge_mapping(lab_add_check(lab, 1, "the file is mapped MAP_SHARED, PROT_READ|PROT_WRITE"),
		      trial_audited(&t), MAP_KIND_FILE, true, PROT_READ | PROT_WRITE);
	judge_within_file(lab_add_check(lab, 1, "the file is as long as the mapping before mmap "
					"(pitfall 4)"), trial_audited(&t));
	judge_closed_after_mmap(lab_add_check(lab, 1, "the descriptor is closed right after mmap "
					      "(pitfall 3)"), trial_audited(&t));
	judge_unmapped_exactly(lab_add_check(lab, 1, "munmap gets exactly what mmap returned and "
					     "was given (pitfall 5)"), trial_audited(&t));
	trial_free(&t);

	judge_fault_run(g, lab_add_check(lab, 1, "a failing mmap is caught: MAP_FAILED checked "
					 "(pitfall 7)"), &no_mmap);
	struct check *calls = lab_add_check(lab, 1, "a failing open or ftruncate is caught");
	judge_fault_run(g, judge_fault_run(g, calls, &no_open) ? calls : NULL, &no_ftruncate);

	/* Random names, texts and sizes: across a page boundary too. */
	for (int i = 1; i <= 3; i++) {
		char name[16], text[40], size_arg[24];
		rand_word(&rnd, name, rand_between(&rnd, 3, 8));
		strcat(name, ".map");
		rand_word(&rnd, text, rand_between(&rnd, 1, 30));
		size_t size = strlen(text) + 1 + rand_between(&rnd, 0, i == 3 ? 9000 : 100);
		snprintf(size_arg, sizeof(size_arg), "%zu", size);
		struct check *c = lab_add_check(lab, 2, "random run %d: mmap_hello %s %s %s",
						i, name, text, size_arg);
		judge_run(g, c, name, text, size, (const char *[]){ name, text, size_arg, NULL });
	}

	char text[40], size_arg[24];
	rand_word(&rnd, text, rand_between(&rnd, 5, 39));
	snprintf(size_arg, sizeof(size_arg), "%zu", strlen(text) + 1);
	judge_run(g, lab_add_check(lab, 1, "TEXT of exactly SIZE-1 bytes fits (SIZE %s)", size_arg),
		  "edge.map", text, strlen(text) + 1,
		  (const char *[]){ "edge.map", text, size_arg, NULL });

	struct refusals zero, overflow, bad_usage;
	refusals_start(g, &zero, LAB, "mmap_hello", false, (const char *const *[]){
			       (const char *[]){ "f", "abc", "0", NULL }, NULL });
	snprintf(size_arg, sizeof(size_arg), "%zu", strlen(text));
	refusals_start(g, &overflow, LAB, "mmap_hello", false, (const char *const *[]){
			       (const char *[]){ "f", text, size_arg, NULL }, NULL });
	refusals_start(g, &bad_usage, LAB, "mmap_hello", true, (const char *const *[]){
			       (const char *[]){ "-x", NULL },
			       (const char *[]){ "f", "abc", "12k", NULL },
			       (const char *[]){ "f", "abc", "20", "extra", NULL },
			       NULL });
	judge_refusals(g, lab_add_check(lab, 1, "SIZE 0 is refused (message, exit 1 or 2)"), &zero);
	judge_refusals(g, lab_add_check(lab, 1, "TEXT that does not fit in SIZE-1 bytes is refused"),
		       &overflow);
	judge_refusals(g, lab_add_check(lab, 1, "bad usage: exit 2, a usage line on stderr"),
		       &bad_usage);
}

const struct lab lab_file_mapping = {
	.id = LAB,
	.programs = (const char *const[]){ "mmap_hello", NULL },
	.grade = grade,
};
