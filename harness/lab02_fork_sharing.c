/*
 * lab02_fork_sharing.c: checks of lab 02, fork_share [-p] [VALUE [VAR]].
 *
 * Random VALUE and VAR tell a program that shares memory from one that only
 * prints the document's numbers; the parent and child lines are judged each.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>

#include "audit_checks.h"
#include "labs.h"
#include "parent_child.h"
#include "sys.h"

#define LAB "02-fork-sharing"

static void grade(const struct grader *g, struct lab_result *lab)
{
	unsigned rnd = g->seed ^ 0x02020202u;
	char v[16], w[16];
	struct trial t;

	/* The delay run goes on beside the others, in a worker of its own. */
	int dvalue = (int)rand_between(&rnd, 1, 99999), dvar = (int)rand_between(&rnd, 101, 9999);
	char dv[16], dw[16];
	struct trial delayed;
	snprintf(dv, sizeof(dv), "%d", dvalue);
	snprintf(dw, sizeof(dw), "%d", dvar);
	trial_init(g, &delayed);
	trial_start(g, &delayed, LAB, "fork_share", (const char *[]){ dv, dw, NULL }, delay_env);

	struct trial first;
	judge_share_run(g, lab_add_check(lab, 2, "default run: child and parent lines"), LAB,
			"fork_share", NULL, 2000, 1000, true, &first);
	t = first;
	judge_mapping(lab_add_check(lab, 1, "the temporary file is mapped MAP_SHARED"), &t,
		      MAP_KIND_FILE, true, PROT_READ | PROT_WRITE);
	judge_closed_after_mmap(lab_add_check(lab, 1, "the descriptor is closed after mmap, before "
					      "fork (pitfall 3)"), &t);
	struct check *waits = lab_add_check(lab, 1, "the parent waits for the child (no sleep, no "
					    "vfork, stdout flushed)");
	judge_unmapped_exactly(lab_add_check(lab, 1, "the parent unmaps exactly what it mapped "
					     "(pitfall 5)"), &t);
	for (int i = 1; i <= 3; i++) {
		int value = (int)rand_between(&rnd, 1, 99999), var = (int)rand_between(&rnd, 101, 9999);
		snprintf(v, sizeof(v), "%d", value);
		snprintf(w, sizeof(w), "%d", var);
		judge_share_run(g, lab_add_check(lab, 2, "random run %d: fork_share %s %s", i, v, w),
				LAB, "fork_share", (const char *[]){ v, w, NULL }, value, var, true,
				NULL);
	}
	int value = (int)rand_between(&rnd, 1, 99999), var = (int)rand_between(&rnd, 101, 9999);
	snprintf(v, sizeof(v), "%d", value);
	snprintf(w, sizeof(w), "%d", var);
	judge_share_run(g, lab_add_check(lab, 2, "fork_share -p %s %s: MAP_PRIVATE, the parent sees 0",
					 v, w), LAB, "fork_share", (const char *[]){ "-p", v, w, NULL },
			value, var, false, &t);
	judge_mapping(lab_add_check(lab, 1, "with -p the mapping is MAP_PRIVATE"), &t, MAP_KIND_FILE,
		      false, PROT_READ | PROT_WRITE);
	trial_free(&t);

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
	judge_fault_run(g, lab_add_check(lab, 1, "a failing mmap is caught: MAP_FAILED checked "
					 "(pitfall 7)"), LAB, "fork_share", NULL, "mmap", ENOMEM);
	judge_fault_run(g, lab_add_check(lab, 1, "a failing fork is caught"), LAB, "fork_share",
			NULL, "fork", EAGAIN);

	trial_finish(g, &delayed);
	judge_parent_child(lab_add_check(lab, 2, "delay run: the child held back %d ms, sleep() "
					 "skipped; fork_share %s %s", DELAY_MS, dv, dw), &delayed, dvalue, dvar,
			   true, true);
	/* Both traces: a parent that polls calls sleep() only when the child is
	 * slow, as in the delay run. */
	if (judge_fork_wait(waits, &first))
		judge_fork_wait(waits, &delayed);
	trial_free(&delayed);
	trial_free(&first);
}

const struct lab lab_fork_sharing = {
	.id = LAB,
	.programs = (const char *const[]){ "fork_share", NULL },
	.grade = grade,
};
