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

#include "audit/checks.h"
#include "labs/judge.h"
#include "labs/refusals.h"
#include "labs/labs.h"
#include "labs/parent_child.h"
#include "run/sys.h"

#define LAB "02-fork-sharing"

/* fork_share [-p] VALUE VAR with random numbers, started. */
static void start_random(const struct grader *g, struct share_run *r, unsigned *rnd, bool private,
			 bool delayed)
{
	int value = (int)rand_between(rnd, 1, 99999), var = (int)rand_between(rnd, 101, 9999);
	char v[16], w[16];
	snprintf(v, sizeof(v), "%d", value);
	snprintf(w, sizeof(w), "%d", var);
	const char *args[] = { "-p", v, w, NULL };
	share_run_start(g, r, LAB, "fork_share", private ? args : args + 1, value, var, !private,
			delayed);
}

static void grade(const struct grader *g, struct lab_result *lab)
{
	unsigned rnd = g->seed ^ 0x02020202u;
	struct share_run delayed, first, random[3], private;
	struct fault_run no_mmap, no_fork;
	struct refusals bad_usage;
	struct trial t, kept, gone;

	/* Every run at once, each in a worker of its own; judged below in order. */
	start_random(g, &delayed, &rnd, false, true);
	share_run_start(g, &first, LAB, "fork_share", NULL, 2000, 1000, true, false);
	for (int i = 0; i < 3; i++)
		start_random(g, &random[i], &rnd, false, false);
	start_random(g, &private, &rnd, true, false);
	trial_init(g, &gone);
	trial_start(g, &gone, LAB, "fork_share", NULL, NULL);
	refusals_start(g, &bad_usage, LAB, "fork_share", true, (const char *const *[]){
			       (const char *[]){ "-x", NULL },
			       (const char *[]){ "12", "34", "56", NULL },
			       (const char *[]){ "abc", NULL },
			       (const char *[]){ "-p", "5", "-7", NULL },
			       NULL });
	fault_run_start(g, &no_mmap, LAB, "fork_share", NULL, "mmap", ENOMEM);
	fault_run_start(g, &no_fork, LAB, "fork_share", NULL, "fork", EAGAIN);

	judge_share_run(g, lab_add_check(lab, 2, "default run: child and parent lines"), &first, &kept);
	judge_mapping(lab_add_check(lab, 1, "the temporary file is mapped MAP_SHARED"), trial_audited(&kept),
		      MAP_KIND_FILE, true, PROT_READ | PROT_WRITE);
	judge_closed_after_mmap(lab_add_check(lab, 1, "the descriptor is closed after mmap, before "
					      "fork (pitfall 3)"), trial_audited(&kept));
	struct check *waits = lab_add_check(lab, 1, "the parent waits for the child (no sleep, no "
					    "vfork, stdout flushed)");
	judge_unmapped_exactly(lab_add_check(lab, 1, "the parent unmaps exactly what it mapped "
					     "(pitfall 5)"), trial_audited(&kept));
	for (int i = 0; i < 3; i++)
		judge_share_run(g, lab_add_check(lab, 2, "random run %d: %s", i + 1, random[i].t.cmdline),
				&random[i], NULL);
	judge_share_run(g, lab_add_check(lab, 2, "%s: MAP_PRIVATE, the parent sees 0",
					 private.t.cmdline), &private, &t);
	judge_mapping(lab_add_check(lab, 1, "with -p the mapping is MAP_PRIVATE"), trial_audited(&t), MAP_KIND_FILE,
		      false, PROT_READ | PROT_WRITE);
	trial_free(&t);

	/* TMPDIR is the run's own folder, so a temp file made there shows too. */
	struct check *left = lab_add_check(lab, 1, "the temporary file is gone after the run");
	trial_finish(g, &gone);
	if (judge_clean_exit(left, &gone))
		judge_dir_holds(left, &gone, (const char *[]){ NULL });
	trial_free(&gone);

	judge_refusals(g, lab_add_check(lab, 1, "bad usage: exit 2, a usage line on stderr"),
		       &bad_usage);
	judge_fault_run(g, lab_add_check(lab, 1, "a failing mmap is caught: MAP_FAILED checked "
					 "(pitfall 7)"), &no_mmap);
	judge_fault_run(g, lab_add_check(lab, 1, "a failing fork is caught"), &no_fork);

	judge_share_run(g, lab_add_check(lab, 2, "delay run: the child held back until the parent "
					 "waits (%d ms at most), sleep() skipped; %s", DELAY_MS,
					 delayed.t.cmdline), &delayed, &t);
	/* Both traces: a parent that polls calls sleep() only when the child is
	 * slow, as in the delay run. */
	if (judge_fork_wait(waits, trial_audited(&kept)))
		judge_fork_wait(waits, trial_audited(&t));
	trial_free(&t);
	trial_free(&kept);
}

const struct lab lab_fork_sharing = {
	.id = LAB,
	.programs = (const char *const[]){ "fork_share", NULL },
	.grade = grade,
};
