/*
 * lab03_anonymous_mapping.c: checks of lab 03, anon_share [VALUE] and
 * zero_share [VALUE]: the same sharing, from MAP_ANONYMOUS and /dev/zero.
 */
#include <stdio.h>
#include <stdlib.h>

#include "labs.h"
#include "parent_child.h"
#include "sys.h"

#define LAB "03-anonymous-mapping"

static void judge_share(const struct grader *g, struct check *c, const char *prog,
			const char *const *args, int value)
{
	struct trial t;
	char *expected = xasprintf("child, *p = %d\nparent, *p = %d\n", value, value);
	char hint[400];
	struct pc_output o;

	trial_init(g, &t);
	trial_exec(g, &t, LAB, prog, args);
	pc_parse(t.res.out.data, &o);
	judge_output(c, &t, expected, pc_hint(&o, value, -1, true, hint, sizeof(hint)));
	free(expected);
	trial_free(&t);
}

static void grade_program(const struct grader *g, struct lab_result *lab, const char *prog,
			  unsigned rnd)
{
	char v[16];

	judge_share(g, lab_add_check(lab, 1, "%s default run: child and parent lines", prog),
		    prog, NULL, 2000);
	for (int i = 1; i <= 3; i++) {
		int value = (int)rand_between(&rnd, 1, 99999);
		snprintf(v, sizeof(v), "%d", value);
		judge_share(g, lab_add_check(lab, 1, "random run %d: %s %s", i, prog, v), prog,
			    (const char *[]){ v, NULL }, value);
	}
	judge_refusals(g, LAB, prog, lab_add_check(lab, 1, "%s bad usage: exit 2, a usage line", prog),
		       true, (const char *const *[]){
			       (const char *[]){ "-x", NULL },
			       (const char *[]){ "12", "34", NULL },
			       (const char *[]){ "1e3", NULL },
			       NULL });
}

static void grade(const struct grader *g, struct lab_result *lab)
{
	grade_program(g, lab, "anon_share", g->seed ^ 0x03030303u);
	grade_program(g, lab, "zero_share", g->seed ^ 0x30303030u);
}

const struct lab lab_anonymous_mapping = {
	.id = LAB,
	.programs = (const char *const[]){ "anon_share", "zero_share", NULL },
	.grade = grade,
};
