/*
 * lab03_anonymous_mapping.c: checks of lab 03, anon_share [VALUE] and
 * zero_share [VALUE]: the same sharing, from MAP_ANONYMOUS and /dev/zero.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <sys/mman.h>

#include "audit_checks.h"
#include "labs.h"
#include "parent_child.h"
#include "sys.h"

#define LAB "03-anonymous-mapping"

/* The delay run of prog, started beside the others in a worker of its own;
 * grade_program() judges it once every other run is done. */
struct delay_run {
	struct trial trial;
	int value;
	struct trial first;		/* the default run, judged with it */
	struct check *waits;		/* "the parent waits": both traces decide */
};

static void start_delay_run(const struct grader *g, const char *prog, unsigned rnd,
			    struct delay_run *d)
{
	char v[16];

	d->value = (int)rand_between(&rnd, 1, 99999);
	snprintf(v, sizeof(v), "%d", d->value);
	trial_init(g, &d->trial);
	trial_start(g, &d->trial, LAB, prog, (const char *[]){ v, NULL }, delay_env);
}

static void grade_program(const struct grader *g, struct lab_result *lab, const char *prog,
			  enum map_kind kind, unsigned rnd, struct delay_run *d)
{
	char v[16];
	struct trial t;

	struct trial first;
	judge_share_run(g, lab_add_check(lab, 1, "%s default run: child and parent lines", prog),
			LAB, prog, NULL, 2000, -1, true, &first);
	t = first;
	judge_mapping(lab_add_check(lab, 1, "%s maps %s", prog, kind == MAP_KIND_ANONYMOUS
				    ? "MAP_SHARED|MAP_ANONYMOUS, fd -1" : "/dev/zero MAP_SHARED"),
		      &t, kind, true, PROT_READ | PROT_WRITE);
	struct check *waits = lab_add_check(lab, 1, "%s: the parent waits for the child (no "
					    "sleep, no vfork, stdout flushed)", prog);
	judge_unmapped_exactly(lab_add_check(lab, 1, "%s: the parent unmaps exactly what it mapped",
					     prog), &t);
	if (kind == MAP_KIND_DEV_ZERO)
		judge_closed_after_mmap(lab_add_check(lab, 1, "%s: /dev/zero is closed after mmap, "
						      "before fork (pitfall 3)", prog), &t);
	for (int i = 1; i <= 3; i++) {
		int value = (int)rand_between(&rnd, 1, 99999);
		snprintf(v, sizeof(v), "%d", value);
		judge_share_run(g, lab_add_check(lab, 1, "random run %d: %s %s", i, prog, v), LAB,
				prog, (const char *[]){ v, NULL }, value, -1, true, NULL);
	}
	judge_refusals(g, LAB, prog, lab_add_check(lab, 1, "%s bad usage: exit 2, a usage line", prog),
		       true, (const char *const *[]){
			       (const char *[]){ "-x", NULL },
			       (const char *[]){ "12", "34", NULL },
			       (const char *[]){ "1e3", NULL },
			       NULL });
	judge_fault_run(g, lab_add_check(lab, 1, "%s: a failing mmap is caught: MAP_FAILED checked "
					 "(pitfall 7)", prog), LAB, prog, NULL, "mmap", ENOMEM);

	d->waits = waits;
	d->first = first;
}

/* What the delay run of a program shows, once it is done: judged last, so
 * that it went on while everything else of the lab ran. */
static void judge_delay_run(const struct grader *g, struct lab_result *lab, const char *prog,
			    struct delay_run *d)
{
	trial_finish(g, &d->trial);
	judge_parent_child(lab_add_check(lab, 1, "%s delay run: the child held back %d ms, sleep() "
					 "skipped", prog, DELAY_MS), &d->trial, d->value, -1, true, true);
	/* Both traces: a parent that polls calls sleep() only when the child is
	 * slow, as in the delay run. */
	if (judge_fork_wait(d->waits, &d->first))
		judge_fork_wait(d->waits, &d->trial);
	trial_free(&d->trial);
	trial_free(&d->first);
}

static void grade(const struct grader *g, struct lab_result *lab)
{
	/* Both delay runs first: they go on while everything else runs. */
	struct delay_run anon, zero;
	unsigned anon_seed = g->seed ^ 0x03030303u, zero_seed = g->seed ^ 0x30303030u;

	start_delay_run(g, "anon_share", anon_seed ^ 0xd, &anon);
	start_delay_run(g, "zero_share", zero_seed ^ 0xd, &zero);
	grade_program(g, lab, "anon_share", MAP_KIND_ANONYMOUS, anon_seed, &anon);
	grade_program(g, lab, "zero_share", MAP_KIND_DEV_ZERO, zero_seed, &zero);
	judge_delay_run(g, lab, "anon_share", &anon);
	judge_delay_run(g, lab, "zero_share", &zero);
}

const struct lab lab_anonymous_mapping = {
	.id = LAB,
	.programs = (const char *const[]){ "anon_share", "zero_share", NULL },
	.grade = grade,
};
