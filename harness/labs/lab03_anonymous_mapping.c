/*
 * lab03_anonymous_mapping.c: the checks of lab 03, anon_share [VALUE] and
 * zero_share [VALUE] (SPEC §1's row 03-anonymous-mapping): the same sharing,
 * from MAP_ANONYMOUS and from /dev/zero.
 */
#include <stdio.h>

#include "labs/clauses.h"
#include "labs/faults.h"
#include "labs/judges.h"
#include "labs/labs.h"
#include "labs/parent_child.h"
#include "lang/lang.h"
#include "run/sys.h"

#define ROW_STDOUT N_("§1 lab 03: stdout, the child's line then the parent's, exact")
#define ROW_ANON N_("§1 lab 03: anon_share uses MAP_SHARED | MAP_ANONYMOUS (fd -1)")
#define ROW_ZERO N_("§1 lab 03: zero_share maps /dev/zero with MAP_SHARED")

/* The delay runs' titles say how long the child is held back. */
_Static_assert(DELAY_MS == 200, "the delay runs' titles say 200 ms");

static const struct lab_check checks[] = {
	{ "anon-share.default", 1, N_("anon_share default run: child and parent lines"), ROW_STDOUT,
	  { "anon default" }, judge_pc_lines },
	{ "anon-share.map-anonymous", 1, N_("anon_share maps MAP_SHARED|MAP_ANONYMOUS, fd -1"),
	  ROW_ANON, { "anon default" }, judge_maps_anonymous },
	{ "anon-share.parent-waits", 1, N_("anon_share: the parent waits for the child (wait or "
					   "waitpid returns it)"), RULE_WAIT,
	  { "anon default", "anon delay" }, judge_pc_waits },
	{ "anon-share.stdout-flushed", 1, N_("anon_share: stdout's buffer is empty at fork and when a "
					     "process ends"), RULE_FLUSH_AT_FORK,
	  { "anon default" }, judge_flushes_stdout },
	{ "anon-share.munmap", 1, N_("anon_share: the parent unmaps exactly what it mapped"),
	  RULE_MUNMAP, { "anon default" }, judge_unmaps_exactly },
	{ "anon-share.random-1", 1, N_("random run 1: %s"), ROW_STDOUT, { "anon random 1" },
	  judge_pc_lines },
	{ "anon-share.random-2", 1, N_("random run 2: %s"), ROW_STDOUT, { "anon random 2" },
	  judge_pc_lines },
	{ "anon-share.random-3", 1, N_("random run 3: %s"), ROW_STDOUT, { "anon random 3" },
	  judge_pc_lines },
	{ "anon-share.bad-usage", 1, N_("anon_share bad usage: exit 2, a usage line"), RULE_USAGE,
	  { "anon bad usage" }, judge_refuses_usage },
	{ "anon-share.mmap-fails", 1, N_("anon_share: a failing mmap is caught: MAP_FAILED checked (pitfall 7)"), RULE_CALLS_CHECKED,
	  { "anon no mmap" }, judge_call_caught },
	{ "anon-share.fork-fails", 1, N_("anon_share: a failing fork is caught"), RULE_CALLS_CHECKED,
	  { "anon no fork" }, judge_call_caught },
	{ "anon-share.wait-fails", 1, N_("anon_share: a failing wait is caught"), RULE_CALLS_CHECKED,
	  { "anon no wait" }, judge_call_caught },
	{ "anon-share.munmap-fails", 1, N_("anon_share: a failing munmap is caught"), RULE_CALLS_CHECKED,
	  { "anon no munmap" }, judge_call_caught },
	{ "anon-share.fail-message", 1, N_("anon_share: a failed call is reported as PROGRAM: CALL: reason"),
	  RULE_CALLS_CHECKED, { "anon no *" },
	  judge_call_message },
	{ "anon-share.delay", 1, N_("anon_share delay run: the child held back until the parent "
				    "waits (200 ms at most), sleep() skipped"),
	  RULE_WAIT, { "anon delay" }, judge_pc_lines },

	{ "zero-share.default", 1, N_("zero_share default run: child and parent lines"), ROW_STDOUT,
	  { "zero default" }, judge_pc_lines },
	{ "zero-share.map-dev-zero", 1, N_("zero_share maps /dev/zero MAP_SHARED"), ROW_ZERO,
	  { "zero default" }, judge_maps_dev_zero },
	{ "zero-share.parent-waits", 1, N_("zero_share: the parent waits for the child (wait or "
					   "waitpid returns it)"), RULE_WAIT,
	  { "zero default", "zero delay" }, judge_pc_waits },
	{ "zero-share.stdout-flushed", 1, N_("zero_share: stdout's buffer is empty at fork and when a "
					     "process ends"), RULE_FLUSH_AT_FORK,
	  { "zero default" }, judge_flushes_stdout },
	{ "zero-share.munmap", 1, N_("zero_share: the parent unmaps exactly what it mapped"),
	  RULE_MUNMAP, { "zero default" }, judge_unmaps_exactly },
	{ "zero-share.fd-closed", 1, N_("zero_share: /dev/zero is closed after mmap, before fork "
					"(pitfall 3)"), RULE_CLOSE, { "zero default" },
	  judge_closes_after_mmap },
	{ "zero-share.random-1", 1, N_("random run 1: %s"), ROW_STDOUT, { "zero random 1" },
	  judge_pc_lines },
	{ "zero-share.random-2", 1, N_("random run 2: %s"), ROW_STDOUT, { "zero random 2" },
	  judge_pc_lines },
	{ "zero-share.random-3", 1, N_("random run 3: %s"), ROW_STDOUT, { "zero random 3" },
	  judge_pc_lines },
	{ "zero-share.bad-usage", 1, N_("zero_share bad usage: exit 2, a usage line"), RULE_USAGE,
	  { "zero bad usage" }, judge_refuses_usage },
	{ "zero-share.open-fails", 1, N_("zero_share: a failing open is caught"), RULE_CALLS_CHECKED,
	  { "zero no open" }, judge_call_caught },
	{ "zero-share.close-fails", 1, N_("zero_share: a failing close is caught"), RULE_CALLS_CHECKED,
	  { "zero no close" }, judge_call_caught },
	{ "zero-share.mmap-fails", 1, N_("zero_share: a failing mmap is caught: MAP_FAILED checked (pitfall 7)"), RULE_CALLS_CHECKED,
	  { "zero no mmap" }, judge_call_caught },
	{ "zero-share.fork-fails", 1, N_("zero_share: a failing fork is caught"), RULE_CALLS_CHECKED,
	  { "zero no fork" }, judge_call_caught },
	{ "zero-share.wait-fails", 1, N_("zero_share: a failing wait is caught"), RULE_CALLS_CHECKED,
	  { "zero no wait" }, judge_call_caught },
	{ "zero-share.munmap-fails", 1, N_("zero_share: a failing munmap is caught"), RULE_CALLS_CHECKED,
	  { "zero no munmap" }, judge_call_caught },
	{ "zero-share.fail-message", 1, N_("zero_share: a failed call is reported as PROGRAM: CALL: reason"),
	  RULE_CALLS_CHECKED, { "zero no *" },
	  judge_call_message },
	{ "zero-share.delay", 1, N_("zero_share delay run: the child held back until the parent "
				    "waits (200 ms at most), sleep() skipped"),
	  RULE_WAIT, { "zero delay" }, judge_pc_lines },
	{ 0 }
};

/* PROG VALUE with a random VALUE. */
static void plan_random(struct lab_plan *p, const char *name, const char *prog, unsigned *rnd,
			bool delayed)
{
	int value = (int)rand_between(rnd, 1, 99999);
	char v[16];
	snprintf(v, sizeof(v), "%d", value);
	plan_pc_run(p, name, prog, (const char *[]){ v, NULL },
		    (struct pc_want){ value, -1, true, delayed });
}

/* The runs of one program; their names begin with `who`. */
static void plan_program(struct lab_plan *p, const char *prog, const char *who,
			 const char *const *calls, unsigned rnd)
{
	unsigned delay_rnd = rnd ^ 0xd;
	char name[32];

	snprintf(name, sizeof(name), "%s delay", who);
	plan_random(p, name, prog, &delay_rnd, true);
	snprintf(name, sizeof(name), "%s default", who);
	plan_pc_run(p, name, prog, NULL, (struct pc_want){ 2000, -1, true, false });
	for (int i = 1; i <= 3; i++) {
		snprintf(name, sizeof(name), "%s random %d", who, i);
		plan_random(p, name, prog, &rnd, false);
	}
	snprintf(name, sizeof(name), "%s bad usage", who);
	plan_run(p, name, prog, (const char *[]){ "-x", NULL });
	plan_run(p, name, prog, (const char *[]){ "12", "34", NULL });
	plan_run(p, name, prog, (const char *[]){ "1e3", NULL });
	for (; *calls != NULL; calls++)
		plan_call_fault(p, who, prog, NULL, *calls, "parent, ");
}

static void plan(struct lab_plan *p, unsigned seed)
{
	plan_program(p, "anon_share", "anon", (const char *const[]){ "mmap", "fork", "wait",
		     "munmap", NULL }, seed ^ 0x03030303u);
	plan_program(p, "zero_share", "zero", (const char *const[]){ "open", "close", "mmap", "fork",
		     "wait", "munmap", NULL }, seed ^ 0x30303030u);
}

const struct lab lab_anonymous_mapping = {
	.id = "03-anonymous-mapping",
	.programs = (const char *const[]){ "anon_share", "zero_share", NULL },
	.plan = plan,
	.checks = checks,
};
