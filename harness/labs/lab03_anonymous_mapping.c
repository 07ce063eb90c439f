/*
 * lab03_anonymous_mapping.c: checks of lab 03, anon_share [VALUE] and
 * zero_share [VALUE]: the same sharing, from MAP_ANONYMOUS and /dev/zero.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <sys/mman.h>

#include "audit/checks.h"
#include "labs/judge.h"
#include "labs/refusals.h"
#include "labs/labs.h"
#include "labs/parent_child.h"
#include "run/sys.h"

#define LAB "03-anonymous-mapping"

/* The runs of one program, all started together, each in a worker of its own. */
struct program_runs {
	const char *prog;
	enum map_kind kind;
	struct share_run delayed, first, random[3];
	struct refusals bad_usage;
	struct fault_run no_mmap;
};

/* PROG VALUE with a random VALUE, started. */
static void start_random(const struct grader *g, struct share_run *r, const char *prog,
			 unsigned *rnd, bool delayed)
{
	int value = (int)rand_between(rnd, 1, 99999);
	char v[16];
	snprintf(v, sizeof(v), "%d", value);
	share_run_start(g, r, LAB, prog, (const char *[]){ v, NULL }, value, -1, true, delayed);
}

static void start_program(const struct grader *g, struct program_runs *p, const char *prog,
			  enum map_kind kind, unsigned rnd)
{
	unsigned delay_rnd = rnd ^ 0xd;

	p->prog = prog;
	p->kind = kind;
	start_random(g, &p->delayed, prog, &delay_rnd, true);
	share_run_start(g, &p->first, LAB, prog, NULL, 2000, -1, true, false);
	for (int i = 0; i < 3; i++)
		start_random(g, &p->random[i], prog, &rnd, false);
	refusals_start(g, &p->bad_usage, LAB, prog, true, (const char *const *[]){
			       (const char *[]){ "-x", NULL },
			       (const char *[]){ "12", "34", NULL },
			       (const char *[]){ "1e3", NULL },
			       NULL });
	fault_run_start(g, &p->no_mmap, LAB, prog, NULL, "mmap", ENOMEM);
}

static void judge_program(const struct grader *g, struct lab_result *lab, struct program_runs *p)
{
	const char *prog = p->prog;
	struct trial first, delayed;

	judge_share_run(g, lab_add_check(lab, 1, "%s default run: child and parent lines", prog),
			&p->first, &first);
	judge_mapping(lab_add_check(lab, 1, "%s maps %s", prog, p->kind == MAP_KIND_ANONYMOUS
				    ? "MAP_SHARED|MAP_ANONYMOUS, fd -1" : "/dev/zero MAP_SHARED"),
		      trial_audited(&first), p->kind, true, PROT_READ | PROT_WRITE);
	struct check *waits = lab_add_check(lab, 1, "%s: the parent waits for the child (no "
					    "sleep, no vfork, stdout flushed)", prog);
	judge_unmapped_exactly(lab_add_check(lab, 1, "%s: the parent unmaps exactly what it mapped",
					     prog), trial_audited(&first));
	if (p->kind == MAP_KIND_DEV_ZERO)
		judge_closed_after_mmap(lab_add_check(lab, 1, "%s: /dev/zero is closed after mmap, "
						      "before fork (pitfall 3)", prog), trial_audited(&first));
	for (int i = 0; i < 3; i++)
		judge_share_run(g, lab_add_check(lab, 1, "random run %d: %s", i + 1,
						 p->random[i].t.cmdline), &p->random[i], NULL);
	judge_refusals(g, lab_add_check(lab, 1, "%s bad usage: exit 2, a usage line", prog),
		       &p->bad_usage);
	judge_fault_run(g, lab_add_check(lab, 1, "%s: a failing mmap is caught: MAP_FAILED checked "
					 "(pitfall 7)", prog), &p->no_mmap);
	judge_share_run(g, lab_add_check(lab, 1, "%s delay run: the child held back until the "
					 "parent waits (%d ms at most), sleep() skipped", prog, DELAY_MS),
			&p->delayed, &delayed);
	/* Both traces: a parent that polls calls sleep() only when the child is
	 * slow, as in the delay run. */
	if (judge_fork_wait(waits, trial_audited(&first)))
		judge_fork_wait(waits, trial_audited(&delayed));
	trial_free(&delayed);
	trial_free(&first);
}

static void grade(const struct grader *g, struct lab_result *lab)
{
	struct program_runs anon, zero;

	/* Every run of both programs at once; judged below in order. */
	start_program(g, &anon, "anon_share", MAP_KIND_ANONYMOUS, g->seed ^ 0x03030303u);
	start_program(g, &zero, "zero_share", MAP_KIND_DEV_ZERO, g->seed ^ 0x30303030u);
	judge_program(g, lab, &anon);
	judge_program(g, lab, &zero);
}

const struct lab lab_anonymous_mapping = {
	.id = LAB,
	.programs = (const char *const[]){ "anon_share", "zero_share", NULL },
	.grade = grade,
};
