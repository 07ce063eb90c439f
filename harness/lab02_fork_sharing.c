/*
 * lab02_fork_sharing.c: checks of lab 02, fork_share [-p] [VALUE [VAR]].
 *
 * Random VALUE and VAR tell a program that shares memory from one that only
 * prints the document's numbers; the parent and child lines are judged each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labs.h"
#include "parent_child.h"
#include "sys.h"

#define LAB "02-fork-sharing"

/* Runs fork_share with args; the child writes value and var. */
static void judge_share(const struct grader *g, struct check *c, const char *const *args,
			int value, int var, bool shared)
{
	struct trial t;
	char *expected = xasprintf("child, *p = %d, var = %d\nparent, *p = %d, var = 100\n",
				   value, var, shared ? value : 0);
	char hint[400];
	struct pc_output o;

	trial_init(g, &t);
	trial_exec(g, &t, LAB, "fork_share", args);
	pc_parse(t.res.out.data, &o);
	judge_output(c, &t, expected, pc_hint(&o, value, var, shared, hint, sizeof(hint)));
	free(expected);
	trial_free(&t);
}

static void grade(const struct grader *g, struct lab_result *lab)
{
	unsigned rnd = g->seed ^ 0x02020202u;
	char v[16], w[16];
	struct trial t;

	judge_share(g, lab_add_check(lab, 2, "default run: child and parent lines"),
		    NULL, 2000, 1000, true);
	for (int i = 1; i <= 3; i++) {
		int value = (int)rand_between(&rnd, 1, 99999), var = (int)rand_between(&rnd, 101, 9999);
		snprintf(v, sizeof(v), "%d", value);
		snprintf(w, sizeof(w), "%d", var);
		judge_share(g, lab_add_check(lab, 2, "random run %d: fork_share %s %s", i, v, w),
			    (const char *[]){ v, w, NULL }, value, var, true);
	}
	int value = (int)rand_between(&rnd, 1, 99999), var = (int)rand_between(&rnd, 101, 9999);
	snprintf(v, sizeof(v), "%d", value);
	snprintf(w, sizeof(w), "%d", var);
	judge_share(g, lab_add_check(lab, 2, "fork_share -p %s %s: MAP_PRIVATE, the parent sees 0",
				     v, w), (const char *[]){ "-p", v, w, NULL }, value, var, false);

	/* TMPDIR is the run's own folder, so a temp file made there shows too. */
	struct check *gone = lab_add_check(lab, 1, "the temporary file is gone after the run");
	trial_init(g, &t);
	trial_exec(g, &t, LAB, "fork_share", NULL);
	if (judge_clean_exit(gone, &t))
		judge_dir_holds(gone, &t, (const char *[]){ NULL });
	trial_free(&t);

	judge_refusals(g, LAB, "fork_share", lab_add_check(lab, 1, "bad usage: exit 2, a usage line on stderr"),
		       true, (const char *const *[]){
			       (const char *[]){ "-x", NULL },
			       (const char *[]){ "12", "34", "56", NULL },
			       (const char *[]){ "abc", NULL },
			       (const char *[]){ "-p", "5", "-7", NULL },
			       NULL });
}

const struct lab lab_fork_sharing = {
	.id = LAB,
	.programs = (const char *const[]){ "fork_share", NULL },
	.grade = grade,
};
