/*
 * show.c: bin/grade --show (show.h): one run of each program of a lab, and
 * for a program that takes -p (MAP_PRIVATE instead of MAP_SHARED) one more
 * with it, so that the two pictures can be set side by side.
 */
#include "labs/show.h"

#include <stdlib.h>
#include <string.h>

#include "audit/memory.h"
#include "labs/judge.h"
#include "lang/lang.h"
#include "report/memory_text.h"
#include "run/sys.h"

bool grading_show;

/* Programs whose -p option asks for MAP_PRIVATE (SPEC §1). */
static const char *const takes_p[] = { "fork_share", NULL };

static void show_run(const struct grader *g, const struct lab *lab, struct lab_result *result,
		     const char *prog, const char *const *args, FILE *f)
{
	struct trial t;
	struct memory_picture pic;

	trial_init(g, &t);
	trial_start(g, &t, lab->id, &(struct trial_step){ prog, args }, 1, memory_env);
	trial_finish(g, &t);
	fprintf(f, "\n  $ %s\n", t.cmdline);
	for (int i = 0; i < 2; i++) {	/* what it printed: stdout, then stderr */
		char *out = show_output(i == 0 ? &t.res.out : &t.res.err);
		fprintf(f, "%s%s", out, *out && out[strlen(out) - 1] != '\n' ? "\n" : "");
		free(out);
	}
	size_t before = result->nmemory;
	memory_collect(result, t.cmdline, trial_audited(&t));
	if (result->nmemory > before) {
		memory_text_pair(f, &result->memory[before], "", "");
	} else {
		memory_read(&t.audit, &pic);
		fprintf(f, "    %s\n", pic.verdict == MEMORY_CORRUPT ? pic.why : memory_sentence(pic.verdict));
	}
	trial_free(&t);
}

void show_lab(const struct grader *g, const struct lab *lab, struct lab_result *result, FILE *f)
{
	fprintf(f, "== %s\n", lab->id);
	if (result->build_failed) {
		fprintf(f, "%s\n%s\n", _("it does not build:"), result->build_log ? result->build_log : "");
		return;
	}
	for (const char *const *p = lab->programs; *p != NULL; p++) {
		show_run(g, lab, result, *p, NULL, f);
		for (const char *const *q = takes_p; *q != NULL; q++)
			if (strcmp(*p, *q) == 0)
				show_run(g, lab, result, *p, (const char *[]){ "-p", NULL }, f);
	}
	fputc('\n', f);
}
